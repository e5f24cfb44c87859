package corpus

import (
	"context"
	"errors"
	"testing"
)

// A folder listed and loaded a part at a time gives the articles, hashes
// and fingerprint LoadDir gives.
func TestFolderMatchesLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/one.txt":       syntheticArticle(3, 1),
		"a/one.meta.json": `{"title": "One"}`,
		"b/two.md":        "---\ntitle: Two\n---\nIt rained. It stopped.\n",
		"b/three.json":    `{"title": "Three", "body": "Prices rose. They fell."}`,
		"c/one.txt":       syntheticArticle(2, 2), // a second "one"
		"c/empty.txt":     "   \n",                // does not parse
	})
	ctx := context.Background()
	c, _, err := LoadDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	f, problems, err := OpenFolder(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if len(problems) != 1 {
		t.Errorf("OpenFolder problems = %v; want the duplicate id", problems)
	}
	if got := len(f.Files()); got != 4 {
		t.Fatalf("%d files; want 4", got)
	}
	var loaded []IDHash
	for i := range f.Files() {
		arts, probs, err := f.Load(ctx, f.Files()[i:i+1])
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			if !errors.Is(p, ErrNoText) {
				t.Errorf("Load problem %v; want only the empty file's", p)
			}
		}
		for _, a := range arts {
			want, ok := c.Article(a.ID)
			if !ok || want.Hash != a.Hash || want.Hash != f.Files()[i].Hash {
				t.Errorf("article %s: hash %s, listed %s; LoadDir has %v", a.ID, a.Hash, f.Files()[i].Hash, want)
			}
			loaded = append(loaded, IDHash{a.ID, a.Hash})
		}
	}
	if got, want := FingerprintOf(loaded), c.Fingerprint(); got != want {
		t.Errorf("FingerprintOf = %s; LoadDir's corpus has %s", got, want)
	}
}

// Add puts a second folder's files after the first's: an id both hold is
// the first folder's, the second's file reported; the others are hashed
// and loaded from their own folder.
func TestFolderAdd(t *testing.T) {
	ctx := context.Background()
	first, second := t.TempDir(), t.TempDir()
	writeFiles(t, first, map[string]string{
		"one.txt": "Title: First one\n\nIt rained in the first folder.\n",
	})
	writeFiles(t, second, map[string]string{
		"one.json": `{"title": "Second one", "body": "It rained in the second folder."}`,
		"two.json": `{"title": "Two", "body": "Prices rose in the second folder."}`,
	})
	f, _, err := ListFolder(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, _, err := ListFolder(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	problems := f.Add(g)
	var fe *FileError
	if len(problems) != 1 || !errors.As(problems[0], &fe) || fe.Path != "one.json" {
		t.Errorf("Add problems = %v; want one.json's id clash", problems)
	}
	files := f.Files()
	if len(files) != 2 || files[0].ID != "one" || files[1].ID != "two" {
		t.Fatalf("files after Add = %+v; want one (the first folder's) and two", files)
	}
	for _, ff := range files {
		if h, err := f.Hash(ff); err != nil || h == "" {
			t.Errorf("Hash(%s) = %q, %v; want the hash of its file", ff.Path, h, err)
		}
	}
	arts, problems, err := f.Load(ctx, files)
	if err != nil || len(problems) != 0 || len(arts) != 2 {
		t.Fatalf("Load = %d articles, %v, %v; want 2", len(arts), problems, err)
	}
	if arts[0].Title != "First one" || arts[1].Title != "Two" {
		t.Errorf("loaded %q and %q; want First one (first folder) and Two (second)", arts[0].Title, arts[1].Title)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
}
