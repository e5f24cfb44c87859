package retrieval

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Weights of the matches that find candidates, against a match of the
// question's own term in a sentence's text (1).
const (
	findBridgeWeight  = 0.5 // a bridge of the term in the text
	findSpeakerWeight = 0.5 // the term in the speaker's name or role
)

// maxGroups bounds the term groups a search tells apart: the bits of a
// match mask. A question of MaxQuestionRune code points seldom has as many
// distinct terms; those past it are left out of the search (not of the
// ranking).
const maxGroups = 64

// groups returns the question's terms in groups, for finding candidates:
// each term first, then the terms its bridges add.
func (q rankQuery) groups() [][]string {
	return cutGroups(q, func(i int) string { return q.terms[i] }, func(b qbridge) string { return b.term })
}

// cutGroups returns a list for each of q's terms, all cut from one: what
// term gives for the term, then what bridge gives for each of its bridges.
func cutGroups[T any](q rankQuery, term func(i int) T, bridge func(qbridge) T) [][]T {
	n := len(q.terms)
	for _, bs := range q.bridges {
		n += len(bs)
	}
	all := make([]T, 0, n)
	out := make([][]T, len(q.terms))
	for i := range q.terms {
		start := len(all)
		all = append(all, term(i))
		if q.bridges != nil {
			for _, b := range q.bridges[i] {
				all = append(all, bridge(b))
			}
		}
		out[i] = all[start:len(all):len(all)]
	}
	return out
}

// found is a sentence a search found: its internal id, its BM25 score
// over the question's term groups, and the groups it holds.
type found struct {
	id    uint64
	score float64
	mask  uint64
	// group and best are the group last added and the best match of it
	// so far: a group counts once, by its best match.
	group int
	best  float64
	// norm is bleve's length norm of the sentence's text, from the
	// matches in it that found it; 0 when none did.
	norm float64
}

// ranked is a hit as best orders it: by rank (rankKey), then by
// internal id; with the groups it holds. Sorting these rather than the
// hits themselves moves half the memory.
type ranked struct{ rank, id, mask uint64 }

// before reports whether a comes before b (compareRanked).
func (a ranked) before(b ranked) bool { return compareRanked(a, b) < 0 }

// compareRanked orders a and b: by rank, then by id.
func compareRanked(a, b ranked) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// rankKey is a number that orders hits as best keeps them: those that
// hold every group first, then by score, highest first. A score is
// never negative, and the bits of a float64 that is not order as it
// does.
func rankKey(every bool, score float64) uint64 {
	const scoreBits = 1<<63 - 1
	k := scoreBits - math.Float64bits(max(score, 0))&scoreBits
	if !every {
		k |= 1 << 63
	}
	return k
}

// findSentences finds the sentences that hold a term of the groups (a
// question term, or one of the terms that may stand for it, in the text;
// the term in the speaker field) and returns at most limit of them: first
// those that hold a term of every group that any sentence holds, then the
// others; within each, by BM25 over the groups (each counted once, by its
// best match) with the collection statistics st; ties broken by the
// document id. The order of the sentences returned is not a ranking,
// but the first lead of them are those tied for the best place; each
// comes with the groups it holds. The answer depends on the index's live
// documents only: not on how they were indexed, batched, merged or
// deleted.
//
// When some groups are rare, only they find sentences; the common groups
// (see commonShare) add to the score and the match mask of the sentences
// the rare ones found. When the finding groups hold more than findBudget
// postings, the largest of them score as common ones do
// (findingGroups): a sentence that holds every group is still found.
//
// It reads the index through rd and returns the sentences' document
// numbers in it, at which their ids and records are read.
func findSentences(ctx context.Context, rd index.IndexReader, groups [][]string, st Stats, article corpus.ArticleID, limit int) (finds, error) {
	if len(groups) > maxGroups {
		groups = groups[:maxGroups]
	}
	p, err := newPostings(ctx, rd)
	if err != nil {
		return finds{}, err
	}
	defer p.release()
	s := &search{rd: rd, p: p, n: st.DocCount(), avgLen: st.AvgLen()}
	if s.avgLen <= 0 {
		s.avgLen = 1
	}
	common, rare, held := findingGroups(groups, st, max(commonMin, int(commonShare*float64(s.n))))
	// Room for about the sentences the groups that find them hold (their
	// speakers' aside), so that the table seldom grows.
	held = min(held, s.n)

	var only []uint64 // nil: every document
	if article != "" {
		if only, err = p.docs(string(article), fieldArticle); err != nil {
			return finds{}, err
		}
	}
	// The articles of other Discord servers (Query.Guild) find nothing.
	for _, id := range hiddenArticles(ctx) {
		ds, err := p.docs(string(id), fieldArticle)
		if err != nil {
			return finds{}, err
		}
		if s.skip == nil {
			s.skip = make(map[uint64]bool, len(ds))
		}
		for _, d := range ds {
			s.skip[d] = true
		}
	}
	total := p.total()
	// One table of slots serves every part: each writes only the slots
	// of its own documents.
	slots := getSlots(total)
	defer putSlots(slots)
	parts := searchParts(held)
	if parts <= 1 {
		s.hi = math.MaxUint64
		s.slots, s.hits = slots, getHits(held)
		defer s.release()
		if err := s.run(groups, common, rare, st, only); err != nil {
			return finds{}, err
		}
		return s.best(limit)
	}
	// Parts of the documents, by number, searched at once: a sentence is
	// found in one part only, its matches added in the same order as in
	// one search, so the parts' hits together are the whole search's.
	searches := make([]*search, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		pk, err := newPostings(ctx, rd)
		if err != nil {
			return finds{}, err
		}
		sk := &search{rd: rd, p: pk, n: s.n, avgLen: s.avgLen, skip: s.skip,
			lo: total * uint64(k) / uint64(parts), hi: total * uint64(k+1) / uint64(parts),
			slots: slots, hits: getHits(held / parts)}
		defer sk.release()
		if k == parts-1 {
			sk.hi = math.MaxUint64
		}
		searches[k] = sk
		var onlyK []uint64
		if only != nil {
			a, _ := slices.BinarySearch(only, sk.lo)
			b, _ := slices.BinarySearch(only, sk.hi)
			onlyK = only[a:b:b]
		}
		wg.Go(func() { errs[k] = sk.run(groups, common, rare, st, onlyK) })
	}
	wg.Wait()
	for _, sk := range searches {
		sk.p.release()
	}
	if err := errors.Join(errs...); err != nil {
		return finds{}, err
	}
	n := 0
	for _, sk := range searches {
		n += len(sk.hits)
	}
	s.hits = getHits(n)
	defer func() { putHits(s.hits) }()
	for _, sk := range searches {
		s.hits = append(s.hits, sk.hits...)
	}
	return s.best(limit)
}

// findBudget is how many postings the groups that find sentences may
// hold together before the largest of them only score what the others
// find (see findingGroups). (A variable, for tests.)
var findBudget = 100000

// findingGroups chooses the groups that find sentences: those holding at
// most commonLimit sentences (terms and bridges together), or every group
// when none does; then, while they hold more than findBudget postings
// together and more than one finds, the largest of them (the first of
// equals) only scores the sentences the others find, as a common group
// does. A sentence that holds a term of every group is found all the
// same, by the smallest; what is no longer found holds none of the
// rarest terms, and a question on a large corpus finds more than enough
// sentences without it. common[i] is true for the groups that do not
// find; rare counts those that do and held their postings.
func findingGroups(groups [][]string, st Stats, commonLimit int) (common []bool, rare, held int) {
	dfs := make([]int, len(groups))
	common = make([]bool, len(groups))
	all := 0
	for i, g := range groups {
		for _, t := range g {
			dfs[i] += st.DocFreq(t)
		}
		common[i] = dfs[i] > commonLimit
		if !common[i] {
			rare++
			held += dfs[i]
		}
		all += dfs[i]
	}
	if rare == 0 {
		clear(common)
		rare, held = len(groups), all
	}
	for rare > 1 && held > findBudget {
		k := -1
		for i := range groups {
			if !common[i] && (k < 0 || dfs[i] > dfs[k]) {
				k = i
			}
		}
		common[k] = true
		rare--
		held -= dfs[k]
	}
	return common, rare, held
}

// slotTables keeps the tables of a search's hits by document number for
// the next search: one is 4 bytes a document (12 MB at 100,000 articles),
// and only its used slots are cleared after a search. Unlike a sync.Pool
// it is not emptied by the garbage collector: at 100,000 articles a table
// made and zeroed anew every few questions was a tail of the latency.
var slotTables = freeList[*[]int32]{keep: 4} // all zero

// getSlots returns a table of n zero slots.
func getSlots(n uint64) *[]int32 {
	for {
		p, ok := slotTables.get()
		if !ok {
			t := make([]int32, n)
			return &t
		}
		if uint64(cap(*p)) >= n {
			*p = (*p)[:n]
			return p
		}
		// Made for a smaller index: dropped.
	}
}

// putSlots gives a table back, its slots zero again.
func putSlots(p *[]int32) { slotTables.put(p) }

// freeList keeps at most keep values for reuse, whatever the garbage
// collector does.
type freeList[T any] struct {
	mu    sync.Mutex
	items []T
	keep  int
}

// get takes a kept value, if there is one.
func (f *freeList[T]) get() (T, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var zero T
	if len(f.items) == 0 {
		return zero, false
	}
	x := f.items[len(f.items)-1]
	f.items[len(f.items)-1] = zero
	f.items = f.items[:len(f.items)-1]
	return x, true
}

// put keeps x for the next get, unless keep values are kept already.
func (f *freeList[T]) put(x T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.items) < f.keep {
		f.items = append(f.items, x)
	}
}

// hitLists keeps the lists of a search's hits for the next searches.
// Like slotTables, and unlike a sync.Pool, it is not emptied by the
// garbage collector: on a thousand articles a list of a few thousand hits
// was made anew every dozen questions, 6 KB a question. Lists longer than
// maxKeptHits are left to the collector.
var hitLists = freeList[[]found]{keep: 4}

const maxKeptHits = 1 << 16

// rankedLists keeps the lists best sorts, as hitLists does the hits.
var rankedLists = freeList[[]ranked]{keep: 4}

// getRanked returns an empty list of ranked hits with room for n.
func getRanked(n int) []ranked {
	if l, ok := rankedLists.get(); ok && cap(l) >= n {
		return l[:0]
	}
	return make([]ranked, 0, n)
}

// getHits returns an empty list of hits with room for n.
func getHits(n int) []found {
	if l, ok := hitLists.get(); ok && cap(l) >= n {
		return l[:0]
	}
	return make([]found, 0, n)
}

// putHits gives a list of hits back.
func putHits(l []found) {
	if cap(l) <= maxKeptHits {
		hitLists.put(l[:0])
	}
}

// release clears the slots of the search's hits and gives its list of
// hits back.
func (s *search) release() {
	t := *s.slots
	for _, h := range s.hits {
		t[h.id] = 0
	}
	putHits(s.hits)
}

// sortFirst sorts the first limit of rs, and after them those tied by
// rank with the last of them: rs then begins as it would if sorted
// whole. Only they are sorted: a large corpus finds hundreds of
// thousands of sentences, of which a question keeps 150.
func sortFirst(rs []ranked, limit int) {
	if len(rs) <= limit {
		slices.SortFunc(rs, compareRanked)
		return
	}
	selectFirst(rs, limit)
	slices.SortFunc(rs[:limit], compareRanked)
	last := rs[limit-1]
	n := limit
	for i := limit; i < len(rs); i++ {
		if rs[i].rank == last.rank {
			rs[n], rs[i] = rs[i], rs[n]
			n++
		}
	}
	slices.SortFunc(rs[limit:n], compareRanked)
}

// selectFirst moves the first k of rs to rs[:k], in no particular order
// (quickselect, the pivot the median of three).
func selectFirst(rs []ranked, k int) {
	lo, hi := 0, len(rs) // the k-th is in rs[lo:hi]
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		// Median of three to rs[hi-1], the pivot.
		if rs[mid].before(rs[lo]) {
			rs[mid], rs[lo] = rs[lo], rs[mid]
		}
		if rs[hi-1].before(rs[lo]) {
			rs[hi-1], rs[lo] = rs[lo], rs[hi-1]
		}
		if rs[mid].before(rs[hi-1]) {
			rs[mid], rs[hi-1] = rs[hi-1], rs[mid]
		}
		pivot := rs[hi-1]
		p := lo
		for i := lo; i < hi-1; i++ {
			if rs[i].before(pivot) {
				rs[i], rs[p] = rs[p], rs[i]
				p++
			}
		}
		rs[p], rs[hi-1] = rs[hi-1], rs[p]
		switch {
		case p == k || p == k-1:
			return
		case p > k:
			hi = p
		default:
			lo = p + 1
		}
	}
	slices.SortFunc(rs[lo:hi], compareRanked)
}

// searchParts is the number of parts a search of the documents that
// hold about held postings runs in at once: one for a small one, else one
// a processor, at most four. (A variable, for tests.)
var searchParts = func(held int) int {
	if held < 40000 {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4)
}

// run runs the search's passes over its part of the documents: the rare
// groups first (or every group, when none is rare), then the common ones
// over the sentences found; only (sorted), when not nil, holds the
// documents that may be found.
func (s *search) run(groups [][]string, common []bool, rare int, st Stats, only []uint64) error {
	pass := func(i int, g []string, only []uint64) error {
		tidf := idf(s.n, st.DocFreq(g[0]))
		if err := s.add(i, g[0], fieldText, 1, tidf, only); err != nil {
			return err
		}
		if err := s.add(i, g[0], fieldSpeaker, findSpeakerWeight, tidf, only); err != nil {
			return err
		}
		for _, b := range g[1:] {
			if err := s.add(i, b, fieldText, findBridgeWeight, idf(s.n, st.DocFreq(b)), only); err != nil {
				return err
			}
		}
		return nil
	}
	for i, g := range groups {
		if !common[i] || rare == 0 {
			if err := pass(i, g, only); err != nil {
				return err
			}
		}
	}
	if rare > 0 && rare < len(groups) {
		ids := make([]uint64, len(s.hits))
		for k, h := range s.hits {
			ids[k] = h.id
		}
		slices.Sort(ids)
		in := s.p.bitmaps(ids)
		for i, g := range groups {
			if !common[i] {
				continue
			}
			// The common group scores the sentences found, its lists
			// intersected with them (see addFound).
			tidf := idf(s.n, st.DocFreq(g[0]))
			if err := s.addFound(i, g[0], 1, tidf, in); err != nil {
				return err
			}
			if err := s.add(i, g[0], fieldSpeaker, findSpeakerWeight, tidf, ids); err != nil {
				return err
			}
			for _, b := range g[1:] {
				if err := s.addFound(i, b, findBridgeWeight, idf(s.n, st.DocFreq(b)), in); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// search accumulates the sentences found for a question.
type search struct {
	rd     index.IndexReader
	p      *postings // of rd
	n      int
	avgLen float64
	hits   []found
	slots  *[]int32        // by document number: 1 + the index in hits, 0 for none; shared by the parts of a search
	skip   map[uint64]bool // internal ids never to find, or nil; only read
	lo, hi uint64          // the part of the documents searched, by number
}

// add adds the BM25 weight of term in field, times w, to the sentences
// that hold it, as a match of group i: every such sentence, or those of
// only (sorted) when it is not nil.
func (s *search) add(i int, term, field string, w, idf float64, only []uint64) error {
	text := field == fieldText
	visit := func(id, freq uint64, norm float64) {
		if s.skip[id] {
			return
		}
		slot := &(*s.slots)[id]
		k := int(*slot) - 1
		if k < 0 {
			k = len(s.hits)
			*slot = int32(k + 1)
			s.hits = append(s.hits, found{id: id, group: -1})
		}
		h := &s.hits[k]
		if text {
			h.norm = norm
		}
		s.match(h, i, s.weight(w, idf, freq, norm))
	}
	if only == nil {
		return s.p.each(term, field, s.lo, s.hi, visit)
	}
	return s.p.eachOf(term, field, only, visit)
}

// addFound adds the BM25 weight of term in the text, times w, to the
// sentences found that hold it (in: their bitmaps by segment), as a match
// of group i, counting the term once in each and taking its length from
// the matches that found it. A common term's lists are long, and their
// frequencies and norms are read only by walking them; held twice in a
// sentence such a term would weigh a little more, but what is found
// decides only which sentences the ranking reads, and it scores every
// term in full.
func (s *search) addFound(i int, term string, w, idf float64, in []*roaring.Bitmap) error {
	return s.p.eachIn(term, fieldText, in, s.found, func(id uint64) {
		if k := int((*s.slots)[id]) - 1; k >= 0 {
			h := &s.hits[k]
			s.match(h, i, s.weight(w, idf, 1, h.norm))
		}
	})
}

// found reports whether the search found the document num: its part's
// slots say so at a lookup.
func (s *search) found(num uint64) bool {
	return num >= s.lo && num < s.hi && (*s.slots)[num] > 0
}

// weight is the BM25 weight, times w, of a term of the given idf held
// freq times by a sentence of bleve's length norm.
func (s *search) weight(w, idf float64, freq uint64, norm float64) float64 {
	dl := s.avgLen
	if norm > 0 {
		dl = 1 / (norm * norm) // bleve's norm is 1/sqrt(length)
	}
	tf := float64(freq)
	return w * idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl/s.avgLen))
}

// match adds a match of group i of weight v to h: a group counts once,
// by its best match.
func (s *search) match(h *found, i int, v float64) {
	if h.group != i {
		h.group, h.best = i, 0
	}
	if v > h.best {
		h.score += v - h.best
		h.best = v
	}
	h.mask |= 1 << i
}

// finds are the sentences a search found (findSentences).
type finds struct {
	// nums are their document numbers, masks the groups each holds
	// (bit i for group i), in the order best keeps them.
	nums, masks []uint64
	// lead is how many of the first of them tie for the best place.
	lead int
}

// best returns at most limit of the sentences found: those that hold
// every group any of them holds first, then by score; ties at the cut
// broken by the document id, which (unlike the internal id) does not
// depend on the order documents were indexed in.
func (s *search) best(limit int) (finds, error) {
	var live uint64
	for _, h := range s.hits {
		live |= h.mask
	}
	rs := getRanked(len(s.hits))
	defer func() {
		if cap(rs) <= maxKeptHits {
			rankedLists.put(rs[:0])
		}
	}()
	for _, h := range s.hits {
		rs = append(rs, ranked{rankKey(h.mask == live, h.score), h.id, h.mask})
	}
	sortFirst(rs, limit)
	var out finds
	for out.lead < min(len(rs), limit) && rs[out.lead].rank == rs[0].rank {
		out.lead++
	}
	if len(rs) > limit {
		// The sentences tied with the last one kept are ordered by their
		// document id, so that the cut does not fall by internal id.
		lo, hi := limit-1, limit
		for lo > 0 && rs[lo-1].rank == rs[limit-1].rank {
			lo--
		}
		for hi < len(rs) && rs[hi].rank == rs[limit-1].rank {
			hi++
		}
		if hi > limit {
			type tie struct {
				id string
				r  ranked
			}
			tied := make([]tie, 0, hi-lo)
			for k := lo; k < hi; k++ {
				id, err := s.rd.ExternalID(index.NewIndexInternalID(nil, rs[k].id))
				if err != nil {
					return finds{}, fmt.Errorf("document id: %w", err)
				}
				tied = append(tied, tie{id, rs[k]})
			}
			slices.SortFunc(tied, func(a, b tie) int { return cmp.Compare(a.id, b.id) })
			rs = rs[:lo]
			for _, t := range tied[:limit-lo] {
				rs = append(rs, t.r)
			}
		}
		rs = rs[:limit]
	}
	out.nums, out.masks = make([]uint64, len(rs)), make([]uint64, len(rs))
	for k, r := range rs {
		out.nums[k], out.masks[k] = r.id, r.mask
	}
	out.lead = min(out.lead, len(rs))
	return out, nil
}
