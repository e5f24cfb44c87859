package retrieval

import (
	"context"
	"fmt"
	"slices"
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
func CrossValidate(ctx context.Context, data TrainingData, names []string) ([]FoldResult, error) {
	shipped := &ConfidenceFit{model: *defaultConfidence}
	var out []FoldResult
	for _, name := range names {
		k := slices.IndexFunc(data.Ranking, func(qc QACorpus) bool { return qc.Name == name })
		if k < 0 {
			return nil, fmt.Errorf("cross-validation: no training set %q", name)
		}
		left := data.Ranking[k]
		fold := data
		fold.Ranking = slices.Delete(slices.Clone(data.Ranking), k, k+1)
		wf, err := FitWeights(ctx, fold)
		if err != nil {
			return nil, fmt.Errorf("without %s: %w", name, err)
		}
		cf, err := fitConfidence(ctx, fold, &wf.w)
		if err != nil {
			return nil, fmt.Errorf("without %s: %w", name, err)
		}
		got, err := cf.score(ctx, []QACorpus{left}, nil, &wf.w)
		if err != nil {
			return nil, err
		}
		was, err := shipped.score(ctx, []QACorpus{left}, nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, FoldResult{
			Name: name, Questions: got.Questions, Answerable: got.Answerable,
			FirstRight: got.FirstRight, Decided: got.Decided,
			ShippedFirst: was.FirstRight, ShippedDecide: was.Decided,
			Threshold: cf.model.Threshold,
		})
	}
	return out, nil
}
