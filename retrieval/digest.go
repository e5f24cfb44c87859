package retrieval

import (
	"slices"
	"strings"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
)

// DigestItem is one article of a digest with its key sentences.
type DigestItem struct {
	Article *corpus.Article
	// Added is when the article was first indexed under this data folder.
	Added  time.Time
	Quotes []Quote
}

// Digest returns the articles first indexed after since, newest first
// (then by publication date and id), each with its n key sentences in
// article order. With newestIfNone set and nothing that new, it returns the
// newest article instead, so that a first digest is never empty.
func (ix *Index) Digest(since time.Time, n int, newestIfNone bool) []DigestItem {
	ix.mu.RLock()
	c := ix.corpus
	added := make(map[corpus.ArticleID]time.Time, len(ix.man.Articles))
	for id, e := range ix.man.Articles {
		added[id] = e.Added
	}
	ix.mu.RUnlock()

	all := make([]DigestItem, 0, c.Len())
	for _, a := range c.Articles() {
		all = append(all, DigestItem{Article: a, Added: added[a.ID]})
	}
	slices.SortFunc(all, func(x, y DigestItem) int {
		if d := y.Added.Compare(x.Added); d != 0 {
			return d
		}
		if d := y.Article.Published.Compare(x.Article.Published); d != 0 {
			return d
		}
		return strings.Compare(string(x.Article.ID), string(y.Article.ID))
	})
	cut := 0
	for cut < len(all) && all[cut].Added.After(since) {
		cut++
	}
	items := all[:cut]
	if len(items) == 0 && newestIfNone && len(all) > 0 {
		items = all[:1]
	}
	for i := range items {
		for _, s := range Summarize(ix.an, items[i].Article, n) {
			items[i].Quotes = append(items[i].Quotes, Quote{Sentence: s, Article: items[i].Article})
		}
	}
	return slices.Clip(items)
}
