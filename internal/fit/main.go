// Command fit learns the ranking's weights (retrieval/weights.json) and
// then the answerability model that decides when verbatim answers and
// when it says no sentence answers (retrieval/confidence.json), and prints
// what it fitted on, the figures before and after, and the
// precision-recall curve the threshold was chosen from, for
// docs/quality.md. The fit is deterministic: the same data give the same
// files.
//
// Run it from the repository root, then rebuild:
//
//	go run ./internal/fit
//
// It trains on the TrecQA train split (answer selection: each question's
// candidates; for the answerability model also the same with the right
// ones removed, and another question's candidates), the seed article's
// development and paraphrase questions, the tuning half of the news
// paraphrase set over its articles; the ranking's weights also on the
// later corpus QA tuning halves named in rankingFiles (more paraphrases of
// the seed article, more news sets over their articles), and the answerability
// model on the tuning halves of the second paraphrase set on the seed
// article and of the first hand-written encyclopedia summaries (answer
// selection), and on the later tuning halves' own questions, each asked
// of its own articles only. For the answerability model the first
// corpora's answerable questions are also asked of the other corpora,
// where nothing answers them. The ranking's objective
// weighs answer selection, the sets on one article and the sets on a
// folder of articles alike, however many sets each kind has. A change of
// a ranking weight is kept only if it does not lower MAP on the TrecQA dev
// split. It never reads a held-out half.
//
// With -crossval it writes nothing and measures instead what the fit
// makes of questions it has not seen: each of rankingFiles is left out in
// turn, the weights and the answerability model fitted without it, and its
// questions scored with them (first sentence right, the decision aside;
// decided rightly), beside the shipped models' figures on it, which are
// training figures. Left out one at a time, a set is one of dozens and
// the weights, fitted from the shipped ones, seldom move: -crossval
// judges the decision out of sample, the ranking in sample. With -holdout
// the named halves are left out together, the weights move, and a change
// of the ranking is judged on them: fit with and without the change, and
// compare the two "fitted without it" columns.
//
//	go run ./internal/fit -crossval
//	go run ./internal/fit -holdout news19-paraphrase,news20-paraphrase
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func main() {
	dir := flag.String("dir", filepath.Join("retrieval", "testdata", "eval"), "folder of the evaluation files")
	out := flag.String("o", "retrieval", "the folder to write weights.json and confidence.json to")
	crossval := flag.Bool("crossval", false, "write nothing: leave each later tuning half out in turn, fit without it, and print what the fitted models make of it")
	holdout := flag.String("holdout", "", "write nothing: leave these later tuning halves out together (comma-separated, as -crossval names them: news19-paraphrase,news20-paraphrase), fit without them, and print what the fitted models make of each")
	flag.Parse()
	do := run
	switch {
	case *crossval && *holdout != "":
		fmt.Fprintln(os.Stderr, "fit: -crossval and -holdout measure differently; give one")
		os.Exit(2)
	case *crossval:
		do = func(ctx context.Context, w io.Writer, dir, _ string) error { return crossValidate(ctx, w, dir) }
	case *holdout != "":
		names := strings.Split(*holdout, ",")
		do = func(ctx context.Context, w io.Writer, dir, _ string) error { return holdOut(ctx, w, dir, names) }
	}
	if err := do(context.Background(), os.Stdout, *dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

// readSet reads the evaluation file name of dir.
func readSet(dir, name string) (*retrieval.EvalSet, error) {
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

// fitFiles are the evaluation files the fit was first trained on; the
// later ones it trains on are rankingFiles. Every other tuning half is
// left to validate on.
var fitFiles = []string{
	"trecqa-train.jsonl", "trecqa-dev.jsonl", "seed-questions.dev.jsonl", "seed-questions.paraphrase.jsonl",
	"seed-paraphrase2.tune.jsonl", "summaries.tune.jsonl", "news-paraphrase.tune.jsonl",
}

// trainingData reads what the fit trains on from dir.
func trainingData(ctx context.Context, w io.Writer, dir string) (data retrieval.TrainingData, err error) {
	files := map[string]*retrieval.EvalSet{}
	for _, name := range fitFiles {
		set, err := readSet(dir, name)
		switch {
		case errors.Is(err, os.ErrNotExist) && name == "news-paraphrase.tune.jsonl":
			fmt.Fprintln(w, "(no news-paraphrase.tune.jsonl: fitting without it)")
		case err != nil:
			return data, err
		}
		files[name] = set
	}
	seed, err := corpus.Default()
	if err != nil {
		return data, err
	}
	data = retrieval.TrainingData{
		Selection: files["trecqa-train.jsonl"].Selection,
		Dev:       files["trecqa-dev.jsonl"].Selection,
		Corpora: []retrieval.QACorpus{{Name: "seed", Corpus: seed,
			Items: append(files["seed-questions.dev.jsonl"].QA, files["seed-questions.paraphrase.jsonl"].QA...)}},
		// Written to measure the decision; the answerability model only.
		CalibrationSelection: files["summaries.tune.jsonl"].Selection,
		Calibration:          []retrieval.QACorpus{{Name: "seed, second paraphrase set", Corpus: seed, Items: files["seed-paraphrase2.tune.jsonl"].QA}},
	}
	if news := files["news-paraphrase.tune.jsonl"]; news != nil {
		c, err := loadArticles(ctx, filepath.Join(dir, "news"))
		if err != nil {
			return data, err
		}
		data.Corpora = append(data.Corpora, retrieval.QACorpus{Name: "news tune", Corpus: c, Items: news.QA})
	}
	data.Ranking, err = rankingSets(ctx, dir, rankingFiles, seed)
	return data, err
}

// loadArticles loads a folder of articles, all of which must load.
func loadArticles(ctx context.Context, dir string) (*corpus.Corpus, error) {
	c, problems, err := corpus.LoadDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %v", dir, problems)
	}
	return c, nil
}

func run(ctx context.Context, w io.Writer, dir, out string) error {
	data, err := trainingData(ctx, w, dir)
	if err != nil {
		return err
	}
	wf, err := retrieval.FitWeights(ctx, data)
	if err != nil {
		return err
	}
	b, err := wf.JSON()
	if err != nil {
		return err
	}
	weights := filepath.Join(out, "weights.json")
	if err := os.WriteFile(weights, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: objective %.4f -> %.4f (TrecQA dev MAP %.4f -> %.4f)\n", weights, wf.Before, wf.After, wf.DevBefore, wf.DevAfter)
	for _, name := range slices.Sorted(maps.Keys(wf.Sets)) {
		fmt.Fprintf(w, "  %s: %.4f\n", name, wf.Sets[name])
	}
	fmt.Fprintln(w)
	// The answerability model is fitted on the ranking it will judge,
	// so the new weights must be in force: they are read when the
	// package starts, so fit them in a second run.
	if !retrieval.WeightsInForce(b) {
		fmt.Fprintln(w, "the weights changed: run the command again to fit the answerability model on them")
		return nil
	}
	fit, err := retrieval.FitConfidence(ctx, data)
	if err != nil {
		return err
	}
	b, err = fit.JSON()
	if err != nil {
		return err
	}
	conf := filepath.Join(out, "confidence.json")
	if err := os.WriteFile(conf, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s: threshold %.4f (the lowest with precision %.2f); on the training examples balanced accuracy (answerable and unanswerable alike) %.3f, precision %.3f, recall %.3f\n\n",
		conf, fit.Threshold, retrieval.TargetPrecision, fit.Accuracy, fit.Precision, fit.Recall)
	fmt.Fprintln(w, "| source | examples |\n|---|---:|")
	for _, src := range slices.Sorted(maps.Keys(fit.Examples)) {
		fmt.Fprintf(w, "| %s | %d |\n", src, fit.Examples[src])
	}
	fmt.Fprintf(w, "\n%d of them right at rank 1.\n\n", fit.Positive)
	fmt.Fprintln(w, "| threshold | precision | recall | answered |\n|---:|---:|---:|---:|")
	for _, p := range fit.Curve {
		fmt.Fprintf(w, "| %.2f | %.3f | %.3f | %.3f |\n", p.Threshold, p.Precision, p.Recall, p.Answered)
	}
	return nil
}
