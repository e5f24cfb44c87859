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

// validationSets reads every tuning half of dir that the fit does not
// train on. A corpus QA file "X-paraphrase<...>.tune.jsonl" is asked of
// the article folder X when dir has one, else of the built-in article.
func validationSets(ctx context.Context, dir string) ([]heldSet, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.tune.jsonl"))
	if err != nil {
		return nil, err
	}
	seed, err := corpus.Default()
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

// crossValidate prints, for each tuning half the fit does not read, how
// many of its questions the answerability model decides rightly as it is
// fitted now, and as it would be fitted with every other such half added
// to its training data (leave one set out): whether more of the data
// written for validation would make a better model, measured on data
// neither model saw.
func crossValidate(ctx context.Context, w io.Writer, dir string) error {
	data, err := trainingData(ctx, w, dir)
	if err != nil {
		return err
	}
	held, err := validationSets(ctx, dir)
	if err != nil {
		return err
	}
	if len(held) < 2 {
		return fmt.Errorf("%s: cross-validation needs two tuning halves the fit does not read, found %d", dir, len(held))
	}
	now, err := retrieval.FitConfidence(ctx, data)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| left out | questions | right, fitted as now | right, fitted with the others | threshold |\n|---|---:|---:|---:|---:|")
	var sumNow, sumFold, sumN int
	for k, h := range held {
		fold := data
		fold.Calibration = slices.Clone(data.Calibration)
		fold.CalibrationSelection = slices.Clone(data.CalibrationSelection)
		for j, o := range held {
			if j != k {
				fold.Calibration = append(fold.Calibration, o.qa...)
				fold.CalibrationSelection = append(fold.CalibrationSelection, o.selection...)
			}
		}
		fit, err := retrieval.FitConfidence(ctx, fold)
		if err != nil {
			return fmt.Errorf("without %s: %w", h.name, err)
		}
		rNow, n, err := now.Decisions(ctx, h.qa, h.selection)
		if err != nil {
			return err
		}
		rFold, _, err := fit.Decisions(ctx, h.qa, h.selection)
		if err != nil {
			return err
		}
		sumNow, sumFold, sumN = sumNow+rNow, sumFold+rFold, sumN+n
		fmt.Fprintf(w, "| %s | %d | %d (%.3f) | %d (%.3f) | %.4f → %.4f |\n", h.name, n, rNow, share(rNow, n), rFold, share(rFold, n), now.Threshold, fit.Threshold)
	}
	fmt.Fprintf(w, "| all | %d | %d (%.3f) | %d (%.3f) | |\n", sumN, sumNow, share(sumNow, sumN), sumFold, share(sumFold, sumN))
	return nil
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
