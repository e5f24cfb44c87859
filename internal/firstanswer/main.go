// Command firstanswer measures a bot's start at any corpus size: it opens
// the index in a data folder as it is (retrieval.OpenAsIs, as a bot does
// at start, before it looks at the corpus folder), reads the process's
// resident memory, asks one question, and prints how long each step took
// and the memory before and after. docs/performance.md's start-up figures
// at 100,000 articles come from it, run in a new process each time:
//
//	go build -o firstanswer ./internal/firstanswer
//	/usr/bin/time -f %e ./firstanswer -data "$DIR" -- "Where do Rhodes scholars study?"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

func main() {
	data := flag.String("data", "", "the data folder holding the index")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *data, strings.Join(flag.Args(), " ")); err != nil {
		fmt.Fprintln(os.Stderr, "firstanswer:", err)
		os.Exit(1)
	}
}

// errUsage reports a missing data folder or question.
var errUsage = errors.New("usage: firstanswer -data DIR -- QUESTION")

func run(ctx context.Context, w io.Writer, data, question string) error {
	if data == "" || strings.TrimSpace(question) == "" {
		return errUsage
	}
	m, err := measure(ctx, data, question)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, m)
	return err
}
