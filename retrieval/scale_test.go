package retrieval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/gen"
	"github.com/verbatim-bot/verbatim/internal/procstatus"
)

// The scale benchmarks run on generated corpora (internal/gen) of the
// sizes in benchSizes. Sizes above 1,000 articles take minutes and
// gigabytes, so they run only when asked for by name in
// VERBATIM_BENCH_ARTICLES (see docs/performance.md).
const (
	envBenchArticles = "VERBATIM_BENCH_ARTICLES" // comma-separated sizes; default "1,1000"
	envBenchDir      = "VERBATIM_BENCH_DIR"      // where generated corpora are kept; default under the temp folder
	envBenchReuse    = "VERBATIM_BENCH_REUSE"    // non-empty: keep the answering benchmarks' indexes there too, and reuse them
	benchSeed        = 1
)

// benchSizes returns the corpus sizes the scale benchmarks run at.
func benchSizes(tb testing.TB) []int {
	tb.Helper()
	spec := os.Getenv(envBenchArticles)
	if spec == "" {
		return []int{1, 1000}
	}
	var out []int
	for f := range strings.SplitSeq(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("%s=%q: want sizes such as 1,1000,10000", envBenchArticles, spec)
		}
		out = append(out, n)
	}
	return out
}

// realSentences are the sentences mixed into generated corpora: the
// TrecQA candidates (train and dev), untokenised.
var realSentences = sync.OnceValues(func() ([]string, error) {
	var qs []gen.Question
	for _, f := range []string{"trecqa-dev.jsonl", "trecqa-train.jsonl"} {
		q, err := gen.ReadTrecQAFile(filepath.Join("testdata", "eval", f))
		if err != nil {
			return nil, err
		}
		qs = append(qs, q...)
	}
	return gen.Sentences(qs), nil
})

// benchCorpusDir returns a folder holding the corpus of n articles: the
// seed article and n-1 generated ones. Folders are made once and kept
// (generation is deterministic), marked complete by a hidden file that
// LoadDir does not read.
func benchCorpusDir(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(benchRoot(), fmt.Sprintf("corpus-s%d-n%d", benchSeed, n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	real, err := realSentences()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := gen.New(benchSeed, real).WriteDir(context.Background(), dir, n-1); err != nil {
		tb.Fatalf("generate corpus of %d: %v", n, err)
	}
	seeds, err := filepath.Glob(filepath.Join("..", "corpus", "seed", "*"))
	if err != nil || len(seeds) == 0 {
		tb.Fatalf("seed article files: %v", err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(s)), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// benchRoot is where generated corpora (and reused indexes) are kept.
func benchRoot() string {
	if root := os.Getenv(envBenchDir); root != "" {
		return root
	}
	return filepath.Join(os.TempDir(), "verbatim-bench")
}

// loadBenchCorpus loads the corpus of n articles from its folder.
func loadBenchCorpus(tb testing.TB, n int) *corpus.Corpus {
	tb.Helper()
	c, problems, err := corpus.LoadDir(context.Background(), benchCorpusDir(tb, n))
	if err != nil {
		tb.Fatal(err)
	}
	if len(problems) > 0 || c.Len() != n {
		tb.Fatalf("loaded %d articles of %d; problems: %v", c.Len(), n, problems)
	}
	return c
}

// benchQuestions is the fixed question set of the answering benchmarks:
// the seed article's development questions, then the TrecQA development
// questions.
func benchQuestions(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, it := range readEval(tb, "seed-questions.dev.jsonl").QA {
		out = append(out, it.Question)
	}
	for _, it := range readEval(tb, "trecqa-dev.jsonl").Selection {
		out = append(out, it.Question)
	}
	return out
}

// trecQACorpusQA turns the TrecQA development questions into a corpus
// question-answering set for c: a question's expected answers are its
// sentences labelled right that c holds word for word; questions none of
// whose right sentences c holds are left out.
func trecQACorpusQA(tb testing.TB, c *corpus.Corpus) []QAItem {
	tb.Helper()
	qs, err := gen.ReadTrecQAFile(filepath.Join("testdata", "eval", "trecqa-dev.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range c.Articles() {
		for _, p := range a.Paragraphs {
			for _, s := range p.Sentences {
				have[s.Text] = true
			}
		}
	}
	var out []QAItem
	for _, q := range qs {
		var expect []string
		for _, p := range q.Positives {
			if have[p] {
				expect = append(expect, p)
			}
		}
		if len(expect) > 0 {
			out = append(out, QAItem{Question: q.Question, Expect: expect})
		}
	}
	return out
}

// memSampler follows the peak of the Go heap and of the resident set
// while a benchmark runs.
type memSampler struct {
	stop     chan struct{}
	done     chan struct{}
	peakHeap atomic.Uint64
}

// startMemSampler resets the process's resident high-water mark (Linux)
// and samples the live heap every 10 ms until stopped.
func startMemSampler() *memSampler {
	runtime.GC()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM; best effort
	m := &memSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(m.done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > m.peakHeap.Load() {
				m.peakHeap.Store(v)
			}
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// report stops the sampler and reports peak-heap-MB and, where the system
// tells it, peak-rss-MB.
func (m *memSampler) report(b *testing.B) {
	close(m.stop)
	<-m.done
	b.ReportMetric(float64(m.peakHeap.Load())/(1<<20), "peak-heap-MB")
	if kb, ok := procstatus.KB("VmHWM"); ok {
		b.ReportMetric(float64(kb)/1024, "peak-rss-MB")
	}
}

// dirBytes is the size of the files under dir.
func dirBytes(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// latencies collects per-question durations from concurrent askers.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d...)
	l.mu.Unlock()
}

// report reports p50-ms and p99-ms.
func (l *latencies) report(b *testing.B) {
	slices.Sort(l.d)
	if len(l.d) == 0 {
		return
	}
	pct := func(p int) float64 {
		i := min(len(l.d)-1, len(l.d)*p/100)
		return float64(l.d[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
}
