package retrieval

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
)

// BM25 parameters: the common defaults (Robertson; Lucene).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Feature is one switchable part of the ranking, so that each can be
// measured by turning it off (an ablation).
type Feature uint

// The ranking features. Plain BM25 over the sentence's own terms is always on.
const (
	// FeatureSpeaker counts the words of a sentence's speaker's name as
	// words of the sentence: "what did Zebari say" finds the sentences
	// Zebari is quoted in, even those that say "He".
	FeatureSpeaker Feature = 1 << iota
	// FeaturePhrase rewards a sentence that has consecutive question words
	// in the question's order.
	FeaturePhrase

	featureEnd
)

// AllFeatures is every feature on: the production ranking.
const AllFeatures = featureEnd - 1

var featureNames = []struct {
	f    Feature
	name string
}{
	{FeatureSpeaker, "speaker"},
	{FeaturePhrase, "phrase"},
}

// Has reports whether every feature of g is on in f.
func (f Feature) Has(g Feature) bool { return f&g == g }

// String names the features that are on, joined by "+"; "none" for none.
func (f Feature) String() string {
	var names []string
	for _, n := range featureNames {
		if f.Has(n.f) {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "+")
}

// FeatureNamed returns the feature with the given name, and false if there
// is none.
func FeatureNamed(name string) (Feature, bool) {
	for _, n := range featureNames {
		if n.name == name {
			return n.f, true
		}
	}
	return 0, false
}

// FeatureNames lists the names of the switchable features.
func FeatureNames() []string {
	out := make([]string, len(featureNames))
	for i, n := range featureNames {
		out[i] = n.name
	}
	return out
}

// Stats are the collection statistics BM25 needs: from the whole index when
// answering from a corpus, from the candidate set when ranking candidates.
type Stats interface {
	// DocCount is the number of sentences.
	DocCount() int
	// AvgLen is the mean number of terms per sentence.
	AvgLen() float64
	// DocFreq is the number of sentences that hold term.
	DocFreq(term string) int
}

// doc is a sentence prepared for scoring.
type doc struct {
	text    string
	terms   []string // analyzed terms, in order
	words   []string // lower-cased words, in order, for phrases
	speaker []string // analyzed terms of the speaker's name
}

// rankQuery is a question prepared for scoring.
type rankQuery struct {
	terms []string  // distinct analyzed terms, in question order
	idf   []float64 // idf of each term
	words []string  // lower-cased words, for phrases
}

// scored is a document's score and how much of the question it covers.
type scored struct {
	score    float64
	coverage float64 // idf-weighted share of the question's terms matched, 0..1
}

// idf is BM25's inverse document frequency (the Lucene variant, never
// negative).
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// prepareQuery computes the idf of each distinct question term.
func prepareQuery(terms, words []string, st Stats) rankQuery {
	q := rankQuery{words: words}
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		if seen[t] {
			continue
		}
		seen[t] = true
		q.terms = append(q.terms, t)
		q.idf = append(q.idf, idf(st.DocCount(), st.DocFreq(t)))
	}
	return q
}

// score rates d for q: BM25 over the sentence's terms with its true length
// (bleve's own BM25 estimates the mean length from the size of the term
// dictionary, which is far off for sentence-sized documents), plus the
// features that are on.
func score(q rankQuery, d doc, avgLen float64, f Feature) scored {
	if len(q.terms) == 0 {
		return scored{}
	}
	dl := float64(len(d.terms))
	if avgLen <= 0 {
		avgLen = 1
	}
	norm := bm25K1 * (1 - bm25B + bm25B*dl/avgLen)
	var s, covered, total float64
	for i, t := range q.terms {
		total += q.idf[i]
		tf := 0
		for _, x := range d.terms {
			if x == t {
				tf++
			}
		}
		if f.Has(FeatureSpeaker) && tf == 0 && slices.Contains(d.speaker, t) {
			tf = 1
		}
		if tf == 0 {
			continue
		}
		covered += q.idf[i]
		ftf := float64(tf)
		s += q.idf[i] * ftf * (bm25K1 + 1) / (ftf + norm)
	}
	if f.Has(FeaturePhrase) {
		s += phraseBonus(q.words, d.words)
	}
	out := scored{score: s}
	if total > 0 {
		out.coverage = covered / total
	}
	return out
}

// phraseBonus counts the question's word pairs (neither a stop word) that
// the sentence has side by side, at half a point each.
func phraseBonus(qw, dw []string) float64 {
	if len(qw) < 2 || len(dw) < 2 {
		return 0
	}
	pairs := make(map[[2]string]bool, len(dw))
	for i := 0; i+1 < len(dw); i++ {
		pairs[[2]string{dw[i], dw[i+1]}] = true
	}
	n := 0
	for i := 0; i+1 < len(qw); i++ {
		p := [2]string{qw[i], qw[i+1]}
		if isStopWord(p[0]) || isStopWord(p[1]) {
			continue
		}
		if pairs[p] {
			n++
			pairs[p] = false
		}
	}
	return 0.5 * float64(n)
}

// textHash is the stable tie-breaker of equal scores: a hash of the text,
// so that order never depends on where a sentence sits in a file.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// bm25Plain is plain BM25 of d for q, with nothing else: the baseline that
// eval --baseline reports.
func bm25Plain(q rankQuery, d doc, avgLen float64) float64 {
	return score(q, d, avgLen, 0).score
}

// setStats are Stats computed from a set of documents, as when ranking the
// candidates of an answer-selection question.
type setStats struct {
	n      int
	avgLen float64
	df     map[string]int
}

func newSetStats(docs []doc) *setStats {
	st := &setStats{n: len(docs), df: make(map[string]int)}
	total := 0
	for _, d := range docs {
		total += len(d.terms)
		seen := make(map[string]bool, len(d.terms))
		for _, t := range d.terms {
			if !seen[t] {
				seen[t] = true
				st.df[t]++
			}
		}
	}
	if st.n > 0 {
		st.avgLen = float64(total) / float64(st.n)
	}
	return st
}

func (s *setStats) DocCount() int           { return s.n }
func (s *setStats) AvgLen() float64         { return s.avgLen }
func (s *setStats) DocFreq(term string) int { return s.df[term] }
