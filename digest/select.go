package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// MaxArticles is how many articles one digest post holds; the rest are
// counted as "and N more".
const MaxArticles = 5

// Source is what a digest is made from; *retrieval.Index provides it.
// Implementations must be safe for concurrent use.
type Source interface {
	Digest(since time.Time, n int, newestIfNone bool) []retrieval.DigestItem
	KeySentences(id corpus.ArticleID, n int) ([]retrieval.Quote, error)
}

// Digest is the content of one digest post.
type Digest struct {
	// Since is the time after which articles count as new.
	Since time.Time
	// Items are at most MaxArticles articles, newest first (by when they
	// were first indexed, then publication date, then id), each with its
	// key sentences in article order.
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

// Select picks a digest: the articles first indexed after since and no
// later than until, newest first, the first MaxArticles of them with their
// retrieval.DefaultKeySentences key sentences. With newestIfNone set and
// nothing that new, it holds the newest article instead (a first digest is
// never empty). No items means no digest. It is deterministic: the same
// index and times give the same digest. The bot posts exactly this
// selection, and `verbatim digest` prints it.
//
// guild is the Discord server the digest is for, as retrieval.Query.Guild:
// only the articles answered there are selected ("" for every article,
// retrieval.NoGuild for those of every server only).
func Select(src Source, since, until time.Time, newestIfNone bool, guild string) Digest {
	// Key sentences cost a ranking per article: list first, summarise only
	// what is shown.
	items := addedBy(src.Digest(since, 0, false), until, guild)
	d := Digest{Since: since}
	if len(items) > 0 {
		d.Newest = items[0].Added
	}
	if len(items) == 0 && newestIfNone {
		items = addedBy(src.Digest(time.Time{}, 0, false), until, guild)
		items = items[:min(1, len(items))]
	}
	for _, it := range items {
		if len(d.Items) == MaxArticles {
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

// addedBy keeps the items first indexed no later than until, of the
// articles answered in guild (as Select's).
func addedBy(items []retrieval.DigestItem, until time.Time, guild string) []retrieval.DigestItem {
	var out []retrieval.DigestItem
	for _, it := range items {
		if !it.Added.After(until) && visibleIn(it.Article, guild) {
			out = append(out, it)
		}
	}
	return out
}

// visibleIn reports whether article a is answered in guild, as
// retrieval.Query.Guild has it.
func visibleIn(a *corpus.Article, guild string) bool {
	switch guild {
	case "":
		return true
	case retrieval.NoGuild:
		return a.VisibleIn("")
	}
	return a.VisibleIn(guild)
}

// ScopeOf is the guild a digest for a channel of guildID is selected
// for (see Select): the server, or, for a channel whose server is not
// known, retrieval.NoGuild (the articles of every server only).
func ScopeOf(guildID string) string {
	if guildID == "" {
		return retrieval.NoGuild
	}
	return guildID
}

// Nonce is the message nonce of a channel's digest for a local day
// (YYYY-MM-DD): the same on every attempt, so that Discord (with
// enforce_nonce) creates the message once however often it is sent.
// Discord takes at most 25 characters.
func Nonce(channelID, day string) string {
	h := sha256.Sum256([]byte("verbatim digest\x00" + channelID + "\x00" + day))
	return hex.EncodeToString(h[:])[:25]
}
