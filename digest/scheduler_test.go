package digest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cron "github.com/netresearch/go-cron"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// post is one PostDigest call of the fake poster.
type post struct {
	channel, nonce, day string
	articles            int
	ids                 []corpus.ArticleID // of the items shown
}

// fakePoster records what the scheduler posts; fail, when set, decides
// the error of a post.
type fakePoster struct {
	mu    sync.Mutex
	posts []post
	fail  func(channelID string) error
}

func (p *fakePoster) LookupChannel(_ context.Context, channelID string) (Channel, error) {
	return Channel{GuildID: "2000000000000000001"}, nil
}

func (p *fakePoster) PostDigest(_ context.Context, channelID string, d Digest, day time.Time, nonce string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		if err := p.fail(channelID); err != nil {
			return "", err
		}
	}
	var ids []corpus.ArticleID
	for _, it := range d.Items {
		ids = append(ids, it.Article.ID)
	}
	p.posts = append(p.posts, post{channelID, nonce, day.Format(time.DateOnly), len(d.Items) + d.More, ids})
	return fmt.Sprintf("40000000000000000%02d", len(p.posts)), nil
}

func (p *fakePoster) OpenThread(context.Context, string, bool, *corpus.Article) (string, error) {
	return "", errors.New("no threads here")
}

func (p *fakePoster) all() []post {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]post(nil), p.posts...)
}

const channel = "3000000000000000001"

// rig is a scheduler over a real bbolt store and an in-memory index, on a
// fake clock, posting to a fake poster.
type rig struct {
	t      *testing.T
	clock  *cron.FakeClock
	store  *boltstore.Store
	ix     *retrieval.Index
	arts   []*corpus.Article
	poster *fakePoster
	s      *Scheduler
	stop   func() // ends the running scheduler and waits for it
	cancel func() // ends it, as a crash would, without waiting
}

func newRig(t *testing.T, start time.Time) *rig {
	t.Helper()
	clock := cron.NewFakeClock(start)
	st, err := boltstore.Open(filepath.Join(t.TempDir(), boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(), retrieval.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return &rig{t: t, clock: clock, store: st, ix: ix, poster: &fakePoster{}}
}

// start runs a scheduler (a process) until stop, and waits for its first
// pass.
func (r *rig) start(o Options) {
	r.t.Helper()
	o.Store, o.Poster, o.Source, o.Clock = r.store, r.poster, r.ix, r.clock
	if o.Channel == "" {
		o.Channel = channel
	}
	s, err := New(context.Background(), o)
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	r.s, r.stop, r.cancel = s, func() { cancel(); <-done }, cancel
	r.t.Cleanup(r.stop)
	r.wait(r.clock.Now())
}

func (r *rig) wait(at time.Time) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.s.WaitPass(ctx, at); err != nil {
		r.t.Fatal(err)
	}
}

// at moves the clock and waits for the scheduler's pass then.
func (r *rig) at(t time.Time) {
	r.t.Helper()
	r.clock.Set(t)
	r.s.Poke()
	r.wait(t)
}

func (r *rig) add(id string) {
	r.t.Helper()
	a, err := corpus.Parse(corpus.ArticleID(id), corpus.FormatText,
		[]byte("Title: News about "+id+"\n\nOfficials announced new plans for the "+id+" on Monday morning.\n\nThe work starts next month, the council said.\n"), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.arts = append(r.arts, a)
	if err := r.ix.Sync(context.Background(), corpus.New(r.arts...)); err != nil {
		r.t.Fatal(err)
	}
}

func at(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }

func TestSchedulerOncePerDayAndCatchUp(t *testing.T) {
	r := newRig(t, at(2, 8, 0))
	r.add("bridge")
	r.start(Options{})
	for _, tt := range []struct {
		at    time.Time
		add   string
		posts int
	}{
		{at(2, 8, 59), "", 0},
		{at(2, 9, 0), "", 1},
		{at(2, 12, 0), "library", 1}, // added after the day's digest: tomorrow's
		{at(3, 9, 0), "", 2},
		{at(4, 9, 0), "", 2}, // nothing new: no post
	} {
		if tt.add != "" {
			r.add(tt.add)
		}
		r.at(tt.at)
		if got := r.poster.all(); len(got) != tt.posts {
			t.Fatalf("at %v: %d posts; want %d: %+v", tt.at, len(got), tt.posts, got)
		}
	}
	got := r.poster.all()
	if got[0].nonce != Nonce(channel, "2026-03-02") || got[1].nonce != Nonce(channel, "2026-03-03") || got[1].day != "2026-03-03" || got[1].articles != 1 {
		t.Errorf("posts: %+v", got)
	}
	// Down from the 4th to the 7th at noon: one catch-up digest.
	r.stop()
	r.clock.Set(at(7, 12, 0))
	r.add("park")
	r.start(Options{})
	if got := r.poster.all(); len(got) != 3 || got[2].day != "2026-03-07" {
		t.Errorf("after the downtime: %+v; want one catch-up, on the 7th", got)
	}
}

// TestSchedulerServerScope: a channel's digest holds the articles answered
// in its server: another server's own article is left out of it, and a
// channel whose server is not known gets the articles of every server
// only.
func TestSchedulerServerScope(t *testing.T) {
	const (
		otherGuild   = "2000000000000000002"
		otherChannel = "3000000000000000002"
	)
	r := newRig(t, at(2, 8, 0))
	r.add("bridge")
	tunnel, err := corpus.Parse("tunnel", corpus.FormatJSON,
		[]byte(`{"title": "News about the tunnel", "guild": "`+otherGuild+`", "body": ["Officials announced new plans for the tunnel on Monday morning."]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.arts = append(r.arts, tunnel) // the other server's own
	if err := r.ix.Sync(context.Background(), corpus.New(r.arts...)); err != nil {
		t.Fatal(err)
	}
	r.start(Options{})
	if _, _, err := r.s.Subscribe(context.Background(), otherChannel, Channel{GuildID: otherGuild}, "", ""); err != nil {
		t.Fatal(err)
	}
	r.at(at(2, 9, 0))
	got := map[string]string{}
	for _, p := range r.poster.all() {
		got[p.channel] = fmt.Sprint(p.ids)
	}
	want := map[string]string{channel: "[bridge]", otherChannel: "[bridge tunnel]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("digests by channel %v; want %v", got, want)
	}
	if Select(r.ix, at(1, 0, 0), at(3, 0, 0), false, ScopeOf("")).Items[0].Article.ID != "bridge" {
		t.Errorf("a channel of no known server sees another server's article")
	}
}

func TestSchedulerChannelGone(t *testing.T) {
	r := newRig(t, at(2, 8, 0))
	r.add("bridge")
	r.poster.fail = func(string) error { return fmt.Errorf("post: %w", ChannelGone("404 Unknown Channel")) }
	r.start(Options{})
	r.at(at(2, 9, 0))
	sub, _, err := r.store.Subscription(context.Background(), channel)
	if err != nil || sub.Broken != "404 Unknown Channel" || sub.Active() {
		t.Fatalf("after a 404: %+v, %v; want broken", sub, err)
	}
	r.poster.fail = nil // not tried again until renewed
	r.add("library")
	r.at(at(3, 9, 0))
	if n := len(r.poster.all()); n != 0 {
		t.Errorf("%d posts to a broken channel", n)
	}
	if _, _, err := r.s.Subscribe(context.Background(), channel, Channel{GuildID: "2000000000000000001"}, "", ""); err != nil {
		t.Fatal(err)
	}
	r.at(at(4, 9, 0))
	if n := len(r.poster.all()); n != 1 {
		t.Errorf("%d posts after renewing; want 1", n)
	}
}

// TestSchedulerInterruptedSend stops the scheduler after Discord took a
// digest and before it was recorded, as a crash would: the next process
// sends it again with its nonce while the nonce protects, and gives it up
// after.
func TestSchedulerInterruptedSend(t *testing.T) {
	for _, tt := range []struct {
		name      string
		back      time.Duration // from the interrupted send to the next try
		wantPosts int
		wantOut   string
	}{
		{"resent with its nonce", 30 * time.Second, 2, state.OutcomePosted},
		{"given up after the nonce's protection", NonceTrust + time.Second, 1, state.OutcomeGivenUp},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, at(2, 8, 0))
			r.add("bridge")
			r.start(Options{AfterSend: func() error {
				r.cancel() // the process dies here
				return errors.New("simulated crash")
			}})
			r.at(at(2, 9, 0))
			r.stop()
			if n := len(r.poster.all()); n != 1 {
				t.Fatalf("%d posts before the crash", n)
			}
			r.clock.Set(at(2, 9, 0).Add(tt.back))
			r.start(Options{})
			posts := r.poster.all()
			if len(posts) != tt.wantPosts || posts[0].nonce != Nonce(channel, "2026-03-02") || (len(posts) == 2 && posts[1].nonce != posts[0].nonce) {
				t.Fatalf("posts %+v; want %d, one nonce", posts, tt.wantPosts)
			}
			d, _, err := r.store.Delivery(context.Background(), channel, "2026-03-02")
			if err != nil || d.Pending() || d.Outcome != tt.wantOut {
				t.Errorf("delivery %+v, %v; want %s", d, err, tt.wantOut)
			}
			sub, _, _ := r.store.Subscription(context.Background(), channel)
			if sub.LastDay != "2026-03-02" {
				t.Errorf("subscription's last day %q", sub.LastDay)
			}
			r.at(at(2, 23, 0))
			if n := len(r.poster.all()); n != tt.wantPosts {
				t.Errorf("%d posts by the end of the day; want %d", n, tt.wantPosts)
			}
		})
	}
}

// TestSchedulerClaimedElsewhere: a digest another process has claimed is
// left to it while its claim is fresh, and finished with its nonce when
// the claim lapses (the process was killed).
func TestSchedulerClaimedElsewhere(t *testing.T) {
	r := newRig(t, at(2, 8, 0))
	r.add("bridge")
	r.start(Options{Process: "me"})
	other := state.Delivery{ChannelID: channel, Key: "2026-03-02", Kind: state.KindDigest, Nonce: "nonce-of-the-other",
		Since: at(1, 9, 0), Cutoff: at(2, 8, 0), ClaimedBy: "other", ClaimedAt: at(2, 9, 0)}
	if _, claimed, err := r.store.ClaimDelivery(context.Background(), other, ClaimLease); err != nil || !claimed {
		t.Fatal(claimed, err)
	}
	r.at(at(2, 9, 0))
	r.at(at(2, 9, 0).Add(ClaimLease / 2))
	if n := len(r.poster.all()); n != 0 {
		t.Fatalf("%d posts while another process holds the digest", n)
	}
	r.at(at(2, 9, 0).Add(ClaimLease + time.Second))
	posts := r.poster.all()
	if len(posts) != 1 || posts[0].nonce != "nonce-of-the-other" {
		t.Fatalf("posts %+v; want the other's digest finished with its nonce", posts)
	}
	d, _, _ := r.store.Delivery(context.Background(), channel, "2026-03-02")
	if d.ClaimedBy != "me" || d.Outcome != state.OutcomePosted {
		t.Errorf("delivery %+v", d)
	}
}
