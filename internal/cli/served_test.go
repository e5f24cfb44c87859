package cli

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// The bot's folders kept listed: a change names its files and only they
// are looked at (a file changed and not named stays as indexed until a
// full sync); the stored articles' folder, absent at start, is listed when
// its first article comes; a stored article shadowed by the corpus folder
// is used once the corpus file goes; a broken file is warned about once;
// a corpus folder emptied fails as a start would.
func TestServedFoldersSyncNamed(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	cfg := config.Config{CorpusDir: dir, DataDir: data}
	stored := storedDir(cfg)
	write := func(root, name, text string) func() {
		return func() {
			p := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	article := func(title, text string) string { return "Title: " + title + "\n\n" + text + "\n" }
	write(dir, "a.txt", article("A", "The council approved the bridge."))()
	write(dir, "b.txt", article("B", "The ferry sails on Friday."))()

	ix, err := retrieval.OpenAsIs(data, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	logs := newLockedBuffer()
	var kinds []string
	s := &servedFolders{cfg: cfg, ix: ix, log: slog.New(slog.NewTextHandler(logs, nil)),
		synced: func(kind string, _ time.Duration) { kinds = append(kinds, kind) }}
	defer s.close()
	if err := s.first(ctx); err != nil {
		t.Fatal(err)
	}
	named := func(paths ...string) *live.Changed { return &live.Changed{Corpus: paths} }
	storedIDs := func(ids ...corpus.ArticleID) *live.Changed { return &live.Changed{Stored: ids} }
	steps := []struct {
		name    string
		do      func()
		changed *live.Changed
		kind    string // the sync's kind: named, or full (every file listed)
		want    retrieval.Changes
		titles  map[corpus.ArticleID]string // every article the index then holds
	}{
		{"a file added", write(dir, "c.txt", article("C", "The tunnel opens in July.")), named("c.txt"), "named",
			retrieval.Changes{Added: 1}, map[corpus.ArticleID]string{"a": "A", "b": "B", "c": "C"}},
		{"a file changed, not named", func() {
			write(dir, "b.txt", article("B2", "The ferry sails on Saturday instead."))()
			write(dir, "d.txt", article("D", "The market opens at dawn."))()
		}, named("d.txt"), "named",
			retrieval.Changes{Added: 1}, map[corpus.ArticleID]string{"a": "A", "b": "B", "c": "C", "d": "D"}},
		{"a full sync", func() {}, nil, "full",
			retrieval.Changes{Updated: 1}, map[corpus.ArticleID]string{"a": "A", "b": "B2", "c": "C", "d": "D"}},
		{"the first stored article", write(stored, "s1.json", `{"title": "S1", "body": "It snowed in the hills."}`), storedIDs("s1"), "full",
			retrieval.Changes{Added: 1}, map[corpus.ArticleID]string{"a": "A", "b": "B2", "c": "C", "d": "D", "s1": "S1"}},
		{"a stored article the corpus folder shadows", write(stored, "a.json", `{"title": "A stored", "body": "Fog."}`), storedIDs("a"), "named",
			retrieval.Changes{}, map[corpus.ArticleID]string{"a": "A", "b": "B2", "c": "C", "d": "D", "s1": "S1"}},
		{"the shadowing file removed", func() { os.Remove(filepath.Join(dir, "a.txt")) }, named("a.txt"), "named",
			retrieval.Changes{Updated: 1}, map[corpus.ArticleID]string{"a": "A stored", "b": "B2", "c": "C", "d": "D", "s1": "S1"}},
		{"a broken file", write(dir, "e.txt", "  \n"), named("e.txt"), "named",
			retrieval.Changes{}, map[corpus.ArticleID]string{"a": "A stored", "b": "B2", "c": "C", "d": "D", "s1": "S1"}},
		{"the broken file named again", func() {}, named("e.txt", "sub"), "named",
			retrieval.Changes{}, map[corpus.ArticleID]string{"a": "A stored", "b": "B2", "c": "C", "d": "D", "s1": "S1"}},
		{"a subfolder added", write(dir, "sub/f.md", "# F\n\nThe mill closed."), named("sub"), "named",
			retrieval.Changes{Added: 1}, map[corpus.ArticleID]string{"a": "A stored", "b": "B2", "c": "C", "d": "D", "f": "F", "s1": "S1"}},
	}
	for _, st := range steps {
		st.do()
		got, err := s.sync(ctx, st.changed)
		if err != nil {
			t.Fatalf("%s: sync: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: sync changed %+v; want %+v", st.name, got, st.want)
		}
		if kind := kinds[len(kinds)-1]; kind != st.kind {
			t.Errorf("%s: a %s sync; want %s", st.name, kind, st.kind)
		}
		titles := map[corpus.ArticleID]string{}
		for _, a := range ix.Articles() {
			titles[a.ID] = a.Title
		}
		if !maps.Equal(titles, st.titles) {
			t.Errorf("%s: index holds %v; want %v", st.name, titles, st.titles)
		}
	}
	if n := strings.Count(logs.String(), "skipped article file"); n != 2 || !strings.Contains(logs.String(), "e.txt") || !strings.Contains(logs.String(), "a.json") {
		t.Errorf("%d warnings of skipped files; want two, of a.json (shadowed) and e.txt (broken):\n%s", n, logs)
	}
	if s.l.stored != 1 {
		t.Errorf("stored articles are part %d of the listing; want 1", s.l.stored)
	}

	// Every corpus file gone: the sync fails as a start would, and the
	// index keeps what it held.
	for _, name := range []string{"b.txt", "c.txt", "d.txt", "e.txt", "sub/f.md"} {
		os.Remove(filepath.Join(dir, name))
	}
	synced := len(kinds)
	if _, err := s.sync(ctx, named("b.txt", "c.txt", "d.txt", "e.txt", "sub")); err == nil || !strings.Contains(err.Error(), "no article files") {
		t.Errorf("sync of an emptied corpus folder = %v; want its error", err)
	}
	if len(kinds) != synced {
		t.Errorf("a failed sync was counted: %v", kinds[synced:])
	}
	if articles, _ := ix.Size(); articles != 6 {
		t.Errorf("index holds %d articles after the failed sync; want the 6 it held", articles)
	}
	s.close()
	if _, err := s.sync(ctx, nil); err == nil {
		t.Error("sync after close: no error")
	}
	if ids := slices.Sorted(maps.Keys(steps[len(steps)-1].titles)); len(ids) != 6 {
		t.Fatalf("test table: %v", ids)
	}
}

// A bot with its own index and a corpus folder follows a feed: the
// first fetched article (the stored articles' folder new, so both folders
// are listed again) and the second (its file named to the kept listing)
// are each answered from once the poller has indexed them, and the
// corpus folder's article stays answered; the syncs are told by kind.
func TestServedFetchedArticlesAnswered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	corpusDir, data := ferryCorpus(t), t.TempDir()
	site := newNewsSite(t)
	e := map[string]string{"CORPUS_DIR": corpusDir, "DATA_DIR": data, "FEEDS": site.srv.URL + "/feed", "FETCH_ALLOW_PRIVATE": "true"}
	cfg, err := config.Load(func(k string) string { return e[k] })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var mu sync.Mutex
	kinds := map[string]int{}
	ix, lib, follow, err := openServed(ctx, cfg, log, func(kind string, _ time.Duration) {
		mu.Lock()
		kinds[kind]++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var wg sync.WaitGroup
	runCtx, stop := context.WithCancel(ctx)
	defer wg.Wait()
	defer stop()
	wg.Go(func() { follow(runCtx) })
	startPoller(t, runCtx, &wg, cfg, lib, log)
	answered := func(q, want string) {
		t.Helper()
		waitAnswered(t, ctx, ix, q, want)
	}
	site.publish("herald-1", "/a/bridge", "Harbour Bridge reopens after costly repairs", bridgeStory...)
	answered("Who is the chief engineer on the bridge project?", "Maria Okafor")
	site.publish("herald-2", "/a/strike", "Rail workers to strike", strikeStory...)
	answered("Who is the union's general secretary?", "Siobhan Kelly")
	answered("How often does the new ferry sail?", "twice a day")
	if articles, _ := ix.Size(); articles != 3 {
		t.Errorf("the index holds %d articles; want the corpus folder's and the two fetched", articles)
	}
	mu.Lock()
	defer mu.Unlock()
	if kinds["full"] < 2 || kinds["named"] < 1 {
		t.Errorf("syncs by kind %v; want two full (at start, for the new stored folder) and a named one", kinds)
	}
}

// A converted (not UTF-8) article file is said once per change of it by
// the bot's syncs too, and a full sync that finds nothing moved (which
// does not read the articles) keeps what was said.
func TestServedConvertedSaidOnce(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("\x93The tunnel opens in July,\x94 said the caf\xe9 owner.")
	ix, err := retrieval.OpenAsIs(data, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	logs := newLockedBuffer()
	s := &servedFolders{cfg: config.Config{CorpusDir: dir, DataDir: data}, ix: ix, log: slog.New(slog.NewTextHandler(logs, nil))}
	defer s.close()
	said := func() int { return strings.Count(logs.String(), "not UTF-8") }
	if err := s.first(ctx); err != nil || said() != 1 {
		t.Fatalf("first sync: %v, said %d times; want once\n%s", err, said(), logs)
	}
	if _, err := s.sync(ctx, nil); err != nil || said() != 1 {
		t.Errorf("a full sync with nothing moved: %v, said %d times; want still once", err, said())
	}
	raw, err := os.ReadFile(filepath.Join(data, warnedFile))
	if err != nil || !strings.Contains(string(raw), convertedKey+"old") {
		t.Errorf("warned files after a sync with nothing moved = %s, %v; want the converted article kept", raw, err)
	}
	write("\x93The tunnel opens in June,\x94 said the caf\xe9 owner.")
	if _, err := s.sync(ctx, &live.Changed{Corpus: []string{"old.txt"}}); err != nil || said() != 2 {
		t.Errorf("the file changed: %v, said %d times; want twice", err, said())
	}
	if _, err := s.sync(ctx, nil); err != nil || said() != 2 {
		t.Errorf("a full sync after: %v, said %d times; want still twice", err, said())
	}
}

// startPoller runs the feed poller of the bot whose settings are cfg,
// indexing through lib, every 200 ms until runCtx ends (wg waits for
// it); its state file is closed when the test ends.
func startPoller(t *testing.T, runCtx context.Context, wg *sync.WaitGroup, cfg config.Config, lib *live.Library, log *slog.Logger) {
	t.Helper()
	stories, _, err := news.OpenStore(storedDir(cfg))
	if err != nil {
		t.Fatal(err)
	}
	store, err := boltstore.Open(filepath.Join(cfg.DataDir, boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	runner := live.New(live.Options{
		Fetcher:  news.NewFetcher(news.FetchOptions{AllowPrivate: true, Timeout: 5 * time.Second}),
		Articles: stories, Library: lib, Store: store, Operator: cfg.Feeds,
		Interval: 200 * time.Millisecond, AllowShortInterval: true, Logger: log,
	})
	wg.Go(func() { _ = runner.Run(runCtx) })
}

// ferryCorpus returns a corpus folder of one article, on a ferry.
func ferryCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ferry.txt"), []byte("Title: Ferry\n\nThe new ferry to the islands sails twice a day from the harbour, the operator said."), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// waitAnswered waits until ix quotes a sentence holding want first for
// q, failing the test when ctx ends first.
func waitAnswered(t *testing.T, ctx context.Context, ix servedIndex, q, want string) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		a, err := ix.Ask(ctx, retrieval.Query{Text: q})
		if err == nil && len(a.Quotes) > 0 && strings.Contains(a.Quotes[0].Sentence.Text, want) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%q was never answered with %q", q, want)
		case <-tick.C:
		}
	}
}
