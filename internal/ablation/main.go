// Command ablation prints the ablation table of docs/quality.md: the
// answer-selection figures (TrecQA dev and train) and the corpus QA figures
// (the seed article's dev and paraphrase questions) with every ranking
// feature on, with each feature turned off in turn, and for plain BM25.
//
// Run it from the repository root:
//
//	go run ./internal/ablation
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func main() {
	dir := flag.String("dir", filepath.Join("retrieval", "testdata", "eval"), "folder of the evaluation files")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "ablation:", err)
		os.Exit(1)
	}
}

// row is one configuration of the ranking.
type row struct {
	name     string
	features retrieval.Feature
	plain    bool
}

func run(ctx context.Context, w io.Writer, dir string) error {
	read := func(name string) (*retrieval.EvalSet, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return retrieval.ReadEvalSet(f)
	}
	dev, err := read("trecqa-dev.jsonl")
	if err != nil {
		return err
	}
	train, err := read("trecqa-train.jsonl")
	if err != nil {
		return err
	}
	seed, err := read("seed-questions.dev.jsonl")
	if err != nil {
		return err
	}
	para, err := read("seed-questions.paraphrase.jsonl")
	if err != nil {
		return err
	}
	an, err := retrieval.NewAnalyzer()
	if err != nil {
		return err
	}
	c, err := corpus.Default()
	if err != nil {
		return err
	}

	rows := []row{{name: "all features", features: retrieval.AllFeatures}}
	for _, n := range retrieval.FeatureNames() {
		f, _ := retrieval.FeatureNamed(n)
		rows = append(rows, row{name: "without " + n, features: retrieval.AllFeatures &^ f})
	}
	rows = append(rows, row{name: "plain BM25", plain: true})

	fmt.Fprintln(w, "| ranking | dev MAP | dev MRR | dev P@1 | train MAP | train MRR | train P@1 | seed p@1 | seed na | seed fna | para p@1 | para na | para fna |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		d := retrieval.EvaluateSelection(an, dev.Selection, r.features, r.plain)
		t := retrieval.EvaluateSelection(an, train.Selection, r.features, r.plain)
		ix, err := retrieval.OpenMemory(ctx, c, retrieval.Options{Features: r.features, PlainBM25: r.plain})
		if err != nil {
			return err
		}
		s, err := ix.EvaluateQA(ctx, seed.QA, r.plain)
		if err == nil {
			var p retrieval.Metrics
			p, err = ix.EvaluateQA(ctx, para.QA, r.plain)
			cells := []string{r.name,
				f(d.MAP), f(d.MRR), f(d.PAt1), f(t.MAP), f(t.MRR), f(t.PAt1),
				f(s.PAt1), f(s.NoAnswerAccuracy), f(s.FalseNoAnswerRate),
				f(p.PAt1), f(p.NoAnswerAccuracy), f(p.FalseNoAnswerRate)}
			fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
		}
		ix.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func f(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.4f", *v)
}
