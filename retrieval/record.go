package retrieval

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A sentence's record is its doc (everything the ranking needs about it),
// computed when the sentence is indexed and stored beside it in the index,
// so that answering reads it instead of analysing the sentence again.
//
// The encoding is a version byte, then each of recordFields in turn. To
// add a field to doc: add it to recordFields (one line each way) and bump
// recordVersion; analysisVersion follows it, so that indexes written with
// the older records are rebuilt when opened.

// recordVersion is the version of the record encoding, its first byte.
const recordVersion = 1

// recordField encodes one field of doc.
type recordField struct {
	name string // the doc field, for the test that every one is encoded
	put  func(*recordWriter, *doc)
	get  func(*recordReader, *doc)
}

// recordFields are doc's fields in record order.
var recordFields = []recordField{
	{"text", func(w *recordWriter, d *doc) { w.str(d.text) }, func(r *recordReader, d *doc) { d.text = r.str() }},
	{"hash", func(w *recordWriter, d *doc) { w.fixed64(d.hash) }, func(r *recordReader, d *doc) { d.hash = r.fixed64() }},
	{"terms", func(w *recordWriter, d *doc) { w.strs(d.terms) }, func(r *recordReader, d *doc) { d.terms = r.strs() }},
	{"tpos", func(w *recordWriter, d *doc) { w.ints(d.tpos) }, func(r *recordReader, d *doc) { d.tpos = r.ints() }},
	{"words", func(w *recordWriter, d *doc) { w.strs(d.words) }, func(r *recordReader, d *doc) { d.words = r.strs() }},
	{"ev", func(w *recordWriter, d *doc) { w.evidence(d.ev) }, func(r *recordReader, d *doc) { d.ev = r.evidence() }},
	{"speaker", func(w *recordWriter, d *doc) { w.strs(d.speaker) }, func(r *recordReader, d *doc) { d.speaker = r.strs() }},
	{"position", func(w *recordWriter, d *doc) { w.uint(uint64(d.position)) }, func(r *recordReader, d *doc) { d.position = r.int() }},
	{"near", func(w *recordWriter, d *doc) { w.strs(d.near) }, func(r *recordReader, d *doc) { d.near = r.strs() }},
	{"kinds", func(w *recordWriter, d *doc) { w.kinds(d.kinds) }, func(r *recordReader, d *doc) { d.kinds = r.kinds() }},
}

// encodeRecord appends the record of d to b.
func encodeRecord(b []byte, d *doc) []byte {
	w := recordWriter{b: append(b, recordVersion)}
	for _, f := range recordFields {
		f.put(&w, d)
	}
	return w.b
}

// errRecord reports a record that cannot be decoded.
var errRecord = errors.New("damaged sentence record")

// decodeRecord decodes a record written by encodeRecord. Its strings share
// one copy of b; b may be reused afterwards.
func decodeRecord(b []byte) (doc, error) {
	if len(b) == 0 || b[0] != recordVersion {
		return doc{}, fmt.Errorf("%w: not of version %d", errRecord, recordVersion)
	}
	r := recordReader{b: b, s: string(b), off: 1}
	var d doc
	for _, f := range recordFields {
		f.get(&r, &d)
	}
	if r.err == nil && r.off != len(b) {
		r.err = fmt.Errorf("%w: %d bytes left over", errRecord, len(b)-r.off)
	}
	if r.err != nil {
		return doc{}, r.err
	}
	return d, nil
}

type recordWriter struct{ b []byte }

func (w *recordWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *recordWriter) fixed64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }

func (w *recordWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recordWriter) strs(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recordWriter) ints(v []int) {
	w.uint(uint64(len(v)))
	for _, x := range v {
		w.uint(uint64(x))
	}
}

func (w *recordWriter) evidence(v []evidence) {
	w.uint(uint64(len(v)))
	for _, e := range v {
		w.b = append(w.b, byte(e))
	}
}

func (w *recordWriter) kinds(v []wordKinds) {
	w.uint(uint64(len(v)))
	for _, k := range v {
		w.uint(uint64(k.pos))
		w.strs(k.kinds)
	}
}

// recordReader reads a record; the first error sticks and later reads
// return zero values.
type recordReader struct {
	b   []byte
	s   string // b as a string, which every decoded string slices
	off int
	err error
}

func (r *recordReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", errRecord, what, r.off)
	}
}

func (r *recordReader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail("bad number")
		return 0
	}
	r.off += n
	return v
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
	if r.err == nil && n > uint64((len(r.b)-r.off)/size) {
		r.fail("length past the end")
		return 0
	}
	return int(n)
}

func (r *recordReader) fixed64() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.b)-r.off < 8 {
		r.fail("short number")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *recordReader) str() string {
	n := r.count(1)
	if r.err != nil {
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

func (r *recordReader) strs() []string {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *recordReader) ints() []int {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = r.int()
	}
	return out
}

func (r *recordReader) evidence() []evidence {
	n := r.count(1)
	if r.err != nil || n == 0 {
		return nil
	}
	out := make([]evidence, n)
	for i := range out {
		out[i] = evidence(r.b[r.off+i])
	}
	r.off += n
	return out
}

func (r *recordReader) kinds() []wordKinds {
	n := r.count(2)
	if r.err != nil || n == 0 {
		return nil
	}
	out := make([]wordKinds, n)
	for i := range out {
		out[i] = wordKinds{pos: r.int(), kinds: r.strs()}
	}
	return out
}
