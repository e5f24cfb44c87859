package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/internal/ops"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// loadCorpus loads the configured corpus folder, or the embedded default
// article when none is configured. Files that cannot be loaded are logged
// as warnings, by name, once per change of each, and skipped.
func loadCorpus(ctx context.Context, cfg config.Config, log *slog.Logger) (*corpus.Corpus, error) {
	if cfg.CorpusDir == "" {
		return corpus.Default()
	}
	c, problems, err := corpus.LoadDir(ctx, cfg.CorpusDir)
	return checkLoaded(cfg, log, c, problems, err)
}

// checkLoaded reports what loading a corpus folder found: the skipped
// files as warnings (once per change of each, see warnSkipped), and an
// error for a folder with nothing usable.
func checkLoaded(cfg config.Config, log *slog.Logger, c *corpus.Corpus, problems []error, err error) (*corpus.Corpus, error) {
	if errors.Is(err, corpus.ErrNoArticles) {
		return nil, fmt.Errorf("corpus %s: no article files in it (.txt, .md or .json)", cfg.CorpusDir)
	}
	if err != nil {
		return nil, err
	}
	warnSkipped(log, cfg.CorpusDir, cfg.DataDir, problems, c.Articles(), false)
	if c.Len() == 0 {
		return nil, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems))
	}
	return c, nil
}

// openIndex loads the corpus and opens its index in the data folder. When
// a running bot holds the folder, a command says so and indexes in memory
// instead of waiting; a bot (shared false) refuses, since each process
// needs its own data folder.
func openIndex(ctx context.Context, cfg config.Config, log *slog.Logger, progress func(done, total int), shared bool) (*retrieval.Index, error) {
	c, err := loadCorpus(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	return openIndexOf(ctx, cfg, log, c, progress, shared)
}

// openIndexOf is openIndex with the corpus already loaded.
func openIndexOf(ctx context.Context, cfg config.Config, log *slog.Logger, c *corpus.Corpus, progress func(done, total int), shared bool) (*retrieval.Index, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	opts := retrieval.Options{Logger: log, Progress: progress}
	ix, err := retrieval.Open(ctx, cfg.DataDir, c, opts)
	if errors.Is(err, retrieval.ErrLocked) && !shared {
		return nil, fmt.Errorf("data folder %s is in use by another verbatim: give each bot process its own DATA_DIR", cfg.DataDir)
	}
	if errors.Is(err, retrieval.ErrLocked) {
		log.Warn("the data folder is in use by a running verbatim; answering from an index in memory", "data", cfg.DataDir)
		return retrieval.OpenMemory(ctx, c, opts)
	}
	if err != nil {
		return nil, err
	}
	// The index may hold what the articles hold, and bleve makes some of
	// its files readable by all: keep the folder its owner's.
	if err := ops.PrivateDir(cfg.DataDir, log); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// openShared reads the settings and opens the index for a command that
// only reads it (ask, lookup): beside a running bot it falls back to an
// index in memory.
func (f *flagSet) openShared(ctx context.Context, env Env) (*retrieval.Index, error) {
	cfg, err := f.settings(env)
	if err != nil {
		return nil, err
	}
	return openIndex(ctx, cfg, newLogger(env.Stderr, cfg.LogLevel), nil, true)
}
