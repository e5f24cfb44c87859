package bot

import (
	"fmt"
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
	u := *req.URL
	u.Scheme = t.target.Scheme
	u.Host = t.target.Host
	if t.target.Path != "" {
		u.Path = t.target.Path + req.URL.Path
		if req.URL.RawPath != "" {
			u.RawPath = t.target.EscapedPath() + req.URL.RawPath
		}
	}
	out.URL = &u
	out.Host = ""
	return t.next.RoundTrip(out)
}
