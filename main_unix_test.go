//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

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

// TestProcessServesAndStopsOnSIGTERM runs the built binary against the fake
// Discord: it connects, answers, and on SIGTERM closes the gateway and
// exits 0 within a few seconds, never printing its token even at debug
// level.
func TestProcessServesAndStopsOnSIGTERM(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "verbatim")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := discordtest.New(t, discordtest.Config{})
	var stderr lockedBuffer
	cmd := exec.Command(bin, "run")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(),
		"DISCORD_TOKEN="+fake.Token(), "DISCORD_API_BASE="+fake.URL,
		"DATA_DIR="+filepath.Join(cmd.Dir, "data"), "LOG_LEVEL=debug", "CORPUS_DIR=")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("never connected: %v\n%s", err, stderr.String())
	}
	m := fake.MessageCreate(t, &discordgo.Message{Content: "<@" + fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if _, err := fake.WaitCall(ctx, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	}); err != nil {
		t.Fatalf("no answer: %v", err)
	}
	fake.Until(ctx, func() bool {
		for _, c := range fake.Conns() {
			if c.Open && c.Heartbeats > 0 {
				return true
			}
		}
		return false
	})

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; want status 0\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", stderr.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
	if strings.Contains(stderr.String(), fake.Token()) {
		t.Errorf("the token appears in the log")
	}
	if !strings.Contains(stderr.String(), "verbatim stopped") {
		t.Errorf("no clean stop logged:\n%s", stderr.String())
	}
}
