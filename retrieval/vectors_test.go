package retrieval

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestVectors checks the shipped word vectors: they parse, hold common
// words, and put words used alike nearer than words that are not.
func TestVectors(t *testing.T) {
	wv, ok := parseVectors(vectorsBin)
	if !ok {
		t.Fatal("vectors.bin does not parse")
	}
	if len(wv.inv) < 20000 || wv.dims < 50 {
		t.Fatalf("%d words of %d dimensions; want the common words' vectors", len(wv.inv), wv.dims)
	}
	id := func(w string) int32 {
		t.Helper()
		i := wv.id(w)
		if i < 0 {
			t.Fatalf("no vector for %q", w)
		}
		return i
	}
	if wv.id("zalmy") >= 0 {
		t.Error("a name has a vector; the vectors are of common words only")
	}
	for _, tt := range []struct{ w, near, far string }{
		{"vehicles", "cars", "poems"},
		{"commerce", "trade", "banana"},
	} {
		near, far := wv.cosine(id(tt.w), id(tt.near)), wv.cosine(id(tt.w), id(tt.far))
		if !(near > 0.6 && far < near-0.3) {
			t.Errorf("cosine(%s, %s) = %.2f, cosine(%s, %s) = %.2f; want the first high, the second far lower", tt.w, tt.near, near, tt.w, tt.far, far)
		}
		if c := wv.cosine(id(tt.w), id(tt.w)); c < 0.99 || c > 1.01 {
			t.Errorf("cosine(%s, %s) = %v; want 1", tt.w, tt.w, c)
		}
	}
	// One word of no letters at the very end: no vector follows.
	empty := []byte("VBV1\x01\x00\x00\x00\x01\x00\x00\x00\x00")
	for _, bad := range [][]byte{nil, []byte("VBV1"), empty, vectorsBin[:len(vectorsBin)-1], append([]byte("XXXX"), vectorsBin[4:]...)} {
		if _, ok := parseVectors(bad); ok {
			t.Errorf("parseVectors accepted %d bytes of a damaged file", len(bad))
		}
	}
}

// TestSoftEvidence checks the answerability model's soft input: a
// sentence that says the question's words otherwise ("supporters" for
// "crowd") has a share of them, more than one that holds the word, a
// name counts for nothing, and with FeatureSoft off the input is 0.
func TestSoftEvidence(t *testing.T) {
	ctx := context.Background()
	c := corpus.New(article(t, "concert", "Title: Lowbeck concert raises money for hospice\n\n"+
		"Singers from Lowbeck raised £3,000 for the town's hospice on Saturday, its organisers said.\n\n"+
		"About 600 supporters filled the hall, and many stayed to dance.\n\n"+
		"The crowd filled the hall.\n"))
	soft := func(f Feature, question, first string) float64 {
		t.Helper()
		ix := memIndex(t, c, Options{MinConfidence: 1e-9, Features: f})
		q := newQuery(ix.an, ix.an.Question(question), f, nil)
		st, err := ix.stats(append(slices.Clip(q.terms), q.bridgeTerms()...))
		if err != nil {
			t.Fatal(err)
		}
		q.setStats(st)
		d := ix.an.prepare(first)
		return q.softShare(&d)
	}
	const question = "how big was the crowd at the lowbeck concert"
	said := soft(AllFeatures, question, "About 600 supporters filled the hall, and many stayed to dance.")
	held := soft(AllFeatures, question, "The crowd filled the hall.")
	if !(said > 0.05 && said <= 1) {
		t.Errorf("soft share of the supporters' sentence = %v; want a share of the question", said)
	}
	if !(said > held+0.05) {
		// "big" is said otherwise in both; "crowd" only in the first.
		t.Errorf("soft share of the supporters' sentence %v, of one that holds \"crowd\" %v; want the first clearly more", said, held)
	}
	if got := soft(AllFeatures&^FeatureSoft, question, "About 600 supporters filled the hall, and many stayed to dance."); got != 0 {
		t.Errorf("soft share with FeatureSoft off = %v; want 0", got)
	}
	if got := soft(AllFeatures, "who is Lowbeck", "About 600 supporters filled the hall."); got != 0 {
		t.Errorf("soft share of a question of a name alone = %v; want 0", got)
	}

	// Through Ask, the input the model reads is the first quote's.
	ix := memIndex(t, c, Options{MinConfidence: 1e-9})
	a, err := ix.Ask(ctx, Query{Text: "how many supporters filled the hall", Top: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Quotes) == 0 || !strings.HasPrefix(a.Quotes[0].Text, "About 600") {
		t.Fatalf("quotes %v; want the supporters' sentence first", a.Quotes)
	}
	if got := confInput(t, a, "soft"); got != 0 {
		t.Errorf("soft input of a first quote that holds every word = %v; want 0", got)
	}
}
