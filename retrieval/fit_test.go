package retrieval

import (
	"cmp"
	"flag"
	"fmt"
	"slices"
	"testing"
)

var fit = flag.Bool("fit", false, "fit the ranking weights on TrecQA train and print them (TestFitWeights)")

// selectionCase is one answer-selection question, analysed once, for
// scoring under many weights.
type selectionCase struct {
	q      rankQuery
	docs   []doc
	avgLen float64
	labels []int
	pos    int
}

func prepareSelection(tb testing.TB, an *Analyzer, items []SelectionItem) []selectionCase {
	tb.Helper()
	var out []selectionCase
	for _, it := range items {
		c := selectionCase{}
		for _, k := range it.Candidates {
			c.docs = append(c.docs, an.prepare(k.Text))
			c.labels = append(c.labels, k.Label)
			if k.Label > 0 {
				c.pos++
			}
		}
		if c.pos == 0 || c.pos == len(c.docs) {
			continue
		}
		st := newSetStats(c.docs)
		c.q = prepareQueryWith(an, an.Question(it.Question), st, AllFeatures)
		c.avgLen = st.avgLen
		out = append(out, c)
	}
	return out
}

// meanAP is the mean average precision of the cases ranked with w.
func meanAP(cases []selectionCase, w *weightSet) float64 {
	sum := 0.0
	type r struct {
		s float64
		h uint64
		l int
	}
	for _, c := range cases {
		q := c.q
		q.wt = w
		rs := make([]r, len(c.docs))
		for i, d := range c.docs {
			rs[i] = r{score(q, d, c.avgLen, AllFeatures).score, textHash(d.text), c.labels[i]}
		}
		slices.SortFunc(rs, func(a, b r) int {
			if x := cmp.Compare(b.s, a.s); x != 0 {
				return x
			}
			return cmp.Compare(a.h, b.h)
		})
		hits, ap := 0, 0.0
		for i, x := range rs {
			if x.l > 0 {
				hits++
				ap += float64(hits) / float64(i+1)
			}
		}
		sum += ap / float64(c.pos)
	}
	return sum / float64(len(cases))
}

// TestFitWeights fits the weights by coordinate ascent on TrecQA train's
// MAP, starting from defaultWeights and trying a fixed grid of values for
// one weight at a time, keeping a change only when it gains; it prints the
// result and the dev MAP for each round. Deterministic.
//
//	go test ./retrieval -run TestFitWeights -fit -v
func TestFitWeights(t *testing.T) {
	if !*fit {
		t.Skip("run with -fit")
	}
	an, err := NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	train := prepareSelection(t, an, readEval(t, "trecqa-train.jsonl").Selection)
	dev := prepareSelection(t, an, readEval(t, "trecqa-dev.jsonl").Selection)
	w := defaultWeights
	params := []struct {
		name string
		p    *float64
		grid []float64
	}{
		{"form", &w.bridge[bridgeForm], []float64{0, 0.5, 0.7, 0.85, 1}},
		{"alias", &w.bridge[bridgeAlias], []float64{0, 0.5, 0.7, 0.9, 1}},
		{"capital", &w.bridge[bridgeCapital], []float64{0, 0.3, 0.6, 0.9}},
		{"derived", &w.bridge[bridgeDerived], []float64{0, 0.3, 0.5, 0.7, 0.9}},
		{"synonym", &w.bridge[bridgeSynonym], []float64{0, 0.2, 0.35, 0.5, 0.7}},
		{"phrase", &w.phrase, []float64{0, 0.25, 0.5, 1, 1.5}},
		{"answerType", &w.answerType, []float64{0, 0.5, 1, 1.5, 2, 3, 4}},
		{"proximity", &w.proximity, []float64{0, 0.25, 0.5, 1, 1.5, 2}},
		{"typeReach", &w.typeReach, []float64{1, 2, 4, 8, 16}},
	}
	best := meanAP(train, &w)
	t.Logf("start: train MAP %.4f, dev MAP %.4f", best, meanAP(dev, &w))
	for round := 1; round <= 4; round++ {
		changed := false
		for _, p := range params {
			keep := *p.p
			for _, v := range p.grid {
				*p.p = v
				if m := meanAP(train, &w); m > best+1e-9 {
					best, keep, changed = m, v, true
				}
			}
			*p.p = keep
		}
		t.Logf("round %d: train MAP %.4f, dev MAP %.4f", round, best, meanAP(dev, &w))
		if !changed {
			break
		}
	}
	out := ""
	for _, p := range params {
		out += fmt.Sprintf("%s %v; ", p.name, *p.p)
	}
	t.Log(out)
}
