package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	cron "github.com/netresearch/go-cron"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// digestWorld is what outlives one bot process in the digest tests: a
// fake Discord and a fake clock that both share, the data folder (index
// and state) and the articles. The scheduler never sleeps on real time:
// the test moves the clock and waits for the scheduler's pass.
type digestWorld struct {
	t        *testing.T
	fake     *discordtest.Fake
	clock    *cron.FakeClock
	data     string
	articles []*corpus.Article
	running  *digestBot
	others   []*digestBot // more processes, started by startProcess
	starts   int
	// openStore opens the state store of the next process; nil means the
	// bbolt file in the data folder.
	newStore func() state.Store
}

// openStore opens the world's state store for a process.
func (w *digestWorld) openStore() state.Store {
	w.t.Helper()
	if w.newStore != nil {
		return w.newStore()
	}
	st, err := boltstore.Open(filepath.Join(w.data, boltstore.File), time.Second)
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

func newDigestWorld(t *testing.T, start time.Time) *digestWorld {
	t.Helper()
	clock := cron.NewFakeClock(start)
	return &digestWorld{
		t: t, clock: clock, data: t.TempDir(),
		fake: discordtest.New(t, discordtest.Config{Now: clock.Now}),
	}
}

// digestBot is one bot process over the world's data folder.
type digestBot struct {
	w     *digestWorld
	bot   *Bot
	ix    *retrieval.Index
	store state.Store
	logs  *syncBuffer
	stop  context.CancelFunc
	done  chan error
	ended bool
}

// start starts a bot process over the world's data folder: its index
// opened there (first-indexed times kept), its state reopened. It returns
// once the bot is connected, has registered its commands and has made its
// first scheduler pass (the catch-up).
func (w *digestWorld) start(opts ...func(*Options)) *digestBot {
	w.t.Helper()
	ix, err := retrieval.Open(context.Background(), w.data, corpus.New(w.articles...), retrieval.Options{Now: w.clock.Now})
	if err != nil {
		w.t.Fatal(err)
	}
	return w.startOn(ix, opts...)
}

// startOn is start with an index of the test's own.
func (w *digestWorld) startOn(ix *retrieval.Index, opts ...func(*Options)) *digestBot {
	w.t.Helper()
	st := w.openStore()
	logs := &syncBuffer{}
	o := Options{
		Token: w.fake.Token(), APIBase: w.fake.URL, DeferAfter: 1500 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Store:  st, Clock: w.clock,
	}
	for _, f := range opts {
		f(&o)
	}
	b, err := New(ix, o)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	db := &digestBot{w: w, bot: b, ix: ix, store: st, logs: logs, stop: cancel, done: make(chan error, 1)}
	go func() { db.done <- b.Run(ctx) }()
	w.t.Cleanup(db.shutdown)
	w.running = db
	w.starts++
	if _, err := w.fake.WaitCalls(waitCtx(w.t), w.starts, discordtest.MatchCall("PUT", "applications/*/commands")); err != nil {
		w.t.Fatalf("bot %d never registered its commands: %v\nlogs:\n%s", w.starts, err, logs)
	}
	db.waitPass(w.clock.Now())
	return db
}

// shutdown stops the process and closes its files, as a restart does.
func (db *digestBot) shutdown() {
	if db.ended {
		return
	}
	db.ended = true
	db.stop()
	select {
	case err := <-db.done:
		if err != nil {
			db.w.t.Errorf("Run = %v", err)
		}
	case <-time.After(e2eTimeout):
		db.w.t.Error("bot did not stop")
	}
	db.ix.Close()
	db.store.Close()
	if db.w.running == db {
		db.w.running = nil
	}
	if strings.Contains(db.logs.String(), db.w.fake.Token()) {
		db.w.t.Error("the token appears in the logs")
	}
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	t.Cleanup(cancel)
	return ctx
}

// waitPass waits until a scheduler pass that began at t or later is done.
func (db *digestBot) waitPass(t time.Time) {
	db.w.t.Helper()
	if err := db.bot.digest.WaitPass(waitCtx(db.w.t), t); err != nil {
		db.w.t.Fatalf("%v\nlogs:\n%s", err, db.logs)
	}
}

// at moves the clock to t and waits for the scheduler to have looked at
// the subscriptions then.
func (db *digestBot) at(t time.Time) {
	db.w.t.Helper()
	db.w.clock.Set(t)
	db.bot.digest.Poke()
	db.waitPass(t)
}

// add adds an article, first indexed now on the world's clock when a bot
// runs (else when the next one starts).
func (w *digestWorld) add(id, title string, paragraphs ...string) *corpus.Article {
	w.t.Helper()
	a := testArticle(w.t, id, title, "https://example.com/news/"+id, paragraphs...)
	w.articles = append(w.articles, a)
	for _, b := range append([]*digestBot{w.running}, w.others...) {
		if b == nil || b.ended {
			continue
		}
		if err := b.ix.Sync(context.Background(), corpus.New(w.articles...)); err != nil {
			w.t.Fatal(err)
		}
	}
	return a
}

// addNews adds an article with ordinary text.
func (w *digestWorld) addNews(id, topic string) *corpus.Article {
	return w.add(id, "News about "+topic,
		"Officials announced new plans for "+topic+" on Monday morning.",
		"\"We expect the work on "+topic+" to start next month,\" said Ann Walsh, a council spokeswoman.",
		"Residents have asked for changes to "+topic+" for several years.",
		"The cost of the "+topic+" plans has not been published.")
}

// digests returns the digest posts in a channel, oldest first.
func (w *digestWorld) digests(channelID string) []*discordgo.Message {
	var out []*discordgo.Message
	for _, m := range w.fake.Messages(channelID) {
		if m.Author != nil && m.Author.ID == w.fake.BotUserID() && strings.HasPrefix(m.Content, "**Daily digest") {
			out = append(out, m)
		}
	}
	return out
}

// postCalls returns the message POSTs to a channel.
func (w *digestWorld) postCalls(channelID string) []discordtest.Call {
	return w.fake.CallsTo("POST", "channels/"+channelID+"/messages")
}

// digestCmd runs /digest NAME in a channel as a member with the given
// permissions, and returns the response.
func (db *digestBot) digestCmd(channelID string, perms int64, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordtest.InteractionResponse {
	db.w.t.Helper()
	i := &discordgo.Interaction{
		Type:      discordgo.InteractionApplicationCommand,
		ChannelID: channelID,
		Member:    &discordgo.Member{User: &discordgo.User{ID: discordtest.DefaultUserID, Username: discordtest.DefaultUsername}, Permissions: perms},
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "digest", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts},
		}},
	}
	sent := db.w.fake.InteractionCreate(db.w.t, i)
	r, err := db.w.fake.WaitInteractionResponse(waitCtx(db.w.t), sent.ID)
	if err != nil {
		db.w.t.Fatalf("/digest %s: %v\nlogs:\n%s", name, err, db.logs)
	}
	if r.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
		if err := db.w.fake.Until(waitCtx(db.w.t), func() bool {
			it, _ := db.w.fake.Interaction(sent.ID)
			return it.Original != nil && it.Original.Flags&discordgo.MessageFlagsLoading == 0
		}); err != nil {
			db.w.t.Fatal(err)
		}
		it, _ := db.w.fake.Interaction(sent.ID)
		r.Data = it.Original
	}
	return r
}

func chanOpt(id string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: "channel", Type: discordgo.ApplicationCommandOptionChannel, Value: id}
}

const manageServer = discordgo.PermissionManageGuild

func withDigestChannel(id string) func(*Options) {
	return func(o *Options) { o.DigestChannel = id }
}

func withCron(spec string, zone string) func(*Options) {
	return func(o *Options) {
		s, err := cron.ParseStandard(spec)
		if err != nil {
			panic(err)
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			panic(err)
		}
		o.DigestSchedule, o.DigestCron, o.DigestZone = s, spec, loc
	}
}

// day is a time on day n of March 2026 (a Monday when n is 2), UTC.
func day(n, hour, minute int) time.Time {
	return time.Date(2026, 3, n, hour, minute, 0, 0, time.UTC)
}

// nonceOf reads the nonce and enforce_nonce of a message POST.
func nonceOf(t *testing.T, c discordtest.Call) (string, bool) {
	t.Helper()
	var body struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	if err := json.Unmarshal(c.Body, &body); err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	return body.Nonce, body.EnforceNonce
}

// startBridgeDigest starts the world most digest tests share: one news
// article about the bridge, the clock at 08:00 on the 2nd, and a bot with
// digests in the default channel, which it returns with them.
func startBridgeDigest(t *testing.T) (string, *digestWorld, *digestBot) {
	t.Helper()
	ch := discordtest.DefaultChannelID
	w := newDigestWorld(t, day(2, 8, 0))
	w.addNews("bridge", "the bridge")
	return ch, w, w.start(withDigestChannel(ch))
}

func TestDigestOncePerDayAcrossRestarts(t *testing.T) {
	t.Parallel()
	ch, w, b := startBridgeDigest(t)

	b.at(day(2, 9, 0))
	posts := w.digests(ch)
	if len(posts) != 1 || !strings.Contains(text(posts[0]), "News about the bridge") {
		t.Fatalf("after 09:00: %d digests\nlogs:\n%s", len(posts), b.logs)
	}
	// Sent with the nonce of the channel and local day, enforced, pinging
	// nobody.
	calls := w.postCalls(ch)
	nonce, enforced := nonceOf(t, calls[0])
	if nonce != digest.Nonce(ch, "2026-03-02") || !enforced || len(nonce) > 25 {
		t.Errorf("nonce %q enforce_nonce %v; want %q, true", nonce, enforced, digest.Nonce(ch, "2026-03-02"))
	}
	noPings(t, calls[0])

	b.at(day(2, 9, 30))
	b.at(day(2, 23, 0))
	b.shutdown()
	b = w.start(withDigestChannel(ch))
	b.at(day(2, 23, 59))
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests on the first day, across a restart; want 1", n)
	}

	// Nothing new on the second day: no post.
	b.at(day(3, 9, 0))
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests after a day with nothing new; want 1", n)
	}
	if !strings.Contains(b.logs.String(), "nothing new") {
		t.Errorf("the day with nothing new is not logged:\n%s", b.logs)
	}
	// An article later that day waits for the next day's digest, which
	// holds only it.
	b.at(day(3, 10, 0))
	w.addNews("library", "the library")
	b.at(day(3, 12, 0))
	b.at(day(4, 9, 0))
	posts = w.digests(ch)
	if len(posts) != 2 {
		t.Fatalf("%d digests after the third day; want 2", len(posts))
	}
	if body := text(posts[1]); !strings.Contains(body, "News about the library") || strings.Contains(body, "News about the bridge") {
		t.Errorf("third day's digest:\n%s", body)
	}
}

func TestDigestCatchUpAfterDowntime(t *testing.T) {
	t.Parallel()
	ch, w, b := startBridgeDigest(t)
	b.at(day(2, 9, 0))
	b.shutdown()

	// Down from Monday 09:00 to Wednesday 12:00: Tuesday's and
	// Wednesday's digests fell due meanwhile.
	w.clock.Set(day(4, 12, 0))
	w.addNews("library", "the library")
	b = w.start(withDigestChannel(ch))
	posts := w.digests(ch)
	if len(posts) != 2 {
		t.Fatalf("%d digests after coming back; want one catch-up (2 in all)\nlogs:\n%s", len(posts), b.logs)
	}
	if !strings.Contains(text(posts[1]), "News about the library") || posts[1].Timestamp.Compare(day(4, 12, 0)) != 0 {
		t.Errorf("catch-up at %v:\n%s", posts[1].Timestamp, text(posts[1]))
	}
	// It was Wednesday's: nothing more that day.
	b.at(day(4, 18, 0))
	w.addNews("park", "the park")
	b.at(day(4, 23, 0))
	if n := len(w.digests(ch)); n != 2 {
		t.Errorf("%d digests on the day of the catch-up; want it alone", n)
	}
	b.at(day(5, 9, 0))
	if n := len(w.digests(ch)); n != 3 {
		t.Errorf("%d digests the day after; want 3", n)
	}
}

func TestDigestChannelsOnTheirOwnZones(t *testing.T) {
	t.Parallel()
	tokyo, newYork := discordtest.DefaultChannelID, "3000000000000000002"
	w := newDigestWorld(t, time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))
	w.fake.AddChannel(&discordgo.Channel{ID: newYork, GuildID: discordtest.DefaultGuildID, Name: "new-york", Type: discordgo.ChannelTypeGuildText})
	w.addNews("bridge", "the bridge")
	b := w.start()
	for _, sub := range []struct{ ch, zone string }{{tokyo, "Asia/Tokyo"}, {newYork, "America/New_York"}} {
		r := b.digestCmd(sub.ch, manageServer, "subscribe", strOpt("time", "09:00"), strOpt("timezone", sub.zone))
		if !r.Ephemeral || !strings.Contains(text(r.Data), "every day at 09:00 ("+sub.zone+")") {
			t.Fatalf("subscribe %s: ephemeral %v %q", sub.zone, r.Ephemeral, text(r.Data))
		}
	}
	for at := w.clock.Now(); !at.After(time.Date(2026, 6, 2, 11, 0, 0, 0, time.UTC)); at = at.Add(30 * time.Minute) {
		b.at(at)
	}
	// 09:00 in New York is 13:00 UTC; 09:00 in Tokyo is midnight UTC.
	for _, tt := range []struct {
		ch   string
		want time.Time
	}{
		{newYork, time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)},
		{tokyo, time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)},
	} {
		posts := w.digests(tt.ch)
		if len(posts) != 1 || !posts[0].Timestamp.Equal(tt.want) {
			var at []time.Time
			for _, p := range posts {
				at = append(at, p.Timestamp)
			}
			t.Errorf("channel %s: digests at %v; want one at %v", tt.ch, at, tt.want)
		}
	}
	r := b.digestCmd(tokyo, 0, "status")
	if body := text(r.Data); !r.Ephemeral || !strings.Contains(body, "Asia/Tokyo") || !strings.Contains(body, "America/New_York") {
		t.Errorf("status: ephemeral %v\n%s", r.Ephemeral, body)
	}
}

func TestDigestSubscribeNeedsManageServer(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	w := newDigestWorld(t, day(2, 8, 0))
	b := w.start()
	for _, name := range []string{"subscribe", "unsubscribe"} {
		r := b.digestCmd(ch, discordgo.PermissionSendMessages, name)
		if !r.Ephemeral || !strings.Contains(text(r.Data), "Manage Server") {
			t.Errorf("/digest %s without Manage Server: ephemeral %v %q", name, r.Ephemeral, text(r.Data))
		}
	}
	if _, found, _ := b.store.Subscription(context.Background(), ch); found {
		t.Fatal("subscribed without permission")
	}
	// Administrators may, as may Manage Server.
	r := b.digestCmd(ch, discordgo.PermissionAdministrator, "subscribe")
	if !r.Ephemeral || !strings.Contains(text(r.Data), "now gets the daily digest") {
		t.Errorf("/digest subscribe as administrator: %q", text(r.Data))
	}
	if _, found, _ := b.store.Subscription(context.Background(), ch); !found {
		t.Error("not subscribed")
	}
	r = b.digestCmd(ch, 0, "status")
	if !r.Ephemeral || !strings.Contains(text(r.Data), "<#"+ch+">") {
		t.Errorf("/digest status: %q", text(r.Data))
	}
	r = b.digestCmd(ch, manageServer, "unsubscribe")
	if !r.Ephemeral || !strings.Contains(text(r.Data), "no longer gets") {
		t.Errorf("/digest unsubscribe: %q", text(r.Data))
	}
	r = b.digestCmd(ch, manageServer, "subscribe", strOpt("time", "25:00"))
	if !strings.Contains(text(r.Data), "not a time of day") {
		t.Errorf("bad time: %q", text(r.Data))
	}
	r = b.digestCmd(ch, manageServer, "subscribe", strOpt("timezone", "Mars/Olympus"))
	if !strings.Contains(text(r.Data), "not a time zone") {
		t.Errorf("bad zone: %q", text(r.Data))
	}
}

func TestDigestNowCountsAsTheDays(t *testing.T) {
	t.Parallel()
	ch, other := discordtest.DefaultChannelID, "3000000000000000002"
	w := newDigestWorld(t, day(2, 8, 0))
	w.fake.AddChannel(&discordgo.Channel{ID: other, GuildID: discordtest.DefaultGuildID, Name: "other", Type: discordgo.ChannelTypeGuildText})
	w.addNews("bridge", "the bridge")
	b := w.start(withDigestChannel(ch))

	r := b.digestCmd(ch, manageServer, "now")
	if !r.Ephemeral || !strings.Contains(text(r.Data), "Posted today's digest") {
		t.Fatalf("/digest now: %q\nlogs:\n%s", text(r.Data), b.logs)
	}
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests after /digest now", n)
	}
	b.at(day(2, 8, 30))
	w.addNews("library", "the library")
	b.at(day(2, 9, 0))
	if n := len(w.digests(ch)); n != 1 {
		t.Errorf("%d digests after 09:00; /digest now was the day's", n)
	}
	r = b.digestCmd(ch, manageServer, "now")
	if !strings.Contains(text(r.Data), "already done") {
		t.Errorf("second /digest now: %q", text(r.Data))
	}
	b.at(day(3, 9, 0))
	if posts := w.digests(ch); len(posts) != 2 || !strings.Contains(text(posts[1]), "News about the library") {
		t.Errorf("next day: %d digests", len(posts))
	}

	// In a channel without a subscription: a one-off digest, without a
	// nonce, recording nothing.
	r = b.digestCmd(other, manageServer, "now")
	if !strings.Contains(text(r.Data), "not subscribed") || len(w.digests(other)) != 1 {
		t.Errorf("/digest now elsewhere: %q, %d digests", text(r.Data), len(w.digests(other)))
	}
	if nonce, _ := nonceOf(t, w.postCalls(other)[0]); nonce != "" {
		t.Errorf("one-off digest sent with nonce %q", nonce)
	}
	if _, found, _ := b.store.Subscription(context.Background(), other); found {
		t.Error("a one-off digest subscribed the channel")
	}
}

func TestDigestNonceMakesResendsHarmless(t *testing.T) {
	t.Parallel()
	ch, w, b := startBridgeDigest(t)

	// The same message sent twice with one nonce is created once.
	r := notice("nonce test", false)
	m1, err1 := b.bot.postMessage(context.Background(), ch, r, "test-nonce")
	m2, err2 := b.bot.postMessage(context.Background(), ch, r, "test-nonce")
	if err1 != nil || err2 != nil || m1.ID != m2.ID || len(w.fake.Messages(ch)) != 1 {
		t.Fatalf("two sends with one nonce: %v %v, ids %s %s, %d messages", err1, err2, m1.ID, m2.ID, len(w.fake.Messages(ch)))
	}

	// A crash after Discord took the digest, before it was recorded.
	crash := func(b *digestBot) {
		b.bot.afterSend.Store(func() error {
			b.stop() // the process dies here
			return errors.New("simulated crash")
		})
	}
	crash(b)
	b.at(day(2, 9, 0))
	b.shutdown()
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests before the restart", n)
	}
	b = w.start(withDigestChannel(ch)) // 09:00 still: the first pass finishes it
	calls := w.postCalls(ch)[2:]
	if len(calls) != 2 {
		t.Fatalf("%d digest POSTs; want the digest and its resend", len(calls))
	}
	n1, _ := nonceOf(t, calls[0])
	n2, _ := nonceOf(t, calls[1])
	if n1 != n2 || n1 == "" {
		t.Errorf("resent with nonce %q after %q", n2, n1)
	}
	posts := w.digests(ch)
	sub, _, _ := b.store.Subscription(context.Background(), ch)
	if len(posts) != 1 || sub.LastDay != "2026-03-02" || sub.LastMessage != posts[0].ID {
		t.Fatalf("after the restart: %d digests, recorded %+v", len(posts), sub)
	}

	// Crashed again the next day, and back only after the nonce stops
	// protecting a resend: given up, never sent twice.
	w.addNews("library", "the library")
	crash(b)
	b.at(day(3, 9, 0))
	b.shutdown()
	w.clock.Set(day(3, 9, 10))
	b = w.start(withDigestChannel(ch))
	if n := len(w.digests(ch)); n != 2 {
		t.Errorf("%d digests; want 2 (no resend after the nonce window)", n)
	}
	if !strings.Contains(b.logs.String(), "not sending it again") {
		t.Errorf("giving up is not logged:\n%s", b.logs)
	}
	b.at(day(3, 23, 0))
	if n := len(w.digests(ch)); n != 2 {
		t.Errorf("%d digests on the second day; want 2", n)
	}
}

func TestDigestBrokenChannel(t *testing.T) {
	t.Parallel()
	a, bc := discordtest.DefaultChannelID, "3000000000000000002"
	w := newDigestWorld(t, day(2, 8, 0))
	w.fake.AddChannel(&discordgo.Channel{ID: bc, GuildID: discordtest.DefaultGuildID, Name: "b", Type: discordgo.ChannelTypeGuildText})
	w.addNews("bridge", "the bridge")
	b := w.start(withDigestChannel(a))
	if r := b.digestCmd(bc, manageServer, "subscribe"); !strings.Contains(text(r.Data), "now gets") {
		t.Fatalf("subscribe: %q", text(r.Data))
	}
	w.fake.SetChannelAccess(a, discordtest.AccessUnknown)
	w.fake.SetChannelAccess(bc, discordtest.AccessMissing)
	b.at(day(2, 9, 0))
	const logged = "Discord refuses the digest channel"
	if n := strings.Count(b.logs.String(), logged); n != 2 {
		t.Fatalf("%d channels logged as refused; want 2\nlogs:\n%s", n, b.logs)
	}
	status := text(b.digestCmd(a, 0, "status").Data)
	if strings.Count(status, "**broken**") != 2 || !strings.Contains(status, "403 Missing Access") || !strings.Contains(status, "404 Unknown Channel") {
		t.Errorf("status:\n%s", status)
	}

	// Broken stays quiet: no more attempts, nothing more logged.
	before := len(w.fake.Calls())
	w.addNews("library", "the library")
	b.at(day(3, 9, 0))
	if n := strings.Count(b.logs.String(), logged); n != 2 || len(w.fake.Calls()) != before {
		t.Errorf("after a day broken: logged %d times, %d more calls", n, len(w.fake.Calls())-before)
	}

	// Renewed by subscribing again, once the bot has access.
	if r := b.digestCmd(a, manageServer, "subscribe", chanOpt(bc)); !strings.Contains(text(r.Data), "can't post") {
		t.Errorf("subscribe while still refused: %q", text(r.Data))
	}
	w.fake.SetChannelAccess(bc, discordtest.AccessOK)
	if r := b.digestCmd(a, manageServer, "subscribe", chanOpt(bc)); !strings.Contains(text(r.Data), "keeps the daily digest") {
		t.Errorf("renew: %q", text(r.Data))
	}
	status = text(b.digestCmd(a, 0, "status").Data)
	if strings.Count(status, "**broken**") != 1 {
		t.Errorf("status after renewing:\n%s", status)
	}
	b.at(day(4, 9, 0))
	if posts := w.digests(bc); len(posts) != 1 || !strings.Contains(text(posts[0]), "News about the library") {
		t.Errorf("renewed channel: %d digests", len(posts))
	}
}

func TestDigestDaylightSavingBothWays(t *testing.T) {
	t.Parallel()
	// Each channel's schedule meets a daylight-saving change: 02:30 in New
	// York does not exist on 8 March (clocks jump 02:00 to 03:00) and
	// 01:30 happens twice on 1 November; Dublin's 01:30 does not exist on
	// 29 March and happens twice on 25 October. Every local day gets one
	// digest, no more, no fewer.
	const ny, dub = "America/New_York", "Europe/Dublin"
	cfgChan := discordtest.DefaultChannelID
	subs := []struct{ ch, at, zone string }{
		{"3000000000000000002", "01:30", ny},
		{"3000000000000000003", "01:30", dub},
		{"3000000000000000004", "02:30", dub},
	}
	zoneOf := map[string]*time.Location{cfgChan: mustZone(t, ny)}
	for _, s := range subs {
		zoneOf[s.ch] = mustZone(t, s.zone)
	}
	// Two days either side of each change; jumps between them are
	// downtime, caught up once.
	changes := []time.Time{
		time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}
	type window struct{ from, to time.Time }
	var windows []window
	for _, c := range changes {
		windows = append(windows, window{c.AddDate(0, 0, -2), c.AddDate(0, 0, 2)})
	}
	w := newDigestWorld(t, windows[0].from.Add(-time.Hour))
	for _, s := range subs {
		w.fake.AddChannel(&discordgo.Channel{ID: s.ch, GuildID: discordtest.DefaultGuildID, Name: "c" + s.ch[len(s.ch)-1:], Type: discordgo.ChannelTypeGuildText})
	}
	// An index in memory: the test is about the schedule, and bleve's
	// merging on disk would take most of its time.
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(), retrieval.Options{Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	b := w.startOn(ix, withDigestChannel(cfgChan), withCron("30 2 * * *", ny))
	for _, s := range subs {
		if r := b.digestCmd(s.ch, manageServer, "subscribe", strOpt("time", s.at), strOpt("timezone", s.zone)); !strings.Contains(text(r.Data), "now gets") {
			t.Fatalf("subscribe: %q", text(r.Data))
		}
	}
	n := 0
	for _, win := range windows {
		// Every half hour (the firings are at :30), with something new
		// every six hours.
		for at := win.from; at.Before(win.to); at = at.Add(30 * time.Minute) {
			if at.Minute() == 0 && at.Hour()%6 == 0 {
				n++
				w.addNews("dst"+time.Duration(n).String(), "item "+time.Duration(n).String())
			}
			b.at(at)
		}
	}
	// Count digests per local day, for the local days wholly inside a
	// window and starting a day into it (the catch-up on entering a window
	// may leave the next firing nothing new).
	counted := map[string]bool{}
	for ch, zone := range zoneOf {
		perDay := map[string][]time.Time{}
		for _, p := range w.digests(ch) {
			d := p.Timestamp.In(zone).Format(time.DateOnly)
			perDay[d] = append(perDay[d], p.Timestamp.In(zone))
		}
		for _, win := range windows {
			from := win.from.Add(24 * time.Hour).In(zone)
			for d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, zone); !d.AddDate(0, 0, 1).After(win.to); d = d.AddDate(0, 0, 1) {
				if d.Before(from) {
					continue
				}
				key := d.Format(time.DateOnly)
				counted[zone.String()+" "+key] = true
				if len(perDay[key]) != 1 {
					t.Errorf("channel %s (%s) on %s: digests at %v; want exactly one", ch, zone, key, perDay[key])
				}
			}
		}
	}
	for _, day := range []string{ny + " 2026-03-08", dub + " 2026-03-29", dub + " 2026-10-25", ny + " 2026-11-01"} {
		if !counted[day] {
			t.Errorf("%s, a day of change, not checked", day)
		}
	}
	// The spring-forward day's 02:30 in New York runs late, at 03:30, not
	// a day late.
	for _, p := range w.digests(cfgChan) {
		if local := p.Timestamp.In(zoneOf[cfgChan]); local.Format(time.DateOnly) == "2026-03-08" && local.Hour() != 3 {
			t.Errorf("spring-forward digest at %v; want 03:30", local)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDigestThreadsAnswerFromTheirArticle(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	w := newDigestWorld(t, day(2, 8, 0))
	w.add("apples", "Orchard reports a record apple harvest",
		"The orchard picked more apples this year than ever before.",
		"The farmer said the apple harvest was the best in a decade.",
		"Buyers from three countries have placed orders for the apples.")
	w.add("bananas", "Storm ruins the banana crop",
		"A storm destroyed most of the banana plantation overnight.",
		"The farmer said the banana crop failed after the storm.",
		"Insurers are assessing the damage to the plantation.")
	b := w.start(withDigestChannel(ch), func(o *Options) { o.DigestThreads = true })
	b.at(day(2, 9, 0))

	calls := w.fake.CallsTo("POST", "channels/"+ch+"/threads")
	if len(calls) != 2 {
		t.Fatalf("%d threads opened; want one per article\nlogs:\n%s", len(calls), b.logs)
	}
	threadOf := map[string]string{} // title -> thread id
	for _, c := range calls {
		var th discordgo.Channel
		if err := json.Unmarshal(c.Response, &th); err != nil {
			t.Fatal(err)
		}
		if len([]rune(th.Name)) > 100 {
			t.Errorf("thread name %q over 100 characters", th.Name)
		}
		threadOf[th.Name] = th.ID
	}
	apples := threadOf["Orchard reports a record apple harvest"]
	if apples == "" {
		t.Fatalf("threads %v lack the apple article's", threadOf)
	}

	// A question in the apple thread is answered from the apple article,
	// though the banana article answers it as well.
	ask := func(content string) string {
		t.Helper()
		m := w.fake.MessageCreate(t, &discordgo.Message{ChannelID: apples, Content: content})
		c, err := w.fake.WaitCall(waitCtx(t), func(c discordtest.Call) bool {
			return c.Is("POST", "channels/"+apples+"/messages") && strings.Contains(string(c.Body), m.ID)
		})
		if err != nil {
			t.Fatalf("no answer in the thread: %v\nlogs:\n%s", err, b.logs)
		}
		noPings(t, c)
		return string(c.Body)
	}
	body := ask("What did the farmer say?")
	if !strings.Contains(body, "apple harvest was the best") || strings.Contains(body, "banana") {
		t.Errorf("thread answer not from its article:\n%s", body)
	}

	// Threads are remembered across a restart.
	b.shutdown()
	b = w.start(withDigestChannel(ch), func(o *Options) { o.DigestThreads = true })
	body = ask("<@" + w.fake.BotUserID() + "> what did the farmer say")
	if !strings.Contains(body, "apple harvest was the best") || strings.Contains(body, "banana") {
		t.Errorf("thread answer after a restart:\n%s", body)
	}
}

func TestDigestGrowingCorpus(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	w := newDigestWorld(t, day(2, 8, 0))
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		tmp := filepath.Join(dir, ".tmp-"+name)
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("bridge.txt", "Title: Council approves the bridge\nURL: https://example.com/bridge\n\nThe council approved the new bridge across the river on Monday.\n")

	// The wiring of `verbatim run`: a watcher over the folder, syncing the
	// index as the folder changes.
	watcher, err := corpus.NewWatcher(dir, corpus.WatchOptions{Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := watcher.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Open(ctx, w.data, c, retrieval.Options{Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	synced := make(chan retrieval.Changes, 10)
	go watcher.Run(ctx, func(ctx context.Context, c *corpus.Corpus) error {
		changes, err := ix.SyncChanges(ctx, c)
		if err == nil {
			synced <- changes
		}
		return err
	})
	b := w.startOn(ix, withDigestChannel(ch))
	b.at(day(2, 9, 0))
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests on the first day", n)
	}

	b.at(day(2, 10, 0))
	write("ferry.txt", "Title: Ferry service to resume\nURL: https://example.com/ferry\n\nThe ferry to the islands will sail again from Friday, the harbour master said.\n")
	select {
	case got := <-synced:
		if got.Added != 1 {
			t.Fatalf("sync %+v; want one article added", got)
		}
	case <-time.After(e2eTimeout):
		t.Fatal("the new file never reached the index")
	}

	// In answers at once...
	m := w.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + w.fake.BotUserID() + "> When will the ferry sail again?"})
	call, err := w.fake.WaitCall(waitCtx(t), func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(call.Body), "ferry to the islands will sail again") {
		t.Errorf("answer does not quote the new article:\n%s", call.Body)
	}
	// ...and in the next digest, alone.
	b.at(day(3, 9, 0))
	posts := w.digests(ch)
	if len(posts) != 2 {
		t.Fatalf("%d digests; want 2", len(posts))
	}
	if body := text(posts[1]); !strings.Contains(body, "Ferry service to resume") || strings.Contains(body, "Council approves") {
		t.Errorf("second digest:\n%s", body)
	}
}

// TestDigestSlowPost: a post Discord takes longer to answer than a stop's
// grace for one in flight (digest.InFlightGrace) is not cut off when no
// stop comes: it is posted once and recorded as posted, and the next
// firing sends nothing.
func TestDigestSlowPost(t *testing.T) {
	t.Parallel()
	ch, w, b := startBridgeDigest(t)
	w.fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: digest.InFlightGrace + time.Second})
	b.at(day(2, 9, 0))
	d, found, err := b.store.Delivery(context.Background(), ch, "2026-03-02")
	if err != nil || !found || d.Pending() || d.Outcome != state.OutcomePosted {
		t.Fatalf("delivery = %+v, %v, %v; want finished, posted\nlogs:\n%s", d, found, err, b.logs)
	}
	b.at(day(2, 10, 0))
	if n := len(w.postCalls(ch)); n != 1 {
		t.Errorf("%d digest POSTs; want 1\nlogs:\n%s", n, b.logs)
	}
}

// TestDigestStopDuringPost: a stop that comes while the digest's post is
// in flight (Discord has taken it, its answer not yet back) lets the post
// finish and records it, so that the next start sends nothing again.
func TestDigestStopDuringPost(t *testing.T) {
	t.Parallel()
	ch, w, b := startBridgeDigest(t)
	w.fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: 500 * time.Millisecond})
	w.clock.Set(day(2, 9, 0))
	b.bot.digest.Poke()
	if _, err := w.fake.WaitCall(waitCtx(t), func(c discordtest.Call) bool { return c.Is("POST", "channels/"+ch+"/messages") }); err != nil {
		t.Fatalf("no digest sent: %v\nlogs:\n%s", err, b.logs)
	}
	b.shutdown() // while Discord holds the answer back
	st := w.openStore()
	d, found, err := st.Delivery(context.Background(), ch, "2026-03-02")
	st.Close()
	if err != nil || !found || d.Pending() || d.Outcome != state.OutcomePosted {
		t.Fatalf("delivery = %+v, %v, %v; want finished, posted\nlogs:\n%s", d, found, err, b.logs)
	}
	b = w.start(withDigestChannel(ch))
	b.at(day(2, 10, 0))
	if n := len(w.postCalls(ch)); n != 1 {
		t.Errorf("%d digest POSTs across the stop; want 1", n)
	}
}
