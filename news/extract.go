package news

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Page is the article extracted from a web page.
type Page struct {
	Title     string
	Byline    string    // the author(s), "By " removed; "" when unknown
	SiteName  string    // the outlet, from og:site_name or JSON-LD; "" when unknown
	Published time.Time // zero when unknown
	// Canonical is the page's own idea of its URL (link rel=canonical, else
	// og:url), resolved against the page URL; "" when it gives none.
	Canonical  string
	Paragraphs []string // the article's text, white space folded
}

// Words counts the words of the page's paragraphs.
func (p *Page) Words() int {
	n := 0
	for _, para := range p.Paragraphs {
		n += len(strings.Fields(para))
	}
	return n
}

// MinWords is the fewest words an extracted page must have to be used;
// with fewer, the feed's own text is used instead.
const MinWords = 80

// MaxElements is the most HTML elements a page may have to be extracted.
const MaxElements = 30000

// ErrTooShort is returned by Extract for a page with fewer than MinWords
// words of article text.
var ErrTooShort = errors.New("too little article text in the page")

// Extract finds the article in an HTML page: its title, byline, date,
// outlet, canonical URL and paragraphs, with navigation, banners, ads,
// related links, comments and scripts left out. contentType is the
// response's Content-Type (for the character set); pageURL resolves
// relative links. A page with fewer than MinWords words of article text
// gives ErrTooShort (and what was found).
func Extract(body []byte, contentType string, pageURL *url.URL) (*Page, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse page: %w", err)
	}
	p := &Page{Canonical: canonicalLink(doc, pageURL)}
	parser := readability.NewParser()
	parser.Logger = slog.New(slog.DiscardHandler)
	// A news page has a few thousand elements; one with far more costs
	// seconds of processor time to score, and is refused (the feed's
	// text is used instead).
	parser.MaxElemsToParse = MaxElements
	art, err := parser.ParseAndMutate(doc, pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract article: %w", err)
	}
	p.Title = corpus.FoldSpace(art.Title())
	p.Byline = cleanByline(art.Byline())
	p.SiteName = corpus.FoldSpace(art.SiteName())
	if t, err := art.PublishedTime(); err == nil {
		p.Published = t
	}
	if art.Node != nil {
		p.Paragraphs = dropBoilerplate(dropMetaLines(paragraphs(art.Node), p.Byline))
	}
	if p.Words() < MinWords {
		return p, ErrTooShort
	}
	return p, nil
}

// canonicalLink returns the page's link rel=canonical, else its og:url,
// resolved against base; "" when it has neither or they are not http(s).
func canonicalLink(doc *html.Node, base *url.URL) string {
	var canonical, ogURL string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					canonical = attr(n, "href")
				}
			case atom.Meta:
				if ogURL == "" && attr(n, "property") == "og:url" {
					ogURL = attr(n, "content")
				}
			case atom.Body:
				return // metadata lives in the head
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, raw := range []string{canonical, ogURL} {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.Scheme == "http" || u.Scheme == "https" {
			return u.String()
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, token string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, token) {
			return true
		}
	}
	return false
}

// cleanByline folds the byline's space and drops a leading "By".
func cleanByline(s string) string {
	s = corpus.FoldSpace(s)
	for _, p := range []string{"By ", "by ", "BY "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimSpace(s)
}

// paragraphs returns the text of the article's paragraphs: each p, li,
// blockquote without paragraphs of its own, and pre, in document order;
// headings and figure captions are left out. When the article has none of
// these, its text is split at blank lines.
func paragraphs(root *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Figcaption, atom.Script, atom.Style, atom.Noscript, atom.Button, atom.Nav, atom.Aside, atom.Form:
				return
			case atom.P, atom.Li, atom.Pre:
				if t := corpus.FoldSpace(render.InnerText(n)); t != "" {
					out = append(out, t)
				}
				return
			case atom.Blockquote:
				if !hasDescendant(n, atom.P) {
					if t := corpus.FoldSpace(render.InnerText(n)); t != "" {
						out = append(out, t)
					}
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if len(out) == 0 {
		for _, block := range strings.Split(render.InnerText(root), "\n\n") {
			if t := corpus.FoldSpace(block); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// dropMetaLines drops the leading lines that are the byline or the date
// ("Ciaran Walsh · 1 December 2026"), which readability keeps when a
// site puts them inside the article: short, with no sentence end, naming
// the author or holding a digit.
func dropMetaLines(paras []string, byline string) []string {
	for len(paras) > 0 {
		p := paras[0]
		short := len(strings.Fields(p)) <= 12 && !endsSentence(p)
		meta := (byline != "" && strings.Contains(p, byline)) || strings.ContainsAny(p, "0123456789")
		if !short || !meta {
			break
		}
		paras = paras[1:]
	}
	return paras
}

// boilerplateStarts begin the short lines that sites put among an
// article's paragraphs and that are not its text.
var boilerplateStarts = []string{
	"advertisement", "advertising", "sponsored", "read more", "read next", "related:",
	"related stories", "see also", "also read", "recommended", "sign up", "subscribe",
	"share this", "share on", "click here", "follow us", "listen to this article",
	"continue reading", "story continues below", "this article was", "©", "copyright",
}

// dropBoilerplate drops short lines such as "Advertisement" or "Read
// more: ..." that readability keeps inside an article's body: at most 15
// words, no sentence end, and a known beginning (a sentence such as
// "Subscribers were told on Monday." stays).
func dropBoilerplate(paras []string) []string {
	out := paras[:0]
	for _, p := range paras {
		if len(strings.Fields(p)) <= 15 && !endsSentence(p) && hasPrefixFold(p, boilerplateStarts) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// endsSentence reports whether s ends as a sentence does: with a full
// stop, question or exclamation mark, or a closing quote.
func endsSentence(s string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return strings.ContainsRune(".!?\"”'’", last)
}

func hasPrefixFold(s string, prefixes []string) bool {
	lower := strings.ToLower(strings.TrimLeft(s, " -–—•*>|"))
	for _, p := range prefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

func hasDescendant(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if (c.Type == html.ElementNode && c.DataAtom == a) || hasDescendant(c, a) {
			return true
		}
	}
	return false
}
