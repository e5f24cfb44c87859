package corpus

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// Seeds for the fuzzers live in testdata/fuzz/<FuzzName>/ (so that go test
// replays them, with any failing input the fuzzer has found) and come from
// the tables of the other tests.

func FuzzSplitSentences(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSplit(t, in)
	})
}

// fuzzFormats maps the fuzzer's format selector to a format.
var fuzzFormats = []Format{FormatText, FormatMarkdown, FormatJSON}

func FuzzParse(f *testing.F) {
	f.Add(uint8(0), []byte("Title: T\n\nUS and Iranian envoys met today.\nPA\n"), []byte(nil))
	f.Add(uint8(1), []byte("---\ntitle: T\ndate: 2007-03-10\n---\n# H\n\nText *here*.\n"), []byte(`{"source": "S"}`))
	f.Add(uint8(2), []byte(`{"title": "T", "body": ["One.", "Two."]}`), []byte(nil))
	f.Fuzz(func(t *testing.T, kind uint8, data, sidecar []byte) {
		format := fuzzFormats[int(kind)%len(fuzzFormats)]
		if len(sidecar) == 0 {
			sidecar = nil
		}
		a, err := Parse("fuzz", format, data, sidecar)
		if err != nil {
			if a != nil {
				t.Fatalf("Parse(%s, %q) = %v and error %v; want nil with an error", format, data, a, err)
			}
			return
		}
		checkArticle(t, a)

		// Quotes must be the article's own words: outside Markdown,
		// whose markup is removed, each sentence is in the text.
		var source string
		switch format {
		case FormatText:
			source, _ = decodeText(data)
		case FormatJSON:
			text, _ := decodeText(data)
			var v struct{ Body any }
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				t.Fatalf("Parse(%s, %q) succeeded on JSON that does not decode: %v", format, data, err)
			}
			switch b := v.Body.(type) {
			case string:
				source = b
			case []any:
				for _, p := range b {
					s, _ := p.(string)
					source += s + "\n"
				}
			}
		default:
			return
		}
		folded := FoldSpace(source)
		for _, s := range a.Sentences() {
			if !strings.Contains(folded, s.Text) {
				t.Errorf("Parse(%s, %q): sentence %q is not in the folded input %q", format, data, s.Text, folded)
			}
		}
	})
}

// checkArticle checks the structure every parsed article must have.
func checkArticle(tb testing.TB, a *Article) {
	tb.Helper()
	if len(a.Paragraphs) == 0 {
		tb.Fatalf("article %s has no paragraphs and no error", a.ID)
	}
	if a.Title == "" || a.Hash == "" {
		tb.Errorf("article %s: Title %q, Hash %q; want both set", a.ID, a.Title, a.Hash)
	}
	pos := 0
	for i, p := range a.Paragraphs {
		if p.Number != i+1 || len(p.Sentences) == 0 {
			tb.Errorf("paragraph %d: Number %d with %d sentences", i+1, p.Number, len(p.Sentences))
		}
		texts := make([]string, len(p.Sentences))
		for j, s := range p.Sentences {
			pos++
			if s.Article != a.ID || s.Paragraph != p.Number || s.Number != j+1 || s.Position != pos {
				tb.Errorf("sentence %d.%d = {%s %d %d %d}; want {%s %d %d %d}", i+1, j+1,
					s.Article, s.Paragraph, s.Number, s.Position, a.ID, p.Number, j+1, pos)
			}
			if s.Text == "" || FoldSpace(s.Text) != s.Text {
				tb.Errorf("sentence %d.%d text %q is empty or not folded", i+1, j+1, s.Text)
			}
			texts[j] = s.Text
		}
		if joined := strings.Join(texts, " "); joined != p.Text {
			tb.Errorf("paragraph %d: sentences joined %q; want the paragraph %q", p.Number, joined, p.Text)
		}
	}
}

// FuzzReadArticle reads an article file, with or without a sidecar, from
// a folder as LoadDir does: it never panics, fails with no article, and
// gives an article whose id is its file name's.
func FuzzReadArticle(f *testing.F) {
	f.Add(uint8(0), "news/envoys", []byte("Title: T\n\nUS and Iranian envoys met today.\n"), []byte(`{"title": "From the sidecar", "published": "2007-03-10"}`))
	f.Add(uint8(1), "a b", []byte("---\ntitle: [unclosed\n---\nText.\n"), []byte("{"))
	f.Add(uint8(2), "x.meta", []byte(`{"title": 7, "body": {"nested": true}}`), []byte(nil))
	f.Fuzz(func(t *testing.T, kind uint8, stem string, data, sidecar []byte) {
		format := fuzzFormats[int(kind)%len(fuzzFormats)]
		name := stem + string(format)
		if !fs.ValidPath(name) || strings.HasSuffix(strings.ToLower(name), ".meta.json") {
			return
		}
		fsys := fstest.MapFS{name: {Data: data}}
		if sidecar != nil && format != FormatJSON {
			fsys[strings.TrimSuffix(name, string(format))+".meta.json"] = &fstest.MapFile{Data: sidecar}
		}
		a, err := ReadArticle(fsys, name)
		if err != nil {
			if a != nil {
				t.Fatalf("ReadArticle(%q) = %v and error %v; want nil with an error", name, a, err)
			}
			return
		}
		if a.ID == "" || a.ID != IDOf(name) {
			t.Errorf("ReadArticle(%q).ID = %q; want %q", name, a.ID, IDOf(name))
		}
		checkArticle(t, a)
	})
}
