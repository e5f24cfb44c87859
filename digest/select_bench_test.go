package digest

import (
	"context"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// BenchmarkSelect measures a digest over many new articles (a bulk
// import): Select summarises only the five it shows; the
// "summarise all" case is what asking the index for every new article's
// key sentences would cost.
func BenchmarkSelect(b *testing.B) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	arts := fruitArticles(b, 2000)
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(arts...), retrieval.Options{Now: func() time.Time { return at.Add(-time.Hour) }})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			if d := Select(ix, at.Add(-24*time.Hour), at, false, ""); len(d.Items) != MaxArticles {
				b.Fatal(len(d.Items))
			}
		}
	})
	b.Run("summarise-all", func(b *testing.B) {
		for b.Loop() {
			ix.Digest(at.Add(-24*time.Hour), retrieval.DefaultKeySentences, false)
		}
	})
}
