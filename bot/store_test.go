package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStoreDamaged damages a state file in the ways a disk or a crash of
// the machine can: OpenStore says so (bbolt panics on some of them: it
// must not take the bot down), and OpenOrSetAsideStore keeps the damaged
// file, byte for byte, beside a fresh one that works.
func TestStoreDamaged(t *testing.T) {
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
			path := filepath.Join(t.TempDir(), StoreFile)
			s, err := OpenStore(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50 {
				if tt.empty {
					break
				}
				if _, err := s.updateSubscription(fmt.Sprintf("30000000000000%05d", i), func(sub *subscription, _ bool) (bool, error) {
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
			copied := filepath.Join(t.TempDir(), StoreFile)
			if err := os.WriteFile(copied, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := OpenStore(copied, time.Second); !errors.Is(err, ErrStoreDamaged) {
				t.Fatalf("OpenStore(damaged) = %v; want ErrStoreDamaged", err)
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			s, aside, err := OpenOrSetAsideStore(path, time.Second, now)
			if err != nil {
				t.Fatalf("OpenOrSetAsideStore = %v; want a fresh store", err)
			}
			defer s.Close()
			if aside != path+".damaged-20260302T090000Z" {
				t.Errorf("kept aside as %q", aside)
			}
			if kept, err := os.ReadFile(aside); err != nil || !bytes.Equal(kept, damaged) {
				t.Errorf("the damaged file was not kept as it was: %v", err)
			}
			if subs, err := s.subscriptions(); err != nil || len(subs) != 0 {
				t.Errorf("fresh store: %d subscriptions, %v", len(subs), err)
			}
			if _, err := s.updateSubscription("42", func(sub *subscription, _ bool) (bool, error) { return true, nil }); err != nil {
				t.Errorf("fresh store refuses a write: %v", err)
			}
			if err := s.Healthy(context.Background()); err != nil {
				t.Errorf("Healthy() = %v", err)
			}
		})
	}
}

func TestStoreSoundIsNotSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), StoreFile)
	for _, content := range [][]byte{nil, {}} {
		if content != nil {
			os.WriteFile(path, content, 0o600) // an empty file: bbolt makes it a database
		}
		s, aside, err := OpenOrSetAsideStore(path, time.Second, time.Now())
		if err != nil || aside != "" {
			t.Fatalf("OpenOrSetAsideStore(sound) = %v, aside %q", err, aside)
		}
		s.Close()
	}
	// Locked is not damaged: nothing is moved.
	s, _ := OpenStore(path, time.Second)
	defer s.Close()
	if _, aside, err := OpenOrSetAsideStore(path, 50*time.Millisecond, time.Now()); !errors.Is(err, ErrStoreLocked) || aside != "" {
		t.Errorf("OpenOrSetAsideStore(locked) = %v, aside %q; want ErrStoreLocked and nothing moved", err, aside)
	}
}
