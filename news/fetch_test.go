package news

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBlockedAddr(t *testing.T) {
	for _, tt := range []struct {
		addr, want string
	}{
		{"127.0.0.1", "loopback"},
		{"127.255.0.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.254", "private"},
		{"192.168.0.10", "private"},
		{"fc00::1", "private"},
		{"fd12:3456::1", "private"},
		{"::ffff:10.0.0.1", "private"},
		{"64:ff9b::a00:1", "private"}, // NAT64 of 10.0.0.1
		{"2002:c0a8:1::1", "private"}, // 6to4 of 192.168.0.1
		{"169.254.169.254", "cloud metadata"},
		{"fd00:ec2::254", "cloud metadata"},
		{"169.254.10.20", "link-local"},
		{"fe80::1", "link-local"},
		{"100.64.0.1", "shared (CGNAT)"},
		{"100.127.255.254", "shared (CGNAT)"},
		{"224.0.0.251", "link-local"}, // link-local multicast
		{"239.1.2.3", "multicast"},
		{"ff05::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"255.255.255.255", "reserved"},
		{"198.18.0.1", "reserved"},
		{"::7f00:1", "reserved"}, // IPv4-compatible
		// Public addresses pass.
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"100.128.0.1", ""},
		{"172.32.0.1", ""},
		{"2001:4860:4860::8888", ""},
		{"2002:808:808::1", ""}, // 6to4 of 8.8.8.8
	} {
		if got := blockedAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("blockedAddr(%s) = %q; want %q", tt.addr, got, tt.want)
		}
	}
}

// TestGuardRefuses checks that every private class is refused, written in
// the URL, behind a host name (checked at connect time), and through a
// redirect. Nothing is sent: the guard refuses before connecting.
func TestGuardRefuses(t *testing.T) {
	s := newSite(t)
	// Any port but the site's, which is exempt; nothing is ever sent to it.
	port := s.srv.Listener.Addr().(*net.TCPAddr).Port%60000 + 1
	names := map[string]string{} // host name → address, for the resolver hook
	literals := []string{
		"127.0.0.1", "[::1]", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
		"169.254.1.1", "[fe80::1]", "100.64.0.1", "224.0.0.1", "239.255.255.250", "0.0.0.0",
		"[::]", "[fc00::1]", "[::ffff:127.0.0.1]", "[::ffff:192.168.0.1]", "[fd00:ec2::254]",
	}
	for i, lit := range literals {
		names[fmt.Sprintf("host%d.test", i)] = strings.Trim(lit, "[]")
	}
	names["metadata.google.internal"] = "169.254.169.254"
	names["localhost"] = "127.0.0.1"
	var resolved atomic.Int32
	f := NewFetcher(FetchOptions{
		Timeout: 2 * time.Second,
		Resolve: func(_ context.Context, host string) ([]netip.Addr, error) {
			resolved.Add(1)
			if a, ok := names[host]; ok {
				return []netip.Addr{netip.MustParseAddr(a)}, nil
			}
			return nil, fmt.Errorf("no such host %s", host)
		},
		exempt: s.srv.Listener.Addr().String(), // the site itself, to redirect from
	})
	var urls []string
	for _, lit := range literals {
		urls = append(urls, "http://"+lit+":"+fmt.Sprint(port)+"/")
	}
	for name := range names {
		urls = append(urls, "http://"+name+":"+fmt.Sprint(port)+"/feed")
	}
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			_, err := f.Get(context.Background(), u, nil)
			if !errors.Is(err, ErrBlocked) || KindOf(err) != KindBlocked {
				t.Errorf("Get(%s) = %v; want a blocked refusal", u, err)
			}
			// Through a redirect from an allowed server.
			path := "/redirect-" + fmt.Sprint(len(u)) + strings.NewReplacer(".", "-", ":", "-", "/", "-", "[", "", "]", "").Replace(u)
			s.handle(path, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, u, http.StatusFound) })
			_, err = f.Get(context.Background(), s.URL(path), nil)
			if !errors.Is(err, ErrBlocked) || KindOf(err) != KindBlocked {
				t.Errorf("Get(redirect to %s) = %v; want a blocked refusal", u, err)
			}
			if s.Hits(path) != 1 {
				t.Errorf("the redirecting page was requested %d times; want 1", s.Hits(path))
			}
		})
	}
	if resolved.Load() == 0 {
		t.Error("the resolver hook was never asked: names were not checked at connect time")
	}
}

func TestSchemesRefused(t *testing.T) {
	f := NewFetcher(FetchOptions{AllowPrivate: true})
	s := newSite(t)
	s.handle("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "javascript:alert(1)", "http:///nohost", s.URL("/to-file")} {
		_, err := f.Get(context.Background(), u, nil)
		if KindOf(err) != KindBlocked {
			t.Errorf("Get(%s) = %v; want refused", u, err)
		}
	}
}

func TestFetchLimits(t *testing.T) {
	s := newSite(t)
	var written atomic.Int64
	done := make(chan struct{})
	s.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		chunk := []byte(strings.Repeat("x", 64<<10))
		for written.Load() < 50<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	s.handle("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		w.Write([]byte("x"))
	})
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	s.handle("/never", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	})
	s.handle("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	s.handle("/redirects-5", func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Query()["n"])
		if n < 5 {
			http.Redirect(w, r, r.URL.Path+"?"+r.URL.RawQuery+"&n=1", http.StatusFound)
			return
		}
		io.WriteString(w, "arrived")
	})
	s.handle("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	s.handle("/503-date", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	s.handle("/410", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	s.handle("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })

	f := NewFetcher(FetchOptions{AllowPrivate: true, Timeout: 300 * time.Millisecond, MaxBytes: 1 << 20})
	for _, tt := range []struct {
		path       string
		kind       string
		status     int
		retryAfter time.Duration // at least
	}{
		{"/huge", KindTooLarge, 0, 0},
		{"/huge-declared", KindTooLarge, 0, 0},
		{"/never", KindTimeout, 0, 0},
		{"/loop", KindRedirects, 0, 0},
		{"/missing", KindStatus, 404, 0},
		{"/410", KindStatus, 410, 0},
		{"/500", KindStatus, 500, 0},
		{"/429", KindStatus, 429, 120 * time.Second},
		{"/503-date", KindStatus, 503, 59 * time.Minute},
	} {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			_, err := f.Get(context.Background(), s.URL(tt.path), nil)
			var fe *FetchError
			if !errors.As(err, &fe) || fe.Kind != tt.kind || fe.Status != tt.status || fe.RetryAfter < tt.retryAfter {
				t.Fatalf("Get(%s) = %#v; want kind %s, status %d, Retry-After ≥ %v", tt.path, err, tt.kind, tt.status, tt.retryAfter)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Get(%s) took %v; want it cut short", tt.path, d)
			}
		})
	}
	<-done // the huge handler stopped: its writes failed once we hung up
	if w := written.Load(); w >= 50<<20 {
		t.Errorf("the 50 MB body was sent whole (%d bytes); want the fetch to stop reading at the cap", w)
	}
	if got, err := f.Get(context.Background(), s.URL("/redirects-5"), nil); err != nil || string(got.Body) != "arrived" {
		t.Errorf("Get(5 redirects) = %v; want it followed", err)
	}
	if s.Hits("/loop") != MaxRedirects+1 {
		t.Errorf("redirect loop requested %d times; want %d", s.Hits("/loop"), MaxRedirects+1)
	}
}

func TestUserAgentAndConditional(t *testing.T) {
	s := newSite(t)
	var ua, inm atomic.Value
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		inm.Store(r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "body")
	})
	f := NewFetcher(FetchOptions{AllowPrivate: true})
	r, err := f.Get(context.Background(), s.URL("/feed"), nil)
	if err != nil || r.ETag != `"v1"` || string(r.Body) != "body" {
		t.Fatalf("Get = %+v, %v", r, err)
	}
	if got := ua.Load().(string); !strings.Contains(got, "verbatim") || !strings.Contains(got, "https://") {
		t.Errorf("User-Agent %q; want it to name verbatim and its URL", got)
	}
	r, err = f.Get(context.Background(), s.URL("/feed"), http.Header{"If-None-Match": {`"v1"`}})
	if err != nil || r.Status != http.StatusNotModified || r.Body != nil {
		t.Errorf("conditional Get = %+v, %v; want 304 without a body", r, err)
	}
}

// TestRebinding: a name whose DNS answer changes after a first, allowed
// connection is checked again on the next connection, and refused.
func TestRebinding(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "text/plain", "ok")
	site := netip.MustParseAddrPort(s.srv.Listener.Addr().String())
	var calls atomic.Int32
	f := NewFetcher(FetchOptions{
		Timeout: 2 * time.Second,
		exempt:  s.srv.Listener.Addr().String(),
		Resolve: func(context.Context, string) ([]netip.Addr, error) {
			if calls.Add(1) == 1 {
				return []netip.Addr{site.Addr()}, nil // the allowed answer
			}
			return []netip.Addr{netip.MustParseAddr("10.0.0.7")}, nil // then a private one
		},
	})
	u := fmt.Sprintf("http://rebind.test:%d/feed", site.Port())
	if r, err := f.Get(context.Background(), u, nil); err != nil || string(r.Body) != "ok" {
		t.Fatalf("first Get = %v; want the allowed address reached", err)
	}
	f.client.CloseIdleConnections() // the next fetch dials again
	if _, err := f.Get(context.Background(), u, nil); !errors.Is(err, ErrBlocked) {
		t.Errorf("Get after the DNS answer changed = %v; want refused", err)
	}
	if calls.Load() != 2 {
		t.Errorf("resolved %d times; want 2 (once per connection)", calls.Load())
	}
}
