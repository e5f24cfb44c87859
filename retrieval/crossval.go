package retrieval

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// FoldResult is what cross-validation measured on one set of questions:
// as the shipped models rank and decide them, and as models fitted
// without them do.
type FoldResult struct {
	Name string
	// Questions and Answerable count the set's questions, and those
	// with an answering sentence.
	Questions, Answerable int
	// FirstRight counts the answerable questions whose first sentence is
	// right, the decision aside; Decided the questions decided rightly
	// (a right first quote answered, or nothing to answer declined), as
	// `verbatim eval` scores accuracy.
	FirstRight, Decided         int
	ShippedFirst, ShippedDecide int // the same, by the shipped models
	// Threshold is the answerability threshold fitted without the set.
	Threshold float64
}

// CrossValidate leaves each of data.Ranking named in names out in turn,
// fits the ranking's weights and then the answerability model on the rest
// as FitWeights and FitConfidence do, and scores the set left out with
// them, which never saw it; beside it, what the shipped models make of
// the same set. It is how a change of the training data is judged on
// questions no fit has seen.
//
// The weights are fitted from the shipped ones, and with one set of
// dozens left out they seldom move: the fold's first sentences are then
// the shipped ranking's, a training figure. The decision is judged out of
// sample; a change of the ranking is judged by HoldOut.
func CrossValidate(ctx context.Context, data TrainingData, names []string) ([]FoldResult, error) {
	var out []FoldResult
	for _, name := range names {
		res, err := HoldOut(ctx, data, []string{name})
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// HoldOut leaves the sets of data.Ranking named in names out together,
// fits the ranking's weights and then the answerability model on the
// rest, and scores each set left out with them, beside the shipped
// models. A group left out together (news19 to news27, say) moves the
// weights where one set does not, so that a new weight of the ranking is
// judged on questions no fit of it has seen: fitted with and without the
// change from the same start, the two rankings are compared on the group.
func HoldOut(ctx context.Context, data TrainingData, names []string) ([]FoldResult, error) {
	fold := data
	fold.Ranking = slices.Clone(data.Ranking)
	var left []QACorpus
	for _, name := range names {
		k := slices.IndexFunc(fold.Ranking, func(qc QACorpus) bool { return qc.Name == name })
		if k < 0 {
			return nil, fmt.Errorf("cross-validation: no training set %q", name)
		}
		left = append(left, fold.Ranking[k])
		fold.Ranking = slices.Delete(fold.Ranking, k, k+1)
	}
	what := strings.Join(names, ", ")
	wf, err := FitWeights(ctx, fold)
	if err != nil {
		return nil, fmt.Errorf("without %s: %w", what, err)
	}
	cf, err := fitConfidence(ctx, fold, &wf.w)
	if err != nil {
		return nil, fmt.Errorf("without %s: %w", what, err)
	}
	shipped := &ConfidenceFit{model: *defaultConfidence}
	var out []FoldResult
	for _, l := range left {
		got, err := cf.score(ctx, []QACorpus{l}, nil, &wf.w)
		if err != nil {
			return nil, err
		}
		was, err := shipped.score(ctx, []QACorpus{l}, nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, FoldResult{
			Name: l.Name, Questions: got.Questions, Answerable: got.Answerable,
			FirstRight: got.FirstRight, Decided: got.Decided,
			ShippedFirst: was.FirstRight, ShippedDecide: was.Decided,
			Threshold: cf.model.Threshold,
		})
	}
	return out, nil
}
