package retrieval

import (
	"context"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestCaseAndAccentsIgnored checks that a question or a lookup finds its
// words and names whatever their case and accents, while quotes and
// highlights keep the article's own text.
func TestCaseAndAccentsIgnored(t *testing.T) {
	ctx := context.Background()
	a := article(t, "cafe", "Title: Café\n\nThe Café Zoë on Main Street opened in 1998, said José Alvarez.\n\nThe owner, José Alvarez, sold it in 2010.\n\nA naïve plan for the square failed.")
	c := corpus.New(append(seedCorpus(t).Articles(), a)...)
	ix := memIndex(t, c, Options{})

	lookups := []struct{ term, text, span string }{
		{"cafe", "The Café Zoë on Main Street opened in 1998, said José Alvarez.", "Café"},
		{"CAFÉ zoe", "The Café Zoë on Main Street opened in 1998, said José Alvarez.", "Café Zoë"},
		{"naive", "A naïve plan for the square failed.", "naïve"},
		{"jose alvarez", "The Café Zoë on Main Street opened in 1998, said José Alvarez.", "José Alvarez"},
	}
	for _, tt := range lookups {
		l, err := ix.Lookup(ctx, tt.term, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		i := -1
		for k, q := range l.Quotes {
			if q.Text == tt.text {
				i = k
			}
		}
		if i < 0 {
			t.Errorf("Lookup(%q) lacks %q", tt.term, tt.text)
			continue
		}
		q := l.Quotes[i]
		if len(q.Highlights) == 0 || q.Text[q.Highlights[0].Start:q.Highlights[0].End] != tt.span {
			t.Errorf("Lookup(%q) highlights %v of %q; want %q", tt.term, q.Highlights, q.Text, tt.span)
		}
	}

	// Each pair must give the same answer, quote for quote, score for
	// score; the first question's first quote is given.
	pairs := []struct{ a, b, first string }{
		{"Who is Khalilzad?", "who is khalilzad?", ""},
		{"What did Zebari say?", "what did zebari say?", ""},
		{"When did José Alvarez sell the café?", "when did jose alvarez sell the cafe?", "The owner, José Alvarez, sold it in 2010."},
		{"Who opened the Café Zoë?", "who opened the cafe zoe?", ""},
	}
	for _, tt := range pairs {
		x, err := ix.Ask(ctx, Query{Text: tt.a, Top: 5})
		if err != nil {
			t.Fatal(err)
		}
		y, err := ix.Ask(ctx, Query{Text: tt.b, Top: 5})
		if err != nil {
			t.Fatal(err)
		}
		if ax, ay := answerText(x), answerText(y); ax != ay {
			t.Errorf("Ask(%q) =\n%s\nAsk(%q) =\n%s", tt.a, ax, tt.b, ay)
		}
		if tt.first != "" && (x.NoAnswer || x.Quotes[0].Text != tt.first) {
			t.Errorf("Ask(%q) = %s; want first %q", tt.a, answerText(x), tt.first)
		}
	}
}
