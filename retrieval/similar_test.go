package retrieval

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestSimilarWordsAreTheLoosestBridge checks the "e" lines (words used
// alike, by word vectors): they bridge both ways, and any of WordNet's
// relations of the same pair wins over them, whichever line comes first.
func TestSimilarWordsAreTheLoosestBridge(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		name, text string
		want       bridgeKind
	}{
		{"alone", "e noticed spotted\n", bridgeSimilar},
		{"a synonym after", "e noticed spotted\ns notice spot\n", bridgeSynonym},
		{"a synonym before", "s notice spot\ne noticed spotted\n", bridgeSynonym},
		{"a related pair after", "e noticed spotted\nr notice spot\n", bridgeRelated},
		{"a related pair before", "r notice spot\ne noticed spotted\n", bridgeRelated},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(tt.text))
			zw.Close()
			lx, err := parseLexicon(an, buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			notice, spot := lexiconTerm(an, "noticed"), lexiconTerm(an, "spotted")
			for _, pair := range [][2]string{{notice, spot}, {spot, notice}} {
				got := lx.rel[pair[0]]
				if len(got) != 1 || got[0].term != pair[1] || got[0].kind != tt.want {
					t.Errorf("bridges of %q = %v; want %q of kind %d", pair[0], got, pair[1], tt.want)
				}
			}
		})
	}
}

// TestCommonAlikeWordsDropped checks that a word used alike that too
// many sentences hold is no bridge (its match says next to nothing, and
// reading it was most of a question's time on a large collection), while
// one fewer sentences hold still is.
func TestCommonAlikeWordsDropped(t *testing.T) {
	an := newAnalyzer(t)
	began := lexiconTerm(an, "began")
	q := newQuery(an, an.Question("when was the run started"), AllFeatures, nil)
	alike := false
	for _, bs := range q.bridges {
		for _, b := range bs {
			alike = alike || b.term == began && b.kind == bridgeSimilar
		}
	}
	if !alike {
		t.Fatalf("%q is not a word used alike of \"started\" in the lexicon; the test needs another pair", began)
	}
	for _, tt := range []struct {
		holding int // of 10,000 sentences
		kept    bool
	}{{5, true}, {similarMin, true}, {similarMin + 1, false}, {5000, false}} {
		docs := make([]doc, 10000)
		for i := range docs {
			docs[i].terms = []string{"run"}
			if i < tt.holding {
				docs[i].terms = append(docs[i].terms, began)
			}
		}
		st := newSetStats(docs)
		q := prepareQueryWith(an, an.Question("when was the run started"), st, AllFeatures, nil)
		kept := false
		for _, bs := range q.bridges {
			for _, b := range bs {
				kept = kept || b.term == began
			}
		}
		if kept != tt.kept {
			t.Errorf("%q held by %d of %d sentences: a bridge %v; want %v", began, tt.holding, len(docs), kept, tt.kept)
		}
	}
}

// TestSimilarWordsFindTheAnswer checks words used alike on a real index
// on disk: "who sentenced the thief" is answered by the sentence that
// says who "jailed" him, which shares no word with the question, first
// with the bridge and not without it (the story's title holds "thief":
// every sentence of it is credited alike for it); and the bridge weighs
// less than the word itself.
func TestSimilarWordsFindTheAnswer(t *testing.T) {
	ctx := context.Background()
	story := func(verb string) *corpus.Corpus {
		return corpus.New(article(t, "chapel", "Title: Chapel lead thief spared prison\n\n"+
			"Lead was stripped from the roof of a Victorian chapel in Harrowdyke in March.\n\n"+
			"Judge Rosalind Fairbairn "+verb+" Shane Corless for ten months, suspended for two years.\n\n"+
			"Volunteers have since raised £4,000 to repair the roof."))
	}
	if defaultWeights.bridge[bridgeSimilar] <= 0 {
		t.Fatalf("the shipped weight of words used alike is %v; this test is about a positive one", defaultWeights.bridge[bridgeSimilar])
	}
	const question = "who sentenced the thief"
	ask := func(c *corpus.Corpus, f Feature) (first string, right float64) {
		ix, err := Open(ctx, t.TempDir(), c, Options{MinConfidence: 1e-9, Features: f})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		a, err := ix.Ask(ctx, Query{Text: question, Top: MaxTop})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Quotes) == 0 {
			return "", 0
		}
		for _, q := range a.Quotes {
			if strings.HasPrefix(q.Text, "Judge") {
				right = q.Score
			}
		}
		return a.Quotes[0].Text, right
	}
	jailed := story("jailed")
	first, bridged := ask(jailed, AllFeatures)
	if !strings.HasPrefix(first, "Judge") {
		t.Errorf("with words used alike: first %q; want the judge's sentence", first)
	}
	if first, _ := ask(jailed, AllFeatures&^FeatureSimilar); strings.HasPrefix(first, "Judge") {
		t.Errorf("without words used alike the judge's sentence is still first; the fixture no longer needs the bridge")
	}
	if _, own := ask(story("sentenced"), AllFeatures); !(own > bridged) {
		t.Errorf("the judge's sentence scores %v with the question's own word, %v with a word used alike; want more with its own", own, bridged)
	}
}
