package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// lockedBuffer is a writer safe for concurrent use, for a running bot's
// log, that can be waited on.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced on every write
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{written: make(chan struct{})} }

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.written)
	b.written = make(chan struct{})
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until s has been written.
func (b *lockedBuffer) waitFor(ctx context.Context, s string) bool {
	for {
		b.mu.Lock()
		found, ch := strings.Contains(b.buf.String(), s), b.written
		b.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// TestRunWiring runs `verbatim run` as main does, against a fake Discord:
// the digest channel from the settings gets its digest (sent with a
// nonce), the state file is private, and an article file added while the
// bot runs is answered from.
func TestRunWiring(t *testing.T) {
	f := discordtest.New(t, discordtest.Config{})
	corpusDir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		tmp := filepath.Join(corpusDir, ".tmp-"+name)
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(corpusDir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("bridge.txt", "Title: Council approves the bridge\n\nThe council approved the new bridge across the river on Monday.\n")
	env := map[string]string{
		"DISCORD_TOKEN": f.Token(), "DISCORD_API_BASE": f.URL,
		"CORPUS_DIR": corpusDir, "DATA_DIR": data,
		"DIGEST_CHANNEL_ID": discordtest.DefaultChannelID, "DIGEST_CRON": "@every 1s",
	}
	logs := newLockedBuffer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"run"}, Env{Getenv: func(k string) string { return env[k] }, Stdout: logs, Stderr: logs})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run = %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("run did not stop")
		}
	})
	wait, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()

	c, err := f.WaitCall(wait, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/"+discordtest.DefaultChannelID+"/messages") && strings.Contains(string(c.Body), "Daily digest")
	})
	if err != nil {
		t.Fatalf("no digest: %v\nlogs:\n%s", err, logs)
	}
	if !strings.Contains(string(c.Body), `"enforce_nonce":true`) || !strings.Contains(string(c.Body), "Council approves the bridge") {
		t.Errorf("digest: %s", c.Body)
	}
	if fi, err := os.Stat(filepath.Join(data, boltstore.File)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v, %v; want mode 0600", fi, err)
	}

	write("ferry.txt", "Title: Ferry service to resume\n\nThe ferry to the islands will sail again from Friday, the harbour master said.\n")
	if !logs.waitFor(wait, "corpus updated") {
		t.Fatalf("the new file was not indexed\nlogs:\n%s", logs)
	}
	m := f.MessageCreate(t, &discordgo.Message{Content: "<@" + f.BotUserID() + "> When will the ferry sail again?"})
	reply, err := f.WaitCall(wait, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(reply.Body), "ferry to the islands will sail again") {
		t.Errorf("answer does not quote the new article: %s", reply.Body)
	}
}

// running is `verbatim run` going in the background.
type running struct {
	t    *testing.T
	log  *lockedBuffer
	stop context.CancelFunc
	done chan error
}

// startRun starts `verbatim run` with env and stops it when the test ends.
func startRun(t *testing.T, env map[string]string) *running {
	t.Helper()
	if _, ok := env["DATA_DIR"]; !ok {
		env["DATA_DIR"] = t.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, log: newLockedBuffer(), stop: cancel, done: make(chan error, 1)}
	go func() {
		r.done <- Run(ctx, []string{"run"}, Env{
			Getenv: func(k string) string { return env[k] },
			Stdout: io.Discard, Stderr: r.log,
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(20 * time.Second):
			t.Error("run did not stop")
		}
	})
	return r
}

var servingRe = regexp.MustCompile(`msg=serving server="health and metrics" addr=(\S+)`)

// opsURL waits for the health and metrics server and returns its URL.
func (r *running) opsURL() string {
	r.t.Helper()
	var url string
	r.until(func() bool {
		if m := servingRe.FindStringSubmatch(r.log.String()); m != nil {
			url = "http://" + m[1]
			return true
		}
		return false
	}, "the health and metrics server to start")
	return url
}

// until polls cond for up to 20 seconds.
func (r *running) until(cond func() bool, what string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("waited in vain for %s; log:\n%s", what, r.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRunHealthAndMetrics runs the bot with HTTP_ADDR against the fake
// Discord and follows /healthz and /metrics through a question and a
// dropped gateway.
func TestRunHealthAndMetrics(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{})
	data := filepath.Join(t.TempDir(), "data")
	r := startRun(t, map[string]string{
		"DISCORD_TOKEN": fake.Token(), "DISCORD_API_BASE": fake.URL,
		"HTTP_ADDR": "127.0.0.1:0", "DATA_DIR": data, "LOG_LEVEL": "debug",
	})
	base := r.opsURL()
	var body string
	r.until(func() bool {
		var code int
		code, body = get(t, base+"/healthz")
		return code == http.StatusOK
	}, "/healthz to answer 200")
	if body != "gateway: ok\nindex: ok\nstore: ok\n" {
		t.Errorf("/healthz = %q", body)
	}

	m := fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	}); err != nil {
		t.Fatalf("no answer: %v", err)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`verbatim_questions_answered_total{result="quoted",via="message"} 1`,
		"verbatim_index_articles 1", "verbatim_index_sentences 15",
		"verbatim_gateway_connected 1", "verbatim_answer_duration_seconds_count 1",
		`verbatim_build_info{version=`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(metrics, fake.Token()) || strings.Contains(body, fake.Token()) {
		t.Error("the token is served over HTTP")
	}

	// While the gateway is down, /healthz says so; then it is back.
	fake.Until(ctx, func() bool {
		for _, c := range fake.Conns() {
			if c.Open && c.Heartbeats > 0 {
				return true
			}
		}
		return false
	})
	fake.DropGateway(discordtest.AllShards)
	r.until(func() bool {
		code, body := get(t, base+"/healthz")
		return code == http.StatusServiceUnavailable && strings.HasPrefix(body, "gateway: ") && strings.Contains(body, "reconnecting")
	}, "/healthz to report the dropped gateway")
	r.until(func() bool { code, _ := get(t, base+"/healthz"); return code == http.StatusOK }, "/healthz to recover")
	if _, metrics := get(t, base+"/metrics"); !strings.Contains(metrics, "verbatim_gateway_reconnects_total 1") {
		t.Errorf("reconnection not counted")
	}

	r.stop()
	if err := <-r.done; err != nil {
		t.Errorf("run = %v after a stop; want nil", err)
	}
	r.done <- nil
	// The data folder is its owner's alone.
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v; want it private", p, info.Mode().Perm())
		}
		return nil
	})
}

// TestRunHealthWhileDiscordUnreachable: /healthz answers 503, naming the
// problem, while the bot keeps trying to reach Discord.
func TestRunHealthWhileDiscordUnreachable(t *testing.T) {
	r := startRun(t, map[string]string{
		"DISCORD_TOKEN": "some-token", "DISCORD_API_BASE": "http://127.0.0.1:1", "HTTP_ADDR": "127.0.0.1:0",
	})
	base := r.opsURL()
	r.until(func() bool {
		code, body := get(t, base+"/healthz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "gateway: cannot reach Discord") &&
			strings.Contains(body, "index: ok")
	}, "/healthz to say Discord cannot be reached")
	if strings.Contains(r.log.String(), "some-token") {
		t.Error("the token appears in the log")
	}
}

func TestRunHTTPAddrInUse(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{})
	first := startRun(t, map[string]string{
		"DISCORD_TOKEN": fake.Token(), "DISCORD_API_BASE": fake.URL, "HTTP_ADDR": "127.0.0.1:0",
	})
	addr := strings.TrimPrefix(first.opsURL(), "http://")
	code, _, errOut := runCLI(t, map[string]string{
		"DISCORD_TOKEN": fake.Token(), "DISCORD_API_BASE": fake.URL, "HTTP_ADDR": addr,
	}, "run")
	if code != 1 || !strings.Contains(errOut, addr) {
		t.Errorf("HTTP_ADDR in use: exit %d, %q; want 1 naming the address", code, errOut)
	}
}

// TestRunInteractionsEndpoint runs the bot with INTERACTIONS_ADDR and
// DISCORD_PUBLIC_KEY, and has the fake Discord send it a signed command
// and a forged one.
func TestRunInteractionsEndpoint(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t, discordtest.Config{})
	r := startRun(t, map[string]string{
		"DISCORD_TOKEN": fake.Token(), "DISCORD_API_BASE": fake.URL,
		"INTERACTIONS_ADDR": "127.0.0.1:0", "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub),
	})
	var url string
	r.until(func() bool {
		m := regexp.MustCompile(`msg=serving server=interactions addr=(\S+)`).FindStringSubmatch(r.log.String())
		if m != nil {
			url = "http://" + m[1] + "/"
		}
		return m != nil
	}, "the interactions endpoint to start")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	resp, err := fake.PostInteraction(ctx, t, url, priv, &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "Who is Hoshyar Zebari?"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data == nil || len(resp.Data.Embeds) == 0 || !strings.Contains(resp.Data.Embeds[0].Description, "Zebari") {
		t.Errorf("answer over HTTP: %+v", resp.Data)
	}
	_, forger, _ := ed25519.GenerateKey(nil)
	if _, err := fake.PostInteraction(ctx, t, url, forger, &discordgo.Interaction{Type: discordgo.InteractionPing}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("forged PING: %v; want 401", err)
	}
}
