package bot

import (
	"context"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// A server's own articles (from its /feeds and /article add) are answered
// in that server only; the guild a question comes from rides in its
// context from where the interaction or message is received.

type guildKey struct{}

// withGuild returns ctx for a request from guild ("" for a DM).
func withGuild(ctx context.Context, guild string) context.Context {
	return context.WithValue(ctx, guildKey{}, scopeOf(guild))
}

// scopeOf is the retrieval scope of a request from guild: the guild, or
// retrieval.NoGuild outside any server.
func scopeOf(guild string) string {
	if guild == "" {
		return retrieval.NoGuild
	}
	return guild
}

// guildScope returns the retrieval scope withGuild put in ctx; "" (every
// article) when none was.
func guildScope(ctx context.Context) string {
	g, _ := ctx.Value(guildKey{}).(string)
	return g
}

// visible reports whether article a is answered in the scope (as
// guildScope returns it).
func visible(a *corpus.Article, scope string) bool {
	switch scope {
	case "":
		return true
	case retrieval.NoGuild:
		return a.VisibleIn("")
	}
	return a.VisibleIn(scope)
}

// visibleArticles returns the articles of as answered in the scope.
func visibleArticles(as []*corpus.Article, scope string) []*corpus.Article {
	if scope == "" {
		return as
	}
	out := make([]*corpus.Article, 0, len(as))
	for _, a := range as {
		if visible(a, scope) {
			out = append(out, a)
		}
	}
	return out
}
