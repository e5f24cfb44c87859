package retrieval

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
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
	news2, _, err := corpus.LoadDir(context.Background(), "testdata/eval/news2")
	if err != nil {
		t.Fatal(err)
	}
	later := readEval(t, "news2-paraphrase.tune.jsonl").QA
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
	// A later set's questions are asked of its own corpus only, not of
	// the seed article as unanswerable.
	data.Ranking = []QACorpus{{Name: "news2", Corpus: news2, Items: later}}
	a = fit()
	if got := a.Examples["later sets"]; got != len(later) {
		t.Errorf("%d examples from the later sets; want their %d questions", got, len(later))
	}
	for src := range a.Examples {
		if strings.Contains(src, "news2") {
			t.Errorf("examples from %q: a later set asked of another corpus", src)
		}
	}
}

// TestScoreDecidesAsEvalDoes tallies the shipped models' decisions and
// first sentences with score, as cross-validation does for models fitted
// without the questions, and wants what eval says of the same questions:
// accuracy, and p_at_1 with every question answered; for a corpus QA set
// and an answer selection set.
func TestScoreDecidesAsEvalDoes(t *testing.T) {
	ctx := context.Background()
	fit := &ConfidenceFit{model: *defaultConfidence}
	qa := readEval(t, "seed-paraphrase3.tune.jsonl").QA
	sel := readEval(t, "summaries2.tune.jsonl").Selection

	m, err := memIndex(t, seedCorpus(t), Options{}).EvaluateQA(ctx, qa, false)
	if err != nil {
		t.Fatal(err)
	}
	all, err := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9}).EvaluateQA(ctx, qa, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fit.score(ctx, []QACorpus{{Name: "seed", Corpus: seedCorpus(t), Items: qa}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Questions != m.Questions || math.Abs(float64(got.Decided)/float64(got.Questions)-*m.Accuracy) > 1e-9 ||
		math.Abs(float64(got.FirstRight)/float64(got.Answerable)-*all.PAt1) > 1e-9 {
		t.Errorf("corpus QA: %+v; eval: accuracy %v of %d, p_at_1 answering all %v", got, *m.Accuracy, m.Questions, *all.PAt1)
	}

	ms := EvaluateSelection(newAnalyzer(t), sel, AllFeatures, false)
	got, err = fit.score(ctx, nil, sel, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Questions != ms.Questions+ms.Skipped || math.Abs(float64(got.Decided)/float64(got.Questions)-*ms.Accuracy) > 1e-9 {
		t.Errorf("selection: %+v; eval accuracy %v of %d+%d", got, *ms.Accuracy, ms.Questions, ms.Skipped)
	}
	if got.Decided == 0 || got.Decided == got.Questions {
		t.Errorf("selection: %d of %d decided rightly; want a set the model gets partly wrong", got.Decided, got.Questions)
	}
}

// smallTrainingData is a small training set for cross-validation: 20
// TrecQA questions to fit on and 20 as dev, the seed dev questions, and
// two ranking sets of 20 questions each, "para" on the seed article and
// "news2" on its folder, whose items it returns too.
func smallTrainingData(t *testing.T) (data TrainingData, para, news []QAItem) {
	t.Helper()
	news2, _, err := corpus.LoadDir(context.Background(), "testdata/eval/news2")
	if err != nil {
		t.Fatal(err)
	}
	sel := readEval(t, "trecqa-dev.jsonl").Selection
	para = readEval(t, "seed-paraphrase3.tune.jsonl").QA[:20]
	news = readEval(t, "news2-paraphrase.tune.jsonl").QA[:20]
	data = TrainingData{
		Selection: sel[:20],
		Dev:       sel[20:40],
		Corpora:   []QACorpus{{Name: "seed dev", Corpus: seedCorpus(t), Items: readEval(t, "seed-questions.dev.jsonl").QA}},
		Ranking: []QACorpus{
			{Name: "para", Corpus: seedCorpus(t), Items: para},
			{Name: "news2", Corpus: news2, Items: news},
		},
	}
	return data, para, news
}

// TestCrossValidate leaves two small sets out in turn, on a small
// training set: each fold's figures count the set left out, its
// threshold is a probability, and a name that is not one of the
// ranking's own training sets is refused.
func TestCrossValidate(t *testing.T) {
	ctx := context.Background()
	data, para, news := smallTrainingData(t)
	res, err := CrossValidate(ctx, data, []string{"para", "news2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Name != "para" || res[1].Name != "news2" {
		t.Fatalf("folds %+v; want para and news2", res)
	}
	for i, items := range [][]QAItem{para, news} {
		r := res[i]
		answerable := 0
		for _, it := range items {
			if len(it.Expect) > 0 {
				answerable++
			}
		}
		if r.Questions != len(items) || r.Answerable != answerable || r.FirstRight > r.Answerable || r.ShippedFirst > r.Answerable ||
			r.Decided > r.Questions || r.ShippedDecide > r.Questions || r.Threshold <= 0 || r.Threshold >= 1 {
			t.Errorf("fold %+v; want %d questions, %d answerable", r, len(items), answerable)
		}
		if r.FirstRight == 0 || r.Decided == 0 {
			t.Errorf("fold %+v: nothing right", r)
		}
	}
	for _, name := range []string{"nothing", "seed dev"} {
		if _, err := CrossValidate(ctx, data, []string{name}); err == nil {
			t.Errorf("%q, not a set of the ranking's own training data, was cross-validated", name)
		}
	}
}

// TestHoldOut leaves two small sets out together: one fit (one threshold)
// scores both, each row counts its own set, and a name that is not one of
// the ranking's own training sets is refused.
func TestHoldOut(t *testing.T) {
	ctx := context.Background()
	data, para, news := smallTrainingData(t)
	res, err := HoldOut(ctx, data, []string{"news2", "para"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Name != "news2" || res[1].Name != "para" {
		t.Fatalf("rows %+v; want news2 and para", res)
	}
	if res[0].Threshold != res[1].Threshold || res[0].Threshold <= 0 || res[0].Threshold >= 1 {
		t.Errorf("thresholds %v and %v; want the one fit's, a probability", res[0].Threshold, res[1].Threshold)
	}
	for i, items := range [][]QAItem{news, para} {
		if r := res[i]; r.Questions != len(items) || r.FirstRight > r.Answerable || r.Decided > r.Questions || r.Decided == 0 {
			t.Errorf("row %+v; want %d questions, some decided rightly", r, len(items))
		}
	}
	if _, err := HoldOut(ctx, data, []string{"news2", "nothing"}); err == nil {
		t.Error("a name not among the ranking's training sets was held out")
	}
	if data.Ranking[0].Name != "para" || len(data.Ranking) != 2 {
		t.Errorf("HoldOut changed the training data given: %v", data.Ranking)
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

// TestIndexRanksUnderItsWeights asks the same question of two indexes of
// the built-in article, one under the shipped weights and one under
// weights all zero (plain BM25 of the question's own terms): the scores
// differ, so an index ranks under the weights it was opened with, as
// cross-validation needs.
func TestIndexRanksUnderItsWeights(t *testing.T) {
	ctx := context.Background()
	q := Query{Text: "Who is the US ambassador to Iraq?", Top: 3}
	shipped, err := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9}).Ask(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9, weights: &weightSet{}}).Ask(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(shipped.Quotes) == 0 || len(zero.Quotes) == 0 {
		t.Fatalf("no quotes: %d shipped, %d under zero weights", len(shipped.Quotes), len(zero.Quotes))
	}
	if shipped.Quotes[0].Score == zero.Quotes[0].Score {
		t.Errorf("the first quote scores %v under both weights", shipped.Quotes[0].Score)
	}
}

// TestPrecisionAtWeighsSources checks that each source of examples weighs
// the same in the precision the threshold is chosen for.
func TestPrecisionAtWeighsSources(t *testing.T) {
	exs := []example{{src: "a"}, {src: "a"}, {src: "a"}, {src: "b"}}
	cs := []confident{{0.9, true}, {0.8, true}, {0.7, true}, {0.6, false}}
	w := sourceWeights(exs)
	for _, tt := range []struct {
		th, precision, recall, answered float64
	}{
		// Source a's three weigh what b's one does.
		{0.5, 0.5, 1, 1},
		{0.65, 1, 1, 0.5},
		{0.85, 1, 1.0 / 3, 1.0 / 6},
		{0.95, 0, 0, 0},
	} {
		p, r, a := precisionAt(cs, w, tt.th)
		if math.Abs(p-tt.precision) > 1e-12 || math.Abs(r-tt.recall) > 1e-12 || math.Abs(a-tt.answered) > 1e-12 {
			t.Errorf("at %v: precision %v recall %v answered %v; want %v, %v, %v", tt.th, p, r, a, tt.precision, tt.recall, tt.answered)
		}
	}
}
