package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/internal/ops"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// loadCorpus loads the configured corpus folder together with the
// articles stored from feeds and pages (DATA_DIR/articles). The embedded
// default article serves only when there is neither a folder nor a
// stored article. Files of the folder that cannot be loaded are logged as
// warnings, by name, once per change of each, and skipped.
func loadCorpus(ctx context.Context, cfg config.Config, log *slog.Logger) (*corpus.Corpus, error) {
	stored, err := loadStored(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if cfg.CorpusDir == "" {
		if len(stored) > 0 {
			return corpus.New(stored...), nil
		}
		return corpus.Default()
	}
	c, problems, err := corpus.LoadDir(ctx, cfg.CorpusDir)
	c, err = checkLoaded(cfg, log, c, problems, err)
	if err != nil {
		return nil, err
	}
	return withStored(c, stored, log), nil
}

// storedDir is the folder of the articles stored from feeds and pages.
//
// With a shared index (SHARED_INDEX_DIR) it is the shared folder's
// articles folder instead, one for every process on the machine: the
// poller of whichever bot holds the lease, `add` and `feeds poll` store
// there, and every build of the shared index lists it (docs/operations.md,
// "One index shared by every process").
func storedDir(cfg config.Config) string {
	if cfg.SharedIndex != "" {
		return filepath.Join(cfg.SharedIndex, news.ArticlesDir)
	}
	return filepath.Join(cfg.DataDir, news.ArticlesDir)
}

// loadStored loads the articles stored from feeds and pages; none when
// the folder is missing or empty. Files that cannot be loaded are logged
// and skipped.
func loadStored(ctx context.Context, cfg config.Config, log *slog.Logger) ([]*corpus.Article, error) {
	c, problems, err := corpus.LoadDir(ctx, storedDir(cfg))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, corpus.ErrNoArticles) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stored articles: %w", err)
	}
	for _, p := range problems {
		log.Warn("skipped stored article file", "err", p)
	}
	return c.Articles(), nil
}

// withStored returns c with the stored articles added. An article of the
// corpus folder wins over a stored one with the same id.
func withStored(c *corpus.Corpus, stored []*corpus.Article, log *slog.Logger) *corpus.Corpus {
	if len(stored) == 0 {
		return c
	}
	all := make([]*corpus.Article, 0, c.Len()+len(stored))
	for _, a := range stored {
		if _, clash := c.Article(a.ID); clash {
			log.Warn("a stored article has the id of a corpus folder article; the folder's is used", "id", a.ID)
			continue
		}
		all = append(all, a)
	}
	return corpus.New(append(all, c.Articles()...)...)
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

// openIndex opens the index in the data folder and brings it up to date
// with the corpus: the corpus folder and the stored articles, of which
// only the files that moved since the index last saw them are read, or
// the embedded default article when there are neither. With a shared index
// folder it opens its current version, read-only, as it is. When a
// running bot holds the folder, a command says so and indexes in memory
// instead of waiting; a bot (shared false) refuses, since each process
// needs its own data folder.
func openIndex(ctx context.Context, cfg config.Config, log *slog.Logger, progress func(done, total int), shared bool) (*retrieval.Index, error) {
	if cfg.SharedIndex != "" {
		return retrieval.OpenShared(cfg.SharedIndex, retrieval.Options{Logger: log})
	}
	if err := makeDataDir(cfg.DataDir, log); err != nil {
		return nil, err
	}
	f, problems, err := listFolder(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if f == nil {
		c, err := corpus.Default()
		if err != nil {
			return nil, err
		}
		return openIndexOf(ctx, cfg, log, c, progress, shared)
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
	// A broken or converted file is said once per change of it.
	warnSkipped(log, cfg.CorpusDir, cfg.DataDir, append(problems, res.Problems...), ix.Articles(), false)
	if res.Articles == 0 {
		ix.Close()
		return nil, fmt.Errorf("corpus %s: none of its %d article files could be loaded", cfg.CorpusDir, len(problems)+len(res.Problems))
	}
	return ix, keepPrivate(cfg, log, ix)
}

// openAsIs opens the index in the data folder as it is (see
// retrieval.OpenAsIs), for a bot.
func openAsIs(cfg config.Config, log *slog.Logger) (*retrieval.Index, error) {
	if err := makeDataDir(cfg.DataDir, log); err != nil {
		return nil, err
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

// listFolder lists the configured corpus folder and the articles stored
// from feeds and pages (DATA_DIR/articles) as one folder, without reading
// their files; an article of the corpus folder wins over a stored one with
// the same id. The folder is nil when there is neither a corpus folder
// nor a stored article.
func listFolder(ctx context.Context, cfg config.Config) (*corpus.Folder, []error, error) {
	l, problems, err := listParts(ctx, cfg)
	return l.folder, problems, err
}

// listing is the folder listFolder lists, with the parts it holds (see
// corpus.Folder.Relist): -1 for a part it lacks.
type listing struct {
	folder         *corpus.Folder
	corpus, stored int
}

// listParts is listFolder, saying which of the folder's parts is which.
func listParts(ctx context.Context, cfg config.Config) (listing, []error, error) {
	l := listing{corpus: -1, stored: -1}
	var problems []error
	if cfg.CorpusDir != "" {
		f, more, err := corpus.ListFolder(ctx, cfg.CorpusDir)
		if errors.Is(err, corpus.ErrNoArticles) {
			return listing{}, nil, fmt.Errorf("corpus %s: no article files in it (.txt, .md or .json)", cfg.CorpusDir)
		}
		if err != nil {
			return listing{}, nil, err
		}
		l.folder, l.corpus, problems = f, 0, more
	}
	g, more, err := corpus.ListFolder(ctx, storedDir(cfg))
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, corpus.ErrNoArticles):
		return l, problems, nil
	case err != nil:
		if l.folder != nil {
			l.folder.Close()
		}
		return listing{}, nil, fmt.Errorf("stored articles: %w", err)
	}
	problems = append(problems, more...)
	if l.folder == nil {
		l.folder, l.stored = g, 0
		return l, problems, nil
	}
	l.stored = 1
	return l, append(problems, l.folder.Add(g)...), nil
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
	if err := makeDataDir(cfg.DataDir, log); err != nil {
		return nil, err
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

// makeDataDir makes the data folder when it does not exist yet, and says
// so once, with where it is: the default, ./data, is made in whatever
// folder the command runs in, and a user trying a command should not find
// it there unannounced.
func makeDataDir(dir string, log *slog.Logger) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	log.Info("made the data folder for the index and state; set DATA_DIR or --data to keep them elsewhere", "data", dir)
	return nil
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
