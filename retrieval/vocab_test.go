package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Articles of the vocabulary tests: one for every server, one server's own
// (111), whose words ("tunnel", "calm") no other has and which would put
// "harbour" before "bridge" if counted.
const (
	vocabGlobal = "The harbour bridge opened in 1932. Trains cross the bridge daily."
	vocabMine   = "The harbour tunnel opened in 1992. The harbour tunnel is dry. The harbour is calm."
)

// termsOf returns ix's completions of each prefix in guild, all of them.
func termsOf(t *testing.T, ix *Index, guild string, prefixes ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range prefixes {
		got, err := ix.TermsIn(p, guild, 1000)
		if err != nil {
			t.Fatalf("TermsIn(%q, %q): %v", p, guild, err)
		}
		out[p] = got
	}
	return out
}

// vocabPrefixes are the prefixes the tests complete: every word, a few
// first letters, and a word after another.
var vocabPrefixes = []string{"", "b", "h", "t", "tun", "c", "the harb", "is"}

// vocabIndex opens an index on disk of two articles: vocabGlobal for
// every server, and vocabMine as article id for guild ("" for every
// server). It is closed when the test ends.
func vocabIndex(t *testing.T, id, guild string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), t.TempDir(), corpus.New(
		jsonArticle(t, "global", "", vocabGlobal),
		jsonArticle(t, id, guild, vocabMine),
	), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestTermsInScope: a word only a server's own article holds is offered
// in that server and with guild "" (every article), not in another server
// nor in a DM; and the counts that order the words are of the visible
// articles only: each guild's completions are exactly those of an index of
// only the articles it sees.
func TestTermsInScope(t *testing.T) {
	ctx := context.Background()
	ix := vocabIndex(t, "mine", "111")
	// The indexes of what each guild sees, none of it a server's own.
	all, err := OpenMemory(ctx, corpus.New(jsonArticle(t, "global", "", vocabGlobal), jsonArticle(t, "mine", "", vocabMine)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	shared, err := OpenMemory(ctx, corpus.New(jsonArticle(t, "global", "", vocabGlobal)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()

	for _, tt := range []struct {
		guild      string
		sees       *Index
		tunnel     bool
		bridgeFrst bool // "bridge" (2 sentences of global) before "harbour" (1 of global, 3 of mine)
	}{
		{"", all, true, false},
		{"111", all, true, false},
		{"222", shared, false, true},
		{NoGuild, shared, false, true},
	} {
		t.Run("guild="+tt.guild, func(t *testing.T) {
			got := termsOf(t, ix, tt.guild, vocabPrefixes...)
			if has := slices.Contains(got["tun"], "tunnel"); has != tt.tunnel {
				t.Errorf("TermsIn(tun) = %q; want tunnel offered %v", got["tun"], tt.tunnel)
			}
			if has := slices.Contains(got["the harb"], "the harbour"); !has {
				t.Errorf("TermsIn(the harb) = %q; want \"the harbour\"", got["the harb"])
			}
			b, h := slices.Index(got[""], "bridge"), slices.Index(got[""], "harbour")
			if b < 0 || h < 0 || (b < h) != tt.bridgeFrst {
				t.Errorf("TermsIn(\"\") = %q; want bridge before harbour %v", got[""], tt.bridgeFrst)
			}
			want := termsOf(t, tt.sees, "", vocabPrefixes...)
			for _, p := range vocabPrefixes {
				if !slices.Equal(got[p], want[p]) {
					t.Errorf("TermsIn(%q) = %q; want %q, as an index of the articles seen answers", p, got[p], want[p])
				}
			}
		})
	}
}

// TestTermsInUnscoped: with no server's own article, every guild is
// answered exactly as guild "" (the term dictionary's counts, as before
// scoping), and nothing is read to take off.
func TestTermsInUnscoped(t *testing.T) {
	ix := vocabIndex(t, "other", "")
	want := termsOf(t, ix, "", vocabPrefixes...)
	if !slices.Contains(want["tun"], "tunnel") {
		t.Fatalf("TermsIn(tun) = %q; want tunnel", want["tun"])
	}
	for _, g := range []string{"111", NoGuild} {
		got := termsOf(t, ix, g, vocabPrefixes...)
		for _, p := range vocabPrefixes {
			if !slices.Equal(got[p], want[p]) {
				t.Errorf("TermsIn(%q, %q) = %q; want %q", p, g, got[p], want[p])
			}
		}
	}
	ix.hidden.mu.Lock()
	defer ix.hidden.mu.Unlock()
	if len(ix.hidden.words) != 0 {
		t.Errorf("the sentences to take off were read for %d guilds; want none", len(ix.hidden.words))
	}
}

// TestTermsInDeleted: the sentences a change deleted, which the term
// dictionary still counts until a merge, are not offered in a server: not
// the words of an older version of a server's own page, nor those of a
// server's page that is gone when no other server's own page is left.
func TestTermsInDeleted(t *testing.T) {
	ctx := context.Background()
	global := jsonArticle(t, "global", "", vocabGlobal)
	ix, err := OpenMemory(ctx, corpus.New(global, jsonArticle(t, "mine", "111", vocabMine+" Zanzibar ferries wait.")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	reference := func(t *testing.T, arts ...*corpus.Article) *Index {
		t.Helper()
		r, err := OpenMemory(ctx, corpus.New(arts...), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	for _, step := range []struct {
		name  string
		arts  []*corpus.Article
		sees  map[string][]*corpus.Article // what each guild sees, none a server's own
		gone  string                       // a word only a deleted sentence holds
		guild []string
	}{
		{"updated", []*corpus.Article{global, jsonArticle(t, "mine", "111", vocabMine)},
			map[string][]*corpus.Article{"111": {global, jsonArticle(t, "mine", "", vocabMine)}, "222": {global}, NoGuild: {global}},
			"zanzibar", []string{"111", "222", NoGuild}},
		{"removed", []*corpus.Article{global},
			map[string][]*corpus.Article{"111": {global}, "222": {global}, NoGuild: {global}},
			"tunnel", []string{"111", "222", NoGuild}},
	} {
		t.Run(step.name, func(t *testing.T) {
			if err := ix.Sync(ctx, corpus.New(step.arts...)); err != nil {
				t.Fatal(err)
			}
			rd, err := ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			deleted := hasDeleted(rd)
			rd.Close()
			if !deleted {
				t.Fatal("the index holds no deleted sentence after the change; the test needs one")
			}
			if got := termsOf(t, ix, "", step.gone[:3])[step.gone[:3]]; !slices.Contains(got, step.gone) {
				t.Errorf("TermsIn(%q, \"\") = %q; want %q, still counted by the dictionary", step.gone[:3], got, step.gone)
			}
			for _, g := range step.guild {
				got := termsOf(t, ix, g, append(vocabPrefixes, step.gone[:3])...)
				if slices.Contains(got[step.gone[:3]], step.gone) {
					t.Errorf("TermsIn(%q, %q) = %q; want no %q", step.gone[:3], g, got[step.gone[:3]], step.gone)
				}
				want := termsOf(t, reference(t, step.sees[g]...), "", vocabPrefixes...)
				for _, p := range vocabPrefixes {
					if !slices.Equal(got[p], want[p]) {
						t.Errorf("TermsIn(%q, %q) = %q; want %q", p, g, got[p], want[p])
					}
				}
			}
		})
	}
}

// TestFollowerTermsIn: a Follower of a shared index completes words as
// the server asking sees them.
func TestFollowerTermsIn(t *testing.T) {
	ctx := context.Background()
	src, shared := t.TempDir(), t.TempDir()
	for name, text := range map[string]string{
		"global.json": `{"title": "global", "body": ["` + vocabGlobal + `"]}`,
		"mine.json":   `{"title": "mine", "guild": "111", "body": ["` + vocabMine + `"]}`,
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, _, err := corpus.ListFolder(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := BuildShared(ctx, shared, f, Options{}); err != nil {
		t.Fatal(err)
	}
	fol, err := OpenFollower(shared, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fol.Close()
	for _, tt := range []struct {
		guild string
		want  []string
	}{
		{"", []string{"tunnel"}},
		{"111", []string{"tunnel"}},
		{"222", []string{}},
		{NoGuild, []string{}},
	} {
		got, err := fol.TermsIn("tun", tt.guild, 10)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("TermsIn(tun, %q) = %q, %v; want %q", tt.guild, got, err, tt.want)
		}
		if got, err := fol.TermsIn("bri", tt.guild, 10); err != nil || !slices.Equal(got, []string{"bridge"}) {
			t.Errorf("TermsIn(bri, %q) = %q, %v; want bridge", tt.guild, got, err)
		}
	}
}

// TestTermsInDuringSync checks that a server's own page a Sync (of a
// corpus or of a folder) is adding gives none of its words to another
// server while the Sync has indexed its sentences and not yet published
// it; the server it is for is offered them at that point already, which
// shows they are in the index.
func TestTermsInDuringSync(t *testing.T) {
	ctx := context.Background()
	const page = `{"title": "mine", "guild": "111", "body": ["The zanzibarite quarry reopened on Monday, the council said."]}`
	global := jsonArticle(t, "global", "", vocabGlobal)
	mine, err := corpus.Parse("mine", corpus.FormatJSON, []byte(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		// open opens an index of global; add syncs mine into it.
		open func(t *testing.T) (ix *Index, add func())
	}{
		{"corpus", func(t *testing.T) (*Index, func()) {
			ix, err := Open(ctx, t.TempDir(), corpus.New(global), Options{})
			if err != nil {
				t.Fatal(err)
			}
			return ix, func() {
				if err := ix.Sync(ctx, corpus.New(global, mine)); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"folder", func(t *testing.T) (*Index, func()) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "global.txt"), []byte("Title: global\n\n"+vocabGlobal+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			f, _, err := corpus.OpenFolder(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			ix, _, err := OpenFolder(ctx, t.TempDir(), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return ix, func() {
				if err := os.WriteFile(filepath.Join(dir, "mine.json"), []byte(page), 0o644); err != nil {
					t.Fatal(err)
				}
				f, _, err := corpus.OpenFolder(ctx, dir) // listed again
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if res, err := ix.SyncFolder(ctx, f); err != nil || res.Added != 1 {
					t.Fatalf("SyncFolder = %+v, %v; want mine added", res, err)
				}
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ix, add := tt.open(t)
			defer ix.Close()
			var during map[string][]string // by guild
			syncIndexed = func() {
				during = map[string][]string{}
				for _, g := range []string{"111", "222", NoGuild} {
					got, err := ix.TermsIn("zanz", g, 10)
					if err != nil {
						t.Error(err)
					}
					during[g] = got
				}
			}
			defer func() { syncIndexed = nil }()
			add()
			if during == nil {
				t.Fatal("the Sync never reached the point between indexing and publishing")
			}
			if !slices.Contains(during["111"], "zanzibarite") {
				t.Errorf("server 111 during the Sync: %q; want its page's word", during["111"])
			}
			for _, g := range []string{"222", NoGuild} {
				if len(during[g]) > 0 {
					t.Errorf("server %q during the Sync: %q; want none of server 111's page", g, during[g])
				}
			}
			// Published, it stays where it was.
			for g, want := range map[string]bool{"111": true, "222": false} {
				got, err := ix.TermsIn("zanz", g, 10)
				if err != nil {
					t.Fatal(err)
				}
				if slices.Contains(got, "zanzibarite") != want {
					t.Errorf("server %s after the Sync: %q", g, got)
				}
			}
		})
	}
}
