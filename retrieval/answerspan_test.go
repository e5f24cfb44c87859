package retrieval

import (
	"context"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/verbatim-bot/verbatim/corpus"
)

func TestAnswerSpan(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9})
	for _, tt := range []struct {
		question, want string
	}{
		{"When did Washington break off ties with Iran?", "1979"},
		{"Who is the US ambassador to Iraq?", "Zalmy Khalilzad"},
		// The question's "the" is in every part of the sentence: only
		// the words it asks about place the answer.
		{"Who is the US ambassador?", "Zalmy Khalilzad"},
		{"who is the ambassador", "Zalmy Khalilzad"},
		{"WHO IS THE US AMBASSADOR TO IRAQ", "Zalmy Khalilzad"},
		{"Why did Washington break off ties with Iran?", "after militants occupied the US Embassy in Tehran in the wake of the 1979 Islamic Revolution"},
		{"Where do Iraqi officials want the next meeting to take place?", "Baghdad"},
		{"When will the expanded follow-up meeting be held?", "next month"},
		{"How many years have Washington and Tehran had no diplomatic relations?", "28"},
		// Who a named person is: the role the sentence gives them, typed
		// as it may be.
		{"Who is Zalmy Khalilzad?", "US ambassador to Iraq"},
		{"who is zebari", "Iraq's foreign minister"},
		// What someone called a thing, or how they described it: the
		// words they are quoted using.
		{"What did Khalilzad call the talks?", "first step"},
		{"How did Khalilzad describe the contacts?", "constructive and businesslike and problem-solving"},
		// Questions that ask for no slot get no answer words.
		{"What did the delegates propose?", ""},
	} {
		t.Run(tt.question, func(t *testing.T) {
			a, err := ix.Ask(context.Background(), Query{Text: tt.question, Top: 1})
			if err != nil || len(a.Quotes) == 0 {
				t.Fatalf("Ask = %+v, %v", a, err)
			}
			q := a.Quotes[0]
			if q.Answer != tt.want {
				t.Errorf("answer in %q = %q; want %q", q.Text, q.Answer, tt.want)
			}
			if q.Answer != "" && q.Text[q.AnswerSpan.Start:q.AnswerSpan.End] != q.Answer {
				t.Errorf("span %v of %q is not the answer %q", q.AnswerSpan, q.Text, q.Answer)
			}
		})
	}
}

// TestAnswerSpanInsideQuote checks, over every question of the seed sets
// and every quote and suggestion, that the answer is part of the quoted
// text at its span, whole words, and that the quote is untouched.
func TestAnswerSpanInsideQuote(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9})
	texts := map[string]bool{}
	for _, p := range seedCorpus(t).Articles()[0].Paragraphs {
		for _, s := range p.Sentences {
			texts[s.Text] = true
		}
	}
	answers := 0
	for _, file := range []string{"seed-questions.dev.jsonl", "seed-questions.paraphrase.jsonl"} {
		for _, it := range readEval(t, file).QA {
			a, err := ix.Ask(context.Background(), Query{Text: it.Question, Top: MaxTop})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range append(a.Quotes, a.Suggestions...) {
				if !texts[q.Text] {
					t.Errorf("%q: quote %q is not a sentence of the article", it.Question, q.Text)
				}
				if q.Answer == "" {
					continue
				}
				answers++
				sp := q.AnswerSpan
				if sp.Start < 0 || sp.End > len(q.Text) || sp.Start >= sp.End || q.Text[sp.Start:sp.End] != q.Answer {
					t.Errorf("%q: answer %q at %v is not in %q", it.Question, q.Answer, sp, q.Text)
					continue
				}
				before, _ := utf8.DecodeLastRuneInString(q.Text[:sp.Start])
				after, _ := utf8.DecodeRuneInString(q.Text[sp.End:])
				if unicode.IsLetter(before) || unicode.IsDigit(before) || unicode.IsLetter(after) || unicode.IsDigit(after) {
					t.Errorf("%q: answer %q cuts a word of %q", it.Question, q.Answer, q.Text)
				}
			}
		}
	}
	if answers < 20 {
		t.Errorf("%d quotes carry an answer; want at least 20", answers)
	}
}

// TestAnswerSpanOfTimes checks where a time's answer words end: a date's
// commas keep it whole, a time of day goes with its day, and a comma
// before other words ends it.
func TestAnswerSpanOfTimes(t *testing.T) {
	for _, tt := range []struct {
		sentence, question, want string
	}{
		{"The ferry service resumed on Wednesday morning, nine days after a storm.", "When did the ferry service resume?", "Wednesday morning"},
		{"The bridge reopened on Tuesday, March 4, 2008, after repairs.", "When did the bridge reopen?", "Tuesday, March 4, 2008"},
		{"The talks resume next month in Istanbul.", "When do the talks resume?", "next month"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			c := corpus.New(article(t, "a", "Title: Story\n\n"+tt.sentence+"\nVolunteers filled sandbags through the night."))
			a, err := memIndex(t, c, Options{MinConfidence: 1e-9}).Ask(context.Background(), Query{Text: tt.question, Top: 1})
			if err != nil || len(a.Quotes) == 0 {
				t.Fatalf("Ask = %+v, %v", a, err)
			}
			if got := a.Quotes[0].Answer; got != tt.want {
				t.Errorf("answer in %q = %q; want %q", a.Quotes[0].Text, got, tt.want)
			}
		})
	}
}
