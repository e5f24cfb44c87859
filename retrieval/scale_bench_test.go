package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/gen"
)

// benchEngine is a search engine the scale benchmarks measure: verbatim,
// and with the build tag peer, SQLite FTS5 (peer_test.go).
type benchEngine struct {
	name string
	// version names how the engine indexes: a kept index built otherwise,
	// or of other articles, is built again. Empty for an engine that
	// checks its index itself when it opens it, as verbatim does.
	version string
	// build indexes the sentences of the article folder src in the empty
	// folder dir, streaming: a part of the corpus at a time. It returns
	// the number of sentences indexed.
	build func(ctx context.Context, dir, src string) (int, error)
	// open opens what build left in dir, for serving the article folder
	// src, as a process starting does (c is src loaded when a benchmark
	// loaded it, else nil: no engine needs it now).
	open func(ctx context.Context, dir, src string, c *corpus.Corpus) (benchIndex, error)
}

// benchIndex is an index built by a benchEngine.
type benchIndex interface {
	// ask returns the texts of the best sentences for the question, best
	// first, at most top; none when the engine finds no answer.
	ask(ctx context.Context, question string, top int) ([]string, error)
	// add brings the index up to date with c, which is the corpus it
	// holds plus the article a.
	add(ctx context.Context, c *corpus.Corpus, a *corpus.Article) error
	// evaluate scores the engine's answers to corpus QA items.
	evaluate(ctx context.Context, items []QAItem) (Metrics, error)
	// forget empties what the engine keeps in the process from earlier
	// questions, so that the next question is one it has not seen.
	forget()
	Close() error
}

// benchEngines are the engines of this build: verbatim, then the peers.
func benchEngines() []benchEngine {
	return append([]benchEngine{verbatimEngine}, peerEngines()...)
}

var verbatimEngine = benchEngine{
	name: "verbatim",
	build: func(ctx context.Context, dir, src string) (int, error) {
		f, _, err := corpus.OpenFolder(ctx, src)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		res, err := Build(ctx, dir, f, Options{})
		return res.Sentences, err
	},
	open: func(ctx context.Context, dir, src string, _ *corpus.Corpus) (benchIndex, error) {
		// As the bot starts: list the folder, open the index, read only
		// what moved (nothing).
		f, _, err := corpus.ListFolder(ctx, src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		ix, _, err := OpenFolder(ctx, dir, f, Options{})
		if err != nil {
			return nil, err
		}
		return verbatimBench{ix}, nil
	},
}

type verbatimBench struct{ *Index }

func (v verbatimBench) ask(ctx context.Context, q string, top int) ([]string, error) {
	a, err := v.Ask(ctx, Query{Text: q, Top: top})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(a.Quotes))
	for i, q := range a.Quotes {
		out[i] = q.Text
	}
	return out, nil
}

func (v verbatimBench) add(ctx context.Context, c *corpus.Corpus, _ *corpus.Article) error {
	return v.Sync(ctx, c)
}

// forget empties the document frequencies read for earlier questions.
// Their map keeps its room, as in a process that has answered before:
// what is forgotten is what it held, not the memory it had grown to.
func (v verbatimBench) forget() {
	v.mu.Lock()
	c := v.counts
	v.mu.Unlock()
	c.mu.Lock()
	c.n = 0
	clear(c.df)
	c.mu.Unlock()
}

func (v verbatimBench) evaluate(ctx context.Context, items []QAItem) (Metrics, error) {
	return v.EvaluateQA(ctx, items, false)
}

// benchTemp holds the indexes the benchmarks build; removed by TestMain.
var benchTemp = sync.OnceValues(func() (string, error) {
	return os.MkdirTemp("", "verbatim-bench-index-")
})

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := benchTemp(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// freshDir returns a new empty folder for an index.
func freshDir(tb testing.TB, name string) string {
	tb.Helper()
	root, err := benchTemp()
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, name+"-")
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// fixture is an engine's index of the corpus of n articles, built once in
// a test binary and shared by the benchmarks that read it.
type fixture struct {
	n     int
	c     *corpus.Corpus // loaded by corpus, when a benchmark needs it
	dir   string
	ix    benchIndex
	added int // articles added by BenchmarkAddOne
}

// corpus returns the fixture's corpus, loading it on first use: verbatim
// answers without it, and the parsed articles of a large corpus held in
// the process (1.3 GB at 100,000 articles) would make every garbage
// collection of the answering benchmarks mark them.
func (f *fixture) corpus(b *testing.B) *corpus.Corpus {
	b.Helper()
	if f.c == nil {
		if f.c = corpora[f.n]; f.c == nil {
			f.c = loadBenchCorpus(b, f.n)
			corpora[f.n] = f.c
		}
	}
	return f.c
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*fixture{}
	corpora    = map[int]*corpus.Corpus{}
)

// mark is what a kept index of the fixture's corpus built by e is marked
// complete with: the engine's version and the corpus's fingerprint, so
// that an index built by another version, or of other articles, is not
// reused; nothing for an engine that checks its index itself.
func (f *fixture) mark(b *testing.B, e benchEngine) string {
	if e.version == "" {
		return ""
	}
	return e.version + "\n" + f.corpus(b).Fingerprint() + "\n"
}

// benchFixture returns the open index of the corpus of n articles built
// by e, building or reopening it as needed.
func benchFixture(b *testing.B, n int, e benchEngine) *fixture {
	b.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	key := fmt.Sprintf("%d/%s", n, e.name)
	f := fixtures[key]
	if f == nil {
		f = &fixture{n: n}
		built := false
		if os.Getenv(envBenchReuse) != "" {
			// Kept beside the corpora; reopened when complete.
			f.dir = filepath.Join(benchRoot(), fmt.Sprintf("index-s%d-n%d-%s", benchSeed, n, e.name))
			if mark, err := os.ReadFile(filepath.Join(f.dir, ".complete")); err == nil && string(mark) == f.mark(b, e) {
				built = true
			} else if err := os.RemoveAll(f.dir); err != nil {
				b.Fatal(err)
			} else if err := os.MkdirAll(f.dir, 0o755); err != nil {
				b.Fatal(err)
			}
		} else {
			f.dir = freshDir(b, e.name)
		}
		if !built {
			if _, err := e.build(context.Background(), f.dir, benchCorpusDir(b, n)); err != nil {
				b.Fatalf("build %s: %v", key, err)
			}
		}
		if err := os.WriteFile(filepath.Join(f.dir, ".complete"), []byte(f.mark(b, e)), 0o644); err != nil {
			b.Fatal(err)
		}
		fixtures[key] = f
	}
	if f.ix == nil {
		ix, err := e.open(context.Background(), f.dir, benchCorpusDir(b, n), f.c)
		if err != nil {
			b.Fatalf("open %s: %v", key, err)
		}
		f.ix = ix
	}
	return f
}

// eachSizeAndEngine runs fn as sub-benchmarks articles=N/engine=E.
func eachSizeAndEngine(b *testing.B, fn func(b *testing.B, n int, e benchEngine)) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for _, e := range benchEngines() {
				b.Run("engine="+e.name, func(b *testing.B) { fn(b, n, e) })
			}
		})
	}
}

// BenchmarkBuild times building an index from the article files, as
// `verbatim index` does on an empty data folder: reading, segmenting and
// attributing the articles a part at a time, and indexing their sentences.
func BenchmarkBuild(b *testing.B) {
	eachSizeAndEngine(b, func(b *testing.B, n int, e benchEngine) {
		src := benchCorpusDir(b, n) // generate outside the timer
		ctx := context.Background()
		var bytes int64
		var sentences int
		mem := startMemSampler()
		cpu0 := cpuTime()
		for b.Loop() {
			b.StopTimer()
			dir := freshDir(b, "build-"+e.name)
			b.StartTimer()
			k, err := e.build(ctx, dir, src)
			if err != nil {
				b.Fatal(err)
			}
			sentences = k
			b.StopTimer()
			bytes = dirBytes(b, dir)
			os.RemoveAll(dir)
			b.StartTimer()
		}
		cpu := cpuTime() - cpu0
		mem.report(b)
		secs := b.Elapsed().Seconds()
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
		b.ReportMetric(float64(n*b.N)/secs, "articles/s")
		b.ReportMetric(float64(sentences*b.N)/secs, "sentences/s")
		b.ReportMetric(float64(bytes)/(1<<20), "disk-MB")
	})
}

// BenchmarkReopen times start-up with an index built earlier: opening it
// as a process starting does (verbatim lists the article folder, finds
// nothing moved and reads its catalogue from the index) and answering a
// first question. open-heap-MB is the heap the open index holds.
func BenchmarkReopen(b *testing.B) {
	qs := benchQuestions(b)
	eachSizeAndEngine(b, func(b *testing.B, n int, e benchEngine) {
		f := benchFixture(b, n, e)
		if err := f.ix.Close(); err != nil {
			b.Fatal(err)
		}
		f.ix = nil
		ctx := context.Background()
		src := benchCorpusDir(b, n)
		var heap uint64
		var cpu time.Duration
		i := 0
		for b.Loop() {
			b.StopTimer()
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.StartTimer()
			cpu0 := cpuTime()
			ix, err := e.open(ctx, f.dir, src, f.c)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ix.ask(ctx, qs[i%len(qs)], DefaultTop); err != nil {
				b.Fatal(err)
			}
			i++
			cpu += cpuTime() - cpu0
			b.StopTimer()
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap = max(heap, after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms")
		b.ReportMetric(float64(heap)/(1<<20), "open-heap-MB")
	})
}

// BenchmarkAddOne times adding one new article to the index of a corpus:
// what the bot does when a file appears in its corpus folder.
func BenchmarkAddOne(b *testing.B) {
	real, err := realSentences()
	if err != nil {
		b.Fatal(err)
	}
	g := gen.New(benchSeed+1, real)
	eachSizeAndEngine(b, func(b *testing.B, n int, e benchEngine) {
		f := benchFixture(b, n, e)
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			i := f.added
			f.added++
			a, err := corpus.Parse(corpus.ArticleID(fmt.Sprintf("added-%06d", i)), corpus.FormatText, g.Article(i), nil)
			if err != nil {
				b.Fatal(err)
			}
			arts := f.corpus(b).Articles()
			c := corpus.New(append(arts[:len(arts):len(arts)], a)...)
			b.StartTimer()
			if err := f.ix.add(ctx, c, a); err != nil {
				b.Fatal(err)
			}
			f.c = c
		}
	})
}

// BenchmarkAddOneFile times adding one article as the bot does when a
// file appears in its corpus folder: path=named, the bot's way, looks at
// the file its watcher names in the folder's listing kept since start
// (Folder.Relist) and indexes that article (SyncArticles); path=listing
// lists the whole folder again (a stat a file) and brings the index up
// to date with it (SyncFolder), as a start does, or a watcher that lost
// track. Either reads and indexes the one new file. After each, outside
// the timer, the file is removed and the index brought back.
func BenchmarkAddOneFile(b *testing.B) {
	real, err := realSentences()
	if err != nil {
		b.Fatal(err)
	}
	g := gen.New(benchSeed+2, real)
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ix := benchFixture(b, n, verbatimEngine).ix.(verbatimBench).Index
			dir := benchCorpusDir(b, n)
			ctx := context.Background()
			kept, _, err := corpus.ListFolder(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			defer kept.Close()
			named := namedSync(ctx, kept, ix.SyncArticles)
			listing := func(b *testing.B, _ string) BuildResult { return syncListed(ctx, b, ix, dir) }
			i := 0
			for _, path := range []struct {
				name string
				sync func(*testing.B, string) BuildResult
			}{{"named", named}, {"listing", listing}} {
				b.Run("path="+path.name, func(b *testing.B) {
					for b.Loop() {
						b.StopTimer()
						addAndRemove(b, dir, fmt.Sprintf("added-file-%06d.txt", i), g.Article(i), path.sync)
						i++
					}
				})
			}
		})
	}
}

// BenchmarkPublishOneFile times what the feed poller of a bot with a
// shared index folder (SHARED_INDEX_DIR) does when it stores one article:
// the file named in the folder's kept listing (Folder.Relist) and the
// folder's next version published with that article
// (SharedBuilder.BuildArticles): the current version's files linked, its
// catalogue's changes copied, the article indexed, the version closed and
// named current. After each, outside the timer, the file is removed and
// that published too. The shared folder starts as a copy of the
// benchmark's index, and the builder publishes once before the timer
// starts: the first publish of a process reads every article's entry
// once (see docs/performance.md).
func BenchmarkPublishOneFile(b *testing.B) {
	real, err := realSentences()
	if err != nil {
		b.Fatal(err)
	}
	g := gen.New(benchSeed+3, real)
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			fx := benchFixture(b, n, verbatimEngine)
			if err := fx.ix.Close(); err != nil { // its files as they lie
				b.Fatal(err)
			}
			fx.ix = nil
			shared := filepath.Join(benchRoot(), fmt.Sprintf("shared-s%d-n%d", benchSeed, n))
			if err := os.RemoveAll(shared); err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(shared)
			if err := cloneIndex(filepath.Join(fx.dir, IndexDir), filepath.Join(shared, "v000001", IndexDir)); err != nil {
				b.Fatal(err)
			}
			if err := writeCurrent(shared, "v000001"); err != nil {
				b.Fatal(err)
			}
			dir := benchCorpusDir(b, n)
			ctx := context.Background()
			kept, _, err := corpus.ListFolder(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			defer kept.Close()
			publish := namedSync(ctx, kept, NewSharedBuilder(shared, Options{}).BuildArticles)
			i := 0
			round := func() {
				addAndRemove(b, dir, fmt.Sprintf("published-file-%06d.txt", i), g.Article(i), publish)
				i++
			}
			b.StopTimer()
			round() // the process's first publish
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				round()
			}
		})
	}
}

// namedSync returns a sync of the file a benchmark names: relisted in
// kept, and the articles it names brought up to date by sync.
func namedSync(ctx context.Context, kept *corpus.Folder, sync func(context.Context, *corpus.Folder, []corpus.ArticleID) (BuildResult, error)) func(*testing.B, string) BuildResult {
	return func(b *testing.B, name string) BuildResult {
		ids, _, err := kept.Relist(ctx, 0, []string{name})
		if err != nil {
			b.Fatal(err)
		}
		res, err := sync(ctx, kept, ids)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
}

// addAndRemove writes the file name of text into dir and times sync
// adding it; then, outside the timer, removes it and syncs again. It is
// called with the timer stopped and returns with it running.
func addAndRemove(b *testing.B, dir, name string, text []byte, sync func(*testing.B, string) BuildResult) {
	if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	res := sync(b, name)
	b.StopTimer()
	os.Remove(filepath.Join(dir, name))
	if res.Added != 1 {
		b.Fatalf("added %d articles; want 1", res.Added)
	}
	if res := sync(b, name); res.Removed != 1 {
		b.Fatalf("removed %d articles; want 1", res.Removed)
	}
	b.StartTimer()
}

// BenchmarkAsk times answering questions the process has not seen: the
// fixed question set (benchQuestions), one question an iteration, each
// asked after the engine forgets what it kept from earlier questions (for
// verbatim its cache of term counts), with 1, 2
// and 8 askers at once: p50-ms and p99-ms are the latency of one question,
// q/s the questions answered per second by all askers together, cpu-ms the
// processor time per question.
func BenchmarkAsk(b *testing.B) {
	benchAsk(b, false)
}

// BenchmarkAskWarm is BenchmarkAsk with the engines' caches kept and
// warmed on the question set first: the cost of a question asked again.
func BenchmarkAskWarm(b *testing.B) {
	benchAsk(b, true)
}

func benchAsk(b *testing.B, warm bool) {
	qs := benchQuestions(b)
	ctx := context.Background()
	b.Run("articles=seed", func(b *testing.B) {
		ix := memIndex(b, seedCorpus(b), Options{})
		v := verbatimBench{ix}
		const q = "What did Khalilzad urge nations bordering Iraq to do?"
		b.Run("engine=verbatim", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !warm {
					v.forget()
				}
				if _, err := ix.Ask(ctx, Query{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("engine=bm25", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !warm {
					v.forget()
				}
				if _, err := ix.askBaseline(ctx, q, DefaultTop); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	eachSizeAndEngine(b, func(b *testing.B, n int, e benchEngine) {
		f := benchFixture(b, n, e)
		if warm {
			for _, q := range qs { // the first asks fill caches
				if _, err := f.ix.ask(ctx, q, DefaultTop); err != nil {
					b.Fatal(err)
				}
			}
		}
		for _, askers := range []int{1, 2, 8} {
			b.Run(fmt.Sprintf("askers=%d", askers), func(b *testing.B) {
				b.ReportAllocs()
				var lat latencies
				var next atomic.Int64
				var failed atomic.Value
				start, cpu0 := time.Now(), cpuTime()
				b.ResetTimer()
				var wg sync.WaitGroup
				for range askers {
					wg.Go(func() {
						var mine []time.Duration
						for {
							i := int(next.Add(1)) - 1
							if i >= b.N {
								break
							}
							t := time.Now()
							if !warm {
								f.ix.forget()
							}
							if _, err := f.ix.ask(ctx, qs[i%len(qs)], DefaultTop); err != nil {
								failed.Store(err)
								break
							}
							mine = append(mine, time.Since(t))
						}
						lat.add(mine)
					})
				}
				wg.Wait()
				b.StopTimer()
				if err, ok := failed.Load().(error); ok {
					b.Fatal(err)
				}
				lat.report(b)
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "q/s")
				// Processor time per question: what the question costs
				// when the machine is shared and wall time is not ours.
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms")
			})
		}
	})
}

// BenchmarkAskPaired is BenchmarkAsk's one asker with the engines
// taking turns in one run, for the targets that compare them: each
// engine answers a block of pairedBlock new questions (BenchmarkAsk's
// set, each asked after the engine forgets what it kept), then the next
// engine the same block, the first engine of each block taking its turn
// last in the next. A machine whose speed drifts over a run (a shared
// host, another process) then weighs on every engine alike, where runs
// of one engine after the other each met its own weather. Before each
// turn the heap is collected outside the measurement, so that the
// collection work within a turn is owed to that engine's own
// allocations. It reports each engine's processor time per question
// ("verbatim-cpu-ms", ...) and, with a peer (the build tag peer),
// "ratio": verbatim's time over the first peer's.
func BenchmarkAskPaired(b *testing.B) {
	qs := benchQuestions(b)
	engines := benchEngines()
	ctx := context.Background()
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ixs := make([]benchIndex, len(engines))
			for k, e := range engines {
				ixs[k] = benchFixture(b, n, e).ix
			}
			cpu := make([]time.Duration, len(engines))
			b.ResetTimer()
			for start := 0; start < b.N; start += pairedBlock {
				end := min(b.N, start+pairedBlock)
				for turn := range engines {
					k := (start/pairedBlock + turn) % len(engines)
					runtime.GC()
					cpu0 := cpuTime()
					for i := start; i < end; i++ {
						ixs[k].forget()
						if _, err := ixs[k].ask(ctx, qs[i%len(qs)], DefaultTop); err != nil {
							b.Fatal(err)
						}
					}
					cpu[k] += cpuTime() - cpu0
				}
			}
			b.StopTimer()
			for k, e := range engines {
				b.ReportMetric(float64(cpu[k])/float64(time.Millisecond)/float64(b.N), e.name+"-cpu-ms")
			}
			if len(engines) > 1 && cpu[1] > 0 {
				b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "ratio")
			}
		})
	}
}

// pairedBlock is how many questions an engine answers in one turn of
// BenchmarkAskPaired: enough that the heap is collected a few times
// within a turn, few enough that turns come seconds apart.
const pairedBlock = 250

// BenchmarkEval reports answer quality, the same questions put to every
// engine: the seed article's questions (development and paraphrase) and
// TrecQA's development questions turned into corpus QA on the generated
// corpus (trecQACorpusQA). The time per iteration is that of one pass.
func BenchmarkEval(b *testing.B) {
	seedDev := readEval(b, "seed-questions.dev.jsonl").QA
	seedPara := readEval(b, "seed-questions.paraphrase.jsonl").QA
	ctx := context.Background()
	eachSizeAndEngine(b, func(b *testing.B, n int, e benchEngine) {
		f := benchFixture(b, n, e)
		sets := []struct {
			name  string
			items []QAItem
		}{{"seed", seedDev}, {"para", seedPara}, {"trecqa", trecQACorpusQA(b, f.corpus(b))}}
		var ms []Metrics
		for b.Loop() {
			ms = ms[:0]
			for _, s := range sets {
				m, err := f.ix.evaluate(ctx, s.items)
				if err != nil {
					b.Fatal(err)
				}
				ms = append(ms, m)
			}
		}
		for i, s := range sets {
			m := ms[i]
			if len(s.items) == 0 {
				continue
			}
			for _, v := range []struct {
				name string
				p    *float64
			}{{"p@1", m.PAt1}, {"mrr", m.MRR}, {"na-acc", m.NoAnswerAccuracy}} {
				if v.p != nil {
					b.ReportMetric(*v.p, s.name+"-"+v.name)
				}
			}
		}
	})
}

// BenchmarkStartup times start-up on the embedded default article to the
// first answer: loading the article, opening the index (built in memory,
// or reopened from a data folder as a bot does after its first run) and
// answering one question.
func BenchmarkStartup(b *testing.B) {
	ctx := context.Background()
	const q = "Who is Zalmy Khalilzad?"
	first := func(b *testing.B, ix *Index) {
		b.Helper()
		a, err := ix.Ask(ctx, Query{Text: q})
		if err != nil || a.NoAnswer {
			b.Fatalf("Ask(%q) = %+v, %v", q, a, err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("index=memory", func(b *testing.B) {
		for b.Loop() {
			c, err := corpus.Default()
			if err != nil {
				b.Fatal(err)
			}
			ix, err := OpenMemory(ctx, c, Options{})
			if err != nil {
				b.Fatal(err)
			}
			first(b, ix)
		}
	})
	b.Run("index=disk", func(b *testing.B) {
		dir := b.TempDir()
		c, err := corpus.Default()
		if err != nil {
			b.Fatal(err)
		}
		ix, err := Open(ctx, dir, c, Options{})
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
		for b.Loop() {
			c, err := corpus.Default()
			if err != nil {
				b.Fatal(err)
			}
			ix, err := Open(ctx, dir, c, Options{})
			if err != nil {
				b.Fatal(err)
			}
			first(b, ix)
		}
	})
}

// BenchmarkTermsIn times /lookup's autocomplete (25 words of a prefix):
// in a server that sees every article (the term dictionary's counts as
// they are), and in one from which ten articles are hidden, as a server's
// own pages are from another: the first time after a change (their
// sentences read and analysed) and after (kept). The articles are hidden
// by the benchmark, not by their servers, so that the fixture is not
// changed.
func BenchmarkTermsIn(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ix := benchFixture(b, n, verbatimEngine).ix.(verbatimBench).Index
			var hidden []corpus.ArticleID
			for _, a := range ix.Articles() {
				if len(hidden) == 10 {
					break
				}
				hidden = append(hidden, a.ID)
			}
			for _, prefix := range []string{"", "s", "har"} {
				for _, tt := range []struct {
					name   string
					hidden []corpus.ArticleID
					first  bool
				}{
					{"hidden=0", nil, false},
					{"hidden=10/first", hidden, true},
					{"hidden=10/kept", hidden, false},
				} {
					b.Run("prefix="+prefix+"/"+tt.name, func(b *testing.B) {
						for b.Loop() {
							if tt.first {
								ix.hidden.mu.Lock()
								ix.hidden.state = ""
								ix.hidden.mu.Unlock()
							}
							rd, err := ix.reader()
							if err != nil {
								b.Fatal(err)
							}
							_, err = ix.terms(rd, "", prefix, "bench", 0, tt.hidden, 25)
							rd.Close()
							if err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
		})
	}
}
