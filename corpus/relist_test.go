package corpus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// listedFile is what a test compares of a listed file.
type listedFile struct {
	ID          ArticleID
	Part        int
	Path, Stamp string
}

func listedFiles(f *Folder) []listedFile {
	var out []listedFile
	for _, ff := range f.Files() {
		out = append(out, listedFile{ff.ID, ff.src, ff.Path, ff.Stamp})
	}
	return out
}

// listTwo lists a corpus folder with a second folder added, as the bot
// lists its corpus folder and its stored articles.
func listTwo(t *testing.T, first, second string) *Folder {
	t.Helper()
	ctx := context.Background()
	f, _, err := ListFolder(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	g, _, err := ListFolder(ctx, second)
	if err != nil {
		f.Close()
		t.Fatal(err)
	}
	f.Add(g)
	return f
}

// A folder kept and relisted by the paths that changed lists what a new
// listing lists, and names exactly the ids whose file changed: files
// added, changed, removed, their sidecars, ids shadowed and uncovered (in
// one folder and across two), folders removed and moved in, links and
// hidden files.
func TestFolderRelist(t *testing.T) {
	ctx := context.Background()
	dir, stored := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/one.txt": syntheticArticle(1, 1),
		"two.md":    "# Two\n\nIt rained.\n",
		"sub/x.txt": syntheticArticle(1, 3),
	})
	writeFiles(t, stored, map[string]string{"s1.json": `{"title": "S1", "body": "It snowed."}`})
	write := func(root, name, text string) func(*testing.T) {
		return func(t *testing.T) { writeFiles(t, root, map[string]string{name: text}) }
	}
	remove := func(root, name string) func(*testing.T) {
		return func(t *testing.T) {
			if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
		}
	}
	outside := t.TempDir()
	steps := []struct {
		name  string
		do    func(*testing.T)
		part  int
		paths []string
		ids   []ArticleID // the ids named as changed
		dups  int         // shadowed files reported
	}{
		{"a new file", write(dir, "new.txt", syntheticArticle(2, 4)), 0, []string{"new.txt"}, []ArticleID{"new"}, 0},
		{"a file changed", write(dir, "a/one.txt", syntheticArticle(3, 1)), 0, []string{"a/one.txt"}, []ArticleID{"one"}, 0},
		{"a sidecar added", write(dir, "a/one.meta.json", `{"title": "One"}`), 0, []string{"a/one.meta.json"}, []ArticleID{"one"}, 0},
		{"a sidecar changed", write(dir, "a/one.meta.json", `{"title": "One again"}`), 0, []string{"a/one.meta.json"}, []ArticleID{"one"}, 0},
		{"a later file of one id", write(dir, "c/one.txt", syntheticArticle(1, 5)), 0, []string{"c/one.txt"}, nil, 1},
		{"the first file of that id removed", remove(dir, "a/one.txt"), 0, []string{"a/one.txt"}, []ArticleID{"one"}, 0},
		{"an earlier file of that id", write(dir, "0/one.md", "# One\n\nIt hailed.\n"), 0, []string{"0/one.md"}, []ArticleID{"one"}, 1},
		{"a stored article an id of the corpus folder has", write(stored, "two.json", `{"title": "Two", "body": "Fog."}`), 1, []string{"two.json"}, nil, 1},
		{"a new stored article", write(stored, "s2.json", `{"title": "S2", "body": "Sleet."}`), 1, []string{"s2.json"}, []ArticleID{"s2"}, 0},
		{"the corpus file of a stored id removed", remove(dir, "two.md"), 0, []string{"two.md"}, []ArticleID{"two"}, 0},
		{"a folder removed", remove(dir, "0"), 0, []string{"0"}, []ArticleID{"one"}, 0},
		{"a folder moved in", func(t *testing.T) {
			writeFiles(t, outside, map[string]string{"m/deep/m1.txt": syntheticArticle(1, 6), "m/m2.md": "# M2\n\nWind.\n"})
			if err := os.Rename(filepath.Join(outside, "m"), filepath.Join(dir, "m")); err != nil {
				t.Fatal(err)
			}
		}, 0, []string{"m"}, []ArticleID{"m1", "m2"}, 0},
		{"a link and a hidden file", func(t *testing.T) {
			if err := os.Symlink(filepath.Join(dir, "new.txt"), filepath.Join(dir, "link.txt")); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, dir, map[string]string{".hidden.txt": syntheticArticle(1, 7), ".h/in.txt": syntheticArticle(1, 8)})
		}, 0, []string{"link.txt", ".hidden.txt", ".h/in.txt", ".h"}, nil, 0},
		{"a path that is neither", write(dir, "notes.csv", "a,b\n"), 0, []string{"notes.csv", "../escape.txt", "/abs.txt"}, nil, 0},
		{"changes not named, then the whole folder", func(t *testing.T) {
			writeFiles(t, dir, map[string]string{"late.txt": syntheticArticle(1, 9), "m/m2.md": "# M2\n\nWind and rain.\n"})
			remove(dir, "sub")(t)
		}, 0, []string{"."}, []ArticleID{"late", "m2", "x"}, 0},
		{"nothing changed", func(*testing.T) {}, 0, []string{".", "new.txt", "m"}, nil, 0},
		{"many paths at once", func(t *testing.T) {
			writeFiles(t, dir, map[string]string{"new.meta.json": `{"title": "New"}`, "m/m2.meta.json": `{"title": "M2"}`})
			remove(dir, "m/deep")(t)
		}, 0, append([]string{"new.meta.json", "m/m2.meta.json", "m/deep"}, manyPaths(200)...), []ArticleID{"m1", "m2", "new"}, 0},
		{"a shadowed file changed", write(dir, "m/one.txt", syntheticArticle(2, 12)), 0, []string{"m/one.txt"}, nil, 1},
	}
	f := listTwo(t, dir, stored)
	defer f.Close()
	for _, st := range steps {
		st.do(t)
		ids, problems, err := f.Relist(ctx, st.part, st.paths)
		if err != nil {
			t.Fatalf("%s: Relist: %v", st.name, err)
		}
		if !slices.Equal(ids, st.ids) {
			t.Errorf("%s: Relist ids %v; want %v", st.name, ids, st.ids)
		}
		dups := 0
		for _, p := range problems {
			var fe *FileError
			if errors.As(p, &fe) && strings.Contains(fe.Err.Error(), "id") {
				dups++
			}
		}
		if dups != st.dups || len(problems) != dups {
			t.Errorf("%s: problems %v; want %d shadowed files", st.name, problems, st.dups)
		}
		fresh := listTwo(t, dir, stored)
		if got, want := listedFiles(f), listedFiles(fresh); !slices.Equal(got, want) {
			t.Errorf("%s: relisted\n%v\nlisted anew\n%v", st.name, got, want)
		}
		for _, ff := range f.Files() {
			if got, ok := f.File(ff.ID); !ok || got.Path != ff.Path || got.src != ff.src {
				t.Errorf("%s: File(%s) = %+v, %v; want %s", st.name, ff.ID, got, ok, ff.Path)
			}
		}
		for part := range 2 {
			if got, want := f.PartLen(part), fresh.PartLen(part); got != want {
				t.Errorf("%s: PartLen(%d) = %d; listed anew %d", st.name, part, got, want)
			}
		}
		fresh.Close()
	}
	if _, ok := f.File("s1"); !ok {
		t.Error("File(s1) not found; the stored article is listed")
	}
	if _, _, err := f.Relist(ctx, 2, []string{"x.txt"}); err == nil {
		t.Error("Relist of a part the folder lacks: no error")
	}
	// Add after a Relist keeps what it found.
	g := t.TempDir()
	writeFiles(t, g, map[string]string{"late.txt": syntheticArticle(1, 10), "g.txt": syntheticArticle(1, 11)})
	h, _, err := ListFolder(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	before := len(f.Files())
	if problems := f.Add(h); len(problems) != 1 {
		t.Errorf("Add problems %v; want late.txt's id clash", problems)
	}
	if got := len(f.Files()); got != before+1 {
		t.Errorf("%d files after Add; want %d", got, before+1)
	}
}

// manyPaths returns n paths of nothing: gone folders and files of no
// article format.
func manyPaths(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("gone-%03d/x.jpg", i)
		if i%2 == 0 {
			out[i] = fmt.Sprintf("gone-%03d", i)
		}
	}
	return out
}
