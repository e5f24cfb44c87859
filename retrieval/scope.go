package retrieval

import (
	"context"

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
func withScope(ctx context.Context, arts map[corpus.ArticleID]*entry, guild string) context.Context {
	if guild == "" {
		return ctx
	}
	g := scopeGuild(guild)
	var hidden []corpus.ArticleID
	for id, e := range arts {
		if !e.Article.VisibleIn(g) {
			hidden = append(hidden, id)
		}
	}
	if len(hidden) == 0 {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, hidden)
}

// hiddenArticles returns the articles withScope set aside; nil for none.
func hiddenArticles(ctx context.Context) []corpus.ArticleID {
	hidden, _ := ctx.Value(scopeKey{}).([]corpus.ArticleID)
	return hidden
}
