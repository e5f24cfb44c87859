package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestFitGivesTheShippedModels runs the fit as `go run ./internal/fit`
// does, into a temporary folder, and checks that it writes the ranking
// weights and the answerability model the repository ships, byte for
// byte: a change of the ranking or of the training data that is not
// refitted fails here, so that the models stay what the command gives.
func TestFitGivesTheShippedModels(t *testing.T) {
	out := t.TempDir()
	root := filepath.Join("..", "..")
	if err := run(context.Background(), io.Discard, filepath.Join(root, "retrieval", "testdata", "eval"), out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"weights.json", "confidence.json"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("the fit wrote no %s: %v", name, err)
		}
		want, err := os.ReadFile(filepath.Join(root, "retrieval", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("go run ./internal/fit writes another %s than retrieval/%s: refit and commit it", name, name)
		}
	}
}

// TestTuningSets reads the tuning halves written after the fit's first
// training data from a folder of them: a summaries file as answer selection, a news
// file asked of its article folder, a paraphrase file with no folder of
// its own asked of the built-in article; the fit's own files and
// held-out halves are left out.
func TestTuningSets(t *testing.T) {
	src := filepath.Join("..", "..", "retrieval", "testdata", "eval")
	dir := t.TempDir()
	copyFile := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(src, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	arts, err := filepath.Glob(filepath.Join(src, "news2", "*"))
	if err != nil || len(arts) == 0 {
		t.Fatalf("no news2 articles: %v", err)
	}
	copyFile(filepath.Join("news2", filepath.Base(arts[0])), filepath.Join("news9", filepath.Base(arts[0])))
	copyFile("news2-paraphrase.tune.jsonl", "news9-paraphrase.tune.jsonl")
	copyFile("seed-paraphrase3.tune.jsonl", "seed-paraphrase9.tune.jsonl")
	copyFile("summaries2.tune.jsonl", "summaries9.tune.jsonl")
	copyFile("news-paraphrase.tune.jsonl", "news-paraphrase.tune.jsonl") // the fit's own
	copyFile("summaries2.heldout.jsonl", "summaries9.heldout.jsonl")     // never read

	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	sets, err := tuningSets(context.Background(), dir, seed)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]heldSet{}
	for _, s := range sets {
		got[s.name] = s
	}
	if len(got) != 3 {
		t.Fatalf("sets %v; want news9-paraphrase, seed-paraphrase9 and summaries9", slices.Collect(maps.Keys(got)))
	}
	if s := got["summaries9"]; len(s.selection) == 0 || len(s.qa) != 0 {
		t.Errorf("summaries9: %d selection questions, %d corpora; want selection only", len(s.selection), len(s.qa))
	}
	builtIn := seed.Articles()[0].ID
	if s := got["news9-paraphrase"]; len(s.qa) != 1 || s.qa[0].Corpus.Len() != 1 || s.qa[0].Corpus.Articles()[0].ID == builtIn {
		t.Errorf("news9-paraphrase is not asked of its one-article folder: %+v", s.qa)
	}
	if s := got["seed-paraphrase9"]; len(s.qa) != 1 || len(s.qa[0].Items) == 0 || s.qa[0].Corpus != seed {
		t.Errorf("seed-paraphrase9 is not asked of the built-in article: %+v", s.qa)
	}
}
