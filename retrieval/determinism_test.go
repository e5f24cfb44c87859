package retrieval

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// determinismQuestions are asked of the corpus after each way of building
// its index.
var determinismQuestions = []string{
	"When was the historic museum approved?",
	"When was the museum approved?",
	"Who said the airport would cost 12 million euro?",
	"What did the minister say about the new time of the meeting?",
	"Which company bought the brewery?",
	"Who is Khalilzad?",
	"What did Zebari say about the tactical committees?",
	"Where was the conference held?",
}

// TestAnswersIgnoreHowTheIndexWasBuilt checks that the same corpus and
// question give the same quotes and scores however the index was built:
// in memory, by Open into an empty folder (ask), by Build (index), synced
// article by article, by files named one by one as a running bot syncs
// them, as a shared index's versions published one change at a time
// (their catalogues layered, and merged again), after changed articles
// were replaced (deleted
// documents not merged away), and after a build that stopped before its
// manifest was written, holding sentences of an article since removed.
func TestAnswersIgnoreHowTheIndexWasBuilt(t *testing.T) {
	ctx := context.Background()
	texts := recallTexts(t, 5)
	seed, err := os.ReadFile(filepath.Join("..", "corpus", "seed", "000_f7beece76a365f7b.txt"))
	if err != nil {
		t.Fatal(err)
	}
	texts["seed"] = string(seed)
	dir := t.TempDir()
	for id, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, id+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, problems, err := corpus.LoadDir(ctx, dir)
	if err != nil || len(problems) > 0 {
		t.Fatalf("load: %v %v", err, problems)
	}
	arts := c.Articles()
	// Other versions of some articles, and an article the final corpus
	// lacks.
	changed := func() []*corpus.Article {
		var out []*corpus.Article
		for i, a := range arts {
			if i%7 == 0 {
				a = article(t, string(a.ID), texts[string(a.ID)]+"\n\nThe museum, the airport and the brewery were approved again.")
			}
			out = append(out, a)
		}
		return append(out, article(t, "gone", "Title: Gone\n\nThe historic museum was approved twice, the museum said.\n\nThe airport would cost 12 million euro."))
	}

	open := func(t *testing.T, data string, c *corpus.Corpus) *Index {
		t.Helper()
		ix, err := Open(ctx, data, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	build := func(t *testing.T, data string) {
		t.Helper()
		f, _, err := corpus.OpenFolder(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := Build(ctx, data, f, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	paths := []struct {
		name string
		make func(t *testing.T) *Index
	}{
		{"memory", func(t *testing.T) *Index { return memIndex(t, c, Options{}) }},
		{"ask into an empty folder", func(t *testing.T) *Index { return open(t, t.TempDir(), c) }},
		{"index into an empty folder", func(t *testing.T) *Index {
			data := t.TempDir()
			build(t, data)
			return open(t, data, c)
		}},
		{"synced article by article", func(t *testing.T) *Index {
			ix := open(t, t.TempDir(), corpus.New())
			for i := range arts {
				if err := ix.Sync(ctx, corpus.New(arts[:i+1]...)); err != nil {
					t.Fatal(err)
				}
			}
			return ix
		}},
		{"changed articles replaced", func(t *testing.T) *Index {
			data := t.TempDir()
			ix := open(t, data, corpus.New(changed()...))
			if err := ix.Sync(ctx, c); err != nil {
				t.Fatal(err)
			}
			return ix
		}},
		{"files named one by one to a kept folder", func(t *testing.T) *Index {
			var ix *Index
			growNamed(t, texts, func(f *corpus.Folder) {
				var err error
				if ix, _, err = OpenFolder(ctx, t.TempDir(), f, Options{}); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ix.Close() })
			}, func(f *corpus.Folder, named []corpus.ArticleID) {
				if _, err := ix.SyncArticles(ctx, f, named); err != nil {
					t.Fatal(err)
				}
			})
			return ix
		}},
		{"shared versions published file by file, layered and merged", func(t *testing.T) *Index {
			shared := t.TempDir()
			b := NewSharedBuilder(shared, Options{})
			b.layerMin, b.compactShare = 0, 4 // every version layered, merged now and then
			growNamed(t, texts, func(f *corpus.Folder) {
				if _, err := b.Build(ctx, f); err != nil {
					t.Fatal(err)
				}
			}, func(f *corpus.Folder, named []corpus.ArticleID) {
				if _, err := b.BuildArticles(ctx, f, named); err != nil {
					t.Fatal(err)
				}
			})
			ix, err := OpenShared(shared, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ix.Close() })
			return ix
		}},
		{"build interrupted, then index", func(t *testing.T) *Index {
			data := t.TempDir()
			ix, err := Open(ctx, data, corpus.New(arts[:len(arts)/2]...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Half the corpus indexed in full, then more sentences
			// indexed but the manifest not written: what a build
			// stopped half way leaves.
			if _, err := ix.indexArticles(ctx, changed()[len(arts)/2:], nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			build(t, data)
			return open(t, data, c)
		}},
	}
	var want map[string]string
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			ix := p.make(t)
			if n, err := ix.bi.DocCount(); err != nil || int(n) != ix.man.Docs {
				t.Errorf("bleve holds %d documents (%v); the manifest %d", n, err, ix.man.Docs)
			}
			got := map[string]string{}
			for _, q := range determinismQuestions {
				a, err := ix.Ask(ctx, Query{Text: q, Top: 5})
				if err != nil {
					t.Fatal(err)
				}
				got[q] = answerText(a)
			}
			if want == nil {
				want = got
				return
			}
			for _, q := range determinismQuestions {
				if got[q] != want[q] {
					t.Errorf("Ask(%q) =\n%s\nwant (as %s)\n%s", q, got[q], paths[0].name, want[q])
				}
			}
		})
	}
}

// growNamed grows a folder as a running bot sees one grow: files appear
// (some first in another version, one removed again) and are named one
// by one to name, the folder's listing kept. first is called with the
// listing of the first file.
func growNamed(t *testing.T, texts map[string]string, first func(f *corpus.Folder), name func(f *corpus.Folder, named []corpus.ArticleID)) {
	t.Helper()
	ctx := context.Background()
	grow := t.TempDir()
	put := func(id, text string) {
		if err := os.WriteFile(filepath.Join(grow, id+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ids := slices.Sorted(maps.Keys(texts))
	put(ids[0], texts[ids[0]])
	f, _, err := corpus.ListFolder(ctx, grow)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first(f)
	relist := func(paths ...string) {
		named, _, err := f.Relist(ctx, 0, paths)
		if err != nil {
			t.Fatal(err)
		}
		name(f, named)
	}
	for i, id := range ids[1:] {
		if i%2 == 0 {
			put(id, texts[id]+"\n\nThe museum, the airport and the brewery were approved again.")
			relist(id + ".txt")
		}
		put(id, texts[id])
		relist(id + ".txt")
	}
	put("gone", "Title: Gone\n\nThe historic museum was approved twice, the museum said.")
	relist("gone.txt")
	os.Remove(filepath.Join(grow, "gone.txt"))
	relist("gone.txt")
}

// answerText is an answer in full, for comparing answers: every quote and
// suggestion with its article, place and score.
func answerText(a *Answer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "no_answer=%v\n", a.NoAnswer)
	for _, q := range a.Quotes {
		fmt.Fprintf(&b, "quote %s %d.%d %.12g %q\n", q.Article.ID, q.Paragraph, q.Number, q.Score, q.Text)
	}
	for _, q := range a.Suggestions {
		fmt.Fprintf(&b, "suggestion %s %d.%d %.12g %q\n", q.Article.ID, q.Paragraph, q.Number, q.Score, q.Text)
	}
	return b.String()
}
