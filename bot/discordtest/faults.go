package discordtest

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault makes the fake misbehave on the REST calls it matches: answer with
// an error status (a rate limit, a server error, a 403), answer late, act
// but hold the answer back, or drop the connection without answering.
//
// Method is an HTTP method ("" matches any). Path is a pattern matched
// against the call's path segment by segment: a segment "*" or "{name}"
// matches any one segment, a final "**" matches the rest (even nothing),
// and other segments match exactly. A pattern without a leading "/" is
// relative to /api/v9/, so "channels/*/messages" matches
// "/api/v9/channels/42/messages".
//
// A Fault is a plain value; [Fake.AddFault] copies it.
type Fault struct {
	Method string
	Path   string
	// Times is how many matching calls the fault applies to; 0 means every
	// one until it is removed.
	Times int

	// Delay holds the answer back this long (a slow endpoint); the call is
	// then answered by Status or, when Status is 0, normally.
	Delay time.Duration
	// Drop closes the TCP connection without answering.
	Drop bool
	// Hold serves the call, then holds its answer back this long (or
	// until the client goes away): Discord has acted, but the client does
	// not know it yet, and a client killed meanwhile never will. The call
	// is recorded before the wait, so a test can act in it.
	Hold time.Duration

	// Status is the HTTP status to answer with instead of serving the call
	// (0: serve it). The body is Discord's JSON error with Code and Message
	// (defaults: 0 and Discord's text for the status).
	Status  int
	Code    int
	Message string

	// RetryAfter and Global shape a 429: its retry_after (in seconds, as
	// Discord sends it) and X-RateLimit-Reset-After, and whether it is the
	// global limit (X-RateLimit-Global and "global": true) or the route's
	// bucket. RetryAfter defaults to 50ms.
	RetryAfter time.Duration
	Global     bool
}

type faultEntry struct {
	Fault
	used int
}

// AddFault installs ft ahead of the calls it matches and returns a function
// that removes it. Faults are tried in the order they were added; the first
// that matches a call and has uses left applies to it.
func (f *Fake) AddFault(ft Fault) (remove func()) {
	if ft.Status == http.StatusTooManyRequests && ft.RetryAfter <= 0 {
		ft.RetryAfter = 50 * time.Millisecond
	}
	e := &faultEntry{Fault: ft}
	f.mu.Lock()
	f.faults = append(f.faults, e)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, x := range f.faults {
			if x == e {
				f.faults = append(f.faults[:i], f.faults[i+1:]...)
				return
			}
		}
	}
}

// RateLimit makes the next n calls matching method and path answer 429
// Too Many Requests with retry_after, for the route's bucket or, when
// global is true, for the global limit.
func (f *Fake) RateLimit(method, path string, n int, retryAfter time.Duration, global bool) {
	f.AddFault(Fault{Method: method, Path: path, Times: n, Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Global: global})
}

// FailNext makes the next n calls matching method and path answer with
// status (for example 500 or 502) and Discord's JSON error for it.
func (f *Fake) FailNext(method, path string, n, status int) {
	f.AddFault(Fault{Method: method, Path: path, Times: n, Status: status})
}

// Slow delays every call matching method and path by delay until the
// returned function is called.
func (f *Fake) Slow(method, path string, delay time.Duration) (remove func()) {
	return f.AddFault(Fault{Method: method, Path: path, Delay: delay})
}

// ClearFaults removes every installed fault.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// takeFault returns the fault for a call, using it up, or nil.
func (f *Fake) takeFault(method, path string) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, e := range f.faults {
		if (e.Method != "" && !strings.EqualFold(e.Method, method)) || !pathMatch(e.Path, path) {
			continue
		}
		e.used++
		if e.Times > 0 && e.used >= e.Times {
			f.faults = append(f.faults[:i], f.faults[i+1:]...)
		}
		ft := e.Fault
		return &ft
	}
	return nil
}

// pathMatch reports whether path matches pattern (see Fault).
func pathMatch(pattern, path string) bool {
	if !strings.HasPrefix(pattern, "/") {
		pattern = "/api/v9/" + pattern
	}
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range ps {
		if p == "**" && i == len(ps)-1 {
			return true
		}
		if i >= len(xs) {
			return false
		}
		if p == "*" || (strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}")) {
			continue
		}
		if p != xs[i] {
			return false
		}
	}
	return len(ps) == len(xs)
}

// writeFault answers a call with a fault's error status.
func (f *Fake) writeFault(w http.ResponseWriter, ft *Fault, path string) {
	if ft.Status != http.StatusTooManyRequests {
		msg := ft.Message
		if msg == "" {
			msg = fmt.Sprintf("%d: %s", ft.Status, http.StatusText(ft.Status))
		}
		writeAPIError(w, newAPIError(ft.Status, ft.Code, msg))
		return
	}
	secs := ft.RetryAfter.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(f.now().Add(ft.RetryAfter).UnixMilli())/1000, 'f', 3, 64))
	if ft.Global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		bucket := fnv.New32a()
		bucket.Write([]byte(path))
		h.Set("X-RateLimit-Bucket", "fake-"+strconv.FormatUint(uint64(bucket.Sum32()), 16))
		h.Set("X-RateLimit-Scope", "user")
	}
	msg := ft.Message
	if msg == "" {
		msg = "You are being rate limited."
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message": msg, "retry_after": math.Round(secs*1000) / 1000, "global": ft.Global, "code": ft.Code,
	})
}
