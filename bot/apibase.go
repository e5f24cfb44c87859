package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// discordHost is the host of discordgo's EndpointDiscord: every REST call
// discordgo makes, including gateway discovery, is addressed to it.
const discordHost = "discord.com"

// NewHTTPClient returns an HTTP client for discordgo's Session.Client that
// sends every request addressed to https://discord.com to base instead.
//
// base is a URL with scheme http or https, a host, and optionally a path
// prefix; the request's path is kept and appended to the prefix, so
// https://discord.com/api/v9/users/@me becomes BASE/api/v9/users/@me.
// Requests to any other host (the CDN, for example) are sent unchanged. An
// empty base, or https://discord.com itself, means no rewriting. A base that
// is not such a URL is an error naming what is wrong with it.
//
// timeout is the client's overall request timeout (zero means none, as for
// [http.Client]); it must not be negative. The returned client is safe for
// concurrent use.
func NewHTTPClient(base string, timeout time.Duration) (*http.Client, error) {
	if timeout < 0 {
		return nil, fmt.Errorf("discord http client: negative timeout %v", timeout)
	}
	target, err := parseAPIBase(base)
	if err != nil {
		return nil, err
	}
	// Keep enough idle connections for a burst (an autocomplete flood
	// answers many interactions at once): the default two per host means
	// a new TCP and TLS handshake for nearly every call of a burst.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	client := &http.Client{Timeout: timeout, Transport: transport}
	if target != nil {
		client.Transport = &rewriteTransport{target: target, next: transport}
	}
	return client, nil
}

// parseAPIBase validates base and returns the URL to send Discord's requests
// to, or nil when no rewriting is needed.
func parseAPIBase(base string) (*url.URL, error) {
	base = strings.TrimSpace(base)
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("discord api base %q: %w", base, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("discord api base %q: scheme must be http or https", base)
	case u.Host == "":
		return nil, fmt.Errorf("discord api base %q: missing host", base)
	case u.User != nil:
		return nil, fmt.Errorf("discord api base %q: user information is not allowed", base)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("discord api base %q: a query is not allowed", base)
	case u.Fragment != "":
		return nil, fmt.Errorf("discord api base %q: a fragment is not allowed", base)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("discord api base %q: invalid port %q", base, p)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.Scheme == "https" && strings.EqualFold(u.Host, discordHost) && u.Path == "" {
		return nil, nil
	}
	return u, nil
}

// rewriteTransport sends requests for https://discord.com to target.
type rewriteTransport struct {
	target *url.URL
	next   http.RoundTripper
}

// RoundTrip implements [http.RoundTripper]. It does not modify req.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" || !strings.EqualFold(req.URL.Host, discordHost) {
		return t.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL = rewrite(t.target, req.URL)
	out.Host = ""
	return t.next.RoundTrip(out)
}

// rewrite returns u, a URL on https://discord.com, moved to target.
func rewrite(target, u *url.URL) *url.URL {
	out := *u
	out.Scheme = target.Scheme
	out.Host = target.Host
	if target.Path != "" {
		out.Path = target.Path + u.Path
		if u.RawPath != "" {
			out.RawPath = target.EscapedPath() + u.RawPath
		}
	}
	return &out
}

// sentURLError is an error whose text names the URL a request was sent
// to, in place of the one discordgo addressed it to.
type sentURLError struct {
	msg string
	err error
}

func (e *sentURLError) Error() string { return e.msg }
func (e *sentURLError) Unwrap() error { return e.err }

// sentURL returns err naming the URL its request was really sent to.
// net/http's Client wraps a failed request in a *url.Error naming the URL
// discordgo asked for (https://discord.com/api/...), before the rewriting
// transport moved it to target, so that a log would blame discord.com for
// an unreachable DISCORD_API_BASE. err is returned unchanged when target
// is nil (no rewriting) or err names no such URL; the result wraps err, so
// errors.Is and errors.As see through it.
func sentURL(target *url.URL, err error) error {
	var ue *url.Error
	if target == nil || !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil || u.Scheme != "https" || !strings.EqualFold(u.Host, discordHost) {
		return err
	}
	msg := err.Error()
	from := strconv.Quote(ue.URL)
	if !strings.Contains(msg, from) {
		return err
	}
	return &sentURLError{msg: strings.ReplaceAll(msg, from, strconv.Quote(rewrite(target, u).String())), err: err}
}

// sentURLHandler is a slog.Handler that passes every error it logs
// through sentURL, so that no log line names discord.com for a request
// sent elsewhere.
type sentURLHandler struct {
	target *url.URL
	next   slog.Handler
}

func (h *sentURLHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *sentURLHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *sentURLHandler) WithAttrs(as []slog.Attr) slog.Handler {
	fixed := make([]slog.Attr, len(as))
	for i, a := range as {
		fixed[i] = h.attr(a)
	}
	return &sentURLHandler{target: h.target, next: h.next.WithAttrs(fixed)}
}

func (h *sentURLHandler) WithGroup(name string) slog.Handler {
	return &sentURLHandler{target: h.target, next: h.next.WithGroup(name)}
}

// attr returns a with the errors in it, in groups too, through sentURL.
func (h *sentURLHandler) attr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.AnyValue(sentURL(h.target, err))
		}
	case slog.KindGroup:
		group := a.Value.Group()
		fixed := make([]slog.Attr, len(group))
		for i, g := range group {
			fixed[i] = h.attr(g)
		}
		a.Value = slog.GroupValue(fixed...)
	}
	return a
}
