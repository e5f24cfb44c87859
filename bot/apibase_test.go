package bot

import (
	"io"
	"net/http"
	"net/http/httptest"
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
