// Command confidencefit fits the answerability model that decides when
// verbatim answers and when it says no sentence answers
// (retrieval/confidence.json), and prints the precision-recall curve its
// threshold was chosen from, for docs/quality.md. The fit is
// deterministic: the same data give the same file.
//
// Run it from the repository root:
//
//	go run ./internal/confidencefit
//
// It trains on the TrecQA train split (answer selection: each question's
// candidates, the same with the right ones removed, and another question's
// candidates), the seed article's development questions, and the tuning
// half of the news paraphrase set over its articles (with each corpus's
// answerable questions also asked of the other corpus, where nothing
// answers them). It never reads the held-out sets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func main() {
	dir := flag.String("dir", filepath.Join("retrieval", "testdata", "eval"), "folder of the evaluation files")
	out := flag.String("o", filepath.Join("retrieval", "confidence.json"), "where to write the model")
	precision := flag.Float64("precision", 0.8, "the precision on the training examples the threshold is chosen for")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *dir, *out, *precision); err != nil {
		fmt.Fprintln(os.Stderr, "confidencefit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, dir, out string, precision float64) error {
	read := func(name string) (*retrieval.EvalSet, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		set, err := retrieval.ReadEvalSet(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return set, nil
	}
	train, err := read("trecqa-train.jsonl")
	if err != nil {
		return err
	}
	seedQs, err := read("seed-questions.dev.jsonl")
	if err != nil {
		return err
	}
	seed, err := corpus.Default()
	if err != nil {
		return err
	}
	data := retrieval.ConfidenceData{
		Selection: train.Selection,
		Corpora:   []retrieval.QACorpus{{Name: "seed dev", Corpus: seed, Items: seedQs.QA}},
	}
	news, err := read("news-paraphrase.tune.jsonl")
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintln(w, "(no news-paraphrase.tune.jsonl: fitting without it)")
	case err != nil:
		return err
	default:
		c, problems, err := corpus.LoadDir(ctx, filepath.Join(dir, "news"))
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return fmt.Errorf("news articles: %v", problems)
		}
		data.Corpora = append(data.Corpora, retrieval.QACorpus{Name: "news tune", Corpus: c, Items: news.QA})
	}
	fit, err := retrieval.FitConfidence(ctx, data, precision)
	if err != nil {
		return err
	}
	b, err := fit.JSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: threshold %.4f, precision %.3f, recall %.3f on the training examples\n\n", out, fit.Threshold, fit.Precision, fit.Recall)
	fmt.Fprintln(w, "| source | examples |\n|---|---:|")
	for _, src := range sortedKeys(fit.Examples) {
		fmt.Fprintf(w, "| %s | %d |\n", src, fit.Examples[src])
	}
	fmt.Fprintf(w, "\n%d of them right at rank 1.\n\n", fit.Positive)
	fmt.Fprintln(w, "| threshold | precision | recall | answered |\n|---:|---:|---:|---:|")
	for _, p := range fit.Curve {
		fmt.Fprintf(w, "| %.2f | %.3f | %.3f | %.3f |\n", p.Threshold, p.Precision, p.Recall, p.Answered)
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
