package retrieval

import (
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestNameGroups checks which of a question's terms are read as one
// person's name: words side by side that are no English word, only the
// last possessive; not a name beside an English word, a town before
// another name it owns, nor names apart.
func TestNameGroups(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question string
		want     [][]string // the terms of each name, in order
	}{
		{"what did osric pennyfeather mistake the animal for", [][]string{{"osric", "pennyfeath"}}},
		{"what did niamh okwuosa's grandfather do for a living", [][]string{{"niamh", "okwuosa"}}},
		{"What did Zalmay Khalilzad say?", [][]string{{"zalmai", "khalilzad"}}},
		{"what did josé álvarez say about the café", [][]string{{"jose", "alvarez"}}},
		{"who is the beryl nankivell who walked to the lighthouses", nil},
		{"where did the thrupley oak stand", nil},
		{"who coached quernsby's osric", nil},
		{"did osric meet pennyfeather", nil},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		var got [][]string
		for g := 0; ; g++ {
			var name []string
			for i, x := range q.nameGroup {
				if x == g {
					name = append(name, q.terms[i])
				}
			}
			if name == nil {
				break
			}
			got = append(got, name)
		}
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("%q: names %q; want %q (terms %q)", tt.question, got, tt.want, q.terms)
		}
	}
}

// TestNamePartAnswers checks on an index that a sentence that names a
// person in part ("Rufus, who wants ...") speaks for the whole name the
// question gives: it comes before the story's opening, which gives the
// name in full and says nothing of what is asked; without the feature
// (aliases) the opening comes first.
func TestNamePartAnswers(t *testing.T) {
	c := corpus.New(
		article(t, "crossing", "Title: Dunthorpe boy wins zebra crossing\n\n"+
			"Ten-year-old Rufus Oyelaran of Dunthorpe has won a zebra crossing outside his school after writing 52 letters to the council.\n"+
			"The crossing was opened on Friday by the mayor.\n"+
			"Rufus, who wants to be an engineer, said his next campaign would be for a bike shed."),
	)
	const question = "what does rufus oyelaran want to be"
	const right = "Rufus, who wants to be an engineer, said his next campaign would be for a bike shed."
	const opening = "Ten-year-old Rufus Oyelaran of Dunthorpe has won a zebra crossing outside his school after writing 52 letters to the council."
	for _, tt := range []struct {
		name  string
		f     Feature
		first string
	}{
		{"with name parts", AllFeatures, right},
		{"without aliases", AllFeatures &^ FeatureAliases, opening},
	} {
		t.Run(tt.name, func(t *testing.T) {
			texts := askTexts(t, memIndex(t, c, Options{Features: tt.f, MinConfidence: 1e-9}), question, 3)
			if len(texts) == 0 || texts[0] != tt.first {
				t.Errorf("first quote of %q: %q; want %q", question, texts, tt.first)
			}
		})
	}
}
