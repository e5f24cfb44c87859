package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// transportOf returns the round tripper a client sends with.
func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

// observeTransport reports every REST call Discord answers with an error
// status, or does not answer, to the metrics, and a 401 to an
// authenticated call to unauthorized: the token may have been reset.
// discordgo's session lets the bot own its HTTP client, so this needs no
// change to discordgo.
type observeTransport struct {
	next         http.RoundTripper
	metrics      Metrics
	unauthorized func()
}

func (t *observeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		// A call its caller gave up on (the bot stopping) is no fault of
		// Discord's; one that timed out is.
		if !errors.Is(err, context.Canceled) {
			t.metrics.RESTError(0)
		}
		return resp, err
	}
	if resp.StatusCode >= 400 {
		t.metrics.RESTError(resp.StatusCode)
	}
	if resp.StatusCode == http.StatusUnauthorized && r.Header.Get("Authorization") != "" {
		t.unauthorized()
	}
	return resp, nil
}

// retryDelays are the waits before the retries of a call answered 500,
// 503 or 504.
var retryDelays = [...]time.Duration{150 * time.Millisecond, 500 * time.Millisecond}

// retryTransport retries a REST call that Discord answers with 500, 503
// or 504, twice, after a short wait: Discord's advice for its server
// errors. discordgo retries 502 itself (at once, three times) and returns
// the other 5xx as errors, which would lose a reply to a passing fault.
// Calls whose body cannot be sent again are not retried, nor calls whose
// context has ended. A retried POST is safe enough: a 5xx means Discord
// did not do it, and an interaction answered twice is refused the second
// time ("already acknowledged").
type retryTransport struct {
	next http.RoundTripper
}

func (t *retryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(r)
		if err != nil || !retryable(resp.StatusCode) || attempt == len(retryDelays) {
			return resp, err
		}
		if r.Body != nil && r.GetBody == nil {
			return resp, nil
		}
		timer := time.NewTimer(retryDelays[attempt])
		select {
		case <-r.Context().Done():
			timer.Stop()
			return resp, nil
		case <-timer.C:
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if r.GetBody != nil {
			body, err := r.GetBody()
			if err != nil {
				return nil, err
			}
			r = r.Clone(r.Context())
			r.Body = body
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusInternalServerError || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout
}
