package retrieval

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"os"
	"reflect"
	"testing"
)

// bareAnalyzer is the text field's analysis without the lexicon, which
// compiling the lexicon runs on its words: the lexicon cannot be needed to
// make itself.
func bareAnalyzer(tb testing.TB) *Analyzer {
	tb.Helper()
	im, err := newMapping()
	if err != nil {
		tb.Fatal(err)
	}
	return &Analyzer{text: im.AnalyzerNamed(analyzerText)}
}

// lexiconChecksum names a lexicon text's contents: the compiled lexicon
// carries its text's, which names it in analysisVersion.
func lexiconChecksum(text []byte) uint32 { return crc32.ChecksumIEEE(text) }

// compileLexicon compiles lexicon text as lexicon.bin holds it.
func compileLexicon(tb testing.TB, text []byte) ([]byte, *phrasalTable) {
	tb.Helper()
	pt := readPhrasalVerbs(text)
	lx, err := parseLexicon(bareAnalyzer(tb), text)
	if err != nil {
		tb.Fatal(err)
	}
	return encodeLexicon(lx, pt, lexiconChecksum(text)), pt
}

// TestCompiledLexiconCurrent holds lexicon.bin to what this code compiles
// from lexicon.txt.gz; with -update it writes lexicon.bin (go generate
// runs it). The analysis of the lexicon's words runs the phrasal verbs'
// filter, which reads the compiled table: when the table itself changed,
// the first run writes it and asks for a second.
func TestCompiledLexiconCurrent(t *testing.T) {
	got, pt := compileLexicon(t, lexiconData)
	if string(got) == lexiconBin {
		return
	}
	if !*update {
		t.Fatalf("lexicon.bin (%d bytes) is not what lexicon.txt.gz compiles to (%d bytes); run go generate ./retrieval", len(lexiconBin), len(got))
	}
	if err := os.WriteFile("lexicon.bin", got, 0o644); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pt, phrasalVerbs()) {
		t.Fatal("lexicon.bin written with new phrasal verbs, its words analysed with the old: run again")
	}
}

// TestCompiledLexiconRoundTrip checks that decoding the compiled lexicon
// gives back, entry for entry, what parsing its text gives, and names the
// text's checksum in the index's version: an index analysed with another
// lexicon is another version and rebuilt (TestOpenOtherVersionIsRebuilt).
func TestCompiledLexiconRoundTrip(t *testing.T) {
	lx, err := parseLexicon(bareAnalyzer(t), lexiconData)
	if err != nil {
		t.Fatal(err)
	}
	c, err := decodeLexicon(lexiconBin)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.lex, lx) {
		t.Error("the decoded lexicon differs from the parsed text")
	}
	if want := readPhrasalVerbs(lexiconData); !reflect.DeepEqual(c.phrasal, want) {
		t.Errorf("decoded %d phrasal verbs, %d particles; the text has %d, %d", len(c.phrasal.keys), len(c.phrasal.particles), len(want.keys), len(want.particles))
	}
	// Floors, so that the test cannot pass on an empty lexicon.
	if len(lx.rel) < 10_000 || len(lx.freq) < 10_000 || len(lx.lemmaEnds) < 50_000 || len(c.phrasal.keys) < 100 {
		t.Errorf("%d related terms, %d frequencies, %d lemmas, %d phrasal verbs: too few", len(lx.rel), len(lx.freq), len(lx.lemmaEnds), len(c.phrasal.keys))
	}
	sum := lexiconChecksum(lexiconData)
	if got := lexiconSourceSum(lexiconBin); got != sum {
		t.Errorf("compiled from text %08x; the text is %08x", got, sum)
	}
}

// smallLexicon is a lexicon of a few lines of each kind, compiled.
func smallLexicon(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("i said say\nv colour color\ns break_off discontinue\nd discover discovery\nk kill die\nr trip journey\n" +
		"a Iran Iranian Persia\nc Tehran Iran\np Leeds\nt person leader\nh blue color\nf hold 360\nw blue\nw hold\n"))
	zw.Close()
	bin, _ := compileLexicon(tb, buf.Bytes())
	return bin
}

// TestDecodeLexiconDamaged checks that a compiled lexicon cut short or
// with a byte changed anywhere gives an error or a lexicon, never a
// panic: it is embedded and tested, but its reader should not trust it
// blindly.
func TestDecodeLexiconDamaged(t *testing.T) {
	bin := smallLexicon(t)
	c, err := decodeLexicon(string(bin))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.lex.rel["discoveri"]) != 1 || c.lex.freq["hold"] != 360 || !c.lex.places["leeds"] || !c.phrasal.keys["break_off"] {
		t.Fatalf("small lexicon decoded as %+v, phrasal %+v", c.lex, c.phrasal)
	}
	failed := 0
	for n := range len(bin) {
		if _, err := decodeLexicon(string(bin[:n])); err == nil {
			t.Errorf("decoding the first %d of %d bytes: no error", n, len(bin))
		}
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(bin)
			b[n] ^= flip
			if _, err := decodeLexicon(string(b)); err != nil {
				failed++
			}
		}
	}
	if failed == 0 {
		t.Error("no changed byte gave an error")
	}
	if _, err := decodeLexicon(string(bin) + "x"); err == nil {
		t.Error("a byte after the end: no error")
	}
}

// TestDecodeLexiconUnknownKind checks that a bridge of a kind the ranking
// has no weight for is an error when decoded, not an index past the
// weights when a question is asked.
func TestDecodeLexiconUnknownKind(t *testing.T) {
	c, err := decodeLexicon(string(smallLexicon(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []bridgeKind{bridgeSimilar, bridgeKinds} {
		c.lex.rel["trip"] = []bridge{{term: "journei", kind: k}}
		_, err := decodeLexicon(string(encodeLexicon(c.lex, c.phrasal, 0)))
		if got, want := err != nil, k >= bridgeKinds; got != want {
			t.Errorf("a bridge of kind %d: error %v; want an error %v", k, err, want)
		}
	}
}

// BenchmarkDecodeLexicon is the lexicon's share of a process's start-up:
// decoded once per process, before the first answer.
func BenchmarkDecodeLexicon(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeLexicon(lexiconBin); err != nil {
			b.Fatal(err)
		}
	}
}
