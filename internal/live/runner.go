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
}

// Announcer posts an article's announcement in a channel once (the bot).
type Announcer interface {
	Announce(ctx context.Context, channelID string, id corpus.ArticleID) (bool, error)
}

// The poller's lease: a delivery record that is never finished, claimed
// again by its holder every LeaseRenew; another process takes it over
// once it is LeaseTime old, that is once its holder is gone.
const (
	leaseChannel = "poller"
	leaseKey     = "lease"
	LeaseTime    = time.Minute
	LeaseRenew   = LeaseTime / 4
)

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
}

// New returns a Runner.
func New(o Options) *Runner {
	r := &Runner{o: o, log: o.Logger, process: "poller-" + rand.Text()[:12]}
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
func (r *Runner) Run(ctx context.Context) error {
	held := false
	var stop context.CancelFunc
	var polling sync.WaitGroup
	tick := time.NewTicker(LeaseRenew)
	defer tick.Stop()
	for {
		_, ok, err := r.o.Store.ClaimDelivery(ctx, state.Delivery{
			ChannelID: leaseChannel, Key: leaseKey, Kind: "lease", ClaimedBy: r.process, ClaimedAt: time.Now(),
		}, LeaseTime)
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Warn("renewing the feed poller's lease failed", "err", err)
		case ok && !held:
			held = true
			r.log.Info("this process polls the feeds", "process", r.process)
			var pctx context.Context
			pctx, stop = context.WithCancel(ctx)
			polling.Go(func() { _ = r.poller.Run(pctx) })
		case !ok && held && err == nil:
			held = false
			r.log.Warn("another process took over polling the feeds")
			stop()
			polling.Wait()
		}
		select {
		case <-ctx.Done():
			if stop != nil {
				stop()
			}
			polling.Wait()
			return nil
		case <-tick.C:
		}
	}
}

// feedURLs lists the feeds to poll: FEEDS and every server's, and keeps
// the servers' feeds for scope and announcements.
func (r *Runner) feedURLs(ctx context.Context) ([]string, error) {
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
			posted, err := ann.Announce(ctx, f.ChannelID, a.ID)
			if err != nil {
				r.log.Warn("announcing an article failed", "channel", f.ChannelID, "article", a.ID, "err", err)
				continue
			}
			if posted {
				r.log.Info("article announced", "channel", f.ChannelID, "article", a.ID)
			}
		}
	}
}
