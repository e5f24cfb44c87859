package retrieval

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/verbatim-bot/verbatim/corpus"
)

// The ranking's weights are learned, not set by hand: FitWeights searches
// them coordinate by coordinate for the best ranking of labelled training
// questions, and `go run ./internal/fit` writes the result to
// weights.json, which the build embeds.

//go:embed weights.json
var weightsJSON []byte

// weightsFile is the form of weights.json: one number a weight, bridges by
// the name of their kind.
type weightsFile struct {
	Bridges    map[string]float64 `json:"bridges"`
	Speaker    float64            `json:"speaker"`
	Phrase     float64            `json:"phrase"`
	AnswerType float64            `json:"answer_type"`
	Proximity  float64            `json:"proximity"`
	Position   float64            `json:"position"`
	Context    float64            `json:"context"`
	TypeReach  float64            `json:"type_reach"`
	Acronym    float64            `json:"acronym"`
	Focus      float64            `json:"focus"`
	Article    float64            `json:"article"`
	Local      float64            `json:"local"`
	Slot       float64            `json:"slot"`
	Titled     float64            `json:"titled"`
	StoryName  float64            `json:"story_name"`
	Tense      float64            `json:"tense"`
}

var bridgeKindNames = [...]string{
	bridgeForm: "forms", bridgeAlias: "aliases", bridgeCapital: "capitals", bridgeDerived: "derived",
	bridgeSynonym: "synonyms", bridgeCause: "causes", bridgeRelated: "related", bridgeSimilar: "similar",
	bridgeRare: "rare_synonyms",
}

// params lists the weights by name, as pointers into w, in a fixed order.
func (w *weightSet) params() []struct {
	name string
	v    *float64
} {
	var out []struct {
		name string
		v    *float64
	}
	add := func(name string, v *float64) {
		out = append(out, struct {
			name string
			v    *float64
		}{name, v})
	}
	for k, n := range bridgeKindNames {
		add("bridge "+n, &w.bridge[k])
	}
	add("speaker", &w.speaker)
	add("phrase", &w.phrase)
	add("answer_type", &w.answerType)
	add("proximity", &w.proximity)
	add("position", &w.position)
	add("context", &w.context)
	add("type_reach", &w.typeReach)
	add("acronym", &w.acronym)
	add("focus", &w.focus)
	add("article", &w.article)
	add("local", &w.local)
	add("slot", &w.slot)
	add("titled", &w.titled)
	add("story_name", &w.storyName)
	add("tense", &w.tense)
	return out
}

func (w weightSet) file() weightsFile {
	f := weightsFile{Bridges: map[string]float64{}, Speaker: w.speaker, Phrase: w.phrase, AnswerType: w.answerType,
		Proximity: w.proximity, Position: w.position, Context: w.context, TypeReach: w.typeReach,
		Acronym: w.acronym, Focus: w.focus, Article: w.article, Local: w.local, Slot: w.slot, Titled: w.titled, StoryName: w.storyName, Tense: w.tense}
	for k, n := range bridgeKindNames {
		f.Bridges[n] = w.bridge[k]
	}
	return f
}

func parseWeights(data []byte) (weightSet, error) {
	var f weightsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return weightSet{}, fmt.Errorf("weights: %w", err)
	}
	w := weightSet{speaker: f.Speaker, phrase: f.Phrase, answerType: f.AnswerType, proximity: f.Proximity,
		position: f.Position, context: f.Context, typeReach: f.TypeReach, acronym: f.Acronym, focus: f.Focus,
		article: f.Article, local: f.Local, slot: f.Slot, titled: f.Titled, storyName: f.StoryName, tense: f.Tense}
	for k, n := range bridgeKindNames {
		v, ok := f.Bridges[n]
		if !ok {
			return weightSet{}, fmt.Errorf("weights: no weight for the %s bridges", n)
		}
		w.bridge[k] = v
	}
	if w.storyName < 0 {
		// A reward for the article that holds the question's names:
		// negative, it would break the ranking's bound (bounded).
		return weightSet{}, fmt.Errorf("weights: story_name must not be negative")
	}
	if w.typeReach <= 0 {
		return weightSet{}, fmt.Errorf("weights: type_reach must be positive")
	}
	if w.titled < 0 || w.titled > 1 {
		// A share of what a word weighs where the sentence holds it.
		return weightSet{}, fmt.Errorf("weights: titled must be between 0 and 1")
	}
	return w, nil
}

// defaultWeights are the production weights, read from weights.json.
// Treat as constant.
var defaultWeights = func() weightSet {
	w, err := parseWeights(weightsJSON)
	if err != nil {
		// The file is part of the source: a bad one is a build defect
		// that every test catches.
		panic(err)
	}
	return w
}()

// WeightFit is the outcome of FitWeights.
type WeightFit struct {
	w weightSet
	// Before and After are the objective (the mean of the training sets'
	// MAP or MRR) at the starting and the fitted weights; Sets are the
	// After figures by set.
	Before, After float64
	Sets          map[string]float64
	// DevBefore and DevAfter are the dev set's MAP at the starting and
	// the fitted weights.
	DevBefore, DevAfter float64
}

// minGain is the least gain of the training objective for which
// FitWeights changes a weight: smaller ones are noise.
const minGain = 0.002

// selectionCases analyses answer-selection questions for fitting: those
// with a right and a wrong candidate.
func selectionCases(an *Analyzer, items []SelectionItem) []rankCase {
	var cases []rankCase
	for _, it := range items {
		c := rankCase{}
		for _, k := range it.Candidates {
			c.docs = append(c.docs, an.prepare(k.Text))
			c.right = append(c.right, k.Label > 0)
			if k.Label > 0 {
				c.nRight++
			}
		}
		if c.nRight == 0 || c.nRight == len(c.docs) {
			continue
		}
		st := newSetStats(c.docs)
		all := newTermSet(c.docs)
		for i := range c.docs {
			c.docs[i].article = all
		}
		c.q = prepareQueryWith(an, an.Question(it.Question), st, AllFeatures, nil)
		c.avgLen = st.avgLen
		cases = append(cases, c)
	}
	return cases
}

// order ranks the case's candidates under the weights c.q.wt.
func (c rankCase) order() []int {
	scores := make([]float64, len(c.docs))
	hashes := make([]uint64, len(c.docs))
	for i, d := range c.docs {
		scores[i], hashes[i] = score(c.q, d, c.avgLen, AllFeatures).score, d.hash
	}
	return rankOrder(scores, hashes)
}

// JSON is the fitted weights in the form of retrieval/weights.json.
func (f *WeightFit) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(f.w.file(), "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// rankCase is one training question, analysed once, to be scored under
// many weights: its query, its candidates and which are right.
type rankCase struct {
	q      rankQuery
	docs   []doc
	right  []bool
	avgLen float64
	set    int
	nRight int // right candidates in the whole set (MAP's denominator)
}

// FitWeights fits the ranking weights by coordinate ascent from the
// current ones: each weight in turn is tried at a grid of multiples of its
// value (and at zero) and kept where the objective is best, for a few
// rounds. The objective weighs three kinds of set alike (see fitGroups):
// within each kind it is the mean over its sets of each set's mean
// average precision (answer selection) or mean reciprocal rank of the
// answerable questions (corpus QA). A change is kept only for a gain of
// minGain, no kind losing more than that (tradesKinds), and no loss on
// the dev set. It is deterministic.
func FitWeights(ctx context.Context, data TrainingData) (*WeightFit, error) {
	an, err := NewAnalyzer()
	if err != nil {
		return nil, err
	}
	cases := selectionCases(an, data.Selection)
	dev := selectionCases(an, data.Dev)
	names := []string{"answer selection"}
	groups := []int{0} // each set's kind (see fitGroup)
	for _, qc := range slices.Concat(data.Corpora, data.Ranking) {
		set := len(names)
		names = append(names, qc.Name)
		groups = append(groups, fitGroup(qc.Corpus))
		ix, err := OpenMemory(ctx, qc.Corpus, Options{})
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", qc.Name, err)
		}
		for _, it := range qc.Items {
			text, err := CheckQuestion(it.Question)
			if err != nil || len(it.Expect) == 0 {
				continue
			}
			// The docs are kept: their memory is not released.
			q, cands, mem, err := ix.query(ctx, ix.an.Question(text), "")
			if err != nil {
				ix.Close()
				return nil, err
			}
			ix.readArticles(mem, cands)
			rc := rankCase{q: q, avgLen: ix.man.avgLen(), set: set, nRight: 1}
			for _, k := range cands {
				rc.docs = append(rc.docs, *k.d)
				rc.right = append(rc.right, containsAny(k.s.Text, it.Expect))
			}
			cases = append(cases, rc)
		}
		ix.Close()
	}
	w := defaultWeights
	devMAP := func() float64 {
		sum := 0.0
		for _, c := range dev {
			c.q.wt = &w
			sumPrec, _ := precisions(c.order(), func(i int) bool { return c.right[i] })
			sum += sumPrec / float64(c.nRight)
		}
		return sum / float64(max(len(dev), 1))
	}
	objective := func() (float64, []float64, [fitGroups]float64) {
		sums := make([]float64, len(names))
		counts := make([]int, len(names))
		for _, c := range cases {
			c.q.wt = &w
			order := c.order()
			counts[c.set]++
			if c.set == 0 {
				sumPrec, _ := precisions(order, func(i int) bool { return c.right[i] })
				sums[0] += sumPrec / float64(c.nRight)
				continue
			}
			for r, i := range order[:min(evalDepth, len(order))] {
				if c.right[i] {
					sums[c.set] += 1 / float64(r+1)
					break
				}
			}
		}
		var groupSum [fitGroups]float64
		var groupSets [fitGroups]int
		for i := range sums {
			if counts[i] > 0 {
				sums[i] /= float64(counts[i])
				groupSum[groups[i]] += sums[i]
				groupSets[groups[i]]++
			}
		}
		total, n := 0.0, 0
		for g := range groupSum {
			if groupSets[g] > 0 {
				groupSum[g] /= float64(groupSets[g])
				total += groupSum[g]
				n++
			}
		}
		return total / float64(max(n, 1)), sums, groupSum
	}
	fit := &WeightFit{Sets: map[string]float64{}}
	var bestKinds [fitGroups]float64
	fit.Before, _, bestKinds = objective()
	fit.DevBefore = devMAP()
	best, bestDev := fit.Before, fit.DevBefore
	for range 3 {
		improved := false
		for _, p := range w.params() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			start := *p.v
			tries := []float64{0, 0.1, 0.25, 0.5}
			if start == 0 {
				// Multiples of zero are zero: a weight not yet in use
				// is tried at whole values too.
				tries = append(tries, 1, 2)
			}
			for _, m := range []float64{0.5, 0.75, 1.25, 1.5, 2, 3} {
				tries = append(tries, start*m)
			}
			if p.name == "local" || p.name == "titled" {
				tries = []float64{0, 0.25, 0.5, 0.75, 1}
			}
			if p.name == "type_reach" {
				tries = []float64{start * 0.5, start * 0.75, start * 1.5, start * 2}
			}
			keep := start
			for _, v := range slices.Compact(tries) {
				*p.v = round(v, 3)
				// A change must earn its place: a clear gain on the
				// training sets, no kind of set paying for it (see
				// tradesKinds) and no loss on dev.
				if o, _, kinds := objective(); o > best+minGain && !tradesKinds(kinds, bestKinds) {
					if d := devMAP(); d >= bestDev-1e-9 {
						best, bestDev, bestKinds, keep, improved = o, d, kinds, *p.v, true
					}
				}
			}
			*p.v = keep
		}
		if !improved {
			break
		}
	}
	fit.w = w
	fit.DevAfter = devMAP()
	var sets []float64
	fit.After, sets, _ = objective()
	for i, n := range names {
		fit.Sets[n] = sets[i]
	}
	return fit, nil
}

// tradesKinds reports whether a change of weight that moves the kinds'
// means (see fitGroups) from was to now lowers one of them by more than
// minGain. Such a change buys one kind of question with another: the
// gain on answer selection that ranked the news sets' own questions worse
// (the twenty-eighth stop) was one, and the objective, a mean, cannot see
// it.
func tradesKinds(now, was [fitGroups]float64) bool {
	for g := range now {
		if now[g] < was[g]-minGain {
			return true
		}
	}
	return false
}

// fitGroups is the number of kinds of training set FitWeights weighs
// alike: answer selection, questions on one article, and questions on a
// folder of articles. The objective is the mean of the kinds' means, so
// that a kind with many sets (blind sets are written in the dozens) does
// not outweigh the others.
const fitGroups = 3

// fitGroup is the kind of a corpus QA training set asked of c (see
// fitGroups): 1 for one article, 2 for more.
func fitGroup(c *corpus.Corpus) int {
	if c != nil && len(c.Articles()) == 1 {
		return 1
	}
	return 2
}

// WeightsInForce reports whether the weights in data (the form of
// weights.json) are the ones this build ranks with.
func WeightsInForce(data []byte) bool {
	w, err := parseWeights(data)
	return err == nil && w == defaultWeights
}
