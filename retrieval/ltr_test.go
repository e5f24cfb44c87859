package retrieval

import (
	"math"
	"slices"
	"testing"
)

// partNames are the additive parts of a score, in the order parts returns
// them: BM25 over the matched words (with bridges and the focus weight),
// then each additive feature at weight 1.
var partNames = []string{"bm25", "phrase", "proximity", "answertype"}

// parts splits the score of d for q into its additive parts. score is
// linear in the additive weights, so setting one to 1 and the others to 0
// and subtracting the BM25 part gives each exactly.
func parts(q rankQuery, d doc, avgLen float64) []float64 {
	w := *q.wt
	w.phrase, w.proximity, w.answerType, w.position, w.context = 0, 0, 0, 0, 0
	q.wt = &w
	base := score(q, d, avgLen, AllFeatures).score
	out := []float64{base}
	for _, set := range []func(*weightSet){
		func(w *weightSet) { w.phrase = 1 },
		func(w *weightSet) { w.proximity = 1 },
		func(w *weightSet) { w.answerType = 1 },
	} {
		x := w
		set(&x)
		q.wt = &x
		out = append(out, score(q, d, avgLen, AllFeatures).score-base)
	}
	return out
}

// ltrCase is one question's candidates as part vectors.
type ltrCase struct {
	x      [][]float64
	labels []int
	h      []uint64
	pos    int
}

func ltrCases(cases []selectionCase) []ltrCase {
	out := make([]ltrCase, len(cases))
	for i, c := range cases {
		lc := ltrCase{labels: c.labels, h: c.h, pos: c.pos}
		for _, d := range c.docs {
			lc.x = append(lc.x, parts(c.q, d, c.avgLen))
		}
		out[i] = lc
	}
	return out
}

// fitPairwise fits weights w (no bias) by L2-regularised logistic
// regression on the differences of every right and wrong candidate of a
// question, each question weighing the same, by gradient descent from the
// hand-set weights, on features scaled by sd.
func fitPairwise(cases []ltrCase, sd []float64, lambda float64, start []float64) []float64 {
	n := len(sd)
	w := slices.Clone(start)
	for i := range w {
		w[i] *= sd[i]
	}
	// The scaled differences of every right and wrong pair, once.
	type pairSet struct{ diffs [][]float64 }
	sets := make([]pairSet, len(cases))
	for i, c := range cases {
		for a := range c.x {
			for b := range c.x {
				if c.labels[a] <= 0 || c.labels[b] > 0 {
					continue
				}
				diff := make([]float64, n)
				for k := range n {
					diff[k] = (c.x[a][k] - c.x[b][k]) / sd[k]
				}
				sets[i].diffs = append(sets[i].diffs, diff)
			}
		}
	}
	g := make([]float64, n)
	for range 3000 {
		clear(g)
		for _, ps := range sets {
			for _, diff := range ps.diffs {
				z := 0.0
				for k := range n {
					z += w[k] * diff[k]
				}
				p := 1 / (1 + math.Exp(z))
				for k := range n {
					g[k] -= p * diff[k] / float64(len(ps.diffs)) / float64(len(cases))
				}
			}
		}
		for k := range n {
			g[k] += lambda * (w[k] - start[k]*sd[k])
			w[k] -= 0.5 * g[k]
		}
	}
	for i := range w {
		w[i] /= sd[i]
	}
	return w
}

func ltrMAP(cases []ltrCase, w []float64) float64 {
	sum := 0.0
	for _, c := range cases {
		scores := make([]float64, len(c.x))
		for i, x := range c.x {
			for k := range x {
				scores[i] += w[k] * x[k]
			}
		}
		sum += averagePrecision(scores, c.h, c.labels, c.pos)
	}
	return sum / float64(len(cases))
}

// TestFitPairwise fits the weights of the score's parts by pairwise
// logistic regression on TrecQA train (5-fold cross-validated there, for
// each strength of regularisation toward the hand-set weights), then
// reports dev once for the strength the folds chose.
//
//	go test ./retrieval -run TestFitPairwise -fit -v
func TestFitPairwise(t *testing.T) {
	if !*fit {
		t.Skip("run with -fit")
	}
	an := newAnalyzer(t)
	train := ltrCases(prepareSelection(t, an, readEval(t, "trecqa-train.jsonl").Selection))
	dev := ltrCases(prepareSelection(t, an, readEval(t, "trecqa-dev.jsonl").Selection))
	n := len(partNames)
	sd := make([]float64, n)
	var cnt float64
	mean := make([]float64, n)
	for _, c := range train {
		for _, x := range c.x {
			cnt++
			for k := range n {
				mean[k] += x[k]
			}
		}
	}
	for k := range n {
		mean[k] /= cnt
	}
	for _, c := range train {
		for _, x := range c.x {
			for k := range n {
				sd[k] += (x[k] - mean[k]) * (x[k] - mean[k])
			}
		}
	}
	for k := range n {
		sd[k] = math.Max(math.Sqrt(sd[k]/cnt), 1e-6)
	}
	hand := []float64{1, defaultWeights.phrase, defaultWeights.proximity, defaultWeights.answerType}
	t.Logf("hand-set weights %v: train MAP %.4f, dev MAP %.4f", hand, ltrMAP(train, hand), ltrMAP(dev, hand))
	best, bestCV := 0.0, -1.0
	for _, lambda := range []float64{0, 0.001, 0.01, 0.1, 1} {
		cv := 0.0
		for fold := range 5 {
			var tr, te []ltrCase
			for i, c := range train {
				if i%5 == fold {
					te = append(te, c)
				} else {
					tr = append(tr, c)
				}
			}
			w := fitPairwise(tr, sd, lambda, hand)
			cv += ltrMAP(te, w) * float64(len(te))
		}
		cv /= float64(len(train))
		t.Logf("lambda %v: cross-validated train MAP %.4f", lambda, cv)
		if cv > bestCV {
			best, bestCV = lambda, cv
		}
	}
	w := fitPairwise(train, sd, best, hand)
	t.Logf("lambda %v: weights %v (%v): train MAP %.4f, dev MAP %.4f", best, w, partNames, ltrMAP(train, w), ltrMAP(dev, w))
}
