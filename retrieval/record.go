package retrieval

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/verbatim-bot/verbatim/corpus"
)

// A sentence's record is its doc (everything the ranking needs about it)
// and its attribution, computed when the sentence is indexed and stored
// beside it in the index, so that answering reads it instead of analysing
// the sentence again, and quotes it without the corpus.
//
// The encoding is a version byte; the number of items of each kind the
// record's lists hold (strings, ints, evidence, word kinds), so that the
// lists of the records of one question can be cut from one allocation of
// each kind without decoding them twice; then each of recordFields in
// turn. To add a field to doc: add it to recordFields (one line each way)
// and bump recordVersion; analysisVersion follows it, so that indexes
// written with the older records are rebuilt when opened.

// sentenceRecord is what the index stores of a sentence besides its
// place (the document id) and its terms.
type sentenceRecord struct {
	d       doc
	speaker string // corpus.Sentence.Speaker
	role    string // corpus.Sentence.Role
}

// sentence is the corpus sentence the record is of, at ref.
func (r *sentenceRecord) sentence(ref corpus.Ref) corpus.Sentence {
	return corpus.Sentence{Article: ref.Article, Paragraph: ref.Paragraph, Number: ref.Sentence,
		Position: r.d.position, Text: r.d.text, Speaker: r.speaker, Role: r.role}
}

// recordVersion is the version of the record encoding, its first byte.
const recordVersion = 2

// recordField encodes one field of doc.
type recordField struct {
	name string // the field, for the test that every one is encoded
	put  func(*recordWriter, *sentenceRecord)
	get  func(*recordReader, *sentenceRecord)
}

// recordFields are the record's fields (doc's, then the attribution) in
// record order.
var recordFields = []recordField{
	{"d.text", func(w *recordWriter, r *sentenceRecord) { w.str(r.d.text) }, func(rd *recordReader, r *sentenceRecord) { r.d.text = rd.str() }},
	{"d.hash", func(w *recordWriter, r *sentenceRecord) { w.fixed64(r.d.hash) }, func(rd *recordReader, r *sentenceRecord) { r.d.hash = rd.fixed64() }},
	{"d.terms", func(w *recordWriter, r *sentenceRecord) { w.strs(r.d.terms) }, func(rd *recordReader, r *sentenceRecord) { r.d.terms = rd.strs() }},
	{"d.tpos", func(w *recordWriter, r *sentenceRecord) { w.ints(r.d.tpos) }, func(rd *recordReader, r *sentenceRecord) { r.d.tpos = rd.ints() }},
	{"d.words", func(w *recordWriter, r *sentenceRecord) { w.strs(r.d.words) }, func(rd *recordReader, r *sentenceRecord) { r.d.words = rd.strs() }},
	{"d.ev", func(w *recordWriter, r *sentenceRecord) { w.evidence(r.d.ev) }, func(rd *recordReader, r *sentenceRecord) { r.d.ev = rd.evidence() }},
	{"d.speaker", func(w *recordWriter, r *sentenceRecord) { w.strs(r.d.speaker) }, func(rd *recordReader, r *sentenceRecord) { r.d.speaker = rd.strs() }},
	{"d.position", func(w *recordWriter, r *sentenceRecord) { w.uint(uint64(r.d.position)) }, func(rd *recordReader, r *sentenceRecord) { r.d.position = rd.int() }},
	{"d.near", func(w *recordWriter, r *sentenceRecord) { w.strs(r.d.near) }, func(rd *recordReader, r *sentenceRecord) { r.d.near = rd.strs() }},
	{"d.kinds", func(w *recordWriter, r *sentenceRecord) { w.kinds(r.d.kinds) }, func(rd *recordReader, r *sentenceRecord) { r.d.kinds = rd.kinds() }},
	{"speaker", func(w *recordWriter, r *sentenceRecord) { w.str(r.speaker) }, func(rd *recordReader, r *sentenceRecord) { r.speaker = rd.str() }},
	{"role", func(w *recordWriter, r *sentenceRecord) { w.str(r.role) }, func(rd *recordReader, r *sentenceRecord) { r.role = rd.str() }},
}

// encodeRecord appends the record r to b.
func encodeRecord(b []byte, r *sentenceRecord) []byte {
	var body recordWriter
	for _, f := range recordFields {
		f.put(&body, r)
	}
	w := recordWriter{b: append(b, recordVersion)}
	for _, n := range body.items {
		w.uint(uint64(n))
	}
	return append(w.b, body.b...)
}

// listItems is how many items of each kind lists of records hold:
// strings, ints, evidence and word kinds.
type listItems [listKinds]int

// listKinds is the number of kinds of items of a record's lists.
const listKinds = 4

// recordItems returns the number of items of each kind the lists of the
// record enc hold, as its head says (a damaged head may say anything:
// these are sizes to reserve, not limits), and false when enc has none.
func recordItems(enc string) (listItems, bool) {
	var out listItems
	if len(enc) == 0 || enc[0] != recordVersion {
		return out, false
	}
	r := recordReader{s: enc, off: 1}
	for i := range out {
		out[i] = r.count(1)
	}
	return out, r.err == nil
}

// errRecord reports a record that cannot be decoded.
var errRecord = errors.New("damaged sentence record")

// decodeRecord decodes a record written by encodeRecord. Its strings share
// one copy of b; b may be reused afterwards.
func decodeRecord(b []byte) (*sentenceRecord, error) {
	var out sentenceRecord
	if err := decodeRecordInto(&out, string(b), nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// decodeRecordInto decodes the record enc into out. Its strings slice enc;
// its lists are cut from a when a is not nil, else allocated each.
func decodeRecordInto(out *sentenceRecord, enc string, a *recordArena) error {
	if len(enc) == 0 || enc[0] != recordVersion {
		return fmt.Errorf("%w: not of version %d", errRecord, recordVersion)
	}
	var r *recordReader
	if a != nil {
		r = &a.rd // the getters make a reader escape: one a record
	} else {
		r = new(recordReader)
	}
	*r = recordReader{s: enc, off: 1, a: a}
	for range listKinds {
		r.count(1)
	}
	for _, f := range recordFields {
		f.get(r, out)
	}
	if r.err == nil && r.off != len(enc) {
		r.err = fmt.Errorf("%w: %d bytes left over", errRecord, len(enc)-r.off)
	}
	err := r.err
	*r = recordReader{}
	return err
}

// recordArena hands out the lists of the records one question decodes
// from a few large allocations instead of several per record. A list cut
// from it has no room to grow: appending to it copies it.
type recordArena struct {
	strs  pool[string]
	ints  pool[int]
	ev    pool[evidence]
	kinds pool[wordKinds]
	rd    recordReader // the reader of the record being decoded
}

// pool hands out lists of T from chunks that double in size, from
// 64 items to 8,192: a question that reads few records allocates little.
type pool[T any] struct {
	free []T
	size int // of the last chunk
}

// reserve makes a's next chunks hold n items of each kind (recordItems).
func (a *recordArena) reserve(n listItems) {
	a.strs.reserve(n[0])
	a.ints.reserve(n[1])
	a.ev.reserve(n[2])
	a.kinds.reserve(n[3])
}

// reset empties a's chunks, keeping them for the next records.
func (a *recordArena) reset() {
	a.strs.reset()
	a.ints.reset()
	a.ev.reset()
	a.kinds.reset()
}

// reset clears the items handed out, which may point elsewhere, and
// hands them out again.
func (p *pool[T]) reset() {
	clear(p.free)
	p.free = p.free[:0]
}

// reserve makes room for n more items in one chunk.
func (p *pool[T]) reserve(n int) {
	if n > cap(p.free)-len(p.free) {
		p.free, p.size = make([]T, 0, n), n
	}
}

// cut returns the next n items, allocating a new chunk when fewer are left.
func (p *pool[T]) cut(n int) []T {
	if cap(p.free)-len(p.free) < n {
		p.size = min(max(2*p.size, 64), 8192)
		p.free = make([]T, 0, max(n, p.size))
	}
	k := len(p.free)
	p.free = p.free[:k+n]
	return p.free[k : k+n : k+n]
}

// recordWriter writes a record, or another encoding of the same kind
// (an article's terms), counting the items of the lists it writes.
type recordWriter struct {
	b     []byte
	items listItems
}

func (w *recordWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *recordWriter) fixed64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }

func (w *recordWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recordWriter) strs(ss []string) {
	w.items[0] += len(ss)
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recordWriter) ints(v []int) {
	w.items[1] += len(v)
	w.uint(uint64(len(v)))
	for _, x := range v {
		w.uint(uint64(x))
	}
}

func (w *recordWriter) evidence(v []evidence) {
	w.items[2] += len(v)
	w.uint(uint64(len(v)))
	for _, e := range v {
		w.b = append(w.b, byte(e))
	}
}

func (w *recordWriter) kinds(v []wordKinds) {
	w.items[3] += len(v)
	w.uint(uint64(len(v)))
	for _, k := range v {
		w.uint(uint64(k.pos))
		w.strs(k.kinds)
	}
}

// recordReader reads a record, or another encoding of the same kind (an
// article's terms), held in a string; the first error sticks and later
// reads return zero values. Lists are cut from a when it is not nil.
type recordReader struct {
	s   string // the encoding, which every decoded string slices
	off int
	err error
	a   *recordArena
}

func (r *recordReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", errRecord, what, r.off)
	}
}

// uint reads an unsigned varint, as binary.Uvarint does.
func (r *recordReader) uint() uint64 {
	// Nearly every number of a record (a length, a position) is under
	// 128: one byte, read here without the loop.
	if r.off < len(r.s) && r.s[r.off] < 0x80 && r.err == nil {
		r.off++
		return uint64(r.s[r.off-1])
	}
	return r.uintLong()
}

// uintLong is uint's general case.
func (r *recordReader) uintLong() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i, shift := 0, uint(0); i < binary.MaxVarintLen64 && r.off+i < len(r.s); i, shift = i+1, shift+7 {
		c := r.s[r.off+i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // overflows 64 bits
			}
			r.off += i + 1
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
	}
	r.fail("bad number")
	return 0
}

func (r *recordReader) int() int {
	v := r.uint()
	if v > 1<<31 {
		r.fail("number out of range")
		return 0
	}
	return int(v)
}

// count reads a length of items of at least size bytes each, checked
// against what is left, so that a damaged record cannot ask for a huge
// allocation.
func (r *recordReader) count(size int) int {
	n := r.uint()
	if r.err == nil && n > uint64((len(r.s)-r.off)/size) {
		r.fail("length past the end")
		return 0
	}
	return int(n)
}

func (r *recordReader) fixed64() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.s)-r.off < 8 {
		r.fail("short number")
		return 0
	}
	v := uint64(r.s[r.off]) | uint64(r.s[r.off+1])<<8 | uint64(r.s[r.off+2])<<16 | uint64(r.s[r.off+3])<<24 |
		uint64(r.s[r.off+4])<<32 | uint64(r.s[r.off+5])<<40 | uint64(r.s[r.off+6])<<48 | uint64(r.s[r.off+7])<<56
	r.off += 8
	return v
}

func (r *recordReader) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.s)-r.off) {
		r.fail("length past the end")
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

// list returns a new list of n items: cut from the arena's pool (which
// pick chooses) when the reader has an arena, else allocated.
func list[T any](r *recordReader, pick func(*recordArena) *pool[T], n int) []T {
	if r.a == nil {
		return make([]T, n)
	}
	return pick(r.a).cut(n)
}

func (r *recordReader) strs() []string {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := list(r, func(a *recordArena) *pool[string] { return &a.strs }, n)
	s, off := r.s, r.off
	for i := range out {
		// Nearly every string of a record is shorter than 128 bytes:
		// its length one byte, read here rather than by a call a string
		// (the decoding of a question's records was a tenth of it).
		if off < len(s) {
			if k := int(s[off]); k < 0x80 && k < len(s)-off {
				out[i] = s[off+1 : off+1+k]
				off += 1 + k
				continue
			}
		}
		r.off = off
		if out[i] = r.str(); r.err != nil {
			return out
		}
		off = r.off
	}
	r.off = off
	return out
}

func (r *recordReader) ints() []int {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := list(r, func(a *recordArena) *pool[int] { return &a.ints }, n)
	s, off := r.s, r.off
	for i := range out {
		if off < len(s) && s[off] < 0x80 { // one byte, as in strs
			out[i] = int(s[off])
			off++
			continue
		}
		r.off = off
		if out[i] = r.int(); r.err != nil {
			return out
		}
		off = r.off
	}
	r.off = off
	return out
}

func (r *recordReader) evidence() []evidence {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := list(r, func(a *recordArena) *pool[evidence] { return &a.ev }, n)
	for i := range out {
		out[i] = evidence(r.s[r.off+i])
	}
	r.off += n
	return out
}

func (r *recordReader) kinds() []wordKinds {
	n := r.count(2)
	if r.err != nil || n == 0 {
		return nil
	}
	out := list(r, func(a *recordArena) *pool[wordKinds] { return &a.kinds }, n)
	for i := range out {
		out[i] = wordKinds{pos: r.int(), kinds: r.strs()}
	}
	return out
}
