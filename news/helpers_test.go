package news

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a news site on loopback: feeds and pages made from the
// fixtures in testdata, and handlers a test adds.
type site struct {
	t   testing.TB
	srv *httptest.Server

	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   map[string]int
}

func newSite(t testing.TB) *site {
	t.Helper()
	s := &site{t: t, routes: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.routes[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// URL returns the absolute URL of path on the site.
func (s *site) URL(path string) string { return s.srv.URL + path }

// Hits returns how often path was requested.
func (s *site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

// serve serves body at path with the content type.
func (s *site) serve(path, contentType, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	})
}

// feed serves a feed fixture, {{BASE}} replaced by the site's URL.
func (s *site) feed(path, fixture, contentType string) {
	s.serve(path, contentType, strings.ReplaceAll(readFixture(s.t, fixture), "{{BASE}}", s.srv.URL))
}

// article describes a page made from a site template and a story.
type article struct {
	template, site, story, title, author, date, canonical string
	// lead replaces the story's first paragraph when set.
	lead string
}

// page serves an article page at path.
func (s *site) page(path string, a article) {
	s.serve(path, "text/html; charset=utf-8", renderPage(s.t, a, s.srv.URL))
}

func renderPage(t testing.TB, a article, base string) string {
	t.Helper()
	paras := storyParagraphs(t, a.story)
	if a.lead != "" {
		paras[0] = a.lead
	}
	var body strings.Builder
	for i, p := range paras {
		fmt.Fprintf(&body, "    <p>%s</p>\n", html.EscapeString(p))
		if i == 1 {
			body.WriteString(`    <div class="ad ad-inline"><span>Advertisement</span><iframe src="https://ads.example/x"></iframe></div>` + "\n")
		}
	}
	canonical := a.canonical
	if strings.HasPrefix(canonical, "/") {
		canonical = base + canonical
	}
	return strings.NewReplacer(
		"{{TITLE}}", html.EscapeString(a.title), "{{SITE}}", html.EscapeString(a.site),
		"{{AUTHOR}}", html.EscapeString(a.author), "{{DATE}}", a.date,
		"{{CANONICAL}}", canonical, "{{BODY}}", body.String(),
	).Replace(readFixture(t, a.template))
}

func storyParagraphs(t testing.TB, name string) []string {
	t.Helper()
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(readFixture(t, filepath.Join("stories", name))), "\n\n") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// testService makes a service storing in a temporary folder, fetching
// from loopback.
func testService(t testing.TB, counters Counters) *Service {
	t.Helper()
	store, problems, err := OpenStore(t.TempDir())
	if err != nil || len(problems) > 0 {
		t.Fatalf("OpenStore: %v %v", problems, err)
	}
	f := NewFetcher(FetchOptions{AllowPrivate: true, Timeout: 5 * time.Second})
	return NewService(f, store, Options{Counters: counters})
}

// countingCounters counts what a service reports.
type countingCounters struct {
	mu         sync.Mutex
	polls      map[string]int
	added, dup int
	errors     map[string]int
}

func newCounting() *countingCounters {
	return &countingCounters{polls: map[string]int{}, errors: map[string]int{}}
}

func (c *countingCounters) FeedPolled(r string) { c.mu.Lock(); c.polls[r]++; c.mu.Unlock() }
func (c *countingCounters) FeedItemAdded()      { c.mu.Lock(); c.added++; c.mu.Unlock() }
func (c *countingCounters) FeedDuplicateDropped() {
	c.mu.Lock()
	c.dup++
	c.mu.Unlock()
}
func (c *countingCounters) FeedFetchFailed(k string) { c.mu.Lock(); c.errors[k]++; c.mu.Unlock() }

// The standard pages of the fixtures' stories.
var (
	bridgeA = article{template: "site-a.html", site: "The Coastal Herald", story: "bridge.txt",
		title: "Harbour Bridge reopens after costly repairs", author: "Aoife Byrne",
		date: "2026-12-01T07:30:00Z", canonical: "/a/bridge"}
	libraryA = article{template: "site-a.html", site: "The Coastal Herald", story: "library.txt",
		title: "Council approves library budget", author: "Aoife Byrne",
		date: "2026-12-02T19:10:00Z", canonical: "/a/library"}
	railB = article{template: "site-b.html", site: "Northern Daily", story: "rail.txt",
		title: "Rail workers to strike for two days", author: "Ciaran Walsh",
		date: "2026-12-01T23:40:00Z", canonical: "/b/rail"}
	stormB = article{template: "site-b.html", site: "West Coast Radio", story: "storm.txt",
		title: "Storm Brigid leaves thousands without power", author: "Nuala Quinn",
		date: "2026-12-02T06:15:00Z", canonical: "/c/storm"}
)
