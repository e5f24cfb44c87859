package retrieval

import "math/bits"

// An article's entry keeps a filter of its terms (a Bloom filter), made
// when it is indexed: the ranking bounds a candidate's score by what its
// article may hold before it reads the article's terms (see Index.rank),
// and a question term an article's filter rules out, with its bridges,
// adds nothing to the bound. Most articles of a question's candidates then
// need not be read at all.
//
// The filter is termFilterBits bits a term, each term setting
// termFilterProbes of them (about 3% of the terms an article lacks pass
// it); bit p is bit p%8 of byte p/8. The probes of a term are worked out
// from its termHash, so they must never change (without entryVersion
// changing).
const (
	termFilterBits   = 8
	termFilterProbes = 3
)

// newTermFilter returns the filter of the terms ts counts, "" for none.
func newTermFilter(ts *termSet) string {
	if len(ts.df) == 0 {
		return ""
	}
	f := make([]byte, len(ts.df)*termFilterBits/8)
	m := uint32(8 * len(f))
	for t := range ts.df {
		h := termHash(t)
		step := filterStep(h)
		for j := range uint32(termFilterProbes) {
			p := filterBit(h+j*step, m)
			f[p>>3] |= 1 << (p & 7)
		}
	}
	return string(f)
}

// filterHas reports whether filter f may hold the term of termHash h:
// false only when it does not; true for an empty filter.
func filterHas(f string, h uint32) bool {
	if f == "" {
		return true
	}
	m := uint32(8 * len(f))
	step := filterStep(h)
	for j := range uint32(termFilterProbes) {
		p := filterBit(h+j*step, m)
		if f[p>>3]&(1<<(p&7)) == 0 {
			return false
		}
	}
	return true
}

// filterStep is the distance between a term's probes, from its hash:
// its bits mixed, so that the probes land apart (filterBit reads the
// high bits).
func filterStep(h uint32) uint32 { return bits.RotateLeft32(h*0x9e3779b1, 16) | 1 }

// filterBit maps x onto the bits of a filter of m bits (Lemire's
// multiply-shift, which needs no division).
func filterBit(x, m uint32) uint32 { return uint32(uint64(x) * uint64(m) >> 32) }
