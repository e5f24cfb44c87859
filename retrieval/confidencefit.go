package retrieval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TrainingData is what the answerability model is fitted on: answer
// selection questions (their candidates ranked, and again with the right
// candidates removed, and asked of another question's candidates) and
// corpus questions asked of their own corpus (and, the answerable ones, of
// the other corpora, where nothing answers them).
type TrainingData struct {
	Selection []SelectionItem
	Corpora   []QACorpus
	// Dev is answer selection to choose on, never to fit: a change of
	// the ranking's weights that lowers its MAP is not kept.
	Dev []SelectionItem
	// CalibrationSelection and Calibration are fitted on by the
	// answerability model only, not by the ranking's weights: small sets
	// written to measure the decision (whether to answer), too small to
	// move every weight of the ranking on (one switched a bridge off).
	CalibrationSelection []SelectionItem
	Calibration          []QACorpus
	// Ranking is sets written to validate on first, fitted on by the
	// ranking's weights, and by the answerability model with each set's
	// questions asked of its own corpus only: people's questions on a
	// story, those it answers and those on its own people that it does
	// not. Asked of one another's corpora as unanswerable they would
	// outnumber every other source of the model's examples. Together they
	// are one source of examples.
	Ranking []QACorpus
}

// QACorpus is a corpus and the questions asked of it.
type QACorpus struct {
	Name   string
	Corpus *corpus.Corpus
	Items  []QAItem
}

// ConfidenceFit is a fitted model, ready to be written as
// retrieval/confidence.json, with the curve its threshold was chosen from.
type ConfidenceFit struct {
	model confidenceModel
	// Curve holds precision and recall (of "the first answer is right")
	// on the training examples, each source weighing the same
	// (sourceWeights), at thresholds from 0.05 to 0.95.
	Curve []CurvePoint
	// Examples counts the training examples by source, and Positive the
	// right ones among them.
	Examples map[string]int
	Positive int
	// Threshold (chosen for TargetPrecision), and Accuracy there (the
	// balanced accuracy: answerable and unanswerable questions weigh
	// alike), Precision and Recall, each source weighing the same
	// (sourceWeights).
	Threshold, Accuracy, Precision, Recall float64
}

// CurvePoint is one threshold of a precision-recall curve.
type CurvePoint struct {
	Threshold, Precision, Recall, Answered float64
}

// JSON is the model in the form of retrieval/confidence.json.
func (f *ConfidenceFit) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(f.model, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// example is one question's evidence and whether its first answer was
// right.
type example struct {
	x                 []float64
	right, answerable bool
	src               string // where it comes from (ConfidenceFit.Examples)
	// weight is the example's share in the fit: each source weighs the
	// same in all, however many examples it has.
	weight float64
}

// FitConfidence fits the answerability model on data by L2-regularised
// logistic regression (Newton's method; the fit is deterministic) and
// chooses the threshold at which the most training examples come out
// right: a right first answer, or a decline where nothing is right.
func FitConfidence(ctx context.Context, data TrainingData) (*ConfidenceFit, error) {
	return fitConfidence(ctx, data, nil)
}

// fitConfidence is FitConfidence for the ranking under weights wt (nil:
// the shipped ones).
func fitConfidence(ctx context.Context, data TrainingData, wt *weightSet) (*ConfidenceFit, error) {
	an, err := NewAnalyzer()
	if err != nil {
		return nil, err
	}
	fit := &ConfidenceFit{Examples: map[string]int{}}
	var exs []example
	add := func(src string, x []float64, right, answerable bool) {
		if x == nil {
			return
		}
		exs = append(exs, example{x: x, right: right, answerable: answerable, src: src})
		fit.Examples[src]++
	}
	sel := slices.Concat(data.Selection, data.CalibrationSelection)
	for i, it := range sel {
		if len(it.Candidates) < 2 {
			continue
		}
		r := rankSelection(an, it.Question, it.Candidates, allFeatures(wt))
		add("selection", r.x, it.Candidates[r.order[0]].Label > 0, hasRight(it.Candidates))
		var wrong []Candidate
		for _, c := range it.Candidates {
			if c.Label <= 0 {
				wrong = append(wrong, c)
			}
		}
		if len(wrong) >= 2 && len(wrong) < len(it.Candidates) {
			r := rankSelection(an, it.Question, wrong, allFeatures(wt))
			add("selection, right candidates removed", r.x, false, false)
		}
		other := sel[(i+len(sel)/2)%len(sel)]
		if len(other.Candidates) >= 2 && other.Question != it.Question {
			r := rankSelection(an, it.Question, other.Candidates, allFeatures(wt))
			add("selection, another question's candidates", r.x, false, false)
		}
	}
	corpora := slices.Concat(data.Corpora, data.Calibration)
	for i, qc := range corpora {
		ix, err := OpenMemory(ctx, qc.Corpus, Options{MinConfidence: 1e-9, weights: wt})
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", qc.Name, err)
		}
		askEach(ctx, ix, qc.Items, func(x []float64, firstRight, answerable bool) {
			add(qc.Name, x, firstRight, answerable)
		})
		// Another corpus's answerable questions, asked of this one where
		// nothing answers them: once a corpus, though several sets ask of it.
		askedBefore := slices.ContainsFunc(corpora[:i], func(c QACorpus) bool { return c.Corpus == qc.Corpus })
		for _, other := range corpora {
			if askedBefore || other.Corpus == qc.Corpus {
				continue
			}
			for _, it := range other.Items {
				if len(it.Expect) == 0 {
					continue
				}
				a, err := ix.Ask(ctx, Query{Text: it.Question, Top: 1})
				if err != nil {
					continue
				}
				add(other.Name+" asked of "+qc.Name, a.evidence, false, false)
			}
		}
		ix.Close()
	}
	// The later sets' own questions, asked of their own corpora only
	// (TrainingData.Ranking).
	for _, qc := range data.Ranking {
		ix, err := OpenMemory(ctx, qc.Corpus, Options{MinConfidence: 1e-9, weights: wt})
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", qc.Name, err)
		}
		askEach(ctx, ix, qc.Items, func(x []float64, firstRight, answerable bool) {
			add("later sets", x, firstRight, answerable)
		})
		ix.Close()
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("no training examples")
	}
	// The decision is between a right first answer and a question
	// nothing answers: an answerable question whose first sentence is
	// wrong comes out wrong whichever way it goes, and would teach the
	// model only where the ranking fails.
	decisive := slices.DeleteFunc(slices.Clone(exs), func(e example) bool { return e.answerable && !e.right })
	perSource := map[string]int{}
	for _, e := range decisive {
		perSource[e.src]++
	}
	for i, e := range decisive {
		decisive[i].weight = float64(len(decisive)) / float64(len(perSource)*perSource[e.src])
	}
	w, b := fitLogistic(decisive, 1)
	fit.model = confidenceModel{Features: confFeatureNames, Weights: w, Bias: b}
	probs := make([]confident, len(exs))
	for i, e := range exs {
		probs[i] = confident{fit.model.probability(e.x), e.right}
		if e.right {
			fit.Positive++
		}
	}
	weights := sourceWeights(exs)
	fit.Curve = curve(probs, weights)
	fit.Threshold, fit.Accuracy = chooseThreshold(probs, exs, weights)
	fit.Precision, fit.Recall, _ = precisionAt(probs, weights, fit.Threshold)
	fit.model.Threshold = round(fit.Threshold, 4)
	fit.model.Precision = round(fit.Precision, 4)
	for i := range fit.model.Weights {
		fit.model.Weights[i] = round(fit.model.Weights[i], 4)
	}
	fit.model.Bias = round(fit.model.Bias, 4)
	return fit, nil
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// fitLogistic fits weights and a bias by Newton's method on the
// L2-regularised log loss. The features are standardised for the fit, so
// that lambda weighs each the same whatever its scale; the weights come
// back on the features' own scale. The bias is not regularised.
func fitLogistic(exs []example, lambda float64) ([]float64, float64) {
	d := len(exs[0].x) + 1 // the last is the bias
	mean := make([]float64, d-1)
	sd := make([]float64, d-1)
	for _, e := range exs {
		for i, v := range e.x {
			mean[i] += v / float64(len(exs))
		}
	}
	for _, e := range exs {
		for i, v := range e.x {
			sd[i] += (v - mean[i]) * (v - mean[i]) / float64(len(exs))
		}
	}
	for i := range sd {
		// A feature that (nearly) never varies is left unweighted.
		if sd[i] = math.Sqrt(sd[i]); sd[i] < 1e-6 {
			sd[i] = math.Inf(1)
		}
	}
	w := make([]float64, d)
	row := func(e example) []float64 {
		out := make([]float64, d)
		for i, v := range e.x {
			out[i] = (v - mean[i]) / sd[i]
		}
		out[d-1] = 1
		return out
	}
	for range 50 {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for i := range hess {
			hess[i] = make([]float64, d)
		}
		for _, e := range exs {
			x := row(e)
			z := 0.0
			for i := range x {
				z += w[i] * x[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if e.right {
				y = 1
			}
			for i := range x {
				grad[i] += e.weight * (p - y) * x[i]
				for j := range x {
					hess[i][j] += e.weight * p * (1 - p) * x[i] * x[j]
				}
			}
		}
		for i := range d - 1 {
			grad[i] += lambda * w[i]
			hess[i][i] += lambda
		}
		hess[d-1][d-1] += 1e-6
		step := solve(hess, grad)
		moved := 0.0
		for i := range w {
			w[i] -= step[i]
			moved = max(moved, math.Abs(step[i]))
		}
		if moved < 1e-9 {
			break
		}
	}
	b := w[d-1]
	for i := range d - 1 {
		w[i] /= sd[i]
		b -= w[i] * mean[i]
	}
	return w[:d-1], b
}

// solve solves a x = b by Gaussian elimination with partial pivoting; a
// and b are overwritten.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		if a[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for c := n - 1; c >= 0; c-- {
		if a[c][c] == 0 {
			continue
		}
		s := b[c]
		for k := c + 1; k < n; k++ {
			s -= a[c][k] * x[k]
		}
		x[c] = s / a[c][c]
	}
	return x
}

// curve is the precision and recall of answering at or above each
// threshold from 0.05 to 0.95, each example weighing w.
func curve(cs []confident, w []float64) []CurvePoint {
	var out []CurvePoint
	for t := 5; t <= 95; t += 5 {
		th := float64(t) / 100
		p, r, a := precisionAt(cs, w, th)
		out = append(out, CurvePoint{th, p, r, a})
	}
	return out
}

// sourceWeights returns the weight of each of exs in the figures the
// threshold is chosen from: each source's examples weigh the same in all
// (one), as in the fit. Counted one by one, the thousands of examples of
// the later sets, whose first sentence is right less often, would set
// the threshold for them alone.
func sourceWeights(exs []example) []float64 {
	per := map[string]int{}
	for _, e := range exs {
		per[e.src]++
	}
	w := make([]float64, len(exs))
	for i, e := range exs {
		w[i] = 1 / float64(per[e.src])
	}
	return w
}

// precisionAt is the precision and recall of answering the examples whose
// confidence (cs) is at least th, each weighing w, and the share of the
// weight answered.
func precisionAt(cs []confident, w []float64, th float64) (precision, recall, answered float64) {
	var n, right, pos, all float64
	for i, c := range cs {
		all += w[i]
		if c.right {
			pos += w[i]
		}
		if c.conf >= th {
			n += w[i]
			if c.right {
				right += w[i]
			}
		}
	}
	if n > 0 {
		precision = right / n
	}
	if pos > 0 {
		recall = right / pos
	}
	if all > 0 {
		answered = n / all
	}
	return precision, recall, answered
}

// TargetPrecision is the precision the answerability threshold is chosen
// for: on the training examples, at least one answer in two is right.
// Higher, verbatim declines most questions asked in other words than the
// article's; lower, it answers most questions nothing answers.
const TargetPrecision = 0.5

// chooseThreshold is the lowest threshold at which the training examples'
// answers reach TargetPrecision ("the first sentence is right" among the
// answered, each example weighing w: see sourceWeights), and the balanced
// accuracy there: the mean of the share of answerable questions answered
// rightly and the share of unanswerable ones declined. The lowest,
// because a decline is the costlier mistake for a reader when half the
// answers are right anyway: the near misses shown with it are easy to
// miss. probs are the model's confidences for exs, in order.
func chooseThreshold(probs []confident, exs []example, w []float64) (th, acc float64) {
	cands := []float64{0}
	for _, c := range probs {
		cands = append(cands, c.conf)
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	for k, t := range cands {
		// Between two probabilities, so that rounding cannot move an
		// example across.
		if k+1 < len(cands) {
			t = (t + cands[k+1]) / 2
		} else {
			t += 1e-9
		}
		if p, _, answered := precisionAt(probs, w, t); p >= TargetPrecision || answered == 0 {
			return t, balancedAccuracy(probs, exs, w, t)
		}
	}
	return 1, balancedAccuracy(probs, exs, w, 1)
}

// balancedAccuracy is the mean of the share of answerable examples answered
// rightly at threshold t and the share of unanswerable ones declined, each
// example weighing w.
func balancedAccuracy(probs []confident, exs []example, w []float64, t float64) float64 {
	var right, n [2]float64 // by answerable (1) or not (0)
	for i, e := range exs {
		kind := 0
		if e.answerable {
			kind = 1
		}
		n[kind] += w[i]
		answered := probs[i].conf >= t
		if answered && e.right || !answered && !e.answerable {
			right[kind] += w[i]
		}
	}
	acc := 0.0
	for kind := range n {
		if n[kind] > 0 {
			acc += right[kind] / n[kind] / 2
		}
	}
	return acc
}

// tally counts what a ranking and a fitted model make of questions:
// how many, how many have an answer, how many of those the first
// sentence answers (the decision aside), and how many are decided
// rightly, as `verbatim eval` scores accuracy (a right first quote
// answered, or a question nothing answers declined).
type tally struct {
	Questions, Answerable, FirstRight, Decided int
}

// score tallies the questions of qa (asked of their corpora) and of sel
// (answer selection), ranked under weights wt (nil: the shipped ones) and
// decided by the fitted model.
func (f *ConfidenceFit) score(ctx context.Context, qa []QACorpus, sel []SelectionItem, wt *weightSet) (tally, error) {
	var t tally
	add := func(x []float64, firstRight, answerable bool) {
		t.Questions++
		if answerable {
			t.Answerable++
		}
		if firstRight {
			t.FirstRight++
		}
		answered := x != nil && f.model.probability(x) >= f.model.Threshold
		if answered && firstRight || !answered && !answerable {
			t.Decided++
		}
	}
	for _, qc := range qa {
		ix, err := OpenMemory(ctx, qc.Corpus, Options{MinConfidence: 1e-9, weights: wt})
		if err != nil {
			return t, fmt.Errorf("index %s: %w", qc.Name, err)
		}
		askEach(ctx, ix, qc.Items, add)
		ix.Close()
	}
	if len(sel) == 0 {
		return t, nil
	}
	an, err := NewAnalyzer()
	if err != nil {
		return t, err
	}
	for _, it := range sel {
		if len(it.Candidates) == 0 {
			continue
		}
		r := rankSelection(an, it.Question, it.Candidates, allFeatures(wt))
		add(r.x, it.Candidates[r.order[0]].Label > 0, hasRight(it.Candidates))
	}
	return t, nil
}

// askEach asks ix each of items (an index that never declines: its
// threshold is near 0), and calls f with the confidence evidence of the
// answer, whether its first sentence answers, and whether any sentence
// does. A question that cannot be asked is skipped, as eval skips it.
func askEach(ctx context.Context, ix *Index, items []QAItem, f func(x []float64, firstRight, answerable bool)) {
	for _, it := range items {
		a, err := ix.Ask(ctx, Query{Text: it.Question, Top: 1})
		if err != nil {
			continue
		}
		f(a.evidence, len(it.Expect) > 0 && len(a.Quotes) > 0 && containsAny(a.Quotes[0].Text, it.Expect), len(it.Expect) > 0)
	}
}
