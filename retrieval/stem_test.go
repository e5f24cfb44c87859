package retrieval

import (
	"slices"
	"testing"
)

func TestStemShortIE(t *testing.T) {
	for _, tt := range []struct {
		words []string
		want  string
	}{
		{[]string{"pie", "pies", "Pies", "pied"}, "pie"},
		{[]string{"tie", "ties", "tied", "tying"}, "tie"},
		{[]string{"lie", "lies", "lied", "lying"}, "lie"},
		{[]string{"die", "dies", "died", "dying"}, "die"},
		// Names and longer words keep Porter's stems.
		{[]string{"Li"}, "li"},
		{[]string{"Pi"}, "pi"},
		{[]string{"movie", "movies"}, "movi"},
		{[]string{"cries", "cried"}, "cri"},
		{[]string{"eyes"}, "ey"},
	} {
		for _, w := range tt.words {
			if got := stemOf(w); got != tt.want {
				t.Errorf("stemOf(%q) = %q, want %q", w, got, tt.want)
			}
			var s stemmer
			if got := string(s.stemString(w)); got != tt.want {
				t.Errorf("stemmer.stemString(%q) = %q, want %q", w, got, tt.want)
			}
		}
	}
}

// TestStemShortIEIndexed checks that the index's terms and a question's
// agree on the short "-ie" words: a sentence's plural matches a question's
// singular and a bridge to it.
func TestStemShortIEIndexed(t *testing.T) {
	an := newAnalyzer(t)
	if got, want := an.Terms("Custard pies were tied"), []string{"custard", "pie", "tie"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	// "tart" is used like "pie": the bridge's term must be the one a
	// sentence's "pies" is indexed under.
	cands := []Candidate{{Text: "The baker made 1,200 buns."}, {Text: "The baker made 1,200 pies."}}
	if got := RankCandidates(an, "How many tarts did the baker make?", cands, AllFeatures, false); got[0] != 1 {
		t.Errorf("first = %q; want the pies", cands[got[0]].Text)
	}
}
