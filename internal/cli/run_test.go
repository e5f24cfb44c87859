package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/bot/discordtest"
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
	if fi, err := os.Stat(filepath.Join(data, bot.StoreFile)); err != nil || fi.Mode().Perm() != 0o600 {
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
