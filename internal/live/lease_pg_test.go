package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/pgstore"
)

// item is one item of a newsSite's feed; its page is not found, so that
// the feed's own text is its article.
type item struct{ guid, title, text, date string }

// newsSite serves an RSS feed whose items a test adds.
type newsSite struct {
	*httptest.Server
	mu    sync.Mutex
	items []item
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rss.xml" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>The Harbour Gazette</title><link>%s/</link>`, s.URL)
		for _, it := range s.items {
			fmt.Fprintf(w, `<item><title>%s</title><link>%s/news/%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
				it.title, s.URL, it.guid, it.guid, it.date, it.text)
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *newsSite) add(it item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, it)
}

// waitLog waits until a node has logged s.
func (n *node) waitLog(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	if err := waitFor(ctx, func() bool { return strings.Contains(n.logs.String(), s) }); err != nil {
		t.Fatalf("the log never said %q: %v\n%s", s, err, n.logs)
	}
}

// TestPollerLeasePostgres: two processes (bot and poller each, their own
// data folders) share one PostgreSQL store: only the lease holder polls,
// each new article is announced once between them, and when the holder
// stops the other takes the lease over at once and polls, announcing
// only what is new.
func TestPollerLeasePostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	open := func() state.Store {
		s, err := pgstore.Open(ctx, url, pgstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	fake := discordtest.New(t, discordtest.Config{})
	ch := discordtest.DefaultChannelID
	site := newNewsSite(t)
	site.add(item{"storm-1", "Storm closes the harbour", "A storm closed the harbour on Monday. The ferry to the islands did not sail, the harbour master said.", "Mon, 30 Nov 2026 08:00:00 GMT"})
	storeA, storeB := open(), open()
	if err := storeA.PutFeed(ctx, state.Feed{GuildID: discordtest.DefaultGuildID, URL: site.URL + "/rss.xml", ChannelID: ch, AddedAt: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	const lease = 2 * time.Second
	a := newNode(t, ctx, fake, t.TempDir(), storeA, lease)
	b := newNode(t, ctx, fake, t.TempDir(), storeB, lease)

	a.start(t, ctx)
	a.waitLog(t, ctx, "this process polls the feeds")
	b.start(t, ctx)
	b.waitLog(t, ctx, "another process polls the feeds")
	storm := func() int { return countTitled(fake, ch, "Storm closes the harbour") }
	if err := fake.Until(ctx, func() bool { return storm() > 0 }); err != nil {
		t.Fatalf("the first article was never announced: %v\n%s", err, a.logs)
	}
	if strings.Contains(b.logs.String(), "this process polls the feeds") || strings.Contains(b.logs.String(), "feed polled") {
		t.Errorf("the second process polled while the first held the lease:\n%s", b.logs)
	}

	// The holder stops: the other takes over at once, polls, and
	// announces only the new item (it stores the first again in its own
	// folder, and finds its announcement done).
	a.stop()
	a.waitLog(t, ctx, "this process no longer polls the feeds")
	site.add(item{"ferry-2", "Ferry sails again", "The island ferry sailed again on Tuesday, with forty passengers aboard. The crossing took two hours.", "Tue, 01 Dec 2026 08:00:00 GMT"})
	b.waitLog(t, ctx, "this process polls the feeds")
	ferry := func() int { return countTitled(fake, ch, "Ferry sails again") }
	if err := fake.Until(ctx, func() bool { return ferry() > 0 }); err != nil {
		t.Fatalf("the new article was never announced after the takeover: %v\n%s", err, b.logs)
	}
	if n, m := storm(), ferry(); n != 1 || m != 1 {
		t.Errorf("announcements: %d of the first article, %d of the second; want one each", n, m)
	}
	d, found, err := storeB.Delivery(ctx, "poller", "lease")
	if err != nil || !found || !strings.HasPrefix(d.ClaimedBy, "poller-") || d.ClaimedAt.Before(time.Now().Add(-lease)) {
		t.Errorf("lease = %+v, %v, %v; want held by the second process", d, found, err)
	}
}

// countTitled counts the bot's messages in a channel with an embed
// titled title.
func countTitled(fake *discordtest.Fake, channelID, title string) int {
	n := 0
	for _, m := range fake.Messages(channelID) {
		for _, e := range m.Embeds {
			if e.Title == title {
				n++
			}
		}
	}
	return n
}
