package discordtest_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

// testTimeout bounds every wait; passing tests finish far sooner.
const testTimeout = 15 * time.Second

// botIntents are the intents the bot asks for (docs/design.md, "Discord behaviour").
const botIntents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newFake starts a fake.
func newFake(t *testing.T, cfg discordtest.Config) *discordtest.Fake {
	t.Helper()
	return discordtest.New(t, cfg)
}

// newSession returns a discordgo session pointed at the fake, not yet
// open, with the settings the bot uses. It is closed when the test ends.
func newSession(t *testing.T, f *discordtest.Fake, token string) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	s.Client, err = bot.NewHTTPClient(f.URL, 5*time.Second)
	if err != nil {
		t.Fatalf("NewHTTPClient(%q): %v", f.URL, err)
	}
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.Identify.Intents = botIntents
	s.LogLevel = discordgo.LogError
	// discordgo's State overwrites structs it has already handed to
	// handlers (a GUILD_CREATE rewrites the guild READY listed), which races
	// with a test reading them. These tests need no State.
	s.StateEnabled = false
	t.Cleanup(func() { closeSession(f, s) })
	return s
}

// openConns counts the fake's open gateway connections.
func openConns(f *discordtest.Fake) int {
	n := 0
	for _, c := range f.Conns() {
		if c.Open {
			n++
		}
	}
	return n
}

// closeSession closes s before the fake closes (cleanups run last first).
// discordgo's Close holds the session's lock through a one-second sleep
// after its close frame; once the fake has the frame, the fake can close
// without discordgo taking that for a network failure and reconnecting.
// So this waits for the frame, not for Close, to keep the suite fast.
//
// It first waits for a heartbeat on every open connection: discordgo's
// heartbeat goroutine sends its first one as soon as Open returns, and if
// Close's frame goes first, that heartbeat fails and discordgo reconnects.
func closeSession(f *discordtest.Fake, s *discordgo.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	f.Until(ctx, func() bool {
		for _, c := range f.Conns() {
			if c.Open && c.SessionID != "" && c.Heartbeats == 0 {
				return false
			}
		}
		return true
	})
	before := openConns(f)
	done := make(chan struct{})
	go func() {
		s.Close()
		close(done)
	}()
	if before == 0 {
		<-done
		return
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(3 * time.Second)
	for openConns(f) >= before {
		select {
		case <-done:
			return
		case <-tick.C:
		case <-timeout:
			return
		}
	}
}

// openSession opens s and waits for the fake to have answered with READY.
func openSession(t *testing.T, f *discordtest.Fake, s *discordgo.Session) {
	t.Helper()
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := f.WaitReady(testContext(t)); err != nil {
		t.Fatal(err)
	}
}

// eventLog collects the events of one type a session's handlers get.
// discordgo runs each handler call in its own goroutine, so the log's order
// need not be the order the events arrived in.
type eventLog[T any] struct {
	mu     sync.Mutex
	items  []T
	signal chan struct{} // closed and replaced on every event
}

// events returns a log of s's events of type T. Add it before Open.
func events[T any](s *discordgo.Session) *eventLog[T] {
	l := &eventLog[T]{signal: make(chan struct{})}
	s.AddHandler(func(_ *discordgo.Session, e T) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.items = append(l.items, e)
		close(l.signal)
		l.signal = make(chan struct{})
	})
	return l
}

// waitUntil waits until done holds for a snapshot of the events and
// returns that snapshot; ok is false if testTimeout passed first.
func (l *eventLog[T]) waitUntil(done func([]T) bool) (items []T, ok bool) {
	timeout := time.After(testTimeout)
	for {
		l.mu.Lock()
		items, signal := append([]T(nil), l.items...), l.signal
		l.mu.Unlock()
		if done(items) {
			return items, true
		}
		select {
		case <-signal:
		case <-timeout:
			return items, false
		}
	}
}

// waitN waits until there are at least n events and returns them.
func (l *eventLog[T]) waitN(t *testing.T, what string, n int) []T {
	t.Helper()
	items, ok := l.waitUntil(func(items []T) bool { return len(items) >= n })
	if !ok {
		t.Fatalf("timed out waiting for %s (have %d of %d)", what, len(items), n)
	}
	return items
}

// first waits for the first event and returns it.
func (l *eventLog[T]) first(t *testing.T, what string) T {
	t.Helper()
	return l.waitN(t, what, 1)[0]
}

// wait waits for an event for which match is true, and returns the first.
func (l *eventLog[T]) wait(t *testing.T, what string, match func(T) bool) T {
	t.Helper()
	i := -1
	items, ok := l.waitUntil(func(items []T) bool {
		i = slices.IndexFunc(items, match)
		return i >= 0
	})
	if !ok {
		t.Fatalf("timed out waiting for %s (%d other events)", what, len(items))
	}
	return items[i]
}

// recv waits for the next value on ch.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
