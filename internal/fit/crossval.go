package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// rankingFiles are the corpus QA tuning halves written after the fit's
// first training data: validated on first, and since the sixth pass of
// round three trained on by the ranking's weights (-crossval leaves each
// out); the seventh to twelfth sets since the thirteenth stop, and the
// thirteenth to fifteenth on the seed article and the thirteenth to
// twenty-second news sets since the twentieth, the twenty-third to
// twenty-fifth since the twenty-second, the twenty-sixth and
// twenty-seventh since the twenty-third, the twenty-eighth since the
// twenty-fifth, the twenty-ninth since the twenty-sixth, the thirtieth
// since the twenty-seventh, the thirty-first since the twenty-eighth, the
// thirty-second since the twenty-ninth, the thirty-third since the
// thirtieth, the thirty-fourth since the thirty-first, the thirty-fifth
// since the thirty-second, the thirty-eighth since the thirty-third, the
// thirty-ninth since the thirty-fourth, the forty-first since the
// thirty-fifth. A set written later stays out of
// every fit until it has served as validation (its held-out half scored);
// it joins by being named here.
var rankingFiles = []string{
	"seed-paraphrase3.tune.jsonl", "seed-paraphrase4.tune.jsonl", "seed-paraphrase5.tune.jsonl", "seed-paraphrase6.tune.jsonl",
	"news2-paraphrase.tune.jsonl", "news3-paraphrase.tune.jsonl", "news4-paraphrase.tune.jsonl", "news5-paraphrase.tune.jsonl",
	"news6-paraphrase.tune.jsonl",
	"seed-paraphrase7.tune.jsonl", "seed-paraphrase8.tune.jsonl", "seed-paraphrase9.tune.jsonl", "seed-paraphrase10.tune.jsonl",
	"seed-paraphrase11.tune.jsonl", "seed-paraphrase12.tune.jsonl",
	"news7-paraphrase.tune.jsonl", "news8-paraphrase.tune.jsonl", "news9-paraphrase.tune.jsonl", "news10-paraphrase.tune.jsonl",
	"news11-paraphrase.tune.jsonl", "news12-paraphrase.tune.jsonl",
	"seed-paraphrase13.tune.jsonl", "seed-paraphrase14.tune.jsonl", "seed-paraphrase15.tune.jsonl",
	"news13-paraphrase.tune.jsonl", "news14-paraphrase.tune.jsonl", "news15-paraphrase.tune.jsonl", "news16-paraphrase.tune.jsonl",
	"news17-paraphrase.tune.jsonl", "news18-paraphrase.tune.jsonl", "news19-paraphrase.tune.jsonl", "news20-paraphrase.tune.jsonl",
	"news21-paraphrase.tune.jsonl", "news22-paraphrase.tune.jsonl",
	"news23-paraphrase.tune.jsonl", "news24-paraphrase.tune.jsonl", "news25-paraphrase.tune.jsonl", "news26-paraphrase.tune.jsonl",
	"news27-paraphrase.tune.jsonl", "news28-paraphrase.tune.jsonl", "news29-paraphrase.tune.jsonl",
	"news30-paraphrase.tune.jsonl", "news31-paraphrase.tune.jsonl", "news32-paraphrase.tune.jsonl",
	"news33-paraphrase.tune.jsonl", "news34-paraphrase.tune.jsonl", "news35-paraphrase.tune.jsonl",
	"news38-paraphrase.tune.jsonl", "news39-paraphrase.tune.jsonl", "news41-paraphrase.tune.jsonl",
}

// rankingSets reads the corpus QA files of dir named in files, each as a
// set named for its file. A file "X-paraphrase<...>.tune.jsonl" is asked
// of the article folder X when dir has one, else of seed, the built-in
// article: the same corpus as the fit's other sets on it, so that the fit
// knows them for one (it asks no set's questions of its own article as
// unanswerable).
func rankingSets(ctx context.Context, dir string, files []string, seed *corpus.Corpus) ([]retrieval.QACorpus, error) {
	var out []retrieval.QACorpus
	for _, file := range files {
		set, err := readSet(dir, file)
		if err != nil {
			return nil, err
		}
		if len(set.Selection) > 0 || len(set.QA) == 0 {
			return nil, fmt.Errorf("%s: not a corpus QA file", file)
		}
		name := strings.TrimSuffix(file, ".tune.jsonl")
		c := seed
		if folder, _, ok := strings.Cut(name, "-paraphrase"); ok {
			if fi, err := os.Stat(filepath.Join(dir, folder)); err == nil && fi.IsDir() {
				if c, err = loadArticles(ctx, filepath.Join(dir, folder)); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, retrieval.QACorpus{Name: name, Corpus: c, Items: set.QA})
	}
	return out, nil
}

// crossValidate prints, for each tuning half the fit adds to its first
// training data (rankingFiles), what the ranking and the answerability model
// fitted without it make of its questions, beside what the shipped ones
// (which were fitted on it) make of them: the figures of a set no fit has
// seen.
func crossValidate(ctx context.Context, w io.Writer, dir string) error {
	data, err := trainingData(ctx, w, dir)
	if err != nil {
		return err
	}
	var names []string
	for _, qc := range data.Ranking {
		names = append(names, qc.Name)
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: no tuning half beyond the first training data to leave out", dir)
	}
	res, err := retrieval.CrossValidate(ctx, data, names)
	if err != nil {
		return err
	}
	printFolds(w, res)
	return nil
}

// holdOut prints what the ranking and the answerability model fitted
// without the tuning halves named in names (as -crossval names them:
// "news19-paraphrase"), left out together, make of each of them, beside
// the shipped models.
func holdOut(ctx context.Context, w io.Writer, dir string, names []string) error {
	data, err := trainingData(ctx, w, dir)
	if err != nil {
		return err
	}
	res, err := retrieval.HoldOut(ctx, data, names)
	if err != nil {
		return err
	}
	printFolds(w, res)
	return nil
}

// printFolds prints the figures of the sets left out, a row each and
// their sum.
func printFolds(w io.Writer, res []retrieval.FoldResult) {
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
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
