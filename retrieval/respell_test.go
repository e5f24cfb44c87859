package retrieval

import (
	"context"
	"testing"
)

// TestRespelledQuestions asks questions with a typing slip of the
// built-in article and holds their answers to those of the question
// spelled right; words the article lacks that are English, or that no
// article word is near, are asked as typed.
func TestRespelledQuestions(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9})
	ask := func(q string) *Answer {
		t.Helper()
		a, err := ix.Ask(context.Background(), Query{Text: q, Top: 3})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := func(a *Answer) string {
		if len(a.Quotes) == 0 {
			return ""
		}
		return a.Quotes[0].Text
	}
	for _, tt := range []struct{ typed, meant string }{
		{"what did the american ambasador say", "what did the american ambassador say"},
		{"who is khalilzd", "who is khalilzad"},
		{"what about the iraqi goverment", "what about the iraqi government"},
		{"is a larger confrence planned", "is a larger conference planned"},
	} {
		typed, meant := ask(tt.typed), ask(tt.meant)
		if first(typed) == "" || first(typed) != first(meant) || typed.Confidence != meant.Confidence {
			t.Errorf("%q: first %q (confidence %.3f); %q: %q (%.3f)", tt.typed, first(typed), typed.Confidence, tt.meant, first(meant), meant.Confidence)
		}
		if typed.Question != tt.typed {
			t.Errorf("the answer echoes %q; want the question as typed, %q", typed.Question, tt.typed)
		}
	}
	// Asked as typed: an English word ("gallery" is one edit from
	// nothing here, "balance" from nothing) and a name no article word is
	// near.
	for _, q := range []string{"what did the gallery say", "what did Obama say"} {
		qa := ix.an.Question(q)
		qy, _, mem, err := ix.query(context.Background(), qa, "")
		if err != nil {
			t.Fatal(err)
		}
		mem.release()
		if text, ok := ix.respell(context.Background(), qa.Text, qa.Content, qy); ok {
			t.Errorf("%q respelled as %q; want it as typed", q, text)
		}
	}
}
