package retrieval

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestEmbeddedModels checks that the shipped weights and answerability
// model are the ones the code reads, fitted for the evidence it computes.
func TestEmbeddedModels(t *testing.T) {
	if _, err := parseConfidence(confidenceJSON); err != nil {
		t.Fatal(err)
	}
	if !WeightsInForce(weightsJSON) {
		t.Error("weights.json is not the weights in force")
	}
	if th := DefaultConfidenceThreshold(); th <= 0 || th >= 1 {
		t.Errorf("threshold = %v; want inside (0, 1)", th)
	}
	if _, err := parseConfidence([]byte(`{"features": ["coverage"], "weights": [1]}`)); err == nil {
		t.Error("a model fitted for other features was accepted")
	}
}

func TestPRAUC(t *testing.T) {
	for _, tt := range []struct {
		name string
		cs   []confident
		want float64
	}{
		// Right ones first: every precision is 1.
		{"perfect", []confident{{0.9, true}, {0.8, true}, {0.1, false}}, 1},
		// The right one second: precision 1/2 at its recall.
		{"second", []confident{{0.9, false}, {0.8, true}, {0.1, false}}, 0.5},
		// (1/2 + 2/3) / 2.
		{"mixed", []confident{{0.9, false}, {0.8, true}, {0.7, true}}, (0.5 + 2.0/3) / 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := prAUC(tt.cs)
			if got == nil || math.Abs(*got-tt.want) > 1e-12 {
				t.Errorf("prAUC(%v) = %v; want %v", tt.cs, got, tt.want)
			}
		})
	}
	if got := prAUC([]confident{{0.5, false}}); got != nil {
		t.Errorf("prAUC with nothing right = %v; want nil", *got)
	}
}

func TestTrigger(t *testing.T) {
	var tr trigger
	tr.add(true, true, true)    // answered rightly
	tr.add(true, true, false)   // answered wrongly
	tr.add(true, false, false)  // declined, though answerable
	tr.add(false, false, false) // declined rightly
	tr.add(false, true, false)  // answered what nothing answers
	var m Metrics
	tr.metrics(&m)
	p, r := 1.0/3, 1.0/3
	for _, c := range []struct {
		name string
		got  *float64
		want float64
	}{
		{"precision", m.TriggerPrecision, p},
		{"recall", m.TriggerRecall, r},
		{"f1", m.TriggerF1, 2 * p * r / (p + r)},
		{"accuracy", m.Accuracy, 2.0 / 5},
	} {
		if c.got == nil || math.Abs(*c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
}

// TestEvaluateSelectionTriggers scores answer triggering over every
// question, those with no right candidate too.
func TestEvaluateSelectionTriggers(t *testing.T) {
	an := newAnalyzer(t)
	items := []SelectionItem{
		{Question: "Who invented the telephone?", Candidates: []Candidate{
			{Text: "Alexander Graham Bell invented the telephone in 1876.", Label: 1},
			{Text: "The weather was cold in Boston that winter.", Label: 0},
		}},
		{Question: "When was the telephone invented?", Candidates: []Candidate{
			{Text: "The weather was cold in Boston that winter.", Label: 0},
			{Text: "Boston has many old buildings.", Label: 0},
		}},
	}
	m := EvaluateSelection(an, items, AllFeatures, false)
	if m.Questions != 1 || m.Skipped != 1 {
		t.Errorf("scored %d, skipped %d; want 1 and 1 (the MAP protocol)", m.Questions, m.Skipped)
	}
	if m.Accuracy == nil || m.TriggerRecall == nil || m.TriggerPrecision == nil {
		t.Fatalf("trigger metrics missing: %+v", m)
	}
	// Both questions count for accuracy: the unanswerable one is declined
	// (nothing in its candidates is about a telephone), the other
	// answered rightly.
	if *m.Accuracy != 1 || *m.TriggerRecall != 1 || *m.TriggerPrecision != 1 {
		t.Errorf("accuracy %v, recall %v, precision %v; want 1, 1, 1", *m.Accuracy, *m.TriggerRecall, *m.TriggerPrecision)
	}
}

// TestFitConfidence fits a model on a small data set, twice: the fit is
// deterministic, separates the right answers from the rest, and keeps the
// threshold inside (0, 1).
func TestFitConfidence(t *testing.T) {
	data := TrainingData{
		Selection: readEval(t, "trecqa-dev.jsonl").Selection[:30],
		Corpora:   []QACorpus{{Name: "seed dev", Corpus: seedCorpus(t), Items: readEval(t, "seed-questions.dev.jsonl").QA}},
	}
	fit := func() *ConfidenceFit {
		f, err := FitConfidence(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := fit(), fit()
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	if string(ja) != string(jb) {
		t.Errorf("two fits differ:\n%s\n%s", ja, jb)
	}
	if _, err := parseConfidence(ja); err != nil {
		t.Errorf("the fitted model does not load: %v", err)
	}
	if a.Threshold <= 0 || a.Threshold >= 1 || a.Accuracy < 0.6 {
		t.Errorf("threshold %v, accuracy %v; want inside (0, 1) and at least 0.6", a.Threshold, a.Accuracy)
	}
	if !slices.IsSortedFunc(a.Curve, func(x, y CurvePoint) int { return int(math.Copysign(1, y.Answered-x.Answered)) }) {
		t.Errorf("the curve answers more at a higher threshold: %+v", a.Curve)
	}
	if a.Examples["seed dev"] == 0 || a.Examples["selection, right candidates removed"] == 0 {
		t.Errorf("examples by source = %v; want seed dev and selection without right candidates", a.Examples)
	}
}

// TestDecisionsScoreAsEvalDoes counts the shipped model's right
// decisions with Decisions, as cross-validation does for a model fitted
// without the questions, and wants what eval's accuracy says of the same
// questions: a corpus QA set and an answer selection set.
func TestDecisionsScoreAsEvalDoes(t *testing.T) {
	ctx := context.Background()
	fit := &ConfidenceFit{model: *defaultConfidence}
	qa := readEval(t, "seed-paraphrase3.tune.jsonl").QA
	sel := readEval(t, "summaries2.tune.jsonl").Selection

	m, err := memIndex(t, seedCorpus(t), Options{}).EvaluateQA(ctx, qa, false)
	if err != nil {
		t.Fatal(err)
	}
	right, total, err := fit.Decisions(ctx, []QACorpus{{Name: "seed", Corpus: seedCorpus(t), Items: qa}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if total != m.Questions || math.Abs(float64(right)/float64(total)-*m.Accuracy) > 1e-9 {
		t.Errorf("corpus QA: Decisions %d of %d; eval accuracy %v of %d", right, total, *m.Accuracy, m.Questions)
	}

	ms := EvaluateSelection(newAnalyzer(t), sel, AllFeatures, false)
	right, total, err = fit.Decisions(ctx, nil, sel)
	if err != nil {
		t.Fatal(err)
	}
	if total != ms.Questions+ms.Skipped || math.Abs(float64(right)/float64(total)-*ms.Accuracy) > 1e-9 {
		t.Errorf("selection: Decisions %d of %d; eval accuracy %v of %d+%d", right, total, *ms.Accuracy, ms.Questions, ms.Skipped)
	}
	if right == 0 || right == total {
		t.Errorf("selection: %d of %d right; want a set the model gets partly wrong", right, total)
	}
}

// TestFitRankingWeights fits the ranking weights on a small data set: the fit is
// deterministic, never worse on its objective than where it started, and
// never worse on its dev set.
func TestFitRankingWeights(t *testing.T) {
	sel := readEval(t, "trecqa-train.jsonl").Selection
	data := TrainingData{
		Selection: sel[:25],
		Dev:       readEval(t, "trecqa-dev.jsonl").Selection[:25],
		Corpora:   []QACorpus{{Name: "seed dev", Corpus: seedCorpus(t), Items: readEval(t, "seed-questions.dev.jsonl").QA}},
	}
	fit := func() *WeightFit {
		f, err := FitWeights(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := fit(), fit()
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	if string(ja) != string(jb) {
		t.Errorf("two fits differ:\n%s\n%s", ja, jb)
	}
	if _, err := parseWeights(ja); err != nil {
		t.Errorf("the fitted weights do not load: %v", err)
	}
	if a.After < a.Before || a.DevAfter < a.DevBefore {
		t.Errorf("objective %v -> %v, dev %v -> %v; want neither lower", a.Before, a.After, a.DevBefore, a.DevAfter)
	}
}
