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
// article order (none, and no article read, when n is 0). With
// newestIfNone set and nothing that new, it returns the newest article
// instead, so that a first digest is never empty.
func (ix *Index) Digest(since time.Time, n int, newestIfNone bool) []DigestItem {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()

	arts := man.Articles.all()
	all := make([]DigestItem, 0, len(arts))
	for _, e := range arts {
		all = append(all, DigestItem{Article: e.Article, Added: e.Added})
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
	if n <= 0 {
		// No key sentences asked (a selection lists first and
		// summarises only what it shows): no article is read. At
		// 100,000 new articles reading them all took 15 s.
		return slices.Clip(items)
	}
	recs := records{bi: ix.bi}
	defer recs.close()
	kept := items[:0]
	for _, it := range items {
		a, err := ix.loadArticle(arts[it.Article.ID], &recs)
		if err != nil {
			ix.log.Warn("reading an article from the index", "article", it.Article.ID, "err", err)
			continue
		}
		for _, s := range Summarize(ix.an, a, n) {
			it.Quotes = append(it.Quotes, Quote{Sentence: s, Article: it.Article})
		}
		kept = append(kept, it)
	}
	return slices.Clip(kept)
}
