package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/news"
)

// newsSite serves an RSS feed whose items can be added while it runs,
// and the pages they link to.
type newsSite struct {
	srv    *httptest.Server
	outlet string // og:site_name of the pages published next
	mu     sync.Mutex
	items  []string
	pages  map[string]string
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{pages: map[string]string{}, outlet: "The Coastal Herald"}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.URL.Path == "/feed" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>The Coastal Herald</title>%s</channel></rss>`, strings.Join(s.items, ""))
			return
		}
		page, ok := s.pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// publish adds a story to the feed and its page to the site.
func (s *newsSite) publish(guid, path, title string, paras ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body := "<p>" + strings.Join(paras, "</p>\n<p>") + "</p>"
	s.pages[path] = `<!doctype html><html><head><title>` + title + `</title>
<meta property="og:site_name" content="` + s.outlet + `">
<meta property="article:published_time" content="2026-12-01T07:30:00Z">
<link rel="canonical" href="` + s.srv.URL + path + `"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner"><p>We use cookies. Accept all cookies?</p></div>
<article><h1>` + title + `</h1><div class="byline">By Aoife Byrne</div>` + body + `</article>
<section class="comments"><p>What a waste of money.</p></section>
<script>track()</script></body></html>`
	s.items = append([]string{`<item><title>` + title + `</title><link>` + s.srv.URL + path + `?utm_source=rss</link><guid>` + guid + `</guid><pubDate>Tue, 01 Dec 2026 07:30:00 +0000</pubDate></item>`}, s.items...)
}

var bridgeStory = []string{
	"The Harbour Bridge reopened to traffic on Tuesday morning after fourteen months of repairs that cost the city far more than first planned.",
	"Engineers replaced forty steel cables and resurfaced the whole deck, the city's transport office said in a statement released before dawn.",
	`"We found corrosion in places nobody had inspected since the nineteen-eighties," said Maria Okafor, the chief engineer on the project.`,
	"The repairs were budgeted at 31 million euro but finished at 47 million, a figure the opposition called a scandal at a council meeting last week.",
	"Commuters had faced detours of up to forty minutes while the crossing was shut, and ferry operators added three extra sailings a day.",
}

var strikeStory = []string{
	"Rail workers will strike for forty-eight hours from Friday after talks over pay and rosters broke down late on Monday night.",
	"The union said its members had rejected an offer of a three per cent rise spread over two years as far below the rate of inflation.",
	`"Our members keep the trains running through storms and holidays, and they deserve a fair wage for it," said Siobhan Kelly, the union's general secretary.`,
	"The rail company said the strike would cancel nearly every intercity service and most commuter trains in the region.",
	"Passengers with tickets for the strike days can claim a full refund or travel on another day within a week, the company said.",
}

func askJSON(t *testing.T, env map[string]string, question string) jsonAnswer {
	t.Helper()
	code, out, errOut := runCLI(t, env, "ask", "--json", question)
	if code != 0 {
		t.Fatalf("ask: exit %d, stderr %s", code, errOut)
	}
	var a jsonAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	return a
}

// TestFeedsPollThenAsk follows a feed from the command line: an item
// that appears in it is answerable after one poll, a second poll adds
// nothing, and the built-in article no longer answers.
func TestFeedsPollThenAsk(t *testing.T) {
	s := newNewsSite(t)
	env := map[string]string{
		"DATA_DIR": t.TempDir(), "FEEDS": s.srv.URL + "/feed", "FETCH_ALLOW_PRIVATE": "true",
	}
	code, out, errOut := runCLI(t, env, "feeds", "poll")
	if code != 0 || out != "" || !strings.Contains(errOut, "nothing new") {
		t.Fatalf("poll of an empty feed: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// An item appears; the time to answerable is one poll and one ask.
	s.publish("herald-1", "/a/bridge", "Harbour Bridge reopens after costly repairs", bridgeStory...)
	start := time.Now()
	code, out, errOut = runCLI(t, env, "feeds", "poll", "--json")
	if code != 0 {
		t.Fatalf("feeds poll: exit %d, stderr %s", code, errOut)
	}
	var polled jsonNews
	if err := json.Unmarshal([]byte(out), &polled); err != nil {
		t.Fatalf("feeds poll --json: %v\n%s", err, out)
	}
	if len(polled.Added) != 1 || len(polled.Skipped) != 0 {
		t.Fatalf("feeds poll --json = %s; want one added", out)
	}
	added := polled.Added[0]
	want := jsonAdded{ID: added.ID, Title: "Harbour Bridge reopens after costly repairs",
		URL: s.srv.URL + "/a/bridge", Source: "The Coastal Herald", Published: "2026-12-01"}
	if added != want || !regexp.MustCompile(`^2026-12-01-harbour-bridge-reopens-after-costly-repairs-[0-9a-f]{8}$`).MatchString(added.ID) {
		t.Errorf("added = %+v; want %+v", added, want)
	}
	a := askJSON(t, env, "Who is the chief engineer on the bridge project?")
	elapsed := time.Since(start)
	if a.NoAnswer || len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, "Maria Okafor") || a.Quotes[0].Article.ID != added.ID {
		t.Fatalf("ask after the poll = %+v; want the repairs' cost quoted from %s", a, added.ID)
	}
	t.Logf("item in the feed to answerable (feeds poll + ask): %v", elapsed)
	code, out, _ = runCLI(t, env, "digest", "--json")
	if code != 0 || !strings.Contains(out, `"id": "`+added.ID+`"`) {
		t.Errorf("digest after the poll = %s; want the new article", out)
	}
	if a := askJSON(t, env, "Who is Zalmy Khalilzad?"); !a.NoAnswer && len(a.Quotes) > 0 && strings.Contains(a.Quotes[0].Text, "Khalilzad") {
		t.Errorf("the built-in article still answers beside a stored one: %+v", a.Quotes[0])
	}

	// A second poll adds nothing; a new item is added, in text form.
	code, out, errOut = runCLI(t, env, "feeds", "poll", "--json")
	if code != 0 || strings.Join(strings.Fields(out), "") != `{"added":[],"skipped":[]}` {
		t.Errorf("second poll: exit %d, stdout %q, stderr %q; want nothing added", code, out, errOut)
	}
	s.publish("herald-2", "/a/strike", "Rail workers to strike", strikeStory...)
	code, out, _ = runCLI(t, env, "feeds", "poll")
	if code != 0 || !regexp.MustCompile(`^2026-12-01-rail-workers-to-strike-[0-9a-f]{8}  Rail workers to strike  \(The Coastal Herald, 2026-12-01\)  http://127\.0\.0\.1:\d+/a/strike\n$`).MatchString(out) {
		t.Errorf("text poll: exit %d, stdout %q", code, out)
	}
	code, out, _ = runCLI(t, env, "index")
	if code != 0 || !strings.HasPrefix(out, "indexed 2 articles, ") {
		t.Errorf("index after two polls: %q; want the 2 stored articles", out)
	}

	// With a corpus folder too, both are answered from.
	corpusDir := t.TempDir()
	os.WriteFile(filepath.Join(corpusDir, "ferry.txt"), []byte("Title: Ferry\n\nThe new ferry to the islands sails twice a day from the harbour, the operator said."), 0o600)
	env["CORPUS_DIR"] = corpusDir
	for q, wantText := range map[string]string{
		"How often does the new ferry sail?": "twice a day",
		"When will the rail workers strike?": "from Friday",
	} {
		if a := askJSON(t, env, q); len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, wantText) {
			t.Errorf("ask %q with a corpus folder = %+v; want %q", q, a, wantText)
		}
	}
	code, out, _ = runCLI(t, env, "index")
	if code != 0 || !strings.HasPrefix(out, "indexed 3 articles, ") {
		t.Errorf("index with a corpus folder: %q; want 3 articles", out)
	}
}

// TestStoredNotIndexed is a crash between storing an article and
// indexing it: the next command indexes it, once.
func TestStoredNotIndexed(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"DATA_DIR": data}
	if code, _, errOut := runCLI(t, env, "index"); code != 0 {
		t.Fatal(errOut)
	}
	store, _, err := news.OpenStore(filepath.Join(data, news.ArticlesDir))
	if err != nil {
		t.Fatal(err)
	}
	f := &news.File{Title: "Rail strike", Source: "Northern Daily", URL: "https://northern.example/rail",
		Published: "2026-12-01T23:40:00Z", Body: strikeStory, Added: "2026-12-02T00:00:00Z"}
	if err := store.Put("rail-strike", f); err != nil {
		t.Fatal(err)
	}
	// The process died here. The next command sees the article.
	a := askJSON(t, env, "Who is the union's general secretary?")
	if len(a.Quotes) == 0 || a.Quotes[0].Article.ID != "rail-strike" || !strings.Contains(a.Quotes[0].Text, "Siobhan Kelly") {
		t.Fatalf("ask after the crash = %+v; want the stored article", a)
	}
	for range 2 {
		code, out, _ := runCLI(t, env, "index")
		if code != 0 || !strings.HasPrefix(out, "indexed 1 article, 5 sentences") {
			t.Errorf("index = %q; want the one stored article, once", out)
		}
	}
	code, out, _ := runCLI(t, env, "lookup", "--json", "Khalilzad")
	if code != 0 || !regexp.MustCompile(`"quotes": \[\]`).MatchString(out) {
		t.Errorf("lookup of a word only in the built-in article = %q; want none", out)
	}
}

func TestAddCommand(t *testing.T) {
	s := newNewsSite(t)
	s.publish("x", "/a/strike", "Rail workers to strike", strikeStory...)
	env := map[string]string{"DATA_DIR": t.TempDir(), "FETCH_ALLOW_PRIVATE": "true"}
	code, out, errOut := runCLI(t, env, "add", "--json", s.srv.URL+"/a/strike", s.srv.URL+"/missing")
	if code != 1 || !strings.Contains(errOut, "1 of 2 pages could not be added") {
		t.Errorf("add: exit %d, stderr %q; want 1 for the missing page", code, errOut)
	}
	var res jsonNews
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("add --json: %v\n%s", err, out)
	}
	if len(res.Added) != 1 || res.Added[0].Source != "The Coastal Herald" || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "404") {
		t.Errorf("add --json = %s", out)
	}
	code, out, errOut = runCLI(t, env, "add", s.srv.URL+"/a/strike?utm_source=x")
	if code != 0 || out != "" || !strings.Contains(errOut, "already stored as "+res.Added[0].ID) {
		t.Errorf("add again: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	a := askJSON(t, env, "When will the rail workers strike?")
	if len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, "from Friday") {
		t.Errorf("ask after add = %+v", a)
	}
	// The same wire story at another outlet is the same article, which
	// names both.
	s.outlet = "Northern Daily"
	s.publish("y", "/b/strike", "Rail strike called", append([]string{"Train drivers and station staff will walk out for two days from Friday, their union said."}, strikeStory[1:]...)...)
	code, _, errOut = runCLI(t, env, "add", s.srv.URL+"/b/strike")
	if code != 0 || !strings.Contains(errOut, "duplicate of "+res.Added[0].ID) {
		t.Errorf("add of the wire copy: exit %d, stderr %q; want a duplicate", code, errOut)
	}
	code, out, _ = runCLI(t, env, "ask", "Who is the union's general secretary?")
	if code != 0 || !strings.Contains(out, "also: Northern Daily "+s.srv.URL+"/b/strike") {
		t.Errorf("ask after the wire copy = %q; want the other outlet named", out)
	}

	// Loopback is refused without FETCH_ALLOW_PRIVATE.
	delete(env, "FETCH_ALLOW_PRIVATE")
	code, _, errOut = runCLI(t, env, "add", s.srv.URL+"/a/other")
	if code != 1 || !strings.Contains(errOut, "loopback") {
		t.Errorf("add from loopback without FETCH_ALLOW_PRIVATE: exit %d, stderr %q", code, errOut)
	}
}

func TestFeedsPollFailingFeed(t *testing.T) {
	s := newNewsSite(t)
	s.publish("herald-1", "/a/bridge", "Harbour Bridge reopens", bridgeStory...)
	env := map[string]string{
		"DATA_DIR": t.TempDir(), "FETCH_ALLOW_PRIVATE": "true",
		"FEEDS": s.srv.URL + "/feed," + s.srv.URL + "/gone",
	}
	code, out, errOut := runCLI(t, env, "feeds", "poll", "--json")
	if code != 1 || !strings.Contains(errOut, "1 of 2 feeds could not be polled") {
		t.Errorf("exit %d, stderr %q; want 1 naming the failed feed", code, errOut)
	}
	var res jsonNews
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Added) != 1 || len(res.Skipped) != 1 || res.Skipped[0].URL != s.srv.URL+"/gone" {
		t.Errorf("feeds poll --json = %s, %v; want the good feed's article and the bad feed skipped", out, err)
	}
}
