package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// progressMin is the corpus size, in articles to index, from which
// `verbatim index` draws a progress bar.
const progressMin = 500

func runIndex(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "index", "[--corpus DIR] [--data DIR]",
		`Builds the index of the corpus in the data folder, or refreshes it: only
articles added, changed or removed since the last run are indexed again.
A bot started later opens the index as it is. On large corpora it shows a
progress bar.`).withCorpus().withData()
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
	var articles, sentences int
	var fingerprint string
	// The corpus folder and the stored articles (from feeds and pages) are
	// indexed a part at a time; without either, the embedded article is.
	if cfg.CorpusDir == "" && !hasStored(cfg) {
		ix, err := openIndex(ctx, cfg, log, progress, false)
		if err != nil {
			return err
		}
		defer ix.Close()
		articles, sentences = ix.Size()
		fingerprint = ix.Fingerprint()
	} else {
		res, err := buildIndex(ctx, cfg, log, progress)
		if err != nil {
			return err
		}
		articles, sentences, fingerprint = res.Articles, res.Sentences, res.Fingerprint
	}
	if bar != nil {
		_ = bar.Finish()
	}
	_, err = fmt.Fprintf(env.Stdout, "indexed %d %s, %d sentences, in %s (fingerprint %s)\n",
		articles, plural(articles, "article", "articles"), sentences,
		time.Since(start).Round(time.Millisecond), fingerprint)
	return err
}

// buildIndex indexes the corpus folder and the stored articles into the
// data folder (or the shared index folder) a part at a time (retrieval.Build), so that memory stays bounded however large the
// corpus is.
func buildIndex(ctx context.Context, cfg config.Config, log *slog.Logger, progress func(done, total int)) (retrieval.BuildResult, error) {
	f, problems, err := listFolder(ctx, cfg)
	if err != nil {
		return retrieval.BuildResult{}, err
	}
	if f == nil {
		return retrieval.BuildResult{}, errors.New("no corpus folder and no stored article to index")
	}
	defer f.Close()
	if err := makeDataDir(cfg.DataDir, log); err != nil {
		return retrieval.BuildResult{}, err
	}
	opts := retrieval.Options{Logger: log, Progress: progress}
	var res retrieval.BuildResult
	if cfg.SharedIndex != "" {
		res, err = retrieval.BuildShared(ctx, cfg.SharedIndex, f, opts)
		if errors.Is(err, retrieval.ErrLocked) {
			return res, fmt.Errorf("shared index %s is being built by another verbatim index", cfg.SharedIndex)
		}
	} else {
		res, err = retrieval.Build(ctx, cfg.DataDir, f, opts)
		if errors.Is(err, retrieval.ErrLocked) {
			return res, errDataInUse(cfg)
		}
	}
	if err != nil {
		return res, err
	}
	// index lists every broken file, warned before or not.
	warnSkipped(log, cfg.CorpusDir, cfg.DataDir, append(problems, res.Problems...), nil, true)
	if res.Articles == 0 {
		return res, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems)+len(res.Problems))
	}
	return res, nil
}

// hasStored reports whether the data folder holds stored articles.
func hasStored(cfg config.Config) bool {
	entries, err := os.ReadDir(storedDir(cfg))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if _, ok := corpus.ArticleFormat(e.Name()); ok && !e.IsDir() {
			return true
		}
	}
	return false
}

// isTerminal reports whether w is a terminal, where a progress bar can
// redraw itself.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
