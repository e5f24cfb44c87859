package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// servedFolders keeps a bot's index up to date with the folders it
// answers from (the corpus folder and the stored articles), keeping their
// listing between changes: a change the watcher or the feed poller names
// costs a stat a path named and the indexing of the articles that moved,
// not a stat a file of the folders. A change whose files are not known
// lists both folders again. Its sync is the library's SyncFunc.
type servedFolders struct {
	cfg config.Config
	ix  folderIndex
	log *slog.Logger
	// synced, when set, is told of every sync that succeeded: its kind
	// ("named" or "full") and how long it took.
	synced func(kind string, took time.Duration)

	mu     sync.Mutex
	l      listing // its folder is nil until the first full listing
	closed bool
}

// folderIndex is the index servedFolders keeps up to date: the bot's own
// (*retrieval.Index), or a shared index folder it publishes
// (sharedPublisher).
type folderIndex interface {
	SyncFolder(ctx context.Context, f *corpus.Folder) (retrieval.BuildResult, error)
	SyncArticles(ctx context.Context, f *corpus.Folder, ids []corpus.ArticleID) (retrieval.BuildResult, error)
	Article(id corpus.ArticleID) (*corpus.Article, bool)
	Articles() []*corpus.Article
}

// sharedPublisher publishes a shared index folder's next version for the
// process that stores fetched articles, as `verbatim index` does, and
// serves it at once; the other processes follow it within followEvery.
// Its builder keeps what it read of the version it published last, so
// that publishing an article the feed poller names costs that article.
type sharedPublisher struct {
	dir string
	b   *retrieval.SharedBuilder
	fol *retrieval.Follower
	log *slog.Logger
}

func (p sharedPublisher) SyncFolder(ctx context.Context, f *corpus.Folder) (retrieval.BuildResult, error) {
	res, err := p.b.Build(ctx, f)
	return p.serve(res, err)
}

func (p sharedPublisher) SyncArticles(ctx context.Context, f *corpus.Folder, ids []corpus.ArticleID) (retrieval.BuildResult, error) {
	res, err := p.b.BuildArticles(ctx, f, ids)
	return p.serve(res, err)
}

// serve serves the version a build published.
func (p sharedPublisher) serve(res retrieval.BuildResult, err error) (retrieval.BuildResult, error) {
	if errors.Is(err, retrieval.ErrLocked) {
		return res, fmt.Errorf("shared index %s is being built by verbatim index; trying again later: %w", p.dir, err)
	}
	if err != nil {
		return res, err
	}
	if _, err := p.fol.Reload(); err != nil {
		return res, fmt.Errorf("serve the new shared index: %w", err)
	}
	if res.Changes != (retrieval.Changes{}) {
		p.log.Info("shared index updated", "version", p.fol.Version(), "articles", res.Articles, "sentences", res.Sentences)
	}
	return res, nil
}

func (p sharedPublisher) Article(id corpus.ArticleID) (*corpus.Article, bool) {
	return p.fol.Article(id)
}
func (p sharedPublisher) Articles() []*corpus.Article { return p.fol.Articles() }

// errServedClosed is the error of a sync after the bot stopped.
var errServedClosed = errors.New("the bot is stopping")

// sync brings the index up to date with what changed (nil: anything).
func (s *servedFolders) sync(ctx context.Context, changed *live.Changed) (retrieval.Changes, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return retrieval.Changes{}, errServedClosed
	}
	if changed != nil && s.l.folder != nil {
		start := time.Now()
		ch, ok, err := s.syncNamed(ctx, changed)
		if ok && err == nil {
			s.observe("named", start)
		}
		if ok || err != nil {
			return ch, err
		}
	}
	res, err := s.syncAll(ctx)
	return res.Changes, err
}

// observe tells synced of a sync of kind that started at start.
func (s *servedFolders) observe(kind string, start time.Time) {
	if s.synced != nil {
		s.synced(kind, time.Since(start))
	}
}

// first builds an empty index from the folders, and fails when it then
// holds no article.
func (s *servedFolders) first(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.syncAll(ctx)
	if err == nil && res.Articles == 0 {
		err = fmt.Errorf("corpus %s: none of its %d article files could be loaded", s.cfg.CorpusDir, len(res.Problems))
	}
	return err
}

// syncAll lists both folders again, brings the index up to date with
// them, logs the files it skipped, keeps the listing and tells synced of
// a full sync. s.mu is held.
func (s *servedFolders) syncAll(ctx context.Context) (retrieval.BuildResult, error) {
	start := time.Now()
	l, problems, err := listParts(ctx, s.cfg)
	if err != nil {
		return retrieval.BuildResult{}, err
	}
	if l.folder == nil {
		return retrieval.BuildResult{}, errors.New("no corpus folder and no stored article to index")
	}
	res, err := s.ix.SyncFolder(ctx, l.folder)
	if err != nil {
		l.folder.Close()
		return res, fmt.Errorf("index the corpus folder: %w", err)
	}
	if s.l.folder != nil {
		s.l.folder.Close()
	}
	s.l = l
	res.Problems = append(problems, res.Problems...)
	// A broken or converted file is said once per change of it. When no
	// article changed, none was converted anew: the articles are not
	// read (at 100,000 articles, every entry decoded and held).
	var converted []*corpus.Article
	if res.Changes != (retrieval.Changes{}) {
		converted = s.ix.Articles()
	}
	warnSkipped(s.log, s.cfg.CorpusDir, s.cfg.DataDir, res.Problems, converted, false)
	s.observe("full", start)
	return res, nil
}

// syncNamed relists the files changed names and indexes the articles
// whose file moved. It reports false, having changed nothing, when only
// a full listing can tell: a folder it did not list before has files
// now, a folder cannot be walked, or the folder a start requires holds
// no article file. s.mu is held.
func (s *servedFolders) syncNamed(ctx context.Context, changed *live.Changed) (retrieval.Changes, bool, error) {
	stored := make([]string, len(changed.Stored))
	for i, id := range changed.Stored {
		stored[i] = string(id) + ".json"
	}
	var ids []corpus.ArticleID
	var problems []error
	for _, part := range []struct {
		at    int
		paths []string
	}{{s.l.corpus, changed.Corpus}, {s.l.stored, stored}} {
		if len(part.paths) == 0 {
			continue
		}
		if part.at < 0 {
			return retrieval.Changes{}, false, nil
		}
		found, more, err := s.l.folder.Relist(ctx, part.at, part.paths)
		if err != nil {
			if ctx.Err() != nil {
				return retrieval.Changes{}, false, ctx.Err()
			}
			s.log.Debug("relisting the changed files failed; listing every file", "err", err)
			return retrieval.Changes{}, false, nil
		}
		ids = append(ids, found...)
		problems = append(problems, more...)
	}
	if s.l.folder.PartLen(max(s.l.corpus, 0)) == 0 {
		// The corpus folder (or, without one, the stored articles'
		// folder) holds no article file: a full listing says so, as a
		// start does.
		return retrieval.Changes{}, false, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	res, err := s.ix.SyncArticles(ctx, s.l.folder, ids)
	if err != nil {
		return res.Changes, true, fmt.Errorf("index the corpus folder: %w", err)
	}
	var converted []*corpus.Article
	for _, id := range ids {
		if a, ok := s.ix.Article(id); ok {
			converted = append(converted, a)
		}
	}
	warnSkippedOf(s.log, s.cfg.CorpusDir, s.cfg.DataDir, append(problems, res.Problems...), converted,
		slices.Concat(changed.Corpus, stored), ids)
	return res.Changes, true, nil
}

// close releases the listing; a sync afterwards fails.
func (s *servedFolders) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.l.folder != nil {
		s.l.folder.Close()
	}
	s.l, s.closed = listing{}, true
}
