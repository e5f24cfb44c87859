package retrieval

import (
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestAlienTerms checks which of a question's terms are read as names
// when it is typed in lower case: the words no English word is, not the
// English words beside them, a possessive, a number or a phrasal verb
// of an irregular verb ("got back", "came out").
func TestAlienTerms(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question string
		want     []string
	}{
		{"who is the quellbridge lifeboat's skipper", []string{"quellbridg"}},
		{"how much did ashcombe's ferry refit cost", []string{"ashcomb"}},
		{"Who is Khalilzad?", []string{"khalilzad"}},
		{"what happened in 2006", nil},
		{"who runs the village bakery", nil},
		{"who found the dog when she got back to dunmarsh", []string{"dunmarsh"}},
		{"which pensioner came out on top at squidgecombe", []string{"squidgecomb"}},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		var got []string
		for i, a := range q.alien {
			if a {
				got = append(got, q.terms[i])
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: alien terms %q; want %q (terms %q)", tt.question, got, tt.want, q.terms)
		}
	}
}

// TestStoryNameChoosesStory checks that a question that names its story
// by a word no English word is (a town typed in lower case) is answered
// from that story, though another story's sentence has two of the
// question's own words and the named story says them otherwise
// ("skipper" and "coxswain"); without the weight (story_name 0) the other
// story's sentence comes first.
func TestStoryNameChoosesStory(t *testing.T) {
	c := corpus.New(
		article(t, "lifeboat", "Title: Quellbridge welcomes new lifeboat\n\n"+
			"A new lifeboat was named at Quellbridge on Saturday.\n"+
			"Coxswain Harriet Vane, 47, will take the helm.\n"+
			"The boat cost £2 million, most of it left in a will."),
		article(t, "ferry", "Title: Ashcombe ferry returns after refit\n\n"+
			"The Ashcombe chain ferry returned to service on Monday.\n"+
			"Skipper Tobias Marr, 61, crewed a lifeboat before he took the ferry.\n"+
			"The refit took four months."),
	)
	const question = "who is the quellbridge lifeboat's skipper"
	right, other := "Coxswain Harriet Vane, 47, will take the helm.", "Skipper Tobias Marr, 61, crewed a lifeboat before he took the ferry."
	if defaultWeights.storyName <= 0 {
		t.Fatalf("story_name is %v; this test is of a weight in use", defaultWeights.storyName)
	}
	without := defaultWeights
	without.storyName = 0
	for _, tt := range []struct {
		name  string
		w     *weightSet
		first string
	}{
		{"with the story's name", nil, right},
		{"without it", &without, other},
	} {
		t.Run(tt.name, func(t *testing.T) {
			texts := askTexts(t, memIndex(t, c, Options{weights: tt.w}), question, 3)
			if len(texts) == 0 || texts[0] != tt.first {
				t.Errorf("first quote of %q: %q; want %q", question, texts, tt.first)
			}
		})
	}
}

// TestDecisionReadsScoresWithoutStory checks that the scores the
// decision reads leave out what the story's name gave: every sentence of
// the named story has it alike, and it says nothing of whether the first
// answers.
func TestDecisionReadsScoresWithoutStory(t *testing.T) {
	ranked := []*candidate{{res: scored{score: 9, story: 4}}, {res: scored{score: 7, story: 4}}, {res: scored{score: 3}}}
	got := appendScores(nil, ranked)
	if want := []float64{5, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("appendScores = %v; want %v", got, want)
	}
}

// TestStoryNameOnce checks which question terms a sentence weighs at no
// more than the title's weight: the story's names its article's title
// holds, only where the title weight and the article feature are on.
func TestStoryNameOnce(t *testing.T) {
	an := newAnalyzer(t)
	q := newQuery(an, an.Question("who fixed the quellbridge harbour clock"), AllFeatures, nil)
	at := func(term string) int {
		i := slices.Index(q.terms, term)
		if i < 0 {
			t.Fatalf("no term %q among %q", term, q.terms)
		}
		return i
	}
	town, clock := at("quellbridg"), at("clock")
	titled := doc{title: []string{"clock", "quellbridg", "restor"}}
	untitled := doc{}
	otherStory := doc{title: []string{"ashcomb", "ferri"}}
	noTitleWeight := q
	noTitleWeight.wt = &weightSet{}
	for _, tt := range []struct {
		name string
		q    *rankQuery
		d    *doc
		i    int
		f    Feature
		want bool
	}{
		{"the town its title holds", &q, &titled, town, AllFeatures, true},
		{"an English word its title holds", &q, &titled, clock, AllFeatures, false},
		{"another story's sentence", &q, &otherStory, town, AllFeatures, false},
		{"a sentence of no title", &q, &untitled, town, AllFeatures, false},
		{"without the article feature", &q, &titled, town, AllFeatures &^ FeatureArticle, false},
		{"without a title weight", &noTitleWeight, &titled, town, AllFeatures, false},
	} {
		if got := tt.q.storyNameOnce(tt.d, tt.i, tt.f); got != tt.want {
			t.Errorf("%s: storyNameOnce = %v; want %v", tt.name, got, tt.want)
		}
	}
}
