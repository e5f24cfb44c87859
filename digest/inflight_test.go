package digest

import (
	"context"
	"testing"
	"time"
)

// TestInFlight checks the context a post is sent under: untouched while
// no stop comes, kept InFlightGrace past a stop, and ended at once by its
// own cancel.
func TestInFlight(t *testing.T) {
	t.Run("a stop leaves the grace", func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		sent, cancel := InFlight(ctx)
		defer cancel()
		stopped := time.Now()
		stop()
		if err := sent.Err(); err != nil {
			t.Fatalf("right after the stop: %v; want the post still running", err)
		}
		select {
		case <-sent.Done():
			if d := time.Since(stopped); d < InFlightGrace {
				t.Errorf("ended %v after the stop; want at least %v", d, InFlightGrace)
			}
		case <-time.After(InFlightGrace + 10*time.Second):
			t.Fatal("not ended long after the grace")
		}
	})
	t.Run("no stop, no deadline", func(t *testing.T) {
		sent, cancel := InFlight(context.Background())
		defer cancel()
		if _, ok := sent.Deadline(); ok || sent.Err() != nil {
			t.Errorf("deadline set or ended (%v) without a stop", sent.Err())
		}
	})
	t.Run("cancel ends it", func(t *testing.T) {
		sent, cancel := InFlight(context.Background())
		cancel()
		if sent.Err() == nil {
			t.Error("still running after its cancel")
		}
	})
}
