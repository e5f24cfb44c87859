package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Format is an article file format, named by its extension.
type Format string

// The article formats verbatim reads.
const (
	FormatText     Format = ".txt"
	FormatMarkdown Format = ".md"
	FormatJSON     Format = ".json"
)

// parseVersion changes whenever parsing, segmentation or attribution changes
// what an article file turns into, so that indexes built by an older
// version are rebuilt rather than trusted.
const parseVersion = "verbatim-parse-2"

// Meta is an article's publication details, as given in a file header,
// front matter, a JSON article or a sidecar NAME.meta.json.
type Meta struct {
	Title     string `json:"title" yaml:"title"`
	Source    string `json:"source" yaml:"source"`
	URL       string `json:"url" yaml:"url"`
	Published string `json:"published" yaml:"published"`
	Author    string `json:"author" yaml:"author"`
	Agency    string `json:"agency" yaml:"agency"`
}

// fill copies into m the fields it lacks from o.
func (m *Meta) fill(o Meta) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&m.Title, o.Title}, {&m.Source, o.Source}, {&m.URL, o.URL},
		{&m.Published, o.Published}, {&m.Author, o.Author}, {&m.Agency, o.Agency},
	} {
		if strings.TrimSpace(*f.dst) == "" {
			*f.dst = f.src
		}
	}
}

// Errors that describe why a file is not an article. Callers may test for
// them with errors.Is; the messages name the problem for users.
var (
	ErrBinary   = errors.New("binary file, not text")
	ErrTooLarge = errors.New("file too large")
	ErrNoText   = errors.New("no article text")
)

// Parse turns the bytes of one article file into an Article. format is the
// file's extension; sidecar holds the bytes of its NAME.meta.json, or nil.
// Text must be UTF-8 (a byte order mark is dropped), UTF-16 with a byte
// order mark, or Windows-1252. Parse is safe for concurrent use.
func Parse(id ArticleID, format Format, data, sidecar []byte) (*Article, error) {
	body, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	var meta Meta
	var paras []string
	switch format {
	case FormatText:
		meta, body = splitTextHeader(body)
		paras = splitParagraphs(body)
	case FormatMarkdown:
		meta, body, err = splitFrontMatter(body)
		if err != nil {
			return nil, err
		}
		var title string
		paras, title = markdownParagraphs(body)
		if meta.Title == "" {
			meta.Title = title
		}
	case FormatJSON:
		meta, body, err = parseJSONArticle(body)
		if err != nil {
			return nil, err
		}
		paras = splitParagraphs(body)
	default:
		return nil, fmt.Errorf("unknown article format %q (want .txt, .md or .json)", format)
	}
	if sidecar != nil {
		var side Meta
		if err := json.Unmarshal(sidecar, &side); err != nil {
			return nil, fmt.Errorf("sidecar metadata: %w", jsonError(sidecar, err))
		}
		meta.fill(side)
	}

	if agency, ok := agencyCredit(paras); ok {
		paras = paras[:len(paras)-1]
		if meta.Agency == "" {
			meta.Agency = agency
		}
	}

	a := &Article{
		ID:     id,
		Title:  FoldSpace(meta.Title),
		Source: FoldSpace(meta.Source),
		Agency: FoldSpace(meta.Agency),
		URL:    strings.TrimSpace(meta.URL),
		Author: FoldSpace(meta.Author),
	}
	if p := strings.TrimSpace(meta.Published); p != "" {
		t, err := ParseDate(p)
		if err != nil {
			return nil, err
		}
		a.Published = t
	}
	pos := 0
	for _, p := range paras {
		ss := SplitSentences(p)
		if len(ss) == 0 {
			continue
		}
		para := Paragraph{Number: len(a.Paragraphs) + 1, Text: FoldSpace(p)}
		for _, s := range ss {
			pos++
			para.Sentences = append(para.Sentences, Sentence{
				Article:   id,
				Paragraph: para.Number,
				Number:    len(para.Sentences) + 1,
				Position:  pos,
				Text:      s,
			})
		}
		a.Paragraphs = append(a.Paragraphs, para)
	}
	if len(a.Paragraphs) == 0 {
		return nil, ErrNoText
	}
	if a.Title == "" {
		a.Title = string(id)
	}
	attributeSpeakers(a.Paragraphs)

	h := sha256.New()
	h.Write([]byte(parseVersion))
	h.Write([]byte{0})
	h.Write(data)
	h.Write([]byte{0})
	h.Write(sidecar)
	a.Hash = hex.EncodeToString(h.Sum(nil)[:16])
	return a, nil
}

// decodeText returns data as UTF-8 text, or an error for binary data.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("decode UTF-16: %w", err)
		}
		data = out
	}
	if looksBinary(data) {
		return "", ErrBinary
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	// Not UTF-8: older newsroom exports are usually Windows-1252, which
	// maps every byte, so this cannot fail.
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("decode Windows-1252: %w", err)
	}
	return string(out), nil
}

// looksBinary reports whether data holds NUL bytes or many control
// characters in its first few kilobytes.
func looksBinary(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl > len(head)/20
}

var headerKeys = map[string]bool{"title": true, "source": true, "url": true, "published": true, "author": true, "agency": true}

// splitTextHeader takes the optional header block off a .txt article: lines
// of "Key: value" with known keys, ended by a blank line.
func splitTextHeader(s string) (Meta, string) {
	var m Meta
	rest := s
	seen := false
	for {
		line, after, found := strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			if seen {
				return m, after
			}
			if !found {
				return Meta{}, s
			}
			rest = after // leading blank lines before a header
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || !headerKeys[key] {
			return Meta{}, s
		}
		value = strings.TrimSpace(value)
		switch key {
		case "title":
			m.Title = value
		case "source":
			m.Source = value
		case "url":
			m.URL = value
		case "published":
			m.Published = value
		case "author":
			m.Author = value
		case "agency":
			m.Agency = value
		}
		seen = true
		if !found {
			return m, ""
		}
		rest = after
	}
}

// splitParagraphs splits a plain-text body into paragraphs. When blank lines
// separate the text, each block is a paragraph and its lines are joined;
// otherwise each line is a paragraph, except that a line broken inside a
// sentence is joined to the next.
func splitParagraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	lines := strings.Split(body, "\n")
	blankSeparated := false
	for i := 1; i+1 < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" && hasContent(lines[:i]) && hasContent(lines[i+1:]) {
			blankSeparated = true
			break
		}
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		if blankSeparated || len(cur) == 0 {
			cur = append(cur, line)
			continue
		}
		prev := cur[len(cur)-1]
		if !endsSentence(prev) && continuesSentence(line) && !(isBullet(prev) && isBullet(line)) {
			cur = append(cur, line)
			continue
		}
		flush()
		cur = append(cur, line)
	}
	flush()
	return paras
}

func hasContent(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return true
		}
	}
	return false
}

func isBullet(line string) bool {
	return strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "\u2022")
}

// knownAgencies are wire services whose credit line ends many articles.
var knownAgencies = map[string]bool{
	"pa": true, "ap": true, "afp": true, "reuters": true, "dpa": true, "ansa": true,
	"efe": true, "upi": true, "aap": true, "bloomberg": true, "xinhua": true,
	"pa media": true, "press association": true, "associated press": true,
	"agence france-presse": true, "kyodo": true, "tass": true, "cp": true,
}

// agencyCredit reports whether the last paragraph is a wire agency's credit
// ("PA", "Reuters", "(AP)") rather than text: a known agency, or at most
// three words in capitals with no sentence punctuation.
func agencyCredit(paras []string) (string, bool) {
	if len(paras) < 2 {
		return "", false
	}
	last := strings.TrimSpace(paras[len(paras)-1])
	last = strings.TrimSpace(strings.Trim(last, "()[]\u2014\u2013-"))
	if last == "" || len(last) > 40 || strings.ContainsAny(last, ".?!,;:\"") {
		return "", false
	}
	if knownAgencies[strings.ToLower(last)] {
		return last, true
	}
	words := strings.Fields(last)
	if len(words) > 3 {
		return "", false
	}
	for _, r := range last {
		if unicode.IsLower(r) {
			return "", false
		}
	}
	return last, true
}

// splitFrontMatter takes YAML front matter between "---" lines off a
// Markdown article. A file without front matter is all body.
func splitFrontMatter(s string) (Meta, string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return Meta{}, s, nil
	}
	rest := s[len("---\n"):]
	end := -1
	for off := 0; off <= len(rest); {
		line, _, found := strings.Cut(rest[off:], "\n")
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			end = off
			break
		}
		if !found {
			break
		}
		off += len(line) + 1
	}
	if end < 0 {
		return Meta{}, "", errors.New("front matter: no closing \"---\" line")
	}
	var raw map[string]any
	if err := yaml.Unmarshal([]byte(rest[:end]), &raw); err != nil {
		return Meta{}, "", fmt.Errorf("front matter: %w", err)
	}
	body := rest[end:]
	if _, after, ok := strings.Cut(body, "\n"); ok {
		body = after
	} else {
		body = ""
	}
	str := func(k string) string {
		v, ok := raw[k]
		if !ok || v == nil {
			return ""
		}
		switch v := v.(type) {
		case time.Time:
			if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
				return v.Format(time.DateOnly)
			}
			return v.Format(time.RFC3339)
		case []any:
			parts := make([]string, 0, len(v))
			for _, p := range v {
				parts = append(parts, fmt.Sprint(p))
			}
			return strings.Join(parts, ", ")
		}
		return fmt.Sprint(v)
	}
	m := Meta{
		Title: str("title"), Source: str("source"), URL: str("url"),
		Published: str("published"), Author: str("author"), Agency: str("agency"),
	}
	if m.Published == "" {
		m.Published = str("date")
	}
	return m, body, nil
}

// markdownParagraphs renders a Markdown body to plain paragraphs: the text
// of each paragraph, list item and block quote, without markup. Headings
// are not article text; the first level-one heading is returned as a title.
func markdownParagraphs(body string) (paras []string, title string) {
	src := []byte(body)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 && title == "" {
				title = inlineText(n, src)
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock:
			if t := FoldSpace(inlineText(n, src)); t != "" {
				paras = append(paras, t)
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return paras, title
}

// inlineText concatenates the text of n's inline descendants, turning soft
// and hard line breaks into spaces and dropping images.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for k := c.FirstChild(); k != nil; k = k.NextSibling() {
				if t, ok := k.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// jsonArticle is the shape of a .json article. Body may be one string or an
// array of paragraphs.
type jsonArticle struct {
	Meta
	Body json.RawMessage `json:"body"`
}

func parseJSONArticle(s string) (Meta, string, error) {
	var ja jsonArticle
	if err := json.Unmarshal([]byte(s), &ja); err != nil {
		return Meta{}, "", jsonError([]byte(s), err)
	}
	if len(ja.Body) == 0 || string(ja.Body) == "null" {
		return Meta{}, "", errors.New(`no "body" field`)
	}
	var body string
	if err := json.Unmarshal(ja.Body, &body); err != nil {
		var paras []string
		if err2 := json.Unmarshal(ja.Body, &paras); err2 != nil {
			return Meta{}, "", errors.New(`"body" must be a string or an array of strings`)
		}
		body = strings.Join(paras, "\n\n")
	}
	return ja.Meta, body, nil
}

// jsonError adds the line and column of a JSON syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("invalid JSON at line %d: %w", line, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("invalid JSON: field %q has the wrong type (%s, want %s)", te.Field, te.Value, te.Type)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

var dateLayouts = []string{
	time.RFC3339, time.DateOnly, "2006-01-02 15:04", "2006-01-02 15:04:05",
	time.RFC1123Z, time.RFC1123, "2 January 2006", "January 2, 2006",
	"Jan 2, 2006", "2 Jan 2006",
}

// ParseDate reads a publication date in one of the common layouts
// (2007-03-10, RFC 3339, RFC 1123, "10 March 2007", "March 10, 2007").
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("published date %q not understood (use YYYY-MM-DD or RFC 3339)", s)
}
