package news

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Limits of a Fetcher that FetchOptions may lower or raise.
const (
	// MaxRedirects is how many redirects a fetch follows.
	MaxRedirects = 5
	// DefaultTimeout bounds one fetch, from dialling to the last byte.
	DefaultTimeout = 20 * time.Second
	// DefaultMaxBytes caps a response body.
	DefaultMaxBytes = 8 << 20
	// UserAgent is how verbatim names itself to the sites it fetches.
	UserAgent = "verbatim/1 (news quoting bot; +https://github.com/verbatim-bot/verbatim)"
)

// FetchOptions configure a Fetcher. The zero value is the safe default.
type FetchOptions struct {
	// AllowPrivate lifts the address rule (loopback, private, link-local
	// and the rest may be reached); the scheme, size, time and redirect
	// limits still hold. For tests and self-hosted feeds.
	AllowPrivate bool
	// Timeout bounds one fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes caps a body; 0 means DefaultMaxBytes.
	MaxBytes int64
	// UserAgent replaces UserAgent when set.
	UserAgent string
	// Resolve, when set, replaces DNS: it returns the addresses a host
	// name stands for. Tests use it to point names at chosen addresses;
	// the address rule applies to whatever it returns.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)

	// exempt is one address (ip:port) the address rule lets through: the
	// package's tests redirect from a loopback server to refused ones.
	exempt string
}

// Fetcher fetches URLs under verbatim's safety rules (see the package
// documentation). It is safe for concurrent use.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
	ua       string
	allow    bool
	exempt   string
}

// NewFetcher returns a Fetcher with the given options.
func NewFetcher(o FetchOptions) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = UserAgent
	}
	dialer := &net.Dialer{Timeout: min(o.Timeout, 10*time.Second)}
	if !o.AllowPrivate {
		dialer.Control = func(network, address string, c syscall.RawConn) error {
			if o.exempt != "" && address == o.exempt {
				return nil
			}
			return guardControl(network, address, c)
		}
	}
	dial := dialer.DialContext
	if o.Resolve != nil {
		dial = resolvingDial(dialer, o.Resolve)
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the guard
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
	}
	f := &Fetcher{maxBytes: o.MaxBytes, ua: o.UserAgent, allow: o.AllowPrivate, exempt: o.exempt}
	f.client = &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return &FetchError{URL: req.URL.String(), Kind: KindRedirects, Err: fmt.Errorf("more than %d redirects", MaxRedirects)}
			}
			return f.check(req.URL)
		},
	}
	return f
}

// resolvingDial dials the addresses resolve returns for the host, one
// after the other, each through dialer (and so its guard).
func resolvingDial(dialer *net.Dialer, resolve func(context.Context, string) ([]netip.Addr, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if ips, err = resolve(ctx, host); err != nil {
			return nil, err
		}
		var first error
		for _, ip := range ips {
			c, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			if first == nil {
				first = err
			}
		}
		if first == nil {
			first = fmt.Errorf("no address for %s", host)
		}
		return nil, first
	}
}

// Kinds of fetch failure, as FetchError.Kind and as metric labels.
const (
	KindBlocked   = "blocked"   // a refused scheme or address
	KindTimeout   = "timeout"   // no answer in time
	KindTooLarge  = "too_large" // the body is over the cap
	KindRedirects = "redirects" // too many redirects
	KindStatus    = "status"    // an HTTP error status
	KindNetwork   = "network"   // DNS, connection refused, reset, TLS
	KindParse     = "parse"     // not a feed, or no article in the page
)

// FetchKinds lists every Kind, for metrics that start them at zero.
var FetchKinds = []string{KindBlocked, KindTimeout, KindTooLarge, KindRedirects, KindStatus, KindNetwork, KindParse}

// FetchError is a failed fetch. Kind is one of the Kind constants; Status
// is the HTTP status for KindStatus; RetryAfter is what the server asked
// for with Retry-After (0 when it did not).
type FetchError struct {
	URL        string
	Kind       string
	Status     int
	RetryAfter time.Duration
	Err        error
}

// Error says what was fetched and what went wrong.
func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s: %v", e.URL, e.Err)
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// ErrBlocked is wrapped by every refusal of the address or scheme rule.
var ErrBlocked = errors.New("refused")

// KindOf returns the Kind of a fetch error, KindNetwork for an error that
// is no FetchError, and "" for nil.
func KindOf(err error) string {
	if err == nil {
		return ""
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return KindNetwork
}

// check applies the scheme rule, and the address rule to an address
// written in the URL itself (names are checked when dialled).
func (f *Fetcher) check(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return &FetchError{URL: u.String(), Kind: KindBlocked, Err: fmt.Errorf("%w: only http and https URLs can be fetched", ErrBlocked)}
	}
	if u.Host == "" {
		return &FetchError{URL: u.String(), Kind: KindBlocked, Err: fmt.Errorf("%w: the URL has no host", ErrBlocked)}
	}
	if f.allow {
		return nil
	}
	if f.exempt != "" && u.Host == f.exempt {
		return nil
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if why := blockedAddr(ip); why != "" {
			return &FetchError{URL: u.String(), Kind: KindBlocked, Err: fmt.Errorf("%w: %s is a %s address", ErrBlocked, ip, why)}
		}
	}
	return nil
}

// guardControl runs after DNS, on the very address about to be connected
// to: a name that resolves to a forbidden address is refused here, so a
// second, different DNS answer cannot slip past an earlier check.
func guardControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read address %q", ErrBlocked, address)
	}
	if why := blockedAddr(ap.Addr()); why != "" {
		return fmt.Errorf("%w: %s is a %s address", ErrBlocked, ap.Addr(), why)
	}
	return nil
}

var (
	cgnat    = netip.MustParsePrefix("100.64.0.0/10")
	thisNet  = netip.MustParsePrefix("0.0.0.0/8")
	ec2v6    = netip.MustParsePrefix("fd00:ec2::/32")
	nat64    = netip.MustParsePrefix("64:ff9b::/96")
	reserved = []netip.Prefix{
		netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
		netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
		netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
		netip.MustParsePrefix("192.0.2.0/24"),    // documentation
		netip.MustParsePrefix("198.51.100.0/24"), // documentation
		netip.MustParsePrefix("203.0.113.0/24"),  // documentation
		netip.MustParsePrefix("::/96"),           // IPv4-compatible (deprecated)
		netip.MustParsePrefix("100::/64"),        // discard
	}
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// blockedAddr returns why ip may not be fetched from ("loopback",
// "private", ...), or "" when it may.
func blockedAddr(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is6() && nat64.Contains(ip) {
		// A NAT64 address carries an IPv4 address in its last 32 bits.
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	if sixToFour.Contains(ip) {
		// A 6to4 address carries one in bits 16 to 48.
		b := ip.As16()
		if why := blockedAddr(netip.AddrFrom4([4]byte(b[2:6]))); why != "" {
			return why
		}
	}
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified() || thisNet.Contains(ip):
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip == netip.MustParseAddr("169.254.169.254") || ec2v6.Contains(ip):
		return "cloud metadata"
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsPrivate():
		return "private"
	case cgnat.Contains(ip):
		return "shared (CGNAT)"
	case ip.IsMulticast() || ip.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return "reserved"
		}
	}
	return ""
}

// Response is a fetched body and what the server said about it.
type Response struct {
	URL          *url.URL // after redirects
	Status       int
	ContentType  string
	ETag         string
	LastModified string
	Body         []byte // nil for 304 Not Modified
}

// Get fetches rawURL. headers are added to the request (If-None-Match and
// the like). A 304 comes back as a Response with no body; any other status
// outside 2xx is a *FetchError of KindStatus, with RetryAfter set from the
// server's Retry-After. Every failure is a *FetchError.
func (f *Fetcher) Get(ctx context.Context, rawURL string, headers http.Header) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, &FetchError{URL: rawURL, Kind: KindBlocked, Err: fmt.Errorf("%w: not a URL", ErrBlocked)}
	}
	if err := f.check(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Kind: KindBlocked, Err: err}
	}
	for k, vs := range headers {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", f.ua)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "*/*")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, classify(u.String(), err)
	}
	defer resp.Body.Close()
	out := &Response{
		URL: resp.Request.URL, Status: resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.StatusCode == http.StatusNotModified {
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &FetchError{
			URL: u.String(), Kind: KindStatus, Status: resp.StatusCode,
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
			Err:        fmt.Errorf("HTTP %s", resp.Status),
		}
	}
	if resp.ContentLength > f.maxBytes {
		return nil, &FetchError{URL: u.String(), Kind: KindTooLarge, Err: fmt.Errorf("body of %d bytes is over the %d-byte cap", resp.ContentLength, f.maxBytes)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, classify(u.String(), err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, &FetchError{URL: u.String(), Kind: KindTooLarge, Err: fmt.Errorf("body over the %d-byte cap", f.maxBytes)}
	}
	out.Body = body
	return out, nil
}

// classify turns a client error into a *FetchError of the right kind.
func classify(u string, err error) error {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	kind := KindNetwork
	var ne net.Error
	switch {
	case errors.Is(err, ErrBlocked):
		kind = KindBlocked
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		kind = KindTimeout
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &FetchError{URL: u, Kind: kind, Err: err}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. It
// returns 0 when there is none or it cannot be read.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
