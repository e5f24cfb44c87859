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
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
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
	if _, err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, p.stderr)
	}
	m := fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if _, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	}); err != nil {
		t.Fatalf("no answer: %v", err)
	}
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
	if _, err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, p.stderr)
	}
	m := fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	c, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil || !strings.Contains(string(c.Body), "foreign minister") {
		t.Fatalf("no answer from the rebuilt index: %v\n%s", err, p.stderr)
	}
	log := p.stderr.String()
	if !regexp.MustCompile(`level=WARN msg="index damaged; rebuilding it".*checksum`).MatchString(log) {
		t.Errorf("no warning that names the damage:\n%s", log)
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
// through everything it logs: connecting, questions every way, errors,
// faults, reconnections, its HTTP servers, and shutdown. The token
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
		"ANSWER_CHANNEL_IDS="+answerChan)
	opsURL, endpoint := p.addr("health and metrics"), p.addr("interactions")
	// Each wait has its own 20 seconds, so a slow step is named.
	wait := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	if _, err := fake.WaitReady(wait()); err != nil {
		t.Fatalf("never connected: %v\n%s", err, p.stderr)
	}
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
	fake.DropGateway(discordtest.AllShards)
	if err := fake.WaitResume(wait(), 1); err != nil {
		t.Fatal(err)
	}
	fake.Reconnect(discordtest.AllShards)
	if err := fake.WaitResume(wait(), 2); err != nil {
		t.Fatal(err)
	}
	fake.InvalidateSession(discordtest.AllShards, false)
	if err := fake.WaitIdentify(wait(), 2); err != nil {
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
	for _, want := range []string{"level=DEBUG", "connected to Discord", "gateway session resumed", "interaction refused: bad signature", "verbatim stopped"} {
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
	if _, err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, p.stderr)
	}
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
