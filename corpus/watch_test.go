package corpus

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log sink safe for concurrent writes.
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

// writeFile writes a file the way a careful producer does: to a hidden
// temporary name, then renamed into place.
func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	tmp := filepath.Join(filepath.Dir(p), ".tmp-"+filepath.Base(p))
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func articleText(title, body string) string {
	return "Title: " + title + "\nSource: Test\n\n" + body + "\n"
}

func ids(c *Corpus) []string {
	var out []string
	for _, a := range c.Articles() {
		out = append(out, string(a.ID))
	}
	return out
}

func TestWatcherFollowsTheFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", articleText("Alpha", "The first article says one thing."))
	writeFile(t, dir, "b.txt", articleText("Beta", "The second article says another thing."))

	logs := &lockedBuffer{}
	w, err := NewWatcher(dir, WatchOptions{Debounce: 30 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, problems, err := w.Load(ctx)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Load = %v, %v", problems, err)
	}
	if got := ids(c); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("loaded %q", got)
	}

	updates := make(chan *Corpus, 100)
	done := make(chan error, 1)
	go func() {
		done <- w.Run(ctx, func(_ context.Context, c *Corpus) error {
			updates <- c
			return nil
		})
	}()
	// waitFor takes updates until one satisfies ok. Events can come in
	// more than one batch, so intermediate corpora are skipped.
	waitFor := func(what string, ok func(*Corpus) bool) *Corpus {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case c := <-updates:
				if ok(c) {
					return c
				}
			case <-deadline:
				t.Fatalf("no update with %s; logs:\n%s", what, logs)
			}
		}
	}
	article := func(c *Corpus, id string) *Article {
		a, _ := c.Article(ArticleID(id))
		return a
	}
	a0, b0 := article(c, "a"), article(c, "b")

	// A new file: the others keep their values.
	writeFile(t, dir, "c.md", "---\ntitle: Gamma\n---\n\nA third article arrives later.\n")
	c = waitFor("c added", func(c *Corpus) bool { return article(c, "c") != nil })
	if article(c, "a") != a0 || article(c, "b") != b0 {
		t.Errorf("unchanged articles were read again")
	}

	// A changed file.
	writeFile(t, dir, "a.txt", articleText("Alpha", "The first article now says something else entirely."))
	c = waitFor("a changed", func(c *Corpus) bool { a := article(c, "a"); return a != nil && a != a0 })
	if !strings.Contains(article(c, "a").Paragraphs[0].Text, "something else") || article(c, "b") != b0 {
		t.Errorf("a = %q; b kept %v", article(c, "a").Paragraphs[0].Text, article(c, "b") == b0)
	}

	// A sidecar changes its article (filling what the file lacks).
	writeFile(t, dir, "b.meta.json", `{"url": "https://example.com/b"}`)
	waitFor("b's sidecar", func(c *Corpus) bool { b := article(c, "b"); return b != nil && b.URL == "https://example.com/b" })

	// A new subfolder with an article in it, and a broken file: reported
	// by name, skipped, the rest unharmed.
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "sub/d.json", `{"title": "Delta", "body": "An article in a subfolder."}`)
	writeFile(t, dir, "broken.json", `{"title": "Broken", "body": `)
	c = waitFor("sub/d added", func(c *Corpus) bool { return article(c, "d") != nil })
	if article(c, "broken") != nil {
		t.Errorf("the broken file was loaded")
	}
	if err := waitLog(logs, "broken.json"); err != nil {
		t.Error(err)
	}

	// Hidden files are ignored; removals remove.
	writeFile(t, dir, ".hidden.txt", articleText("Hidden", "Nobody should see this article."))
	if err := os.Remove(filepath.Join(dir, "a.txt")); err != nil {
		t.Fatal(err)
	}
	waitFor("a removed", func(c *Corpus) bool { return article(c, "a") == nil })
	if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	c = waitFor("sub removed", func(c *Corpus) bool { return article(c, "d") == nil })
	if got := ids(c); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("corpus %q; want b and c", got)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v; want nil when ctx ends", err)
	}
}

// waitLog waits until the log mentions s. Logging happens before the
// update is delivered, so this only bridges goroutine scheduling.
func waitLog(logs *lockedBuffer, s string) error {
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), s) {
		if time.Now().After(deadline) {
			return &FileError{Path: s, Err: os.ErrNotExist}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

func TestWatcherRetriesAFailedUpdate(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", articleText("Alpha", "The first article says one thing."))
	w, err := NewWatcher(dir, WatchOptions{Debounce: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, _, err := w.Load(ctx); err != nil {
		t.Fatal(err)
	}
	calls := make(chan int, 10)
	n := 0
	go w.Run(ctx, func(_ context.Context, c *Corpus) error {
		n++
		calls <- c.Len()
		if n == 1 {
			return os.ErrDeadlineExceeded
		}
		return nil
	})
	writeFile(t, dir, "b.txt", articleText("Beta", "The second article says another thing."))
	for want := 1; want <= 2; want++ {
		select {
		case got := <-calls:
			if got != 2 {
				t.Errorf("call %d: corpus of %d; want 2", want, got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("update %d never came", want)
		}
	}
}

func TestWatcherLoadMatchesLoadDir(t *testing.T) {
	dir := filepath.Join("testdata", "mixed")
	want, wantProblems, err := LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWatcher(dir, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got, problems, err := w.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Fingerprint() != want.Fingerprint() {
		t.Errorf("Load gives %q; LoadDir %q", ids(got), ids(want))
	}
	if len(problems) != len(wantProblems) {
		t.Fatalf("Load problems %v; LoadDir %v", problems, wantProblems)
	}
	for i := range problems {
		if problems[i].Error() != wantProblems[i].Error() {
			t.Errorf("problem %d = %v; want %v", i, problems[i], wantProblems[i])
		}
	}
}

// Notify names the paths that changed, so that a Folder relisted by them
// stays what a new listing of the folder is: files added, changed and
// removed, sidecars, subfolders made and removed, files moved.
func TestWatcherNotifyKeepsAFolderListed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", articleText("Alpha", "The first article says one thing."))
	w, err := NewWatcher(dir, WatchOptions{Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, _, err := ListFolder(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	snapshots := make(chan []listedFile, 100)
	done := make(chan error, 1)
	go func() {
		done <- w.Notify(ctx, func(ctx context.Context, paths []string) error {
			if paths == nil {
				paths = []string{"."}
			}
			if _, _, err := f.Relist(ctx, 0, paths); err != nil {
				return err
			}
			snapshots <- listedFiles(f)
			return nil
		})
	}()
	steps := []struct {
		name string
		do   func()
	}{
		{"a file added", func() { writeFile(t, dir, "b.txt", articleText("Beta", "Another thing.")) }},
		{"a file changed", func() { writeFile(t, dir, "a.txt", articleText("Alpha", "The first article says something else.")) }},
		{"a sidecar added", func() { writeFile(t, dir, "a.meta.json", `{"title": "Alpha two"}`) }},
		{"a subfolder made with files", func() {
			if err := os.MkdirAll(filepath.Join(dir, "sub", "deep"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "sub/deep/c.md", "# Gamma\n\nA third thing.\n")
			writeFile(t, dir, "sub/d.txt", articleText("Delta", "A fourth thing."))
		}},
		{"a file moved", func() {
			if err := os.Rename(filepath.Join(dir, "b.txt"), filepath.Join(dir, "sub", "b.txt")); err != nil {
				t.Fatal(err)
			}
		}},
		{"a subfolder removed", func() {
			if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file removed", func() { os.Remove(filepath.Join(dir, "a.meta.json")) }},
	}
	for _, st := range steps {
		st.do()
		fresh, _, err := ListFolder(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		want := listedFiles(fresh)
		fresh.Close()
		deadline := time.After(10 * time.Second)
		var got []listedFile
	wait:
		for {
			select {
			case got = <-snapshots:
				if slices.Equal(got, want) {
					break wait
				}
			case err := <-done:
				t.Fatalf("%s: Notify ended: %v", st.name, err)
			case <-deadline:
				t.Fatalf("%s: the folder kept by Notify is\n%v\nlisted anew\n%v", st.name, got, want)
			}
		}
	}
}
