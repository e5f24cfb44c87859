package main

import (
	"slices"
	"testing"
)

// TestNearest checks the nearest others of unit vectors: at most
// similarityTop, nearest first, none below similarityMin, never itself.
func TestNearest(t *testing.T) {
	vecs := [][]float32{
		unit([]float64{1, 0, 0}),
		unit([]float64{0.9, 0.1, 0}),   // near 0
		unit([]float64{0.8, 0.3, 0}),   // nearer 1 than 0
		unit([]float64{0, 0, 1}),       // near nothing
		unit([]float64{0.95, 0.05, 0}), // nearest 0, then 1
	}
	got := nearest(vecs)
	want := [][]int{{4, 1, 2}, {4, 0, 2}, {1, 4, 0}, {}, {0, 1, 2}}
	for i := range vecs {
		if len(got[i]) > similarityTop || !slices.Equal(got[i], want[i][:min(len(want[i]), similarityTop)]) {
			t.Errorf("nearest of %d = %v; want %v", i, got[i], want[i])
		}
	}
}

// TestCommonWord checks which words of the vectors may be related: the
// inflections of a lemma WordNet writes in lower case and its tagged
// corpus saw, by its detachment rules and exception lists; not names,
// nor words it never saw.
func TestCommonWord(t *testing.T) {
	wn := &wordnet{
		syn: map[string]*synset{
			"v:1": {words: []string{"spot", "notice"}},
			"v:2": {words: []string{"dig"}},
			"n:3": {words: []string{"Atlanta"}},
			"n:4": {words: []string{"city"}},
			"n:5": {words: []string{"zymurgy"}},
		},
		tagged: map[string]int{"v:spot": 3, "v:notice": 9, "v:dig": 4, "n:atlanta": 2, "n:city": 40},
	}
	exc := map[string][]string{"v:dug": {"dig"}}
	lower := wn.lowerLemmas()
	for _, tt := range []struct {
		w    string
		want bool
	}{
		{"spotted", true}, {"noticed", true}, {"notices", true}, {"dug", true},
		{"cities", true}, {"city", true},
		{"atlanta", false}, {"zymurgy", false}, {"spotz", false},
	} {
		if got := wn.commonWord(tt.w, exc, lower); got != tt.want {
			t.Errorf("commonWord(%q) = %v; want %v", tt.w, got, tt.want)
		}
	}
}
