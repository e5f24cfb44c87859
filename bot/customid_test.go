package bot

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestButtonIDs(t *testing.T) {
	s := newButtonSigner("token-a")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	id := s.encode(actionMore, now, "Who is he?", fmtInt(4), fmtInt(3), "-")
	if len(id) > 100 {
		t.Fatalf("custom id %q is %d characters; Discord allows 100", id, len(id))
	}
	b, err := s.decode(id, now.Add(time.Hour), "Who is he?")
	if err != nil {
		t.Fatal(err)
	}
	if b.action != actionMore || strings.Join(b.args, ",") != "4,3,-" {
		t.Errorf("decode = %+v", b)
	}

	long := s.encode(actionContext, now, "", articleKey(strings.Repeat("x", 300)), fmtInt(999), fmtInt(999))
	if len(long) > 100 {
		t.Errorf("context id for a long article id is %d characters", len(long))
	}

	for _, tt := range []struct {
		name  string
		id    string
		bound string
		at    time.Time
		want  error
	}{
		{"other question", id, "Who is she?", now, errButtonTampered},
		{"edited argument", strings.Replace(id, ".4.", ".9.", 1), "Who is he?", now, errButtonTampered},
		{"other token", newButtonSigner("token-b").encode(actionMore, now, "Who is he?", "4", "3", "-"), "Who is he?", now, errButtonTampered},
		{"garbage", "hello", "", now, errButtonTampered},
		{"empty", "", "", now, errButtonTampered},
		{"too long", strings.Repeat("a", 101), "", now, errButtonTampered},
		{"expired", id, "Who is he?", now.Add(buttonTTL + time.Minute), errButtonExpired},
		{"from the future", id, "Who is he?", now.Add(-2 * time.Hour), errButtonExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.decode(tt.id, tt.at, tt.bound); !errors.Is(err, tt.want) {
				t.Errorf("decode(%q) = %v; want %v", tt.id, err, tt.want)
			}
		})
	}
}

func FuzzButtonDecode(f *testing.F) {
	s := newButtonSigner("token")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Add(s.encode(actionMore, now, "q", "1", "3", "-"), "q")
	f.Add(s.encode(actionContext, now, "", "abc", "2", "1"), "")
	f.Add("v1.m...", "")
	f.Fuzz(func(t *testing.T, id, bound string) {
		b, err := s.decode(id, now, bound)
		if err == nil && id != s.encode(b.action, b.made, bound, b.args...) {
			t.Errorf("decode accepted %q, which encode would not make", id)
		}
	})
}
