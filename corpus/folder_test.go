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
