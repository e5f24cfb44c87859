package retrieval

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/verbatim-bot/verbatim/corpus"
)

// DefaultKeySentences is how many key sentences a digest shows per article.
const DefaultKeySentences = 3

// Summary tuning. LexRank (Erkan and Radev, 2004) over idf-weighted cosine
// similarity, with the random jump biased towards the lead: news is written
// top-down, so the first sentences carry the story.
const (
	summaryDamping   = 0.7
	summaryEdgeMin   = 0.05 // similarities below this are not edges
	summaryRedundant = 0.5  // a sentence this similar to a chosen one is skipped
	summaryMinWords  = 5    // shorter sentences are rarely key sentences
	summaryRounds    = 100
)

// Summarize picks the n key sentences of an article and returns them in
// article order: a centrality ranking (LexRank) with a lead bias, skipping
// near-repeats of sentences already chosen. It is deterministic: the same
// article gives the same sentences. An article with n sentences or fewer
// is returned whole.
func Summarize(an *Analyzer, a *corpus.Article, n int) []corpus.Sentence {
	all := a.Sentences()
	if n <= 0 {
		return nil
	}
	if len(all) <= n {
		return all
	}
	// Candidates: sentences long enough to stand alone, unless too few are.
	var cands []corpus.Sentence
	for _, s := range all {
		if len(an.Words(s.Text)) >= summaryMinWords {
			cands = append(cands, s)
		}
	}
	if len(cands) <= n {
		cands = all
	}
	vecs := tfidfVectors(an, cands)
	k := len(cands)
	sim := make([][]float64, k)
	for i := range sim {
		sim[i] = make([]float64, k)
		for j := range i {
			c := cosine(vecs[i], vecs[j])
			if c < summaryEdgeMin {
				c = 0
			}
			sim[i][j], sim[j][i] = c, c
		}
	}
	rank := lexRank(sim, leadBias(cands))

	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rank[b], rank[a]) })
	var chosen []int
	for _, i := range order {
		if len(chosen) == n {
			break
		}
		redundant := false
		for _, j := range chosen {
			if sim[i][j] > summaryRedundant {
				redundant = true
				break
			}
		}
		if !redundant {
			chosen = append(chosen, i)
		}
	}
	slices.Sort(chosen)
	out := make([]corpus.Sentence, len(chosen))
	for i, c := range chosen {
		out[i] = cands[c]
	}
	return out
}

// leadBias is the random-jump distribution: weight 1/position, so the lead
// (which in news states the story) counts most, without drowning the rest.
func leadBias(ss []corpus.Sentence) []float64 {
	b := make([]float64, len(ss))
	sum := 0.0
	for i, s := range ss {
		b[i] = 1 / float64(s.Position)
		sum += b[i]
	}
	for i := range b {
		b[i] /= sum
	}
	return b
}

// lexRank is PageRank over a weighted, undirected similarity graph with a
// personalised jump vector.
func lexRank(sim [][]float64, jump []float64) []float64 {
	k := len(sim)
	out := make([]float64, k)
	rowSum := make([]float64, k)
	for i := range sim {
		for _, v := range sim[i] {
			rowSum[i] += v
		}
	}
	rank := slices.Clone(jump)
	for range summaryRounds {
		delta := 0.0
		for i := range k {
			v := 0.0
			for j := range k {
				if sim[j][i] > 0 && rowSum[j] > 0 {
					v += sim[j][i] / rowSum[j] * rank[j]
				}
			}
			out[i] = (1-summaryDamping)*jump[i] + summaryDamping*v
			delta += math.Abs(out[i] - rank[i])
		}
		rank, out = out, rank
		if delta < 1e-9 {
			break
		}
	}
	return rank
}

// weight is one term's weight in a sentence vector.
type weight struct {
	term string
	w    float64
}

// tfidfVectors are the sentences' term vectors, weighted by idf within the
// article, each sorted by term so that sums run in a fixed order and the
// summary is the same on every run.
func tfidfVectors(an *Analyzer, ss []corpus.Sentence) [][]weight {
	df := map[string]int{}
	terms := make([][]string, len(ss))
	for i, s := range ss {
		ts := an.Terms(s.Text)
		slices.Sort(ts)
		terms[i] = ts
		for k, t := range ts {
			if k == 0 || ts[k-1] != t {
				df[t]++
			}
		}
	}
	vecs := make([][]weight, len(ss))
	for i, ts := range terms {
		var v []weight
		for k, t := range ts {
			if k > 0 && ts[k-1] == t {
				v[len(v)-1].w++
				continue
			}
			v = append(v, weight{t, 1})
		}
		for k := range v {
			v[k].w *= math.Log(1 + float64(len(ss))/float64(df[v[k].term]))
		}
		vecs[i] = v
	}
	return vecs
}

// cosine is the cosine similarity of two sorted vectors.
func cosine(a, b []weight) float64 {
	dot := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := cmp.Compare(a[i].term, b[j].term); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			dot += a[i].w * b[j].w
			i++
			j++
		}
	}
	if dot == 0 {
		return 0
	}
	return dot / (norm(a) * norm(b))
}

func norm(v []weight) float64 {
	s := 0.0
	for _, x := range v {
		s += x.w * x.w
	}
	return math.Sqrt(s)
}

// KeySentences returns the n key sentences of an article (see Summarize)
// as quotes, in article order. It returns ErrUnknownArticle for an article
// the index does not hold.
func (ix *Index) KeySentences(id corpus.ArticleID, n int) ([]Quote, error) {
	a, ok := ix.Article(id)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownArticle, id)
	}
	ss := Summarize(ix.an, a, n)
	meta := *a
	meta.Paragraphs = nil
	out := make([]Quote, len(ss))
	for i, s := range ss {
		out[i] = Quote{Sentence: s, Article: &meta}
	}
	return out, nil
}
