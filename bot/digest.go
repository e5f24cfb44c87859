package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// DigestMaxArticles is how many articles one digest post holds; the rest
// are counted as "and N more".
const DigestMaxArticles = 5

// DigestSource is what a digest is made from; *retrieval.Index provides
// it. Implementations must be safe for concurrent use.
type DigestSource interface {
	Digest(since time.Time, n int, newestIfNone bool) []retrieval.DigestItem
	KeySentences(id corpus.ArticleID, n int) ([]retrieval.Quote, error)
}

// Digest is the content of one digest post.
type Digest struct {
	// Since is the time after which articles count as new.
	Since time.Time
	// Items are at most DigestMaxArticles articles, newest first (by
	// when they were first indexed, then publication date, then id), each
	// with its key sentences in article order.
	Items []retrieval.DigestItem
	// More counts the new articles left out.
	More int
	// Newest is when the newest of the new articles (shown or counted in
	// More) was first indexed; the zero time when none is new. The next
	// digest takes the articles first indexed after it: not after the
	// time the digest was made, since an article being indexed then
	// becomes visible later with an earlier time.
	Newest time.Time
}

// SelectDigest picks a digest: the articles first indexed after since and
// no later than until, newest first, the first DigestMaxArticles of them
// with their retrieval.DefaultKeySentences key sentences. With
// newestIfNone set and nothing that new, it holds the newest article
// instead (a first digest is never empty). No items means no digest. It is
// deterministic: the same index and times give the same digest. The bot
// posts exactly this selection, and `verbatim digest` prints it.
func SelectDigest(src DigestSource, since, until time.Time, newestIfNone bool) Digest {
	// Key sentences cost a ranking per article: list first, summarise only
	// what is shown.
	items := addedBy(src.Digest(since, 0, false), until)
	d := Digest{Since: since}
	if len(items) > 0 {
		d.Newest = items[0].Added
	}
	if len(items) == 0 && newestIfNone {
		items = addedBy(src.Digest(time.Time{}, 0, false), until)
		items = items[:min(1, len(items))]
	}
	for _, it := range items {
		if len(d.Items) == DigestMaxArticles {
			d.More++
			continue
		}
		quotes, err := src.KeySentences(it.Article.ID, retrieval.DefaultKeySentences)
		if err != nil {
			continue // removed from the corpus meanwhile
		}
		it.Quotes = quotes
		d.Items = append(d.Items, it)
	}
	return d
}

// addedBy keeps the items first indexed no later than until.
func addedBy(items []retrieval.DigestItem, until time.Time) []retrieval.DigestItem {
	var out []retrieval.DigestItem
	for _, it := range items {
		if !it.Added.After(until) {
			out = append(out, it)
		}
	}
	return out
}

// digestReply renders a digest post: a heading with the local date, then
// one embed per article (its title linked to the article, outlet and date,
// then each key sentence quoted with its speaker and its paragraph, linked
// to the sentence), and "and N more" under the last. Over Discord's limits,
// the sentence links go first (from the last article up), then whole key
// sentences: a quote is never cut.
func digestReply(d Digest, day time.Time) reply {
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

// digestNonce is the message nonce of a channel's digest for a local day:
// the same on every attempt, so that Discord (with enforce_nonce) creates
// the message once however often it is sent. Discord takes at most 25
// characters.
func digestNonce(channelID, day string) string {
	h := sha256.Sum256([]byte("verbatim digest\x00" + channelID + "\x00" + day))
	return hex.EncodeToString(h[:])[:25]
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
