package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestRun measures the answer words of a one-article folder against a
// gold file and prints the tally as JSON.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	articles := filepath.Join(dir, "articles")
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("articles/mill.txt", "Title: Pellow mill turns again\n\nPellow mill stood idle for 46 years.\n\nVolunteers from the village restored its wheel.\n")
	questions := write("q.jsonl", `{"question": "how long was the pellow mill out of use", "expect": ["stood idle for 46 years"]}
{"question": "who won the cup", "expect": []}
`)
	answers := write("a.jsonl", `{"question": "how long was the pellow mill out of use", "answer": "46 years"}
`)
	var out bytes.Buffer
	if err := run(context.Background(), &out, articles, []string{questions, answers}); err != nil {
		t.Fatal(err)
	}
	var got struct{ Questions, Right, Exact int }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if got.Questions != 1 || got.Right != 1 || got.Exact != 1 {
		t.Errorf("tally %+v; want the one question right, its answer words exact", got)
	}
	for _, args := range [][]string{nil, {questions}} {
		if err := run(context.Background(), &out, articles, args); !errors.Is(err, errUsage) {
			t.Errorf("run(%v) = %v; want the usage", args, err)
		}
	}
	if err := run(context.Background(), &out, articles, []string{answers, answers}); err == nil {
		t.Error("run with gold answers for questions: no error")
	}
}
