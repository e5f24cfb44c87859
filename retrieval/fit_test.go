package retrieval

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

var fit = flag.Bool("fit", false, "fit the ranking weights on TrecQA train and print them (TestFitWeights)")

// selectionCase is one answer-selection question, analysed once, for
// scoring under many weights.
type selectionCase struct {
	q      rankQuery
	docs   []doc
	avgLen float64
	labels []int
	h      []uint64 // each doc's hash
	pos    int
}

func prepareSelection(tb testing.TB, an *Analyzer, items []SelectionItem) []selectionCase {
	tb.Helper()
	var out []selectionCase
	for _, it := range items {
		c := selectionCase{}
		for _, k := range it.Candidates {
			d := an.prepare(k.Text)
			c.docs = append(c.docs, d)
			c.labels = append(c.labels, k.Label)
			c.h = append(c.h, d.hash)
			if k.Label > 0 {
				c.pos++
			}
		}
		if c.pos == 0 || c.pos == len(c.docs) {
			continue
		}
		st := newSetStats(c.docs)
		c.q = prepareQueryWith(an, an.Question(it.Question), st, AllFeatures, nil)
		c.avgLen = st.avgLen
		out = append(out, c)
	}
	return out
}

// meanAP is the mean average precision of the cases ranked with w.
func meanAP(cases []selectionCase, w *weightSet) float64 {
	sum := 0.0
	for _, c := range cases {
		q := c.q
		q.wt = w
		scores := make([]float64, len(c.docs))
		for i, d := range c.docs {
			scores[i] = score(q, d, c.avgLen, AllFeatures).score
		}
		sum += averagePrecision(scores, c.h, c.labels, c.pos)
	}
	return sum / float64(len(cases))
}

// averagePrecision is the average precision of candidates ranked by
// scores as RankCandidates ranks them; pos is how many labels are right.
func averagePrecision(scores []float64, h []uint64, labels []int, pos int) float64 {
	sumPrec, _ := precisions(rankOrder(scores, h), func(i int) bool { return labels[i] > 0 })
	return sumPrec / float64(pos)
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
	an := newAnalyzer(t)
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
		{"focus", &w.focus, []float64{0, 0.2, 0.3, 0.5, 0.7, 1}},
		{"acronym", &w.acronym, []float64{0.5, 0.7, 1}},
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

// TestSweepWeights moves one weight at a time over a small grid, the
// others at their defaults, and prints TrecQA train and dev MAP for each
// value: how a single weight is chosen (on train, with dev agreeing),
// where coordinate ascent over all of them overfits train.
//
//	go test ./retrieval -run TestSweepWeights -fit -v
func TestSweepWeights(t *testing.T) {
	if !*fit {
		t.Skip("run with -fit")
	}
	an := newAnalyzer(t)
	train := prepareSelection(t, an, readEval(t, "trecqa-train.jsonl").Selection)
	dev := prepareSelection(t, an, readEval(t, "trecqa-dev.jsonl").Selection)
	for _, p := range []struct {
		name string
		set  func(w *weightSet, v float64)
		grid []float64
	}{
		{"answerType", func(w *weightSet, v float64) { w.answerType = v }, []float64{0.5, 1, 1.5, 2, 3}},
		{"proximity", func(w *weightSet, v float64) { w.proximity = v }, []float64{0, 0.25, 0.5, 1, 1.5}},
		{"phrase", func(w *weightSet, v float64) { w.phrase = v }, []float64{0, 0.25, 0.5, 1}},
		{"typeReach", func(w *weightSet, v float64) { w.typeReach = v }, []float64{4, 8, 16}},
		{"focus", func(w *weightSet, v float64) { w.focus = v }, []float64{0, 0.2, 0.3, 0.5, 1}},
		{"synonym", func(w *weightSet, v float64) { w.bridge[bridgeSynonym] = v }, []float64{0.2, 0.5, 0.7}},
		{"derived", func(w *weightSet, v float64) { w.bridge[bridgeDerived] = v }, []float64{0.5, 0.7, 0.9}},
	} {
		for _, v := range p.grid {
			w := defaultWeights
			p.set(&w, v)
			t.Logf("%s %v: train MAP %.4f, dev MAP %.4f", p.name, v, meanAP(train, &w), meanAP(dev, &w))
		}
	}
}

// TestFitGroup checks the kinds of training set the fit weighs alike:
// questions on one article are a kind apart from questions on a folder of
// them, however many sets of each there are.
func TestFitGroup(t *testing.T) {
	one := corpus.New(article(t, "a", "Title: A\n\nOne sentence."))
	two := corpus.New(article(t, "a", "Title: A\n\nOne sentence."), article(t, "b", "Title: B\n\nAnother."))
	for _, tt := range []struct {
		name string
		c    *corpus.Corpus
		want int
	}{{"one article", one, 1}, {"two articles", two, 2}, {"no corpus", nil, 2}} {
		if got := fitGroup(tt.c); got != tt.want {
			t.Errorf("%s: fitGroup = %d; want %d", tt.name, got, tt.want)
		}
		if got := fitGroup(tt.c); got < 1 || got >= fitGroups {
			t.Errorf("%s: fitGroup = %d; want a corpus kind below %d", tt.name, got, fitGroups)
		}
	}
}

// TestTradesKinds checks the fit's rule that a change of weight may not
// buy one kind of training set with another: a loss of more than minGain
// on any kind refuses it, whatever the others gain.
func TestTradesKinds(t *testing.T) {
	was := [fitGroups]float64{0.77, 0.55, 0.60}
	for _, tt := range []struct {
		name string
		now  [fitGroups]float64
		want bool
	}{
		{"all gain", [fitGroups]float64{0.78, 0.56, 0.61}, false},
		{"one gains, none lose", [fitGroups]float64{0.79, 0.55, 0.60}, false},
		{"a loss within noise", [fitGroups]float64{0.79, 0.55 - minGain/2, 0.60}, false},
		{"selection bought with the folders", [fitGroups]float64{0.79, 0.55, 0.59}, true},
		{"selection bought with one article", [fitGroups]float64{0.80, 0.54, 0.61}, true},
	} {
		if got := tradesKinds(tt.now, was); got != tt.want {
			t.Errorf("%s: tradesKinds = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// TestParseWeightsRefusesOutOfRange checks that weights.json is refused,
// with a message naming the weight, where a weight has no meaning.
func TestParseWeightsRefusesOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    float64
	}{{"titled", 1.5}, {"titled", -0.1}, {"type_reach", 0}} {
		var m map[string]any
		if err := json.Unmarshal(weightsJSON, &m); err != nil {
			t.Fatal(err)
		}
		if _, ok := m[tt.name]; !ok {
			t.Fatalf("weights.json has no %s", tt.name)
		}
		m[tt.name] = tt.v
		bad, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseWeights(bad); err == nil || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s %v: err = %v; want one naming it", tt.name, tt.v, err)
		}
	}
	if _, err := parseWeights(weightsJSON); err != nil {
		t.Errorf("the shipped weights: %v", err)
	}
}
