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
// The encoding is a version byte, then each of recordFields in turn. To
// add a field to doc: add it to recordFields (one line each way) and bump
// recordVersion; analysisVersion follows it, so that indexes written with
// the older records are rebuilt when opened.

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
const recordVersion = 1

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
	w := recordWriter{b: append(b, recordVersion)}
	for _, f := range recordFields {
		f.put(&w, r)
	}
	return w.b
}

// errRecord reports a record that cannot be decoded.
var errRecord = errors.New("damaged sentence record")

// decodeRecord decodes a record written by encodeRecord. Its strings share
// one copy of b; b may be reused afterwards.
func decodeRecord(b []byte) (*sentenceRecord, error) {
	if len(b) == 0 || b[0] != recordVersion {
		return nil, fmt.Errorf("%w: not of version %d", errRecord, recordVersion)
	}
	r := recordReader{b: b, s: string(b), off: 1}
	var out sentenceRecord
	for _, f := range recordFields {
		f.get(&r, &out)
	}
	if r.err == nil && r.off != len(b) {
		r.err = fmt.Errorf("%w: %d bytes left over", errRecord, len(b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return &out, nil
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
