package news

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	p := NewPoller(nil, PollerOptions{Interval: 15 * time.Minute, Rand: func() float64 { return 0.5 }})
	status := func(code int, ra time.Duration) error {
		return &FetchError{Kind: KindStatus, Status: code, RetryAfter: ra}
	}
	for _, tt := range []struct {
		name     string
		failures int
		err      error
		want     time.Duration
	}{
		{"first failure", 1, status(500, 0), 15 * time.Minute},
		{"second", 2, status(500, 0), 30 * time.Minute},
		{"third", 3, status(500, 0), time.Hour},
		{"capped", 30, status(500, 0), MaxBackoff},
		{"timeout", 2, &FetchError{Kind: KindTimeout}, 30 * time.Minute},
		{"429 asks for longer", 1, status(429, 2*time.Hour), 2*time.Hour + 6*time.Minute},
		{"429 asks for less", 3, status(429, time.Minute), time.Hour},
		{"Retry-After capped", 1, status(503, 100*time.Hour), MaxRetryAfter + MaxRetryAfter/20},
		{"410 Gone", 1, status(410, 0), GoneBackoff},
	} {
		if got := p.Backoff(tt.failures, tt.err); got != tt.want {
			t.Errorf("Backoff(%s) = %v; want %v", tt.name, got, tt.want)
		}
	}
	// Jitter spreads ±10%, and never polls before Retry-After.
	for _, r := range []float64{0, 0.999} {
		p := NewPoller(nil, PollerOptions{Interval: 10 * time.Minute, Rand: func() float64 { return r }})
		if got := p.jitter(10 * time.Minute); got < 9*time.Minute || got > 11*time.Minute {
			t.Errorf("jitter(10m) with rand %v = %v; want 9m to 11m", r, got)
		}
		if got := p.Backoff(1, status(429, time.Hour)); got < time.Hour {
			t.Errorf("Backoff(429, 1h) with rand %v = %v; want at least 1h", r, got)
		}
	}
	if p := NewPoller(nil, PollerOptions{Interval: time.Second}); p.o.Interval != MinInterval {
		t.Errorf("interval 1s became %v; want %v", p.o.Interval, MinInterval)
	}
}

func TestPollerRun(t *testing.T) {
	s := newSite(t)
	s.feed("/good", "atom.xml", "application/atom+xml")
	s.page("/b/rail", railB)
	s.handle("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	states := &MemoryPollStates{}
	results := make(chan Result, 10)
	counts := newCounting()
	p := NewPoller(testService(t, counts), PollerOptions{
		Feeds: func(context.Context) ([]string, error) {
			return []string{s.URL("/good"), s.URL("/busy")}, nil
		},
		Interval: 50 * time.Millisecond, AllowShortInterval: true,
		States:   states,
		OnResult: func(_ context.Context, _ string, r Result) { results <- r },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	select {
	case r := <-results:
		if len(r.Added) != 1 || r.Added[0].Title != "Rail workers to strike for two days" {
			t.Errorf("OnResult got %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no result from the poller")
	}
	// The good feed is polled again on its interval; wait for three polls.
	deadline := time.Now().Add(10 * time.Second)
	for s.Hits("/good") < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v; want nil after cancel", err)
	}
	if s.Hits("/good") < 3 {
		t.Fatalf("good feed polled %d times; want at least 3", s.Hits("/good"))
	}
	// The busy feed was polled once and waits for its Retry-After.
	if n := s.Hits("/busy"); n != 1 {
		t.Errorf("busy feed polled %d times; want once (Retry-After 1h)", n)
	}
	st, _ := states.LoadPollState(context.Background(), s.URL("/busy"))
	if st.Failures != 1 || time.Until(st.NextPoll) < 59*time.Minute || !strings.Contains(st.LastError, "429") {
		t.Errorf("busy feed state = %+v", st)
	}
	good, _ := states.LoadPollState(context.Background(), s.URL("/good"))
	if good.Failures != 0 || good.LastSuccess.IsZero() {
		t.Errorf("good feed state = %+v", good)
	}
	if len(results) != 0 {
		t.Errorf("%d more results; want the article added once", len(results))
	}
	if counts.added != 1 {
		t.Errorf("added counted %d; want 1", counts.added)
	}
}

// TestPoll200Feeds polls 200 feeds of 3 items each, pages and all, then
// again with their validators (all 304), and reports the times.
func TestPoll200Feeds(t *testing.T) {
	const feeds, items = 200, 3
	s := newSite(t)
	templates := []article{bridgeA, railB}
	rng := rand.New(rand.NewPCG(1, 2))
	var urls []string
	for f := range feeds {
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet %d</title>`, f)
		for i := range items {
			path := fmt.Sprintf("/o%d/s%d", f, i)
			a := templates[(f+i)%len(templates)]
			a.canonical = path
			s.serve(path, "text/html; charset=utf-8", withBody(renderPage(t, a, s.URL("")), randomStory(rng)))
			fmt.Fprintf(&b, `<item><title>Story %d of outlet %d</title><link>%s</link><guid>o%d-%d</guid></item>`, i, f, s.URL(path), f, i)
		}
		b.WriteString(`</channel></rss>`)
		feed := b.String()
		etag := fmt.Sprintf(`"f%d"`, f)
		path := fmt.Sprintf("/feed%d", f)
		s.handle(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Write([]byte(feed))
		})
		urls = append(urls, s.URL(path))
	}
	counts := newCounting()
	svc := testService(t, counts)
	p := NewPoller(svc, PollerOptions{
		Feeds:    func(context.Context) ([]string, error) { return urls, nil },
		Interval: time.Minute,
	})
	start := time.Now()
	res, err := p.PollAll(context.Background())
	first := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("feed %s: %v", r.Feed, r.Err)
		}
		added += len(r.Result.Added)
	}
	if added != feeds*items || counts.dup != 0 {
		t.Errorf("added %d, duplicates %d; want %d and none", added, counts.dup, feeds*items)
	}
	start = time.Now()
	res, _ = p.PollAll(context.Background())
	second := time.Since(start)
	for _, r := range res {
		if !r.Result.NotModified {
			t.Errorf("feed %s polled again: %+v, %v; want 304", r.Feed, r.Result, r.Err)
			break
		}
	}
	t.Logf("200 feeds, %d items: first poll %v (pages fetched and extracted), second poll %v (all 304)", feeds*items, first, second)
}

// randomStory makes six paragraphs of made-up sentences, different for
// every call, so that no two stories are near duplicates.
func randomStory(rng *rand.Rand) []string {
	var paras []string
	for range 6 {
		var words []string
		for range 30 {
			words = append(words, fmt.Sprintf("w%d", rng.IntN(5000)))
		}
		paras = append(paras, strings.Join(words, " ")+".")
	}
	return paras
}

// withBody replaces the story's paragraphs in a rendered page.
func withBody(page string, paras []string) string {
	start, end := strings.Index(page, "    <p>"), strings.LastIndex(page, "</p>\n")
	var b strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&b, "    <p>%s</p>\n", p)
	}
	return page[:start] + b.String() + page[end+len("</p>\n"):]
}
