package live_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

const (
	otherGuild   = "2000000000000000002"
	otherChannel = "3000000000000000002"
	adminID      = "4000000000000000009"
)

// feedSite serves an RSS feed of one item, whose description can change,
// and the item's page.
type feedSite struct {
	*httptest.Server
	mu   sync.Mutex
	desc string
}

func newFeedSite(t *testing.T) *feedSite {
	page, err := os.ReadFile(filepath.Join("testdata", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := &feedSite{desc: "Keepers return to the rock."}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			s.mu.Lock()
			desc := s.desc
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>The Harbour Gazette</title><link>%[1]s/</link>
<item><title>Lighthouse keepers return to Fastnet Rock</title><link>%[1]s/news/fastnet</link><guid>fastnet-1</guid>
<pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate><description>%[2]s</description></item></channel></rss>`, s.URL, desc)
		case "/news/fastnet":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *feedSite) update(desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.desc = desc
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func strOpt(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
}

func chanOpt(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionChannel, Value: v}
}

// TestFeedsEndToEnd: /feeds add is refused to a member without Manage
// Server and taken from an admin; the feed's new article is announced in
// the channel once, answered from in that server at once and not in
// another; an update of the item is not announced again; the poll state
// is in the state store.
func TestFeedsEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	site := newFeedSite(t)
	fake := discordtest.New(t, discordtest.Config{})
	fake.AddGuild(&discordgo.Guild{ID: otherGuild, Name: "other", Channels: []*discordgo.Channel{
		{ID: otherChannel, GuildID: otherGuild, Type: discordgo.ChannelTypeGuildText, Name: "general"},
	}})
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	data := t.TempDir()
	store, err := boltstore.Open(filepath.Join(data, "state.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Open(ctx, data, seed, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	dir := filepath.Join(data, news.ArticlesDir)
	stories, _, err := news.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	runner := live.New(live.Options{
		Fetcher:  news.NewFetcher(news.FetchOptions{AllowPrivate: true, Timeout: 5 * time.Second}),
		Articles: stories, Library: live.NewLibrary(ix, syncStored(ix, dir)), Store: store,
		Interval: 300 * time.Millisecond, AllowShortInterval: true, Logger: log,
	})
	b, err := bot.New(ix, bot.Options{
		Token: fake.Token(), APIBase: fake.URL, Logger: log, DeferAfter: 2500 * time.Millisecond,
		Store: store, FeedStore: store, Feeds: runner,
	})
	if err != nil {
		t.Fatal(err)
	}
	runner.SetAnnouncer(b)
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = b.Run(runCtx) })
	wg.Go(func() { _ = runner.Run(runCtx) })
	defer wg.Wait()
	defer stop()
	if _, err := fake.WaitCall(ctx, func(c discordtest.Call) bool { return c.Is("PUT", "applications/*/commands") }); err != nil {
		t.Fatalf("commands not registered: %v\n%s", err, logs)
	}

	interact := func(i *discordgo.Interaction) discordtest.InteractionResponse {
		t.Helper()
		sent := fake.InteractionCreate(t, i)
		r, err := fake.WaitInteractionResponse(ctx, sent.ID)
		if err != nil || r.Data == nil {
			t.Fatalf("no response: %v\n%s", err, logs)
		}
		return r
	}
	feedsAdd := func(perms int64) discordtest.InteractionResponse {
		return interact(&discordgo.Interaction{
			Type:   discordgo.InteractionApplicationCommand,
			Member: &discordgo.Member{User: &discordgo.User{ID: adminID, Username: "admin"}, Permissions: perms},
			Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "feeds", Options: []*discordgo.ApplicationCommandInteractionDataOption{{
				Name: "add", Type: discordgo.ApplicationCommandOptionSubCommand,
				Options: []*discordgo.ApplicationCommandInteractionDataOption{
					strOpt("url", site.URL+"/rss.xml"), chanOpt("channel", discordtest.DefaultChannelID),
				},
			}}},
		})
	}
	if r := feedsAdd(0); !r.Ephemeral || !strings.Contains(r.Data.Content, "Manage Server") {
		t.Fatalf("/feeds add by a member = %+v; want an ephemeral refusal", r.Data)
	}
	feeds, _ := store.Feeds(ctx)
	if len(feeds) != 0 {
		t.Fatalf("a refused /feeds add stored %d feeds", len(feeds))
	}
	added := time.Now()
	if r := feedsAdd(discordgo.PermissionManageGuild); !r.Ephemeral || !strings.Contains(r.Data.Content, "now follows") {
		t.Fatalf("/feeds add by an admin = %q", r.Data.Content)
	}

	isAnnouncement := func(c discordtest.Call) bool {
		return c.Is("POST", "channels/"+discordtest.DefaultChannelID+"/messages") && strings.Contains(string(c.Body), "Lighthouse keepers return")
	}
	if _, err := fake.WaitCall(ctx, isAnnouncement); err != nil {
		t.Fatalf("no announcement: %v\n%s", err, logs)
	}
	t.Logf("from /feeds add to the announcement: %v", time.Since(added).Round(time.Millisecond))
	ann := fake.CallsTo("POST", "channels/"+discordtest.DefaultChannelID+"/messages")
	if body := string(ann[0].Body); !strings.Contains(body, "Two lighthouse keepers will return") || !strings.Contains(body, `"nonce":"a`) {
		t.Errorf("the announcement lacks the lead sentence or its nonce: %s", body)
	}

	ask := func(channel string) string {
		r := interact(&discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommand, ChannelID: channel,
			Data: discordgo.ApplicationCommandInteractionData{ID: "2", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
				strOpt("question", "When was the Fastnet lighthouse built?"),
			}},
		})
		var b strings.Builder
		b.WriteString(r.Data.Content)
		for _, e := range r.Data.Embeds {
			b.WriteString(e.Description)
		}
		return b.String()
	}
	if got := ask(discordtest.DefaultChannelID); !strings.Contains(got, "1897") {
		t.Errorf("asked in the feed's server: %q; want the sentence of 1897", got)
	}
	if got := ask(otherChannel); strings.Contains(got, "1897") || strings.Contains(got, "Fastnet") {
		t.Errorf("asked in another server: %q; want nothing from the feed's article", got)
	}

	// The item changes: the article is updated in place, not announced.
	site.update("Keepers return to the rock, the commissioners confirmed.")
	if err := waitFor(ctx, func() bool { return strings.Contains(logs.String(), "updated=1") }); err != nil {
		t.Fatalf("the updated item was never fetched again: %v\n%s", err, logs)
	}
	if n := len(filterCalls(fake.CallsTo("POST", "channels/"+discordtest.DefaultChannelID+"/messages"), isAnnouncement)); n != 1 {
		t.Errorf("%d announcements after the update; want 1", n)
	}
	p, found, err := store.FeedPoll(ctx, site.URL+"/rss.xml")
	if err != nil || !found || p.LastSuccess.IsZero() || p.NextPoll.IsZero() {
		t.Errorf("poll state in the store = %+v, %v, %v; want a success and a next poll", p, found, err)
	}
}

func filterCalls(cs []discordtest.Call, keep func(discordtest.Call) bool) []discordtest.Call {
	var out []discordtest.Call
	for _, c := range cs {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// waitFor polls cond (state the fake cannot signal) until it holds.
func waitFor(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// syncStored indexes the stored articles' folder dir as the bot's only
// folder, as the bot does without a corpus folder.
func syncStored(ix *retrieval.Index, dir string) live.SyncFunc {
	return func(ctx context.Context, _ *live.Changed) (retrieval.Changes, error) {
		f, _, err := corpus.ListFolder(ctx, dir)
		if err != nil {
			return retrieval.Changes{}, err
		}
		defer f.Close()
		res, err := ix.SyncFolder(ctx, f)
		return res.Changes, err
	}
}
