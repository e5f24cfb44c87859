package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
	"github.com/verbatim-bot/verbatim/internal/filter"
	"github.com/verbatim-bot/verbatim/state"
)

// FeedStore is where /feeds keeps the servers' feeds and reads their
// polling state; the state store implements it. It must be safe for
// concurrent use.
type FeedStore interface {
	PutFeed(ctx context.Context, f state.Feed) error
	DeleteFeed(ctx context.Context, guildID, url string) (bool, error)
	Feeds(ctx context.Context) ([]state.Feed, error)
	FeedPoll(ctx context.Context, url string) (state.FeedPoll, bool, error)
}

// FeedChecker is what /feeds add needs of the feed poller: a check that a
// URL is a feed that may be fetched (safe fetching applies), and a word
// that the feeds changed. It must be safe for concurrent use.
type FeedChecker interface {
	// CheckFeed fetches and parses url without storing anything, and
	// returns the feed's title.
	CheckFeed(ctx context.Context, url string) (string, error)
	// FeedsChanged tells the poller to look at the feeds now.
	FeedsChanged()
}

// MaxFeedsPerServer is how many feeds one server may follow.
const MaxFeedsPerServer = 50

const msgFeedsNeedManage = "Changing this server's feeds needs the Manage Server permission."

// cmdFeeds answers /feeds add, remove and list. Its replies are
// ephemeral.
func (b *Bot) cmdFeeds(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if b.opts.FeedStore == nil || b.opts.Feeds == nil {
		return notice("Following feeds is not set up on this bot.", true), nil
	}
	if i.GuildID == "" {
		return reply{}, refuse("Feeds are followed by servers: use /feeds in a server.")
	}
	if !canManage(i) {
		return reply{}, refuse(msgFeedsNeedManage)
	}
	opts := i.ApplicationCommandData().Options
	if len(opts) == 0 {
		return reply{}, refuse("Pick what to do: `/feeds add`, `remove` or `list`.")
	}
	var r reply
	var err error
	switch opts[0].Name {
	case "add":
		r, err = b.feedsAdd(ctx, i)
	case "remove":
		r, err = b.feedsRemove(ctx, i)
	case "list":
		r, err = b.feedsList(ctx, i)
	default:
		return reply{}, refuse("I don't know `/feeds %s`.", opts[0].Name)
	}
	r.ephemeral = true
	return r, err
}

// feedURL checks a URL given to /feeds: http or https, with a host, at
// most 500 characters. It returns it trimmed.
func feedURL(raw string) (string, error) {
	return webURL(raw, "https://example.com/rss.xml")
}

// webURL checks a URL given to a command: http or https, with a host, at
// most 500 characters; example is shown when it is not. It returns it
// trimmed.
func webURL(raw, example string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", refuse("Give the address, such as %s.", example)
	}
	if len(raw) > 500 {
		return "", refuse("That address is too long (at most 500 characters).")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", refuse("That is not a web address: give an http or https URL, such as %s.", example)
	}
	return u.String(), nil
}

// feedsAdd answers /feeds add url [channel] [filter]: the server follows
// the feed; with a channel, its new articles are announced there.
func (b *Bot) feedsAdd(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	u, err := feedURL(optString(i, "url"))
	if err != nil {
		return reply{}, err
	}
	rawFilter := strings.TrimSpace(optString(i, "filter"))
	if _, err := filter.Parse(rawFilter); err != nil {
		return reply{}, refuse("That filter won't do: %s. Give words, or a regular expression between slashes such as /storm|flood/.", escape(err.Error()))
	}
	channelID := optString(i, "channel")
	if channelID != "" {
		ch, err := b.session.Channel(channelID, discordgo.WithContext(ctx))
		if reason, isLost := lostChannel(err); isLost {
			return reply{}, refuse("I can't post in <#%s> (Discord answers %s): give me access to it, then add the feed again.", channelID, reason)
		}
		if err != nil {
			return reply{}, fmt.Errorf("look up channel %s: %w", channelID, err)
		}
		if ch.GuildID != i.GuildID {
			return reply{}, refuse("That channel is not in this server.")
		}
	}
	feeds, err := b.opts.FeedStore.Feeds(ctx)
	if err != nil {
		return reply{}, err
	}
	n, existed := 0, false
	for _, f := range feeds {
		if f.GuildID == i.GuildID {
			n++
			existed = existed || f.URL == u
		}
	}
	if !existed && n >= MaxFeedsPerServer {
		return reply{}, refuse("This server follows %d feeds, the most I allow: remove one first.", n)
	}
	title, err := b.opts.Feeds.CheckFeed(ctx, u)
	if err != nil {
		b.log.Info("a feed was refused", "guild", i.GuildID, "err", err)
		return reply{}, refuse("I can't follow that address: %s.", escape(truncate(feedProblem(err), 200)))
	}
	err = b.opts.FeedStore.PutFeed(ctx, state.Feed{
		GuildID: i.GuildID, URL: u, ChannelID: channelID, Filter: rawFilter,
		AddedBy: userID(i), AddedAt: b.now().UTC(),
	})
	if err != nil {
		return reply{}, err
	}
	b.opts.Feeds.FeedsChanged()
	name := u
	if title != "" {
		name = title
	}
	var msg strings.Builder
	if existed {
		fmt.Fprintf(&msg, "Updated the feed **%s**.", escape(name))
	} else {
		fmt.Fprintf(&msg, "This server now follows **%s**: its articles are answered from here.", escape(name))
	}
	if channelID != "" {
		fmt.Fprintf(&msg, " New articles are announced in <#%s>.", channelID)
	}
	if rawFilter != "" {
		fmt.Fprintf(&msg, " Only items matching `%s` are kept.", strings.ReplaceAll(rawFilter, "`", "'"))
	}
	return notice(msg.String(), true), nil
}

// feedProblem is a short reason, for a server admin, why a feed could not
// be followed.
func feedProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not an RSS, Atom or JSON feed"):
		return "it is not an RSS, Atom or JSON feed"
	case strings.Contains(msg, "refused") || strings.Contains(msg, "not allowed") || strings.Contains(msg, "blocked"):
		return "that address is not one I may fetch (private, local or not http/https)"
	}
	return msg
}

// feedsRemove answers /feeds remove url.
func (b *Bot) feedsRemove(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	u, err := feedURL(optString(i, "url"))
	if err != nil {
		return reply{}, err
	}
	had, err := b.opts.FeedStore.DeleteFeed(ctx, i.GuildID, u)
	if err != nil {
		return reply{}, err
	}
	if !had {
		return notice("This server does not follow that feed. `/feeds list` shows the ones it does.", true), nil
	}
	b.opts.Feeds.FeedsChanged()
	return notice("This server no longer follows that feed. The articles already fetched stay answerable.", true), nil
}

// feedsList answers /feeds list: the server's feeds with their state.
func (b *Bot) feedsList(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	feeds, err := b.opts.FeedStore.Feeds(ctx)
	if err != nil {
		return reply{}, err
	}
	var lines []string
	for _, f := range feeds {
		if f.GuildID != i.GuildID {
			continue
		}
		line := "\u2022 " + escape(f.URL)
		if f.ChannelID != "" {
			line += fmt.Sprintf(" \u2192 <#%s>", f.ChannelID)
		}
		if f.Filter != "" {
			line += " \u00b7 filter `" + strings.ReplaceAll(f.Filter, "`", "'") + "`"
		}
		p, found, err := b.opts.FeedStore.FeedPoll(ctx, f.URL)
		switch {
		case err != nil:
			return reply{}, err
		case !found:
			line += " \u00b7 not polled yet"
		default:
			if !p.LastSuccess.IsZero() {
				line += fmt.Sprintf(" \u00b7 last read <t:%d:R>", p.LastSuccess.Unix())
			}
			if p.LastError != "" && p.LastErrorAt.After(p.LastSuccess) {
				line += fmt.Sprintf(" \u00b7 **failing** (%d in a row): %s", p.Failures, escape(truncate(p.LastError, 150)))
			}
			if !p.NextPoll.IsZero() {
				line += fmt.Sprintf(" \u00b7 next <t:%d:R>", p.NextPoll.Unix())
			}
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return notice("This server follows no feeds. `/feeds add url:` follows one (it needs Manage Server).", true), nil
	}
	return notice("**Feeds this server follows**\n"+strings.Join(lines, "\n"), true), nil
}

// announceNonce is the nonce of an article's announcement in a channel:
// at most 25 characters, the same on every try.
func announceNonce(channelID string, id corpus.ArticleID) string {
	sum := sha256.Sum256([]byte("announce\x00" + channelID + "\x00" + string(id)))
	return "a" + hex.EncodeToString(sum[:])[:24]
}

// Announce posts the announcement of an article in a channel, once: the
// delivery is claimed in the store before it is sent, with a nonce
// Discord enforces, and recorded after; a claim left by a process killed
// between the two is taken over after digest.ClaimLease and sent again
// with the same nonce while digest.Resendable, given up after. It reports whether this call posted it; false with
// no error when it was done already or another process holds it. It is
// safe for concurrent use.
func (b *Bot) Announce(ctx context.Context, channelID string, id corpus.ArticleID) (bool, error) {
	if b.opts.Store == nil {
		return false, errors.New("announce: no state store")
	}
	a, ok := b.engine.Article(id)
	if !ok {
		return false, fmt.Errorf("announce %s: not among the articles", id)
	}
	now := b.now()
	d, claimed, err := b.opts.Store.ClaimDelivery(ctx, state.Delivery{
		ChannelID: channelID, Key: string(id), Kind: state.KindAnnouncement, Nonce: announceNonce(channelID, id),
		ClaimedBy: b.process, ClaimedAt: now,
	}, digest.ClaimLease)
	if err != nil || !claimed {
		return false, err
	}
	if !digest.Resendable(d, now) {
		b.log.Warn("an interrupted announcement may or may not have been posted; not sending it again, so as never to post twice",
			"channel", channelID, "article", id, "started", d.Started)
		return false, b.opts.Store.FinishDelivery(ctx, channelID, d.Key, b.process, state.OutcomeGivenUp, "", now)
	}
	postCtx, cancel := digest.InFlight(ctx)
	defer cancel()
	m, err := b.postMessage(postCtx, channelID, b.announcement(a), d.Nonce)
	if reason, isLost := lostChannel(err); isLost {
		b.log.Warn("an announcement channel refused the post", "channel", channelID, "reason", reason)
		return false, b.opts.Store.FinishDelivery(ctx, channelID, d.Key, b.process, state.OutcomeLost, "", b.now())
	}
	if err != nil {
		return false, err // left claimed: retried after the lease
	}
	if err := b.opts.Store.FinishDelivery(context.WithoutCancel(ctx), channelID, d.Key, b.process, state.OutcomePosted, m.ID, b.now()); err != nil {
		return true, fmt.Errorf("record announcement %s in %s: %w", id, channelID, err)
	}
	return true, nil
}

// announcement renders an article's announcement: its title linked, its
// outlet and date, its lead sentence quoted, and buttons for its key
// sentences and the lead's context.
func (b *Bot) announcement(a *corpus.Article) reply {
	e := &discordgo.MessageEmbed{Title: truncate(a.Title, maxTitle), Color: colourAnswer}
	if fragmentLink(a.URL, "") != "" {
		e.URL = a.URL
	}
	var desc strings.Builder
	if meta := articleMeta(a); meta != "" {
		desc.WriteString(meta + "\n")
	}
	ss := a.Sentences()
	var components []discordgo.MessageComponent
	now := b.now()
	if len(ss) > 0 {
		desc.WriteString("> " + escape(ss[0].Text))
		components = append(components, discordgo.Button{
			Label: "Context", Style: discordgo.SecondaryButton,
			CustomID: b.signer.encode(actionContext, now, "", articleKey(string(a.ID)), fmtInt(ss[0].Paragraph), fmtInt(ss[0].Number)),
		})
	}
	components = append([]discordgo.MessageComponent{discordgo.Button{
		Label: "Key sentences", Style: discordgo.PrimaryButton,
		CustomID: b.signer.encode(actionArticleKey, now, "", articleKey(string(a.ID))),
	}}, components...)
	e.Description = desc.String()
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Ask about it: mention me, or /ask with article: " + truncate(a.Title, 60)}
	r := reply{embeds: []*discordgo.MessageEmbed{e}, components: rows(components)}
	fitEmbeds(&r)
	return r
}
