package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// digestReply renders a digest post: a heading with the local date, then
// one embed per article (its title linked to the article, outlet and date,
// then each key sentence quoted with its speaker and its paragraph, linked
// to the sentence), and "and N more" under the last. Over Discord's limits,
// the sentence links go first (from the last article up), then whole key
// sentences: a quote is never cut.
func digestReply(d digest.Digest, day time.Time) reply {
	var r reply
	n := len(d.Items) + d.More
	date := day.Format("Monday 2 January 2006")
	r.content = fmt.Sprintf("**Daily digest, %s**: %d new %s", date, n, plural(n, "article", "articles"))
	if n == 1 && len(d.Items) == 1 && !d.Items[0].Added.After(d.Since) {
		r.content = fmt.Sprintf("**Daily digest, %s**: the newest article", date)
	}
	build := func(linked int) {
		r.embeds = r.embeds[:0]
		for i, it := range d.Items {
			r.embeds = append(r.embeds, digestEmbed(it, i < linked))
		}
		if d.More > 0 && len(r.embeds) > 0 {
			r.embeds[len(r.embeds)-1].Footer = &discordgo.MessageEmbedFooter{
				Text: fmt.Sprintf("and %d more \u00b7 /article lists every article", d.More),
			}
		}
	}
	for linked := len(d.Items); linked >= 0; linked-- {
		build(linked)
		if embedsSize(r.embeds) <= maxEmbedTotal {
			break
		}
	}
	fitDigest(&r)
	return r
}

// digestEmbed renders one article of a digest, with links to its
// sentences or without.
func digestEmbed(it retrieval.DigestItem, links bool) *discordgo.MessageEmbed {
	a := it.Article
	e := &discordgo.MessageEmbed{Title: truncate(a.Title, maxTitle), Color: colourAnswer}
	if fragmentLink(a.URL, "") != "" {
		e.URL = a.URL
	}
	var b strings.Builder
	if meta := articleMeta(a); meta != "" {
		b.WriteString(meta)
		b.WriteString("\n")
	}
	for _, q := range it.Quotes {
		b.WriteString(quoteBody(q))
		if links {
			b.WriteString(paragraphLink(q))
		} else {
			fmt.Fprintf(&b, "\u00b6 %d", q.Paragraph)
		}
		b.WriteString("\n")
	}
	e.Description = strings.TrimSuffix(b.String(), "\n")
	return e
}

// paragraphLink is "¶ N", linked to the sentence in the article when it
// has a URL.
func paragraphLink(q retrieval.Quote) string {
	p := fmt.Sprintf("\u00b6 %d", q.Paragraph)
	if link := fragmentLink(q.Article.URL, q.Text); link != "" {
		return "[" + p + "](" + linkURL(link) + ")"
	}
	return p
}

// fitDigest keeps a digest within Discord's limits by leaving out whole
// key sentences, the last of the longest article first (each article
// keeps one), rather than cutting a quote; fitEmbeds is the last resort.
func fitDigest(r *reply) {
	quotes := func(e *discordgo.MessageEmbed) int { return strings.Count("\n"+e.Description, "\n> ") }
	for embedsSize(r.embeds) > maxEmbedTotal {
		var longest *discordgo.MessageEmbed
		for _, e := range r.embeds {
			if quotes(e) > 1 && (longest == nil || len(e.Description) > len(longest.Description)) {
				longest = e
			}
		}
		if longest == nil {
			break
		}
		longest.Description = longest.Description[:strings.LastIndex(longest.Description, "\n> ")]
	}
	fitEmbeds(r)
}

// nonceMessage is a channel message with a nonce, which
// discordgo.MessageSend cannot carry.
type nonceMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// postMessage sends a message to a channel, with a nonce Discord enforces
// when nonce is not "". allowed_mentions parses nothing, as everywhere.
func (b *Bot) postMessage(ctx context.Context, channelID string, r reply, nonce string) (*discordgo.Message, error) {
	body := nonceMessage{MessageSend: r.messageSend(nil), Nonce: nonce, EnforceNonce: nonce != ""}
	ep := discordgo.EndpointChannelMessages(channelID)
	raw, err := b.session.RequestWithBucketID(http.MethodPost, ep, body, ep, discordgo.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("post to channel %s: %w", channelID, err)
	}
	var m discordgo.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("post to channel %s: read the answer: %w", channelID, err)
	}
	return &m, nil
}

// lostChannel tells, from an error of a request to a channel, whether
// Discord refused it for good: 403 (no access or no permission) or 404
// (the channel is gone). It returns a short reason for /digest status.
func lostChannel(err error) (string, bool) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return "", false
	}
	switch re.Response.StatusCode {
	case http.StatusForbidden, http.StatusNotFound:
	default:
		return "", false
	}
	reason := re.Response.Status
	if re.Message != nil && re.Message.Message != "" {
		reason = fmt.Sprintf("%d %s", re.Response.StatusCode, re.Message.Message)
	}
	return reason, true
}

// poster is how the digest scheduler reaches Discord: it implements
// digest.Poster over the bot's session.
type poster struct{ b *Bot }

var _ digest.Poster = poster{}

// gone turns Discord's refusal of a channel (403, 404) into an error
// wrapping digest.ErrChannelGone.
func gone(err error) error {
	if reason, isLost := lostChannel(err); isLost {
		return fmt.Errorf("%w (%v)", digest.ChannelGone(reason), err)
	}
	return err
}

// LookupChannel returns a channel's guild and whether it is an
// announcement channel.
func (p poster) LookupChannel(ctx context.Context, channelID string) (digest.Channel, error) {
	ch, err := p.b.session.Channel(channelID, discordgo.WithContext(ctx))
	if err != nil {
		return digest.Channel{}, gone(err)
	}
	return digest.Channel{GuildID: ch.GuildID, News: ch.Type == discordgo.ChannelTypeGuildNews}, nil
}

// PostDigest renders a digest and posts it with its nonce.
func (p poster) PostDigest(ctx context.Context, channelID string, d digest.Digest, day time.Time, nonce string) (string, error) {
	m, err := p.b.postMessage(ctx, channelID, digestReply(d, day), nonce)
	if err != nil {
		return "", gone(err)
	}
	return m.ID, nil
}

// OpenThread opens a thread for an article under a digest and introduces
// it: questions there are answered from that article only. A failed
// introduction is logged; the thread is open.
func (p poster) OpenThread(ctx context.Context, channelID string, news bool, a *corpus.Article) (string, error) {
	typ := discordgo.ChannelTypeGuildPublicThread
	if news {
		typ = discordgo.ChannelTypeGuildNewsThread
	}
	th, err := p.b.session.ThreadStartComplex(channelID, &discordgo.ThreadStart{
		Name: threadName(a.Title), AutoArchiveDuration: 1440, Type: typ,
	}, discordgo.WithContext(ctx))
	if err != nil {
		return "", gone(err)
	}
	intro := notice("Questions here are answered from \u201c"+escape(a.Title)+"\u201d only: mention me, or end your message with a question mark.", false)
	if _, err := p.b.postMessage(ctx, th.ID, intro, ""); err != nil {
		p.b.log.Warn("introducing a digest thread", "thread", th.ID, "err", err)
	}
	return th.ID, nil
}

// threadName is a thread's name for an article: its title, within
// Discord's 100 characters.
func threadName(title string) string {
	return truncate(strings.Join(strings.Fields(title), " "), 100)
}
