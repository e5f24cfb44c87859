//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// binaryPath is the verbatim binary the tests of this file run, built
// once by TestMain.
var binaryPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "verbatim-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binaryPath = filepath.Join(dir, "verbatim")
	if out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// lockedBuffer collects a child process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is the verbatim binary running `run` against a fake Discord.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan error
}

// startProcess runs `verbatim run` in a fresh working folder with env
// added to the test's environment (CORPUS_DIR cleared: the seed article).
func startProcess(t *testing.T, env ...string) *process {
	t.Helper()
	cmd := exec.Command(binaryPath, "run")
	cmd.Dir = t.TempDir()
	cmd.Env = append(append(os.Environ(), "CORPUS_DIR=", "DATA_DIR="+filepath.Join(cmd.Dir, "data")), env...)
	p := &process{t: t, cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop() {
	p.t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		if err != nil {
			p.t.Errorf("exit after SIGTERM: %v; want status 0\n%s", err, p.stderr)
		}
	case <-time.After(10 * time.Second):
		p.t.Fatalf("still running 10 s after SIGTERM\n%s", p.stderr)
	}
	if d := time.Since(start); d > 5*time.Second {
		p.t.Errorf("took %v to stop", d)
	}
}

// waitReady waits until the process has a ready gateway session.
func (p *process) waitReady(ctx context.Context, fake *discordtest.Fake) {
	p.t.Helper()
	if _, err := fake.WaitReady(ctx); err != nil {
		p.t.Fatalf("never connected: %v\n%s", err, p.stderr)
	}
}

// askZebari mentions the bot with a question the seed article answers and
// returns the call that posted the answer.
func (p *process) askZebari(ctx context.Context, fake *discordtest.Fake) discordtest.Call {
	p.t.Helper()
	m := fake.MessageCreate(p.t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	c, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil {
		p.t.Fatalf("no answer: %v\n%s", err, p.stderr)
	}
	return c
}

// addr waits for the log line of the named server and returns its URL.
func (p *process) addr(server string) string {
	p.t.Helper()
	re := regexp.MustCompile(`msg=serving server="?` + server + `"? addr=(\S+)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return "http://" + m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.t.Fatalf("no %s server started:\n%s", server, p.stderr)
	return ""
}

// waitHeartbeat waits until a gateway connection has sent a heartbeat
// (discordgo reconnects a session closed before its first one).
func waitHeartbeat(ctx context.Context, fake *discordtest.Fake) error {
	return fake.Until(ctx, func() bool {
		for _, c := range fake.Conns() {
			if c.Open && c.Heartbeats > 0 {
				return true
			}
		}
		return false
	})
}

// TestProcessServesAndStopsOnSIGTERM runs the built binary against the fake
// Discord: it connects, answers, and on SIGTERM closes the gateway and
// exits 0 within a few seconds.
func TestProcessServesAndStopsOnSIGTERM(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{})
	p := startProcess(t, "DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL, "LOG_LEVEL=debug")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.waitReady(ctx, fake)
	p.askZebari(ctx, fake)
	waitHeartbeat(ctx, fake)
	p.stop()
	if !strings.Contains(p.stderr.String(), "verbatim stopped") {
		t.Errorf("no clean stop logged:\n%s", p.stderr)
	}
}

// TestProcessCorruptedIndexIsRebuilt damages the index that `verbatim
// index` built, then runs the bot on it: it warns, rebuilds, and answers.
func TestProcessCorruptedIndexIsRebuilt(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(binaryPath, "index", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("verbatim index: %v\n%s", err, out)
	}
	segments, _ := filepath.Glob(filepath.Join(data, "index", "store", "*.zap"))
	if len(segments) == 0 {
		t.Fatal("no segment to damage")
	}
	for _, s := range segments {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for i := 64; i < len(b)-64; i += 11 {
			b[i] ^= 0x5a
		}
		if err := os.WriteFile(s, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fake := discordtest.New(t, discordtest.Config{})
	p := startProcess(t, "DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL, "DATA_DIR="+data)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.waitReady(ctx, fake)
	if c := p.askZebari(ctx, fake); !strings.Contains(string(c.Body), "foreign minister") {
		t.Fatalf("no answer from the rebuilt index: %s\n%s", c.Body, p.stderr)
	}
	log := p.stderr.String()
	if !regexp.MustCompile(`level=WARN msg="index damaged; rebuilding it".*checksum`).MatchString(log) {
		t.Errorf("no warning that names the damage:\n%s", log)
	}
	waitHeartbeat(ctx, fake)
	p.stop()
}

// TestProcessSharedIndex builds a shared index folder (SHARED_INDEX_DIR)
// with `verbatim index`, then answers from it in processes of their own,
// as every process but the builder does: a command and a bot. (Opening a
// version read-only once failed in a fresh process: bleve could not
// build the index's analyzers before anything had registered verbatim's
// token filters.)
func TestProcessSharedIndex(t *testing.T) {
	seed, err := filepath.Glob(filepath.Join("corpus", "seed", "*.txt"))
	if err != nil || len(seed) != 1 {
		t.Fatalf("the seed article: %v %v", seed, err)
	}
	text, err := os.ReadFile(seed[0])
	if err != nil {
		t.Fatal(err)
	}
	articles, shared := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(articles, "talks.txt"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "CORPUS_DIR="+articles, "SHARED_INDEX_DIR="+shared)
	command := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(binaryPath, args...)
		cmd.Dir = t.TempDir()
		cmd.Env = append(env, "DATA_DIR="+filepath.Join(cmd.Dir, "data"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("verbatim %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := command("index"); !strings.HasPrefix(out, "indexed 1 article") {
		t.Fatalf("verbatim index: %q", out)
	}
	if out := command("ask", "Who is Hoshyar Zebari?"); !strings.Contains(out, "foreign minister") {
		t.Errorf("verbatim ask from the shared index: %q", out)
	}
	fake := discordtest.New(t, discordtest.Config{})
	p := startProcess(t, "DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL, "CORPUS_DIR="+articles, "SHARED_INDEX_DIR="+shared)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.waitReady(ctx, fake)
	if c := p.askZebari(ctx, fake); !strings.Contains(string(c.Body), "foreign minister") {
		t.Fatalf("no answer from the shared index: %s\n%s", c.Body, p.stderr)
	}
	waitHeartbeat(ctx, fake)
	p.stop()
}

// secretToken is shaped like a real bot token: the user id in base64, a
// timestamp, and an HMAC. The last two parts are the secret.
const secretToken = "MTAwMDAwMDAwMDAwMDAwMDAx.GhQk3x.Zq9vXb7Yw2LmNc4RtUe8JpAs6DfGh1KiOo0PyT"

// checkNoToken fails when text holds the token or a secret part of it.
func checkNoToken(t *testing.T, where, text string) {
	t.Helper()
	parts := strings.Split(secretToken, ".")
	for _, s := range []string{secretToken, parts[1] + "." + parts[2], parts[2], parts[2][:16]} {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the token (or part of it, %q)", where, s)
		}
	}
}

// TestProcessFullRunKeepsTokenSecret runs the binary at LOG_LEVEL=debug
// through everything it logs: connecting, questions every way, a digest,
// errors, faults, reconnections, its HTTP servers, and shutdown. The token
// appears in none of it, nor in what it serves; the data folder it made
// is its own.
func TestProcessFullRunKeepsTokenSecret(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.New(t, discordtest.Config{Token: secretToken})
	answerChan := "3000000000000000099"
	fake.AddChannel(&discordgo.Channel{ID: answerChan, GuildID: discordtest.DefaultGuildID, Name: "ask", Type: discordgo.ChannelTypeGuildText})
	p := startProcess(t, "DISCORD_TOKEN="+secretToken, "DISCORD_API_BASE="+fake.URL, "LOG_LEVEL=debug",
		"HTTP_ADDR=127.0.0.1:0", "INTERACTIONS_ADDR=127.0.0.1:0", "DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub),
		"ANSWER_CHANNEL_IDS="+answerChan, "DIGEST_CHANNEL_ID="+discordtest.DefaultChannelID, "DIGEST_CRON=@every 1s")
	opsURL, endpoint := p.addr("health and metrics"), p.addr("interactions")
	// Each wait has its own 20 seconds, so a slow step is named.
	wait := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	p.waitReady(wait(), fake)
	if err := waitHeartbeat(wait(), fake); err != nil {
		t.Fatal(err)
	}
	replied := func(m *discordgo.Message) {
		t.Helper()
		if _, err := fake.WaitCall(wait(), func(c discordtest.Call) bool {
			return c.Is("POST", "channels/*/messages") && c.Status == 200 && strings.Contains(string(c.Body), m.ID)
		}); err != nil {
			t.Fatalf("no reply to %q: %v\n%s", m.Content, err, p.stderr)
		}
	}
	interact := func(i *discordgo.Interaction) discordtest.Interaction {
		t.Helper()
		sent := fake.InteractionCreate(t, i)
		if _, err := fake.WaitInteractionResponse(wait(), sent.ID); err != nil {
			t.Fatalf("%v\n%s", err, p.stderr)
		}
		it, _ := fake.Interaction(sent.ID)
		return it
	}
	ask := &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "What did the US and Iran do?"}}}}

	// Questions, every way, with a fault or two on the way.
	fake.FailNext("POST", "channels/*/messages", 1, 500)
	replied(fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"}))
	replied(fake.MessageCreate(t, &discordgo.Message{ChannelID: answerChan, Content: "Who is Zalmy Khalilzad?"}))
	replied(fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> ???"}))
	fake.RateLimit("POST", "interactions/*/*/callback", 1, 100*time.Millisecond, false)
	answered := interact(ask)
	fake.RateLimit("POST", "interactions/*/*/callback", 1, 100*time.Millisecond, true)
	var more string
	for _, row := range answered.Original.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, c := range r.Components {
				if b, ok := c.(*discordgo.Button); ok && b.Label == "More" {
					more = b.CustomID
				}
			}
		}
	}
	for _, id := range []string{more, more + "x", "garbage"} {
		interact(&discordgo.Interaction{Type: discordgo.InteractionMessageComponent, Message: answered.Original,
			Data: discordgo.MessageComponentInteractionData{CustomID: id, ComponentType: discordgo.ButtonComponent}})
	}
	focused := &discordgo.ApplicationCommandInteractionDataOption{Name: "term", Type: discordgo.ApplicationCommandOptionString, Value: "mil", Focused: true}
	interact(&discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "lookup", Options: []*discordgo.ApplicationCommandInteractionDataOption{focused}}})
	if _, err := fake.PostInteraction(wait(), t, endpoint, priv, ask); err != nil {
		t.Errorf("signed interaction over HTTP: %v", err)
	}
	_, forger, _ := ed25519.GenerateKey(nil)
	if _, err := fake.PostInteraction(wait(), t, endpoint, forger, ask); err == nil {
		t.Errorf("forged interaction accepted")
	}

	// Reconnections: a dropped connection, op 7, op 9.
	resumes, identifies := fake.Resumes(), fake.Identifies()
	fake.DropGateway(discordtest.AllShards)
	if err := fake.WaitResume(wait(), resumes+1); err != nil {
		t.Fatal(err)
	}
	fake.Reconnect(discordtest.AllShards)
	if err := fake.WaitResume(wait(), resumes+2); err != nil {
		t.Fatal(err)
	}
	fake.InvalidateSession(discordtest.AllShards, false)
	if err := fake.WaitIdentify(wait(), identifies+1); err != nil {
		t.Fatal(err)
	}
	replied(fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"}))

	// What it serves over HTTP.
	for _, path := range []string{"/healthz", "/metrics"} {
		var body []byte
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp, err := http.Get(opsURL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		checkNoToken(t, path, string(body))
		if path == "/metrics" && !strings.Contains(string(body), `verbatim_discord_rest_errors_total{status="429"} 2`) {
			t.Errorf("/metrics does not count the two 429s:\n%s", body)
		}
	}
	waitHeartbeat(wait(), fake)
	p.stop()

	log := p.stderr.String()
	checkNoToken(t, "the log", log)
	for _, want := range []string{"level=DEBUG", "connected to Discord", "digest posted", "gateway session resumed", "interaction refused: bad signature", "verbatim stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q, so the run did not go where it should:\n%s", want, log)
		}
	}
	for _, c := range fake.Calls() {
		if c.Header.Get("Authorization") != "" && c.Header.Get("Authorization") != "[redacted]" {
			t.Fatalf("the fake recorded an authorization in clear")
		}
	}
	data := filepath.Join(p.cmd.Dir, "data")
	filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v; want it private to its owner", path, info.Mode().Perm())
		}
		return nil
	})
}

// TestProcessTokenRevoked resets the token while the bot runs and breaks
// its connection: the bot finds its RESUME refused, asks Discord, and
// exits with status 1 and a message saying what to do, never the token.
func TestProcessTokenRevoked(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{Token: secretToken})
	p := startProcess(t, "DISCORD_TOKEN="+secretToken, "DISCORD_API_BASE="+fake.URL, "LOG_LEVEL=debug")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.waitReady(ctx, fake)
	waitHeartbeat(ctx, fake)
	fake.SetToken("a-new-token")
	fake.DropGateway(discordtest.AllShards)
	select {
	case err := <-p.exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("exit %v; want status 1", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running after the token was revoked:\n%s", p.stderr)
	}
	log := p.stderr.String()
	if !strings.Contains(log, "verbatim: ") || !strings.Contains(log, "rejected the bot token") || !strings.Contains(log, "check DISCORD_TOKEN") {
		t.Errorf("no clear message:\n%s", log)
	}
	checkNoToken(t, "the log", log)
}

// TestDotEnvIgnored: .env holds the token, so git must never pick it up.
func TestDotEnvIgnored(t *testing.T) {
	if _, err := exec.LookPath("git"); err == nil {
		if out, err := exec.Command("git", "rev-parse", "--is-inside-work-tree").Output(); err == nil && strings.TrimSpace(string(out)) == "true" {
			if err := exec.Command("git", "check-ignore", "-q", ".env").Run(); err != nil {
				t.Errorf("git check-ignore .env: %v; want .env ignored", err)
			}
			return
		}
	}
	b, err := os.ReadFile(".gitignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if l := strings.TrimSpace(line); l == ".env" || l == "/.env" {
			return
		}
	}
	t.Errorf(".gitignore does not ignore .env")
}

// digestsIn returns the digest posts in a channel of the fake.
func digestsIn(fake *discordtest.Fake, channelID string) []*discordgo.Message {
	var out []*discordgo.Message
	for _, m := range fake.Messages(channelID) {
		if m.Author != nil && m.Author.ID == fake.BotUserID() && strings.HasPrefix(m.Content, "**Daily digest") {
			out = append(out, m)
		}
	}
	return out
}

// waitLog waits until the process has logged s.
func (p *process) waitLog(s string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stderr.String(), s) {
		if time.Now().After(deadline) {
			p.t.Fatalf("the log never said %q:\n%s", s, p.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestProcessKilledBetweenSendAndRecord kills the bot (SIGKILL) after
// Discord has posted its digest but before the bot heard back and
// recorded it, then starts it again: the digest is finished with the same
// nonce, Discord returns the message already posted, and the channel has
// one digest, not two. With the bbolt file the new process finishes it at
// once (the file lock proves the old one gone); with PostgreSQL, once the
// killed process's claim has lapsed (digest.ClaimLease).
func TestProcessKilledBetweenSendAndRecord(t *testing.T) {
	for _, store := range []string{"bbolt", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			var env []string
			if store == "postgres" {
				env = append(env, "STATE_URL="+pgtest.NewDatabase(t))
			}
			killedBetweenSendAndRecord(t, env)
		})
	}
}

func killedBetweenSendAndRecord(t *testing.T, extra []string) {
	fake := discordtest.New(t, discordtest.Config{})
	ch := discordtest.DefaultChannelID
	fake.AddFault(discordtest.Fault{Method: "POST", Path: "channels/" + ch + "/messages", Times: 1, Hold: time.Minute})
	data := filepath.Join(t.TempDir(), "data")
	env := []string{"DISCORD_TOKEN=" + fake.Token(), "DISCORD_API_BASE=" + fake.URL, "DATA_DIR=" + data,
		"DIGEST_CHANNEL_ID=" + ch, "DIGEST_CRON=@every 1s", "LOG_LEVEL=debug"}
	env = append(env, extra...)
	first := startProcess(t, env...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sent, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/"+ch+"/messages") && strings.Contains(string(c.Body), "Daily digest")
	})
	if err != nil {
		t.Fatalf("no digest sent: %v\n%s", err, first.stderr)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	if n := len(digestsIn(fake, ch)); n != 1 {
		t.Fatalf("%d digests after the kill; want the one Discord took", n)
	}
	if strings.Contains(first.stderr.String(), "digest posted") {
		t.Fatalf("the first process recorded its digest: it was not killed in time")
	}

	second := startProcess(t, append(env, "HTTP_ADDR=127.0.0.1:0")...)
	second.waitLog("digest posted")
	calls := fake.CallsTo("POST", "channels/"+ch+"/messages")
	if len(calls) < 2 || !bytes.Contains(calls[1].Body, []byte(`"enforce_nonce":true`)) || nonce(t, calls[1]) != nonce(t, sent) {
		t.Errorf("the restarted bot did not finish the digest with its nonce: %d calls", len(calls))
	}
	// Two more firings the same day, each seen through: nothing more.
	second.waitCounter(ctx, second.addr("health and metrics"), alreadyPosted, 2)
	if n := len(digestsIn(fake, ch)); n != 1 {
		t.Errorf("%d digests after the restart; want 1", n)
	}
	waitHeartbeat(ctx, fake)
	second.stop()
}

// alreadyPosted counts the digest firings that found the day's digest
// already posted.
const alreadyPosted = `verbatim_digests_skipped_total{reason="already_posted"}`

// counter reads a counter (its series as /metrics writes it, labels and
// all) from the process's metrics at url; 0 before it is first counted.
func (p *process) counter(ctx context.Context, url, series string) float64 {
	p.t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", url+"/metrics", nil)
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatalf("metrics: %v", err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				p.t.Fatalf("metrics: %q: %v", line, err)
			}
			return f
		}
	}
	return 0
}

// waitCounter waits until the counter series at url reaches at least n.
func (p *process) waitCounter(ctx context.Context, url, series string, n float64) {
	p.t.Helper()
	for p.counter(ctx, url, series) < n {
		select {
		case <-ctx.Done():
			p.t.Fatalf("%s never reached %v: %v\n%s", series, n, ctx.Err(), p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// nonce reads the nonce of a message POST.
func nonce(t *testing.T, c discordtest.Call) string {
	t.Helper()
	var body struct {
		Nonce string `json:"nonce"`
	}
	if err := c.Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Nonce
}

// TestProcessDamagedStateFile starts the bot on a state file that a crash
// of the machine cut short: it says so, keeps the file aside, starts a
// fresh one, answers, and posts the digest of DIGEST_CHANNEL_ID.
func TestProcessDamagedStateFile(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, boltstore.File)
	s, err := boltstore.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)/3], 0o600); err != nil {
		t.Fatal(err)
	}

	fake := discordtest.New(t, discordtest.Config{})
	ch := discordtest.DefaultChannelID
	p := startProcess(t, "DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL, "DATA_DIR="+data,
		"DIGEST_CHANNEL_ID="+ch, "DIGEST_CRON=@every 1s")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.waitReady(ctx, fake)
	p.askZebari(ctx, fake)
	p.waitLog("digest posted")
	log := p.stderr.String()
	if !regexp.MustCompile(`level=ERROR msg="the bot state file was damaged.*damaged_file=`).MatchString(log) {
		t.Errorf("no clear error about the state file:\n%s", log)
	}
	kept, _ := filepath.Glob(path + ".damaged-*")
	if len(kept) != 1 {
		t.Fatalf("damaged file not kept aside: %v", kept)
	}
	if aside, _ := os.ReadFile(kept[0]); !bytes.Equal(aside, b[:len(b)/3]) {
		t.Errorf("the file kept aside is not the damaged one")
	}
	waitHeartbeat(ctx, fake)
	p.stop()
}

// TestProcessShardsSplitDigests runs two processes, shards 0 and 1 of 2,
// each with its own data folder, against one fake Discord. Both are told
// to post to a channel of a guild on shard 0; a channel of a guild on
// shard 1 is subscribed by command. Each channel gets exactly one digest,
// from the shard its guild belongs to; only shard 0 registers the
// commands, and only shard 0 watches the corpus folder they share.
func TestProcessShardsSplitDigests(t *testing.T) {
	const (
		guild0   = "2000000000004194304" // shard 0 of 2
		channel0 = "3000000000000000500"
	)
	channel1 := discordtest.DefaultChannelID // in DefaultGuildID, shard 1 of 2
	if discordtest.ShardForGuild(guild0, 2) != 0 || discordtest.ShardForGuild(discordtest.DefaultGuildID, 2) != 1 {
		t.Fatal("test guilds are not on the shards they should be")
	}
	fake := discordtest.New(t, discordtest.Config{})
	fake.AddGuild(&discordgo.Guild{ID: guild0, Name: "Shard zero", Channels: []*discordgo.Channel{
		{ID: channel0, Name: "news", Type: discordgo.ChannelTypeGuildText}}})
	articles := t.TempDir()
	writeArticle := func(name, title string) {
		t.Helper()
		text := "Title: " + title + "\n\nThe council approved the new bridge on Tuesday, the mayor said.\n"
		if err := os.WriteFile(filepath.Join(articles, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeArticle("bridge.txt", "Bridge approved")
	common := []string{"DISCORD_TOKEN=" + fake.Token(), "DISCORD_API_BASE=" + fake.URL, "SHARD_COUNT=2",
		"DIGEST_CHANNEL_ID=" + channel0, "DIGEST_CRON=@every 1s", "LOG_LEVEL=debug", "CORPUS_DIR=" + articles}
	shard0 := startProcess(t, append(common, "SHARD_ID=0", "HTTP_ADDR=127.0.0.1:0")...)
	shard1 := startProcess(t, append(common, "SHARD_ID=1", "HTTP_ADDR=127.0.0.1:0")...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := fake.WaitIdentify(ctx, 2); err != nil {
		t.Fatalf("%v\n%s\n%s", err, shard0.stderr, shard1.stderr)
	}
	shard1.waitLog("connected to Discord")
	sub := fake.InteractionCreate(t, &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, ChannelID: channel1,
		Member: &discordgo.Member{User: &discordgo.User{ID: discordtest.DefaultUserID}, Permissions: discordgo.PermissionManageGuild},
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "digest", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "subscribe", Type: discordgo.ApplicationCommandOptionSubCommand}}},
	})
	if _, err := fake.WaitInteractionResponse(ctx, sub.ID); err != nil {
		t.Fatalf("/digest subscribe: %v\n%s", err, shard1.stderr)
	}
	err := fake.Until(ctx, func() bool { return len(digestsIn(fake, channel0)) > 0 && len(digestsIn(fake, channel1)) > 0 })
	if err != nil {
		t.Fatalf("digests: %d in shard 0's channel, %d in shard 1's: %v\n--- shard 0\n%s\n--- shard 1\n%s",
			len(digestsIn(fake, channel0)), len(digestsIn(fake, channel1)), err, shard0.stderr, shard1.stderr)
	}
	writeArticle("tunnel.txt", "Tunnel approved")
	shard0.waitLog(`msg="corpus updated" added=1`)
	// Two more firings on each shard after shard 0 saw the new file:
	// still one digest each, and shard 1 saw no change.
	for _, p := range []*process{shard0, shard1} {
		url := p.addr("health and metrics")
		p.waitCounter(ctx, url, alreadyPosted, p.counter(ctx, url, alreadyPosted)+2)
	}
	if strings.Contains(shard1.stderr.String(), "corpus updated") {
		t.Errorf("shard 1 watched the corpus folder too:\n%s", shard1.stderr)
	}
	if !strings.Contains(shard1.stderr.String(), "only shard 0 watches it") {
		t.Errorf("shard 1 did not say it reads the corpus folder once:\n%s", shard1.stderr)
	}
	for _, c := range []string{channel0, channel1} {
		if n := len(digestsIn(fake, c)); n != 1 {
			t.Errorf("channel %s has %d digests; want 1", c, n)
		}
	}
	posted := regexp.MustCompile(`msg="digest posted" channel=(\d+)`)
	for _, tt := range []struct {
		p    *process
		want string
	}{{shard0, channel0}, {shard1, channel1}} {
		for _, m := range posted.FindAllStringSubmatch(tt.p.stderr.String(), -1) {
			if m[1] != tt.want {
				t.Errorf("a shard posted to channel %s, of the other shard's guild", m[1])
			}
		}
	}
	if n := len(fake.CallsTo("PUT", "applications/*/commands")); n != 1 {
		t.Errorf("%d command registrations; want 1, by shard 0", n)
	}
	waitHeartbeat(ctx, fake)
	shard0.stop()
	shard1.stop()
}

// TestProcessHealthWhileDatabaseUnreachable starts the bot with a STATE_URL
// whose server does not answer: it keeps trying, and /healthz answers 503
// saying so, without the password.
func TestProcessHealthWhileDatabaseUnreachable(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{})
	p := startProcess(t, "DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL, "HTTP_ADDR=127.0.0.1:0",
		"STATE_URL=postgres://verbatim:hunter2@127.0.0.1:1/verbatim?connect_timeout=1")
	url := p.addr("health and metrics") + "/healthz"
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(body), "state database unreachable") {
			if strings.Contains(string(body), "hunter2") {
				t.Errorf("/healthz shows the password:\n%s", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz = %d %s; want 503 naming the database\n%s", resp.StatusCode, body, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.waitLog("state database unreachable; trying again")
	if strings.Contains(p.stderr.String(), "hunter2") {
		t.Errorf("the log shows the password:\n%s", p.stderr)
	}
	p.stop()
}
