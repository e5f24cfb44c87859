package retrieval

import (
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// records reads sentences' records from one reader of the index, opened
// on first use. Pinned before a search whose hits it then reads, and found
// to be the snapshot the search ran on, it reads each hit's record at the
// hit's document number, without looking its id up. It is not safe for
// concurrent use.
type records struct {
	bi    bleve.Index
	rd    index.IndexReader
	owned bool // rd was opened here, and is closed by close
	err   error

	snap    *scorch.IndexSnapshot // rd, when the hits were found in it
	offsets []uint64              // the first document number of each of snap's segments
	stored  storedVisit           // appendAt's visitor
}

// open opens the reader, once.
func (r *records) open() bool {
	if r.rd == nil && r.err == nil {
		var ai index.Index
		if ai, r.err = r.bi.Advanced(); r.err == nil {
			r.rd, r.err = ai.Reader()
			r.owned = r.err == nil
		}
	}
	return r.err == nil
}

// pin opens the reader before a search.
func (r *records) pin() { r.open() }

// matchSearch, called after the search, checks that the index has not
// changed since pin: the search then ran on the pinned snapshot, and its
// hits' document numbers are the snapshot's.
func (r *records) matchSearch() {
	snap, ok := r.rd.(*scorch.IndexSnapshot)
	if !ok {
		return
	}
	ai, err := r.bi.Advanced()
	if err != nil {
		return
	}
	now, err := ai.Reader()
	if err != nil {
		return
	}
	same := now == index.IndexReader(snap)
	now.Close()
	if !same {
		return
	}
	var running uint64
	for _, s := range snap.Segments() {
		r.offsets = append(r.offsets, running)
		running += s.Segment().Count()
	}
	r.snap = snap
}

// loadHit returns the record of the sentence a search hit found; see load.
func (r *records) loadHit(h *bsearch.DocumentMatch) (*sentenceRecord, bool) {
	if len(h.IndexInternalID) == 8 {
		return r.loadAt(h.IndexInternalID.Value(), h.ID)
	}
	return r.load(h.ID)
}

// useReader makes records read from rd, a reader the caller opened and
// closes, whose document numbers the caller found: loadAt then reads each
// record at its number.
func (r *records) useReader(rd index.IndexReader) {
	r.rd = rd
	r.owned = false
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return
	}
	var running uint64
	for _, s := range snap.Segments() {
		r.offsets = append(r.offsets, running)
		running += s.Segment().Count()
	}
	r.snap = snap
}

// loadAt returns the record of the sentence with document id id, found at
// document number num in the snapshot records read (see matchSearch and
// useReader), or by its id when the number cannot be used; see load.
func (r *records) loadAt(num uint64, id string) (*sentenceRecord, bool) {
	if r.snap != nil {
		seg := sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] > num }) - 1
		if seg >= 0 {
			var out *sentenceRecord
			derr := errRecord
			err := r.snap.Segments()[seg].VisitDocument(num-r.offsets[seg], func(name string, _ byte, val []byte, _ []uint64) bool {
				if name == fieldRecord {
					out, derr = decodeRecord(val)
					return false
				}
				return true
			})
			if err == nil && derr == nil {
				return out, true
			}
		}
	}
	return r.load(id)
}

// appendAt appends to buf the document id and the encoded record of the
// sentence at document number num of the snapshot records read (see
// useReader), reading its stored fields once; false, with buf as it was,
// when the number cannot be used or the document has no record.
func (r *records) appendAt(buf []byte, num uint64) (out []byte, idLen, recLen int, ok bool) {
	if r.snap == nil {
		return buf, 0, 0, false
	}
	seg := sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] > num }) - 1
	if seg < 0 {
		return buf, 0, 0, false
	}
	v := &r.stored
	if v.fn == nil {
		v.fn = v.visit // made once: a closure a hit escaped, three allocations each
	}
	v.out, v.idLen, v.recLen, v.ok = buf, 0, 0, false
	err := r.snap.Segments()[seg].VisitDocument(num-r.offsets[seg], v.fn)
	out, idLen, recLen, ok = v.out, v.idLen, v.recLen, v.ok
	v.out = nil
	if err != nil || !ok || idLen == 0 {
		return buf, 0, 0, false
	}
	return out, idLen, recLen, true
}

// storedVisit visits a document's stored fields for appendAt.
type storedVisit struct {
	out           []byte
	idLen, recLen int
	ok            bool
	fn            func(name string, typ byte, val []byte, pos []uint64) bool // visit
}

func (v *storedVisit) visit(name string, _ byte, val []byte, _ []uint64) bool {
	switch name {
	case "_id":
		v.out = append(v.out, val...)
		v.idLen = len(val)
	case fieldRecord:
		v.out = append(v.out, val...)
		v.recLen, v.ok = len(val), true
		return false
	}
	return true
}

// load returns the record of the sentence with document id id, and false
// when the index has none (a sentence a Sync is replacing) or it cannot be
// read.
func (r *records) load(id string) (*sentenceRecord, bool) {
	if !r.open() {
		return nil, false
	}
	d, err := r.rd.Document(id)
	if err != nil || d == nil {
		return nil, false
	}
	var rec []byte
	d.VisitFields(func(f index.Field) {
		if f.Name() == fieldRecord {
			rec = f.Value()
		}
	})
	out, err := decodeRecord(rec)
	return out, err == nil
}

// loadByID is load, nil when it returns false.
func (r *records) loadByID(id string) *sentenceRecord {
	if out, ok := r.load(id); ok {
		return out
	}
	return nil
}

func (r *records) close() {
	if r.rd != nil && r.owned {
		r.rd.Close()
	}
}
