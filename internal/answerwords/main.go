// Command answerwords measures the answer words verbatim marks inside its
// quotes against the gold answers written with an evaluation set: it loads
// a folder of articles, asks each answerable question of a corpus QA file
// that a gold file has words for, and prints, as JSON, how many first
// quotes are a right sentence and how many of those mark the gold words
// exactly, in part, not at all, or other words. docs/quality.md's figures
// for the answer words come from it:
//
//	go run ./internal/answerwords -corpus retrieval/testdata/eval/news17 \
//	    retrieval/testdata/eval/news17-paraphrase.tune.jsonl \
//	    retrieval/testdata/eval/news17-answers.tune.jsonl
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func main() {
	dir := flag.String("corpus", "", "the folder of articles the questions are asked of")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *dir, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "answerwords:", err)
		os.Exit(1)
	}
}

// errUsage reports missing arguments.
var errUsage = errors.New("usage: answerwords -corpus DIR QUESTIONS.jsonl ANSWERS.jsonl")

func run(ctx context.Context, w io.Writer, dir string, files []string) error {
	if dir == "" || len(files) != 2 {
		return errUsage
	}
	c, problems, err := corpus.LoadDir(ctx, dir)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %v", dir, problems)
	}
	set, err := readFile(files[0], retrieval.ReadEvalSet)
	if err != nil {
		return err
	}
	if set.Kind != retrieval.EvalCorpusQA {
		return fmt.Errorf("%s: not a corpus QA file", files[0])
	}
	gold, err := readFile(files[1], retrieval.ReadGoldAnswers)
	if err != nil {
		return err
	}
	ix, err := retrieval.OpenMemory(ctx, c, retrieval.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	t, err := ix.ScoreAnswerWords(ctx, set.QA, gold)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(t)
}

// readFile reads the file name with read.
func readFile[T any](name string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(name)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return v, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}
