package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/pgstore"
)

// The tests of this file share one PostgreSQL database between bot
// processes (in one test process, each with its own pool, index and
// gateway session), as shards and replicas do with STATE_URL.

// usePostgres makes every process of the world keep its state in one
// fresh PostgreSQL database at url.
func (w *digestWorld) usePostgres(url string) {
	w.newStore = func() state.Store {
		ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
		defer cancel()
		s, err := pgstore.Open(ctx, url, pgstore.Options{})
		if err != nil {
			w.t.Fatal(err)
		}
		return s
	}
}

// startProcess starts one more bot process beside the running ones, with
// an index of its own (its first-indexed times from the same clock). It
// returns once the process has made its first scheduler pass.
func (w *digestWorld) startProcess(name string, opts ...func(*Options)) *digestBot {
	w.t.Helper()
	ix, err := retrieval.Open(context.Background(), filepath.Join(w.data, name), corpus.New(w.articles...), retrieval.Options{Now: w.clock.Now})
	if err != nil {
		w.t.Fatal(err)
	}
	st := w.openStore()
	logs := &syncBuffer{}
	o := Options{
		Token: w.fake.Token(), APIBase: w.fake.URL, DeferAfter: 1500 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Store:  st, Clock: w.clock, Process: name,
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
	w.others = append(w.others, db)
	db.waitPass(w.clock.Now())
	return db
}

// allAt moves the clock to t, and waits for every running process to have
// looked at the subscriptions then.
func (w *digestWorld) allAt(t time.Time) {
	w.t.Helper()
	w.clock.Set(t)
	var live []*digestBot
	for _, b := range w.others {
		if !b.ended {
			live = append(live, b)
			b.bot.digest.Poke()
		}
	}
	for _, b := range live {
		b.waitPass(t)
	}
}

// stopAll shuts every extra process down.
func (w *digestWorld) stopAll() {
	for _, b := range w.others {
		b.shutdown()
	}
	w.others = nil
}

func withShard(id, count int) func(*Options) {
	return func(o *Options) { o.ShardID, o.ShardCount = id, count }
}

// TestDigestReplicasPostOnce runs two processes of one shard (replicas)
// on one database and one fake Discord, the same schedule and the same
// clock: every firing comes to both at the same instant, and each digest
// is posted, and sent, once. Discord holds the answer to the first send
// a second, so that the other process fires while the digest is on its
// way: only the claim keeps it from sending too.
func TestDigestReplicasPostOnce(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	w := newDigestWorld(t, day(2, 8, 0))
	w.usePostgres(pgtest.NewDatabase(t))
	w.addNews("bridge", "the bridge")
	a := w.startProcess("replica-a", withDigestChannel(ch))
	b := w.startProcess("replica-b", withDigestChannel(ch))
	for d := 2; d <= 4; d++ {
		if d > 2 {
			w.allAt(day(d, 8, 0))
			w.addNews(fmt.Sprintf("story-%d", d), fmt.Sprintf("story %d", d))
		}
		w.fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: time.Second})
		w.allAt(day(d, 9, 0))
		w.allAt(day(d, 9, 1))
		w.allAt(day(d, 12, 0))
		if n := len(w.digests(ch)); n != d-1 {
			t.Fatalf("day %d: %d digests; want %d\n--- a\n%s\n--- b\n%s", d, n, d-1, a.logs, b.logs)
		}
		if n := len(w.postCalls(ch)); n != d-1 {
			t.Errorf("day %d: %d digest POSTs; want one a day (the claim keeps the other replica off)", d, n)
		}
	}
	posted := strings.Count(a.logs.String(), "digest posted") + strings.Count(b.logs.String(), "digest posted")
	if posted != 3 {
		t.Errorf("%d digests logged as posted; want 3", posted)
	}
}

// TestDigestResharding subscribes channels of three guilds with one
// process, then runs the bot as two shards, then three, on one database:
// no subscription is lost, each channel gets one digest a day, from the
// shard its guild is on.
func TestDigestResharding(t *testing.T) {
	t.Parallel()
	w := newDigestWorld(t, day(2, 8, 0))
	w.usePostgres(pgtest.NewDatabase(t))
	// Guilds chosen to spread over 2 and over 3 shards.
	var channels []string
	for g := uint64(1); len(channels) < 6; g++ {
		guild := fmt.Sprint(g<<22 | 1)
		channel := fmt.Sprintf("30000000000000001%02d", g)
		w.fake.AddGuild(&discordgo.Guild{ID: guild, Name: "Guild " + guild, Channels: []*discordgo.Channel{
			{ID: channel, Name: "news", Type: discordgo.ChannelTypeGuildText}}})
		channels = append(channels, channel)
	}
	w.addNews("bridge", "the bridge")
	one := w.startProcess("only")
	for _, ch := range channels {
		if r := one.digestCmd(ch, manageServer, "subscribe"); !strings.Contains(text(r.Data), "now gets the daily digest") {
			t.Fatalf("subscribe %s: %q\n%s", ch, text(r.Data), one.logs)
		}
	}
	check := func(d int, shards []*digestBot, count int) {
		t.Helper()
		for _, ch := range channels {
			if n := len(w.digests(ch)); n != d-1 {
				t.Errorf("%d shards, day %d: channel %s has %d digests; want %d", count, d, ch, n, d-1)
			}
		}
		for i, s := range shards {
			for _, line := range strings.Split(s.logs.String(), "\n") {
				_, after, ok := strings.Cut(line, `msg="digest posted" channel=`)
				if !ok {
					continue
				}
				ch := strings.Fields(after)[0]
				c, _ := w.fake.Channel(ch)
				guild := c.GuildID
				if discordtest.ShardForGuild(guild, count) != i {
					t.Errorf("shard %d of %d posted to %s, of shard %d's guild", i, count, ch, discordtest.ShardForGuild(guild, count))
				}
			}
		}
	}
	w.allAt(day(2, 9, 0))
	check(2, []*digestBot{one}, 1)

	for count, d := 2, 3; count <= 3; count, d = count+1, d+1 {
		w.stopAll()
		w.allAt(day(d, 8, 0))
		w.addNews(fmt.Sprintf("story-%d", d), fmt.Sprintf("story %d", d))
		var shards []*digestBot
		for i := range count {
			shards = append(shards, w.startProcess(fmt.Sprintf("shard-%d-of-%d", i, count), withShard(i, count)))
		}
		w.allAt(day(d, 9, 0))
		w.allAt(day(d, 9, 30))
		check(d, shards, count)
	}
	subs, err := w.others[0].store.Subscriptions(context.Background())
	if err != nil || len(subs) != len(channels) {
		t.Errorf("%d subscriptions after resharding (%v); want %d", len(subs), err, len(channels))
	}
}

// proxy forwards TCP connections to the PostgreSQL test server; stopping
// it drops every connection and refuses new ones, as a stopped server
// does, and starting it again on the same address brings it back.
type proxy struct {
	t      *testing.T
	addr   string
	target func() (net.Conn, error)
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, serverURL string) *proxy {
	cfg, err := pgconn.ParseConfig(serverURL)
	if err != nil {
		t.Fatal(err)
	}
	network, address := "tcp", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
	if strings.HasPrefix(cfg.Host, "/") {
		network, address = "unix", filepath.Join(cfg.Host, fmt.Sprintf(".s.PGSQL.%d", cfg.Port))
	}
	p := &proxy{t: t, target: func() (net.Conn, error) { return net.Dial(network, address) }}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	p.t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := p.target()
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestDigestDatabaseDownAndBack stops the database under a running bot
// (the connection to it cut, new ones refused): the store reports it,
// the digest due meanwhile waits, nothing is posted twice or lost; once
// the database is back, the digest is posted, once, and the subscription
// is as it was.
func TestDigestDatabaseDownAndBack(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	url := pgtest.NewDatabase(t)
	p := newProxy(t, url)
	cfg, _ := pgconn.ParseConfig(url)
	proxied := fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", cfg.User, p.addr, cfg.Database)

	w := newDigestWorld(t, day(2, 8, 0))
	w.usePostgres(proxied)
	w.addNews("bridge", "the bridge")
	b := w.startProcess("solo", withDigestChannel(ch))
	ctx := waitCtx(t)
	if err := b.store.Healthy(ctx); err != nil {
		t.Fatalf("Healthy() = %v with the database up", err)
	}

	p.stop()
	err := b.store.Healthy(ctx)
	if err == nil || !strings.Contains(err.Error(), "state database unreachable") {
		t.Fatalf("Healthy() = %v with the database down; want the reason", err)
	}
	w.allAt(day(2, 9, 0))
	w.allAt(day(2, 9, 0).Add(2 * time.Second))
	if n := len(w.postCalls(ch)); n != 0 {
		t.Fatalf("%d digest POSTs with the database down; want none (nothing is sent that cannot be recorded)", n)
	}
	if !strings.Contains(b.logs.String(), "trying again") {
		t.Errorf("the failure is not logged:\n%s", b.logs)
	}

	p.start()
	if err := eventually(ctx, func() bool { return b.store.Healthy(ctx) == nil }); err != nil {
		t.Fatalf("the store did not come back: %v", b.store.Healthy(ctx))
	}
	// Within the scheduler's backoff (at most 30 s), it tries again.
	for at := day(2, 9, 0).Add(4 * time.Second); len(w.digests(ch)) == 0 && at.Before(day(2, 9, 2)); at = at.Add(5 * time.Second) {
		w.allAt(at)
	}
	w.allAt(day(2, 10, 0))
	if n := len(w.digests(ch)); n != 1 {
		t.Fatalf("%d digests after the database came back; want 1\n%s", n, b.logs)
	}
	sub, found, err := b.store.Subscription(ctx, ch)
	if err != nil || !found || sub.LastDay != "2026-03-02" || !sub.Config {
		t.Errorf("subscription after the outage: %+v, %v, %v", sub, found, err)
	}
}

// roundTrips counts the statements and batches sent to PostgreSQL, each
// one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestDigestRoundTrips measures what a digest round costs in database
// round trips: a pass with a digest to post, and a pass with nothing due,
// for one subscribed channel (docs/operations.md quotes the figures).
func TestDigestRoundTrips(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	url := pgtest.NewDatabase(t)
	rt := &roundTrips{}
	w := newDigestWorld(t, day(2, 8, 0))
	w.newStore = func() state.Store {
		s, err := pgstore.Open(waitCtx(t), url, pgstore.Options{Tracer: rt})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	w.addNews("bridge", "the bridge")
	b := w.startProcess("solo", withDigestChannel(ch), withCron("0 * * * *", "UTC"))
	measure := func(at time.Time) int64 {
		before := rt.n.Load()
		w.allAt(at)
		return rt.n.Load() - before
	}
	idle := measure(day(2, 8, 30))
	posted := measure(day(2, 9, 0))
	if len(w.digests(ch)) != 1 {
		t.Fatalf("no digest posted\n%s", b.logs)
	}
	done := measure(day(2, 10, 0))
	if len(w.digests(ch)) != 1 {
		t.Fatalf("a second digest the same day\n%s", b.logs)
	}
	t.Logf("database round trips: %d for a pass that posts a digest, %d for a pass with nothing due, %d for a later firing the same day", posted, idle, done)
	// Ceilings, not today's figures: a round must stay a handful of
	// statements, not grow with anything but the channels due.
	if posted > 12 || idle > 2 || done > 4 {
		t.Errorf("round trips: posted %d (at most 12), idle %d (at most 2), same day %d (at most 4)", posted, idle, done)
	}
}
