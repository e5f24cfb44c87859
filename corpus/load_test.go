package corpus

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// paragraphTexts returns the text of each paragraph of a.
func paragraphTexts(a *Article) []string {
	out := make([]string, len(a.Paragraphs))
	for i, p := range a.Paragraphs {
		out[i] = p.Text
	}
	return out
}

func TestReadArticleFormats(t *testing.T) {
	fsys := os.DirFS(filepath.Join("testdata", "formats"))
	tests := []struct {
		file                                     string
		title, source, url, date, author, agency string
		paras                                    []string
	}{
		{file: "header.txt", title: "Envoys meet in Baghdad", source: "The Irish Times", url: "https://example.com/envoys",
			date: "2007-03-10", author: "Jane Doe", agency: "PA",
			paras: []string{"US and Iranian envoys met today.", "Officials said the talks were constructive."}},
		{file: "header-crlf.txt", title: "Envoys meet in Baghdad", date: "2007-03-10",
			paras: []string{"US and Iranian envoys met today.", "Officials said the talks were constructive."}},
		{file: "noheader.txt", title: "noheader", agency: "Reuters",
			paras: []string{"US and Iranian envoys met today.", "Officials said the talks were constructive."}},
		{file: "note.txt", title: "note",
			paras: []string{"Note: the talks were held in private.", "Officials said little."}},
		{file: "keys-no-blank.txt", title: "keys-no-blank",
			paras: []string{"Source: officials in Baghdad, who asked not to be named.", "They said the talks went well."}},
		{file: "front.md", title: "Envoys meet in Baghdad", source: "The Irish Times", url: "https://example.com/envoys",
			date: "2007-03-10", author: "Jane Doe, John Roe", agency: "PA",
			paras: []string{
				"US and Iranian envoys met today at a conference on Iraq.",
				`"It was a first step," the ambassador said.`,
				"Talks resume on Monday.",
				"Delegates agreed to meet again.",
				"Officials said AT&T was not involved *at all*.",
			}},
		{file: "published.md", title: "published", date: "2007-03-11", paras: []string{"Text of the article."}},
		{file: "date.md", title: "Dated by date", date: "2007-03-10", paras: []string{"Text of the article."}},
		{file: "h1.md", title: "Envoys meet in Baghdad", paras: []string{"Text of the article.", "More text."}},
		{file: "h1-sidecar.md", title: "Title from the sidecar", source: "The Irish Times", paras: []string{"Text of the article."}},
		{file: "string.json", title: "Envoys meet in Baghdad", source: "The Irish Times", url: "https://example.com/envoys",
			date: "2007-03-10", author: "Jane Doe", agency: "PA",
			paras: []string{"US and Iranian envoys met today.", "Officials said the talks were constructive."}},
		{file: "array.json", title: "Envoys meet in Baghdad", author: "Jane Doe, John Roe", agency: "AFP",
			paras: []string{"US and Iranian envoys met today.", "Officials said the talks were constructive."}},
		{file: "sidecar.txt", title: "Envoys meet in Baghdad", source: "The Irish Times", url: "https://example.com/envoys",
			date: "2007-03-10", author: "Jane Doe", agency: "AP",
			paras: []string{"US and Iranian envoys met today.", "Talks resume on Monday."}},
		{file: "own.txt", title: "The file's own title", source: "Sidecar source", date: "2007-03-12",
			paras: []string{"US and Iranian envoys met today."}},
		{file: "side-md.md", title: "Front matter title", source: "The Irish Times",
			paras: []string{"US and Iranian envoys met today."}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := ReadArticle(fsys, tt.file)
			if err != nil {
				t.Fatalf("ReadArticle(%q) error: %v", tt.file, err)
			}
			if want := IDOf(tt.file); a.ID != want {
				t.Errorf("ReadArticle(%q).ID = %q; want %q", tt.file, a.ID, want)
			}
			for _, f := range []struct{ name, got, want string }{
				{"Title", a.Title, tt.title}, {"Source", a.Source, tt.source}, {"URL", a.URL, tt.url},
				{"Date()", a.Date(), tt.date}, {"Author", a.Author, tt.author}, {"Agency", a.Agency, tt.agency},
			} {
				if f.got != f.want {
					t.Errorf("ReadArticle(%q).%s = %q; want %q", tt.file, f.name, f.got, f.want)
				}
			}
			if got := paragraphTexts(a); !slices.Equal(got, tt.paras) {
				t.Errorf("ReadArticle(%q) paragraphs = %q; want %q", tt.file, got, tt.paras)
			}
		})
	}
}

func TestArticleFormat(t *testing.T) {
	tests := []struct {
		name string
		want Format
		ok   bool
	}{
		{"a.txt", FormatText, true},
		{"a.TXT", FormatText, true},
		{"a.md", FormatMarkdown, true},
		{"a.json", FormatJSON, true},
		{"a.meta.json", "", false},
		{"a.META.JSON", "", false},
		{"a.doc", "", false},
		{"a.txt.bak", "", false},
		{"README", "", false},
	}
	for _, tt := range tests {
		if got, ok := ArticleFormat(tt.name); got != tt.want || ok != tt.ok {
			t.Errorf("ArticleFormat(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct{ path, want string }{
		{"sub/000_abc.txt", "000_abc"},
		{"a.b.md", "a.b"},
		{".md", ".md"}, // no stem: the whole name, never ""
		{"sub/.txt", ".txt"},
	} {
		if got := IDOf(tt.path); string(got) != tt.want {
			t.Errorf("IDOf(%q) = %q; want %q", tt.path, got, tt.want)
		}
	}
}

func TestAgencyCredit(t *testing.T) {
	tests := []struct {
		last   string
		agency string // "" when the last line must stay text
	}{
		{"PA", "PA"},
		{"(AP)", "AP"},
		{"Reuters", "Reuters"},
		{"Reuters.", "Reuters"},
		{"AFP", "AFP"},
		{"- AFP", "AFP"},
		{"— Reuters", "Reuters"},
		{"[PA Media]", "PA Media"},
		{"Press Association", "Press Association"},
		{"BBC NEWS", "BBC NEWS"},
		{"Talks resume on Monday.", ""},
		{"Talks resume Monday", ""},
		{"He left.", ""},
		{"2007", ""},
		{"NO DEAL, SAYS IRAN", ""},
		{"ONE TWO THREE FOUR", ""},
	}
	for _, tt := range tests {
		t.Run(tt.last, func(t *testing.T) {
			in := "US and Iranian envoys met today.\n" + tt.last + "\n"
			a, err := Parse("a", FormatText, []byte(in), nil)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", in, err)
			}
			if a.Agency != tt.agency {
				t.Errorf("Parse(%q).Agency = %q; want %q", in, a.Agency, tt.agency)
			}
			wantParas := 1
			if tt.agency == "" {
				wantParas = 2
			}
			if len(a.Paragraphs) != wantParas {
				t.Errorf("Parse(%q) has %d paragraphs %q; want %d", in, len(a.Paragraphs), paragraphTexts(a), wantParas)
			}
		})
	}
	// A one-paragraph article is text, however short.
	a, err := Parse("a", FormatText, []byte("PA\n"), nil)
	if err != nil || a.Agency != "" || len(a.Paragraphs) != 1 {
		t.Errorf(`Parse("PA\n") = %v, %v; want one paragraph and no agency`, a, err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2007-03-10", "2007-03-10T00:00:00Z"},
		{" 2007-03-10 ", "2007-03-10T00:00:00Z"},
		{"2007-03-10T09:30:00Z", "2007-03-10T09:30:00Z"},
		{"2007-03-10T09:30:00+01:00", "2007-03-10T09:30:00+01:00"},
		{"2007-03-10T09:30:00", "2007-03-10T09:30:00Z"},
		{"2007-03-10 09:30", "2007-03-10T09:30:00Z"},
		{"Sat, 10 Mar 2007 09:30:00 +0000", "2007-03-10T09:30:00Z"},
		{"10 March 2007", "2007-03-10T00:00:00Z"},
		{"March 10, 2007", "2007-03-10T00:00:00Z"},
		{"Mar 10, 2007", "2007-03-10T00:00:00Z"},
		{"10 Mar 2007", "2007-03-10T00:00:00Z"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil || got.Format("2006-01-02T15:04:05Z07:00") != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"next Tuesday", "10/03/2007", "2007-13-40", ""} {
		if _, err := ParseDate(in); err == nil || !strings.Contains(err.Error(), `"`+strings.TrimSpace(in)+`"`) {
			t.Errorf("ParseDate(%q) error = %v; want an error naming the date", in, err)
		}
	}
}

func TestLoadDirMixed(t *testing.T) {
	dir := filepath.Join("testdata", "mixed")
	c, problems, err := LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatalf("LoadDir(%q) error: %v", dir, err)
	}

	var ids []string
	for _, a := range c.Articles() {
		ids = append(ids, string(a.ID))
	}
	wantIDs := []string{"bom", "cp1252", "good", "good-json", "good-md", "nested", "utf16be", "utf16le"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("LoadDir(%q) ids = %q; want %q", dir, ids, wantIDs)
	}

	// Each bad file is reported once, by its path, with what is wrong.
	wantProblems := []struct {
		path   string
		is     error  // nil: no sentinel
		substr string // in the message
	}{
		{"bad-date.txt", nil, `"next Tuesday"`},
		{"bad-json.json", nil, "line 3"},
		{"blank.md", ErrNoText, ""},
		{"body-type.json", nil, `"body" must be a string or an array of strings, not object`},
		{"broken-sidecar.txt", nil, "broken-sidecar.meta.json"},
		{"empty.txt", ErrNoText, ""},
		{"no-body.json", nil, `no "body"`},
		{"nul.txt", ErrBinary, ""},
		{"png.txt", ErrBinary, ""},
		{"sub/good.txt", nil, "duplicate article id \"good\""},
		{"unclosed.md", nil, "front matter"},
	}
	got := map[string]error{}
	for _, p := range problems {
		var fe *FileError
		if !errors.As(p, &fe) {
			t.Errorf("problem %v is a %T; want *FileError", p, p)
			continue
		}
		if _, dup := got[fe.Path]; dup {
			t.Errorf("%s reported twice", fe.Path)
		}
		got[fe.Path] = fe
	}
	for _, w := range wantProblems {
		err, ok := got[w.path]
		if !ok {
			t.Errorf("LoadDir(%q) did not report %s", dir, w.path)
			continue
		}
		delete(got, w.path)
		if w.is != nil && !errors.Is(err, w.is) {
			t.Errorf("%s: error %q; want %q", w.path, err, w.is)
		}
		if !strings.HasPrefix(err.Error(), w.path+": ") || !strings.Contains(err.Error(), w.substr) {
			t.Errorf("%s: error %q; want it to start with the path and contain %q", w.path, err, w.substr)
		}
	}
	for p, err := range got {
		t.Errorf("LoadDir(%q) reported %s unexpectedly: %v", dir, p, err)
	}

	text := func(id ArticleID) string {
		a, ok := c.Article(id)
		if !ok {
			return ""
		}
		return a.Paragraphs[0].Text
	}
	for _, tt := range []struct {
		id   ArticleID
		want string
	}{
		{"cp1252", "“We will meet again,” said the café owner – and he did."},
		{"utf16le", "“We met,” said the café owner."},
		{"utf16be", "“We met,” said the café owner."},
		{"bom", "US and Iranian envoys met today."},
	} {
		if got := text(tt.id); got != tt.want {
			t.Errorf("article %s text = %q; want %q", tt.id, got, tt.want)
		}
	}
	for _, id := range []ArticleID{"bom", "utf16le", "utf16be"} {
		if a, _ := c.Article(id); a == nil || (a.Title != "With a BOM" && a.Title != "UTF-16") {
			t.Errorf("article %s: header not read through its byte order mark: %+v", id, a)
		}
	}
}

// writeFiles creates files under dir from a map of slash paths to contents.
func writeFiles(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestLoadDirTooLarge(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.txt": "Talks resume on Monday.\n"})
	big := strings.Repeat("Talks resume on Monday. ", MaxFileBytes/24+1)
	writeFiles(t, dir, map[string]string{"big.txt": big})
	c, problems, err := LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 || len(problems) != 1 || !errors.Is(problems[0], ErrTooLarge) {
		t.Fatalf("LoadDir with a %d-byte file = %d articles, %v; want 1 article and ErrTooLarge", len(big), c.Len(), problems)
	}
	if !strings.HasPrefix(problems[0].Error(), "big.txt: ") {
		t.Errorf("problem %q does not name big.txt", problems[0])
	}
	// A sidecar over the cap fails its article too.
	writeFiles(t, dir, map[string]string{"big.txt": "Talks resume on Monday.\n", "big.meta.json": big})
	_, problems, _ = LoadDir(context.Background(), dir)
	if len(problems) != 1 || !errors.Is(problems[0], ErrTooLarge) || !strings.Contains(problems[0].Error(), "big.meta.json") {
		t.Errorf("LoadDir with a large sidecar problems = %v; want ErrTooLarge naming big.meta.json", problems)
	}
}

func TestLoadDirSymlinkNotFollowed(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secret.txt": "A file outside the corpus.\n", "secret.meta.json": `{"title": "outside"}`})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.txt": "Talks resume on Monday.\n", "linked.txt": "Linked sidecar.\n"})
	links := map[string]string{
		"secret.txt":       filepath.Join(outside, "secret.txt"),
		"outdir":           outside,
		"linked.meta.json": filepath.Join(outside, "secret.meta.json"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symbolic links not supported here: %v", err)
		}
	}
	c, problems, err := LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Articles() {
		if a.ID == "secret" || a.Title == "outside" {
			t.Errorf("LoadDir read %s (title %q) through a link out of the folder", a.ID, a.Title)
		}
	}
	if _, ok := c.Article("ok"); !ok {
		t.Errorf("LoadDir lost ok.txt beside the links")
	}
	// The link to a sidecar outside is not read: its article is reported.
	if len(problems) != 1 || !strings.HasPrefix(problems[0].Error(), "linked.txt: ") {
		t.Errorf("problems = %v; want one, for linked.txt", problems)
	}
}

func TestLoadDirErrors(t *testing.T) {
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"notes.doc": "x", ".hidden.txt": "x", "a.meta.json": "{}"})
	if _, _, err := LoadDir(context.Background(), empty); !errors.Is(err, ErrNoArticles) {
		t.Errorf("LoadDir(folder without articles) error = %v; want ErrNoArticles", err)
	}
	if _, _, err := LoadDir(context.Background(), t.TempDir()); !errors.Is(err, ErrNoArticles) {
		t.Errorf("LoadDir(empty folder) error = %v; want ErrNoArticles", err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, _, err := LoadDir(context.Background(), missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadDir(missing folder) error = %v; want fs.ErrNotExist", err)
	}
	file := filepath.Join(empty, "notes.doc")
	if _, _, err := LoadDir(context.Background(), file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("LoadDir(a file) error = %v; want \"not a folder\"", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := LoadDir(ctx, filepath.Join("testdata", "mixed")); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadDir(cancelled) error = %v; want context.Canceled", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		data   string
		side   string
		is     error
		substr string
	}{
		{"empty json", FormatJSON, "", "", ErrNoText, ""},
		{"NUL after 8 KiB", FormatText, strings.Repeat("Talks resume on Monday. ", 400) + "\x00", "", ErrBinary, ""},
		{"control characters", FormatText, strings.Repeat("\x01\x02\x03 text", 50), "", ErrBinary, ""},
		{"blank json", FormatJSON, " \n ", "", ErrNoText, ""},
		{"header only", FormatText, "Title: T\n\n", "", ErrNoText, ""},
		{"front matter only", FormatMarkdown, "---\ntitle: T\n---\n", "", ErrNoText, ""},
		{"headings only", FormatMarkdown, "# T\n\n## U\n", "", ErrNoText, ""},
		{"json array", FormatJSON, `[{"body": "x"}]`, "", nil, "want an object"},
		{"json string", FormatJSON, `"x"`, "", nil, "want an object"},
		{"json body null", FormatJSON, `{"body": null}`, "", nil, `no "body"`},
		{"json body numbers", FormatJSON, `{"body": [1, 2]}`, "", nil, `"body" must be`},
		{"json title object", FormatJSON, `{"title": {}, "body": "x"}`, "", nil, `field "title"`},
		{"json syntax line", FormatJSON, "{\n\n\"body\": x}", "", nil, "line 3"},
		{"bad front matter", FormatMarkdown, "---\ntitle: [unclosed\n---\nText.\n", "", nil, "front matter"},
		{"unknown format", Format(".doc"), "Text.", "", nil, "unknown article format"},
		{"broken sidecar", FormatText, "Text.", "{\n\"title\": }", nil, "sidecar: invalid JSON at line 2"},
		{"sidecar wrong type", FormatText, "Text.", `{"published": {}}`, nil, `field "published"`},
		{"sidecar bad date", FormatText, "Text.", `{"published": "soon"}`, nil, `"soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var side []byte
			if tt.side != "" {
				side = []byte(tt.side)
			}
			a, err := Parse("a", tt.format, []byte(tt.data), side)
			if err == nil {
				t.Fatalf("Parse(%q) = %q; want an error", tt.data, paragraphTexts(a))
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Parse(%q) error = %q; want %q", tt.data, err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("Parse(%q) error = %q; want it to contain %q", tt.data, err, tt.substr)
			}
		})
	}
}

// TestJSONArticleExtraFields reads a .json article written by the news
// package: its extra fields are accepted, and its also list kept.
func TestJSONArticleExtraFields(t *testing.T) {
	data := []byte(`{"title": "Bridge reopens", "source": "The Coastal Herald", "url": "https://herald.example/a/bridge",
 "published": "2026-12-01T07:30:00Z", "author": "Aoife Byrne",
 "body": ["The Harbour Bridge reopened on Tuesday.", "Engineers replaced forty cables."],
 "also": [{"source": "Northern Daily", "url": "https://northern.example/b/bridge"}, {"source": " ", "url": ""}],
 "guid": "herald-1001", "feed": "https://herald.example/rss", "canonical_url": "https://herald.example/a/bridge",
 "fallback": true, "guild": "", "item_hash": "abc", "aliases": [{"feed": "f", "guid": "g"}], "added": "2026-12-01T07:31:02Z"}`)
	a, err := Parse("bridge", FormatJSON, data, nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Link{{Source: "Northern Daily", URL: "https://northern.example/b/bridge"}}
	if !slices.Equal(a.Also, want) || a.Source != "The Coastal Herald" || len(a.Paragraphs) != 2 {
		t.Errorf("Parse = also %+v, source %q, %d paragraphs; want %+v", a.Also, a.Source, len(a.Paragraphs), want)
	}
	if _, err := Parse("bad", FormatJSON, []byte(`{"body": "Text here.", "also": "Northern Daily"}`), nil); err == nil {
		t.Error(`Parse("also": a string) succeeded; want an error naming the field`)
	}
}
