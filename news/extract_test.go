package news

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// junk is text of the fixtures' pages that is not the article.
var junk = []string{
	"cookies", "privacy", "Advertisement", "Related stories", "Typical of this council",
	"Share on", "newsletter", "Copyright", "Most read", "weird trick", "First!",
	"dataLayer", "Photograph", "Subscribe", "Log in", "partners",
}

func TestExtract(t *testing.T) {
	base, _ := url.Parse("https://herald.example/a/bridge?utm_source=x")
	for _, tt := range []struct {
		name      string
		page      article
		canonical string
		published time.Time
	}{
		{"site A, link canonical, JSON-LD", bridgeA, "https://herald.example/a/bridge",
			time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC)},
		{"site B, og:url, JSON-LD list", railB, "https://herald.example/b/rail",
			time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			html := renderPage(t, tt.page, "https://herald.example")
			p, err := Extract([]byte(html), "text/html; charset=utf-8", base)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			want := storyParagraphs(t, tt.page.story)
			if !slices.Equal(p.Paragraphs, want) {
				t.Errorf("Extract paragraphs =\n%q\nwant\n%q", p.Paragraphs, want)
			}
			for _, j := range junk {
				for _, para := range p.Paragraphs {
					if strings.Contains(para, j) {
						t.Errorf("paragraph %q holds page furniture %q", para, j)
					}
				}
			}
			if p.Title != tt.page.title || p.SiteName != tt.page.site || p.Byline != tt.page.author {
				t.Errorf("Extract title, site, byline = %q, %q, %q; want %q, %q, %q",
					p.Title, p.SiteName, p.Byline, tt.page.title, tt.page.site, tt.page.author)
			}
			if p.Canonical != tt.canonical {
				t.Errorf("Extract canonical = %q; want %q", p.Canonical, tt.canonical)
			}
			if !p.Published.Equal(tt.published) {
				t.Errorf("Extract published = %v; want %v", p.Published, tt.published)
			}
		})
	}
}

func TestExtractTooShort(t *testing.T) {
	page := `<html><head><title>Subscribe</title></head><body><nav>Home News</nav>
<article><h1>Exclusive story</h1><p>Subscribe to read this article. Already a subscriber? Log in.</p></article></body></html>`
	p, err := Extract([]byte(page), "text/html", nil)
	if !errors.Is(err, ErrTooShort) {
		t.Fatalf("Extract(paywall) error = %v; want ErrTooShort", err)
	}
	if p == nil || p.Words() >= MinWords {
		t.Errorf("Extract(paywall) page = %+v; want the little it found", p)
	}
}

func TestExtractCharset(t *testing.T) {
	// Windows-1252 bytes for "café" and curly quotes, declared in the header.
	para := strings.Repeat("The caf\xe9 owner said \x93we stay open\x94 all winter long. ", 12)
	page := "<html><body><article><p>" + para + "</p><p>" + para + "</p></article></body></html>"
	p, err := Extract([]byte(page), "text/html; charset=windows-1252", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Paragraphs[0], "café owner said “we stay open”") {
		t.Errorf("Extract(windows-1252) = %q; want it decoded", p.Paragraphs[0])
	}
}

// TestExtractInlineBoilerplate: lines that sites put among the paragraphs
// ("Advertisement", "Read more: ...") are not article text.
func TestExtractInlineBoilerplate(t *testing.T) {
	story := append(storyParagraphs(t, "rail.txt"), "Subscribers to the rail pass will get a refund.")
	var body strings.Builder
	for i, p := range story {
		body.WriteString("<p>" + p + "</p>\n")
		switch i {
		case 0:
			body.WriteString("<p>Advertisement</p>\n")
		case 2:
			body.WriteString(`<p><strong>Read more:</strong> <a href="/x">Bus fares to rise in January</a></p>` + "\n")
		case 3:
			body.WriteString("<p>Story continues below</p>\n")
		}
	}
	page := `<html><head><title>Strike</title></head><body><nav><a href="/">Home</a></nav><article><h1>Strike</h1>` +
		body.String() + `<p>Sign up for our newsletter</p></article><footer>Contact</footer></body></html>`
	p, err := Extract([]byte(page), "text/html", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Paragraphs, story) {
		t.Errorf("Extract paragraphs =\n%q\nwant\n%q", p.Paragraphs, story)
	}
}
