// Package pgstore keeps the bot's state ([state.Store]) in PostgreSQL,
// through jackc/pgx: one database shared by every shard and replica of a
// bot (STATE_URL). The schema is created and migrated at start by
// [Open], under an advisory lock. Claims on deliveries are rows claimed
// with INSERT ... ON CONFLICT DO NOTHING and UPDATE ... WHERE, so that two
// processes never both hold one.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/verbatim-bot/verbatim/state"
)

// Store is a [state.Store] in PostgreSQL. It is safe for concurrent use,
// by any number of processes.
type Store struct {
	pool *pgxpool.Pool
}

var _ state.Store = (*Store)(nil)

// Options configure Open.
type Options struct {
	// Logger reports a database that cannot be reached yet.
	Logger *slog.Logger
	// Down, when set, is told why the database cannot be reached while
	// Open keeps trying, and nil once it is.
	Down func(error)
	// Tracer, when set, sees every query (tests count round trips).
	Tracer pgx.QueryTracer
	// RetryMax bounds the wait between attempts to reach the database;
	// zero means 30 s.
	RetryMax time.Duration
	// Once makes Open try once: a database that cannot be reached is an
	// error at once (for commands; the bot waits).
	Once bool
}

// Open connects to the database at url (postgres://...) and migrates its
// schema. While the database cannot be reached it keeps trying, with
// backoff, until ctx is done; an answer that retrying cannot change
// (a refused password, a missing database, a schema newer than this
// build) is returned at once.
func Open(ctx context.Context, url string, o Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("STATE_URL: %w", err)
	}
	cfg.ConnConfig.Tracer = o.Tracer
	cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("state database: %w", err)
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 30 * time.Second
	}
	for wait := time.Second; ; wait = min(2*wait, o.RetryMax) {
		_, err = Migrate(ctx, pool, SchemaVersion())
		if err == nil || o.Once || !Transient(err) || ctx.Err() != nil {
			break
		}
		log.Warn("state database unreachable; trying again", "err", err, "in", wait)
		if o.Down != nil {
			o.Down(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	if o.Down != nil {
		o.Down(nil)
	}
	return &Store{pool: pool}, nil
}

// Transient reports whether an error is a database that could not be
// reached, or that went away mid-query: worth trying again.
func Transient(err error) bool {
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		// 08: connection exception; 57P01-3: shutting down, crash
		// recovery, cannot connect now; 53: out of resources.
		c := pe.Code
		return len(c) >= 2 && (c[:2] == "08" || c[:2] == "53" || c == "57P01" || c == "57P02" || c == "57P03")
	case errors.As(err, &ne), pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return true
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// Pool returns the store's connection pool (for tests and migrations).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Healthy returns nil when the database answers and takes writes (it is
// not a read-only standby), and otherwise why not.
func (s *Store) Healthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var standby bool
	if err := s.pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		return fmt.Errorf("state database unreachable: %w", err)
	}
	if standby {
		return errors.New("state database is a read-only standby")
	}
	return nil
}

// Close closes the pool's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Times: NULL for the zero time; a digest's bounds in Unix nanoseconds.

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func fromTS(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func fromNanos(n pgtype.Int8) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

const subColumns = `channel_id, guild_id, resolved, news, daily_time, zone, config, switched_off, created, fired,
	last_day, since_ns, last_post, last_message, broken, broken_at`

func scanSub(row pgx.Row) (state.Subscription, error) {
	var s state.Subscription
	var created, fired, lastPost, brokenAt pgtype.Timestamptz
	var since pgtype.Int8
	err := row.Scan(&s.ChannelID, &s.GuildID, &s.Resolved, &s.News, &s.Time, &s.Zone, &s.Config, &s.Off, &created, &fired,
		&s.LastDay, &since, &lastPost, &s.LastMessage, &s.Broken, &brokenAt)
	s.Created, s.Fired, s.Since, s.LastPost, s.BrokenAt = fromTS(created), fromTS(fired), fromNanos(since), fromTS(lastPost), fromTS(brokenAt)
	return s, err
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func putSub(ctx context.Context, db execer, s state.Subscription) error {
	_, err := db.Exec(ctx, `INSERT INTO subscriptions (`+subColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (channel_id) DO UPDATE SET guild_id = $2, resolved = $3, news = $4, daily_time = $5, zone = $6,
			config = $7, switched_off = $8, created = $9, fired = $10, last_day = $11, since_ns = $12, last_post = $13,
			last_message = $14, broken = $15, broken_at = $16`,
		s.ChannelID, s.GuildID, s.Resolved, s.News, s.Time, s.Zone, s.Config, s.Off, ts(s.Created), ts(s.Fired),
		s.LastDay, nanos(s.Since), ts(s.LastPost), s.LastMessage, s.Broken, ts(s.BrokenAt))
	return err
}

// Subscriptions returns every subscription, ordered by channel id.
func (s *Store) Subscriptions(ctx context.Context) ([]state.Subscription, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+subColumns+` FROM subscriptions ORDER BY channel_id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("read subscriptions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.Subscription, error) { return scanSub(r) })
	if err != nil {
		return nil, fmt.Errorf("read subscriptions: %w", err)
	}
	return out, nil
}

// Subscription returns the subscription of a channel, and false when
// there is none.
func (s *Store) Subscription(ctx context.Context, channelID string) (state.Subscription, bool, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE channel_id = $1`, channelID))
	if errors.Is(err, pgx.ErrNoRows) {
		return state.Subscription{}, false, nil
	}
	if err != nil {
		return state.Subscription{}, false, fmt.Errorf("read subscription %s: %w", channelID, err)
	}
	return sub, true, nil
}

// UpdateSubscription reads, changes and writes back a channel's
// subscription in one transaction, under an advisory lock on the channel
// (which serialises the creation of a missing row too).
func (s *Store) UpdateSubscription(ctx context.Context, channelID string, fn func(sub *state.Subscription, found bool) (bool, error)) (state.Subscription, error) {
	var sub state.Subscription
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue("SELECT pg_advisory_xact_lock($1, hashtext($2))", lockClass+lockSubscription, channelID)
		b.Queue(`SELECT `+subColumns+` FROM subscriptions WHERE channel_id = $1`, channelID)
		res := tx.SendBatch(ctx, b)
		if _, err := res.Exec(); err != nil {
			res.Close()
			return err
		}
		var err error
		sub, err = scanSub(res.QueryRow())
		found := err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			sub, err = state.Subscription{}, nil
		}
		if cerr := res.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		sub.ChannelID = channelID
		write, err := fn(&sub, found)
		if err != nil || !write {
			return err
		}
		return putSub(ctx, tx, sub)
	})
	if err != nil {
		return state.Subscription{}, fmt.Errorf("update subscription %s: %w", channelID, err)
	}
	return sub, nil
}

// DeleteSubscription removes a channel's subscription.
func (s *Store) DeleteSubscription(ctx context.Context, channelID string) error {
	if _, err := s.pool.Exec(ctx, "DELETE FROM subscriptions WHERE channel_id = $1", channelID); err != nil {
		return fmt.Errorf("delete subscription %s: %w", channelID, err)
	}
	return nil
}

const deliveryColumns = `channel_id, key, kind, nonce, since_ns, cutoff_ns, first_digest, started, claimed_by, claimed_at,
	done, outcome, message_id`

func scanDelivery(row pgx.Row) (state.Delivery, error) {
	var d state.Delivery
	var since, cutoff pgtype.Int8
	var started, claimed, done pgtype.Timestamptz
	err := row.Scan(&d.ChannelID, &d.Key, &d.Kind, &d.Nonce, &since, &cutoff, &d.First, &started, &d.ClaimedBy, &claimed,
		&done, &d.Outcome, &d.MessageID)
	d.Since, d.Cutoff, d.Started, d.ClaimedAt, d.Done = fromNanos(since), fromNanos(cutoff), fromTS(started), fromTS(claimed), fromTS(done)
	return d, err
}

func deliveryArgs(d state.Delivery) []any {
	return []any{d.ChannelID, d.Key, d.Kind, d.Nonce, nanos(d.Since), nanos(d.Cutoff), d.First, ts(d.Started), d.ClaimedBy,
		ts(d.ClaimedAt), ts(d.Done), d.Outcome, d.MessageID}
}

// ClaimDelivery claims a delivery (see [state.Store]): a new one by
// inserting its row, a pending one by updating the claim where it is the
// caller's or has lapsed. Each is one statement, atomic on its own.
func (s *Store) ClaimDelivery(ctx context.Context, d state.Delivery, lease time.Duration) (state.Delivery, bool, error) {
	d.Started, d.Done, d.Outcome, d.MessageID = d.ClaimedAt, time.Time{}, "", ""
	got, err := scanDelivery(s.pool.QueryRow(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (channel_id, key) DO NOTHING RETURNING `+deliveryColumns, deliveryArgs(d)...))
	if err == nil {
		return got, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return state.Delivery{}, false, fmt.Errorf("claim delivery %s %s: %w", d.ChannelID, d.Key, err)
	}
	got, err = scanDelivery(s.pool.QueryRow(ctx, `UPDATE deliveries SET claimed_by = $3, claimed_at = $4
		WHERE channel_id = $1 AND key = $2 AND done IS NULL
			AND (claimed_by = $3 OR claimed_by = '' OR claimed_at IS NULL OR claimed_at <= $5)
		RETURNING `+deliveryColumns, d.ChannelID, d.Key, d.ClaimedBy, d.ClaimedAt, d.ClaimedAt.Add(-lease)))
	if err == nil {
		return got, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return state.Delivery{}, false, fmt.Errorf("claim delivery %s %s: %w", d.ChannelID, d.Key, err)
	}
	got, found, err := s.Delivery(ctx, d.ChannelID, d.Key)
	if err == nil && !found {
		err = errors.New("delivery vanished while claimed")
	}
	return got, false, err
}

// FinishDelivery records a claimed delivery's outcome (see [state.Store]).
func (s *Store) FinishDelivery(ctx context.Context, channelID, key, claimedBy, outcome, messageID string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET done = $4, outcome = $5, message_id = $6
		WHERE channel_id = $1 AND key = $2 AND claimed_by = $3 AND done IS NULL`,
		channelID, key, claimedBy, at, outcome, messageID)
	if err == nil && tag.RowsAffected() == 0 {
		err = state.ErrNotClaimed
	}
	if err != nil {
		return fmt.Errorf("finish delivery %s %s: %w", channelID, key, err)
	}
	return nil
}

// Delivery returns a delivery, and false when there is none.
func (s *Store) Delivery(ctx context.Context, channelID, key string) (state.Delivery, bool, error) {
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE channel_id = $1 AND key = $2`, channelID, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return state.Delivery{}, false, nil
	}
	if err != nil {
		return state.Delivery{}, false, fmt.Errorf("read delivery %s %s: %w", channelID, key, err)
	}
	return d, true, nil
}

func putThread(ctx context.Context, db execer, t state.Thread) error {
	_, err := db.Exec(ctx, `INSERT INTO threads (thread_id, article_id, channel_id, created) VALUES ($1, $2, $3, $4)
		ON CONFLICT (thread_id) DO UPDATE SET article_id = $2, channel_id = $3, created = $4`,
		t.ThreadID, t.ArticleID, t.ChannelID, ts(t.Created))
	return err
}

// PutThread records a digest thread.
func (s *Store) PutThread(ctx context.Context, t state.Thread) error {
	if err := putThread(ctx, s.pool, t); err != nil {
		return fmt.Errorf("record thread %s: %w", t.ThreadID, err)
	}
	return nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func threads(ctx context.Context, db querier) ([]state.Thread, error) {
	rows, err := db.Query(ctx, `SELECT thread_id, article_id, channel_id, created FROM threads ORDER BY thread_id COLLATE "C"`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.Thread, error) {
		var t state.Thread
		var created pgtype.Timestamptz
		err := r.Scan(&t.ThreadID, &t.ArticleID, &t.ChannelID, &created)
		t.Created = fromTS(created)
		return t, err
	})
}

// Threads returns every digest thread, ordered by thread id.
func (s *Store) Threads(ctx context.Context) ([]state.Thread, error) {
	out, err := threads(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("read threads: %w", err)
	}
	return out, nil
}

func putFeed(ctx context.Context, db execer, f state.Feed) error {
	_, err := db.Exec(ctx, `INSERT INTO feeds (guild_id, url, channel_id, filter, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (guild_id, url) DO UPDATE SET channel_id = $3, filter = $4, added_by = $5, added_at = $6`,
		f.GuildID, f.URL, f.ChannelID, f.Filter, f.AddedBy, ts(f.AddedAt))
	return err
}

// PutFeed records a server's feed.
func (s *Store) PutFeed(ctx context.Context, f state.Feed) error {
	if err := putFeed(ctx, s.pool, f); err != nil {
		return fmt.Errorf("record feed %s: %w", f.URL, err)
	}
	return nil
}

// DeleteFeed removes a server's feed and reports whether it was there.
func (s *Store) DeleteFeed(ctx context.Context, guildID, url string) (bool, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM feeds WHERE guild_id = $1 AND url = $2", guildID, url)
	if err != nil {
		return false, fmt.Errorf("delete feed %s: %w", url, err)
	}
	return tag.RowsAffected() > 0, nil
}

func feeds(ctx context.Context, db querier) ([]state.Feed, error) {
	rows, err := db.Query(ctx, `SELECT guild_id, url, channel_id, filter, added_by, added_at FROM feeds
		ORDER BY guild_id COLLATE "C", url COLLATE "C"`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.Feed, error) {
		var f state.Feed
		var added pgtype.Timestamptz
		err := r.Scan(&f.GuildID, &f.URL, &f.ChannelID, &f.Filter, &f.AddedBy, &added)
		f.AddedAt = fromTS(added)
		return f, err
	})
}

// Feeds returns every feed, ordered by guild id, then URL.
func (s *Store) Feeds(ctx context.Context) ([]state.Feed, error) {
	out, err := feeds(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("read feeds: %w", err)
	}
	return out, nil
}

const pollColumns = "url, etag, last_modified, last_success, last_error, last_error_at, failures, next_poll"

func scanPoll(row pgx.Row) (state.FeedPoll, error) {
	var p state.FeedPoll
	var success, errorAt, next pgtype.Timestamptz
	err := row.Scan(&p.URL, &p.ETag, &p.LastModified, &success, &p.LastError, &errorAt, &p.Failures, &next)
	p.LastSuccess, p.LastErrorAt, p.NextPoll = fromTS(success), fromTS(errorAt), fromTS(next)
	return p, err
}

func putPoll(ctx context.Context, db execer, p state.FeedPoll) error {
	_, err := db.Exec(ctx, `INSERT INTO feed_polls (`+pollColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3, last_success = $4, last_error = $5,
			last_error_at = $6, failures = $7, next_poll = $8`,
		p.URL, p.ETag, p.LastModified, ts(p.LastSuccess), p.LastError, ts(p.LastErrorAt), p.Failures, ts(p.NextPoll))
	return err
}

// FeedPoll returns a feed URL's polling state, and false when it has none.
func (s *Store) FeedPoll(ctx context.Context, url string) (state.FeedPoll, bool, error) {
	p, err := scanPoll(s.pool.QueryRow(ctx, `SELECT `+pollColumns+` FROM feed_polls WHERE url = $1`, url))
	if errors.Is(err, pgx.ErrNoRows) {
		return state.FeedPoll{}, false, nil
	}
	if err != nil {
		return state.FeedPoll{}, false, fmt.Errorf("read feed poll %s: %w", url, err)
	}
	return p, true, nil
}

// PutFeedPoll records a feed URL's polling state.
func (s *Store) PutFeedPoll(ctx context.Context, p state.FeedPoll) error {
	if err := putPoll(ctx, s.pool, p); err != nil {
		return fmt.Errorf("record feed poll %s: %w", p.URL, err)
	}
	return nil
}

// Export returns every record, as of one moment (a repeatable-read
// transaction).
func (s *Store) Export(ctx context.Context) (state.Snapshot, error) {
	snap := state.Snapshot{Version: state.SnapshotVersion}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+subColumns+` FROM subscriptions ORDER BY channel_id COLLATE "C"`)
		if err != nil {
			return err
		}
		if snap.Subscriptions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.Subscription, error) { return scanSub(r) }); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries ORDER BY channel_id COLLATE "C", key COLLATE "C"`)
		if err != nil {
			return err
		}
		if snap.Deliveries, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.Delivery, error) { return scanDelivery(r) }); err != nil {
			return err
		}
		if snap.Threads, err = threads(ctx, tx); err != nil {
			return err
		}
		if snap.Feeds, err = feeds(ctx, tx); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT `+pollColumns+` FROM feed_polls ORDER BY url COLLATE "C"`)
		if err != nil {
			return err
		}
		snap.FeedPolls, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (state.FeedPoll, error) { return scanPoll(r) })
		return err
	})
	if err != nil {
		return state.Snapshot{}, fmt.Errorf("export bot state: %w", err)
	}
	return snap, nil
}

// Import writes every record of a snapshot in one transaction.
func (s *Store) Import(ctx context.Context, snap state.Snapshot) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, v := range snap.Subscriptions {
			if err := putSub(ctx, tx, v); err != nil {
				return err
			}
		}
		for _, d := range snap.Deliveries {
			_, err := tx.Exec(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
				ON CONFLICT (channel_id, key) DO UPDATE SET kind = $3, nonce = $4, since_ns = $5, cutoff_ns = $6,
					first_digest = $7, started = $8, claimed_by = $9, claimed_at = $10, done = $11, outcome = $12, message_id = $13`,
				deliveryArgs(d)...)
			if err != nil {
				return err
			}
		}
		for _, v := range snap.Threads {
			if err := putThread(ctx, tx, v); err != nil {
				return err
			}
		}
		for _, v := range snap.Feeds {
			if err := putFeed(ctx, tx, v); err != nil {
				return err
			}
		}
		for _, v := range snap.FeedPolls {
			if err := putPoll(ctx, tx, v); err != nil {
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
