package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// heldSet is a tuning half the fit does not read: its questions, asked of
// a corpus (QA) or ranked among their candidates (Selection).
type heldSet struct {
	name      string
	qa        []retrieval.QACorpus
	selection []retrieval.SelectionItem
}

// tuningSets reads every tuning half of dir that is not among fitFiles:
// the sets written after the first training data, to validate on first.
// A corpus QA file "X-paraphrase<...>.tune.jsonl" is asked of the article
// folder X when dir has one, else of seed, the built-in article: the same
// corpus as the fit's other sets on it, so that the fit knows them for
// one (it asks no set's questions of its own article as unanswerable).
func tuningSets(ctx context.Context, dir string, seed *corpus.Corpus) ([]heldSet, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.tune.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []heldSet
	for _, path := range names {
		file := filepath.Base(path)
		if slices.Contains(fitFiles, file) {
			continue
		}
		set, err := readSet(dir, file)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(file, ".tune.jsonl")
		if len(set.Selection) > 0 {
			out = append(out, heldSet{name: name, selection: set.Selection})
			continue
		}
		c := seed
		if folder, _, ok := strings.Cut(name, "-paraphrase"); ok {
			if fi, err := os.Stat(filepath.Join(dir, folder)); err == nil && fi.IsDir() {
				if c, err = loadArticles(ctx, filepath.Join(dir, folder)); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, heldSet{name: name, qa: []retrieval.QACorpus{{Name: name, Corpus: c, Items: set.QA}}})
	}
	return out, nil
}

// crossValidate prints, for each tuning half the fit adds to its first
// training data (tuningSets), what the ranking and the answerability model
// fitted without it make of its questions, beside what the shipped ones
// (which were fitted on it) make of them: the figures of a set no fit has
// seen.
func crossValidate(ctx context.Context, w io.Writer, dir string) error {
	data, names, err := trainingData(ctx, w, dir)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: no tuning half beyond the first training data to leave out", dir)
	}
	res, err := retrieval.CrossValidate(ctx, data, names)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| left out | questions | answerable | first sentence right, shipped | fitted without it | decided rightly, shipped | fitted without it | threshold without it |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	var sum retrieval.FoldResult
	for _, r := range res {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %.4f |\n", r.Name, r.Questions, r.Answerable, r.ShippedFirst, r.FirstRight, r.ShippedDecide, r.Decided, r.Threshold)
		sum.Questions += r.Questions
		sum.Answerable += r.Answerable
		sum.ShippedFirst += r.ShippedFirst
		sum.FirstRight += r.FirstRight
		sum.ShippedDecide += r.ShippedDecide
		sum.Decided += r.Decided
	}
	fmt.Fprintf(w, "| all | %d | %d | %d (%.3f) | %d (%.3f) | %d (%.3f) | %d (%.3f) | |\n", sum.Questions, sum.Answerable,
		sum.ShippedFirst, share(sum.ShippedFirst, sum.Answerable), sum.FirstRight, share(sum.FirstRight, sum.Answerable),
		sum.ShippedDecide, share(sum.ShippedDecide, sum.Questions), sum.Decided, share(sum.Decided, sum.Questions))
	return nil
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
