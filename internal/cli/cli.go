// Package cli is verbatim's command line: one function per subcommand,
// each parsing its flags, building the pieces it needs from the settings,
// and printing results to stdout (text, or JSON with --json) and problems
// to stderr.
//
// # Exit status
//
// 0 on success (a no_answer and an empty lookup are successes), 1 on a
// runtime failure, 2 on a usage or configuration error. [ExitCode] maps an
// error returned by [Run] to its status.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/verbatim-bot/verbatim/internal/config"
)

// UsageError is a mistake in how a command was called: exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// errReported is returned when the command has already told the user
// what went wrong (flag errors, --help); nothing more is printed.
type errReported struct{ code int }

func (e errReported) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// ExitCode returns the exit status for err and writes its message to
// stderr, unless the command already did.
func ExitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var rep errReported
	if errors.As(err, &rep) {
		return rep.code
	}
	fmt.Fprintln(stderr, "verbatim:", err)
	var ue *UsageError
	var ce *config.Error
	if errors.As(err, &ue) || errors.As(err, &ce) {
		return 2
	}
	return 1
}

// Env is what a command gets from its surroundings.
type Env struct {
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "connect to Discord and serve (the default)", runBot},
		{"ask", "answer a question by quoting the articles", runAsk},
		{"lookup", "list the sentences that contain a term", runLookup},
		{"digest", "print the digest that would be posted", runDigest},
		{"index", "build or refresh the index in the data folder", runIndex},
		{"feeds", "poll the FEEDS once and add what is new (feeds poll)", runFeeds},
		{"add", "fetch pages and add their articles", runAdd},
		{"eval", "measure answer quality on an evaluation file", runEval},
		{"version", "print the version", runVersion},
	}
}

// Run executes the command line args (without the program name). With no
// subcommand it runs the bot.
func Run(ctx context.Context, args []string, env Env) error {
	name := "run"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "-help", "--help":
		printHelp(env.Stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, env, args)
		}
	}
	printHelp(env.Stderr)
	return usagef("unknown command %q", name)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `verbatim answers questions about news articles by quoting them word for word.

Usage:
  verbatim [command] [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command takes --corpus DIR (the article folder; default: the embedded
article, or CORPUS_DIR) and --data DIR (index and state; default ./data, or
DATA_DIR). Run "verbatim COMMAND --help" for a command's own flags.
`)
}

// flagSet makes a command's flag set with the common flags, and a usage
// text of "Usage: verbatim NAME SYNOPSIS", the description and the flags.
type flagSet struct {
	*flag.FlagSet
	corpus, data *string
}

func newFlags(env Env, name, synopsis, description string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	f := &flagSet{FlagSet: fs}
	f.corpus = fs.String("corpus", "", "article `folder` (overrides CORPUS_DIR)")
	f.data = fs.String("data", "", "data `folder` for the index and state (overrides DATA_DIR)")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: verbatim %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return f
}

// parse parses args. --help prints the usage to stdout and ends the command
// with status 0; a bad flag prints the error and usage to stderr and ends
// it with status 2.
func (f *flagSet) parse(env Env, args []string) error {
	f.SetOutput(io.Discard)
	err := f.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		f.SetOutput(env.Stdout)
		f.Usage()
		return errReported{0}
	}
	fmt.Fprintln(env.Stderr, "verbatim:", err)
	f.SetOutput(env.Stderr)
	f.Usage()
	return errReported{2}
}

// settings loads the configuration, with the --corpus and --data flags
// beating the environment.
func (f *flagSet) settings(env Env) (config.Config, error) {
	getenv := env.Getenv
	overrides := map[string]string{}
	if *f.corpus != "" {
		overrides["CORPUS_DIR"] = *f.corpus
	}
	if *f.data != "" {
		overrides["DATA_DIR"] = *f.data
	}
	cfg, err := config.Load(func(k string) string {
		if v, ok := overrides[k]; ok {
			return v
		}
		return getenv(k)
	})
	return cfg, err
}

// newLogger logs text to stderr at the configured level.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
