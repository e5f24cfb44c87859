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
// as warnings, by name, and skipped.
func loadCorpus(ctx context.Context, cfg config.Config, log *slog.Logger) (*corpus.Corpus, error) {
	if cfg.CorpusDir == "" {
		return corpus.Default()
	}
	c, problems, err := corpus.LoadDir(ctx, cfg.CorpusDir)
	return checkLoaded(cfg, log, c, problems, err)
}

// checkLoaded reports what loading a corpus folder found: the skipped
// files as warnings, and an error for a folder with nothing usable.
func checkLoaded(cfg config.Config, log *slog.Logger, c *corpus.Corpus, problems []error, err error) (*corpus.Corpus, error) {
	if errors.Is(err, corpus.ErrNoArticles) {
		return nil, fmt.Errorf("corpus %s: no article files in it (.txt, .md or .json)", cfg.CorpusDir)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		log.Warn("skipped article file", "err", p)
	}
	if c.Len() == 0 {
		return nil, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems))
	}
	return c, nil
}

// openIndex opens the index in the data folder and brings it up to date
// with the corpus: the embedded default article, or the corpus folder,
// of which only the files that moved since the index last saw them are
// read. With a shared index folder it opens its current version,
// read-only, as it is. When a running bot holds the folder, a command says so and
// indexes in memory instead of waiting; a bot (shared false) refuses,
// since each process needs its own data folder.
func openIndex(ctx context.Context, cfg config.Config, log *slog.Logger, progress func(done, total int), shared bool) (*retrieval.Index, error) {
	if cfg.SharedIndex != "" {
		return retrieval.OpenShared(cfg.SharedIndex, retrieval.Options{Logger: log})
	}
	if cfg.CorpusDir == "" {
		c, err := corpus.Default()
		if err != nil {
			return nil, err
		}
		return openIndexOf(ctx, cfg, log, c, progress, shared)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	f, problems, err := listFolder(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts := retrieval.Options{Logger: log, Progress: progress}
	ix, res, err := retrieval.OpenFolder(ctx, cfg.DataDir, f, opts)
	if errors.Is(err, retrieval.ErrLocked) {
		if !shared {
			return nil, errDataInUse(cfg)
		}
		log.Warn("the data folder is in use by a running verbatim; answering from an index in memory", "data", cfg.DataDir)
		c, err := loadCorpus(ctx, cfg, log)
		if err != nil {
			return nil, err
		}
		return retrieval.OpenMemory(ctx, c, opts)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range append(problems, res.Problems...) {
		log.Warn("skipped article file", "err", p)
	}
	if res.Articles == 0 {
		ix.Close()
		return nil, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems)+len(res.Problems))
	}
	return ix, keepPrivate(cfg, log, ix)
}

// openAsIs opens the index in the data folder as it is (see
// retrieval.OpenAsIs), for a bot.
func openAsIs(cfg config.Config, log *slog.Logger) (*retrieval.Index, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	ix, err := retrieval.OpenAsIs(cfg.DataDir, retrieval.Options{Logger: log})
	if errors.Is(err, retrieval.ErrLocked) {
		return nil, errDataInUse(cfg)
	}
	if err != nil {
		return nil, err
	}
	return ix, keepPrivate(cfg, log, ix)
}

// syncFolder brings ix up to date with the corpus folder, reading only
// the files that moved, and logs the files it skipped. With first set it
// fails when the index then holds no article.
func syncFolder(ctx context.Context, cfg config.Config, ix *retrieval.Index, log *slog.Logger, first bool) (retrieval.BuildResult, error) {
	f, problems, err := listFolder(ctx, cfg)
	if err != nil {
		return retrieval.BuildResult{}, err
	}
	defer f.Close()
	res, err := ix.SyncFolder(ctx, f)
	if err != nil {
		return res, fmt.Errorf("index the corpus folder: %w", err)
	}
	for _, p := range append(problems, res.Problems...) {
		log.Warn("skipped article file", "err", p)
	}
	if first && res.Articles == 0 {
		return res, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems)+len(res.Problems))
	}
	return res, nil
}

// listFolder lists the configured corpus folder without reading its
// files.
func listFolder(ctx context.Context, cfg config.Config) (*corpus.Folder, []error, error) {
	f, problems, err := corpus.ListFolder(ctx, cfg.CorpusDir)
	if errors.Is(err, corpus.ErrNoArticles) {
		return nil, nil, fmt.Errorf("corpus %s: no article files in it (.txt, .md or .json)", cfg.CorpusDir)
	}
	return f, problems, err
}

func errDataInUse(cfg config.Config) error {
	return fmt.Errorf("data folder %s is in use by another verbatim: give each bot process its own DATA_DIR", cfg.DataDir)
}

// keepPrivate keeps the data folder its owner's: the index may hold what
// the articles hold, and bleve makes some of its files readable by all.
// It closes ix when it fails.
func keepPrivate(cfg config.Config, log *slog.Logger, ix *retrieval.Index) error {
	if err := ops.PrivateDir(cfg.DataDir, log); err != nil {
		ix.Close()
		return err
	}
	return nil
}

// openIndexOf opens the index of a corpus already loaded.
func openIndexOf(ctx context.Context, cfg config.Config, log *slog.Logger, c *corpus.Corpus, progress func(done, total int), shared bool) (*retrieval.Index, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	opts := retrieval.Options{Logger: log, Progress: progress}
	ix, err := retrieval.Open(ctx, cfg.DataDir, c, opts)
	if errors.Is(err, retrieval.ErrLocked) && !shared {
		return nil, errDataInUse(cfg)
	}
	if errors.Is(err, retrieval.ErrLocked) {
		log.Warn("the data folder is in use by a running verbatim; answering from an index in memory", "data", cfg.DataDir)
		return retrieval.OpenMemory(ctx, c, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := keepPrivate(cfg, log, ix); err != nil {
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
