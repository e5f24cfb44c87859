package news

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// PollState is what is remembered of one feed between polls.
type PollState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	// Failures counts the polls that failed since the last success.
	Failures int `json:"failures,omitempty"`
	// NextPoll is when the feed is due again; zero means now.
	NextPoll time.Time `json:"next_poll,omitzero"`
}

// PollStates keeps each feed's PollState. The bot's state store
// implements it; MemoryPollStates is an in-memory one. Implementations
// must be safe for concurrent use.
type PollStates interface {
	// LoadPollState returns the feed's state, and the zero PollState
	// when none was saved.
	LoadPollState(ctx context.Context, feedURL string) (PollState, error)
	// SavePollState records the feed's state.
	SavePollState(ctx context.Context, feedURL string, st PollState) error
}

// MemoryPollStates is a PollStates held in memory, lost when the process
// ends. The zero value is ready to use and safe for concurrent use.
type MemoryPollStates struct {
	mu sync.Mutex
	m  map[string]PollState
}

// LoadPollState implements PollStates.
func (m *MemoryPollStates) LoadPollState(_ context.Context, feedURL string) (PollState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[feedURL], nil
}

// SavePollState implements PollStates.
func (m *MemoryPollStates) SavePollState(_ context.Context, feedURL string, st PollState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]PollState{}
	}
	m.m[feedURL] = st
	return nil
}

// Limits of polling.
const (
	// MinInterval is the shortest FEED_INTERVAL.
	MinInterval = time.Minute
	// MaxBackoff is the longest a failing feed waits between polls,
	// unless its server asks for longer with Retry-After (up to
	// MaxRetryAfter).
	MaxBackoff = 6 * time.Hour
	// MaxRetryAfter caps what a server's Retry-After can ask for.
	MaxRetryAfter = 24 * time.Hour
	// GoneBackoff is how long a feed that answered 410 Gone waits.
	GoneBackoff = 24 * time.Hour
	// jitterShare is the share of a wait that is randomised (± half).
	jitterShare = 0.2
	// pollWorkers is how many feeds are polled at once.
	pollWorkers = 8
)

// PollerOptions configure a Poller.
type PollerOptions struct {
	// Feeds returns the feeds to poll; it is called before each round, so
	// that feeds can come and go.
	Feeds func(ctx context.Context) ([]string, error)
	// Interval is how often each feed is polled; at least MinInterval
	// (less is raised to it, except in tests through AllowShortInterval).
	Interval time.Duration
	// States keeps each feed's state; nil means a MemoryPollStates.
	States PollStates
	// OnResult is called after each poll that added or updated articles,
	// with them (to index them, or announce them). It may be nil.
	OnResult func(ctx context.Context, feedURL string, res Result)
	Logger   *slog.Logger
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Rand returns a number in [0, 1) for jitter; nil means math/rand/v2.
	Rand func() float64
	// AllowShortInterval lets tests poll faster than MinInterval.
	AllowShortInterval bool
}

// Poller polls feeds on an interval, with jitter and per-feed backoff.
// Create it with NewPoller; its methods are safe for concurrent use, but
// Run should run once at a time.
type Poller struct {
	svc  *Service
	o    PollerOptions
	log  *slog.Logger
	wake chan struct{}
}

// NewPoller returns a Poller that polls through svc.
func NewPoller(svc *Service, o PollerOptions) *Poller {
	if o.Interval < MinInterval && !o.AllowShortInterval {
		o.Interval = MinInterval
	}
	if o.States == nil {
		o.States = &MemoryPollStates{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Feeds == nil {
		o.Feeds = func(context.Context) ([]string, error) { return nil, nil }
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{svc: svc, o: o, log: log, wake: make(chan struct{}, 1)}
}

// FeedResult is the outcome of polling one feed.
type FeedResult struct {
	Feed   string
	Result Result
	Err    error
	State  PollState
}

// PollAll polls every feed once, now, whatever its schedule, a few at a
// time, and returns the results in the order of the feeds.
func (p *Poller) PollAll(ctx context.Context) ([]FeedResult, error) {
	feeds, err := p.o.Feeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return p.poll(ctx, feeds), nil
}

// Wake asks a running Run to look at the feeds now (a feed was added).
func (p *Poller) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls each feed when it is due until ctx ends, then returns nil. A
// feed is due at once when it was never polled, then every Interval (with
// jitter), and after failures with a growing backoff that honours
// Retry-After. A failing feed never stops the others.
func (p *Poller) Run(ctx context.Context) error {
	for {
		if ctx.Err() != nil {
			return nil
		}
		feeds, err := p.o.Feeds(ctx)
		if err != nil {
			p.log.Error("listing the feeds to poll failed", "err", err)
		}
		now := p.o.Now()
		var due []string
		next := now.Add(p.o.Interval)
		for _, f := range feeds {
			st, err := p.o.States.LoadPollState(ctx, f)
			if err != nil {
				p.log.Error("reading a feed's poll state failed", "feed", f, "err", err)
				continue
			}
			if !st.NextPoll.After(now) {
				due = append(due, f)
			} else if st.NextPoll.Before(next) {
				next = st.NextPoll
			}
		}
		if len(due) > 0 {
			p.poll(ctx, due)
			continue // states changed: look again
		}
		wait := time.NewTimer(max(next.Sub(now), time.Second))
		select {
		case <-ctx.Done():
			wait.Stop()
			return nil
		case <-p.wake:
			wait.Stop()
		case <-wait.C:
		}
	}
}

// poll polls the feeds, pollWorkers at a time, records each one's state,
// and returns the results in the order of feeds.
func (p *Poller) poll(ctx context.Context, feeds []string) []FeedResult {
	feeds = slices.Compact(slices.Clone(feeds))
	out := make([]FeedResult, len(feeds))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(pollWorkers, len(feeds)) {
		wg.Go(func() {
			for i := range work {
				out[i] = p.pollOne(ctx, feeds[i])
			}
		})
	}
	for i := range feeds {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

func (p *Poller) pollOne(ctx context.Context, feed string) FeedResult {
	st, err := p.o.States.LoadPollState(ctx, feed)
	if err != nil {
		return FeedResult{Feed: feed, Err: fmt.Errorf("read poll state: %w", err)}
	}
	res, st, err := p.svc.PollFeed(ctx, feed, st)
	now := p.o.Now()
	if err != nil && ctx.Err() == nil {
		st.Failures++
		st.LastError, st.LastErrorAt = err.Error(), now
		wait := p.Backoff(st.Failures, err)
		st.NextPoll = now.Add(wait)
		p.log.Warn("polling a feed failed", "feed", feed, "err", err, "failures", st.Failures, "next_poll", st.NextPoll.Format(time.RFC3339))
	} else if err == nil {
		st.Failures, st.LastSuccess = 0, now
		st.NextPoll = now.Add(p.jitter(p.o.Interval))
		if len(res.Added) > 0 {
			p.log.Info("feed polled", "feed", feed, "added", len(res.Added), "skipped", len(res.Skipped), "next_poll", st.NextPoll.Format(time.RFC3339))
		}
	}
	if serr := p.o.States.SavePollState(context.WithoutCancel(ctx), feed, st); serr != nil {
		p.log.Error("saving a feed's poll state failed", "feed", feed, "err", serr)
	}
	if len(res.Added) > 0 && p.o.OnResult != nil {
		p.o.OnResult(ctx, feed, res)
	}
	return FeedResult{Feed: feed, Result: res, Err: err, State: st}
}

// Backoff returns how long a feed waits after its failures-th failure in a
// row, err being the last: the interval doubled per failure up to
// MaxBackoff, at least what Retry-After asked (up to MaxRetryAfter),
// GoneBackoff for 410 Gone; with jitter.
func (p *Poller) Backoff(failures int, err error) time.Duration {
	wait := p.o.Interval
	for i := 1; i < failures && wait < MaxBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, MaxBackoff)
	var fe *FetchError
	if errors.As(err, &fe) {
		if fe.Status == http.StatusGone {
			wait = max(wait, GoneBackoff)
		}
		if fe.RetryAfter > 0 {
			ra := min(fe.RetryAfter, MaxRetryAfter)
			if ra > wait {
				// The server said when: no jitter earlier than that.
				return ra + time.Duration(p.o.Rand()*jitterShare/2*float64(ra))
			}
		}
	}
	return p.jitter(wait)
}

// jitter spreads d by ±jitterShare/2, so that feeds polled together drift
// apart.
func (p *Poller) jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (1 - jitterShare/2 + jitterShare*p.o.Rand()))
}
