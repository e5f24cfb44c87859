package retrieval

import (
	"context"
	"testing"
)

// BenchmarkAsk times one question on the default corpus, the engine as
// it answers (all features) and plain BM25 on the same candidates.
func BenchmarkAsk(b *testing.B) {
	ctx := context.Background()
	ix := memIndex(b, seedCorpus(b), Options{})
	const q = "What did Khalilzad urge nations bordering Iraq to do?"
	b.Run("engine=verbatim", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ix.Ask(ctx, Query{Text: q}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine=bm25", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ix.askBaseline(ctx, q, DefaultTop); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRankCandidates times ranking one TrecQA question's candidates.
func BenchmarkRankCandidates(b *testing.B) {
	an, err := NewAnalyzer()
	if err != nil {
		b.Fatal(err)
	}
	it := readEval(b, "trecqa-dev.jsonl").Selection[0]
	b.ReportAllocs()
	for b.Loop() {
		RankCandidates(an, it.Question, it.Candidates, AllFeatures, false)
	}
}
