package retrieval

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The answerability decision. A single coverage threshold was wrong in
// both directions: it declined paraphrased questions whose best sentence
// used other words, and answered questions about the article's own people
// that the article does not answer. The decision is instead a logistic
// model of the probability that the first sentence answers the question,
// from evidence about the sentence, the question and the whole result
// list, fitted on labelled data by `go run ./internal/fit`
// (docs/quality.md names the data and shows the curve the threshold was
// chosen from).

// confFeatureNames name the model's inputs, in order. The fitted model
// stores them too, so that a model fitted for other inputs is refused.
var confFeatureNames = []string{
	"coverage",       // idf share of the question the first sentence covers, bridges included
	"exact",          // idf share it has word for word
	"names",          // share of the question's names and numbers it has
	"has_names",      // the question names something or gives a number
	"typed",          // answer-type evidence beside the matched words (typed questions)
	"typed_q",        // the question asks for a type the sentence could show
	"missing",        // idf share the sentence lacks although the collection holds it
	"unknown",        // idf share of question words the collection never uses
	"margin",         // (first - second) / first score
	"top",            // first score over the question's summed idf
	"spread",         // standard deviation of the top five scores over the first
	"terms",          // log(1 + content terms)
	"only",           // a single content term
	"person",         // question kinds (one-hot; none of them: "what"/other)
	"place",          //
	"time",           //
	"number",         //
	"reason",         //
	"description",    //
	"yesno",          // no question word: "did they ...", "is it true ..."
	"content",        // idf share of the question's other words than names and numbers the first covers
	"article",        // idf share of the question the first sentence's article holds
	"content_sq",     // content squared: full coverage of the rest counts more than its share
	"cohesion",       // share of the question's neighbouring words the first has near each other
	"conflict",       // share of the question's place-qualified words the first has under other places only
	"unmeasured",     // the question asks for a measure (how many homes, how old) and the first has no number of it
	"unmeasured_cov", // unmeasured times coverage: a sentence about the very thing asked that lacks the measure
	"has_title",      // the first's article has a title (answer selection's candidates have none)
	"story",          // idf share of the question the first's article title holds: the words that name the story
	"beyond",         // idf share the first holds (bridges included) that its title does not: what it says past the story's name
	"lead",           // the first is its article's opening sentence
	"slot_q",         // the question asks for a kind of thing a sentence can be seen to hold (asksSlot)
	"slot",           // and the first holds one
	"soft",           // idf share of the question the first says in other words, by its words' vectors (softShare)
	"role_only",      // the question names a person, and the first shares no more with it than what it calls them (roleOnly)
}

// confidenceModel is a fitted logistic model and its decision threshold.
type confidenceModel struct {
	Features  []string  `json:"features"`
	Weights   []float64 `json:"weights"`
	Bias      float64   `json:"bias"`
	Threshold float64   `json:"threshold"`
	// Precision is the precision on the training data at Threshold: the
	// figure the threshold was chosen for.
	Precision float64 `json:"precision"`
}

//go:embed confidence.json
var confidenceJSON []byte

// defaultConfidence is the production model, read from confidence.json.
var defaultConfidence = func() *confidenceModel {
	m, err := parseConfidence(confidenceJSON)
	if err != nil {
		// The file is part of the source: a bad one is a build defect
		// that every test catches.
		panic(err)
	}
	return m
}()

func parseConfidence(data []byte) (*confidenceModel, error) {
	var m confidenceModel
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("confidence model: %w", err)
	}
	if strings.Join(m.Features, ",") != strings.Join(confFeatureNames, ",") || len(m.Weights) != len(confFeatureNames) {
		return nil, fmt.Errorf("confidence model: fitted for features %v, the code computes %v", m.Features, confFeatureNames)
	}
	return &m, nil
}

// probability is the model's estimate for the evidence x.
func (m *confidenceModel) probability(x []float64) float64 {
	z := m.Bias
	for i, v := range x {
		z += m.Weights[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}

// DefaultConfidenceThreshold is the confidence below which an answer is
// a no-answer: chosen on the training data for the precision that
// docs/quality.md states.
func DefaultConfidenceThreshold() float64 { return defaultConfidence.Threshold }

// confEvidence computes the model's inputs for a question and its ranked
// results, best first (their scores; the first's details in first, the
// first itself in d).
func confEvidence(q rankQuery, first scored, d *doc, scores []float64) []float64 {
	x := make([]float64, len(confFeatureNames))
	if len(q.terms) == 0 {
		return x
	}
	// People counted by another name ("300 volunteers" for "how many
	// helpers") help find the sentence that answers, but say little of
	// whether it does, as a person says little for "who": any count of
	// people looks like one. The decision reads a count by the thing
	// counted alone.
	q.counted.people = false
	x[0], x[1], x[2] = first.coverage, first.exact, first.names
	if q.name != nil {
		for _, n := range q.name {
			if n {
				x[3] = 1
				break
			}
		}
	}
	typed := q.atype != AnswerAny && q.atype != AnswerDescription || q.focus != ""
	if typed {
		x[4], x[5] = first.typed, 1
	}
	x[6] = first.missing
	var total, unknown float64
	for i, v := range q.idf {
		total += v
		if q.known != nil && !q.known[i] {
			unknown += v
		}
	}
	if total > 0 {
		x[7] = unknown / total
	}
	if len(scores) > 0 && scores[0] > 0 {
		s1 := scores[0]
		if len(scores) > 1 {
			x[8] = (s1 - max(scores[1], 0)) / s1
		} else {
			x[8] = 1
		}
		if total > 0 {
			x[9] = min(s1/total, 3)
		}
		// Over five places, an absent candidate scoring 0: a first
		// sentence with nothing behind it stands out the most.
		const n = 5
		var mean, sq float64
		top := make([]float64, n)
		for i := range min(len(scores), n) {
			top[i] = max(scores[i], 0) / s1
		}
		for _, v := range top {
			mean += v / n
		}
		for _, v := range top {
			sq += (v - mean) * (v - mean)
		}
		x[10] = math.Sqrt(sq / n)
	}
	x[11] = math.Log1p(float64(len(q.terms)))
	if len(q.terms) == 1 {
		x[12] = 1
	}
	switch q.atype {
	case AnswerPerson:
		x[13] = 1
	case AnswerPlace:
		x[14] = 1
	case AnswerTime:
		x[15] = 1
	case AnswerNumber:
		x[16] = 1
	case AnswerReason:
		x[17] = 1
	case AnswerDescription:
		x[18] = 1
	}
	if q.wh == "" {
		x[19] = 1
	}
	x[20], x[21], x[22] = first.content, first.article, first.content*first.content
	x[23] = first.cohesion
	if len(q.qualified) > 0 {
		x[24] = q.conflict(*d)
	}
	if q.measure != measureNone && !q.measured(*d) {
		x[25] = 1
		x[26] = first.coverage
	}
	if total > 0 && len(d.title) > 0 {
		var story, beyond float64
		for i, t := range q.terms {
			switch {
			case d.titleHolds(i, t, len(q.terms)):
				story += q.idf[i]
			case slices.ContainsFunc(d.terms, func(s string) bool { return q.standsFor(i, s) }):
				beyond += q.idf[i]
			}
		}
		x[27], x[28], x[29] = 1, story/total, beyond/total
	}
	if d.position == 1 {
		x[30] = 1
	}
	if q.slotDecides() {
		x[31] = 1
		if q.fillsSlot(*d) {
			x[32] = 1
		}
	}
	x[33] = q.softShare(d)
	if q.roleOnly(d) {
		x[34] = 1
	}
	return x
}
