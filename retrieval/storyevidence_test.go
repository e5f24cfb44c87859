package retrieval

import (
	"context"
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// confInput returns the answer's input named name to the answerability
// model.
func confInput(tb testing.TB, a *Answer, name string) float64 {
	tb.Helper()
	i := slices.Index(confFeatureNames, name)
	if i < 0 || i >= len(a.evidence) {
		tb.Fatalf("no input %q in %v", name, a.evidence)
	}
	return a.evidence[i]
}

// TestStoryEvidence checks the inputs that tell the words naming a story
// from what a sentence says past them: a question that names the story
// by its title's words and asks what the article does not say is
// answered, if at all, by a sentence that holds little beyond the
// story's name.
func TestStoryEvidence(t *testing.T) {
	ix := memIndex(t, corpus.New(
		article(t, "hedgehogs", "Title: Mossgarth hedgehog hospital opens a new ward\n\n"+
			"A hedgehog hospital in Mossgarth has opened a new ward after supporters raised £18,000.\n\n"+
			"The hospital was founded in 2016 by retired nurse Janet Hollowood in her garage.\n\n"+
			"The ward holds 40 heated pens and a small operating table.\n"),
		article(t, "bakery", "Title: Ravensholt bakery wins sourdough award\n\n"+
			"A Ravensholt bakery has won a national award for its sourdough loaf.\n"),
	), Options{MinConfidence: 1e-9})
	ask := func(q string) *Answer {
		a, err := ix.Ask(context.Background(), Query{Text: q, Top: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Quotes) == 0 {
			t.Fatalf("%q: no quote", q)
		}
		return a
	}
	for _, tt := range []struct {
		q, first          string
		story, lead, slot float64 // -1: any
	}{
		// The opening sentence: "mossgarth" and "hedgehog" name the
		// story (the title holds them), "ward" is in the title too.
		{"how many pens does the mossgarth hedgehog ward hold", "40 heated pens", 1, 0, 1},
		{"what did the mossgarth hedgehog hospital open", "has opened a new ward", 1, 1, 0},
		// "founded" is said past the story's name.
		{"when was the mossgarth hedgehog hospital founded", "founded in 2016", -1, 0, 1},
	} {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(tt.q)
			if !containsAny(a.Quotes[0].Text, []string{tt.first}) {
				t.Fatalf("first quote %q; want the one with %q", a.Quotes[0].Text, tt.first)
			}
			story, beyond := confInput(t, a, "story"), confInput(t, a, "beyond")
			if story <= 0 || story+beyond > 1+1e-9 {
				t.Errorf("story %v, beyond %v; want story above 0 and the two at most 1", story, beyond)
			}
			if tt.story >= 0 && story < 0.5 {
				t.Errorf("story %v; want most of the question (its title words)", story)
			}
			if got := confInput(t, a, "lead"); got != tt.lead {
				t.Errorf("lead = %v; want %v", got, tt.lead)
			}
			if tt.slot >= 0 {
				if got := confInput(t, a, "slot"); got != tt.slot {
					t.Errorf("slot = %v; want %v", got, tt.slot)
				}
			}
		})
	}
	// "founded" is no title word: the sentence says it past the story's
	// name, and the story's name is less of the question.
	founded := ask("when was the mossgarth hedgehog hospital founded")
	opened := ask("what did the mossgarth hedgehog hospital open")
	if b := confInput(t, founded, "beyond"); b <= 0 {
		t.Errorf("beyond = %v for a sentence that holds \"founded\"; want above 0", b)
	}
	if s, o := confInput(t, founded, "story"), confInput(t, opened, "story"); s >= o {
		t.Errorf("story %v for the question with a word past the title, %v for the one all title; want less", s, o)
	}
	// A question that names no story of the articles.
	off := ask("when did the ravensholt council vote on parking")
	if got := confInput(t, off, "story"); got > 0.5 {
		t.Errorf("story = %v for a question on no article's story; want at most half", got)
	}
	if got := confInput(t, off, "slot_q"); got != 1 {
		t.Errorf("slot_q = %v for a \"when\" question; want 1", got)
	}
}
