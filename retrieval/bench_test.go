package retrieval

import (
	"testing"
)

// BenchmarkRankCandidates times ranking one TrecQA question's candidates.
func BenchmarkRankCandidates(b *testing.B) {
	an := newAnalyzer(b)
	it := readEval(b, "trecqa-dev.jsonl").Selection[0]
	b.ReportAllocs()
	for b.Loop() {
		RankCandidates(an, it.Question, it.Candidates, AllFeatures, false)
	}
}
