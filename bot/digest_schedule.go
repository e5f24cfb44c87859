package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	cron "github.com/netresearch/go-cron"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Clock tells the time and makes timers for the digest scheduler.
// cron.RealClock and *cron.FakeClock (github.com/netresearch/go-cron)
// satisfy it; tests drive the scheduler with the fake one.
type Clock = cron.Clock

// Schedule says when digests fall due: the first firing after a time, in
// that time's location, or the zero time for none. A cron.Schedule parsed
// without TZ= satisfies it.
type Schedule interface {
	Next(time.Time) time.Time
}

// DefaultDigestCron is the digest schedule when none is given.
const DefaultDigestCron = "0 9 * * *"

// Scheduler timing.
const (
	// maxWait bounds the scheduler's sleep, so that a wall clock that
	// jumps (a suspended machine, a corrected clock) is noticed soon.
	maxWait = time.Minute
	// retryAfter is the wait after a failure that may pass (Discord
	// unreachable, a 5xx).
	retryAfter = 30 * time.Second
	// nonceTrust is how long after a digest's first attempt it is sent
	// again with the same nonce. Discord enforces a nonce for "a few
	// minutes"; after this, a resend might post twice, so the digest is
	// given up instead (its articles come in the next one).
	nonceTrust = 2 * time.Minute
)

// digester posts the daily digests: it keeps the subscriptions in the
// store, runs the schedule, and opens digest threads.
type digester struct {
	b       *Bot
	log     *slog.Logger
	store   *Store
	clock   Clock
	sched   Schedule
	spec    string // the schedule as written, for /digest status
	zone    *time.Location
	channel string // DIGEST_CHANNEL_ID
	threads bool

	wake chan struct{} // a subscription changed: look again

	// mu serialises what changes subscriptions: scheduler passes (one
	// channel at a time), /digest commands.
	mu      sync.Mutex
	skipped map[string]time.Time // firings passed over in memory (a second one in a day), by channel
	retry   map[string]time.Time // no attempt before this, by channel

	zoneMu sync.Mutex
	zones  map[string]*time.Location // loaded zones, nil for a bad name

	passMu   sync.Mutex
	lastPass time.Time     // clock time at which the last completed pass began
	passed   chan struct{} // closed and replaced after every pass

	threadMu sync.RWMutex
	threadOf map[string]corpus.ArticleID // digest thread id -> its article

	// afterSend, in tests, runs once a digest is sent and before it is
	// recorded; an error stops there, as a crash would.
	afterSend func() error
}

func newDigester(b *Bot, o Options) (*digester, error) {
	d := &digester{
		b: b, log: b.log, store: o.Store, clock: o.Clock, sched: o.DigestSchedule, spec: o.DigestCron,
		zone: o.DigestZone, channel: o.DigestChannel, threads: o.DigestThreads,
		wake:    make(chan struct{}, 1),
		skipped: map[string]time.Time{}, retry: map[string]time.Time{}, zones: map[string]*time.Location{},
		passed:   make(chan struct{}),
		threadOf: map[string]corpus.ArticleID{},
	}
	if d.clock == nil {
		d.clock = cron.RealClock{}
	}
	if d.zone == nil {
		d.zone = time.UTC
	}
	if d.sched == nil {
		s, err := cron.ParseStandard(DefaultDigestCron)
		if err != nil {
			return nil, fmt.Errorf("default digest schedule: %w", err)
		}
		d.sched, d.spec = s, DefaultDigestCron
	}
	threads, err := d.store.threads()
	if err != nil {
		return nil, err
	}
	for id, t := range threads {
		d.threadOf[id] = t.Article
	}
	return d, nil
}

// servesGuild reports whether the process of shard shardID among
// shardCount serves a guild: a guild belongs to shard
// (guild_id >> 22) % shard_count, the shard Discord sends its events to,
// and DMs (no guild) to shard 0. Only that process answers the guild's
// messages and posts its digests; an id that is not a snowflake belongs
// to none.
func servesGuild(guildID string, shardID, shardCount int) bool {
	if shardCount <= 1 {
		return true
	}
	if guildID == "" {
		return shardID == 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return false
	}
	return int((id>>22)%uint64(shardCount)) == shardID
}

// poke makes the scheduler look at the subscriptions again now.
func (d *digester) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// run is the scheduler: it subscribes DIGEST_CHANNEL_ID, then passes over
// the subscriptions whenever one falls due (or changes, or a minute goes
// by), until ctx is done. The first pass catches up what fell due while
// the bot was down.
func (d *digester) run(ctx context.Context) {
	d.setup(d.clock.Now())
	for {
		now := d.clock.Now()
		next := d.pass(ctx, now)
		d.passDone(now)
		wait := maxWait
		if !next.IsZero() {
			wait = min(max(next.Sub(d.clock.Now()), 0), maxWait)
		}
		t := d.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		case <-d.wake:
			t.Stop()
		}
	}
}

// passDone records that the pass begun at now is complete.
func (d *digester) passDone(now time.Time) {
	d.passMu.Lock()
	defer d.passMu.Unlock()
	d.lastPass = now
	close(d.passed)
	d.passed = make(chan struct{})
}

// setup subscribes the channel of DIGEST_CHANNEL_ID, unless it was
// unsubscribed by command, and drops the subscription of a channel that
// setting named before.
func (d *digester) setup(now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	subs, err := d.store.subscriptions()
	if err != nil {
		d.log.Error("digest subscriptions", "err", err)
		return
	}
	for _, s := range subs {
		if s.Config && s.ChannelID != d.channel {
			if err := d.store.deleteSubscription(s.ChannelID); err != nil {
				d.log.Error("digest subscriptions", "err", err)
			}
			d.log.Info("digest channel no longer configured; unsubscribed", "channel", s.ChannelID)
		}
	}
	if d.channel == "" {
		return
	}
	_, err = d.store.updateSubscription(d.channel, func(s *subscription, found bool) (bool, error) {
		switch {
		case found && s.Off:
			d.log.Info("DIGEST_CHANNEL_ID was unsubscribed with /digest unsubscribe; /digest subscribe resumes it", "channel", d.channel)
			return false, nil
		case found:
			s.Config = true
			return true, nil
		}
		s.Config, s.Created, s.Fired = true, now, now
		return true, nil
	})
	if err != nil {
		d.log.Error("subscribing DIGEST_CHANNEL_ID", "err", err)
	}
}

// pass posts every digest that is due at now and returns when the next
// one falls due (the zero time for none).
func (d *digester) pass(ctx context.Context, now time.Time) time.Time {
	subs, err := d.store.subscriptions()
	if err != nil {
		d.log.Error("digest subscriptions", "err", err)
		return now.Add(retryAfter)
	}
	var next time.Time
	earliest := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, s := range subs {
		if ctx.Err() != nil {
			return next
		}
		if !s.active() {
			continue
		}
		if at := d.retryAt(s.ChannelID); at.After(now) {
			earliest(at)
			continue
		}
		if !s.Resolved {
			var ok bool
			if s, ok = d.resolve(ctx, s, now); !ok {
				continue
			}
		}
		if !d.b.ownsGuild(s.GuildID) {
			continue
		}
		sched, zone := d.scheduleOf(s)
		fired := s.Fired
		if t := d.skippedAt(s.ChannelID); t.After(fired) {
			fired = t
		}
		due := sched.Next(fired.In(zone))
		if s.Pending != nil || (!due.IsZero() && !due.After(now)) {
			if _, err := d.deliver(ctx, s.ChannelID, now, false); err != nil {
				d.log.Warn("digest not posted; trying again soon", "channel", s.ChannelID, "err", err)
				earliest(d.retryAt(s.ChannelID))
			}
		}
		earliest(sched.Next(now.In(zone)))
	}
	return next
}

func (d *digester) retryAt(channelID string) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.retry[channelID]
}

func (d *digester) skippedAt(channelID string) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.skipped[channelID]
}

// resolve looks a subscribed channel up once: its guild (for sharding and
// /digest status) and type (for threads). A channel Discord refuses marks
// the subscription broken.
func (d *digester) resolve(ctx context.Context, s subscription, now time.Time) (subscription, bool) {
	ch, err := d.b.session.Channel(s.ChannelID, discordgo.WithContext(ctx))
	if reason, lost := lostChannel(err); lost {
		d.markBroken(s.ChannelID, reason, now)
		return s, false
	}
	if err != nil {
		d.log.Warn("looking up a digest channel", "channel", s.ChannelID, "err", err)
		d.setRetry(s.ChannelID, now.Add(retryAfter))
		return s, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err = d.store.updateSubscription(s.ChannelID, func(sub *subscription, found bool) (bool, error) {
		if !found {
			return false, nil
		}
		sub.Resolved, sub.GuildID, sub.News = true, ch.GuildID, ch.Type == discordgo.ChannelTypeGuildNews
		return true, nil
	})
	if err != nil {
		d.log.Error("recording a digest channel", "err", err)
		return s, false
	}
	return s, s.Resolved
}

func (d *digester) setRetry(channelID string, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.retry[channelID] = at
}

// scheduleOf returns a subscription's schedule and zone: its own daily
// time and zone where it has them, else the bot's.
func (d *digester) scheduleOf(s subscription) (Schedule, *time.Location) {
	sched, zone := d.sched, d.zone
	if s.Time != "" {
		if h, m, ok := parseClock(s.Time); ok {
			if daily, err := cron.ParseStandard(fmt.Sprintf("%d %d * * *", m, h)); err == nil {
				sched = daily
			}
		}
	}
	if s.Zone != "" {
		if loc := d.location(s.Zone); loc != nil {
			zone = loc
		}
	}
	return sched, zone
}

// location loads an IANA zone once.
func (d *digester) location(name string) *time.Location {
	d.zoneMu.Lock()
	defer d.zoneMu.Unlock()
	loc, ok := d.zones[name]
	if !ok {
		var err error
		if loc, err = loadZone(name); err != nil {
			loc = nil
		}
		d.zones[name] = loc
	}
	return loc
}

// loadZone loads an IANA time zone by name; "Local" is refused, since the
// machine's zone is not the user's.
func loadZone(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return time.LoadLocation(name)
}

// parseClock reads a time of day, "H:MM" or "HH:MM" (24-hour).
func parseClock(s string) (hour, minute int, ok bool) {
	hs, ms, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// outcome is what became of a digest.
type outcome int

const (
	notSubscribed outcome = iota
	posted                // posted now
	alreadyToday          // this local day's digest was already posted (or passed over)
	nothingNew            // nothing new since the last digest: no post
	lost                  // Discord refused the channel: the subscription is now broken
	givenUp               // an interrupted send was too old to retry safely
)

// delivery reports a digest's outcome.
type delivery struct {
	outcome  outcome
	articles int    // articles in a posted digest
	message  string // the posted message id
	reason   string // why the channel is lost
}

// deliver posts a channel's digest for the local day of now, at most once
// per day: a day that already has its digest gets nothing more. An
// interrupted send (recorded as pending) is finished first, with its own
// nonce. On a scheduled firing (manual false) a day with nothing new
// counts as that day's digest; for /digest now (manual true) it leaves the
// day open. Errors are transient failures; the pending digest stays and is
// tried again. Each outcome is counted in the metrics (a digest posted,
// or skipped and why).
func (d *digester) deliver(ctx context.Context, channelID string, now time.Time, manual bool) (delivery, error) {
	dl, err := d.deliverOnce(ctx, channelID, now, manual)
	switch {
	case err != nil:
		d.b.metrics.DigestSkipped("error")
	case dl.outcome == posted:
		d.b.metrics.DigestPosted()
	case dl.outcome == alreadyToday:
		d.b.metrics.DigestSkipped("already_posted")
	case dl.outcome == nothingNew:
		d.b.metrics.DigestSkipped("no_articles")
	case dl.outcome == lost:
		d.b.metrics.DigestSkipped("channel_broken")
	case dl.outcome == givenUp:
		d.b.metrics.DigestSkipped("given_up")
	}
	return dl, err
}

// deliverOnce is deliver, without the counting.
func (d *digester) deliverOnce(ctx context.Context, channelID string, now time.Time, manual bool) (delivery, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	sub, found, err := d.store.subscription(channelID)
	if err != nil {
		return delivery{}, err
	}
	if !found || !sub.active() {
		return delivery{outcome: notSubscribed}, nil
	}
	if sub.Pending != nil {
		return d.finishPending(ctx, sub, now)
	}
	_, zone := d.scheduleOf(sub)
	day := now.In(zone).Format(time.DateOnly)
	if sub.LastDay >= day {
		d.skipped[channelID] = now
		return delivery{outcome: alreadyToday}, nil
	}
	p := &pendingDigest{Day: day, Nonce: digestNonce(channelID, day), Since: sub.Since, Started: now}
	if sub.Since.IsZero() {
		p.Since, p.First = now.Add(-24*time.Hour), true
	}
	dg := SelectDigest(d.b.engine, p.Since, now, p.First)
	p.Cutoff = p.Since
	if dg.Newest.After(p.Cutoff) {
		p.Cutoff = dg.Newest
	}
	if len(dg.Items) == 0 {
		if manual {
			return delivery{outcome: nothingNew}, nil
		}
		_, err := d.store.updateSubscription(channelID, func(s *subscription, found bool) (bool, error) {
			s.LastDay, s.Fired = day, now
			return found, nil
		})
		d.log.Info("no digest today: nothing new since the last one", "channel", channelID, "day", day)
		return delivery{outcome: nothingNew}, err
	}
	// Recorded before sending: after a crash, the same digest is finished
	// with the same nonce instead of sent anew.
	sub, err = d.store.updateSubscription(channelID, func(s *subscription, found bool) (bool, error) {
		s.Pending = p
		return found, nil
	})
	if err != nil {
		return delivery{}, err
	}
	return d.send(ctx, sub, dg, now)
}

// finishPending completes a digest whose sending was interrupted: sent
// again with its nonce while Discord still enforces it, else given up.
// d.mu must be held.
func (d *digester) finishPending(ctx context.Context, sub subscription, now time.Time) (delivery, error) {
	p := sub.Pending
	if now.Sub(p.Started) > nonceTrust || now.Before(p.Started) {
		_, err := d.store.updateSubscription(sub.ChannelID, func(s *subscription, found bool) (bool, error) {
			s.Pending, s.Fired = nil, now
			s.LastDay = max(s.LastDay, p.Day)
			return found, nil
		})
		d.log.Warn("an interrupted digest may or may not have been posted; not sending it again, so as never to post twice (its articles come in the next digest)",
			"channel", sub.ChannelID, "day", p.Day)
		return delivery{outcome: givenUp}, err
	}
	dg := SelectDigest(d.b.engine, p.Since, p.Cutoff, p.First)
	if len(dg.Items) == 0 {
		_, err := d.store.updateSubscription(sub.ChannelID, func(s *subscription, found bool) (bool, error) {
			s.Pending, s.Fired = nil, now
			s.LastDay = max(s.LastDay, p.Day)
			return found, nil
		})
		return delivery{outcome: nothingNew}, err
	}
	return d.send(ctx, sub, dg, now)
}

// send posts a pending digest with its nonce and records it. d.mu must be
// held.
func (d *digester) send(ctx context.Context, sub subscription, dg Digest, now time.Time) (delivery, error) {
	p := sub.Pending
	_, zone := d.scheduleOf(sub)
	day, err := time.ParseInLocation(time.DateOnly, p.Day, zone)
	if err != nil {
		day = now.In(zone)
	}
	m, err := d.b.postMessage(ctx, sub.ChannelID, digestReply(dg, day), p.Nonce)
	if reason, isLost := lostChannel(err); isLost {
		d.markBrokenLocked(sub.ChannelID, reason, now)
		return delivery{outcome: lost, reason: reason}, nil
	}
	if err != nil {
		d.retry[sub.ChannelID] = now.Add(retryAfter)
		return delivery{}, err
	}
	if d.afterSend != nil {
		if err := d.afterSend(); err != nil {
			return delivery{}, err
		}
	}
	sub, err = d.store.updateSubscription(sub.ChannelID, func(s *subscription, found bool) (bool, error) {
		s.Pending = nil
		s.LastDay = max(s.LastDay, p.Day)
		s.Since, s.Fired = p.Cutoff, now
		s.LastPost, s.LastMessage = now, m.ID
		return found, nil
	})
	if err != nil {
		return delivery{}, fmt.Errorf("record the digest posted in %s: %w", sub.ChannelID, err)
	}
	delete(d.retry, sub.ChannelID)
	d.log.Info("digest posted", "channel", sub.ChannelID, "day", p.Day, "articles", len(dg.Items), "more", dg.More, "message", m.ID)
	if d.threads {
		d.openThreads(ctx, sub, dg, now)
	}
	return delivery{outcome: posted, articles: len(dg.Items) + dg.More, message: m.ID}, nil
}

// markBroken records that Discord refused a channel for good (403 or
// 404): the subscription is skipped until /digest subscribe renews it. It
// is logged here, once.
func (d *digester) markBroken(channelID, reason string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.markBrokenLocked(channelID, reason, now)
}

func (d *digester) markBrokenLocked(channelID, reason string, now time.Time) {
	_, err := d.store.updateSubscription(channelID, func(s *subscription, found bool) (bool, error) {
		s.Broken, s.BrokenAt, s.Pending = reason, now, nil
		return found, nil
	})
	if err != nil {
		d.log.Error("recording a broken digest channel", "channel", channelID, "err", err)
	}
	d.log.Warn("Discord refuses the digest channel; its subscription is broken until renewed with /digest subscribe",
		"channel", channelID, "reason", reason)
}

// openThreads opens a thread per article of a posted digest, where
// questions are answered from that article only. Failures are logged: the
// digest itself is posted.
func (d *digester) openThreads(ctx context.Context, sub subscription, dg Digest, now time.Time) {
	typ := discordgo.ChannelTypeGuildPublicThread
	if sub.News {
		typ = discordgo.ChannelTypeGuildNewsThread
	}
	for _, it := range dg.Items {
		th, err := d.b.session.ThreadStartComplex(sub.ChannelID, &discordgo.ThreadStart{
			Name: threadName(it.Article.Title), AutoArchiveDuration: 1440, Type: typ,
		}, discordgo.WithContext(ctx))
		if err != nil {
			d.log.Warn("opening a digest thread", "channel", sub.ChannelID, "article", it.Article.ID, "err", err)
			if _, isLost := lostChannel(err); isLost {
				return
			}
			continue
		}
		if err := d.store.putThread(th.ID, digestThread{Article: it.Article.ID, Channel: sub.ChannelID, Created: now}); err != nil {
			d.log.Error("recording a digest thread", "err", err)
			continue
		}
		d.threadMu.Lock()
		d.threadOf[th.ID] = it.Article.ID
		d.threadMu.Unlock()
		intro := notice("Questions here are answered from \u201c"+escape(it.Article.Title)+"\u201d only: mention me, or end your message with a question mark.", false)
		if _, err := d.b.postMessage(ctx, th.ID, intro, ""); err != nil {
			d.log.Warn("introducing a digest thread", "thread", th.ID, "err", err)
		}
	}
}

// threadName is a thread's name for an article: its title, within
// Discord's 100 characters.
func threadName(title string) string {
	return truncate(strings.Join(strings.Fields(title), " "), 100)
}

// threadArticle returns the article of a digest thread, and false for any
// other channel.
func (d *digester) threadArticle(channelID string) (corpus.ArticleID, bool) {
	d.threadMu.RLock()
	defer d.threadMu.RUnlock()
	a, ok := d.threadOf[channelID]
	return a, ok
}
