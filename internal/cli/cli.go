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
		{"state", "export or import the bot's state (to move it to PostgreSQL)", runState},
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
The commands that read the articles take --corpus DIR (the article folder;
default: the embedded article, or CORPUS_DIR); those that keep an index take
--data DIR (index and state; default ./data, or DATA_DIR). Flags may come
before or after the arguments; after --, every word is an argument. Run
"verbatim COMMAND --help" for a command's own flags.
`)
}

// flagSet is a command's flag set, with a usage text of "Usage: verbatim
// NAME SYNOPSIS", the description and the flags. A command that reads the
// articles or keeps an index adds --corpus and --data with withCorpus and
// withData; the others do not list them.
type flagSet struct {
	*flag.FlagSet
	corpus, data *string
	rest         []string
}

func newFlags(env Env, name, synopsis, description string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	f := &flagSet{FlagSet: fs}
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: verbatim %s\n\n%s\n", strings.TrimSpace(name+" "+synopsis), strings.TrimSpace(description))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return f
}

// withCorpus adds --corpus, for a command that reads the articles.
func (f *flagSet) withCorpus() *flagSet {
	f.corpus = f.String("corpus", "", "article `folder` (overrides CORPUS_DIR)")
	return f
}

// withData adds --data, for a command that uses the data folder.
func (f *flagSet) withData() *flagSet {
	f.data = f.String("data", "", "data `folder` for the index and state (overrides DATA_DIR)")
	return f
}

// parse parses args, flags and arguments in any order: "ask Who is he?
// --json" is "ask --json Who is he?". "--" ends the flags, so that an
// argument may start with "-"; a word of a dash and a digit ("-5") is an
// argument too, since no flag is named so. --help prints the usage to
// stdout and ends the command with status 0; a bad flag prints the error
// and usage to stderr and ends it with status 2.
func (f *flagSet) parse(env Env, args []string) error {
	flags, rest := f.split(args)
	f.SetOutput(io.Discard)
	err := f.Parse(flags)
	switch {
	case err == nil:
		f.rest = rest
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

// split separates the flags in args (each with its value, where it takes
// one as the next word) from the arguments, which keep their order.
func (f *flagSet) split(args []string) (flags, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(rest, args[i+1:]...)
		case len(a) < 2 || a[0] != '-' || a[1] >= '0' && a[1] <= '9':
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if fl := f.Lookup(name); fl != nil && !isBoolFlag(fl) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, rest
}

// isBoolFlag reports whether fl takes no value of its own (--json).
func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Args returns the arguments left after the flags, wherever they stood.
func (f *flagSet) Args() []string { return f.rest }

// NArg returns the number of arguments left after the flags.
func (f *flagSet) NArg() int { return len(f.rest) }

// Arg returns the i'th argument left after the flags, or "".
func (f *flagSet) Arg(i int) string {
	if i < 0 || i >= len(f.rest) {
		return ""
	}
	return f.rest[i]
}

// settings loads the configuration, with the --corpus and --data flags
// beating the environment.
func (f *flagSet) settings(env Env) (config.Config, error) {
	getenv := env.Getenv
	overrides := map[string]string{}
	if f.corpus != nil && *f.corpus != "" {
		overrides["CORPUS_DIR"] = *f.corpus
	}
	if f.data != nil && *f.data != "" {
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

// usageWidth is how wide a flag's usage text may run: flag.PrintDefaults
// indents it by a tab (8 columns), and a help text fits in 80.
const usageWidth = 80 - 8

// wrap breaks s into lines of at most width bytes at spaces (a word longer
// than width stands on a line of its own); flag.PrintDefaults indents each.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		switch {
		case i == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
