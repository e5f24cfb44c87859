package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewHTTPClientRewrites(t *testing.T) {
	type seen struct{ method, path, rawQuery, host, auth string }
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Host, r.Header.Get("Authorization")}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	tests := []struct {
		name     string
		base     string
		url      string
		wantPath string
		wantQ    string
	}{
		{"root", srv.URL, "https://discord.com/api/v9/users/@me", "/api/v9/users/@me", ""},
		{"trailing slash", srv.URL + "/", "https://discord.com/api/v9/gateway", "/api/v9/gateway", ""},
		{"prefix", srv.URL + "/discord", "https://discord.com/api/v9/gateway/bot", "/discord/api/v9/gateway/bot", ""},
		{"prefix with slash", srv.URL + "/a/b/", "https://discord.com/api/v9/channels/1/messages", "/a/b/api/v9/channels/1/messages", ""},
		{"query kept", srv.URL, "https://discord.com/api/v9/webhooks/1/tok?wait=true", "/api/v9/webhooks/1/tok", "wait=true"},
		{"escaped path kept", srv.URL + "/p", "https://discord.com/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me", "/p/api/v9/channels/1/messages/2/reactions/%F0%9F%91%8D/@me", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewHTTPClient(tt.base, 5*time.Second)
			if err != nil {
				t.Fatalf("NewHTTPClient(%q) error: %v", tt.base, err)
			}
			req, err := http.NewRequest(http.MethodPost, tt.url, strings.NewReader(`{"a":1}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bot secret")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("Do(%s): %v", tt.url, err)
			}
			resp.Body.Close()
			s := <-got
			if s.path != tt.wantPath || s.rawQuery != tt.wantQ {
				t.Errorf("request to %s arrived at path %q query %q; want %q %q", tt.url, s.path, s.rawQuery, tt.wantPath, tt.wantQ)
			}
			if s.host != host {
				t.Errorf("Host header = %q; want %q", s.host, host)
			}
			if s.auth != "Bot secret" || s.method != http.MethodPost {
				t.Errorf("method %q, auth %q; want POST and the header unchanged", s.method, s.auth)
			}
			if req.URL.Host != "discord.com" {
				t.Errorf("caller's request was modified: host %q", req.URL.Host)
			}
		})
	}
}

func TestNewHTTPClientLeavesOtherHosts(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "other")
	}))
	defer other.Close()

	c, err := NewHTTPClient(srv.URL, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(other.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "other" || hits.Load() != 0 {
		t.Errorf("request to another host got %q, rewritten %d times; want it untouched", b, hits.Load())
	}
}

func TestNewHTTPClientNoRewrite(t *testing.T) {
	for _, base := range []string{"", "  ", "https://discord.com", "https://discord.com/", "https://DISCORD.com"} {
		c, err := NewHTTPClient(base, 3*time.Second)
		if err != nil {
			t.Fatalf("NewHTTPClient(%q) error: %v", base, err)
		}
		if _, ok := c.Transport.(*http.Transport); !ok {
			t.Errorf("NewHTTPClient(%q).Transport = %T; want a plain *http.Transport (no rewriting)", base, c.Transport)
		}
		if c.Timeout != 3*time.Second {
			t.Errorf("NewHTTPClient(%q).Timeout = %v; want 3s", base, c.Timeout)
		}
	}
}

func TestNewHTTPClientInvalid(t *testing.T) {
	tests := []struct {
		base    string
		timeout time.Duration
		want    string
	}{
		{"discord.com", time.Second, "scheme"},
		{"ftp://example.com", time.Second, "scheme"},
		{"ws://127.0.0.1:8080", time.Second, "scheme"},
		{"http://", time.Second, "missing host"},
		{"http:///api", time.Second, "missing host"},
		{"http://user:pw@127.0.0.1", time.Second, "user information"},
		{"http://127.0.0.1/?x=1", time.Second, "query"},
		{"http://127.0.0.1/#frag", time.Second, "fragment"},
		{"http://127.0.0.1:99999", time.Second, "port"},
		{"http://127.0.0.1:0", time.Second, "port"},
		{"http://[::1", time.Second, "missing ']'"},
		{"http://127.0.0.1", -time.Second, "negative timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			_, err := NewHTTPClient(tt.base, tt.timeout)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewHTTPClient(%q, %v) error = %v; want one containing %q", tt.base, tt.timeout, err, tt.want)
			}
		})
	}
}

// droppingAddr returns a loopback address whose listener, held for the
// test, closes every connection it accepts: no request there is
// answered. An address whose listener was closed instead could be taken
// by another test's server before the bot dials it, which then answers.
func droppingAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

// TestUnreachableBaseNamedInLogs points the bot at an address that
// answers no request: its logs and its health must name that address,
// never discord.com, where no request went.
func TestUnreachableBaseNamedInLogs(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{"", "/discord"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			base := "http://" + droppingAddr(t) + prefix
			logs := &syncBuffer{}
			b, err := New(seedEngine(t), Options{Token: "x", APIBase: base, RetryMax: 50 * time.Millisecond,
				Logger: slog.New(slog.NewTextHandler(logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- b.Run(ctx) }()
			wctx, wcancel := context.WithTimeout(context.Background(), e2eTimeout)
			defer wcancel()
			if err := eventually(wctx, func() bool { return strings.Contains(logs.String(), "cannot reach Discord") }); err != nil {
				t.Fatalf("no retry logged: %v\n%s", err, logs)
			}
			health := b.Health()
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
			want := base + "/api/v9/users/@me"
			for name, text := range map[string]string{"log": logs.String(), "health": fmt.Sprint(health)} {
				if strings.Contains(text, "discord.com") || !strings.Contains(text, want) {
					t.Errorf("%s = %q; want it to name %s, not discord.com", name, text, want)
				}
			}
		})
	}
}

func TestSentURL(t *testing.T) {
	target, err := parseAPIBase("http://127.0.0.1:9/p")
	if err != nil {
		t.Fatal(err)
	}
	dial := errors.New("dial tcp 127.0.0.1:9: connect: connection refused")
	discordErr := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/users/@me", Err: dial}
	tests := []struct {
		name   string
		target *url.URL
		err    error
		want   string
	}{
		{"rewritten", target, discordErr, `Get "http://127.0.0.1:9/p/api/v9/users/@me": ` + dial.Error()},
		{"wrapped", target, fmt.Errorf("get bot user: %w", discordErr), `get bot user: Get "http://127.0.0.1:9/p/api/v9/users/@me": ` + dial.Error()},
		{"no rewriting", nil, discordErr, discordErr.Error()},
		{"another host", target, &url.Error{Op: "Get", URL: "https://cdn.discordapp.com/x.png", Err: dial}, `Get "https://cdn.discordapp.com/x.png": ` + dial.Error()},
		{"not a url error", target, dial, dial.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentURL(tt.target, tt.err)
			if got.Error() != tt.want {
				t.Errorf("sentURL(%v) = %q; want %q", tt.err, got, tt.want)
			}
			if !errors.Is(got, dial) {
				t.Errorf("sentURL(%v) = %v; want it to wrap the original error", tt.err, got)
			}
		})
	}
}

// TestSentURLHandler checks the logger rewrites errors in attributes,
// in groups and in attributes added with With.
func TestSentURLHandler(t *testing.T) {
	target, err := parseAPIBase("http://127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	discordErr := &url.Error{Op: "Post", URL: "https://discord.com/api/v9/channels/1/messages", Err: errors.New("EOF")}
	var buf strings.Builder
	log := slog.New(&sentURLHandler{target: target, next: slog.NewTextHandler(&buf, nil)})
	log.With("first", discordErr).Warn("sending", "err", discordErr, slog.Group("g", "inner", discordErr), "n", 3)
	out := buf.String()
	if strings.Contains(out, "discord.com") || strings.Count(out, "127.0.0.1:9/api/v9/channels/1/messages") != 3 || !strings.Contains(out, "n=3") {
		t.Errorf("logged %q; want the three errors to name 127.0.0.1:9 and n=3 kept", out)
	}
}
