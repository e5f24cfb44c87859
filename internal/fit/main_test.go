package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
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

// TestRankingSets reads named tuning halves from a folder of them: a
// news file asked of its article folder, a paraphrase file with no folder
// of its own asked of the built-in article (the very corpus given), and an
// answer selection file refused.
func TestRankingSets(t *testing.T) {
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

	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sets, err := rankingSets(ctx, dir, []string{"news9-paraphrase.tune.jsonl", "seed-paraphrase9.tune.jsonl"}, seed)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Name != "news9-paraphrase" || sets[1].Name != "seed-paraphrase9" {
		t.Fatalf("sets %+v; want news9-paraphrase and seed-paraphrase9", sets)
	}
	if c := sets[0].Corpus; c.Len() != 1 || c.Articles()[0].ID == seed.Articles()[0].ID {
		t.Errorf("news9-paraphrase is not asked of its one-article folder")
	}
	if sets[1].Corpus != seed || len(sets[1].Items) == 0 {
		t.Errorf("seed-paraphrase9 is not asked of the built-in article given")
	}
	if _, err := rankingSets(ctx, dir, []string{"summaries9.tune.jsonl"}, seed); err == nil {
		t.Error("an answer selection file was read as corpus QA")
	}
}
