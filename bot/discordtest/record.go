package discordtest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// redacted replaces secrets in what the fake records.
const redacted = "[redacted]"

// Call is one REST request the fake received, and how it answered.
//
// A Call is a value the fake never changes once recorded; its slices and
// maps are shared by every snapshot that holds it, so treat them as
// read-only. Reading Calls from several goroutines is safe.
type Call struct {
	// Seq numbers the calls from 1, in the order they were answered.
	Seq  int
	Time time.Time
	// Method and Path are the request's; Path is unescaped and includes
	// /api/v9 (for example "/api/v9/channels/123/messages").
	Method string
	Path   string
	// Query is the parsed query string.
	Query url.Values
	// Header holds the request's headers, with an Authorization value
	// replaced by "[redacted]"; see HasAuth and AuthorizationIs.
	Header http.Header
	// HasAuth reports whether the request had an Authorization header.
	HasAuth bool
	// Body is the request body as sent.
	Body []byte
	// JSON is the body decoded by encoding/json (numbers are float64), or
	// for a multipart body its payload_json part; nil if neither is JSON.
	JSON any
	// Route is the fake's route pattern that served the call, such as
	// "POST /api/v9/channels/{channel}/messages"; "" for an unknown route.
	Route string
	// Status is the HTTP status the fake answered with, and Response its
	// body.
	Status   int
	Response []byte
	// Fault reports that an injected fault (see [Fault]) produced the
	// answer, or delayed or dropped it.
	Fault bool

	auth string
}

// AuthorizationIs reports whether the call's Authorization header was
// exactly v. It compares in constant time and never exposes the value.
func (c Call) AuthorizationIs(v string) bool {
	return c.HasAuth && subtle.ConstantTimeCompare([]byte(c.auth), []byte(v)) == 1
}

// Decode decodes the call's JSON body (or payload_json part) into v.
func (c Call) Decode(v any) error {
	b := c.Body
	if part, ok := payloadJSON(c.Header.Get("Content-Type"), c.Body); ok {
		b = part
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode body of %s %s: %w", c.Method, c.Path, err)
	}
	return nil
}

// String describes the call in one line, for test failure messages.
func (c Call) String() string {
	s := fmt.Sprintf("#%d %s %s", c.Seq, c.Method, c.Path)
	if len(c.Query) > 0 {
		s += "?" + c.Query.Encode()
	}
	s += fmt.Sprintf(" -> %d", c.Status)
	if c.Fault {
		s += " (fault)"
	}
	return s
}

// Is reports whether the call's method is method and its path matches
// pattern (see [Fault] for the pattern syntax).
func (c Call) Is(method, pattern string) bool {
	return (method == "" || strings.EqualFold(method, c.Method)) && pathMatch(pattern, c.Path)
}

// payloadJSON returns the payload_json part of a multipart body.
func payloadJSON(contentType string, body []byte) ([]byte, bool) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, false
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return nil, false
		}
		if p.FormName() == "payload_json" {
			b, err := io.ReadAll(p)
			return b, err == nil
		}
	}
}

// Calls returns a snapshot of every REST call answered so far, in order.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// CallsTo returns the calls whose method is method ("" for any) and whose
// path matches pattern (see [Fault]), in order.
func (f *Fake) CallsTo(method, pattern string) []Call {
	var out []Call
	for _, c := range f.Calls() {
		if c.Is(method, pattern) {
			out = append(out, c)
		}
	}
	return out
}

// UnknownCalls returns the calls to routes the fake does not serve (which
// it answered 404). A bot test can assert there are none.
func (f *Fake) UnknownCalls() []Call {
	var out []Call
	for _, c := range f.Calls() {
		if c.Route == "" && !c.Fault {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall waits for a call for which match returns true, already answered
// or still to come, and returns the first such call. If ctx ends first it
// returns an error listing the calls seen.
func (f *Fake) WaitCall(ctx context.Context, match func(Call) bool) (Call, error) {
	found, err := waitFirst(ctx, f, f.Calls, match)
	if err != nil {
		return Call{}, fmt.Errorf("wait for call: %w; calls seen:%s", err, f.callList())
	}
	return found, nil
}

// waitFirst waits until a snapshot holds an element for which match
// returns true, and returns the first such element (the zero value if ctx
// ends first).
func waitFirst[T any](ctx context.Context, f *Fake, snapshot func() []T, match func(T) bool) (T, error) {
	var found T
	err := f.Until(ctx, func() bool {
		for _, v := range snapshot() {
			if match(v) {
				found = v
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitCalls waits until at least n calls match, and returns them all.
func (f *Fake) WaitCalls(ctx context.Context, n int, match func(Call) bool) ([]Call, error) {
	var found []Call
	err := f.Until(ctx, func() bool {
		found = found[:0]
		for _, c := range f.Calls() {
			if match(c) {
				found = append(found, c)
			}
		}
		return len(found) >= n
	})
	if err != nil {
		return found, fmt.Errorf("wait for %d calls (%d matched): %w; calls seen:%s", n, len(found), err, f.callList())
	}
	return found, nil
}

// MatchCall returns a matcher for WaitCall: the method ("" for any) and the
// path pattern (see [Fault]). The matcher is safe for concurrent use.
func MatchCall(method, pattern string) func(Call) bool {
	return func(c Call) bool { return c.Is(method, pattern) }
}

func (f *Fake) callList() string {
	calls := f.Calls()
	if len(calls) == 0 {
		return " none"
	}
	var sb strings.Builder
	for _, c := range calls {
		sb.WriteString("\n\t")
		sb.WriteString(c.String())
	}
	return sb.String()
}

// Frame is one websocket message the fake received from a gateway client.
// Like a [Call], it is never changed once recorded: treat its slices as
// read-only; reading it from several goroutines is safe.
type Frame struct {
	// Conn identifies the connection (see [ConnInfo]); Shard is the shard
	// it identified or resumed as ([0, 1] when unsharded, [0, 0] before).
	Conn  int
	Shard [2]int
	Time  time.Time
	// Op is the gateway opcode, and Data the frame's "d", with any token
	// replaced by "[redacted]" (see TokenIs).
	Op   int
	Data json.RawMessage
	// Raw is the whole frame as received, with the same redaction.
	Raw []byte

	token string
}

// TokenIs reports whether the frame (an IDENTIFY or RESUME) carried
// exactly token v. It compares in constant time and never exposes it.
func (fr Frame) TokenIs(v string) bool {
	return fr.token != "" && subtle.ConstantTimeCompare([]byte(fr.token), []byte(v)) == 1
}

// Frames returns a snapshot of every gateway frame received so far, from
// every connection, in order.
func (f *Fake) Frames() []Frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Frame(nil), f.frames...)
}

// WaitFrame waits for a received frame for which match returns true,
// already received or still to come, and returns the first.
func (f *Fake) WaitFrame(ctx context.Context, match func(Frame) bool) (Frame, error) {
	found, err := waitFirst(ctx, f, f.Frames, match)
	if err != nil {
		return Frame{}, fmt.Errorf("wait for gateway frame: %w", err)
	}
	return found, nil
}
