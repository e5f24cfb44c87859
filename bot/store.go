package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/boltfile"
)

// StoreFile is the name of the bot's state file in the data folder.
const StoreFile = "bot.db"

// ErrStoreLocked reports a state file held by another process. Each bot
// process needs a data folder of its own.
var ErrStoreLocked = errors.New("bot state is locked by another verbatim process")

// Buckets of the state file.
var (
	bucketSubs    = []byte("subscriptions") // channel id -> subscription (JSON)
	bucketThreads = []byte("threads")       // thread id -> digestThread (JSON)
)

// Store is the bot's persistent state: digest subscriptions, what each
// channel was last sent, and the threads digests opened. It lives in one
// bbolt file (transactional, crash-safe) in the data folder. It is safe
// for concurrent use.
type Store struct {
	db *bolt.DB
}

// ErrStoreDamaged reports a state file that is not a sound bbolt file: a
// disk fault, a crash of the machine mid-write, or a file that was never
// one. OpenOrSetAsideStore moves such a file aside and starts afresh.
var ErrStoreDamaged = errors.New("bot state file is damaged")

// OpenStore opens (creating if missing) the state file at path, readable
// by its owner only, and checks it through. It waits at most timeout for
// another process's lock, then returns ErrStoreLocked; a file that fails
// the check, or that bbolt cannot open (it panics on some damage), gives
// an error wrapping ErrStoreDamaged. When bbolt panics while opening, it
// leaves the damaged file open, and locked, until the process ends.
func OpenStore(path string, timeout time.Duration) (s *Store, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrStoreDamaged, p)
		}
	}()
	if err := boltfile.Check(path); err != nil {
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrStoreDamaged, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open bot state %s: %w", path, ErrStoreLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrStoreDamaged, err)
	case err != nil:
		return nil, fmt.Errorf("open bot state %s: %w", path, err)
	}
	// The mode applies only when the file is created: tighten an older one.
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("open bot state %s: %w", path, err)
	}
	// bbolt trusts its pages and panics on a damaged one when it is read;
	// a check at start finds the damage (and reports bbolt's panics as
	// errors) before the bot relies on the file.
	err = db.View(func(tx *bolt.Tx) error {
		for problem := range tx.Check() {
			return problem
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrStoreDamaged, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSubs, bucketThreads} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open bot state %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// OpenOrSetAsideStore opens the state file at path as OpenStore does; a
// damaged one is renamed PATH.damaged-TIME (kept for the operator to look
// at, never deleted) and a fresh file opened in its place. aside is the
// damaged file's new path, "" when there was none. The digest
// subscriptions it held are lost; DIGEST_CHANNEL_ID is subscribed again
// at start.
func OpenOrSetAsideStore(path string, timeout time.Duration, now time.Time) (s *Store, aside string, err error) {
	s, err = OpenStore(path, timeout)
	if !errors.Is(err, ErrStoreDamaged) {
		return s, "", err
	}
	aside = path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, "", fmt.Errorf("%w; and it cannot be moved aside: %v", err, rerr)
	}
	s, err = OpenStore(path, timeout)
	if err != nil {
		return nil, aside, err
	}
	return s, aside, nil
}

// Healthy reports whether the state file takes a write: it commits an
// empty transaction, which bbolt writes and syncs. It catches a full disk,
// a read-only mount and lost permissions.
func (s *Store) Healthy(context.Context) error {
	if err := s.db.Update(func(*bolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("bot state not writable: %w", err)
	}
	return nil
}

// Close releases the file and its lock.
func (s *Store) Close() error {
	return s.db.Close()
}

// subscription is one channel's digest subscription and what was last
// done for it.
type subscription struct {
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
	// until the first digest is posted.
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

	// Pending is a digest being sent: recorded before the request, so
	// that a crash between sending and recording is finished with the
	// same nonce rather than sent twice.
	Pending *pendingDigest `json:"pending,omitempty"`
}

// pendingDigest is a digest whose sending started: the articles first
// indexed after Since and no later than Cutoff (the newest of them), or
// with First, the newest article when none is that new.
type pendingDigest struct {
	Day     string    `json:"day"`
	Nonce   string    `json:"nonce"`
	Since   time.Time `json:"since"`
	Cutoff  time.Time `json:"cutoff"`
	First   bool      `json:"first,omitempty"`
	Started time.Time `json:"started"`
}

// active reports whether the subscription should get digests.
func (s *subscription) active() bool { return !s.Off && s.Broken == "" }

// subscriptions returns every subscription, ordered by channel id.
func (s *Store) subscriptions() ([]subscription, error) {
	var out []subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(k, v []byte) error {
			var sub subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return fmt.Errorf("subscription %s: %w", k, err)
			}
			out = append(out, sub)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read subscriptions: %w", err)
	}
	return out, nil
}

// subscription returns the subscription of a channel, and false when
// there is none.
func (s *Store) subscription(channelID string) (subscription, bool, error) {
	var sub subscription
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSubs).Get([]byte(channelID))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &sub)
	})
	if err != nil {
		return subscription{}, false, fmt.Errorf("read subscription %s: %w", channelID, err)
	}
	return sub, found, nil
}

// updateSubscription reads, changes and writes back a channel's
// subscription in one transaction. fn gets the stored subscription (the
// zero value with ChannelID set, and found false, when there is none); it
// returns false to leave the store unchanged.
func (s *Store) updateSubscription(channelID string, fn func(sub *subscription, found bool) (bool, error)) (subscription, error) {
	var sub subscription
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		sub = subscription{}
		v := b.Get([]byte(channelID))
		if v != nil {
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
		}
		sub.ChannelID = channelID
		write, err := fn(&sub, v != nil)
		if err != nil || !write {
			return err
		}
		raw, err := json.Marshal(sub)
		if err != nil {
			return err
		}
		return b.Put([]byte(channelID), raw)
	})
	if err != nil {
		return subscription{}, fmt.Errorf("update subscription %s: %w", channelID, err)
	}
	return sub, nil
}

// deleteSubscription removes a channel's subscription.
func (s *Store) deleteSubscription(channelID string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).Delete([]byte(channelID))
	})
	if err != nil {
		return fmt.Errorf("delete subscription %s: %w", channelID, err)
	}
	return nil
}

// digestThread is a thread a digest opened for one article.
type digestThread struct {
	Article corpus.ArticleID `json:"article"`
	Channel string           `json:"channel"`
	Created time.Time        `json:"created"`
}

// putThread records a digest thread.
func (s *Store) putThread(threadID string, t digestThread) error {
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketThreads).Put([]byte(threadID), raw)
	})
	if err != nil {
		return fmt.Errorf("record thread %s: %w", threadID, err)
	}
	return nil
}

// threads returns every digest thread by thread id.
func (s *Store) threads() (map[string]digestThread, error) {
	out := map[string]digestThread{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketThreads).ForEach(func(k, v []byte) error {
			var t digestThread
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("thread %s: %w", k, err)
			}
			out[string(k)] = t
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read threads: %w", err)
	}
	return out, nil
}
