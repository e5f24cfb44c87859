package main

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// TestRunMeasuresAStart builds an index of the built-in article on disk,
// then measures a start on it as the command does: the question is
// answered, and every figure is printed.
func TestRunMeasuresAStart(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Open(ctx, data, seed, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(ctx, &out, data, "Who is the US ambassador to Iraq?"); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^open-ms [0-9.]+ ask-ms [0-9.]+ total-ms [0-9.]+ rss-before-kb -?[0-9]+ rss-after-kb -?[0-9]+ quotes ([0-9]+) no-answer (true|false)\n$`)
	m := re.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output %q; want the measure's line", out.String())
	}
	if m[1] == "0" || m[2] != "false" {
		t.Errorf("output %q; want the question answered", out.String())
	}
}

func TestRunRefusesBadUse(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name, data, question string
		usage                bool
	}{
		{"no data folder", "", "who?", true},
		{"no question", t.TempDir(), "  ", true},
		{"no folder there", missing, "who?", false},
		{"no index there", t.TempDir(), "who?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), &out, tt.data, tt.question)
			if err == nil {
				t.Fatalf("run = nil, output %q; want an error", out.String())
			}
			if got := errors.Is(err, errUsage); got != tt.usage {
				t.Errorf("run = %v; usage error %t, want %t", err, got, tt.usage)
			}
			if out.Len() != 0 {
				t.Errorf("output %q on error; want none", out.String())
			}
		})
	}
}
