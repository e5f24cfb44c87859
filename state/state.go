// Package state holds what the bot remembers between runs: digest
// subscriptions, deliveries (digests and announcements posted once),
// digest threads, feeds and their polling state. [Store] is the one
// interface to it; package boltstore keeps it in a bbolt file in the data
// folder (the default), package pgstore in PostgreSQL (STATE_URL), shared
// by every shard and replica. Package statetest is the contract suite both
// pass.
package state

import (
	"context"
	"errors"
	"time"
)

// Subscription is one channel's digest subscription and what was last
// done for it. Its JSON form is that of the bbolt file (and of
// `verbatim state export`).
type Subscription struct {
	ChannelID string `json:"channel_id"`
	GuildID   string `json:"guild_id,omitempty"`
	// Resolved is set once the channel has been looked up (its guild and
	// type are known, and the bot could see it then).
	Resolved bool `json:"resolved,omitempty"`
	// News marks an announcement channel (its threads are of another type).
	News bool `json:"news,omitempty"`
	// Time is the channel's own daily time, "HH:MM"; "" follows the
	// bot's schedule (DIGEST_CRON).
	Time string `json:"time,omitempty"`
	// Zone is the channel's own IANA time zone; "" means the bot's
	// (DIGEST_TIMEZONE).
	Zone string `json:"zone,omitempty"`
	// Config marks the channel of DIGEST_CHANNEL_ID; Off, such a channel
	// unsubscribed by command (kept so that a restart does not subscribe
	// it again).
	Config bool `json:"config,omitempty"`
	Off    bool `json:"off,omitempty"`

	Created time.Time `json:"created"`
	// Fired is when the schedule was last handled: every firing up to it
	// has been dealt with.
	Fired time.Time `json:"fired"`
	// LastDay is the local date (YYYY-MM-DD in the channel's zone) of the
	// last digest: posted, or passed over because nothing was new.
	LastDay string `json:"last_day,omitempty"`
	// Since: articles first indexed after it go in the next digest. Zero
	// until the first digest is posted. Stores keep it to the nanosecond.
	Since time.Time `json:"since"`
	// LastPost and LastMessage are when the last digest was posted, and
	// its message id.
	LastPost    time.Time `json:"last_post"`
	LastMessage string    `json:"last_message,omitempty"`

	// Broken is why posting failed for good (Discord answered 403 or
	// 404); "" when the channel works. A broken subscription is skipped
	// until renewed by /digest subscribe.
	Broken   string    `json:"broken,omitempty"`
	BrokenAt time.Time `json:"broken_at"`
}

// Active reports whether the subscription should get digests.
func (s *Subscription) Active() bool { return !s.Off && s.Broken == "" }

// Kinds of delivery.
const (
	KindDigest       = "digest"
	KindAnnouncement = "announcement"
)

// Outcomes of a finished delivery.
const (
	OutcomePosted  = "posted"   // Discord took the message
	OutcomeGivenUp = "given_up" // interrupted too long ago to resend safely
	OutcomeNothing = "nothing"  // nothing left to post when it was resumed
	OutcomeLost    = "lost"     // Discord refused the channel (403, 404)
)

// Delivery is one message that must be posted at most once: a channel's
// digest for a local day, or a feed article's announcement in a channel.
// It is claimed before it is sent, with the nonce Discord is given, so
// that a process killed between sending and recording is finished by
// another (or the next) with the same nonce, never sent anew.
type Delivery struct {
	// ChannelID and Key identify it: Key is the local date (YYYY-MM-DD)
	// for a digest, the article id for an announcement.
	ChannelID string `json:"channel_id"`
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	Nonce     string `json:"nonce"`
	// Since and Cutoff bound a digest's articles: first indexed after
	// Since and no later than Cutoff; with First, the newest article when
	// none is that new. Stores keep them to the nanosecond.
	Since  time.Time `json:"since"`
	Cutoff time.Time `json:"cutoff"`
	First  bool      `json:"first,omitempty"`
	// Started is the first claim: a resend after Discord stops enforcing
	// the nonce could post twice.
	Started time.Time `json:"started"`
	// ClaimedBy and ClaimedAt say which process holds it and since when.
	ClaimedBy string    `json:"claimed_by,omitempty"`
	ClaimedAt time.Time `json:"claimed_at"`
	// Done is when it was finished, the zero time while pending; Outcome
	// and MessageID say how.
	Done      time.Time `json:"done"`
	Outcome   string    `json:"outcome,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
}

// Pending reports whether the delivery is claimed and not finished.
func (d *Delivery) Pending() bool { return d.Done.IsZero() }

// Thread is a thread a digest opened for one article.
type Thread struct {
	ThreadID  string    `json:"thread_id"`
	ArticleID string    `json:"article"`
	ChannelID string    `json:"channel"`
	Created   time.Time `json:"created"`
}

// Feed is a feed a server follows.
type Feed struct {
	GuildID string `json:"guild_id"`
	URL     string `json:"url"`
	// ChannelID is where its new articles are announced; "" for none.
	ChannelID string    `json:"channel_id,omitempty"`
	Filter    string    `json:"filter,omitempty"`
	AddedBy   string    `json:"added_by,omitempty"`
	AddedAt   time.Time `json:"added_at"`
}

// FeedPoll is what polling a feed URL left behind, for the next poll.
type FeedPoll struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastSuccess  time.Time `json:"last_success"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at"`
	Failures     int       `json:"failures,omitempty"`
	NextPoll     time.Time `json:"next_poll"`
}

// Snapshot is every record of a store, as `verbatim state export` prints
// it and `state import` reads it. Each list is in the order the store
// lists it.
type Snapshot struct {
	Version       int            `json:"version"`
	Subscriptions []Subscription `json:"subscriptions"`
	Deliveries    []Delivery     `json:"deliveries"`
	Threads       []Thread       `json:"threads"`
	Feeds         []Feed         `json:"feeds"`
	FeedPolls     []FeedPoll     `json:"feed_polls"`
}

// SnapshotVersion is the format version of a Snapshot.
const SnapshotVersion = 1

// ErrNotClaimed is returned by FinishDelivery when the caller does not
// hold the delivery's claim (it lapsed and another process took it, or it
// is already finished).
var ErrNotClaimed = errors.New("delivery not claimed by this process")

// Store is everything the bot remembers. Implementations are safe for
// concurrent use; with PostgreSQL, by several processes at once. Every
// method that changes a record does so atomically. Times are kept to the
// microsecond at least, a digest's bounds (Subscription.Since,
// Delivery.Since and Delivery.Cutoff) to the nanosecond: an article first
// indexed at Since must not count as new again.
type Store interface {
	// Subscriptions returns every subscription, ordered by channel id.
	Subscriptions(ctx context.Context) ([]Subscription, error)
	// Subscription returns a channel's subscription, and false when there
	// is none.
	Subscription(ctx context.Context, channelID string) (Subscription, bool, error)
	// UpdateSubscription reads, changes and writes back a channel's
	// subscription in one transaction, serialised with every other update
	// of that channel. fn gets the stored subscription (the zero value
	// with ChannelID set, and found false, when there is none); it returns
	// false to leave the store unchanged. fn may run more than once.
	UpdateSubscription(ctx context.Context, channelID string, fn func(sub *Subscription, found bool) (bool, error)) (Subscription, error)
	// DeleteSubscription removes a channel's subscription; none is no
	// error.
	DeleteSubscription(ctx context.Context, channelID string) error

	// ClaimDelivery claims the delivery identified by d.ChannelID and
	// d.Key for d.ClaimedBy at d.ClaimedAt. With none recorded, d is
	// recorded (Started set to d.ClaimedAt) and returned with true. A
	// pending one is claimed, and returned as stored (its own nonce and
	// bounds) with true, when d.ClaimedBy already holds it or its claim
	// is older than lease; otherwise, and for a finished one, the stored
	// delivery comes back with false. Two callers never both get true for
	// one claim.
	ClaimDelivery(ctx context.Context, d Delivery, lease time.Duration) (Delivery, bool, error)
	// FinishDelivery records the outcome of a delivery claimed by
	// claimedBy. It returns ErrNotClaimed when claimedBy does not hold it.
	FinishDelivery(ctx context.Context, channelID, key, claimedBy, outcome, messageID string, at time.Time) error
	// Delivery returns a delivery, and false when there is none.
	Delivery(ctx context.Context, channelID, key string) (Delivery, bool, error)

	// PutThread records a digest thread, replacing one of the same id.
	PutThread(ctx context.Context, t Thread) error
	// Threads returns every digest thread, ordered by thread id.
	Threads(ctx context.Context) ([]Thread, error)

	// PutFeed records a server's feed, replacing the one of the same
	// guild and URL.
	PutFeed(ctx context.Context, f Feed) error
	// DeleteFeed removes a server's feed and reports whether it was there.
	DeleteFeed(ctx context.Context, guildID, url string) (bool, error)
	// Feeds returns every feed, ordered by guild id, then URL.
	Feeds(ctx context.Context) ([]Feed, error)
	// FeedPoll returns a feed URL's polling state, and false when it has
	// none.
	FeedPoll(ctx context.Context, url string) (FeedPoll, bool, error)
	// PutFeedPoll records a feed URL's polling state, replacing the last.
	PutFeedPoll(ctx context.Context, p FeedPoll) error

	// Export returns every record.
	Export(ctx context.Context) (Snapshot, error)
	// Import writes every record of s, replacing those with the same
	// keys, in one transaction: importing a snapshot twice changes
	// nothing more.
	Import(ctx context.Context, s Snapshot) error

	// Healthy returns nil when the store takes writes, and otherwise why
	// not.
	Healthy(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Claimable reports whether a stored pending delivery may be claimed by
// claimant at now, under lease: it is the claimant's already, or its
// claim is older than lease. Stores use it so that they agree.
func Claimable(stored Delivery, claimant string, now time.Time, lease time.Duration) bool {
	return stored.Pending() && (stored.ClaimedBy == claimant || stored.ClaimedBy == "" || !stored.ClaimedAt.After(now.Add(-lease)))
}
