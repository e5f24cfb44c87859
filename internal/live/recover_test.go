package live_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// emptyFeed serves an RSS feed with no items: polling it adds nothing,
// so that what a test sees announced is what the sweep recovered.
func emptyFeed(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Gazette</title><link>http://quiet.example/</link></channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/rss.xml"
}

// node is one bot process in a test: its state store, stored articles,
// index, bot and poller.
type node struct {
	store   state.Store
	stories *news.Store
	ix      *retrieval.Index
	bot     *bot.Bot
	runner  *live.Runner
	logs    *syncBuffer
	stop    func()
}

// newNode opens a process's parts on data and store (closed by the
// test), connected to fake. Start runs them.
func newNode(t *testing.T, ctx context.Context, fake *discordtest.Fake, data string, store state.Store, lease time.Duration) *node {
	t.Helper()
	n := &node{store: store, logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(n.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	if n.ix, err = retrieval.Open(ctx, data, seed, retrieval.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.ix.Close() })
	dir := filepath.Join(data, news.ArticlesDir)
	if n.stories, _, err = news.OpenStore(dir); err != nil {
		t.Fatal(err)
	}
	n.runner = live.New(live.Options{
		Fetcher:  news.NewFetcher(news.FetchOptions{AllowPrivate: true, Timeout: 5 * time.Second}),
		Articles: n.stories, Library: live.NewLibrary(n.ix, syncStored(n.ix, dir)), Store: store,
		Interval: 200 * time.Millisecond, AllowShortInterval: true, Logger: log, Lease: lease,
	})
	n.bot, err = bot.New(n.ix, bot.Options{
		Token: fake.Token(), APIBase: fake.URL, Logger: log, DeferAfter: 2500 * time.Millisecond,
		Store: store, FeedStore: store, Feeds: n.runner,
	})
	if err != nil {
		t.Fatal(err)
	}
	n.runner.SetAnnouncer(n.bot)
	return n
}

// start runs the node's bot and poller until stop or the test's end.
func (n *node) start(t *testing.T, ctx context.Context) {
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = n.bot.Run(runCtx) })
	wg.Go(func() { _ = n.runner.Run(runCtx) })
	var once sync.Once
	n.stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(n.stop)
}

// storeArticle writes a stored article file of feed, as the poller
// would, added at added, seen in guild.
func storeArticle(t *testing.T, s *news.Store, id corpus.ArticleID, feed, guild string, added time.Time) {
	t.Helper()
	err := s.Put(id, &news.File{
		Title: "Story " + string(id), Source: "The Quiet Gazette", URL: "http://quiet.example/" + string(id),
		Body: []string{fmt.Sprintf("The harbour commissioners said that story %s was news.", id)},
		Feed: feed, GUID: string(id), Guild: guild, Added: added.UTC().Format(time.RFC3339),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// announcementsOf returns the bot's messages in the channel announcing
// article id (its title is "Story id").
func announcementsOf(fake *discordtest.Fake, channelID string, id corpus.ArticleID) []*discordgo.Message {
	var out []*discordgo.Message
	for _, m := range fake.Messages(channelID) {
		for _, e := range m.Embeds {
			if e.Title == "Story "+string(id) {
				out = append(out, m)
			}
		}
	}
	return out
}

// followingNode makes a node whose bbolt state says the fake's default
// server has followed a quiet feed, announcing in its default channel, for
// an hour; it returns the store (closed by the test), the feed's URL and
// the node, not started.
func followingNode(t *testing.T, ctx context.Context, fake *discordtest.Fake) (state.Store, string, *node) {
	t.Helper()
	data := t.TempDir()
	store, err := boltstore.Open(filepath.Join(data, "state.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	feed := emptyFeed(t)
	f := state.Feed{GuildID: discordtest.DefaultGuildID, URL: feed, ChannelID: discordtest.DefaultChannelID, AddedAt: time.Now().Add(-time.Hour)}
	if err := store.PutFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	return store, feed, newNode(t, ctx, fake, data, store, 400*time.Millisecond)
}

// TestRecoverAnnouncements: the poller, starting, announces once each
// recent article of a followed feed that a stopped process stored but did
// not announce, finishes with its nonce one it announced but did not
// record (Discord keeps one message), gives up one interrupted too long
// ago, and leaves alone what is old, older than the server's following,
// or done; a second sweep sends nothing more.
func TestRecoverAnnouncements(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fake, ch, guild := discordtest.New(t, discordtest.Config{}), discordtest.DefaultChannelID, discordtest.DefaultGuildID
	store, feed, n := followingNode(t, ctx, fake)
	now := time.Now()

	// Stored, not indexed, not announced: a crash between storing and
	// indexing.
	storeArticle(t, n.stories, "unannounced", feed, guild, now.Add(-time.Minute))
	// Announced, not recorded: Discord took the message, with the
	// delivery's nonce, and the process died before recording it.
	storeArticle(t, n.stories, "unrecorded", feed, guild, now.Add(-time.Minute))
	claimed := now.Add(-30 * time.Second)
	seedDelivery(t, ctx, store, ch, "unrecorded", "a-unrecorded-nonce", claimed)
	first := postWithNonce(t, fake, ch, "Story unrecorded", "a-unrecorded-nonce")
	// Claimed longer ago than Discord keeps a nonce: given up.
	storeArticle(t, n.stories, "stale", feed, guild, now.Add(-10*time.Minute))
	seedDelivery(t, ctx, store, ch, "stale", "a-stale-nonce", now.Add(-5*time.Minute))
	// Not to be announced: too old, stored before the server followed the
	// feed, another server's, done already.
	storeArticle(t, n.stories, "old", feed, guild, now.Add(-live.RecoverWindow-time.Minute))
	storeArticle(t, n.stories, "before", feed, guild, now.Add(-2*time.Hour))
	storeArticle(t, n.stories, "elsewhere", feed, "2000000000000000099", now.Add(-time.Minute))
	storeArticle(t, n.stories, "done", feed, guild, now.Add(-time.Minute))
	seedDelivery(t, ctx, store, ch, "done", "a-done-nonce", now.Add(-time.Minute))
	if err := store.FinishDelivery(ctx, ch, "done", "dead-process", state.OutcomePosted, "1", now); err != nil {
		t.Fatal(err)
	}

	swept := n.runner.WaitSweep()
	n.start(t, ctx)
	select {
	case <-swept:
	case <-ctx.Done():
		t.Fatalf("no sweep\n%s", n.logs)
	}
	again := n.runner.WaitSweep()

	if got := announcementsOf(fake, ch, "unannounced"); len(got) != 1 {
		t.Errorf("%d announcements of the article stored but not announced; want 1\n%s", len(got), n.logs)
	}
	if got := announcementsOf(fake, ch, "unrecorded"); len(got) != 1 || got[0].ID != first.ID {
		t.Errorf("announcements of the article announced but not recorded: %d; want the one Discord took\n%s", len(got), n.logs)
	}
	resent := filterCalls(fake.CallsTo("POST", "channels/"+ch+"/messages"), func(c discordtest.Call) bool {
		return strings.Contains(string(c.Body), "a-unrecorded-nonce")
	})
	if len(resent) != 2 || !strings.Contains(string(resent[1].Body), `"enforce_nonce":true`) {
		t.Errorf("%d posts with the unrecorded delivery's nonce; want the first and one resent, enforced", len(resent))
	}
	for _, id := range []corpus.ArticleID{"stale", "old", "before", "elsewhere", "done"} {
		if got := announcementsOf(fake, ch, id); len(got) != 0 {
			t.Errorf("%q announced %d times; want never", id, len(got))
		}
	}
	for id, outcome := range map[string]string{"unannounced": state.OutcomePosted, "unrecorded": state.OutcomePosted, "stale": state.OutcomeGivenUp} {
		d, found, err := store.Delivery(ctx, ch, id)
		if err != nil || !found || d.Pending() || d.Outcome != outcome {
			t.Errorf("delivery of %q = %+v, %v, %v; want finished, %s", id, d, found, err, outcome)
		}
	}
	d, _, _ := store.Delivery(ctx, ch, "unrecorded")
	if d.MessageID != first.ID {
		t.Errorf("the unrecorded delivery records message %q; want %q, the one Discord took first", d.MessageID, first.ID)
	}

	// A second sweep finds everything done.
	select {
	case <-again:
	case <-ctx.Done():
		t.Fatalf("no second sweep\n%s", n.logs)
	}
	if n := len(fake.CallsTo("POST", "channels/"+ch+"/messages")); n != 3 {
		t.Errorf("%d message posts after a second sweep; want 3 (the first post of the unrecorded one, its resend, the unannounced)", n)
	}
}

// seedDelivery records an announcement claimed by a process now dead at
// claimed, with nonce.
func seedDelivery(t *testing.T, ctx context.Context, store state.Store, channelID, id, nonce string, claimed time.Time) {
	t.Helper()
	_, ok, err := store.ClaimDelivery(ctx, state.Delivery{ChannelID: channelID, Key: id, Kind: state.KindAnnouncement,
		Nonce: nonce, ClaimedBy: "dead-process", ClaimedAt: claimed}, time.Second)
	if err != nil || !ok {
		t.Fatalf("seed delivery %s: %v, %v", id, ok, err)
	}
}

// postWithNonce posts a message with an embed titled title to the fake,
// with an enforced nonce, as the bot would have before it died.
func postWithNonce(t *testing.T, fake *discordtest.Fake, channelID, title, nonce string) *discordgo.Message {
	t.Helper()
	s, err := discordgo.New("Bot " + fake.Token())
	if err != nil {
		t.Fatal(err)
	}
	if s.Client, err = bot.NewHTTPClient(fake.URL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	url := discordgo.EndpointChannelMessages(channelID)
	body := map[string]any{"embeds": []map[string]any{{"title": title}}, "nonce": nonce, "enforce_nonce": true}
	b, err := s.RequestWithBucketID("POST", url, body, url)
	if err != nil {
		t.Fatal(err)
	}
	var m discordgo.Message
	if err := discordgo.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// TestStopDuringAnnouncement: a stop that comes while an announcement's
// post is in flight (Discord has taken it, its answer not yet back) lets
// the post finish and records it as posted, rather than leaving it claimed
// for the next start to send again.
func TestStopDuringAnnouncement(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fake, ch, guild := discordtest.New(t, discordtest.Config{}), discordtest.DefaultChannelID, discordtest.DefaultGuildID
	store, feed, n := followingNode(t, ctx, fake)
	now := time.Now()
	storeArticle(t, n.stories, "inflight", feed, guild, now.Add(-time.Minute))
	fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: 500 * time.Millisecond})

	n.start(t, ctx)
	if err := fake.Until(ctx, func() bool { return len(fake.CallsTo("POST", "channels/"+ch+"/messages")) > 0 }); err != nil {
		t.Fatalf("the announcement was never posted: %v\n%s", err, n.logs)
	}
	n.stop() // while Discord holds the answer back

	if got := announcementsOf(fake, ch, "inflight"); len(got) != 1 {
		t.Errorf("%d announcements; want 1", len(got))
	}
	d, found, err := store.Delivery(ctx, ch, "inflight")
	if err != nil || !found || d.Pending() || d.Outcome != state.OutcomePosted {
		t.Errorf("delivery = %+v, %v, %v; want finished, posted\n%s", d, found, err, n.logs)
	}
}

// TestSlowAnnouncement: an announcement Discord takes longer to answer
// than a stop's grace for a post in flight (digest.InFlightGrace) is not
// cut off when no stop comes: it is posted once, with one call, and
// recorded as posted.
func TestSlowAnnouncement(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fake, ch, guild := discordtest.New(t, discordtest.Config{}), discordtest.DefaultChannelID, discordtest.DefaultGuildID
	store, feed, n := followingNode(t, ctx, fake)
	storeArticle(t, n.stories, "slow", feed, guild, time.Now().Add(-time.Minute))
	fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: digest.InFlightGrace + time.Second})

	n.start(t, ctx)
	var d state.Delivery
	err := waitFor(ctx, func() bool {
		got, found, err := store.Delivery(ctx, ch, "slow")
		d = got
		return err == nil && found && !got.Pending()
	})
	if err != nil || d.Outcome != state.OutcomePosted {
		t.Fatalf("delivery = %+v (%v); want finished, posted\n%s", d, err, n.logs)
	}
	if calls := len(fake.CallsTo("POST", "channels/"+ch+"/messages")); calls != 1 {
		t.Errorf("%d POSTs for one announcement; want 1\n%s", calls, n.logs)
	}
	if got := announcementsOf(fake, ch, "slow"); len(got) != 1 {
		t.Errorf("%d announcements; want 1", len(got))
	}
}
