package retrieval

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The functions on a question's way that work in reused memory, rather
// than in strings and slices made for each word, are held here to the
// plain ways they replaced, on every word of the evaluation data.

// testWords returns the distinct words, as written, of the files of
// testdata/eval (held-out halves aside) and some words of edge cases.
func testWords(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	word := regexp.MustCompile(`[\p{L}\p{N}'’-]+`)
	err := filepath.WalkDir(filepath.Join("testdata", "eval"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".heldout.jsonl") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, w := range word.FindAllString(string(data), -1) {
			seen[w] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"", "a", "ie", "ied", "ies", "skiing", "tying", "eyed", "hopped", "hoping", "dyes", "xes",
		"Café", "naïve", "ÆTHER", "İstanbul", "straße", "ΣΟΦΟΣ", "日本", "x\xffy"} {
		seen[w] = true
	}
	return slices.Sorted(func(yield func(string) bool) {
		for w := range seen {
			if !yield(w) {
				return
			}
		}
	})
}

// inflectionsPlain is appendInflections as it was, one string each.
func inflectionsPlain(w string) []string {
	n := len(w)
	if n < 3 || strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) {
		return nil
	}
	bases := []string{w}
	switch {
	case strings.HasSuffix(w, "ied"), strings.HasSuffix(w, "ies"):
		bases = append(bases, w[:n-3]+"y", w[:n-1])
	case strings.HasSuffix(w, "ed"):
		bases = append(bases, w[:n-2], w[:n-1])
		if n > 4 && w[n-3] == w[n-4] {
			bases = append(bases, w[:n-3])
		}
	case strings.HasSuffix(w, "ing") && n > 4:
		bases = append(bases, w[:n-3], w[:n-3]+"e")
		if n > 5 && w[n-4] == w[n-5] {
			bases = append(bases, w[:n-4])
		}
	case strings.HasSuffix(w, "es"):
		bases = append(bases, w[:n-2], w[:n-1])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		bases = append(bases, w[:n-1])
	}
	out := slices.Clone(bases[1:])
	for _, b := range bases {
		switch {
		case strings.HasSuffix(b, "ie"):
			out = append(out, b+"d", b[:len(b)-2]+"ying", b+"s")
		case strings.HasSuffix(b, "e"):
			out = append(out, b+"d", b[:len(b)-1]+"ing", b+"s")
		case strings.HasSuffix(b, "y"):
			out = append(out, b[:len(b)-1]+"ied", b[:len(b)-1]+"ies", b+"ing", b+"s")
		default:
			out = append(out, b+"ed", b+"ing", b+"s", b+"es")
		}
	}
	return out
}

func TestInflectionsAsPlain(t *testing.T) {
	var buf []byte
	for _, w := range testWords(t) {
		for _, w := range []string{w, strings.ToLower(w)} {
			buf = appendInflections(buf[:0], w)
			got := strings.Fields(string(buf))
			if want := inflectionsPlain(w); !slices.Equal(got, want) {
				t.Errorf("appendInflections(%q) = %q; want %q", w, got, want)
			}
		}
	}
}

func TestStemmerAsStemOf(t *testing.T) {
	var s stemmer
	for _, w := range testWords(t) {
		for _, w := range []string{w, strings.ToLower(w), foldWord(w)} {
			if got, want := string(s.stemString(w)), stemOf(w); got != want {
				t.Errorf("stemmer: %q stems to %q; stemOf: %q", w, got, want)
			}
		}
	}
}
