package retrieval

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
)

// EvalKind is the kind of an evaluation file.
type EvalKind string

// The two kinds of evaluation file (docs/design.md, "Evaluation files").
const (
	// EvalCorpusQA lines are {"question", "expect": [substrings]}: the
	// question is asked of the corpus.
	EvalCorpusQA EvalKind = "corpus_qa"
	// EvalSelection lines are {"question", "candidates": [{"text",
	// "label"}]}: the candidates are ranked for the question.
	EvalSelection EvalKind = "answer_selection"
)

// QAItem is one corpus QA question. An empty Expect means the corpus does
// not answer it.
type QAItem struct {
	Question string
	Expect   []string
}

// SelectionItem is one answer-selection question and its candidates.
type SelectionItem struct {
	Question   string
	Candidates []Candidate
}

// Candidate is a candidate answer sentence; Label 1 marks a right one.
type Candidate struct {
	Text  string `json:"text"`
	Label int    `json:"label"`
}

// EvalSet is the content of an evaluation file: one kind of item.
type EvalSet struct {
	Kind      EvalKind
	QA        []QAItem
	Selection []SelectionItem
}

// ReadEvalSet reads an evaluation file in JSON Lines, recognising each
// line's kind by its fields. Blank lines are ignored. A line that is not
// JSON, has no question, or is of the other kind than the lines before it
// is an error naming the line.
func ReadEvalSet(r io.Reader) (*EvalSet, error) {
	set := &EvalSet{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var raw struct {
			Question   *string         `json:"question"`
			Expect     json.RawMessage `json:"expect"`
			Candidates json.RawMessage `json:"candidates"`
		}
		if err := json.Unmarshal(line, &raw); err != nil {
			return nil, fmt.Errorf("line %d: not a JSON object: %w", n, err)
		}
		if raw.Question == nil {
			return nil, fmt.Errorf("line %d: no \"question\"", n)
		}
		var kind EvalKind
		switch {
		case raw.Expect != nil && raw.Candidates != nil:
			return nil, fmt.Errorf("line %d: has both \"expect\" and \"candidates\"", n)
		case raw.Expect != nil:
			kind = EvalCorpusQA
			var exp []string
			if err := json.Unmarshal(raw.Expect, &exp); err != nil {
				return nil, fmt.Errorf("line %d: \"expect\" must be an array of strings", n)
			}
			set.QA = append(set.QA, QAItem{Question: *raw.Question, Expect: exp})
		case raw.Candidates != nil:
			kind = EvalSelection
			var cands []Candidate
			if err := json.Unmarshal(raw.Candidates, &cands); err != nil {
				return nil, fmt.Errorf("line %d: \"candidates\" must be an array of {text, label}", n)
			}
			set.Selection = append(set.Selection, SelectionItem{Question: *raw.Question, Candidates: cands})
		default:
			return nil, fmt.Errorf("line %d: neither \"expect\" (corpus QA) nor \"candidates\" (answer selection)", n)
		}
		if set.Kind == "" {
			set.Kind = kind
		} else if set.Kind != kind {
			return nil, fmt.Errorf("line %d: a %s line in a %s file: a file holds one kind", n, kind, set.Kind)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if set.Kind == "" {
		return nil, errors.New("no questions in the file")
	}
	return set, nil
}

// Metrics are evaluation figures. A metric with nothing to count is nil
// (JSON null).
type Metrics struct {
	Questions int // scored
	Skipped   int // not scored: unaskable, or no right or no wrong candidate
	// Corpus QA and answer selection.
	PAt1 *float64
	MRR  *float64
	// Corpus QA only.
	NoAnswerAccuracy  *float64
	FalseNoAnswerRate *float64
	// Both: right first answers plus declines of unanswerable questions,
	// over every question.
	Accuracy *float64
	// Corpus QA only: the area under the precision-recall curve of the
	// confidence for "the first quote (or suggestion) is right".
	PRAUC *float64
	// Answer selection only.
	MAP *float64
	// Answer triggering, over every answer-selection question: answered
	// when the confidence is at or above the threshold, right when the
	// first candidate is a right one.
	TriggerPrecision *float64
	TriggerRecall    *float64
	TriggerF1        *float64
}

// confident is one question's confidence and whether its first answer was
// right, for the precision-recall curve.
type confident struct {
	conf  float64
	right bool
}

// prAUC is the area under the precision-recall curve of the confidences
// (average precision over the questions whose first answer is right); nil
// when none is.
func prAUC(cs []confident) *float64 {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b confident) int { return cmp.Compare(b.conf, a.conf) })
	pos := 0
	for _, c := range cs {
		if c.right {
			pos++
		}
	}
	if pos == 0 {
		return nil
	}
	area, hits := 0.0, 0
	for i, c := range cs {
		if c.right {
			hits++
			area += float64(hits) / float64(i+1)
		}
	}
	area /= float64(pos)
	return &area
}

// trigger tallies answer triggering: questions answered, answered
// rightly, and answerable.
type trigger struct {
	answered, right, answerable, correct, total int
}

// add counts one question: whether it has a right answer at all, whether
// it was answered, and whether the first answer is right.
func (t *trigger) add(answerable, answered, right bool) {
	t.total++
	if answerable {
		t.answerable++
	}
	if answered {
		t.answered++
		if right {
			t.right++
			t.correct++
		}
	} else if !answerable {
		t.correct++
	}
}

func (t *trigger) metrics(m *Metrics) {
	ratio := func(a, b int) *float64 {
		if b == 0 {
			return nil
		}
		v := float64(a) / float64(b)
		return &v
	}
	m.TriggerPrecision, m.TriggerRecall = ratio(t.right, t.answered), ratio(t.right, t.answerable)
	if p, r := m.TriggerPrecision, m.TriggerRecall; p != nil && r != nil {
		f := 0.0
		if *p+*r > 0 {
			f = 2 * *p * *r / (*p + *r)
		}
		m.TriggerF1 = &f
	}
	m.Accuracy = ratio(t.correct, t.total)
}

// mean is a running mean that is nil until something is counted.
type mean struct {
	sum float64
	n   int
}

func (m *mean) add(v float64) { m.sum += v; m.n++ }

func (m *mean) value() *float64 {
	if m.n == 0 {
		return nil
	}
	v := m.sum / float64(m.n)
	return &v
}

// evalDepth is how deep MRR looks in corpus QA.
const evalDepth = 5

// EvaluateQA asks each question of the index and scores the answers. With
// baseline set it ranks by plain BM25 instead, with no question analysis
// and no threshold (no_answer only when nothing matches at all).
func (ix *Index) EvaluateQA(ctx context.Context, items []QAItem, baseline bool) (Metrics, error) {
	var t qaTally
	for _, it := range items {
		var quotes []Quote
		noAnswer, conf := false, 0.0
		if baseline {
			text, err := CheckQuestion(it.Question)
			if err != nil {
				t.m.Skipped++
				continue
			}
			quotes, err = ix.askBaseline(ctx, text, evalDepth)
			if err != nil {
				return Metrics{}, err
			}
			noAnswer = len(quotes) == 0
			conf = b2f(!noAnswer)
		} else {
			a, err := ix.Ask(ctx, Query{Text: it.Question, Top: evalDepth})
			var qe *QuestionError
			if errors.As(err, &qe) {
				t.m.Skipped++
				continue
			}
			if err != nil {
				return Metrics{}, err
			}
			quotes, noAnswer, conf = a.Quotes, a.NoAnswer, a.Confidence
			if noAnswer {
				// The curve asks whether the first sentence found was
				// right, answered or not.
				t.firstRight(it.Expect, conf, a.Suggestions)
			}
		}
		if !noAnswer || baseline {
			t.firstRight(it.Expect, conf, quotes)
		}
		t.add(it.Expect, noAnswer, len(quotes), func(i int) string { return quotes[i].Text })
	}
	return t.metrics(), nil
}

// qaTally adds up the corpus QA metrics, one answer at a time.
type qaTally struct {
	m                    Metrics
	p1, rr, na, fna, acc mean
	curve                []confident
}

// firstRight records the confidence of an answer and whether its first
// sentence is right, for the precision-recall curve.
func (t *qaTally) firstRight(expect []string, conf float64, quotes []Quote) {
	right := len(expect) > 0 && len(quotes) > 0 && containsAny(quotes[0].Text, expect)
	t.curve = append(t.curve, confident{conf, right})
}

// add scores one answer to a question expecting one of expect (none: the
// right answer is no_answer); its quotes are text(0) to text(n-1), best
// first.
func (t *qaTally) add(expect []string, noAnswer bool, n int, text func(i int) string) {
	t.m.Questions++
	if len(expect) == 0 {
		t.na.add(b2f(noAnswer))
		t.acc.add(b2f(noAnswer))
		return
	}
	t.fna.add(b2f(noAnswer))
	rank := 0
	if !noAnswer {
		for i := range min(evalDepth, n) {
			if containsAny(text(i), expect) {
				rank = i + 1
				break
			}
		}
	}
	t.p1.add(b2f(rank == 1))
	t.acc.add(b2f(rank == 1))
	if rank > 0 {
		t.rr.add(1 / float64(rank))
	} else {
		t.rr.add(0)
	}
}

// metrics returns the metrics of the answers added so far.
func (t *qaTally) metrics() Metrics {
	m := t.m
	m.PAt1, m.MRR, m.NoAnswerAccuracy, m.FalseNoAnswerRate = t.p1.value(), t.rr.value(), t.na.value(), t.fna.value()
	m.Accuracy, m.PRAUC = t.acc.value(), prAUC(t.curve)
	return m
}

// askBaseline ranks the sentences by plain BM25 on the question's terms.
func (ix *Index) askBaseline(ctx context.Context, text string, top int) ([]Quote, error) {
	terms := ix.an.Terms(text)
	if len(terms) == 0 {
		return nil, nil
	}
	st, err := ix.stats(terms)
	if err != nil {
		return nil, err
	}
	groups := make([][]string, 0, len(terms))
	for _, t := range terms {
		if !slices.ContainsFunc(groups, func(g []string) bool { return g[0] == t }) {
			groups = append(groups, []string{t})
		}
	}
	cands, mem, err := ix.candidates(ctx, groups, nil, st, "", nil)
	if err != nil {
		return nil, err
	}
	defer mem.release()
	q := prepareQuery(terms, nil, st)
	var out []Quote
	for _, k := range cands {
		k.res = scored{score: bm25Plain(q, *k.d, st.AvgLen())}
	}
	sortCandidates(cands)
	for _, k := range cands {
		if len(out) == top || k.res.score <= 0 {
			break
		}
		out = append(out, k.quote())
	}
	return out, nil
}

// containsAny reports whether text holds one of the substrings, white
// space folded on both sides, case-sensitive.
func containsAny(text string, subs []string) bool {
	text = corpus.FoldSpace(text)
	for _, s := range subs {
		if s = corpus.FoldSpace(s); s != "" && strings.Contains(text, s) {
			return true
		}
	}
	return false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// EvaluateSelection ranks each question's candidates and scores the
// ranking by the TrecQA protocol: MAP, MRR and P@1 over the questions with
// at least one right and one wrong candidate. Answer triggering (and
// accuracy) is scored over every question, those with no right candidate
// included. Statistics come from the question's own candidates. features
// selects the ranking; baseline ranks by plain BM25 instead, and answers
// whenever some candidate shares a term with the question.
func EvaluateSelection(an *Analyzer, items []SelectionItem, features Feature, baseline bool) Metrics {
	var m Metrics
	var ap, p1, rr mean
	var tr trigger
	threshold := DefaultConfidenceThreshold()
	for _, it := range items {
		pos := 0
		for _, c := range it.Candidates {
			if c.Label > 0 {
				pos++
			}
		}
		if len(it.Candidates) == 0 {
			m.Skipped++
			continue
		}
		r := rankSelection(an, it.Question, it.Candidates, selectionRanking{features: features, baseline: baseline})
		right := func(k int) bool { return it.Candidates[k].Label > 0 }
		tr.add(pos > 0, r.conf >= threshold, right(r.order[0]))
		if pos == 0 || pos == len(it.Candidates) {
			m.Skipped++
			continue
		}
		m.Questions++
		sumPrec, first := precisions(r.order, right)
		ap.add(sumPrec / float64(pos))
		rr.add(1 / float64(first))
		p1.add(b2f(first == 1))
	}
	m.MAP, m.MRR, m.PAt1 = ap.value(), rr.value(), p1.value()
	tr.metrics(&m)
	return m
}

// RankCandidates orders candidate sentences for a question, best first,
// and returns their indexes. Scores alone decide; ties are broken by a hash
// of the text, so the candidates' order in the input never matters.
func RankCandidates(an *Analyzer, question string, cands []Candidate, features Feature, baseline bool) []int {
	return rankSelection(an, question, cands, selectionRanking{features: features, baseline: baseline}).order
}

// hasRight reports whether any of cands is a right answer.
func hasRight(cands []Candidate) bool {
	return slices.ContainsFunc(cands, func(c Candidate) bool { return c.Label > 0 })
}

// selection is a ranking of an answer-selection question's candidates:
// their order, best first, and the confidence that the first answers.
type selection struct {
	order []int
	conf  float64
	x     []float64 // the confidence model's evidence
}

// selectionRanking says how rankSelection ranks: with which features,
// as plain BM25, and under which weights (nil: the shipped ones).
type selectionRanking struct {
	features Feature
	baseline bool
	weights  *weightSet
}

// allFeatures ranks with every feature under weights (nil: the shipped
// ones).
func allFeatures(weights *weightSet) selectionRanking {
	return selectionRanking{features: AllFeatures, weights: weights}
}

func rankSelection(an *Analyzer, question string, cands []Candidate, how selectionRanking) selection {
	docs := make([]doc, len(cands))
	for i, c := range cands {
		docs[i] = an.prepare(c.Text)
	}
	st := newSetStats(docs)
	// The candidates of one question come from one topic: together they
	// stand for its article.
	all := newTermSet(docs)
	for i := range docs {
		docs[i].article = all
	}
	var q rankQuery
	if how.baseline {
		q = prepareQuery(an.Terms(question), nil, st)
	} else {
		q = prepareQueryWith(an, an.Question(question), st, how.features, how.weights)
	}
	scores := make([]float64, len(docs))
	res := make([]scored, len(docs))
	hashes := make([]uint64, len(docs))
	for i, d := range docs {
		if how.baseline {
			scores[i] = bm25Plain(q, d, st.avgLen)
		} else {
			res[i] = score(q, d, st.avgLen, how.features)
			scores[i] = res[i].score
		}
		hashes[i] = d.hash
	}
	out := selection{order: rankOrder(scores, hashes)}
	if len(out.order) == 0 {
		return out
	}
	top := make([]float64, 0, 5)
	for _, i := range out.order[:min(5, len(out.order))] {
		top = append(top, scores[i]-res[i].story)
	}
	switch {
	case top[0] <= 0:
	case how.baseline:
		out.conf = 1
	default:
		out.x = confEvidence(q, res[out.order[0]], &docs[out.order[0]], top)
		out.conf = defaultConfidence.probability(out.x)
	}
	return out
}

// rankOrder returns the indexes of scores, best first; ties are broken by
// hashes (of the texts), then by index.
func rankOrder(scores []float64, hashes []uint64) []int {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(hashes[a], hashes[b])
	})
	return order
}

// precisions walks a ranking, best first, and returns the sum of the
// precision at each right item (average precision once divided by the
// number of right items) and the rank of the first right one, from 1 (0
// when none is).
func precisions(order []int, right func(i int) bool) (sumPrec float64, first int) {
	hits := 0
	for rank, i := range order {
		if !right(i) {
			continue
		}
		hits++
		sumPrec += float64(hits) / float64(rank+1)
		if first == 0 {
			first = rank + 1
		}
	}
	return sumPrec, first
}
