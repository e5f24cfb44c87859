package retrieval

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// postings reads the lists of documents that hold a term straight from
// the segments of one snapshot of the index, as bleve's term field reader
// does, without its set-up per term: each field's dictionary of each
// segment is opened once, on first use, and the postings list and
// iterator of each segment and field are reused from term to term (not
// across fields: zapx's empty dictionary of a field a segment lacks
// cannot reuse a list of another field's). Document numbers
// are the snapshot's (a segment's first number plus the number within
// it), as the snapshot's own readers give them. It is not safe for
// concurrent use.
type postings struct {
	ctx     context.Context
	snap    *scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	offsets []uint64 // the first document number of each segment
	fields  []fieldLists
	term    []byte
	// walk walks the intersection eachIn made, reused; whole and batch
	// walk a list eachIn walks whole, a batch of numbers at a time.
	walk  roaring.IntIterator
	whole roaring.ManyIntIterator
	batch [256]uint32
}

// postingsPool keeps postings from search to search (see release). A
// question reads the same snapshot as the last while the index does not
// change, and opening each field's dictionary of each segment, and
// zapx's lists and iterators, was a good part of what a question
// allocated.
var postingsPool sync.Pool // of *postings

// fieldLists are the dictionaries of one field, one per segment, and the
// postings list and iterator last read from each. pl[i] is nil where
// segment i has no live document with the term; the list zapx gave is
// kept in spare all the same, for zapx to fill with the next term's.
type fieldLists struct {
	field string
	dicts []segment.TermDictionary
	pl    []segment.PostingsList
	spare []segment.PostingsList
	itr   []segment.PostingsIterator
}

// newPostings reads the postings of rd, which must be a snapshot of a
// scorch index (as every index of this package is).
func newPostings(ctx context.Context, rd index.IndexReader) (*postings, error) {
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader %T is not a scorch snapshot", rd)
	}
	if p, ok := postingsPool.Get().(*postings); ok && p.snap == snap {
		p.ctx = ctx
		return p, nil
	}
	segs := snap.Segments()
	p := &postings{ctx: ctx, snap: snap, segs: segs, offsets: make([]uint64, len(segs))}
	var running uint64
	for i, s := range segs {
		p.offsets[i] = running
		running += s.Segment().Count() // deleted documents included, as the snapshot numbers them
	}
	return p, nil
}

// release gives p back for the next search of the same snapshot; p must
// not be used afterwards. Kept postings are of one snapshot: they are
// used again only by a reader of that snapshot, which keeps its segments
// open, and a snapshot kept by one of them (its pointer compared, never
// read) cannot be made again, as it is not freed.
func (p *postings) release() {
	p.ctx = nil
	postingsPool.Put(p)
}

// lists returns the lists of field, its dictionaries opened on first
// use, their postings lists set to those of term, the deleted documents
// left out.
func (p *postings) lists(term, field string) (*fieldLists, error) {
	var f *fieldLists
	for i := range p.fields {
		if p.fields[i].field == field {
			f = &p.fields[i]
		}
	}
	if f == nil {
		n := len(p.segs)
		p.fields = append(p.fields, fieldLists{field: field, dicts: make([]segment.TermDictionary, n),
			pl: make([]segment.PostingsList, n), spare: make([]segment.PostingsList, n), itr: make([]segment.PostingsIterator, n)})
		f = &p.fields[len(p.fields)-1]
		for i, s := range p.segs {
			d, err := s.Segment().Dictionary(field)
			if err != nil {
				return nil, fmt.Errorf("dictionary of %s: %w", field, err)
			}
			f.dicts[i] = d
		}
	}
	p.term = append(p.term[:0], term...)
	for i, s := range p.segs {
		pl, err := f.dicts[i].PostingsList(p.term, s.Deleted(), f.spare[i])
		if err != nil {
			return nil, fmt.Errorf("term %q: %w", term, err)
		}
		f.spare[i] = pl
		// A list filled anew for a term the segment lacks is empty but
		// not zapx's own empty list, whose iterator costs nothing: it is
		// left out.
		if pl.Count() == 0 {
			pl = nil
		}
		f.pl[i] = pl
	}
	return f, nil
}

// count returns the number of documents that hold term in field.
func (p *postings) count(term, field string) (int, error) {
	f, err := p.lists(term, field)
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, pl := range f.pl {
		if pl != nil {
			n += pl.Count()
		}
	}
	return int(n), nil
}

// each calls visit with the number, the frequency of term and the norm
// of each document numbered from lo to before hi that holds term in
// field, in order of number.
func (p *postings) each(term, field string, lo, hi uint64, visit func(num, freq uint64, norm float64)) error {
	f, err := p.lists(term, field)
	if err != nil {
		return err
	}
	n := 0
	for i, pl := range f.pl {
		start := p.offsets[i]
		if end := start + p.segs[i].Segment().Count(); pl == nil || end <= lo || start >= hi {
			continue
		}
		f.itr[i] = pl.Iterator(true, true, false, f.itr[i])
		var d segment.Posting
		if lo > start {
			d, err = f.itr[i].Advance(lo - start)
		} else {
			d, err = f.itr[i].Next()
		}
		for ; err == nil && d != nil; d, err = f.itr[i].Next() {
			if n++; n%4096 == 0 {
				if err := p.ctx.Err(); err != nil {
					return err
				}
			}
			num := start + d.Number()
			if num >= hi {
				break
			}
			visit(num, d.Frequency(), d.Norm())
		}
		if err != nil {
			return fmt.Errorf("term %q: %w", term, err)
		}
	}
	return nil
}

// total is the number of documents of the snapshot, deleted ones
// included: one more than the highest document number.
func (p *postings) total() uint64 {
	if len(p.segs) == 0 {
		return 0
	}
	return p.offsets[len(p.segs)-1] + p.segs[len(p.segs)-1].Segment().Count()
}

// eachOf is each for the documents of only (sorted) alone, skipping to
// each of them in the lists.
func (p *postings) eachOf(term, field string, only []uint64, visit func(num, freq uint64, norm float64)) error {
	f, err := p.lists(term, field)
	if err != nil {
		return err
	}
	for i, pl := range f.pl {
		if pl != nil {
			f.itr[i] = pl.Iterator(true, true, false, f.itr[i])
		}
	}
	seg := -1
	var at uint64 // the number, within seg, of the posting d
	var d segment.Posting
	done := false // seg's list has no more postings
	s := -1       // the segment of num: only is sorted, so it only moves on
	for _, num := range only {
		if s < 0 || s+1 < len(p.offsets) && p.offsets[s+1] <= num {
			s = sort.Search(len(p.offsets), func(k int) bool { return p.offsets[k] > num }) - 1
		}
		if s < 0 {
			continue
		}
		if s != seg {
			seg, d, done = s, nil, f.pl[s] == nil
		}
		local := num - p.offsets[s]
		if done {
			continue
		}
		if d == nil || at < local {
			var err error
			if d, err = f.itr[s].Advance(local); err != nil {
				return fmt.Errorf("term %q: %w", term, err)
			}
			if d == nil {
				done = true
				continue
			}
			at = d.Number()
		}
		if at == local {
			visit(num, d.Frequency(), d.Norm())
		}
	}
	return nil
}

// bitmaps returns the documents of nums (sorted), by segment, as bitmaps
// of their numbers within it: what eachIn intersects a term's lists with.
func (p *postings) bitmaps(nums []uint64) []*roaring.Bitmap {
	out := make([]*roaring.Bitmap, len(p.segs))
	s := 0
	for _, num := range nums {
		for s+1 < len(p.offsets) && p.offsets[s+1] <= num {
			s++
		}
		if out[s] == nil {
			out[s] = roaring.New()
		}
		out[s].Add(uint32(num - p.offsets[s]))
	}
	return out
}

// eachIn calls visit with the number of each document of in (bitmaps by
// segment, from bitmaps) that holds term in field, in order of number:
// the term's lists intersected with in by roaring (a container at a
// time), where eachOf reads its way through them. It reads no frequency or norm, which are
// stored along the list: reading them would walk the list again.
//
// has, when not nil, tells in's documents by number at a glance (a
// table): a segment's list not much longer than in's is then walked
// whole, each of its documents told by has, which is quicker than
// roaring's intersection of two lists of about the same length.
func (p *postings) eachIn(term, field string, in []*roaring.Bitmap, has func(num uint64) bool, visit func(num uint64)) error {
	f, err := p.lists(term, field)
	if err != nil {
		return err
	}
	for i, pl := range f.pl {
		if pl == nil || in[i] == nil || in[i].IsEmpty() {
			continue
		}
		f.itr[i] = pl.Iterator(false, false, false, f.itr[i])
		itr, ok := f.itr[i].(segment.OptimizablePostingsIterator)
		if !ok {
			return fmt.Errorf("postings iterator %T cannot give its bitmap", f.itr[i])
		}
		if d, ok := itr.DocNum1Hit(); ok {
			if in[i].Contains(uint32(d)) {
				visit(p.offsets[i] + d)
			}
			continue
		}
		bm := itr.ActualBitmap()
		if bm == nil {
			continue
		}
		if has != nil && bm.GetCardinality() <= wholeRatio*in[i].GetCardinality() {
			p.walkWhole(bm, p.offsets[i], has, visit)
			continue
		}
		p.walk.Initialize(roaring.And(in[i], bm))
		for p.walk.HasNext() {
			visit(p.offsets[i] + uint64(p.walk.Next()))
		}
		p.walk = roaring.IntIterator{}
	}
	return nil
}

// walkWhole calls visit with each document of bm, a segment's list whose
// first document number is offset, that has tells.
func (p *postings) walkWhole(bm *roaring.Bitmap, offset uint64, has func(num uint64) bool, visit func(num uint64)) {
	p.whole.Initialize(bm)
	for {
		n := p.whole.NextMany(p.batch[:])
		if n == 0 {
			break
		}
		for _, d := range p.batch[:n] {
			if num := offset + uint64(d); has(num) {
				visit(num)
			}
		}
	}
	p.whole = roaring.ManyIntIterator{}
}

// wholeRatio is how many times longer than in's a list eachIn may walk
// whole rather than intersect.
const wholeRatio = 4

// docs returns the numbers of the documents that hold term in field, in
// order.
func (p *postings) docs(term, field string) ([]uint64, error) {
	f, err := p.lists(term, field)
	if err != nil {
		return nil, err
	}
	out := []uint64{}
	for i, pl := range f.pl {
		if pl == nil {
			continue
		}
		f.itr[i] = pl.Iterator(false, false, false, f.itr[i])
		for {
			d, err := f.itr[i].Next()
			if err != nil {
				return nil, fmt.Errorf("term %q: %w", term, err)
			}
			if d == nil {
				break
			}
			out = append(out, p.offsets[i]+d.Number())
		}
	}
	return out, nil
}
