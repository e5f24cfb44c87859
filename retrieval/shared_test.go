package retrieval

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

// Each version of a shared index folder writes what changed: its
// catalogue's base is the earlier version's file, hard-linked, and its
// own file holds the change; once that file reaches its share of the
// base the two are merged into one, which the next versions take as
// their base. Every version reads as an index of the folder made afresh
// does (its size, fingerprint, articles, each article's sentences, and
// answers), an article removed over a base is gone, a builder that
// starts afresh finds nothing to change, and neither the builder nor a
// follower that holds every entry decodes them all again from one
// layered version to the next: the follower's articles read as the
// fresh index's too.
func TestSharedVersionsLayerTheCatalogue(t *testing.T) {
	ctx := context.Background()
	src, shared := t.TempDir(), t.TempDir()
	texts := recallTexts(t, 6)
	ids := slices.Sorted(maps.Keys(texts))
	write := func(id, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(src, id+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids[:3] {
		write(id, texts[id])
	}
	f, _, err := corpus.ListFolder(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := NewSharedBuilder(shared, Options{})
	b.layerMin, b.compactShare = 0, 3
	if _, err := b.Build(ctx, f); err != nil {
		t.Fatal(err)
	}
	catalogueOf := func(v string) (top, base string) {
		dir := filepath.Join(shared, v, IndexDir)
		return filepath.Join(dir, catalogFile), filepath.Join(dir, catalogBaseFile)
	}
	same := func(a, b string) bool {
		fa, errA := os.Stat(a)
		fb, errB := os.Stat(b)
		return errA == nil && errB == nil && os.SameFile(fa, fb)
	}
	steps := []struct {
		what string
		do   func() string // the file it changed
	}{
		{"add", func() string { write(ids[3], texts[ids[3]]); return ids[3] }},
		{"change", func() string { write(ids[0], texts[ids[0]]+"\n\nThe harbour reopened on Monday."); return ids[0] }},
		{"remove", func() string { os.Remove(filepath.Join(src, ids[1]+".txt")); return ids[1] }},
		{"add", func() string { write(ids[4], texts[ids[4]]); return ids[4] }},
		{"add back", func() string { write(ids[1], texts[ids[1]]); return ids[1] }},
		{"remove", func() string { os.Remove(filepath.Join(src, ids[2]+".txt")); return ids[2] }},
		{"add", func() string { write(ids[5], texts[ids[5]]); return ids[5] }},
		{"change back", func() string { write(ids[0], texts[ids[0]]); return ids[0] }},
		{"remove", func() string { os.Remove(filepath.Join(src, ids[4]+".txt")); return ids[4] }},
	}
	prev, _ := readCurrent(shared)
	fol, err := OpenFollower(shared, answerAll)
	if err != nil {
		t.Fatal(err)
	}
	defer fol.Close()
	fol.Articles() // every entry held
	var layered, merged int
	for i, st := range steps {
		changed := st.do()
		named, _, err := f.Relist(ctx, 0, []string{changed + ".txt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.BuildArticles(ctx, f, named); err != nil {
			t.Fatalf("step %d (%s %s): %v", i, st.what, changed, err)
		}
		cur, err := readCurrent(shared)
		if err != nil || cur == prev {
			t.Fatalf("step %d (%s): current %s, %v; want a new version", i, st.what, cur, err)
		}
		top, base := catalogueOf(cur)
		prevTop, prevBase := catalogueOf(prev)
		switch _, err := os.Stat(base); {
		case err != nil:
			merged++
		case same(base, prevBase) || same(base, prevTop):
			layered++
		default:
			t.Errorf("step %d (%s): the base of %s is neither %s's base nor its catalogue", i, st.what, cur, prev)
		}
		if same(top, prevTop) {
			t.Errorf("step %d (%s): %s writes the catalogue of %s", i, st.what, cur, prev)
		}

		got, err := OpenShared(shared, answerAll)
		if err != nil {
			t.Fatal(err)
		}
		c, problems, err := corpus.LoadDir(ctx, src)
		if err != nil || len(problems) > 0 {
			t.Fatal(err, problems)
		}
		want := memIndex(t, c, answerAll)
		ga, gs := got.Size()
		wa, ws := want.Size()
		if ga != wa || gs != ws || got.Fingerprint() != want.Fingerprint() {
			t.Errorf("step %d (%s): %d articles, %d sentences, %s; afresh %d, %d, %s", i, st.what, ga, gs, got.Fingerprint(), wa, ws, want.Fingerprint())
		}
		for _, a := range want.Articles() {
			g, ok := got.Article(a.ID)
			w, _ := want.Article(a.ID)
			if !ok || g.Hash != w.Hash || len(g.Paragraphs) != len(w.Paragraphs) || g.Paragraphs[0].Text != w.Paragraphs[0].Text {
				t.Errorf("step %d (%s): article %s reads %+v; want %+v", i, st.what, a.ID, g, w)
			}
		}
		if _, ok := got.Article(corpus.ArticleID(changed)); ok != (st.what != "remove") {
			t.Errorf("step %d (%s): article %s held = %v", i, st.what, changed, ok)
		}
		var gotIDs, wantIDs []corpus.ArticleID
		for _, a := range got.Articles() {
			gotIDs = append(gotIDs, a.ID)
		}
		for _, a := range want.Articles() {
			wantIDs = append(wantIDs, a.ID)
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("step %d (%s): articles %v; want %v", i, st.what, gotIDs, wantIDs)
		}
		if switched, err := fol.Reload(); !switched || err != nil {
			t.Fatalf("step %d (%s): follower Reload = %v, %v", i, st.what, switched, err)
		}
		var folIDs []corpus.ArticleID
		for _, a := range fol.Articles() {
			folIDs = append(folIDs, a.ID)
			if g, ok := fol.Article(a.ID); !ok || g.Hash != a.Hash {
				t.Errorf("step %d (%s): the follower's article %s reads %+v", i, st.what, a.ID, g)
			}
		}
		served, done := fol.acquire()
		fp := served.Fingerprint()
		done()
		if !slices.Equal(folIDs, wantIDs) || fp != want.Fingerprint() {
			t.Errorf("step %d (%s): the follower's articles %v, %s; want %v, %s", i, st.what, folIDs, fp, wantIDs, want.Fingerprint())
		}
		for _, q := range determinismQuestions[:4] {
			ga, err1 := got.Ask(ctx, Query{Text: q, Top: 5})
			wa, err2 := want.Ask(ctx, Query{Text: q, Top: 5})
			if err1 != nil || err2 != nil || answerText(ga) != answerText(wa) {
				t.Errorf("step %d (%s): Ask(%q) =\n%s\nwant\n%s", i, st.what, q, answerText(ga), answerText(wa))
			}
		}
		got.Close()
		prev = cur
	}
	if layered == 0 || merged == 0 {
		t.Errorf("%d versions layered, %d merged; want both kinds", layered, merged)
	}
	if fol.carried != layered {
		t.Errorf("the follower carried its entries to %d versions; want the %d layered ones", fol.carried, layered)
	}
	if b.seeded != len(steps) {
		t.Errorf("%d of %d builds started from the entries kept", b.seeded, len(steps))
	}
	// A builder that starts afresh reads the layered catalogue and finds
	// nothing to change.
	if res, err := NewSharedBuilder(shared, Options{}).Build(ctx, f); err != nil || res.Changes != (Changes{}) {
		t.Errorf("a new builder's Build = %+v, %v; want no change", res, err)
	}
	if cur, _ := readCurrent(shared); cur != prev {
		t.Errorf("current %s after a build that changed nothing; want %s", cur, prev)
	}
}
