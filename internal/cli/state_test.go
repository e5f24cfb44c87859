package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// TestStateExportImport moves a bbolt state to PostgreSQL (or, without a
// test server, to another bbolt file too) and back: export, import twice,
// export again gives the same JSON.
func TestStateExportImport(t *testing.T) {
	ctx := context.Background()
	from := t.TempDir()
	s, err := boltstore.Open(filepath.Join(from, boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	if _, err := s.UpdateSubscription(ctx, "3000000000000000001", func(sub *state.Subscription, _ bool) (bool, error) {
		sub.GuildID, sub.Created, sub.Fired, sub.Since, sub.LastDay, sub.Time = "2000000000000000001", at, at, at.Add(7), "2026-03-01", "18:30"
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ClaimDelivery(ctx, state.Delivery{ChannelID: "3000000000000000001", Key: "2026-03-02", Kind: state.KindDigest,
		Nonce: "abc", Since: at, Cutoff: at.Add(time.Second), ClaimedBy: "p", ClaimedAt: at}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeed(ctx, state.Feed{GuildID: "2000000000000000001", URL: "https://example.com/feed", AddedAt: at}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, exported, errOut := runCLI(t, map[string]string{"DATA_DIR": from}, "state", "export")
	if code != 0 || !strings.Contains(exported, `"3000000000000000001"`) {
		t.Fatalf("state export: exit %d\n%s\n%s", code, exported, errOut)
	}
	file := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	targets := map[string]map[string]string{"bbolt": {"DATA_DIR": t.TempDir()}}
	if os.Getenv(pgtest.EnvURL) != "" || os.Getenv("CI") == "true" {
		targets["postgres"] = map[string]string{"STATE_URL": pgtest.NewDatabase(t)}
	}
	for name, env := range targets {
		t.Run(name, func(t *testing.T) {
			for range 2 {
				code, out, errOut := runCLI(t, env, "state", "import", file)
				if code != 0 || !strings.Contains(out, "Imported 1 subscriptions, 1 deliveries, 0 threads, 1 feeds") {
					t.Fatalf("state import: exit %d\n%s\n%s", code, out, errOut)
				}
			}
			code, again, errOut := runCLI(t, env, "state", "export")
			if code != 0 || again != exported {
				t.Errorf("export after import (exit %d, %s):\n%s\nwant\n%s", code, errOut, again, exported)
			}
		})
	}
}

func TestStateCommandErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version": 99}`), 0o600)
	notJSON := filepath.Join(t.TempDir(), "notjson.json")
	os.WriteFile(notJSON, []byte(`subscriptions: yes`), 0o600)
	for _, tt := range []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		inStderr string
	}{
		{"no verb", map[string]string{}, []string{"state"}, 2, "export or import"},
		{"unknown verb", map[string]string{}, []string{"state", "drop"}, 2, "want export or import"},
		{"import without file", map[string]string{}, []string{"state", "import"}, 2, "one FILE"},
		{"missing file", map[string]string{}, []string{"state", "import", "/nonexistent/state.json"}, 2, "no such file"},
		{"other version", map[string]string{}, []string{"state", "import", bad}, 2, "version 99"},
		{"not JSON", map[string]string{}, []string{"state", "import", notJSON}, 2, "not a state export"},
		{"bad STATE_URL", map[string]string{"STATE_URL": "mysql://u:hunter2@h/db"}, []string{"state", "export"}, 2, "STATE_URL"},
		{"database unreachable", map[string]string{"STATE_URL": "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=1"}, []string{"state", "export"}, 1, "127.0.0.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.inStderr) {
				t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, tt.code, tt.inStderr)
			}
			if strings.Contains(errOut, "hunter2") {
				t.Errorf("the password appears in %q", errOut)
			}
		})
	}
	code, out, _ := runCLI(t, map[string]string{}, "state", "--help")
	if code != 0 || !strings.Contains(out, "Usage: verbatim state") {
		t.Errorf("state --help: exit %d\n%s", code, out)
	}
}
