package digest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	cron "github.com/netresearch/go-cron"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/state"
)

// Store is what the scheduler keeps in the state store; every
// state.Store provides it.
type Store interface {
	Subscriptions(ctx context.Context) ([]state.Subscription, error)
	Subscription(ctx context.Context, channelID string) (state.Subscription, bool, error)
	UpdateSubscription(ctx context.Context, channelID string, fn func(sub *state.Subscription, found bool) (bool, error)) (state.Subscription, error)
	DeleteSubscription(ctx context.Context, channelID string) error
	ClaimDelivery(ctx context.Context, d state.Delivery, lease time.Duration) (state.Delivery, bool, error)
	FinishDelivery(ctx context.Context, channelID, key, claimedBy, outcome, messageID string, at time.Time) error
	PutThread(ctx context.Context, t state.Thread) error
	Threads(ctx context.Context) ([]state.Thread, error)
}

// Channel is what the scheduler needs to know of a Discord channel.
type Channel struct {
	GuildID string
	// News marks an announcement channel (its threads are of another
	// type).
	News bool
}

// Poster is how the scheduler reaches Discord; package bot provides it.
// Every method returns an error wrapping ErrChannelGone (made with
// [ChannelGone]) when Discord refuses the channel for good.
// Implementations must be safe for concurrent use.
type Poster interface {
	// LookupChannel returns a channel's guild and type.
	LookupChannel(ctx context.Context, channelID string) (Channel, error)
	// PostDigest posts a digest for the local day of day in a channel,
	// with a nonce Discord enforces ("" for none), and returns the
	// message id. Sent twice with one nonce, it posts once.
	PostDigest(ctx context.Context, channelID string, d Digest, day time.Time, nonce string) (string, error)
	// OpenThread opens, under a digest, a thread for questions about one
	// article, and returns its id.
	OpenThread(ctx context.Context, channelID string, news bool, a *corpus.Article) (string, error)
}

// ErrChannelGone reports a channel Discord refuses for good: 403 (no
// access) or 404 (gone). Test with errors.Is; [GoneReason] says why.
var ErrChannelGone = errors.New("discord refuses the channel")

type goneError struct{ reason string }

func (e *goneError) Error() string { return ErrChannelGone.Error() + ": " + e.reason }
func (e *goneError) Unwrap() error { return ErrChannelGone }

// ChannelGone returns an error wrapping ErrChannelGone with Discord's
// reason ("403 Missing Access").
func ChannelGone(reason string) error { return &goneError{reason: reason} }

// GoneReason returns the reason of an error wrapping ErrChannelGone, and
// false for any other error.
func GoneReason(err error) (string, bool) {
	var g *goneError
	if errors.As(err, &g) {
		return g.reason, true
	}
	if errors.Is(err, ErrChannelGone) {
		return "refused", true
	}
	return "", false
}

// Metrics counts digests; *ops.Metrics provides it. DigestSkipped's
// reasons: "no_articles", "already_posted" (a later firing the same day,
// or another process's), "channel_broken", "given_up" (an interrupted
// send too old to finish safely), "error".
type Metrics interface {
	DigestPosted()
	DigestSkipped(reason string)
}

type noMetrics struct{}

func (noMetrics) DigestPosted()        {}
func (noMetrics) DigestSkipped(string) {}

// Scheduler timing.
const (
	// maxWait bounds the scheduler's sleep, so that a wall clock that
	// jumps (a suspended machine, a corrected clock) is noticed soon.
	maxWait = time.Minute
	// retryAfter is the longest wait after a failure that may pass
	// (Discord or the database unreachable); the first waits are
	// shorter.
	retryAfter = 30 * time.Second
	// firstRetry is the first wait after a failure, doubled on each.
	firstRetry = time.Second
	// NonceTrust is how long after a digest's first attempt it is sent
	// again with the same nonce. Discord enforces a nonce for "a few
	// minutes"; after this, a resend might post twice, so the digest is
	// given up instead (its articles come in the next one).
	NonceTrust = 2 * time.Minute
	// ClaimLease is how long a process's claim on a delivery keeps
	// others off. A live process sends within the REST timeout (20 s);
	// a claim older than this is a killed process's, and is taken over,
	// with the same nonce, while the nonce still protects.
	ClaimLease = 10 * time.Second
)

// Options configure a Scheduler.
type Options struct {
	Store  Store
	Poster Poster
	Source Source
	// Clock drives the schedule; nil means the real clock.
	Clock   Clock
	Logger  *slog.Logger
	Metrics Metrics
	// Schedule is when digests fall due (DIGEST_CRON), in Zone, for
	// Channel and for subscriptions without a time of their own; nil
	// means DefaultCron. Cron is its text, for Describe.
	Schedule Schedule
	Cron     string
	// Zone is the zone of Schedule and of "one digest per day"
	// (DIGEST_TIMEZONE); nil means UTC.
	Zone *time.Location
	// Channel is subscribed from start-up (DIGEST_CHANNEL_ID); "" for
	// none.
	Channel string
	// Threads opens a thread per digest article (DIGEST_THREADS).
	Threads bool
	// Owns reports whether this process posts a guild's digests (its
	// shard serves the guild); nil means every guild.
	Owns func(guildID string) bool
	// Process names this process in the claims it makes; "" means a
	// random name. Two running processes must never share one.
	Process string
	// AfterSend, in tests, runs once a digest is sent and before it is
	// recorded; an error stops there, as a crash would.
	AfterSend func() error
}

// Scheduler posts the daily digests: it keeps the subscriptions in the
// store, runs the schedule, and opens digest threads. Its methods are
// safe for concurrent use.
type Scheduler struct {
	o       Options
	log     *slog.Logger
	store   Store
	clock   Clock
	metrics Metrics

	wake chan struct{} // a subscription changed: look again

	// mu serialises what this process does to subscriptions: scheduler
	// passes (one channel at a time), commands. Other processes are kept
	// off by the store's transactions and claims.
	mu      sync.Mutex
	skipped map[string]time.Time // firings passed over in memory (a second one in a day), by channel
	retry   map[string]time.Time // no attempt before this, by channel
	fails   map[string]int       // failures in a row, by channel

	zoneMu sync.Mutex
	zones  map[string]*time.Location // loaded zones, nil for a bad name

	passMu   sync.Mutex
	lastPass time.Time     // clock time at which the last completed pass began
	passed   chan struct{} // closed and replaced after every pass

	threadMu sync.RWMutex
	threadOf map[string]corpus.ArticleID // digest thread id -> its article
}

// New makes a scheduler. It reads the digest threads from the store.
func New(ctx context.Context, o Options) (*Scheduler, error) {
	if o.Store == nil || o.Poster == nil || o.Source == nil {
		return nil, errors.New("digest scheduler: a store, a poster and a source are needed")
	}
	if o.Clock == nil {
		o.Clock = cron.RealClock{}
	}
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.Schedule == nil {
		s, err := cron.ParseStandard(DefaultCron)
		if err != nil {
			return nil, fmt.Errorf("default digest schedule: %w", err)
		}
		o.Schedule, o.Cron = s, DefaultCron
	}
	if o.Owns == nil {
		o.Owns = func(string) bool { return true }
	}
	if o.Process == "" {
		o.Process = rand.Text()[:16]
	}
	s := &Scheduler{
		o: o, log: o.Logger, store: o.Store, clock: o.Clock, metrics: o.Metrics,
		wake:    make(chan struct{}, 1),
		skipped: map[string]time.Time{}, retry: map[string]time.Time{}, fails: map[string]int{},
		zones:    map[string]*time.Location{},
		passed:   make(chan struct{}),
		threadOf: map[string]corpus.ArticleID{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	threads, err := s.store.Threads(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range threads {
		s.threadOf[t.ThreadID] = corpus.ArticleID(t.ArticleID)
	}
	return s, nil
}

// Threads reports whether digests open a thread per article.
func (s *Scheduler) Threads() bool { return s.o.Threads }

// Poke makes the scheduler look at the subscriptions again now.
func (s *Scheduler) Poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run is the scheduler: it subscribes Options.Channel, then passes over
// the subscriptions whenever one falls due (or changes, or a minute goes
// by), until ctx is done. The first pass catches up what fell due while
// the bot was down. A store that cannot be reached is tried again with
// backoff; nothing is posted that cannot be recorded first.
func (s *Scheduler) Run(ctx context.Context) {
	for wait := firstRetry; ctx.Err() == nil; wait = min(2*wait, retryAfter) {
		if err := s.setup(ctx, s.clock.Now()); err == nil {
			break
		} else {
			s.log.Error("digest subscriptions; trying again", "err", err, "in", wait)
		}
		if !s.sleep(ctx, wait) {
			return
		}
	}
	for ctx.Err() == nil {
		now := s.clock.Now()
		next := s.pass(ctx, now)
		s.passDone(now)
		wait := maxWait
		if !next.IsZero() {
			wait = min(max(next.Sub(s.clock.Now()), 0), maxWait)
		}
		s.sleep(ctx, wait)
	}
}

// sleep waits d on the clock, or until poked; false when ctx is done.
func (s *Scheduler) sleep(ctx context.Context, d time.Duration) bool {
	t := s.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C():
	case <-s.wake:
	}
	return true
}

// passDone records that the pass begun at now is complete.
func (s *Scheduler) passDone(now time.Time) {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	s.lastPass = now
	close(s.passed)
	s.passed = make(chan struct{})
}

// WaitPass waits until a pass over the subscriptions that began at t or
// later (on the scheduler's clock) is complete, or ctx is done.
func (s *Scheduler) WaitPass(ctx context.Context, t time.Time) error {
	for {
		s.passMu.Lock()
		done, ch := !s.lastPass.Before(t), s.passed
		s.passMu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("no scheduler pass at %v: %w", t, ctx.Err())
		}
	}
}

// setup subscribes the channel of Options.Channel, unless it was
// unsubscribed by command, and drops the subscription of a channel that
// setting named before.
func (s *Scheduler) setup(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	subs, err := s.store.Subscriptions(ctx)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if sub.Config && sub.ChannelID != s.o.Channel {
			if err := s.store.DeleteSubscription(ctx, sub.ChannelID); err != nil {
				return err
			}
			s.log.Info("digest channel no longer configured; unsubscribed", "channel", sub.ChannelID)
		}
	}
	if s.o.Channel == "" {
		return nil
	}
	_, err = s.store.UpdateSubscription(ctx, s.o.Channel, func(sub *state.Subscription, found bool) (bool, error) {
		switch {
		case found && sub.Off:
			s.log.Info("DIGEST_CHANNEL_ID was unsubscribed with /digest unsubscribe; /digest subscribe resumes it", "channel", s.o.Channel)
			return false, nil
		case found:
			changed := !sub.Config
			sub.Config = true
			return changed, nil
		}
		sub.Config, sub.Created, sub.Fired = true, now, now
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("subscribe DIGEST_CHANNEL_ID: %w", err)
	}
	return nil
}

// pass posts every digest that is due at now and returns when the next
// one falls due (the zero time for none).
func (s *Scheduler) pass(ctx context.Context, now time.Time) time.Time {
	subs, err := s.store.Subscriptions(ctx)
	if err != nil {
		wait := s.failed("", now)
		s.log.Error("digest subscriptions; trying again", "err", err, "in", wait)
		return now.Add(wait)
	}
	s.succeeded("")
	var next time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, sub := range subs {
		if ctx.Err() != nil {
			return next
		}
		if !sub.Active() {
			continue
		}
		if at := s.retryAt(sub.ChannelID); at.After(now) {
			earliest(at)
			continue
		}
		if !sub.Resolved {
			var ok bool
			if sub, ok = s.resolve(ctx, sub, now); !ok {
				earliest(s.retryAt(sub.ChannelID))
				continue
			}
		}
		if !s.o.Owns(sub.GuildID) {
			continue
		}
		sched, zone := s.scheduleOf(sub)
		fired := sub.Fired
		if t := s.skippedAt(sub.ChannelID); t.After(fired) {
			fired = t
		}
		if due := sched.Next(fired.In(zone)); !due.IsZero() && !due.After(now) {
			if _, err := s.deliver(ctx, sub.ChannelID, now, false); err != nil {
				s.log.Warn("digest not posted; trying again soon", "channel", sub.ChannelID, "err", err)
			}
			earliest(s.retryAt(sub.ChannelID))
		}
		earliest(sched.Next(now.In(zone)))
	}
	return next
}

func (s *Scheduler) retryAt(channelID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retry[channelID]
}

func (s *Scheduler) skippedAt(channelID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped[channelID]
}

// failed notes a failure that may pass, for a channel ("" for the
// pass), and returns the wait before the next attempt: one second,
// doubled on every failure in a row, at most retryAfter.
func (s *Scheduler) failed(channelID string, now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failedLocked(channelID, now)
}

func (s *Scheduler) failedLocked(channelID string, now time.Time) time.Duration {
	n := s.fails[channelID]
	s.fails[channelID] = n + 1
	wait := min(firstRetry<<min(n, 10), retryAfter)
	if channelID != "" {
		s.retry[channelID] = now.Add(wait)
	}
	return wait
}

func (s *Scheduler) succeeded(channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.fails, channelID)
	delete(s.retry, channelID)
}

// resolve looks a subscribed channel up once: its guild (for sharding and
// /digest status) and type (for threads). A channel Discord refuses marks
// the subscription broken.
func (s *Scheduler) resolve(ctx context.Context, sub state.Subscription, now time.Time) (state.Subscription, bool) {
	ch, err := s.o.Poster.LookupChannel(ctx, sub.ChannelID)
	if reason, lost := GoneReason(err); lost {
		s.markBroken(ctx, sub.ChannelID, reason, now)
		return sub, false
	}
	if err != nil {
		s.log.Warn("looking up a digest channel", "channel", sub.ChannelID, "err", err)
		s.failed(sub.ChannelID, now)
		return sub, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, err = s.store.UpdateSubscription(ctx, sub.ChannelID, func(stored *state.Subscription, found bool) (bool, error) {
		if !found {
			return false, nil
		}
		stored.Resolved, stored.GuildID, stored.News = true, ch.GuildID, ch.News
		return true, nil
	})
	if err != nil {
		s.log.Error("recording a digest channel", "err", err)
		s.failedLocked(sub.ChannelID, now)
		return sub, false
	}
	return sub, sub.Resolved
}

// scheduleOf returns a subscription's schedule and zone: its own daily
// time and zone where it has them, else the bot's.
func (s *Scheduler) scheduleOf(sub state.Subscription) (Schedule, *time.Location) {
	sched, zone := s.o.Schedule, s.o.Zone
	if sub.Time != "" {
		if h, m, ok := ParseClock(sub.Time); ok {
			if d, err := daily(h, m); err == nil {
				sched = d
			}
		}
	}
	if sub.Zone != "" {
		if loc := s.location(sub.Zone); loc != nil {
			zone = loc
		}
	}
	return sched, zone
}

// location loads an IANA zone once.
func (s *Scheduler) location(name string) *time.Location {
	s.zoneMu.Lock()
	defer s.zoneMu.Unlock()
	loc, ok := s.zones[name]
	if !ok {
		var err error
		if loc, err = LoadZone(name); err != nil {
			loc = nil
		}
		s.zones[name] = loc
	}
	return loc
}

// Outcome is what became of a digest.
type Outcome int

// Outcomes of a digest.
const (
	NotSubscribed Outcome = iota
	Posted                // posted now
	AlreadyToday          // this local day's digest was already posted, passed over, or is another process's
	NothingNew            // nothing new since the last digest: no post
	Lost                  // Discord refused the channel: the subscription is now broken
	GivenUp               // an interrupted send was too old to retry safely
)

// Result reports a digest's outcome.
type Result struct {
	Outcome  Outcome
	Articles int    // articles in a posted digest
	Message  string // the posted message id
	Reason   string // why the channel is lost
}

// Now posts a subscribed channel's digest for today now (/digest now): it
// counts as the day's digest, as a scheduled one would. A day with nothing
// new stays open. A channel that is not subscribed gets NotSubscribed.
// Errors are failures that may pass.
func (s *Scheduler) Now(ctx context.Context, channelID string) (Result, error) {
	return s.deliver(ctx, channelID, s.clock.Now(), true)
}

// deliver posts a channel's digest for the local day of now, at most once
// per day: a day that already has its digest gets nothing more. An
// interrupted send (a pending delivery) is finished first, with its own
// nonce. On a scheduled firing (manual false) a day with nothing new
// counts as that day's digest; for /digest now (manual true) it leaves the
// day open. Errors are transient failures; the pending delivery stays and
// is tried again. Each outcome is counted in the metrics.
func (s *Scheduler) deliver(ctx context.Context, channelID string, now time.Time, manual bool) (Result, error) {
	r, err := s.deliverOnce(ctx, channelID, now, manual)
	switch {
	case err != nil:
		s.metrics.DigestSkipped("error")
	case r.Outcome == Posted:
		s.metrics.DigestPosted()
	case r.Outcome == AlreadyToday:
		s.metrics.DigestSkipped("already_posted")
	case r.Outcome == NothingNew:
		s.metrics.DigestSkipped("no_articles")
	case r.Outcome == Lost:
		s.metrics.DigestSkipped("channel_broken")
	case r.Outcome == GivenUp:
		s.metrics.DigestSkipped("given_up")
	}
	return r, err
}

// deliverOnce is deliver, without the counting.
func (s *Scheduler) deliverOnce(ctx context.Context, channelID string, now time.Time, manual bool) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, found, err := s.store.Subscription(ctx, channelID)
	if err != nil {
		s.failedLocked(channelID, now)
		return Result{}, err
	}
	if !found || !sub.Active() {
		return Result{Outcome: NotSubscribed}, nil
	}
	_, zone := s.scheduleOf(sub)
	day := now.In(zone).Format(time.DateOnly)
	if sub.LastDay >= day {
		s.skipped[channelID] = now
		return Result{Outcome: AlreadyToday}, nil
	}
	p := state.Delivery{ChannelID: channelID, Key: day, Kind: state.KindDigest, Nonce: Nonce(channelID, day),
		Since: sub.Since, ClaimedBy: s.o.Process, ClaimedAt: now}
	if sub.Since.IsZero() {
		p.Since, p.First = now.Add(-24*time.Hour), true
	}
	dg := Select(s.o.Source, p.Since, now, p.First, ScopeOf(sub.GuildID))
	p.Cutoff = p.Since
	if dg.Newest.After(p.Cutoff) {
		p.Cutoff = dg.Newest
	}
	if len(dg.Items) == 0 {
		if manual {
			return Result{Outcome: NothingNew}, nil
		}
		_, err := s.store.UpdateSubscription(ctx, channelID, func(stored *state.Subscription, found bool) (bool, error) {
			stored.LastDay, stored.Fired = max(stored.LastDay, day), now
			return found, nil
		})
		if err != nil {
			s.failedLocked(channelID, now)
			return Result{}, err
		}
		s.log.Info("no digest today: nothing new since the last one", "channel", channelID, "day", day)
		return Result{Outcome: NothingNew}, nil
	}
	// Claimed before sending: after a crash, the same digest is finished
	// with the same nonce instead of sent anew; a process firing at the
	// same moment finds it claimed.
	d, claimed, err := s.store.ClaimDelivery(ctx, p, ClaimLease)
	if err != nil {
		s.failedLocked(channelID, now)
		return Result{}, err
	}
	switch {
	case !claimed && !d.Pending():
		// Done, by another process or before a crash: bring the
		// subscription up to date.
		return Result{Outcome: AlreadyToday}, s.record(ctx, d, now)
	case !claimed:
		s.log.Debug("digest being sent by another process", "channel", channelID, "day", day, "process", d.ClaimedBy)
		s.retry[channelID] = d.ClaimedAt.Add(ClaimLease)
		return Result{Outcome: AlreadyToday}, nil
	}
	return s.resume(ctx, sub, d, p, dg, now)
}

// resume sends a claimed digest: one claimed now, or one whose sending was
// interrupted (ours, or a killed process's), sent again with its nonce
// while Discord still enforces it, else given up. dg is the selection made
// now for the proposal p; an interrupted digest is selected again within its own bounds.
// s.mu must be held.
func (s *Scheduler) resume(ctx context.Context, sub state.Subscription, d, p state.Delivery, dg Digest, now time.Time) (Result, error) {
	if !Resendable(d, now) {
		s.log.Warn("an interrupted digest may or may not have been posted; not sending it again, so as never to post twice (its articles come in the next digest)",
			"channel", d.ChannelID, "day", d.Key)
		return Result{Outcome: GivenUp}, s.finish(ctx, d, state.OutcomeGivenUp, "", now)
	}
	if !d.Since.Equal(p.Since) || !d.Cutoff.Equal(p.Cutoff) || d.First != p.First {
		dg = Select(s.o.Source, d.Since, d.Cutoff, d.First, ScopeOf(sub.GuildID))
	}
	if len(dg.Items) == 0 {
		return Result{Outcome: NothingNew}, s.finish(ctx, d, state.OutcomeNothing, "", now)
	}
	return s.send(ctx, sub, d, dg, now)
}

// Resendable reports whether a claimed delivery may be sent at now with
// its nonce: a new claim, or one interrupted (by an error, or a process
// killed between sending and recording) no longer than NonceTrust ago,
// while Discord still drops a second message with that nonce. Past that,
// or with a clock that went back before its first claim, it must be given
// up (state.OutcomeGivenUp) rather than sent, so as never to post twice.
// Digests and feed announcements both follow it.
func Resendable(d state.Delivery, now time.Time) bool {
	return !now.Before(d.Started) && now.Sub(d.Started) <= NonceTrust
}

// finish records a delivery's outcome and brings the subscription up to
// date. s.mu must be held.
func (s *Scheduler) finish(ctx context.Context, d state.Delivery, outcome, message string, now time.Time) error {
	err := s.store.FinishDelivery(ctx, d.ChannelID, d.Key, s.o.Process, outcome, message, now)
	if errors.Is(err, state.ErrNotClaimed) {
		// Our claim lapsed and another process took it over: it records.
		s.log.Warn("digest claim taken over by another process", "channel", d.ChannelID, "day", d.Key)
		return nil
	}
	if err != nil {
		s.failedLocked(d.ChannelID, now)
		return err
	}
	d.Done, d.Outcome, d.MessageID = now, outcome, message
	return s.record(ctx, d, now)
}

// record brings a channel's subscription up to date with a finished
// delivery: the day is done, and a posted digest moves Since on. It is
// idempotent. s.mu must be held.
func (s *Scheduler) record(ctx context.Context, d state.Delivery, now time.Time) error {
	_, err := s.store.UpdateSubscription(ctx, d.ChannelID, func(sub *state.Subscription, found bool) (bool, error) {
		sub.LastDay = max(sub.LastDay, d.Key)
		if now.After(sub.Fired) {
			sub.Fired = now
		}
		if d.Outcome == state.OutcomePosted && d.Cutoff.After(sub.Since) {
			sub.Since, sub.LastPost, sub.LastMessage = d.Cutoff, d.Done, d.MessageID
		}
		return found, nil
	})
	if err != nil {
		s.failedLocked(d.ChannelID, now)
		return fmt.Errorf("record the digest of %s in %s: %w", d.Key, d.ChannelID, err)
	}
	return nil
}

// InFlightGrace is how long a post already sent (a digest, an
// announcement) may take to finish, and be recorded, after a stop.
const InFlightGrace = 3 * time.Second

// InFlight returns the context to send a post under: one a stop (ctx
// done) does not cut off at once but InFlightGrace later, so that a post
// Discord has taken is recorded as posted rather than left claimed for
// the next start to send again. Without a stop the post takes as long as
// the client allows; a slow answer is not a failure.
func InFlight(ctx context.Context) (context.Context, context.CancelFunc) {
	sent, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(InFlightGrace, cancel)
		context.AfterFunc(sent, func() { t.Stop() })
	})
	return sent, func() {
		stop()
		cancel()
	}
}

// send posts a claimed digest with its nonce and records it. s.mu must
// be held.
func (s *Scheduler) send(ctx context.Context, sub state.Subscription, d state.Delivery, dg Digest, now time.Time) (Result, error) {
	_, zone := s.scheduleOf(sub)
	day, err := time.ParseInLocation(time.DateOnly, d.Key, zone)
	if err != nil {
		day = now.In(zone)
	}
	sent, cancel := InFlight(ctx)
	defer cancel()
	msg, err := s.o.Poster.PostDigest(sent, sub.ChannelID, dg, day, d.Nonce)
	if reason, isLost := GoneReason(err); isLost {
		if err := s.finish(ctx, d, state.OutcomeLost, "", now); err != nil {
			s.log.Error("recording a refused digest", "channel", sub.ChannelID, "err", err)
		}
		s.markBrokenLocked(ctx, sub.ChannelID, reason, now)
		return Result{Outcome: Lost, Reason: reason}, nil
	}
	if err != nil {
		s.failedLocked(sub.ChannelID, now)
		return Result{}, err
	}
	if s.o.AfterSend != nil {
		if err := s.o.AfterSend(); err != nil {
			return Result{}, err
		}
	}
	if err := s.finish(sent, d, state.OutcomePosted, msg, now); err != nil {
		return Result{}, err
	}
	delete(s.retry, sub.ChannelID)
	delete(s.fails, sub.ChannelID)
	s.log.Info("digest posted", "channel", sub.ChannelID, "day", d.Key, "articles", len(dg.Items), "more", dg.More, "message", msg)
	if s.o.Threads {
		s.openThreads(ctx, sub, dg, now)
	}
	return Result{Outcome: Posted, Articles: len(dg.Items) + dg.More, Message: msg}, nil
}

// markBroken records that Discord refused a channel for good (403 or
// 404): the subscription is skipped until Subscribe renews it. It is
// logged here, once.
func (s *Scheduler) markBroken(ctx context.Context, channelID, reason string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markBrokenLocked(ctx, channelID, reason, now)
}

func (s *Scheduler) markBrokenLocked(ctx context.Context, channelID, reason string, now time.Time) {
	_, err := s.store.UpdateSubscription(ctx, channelID, func(sub *state.Subscription, found bool) (bool, error) {
		sub.Broken, sub.BrokenAt = reason, now
		return found, nil
	})
	if err != nil {
		s.log.Error("recording a broken digest channel", "channel", channelID, "err", err)
	}
	s.log.Warn("Discord refuses the digest channel; its subscription is broken until renewed with /digest subscribe",
		"channel", channelID, "reason", reason)
}

// openThreads opens a thread per article of a posted digest, where
// questions are answered from that article only. Failures are logged: the
// digest itself is posted.
func (s *Scheduler) openThreads(ctx context.Context, sub state.Subscription, dg Digest, now time.Time) {
	for _, it := range dg.Items {
		id, err := s.o.Poster.OpenThread(ctx, sub.ChannelID, sub.News, it.Article)
		if err != nil {
			s.log.Warn("opening a digest thread", "channel", sub.ChannelID, "article", it.Article.ID, "err", err)
			if errors.Is(err, ErrChannelGone) {
				return
			}
			continue
		}
		s.threadMu.Lock()
		s.threadOf[id] = it.Article.ID
		s.threadMu.Unlock()
		if err := s.store.PutThread(ctx, state.Thread{ThreadID: id, ArticleID: string(it.Article.ID), ChannelID: sub.ChannelID, Created: now}); err != nil {
			s.log.Error("recording a digest thread", "err", err)
		}
	}
}

// ThreadArticle returns the article of a digest thread, and false for any
// other channel. Threads opened by other processes are known from the
// store as it was at start.
func (s *Scheduler) ThreadArticle(channelID string) (corpus.ArticleID, bool) {
	s.threadMu.RLock()
	defer s.threadMu.RUnlock()
	a, ok := s.threadOf[channelID]
	return a, ok
}
