// Package live runs news inside the bot: the feed poller (operator FEEDS
// and every server's /feeds), its state kept in the state store, one
// poller among several processes (a lease in the store), new articles
// indexed at once and announced in their servers' channels.
package live

import (
	"context"
	"fmt"
	"sync"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Articles is what the library reads articles from: the index it keeps up
// to date. *retrieval.Index provides it.
type Articles interface {
	Article(id corpus.ArticleID) (*corpus.Article, bool)
	Size() (articles, sentences int)
}

// SyncFunc brings the index up to date with the folders it answers from
// (the corpus folder and the stored articles, listed together) and
// returns what changed. changed names what moved since the last sync;
// nil means anything may have: every file is looked at again.
type SyncFunc func(ctx context.Context, changed *Changed) (retrieval.Changes, error)

// Changed names the files that moved since the last sync, so that a sync
// looks at them and not at every file of the folders.
type Changed struct {
	// Corpus are paths within the corpus folder, slash-separated, as its
	// watcher reports them (corpus.Watcher.Notify).
	Corpus []string
	// Stored are the stored articles written (new or rewritten).
	Stored []corpus.ArticleID
}

// Library is what the index answers from: the corpus folder (or none)
// and the articles stored from feeds and pages, listed together, an
// article of the folder winning over a stored one of the same id. No
// article is kept in memory: each change indexes the files that moved
// (see SyncFunc). Its methods are safe for concurrent use, and one
// sync runs at a time.
type Library struct {
	ix   Articles
	sync SyncFunc

	mu sync.Mutex
}

// NewLibrary returns the library of ix, brought up to date by sync.
func NewLibrary(ix Articles, sync SyncFunc) *Library {
	return &Library{ix: ix, sync: sync}
}

// Sync indexes the folders' changes, looking at every file: at start,
// and when what changed is not known.
func (l *Library) Sync(ctx context.Context) (retrieval.Changes, error) {
	return l.syncChanged(ctx, nil)
}

// SyncCorpus indexes the corpus folder's changes found by its watcher:
// the paths it reports (see corpus.Watcher.Notify; nil, as it reports
// when it does not know, looks at every file).
func (l *Library) SyncCorpus(ctx context.Context, paths []string) (retrieval.Changes, error) {
	if paths == nil {
		return l.Sync(ctx)
	}
	return l.syncChanged(ctx, &Changed{Corpus: paths})
}

// AddStored indexes the stored articles ids (new or rewritten), already
// written in the stored articles' folder. An article file that cannot be
// read is logged by the sync and left out.
func (l *Library) AddStored(ctx context.Context, ids []corpus.ArticleID) (retrieval.Changes, error) {
	if len(ids) == 0 {
		return retrieval.Changes{}, nil
	}
	return l.syncChanged(ctx, &Changed{Stored: ids})
}

func (l *Library) syncChanged(ctx context.Context, changed *Changed) (retrieval.Changes, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch, err := l.sync(ctx, changed)
	if err != nil {
		return ch, fmt.Errorf("index the articles: %w", err)
	}
	return ch, nil
}

// Article returns an indexed article, and false for one the index does
// not hold.
func (l *Library) Article(id corpus.ArticleID) (*corpus.Article, bool) { return l.ix.Article(id) }

// Size returns the index's counts of articles and sentences.
func (l *Library) Size() (articles, sentences int) { return l.ix.Size() }
