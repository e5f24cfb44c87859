package retrieval

import (
	"context"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// postings reads the lists of documents that hold a term straight from
// the segments of one snapshot of the index, as bleve's term field reader
// does, without its set-up per term: each field's dictionary of each
// segment is opened once, on first use, and the postings list and
// iterator of each segment are reused from term to term. Document numbers
// are the snapshot's (a segment's first number plus the number within
// it), as the snapshot's own readers give them. It is not safe for
// concurrent use.
type postings struct {
	ctx     context.Context
	segs    []*scorch.SegmentSnapshot
	offsets []uint64 // the first document number of each segment
	fields  []fieldDicts
	pl      []segment.PostingsList
	itr     []segment.PostingsIterator
	term    []byte
}

// fieldDicts are the dictionaries of one field, one per segment.
type fieldDicts struct {
	field string
	dicts []segment.TermDictionary
}

// newPostings reads the postings of rd, which must be a snapshot of a
// scorch index (as every index of this package is).
func newPostings(ctx context.Context, rd index.IndexReader) (*postings, error) {
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader %T is not a scorch snapshot", rd)
	}
	segs := snap.Segments()
	p := &postings{ctx: ctx, segs: segs, offsets: make([]uint64, len(segs)),
		pl: make([]segment.PostingsList, len(segs)), itr: make([]segment.PostingsIterator, len(segs))}
	var running uint64
	for i, s := range segs {
		p.offsets[i] = running
		running += s.Count()
	}
	return p, nil
}

// dicts returns the dictionaries of field, opening them on first use.
func (p *postings) dicts(field string) ([]segment.TermDictionary, error) {
	for _, f := range p.fields {
		if f.field == field {
			return f.dicts, nil
		}
	}
	ds := make([]segment.TermDictionary, len(p.segs))
	for i, s := range p.segs {
		d, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("dictionary of %s: %w", field, err)
		}
		ds[i] = d
	}
	p.fields = append(p.fields, fieldDicts{field, ds})
	return ds, nil
}

// lists sets p.pl to the postings lists of term in field, one per segment,
// the deleted documents left out.
func (p *postings) lists(term, field string) error {
	ds, err := p.dicts(field)
	if err != nil {
		return err
	}
	p.term = append(p.term[:0], term...)
	for i, s := range p.segs {
		pl, err := ds[i].PostingsList(p.term, s.Deleted(), p.pl[i])
		if err != nil {
			return fmt.Errorf("term %q: %w", term, err)
		}
		p.pl[i] = pl
	}
	return nil
}

// count returns the number of documents that hold term in field.
func (p *postings) count(term, field string) (int, error) {
	if err := p.lists(term, field); err != nil {
		return 0, err
	}
	var n uint64
	for _, pl := range p.pl {
		n += pl.Count()
	}
	return int(n), nil
}

// each calls visit with the number, the frequency of term and the norm
// of each document that holds term in field, in order of number.
func (p *postings) each(term, field string, visit func(num, freq uint64, norm float64)) error {
	if err := p.lists(term, field); err != nil {
		return err
	}
	n := 0
	for i, pl := range p.pl {
		p.itr[i] = pl.Iterator(true, true, false, p.itr[i])
		for {
			if n++; n%4096 == 0 {
				if err := p.ctx.Err(); err != nil {
					return err
				}
			}
			d, err := p.itr[i].Next()
			if err != nil {
				return fmt.Errorf("term %q: %w", term, err)
			}
			if d == nil {
				break
			}
			visit(p.offsets[i]+d.Number(), d.Frequency(), d.Norm())
		}
	}
	return nil
}

// eachOf is each for the documents of only (sorted) alone, skipping to
// each of them in the lists.
func (p *postings) eachOf(term, field string, only []uint64, visit func(num, freq uint64, norm float64)) error {
	if err := p.lists(term, field); err != nil {
		return err
	}
	for i, pl := range p.pl {
		p.itr[i] = pl.Iterator(true, true, false, p.itr[i])
	}
	seg := -1
	var at uint64 // the number, within seg, of the posting d
	var d segment.Posting
	done := false // seg's list has no more postings
	for _, num := range only {
		s := sort.Search(len(p.offsets), func(k int) bool { return p.offsets[k] > num }) - 1
		if s < 0 {
			continue
		}
		if s != seg {
			seg, d, done = s, nil, false
		}
		local := num - p.offsets[s]
		if done {
			continue
		}
		if d == nil || at < local {
			var err error
			if d, err = p.itr[s].Advance(local); err != nil {
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

// docs returns the numbers of the documents that hold term in field, in
// order.
func (p *postings) docs(term, field string) ([]uint64, error) {
	if err := p.lists(term, field); err != nil {
		return nil, err
	}
	out := []uint64{}
	for i, pl := range p.pl {
		p.itr[i] = pl.Iterator(false, false, false, p.itr[i])
		for {
			d, err := p.itr[i].Next()
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
