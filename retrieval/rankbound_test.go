package retrieval

import (
	"context"
	"reflect"
	"testing"
)

// TestRankBoundKeepsTheFirst checks that ranking with the candidates'
// bounds (Index.rank reading the articles of those that may still be
// quoted only) gives the first quotes, their scores and order, that
// scoring every candidate in full gives, on an index on disk of a few
// hundred generated articles, and that it leaves articles unread.
func TestRankBoundKeepsTheFirst(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, t.TempDir(), recallCorpus(t, 300), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	avgLen := ix.man.avgLen()
	compared, spared := 0, 0
	for _, question := range benchQuestions(t) {
		for _, keep := range []int{rankedScores, MaxTop} {
			q, cands, mem, err := ix.query(ctx, ix.an.Question(question), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(q.terms) == 0 {
				mem.release()
				continue
			}
			articles := map[string]bool{}
			for _, k := range cands {
				articles[string(k.s.Article)] = true
			}
			got := summarise(ix.rank(q, cands, avgLen, keep, mem))
			if read := len(mem.terms); read < len(articles) {
				spared++
			}
			mem.release()

			q, cands, mem, err = ix.query(ctx, ix.an.Question(question), "")
			if err != nil {
				t.Fatal(err)
			}
			// Asked to keep them all, rank scores every candidate in full.
			all := ix.rank(q, cands, avgLen, len(cands), mem)
			want := summarise(all[:min(keep, len(all))])
			mem.release()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q, keep %d: ranked with bounds\n%v\nwant\n%v", question, keep, got, want)
			}
			compared++
		}
	}
	t.Logf("%d rankings compared, %d spared articles", compared, spared)
	if compared < 150 || spared < compared/3 {
		t.Errorf("%d rankings compared, %d read fewer articles than their candidates': want at least 150, and a third sparing some", compared, spared)
	}
}

// rankedLine is what a test compares of a ranked candidate.
type rankedLine struct {
	Text  string
	Ref   string
	Score float64
	Res   scored
}

func summarise(ks []*candidate) []rankedLine {
	out := make([]rankedLine, len(ks))
	for i, k := range ks {
		out[i] = rankedLine{k.s.Text, docID(k.s.Ref()), k.res.score, k.res}
	}
	return out
}
