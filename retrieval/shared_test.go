package retrieval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// A builder publishes versions of a shared index folder while readers
// have it open: the readers open it read-only side by side, the builder
// is never locked out, and a Follower moves to each new version.
func TestSharedIndexBuilderAndReaders(t *testing.T) {
	ctx := context.Background()
	src, shared := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func() BuildResult {
		t.Helper()
		f, _, err := corpus.ListFolder(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		res, err := BuildShared(ctx, shared, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	answers := func(t *testing.T, ask func(context.Context, Query) (*Answer, error), q, want string) {
		t.Helper()
		a, err := ask(ctx, Query{Text: q})
		if err != nil || a.NoAnswer || a.Quotes[0].Text != want {
			t.Errorf("Ask(%q) = %+v, %v; want %q", q, a, err, want)
		}
	}

	if _, err := OpenFollower(shared, Options{}); err == nil {
		t.Error("OpenFollower of an empty folder: no error")
	}
	write("a.txt", "Title: A\n\nThe minister resigned on Tuesday.\n")
	if res := build(); res.Added != 1 {
		t.Fatalf("first BuildShared = %+v; want 1 added", res)
	}
	fol, err := OpenFollower(shared, answerAll)
	if err != nil {
		t.Fatal(err)
	}
	defer fol.Close()
	other, err := OpenShared(shared, answerAll)
	if err != nil {
		t.Fatalf("a second reader beside the first: %v", err)
	}
	defer other.Close()
	answers(t, fol.Ask, "Who resigned?", "The minister resigned on Tuesday.")
	answers(t, other.Ask, "Who resigned?", "The minister resigned on Tuesday.")
	f, _, err := corpus.ListFolder(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.SyncFolder(ctx, f); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SyncFolder of a reader: err = %v; want ErrReadOnly", err)
	}
	f.Close()

	// The builder publishes while both readers hold the folder open.
	write("b.txt", "Title: B\n\nThe harbour froze in January.\n")
	if res := build(); res.Added != 1 || res.Articles != 2 {
		t.Fatalf("second BuildShared = %+v; want 1 added of 2", res)
	}
	if v := fol.Version(); v != "v000001" {
		t.Errorf("Version before Reload = %s; want v000001", v)
	}
	// Questions keep being answered while the follower moves on.
	var asked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := fol.Ask(ctx, Query{Text: "Who resigned?"}); err != nil {
					t.Errorf("Ask during Reload: %v", err)
					return
				}
				asked.Add(1)
			}
		})
	}
	for asked.Load() < 5 { // the askers are under way
		runtime.Gosched()
	}
	switched, err := fol.Reload()
	close(stop)
	wg.Wait()
	if err != nil || !switched {
		t.Fatalf("Reload = %v, %v; want switched", switched, err)
	}
	if v := fol.Version(); v != "v000002" {
		t.Errorf("Version after Reload = %s; want v000002", v)
	}
	answers(t, fol.Ask, "What froze?", "The harbour froze in January.")
	if arts := fol.Articles(); len(arts) != 2 {
		t.Errorf("Articles after Reload: %d; want 2", len(arts))
	}
	if switched, err := fol.Reload(); switched || err != nil {
		t.Errorf("Reload with nothing new = %v, %v; want false, nil", switched, err)
	}
	// The reader that did not reload still serves its version.
	answers(t, other.Ask, "Who resigned?", "The minister resigned on Tuesday.")

	// Nothing changed: no new version. Changes: older versions pruned.
	if res := build(); res.Changes != (Changes{}) {
		t.Errorf("BuildShared with nothing new = %+v; want no changes", res)
	}
	if v, err := readCurrent(shared); err != nil || v != "v000002" {
		t.Errorf("CURRENT after a build with nothing new = %s, %v; want v000002", v, err)
	}
	for i, name := range []string{"c.txt", "d.txt", "e.txt"} {
		write(name, "Title: "+name+"\n\nAnother report, number "+string(rune('1'+i))+".\n")
		build()
	}
	versions, _ := filepath.Glob(filepath.Join(shared, "v*"))
	if len(versions) != keepVersions {
		t.Errorf("versions kept: %q; want the last %d", versions, keepVersions)
	}
	if _, err := fol.Reload(); err != nil {
		t.Fatal(err)
	}
	if a, s := fol.Size(); a != 5 || s != 5 {
		t.Errorf("Size after the last Reload = %d articles, %d sentences; want 5, 5", a, s)
	}
}
