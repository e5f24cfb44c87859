package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
)

// PageAdder is what /article add needs: a web page added to a server's
// articles now. The feed poller (internal/live) implements it. It must
// be safe for concurrent use.
type PageAdder interface {
	// AddPage fetches the page at url under the safe fetching rules,
	// stores its article as guild's own and indexes it, and returns the
	// article's id. existed reports a page already stored (by its
	// address, or as the same story): id is then that article, now
	// answered in guild too. An error that is the page's fault (a
	// refused address, a timeout, not a page, too little text)
	// implements PageRefusal.
	AddPage(ctx context.Context, url, guild string) (id corpus.ArticleID, existed bool, err error)
}

// PageRefusal is an error of PageAdder.AddPage that is the page's fault,
// not the bot's: Refusal says why in a few words, for the server admin
// who gave it.
type PageRefusal interface {
	error
	Refusal() string
}

const msgAddNeedsManage = "Adding articles to this server needs the Manage Server permission."

// isArticleAdd reports whether an interaction is /article add.
func isArticleAdd(i *discordgo.Interaction) bool {
	if i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	opts := i.ApplicationCommandData().Options
	return len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand && opts[0].Name == subAdd
}

// fetchesPage reports whether an interaction will fetch a page: an
// /article add the bot will carry out (not one it refuses at once).
func (b *Bot) fetchesPage(i *discordgo.Interaction) bool {
	return isArticleAdd(i) && b.opts.Pages != nil && i.GuildID != "" && canManage(i)
}

// articleAdd answers /article add url: the page's article becomes this
// server's own, answered here only (or, when another server or the
// operator already has it, here too). Its replies are ephemeral.
func (b *Bot) articleAdd(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if b.opts.Pages == nil {
		return notice("Adding pages is not set up on this bot.", true), nil
	}
	if i.GuildID == "" {
		return reply{}, refuse("Pages are added to a server's articles: use `/article add` in a server.")
	}
	if !canManage(i) {
		return reply{}, refuse(msgAddNeedsManage)
	}
	u, err := webURL(optString(i, "url"), "https://example.com/news/story")
	if err != nil {
		return reply{}, err
	}
	id, existed, err := b.opts.Pages.AddPage(ctx, u, i.GuildID)
	var refusal PageRefusal
	if errors.As(err, &refusal) {
		b.log.Info("a page was refused", "guild", i.GuildID, "err", err)
		return reply{}, refuse("I can't add that page: %s.", truncate(refusal.Refusal(), 200))
	}
	if err != nil {
		return reply{}, fmt.Errorf("add page for guild %s: %w", i.GuildID, err)
	}
	b.log.Info("page added", "guild", i.GuildID, "article", id, "existed", existed)
	a, ok := b.engine.Article(id)
	if !ok {
		return notice(fmt.Sprintf("Stored the page as %s: it is answered here once the index takes it in.", code(string(id))), true), nil
	}
	what := "**" + escape(a.Title) + "**"
	if meta := articleMeta(a); meta != "" {
		what += " (" + meta + ")"
	}
	if existed {
		return notice(fmt.Sprintf("I already have it: %s, as %s. It is answered in this server.", what, code(string(id))), true), nil
	}
	return notice(fmt.Sprintf("Added %s as %s: it is answered in this server only. Ask about it with `/ask`, or see it with `/article show`.",
		what, code(string(id))), true), nil
}

// code shows s as inline code: markdown and mentions mean nothing there,
// and a backtick, which would end it, is shown as a quote mark.
func code(s string) string {
	return "`" + strings.ReplaceAll(plain(s), "`", "'") + "`"
}
