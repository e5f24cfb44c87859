package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
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
