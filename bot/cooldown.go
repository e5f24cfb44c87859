package bot

import (
	"sync"
	"time"
)

// cooldown limits how often one user may ask: at most limit questions in
// any window, across every way of asking. It is safe for concurrent use.
type cooldown struct {
	limit  int
	window time.Duration

	mu    sync.Mutex
	users map[string]*userWindow
	sweep time.Time
}

type userWindow struct {
	times    []time.Time // the asks inside the window, oldest first
	notified time.Time   // when the user was last told to slow down
}

func newCooldown(limit int, window time.Duration) *cooldown {
	return &cooldown{limit: limit, window: window, users: make(map[string]*userWindow)}
}

// allow records an ask by user at now and reports whether it is within
// the limit. When it is not, notify says whether this is the first refusal
// in the current window, so that a flood gets one notice, not one each.
func (c *cooldown) allow(user string, now time.Time) (ok, notify bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgetIdle(now)
	w := c.users[user]
	if w == nil {
		w = &userWindow{}
		c.users[user] = w
	}
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= c.window {
		cut++
	}
	w.times = w.times[cut:]
	if len(w.times) < c.limit {
		w.times = append(w.times, now)
		return true, false
	}
	notify = now.Sub(w.notified) >= c.window
	if notify {
		w.notified = now
	}
	return false, notify
}

// retryIn is how long until user may ask again.
func (c *cooldown) retryIn(user string, now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.users[user]
	if w == nil || len(w.times) < c.limit {
		return 0
	}
	return max(0, w.times[0].Add(c.window).Sub(now))
}

// forgetIdle drops users with nothing in their window, at most once a
// window, so the map does not grow with every user ever seen.
func (c *cooldown) forgetIdle(now time.Time) {
	if now.Sub(c.sweep) < c.window {
		return
	}
	c.sweep = now
	for u, w := range c.users {
		if len(w.times) == 0 || now.Sub(w.times[len(w.times)-1]) >= c.window {
			if now.Sub(w.notified) >= c.window {
				delete(c.users, u)
			}
		}
	}
}
