package retrieval

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
)

// NoGuild is the Query.Guild of a question asked outside any Discord
// server (a DM): it is answered from the articles for every server only.
const NoGuild = "-"

// scopeGuild is the guild corpus.Article.VisibleIn is asked about for a
// Query.Guild.
func scopeGuild(guild string) string {
	if guild == NoGuild {
		return ""
	}
	return guild
}

// scopeKey keys the articles a search must leave out in its context.
type scopeKey struct{}

// withScope returns ctx carrying the articles of the catalogue's entries
// arts that guild does not see, for search to leave out; ctx itself when
// guild is "" or every article is visible. It is carried in the context so that the ranking
// code between Ask and search needs no change for it.
func withScope(ctx context.Context, arts *entries, guild string) context.Context {
	hidden := hiddenIn(arts, nil, guild)
	if len(hidden) == 0 {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, hidden)
}

// hiddenIn returns the articles of the catalogue's entries arts, and of
// pending (articles a Sync is adding, not yet in arts), that guild (as
// Query.Guild) does not see; nil when guild is "" or it sees them all.
func hiddenIn(arts *entries, pending []*corpus.Article, guild string) []corpus.ArticleID {
	if guild == "" {
		return nil
	}
	g := scopeGuild(guild)
	var hidden []corpus.ArticleID
	for _, a := range arts.scoped() {
		if !a.VisibleIn(g) {
			hidden = append(hidden, a.ID)
		}
	}
	if len(pending) == 0 {
		return hidden
	}
	// An article being updated may be in both.
	held := make(map[corpus.ArticleID]bool, len(hidden)+len(pending))
	for _, id := range hidden {
		held[id] = true
	}
	for _, a := range pending {
		if !a.VisibleIn(g) && !held[a.ID] {
			hidden = append(hidden, a.ID)
			held[a.ID] = true
		}
	}
	return hidden
}

// hiddenArticles returns the articles withScope set aside; nil for none.
func hiddenArticles(ctx context.Context) []corpus.ArticleID {
	hidden, _ := ctx.Value(scopeKey{}).([]corpus.ArticleID)
	return hidden
}

// SpeakersIn is Speakers over the articles answered in guild (as
// Query.Guild: "" for every article, NoGuild outside any server): no
// server sees who another server's own articles quote. The counts of the
// articles every server sees are made once an index version (at 100,000
// articles counting them took 85 ms, at every keystroke of a speaker's
// autocomplete); a server's own articles are added to them.
func (ix *Index) SpeakersIn(guild string) []corpus.SpeakerCount {
	ix.mu.RLock()
	es := ix.man.Articles
	ix.mu.RUnlock()
	g := scopeGuild(guild)
	pub := es.publicSpeakers()
	var counts map[string]int
	for _, sa := range es.scoped() {
		if guild != "" && !sa.VisibleIn(g) {
			continue
		}
		e, ok := es.get(sa.ID)
		if !ok {
			continue
		}
		if counts == nil {
			counts = maps.Clone(pub.counts)
		}
		for _, sp := range e.Speakers {
			counts[sp.Name] += sp.Count
		}
	}
	if counts == nil {
		return slices.Clone(pub.sorted)
	}
	return sortSpeakers(counts)
}

// QuotesByIn is QuotesBy over the articles answered in guild (as
// Query.Guild).
func (ix *Index) QuotesByIn(speaker string, article corpus.ArticleID, guild string) []corpus.Sentence {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()
	g := scopeGuild(guild)
	recs := records{bi: ix.bi}
	defer recs.close()
	arts := man.Articles.all()
	var out []corpus.Sentence
	for _, meta := range ix.Articles() {
		if article != "" && meta.ID != article {
			continue
		}
		e := arts[meta.ID]
		if e == nil || (guild != "" && !e.Article.VisibleIn(g)) ||
			!slices.ContainsFunc(e.Speakers, func(sp corpus.SpeakerCount) bool { return strings.EqualFold(sp.Name, speaker) }) {
			continue
		}
		a, err := ix.loadArticle(e, &recs)
		if err != nil {
			ix.log.Warn("reading an article from the index", "article", meta.ID, "err", err)
			continue
		}
		out = a.AppendQuotesBy(out, speaker)
	}
	return out
}
