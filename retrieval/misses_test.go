package retrieval

import (
	"flag"
	"fmt"
	"testing"
)

var misses = flag.String("misses", "", "print the questions of this TrecQA file (in testdata/eval) whose first candidate is wrong (TestMisses)")

// TestMisses prints, for error analysis, each answer-selection question
// whose first-ranked candidate is wrong: its answer type, focus and terms,
// the top three candidates and every right one, with score, coverage and
// rank (right ones marked +). docs/quality.md classifies them.
//
//	go test ./retrieval -run TestMisses -misses trecqa-dev.jsonl -v
func TestMisses(t *testing.T) {
	if *misses == "" {
		t.Skip("run with -misses FILE")
	}
	an := newAnalyzer(t)
	for _, it := range readEval(t, *misses).Selection {
		pos := 0
		for _, c := range it.Candidates {
			if c.Label > 0 {
				pos++
			}
		}
		if pos == 0 || pos == len(it.Candidates) {
			continue
		}
		order := RankCandidates(an, it.Question, it.Candidates, AllFeatures, false)
		if it.Candidates[order[0]].Label > 0 {
			continue
		}
		qa := an.Question(it.Question)
		docs := make([]doc, len(it.Candidates))
		for i, c := range it.Candidates {
			docs[i] = an.prepare(c.Text)
		}
		st := newSetStats(docs)
		q := prepareQueryWith(an, qa, st, AllFeatures, nil)
		fmt.Printf("\nQ: %s  [type %v, focus %q, terms %q]\n", it.Question, qa.Type, qa.Focus, q.terms)
		for r, k := range order {
			c := it.Candidates[k]
			if r > 2 && c.Label <= 0 {
				continue
			}
			s := score(q, docs[k], st.avgLen, AllFeatures)
			mark := " "
			if c.Label > 0 {
				mark = "+"
			}
			fmt.Printf("  %s%2d %6.2f cov %.2f  %s\n", mark, r+1, s.score, s.coverage, c.Text)
		}
	}
}
