// Package boltstore keeps the bot's state ([state.Store]) in one bbolt
// file in the data folder: transactional, crash-safe, and locked by the
// process that opens it. It is the default store; files written by
// earlier versions of verbatim are read as they are.
package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/verbatim-bot/verbatim/internal/boltfile"
	"github.com/verbatim-bot/verbatim/state"
)

// File is the name of the bot's state file in the data folder.
const File = "bot.db"

// ErrLocked reports a state file held by another process. Each bot
// process needs a data folder of its own (or STATE_URL).
var ErrLocked = errors.New("bot state is locked by another verbatim process")

// ErrDamaged reports a state file that is not a sound bbolt file: a disk
// fault, a crash of the machine mid-write, or a file that was never one.
// OpenOrSetAside moves such a file aside and starts afresh.
var ErrDamaged = errors.New("bot state file is damaged")

// Buckets of the state file.
var (
	bucketSubs       = []byte("subscriptions") // channel id -> state.Subscription (JSON)
	bucketThreads    = []byte("threads")       // thread id -> state.Thread (JSON)
	bucketDeliveries = []byte("deliveries")    // channel id NUL key -> state.Delivery (JSON)
	bucketFeeds      = []byte("feeds")         // guild id NUL url -> state.Feed (JSON)
	bucketFeedPolls  = []byte("feed_polls")    // url -> state.FeedPoll (JSON)
	buckets          = [][]byte{bucketSubs, bucketThreads, bucketDeliveries, bucketFeeds, bucketFeedPolls}
)

// Store is a [state.Store] in a bbolt file. It is safe for concurrent
// use.
type Store struct {
	db *bolt.DB
}

var _ state.Store = (*Store)(nil)

// Open opens (creating if missing) the state file at path, readable by
// its owner only, and checks it through. It waits at most timeout for
// another process's lock, then returns an error wrapping ErrLocked; a file
// that fails the check, or that bbolt cannot open (it panics on some
// damage), gives an error wrapping ErrDamaged. When bbolt panics while
// opening, it leaves the damaged file open, and locked, until the process
// ends.
//
// The file lock proves that no other process uses the file: every claim
// on a pending delivery is released, so that this process finishes what
// a killed one began. A digest pending in a file of an earlier version
// becomes a pending delivery.
func Open(path string, timeout time.Duration) (s *Store, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrDamaged, p)
		}
	}()
	if err := boltfile.Check(path); err != nil {
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrDamaged, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open bot state %s: %w", path, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrDamaged, err)
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
		return nil, fmt.Errorf("open bot state %s: %w: %v", path, ErrDamaged, err)
	}
	if err := db.Update(upgrade); err != nil {
		db.Close()
		return nil, fmt.Errorf("open bot state %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// legacyPending is a digest being sent, as files of earlier versions kept
// it inside the subscription.
type legacyPending struct {
	Day     string    `json:"day"`
	Nonce   string    `json:"nonce"`
	Since   time.Time `json:"since"`
	Cutoff  time.Time `json:"cutoff"`
	First   bool      `json:"first,omitempty"`
	Started time.Time `json:"started"`
}

// upgrade creates the buckets, turns digests pending in subscriptions
// (earlier versions) into pending deliveries, and releases every claim.
func upgrade(tx *bolt.Tx) error {
	for _, b := range buckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	subs, dels := tx.Bucket(bucketSubs), tx.Bucket(bucketDeliveries)
	type legacy struct {
		Pending *legacyPending `json:"pending"`
	}
	var rewrite []state.Subscription
	err := subs.ForEach(func(k, v []byte) error {
		var old legacy
		if !bytes.Contains(v, []byte(`"pending"`)) {
			return nil
		}
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("subscription %s: %w", k, err)
		}
		var sub state.Subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return fmt.Errorf("subscription %s: %w", k, err)
		}
		if p := old.Pending; p != nil && dels.Get(deliveryKey(sub.ChannelID, p.Day)) == nil {
			d := state.Delivery{ChannelID: sub.ChannelID, Key: p.Day, Kind: state.KindDigest, Nonce: p.Nonce,
				Since: p.Since, Cutoff: p.Cutoff, First: p.First, Started: p.Started, ClaimedAt: p.Started}
			if err := put(dels, deliveryKey(d.ChannelID, d.Key), d); err != nil {
				return err
			}
		}
		rewrite = append(rewrite, sub)
		return nil
	})
	if err != nil {
		return err
	}
	for _, sub := range rewrite {
		if err := put(subs, []byte(sub.ChannelID), sub); err != nil {
			return err
		}
	}
	var released []state.Delivery
	err = dels.ForEach(func(k, v []byte) error {
		var d state.Delivery
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("delivery %q: %w", k, err)
		}
		if d.Pending() && d.ClaimedBy != "" {
			d.ClaimedBy = ""
			released = append(released, d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range released {
		if err := put(dels, deliveryKey(d.ChannelID, d.Key), d); err != nil {
			return err
		}
	}
	return nil
}

// OpenOrSetAside opens the state file at path as Open does; a damaged one
// is renamed PATH.damaged-TIME (kept for the operator to look at, never
// deleted) and a fresh file opened in its place. aside is the damaged
// file's new path, "" when there was none. The digest subscriptions it
// held are lost; DIGEST_CHANNEL_ID is subscribed again at start.
func OpenOrSetAside(path string, timeout time.Duration, now time.Time) (s *Store, aside string, err error) {
	s, err = Open(path, timeout)
	if !errors.Is(err, ErrDamaged) {
		return s, "", err
	}
	aside = path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, "", fmt.Errorf("%w; and it cannot be moved aside: %v", err, rerr)
	}
	s, err = Open(path, timeout)
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

func put(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// get reads the JSON value of key into v and reports whether it was there.
func get(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

// list reads every value of a bucket, in key order.
func list[T any](tx *bolt.Tx, bucket []byte, fix func(k []byte, v *T)) ([]T, error) {
	out := []T{}
	err := tx.Bucket(bucket).ForEach(func(k, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("%s %q: %w", bucket, k, err)
		}
		if fix != nil {
			fix(k, &v)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

func listOf[T any](db *bolt.DB, bucket []byte, fix func(k []byte, v *T)) ([]T, error) {
	var out []T
	err := db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = list(tx, bucket, fix)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", bucket, err)
	}
	return out, nil
}

func deliveryKey(channelID, key string) []byte { return []byte(channelID + "\x00" + key) }
func feedKey(guildID, url string) []byte       { return []byte(guildID + "\x00" + url) }

// threadID fills in the id of a thread recorded by an earlier version
// (the key alone held it).
func threadID(k []byte, t *state.Thread) { t.ThreadID = string(k) }

// Subscriptions returns every subscription, ordered by channel id.
func (s *Store) Subscriptions(context.Context) ([]state.Subscription, error) {
	return listOf[state.Subscription](s.db, bucketSubs, nil)
}

// Subscription returns the subscription of a channel, and false when
// there is none.
func (s *Store) Subscription(_ context.Context, channelID string) (state.Subscription, bool, error) {
	var sub state.Subscription
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = get(tx.Bucket(bucketSubs), []byte(channelID), &sub)
		return err
	})
	if err != nil {
		return state.Subscription{}, false, fmt.Errorf("read subscription %s: %w", channelID, err)
	}
	return sub, found, nil
}

// UpdateSubscription reads, changes and writes back a channel's
// subscription in one transaction (see [state.Store]).
func (s *Store) UpdateSubscription(_ context.Context, channelID string, fn func(sub *state.Subscription, found bool) (bool, error)) (state.Subscription, error) {
	var sub state.Subscription
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		sub = state.Subscription{}
		found, err := get(b, []byte(channelID), &sub)
		if err != nil {
			return err
		}
		sub.ChannelID = channelID
		write, err := fn(&sub, found)
		if err != nil || !write {
			return err
		}
		return put(b, []byte(channelID), sub)
	})
	if err != nil {
		return state.Subscription{}, fmt.Errorf("update subscription %s: %w", channelID, err)
	}
	return sub, nil
}

// DeleteSubscription removes a channel's subscription.
func (s *Store) DeleteSubscription(_ context.Context, channelID string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).Delete([]byte(channelID))
	})
	if err != nil {
		return fmt.Errorf("delete subscription %s: %w", channelID, err)
	}
	return nil
}

// ClaimDelivery claims a delivery (see [state.Store]).
func (s *Store) ClaimDelivery(_ context.Context, d state.Delivery, lease time.Duration) (state.Delivery, bool, error) {
	var out state.Delivery
	var claimed bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		k := deliveryKey(d.ChannelID, d.Key)
		var stored state.Delivery
		found, err := get(b, k, &stored)
		switch {
		case err != nil:
			return err
		case !found:
			d.Started, d.Done, d.Outcome, d.MessageID = d.ClaimedAt, time.Time{}, "", ""
			out, claimed = d, true
			return put(b, k, d)
		case state.Claimable(stored, d.ClaimedBy, d.ClaimedAt, lease):
			stored.ClaimedBy, stored.ClaimedAt = d.ClaimedBy, d.ClaimedAt
			out, claimed = stored, true
			return put(b, k, stored)
		}
		out = stored
		return nil
	})
	if err != nil {
		return state.Delivery{}, false, fmt.Errorf("claim delivery %s %s: %w", d.ChannelID, d.Key, err)
	}
	return out, claimed, nil
}

// FinishDelivery records a claimed delivery's outcome (see [state.Store]).
func (s *Store) FinishDelivery(_ context.Context, channelID, key, claimedBy, outcome, messageID string, at time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		k := deliveryKey(channelID, key)
		var d state.Delivery
		found, err := get(b, k, &d)
		if err != nil {
			return err
		}
		if !found || !d.Pending() || d.ClaimedBy != claimedBy {
			return state.ErrNotClaimed
		}
		d.Done, d.Outcome, d.MessageID = at, outcome, messageID
		return put(b, k, d)
	})
	if err != nil {
		return fmt.Errorf("finish delivery %s %s: %w", channelID, key, err)
	}
	return nil
}

// Delivery returns a delivery, and false when there is none.
func (s *Store) Delivery(_ context.Context, channelID, key string) (state.Delivery, bool, error) {
	var d state.Delivery
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = get(tx.Bucket(bucketDeliveries), deliveryKey(channelID, key), &d)
		return err
	})
	if err != nil {
		return state.Delivery{}, false, fmt.Errorf("read delivery %s %s: %w", channelID, key, err)
	}
	return d, found, nil
}

// PutThread records a digest thread.
func (s *Store) PutThread(_ context.Context, t state.Thread) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return put(tx.Bucket(bucketThreads), []byte(t.ThreadID), t)
	})
	if err != nil {
		return fmt.Errorf("record thread %s: %w", t.ThreadID, err)
	}
	return nil
}

// Threads returns every digest thread, ordered by thread id.
func (s *Store) Threads(context.Context) ([]state.Thread, error) {
	return listOf(s.db, bucketThreads, threadID)
}

// PutFeed records a server's feed.
func (s *Store) PutFeed(_ context.Context, f state.Feed) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return put(tx.Bucket(bucketFeeds), feedKey(f.GuildID, f.URL), f)
	})
	if err != nil {
		return fmt.Errorf("record feed %s: %w", f.URL, err)
	}
	return nil
}

// DeleteFeed removes a server's feed and reports whether it was there.
func (s *Store) DeleteFeed(_ context.Context, guildID, url string) (bool, error) {
	var found bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeeds)
		k := feedKey(guildID, url)
		found = b.Get(k) != nil
		return b.Delete(k)
	})
	if err != nil {
		return false, fmt.Errorf("delete feed %s: %w", url, err)
	}
	return found, nil
}

// Feeds returns every feed, ordered by guild id, then URL.
func (s *Store) Feeds(context.Context) ([]state.Feed, error) {
	return listOf[state.Feed](s.db, bucketFeeds, nil)
}

// FeedPoll returns a feed URL's polling state, and false when it has none.
func (s *Store) FeedPoll(_ context.Context, url string) (state.FeedPoll, bool, error) {
	var p state.FeedPoll
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = get(tx.Bucket(bucketFeedPolls), []byte(url), &p)
		return err
	})
	if err != nil {
		return state.FeedPoll{}, false, fmt.Errorf("read feed poll %s: %w", url, err)
	}
	return p, found, nil
}

// PutFeedPoll records a feed URL's polling state.
func (s *Store) PutFeedPoll(_ context.Context, p state.FeedPoll) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return put(tx.Bucket(bucketFeedPolls), []byte(p.URL), p)
	})
	if err != nil {
		return fmt.Errorf("record feed poll %s: %w", p.URL, err)
	}
	return nil
}

// Export returns every record.
func (s *Store) Export(context.Context) (state.Snapshot, error) {
	snap := state.Snapshot{Version: state.SnapshotVersion}
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		if snap.Subscriptions, err = list[state.Subscription](tx, bucketSubs, nil); err != nil {
			return err
		}
		if snap.Deliveries, err = list[state.Delivery](tx, bucketDeliveries, nil); err != nil {
			return err
		}
		if snap.Threads, err = list(tx, bucketThreads, threadID); err != nil {
			return err
		}
		if snap.Feeds, err = list[state.Feed](tx, bucketFeeds, nil); err != nil {
			return err
		}
		snap.FeedPolls, err = list[state.FeedPoll](tx, bucketFeedPolls, nil)
		return err
	})
	if err != nil {
		return state.Snapshot{}, fmt.Errorf("export bot state: %w", err)
	}
	return snap, nil
}

// Import writes every record of a snapshot in one transaction.
func (s *Store) Import(_ context.Context, snap state.Snapshot) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, v := range snap.Subscriptions {
			if err := put(tx.Bucket(bucketSubs), []byte(v.ChannelID), v); err != nil {
				return err
			}
		}
		for _, v := range snap.Deliveries {
			if err := put(tx.Bucket(bucketDeliveries), deliveryKey(v.ChannelID, v.Key), v); err != nil {
				return err
			}
		}
		for _, v := range snap.Threads {
			if err := put(tx.Bucket(bucketThreads), []byte(v.ThreadID), v); err != nil {
				return err
			}
		}
		for _, v := range snap.Feeds {
			if err := put(tx.Bucket(bucketFeeds), feedKey(v.GuildID, v.URL), v); err != nil {
				return err
			}
		}
		for _, v := range snap.FeedPolls {
			if err := put(tx.Bucket(bucketFeedPolls), []byte(v.URL), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import bot state: %w", err)
	}
	return nil
}
