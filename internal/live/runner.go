package live

import (
	"context"
	"crypto/rand"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/filter"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/state"
)

// Store is the part of the state store the runner needs.
type Store interface {
	PollStore
	Feeds(ctx context.Context) ([]state.Feed, error)
	ClaimDelivery(ctx context.Context, d state.Delivery, lease time.Duration) (state.Delivery, bool, error)
	Delivery(ctx context.Context, channelID, key string) (state.Delivery, bool, error)
}

// Announcer posts an article's announcement in a channel once (the bot).
type Announcer interface {
	Announce(ctx context.Context, channelID string, id corpus.ArticleID) (bool, error)
}

// The poller's lease: a delivery record that is never finished, claimed
// again by its holder every LeaseRenew; another process takes it over
// once it is LeaseTime old, that is once its holder is gone, or at once
// when its holder stopped cleanly (it leaves the lease dated the zero
// time, lapsed for everyone).
const (
	leaseChannel = "poller"
	leaseKey     = "lease"
	LeaseTime    = time.Minute
	LeaseRenew   = LeaseTime / 4
)

// RecoverWindow bounds the recovery of announcements: an article stored
// from a server's feed no longer ago than this, and after the server
// followed the feed, that has no finished announcement in the feed's
// channel (a process stopped between storing and announcing it, or
// between announcing and recording) is announced by the poller when it
// starts polling and every LeaseRenew after. Older ones are left: news a
// day old is no longer news.
const RecoverWindow = 24 * time.Hour

// Options configure a Runner.
type Options struct {
	Fetcher  *news.Fetcher
	Articles *news.Store
	Library  *Library
	Store    Store
	// Operator is FEEDS: followed for every server.
	Operator []string
	Interval time.Duration
	Counters news.Counters
	Logger   *slog.Logger
	// AllowShortInterval lets tests poll faster than news.MinInterval.
	AllowShortInterval bool
	// Lease is how long the poller's lease keeps other processes off
	// after its holder's last renewal; it is renewed, and announcements
	// recovered, every quarter of it. Zero means LeaseTime; tests
	// shorten it.
	Lease time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
}

// Runner polls the feeds inside the bot. Create it with New, give it its
// Announcer with SetAnnouncer, then Run it. Its methods are safe for
// concurrent use.
type Runner struct {
	o       Options
	svc     *news.Service
	poller  *news.Poller
	log     *slog.Logger
	process string

	mu    sync.Mutex
	feeds []state.Feed // the servers' feeds, as of the last round
	ann   Announcer
	// inflight holds the announcements being made (channel and article),
	// so that a sweep and a poll never send one at once; done, those
	// known to be finished, with when their article was added, so that a
	// sweep looks each up in the store until it is.
	inflight map[string]bool
	done     map[string]time.Time
	sweeps   chan struct{} // closed and replaced after every sweep
}

// New returns a Runner.
func New(o Options) *Runner {
	if o.Lease <= 0 {
		o.Lease = LeaseTime
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	r := &Runner{o: o, log: o.Logger, process: "poller-" + rand.Text()[:12],
		inflight: map[string]bool{}, done: map[string]time.Time{}, sweeps: make(chan struct{})}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.svc = news.NewService(o.Fetcher, o.Articles, news.Options{Logger: r.log, Counters: o.Counters, Scope: r.scope})
	r.poller = news.NewPoller(r.svc, news.PollerOptions{
		Feeds: r.feedURLs, Interval: o.Interval, States: PollStates{o.Store}, OnResult: r.onResult,
		Logger: r.log, AllowShortInterval: o.AllowShortInterval,
	})
	return r
}

// SetAnnouncer sets who announces new articles.
func (r *Runner) SetAnnouncer(a Announcer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ann = a
}

// CheckFeed fetches and parses a feed without storing anything (for
// /feeds add), under the same fetching rules as polling.
func (r *Runner) CheckFeed(ctx context.Context, url string) (string, error) {
	return r.svc.CheckFeed(ctx, url)
}

// FeedsChanged makes the poller look at the feeds now.
func (r *Runner) FeedsChanged() { r.poller.Wake() }

// Run polls the feeds while this process holds the poller's lease, until
// ctx ends; another process holding it, it waits and tries again. It
// returns nil when ctx ends.
// While it holds the lease it also recovers announcements (see Sweep).
// It leaves the lease lapsed when ctx ends, so that another process takes
// over at once.
func (r *Runner) Run(ctx context.Context) error {
	held := false
	var stop context.CancelFunc
	var polling sync.WaitGroup
	renew := r.o.Lease / 4
	tick := time.NewTicker(renew)
	defer tick.Stop()
	for {
		d, ok, err := r.claimLease(ctx, r.o.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Warn("renewing the feed poller's lease failed", "err", err)
		case ok && !held:
			held = true
			r.log.Info("this process polls the feeds", "process", r.process)
			var pctx context.Context
			pctx, stop = context.WithCancel(ctx)
			polling.Go(func() { _ = r.poller.Run(pctx) })
			polling.Go(func() { r.sweepEvery(pctx, renew) })
		case !ok && held && err == nil:
			held = false
			r.log.Warn("another process took over polling the feeds")
			stop()
			polling.Wait()
		case !ok && err == nil:
			r.log.Debug("another process polls the feeds", "process", d.ClaimedBy)
		}
		select {
		case <-ctx.Done():
			if stop != nil {
				stop()
			}
			polling.Wait()
			if held {
				r.releaseLease()
			}
			return nil
		case <-tick.C:
		}
	}
}

// claimLease claims or renews the poller's lease for this process at at.
func (r *Runner) claimLease(ctx context.Context, at time.Time) (state.Delivery, bool, error) {
	return r.o.Store.ClaimDelivery(ctx, state.Delivery{
		ChannelID: leaseChannel, Key: leaseKey, Kind: "lease", ClaimedBy: r.process, ClaimedAt: at,
	}, r.o.Lease)
}

// releaseLease leaves the lease, held by this process, dated the zero
// time: lapsed, so that the next process to try takes it at once.
func (r *Runner) releaseLease() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, ok, err := r.claimLease(ctx, time.Time{}); err != nil || !ok {
		r.log.Warn("the feed poller's lease could not be released; another process takes it over when it lapses", "err", err)
		return
	}
	r.log.Info("this process no longer polls the feeds", "process", r.process)
}

// sweepEvery sweeps at once, then every period, until ctx ends.
func (r *Runner) sweepEvery(ctx context.Context, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		r.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// WaitSweep returns a channel closed once the next sweep to end after the
// call has ended.
func (r *Runner) WaitSweep() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sweeps
}

// Sweep recovers announcements (see RecoverWindow): for every server's
// feed with a channel, it announces each article stored from the feed
// within the window, after the server followed it, and seen by that
// server, that has no finished announcement in the channel. An article
// stored but not yet indexed is indexed first. A pending announcement is
// sent again with its own nonce, so that Discord drops it if the stopped
// process had posted it; the Announcer gives up one interrupted longer
// ago than Discord keeps a nonce (digest.Resendable). Run sweeps while it
// holds the lease.
func (r *Runner) Sweep(ctx context.Context) {
	defer func() {
		r.mu.Lock()
		close(r.sweeps)
		r.sweeps = make(chan struct{})
		r.mu.Unlock()
	}()
	r.mu.Lock()
	ann := r.ann
	r.mu.Unlock()
	if ann == nil {
		return
	}
	r.refresh()
	feeds, err := r.o.Store.Feeds(ctx)
	if err != nil {
		r.log.Warn("listing the feeds to recover announcements failed", "err", err)
		return
	}
	now := r.o.Now()
	channels := map[string][]state.Feed{}
	for _, f := range feeds {
		if f.ChannelID != "" {
			channels[f.URL] = append(channels[f.URL], f)
		}
	}
	type todo struct {
		feed  state.Feed
		id    corpus.ArticleID
		added time.Time
	}
	var todos []todo
	r.forget(now.Add(-RecoverWindow))
	for _, st := range r.o.Articles.AddedSince(now.Add(-RecoverWindow)) {
		for _, f := range channels[st.Feed] {
			if st.Added.Before(f.AddedAt.Truncate(time.Second)) || r.isDone(f.ChannelID, st.ID) {
				continue
			}
			d, found, err := r.o.Store.Delivery(ctx, f.ChannelID, string(st.ID))
			if err != nil {
				r.log.Warn("looking up an announcement failed", "channel", f.ChannelID, "article", st.ID, "err", err)
				return
			}
			if found && !d.Pending() {
				r.markDone(f.ChannelID, st.ID, st.Added)
				continue
			}
			todos = append(todos, todo{f, st.ID, st.Added})
		}
	}
	for _, t := range todos {
		if _, ok := r.o.Library.Article(t.id); !ok {
			if _, err := r.o.Library.Sync(ctx); err != nil {
				r.log.Error("indexing stored articles to announce them failed", "err", err)
				return
			}
			break
		}
	}
	for _, t := range todos {
		a, ok := r.o.Library.Article(t.id)
		if !ok {
			continue // tried again at the next sweep
		}
		if !a.VisibleIn(t.feed.GuildID) {
			// The server's filter dropped it: nothing to announce, and
			// its scope only widens to servers that followed the feed
			// after it was stored.
			r.markDone(t.feed.ChannelID, t.id, t.added)
			continue
		}
		r.log.Info("recovering an announcement", "channel", t.feed.ChannelID, "article", t.id)
		r.announce(ctx, ann, t.feed.ChannelID, t.id)
	}
}

func doneKey(channelID string, id corpus.ArticleID) string { return channelID + "\x00" + string(id) }

func (r *Runner) isDone(channelID string, id corpus.ArticleID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.done[doneKey(channelID, id)]
	return ok
}

func (r *Runner) markDone(channelID string, id corpus.ArticleID, added time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done[doneKey(channelID, id)] = added
}

// forget drops the finished announcements of articles added before t.
func (r *Runner) forget(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, added := range r.done {
		if added.Before(t) {
			delete(r.done, k)
		}
	}
}

// announce has ann announce article id in a channel, unless this process
// is announcing it already.
func (r *Runner) announce(ctx context.Context, ann Announcer, channelID string, id corpus.ArticleID) {
	k := doneKey(channelID, id)
	r.mu.Lock()
	if r.inflight[k] {
		r.mu.Unlock()
		return
	}
	r.inflight[k] = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.inflight, k)
		r.mu.Unlock()
	}()
	posted, err := ann.Announce(ctx, channelID, id)
	if err != nil {
		r.log.Warn("announcing an article failed", "channel", channelID, "article", id, "err", err)
		return
	}
	if posted {
		r.log.Info("article announced", "channel", channelID, "article", id)
	}
}

// refresh reads what other processes stored in the articles folder (it
// may be shared), so that nothing they stored is fetched or stored again.
func (r *Runner) refresh() {
	problems, err := r.o.Articles.Refresh()
	if err != nil {
		r.log.Warn("reading the stored articles folder failed", "err", err)
	}
	for _, p := range problems {
		r.log.Warn("skipped stored article file", "err", p)
	}
}

// feedURLs lists the feeds to poll: FEEDS and every server's, and keeps
// the servers' feeds for scope and announcements.
func (r *Runner) feedURLs(ctx context.Context) ([]string, error) {
	r.refresh()
	feeds, err := r.o.Store.Feeds(ctx)
	if err != nil {
		return slices.Clone(r.o.Operator), err
	}
	r.mu.Lock()
	r.feeds = feeds
	r.mu.Unlock()
	urls := slices.Clone(r.o.Operator)
	for _, f := range feeds {
		if !slices.Contains(urls, f.URL) {
			urls = append(urls, f.URL)
		}
	}
	return urls, nil
}

// follower is a server's feed with its filter parsed.
func (r *Runner) followers(feedURL string) []state.Feed {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []state.Feed
	for _, f := range r.feeds {
		if f.URL == feedURL {
			out = append(out, f)
		}
	}
	return out
}

// matches reports whether a server's feed keeps an item.
func (r *Runner) matches(f state.Feed, title string, body []string) bool {
	flt, err := filter.Parse(f.Filter)
	if err != nil {
		r.log.Warn("a feed's filter is not valid; it keeps everything", "guild", f.GuildID, "feed", f.URL, "err", err)
		return true
	}
	return flt.Match(title, body)
}

// scope is news' Scope: FEEDS for every server; else the servers whose
// feed keeps the item (news.NoServer for none).
func (r *Runner) scope(feedURL, title string, body []string) []string {
	if slices.Contains(r.o.Operator, feedURL) {
		return nil
	}
	var guilds []string
	for _, f := range r.followers(feedURL) {
		if r.matches(f, title, body) && !slices.Contains(guilds, f.GuildID) {
			guilds = append(guilds, f.GuildID)
		}
	}
	if len(guilds) == 0 {
		return []string{news.NoServer}
	}
	return guilds
}

// onResult indexes what a poll added, then announces the new articles in
// the channels of the servers that see them.
func (r *Runner) onResult(ctx context.Context, feedURL string, res news.Result) {
	ids := make([]corpus.ArticleID, 0, len(res.Added))
	for _, a := range res.Added {
		ids = append(ids, a.ID)
	}
	start := time.Now()
	ch, err := r.o.Library.AddStored(ctx, ids)
	if err != nil {
		r.log.Error("indexing fetched articles failed", "feed", feedURL, "err", err)
		return
	}
	r.log.Info("fetched articles indexed", "feed", feedURL, "added", ch.Added, "updated", ch.Updated, "took", time.Since(start).Round(time.Millisecond))
	r.mu.Lock()
	ann := r.ann
	r.mu.Unlock()
	if ann == nil {
		return
	}
	for _, added := range res.Added {
		if added.Updated {
			continue // an updated item is not announced again
		}
		a, ok := r.o.Library.Article(added.ID)
		if !ok {
			continue
		}
		for _, f := range r.followers(feedURL) {
			if f.ChannelID == "" || !a.VisibleIn(f.GuildID) {
				continue
			}
			r.announce(ctx, ann, f.ChannelID, a.ID)
		}
	}
}
