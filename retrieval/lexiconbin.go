package retrieval

import (
	_ "embed" // lexicon.bin
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// The lexicon is compiled: lexicon.bin holds the parsed lexicon (its
// words already analysed into the text field's terms) and the table of
// phrasal verbs, so that a process decodes them at start instead of
// decompressing 22,500 lines and analysing their words. It is derived
// from lexicon.txt.gz by TestCompiledLexiconCurrent, which fails when the
// two disagree and rewrites lexicon.bin with -update.
//
// The form, every number an unsigned varint, every string its length and
// bytes:
//
//	magic, the text's checksum (crc32)
//	strings: count, then each (sorted, distinct); every other part names
//	  a string by its number
//	rel: count, all bridges' count, then per term: term, bridge count,
//	  (term, kind) each
//	focus: count, (word, answer type) each
//	places, peoples, placeTerms, kindNames: count, words each
//	kinds: count, all kinds' count, then per word: word, count, kinds
//	freq: count, (term, count) each
//	lemmas: the lemmas' bytes as a string, count, each lemma's length
//	phrasal keys, particles: count, strings each
//	irregular: count, (form, base) each
//
// The strings are read where they lie, in the embedded string: a start
// copies none of them.

//go:embed lexicon.bin
var lexiconBin string

// lexiconMagic opens lexicon.bin; its last byte is the form's version.
const lexiconMagic = "verbatim-lexicon\x01"

// compiledLexicon is what lexicon.bin holds.
type compiledLexicon struct {
	lex     *lexicon
	phrasal *phrasalTable
}

// compiledOnce decodes the embedded compiled lexicon once per process.
var compiledOnce = sync.OnceValues(func() (*compiledLexicon, error) { return decodeLexicon(lexiconBin) })

// lexiconSourceSum is the checksum of the lexicon text compiled into s,
// which names the lexicon in the index's version, read without decoding
// the rest; 0 when the header is damaged, which
// TestCompiledLexiconCurrent does not let happen.
func lexiconSourceSum(s string) uint32 {
	_, sum, err := readLexiconHeader(s)
	if err != nil {
		return 0
	}
	return sum
}

// readLexiconHeader reads the magic and the source's checksum of a
// compiled lexicon, returning a reader of what follows them.
func readLexiconHeader(s string) (*lexiconReader, uint32, error) {
	rest, ok := strings.CutPrefix(s, lexiconMagic)
	if !ok {
		return nil, 0, errors.New("compiled lexicon: not of this version; run the lexicon test with -update")
	}
	r := &lexiconReader{s: rest}
	if n := r.num(); n > 1<<32-1 {
		r.fail("bad checksum")
	} else if r.err == nil {
		return r, uint32(n), nil
	}
	return nil, 0, r.err
}

// encodeLexicon writes lx, the phrasal verbs pt and the source's
// checksum in lexicon.bin's form. The same lexicon always gives the same
// bytes.
func encodeLexicon(lx *lexicon, pt *phrasalTable, sum uint32) []byte {
	seen := map[string]bool{}
	add := func(ss ...string) {
		for _, s := range ss {
			seen[s] = true
		}
	}
	for t, bs := range lx.rel {
		add(t)
		for _, b := range bs {
			add(b.term)
		}
	}
	add(slices.Collect(maps.Keys(lx.focus))...)
	for _, m := range []map[string]bool{lx.places, lx.peoples, lx.placeTerms, lx.kindNames, pt.keys, pt.particles} {
		add(slices.Collect(maps.Keys(m))...)
	}
	for w, ks := range lx.kinds {
		add(w)
		add(ks...)
	}
	add(slices.Collect(maps.Keys(lx.freq))...)
	for f, b := range pt.irregular {
		add(f, b)
	}
	strs := slices.Sorted(maps.Keys(seen))
	id := make(map[string]uint64, len(strs))
	for i, s := range strs {
		id[s] = uint64(i)
	}

	b := []byte(lexiconMagic)
	num := func(n uint64) { b = binary.AppendUvarint(b, n) }
	str := func(s string) { num(uint64(len(s))); b = append(b, s...) }
	set := func(m map[string]bool) {
		num(uint64(len(m)))
		for _, s := range slices.Sorted(maps.Keys(m)) {
			num(id[s])
		}
	}
	num(uint64(sum))
	num(uint64(len(strs)))
	for _, s := range strs {
		str(s)
	}
	writeLists(num, id, lx.rel, func(r bridge) {
		num(id[r.term])
		num(uint64(r.kind))
	})
	num(uint64(len(lx.focus)))
	for _, w := range slices.Sorted(maps.Keys(lx.focus)) {
		num(id[w])
		num(uint64(lx.focus[w]))
	}
	set(lx.places)
	set(lx.peoples)
	set(lx.placeTerms)
	set(lx.kindNames)
	writeLists(num, id, lx.kinds, func(k string) { num(id[k]) })
	num(uint64(len(lx.freq)))
	for _, t := range slices.Sorted(maps.Keys(lx.freq)) {
		num(id[t])
		num(uint64(lx.freq[t]))
	}
	str(lx.lemmas)
	num(uint64(len(lx.lemmaEnds)))
	start := uint32(0)
	for _, end := range lx.lemmaEnds {
		num(uint64(end - start))
		start = end
	}
	set(pt.keys)
	set(pt.particles)
	num(uint64(len(pt.irregular)))
	for _, f := range slices.Sorted(maps.Keys(pt.irregular)) {
		num(id[f])
		num(id[pt.irregular[f]])
	}
	return b
}

// writeLists writes a map of lists with num: its size, the count of all
// its items, then for each key in order its string's number (id), its
// list's length and each item, written by item.
func writeLists[T any](num func(uint64), id map[string]uint64, m map[string][]T, item func(T)) {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	num(uint64(len(m)))
	num(uint64(n))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		num(id[k])
		num(uint64(len(m[k])))
		for _, v := range m[k] {
			item(v)
		}
	}
}

// lexiconReader reads lexicon.bin's numbers and strings; the first fault
// sticks and ends the reading.
type lexiconReader struct {
	s    string
	off  int
	strs []string
	err  error
}

func (r *lexiconReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("compiled lexicon: %s at byte %d", what, r.off)
	}
}

// num reads a varint.
func (r *lexiconReader) num() uint64 {
	var n uint64
	for shift := 0; r.err == nil; shift += 7 {
		if r.off >= len(r.s) || shift > 63 {
			r.fail("bad number")
			break
		}
		c := r.s[r.off]
		r.off++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	return 0
}

// count reads a count of items each at least a byte long, so that a
// damaged count cannot make room for more than the rest could hold.
func (r *lexiconReader) count() int {
	n := r.num()
	if n > uint64(len(r.s)-r.off) {
		r.fail("count past the end")
		return 0
	}
	return int(n)
}

// str reads a string where it lies.
func (r *lexiconReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// ref reads a string by its number.
func (r *lexiconReader) ref() string {
	i := r.num()
	if i >= uint64(len(r.strs)) {
		r.fail("string number out of range")
		return ""
	}
	return r.strs[i]
}

// set reads a set of strings.
func (r *lexiconReader) set() map[string]bool {
	n := r.count()
	m := make(map[string]bool, n)
	for range n {
		m[r.ref()] = true
	}
	return m
}

// decodeLexicon reads lexicon.bin's form.
func decodeLexicon(s string) (*compiledLexicon, error) {
	r, _, err := readLexiconHeader(s)
	if err != nil {
		return nil, err
	}
	r.strs = make([]string, r.count())
	for i := range r.strs {
		r.strs[i] = r.str()
	}
	lx := &lexicon{}
	nrel := r.count()
	lx.rel = make(map[string][]bridge, nrel)
	all := make([]bridge, 0, r.count()) // every term's bridges in one allocation
	for range nrel {
		t, n := r.ref(), r.count()
		start := len(all)
		for range n {
			b := bridge{term: r.ref(), kind: bridgeKind(r.num())}
			if b.kind >= bridgeKinds {
				// A kind the ranking has no weight for would index past
				// its weights.
				r.fail("unknown bridge kind")
			}
			all = append(all, b)
		}
		lx.rel[t] = all[start:len(all):len(all)]
	}
	nfocus := r.count()
	lx.focus = make(map[string]AnswerType, nfocus)
	for range nfocus {
		lx.focus[r.ref()] = AnswerType(r.num())
	}
	lx.places, lx.peoples, lx.placeTerms, lx.kindNames = r.set(), r.set(), r.set(), r.set()
	nkinds := r.count()
	lx.kinds = make(map[string][]string, nkinds)
	kinds := make([]string, 0, r.count())
	for range nkinds {
		w, n := r.ref(), r.count()
		start := len(kinds)
		for range n {
			kinds = append(kinds, r.ref())
		}
		if n > 0 { // as parsed: a word with no kinds holds nil
			lx.kinds[w] = kinds[start:len(kinds):len(kinds)]
		} else {
			lx.kinds[w] = nil
		}
	}
	nfreq := r.count()
	lx.freq = make(map[string]int, nfreq)
	for range nfreq {
		lx.freq[r.ref()] = int(r.num())
	}
	lx.lemmas = r.str()
	lx.lemmaEnds = make([]uint32, r.count())
	end := uint64(0)
	for i := range lx.lemmaEnds {
		end += r.num()
		lx.lemmaEnds[i] = uint32(end)
	}
	if end > uint64(len(lx.lemmas)) {
		r.fail("lemmas past their end")
	}
	pt := &phrasalTable{keys: r.set(), particles: r.set()}
	nirr := r.count()
	pt.irregular = make(map[string]string, nirr)
	for range nirr {
		pt.irregular[r.ref()] = r.ref()
	}
	if r.err == nil && r.off != len(r.s) {
		r.fail("bytes after the end")
	}
	if r.err != nil {
		return nil, r.err
	}
	return &compiledLexicon{lex: lx, phrasal: pt}, nil
}
