package bot

import (
	"testing"
	"time"
)

func TestCooldown(t *testing.T) {
	c := newCooldown(5, 10*time.Second)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		if !c.allow("u", t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("ask %d refused", i+1)
		}
	}
	if c.allow("u", t0.Add(5*time.Second)) || !c.notifyDue("u", t0.Add(5*time.Second)) {
		t.Errorf("6th ask: want refused, with a notice due")
	}
	if c.allow("u", t0.Add(6*time.Second)) || c.notifyDue("u", t0.Add(6*time.Second)) {
		t.Errorf("7th ask: want refused, no second notice in the window")
	}
	if !c.allow("other", t0.Add(6*time.Second)) {
		t.Errorf("another user was limited")
	}
	if d := c.retryIn("u", t0.Add(6*time.Second)); d != 4*time.Second {
		t.Errorf("retryIn = %v; want 4s", d)
	}
	if !c.allow("u", t0.Add(10*time.Second)) {
		t.Errorf("ask after the first left the window was refused")
	}
	// Idle users are forgotten.
	c.allow("x", t0.Add(time.Minute))
	if _, ok := c.users["other"]; ok {
		t.Errorf("idle user kept")
	}
}
