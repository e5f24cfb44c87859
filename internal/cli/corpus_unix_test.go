//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestCorpusHostileFiles loads a corpus folder holding what should never
// be read as articles: files too large, binary, links out of the folder,
// a link loop, a named pipe (reading it would block for ever) and a
// folder named like an article. The good article is answered from; the
// bad files are named on stderr; nothing outside the folder is read; the
// command does not hang.
func TestCorpusHostileFiles(t *testing.T) {
	outside := t.TempDir()
	secret := "The secret tunnel opens in December, the council said."
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"good.txt":       []byte("Title: Harbour\n\nThe harbour tunnel opens in July, the council said."),
		"huge.txt":       bytes.Repeat([]byte("The harbour tunnel opens in July. "), corpus.MaxFileBytes/34+2),
		"image.md":       append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 3}, 1000)...),
		"nul.txt":        []byte("The tunnel\x00opens in May."),
		"controls.json":  bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 200),
		"utf16.txt":      {0xFF, 0xFE, 'T', 0, 'h', 0, 'e', 0, ' ', 0, 't', 0, 'u', 0, 'n', 0, 'n', 0, 'e', 0, 'l', 0, ' ', 0, 'o', 0, 'p', 0, 'e', 0, 'n', 0, 's', 0, '.', 0},
		"latin1.txt":     []byte("The caf\xe9 by the tunnel opens in June."),
		"huge.meta.json": bytes.Repeat([]byte(" "), corpus.MaxFileBytes+1),
		"withhuge.txt":   []byte("An article whose sidecar is too large."),
	}
	// A sidecar for withhuge.txt that is too large.
	files["withhuge.meta.json"] = files["huge.meta.json"]
	delete(files, "huge.meta.json")
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range map[string]string{
		"linked.txt":  filepath.Join(outside, "secret.txt"),
		"linkdir":     outside,
		"loop.txt":    filepath.Join(dir, "loop.txt"),
		"dangling.md": filepath.Join(outside, "missing.md"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.txt"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o600); err != nil {
		t.Fatal(err)
	}

	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runCLI(t, map[string]string{}, "ask", "--top", "5", "--corpus", dir, "When does the tunnel open?")
		done <- result{code, out, errOut}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("ask hung on the corpus folder")
	}
	if r.code != 0 || !strings.Contains(r.out, "The harbour tunnel opens in July") {
		t.Fatalf("exit %d, answer %q; want the good article's sentence\n%s", r.code, r.out, r.errOut)
	}
	if strings.Contains(r.out, "December") || strings.Contains(r.errOut, "December") {
		t.Errorf("a file outside the corpus folder was read through a link:\n%s\n%s", r.out, r.errOut)
	}
	for _, name := range []string{"huge.txt", "image.md", "nul.txt", "controls.json", "withhuge.txt"} {
		if !strings.Contains(r.errOut, name) {
			t.Errorf("stderr does not name %s:\n%s", name, r.errOut)
		}
	}
	for _, name := range []string{"linked.txt", "pipe.txt", "folder.txt", "loop.txt", "dangling.md", "secret"} {
		if strings.Contains(r.out+r.errOut, name) {
			t.Errorf("%s was treated as an article:\n%s\n%s", name, r.out, r.errOut)
		}
	}
	// Text in other encodings is read, not refused.
	if strings.Contains(r.errOut, "utf16.txt") || strings.Contains(r.errOut, "latin1.txt") {
		t.Errorf("text in UTF-16 or Windows-1252 was refused:\n%s", r.errOut)
	}
}
