// Package live runs news inside the bot: the feed poller (operator FEEDS
// and every server's /feeds), its state kept in the state store, one
// poller among several processes (a lease in the store), new articles
// indexed at once and announced in their servers' channels.
package live

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Library is what the index answers from: the corpus folder (or none)
// and the articles stored from feeds and pages, an article of the folder
// winning over a stored one of the same id. With neither, the embedded
// default article serves. Its methods are safe for concurrent use.
type Library struct {
	ix  *retrieval.Index
	dir string // the stored articles' folder
	log *slog.Logger

	mu     sync.Mutex
	folder *corpus.Corpus // nil without a corpus folder
	stored map[corpus.ArticleID]*corpus.Article
}

// NewLibrary returns the library of ix: folder (nil for none) and the
// articles stored in dir.
func NewLibrary(ix *retrieval.Index, folder *corpus.Corpus, dir string, stored []*corpus.Article, log *slog.Logger) *Library {
	l := &Library{ix: ix, dir: dir, log: log, folder: folder, stored: map[corpus.ArticleID]*corpus.Article{}}
	for _, a := range stored {
		l.stored[a.ID] = a
	}
	return l
}

// SetFolder replaces the corpus folder's articles and indexes the change.
func (l *Library) SetFolder(ctx context.Context, c *corpus.Corpus) (retrieval.Changes, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.folder = c
	return l.sync(ctx)
}

// AddStored reads the stored articles ids (new or rewritten) from the
// stored folder and indexes them. An article file that cannot be read is
// logged and left out.
func (l *Library) AddStored(ctx context.Context, ids []corpus.ArticleID) (retrieval.Changes, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fsys := os.DirFS(l.dir)
	for _, id := range ids {
		a, err := corpus.ReadArticle(fsys, string(id)+".json")
		if err != nil {
			l.log.Warn("a stored article could not be read", "id", id, "err", err)
			continue
		}
		l.stored[id] = a
	}
	return l.sync(ctx)
}

// sync indexes the library as it now is. The caller holds l.mu.
func (l *Library) sync(ctx context.Context) (retrieval.Changes, error) {
	c, err := l.corpusLocked()
	if err != nil {
		return retrieval.Changes{}, err
	}
	ch, err := l.ix.SyncChanges(ctx, c)
	if err != nil {
		return ch, fmt.Errorf("index the articles: %w", err)
	}
	return ch, nil
}

func (l *Library) corpusLocked() (*corpus.Corpus, error) {
	if l.folder == nil && len(l.stored) == 0 {
		return corpus.Default()
	}
	all := make([]*corpus.Article, 0, len(l.stored))
	for id, a := range l.stored {
		if l.folder != nil {
			if _, clash := l.folder.Article(id); clash {
				continue
			}
		}
		all = append(all, a)
	}
	if l.folder != nil {
		all = append(all, l.folder.Articles()...)
	}
	return corpus.New(all...), nil
}

// Size returns the index's counts of articles and sentences.
func (l *Library) Size() (articles, sentences int) { return l.ix.Size() }
