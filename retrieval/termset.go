package retrieval

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/verbatim-bot/verbatim/corpus"
)

// An article's terms are stored, when it is indexed, as a small hash
// table that answering looks terms up in where it lies (in the catalogue's
// memory map, or a copy of it), without decoding it: a question asks the
// terms of a hundred articles or more for a few dozen terms each, and a
// walk over each article's hundreds of terms cost a fifth of a question.
//
// The encoding is a version byte; the number of sentences, of terms and
// of buckets (a power of two, about four terms each), as uvarints; then
// the table, for each bucket the end of its entries (counted from the
// first entry) and its signature (bit h>>27 set for each of its terms' hash
// h, so that most terms an article lacks are rejected without reading an
// entry), little-endian uint32s; then the entries, bucket by bucket and in
// order within each: the term (its length, then its bytes) and the number
// of sentences that hold it. A term's bucket is the low bits of its
// termHash.

// termSetVersion is the version of the encoding of an article's terms,
// its first byte.
const termSetVersion = 2

// termsPerBucket is the mean number of terms a bucket holds at most.
const termsPerBucket = 4

// termHash is the 32-bit FNV-1a hash of t: it places a term in its bucket
// on disk, so it must never change (without termSetVersion changing).
func termHash(t string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(t); i++ {
		h ^= uint32(t[i])
		h *= 16777619
	}
	return h
}

// bucketSize is the size of a bucket's place in the table: the end of
// its entries and its signature.
const bucketSize = 8

// signatureBit is the bit of a bucket's signature that a term of hash h
// sets.
func signatureBit(h uint32) uint32 { return 1 << (h >> 27) }

// termBuckets is the number of buckets of a set of k terms.
func termBuckets(k int) int {
	b := 1
	for b*termsPerBucket < k {
		b <<= 1
	}
	return b
}

// encodeTermSet encodes the terms of an article.
func encodeTermSet(ts *termSet) []byte {
	terms := slices.Sorted(maps.Keys(ts.df))
	nb := termBuckets(len(terms))
	buckets := make([][]string, nb)
	for _, t := range terms {
		b := termHash(t) & uint32(nb-1)
		buckets[b] = append(buckets[b], t)
	}
	w := recordWriter{b: []byte{termSetVersion}}
	w.uint(uint64(ts.n))
	w.uint(uint64(len(terms)))
	w.uint(uint64(nb))
	table := len(w.b)
	w.b = append(w.b, make([]byte, bucketSize*nb)...)
	start := len(w.b)
	for b, in := range buckets {
		var sig uint32
		for _, t := range in {
			w.str(t)
			w.uint(uint64(ts.df[t]))
			sig |= signatureBit(termHash(t))
		}
		binary.LittleEndian.PutUint32(w.b[table+bucketSize*b:], uint32(len(w.b)-start))
		binary.LittleEndian.PutUint32(w.b[table+bucketSize*b+4:], sig)
	}
	return w.b
}

// termLayout is where the parts of an encoded term set are.
type termLayout struct {
	n       int // sentences
	k       int // terms
	buckets int
	table   int // offset of the table
	entries int // offset of the first entry
}

// errTermSet is a damaged term set: what is wrong, and where.
func errTermSet(what string, off int) error {
	return fmt.Errorf("%w: article terms: %s at byte %d", errRecord, what, off)
}

// uvarintAt reads the uvarint at off in enc, and returns it and the offset
// after it; ok is false when there is none.
func uvarintAt(enc []byte, off int) (v uint64, next int, ok bool) {
	// Nearly every number of a term set is one byte: read here, not by a
	// call.
	if off < len(enc) && enc[off] < 0x80 {
		return uint64(enc[off]), off + 1, true
	}
	for i, shift := 0, uint(0); i < binary.MaxVarintLen64 && off+i < len(enc); i, shift = i+1, shift+7 {
		c := enc[off+i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, off, false
			}
			return v | uint64(c)<<shift, off + i + 1, true
		}
		v |= uint64(c&0x7f) << shift
	}
	return 0, off, false
}

// parseTermSet reads the head of an encoded term set and checks that its
// table and entries fit in it.
func parseTermSet(enc []byte) (termLayout, error) {
	if len(enc) == 0 || enc[0] != termSetVersion {
		return termLayout{}, fmt.Errorf("%w: article terms not of version %d", errRecord, termSetVersion)
	}
	var l termLayout
	var head [3]uint64
	off := 1
	for i := range head {
		v, next, ok := uvarintAt(enc, off)
		if !ok || v > 1<<31 {
			return termLayout{}, errTermSet("bad number", off)
		}
		head[i], off = v, next
	}
	l.n, l.k, l.buckets = int(head[0]), int(head[1]), int(head[2])
	if l.buckets == 0 || l.buckets&(l.buckets-1) != 0 || l.buckets > (len(enc)-off)/bucketSize {
		return termLayout{}, errTermSet("bad table", off)
	}
	l.table, l.entries = off, off+bucketSize*l.buckets
	if end := bucketEnd(enc, l, l.buckets-1); l.entries+end != len(enc) {
		return termLayout{}, errTermSet("entries not as long as the table says", l.entries)
	}
	if l.k > (len(enc)-l.entries)/2 {
		return termLayout{}, errTermSet("bad length", off)
	}
	return l, nil
}

// bucketEnd is where bucket b's entries end, counted from the first
// entry.
func bucketEnd(enc []byte, l termLayout, b int) int {
	return int(binary.LittleEndian.Uint32(enc[l.table+bucketSize*b:]))
}

// lookupTerm returns the count of t (whose termHash is h) in enc: 0 when enc
// does not hold it, or when the bucket is damaged.
func lookupTerm(enc []byte, l termLayout, t string, h uint32) int {
	b := int(h) & (l.buckets - 1)
	if binary.LittleEndian.Uint32(enc[l.table+bucketSize*b+4:])&signatureBit(h) == 0 {
		return 0
	}
	off, end := l.entries, l.entries+bucketEnd(enc, l, b)
	if b > 0 {
		off += bucketEnd(enc, l, b-1)
	}
	if end > len(enc) || off > end {
		return 0
	}
	for off < end {
		// Terms are shorter than 128 bytes and counts nearly all are:
		// read here, not by a call.
		n, next := int(enc[off]), off+1
		if n >= 0x80 {
			v, nx, ok := uvarintAt(enc, off)
			if !ok || v > uint64(end-nx) {
				return 0
			}
			n, next = int(v), nx
		}
		if next+n >= end {
			return 0
		}
		at := next + n
		if n == len(t) && string(enc[next:at]) == t {
			if c := enc[at]; c < 0x80 {
				return int(c)
			}
			df, _, ok := uvarintAt(enc, at)
			if !ok || df > 1<<31 {
				return 0
			}
			return int(df)
		}
		for at < end && enc[at] >= 0x80 {
			at++
		}
		off = at + 1
	}
	return 0
}

// eachEntry calls fn with every entry of enc, in the order of the
// encoding, and checks that they are as many as the head says and fill
// the entries exactly.
func eachEntry(enc []byte, l termLayout, fn func(t []byte, df int)) error {
	off, k := l.entries, 0
	for off < len(enc) {
		n, next, ok := uvarintAt(enc, off)
		if !ok || n > uint64(len(enc)-next) {
			return errTermSet("bad term", off)
		}
		t := enc[next : next+int(n)]
		df, after, ok := uvarintAt(enc, next+int(n))
		if !ok || df > 1<<31 {
			return errTermSet("bad count", next+int(n))
		}
		fn(t, int(df))
		off, k = after, k+1
	}
	if k != l.k {
		return errTermSet(fmt.Sprintf("%d terms where the head says %d", k, l.k), off)
	}
	return nil
}

// storedTerms are the terms of an article as the index stores them
// (encodeTermSet), read for answering without building a map of them.
//
// They are either the whole encoding (enc), looked up where it lies; or
// the counts of only the terms one question's plan needs (cnt, by the
// plan's need: -1 for one it did not look up), looked up in the index's copy
// within its transaction, and the whole encoding read from the index
// again (once) if another term is asked for.
type storedTerms struct {
	enc    []byte
	layout termLayout

	plan *termPlan // the terms cnt counts (plan.need)
	cnt  []int32
	ix   *Index
	id   corpus.ArticleID
	once sync.Once
	all  *termSet // the whole set, read by whole
}

// decodeTermSet reads the terms encodeTermSet wrote, whole, checking the
// whole encoding, which the set keeps: enc must not change afterwards.
func decodeTermSet(enc []byte) (*termSet, error) {
	l, err := parseTermSet(enc)
	if err != nil {
		return nil, err
	}
	if err := eachEntry(enc, l, func([]byte, int) {}); err != nil {
		return nil, err
	}
	return &termSet{n: l.n, stored: &storedTerms{enc: enc, layout: l}}, nil
}

// termPlan is what a question needs of the terms of its candidates'
// articles: its terms and their bridges (need, sorted and distinct, with
// their termHash), in groups of a term's index in need and then its
// bridges', as the ranking asks for them (termSet.holding): a term's
// count, and its bridges' only where the article lacks it, in turn until
// one held stands for the term as fully as any left to look up.
type termPlan struct {
	need   []string
	hashes []uint32
	// mixed are the hashes mixed for a filter of terms (filterMix),
	// worked out by ceilings the first time.
	mixed  []uint64
	groups [][]int
	// holdings are the holding of each term of a group (1 for the
	// question term, a bridge's weight for its bridges); rest, for each,
	// the most of its own and the later ones' in the group.
	holdings, rest [][]float64
}

// titled returns the bits of the question's terms (the first of each
// group; at most 64 of them) that the sorted title terms title hold: bit
// i for the term of group i (doc.titled).
// sig is the title's titleSignature, or 0 to search the title for
// every term.
func (p *termPlan) titled(title []string, sig uint64) uint64 {
	var m uint64
	for i, g := range p.groups {
		if sig != 0 && sig&titleBit(p.hashes[g[0]]) == 0 {
			continue
		}
		if titleHolds(title, p.need[g[0]]) {
			m |= 1 << i
		}
	}
	return m
}

// titleSignature has titleBit set for each of title's terms: most
// question terms a title lacks are told by it without a search of the
// title, an article a question.
func titleSignature(title []string) uint64 {
	var sig uint64
	for _, t := range title {
		sig |= titleBit(termHash(t))
	}
	return sig
}

// titleBit is the bit of a titleSignature that a term of termHash h sets.
func titleBit(h uint32) uint64 { return 1 << (h >> 26) }

// newTermPlan plans the terms of groups (a term, then its bridges), whose
// holdings (see rankQuery.groupHoldings) are in holdings, a list for each
// group; nil holds each at 1 (the first term held ends a group's look-up).
func newTermPlan(groups [][]string, holdings [][]float64) *termPlan {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	need := make([]string, 0, n)
	for _, g := range groups {
		need = append(need, g...)
	}
	slices.Sort(need)
	need = slices.Compact(need)
	both := make([][]float64, 2*len(groups))
	p := &termPlan{need: need, hashes: termHashes(need), groups: make([][]int, len(groups)),
		holdings: both[:len(groups):len(groups)], rest: both[len(groups):]}
	at := make([]int, 0, n) // one list cut into the groups
	hs := make([]float64, 2*n)
	for i, g := range groups {
		start := len(at)
		for _, t := range g {
			k, _ := slices.BinarySearch(need, t)
			at = append(at, k)
		}
		p.groups[i] = at[start:len(at):len(at)]
		h, r := hs[:len(g):len(g)], hs[len(g):2*len(g):2*len(g)]
		hs = hs[2*len(g):]
		for j := range g {
			h[j] = 1
			if holdings != nil && i < len(holdings) && j < len(holdings[i]) {
				h[j] = holdings[i][j]
			}
		}
		for j := len(g) - 1; j >= 0; j-- {
			r[j] = h[j]
			if j+1 < len(g) {
				r[j] = max(r[j], r[j+1])
			}
		}
		p.holdings[i], p.rest[i] = h, r
	}
	return p
}

// holding is termSet.holding of q's term i read from counts cnt
// (countTerms's) by the plan's indexes rather than by the terms; ok is
// false when the plan's group i is not that term and its bridges (a
// query made again), or was not looked up that far.
func (p *termPlan) holding(cnt []int32, q *rankQuery, i int) (float64, bool) {
	if !p.fitsTerm(q, i) {
		return 0, false
	}
	return p.bestHeld(i, func(k int) int32 { return cnt[k] })
}

// fitsTerm reports whether the plan's group i is q's term i and its
// bridges, at the holdings q gives them.
func (p *termPlan) fitsTerm(q *rankQuery, i int) bool {
	if i >= len(p.groups) {
		return false
	}
	g := p.groups[i]
	var bridges []qbridge
	if q.bridges != nil {
		bridges = q.bridges[i]
	}
	if len(g) != 1+len(bridges) || p.need[g[0]] != q.terms[i] {
		return false
	}
	for j, b := range bridges {
		if p.need[g[j+1]] != b.term || p.holdings[i][j+1] != q.bridgeHolding(b) {
			return false
		}
	}
	return true
}

// fits returns the bits of q's first 64 terms whose groups the plan
// reads as q asks for them (fitsTerm): bit i for term i.
func (p *termPlan) fits(q *rankQuery) uint64 {
	var m uint64
	for i := range min(len(q.terms), 64) {
		if p.fitsTerm(q, i) {
			m |= 1 << i
		}
	}
	return m
}

// bestHeld walks group i as the ranking reads it: the term, then its
// bridges in turn while none held so far stands for the term as fully as
// one left may (rest). count gives a term's count by its index in need,
// -1 for one not known; bestHeld returns the best holding found, and false
// when a term it needed had no count.
func (p *termPlan) bestHeld(i int, count func(k int) int32) (float64, bool) {
	var h float64
	for j, k := range p.groups[i] {
		if h >= p.rest[i][j] {
			break
		}
		switch c := count(k); {
		case c > 0:
			h = max(h, p.holdings[i][j])
		case c < 0:
			return 0, false
		}
	}
	return h, true
}

// ceilings appends to out, for each group of plan, the most an article
// whose filter of terms is f may hold it (as bestHeld finds it, every
// term f may hold taken as held): no less than the article's own terms
// give, as f rules out only terms the article lacks.
func (p *termPlan) ceilings(f string, out []float64) []float64 {
	if p.mixed == nil {
		p.mixed = make([]uint64, len(p.hashes))
		for k, h := range p.hashes {
			p.mixed[k] = filterMix(h)
		}
	}
	for i := range p.groups {
		h, _ := p.bestHeld(i, func(k int) int32 {
			if filterHasMixed(f, p.mixed[k]) {
				return 1
			}
			return 0
		})
		out = append(out, h)
	}
	return out
}

// countTerms looks the terms of plan up in the encoding of an article's
// terms (encodeTermSet): a group's term, and its bridges in turn only
// while none held so far stands for the term as fully as one left may
// (termPlan.rest); it sets cnt[k] to the count of plan.need[k], or -1
// where it did not look (see storedTerms.count), and returns the
// article's number of sentences.
func countTerms(enc []byte, plan *termPlan, cnt []int32) (int, error) {
	l, err := parseTermSet(enc)
	if err != nil {
		return 0, err
	}
	for k := range cnt {
		cnt[k] = -1
	}
	look := func(k int) int32 {
		if cnt[k] < 0 {
			cnt[k] = int32(lookupTerm(enc, l, plan.need[k], plan.hashes[k]))
		}
		return cnt[k]
	}
	for i := range plan.groups {
		plan.bestHeld(i, look)
	}
	return l.n, nil
}

// termHashes returns the termHash of each term.
func termHashes(terms []string) []uint32 {
	out := make([]uint32, len(terms))
	for i, t := range terms {
		out[i] = termHash(t)
	}
	return out
}

// count returns the number of the set's sentences that hold t.
func (ts *termSet) count(t string) int {
	if ts.stored == nil {
		return ts.df[t]
	}
	return ts.stored.count(t)
}

func (st *storedTerms) count(t string) int {
	if st.plan != nil {
		if k, ok := slices.BinarySearch(st.plan.need, t); ok && st.cnt[k] >= 0 {
			return int(st.cnt[k])
		}
		if all := st.whole(); all != nil {
			return all.count(t)
		}
		return 0
	}
	return lookupTerm(st.enc, st.layout, t, termHash(t))
}

// whole reads the whole set of a set of some terms from the index, once;
// nil when the index no longer has it.
func (st *storedTerms) whole() *termSet {
	st.once.Do(func() { st.all = st.ix.articleTerms(st.id) })
	return st.all
}

// counts returns the set's counts as a map, however it holds them.
func (ts *termSet) counts() map[string]int {
	if ts.stored == nil {
		return ts.df
	}
	return ts.stored.counts()
}

func (st *storedTerms) counts() map[string]int {
	if st.plan != nil {
		if all := st.whole(); all != nil {
			return all.counts()
		}
		return nil
	}
	out := make(map[string]int, st.layout.k)
	// The encoding was checked whole when it was read.
	_ = eachEntry(st.enc, st.layout, func(t []byte, df int) { out[string(t)] = df })
	return out
}

// termSlab is the memory of the term sets readArticleTerms makes for one
// question (the counts of the terms it needs in each article), reused from
// question to question in a readMemory. A question may read its articles'
// terms a few at a time: the sets handed out stay as they are until
// reset.
type termSlab struct {
	sets   []termSet // as long as made; the first used handed out
	stored []storedTerms
	counts []int32 // those handed out, with room for more
	used   int
	ids    []corpus.ArticleID // read from the catalogue
	key    []byte
}

// reserve makes room for n more sets of need counts each.
func (s *termSlab) reserve(n, need int) {
	if len(s.sets)-s.used < n {
		// New memory for the next sets: those handed out keep theirs.
		m := max(n, 2*len(s.sets))
		s.sets, s.stored, s.used = make([]termSet, m), make([]storedTerms, m), 0
	}
	if cap(s.counts)-len(s.counts) < n*need {
		s.counts = make([]int32, 0, max(n*need, 2*cap(s.counts)))
	}
}

// next returns the next set and its stored terms, with need counts.
func (s *termSlab) next(need int) (*termSet, *storedTerms) {
	c := len(s.counts)
	if s.used == len(s.sets) || cap(s.counts)-c < need {
		// More than reserved: not from the slab.
		return new(termSet), &storedTerms{cnt: make([]int32, need)}
	}
	k := s.used
	s.used++
	st := &s.stored[k]
	s.counts = s.counts[:c+need]
	st.cnt = s.counts[c : c+need : c+need]
	return &s.sets[k], st
}

// reset clears what the sets point to, keeping the memory.
func (s *termSlab) reset() {
	clear(s.sets)
	clear(s.stored)
	clear(s.ids[:cap(s.ids)])
	s.counts = s.counts[:0]
	s.used = 0
}
