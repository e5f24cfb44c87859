package retrieval

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	for _, tt := range []struct {
		term      string
		total     int
		firstPara int
	}{
		{"militias", 2, 3},
		{"SHIITE MILITIAS", 2, 3},         // any case
		{"militia", 2, 3},                 // no exact phrase: stemmed words
		{"Shiite militias receive", 1, 3}, // phrase
		{"receive militias", 1, 3},        // not a phrase of the article: both words, any order
		{"Istanbul", 1, 11},
		{"xyzzy", 0, 0},
		{"UN Security Council", 1, 2}, // stop words and all
	} {
		t.Run(tt.term, func(t *testing.T) {
			l, err := ix.Lookup(context.Background(), tt.term, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if l.Total != tt.total || len(l.Quotes) != tt.total {
				t.Fatalf("Lookup(%q) total %d, %d quotes; want %d", tt.term, l.Total, len(l.Quotes), tt.total)
			}
			if tt.total > 0 && l.Quotes[0].Paragraph != tt.firstPara {
				t.Errorf("Lookup(%q) first in paragraph %d; want %d (reading order)", tt.term, l.Quotes[0].Paragraph, tt.firstPara)
			}
			if l.Quotes == nil {
				t.Error("Quotes is nil; want an empty slice")
			}
		})
	}
}

func TestLookupReadingOrderAndLimit(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	l, err := ix.Lookup(context.Background(), "Iran", "", 3)
	if err != nil {
		t.Fatal(err)
	}
	if l.Total <= 3 || len(l.Quotes) != 3 {
		t.Fatalf("Lookup(Iran, limit 3): total %d, %d quotes; want total > 3 and 3 quotes", l.Total, len(l.Quotes))
	}
	for i := 1; i < len(l.Quotes); i++ {
		if l.Quotes[i].Position <= l.Quotes[i-1].Position {
			t.Errorf("quotes not in reading order: %d then %d", l.Quotes[i-1].Position, l.Quotes[i].Position)
		}
	}
}

func TestLookupBadTerms(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	for _, term := range []string{"", "   ", "\u200b", strings.Repeat("a", MaxTermRune+1)} {
		_, err := ix.Lookup(context.Background(), term, "", 0)
		var qe *QuestionError
		if !errors.As(err, &qe) {
			t.Errorf("Lookup(%q) error = %v; want a QuestionError", term, err)
		}
	}
	if _, err := ix.Lookup(context.Background(), "Iran", "nope", 0); !errors.Is(err, ErrUnknownArticle) {
		t.Errorf("Lookup scoped to a missing article: %v; want ErrUnknownArticle", err)
	}
	l, err := ix.Lookup(context.Background(), "?!", "", 0)
	if err != nil || l.Total != 0 {
		t.Errorf("Lookup(?!) = %+v, %v; want an empty result", l, err)
	}
}

func TestLookupHighlights(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	for _, tt := range []struct {
		term string
		want []string
	}{
		{"shiite militias", []string{"Shiite militias"}},
		{"militia", []string{"militias"}},
		{"Iran", []string{"Iran"}},
	} {
		l, err := ix.Lookup(context.Background(), tt.term, "", 0)
		if err != nil || len(l.Quotes) == 0 {
			t.Fatalf("Lookup(%q) = %v, %v", tt.term, l, err)
		}
		q := l.Quotes[0]
		if len(q.Highlights) == 0 {
			t.Fatalf("Lookup(%q): no highlights in %q", tt.term, q.Text)
		}
		for _, h := range q.Highlights {
			got := q.Text[h.Start:h.End]
			if !slices.Contains(tt.want, got) {
				t.Errorf("Lookup(%q) highlights %q; want one of %q", tt.term, got, tt.want)
			}
		}
	}
}
