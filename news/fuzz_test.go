package news

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract: any bytes served as a page give an article or an error,
// never a panic, and paragraphs are valid UTF-8 with white space folded.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(readFixture(f, "site-a.html")), "text/html; charset=utf-8")
	f.Add([]byte(readFixture(f, "site-b.html")), "text/html")
	f.Add([]byte("<html><p>caf\xe9</p>"), "text/html; charset=windows-1252")
	f.Add([]byte("\x00\x01\x02<script>"), "")
	f.Add([]byte(`<html><head><link rel="canonical" href="javascript:alert(1)"><script type="application/ld+json">{"@type":[1,2]}</script></head></html>`), "text/html")
	base, _ := url.Parse("https://news.example/a/story")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		p, err := Extract(body, contentType, base)
		if err != nil && p == nil {
			return
		}
		for _, para := range p.Paragraphs {
			if !utf8.ValidString(para) || para == "" || para != strings.Join(strings.Fields(para), " ") {
				t.Errorf("paragraph %q is not folded UTF-8", para)
			}
		}
		if p.Canonical != "" && !strings.HasPrefix(p.Canonical, "http://") && !strings.HasPrefix(p.Canonical, "https://") {
			t.Errorf("canonical %q is not http(s)", p.Canonical)
		}
	})
}

// FuzzNormalizeURL: normalising is idempotent and never panics.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://News.Example.com/a?utm_source=x&b=2&a=1#top", "http://[::1]:80/", "https://user@x.example./p?%zz",
		"HTTP://X.EXAMPLE:443/", "https://x.example/?a=1&a=0", "not a url", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := NormalizeURL(s)
		if twice := NormalizeURL(once); twice != once {
			t.Errorf("NormalizeURL(%q) = %q, then %q; want it idempotent", s, once, twice)
		}
	})
}
