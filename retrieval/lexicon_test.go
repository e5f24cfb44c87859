package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // lexicon.txt.gz
	"testing"
)

// lexiconData is the lexicon's text, which lexicon.bin is compiled from
// (lexiconbin_test.go): a process reads only the compiled form.
//
//go:embed lexicon.txt.gz
var lexiconData []byte

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

// BenchmarkParseLexicon is what compiling the lexicon spares a start:
// a process parsed the text once, before its first answer, until
// lexicon.bin (BenchmarkDecodeLexicon).
func BenchmarkParseLexicon(b *testing.B) {
	an := bareAnalyzer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLexicon(an, lexiconData); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseLexiconShortLines checks that lines with too few fields are
// skipped, not a panic: the lexicon is generated, but its parser should
// not trust it blindly.
func TestParseLexiconShortLines(t *testing.T) {
	an := newAnalyzer(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("f\nf word\ni said\nd a\ns x\nc Tehran\na\np\nt person\nh blue\nv colour\nf hold 3\ni held hold\n"))
	zw.Close()
	lx, err := parseLexicon(an, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if lx.freq["held"] != 3 || lx.freq["hold"] != 3 {
		t.Errorf("freq held %d, hold %d; want 3 and 3 (the whole lines still read)", lx.freq["held"], lx.freq["hold"])
	}
}

// TestEnglishWord tells English words, inflected or not, from typing
// slips and names.
func TestEnglishWord(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		w    string
		want bool
	}{
		{"gallery", true}, {"longest", true}, {"suing", true}, {"closest", true}, {"dockers", true},
		{"stopped", true}, {"biggest", true}, {"cities", true}, {"coworkers", true}, {"anybody", true},
		{"went", true}, {"leeds", true},
		{"ambasador", false}, {"goverment", false}, {"zebary", false}, {"desalinaton", false},
	} {
		ts := an.Terms(tt.w)
		term := tt.w
		if len(ts) == 1 {
			term = ts[0]
		}
		if got := an.lex.english(tt.w, term); got != tt.want {
			t.Errorf("english(%q) = %v; want %v", tt.w, got, tt.want)
		}
	}
}
