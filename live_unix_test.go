//go:build unix

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// feedItem is an item of a feedServer's feed.
type feedItem struct{ guid, title, text, date string }

// feedServer serves an RSS feed of items on loopback. The items' pages
// are not found (the feed's own text is each article), except where the
// test hands a page handler.
type feedServer struct {
	*httptest.Server
	items []feedItem
	pages map[string]http.HandlerFunc
}

func newFeedServer(t *testing.T, items []feedItem, pages map[string]http.HandlerFunc) *feedServer {
	s := &feedServer{items: items, pages: pages}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := s.pages[r.URL.Path]; h != nil {
			h(w, r)
			return
		}
		if r.URL.Path != "/rss.xml" {
			http.NotFound(w, r)
			return
		}
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

var (
	stormItem = feedItem{"storm-1", "Storm closes the harbour",
		"A storm closed the harbour on Monday. The ferry to the islands did not sail, the harbour master said.", "Mon, 30 Nov 2026 08:00:00 GMT"}
	ferryItem = feedItem{"ferry-2", "Ferry sails again",
		"The island ferry sailed again on Tuesday, with forty passengers aboard. The crossing took two hours.", "Tue, 01 Dec 2026 08:00:00 GMT"}
)

// followFeed records, in the bbolt state file of data, that the fake's
// default server follows feedURL with announcements in its default
// channel, as /feeds add does.
func followFeed(t *testing.T, data, feedURL string) {
	t.Helper()
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := boltstore.Open(filepath.Join(data, boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.PutFeed(context.Background(), state.Feed{GuildID: discordtest.DefaultGuildID, URL: feedURL,
		ChannelID: discordtest.DefaultChannelID, AddedAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
}

// announcements returns the deliveries of kind announcement in the
// bbolt state file of data (no process may hold it).
func announcements(t *testing.T, data string) []state.Delivery {
	t.Helper()
	s, err := boltstore.Open(filepath.Join(data, boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []state.Delivery
	for _, d := range snap.Deliveries {
		if d.Kind == state.KindAnnouncement {
			out = append(out, d)
		}
	}
	return out
}

// titled counts the messages in a channel with an embed titled title.
func titled(fake *discordtest.Fake, channelID, title string) int {
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

func liveEnv(fake *discordtest.Fake, data string) []string {
	return []string{"DISCORD_TOKEN=" + fake.Token(), "DISCORD_API_BASE=" + fake.URL, "DATA_DIR=" + data,
		"FETCH_ALLOW_PRIVATE=true", "LOG_LEVEL=debug"}
}

// TestProcessKilledBetweenAnnounceAndRecord kills the bot (SIGKILL) once
// Discord has taken a feed article's announcement and before the bot
// heard back and recorded it, then starts it again: the restarted poller
// sends the pending announcement again with its nonce, Discord returns
// the message already posted, the channel has one announcement, and the
// delivery is recorded as posted with that message.
func TestProcessKilledBetweenAnnounceAndRecord(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fake := discordtest.New(t, discordtest.Config{})
	ch := discordtest.DefaultChannelID
	fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: time.Minute})
	site := newFeedServer(t, []feedItem{stormItem}, nil)
	data := filepath.Join(t.TempDir(), "data")
	followFeed(t, data, site.URL+"/rss.xml")
	env := liveEnv(fake, data)

	first := startProcess(t, env...)
	sent, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/"+ch+"/messages") && strings.Contains(string(c.Body), stormItem.title)
	})
	if err != nil {
		t.Fatalf("no announcement sent: %v\n%s", err, first.stderr)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	if n := titled(fake, ch, stormItem.title); n != 1 {
		t.Fatalf("%d announcements after the kill; want the one Discord took", n)
	}
	if strings.Contains(first.stderr.String(), "article announced") {
		t.Fatal("the first process recorded its announcement: it was not killed in time")
	}

	second := startProcess(t, env...)
	second.waitLog("article announced")
	calls := fake.CallsTo("POST", "channels/"+ch+"/messages")
	if len(calls) != 2 || !strings.Contains(string(calls[1].Body), `"enforce_nonce":true`) || nonce(t, calls[1]) != nonce(t, sent) {
		t.Errorf("the restarted bot did not send the announcement again with its nonce: %d posts", len(calls))
	}
	if n := titled(fake, ch, stormItem.title); n != 1 {
		t.Errorf("%d announcements after the restart; want 1", n)
	}
	second.stop()
	msgs := fake.Messages(ch)
	ds := announcements(t, data)
	if len(ds) != 1 || ds[0].Pending() || ds[0].Outcome != state.OutcomePosted || len(msgs) != 1 || ds[0].MessageID != msgs[0].ID {
		t.Errorf("announcement records %+v; want one, posted, with the message Discord took", ds)
	}
}

// TestProcessKilledBetweenStoreAndAnnounce kills the bot (SIGKILL) after
// it stored a feed article and before it announced it (it is fetching
// the next item's page), then starts it again: the stored article is
// announced once, by the recovery sweep (a poll finds it stored
// already), and the next item once, by the poll.
func TestProcessKilledBetweenStoreAndAnnounce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fake := discordtest.New(t, discordtest.Config{})
	ch := discordtest.DefaultChannelID
	asked := make(chan struct{}, 1)
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	site := newFeedServer(t, []feedItem{stormItem, ferryItem}, map[string]http.HandlerFunc{
		"/news/ferry-2": func(w http.ResponseWriter, r *http.Request) {
			select {
			case asked <- struct{}{}:
			default:
			}
			select {
			case <-release:
			case <-r.Context().Done():
			}
			http.NotFound(w, r)
		},
	})
	data := filepath.Join(t.TempDir(), "data")
	followFeed(t, data, site.URL+"/rss.xml")
	env := liveEnv(fake, data)

	first := startProcess(t, env...)
	select {
	case <-asked:
	case <-ctx.Done():
		t.Fatalf("the second item's page was never fetched\n%s", first.stderr)
	}
	stored, _ := filepath.Glob(filepath.Join(data, "articles", "*.json"))
	if len(stored) != 1 {
		t.Fatalf("%d articles stored while the second page is fetched; want the first", len(stored))
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	once.Do(func() { close(release) })
	if n := len(fake.CallsTo("POST", "channels/"+ch+"/messages")); n != 0 {
		t.Fatalf("%d messages posted before the kill; want none", n)
	}

	second := startProcess(t, env...)
	err := fake.Until(ctx, func() bool { return titled(fake, ch, stormItem.title) > 0 && titled(fake, ch, ferryItem.title) > 0 })
	if err != nil {
		t.Fatalf("not both announced after the restart: %v\n%s", err, second.stderr)
	}
	second.waitLog("recovering an announcement")
	second.stop()
	if a, b := titled(fake, ch, stormItem.title), titled(fake, ch, ferryItem.title); a != 1 || b != 1 {
		t.Errorf("%d and %d announcements; want one of each", a, b)
	}
	for _, d := range announcements(t, data) {
		if d.Pending() || d.Outcome != state.OutcomePosted {
			t.Errorf("announcement %+v; want posted", d)
		}
	}
}
