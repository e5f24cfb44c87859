package ops

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestHealth(t *testing.T) {
	var h Health
	h.Set("gateway", func(context.Context) error { return nil })
	h.Pending("index", "loading the articles")
	h.Set("store", func(context.Context) error { return nil })

	get := func() (int, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		return rec.Code, rec.Body.String()
	}
	code, body := get()
	if code != http.StatusServiceUnavailable || body != "gateway: ok\nindex: loading the articles\nstore: ok\n" {
		t.Errorf("GET /healthz with the index loading = %d %q; want 503 naming the index", code, body)
	}
	h.Set("index", func(context.Context) error { return nil })
	if code, body := get(); code != http.StatusOK || body != "gateway: ok\nindex: ok\nstore: ok\n" {
		t.Errorf("GET /healthz with all well = %d %q; want 200", code, body)
	}
	h.Set("gateway", func(context.Context) error { return errors.New("reconnecting\nafter a disconnect") })
	if code, body := get(); code != http.StatusServiceUnavailable || !strings.Contains(body, "gateway: reconnecting after a disconnect\n") {
		t.Errorf("GET /healthz while reconnecting = %d %q; want 503 with the reason on one line", code, body)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d; want 405", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/healthz", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Body.Len() != 0 {
		t.Errorf("HEAD /healthz = %d with %d bytes; want 503 and no body", rec.Code, rec.Body.Len())
	}
}

func TestHealthHungOrPanickingCheck(t *testing.T) {
	var h Health
	h.Set("hung", func(ctx context.Context) error { <-ctx.Done(); time.Sleep(10 * time.Millisecond); return nil })
	h.Set("panics", func(context.Context) error { panic("boom") })
	start := time.Now()
	res := h.Check(context.Background())
	if d := time.Since(start); d > 2*checkTimeout {
		t.Errorf("Check took %v", d)
	}
	for _, r := range res {
		if r.Err == nil {
			t.Errorf("check %s passed; want it failed", r.Name)
		}
	}
}

func TestMetrics(t *testing.T) {
	m := NewMetrics("1.2.3")
	m.WatchIndex(func() (int, int) { return 2, 30 })
	m.QuestionAnswered("command", false, 20*time.Millisecond)
	m.QuestionAnswered("message", true, 40*time.Millisecond)
	m.QuestionDeclined("command", "cooldown")
	m.AutocompleteServed(time.Millisecond)
	m.GatewayConnected(true)
	m.GatewayReconnected()
	m.RESTError(429)
	m.RESTError(0)
	m.DigestPosted()
	m.DigestSkipped("no_articles")
	m.FeedPolled("ok")
	m.FeedPolled("not_modified")
	m.FeedItemAdded()
	m.FeedDuplicateDropped()
	m.FeedFetchFailed("timeout")
	m.IndexSynced("named", 8*time.Millisecond)

	for _, tt := range []struct {
		name string
		got  float64
		want float64
	}{
		{"answered command quoted", testutil.ToFloat64(m.answered.WithLabelValues("command", "quoted")), 1},
		{"answered message no_answer", testutil.ToFloat64(m.answered.WithLabelValues("message", "no_answer")), 1},
		{"declined cooldown", testutil.ToFloat64(m.declined.WithLabelValues("command", "cooldown")), 1},
		{"declined error", testutil.ToFloat64(m.declined.WithLabelValues("command", "error")), 0},
		{"reconnects", testutil.ToFloat64(m.reconnects), 1},
		{"gateway connected", testutil.ToFloat64(m.gatewayUp), 1},
		{"rest 429", testutil.ToFloat64(m.restErrors.WithLabelValues("429")), 1},
		{"rest network", testutil.ToFloat64(m.restErrors.WithLabelValues("network")), 1},
		{"digests posted", testutil.ToFloat64(m.digestsPosted), 1},
		{"digests skipped", testutil.ToFloat64(m.digestsSkipped.WithLabelValues("no_articles")), 1},
		{"feed polls ok", testutil.ToFloat64(m.feedPolls.WithLabelValues("ok")), 1},
		{"feed polls error", testutil.ToFloat64(m.feedPolls.WithLabelValues("error")), 0},
		{"feed items added", testutil.ToFloat64(m.feedAdded), 1},
		{"feed duplicates", testutil.ToFloat64(m.feedDuplicates), 1},
		{"feed fetch timeout", testutil.ToFloat64(m.feedErrors.WithLabelValues("timeout")), 1},
		{"feed fetch blocked", testutil.ToFloat64(m.feedErrors.WithLabelValues("blocked")), 0},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %v; want %v", tt.name, tt.got, tt.want)
		}
	}

	// Scraped as Prometheus text: every series not from the standard
	// collectors is ours and named verbatim_...
	srv := httptest.NewServer(Handler(&Health{}, m))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q; want Prometheus text", ct)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	want := []string{
		"verbatim_questions_answered_total", "verbatim_questions_declined_total",
		"verbatim_answer_duration_seconds", "verbatim_autocomplete_duration_seconds",
		"verbatim_digests_posted_total", "verbatim_digests_skipped_total",
		"verbatim_gateway_reconnects_total", "verbatim_gateway_connected",
		"verbatim_discord_rest_errors_total", "verbatim_index_articles", "verbatim_index_sentences",
		"verbatim_build_info",
		"verbatim_feed_polls_total", "verbatim_feed_items_added_total",
		"verbatim_feed_duplicates_dropped_total", "verbatim_feed_fetch_errors_total",
		"verbatim_index_sync_duration_seconds",
	}
	for _, name := range want {
		if families[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	for name := range families {
		if !strings.HasPrefix(name, "verbatim_") && !strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "process_") && !strings.HasPrefix(name, "promhttp_") {
			t.Errorf("/metrics serves %s, neither ours (verbatim_) nor standard", name)
		}
	}
	if got := families["verbatim_index_sentences"].GetMetric()[0].GetGauge().GetValue(); got != 30 {
		t.Errorf("verbatim_index_sentences = %v; want 30", got)
	}
	syncs := map[string]uint64{}
	for _, s := range families["verbatim_index_sync_duration_seconds"].GetMetric() {
		syncs[s.GetLabel()[0].GetValue()] = s.GetHistogram().GetSampleCount()
	}
	if syncs["named"] != 1 || syncs["full"] != 0 || len(syncs) != 2 {
		t.Errorf("verbatim_index_sync_duration_seconds counts %v; want one named sync, none full", syncs)
	}
	if problems, err := testutil.GatherAndLint(m.Registry()); err != nil || len(problems) > 0 {
		t.Errorf("metrics lint: %v %v", problems, err)
	}

	resp2, err := http.Get(srv.URL + "/other")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotFound {
		t.Errorf("GET /other = %d; want 404", resp2.StatusCode)
	}
}

func TestListen(t *testing.T) {
	s, err := Listen("ops", "127.0.0.1:0", Handler(&Health{}, NewMetrics("x")), discard())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz with no checks = %d %q; want 200", resp.StatusCode, body)
	}
	// The port is taken: a second server says so at once.
	if _, err := Listen("ops", s.Addr(), http.NotFoundHandler(), discard()); err == nil || !strings.Contains(err.Error(), s.Addr()) {
		t.Errorf("Listen on a port in use = %v; want an error naming it", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Errorf("still serving after Close")
	}
}

func TestPrivateDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "index", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index", "index_meta.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index", "store", "root.bolt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(dir, discard()); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, dir)
	if info, _ := os.Stat(outside); info.Mode().Perm() != 0o644 {
		t.Errorf("PrivateDir followed a link: the file outside is now %v", info.Mode().Perm())
	}
	// A missing folder is made, private.
	fresh := filepath.Join(t.TempDir(), "a", "b")
	if err := PrivateDir(fresh, discard()); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, fresh)
}

// TestPrivateDirFileGone checks that a file removed between the listing
// of its folder and its chmod (an open index merging its segments) is no
// error: a command that opened the index failed on it when it made the
// data folder private.
func TestPrivateDirFileGone(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "000000000002.zap")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("ReadDir = %v, %v", entries, err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if changed, err := tighten(p, entries[0], nil); changed || err != nil {
		t.Errorf("a file gone since its listing: changed %v, err %v; want nothing, no error", changed, err)
	}
	if changed, err := tighten(p, nil, &fs.PathError{Op: "lstat", Path: p, Err: fs.ErrNotExist}); changed || err != nil {
		t.Errorf("a walk error for a file gone: changed %v, err %v; want nothing, no error", changed, err)
	}
	denied := &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
	if _, err := tighten(p, nil, denied); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("another walk error: err %v; want it passed on", err)
	}
}

// checkPrivate fails unless every folder under dir is 0700 and every file
// 0600 (or tighter).
func checkPrivate(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v; want nothing for group and others", p, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
