package bot

import (
	"testing"
	"time"
)

func TestCooldown(t *testing.T) {
	c := newCooldown(5, 10*time.Second)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		if ok, _ := c.allow("u", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("ask %d refused", i+1)
		}
	}
	ok, notify := c.allow("u", t0.Add(5*time.Second))
	if ok || !notify {
		t.Errorf("6th ask: ok %v notify %v; want refused with a notice", ok, notify)
	}
	ok, notify = c.allow("u", t0.Add(6*time.Second))
	if ok || notify {
		t.Errorf("7th ask: ok %v notify %v; want refused silently (one notice per window)", ok, notify)
	}
	if ok, _ := c.allow("other", t0.Add(6*time.Second)); !ok {
		t.Errorf("another user was limited")
	}
	if d := c.retryIn("u", t0.Add(6*time.Second)); d != 4*time.Second {
		t.Errorf("retryIn = %v; want 4s", d)
	}
	if ok, _ := c.allow("u", t0.Add(10*time.Second)); !ok {
		t.Errorf("ask after the first left the window was refused")
	}
	// Idle users are forgotten.
	c.allow("x", t0.Add(time.Minute))
	if _, ok := c.users["other"]; ok {
		t.Errorf("idle user kept")
	}
}
