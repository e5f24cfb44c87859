package corpus

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ArticleID names an article: its file name without the extension.
type ArticleID string

// Article is one news article split into paragraphs and sentences.
//
// An Article is immutable once loaded and safe for concurrent reads.
type Article struct {
	ID     ArticleID
	Title  string
	Source string // the outlet that published it, e.g. "The Irish Times"
	Agency string // the wire agency credited on its last line, e.g. "PA"; "" if none
	URL    string
	Author string
	// Published is the publication time; the zero Time when unknown.
	Published time.Time
	// Also lists other outlets' copies of the same story (a wire story
	// carried by several), from a .json article's "also" field; nil when
	// there are none.
	Also []Link
	// Guilds are the Discord servers the article is answered in (an
	// article from a server's own feed, a .json article's "guild" field);
	// nil means every server.
	Guilds []string
	// Paragraphs in article order; Paragraphs[i].Number == i+1.
	Paragraphs []Paragraph
	// Encoding is the encoding the file was converted from when it was
	// not UTF-8 and had to be guessed (Windows1252); "" for UTF-8, and
	// for UTF-16 with a byte-order mark.
	Encoding string
	// Hash is a digest of the format and bytes of the file the article was
	// read from and of its sidecar, used by the corpus fingerprint to
	// detect changes.
	Hash string
}

// VisibleIn reports whether the article is answered in the Discord
// server guild: articles for every server are; a server's own articles
// only there. guild "" (outside any server) sees only those for every
// server.
func (a *Article) VisibleIn(guild string) bool {
	if len(a.Guilds) == 0 {
		return true
	}
	return guild != "" && slices.Contains(a.Guilds, guild)
}

// ParseGuilds reads a "guild" field: server ids separated by commas (or
// ", " as a JSON list is read). Empty parts are dropped; nil when none.
func ParseGuilds(s string) []string {
	var out []string
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// Link is another outlet's copy of an article: who published it, and
// where.
type Link struct {
	Source string `json:"source" yaml:"source"`
	URL    string `json:"url" yaml:"url"`
}

// Paragraph is one paragraph of an article.
type Paragraph struct {
	Number    int    // counts from 1 within the article
	Text      string // the paragraph, white space folded
	Sentences []Sentence
}

// Sentence is the unit verbatim quotes.
type Sentence struct {
	Article   ArticleID
	Paragraph int // counts from 1 within the article
	Number    int // counts from 1 within its paragraph
	Position  int // counts from 1 within the article, across paragraphs
	// Text is the sentence exactly as the article has it, white space folded.
	Text string
	// Speaker is who the sentence reports the words of ("Zalmy Khalilzad",
	// "Iraqi officials"); "" when it reports nobody's words.
	Speaker string
	// Role is the speaker's role where the article gives one in apposition
	// ("US ambassador to Iraq"); "" otherwise.
	Role string
}

// Ref identifies a sentence within a corpus.
type Ref struct {
	Article   ArticleID
	Paragraph int
	Sentence  int
}

// String formats the reference as "article/paragraph/sentence".
func (r Ref) String() string {
	return fmt.Sprintf("%s/%d/%d", r.Article, r.Paragraph, r.Sentence)
}

// Ref returns the sentence's reference.
func (s Sentence) Ref() Ref {
	return Ref{Article: s.Article, Paragraph: s.Paragraph, Sentence: s.Number}
}

// Sentences returns every sentence of the article in order. The slice is
// new; the sentences are copies.
func (a *Article) Sentences() []Sentence {
	n := 0
	for _, p := range a.Paragraphs {
		n += len(p.Sentences)
	}
	out := make([]Sentence, 0, n)
	for _, p := range a.Paragraphs {
		out = append(out, p.Sentences...)
	}
	return out
}

// AppendQuotesBy appends to out the sentences of a that report the words
// of speaker (any case), in article order.
func (a *Article) AppendQuotesBy(out []Sentence, speaker string) []Sentence {
	for _, p := range a.Paragraphs {
		for _, s := range p.Sentences {
			if s.Speaker != "" && strings.EqualFold(s.Speaker, speaker) {
				out = append(out, s)
			}
		}
	}
	return out
}

// Sentence returns the sentence at paragraph p, sentence n (both counting
// from 1), and false when there is none.
func (a *Article) Sentence(p, n int) (Sentence, bool) {
	if p < 1 || p > len(a.Paragraphs) {
		return Sentence{}, false
	}
	ss := a.Paragraphs[p-1].Sentences
	if n < 1 || n > len(ss) {
		return Sentence{}, false
	}
	return ss[n-1], true
}

// Date formats the publication date as YYYY-MM-DD, or "" when unknown.
func (a *Article) Date() string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format(time.DateOnly)
}
