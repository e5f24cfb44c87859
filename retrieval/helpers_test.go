package retrieval

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// seedCorpus is the embedded default corpus.
func seedCorpus(tb testing.TB) *corpus.Corpus {
	tb.Helper()
	c, err := corpus.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// memIndex indexes c in memory.
func memIndex(tb testing.TB, c *corpus.Corpus, o Options) *Index {
	tb.Helper()
	ix, err := OpenMemory(context.Background(), c, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// reopenedIndex indexes c on disk, closes the index and opens it again,
// as a later start finds it: what it reads back is what was stored.
func reopenedIndex(tb testing.TB, c *corpus.Corpus) *Index {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	ix, err := Open(ctx, dir, c, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ix.Close()
	if ix, err = Open(ctx, dir, c, Options{}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// article parses a .txt article from its text.
func article(tb testing.TB, id, text string) *corpus.Article {
	tb.Helper()
	a, err := corpus.Parse(corpus.ArticleID(id), corpus.FormatText, []byte(text), nil)
	if err != nil {
		tb.Fatalf("parse %s: %v", id, err)
	}
	return a
}

// newAnalyzer returns the analyzer, failing the test when it cannot be
// built.
func newAnalyzer(tb testing.TB) *Analyzer {
	tb.Helper()
	an, err := NewAnalyzer()
	if err != nil {
		tb.Fatal(err)
	}
	return an
}

// readEval reads an evaluation file from testdata/eval.
func readEval(tb testing.TB, name string) *EvalSet {
	tb.Helper()
	f, err := os.Open("testdata/eval/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	set, err := ReadEvalSet(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return set
}

// logBuffer is a logger that keeps what it logs, for tests that assert
// on warnings.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// answerAll are the options of a test about what an index serves, not
// about whether its tiny corpus makes the answer confident enough: every
// question with a candidate is answered.
var answerAll = Options{MinConfidence: 1e-9}

// syncListed lists the folder dir and brings ix up to date with the
// listing, as the bot does when its corpus folder changes.
func syncListed(ctx context.Context, tb testing.TB, ix *Index, dir string) BuildResult {
	tb.Helper()
	f, _, err := corpus.ListFolder(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	res, err := ix.SyncFolder(ctx, f)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}
