package pgstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/state"
)

func TestMigrations(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if SchemaVersion() < 2 {
		t.Fatalf("SchemaVersion() = %d; want the versions 1 and 2 at least", SchemaVersion())
	}
	for _, tt := range []struct {
		name string
		from int // 0: an empty database
	}{
		{"from an empty database", 0},
		{"from the previous version", SchemaVersion() - 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := pgtest.NewDatabase(t)
			pool, err := pgxpool.New(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			if tt.from > 0 {
				if _, err := Migrate(ctx, pool, tt.from); err != nil {
					t.Fatal(err)
				}
				// A subscription kept at the older version survives.
				if _, err := pool.Exec(ctx, `INSERT INTO subscriptions (channel_id, guild_id, last_day, since_ns)
					VALUES ('3000000000000000001', '2000000000000000001', '2026-03-01', 1772442000123456789)`); err != nil {
					t.Fatal(err)
				}
			}
			// Processes starting together: each migration applied once.
			var wg sync.WaitGroup
			stores := make([]*Store, 4)
			for i := range stores {
				wg.Go(func() {
					s, err := Open(ctx, url, Options{})
					if err != nil {
						t.Error(err)
						return
					}
					stores[i] = s
				})
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			for _, s := range stores {
				defer s.Close()
			}
			var n, top int
			if err := pool.QueryRow(ctx, "SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &top); err != nil {
				t.Fatal(err)
			}
			if n != SchemaVersion() || top != SchemaVersion() {
				t.Errorf("schema_migrations: %d rows, version %d; want %d, %d", n, top, SchemaVersion(), SchemaVersion())
			}
			s := stores[0]
			if tt.from > 0 {
				sub, found, err := s.Subscription(ctx, "3000000000000000001")
				if err != nil || !found || sub.LastDay != "2026-03-01" || sub.Since.UnixNano() != 1772442000123456789 {
					t.Errorf("subscription of the older version: %+v, %v, %v", sub, found, err)
				}
			}
			// The newest tables work.
			if err := s.PutFeed(ctx, state.Feed{GuildID: "1", URL: "https://example.com/feed"}); err != nil {
				t.Errorf("PutFeed after migrating: %v", err)
			}
			if err := s.Healthy(ctx); err != nil {
				t.Errorf("Healthy() = %v", err)
			}
		})
	}
}

// TestMigrateRefusesNewerSchema: a database migrated by a later verbatim
// is not touched.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := open(t)
	defer s.Close()
	if _, err := s.Pool().Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, pgtest.WithDatabase(t, pgtest.AdminURL(t), s.Pool().Config().ConnConfig.Database), Options{})
	if err == nil || !strings.Contains(err.Error(), "newer than this verbatim knows") {
		t.Errorf("Open on a newer schema = %v; want a refusal", err)
	}
}

// TestOpenWaitsForTheDatabase: Open keeps trying an unreachable server,
// reporting why, until ctx ends; a URL that is no URL fails at once.
func TestOpenWaitsForTheDatabase(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	var mu sync.Mutex
	var downs []error
	_, err := Open(ctx, "postgres://verbatim:secret-password@127.0.0.1:1/verbatim?connect_timeout=1", Options{
		RetryMax: 200 * time.Millisecond,
		Down: func(err error) {
			mu.Lock()
			downs = append(downs, err)
			mu.Unlock()
		},
	})
	mu.Lock()
	defer mu.Unlock()
	if err == nil || len(downs) < 2 || downs[0] == nil {
		t.Errorf("Open on an unreachable server = %v after %d reports; want it retried, then the context's end", err, len(downs))
	}
	for _, e := range append(downs, err) {
		if e != nil && strings.Contains(e.Error(), "secret-password") {
			t.Errorf("the password appears in %q", e)
		}
	}
	if _, err := Open(context.Background(), "postgres://host:notaport/db", Options{}); err == nil || !strings.Contains(err.Error(), "STATE_URL") {
		t.Errorf("Open(bad URL) = %v; want a STATE_URL error", err)
	}
}
