package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressMin is the corpus size, in articles to index, from which
// `verbatim index` draws a progress bar.
const progressMin = 500

func runIndex(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "index", "[--corpus DIR] [--data DIR]",
		`Builds the index of the corpus in the data folder, or refreshes it: only
articles added, changed or removed since the last run are indexed again.
A bot started later opens the index as it is. On large corpora it shows a
progress bar.`)
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("index takes no arguments")
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	start := time.Now()
	var bar *progressbar.ProgressBar
	progress := func(done, total int) {
		if total < progressMin || !isTerminal(env.Stderr) {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(env.Stderr),
				progressbar.OptionSetDescription("indexing articles"),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("articles"),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		_ = bar.Set(done)
	}
	ix, err := openIndex(ctx, cfg, log, progress, false)
	if err != nil {
		return err
	}
	defer ix.Close()
	if bar != nil {
		_ = bar.Finish()
	}
	articles, sentences := ix.Size()
	_, err = fmt.Fprintf(env.Stdout, "indexed %d %s, %d sentences, in %s (fingerprint %s)\n",
		articles, plural(articles, "article", "articles"), sentences,
		time.Since(start).Round(time.Millisecond), ix.Fingerprint())
	return err
}

// isTerminal reports whether w is a terminal, where a progress bar can
// redraw itself.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
