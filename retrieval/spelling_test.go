package retrieval

import (
	"slices"
	"testing"
)

// TestAmericanSpellings checks the American spellings a British word is
// read as where the lexicon lacks it, and that a word with no British
// ending gets none.
func TestAmericanSpellings(t *testing.T) {
	for _, tt := range []struct {
		w    string
		want []string
	}{
		{"organisation", []string{"organization"}},
		{"organisations", []string{"organizations"}},
		{"colour", []string{"color"}},
		{"theatre", []string{"theater"}},
		{"catalogue", []string{"catalog"}},
		{"defence", []string{"defense"}},
		{"councillor", []string{"councilor"}},
		{"jewellers", []string{"jewelers"}},
		{"analyse", []string{"analyze"}},
		{"city", nil},
	} {
		if got := americanSpellings(tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("americanSpellings(%q) = %q; want %q", tt.w, got, tt.want)
		}
	}
}
