package corpus

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// loadFingerprint loads dir and returns its corpus fingerprint.
func loadFingerprint(tb testing.TB, dir string) string {
	tb.Helper()
	c, problems, err := LoadDir(context.Background(), dir)
	if err != nil {
		tb.Fatalf("LoadDir: %v", err)
	}
	if len(problems) > 0 {
		tb.Fatalf("LoadDir problems: %v", problems)
	}
	return c.Fingerprint()
}

var fingerprintFiles = map[string]string{
	"a.txt":       "US and Iranian envoys met today.\n",
	"b.md":        "---\ntitle: B\n---\nTalks resume on Monday.\n",
	"c.json":      `{"title": "C", "body": "Delegates agreed to meet again."}`,
	"d.txt":       "Officials said the talks were constructive.\n",
	"d.meta.json": `{"title": "D", "published": "2007-03-10"}`,
	"sub/e.txt":   "In September, the US joined Iran and Syria in talks on Iraq.\n",
}

func TestFingerprintOrderIndependent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fingerprintFiles)
	first := loadFingerprint(t, dir)
	for range 3 {
		if got := loadFingerprint(t, dir); got != first {
			t.Fatalf("Fingerprint of the same folder = %s, then %s", first, got)
		}
	}
	// The same files written in another order, in another folder.
	other := t.TempDir()
	for _, name := range []string{"sub/e.txt", "d.meta.json", "d.txt", "c.json", "b.md", "a.txt"} {
		writeFiles(t, other, map[string]string{name: fingerprintFiles[name]})
	}
	if got := loadFingerprint(t, other); got != first {
		t.Errorf("Fingerprint of a copy = %s; want %s", got, first)
	}

	c, _, _ := LoadDir(context.Background(), dir)
	as := c.Articles()
	reversed := make([]*Article, len(as))
	for i, a := range as {
		reversed[len(as)-1-i] = a
	}
	if got := New(reversed...).Fingerprint(); got != first {
		t.Errorf("New(reversed articles).Fingerprint() = %s; want %s", got, first)
	}
}

func TestFingerprintChanges(t *testing.T) {
	tests := []struct {
		name   string
		change func(dir string) error
	}{
		{"edit one byte", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "a.txt"), []byte("US and Iranian envoys met today!\n"), 0o644)
		}},
		{"edit one byte in a subfolder", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "sub", "e.txt"), []byte("In September, the US joined Iran and Syria in talks on Iran.\n"), 0o644)
		}},
		{"add a file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "f.txt"), []byte("A new article.\n"), 0o644)
		}},
		{"remove a file", func(dir string) error { return os.Remove(filepath.Join(dir, "c.json")) }},
		{"change a sidecar", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "d.meta.json"), []byte(`{"title": "D", "published": "2007-03-11"}`), 0o644)
		}},
		{"remove a sidecar", func(dir string) error { return os.Remove(filepath.Join(dir, "d.meta.json")) }},
		{"add a sidecar", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "a.meta.json"), []byte(`{"title": "A"}`), 0o644)
		}},
		{"rename a file", func(dir string) error {
			return os.Rename(filepath.Join(dir, "a.txt"), filepath.Join(dir, "a2.txt"))
		}},
		{"change the format", func(dir string) error {
			return os.Rename(filepath.Join(dir, "a.txt"), filepath.Join(dir, "a.md"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, fingerprintFiles)
			before := loadFingerprint(t, dir)
			if err := tt.change(dir); err != nil {
				t.Fatal(err)
			}
			if after := loadFingerprint(t, dir); after == before {
				t.Errorf("Fingerprint unchanged (%s) after %s", after, tt.name)
			}
		})
	}
}

func TestFingerprintIgnores(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fingerprintFiles)
	before := loadFingerprint(t, dir)
	// Files that are not articles do not change what is indexed.
	writeFiles(t, dir, map[string]string{"notes.doc": "x", ".hidden.txt": "A hidden article.\n", "c.meta.json": `{"title": "not read"}`})
	if after := loadFingerprint(t, dir); after != before {
		t.Errorf("Fingerprint changed (%s -> %s) after adding files that are not articles", before, after)
	}
}

func TestArticleHashDependsOnSidecar(t *testing.T) {
	data := []byte("US and Iranian envoys met today.\n")
	plain, err := Parse("a", FormatText, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{"no sidecar": plain.Hash}
	for _, side := range []string{`{"title": "A"}`, `{"title": "B"}`, `{"title": "A", "unknown": 1}`} {
		a, err := Parse("a", FormatText, data, []byte(side))
		if err != nil {
			t.Fatal(err)
		}
		for what, h := range hashes {
			if a.Hash == h {
				t.Errorf("Hash with sidecar %s = Hash with %s", side, what)
			}
		}
		hashes[side] = a.Hash
	}
	again, _ := Parse("a", FormatText, data, nil)
	if again.Hash != plain.Hash {
		t.Errorf("Hash of the same bytes differs: %s, %s", plain.Hash, again.Hash)
	}
	md, _ := Parse("a", FormatMarkdown, data, nil)
	if md.Hash == plain.Hash {
		t.Errorf("Hash of the same bytes as .txt and .md is the same; want them to differ")
	}
}

func TestDefaultFingerprintStable(t *testing.T) {
	c1, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Default()
	if c1.Fingerprint() != c2.Fingerprint() || len(c1.Fingerprint()) != 32 {
		t.Errorf("Default().Fingerprint() = %q, %q; want one 32-digit value", c1.Fingerprint(), c2.Fingerprint())
	}
}

// TestFingerprintSumIncremental checks that a fingerprint kept article by
// article, through additions, changes and removals, is the fingerprint
// of the articles it ends with, in any order, and tells apart corpora that
// hold the same ids and hashes paired otherwise.
func TestFingerprintSumIncremental(t *testing.T) {
	var s FingerprintSum
	if s.String() != FingerprintOf(nil) {
		t.Errorf("the zero sum is %s; the empty corpus's %s", s.String(), FingerprintOf(nil))
	}
	s.Add("a", "h1")
	s.Add("b", "h2")
	s.Add("c", "h3")
	s.Remove("b", "h2") // b removed
	s.Remove("a", "h1") // a changed
	s.Add("a", "h4")
	want := []IDHash{{"c", "h3"}, {"a", "h4"}}
	if got := s.String(); got != FingerprintOf(want) || got != FingerprintOf([]IDHash{want[1], want[0]}) {
		t.Errorf("kept: %s; from scratch %s, reversed %s", got, FingerprintOf(want), FingerprintOf([]IDHash{want[1], want[0]}))
	}
	for _, tt := range []struct{ a, b []IDHash }{
		{[]IDHash{{"a", "h1"}, {"b", "h2"}}, []IDHash{{"a", "h2"}, {"b", "h1"}}},
		{[]IDHash{{"a", "h1"}}, []IDHash{{"a", "h1"}, {"a", "h1"}}},
		{[]IDHash{{"ab", "c"}}, []IDHash{{"a", "bc"}}},
	} {
		if FingerprintOf(tt.a) == FingerprintOf(tt.b) {
			t.Errorf("%v and %v have one fingerprint", tt.a, tt.b)
		}
	}
	s.Remove("c", "h3")
	s.Remove("a", "h4")
	if s != (FingerprintSum{}) {
		t.Errorf("every article removed: sum %v; want zero", s)
	}
}

// TestFingerprintSumText checks that a sum an index keeps reads back as
// it was, and that a damaged one is an error.
func TestFingerprintSumText(t *testing.T) {
	var s FingerprintSum
	s.Add("x", "y")
	text, err := s.MarshalText()
	if err != nil || len(text) != 64 {
		t.Fatalf("MarshalText = %q, %v", text, err)
	}
	var back FingerprintSum
	if err := back.UnmarshalText(text); err != nil || back != s {
		t.Errorf("read back %v, %v; want %v", back, err, s)
	}
	for _, bad := range []string{"", "zz", string(text[:62]), string(text) + "00"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q): no error", bad)
		}
	}
}
