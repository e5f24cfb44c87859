package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/news"
)

// TestSharedIndexFetchedArticleReachesOthers: two bots on a machine
// share one index (SHARED_INDEX_DIR), each with its own data folder. The
// one that polls stores a fetched article in the shared articles folder
// and publishes the shared index's next version; the other, which never
// polls, answers from the article once it follows that version, and so
// does a command run after. The poller publishes its second article by
// naming it (the sync metric's callback says which kind each took), not
// by listing the folders again. A `verbatim index` run later keeps both.
func TestSharedIndexFetchedArticleReachesOthers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	corpusDir, shared := ferryCorpus(t), t.TempDir()
	site := newNewsSite(t)
	env := func(data string) map[string]string {
		return map[string]string{"CORPUS_DIR": corpusDir, "SHARED_INDEX_DIR": shared, "DATA_DIR": data,
			"FEEDS": site.srv.URL + "/feed", "FETCH_ALLOW_PRIVATE": "true"}
	}
	if code, out, errOut := runCLI(t, env(t.TempDir()), "index"); code != 0 || !strings.HasPrefix(out, "indexed 1 article") {
		t.Fatalf("index: exit %d, %q %q", code, out, errOut)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	runCtx, stop := context.WithCancel(ctx)
	defer wg.Wait()
	defer stop()
	var mu sync.Mutex
	kinds := map[string]int{}
	synced := func(kind string, _ time.Duration) {
		mu.Lock()
		kinds[kind]++
		mu.Unlock()
	}
	open := func(synced func(string, time.Duration)) (config.Config, servedIndex, *live.Library) {
		t.Helper()
		e := env(t.TempDir())
		cfg, err := config.Load(func(k string) string { return e[k] })
		if err != nil {
			t.Fatal(err)
		}
		ix, lib, follow, err := openServed(ctx, cfg, log, synced)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		wg.Go(func() { follow(runCtx) })
		return cfg, ix, lib
	}
	cfgA, _, libA := open(synced)
	_, ixB, _ := open(nil)

	// The first bot polls (it holds the lease of its own state file).
	site.publish("herald-1", "/a/bridge", "Harbour Bridge reopens after costly repairs", bridgeStory...)
	start := time.Now()
	startPoller(t, runCtx, &wg, cfgA, libA, log)

	const q = "Who is the chief engineer on the bridge project?"
	answered := func(ix servedIndex, q, want string) {
		t.Helper()
		waitAnswered(t, ctx, ix, q, want)
	}
	answered(ixB, q, "Maria Okafor")
	t.Logf("item in the feed to answerable in the other bot: %v", time.Since(start).Round(time.Millisecond))
	site.publish("herald-2", "/a/strike", "Rail workers to strike", strikeStory...)
	answered(ixB, "Who is the union's general secretary?", "Siobhan Kelly")
	mu.Lock()
	if kinds["full"] != 1 || kinds["named"] < 1 {
		t.Errorf("publishes by kind %v; want the first by listing the folders, the next by naming the article", kinds)
	}
	mu.Unlock()
	stored, _ := filepath.Glob(filepath.Join(shared, news.ArticlesDir, "*.json"))
	if len(stored) != 2 {
		t.Errorf("%d articles in the shared articles folder; want the two fetched", len(stored))
	}
	if a := askJSON(t, env(t.TempDir()), q); len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, "Maria Okafor") {
		t.Errorf("ask from a command = %+v; want the fetched article quoted", a)
	}
	if code, out, errOut := runCLI(t, env(t.TempDir()), "index"); code != 0 || !strings.HasPrefix(out, "indexed 3 articles") {
		t.Errorf("index after the poll: exit %d, %q %q; want the corpus article and the two fetched", code, out, errOut)
	}
}
