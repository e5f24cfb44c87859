package news

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
)

// loadStored reads the store's folder as the corpus does.
func loadStored(t *testing.T, s *Store) *corpus.Corpus {
	t.Helper()
	c, problems, err := corpus.LoadDir(context.Background(), s.Dir())
	if err != nil || len(problems) > 0 {
		t.Fatalf("corpus.LoadDir(store) = %v, %v", problems, err)
	}
	return c
}

func TestPollFeedFormats(t *testing.T) {
	for _, tt := range []struct {
		name, fixture, contentType string
		pages                      map[string]article
		want                       []Added
		author                     string
	}{
		{"RSS 2.0", "rss.xml", "application/rss+xml",
			map[string]article{"/a/bridge": bridgeA, "/a/library": libraryA},
			[]Added{
				{Title: "Harbour Bridge reopens after costly repairs", Source: "The Coastal Herald", Published: time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC)},
				{Title: "Council approves library budget", Source: "The Coastal Herald", Published: time.Date(2026, 12, 2, 19, 10, 0, 0, time.UTC)},
			}, "Aoife Byrne"},
		{"Atom", "atom.xml", "application/atom+xml",
			map[string]article{"/b/rail": railB},
			[]Added{{Title: "Rail workers to strike for two days", Source: "Northern Daily", Published: time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)}},
			"Ciaran Walsh"},
		{"JSON Feed", "feed.json", "application/feed+json",
			map[string]article{"/c/storm": stormB},
			[]Added{{Title: "Storm Brigid leaves thousands without power", Source: "West Coast Radio", Published: time.Date(2026, 12, 2, 6, 15, 0, 0, time.UTC)}},
			"Nuala Quinn"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.feed("/feed", tt.fixture, tt.contentType)
			for path, a := range tt.pages {
				s.page(path, a)
			}
			counts := newCounting()
			svc := testService(t, counts)
			res, _, err := svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
			if err != nil {
				t.Fatalf("PollFeed: %v", err)
			}
			if len(res.Added) != len(tt.want) || len(res.Skipped) != 0 {
				t.Fatalf("PollFeed added %+v, skipped %+v; want %d added", res.Added, res.Skipped, len(tt.want))
			}
			c := loadStored(t, svc.Store())
			for i, w := range tt.want {
				got := res.Added[i]
				if got.Title != w.Title || got.Source != w.Source || !got.Published.Equal(w.Published) || got.Fallback || got.Updated {
					t.Errorf("added[%d] = %+v; want %+v", i, got, w)
				}
				a, ok := c.Article(got.ID)
				if !ok {
					t.Fatalf("article %s not readable by corpus", got.ID)
				}
				if a.Title != w.Title || a.Source != w.Source || a.Author != tt.author || !a.Published.Equal(w.Published) {
					t.Errorf("stored article = %q, %q, %q, %v", a.Title, a.Source, a.Author, a.Published)
				}
				if len(a.Paragraphs) < 5 {
					t.Errorf("stored article has %d paragraphs; want the story's", len(a.Paragraphs))
				}
				for _, p := range a.Paragraphs {
					for _, j := range junk {
						if strings.Contains(p.Text, j) {
							t.Errorf("stored paragraph %q holds %q", p.Text, j)
						}
					}
				}
			}
			if counts.added != len(tt.want) || counts.polls["ok"] != 1 {
				t.Errorf("counters: added %d, polls %v", counts.added, counts.polls)
			}

			// A second poll adds nothing and fetches no page again.
			hits := s.Hits("/b/rail") + s.Hits("/a/bridge") + s.Hits("/c/storm")
			res, _, err = svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
			if err != nil || len(res.Added) != 0 || len(res.Skipped) != 0 {
				t.Errorf("second PollFeed = %+v, %v; want nothing", res, err)
			}
			if again := s.Hits("/b/rail") + s.Hits("/a/bridge") + s.Hits("/c/storm"); again != hits {
				t.Errorf("second poll fetched pages again (%d → %d)", hits, again)
			}
		})
	}
}

func TestPollFeedErrors(t *testing.T) {
	s := newSite(t)
	s.feed("/malformed", "malformed.xml", "application/rss+xml")
	s.serve("/html", "text/html", "<html><body><p>Not a feed at all.</p></body></html>")
	for _, tt := range []struct {
		path, kind string
	}{
		{"/malformed", KindParse},
		{"/html", KindParse},
		{"/missing", KindStatus},
	} {
		counts := newCounting()
		svc := testService(t, counts)
		_, _, err := svc.PollFeed(context.Background(), s.URL(tt.path), PollState{})
		if KindOf(err) != tt.kind {
			t.Errorf("PollFeed(%s) = %v; want kind %s", tt.path, err, tt.kind)
		}
		if counts.polls["error"] != 1 || counts.errors[tt.kind] != 1 {
			t.Errorf("PollFeed(%s) counted %v, %v", tt.path, counts.polls, counts.errors)
		}
	}
}

func TestPollFeedConditional(t *testing.T) {
	s := newSite(t)
	body := strings.ReplaceAll(readFixture(t, "atom.xml"), "{{BASE}}", s.URL(""))
	var conditional atomic.Int32
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"r1"` || r.Header.Get("If-Modified-Since") == "Wed, 02 Dec 2026 18:30:02 GMT" {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"r1"`)
		w.Header().Set("Last-Modified", "Wed, 02 Dec 2026 18:30:02 GMT")
		w.Write([]byte(body))
	})
	s.page("/b/rail", railB)
	counts := newCounting()
	svc := testService(t, counts)
	res, st, err := svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil || len(res.Added) != 1 || st.ETag != `"r1"` || st.LastModified == "" {
		t.Fatalf("PollFeed = %+v, %+v, %v", res, st, err)
	}
	res, st2, err := svc.PollFeed(context.Background(), s.URL("/feed"), st)
	if err != nil || !res.NotModified || len(res.Added) != 0 || st2.ETag != `"r1"` {
		t.Errorf("conditional PollFeed = %+v, %+v, %v; want not modified", res, st2, err)
	}
	if conditional.Load() != 1 || counts.polls["not_modified"] != 1 {
		t.Errorf("conditional requests %d, polls %v", conditional.Load(), counts.polls)
	}
}

func TestFallbackToFeedText(t *testing.T) {
	s := newSite(t)
	long := strings.Join(storyParagraphs(t, "library.txt"), "</p><p>")
	s.serve("/feed", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Town Crier</title>
<item><title>Library approved</title><link>`+s.URL("/gone")+`</link><guid>tc-1</guid>
<description><![CDATA[<p>`+long+`</p>]]></description></item>
<item><title>Paywalled library story</title><link>`+s.URL("/paywall")+`</link><guid>tc-2</guid>
<description><![CDATA[<p>`+strings.Join(storyParagraphs(t, "storm.txt"), "</p><p>")+`</p>]]></description></item>
<item><title>No text anywhere</title><link>`+s.URL("/gone2")+`</link><guid>tc-3</guid></item>
</channel></rss>`)
	s.serve("/paywall", "text/html", `<html><body><article><h1>Paywalled</h1><p>Subscribe to read the rest of this story.</p></article></body></html>`)
	counts := newCounting()
	svc := testService(t, counts)
	res, _, err := svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 2 || !res.Added[0].Fallback || !res.Added[1].Fallback {
		t.Fatalf("added %+v; want two fallback articles", res.Added)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "no text") {
		t.Errorf("skipped %+v; want the item without text", res.Skipped)
	}
	c := loadStored(t, svc.Store())
	a, _ := c.Article(res.Added[1].ID) // items are taken oldest (last) first
	if a == nil || a.Paragraphs[0].Text != storyParagraphs(t, "library.txt")[0] {
		t.Errorf("fallback article = %+v; want the feed's text", a)
	}
	f, err := svc.Store().Read(res.Added[0].ID)
	if err != nil || !f.Fallback {
		t.Errorf("stored file = %+v, %v; want the fallback flag", f, err)
	}
}

func TestDuplicates(t *testing.T) {
	s := newSite(t)
	// The same page at two links: a tracking parameter, and a second path
	// whose canonical link is the first.
	s.page("/a/bridge", bridgeA)
	mirror := bridgeA
	mirror.canonical = "/a/bridge"
	s.page("/amp/bridge", mirror)
	// The same wire story at another outlet: its own lead, its own site.
	wire := article{template: "site-b.html", site: "Northern Daily", story: "bridge.txt",
		title: "Bridge back open after 14 months", author: "Press Association",
		date: "2026-12-01T08:00:00Z", canonical: "/b/bridge-open",
		lead: "The Harbour Bridge is open again, fourteen months and sixteen million euro over budget after it closed."}
	s.page("/b/bridge-open", wire)
	s.page("/b/rail", railB)
	feedA := `<?xml version="1.0"?><rss version="2.0"><channel><title>The Coastal Herald</title>
<item><title>Harbour Bridge reopens</title><link>` + s.URL("/a/bridge?utm_source=rss&utm_campaign=x#top") + `</link><guid>h-1</guid></item>
<item><title>Harbour Bridge reopens (AMP)</title><link>` + s.URL("/amp/bridge") + `</link><guid>h-2</guid></item>
</channel></rss>`
	feedB := `<?xml version="1.0"?><rss version="2.0"><channel><title>Northern Daily</title>
<item><title>Bridge back open</title><link>` + s.URL("/b/bridge-open") + `</link><guid>n-1</guid></item>
<item><title>Harbour Bridge reopens</title><link>` + s.URL("/a/bridge?fbclid=abc") + `</link><guid>n-2</guid></item>
<item><title>Rail strike</title><link>` + s.URL("/b/rail") + `</link><guid>n-3</guid></item>
</channel></rss>`
	s.serve("/feed-a", "application/rss+xml", feedA)
	s.serve("/feed-b", "application/rss+xml", feedB)

	counts := newCounting()
	svc := testService(t, counts)
	resA, _, err := svc.PollFeed(context.Background(), s.URL("/feed-a"), PollState{})
	if err != nil {
		t.Fatal(err)
	}
	resB, _, err := svc.PollFeed(context.Background(), s.URL("/feed-b"), PollState{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resA.Added) != 1 || len(resA.Skipped) != 1 {
		t.Errorf("feed A: added %+v, skipped %+v; want the bridge once", resA.Added, resA.Skipped)
	}
	if len(resB.Added) != 1 || resB.Added[0].Title != "Rail strike" || len(resB.Skipped) != 2 {
		t.Errorf("feed B: added %+v, skipped %+v; want only the rail strike", resB.Added, resB.Skipped)
	}
	if counts.dup != 3 {
		t.Errorf("duplicates counted %d; want 3", counts.dup)
	}
	bridge := resA.Added[0].ID
	for _, sk := range append(resA.Skipped, resB.Skipped...) {
		if sk.Reason != "duplicate of "+string(bridge) {
			t.Errorf("skipped %+v; want a duplicate of %s", sk, bridge)
		}
	}
	c := loadStored(t, svc.Store())
	if c.Len() != 2 {
		t.Errorf("stored %d articles; want 2", c.Len())
	}
	a, _ := c.Article(bridge)
	want := []corpus.Link{{Source: "Northern Daily", URL: s.URL("/b/bridge-open")}}
	if a == nil || !slices.Equal(a.Also, want) {
		t.Errorf("bridge article also = %+v; want %+v", a.Also, want)
	}

	// Restarted: the store rebuilds its indexes from the files, and
	// neither feed adds anything or fetches a page again.
	store2, problems, err := OpenStore(svc.Store().Dir())
	if err != nil || len(problems) > 0 {
		t.Fatal(problems, err)
	}
	svc2 := NewService(NewFetcher(FetchOptions{AllowPrivate: true}), store2, Options{})
	pages := s.Hits("/b/bridge-open") + s.Hits("/a/bridge") + s.Hits("/amp/bridge") + s.Hits("/b/rail")
	for _, f := range []string{"/feed-a", "/feed-b"} {
		res, _, err := svc2.PollFeed(context.Background(), s.URL(f), PollState{})
		if err != nil || len(res.Added)+len(res.Skipped) != 0 {
			t.Errorf("PollFeed(%s) after restart = %+v, %v; want nothing", f, res, err)
		}
	}
	if again := s.Hits("/b/bridge-open") + s.Hits("/a/bridge") + s.Hits("/amp/bridge") + s.Hits("/b/rail"); again != pages {
		t.Errorf("after restart pages were fetched again (%d → %d)", pages, again)
	}
}

func TestUpdatedItem(t *testing.T) {
	s := newSite(t)
	feed := func(title string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>Northern Daily</title>
<item><title>` + title + `</title><link>` + s.URL("/b/rail") + `</link><guid>n-3</guid></item></channel></rss>`
	}
	s.serve("/feed", "application/rss+xml", feed("Rail workers to strike"))
	s.page("/b/rail", railB)
	svc := testService(t, nil)
	res, _, err := svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("PollFeed = %+v, %v", res, err)
	}
	id := res.Added[0].ID
	before, _ := svc.Store().Read(id)

	// Later the outlet corrects the story: a new title, a new paragraph.
	updated := railB
	updated.lead = "Rail workers will strike for seventy-two hours from Friday after talks over pay and rosters broke down late on Monday night."
	s.page("/b/rail", updated)
	s.serve("/feed", "application/rss+xml", feed("Rail workers to strike for three days"))
	res, _, err = svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil || len(res.Added) != 1 || !res.Added[0].Updated || res.Added[0].ID != id {
		t.Fatalf("PollFeed after the update = %+v, %v; want %s updated in place", res, err, id)
	}
	c := loadStored(t, svc.Store())
	a, _ := c.Article(id)
	if c.Len() != 1 || a.Title != "Rail workers to strike for three days" || !strings.Contains(a.Paragraphs[0].Text, "seventy-two hours") {
		t.Errorf("after the update: %d articles, %q, %q", c.Len(), a.Title, a.Paragraphs[0].Text)
	}
	after, _ := svc.Store().Read(id)
	if after.Added != before.Added || after.Updated == "" {
		t.Errorf("added %q → %q, updated %q; want the first kept and the update noted", before.Added, after.Added, after.Updated)
	}

	// Updated again while the page is down: the title changes, the page's
	// text stays (not the feed's shorter one).
	s.handle("/b/rail", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	s.serve("/feed", "application/rss+xml", strings.Replace(feed("Rail strike: three days"), "</guid>", "</guid><description>Short.</description>", 1))
	res, _, err = svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil || len(res.Added) != 1 || !res.Added[0].Updated || res.Added[0].Fallback {
		t.Fatalf("PollFeed with the page down = %+v, %v; want an update keeping the page's text", res, err)
	}
	again, _ := svc.Store().Read(id)
	if again.Title != "Rail strike: three days" || len(again.Body) != len(after.Body) || again.Fallback {
		t.Errorf("after the update with the page down: %q, %d paragraphs, fallback %v", again.Title, len(again.Body), again.Fallback)
	}
}

func TestAddURL(t *testing.T) {
	s := newSite(t)
	s.page("/c/storm", stormB)
	s.serve("/short", "text/html", "<html><body><p>Too short.</p></body></html>")
	svc := testService(t, nil)
	res, err := svc.AddURL(context.Background(), s.URL("/c/storm?utm_medium=social"), "")
	if err != nil || len(res.Added) != 1 || res.Added[0].Source != "West Coast Radio" {
		t.Fatalf("AddURL = %+v, %v", res, err)
	}
	first := res.Added[0].ID
	res, err = svc.AddURL(context.Background(), s.URL("/c/storm"), "")
	if err != nil || len(res.Added) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Duplicate != first {
		t.Errorf("AddURL again = %+v, %v; want skipped as a duplicate of %s", res, err, first)
	}
	if _, err := svc.AddURL(context.Background(), s.URL("/short"), ""); !errors.Is(err, ErrTooShort) {
		t.Errorf("AddURL(short) = %v; want ErrTooShort", err)
	}
	if _, err := svc.AddURL(context.Background(), s.URL("/missing"), ""); KindOf(err) != KindStatus {
		t.Errorf("AddURL(404) = %v; want a status error", err)
	}
	// The stored file is the corpus .json format, with news's fields.
	data, err := os.ReadFile(filepath.Join(svc.Store().Dir(), string(svc.Store().IDs()[0])+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"title", "source", "url", "published", "author", "body", "guild", "canonical_url", "added"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("stored file lacks %q: %s", k, data)
		}
	}
}

func TestStoreIgnoresTempAndBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".x.json.tmp-123"), []byte("{half"), 0o600)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{half"), 0o600)
	s, problems, err := OpenStore(dir)
	if err != nil || len(problems) != 1 || s.Len() != 0 {
		t.Errorf("OpenStore = %d articles, %v, %v; want the broken file reported, the temporary one ignored", s.Len(), problems, err)
	}
}

func TestNotAPage(t *testing.T) {
	s := newSite(t)
	s.serve("/report.pdf", "application/pdf", "%PDF-1.7 binary")
	counts := newCounting()
	svc := testService(t, counts)
	if _, err := svc.AddURL(context.Background(), s.URL("/report.pdf"), ""); KindOf(err) != KindParse || !strings.Contains(err.Error(), "not a web page") {
		t.Errorf("AddURL(pdf) = %v; want not a web page", err)
	}
	if counts.errors[KindParse] != 1 {
		t.Errorf("parse errors counted %v", counts.errors)
	}
}

func TestManyItemsCapped(t *testing.T) {
	s := newSite(t)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>`)
	for i := range MaxItemsPerPoll + 50 {
		b.WriteString(`<item><title>Item</title><guid>i` + strconv.Itoa(i) + `</guid><description>` +
			strings.Repeat("word"+strconv.Itoa(i)+" text ", 20) + `</description></item>`)
	}
	b.WriteString(`</channel></rss>`)
	s.serve("/feed", "application/rss+xml", b.String())
	svc := testService(t, nil)
	res, _, err := svc.PollFeed(context.Background(), s.URL("/feed"), PollState{})
	if err != nil || len(res.Added) != MaxItemsPerPoll {
		t.Errorf("PollFeed of %d items added %d, %v; want %d", MaxItemsPerPoll+50, len(res.Added), err, MaxItemsPerPoll)
	}
}
