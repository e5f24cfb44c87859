package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Build indexes a folder a part at a time into the index Open would have
// made: a bot opening it afterwards finds nothing to do.
func TestBuildThenOpen(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Title: A\n\nThe minister said the talks went well. They will meet in Istanbul.\n")
	write("b.txt", "Title: B\n\nPrices rose in March. Analysts expect more.\n")
	write("broken.txt", "  \n")
	build := func() BuildResult {
		t.Helper()
		f, _, err := corpus.OpenFolder(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		res, err := Build(ctx, data, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := build()
	if res.Added != 2 || res.Articles != 2 || res.Sentences != 4 || len(res.Problems) != 1 {
		t.Errorf("first Build = %+v; want 2 added, 2 articles, 4 sentences, 1 problem", res)
	}
	if again := build(); again.Changes != (Changes{}) || again.Fingerprint != res.Fingerprint {
		t.Errorf("second Build = %+v; want no changes", again)
	}
	write("b.txt", "Title: B\n\nPrices fell in March.\n")
	write("c.txt", "Title: C\n\nThe minister resigned.\n")
	os.Remove(filepath.Join(dir, "a.txt"))
	if res = build(); res.Added != 1 || res.Updated != 1 || res.Removed != 1 || res.Sentences != 2 {
		t.Errorf("Build after changes = %+v; want 1 added, 1 updated, 1 removed, 2 sentences", res)
	}

	c, _, err := corpus.LoadDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Fingerprint() != res.Fingerprint {
		t.Errorf("Build fingerprint %s; the loaded corpus has %s", res.Fingerprint, c.Fingerprint())
	}
	ix, err := openDir(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ch, err := ix.SyncChanges(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if ch != (Changes{}) {
		t.Errorf("Sync after Build = %+v; want nothing to do", ch)
	}
	a, err := ix.Ask(ctx, Query{Text: "Who resigned?"})
	if err != nil || len(a.Quotes)+len(a.Suggestions) == 0 || append(a.Quotes, a.Suggestions...)[0].Text != "The minister resigned." {
		t.Errorf("Ask after Build = %+v, %v", a, err)
	}
	if n, err := ix.bi.DocCount(); err != nil || n != 2 {
		t.Errorf("bleve holds %d documents, %v; want 2", n, err)
	}
}

// SyncFolder reads only the files whose stamp moved: a file rewritten
// with its size and time put back is taken as unchanged, a file touched
// but not changed is hashed and kept, and the index, reopened, answers
// and quotes with no corpus loaded.
func TestSyncFolderReadsOnlyWhatMoved(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(path(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Title: A\n\nThe minister said the talks went well.\n")
	write("b.txt", "Title: B\n\nPrices rose in March.\n")
	sync := func(ix *Index) BuildResult { return syncListed(ctx, t, ix, dir) }
	f, _, err := corpus.ListFolder(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, res, err := OpenFolder(ctx, data, f, Options{})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 {
		t.Fatalf("OpenFolder = %+v; want 2 added", res)
	}

	// Same size, time put back: not read, so not seen.
	fi, err := os.Stat(path("a.txt"))
	if err != nil {
		t.Fatal(err)
	}
	write("a.txt", "Title: A\n\nThe minister said the talks went ugly.\n")
	if err := os.Chtimes(path("a.txt"), fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	// Touched only: hashed, found the same.
	later := fi.ModTime().Add(time.Hour)
	if err := os.Chtimes(path("b.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	if res := sync(ix); res.Changes != (Changes{}) || res.Articles != 2 {
		t.Errorf("SyncFolder after a rewrite with the stamp kept and a touch = %+v; want no changes", res)
	}
	write("c.txt", "Title: C\n\nThe minister resigned.\n")
	if res := sync(ix); res.Added != 1 || res.Articles != 3 {
		t.Errorf("SyncFolder after a new file = %+v; want 1 added", res)
	}
	write("b.meta.json", `{"source": "The Herald"}`)
	if res := sync(ix); res.Updated != 1 {
		t.Errorf("SyncFolder after a new sidecar = %+v; want 1 updated", res)
	}
	ix.Close()

	if ix, err = openDir(data, answerAll); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a, err := ix.Ask(ctx, Query{Text: "Who resigned?"})
	if err != nil || a.NoAnswer || a.Quotes[0].Text != "The minister resigned." || a.Quotes[0].Article.Title != "C" {
		t.Errorf("Ask on the reopened index = %+v, %v; want the minister resigned, from C", a, err)
	}
	if got := len(ix.Articles()); got != 3 {
		t.Errorf("Articles() holds %d; want 3", got)
	}
	if b, ok := ix.Article("b"); !ok || b.Source != "The Herald" {
		t.Errorf("Article(b) = %+v, %v; want its sidecar's source", b, ok)
	}
	if art, ok := ix.Article("a"); !ok || art.Paragraphs[0].Sentences[0].Text != "The minister said the talks went well." {
		t.Errorf("Article(a) = %+v, %v; want the text as indexed", art, ok)
	}
}

// An index kept up to date by the articles a relisting names holds what
// one kept up to date by listing the whole folder holds, change after
// change: the same articles, hashes, sentences and fingerprint, and the
// same counts of what changed; the article files not named are not read.
func TestSyncArticlesMatchesSyncFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, text string) func() {
		return func() {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	remove := func(name string) func() {
		return func() { os.Remove(filepath.Join(dir, filepath.FromSlash(name))) }
	}
	write("a.txt", "Title: A\n\nThe minister said the talks went well. They will meet in Istanbul.\n")()
	write("b.txt", "Title: B\n\nPrices rose in March. Analysts expect more.\n")()
	write("sub/c.txt", "Title: C\n\nThe envoy left Baghdad.\n")()
	open := func() *Index {
		ix, err := openDir(t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		syncListed(ctx, t, ix, dir)
		return ix
	}
	kept, listed := open(), open()
	f, _, err := corpus.ListFolder(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	steps := []struct {
		name  string
		do    func()
		paths []string
		want  Changes
	}{
		{"added", write("d.txt", "Title: D\n\nThe minister resigned.\n"), []string{"d.txt"}, Changes{Added: 1}},
		{"changed", write("b.txt", "Title: B\n\nPrices fell in March. Analysts expect less.\n"), []string{"b.txt"}, Changes{Updated: 1}},
		{"a sidecar", write("a.meta.json", `{"title": "A again"}`), []string{"a.meta.json"}, Changes{Updated: 1}},
		{"touched, not changed", func() {
			later := time.Now().Add(time.Hour)
			os.Chtimes(filepath.Join(dir, "d.txt"), later, later)
		}, []string{"d.txt"}, Changes{}},
		{"removed", remove("a.txt"), []string{"a.txt"}, Changes{Removed: 1}},
		{"a shadowing file", write("0/c.txt", "Title: C0\n\nThe envoy came back.\n"), []string{"0/c.txt"}, Changes{Updated: 1}},
		{"broken", write("e.txt", "   \n"), []string{"e.txt"}, Changes{}},
		{"a folder gone", func() { os.RemoveAll(filepath.Join(dir, "0")) }, []string{"0"}, Changes{Updated: 1}},
	}
	for _, st := range steps {
		st.do()
		ids, _, err := f.Relist(ctx, 0, st.paths)
		if err != nil {
			t.Fatal(err)
		}
		got, err := kept.SyncArticles(ctx, f, ids)
		if err != nil {
			t.Fatalf("%s: SyncArticles: %v", st.name, err)
		}
		want := syncListed(ctx, t, listed, dir)
		if got.Changes != st.want || want.Changes != st.want {
			t.Errorf("%s: SyncArticles changed %+v, SyncFolder %+v; want %+v", st.name, got.Changes, want.Changes, st.want)
		}
		if got.Articles != want.Articles || got.Sentences != want.Sentences || got.Fingerprint != want.Fingerprint {
			t.Errorf("%s: SyncArticles gives %d articles, %d sentences, %s; SyncFolder %d, %d, %s",
				st.name, got.Articles, got.Sentences, got.Fingerprint, want.Articles, want.Sentences, want.Fingerprint)
		}
		for id, e := range listed.man.Articles.all() {
			if k, ok := kept.man.Articles.get(id); !ok || k.Hash != e.Hash || k.Stamp != e.Stamp {
				t.Errorf("%s: article %s kept as %+v; listed as %+v", st.name, id, k, e)
			}
		}
		if n, err := kept.bi.DocCount(); err != nil || int(n) != want.Sentences {
			t.Errorf("%s: bleve holds %d sentences, %v; want %d", st.name, n, err, want.Sentences)
		}
	}
	// A file not named is not read: a changed file no relisting named
	// stays as indexed.
	write("b.txt", "Title: B\n\nPrices held in March.\n")()
	for _, ids := range [][]corpus.ArticleID{{"d"}, nil} {
		res, err := kept.SyncArticles(ctx, f, ids)
		if err != nil || res.Changes != (Changes{}) || res.Articles != 3 || res.Fingerprint != kept.man.Fingerprint {
			t.Errorf("SyncArticles(%v) of unchanged articles = %+v, %v; want no change, 3 articles", ids, res, err)
		}
	}
}
