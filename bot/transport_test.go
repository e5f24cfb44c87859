package bot

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// statusServer answers each request with the next status of statuses
// (then 200), recording the bodies it got.
func statusServer(t *testing.T, statuses ...int) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		n := len(bodies)
		mu.Unlock()
		if n <= len(statuses) {
			w.WriteHeader(statuses[n-1])
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}
}

func TestRetryTransport(t *testing.T) {
	for _, tt := range []struct {
		name     string
		statuses []int
		want     int // final status
		calls    int
	}{
		{"500 then ok", []int{500}, 200, 2},
		{"503 504 then ok", []int{503, 504}, 200, 3},
		{"500 three times", []int{500, 500, 500, 500}, 500, 3},
		{"502 left to discordgo", []int{502}, 502, 1},
		{"404 not retried", []int{404}, 404, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, bodies := statusServer(t, tt.statuses...)
			m := newRecMetrics()
			client := &http.Client{Transport: &retryTransport{next: &observeTransport{
				next: http.DefaultTransport, metrics: m, unauthorized: func() {}}}}
			req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"content":"hi"}`))
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := bodies()
			if resp.StatusCode != tt.want || len(got) != tt.calls {
				t.Errorf("status %d after %d calls; want %d after %d", resp.StatusCode, len(got), tt.want, tt.calls)
			}
			for i, b := range got {
				if b != `{"content":"hi"}` {
					t.Errorf("call %d sent body %q; want it whole every time", i+1, b)
				}
			}
			errs := 0
			for _, n := range m.rest {
				errs += n
			}
			if wantErrs := min(len(tt.statuses), tt.calls); errs != wantErrs {
				t.Errorf("%d error statuses counted; want %d", errs, wantErrs)
			}
		})
	}
}

func TestRetryTransportStopsWithContext(t *testing.T) {
	srv, bodies := statusServer(t, 500, 500, 500)
	client := &http.Client{Transport: &retryTransport{next: http.DefaultTransport}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	start := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if d := time.Since(start); d > 400*time.Millisecond || len(bodies()) != 1 {
		t.Errorf("%d calls in %v; want one, and no waiting past the context", len(bodies()), d)
	}
}

func TestObserveTransportUnauthorized(t *testing.T) {
	srv, _ := statusServer(t, 401, 401)
	called := 0
	client := &http.Client{Transport: &observeTransport{next: http.DefaultTransport, metrics: noMetrics{},
		unauthorized: func() { called++ }}}
	for _, auth := range []string{"Bot x", ""} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if called != 1 {
		t.Errorf("unauthorized called %d times; want once, for the call that carried the token", called)
	}
}
