package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"testing"
)

// TestLexiconTermsAsAnalysed holds lexiconTerm's short way for plain
// lower-case words to the analyser's answer, on every word of the
// lexicon: the two must give the same term, or the bridges would join
// terms that no sentence is indexed under.
func TestLexiconTermsAsAnalysed(t *testing.T) {
	an, err := NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(lexiconData))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	plain := 0
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f := appendFields(nil, sc.Bytes())
		if len(f) < 2 || string(f[0]) == "t" || string(f[0]) == "h" || string(f[0]) == "p" {
			continue // lower-cased words, not terms
		}
		for _, b := range f[1:] {
			w := string(b)
			if seen[w] {
				continue
			}
			seen[w] = true
			if plainLower(w) {
				plain++
			}
			if got, want := lexiconTerm(an, w), analysedTerm(an, w); got != want {
				t.Errorf("lexiconTerm(%q) = %q, the analyser gives %q", w, got, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// A floor, so that the test cannot pass by looking at nothing.
	if plain < 10000 {
		t.Errorf("%d plain words checked, want at least 10,000", plain)
	}
	for _, w := range []string{"the", "will", "said", "running", "United_States", "Iran"} {
		if got, want := lexiconTerm(an, w), analysedTerm(an, w); got != want {
			t.Errorf("lexiconTerm(%q) = %q, the analyser gives %q", w, got, want)
		}
	}
}

// BenchmarkParseLexicon is the lexicon's share of a process's start-up:
// it is parsed once per process, before the first answer.
func BenchmarkParseLexicon(b *testing.B) {
	an, err := NewAnalyzer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLexicon(an, lexiconData); err != nil {
			b.Fatal(err)
		}
	}
}
