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
	ctx := context.Background()
	// "Iran" is an exact phrase; "Shiite militias" too;
	// "militia" falls back to stemmed words.
	for _, term := range []string{"Iran", "Shiite militias", "Iraq", "militia"} {
		all, err := ix.Lookup(ctx, term, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Quotes) < 2 {
			t.Fatalf("Lookup(%q) has %d quotes; want at least 2 for the test to mean something", term, len(all.Quotes))
		}
		for i := 1; i < len(all.Quotes); i++ {
			if all.Quotes[i].Position <= all.Quotes[i-1].Position {
				t.Errorf("Lookup(%q): quotes not in reading order: %d then %d", term, all.Quotes[i-1].Position, all.Quotes[i].Position)
			}
		}
		for limit := 1; limit < len(all.Quotes); limit++ {
			l, err := ix.Lookup(ctx, term, "", limit)
			if err != nil {
				t.Fatal(err)
			}
			if l.Total != all.Total {
				t.Errorf("Lookup(%q, limit %d) total %d; want %d", term, limit, l.Total, all.Total)
			}
			if got, want := positions(l.Quotes), positions(all.Quotes[:limit]); !slices.Equal(got, want) {
				t.Errorf("Lookup(%q, limit %d) positions %v; want %v, the first %d of the full list", term, limit, got, want, limit)
			}
		}
	}
}

func positions(qs []Quote) []int {
	out := make([]int, len(qs))
	for i, q := range qs {
		out[i] = q.Position
	}
	return out
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
