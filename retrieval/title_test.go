package retrieval

import (
	"context"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestTitleSpeaksForItsSentences checks the title weight on a real index
// on disk: a sentence that speaks of its story without naming it ("The
// tower") is credited with the question's words its article's title
// holds ("Garrowfield"), so that it comes before the story's opening
// sentence, which names the story and says nothing of what is asked;
// without the weight the opening comes first. The opening weighs the
// story's name it says at the title's weight too. Another story that only
// mentions the same words in passing is credited with nothing.
func TestTitleSpeaksForItsSentences(t *testing.T) {
	ctx := context.Background()
	c := corpus.New(
		article(t, "garrowfield", "Title: Garrowfield water tower to become a family home\n\n"+
			"A couple will turn the disused water tower in Garrowfield into a family home.\n\n"+
			"The concrete tower was painted white by the railway company in 1936.\n\n"+
			"Neighbours on Beacon Road objected to the plans."),
		article(t, "ferry", "Title: Ferry crossing reopens\n\n"+
			"The ferry to the islands sails again from Monday.\n\n"+
			"Passengers used to wave at the tower on the cliff, which was painted red."),
	)
	ix, err := Open(ctx, t.TempDir(), c, answerAll)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if defaultWeights.titled <= 0 {
		t.Fatalf("the shipped title weight is %v; this test is about a positive one", defaultWeights.titled)
	}
	without := defaultWeights
	without.titled = 0
	plain, err := Open(ctx, t.TempDir(), c, Options{MinConfidence: 1e-9, weights: &without})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()

	const question = "what colour is the garrowfield tower painted"
	const right = "The concrete tower was painted white by the railway company in 1936."
	const opening = "A couple will turn the disused water tower in Garrowfield into a family home."
	const passing = "Passengers used to wave at the tower on the cliff, which was painted red."
	scores := func(ix *Index) map[string]float64 {
		a, err := ix.Ask(ctx, Query{Text: question, Top: MaxTop})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, q := range a.Quotes {
			out[q.Text] = q.Score
		}
		for _, want := range []string{right, opening, passing} {
			if _, ok := out[want]; !ok {
				t.Fatalf("%q is not among the quotes of %q", want, question)
			}
		}
		return out
	}
	with, wo := scores(ix), scores(plain)
	if !(with[right] > with[opening]) {
		t.Errorf("with the title weight: %q scores %v, the opening %v; want it first", right, with[right], with[opening])
	}
	if !(wo[opening] > wo[right]) {
		t.Errorf("without the title weight: the opening scores %v, %q %v; want the opening first (the fixture no longer tells them apart)", wo[opening], right, wo[right])
	}
	// The opening says the story's name, which the title holds: with the
	// title weight it weighs it at that weight, as the story's other
	// sentences do (storyNameOnce), and scores less than without.
	if !(with[opening] < wo[opening]) {
		t.Errorf("the opening, which names the story itself, scores %v with the title weight and %v without; want less with it", with[opening], wo[opening])
	}
	if with[passing] != wo[passing] {
		t.Errorf("another story's sentence scores %v with the title weight and %v without; want the same", with[passing], wo[passing])
	}
}

// TestTitledMaskAgreesWithTheTitle checks that the question terms a title
// holds, worked out once for an article's sentences as they are read
// (termPlan.titled, doc.titled), credit a sentence exactly as a search of
// the title for each term does; and that a mask worked out for a question
// with another number of terms is not used.
func TestTitledMaskAgreesWithTheTitle(t *testing.T) {
	docs := []doc{
		{terms: []string{"tower", "paint", "white"}},
		{terms: []string{"garrowfield", "tower", "home"}},
		{terms: []string{"ferri", "sail", "monday"}},
	}
	st := newSetStats(docs)
	title := []string{"becom", "famili", "garrowfield", "home", "tower", "water"}
	for _, tt := range []struct {
		name     string
		terms    []string
		credited bool // some sentence is credited for the title
	}{
		{"one title term lacking", []string{"garrowfield", "tower", "paint"}, true},
		{"two title terms lacking", []string{"garrowfield", "water", "white"}, true},
		{"no title term", []string{"ferri", "sail"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := prepareQuery(tt.terms, nil, st)
			q.wt.titled = 0.25
			groups := make([][]string, len(tt.terms))
			for i, term := range tt.terms {
				groups[i] = []string{term}
			}
			plan := newTermPlan(groups, nil)
			mask := plan.titled(title, titleSignature(title))
			if searched := plan.titled(title, 0); searched != mask {
				t.Errorf("title mask %b with the signature, %b with a search of the title; want the same", mask, searched)
			}
			credited := false
			for _, d := range docs {
				searched, masked := d, d
				searched.title, masked.title = title, title
				masked.titled, masked.titledFor = mask, len(tt.terms)
				a, b := score(q, searched, st.AvgLen(), AllFeatures), score(q, masked, st.AvgLen(), AllFeatures)
				if a.score != b.score {
					t.Errorf("%v: score %v with the mask, %v with a search of the title; want the same", d.terms, b.score, a.score)
				}
				stale := masked
				stale.titled, stale.titledFor = ^uint64(0), len(tt.terms)+1
				if c := score(q, stale, st.AvgLen(), AllFeatures); c.score != a.score {
					t.Errorf("%v: a mask worked out for another question changed the score: %v, want %v", d.terms, c.score, a.score)
				}
				if score(q, d, st.AvgLen(), AllFeatures).score != a.score {
					credited = true
				}
			}
			if credited != tt.credited {
				t.Errorf("a sentence credited for the title: %v; want %v", credited, tt.credited)
			}
		})
	}
}
