package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/state"
)

// TestStoreDamaged damages a state file in the ways a disk or a crash of
// the machine can: Open says so (bbolt panics on some of them: it
// must not take the bot down), and OpenOrSetAside keeps the damaged
// file, byte for byte, beside a fresh one that works.
func TestStoreDamaged(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		empty  bool // no subscriptions written before the damage
		damage func(b []byte) []byte
	}{
		{"not a database", false, func([]byte) []byte { return []byte("this is not a database") }},
		{"truncated", false, func(b []byte) []byte { return b[:len(b)/3] }},
		// bbolt reads the free list past the end of this one: SIGBUS.
		{"new file cut short", true, func(b []byte) []byte { return b[:len(b)/3] }},
		{"pages overwritten", false, func(b []byte) []byte {
			for i := 8192; i < len(b) && i < 8192+4096; i += 3 {
				b[i] ^= 0xff
			}
			return b
		}},
		{"every fifth byte flipped", false, func(b []byte) []byte {
			for i := 0; i < len(b); i += 5 {
				b[i] ^= 0xff
			}
			return b
		}},
		{"both meta pages lost", false, func(b []byte) []byte { clear(b[:8192]); return b }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), File)
			s, err := Open(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50 {
				if tt.empty {
					break
				}
				if _, err := s.UpdateSubscription(ctx, fmt.Sprintf("30000000000000%05d", i), func(sub *state.Subscription, _ bool) (bool, error) {
					sub.Time = "09:00"
					return true, nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			s.Close()
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			damaged := tt.damage(b)
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}

			// A copy first: when bbolt panics while opening, it leaves the
			// file open and locked until the process ends.
			copied := filepath.Join(t.TempDir(), File)
			if err := os.WriteFile(copied, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(copied, time.Second); !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open(damaged) = %v; want ErrDamaged", err)
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			s, aside, err := OpenOrSetAside(path, time.Second, now)
			if err != nil {
				t.Fatalf("OpenOrSetAside = %v; want a fresh store", err)
			}
			defer s.Close()
			if aside != path+".damaged-20260302T090000Z" {
				t.Errorf("kept aside as %q", aside)
			}
			if kept, err := os.ReadFile(aside); err != nil || !bytes.Equal(kept, damaged) {
				t.Errorf("the damaged file was not kept as it was: %v", err)
			}
			if subs, err := s.Subscriptions(ctx); err != nil || len(subs) != 0 {
				t.Errorf("fresh store: %d subscriptions, %v", len(subs), err)
			}
			if _, err := s.UpdateSubscription(ctx, "42", func(sub *state.Subscription, _ bool) (bool, error) { return true, nil }); err != nil {
				t.Errorf("fresh store refuses a write: %v", err)
			}
			if err := s.Healthy(context.Background()); err != nil {
				t.Errorf("Healthy() = %v", err)
			}
		})
	}
}

func TestStoreSoundIsNotSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), File)
	for _, content := range [][]byte{nil, {}} {
		if content != nil {
			os.WriteFile(path, content, 0o600) // an empty file: bbolt makes it a database
		}
		s, aside, err := OpenOrSetAside(path, time.Second, time.Now())
		if err != nil || aside != "" {
			t.Fatalf("OpenOrSetAside(sound) = %v, aside %q", err, aside)
		}
		s.Close()
	}
	// Locked is not damaged: nothing is moved.
	s, _ := Open(path, time.Second)
	defer s.Close()
	if _, aside, err := OpenOrSetAside(path, 50*time.Millisecond, time.Now()); !errors.Is(err, ErrLocked) || aside != "" {
		t.Errorf("OpenOrSetAside(locked) = %v, aside %q; want ErrLocked and nothing moved", err, aside)
	}
}

func TestStoreFileIsPrivateAndLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), File)
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v; want 0600", fi.Mode().Perm())
	}
	// A second opener (as another process would) gives up promptly.
	start := time.Now()
	if _, err := Open(path, 100*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("second open = %v; want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second open took %v", d)
	}

	// Subscriptions survive closing and reopening.
	if _, err := s.UpdateSubscription(ctx, "42", func(sub *state.Subscription, found bool) (bool, error) {
		sub.LastDay = "2026-03-02"
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	sub, ok, err := s2.Subscription(ctx, "42")
	if err != nil || !ok || sub.LastDay != "2026-03-02" {
		t.Errorf("after reopening: %+v, %v, %v", sub, ok, err)
	}
}

// TestOpenFileOfEarlierVersion opens a state file written by the version
// before the state store (testdata/v1.db: two subscriptions, one with a
// digest pending, and a digest thread): every record reads as it was, and
// the pending digest becomes a pending delivery, unclaimed, with its nonce.
func TestOpenFileOfEarlierVersion(t *testing.T) {
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), File)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 2 {
		t.Fatalf("Subscriptions = %d, %v; want 2", len(subs), err)
	}
	a, b := subs[0], subs[1]
	if a.ChannelID != "3000000000000000001" || !a.Config || a.LastDay != "2026-03-01" || !a.Since.Equal(at.Add(-25*time.Hour)) ||
		a.LastMessage != "4000000000000000001" || a.GuildID != "2000000000000000001" {
		t.Errorf("first subscription: %+v", a)
	}
	if b.Time != "18:30" || b.Zone != "Europe/Dublin" || b.Broken != "403 Missing Access" || b.Active() {
		t.Errorf("second subscription: %+v", b)
	}
	d, found, err := s.Delivery(ctx, a.ChannelID, "2026-03-02")
	if err != nil || !found {
		t.Fatalf("the pending digest is no pending delivery: %v", err)
	}
	if !d.Pending() || d.ClaimedBy != "" || d.Kind != state.KindDigest || len(d.Nonce) != 25 ||
		!d.Started.Equal(at) || !d.Cutoff.Equal(at.Add(-time.Hour)) || !d.Since.Equal(a.Since) {
		t.Errorf("delivery: %+v", d)
	}
	threads, err := s.Threads(ctx)
	if err != nil || len(threads) != 1 || threads[0] != (state.Thread{ThreadID: "5000000000000000001", ArticleID: "bridge", ChannelID: a.ChannelID, Created: threads[0].Created}) ||
		!threads[0].Created.Equal(at) {
		t.Errorf("threads: %+v, %v", threads, err)
	}
	// Reopened, the upgrade has nothing more to do.
	s.Close()
	if s, err = Open(path, time.Second); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Subscriptions(ctx); len(again) != 2 {
		t.Errorf("after reopening: %d subscriptions", len(again))
	}
}
