package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/verbatim-bot/verbatim/corpus"
)

// lazyArticle describes article i of lazyCorpus: its town (one to an
// article), what was built there, what happened to it and what it
// carries, and who spoke of it (the same for every twentieth article).
func lazyArticle(i int) (town, built, happened, carries, speaker string) {
	syl := strings.Fields("kar lom mir ren tas vol bel dun fen gor")
	k := i % 20
	built = strings.Fields("bridge tunnel harbour stadium library museum station hospital school airport " +
		"market theatre prison factory castle church college hotel garden quarry")[k]
	happened = strings.Fields("opened closed reopened expanded burned flooded collapsed moved sold painted " +
		"rebuilt renamed shut grew failed thrived doubled halved merged split")[k]
	carries = strings.Fields("trains buses visitors patients readers fans ships cars pupils planes " +
		"traders actors inmates workers tourists pilgrims students guests gardeners lorries")[k]
	speaker = strings.Fields("Ann Brian Cora Dev Enda Fay Gus Hana Ivo Jun Kofi Lena Milo Nia Oren Pia Quin Rhea Sol Tara")[k]
	town = strings.ToUpper(syl[i%10][:1]) + syl[i%10][1:] + syl[(i/10)%10] + "ton"
	return town, built, happened, carries, speaker + " " + town
}

// lazyCorpus is n articles (lazyArticle), some of them for one or two
// Discord servers only, published a day apart.
func lazyCorpus(t *testing.T, n int) *corpus.Corpus {
	t.Helper()
	var arts []*corpus.Article
	for i := range n {
		town, built, happened, carries, speaker := lazyArticle(i)
		guild := ""
		switch {
		case i%5 == 1:
			guild = "111"
		case i%7 == 2:
			guild = "222,333"
		}
		body := fmt.Sprintf(`The %s at %s %s in %d after %d years of work. `+
			`\u201cIt takes %d %s a day,\u201d said %s. The council of %s paid for it.`,
			built, town, happened, 1900+i, 2+i%9, 10+i, carries, speaker, town)
		raw := fmt.Sprintf(`{"title": "The %s %s", "guild": %q, "published": "2026-%02d-%02d", "body": [%q]}`,
			town, built, guild, 1+i/28, 1+i%28, body)
		a, err := corpus.Parse(corpus.ArticleID(fmt.Sprintf("a%02d", i)), corpus.FormatJSON, []byte(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	return corpus.New(arts...)
}

// TestOpenAsIsDecodesEntriesWhenNeeded opens an index of 40 articles as
// a bot does and checks that answering decodes only the entries of the
// articles it quotes (and a question in a server none more), that what
// needs every entry decodes them all once, and that everything answered
// is what the same index answers with every entry decoded at open.
func TestOpenAsIsDecodesEntriesWhenNeeded(t *testing.T) {
	const n = 100
	ctx := context.Background()
	dir := t.TempDir()
	clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	opts := Options{Now: func() time.Time { return clock }}
	ix, err := Open(ctx, dir, lazyCorpus(t, n), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// answering asks what a bot's questions need of the entries;
	// everything, what needs every entry.
	answering := func(t *testing.T, ix *Index) []string {
		var out []string
		add := jsonAppender(t, &out)
		// The questions share no word with most articles (the
		// corpus is too small for common words not to find sentences).
		ask := func(i int, how string) string {
			town, built, happened, carries, speaker := lazyArticle(i)
			return fmt.Sprintf(how, town, built, happened, carries, speaker)
		}
		for _, q := range []Query{
			{Text: ask(3, "When was the %[2]s at %[1]s %[3]s?")},
			{Text: ask(1, "Which %[4]s are at the %[2]s in %[1]s?"), Guild: "111"}, // seen in 111
			{Text: ask(1, "Which %[4]s are at the %[2]s in %[1]s?"), Guild: "222"}, // not in 222
			{Text: ask(2, "Who is %[5]s?"), Guild: NoGuild},                        // not outside 222 and 333
			{Text: ask(7, "When was it %[3]s?"), Article: "a07"},
		} {
			a, err := ix.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			add(a)
		}
		a, ok := ix.Article("a07")
		add(ok)
		add(a)
		added, ok := ix.Added("a11")
		add(added)
		add(ok)
		articles, sentences := ix.Size()
		add([]int{articles, sentences})
		return out
	}
	everything := func(t *testing.T, ix *Index) []string {
		var out []string
		add := jsonAppender(t, &out)
		add(ix.Articles())
		add(ix.Speakers())
		for _, g := range []string{"111", "222", NoGuild} {
			add(ix.SpeakersIn(g))
			_, _, _, _, speaker := lazyArticle(1)
			add(ix.QuotesByIn(speaker, "", g))
			l, err := ix.LookupIn(ctx, "said", "", g, 100)
			if err != nil {
				t.Fatal(err)
			}
			add(l)
		}
		add(ix.Digest(time.Time{}, 2, true))
		add(ix.Fingerprint())
		return out
	}

	lazy, err := OpenAsIs(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	es := lazy.man.Articles
	if got := es.decoded.Load(); got != 0 {
		t.Errorf("opening the index decoded %d entries; want none", got)
	}
	lazyAnswers := answering(t, lazy)
	some := es.decoded.Load()
	if some == 0 || some > n/4 {
		t.Errorf("answering decoded %d of %d entries; want a few (the articles quoted)", some, n)
	}
	if es.held.Load() != nil {
		t.Error("answering read every entry")
	}
	before, _ := es.get("a07") // decoded by answering
	lazyAll := everything(t, lazy)
	if got := es.decoded.Load(); got != some+n {
		t.Errorf("after the lists, %d entries decoded; want %d (the %d answering decoded, then every one once)", got, some+n, some)
	}
	lazyAll = append(lazyAll, everything(t, lazy)...)
	if got := es.decoded.Load(); got != some+n {
		t.Errorf("asked for the lists again, %d entries decoded; want still %d", got, some+n)
	}
	if before == nil || es.all()["a07"] != before {
		t.Error("the entry of a07 decoded before every entry was read is not the one kept")
	}
	if err := lazy.Close(); err != nil {
		t.Fatal(err)
	}

	held, err := OpenAsIs(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.man.Articles.all()
	heldAnswers := answering(t, held)
	heldAll := everything(t, held)
	heldAll = append(heldAll, everything(t, held)...)
	for _, c := range []struct {
		what       string
		lazy, held []string
	}{{"answering", lazyAnswers, heldAnswers}, {"lists", lazyAll, heldAll}} {
		if !slices.Equal(c.lazy, c.held) {
			for i := range min(len(c.lazy), len(c.held)) {
				if c.lazy[i] != c.held[i] {
					t.Errorf("%s %d, entries read when needed:\n%s\nevery entry read at open:\n%s", c.what, i, c.lazy[i], c.held[i])
				}
			}
			if len(c.lazy) != len(c.held) {
				t.Errorf("%s: %d results; %d", c.what, len(c.lazy), len(c.held))
			}
		}
	}
}

// TestEntriesReadConcurrently reads the entries of an index opened as it
// is from many goroutines at once, one by one and all together: every
// reader gets the same entry for an article (run with -race).
func TestEntriesReadConcurrently(t *testing.T) {
	const n = 30
	ix, err := OpenAsIs(lazyIndex(t, n), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	es := ix.man.Articles
	const readers = 8
	seen := make([]map[corpus.ArticleID]*entry, readers)
	var wg sync.WaitGroup
	for r := range readers {
		wg.Go(func() {
			seen[r] = map[corpus.ArticleID]*entry{}
			for k := range n {
				id := corpus.ArticleID(fmt.Sprintf("a%02d", (k*(r+1)+r)%n))
				if e, ok := es.get(id); ok {
					seen[r][id] = e
				}
				switch {
				case r == 3 && k == n/2:
					es.all()
				case r%2 == 0 && k == n/3:
					es.scoped()
				case k == n/4:
					es.count()
				}
			}
		})
	}
	wg.Wait()
	all := es.all()
	if len(all) != n {
		t.Fatalf("all holds %d entries; want %d", len(all), n)
	}
	for r, m := range seen {
		if len(m) == 0 {
			t.Errorf("reader %d got no entry", r)
		}
		for id, e := range m {
			if all[id] != e {
				t.Errorf("reader %d got an entry of %s that all does not hold", r, id)
			}
		}
	}
	if got := es.count(); got != n {
		t.Errorf("count = %d; want %d", got, n)
	}
}

// TestEntryGuilds holds entryGuilds, which reads only the servers of an
// entry, to the whole decoding, and checks that it fails on every cut.
func TestEntryGuilds(t *testing.T) {
	full := &corpus.Article{ID: "wire", Title: "Rail strike", Source: "The Herald", Agency: "PA",
		URL: "https://herald.example/strike", Author: "A. Writer",
		Published: time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC),
		Also:      []corpus.Link{{Source: "Northern Daily", URL: "https://northern.example/strike"}, {Source: "S", URL: "u"}},
		Guilds:    []string{"111", "222"}, Encoding: "Windows-1252",
		Paragraphs: []corpus.Paragraph{{Number: 1, Sentences: []corpus.Sentence{
			{Text: "It rained.", Speaker: "Siobhan Kelly"}, {Text: "It did.", Speaker: "Tom Ward"}}}, {Number: 2}},
		Hash: "0123abcd"}
	bare := &corpus.Article{ID: "bare"}
	one := *full
	one.Guilds = []string{"999"}
	none := *full
	none.Guilds = nil
	for _, a := range []*corpus.Article{full, bare, &one, &none} {
		t.Run(string(a.ID)+strings.Join(a.Guilds, ","), func(t *testing.T) {
			enc := encodeEntry(newEntry(a, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)))
			e, err := decodeEntry(enc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := entryGuilds(enc)
			if err != nil || !slices.Equal(got, e.Article.Guilds) || !slices.Equal(got, a.Guilds) {
				t.Errorf("entryGuilds = %q, %v; want %q", got, err, a.Guilds)
			}
			for i := range len(enc) {
				if _, err := entryGuilds(enc[:i]); err == nil {
					t.Errorf("entryGuilds of the first %d of %d bytes: no error", i, len(enc))
				}
			}
			if _, err := entryGuilds(append(enc[:len(enc):len(enc)], 0)); err == nil {
				t.Error("entryGuilds with a byte left over: no error")
			}
		})
	}
}

// TestDamagedEntryLeftOut damages one article's entry in the catalogue of
// an index on disk: opened as it is, the index no longer finds it at open
// (it reads no entry then) but when it reads it, and leaves that article
// out, with a warning, while the others answer and are listed.
func TestDamagedEntryLeftOut(t *testing.T) {
	const n = 20
	ctx := context.Background()
	dir := lazyIndex(t, n)
	damageEntry(t, dir, "a03")

	var logs logBuffer
	ix, err := OpenAsIs(dir, Options{Logger: logs.logger(), MinConfidence: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ix.man.Articles.decoded.Load(); got != 0 {
		t.Errorf("opening decoded %d entries; want none", got)
	}
	town, built, happened, _, _ := lazyArticle(3)
	a, err := ix.Ask(ctx, Query{Text: fmt.Sprintf("When was the %s at %s %s?", built, town, happened), Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(a.Quotes, a.Suggestions...) {
		if q.Article.ID == "a03" {
			t.Errorf("quoted the article whose entry is damaged: %q", q.Text)
		}
	}
	if _, ok := ix.Article("a03"); ok {
		t.Error("Article(a03) found the article whose entry is damaged")
	}
	if !strings.Contains(logs.String(), "article=a03") {
		t.Errorf("no warning names the damaged entry; logged:\n%s", logs.String())
	}
	town, built, happened, _, _ = lazyArticle(4)
	a, err = ix.Ask(ctx, Query{Text: fmt.Sprintf("When was the %s at %s %s?", built, town, happened)})
	if err != nil || len(a.Quotes) == 0 || a.Quotes[0].Article.ID != "a04" {
		t.Errorf("an article beside the damaged one: answer %+v, %v; want a quote of a04", a, err)
	}
	var ids []corpus.ArticleID
	for _, a := range ix.Articles() {
		ids = append(ids, a.ID)
	}
	if len(ids) != n-1 || slices.Contains(ids, "a03") {
		t.Errorf("Articles lists %d articles (%v); want the %d others", len(ids), ids, n-1)
	}
}

// TestSyncFolderUnmovedDecodesNothing opens an index as it is and brings
// it up to date with its folder, as a bot does at start: when no file
// moved, no entry is decoded (only their stamps read); a file touched
// (its stamp moved, its text not) makes the sync read every entry, and
// changes nothing either; a file changed is indexed again.
func TestSyncFolderUnmovedDecodesNothing(t *testing.T) {
	const n = 12
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	for i, a := range lazyCorpus(t, n).Articles() {
		text := fmt.Sprintf("Title: %s\n\n%s\n", a.Title, strings.Repeat("Sentence. ", i+1))
		if err := os.WriteFile(filepath.Join(dir, string(a.ID)+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := func() *corpus.Folder {
		t.Helper()
		f, _, err := corpus.ListFolder(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	built, err := Build(ctx, data, list(), Options{})
	if err != nil || built.Added != n {
		t.Fatalf("Build = %+v, %v; want %d added", built, err, n)
	}
	ix, err := OpenAsIs(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	es := ix.man.Articles

	res, err := ix.SyncFolder(ctx, list())
	want := BuildResult{Articles: n, Sentences: built.Sentences, Fingerprint: built.Fingerprint}
	if err != nil || res.Changes != (Changes{}) || res.Articles != want.Articles || res.Sentences != want.Sentences ||
		res.Fingerprint != want.Fingerprint || len(res.Problems) != 0 {
		t.Errorf("SyncFolder of the folder unmoved = %+v, %v; want %+v", res, err, want)
	}
	if got := es.decoded.Load(); got != 0 || es.held.Load() != nil {
		t.Errorf("SyncFolder of the folder unmoved decoded %d entries; want none", got)
	}

	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "a05.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	res, err = ix.SyncFolder(ctx, list())
	if err != nil || res.Changes != (Changes{}) || res.Articles != n || res.Fingerprint != built.Fingerprint {
		t.Errorf("SyncFolder after a touch = %+v, %v; want no changes", res, err)
	}
	if got := es.decoded.Load(); got != n {
		t.Errorf("SyncFolder after a touch decoded %d entries; want every one (%d)", got, n)
	}
	if res, err := ix.SyncFolder(ctx, list()); err != nil || res.Changes != (Changes{}) || res.Articles != n {
		t.Errorf("SyncFolder again, every entry held = %+v, %v; want no changes", res, err)
	}

	if err := os.WriteFile(filepath.Join(dir, "a07.txt"), []byte("Title: Changed\n\nA new sentence.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.SyncFolder(ctx, list()); err != nil || res.Updated != 1 || res.Articles != n {
		t.Errorf("SyncFolder after a change = %+v, %v; want 1 updated", res, err)
	}
	if a, ok := ix.Article("a07"); !ok || a.Title != "Changed" {
		t.Errorf("Article(a07) = %+v, %v; want the changed article", a, ok)
	}

	// A damaged entry is left out when read (TestDamagedEntryLeftOut);
	// the next sync with the folder, which a bot runs as it starts,
	// indexes its article again.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	damageEntry(t, data, "a03")
	ix, err = OpenAsIs(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, ok := ix.Article("a03"); ok {
		t.Fatal("Article(a03) found with its entry damaged")
	}
	if res, err := ix.SyncFolder(ctx, list()); err != nil || res.Articles != n {
		t.Errorf("SyncFolder with a damaged entry = %+v, %v; want %d articles", res, err, n)
	}
	if _, ok := ix.Article("a03"); !ok {
		t.Error("Article(a03) still missing after the sync; want it indexed again")
	}
}

// damageEntry overwrites the catalogue entry of article id in the index
// of dataDir (closed) with bytes that cannot be decoded.
func damageEntry(t *testing.T, dataDir string, id corpus.ArticleID) {
	t.Helper()
	cat, err := openCatalog(filepath.Join(dataDir, IndexDir), time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	err = cat.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(catalogArticles).Put([]byte(id), []byte{entryVersion, 1, 200})
	})
	if cerr := cat.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// lazyIndex builds an index of lazyCorpus(t, n) on disk, closes it and
// returns its data folder.
func lazyIndex(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	ix, err := Open(context.Background(), dir, lazyCorpus(t, n), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// jsonAppender returns a function that appends each value it is given,
// as JSON, to out: a record of results to compare line by line.
func jsonAppender(t *testing.T, out *[]string) func(v any) {
	return func(v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		*out = append(*out, string(raw))
	}
}

// TestFingerprintKeptThroughChanges checks that the fingerprint an index
// keeps article by article is its corpus's, through additions, changes
// and removals, after a reopen, and from a catalogue written before the
// sum was kept (its first change makes the sum from every entry).
func TestFingerprintKeptThroughChanges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := article(t, "a", "Title: Bridges\n\nThe new bridge opens in May.")
	b := article(t, "b", "Title: Roads\n\nThe ring road opens in June.")
	b2 := article(t, "b", "Title: Roads\n\nThe ring road opens in July.")
	c := article(t, "c", "Title: Trams\n\nThe tram line reaches the port.")
	d := article(t, "d", "Title: Ferries\n\nThe ferry sails at dawn.")
	ix, err := Open(ctx, dir, corpus.New(a, b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	steps := []*corpus.Corpus{
		corpus.New(a, b, c),  // added
		corpus.New(a, b2, c), // changed
		corpus.New(b2, c),    // removed
	}
	for i, want := range steps {
		if err := ix.Sync(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got := ix.Fingerprint(); got != want.Fingerprint() {
			t.Errorf("step %d: fingerprint %s; the corpus's %s", i, got, want.Fingerprint())
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// A catalogue of before the sum: the header without it.
	db, err := bolt.Open(filepath.Join(dir, IndexDir, catalogFile), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(catalogMeta)
		var h map[string]any
		if err := json.Unmarshal(meta.Get(headerKey), &h); err != nil {
			return err
		}
		if _, ok := h["fingerprint_sum"]; !ok {
			return errors.New("the header keeps no fingerprint_sum")
		}
		delete(h, "fingerprint_sum")
		raw, err := json.Marshal(h)
		if err != nil {
			return err
		}
		return meta.Put(headerKey, raw)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	last := steps[len(steps)-1]
	if ix, err = Open(ctx, dir, last, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := ix.Fingerprint(); got != last.Fingerprint() {
		t.Errorf("reopened: fingerprint %s; the corpus's %s", got, last.Fingerprint())
	}
	next := corpus.New(b2, c, d)
	if err := ix.Sync(ctx, next); err != nil {
		t.Fatal(err)
	}
	if got := ix.Fingerprint(); got != next.Fingerprint() {
		t.Errorf("after a change to a catalogue without the sum: fingerprint %s; the corpus's %s", got, next.Fingerprint())
	}
}

// Articles lists the articles newest first (unknown dates last, ties by
// id), sorted once an index version: each call gets a slice of its own,
// and a change lists the new articles.
func TestArticlesNewestFirstEachVersion(t *testing.T) {
	ctx := context.Background()
	ix := memIndex(t, corpus.New(
		article(t, "b-old", "Title: Old\nPublished: 2020-01-02\n\nIt rained."),
		article(t, "a-new", "Title: New\nPublished: 2024-05-06\n\nIt snowed."),
		article(t, "c-undated", "Title: Undated\n\nIt hailed."),
		article(t, "a-undated", "Title: Undated too\n\nIt cleared."),
	), Options{})
	ids := func(arts []*corpus.Article) []corpus.ArticleID {
		var out []corpus.ArticleID
		for _, a := range arts {
			out = append(out, a.ID)
		}
		return out
	}
	first := ix.Articles()
	want := []corpus.ArticleID{"a-new", "b-old", "a-undated", "c-undated"}
	if got := ids(first); !slices.Equal(got, want) {
		t.Fatalf("Articles = %v; want %v", got, want)
	}
	first[0] = nil
	if again := ix.Articles(); again[0] == nil || !slices.Equal(ids(again), want) {
		t.Errorf("Articles after the caller changed its slice = %v; want %v", ids(again), want)
	}
	c := corpus.New(append(ix.Articles(), article(t, "d-newest", "Title: Newest\nPublished: 2026-12-01\n\nIt froze."))...)
	if err := ix.Sync(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := ids(ix.Articles()); !slices.Equal(got, append([]corpus.ArticleID{"d-newest"}, want...)) {
		t.Errorf("Articles after a change = %v; want d-newest first", got)
	}
}

// A digest asked without key sentences (as digest.Select lists before it
// summarises what it shows) lists every new article and reads none: an
// article whose sentence the index cannot read is still listed, where
// one asked with key sentences is left out.
func TestDigestWithoutKeySentencesReadsNoArticle(t *testing.T) {
	ix := memIndex(t, corpus.New(
		article(t, "a", "Title: A\n\nThe council approved the bridge."),
		article(t, "b", "Title: B\n\nThe ferry sails on Friday."),
	), Options{})
	if err := ix.bi.Delete(docID(corpus.Ref{Article: "b", Paragraph: 1, Sentence: 1})); err != nil {
		t.Fatal(err)
	}
	ids := func(items []DigestItem) []corpus.ArticleID {
		var out []corpus.ArticleID
		for _, it := range items {
			if len(it.Quotes) > 0 {
				out = append(out, it.Article.ID+"+")
				continue
			}
			out = append(out, it.Article.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(ix.Digest(time.Time{}, 0, false)); !slices.Equal(got, []corpus.ArticleID{"a", "b"}) {
		t.Errorf("Digest without key sentences = %v; want both articles, no quotes", got)
	}
	if got := ids(ix.Digest(time.Time{}, 1, false)); !slices.Equal(got, []corpus.ArticleID{"a+"}) {
		t.Errorf("Digest with key sentences = %v; want a with its quote (b cannot be read)", got)
	}
}

// Who the articles quote is counted once an index version for the
// articles every server sees; a server's own articles add to it there
// only, each caller gets a slice of its own, and a change counts again.
func TestSpeakersInEachVersion(t *testing.T) {
	ctx := context.Background()
	quote := func(id, who string) *corpus.Article {
		return article(t, id, "Title: "+id+"\n\n\"We will finish the bridge by May,\" said "+who+", the chief engineer.")
	}
	own := quote("own", "Ana Ruiz")
	own.Guilds = []string{"111"}
	arts := []*corpus.Article{quote("a", "Maria Okafor"), quote("b", "Maria Okafor"), own}
	ix := memIndex(t, corpus.New(arts...), Options{})
	names := func(sps []corpus.SpeakerCount) string {
		var out []string
		for _, sp := range sps {
			out = append(out, fmt.Sprintf("%s=%d", sp.Name, sp.Count))
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct{ guild, want string }{
		{"", "Maria Okafor=2,Ana Ruiz=1"},
		{"111", "Maria Okafor=2,Ana Ruiz=1"},
		{"222", "Maria Okafor=2"},
		{NoGuild, "Maria Okafor=2"},
	} {
		got := ix.SpeakersIn(tt.guild)
		if names(got) != tt.want {
			t.Errorf("SpeakersIn(%q) = %s; want %s", tt.guild, names(got), tt.want)
		}
		if len(got) > 0 {
			got[0].Count = 99
		}
		if again := ix.SpeakersIn(tt.guild); names(again) != tt.want {
			t.Errorf("SpeakersIn(%q) after the caller changed its slice = %s; want %s", tt.guild, names(again), tt.want)
		}
	}
	if err := ix.Sync(ctx, corpus.New(append(arts, quote("c", "Ana Ruiz"))...)); err != nil {
		t.Fatal(err)
	}
	if got := names(ix.SpeakersIn("222")); got != "Maria Okafor=2,Ana Ruiz=1" {
		t.Errorf("SpeakersIn(222) after a change = %s; want Ana Ruiz counted once", got)
	}
}
