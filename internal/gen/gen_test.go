package gen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func realSentences(tb testing.TB) []string {
	tb.Helper()
	qs, err := ReadTrecQAFile(filepath.Join("..", "..", "retrieval", "testdata", "eval", "trecqa-dev.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	return Sentences(qs)
}

func TestDeterministic(t *testing.T) {
	real := realSentences(t)
	a, b := New(1, real), New(1, real)
	for _, i := range []int{0, 1, 999, 54321} {
		if x, y := a.Article(i), b.Article(i); !bytes.Equal(x, y) {
			t.Errorf("Article(%d) differs between two generators of seed 1", i)
		}
	}
	if bytes.Equal(New(2, real).Article(0), a.Article(0)) {
		t.Error("seeds 1 and 2 make the same article 0")
	}
	if bytes.Equal(a.Article(0), a.Article(1)) {
		t.Error("articles 0 and 1 are the same")
	}
}

func TestShape(t *testing.T) {
	g := New(1, realSentences(t))
	words, real := 0, 0
	const n = 100
	for i := range n {
		text := string(g.Article(i))
		_, body, ok := strings.Cut(text, "\n\n")
		if !ok || !strings.HasPrefix(text, "Title: ") {
			t.Fatalf("article %d has no header block:\n%s", i, text)
		}
		for _, p := range strings.Split(strings.TrimSpace(body), "\n\n") {
			words += len(strings.Fields(p))
		}
		if real == 0 {
			for _, s := range g.real {
				if strings.Contains(body, s) {
					real++
					break
				}
			}
		}
	}
	if per := float64(words) / n; per < 450 || per > 1000 {
		t.Errorf("%.0f words per article; want about 30 sentences of about 22 words", per)
	}
	if real == 0 {
		t.Error("no real sentence in 100 articles")
	}
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	g := New(3, nil)
	if err := g.WriteDir(context.Background(), dir, 1002); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "001", ID(1001)+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, g.Article(1001)) {
		t.Errorf("file of article 1001 is not Article(1001)")
	}
}

func TestDetokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"`` We will go , '' he said .", `"We will go," he said.`},
		{"Prices rose <num> % -LRB- in <num> -RRB- .", "Prices rose 12% (in 12)."},
		{"It is n't the U.S. 's fault .", "It isn't the U.S.'s fault."},
	}
	for _, tt := range tests {
		if got := Detokenize(tt.in); got != tt.want {
			t.Errorf("Detokenize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
