package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
const parseVersion = "verbatim-parse-3"

// Meta is an article's publication details, as given in a file header,
// front matter, a JSON article or a sidecar NAME.meta.json.
type Meta struct {
	Title     string `json:"title" yaml:"title"`
	Source    string `json:"source" yaml:"source"`
	URL       string `json:"url" yaml:"url"`
	Published string `json:"published" yaml:"published"`
	Author    string `json:"author" yaml:"author"`
	Agency    string `json:"agency" yaml:"agency"`
	// Also lists other outlets' copies of the same story.
	Also []Link `json:"also" yaml:"also"`
	// Guild is the Discord server (or servers, comma-separated) the
	// article is answered in; "" for every server.
	Guild string `json:"guild" yaml:"guild"`
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
	if len(m.Also) == 0 {
		m.Also = o.Also
	}
	if strings.TrimSpace(m.Guild) == "" {
		m.Guild = o.Guild
	}
}

// field returns the field of m that a lower-case key ("title", "url",
// ...: its JSON name) names, or nil when the key names none.
func (m *Meta) field(key string) *string {
	switch key {
	case "title":
		return &m.Title
	case "source":
		return &m.Source
	case "url":
		return &m.URL
	case "published":
		return &m.Published
	case "author":
		return &m.Author
	case "agency":
		return &m.Agency
	}
	return nil
}

// Errors that describe why a file is not an article. Callers may test for
// them with errors.Is; the messages name the problem for users.
var (
	ErrBinary   = errors.New("binary file, not text")
	ErrTooLarge = errors.New("file too large")
	ErrNoText   = errors.New("no article text")
	ErrEncoding = errors.New("not UTF-8 text")
)

// Parse turns the bytes of one article file into an Article. format is the
// file's extension; sidecar holds the bytes of its NAME.meta.json, or nil.
// Metadata in the file itself wins over the sidecar's; the sidecar fills the
// fields the file lacks.
//
// Text must be UTF-8 (a byte order mark is dropped), UTF-16 with a byte
// order mark, or Windows-1252. The error wraps ErrBinary for binary data
// and ErrNoText for a file with no article text (empty, blank, or only a
// header); a broken sidecar gives a *SidecarError. Parse is safe for
// concurrent use.
func Parse(id ArticleID, format Format, data, sidecar []byte) (*Article, error) {
	switch format {
	case FormatText, FormatMarkdown, FormatJSON:
	default:
		return nil, fmt.Errorf("unknown article format %q (want .txt, .md or .json)", format)
	}
	body, encoding, err := decodeTextFrom(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(body) == "" {
		return nil, ErrNoText
	}
	var meta Meta
	var paras []string
	var h1 string // a Markdown article's first level-one heading
	switch format {
	case FormatText:
		meta, body = splitTextHeader(body)
		paras = splitParagraphs(body)
	case FormatMarkdown:
		meta, body, err = splitFrontMatter(body)
		if err != nil {
			return nil, err
		}
		paras, h1 = markdownParagraphs(body)
	case FormatJSON:
		meta, paras, err = parseJSONArticle(body)
		if err != nil {
			return nil, err
		}
	}
	if sidecar != nil {
		side, err := parseSidecar(sidecar)
		if err != nil {
			return nil, err
		}
		meta.fill(side)
	}
	if strings.TrimSpace(meta.Title) == "" {
		meta.Title = h1
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

		Encoding: encoding,
	}
	a.Guilds = ParseGuilds(meta.Guild)
	for _, l := range meta.Also {
		l = Link{Source: FoldSpace(l.Source), URL: strings.TrimSpace(l.URL)}
		if l.Source != "" || l.URL != "" {
			a.Also = append(a.Also, l)
		}
	}
	if p := strings.TrimSpace(meta.Published); p != "" {
		t, err := ParseDate(p)
		if err != nil {
			return nil, err
		}
		a.Published = t
	}
	pos := 0
	a.Paragraphs = make([]Paragraph, 0, len(paras))
	for _, p := range paras {
		text := FoldSpace(p)
		ss := splitFolded(text)
		if len(ss) == 0 {
			continue
		}
		para := Paragraph{Number: len(a.Paragraphs) + 1, Text: text, Sentences: make([]Sentence, 0, len(ss))}
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

	// The format is hashed too: the same bytes read as .txt and as .md
	// are different articles.
	a.Hash = articleHash(format, data, sidecar)
	return a, nil
}

// decodeText returns data as UTF-8 text, or an error for binary data.
func decodeText(data []byte) (string, error) {
	text, _, err := decodeTextFrom(data)
	return text, err
}

// Windows1252 is the Encoding of an article read from a file that was
// not UTF-8 but read as Windows-1252 text.
const Windows1252 = "Windows-1252"

// decodeTextFrom is decodeText that also tells the encoding it guessed:
// Windows1252, or "" for UTF-8 (or UTF-16 with a byte-order mark, which
// is no guess).
func decodeTextFrom(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "", fmt.Errorf("decode UTF-16: %w", err)
		}
		data = out
	}
	if looksBinary(data) {
		return "", "", ErrBinary
	}
	if utf8.Valid(data) {
		return string(data), "", nil
	}
	// Not UTF-8: older newsroom exports are usually Windows-1252, but any
	// byte decodes as something in it, so it is taken only for bytes that
	// read as Windows-1252 text.
	if off, ok := looksWindows1252(data); !ok {
		return "", "", fmt.Errorf("%w (byte 0x%02X at offset %d reads as neither UTF-8 nor Windows-1252 text): save the file as UTF-8", ErrEncoding, data[off], off)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("decode Windows-1252: %w", err)
	}
	return string(out), Windows1252, nil
}

// looksWindows1252 reports whether data, not valid UTF-8, reads as
// Windows-1252 text: no control characters, none of the five bytes
// Windows-1252 leaves undefined, and every run of bytes over 0x7F that
// holds a Latin-1 letter (é, ß, Ø) longer than one byte touches an
// ASCII letter, as in "café" or "Müller", not "ÿþý". When it does not,
// the offset of the first byte that does not fit comes back.
func looksWindows1252(data []byte) (int, bool) {
	isASCIILetter := func(i int) bool {
		if i < 0 || i >= len(data) {
			return false
		}
		c := data[i] | 0x20
		return c >= 'a' && c <= 'z'
	}
	// UTF-8 sequences beside bytes that are not: damaged UTF-8, which
	// Windows-1252 would turn into "cafÃ©".
	bad := -1
	multi := false
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 && bad < 0 {
			bad = i
		}
		multi = multi || n > 1
		i += n
	}
	if multi && bad >= 0 {
		return bad, false
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == 0x7F, c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f':
			return i, false
		case c < 0x80:
			continue
		}
		start := i
		letters := false
		for ; i < len(data) && data[i] >= 0x80; i++ {
			switch data[i] {
			case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
				return i, false
			case 0xD7, 0xF7: // × and ÷
			default:
				letters = letters || data[i] >= 0xC0
			}
		}
		if letters && i-start > 1 && !isASCIILetter(start-1) && !isASCIILetter(i) {
			return start, false
		}
		i--
	}
	return 0, true
}

// looksBinary reports whether data holds a NUL byte, or many control
// characters in its first few kilobytes.
func looksBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl > len(head)/20
}

// splitTextHeader takes the optional header block off a .txt article: lines
// of "Key: value" with known keys (Title, Source, URL, Published, Author,
// Agency, in any case), ended by a blank line. Anything else, such as a
// first line "Note: the talks ...", or known keys not followed by a blank
// line, is text.
func splitTextHeader(s string) (Meta, string) {
	var m Meta
	rest := s
	seen := false
	for {
		line, after, found := strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if !found && strings.TrimSpace(line) == "" {
			// The end of the file, after its last line break, is
			// not a blank line.
			return Meta{}, s
		}
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
		field := m.field(strings.ToLower(strings.TrimSpace(key)))
		if !ok || field == nil {
			return Meta{}, s
		}
		*field = strings.TrimSpace(value)
		seen = true
		if !found {
			// Known keys up to the end, with no blank line: text.
			return Meta{}, s
		}
		rest = after
	}
}

// splitParagraphs splits a plain-text body into paragraphs.
//
// Text with a paragraph on each line and text hard-wrapped into blocks
// separated by blank lines both occur, and a file can have blank lines
// either way. The line breaks inside blocks tell them apart: in wrapped
// text most lines end inside a sentence, in one-per-line text most end
// with closing punctuation. When most do not, each block is a paragraph
// and its lines are joined. Otherwise each line is a paragraph, except that
// a line broken inside a sentence (one that ends without closing
// punctuation, followed by one that starts in lower case or with a dash)
// is joined to the next. Either way a bullet line ("- ", "* ", "•") never
// joins a paragraph that is already a list item.
func splitParagraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	wrapped, ended, blank := 0, 0, false
	for i := 0; i+1 < len(lines); i++ {
		switch {
		case lines[i] == "":
			blank = true
		case lines[i+1] == "":
		case endsSentence(lines[i]):
			ended++
		default:
			wrapped++
		}
	}
	blocks := blank && wrapped > ended

	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	for _, line := range lines {
		if line == "" {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			list := isBullet(line) && (isBullet(cur[0]) || isBullet(prev))
			if !list && (blocks || !endsSentence(prev) && continuesSentence(line)) {
				cur = append(cur, line)
				continue
			}
			flush()
		}
		cur = append(cur, line)
	}
	flush()
	return paras
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

// agencyCredit reports whether the last paragraph of an article of two or
// more is a wire agency's credit ("PA", "Reuters.", "(AP)", "- AFP") rather
// than text: a known agency, or one to three words in capitals with no
// sentence punctuation ("PA MEDIA"). A short sentence ("Talks resume on
// Monday.") is text.
func agencyCredit(paras []string) (string, bool) {
	if len(paras) < 2 {
		return "", false
	}
	last := strings.TrimSpace(paras[len(paras)-1])
	last = FoldSpace(strings.Trim(last, "()[]\u2014\u2013- "))
	if known := strings.TrimSuffix(last, "."); knownAgencies[strings.ToLower(known)] {
		return known, true
	}
	if last == "" || len(last) > 40 || strings.ContainsAny(last, ".?!,;:\"") {
		return "", false
	}
	if words := strings.Fields(last); len(words) > 3 {
		return "", false
	}
	letter := false
	for _, r := range last {
		if unicode.IsLower(r) {
			return "", false
		}
		letter = letter || unicode.IsLetter(r)
	}
	return last, letter
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

// markdownParser is CommonMark's parser, built once: building it costs more
// than parsing an article. Its Parse is safe for concurrent use.
var markdownParser = sync.OnceValue(func() parser.Parser { return goldmark.New().Parser() })

// markdownParagraphs renders a Markdown body to plain paragraphs: the text
// of each paragraph, list item and block quote, without markup. Headings
// are not article text; the first level-one heading is returned as a title.
func markdownParagraphs(body string) (paras []string, title string) {
	src := []byte(body)
	doc := markdownParser().Parse(text.NewReader(src))
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
			// Backslash escapes and entity references are resolved
			// when Markdown is rendered; the article's text is the
			// rendered text.
			b.Write(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(c.Segment.Value(src)))))
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

// jsonArticle is the shape of a .json article and of a sidecar (whose body,
// if any, is ignored). Body may be one string or an array of paragraphs.
type jsonArticle struct {
	Title     jsonText        `json:"title"`
	Source    jsonText        `json:"source"`
	URL       jsonText        `json:"url"`
	Published jsonText        `json:"published"`
	Author    jsonText        `json:"author"`
	Agency    jsonText        `json:"agency"`
	Also      []Link          `json:"also"`
	Guild     jsonText        `json:"guild"`
	Body      json.RawMessage `json:"body"`
}

func (ja *jsonArticle) meta() Meta {
	return Meta{
		Title: string(ja.Title), Source: string(ja.Source), URL: string(ja.URL),
		Published: string(ja.Published), Author: string(ja.Author), Agency: string(ja.Agency),
		Also: ja.Also, Guild: string(ja.Guild),
	}
}

// jsonText is a metadata value in JSON: a string, a number, or a list of
// strings (several authors), which is joined with commas.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = jsonText(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*t = jsonText(strings.Join(list, ", "))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*t = jsonText(n)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[string]()}
}

// jsonKind names the kind of a JSON value for error messages.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// parseJSONArticle reads a .json article: its metadata and paragraphs. A
// body string is split like a .txt body; each string of a body array is
// one paragraph.
func parseJSONArticle(s string) (Meta, []string, error) {
	data := []byte(s)
	if b := bytes.TrimSpace(data); len(b) > 0 && b[0] != '{' && json.Valid(b) {
		return Meta{}, nil, fmt.Errorf("invalid JSON: want an object {\"title\": ..., \"body\": ...}, not %s", jsonKind(b))
	}
	var ja jsonArticle
	if err := json.Unmarshal(data, &ja); err != nil {
		return Meta{}, nil, jsonError(data, err)
	}
	if len(ja.Body) == 0 || string(ja.Body) == "null" {
		return Meta{}, nil, errors.New(`no "body" field`)
	}
	var body string
	if err := json.Unmarshal(ja.Body, &body); err == nil {
		return ja.meta(), splitParagraphs(body), nil
	}
	var list []string
	if err := json.Unmarshal(ja.Body, &list); err != nil {
		return Meta{}, nil, fmt.Errorf(`"body" must be a string or an array of strings, not %s`, jsonKind(ja.Body))
	}
	var paras []string
	for _, p := range list {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	return ja.meta(), paras, nil
}

// SidecarError is a NAME.meta.json sidecar that could not be read or
// parsed. The article it belongs to is not loaded.
type SidecarError struct {
	Name string // the sidecar's file name; "" when Parse was given its bytes
	Err  error
}

func (e *SidecarError) Error() string {
	if e.Name == "" {
		return "sidecar: " + e.Err.Error()
	}
	return "sidecar " + e.Name + ": " + e.Err.Error()
}

func (e *SidecarError) Unwrap() error { return e.Err }

// parseSidecar reads the metadata of a NAME.meta.json sidecar.
func parseSidecar(data []byte) (Meta, error) {
	text, err := decodeText(data)
	if err != nil {
		return Meta{}, &SidecarError{Err: err}
	}
	var ja jsonArticle
	if err := json.Unmarshal([]byte(text), &ja); err != nil {
		return Meta{}, &SidecarError{Err: jsonError([]byte(text), err)}
	}
	return ja.meta(), nil
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
		if te.Field == "" {
			return fmt.Errorf("invalid JSON: want an object, not %s", te.Value)
		}
		return fmt.Errorf("invalid JSON: field %q has the wrong type (%s, want %s)", te.Field, te.Value, te.Type)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

var dateLayouts = []string{
	time.RFC3339, time.DateOnly, "2006-01-02 15:04", "2006-01-02 15:04:05",
	"2006-01-02T15:04:05", "2006-01-02T15:04",
	time.RFC1123Z, time.RFC1123, "2 January 2006", "January 2, 2006",
	"Jan 2, 2006", "2 Jan 2006",
}

// ParseDate reads a publication date in one of the common layouts
// (2007-03-10, RFC 3339 with or without a zone, RFC 1123, "10 March 2007",
// "March 10, 2007"). A time without a zone is taken as UTC. The error
// names the date.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("published date %q not understood (use YYYY-MM-DD or RFC 3339)", s)
}
