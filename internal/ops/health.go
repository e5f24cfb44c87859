package ops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// checkTimeout bounds one health check, so that /healthz answers even
// when a part hangs (a hung part is unwell).
const checkTimeout = 2 * time.Second

// Health holds the named checks /healthz runs. The zero value has no
// checks (and is healthy); it is safe for concurrent use.
type Health struct {
	mu     sync.Mutex
	checks []namedCheck
}

type namedCheck struct {
	name  string
	check func(context.Context) error
}

// CheckResult is the outcome of one check: Err is nil when the part is
// well.
type CheckResult struct {
	Name string
	Err  error
}

// Set adds the check called name, or replaces the check of that name
// keeping its place. A check returns nil when its part is well, or an
// error whose message says what is wrong, for the operator; it must
// respect ctx and be safe for concurrent use.
func (h *Health) Set(name string, check func(context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, c := range h.checks {
		if c.name == name {
			h.checks[i].check = check
			return
		}
	}
	h.checks = append(h.checks, namedCheck{name, check})
}

// Pending sets the check called name to fail with reason until it is set
// again: a part still starting.
func (h *Health) Pending(name, reason string) {
	err := errors.New(reason)
	h.Set(name, func(context.Context) error { return err })
}

// Check runs every check, in the order they were first set, each within
// a couple of seconds, and returns their results.
func (h *Health) Check(ctx context.Context) []CheckResult {
	h.mu.Lock()
	checks := append([]namedCheck(nil), h.checks...)
	h.mu.Unlock()
	out := make([]CheckResult, len(checks))
	for i, c := range checks {
		out[i] = CheckResult{Name: c.name, Err: runCheck(ctx, c.check)}
	}
	return out
}

// runCheck runs one check with a timeout; a check that does not return in
// time, or panics, has failed.
func runCheck(ctx context.Context, check func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check failed: %v", p)
			}
		}()
		done <- check(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %v", checkTimeout)
	}
}

// ServeHTTP answers GET and HEAD with the checks' results as plain text,
// one "name: ok" or "name: reason" line each: status 200 when every check
// passes, 503 Service Unavailable when one fails.
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body strings.Builder
	status := http.StatusOK
	for _, res := range h.Check(r.Context()) {
		if res.Err != nil {
			status = http.StatusServiceUnavailable
			fmt.Fprintf(&body, "%s: %s\n", res.Name, oneLine(res.Err.Error()))
		} else {
			fmt.Fprintf(&body, "%s: ok\n", res.Name)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		fmt.Fprint(w, body.String())
	}
}

// oneLine keeps a reason on its line of the report.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
