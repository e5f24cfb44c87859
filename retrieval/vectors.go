package retrieval

import (
	_ "embed"
	"encoding/binary"
	"math"
	"slices"
	"sync"
	"unsafe"
)

// The soft match. A paraphrase keeps the question's names and changes its
// other words ("how big was the crowd" for "about 600 supporters filled
// the hall"), and no list of synonyms holds every pair a reader makes.
// GloVe's word vectors (the words of the lexicon's "e" lines:
// internal/lexicongen/vectors.go writes them) tell how alike two words
// are used. How much of the question the first sentence says in other
// words (softShare) is evidence for the answerability decision. As a part
// of the ranking's score it gained only on the sets it was fitted on
// (docs/quality.md, the twenty-third stop).

//go:embed vectors.bin
var vectorsBin []byte

// wordVectors are common English words' vectors, read from vectorsBin in
// place: the words' numbers; each word's vector of dims int8s; and each
// vector's inverse length.
type wordVectors struct {
	ids  map[string]int32 // the words' numbers, stop words left out
	dims int
	vecs []int8
	inv  []float32
}

// defaultVectors are the shipped vectors, read on first use (in a few
// milliseconds: the words are slices of the embedded bytes, looked up
// through a map made then).
var defaultVectors = sync.OnceValue(func() *wordVectors {
	wv, ok := parseVectors(vectorsBin)
	if !ok {
		// The file is part of the source: a bad one is a build defect
		// that every test of the soft match catches.
		return &wordVectors{}
	}
	return wv
})

// parseVectors reads the format writeVectors writes; false when b is not
// in it.
func parseVectors(b []byte) (*wordVectors, bool) {
	if len(b) < 12 || string(b[:4]) != "VBV1" {
		return nil, false
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	dims := int(binary.LittleEndian.Uint32(b[8:]))
	p := 12
	wv := &wordVectors{ids: make(map[string]int32, n), dims: dims}
	for i := range n {
		if p >= len(b) {
			return nil, false
		}
		l := int(b[p])
		p++
		if p+l > len(b) {
			return nil, false
		}
		if w := unsafe.String(unsafe.SliceData(b[p:p+l]), l); !isStopWord(w) {
			wv.ids[w] = int32(i)
		}
		p += l
	}
	if len(b) != p+n*dims+4*n {
		return nil, false
	}
	if n*dims > 0 {
		wv.vecs = unsafe.Slice((*int8)(unsafe.Pointer(&b[p])), n*dims)
	}
	p += n * dims
	wv.inv = make([]float32, n)
	for i := range n {
		wv.inv[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[p+4*i:]))
	}
	return wv, true
}

// id returns the number of the lower-cased word w, or -1 (a stop word
// too: "said" and "will" are alike to everything).
func (wv *wordVectors) id(w string) int32 {
	if i, ok := wv.ids[w]; ok {
		return i
	}
	return -1
}

// cosine returns the cosine of words a and b.
func (wv *wordVectors) cosine(a, b int32) float64 {
	va := wv.vecs[int(a)*wv.dims : int(a+1)*wv.dims]
	vb := wv.vecs[int(b)*wv.dims : int(b+1)*wv.dims]
	vb = vb[:len(va)]
	var d0, d1, d2, d3 int32
	k := 0
	for ; k+4 <= len(va); k += 4 {
		d0 += int32(va[k]) * int32(vb[k])
		d1 += int32(va[k+1]) * int32(vb[k+1])
		d2 += int32(va[k+2]) * int32(vb[k+2])
		d3 += int32(va[k+3]) * int32(vb[k+3])
	}
	for ; k < len(va); k++ {
		d0 += int32(va[k]) * int32(vb[k])
	}
	return float64(d0+d1+d2+d3) * float64(wv.inv[a]) * float64(wv.inv[b])
}

// softFloor is the cosine below which two words count as not alike at
// all: GloVe's neighbours that mean alike lie above it ("crowd" and
// "supporters" 0.70, "commerce" and "trade" 0.71), unrelated words below
// ("commerce" and "banana" 0.15).
const softFloor = 0.5

// questionVectors returns the number of each term's word's vector (words
// holds the word each of terms came from), or -1 for a term that is a
// name or a number (capital: a name is matched by its letters, not by
// what it is like) or a word without a vector (a stop word among them);
// nil when no term has one.
func questionVectors(wv *wordVectors, terms, words []string, capital map[string]bool) []int32 {
	var out []int32
	for i := range terms {
		w := words[i]
		if capital[w] {
			continue
		}
		id := wv.id(w)
		if id < 0 {
			continue
		}
		if out == nil {
			out = make([]int32, len(terms))
			for k := range out {
				out[k] = -1
			}
		}
		out[i] = id
	}
	return out
}

// softShare returns the share of the question that d says in other
// words: for each term d does not hold (holdsTerm) whose word has a
// vector, how far the best cosine of that word to a word of d passes
// softFloor, scaled to 0..1 and weighed by the term's idf, over the
// question's idf. 0 when no term has a vector.
func (q rankQuery) softShare(d *doc) float64 {
	if q.vec == nil {
		return 0
	}
	wv := defaultVectors()
	var room [32]int32
	ids := room[:0]
	for _, w := range d.words {
		if id := wv.id(w); id >= 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	var sum, total float64
	for i, t := range q.terms {
		total += q.idf[i]
		v := q.vec[i]
		if v < 0 || q.holdsTerm(d, i, t) {
			continue
		}
		best := softFloor
		for _, id := range ids {
			best = max(best, wv.cosine(v, id))
		}
		sum += q.idf[i] * (best - softFloor) / (1 - softFloor)
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// holdsTerm reports whether d holds question term i (t) itself: in its
// text, in another form or another name of the same place (the form,
// alias and capital bridges), or in its article's title. The other
// bridges do not count: the loose ones ("related", "used alike") weigh a
// tenth of a word, and how alike two words are is what the soft match
// measures.
func (q rankQuery) holdsTerm(d *doc, i int, t string) bool {
	if holds(d.terms, t) || len(d.title) > 0 && d.titleHolds(i, t, len(q.terms)) {
		return true
	}
	if q.bridges == nil {
		return false
	}
	for _, b := range q.bridges[i] {
		if sameWord(b.kind) && q.wt.bridge[b.kind] > 0 && holds(d.terms, b.term) {
			return true
		}
	}
	return false
}

// sameWord reports whether a bridge of kind k stands for the same word or
// name: another form of it, or another name of the same place.
func sameWord(k bridgeKind) bool {
	return k == bridgeForm || k == bridgeAlias || k == bridgeCapital
}
