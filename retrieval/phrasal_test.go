package retrieval

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestPhrasalTerms checks the terms the analysis adds for phrasal verbs:
// for a verb and its particle side by side (or an object pronoun between
// them), in any inflection, and not for a verb followed by a preposition
// or for words that only look like one.
func TestPhrasalTerms(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		text string
		want []string // phrasal terms, in order
	}{
		{"Washington broke off ties with Iran.", []string{"break_off"}},
		{"They will break off the talks.", []string{"break_off"}},
		{"The club called it off because of snow.", []string{"call_off"}},
		{"Residents set up a fund and carried out repairs.", []string{"set_up", "carri_out"}},
		{"The minister stepped down on Friday.", []string{"step_down"}},
		{"The council turned them down.", []string{"turn_down"}},
		{"Walkers turned back at the ridge.", []string{"turn_back"}},
		{"He lives in Paris and works on farms.", nil},
		{"A back office and an out-of-town shop.", nil},
		{"Off the record, up to a point.", nil},
	} {
		var got []string
		for _, term := range an.Terms(tt.text) {
			if isPhrasalTerm(term) {
				got = append(got, term)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q): phrasal %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestPhrasalQuestionTerms checks that a question's phrasal verb stands
// for its verb and particle: the verb and a particle that is not a stop
// word are not terms of their own.
func TestPhrasalQuestionTerms(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question string
		want     []string
	}{
		{"Who broke off ties with Iran?", []string{"break_off", "tie", "iran"}},
		{"Why did the walkers turn back?", []string{"walker", "turn_back"}},
		{"Who broke the window?", []string{"broke", "window"}},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		if !slices.Equal(q.terms, tt.want) {
			t.Errorf("%q: terms %q, want %q", tt.question, q.terms, tt.want)
		}
	}
}

// TestPhrasalBridges checks that the lexicon relates phrasal verbs to the
// single words WordNet puts beside them, by the terms the analysis gives.
func TestPhrasalBridges(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct{ phrase, word string }{
		{"break off", "discontinue"},
		{"set up", "establish"},
		{"turn down", "reject"},
		{"call off", "cancel"},
		{"carry out", "execute"},
		{"step down", "resign"},
	} {
		p, w := an.Terms(tt.phrase), an.Terms(tt.word)
		i := slices.IndexFunc(p, isPhrasalTerm)
		if i < 0 || len(w) != 1 {
			t.Errorf("%q: terms %q, %q: no phrasal term or not one word", tt.phrase, p, w)
			continue
		}
		if !slices.ContainsFunc(an.lex.rel[p[i]], func(b bridge) bool { return b.term == w[0] }) {
			t.Errorf("%s has no bridge to %s (%s)", p[i], w[0], tt.word)
		}
	}
}

// TestPhrasalAnswers asks, of an index on disk, questions that say in one
// word what a sentence says with a phrasal verb, and the other way round:
// that sentence is the first quote, above a shorter one that shares every
// other word of the question.
func TestPhrasalAnswers(t *testing.T) {
	c := corpus.New(article(t, "match", "Title: Rovers match\n\n"+
		"Harbour Rovers called off the Kelby match on Saturday because of heavy snow. "+
		"Harbour Rovers said the Kelby match was sold out.\n\n"+
		"The chairman, Tom Reid, stepped down on Friday after twelve years at the club. "+
		"The chairman, Tom Reid, spoke on Friday.\n\n"+
		"Local fans established the supporters' trust in 2019 after years of campaigning. "+
		"The supporters' trust met in the club bar."))
	ix, err := Open(context.Background(), t.TempDir(), c, Options{MinConfidence: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tt := range []struct{ question, want string }{
		{"Did Harbour Rovers cancel the Kelby match?", "called off the Kelby match"},
		{"Did the chairman resign on Friday?", "stepped down on Friday"},
		{"Who set up the supporters' trust?", "established the supporters' trust"},
	} {
		a, err := ix.Ask(context.Background(), Query{Text: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, tt.want) {
			var got []string
			for _, q := range a.Quotes {
				got = append(got, q.Text)
			}
			t.Errorf("%q: quotes %q, want first the one with %q", tt.question, got, tt.want)
		}
	}
}

// BenchmarkReadPhrasalVerbs measures reading the phrasal verbs from the
// lexicon, which every process does once before its first answer.
func BenchmarkReadPhrasalVerbs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if t := readPhrasalVerbs(lexiconData); len(t.keys) == 0 {
			b.Fatal("no phrasal verb read")
		}
	}
}
