package retrieval

import "encoding/binary"

// An article's entry keeps a filter of its terms (a Bloom filter), made
// when it is indexed: the ranking bounds a candidate's score by what its
// article may hold before it reads the article's terms (see Index.rank),
// and a question term an article's filter rules out, with its bridges,
// adds nothing to the bound. Most articles of a question's candidates then
// need not be read at all.
//
// The filter is a list of 64-bit words, little-endian, about
// termFilterBits bits a term. A term sets termFilterProbes bits of one
// word (a blocked Bloom filter: a term is looked up with one read), about
// 3% of the terms an article lacks passing it. The word and bits of a term
// are worked out from its termHash, so they must never change (without
// entryVersion changing).
const (
	termFilterBits   = 8
	termFilterProbes = 3
)

// newTermFilter returns the filter of the terms ts counts, "" for none.
func newTermFilter(ts *termSet) string {
	if len(ts.df) == 0 {
		return ""
	}
	words := make([]uint64, (len(ts.df)*termFilterBits+63)/64)
	for t := range ts.df {
		i, m := filterProbe(filterMix(termHash(t)), len(words))
		words[i] |= m
	}
	f := make([]byte, 0, 8*len(words))
	for _, w := range words {
		f = binary.LittleEndian.AppendUint64(f, w)
	}
	return string(f)
}

// filterHasMixed reports whether filter f may hold the term whose
// termHash mixed (filterMix) is z: false only when it does not; true for
// an empty filter, or one whose length is no number of words.
func filterHasMixed(f string, z uint64) bool {
	if len(f) < 8 || len(f)%8 != 0 {
		return true
	}
	k, m := filterProbe(z, len(f)/8)
	i := 8 * k
	w := uint64(f[i]) | uint64(f[i+1])<<8 | uint64(f[i+2])<<16 | uint64(f[i+3])<<24 |
		uint64(f[i+4])<<32 | uint64(f[i+5])<<40 | uint64(f[i+6])<<48 | uint64(f[i+7])<<56
	return w&m == m
}

// filterProbe returns the word of a filter of n words that a term whose
// hash mixed (filterMix) is z sets bits of, from its high half (Lemire's
// multiply-shift, which needs no division), and the bits it sets, from
// its low half.
func filterProbe(z uint64, n int) (word int, mask uint64) {
	for j := range termFilterProbes {
		mask |= 1 << (z >> (6 * j) & 63)
	}
	return int(z >> 32 * uint64(n) >> 32), mask
}

// filterMix spreads the bits of a term's hash over 64 (splitmix64's
// finaliser): termHash's own bits are too alike for terms that differ in
// a letter or two.
func filterMix(h uint32) uint64 {
	z := uint64(h)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
