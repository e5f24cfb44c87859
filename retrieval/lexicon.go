package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The lexicon is a small part of WordNet 3.0, with the pairs of words
// GloVe's word vectors find used alike, derived by internal/lexicongen
// into lexicon.txt.gz, which documents its lines, and compiled into
// lexicon.bin (lexiconbin.go), which a process reads. WORDNET-LICENSE
// beside them is WordNet's licence, which asks that its notice travel
// with it; GLOVE-LICENSE says where the vectors come from. GLOVE_VECTORS
// names the vectors' file (internal/lexicongen tells how to get it).
//
//go:generate go run ../internal/lexicongen -o lexicon.txt.gz -vectors-out vectors.bin -vectors ${GLOVE_VECTORS}
//go:generate sh -c "go test -run ^TestCompiledLexiconCurrent$ -update . || go test -run ^TestCompiledLexiconCurrent$ -update ."

// bridgeKind is where a lexical bridge comes from; each kind is switched
// by its own Feature.
type bridgeKind uint8

const (
	bridgeForm    bridgeKind = iota // irregular inflection or spelling: said, say; neighbour, neighbor
	bridgeAlias                     // names and demonyms of a place: US, America, American
	bridgeCapital                   // a capital for its country: Tehran, Iran
	bridgeDerived                   // derivation: discover, discovery
	bridgeSynonym                   // synonym in a common sense
	bridgeCause                     // a verb and the verb it causes: kill, die
	bridgeRelated                   // related more loosely: trip, journey; argue, debate
	bridgeSimilar                   // used alike, by word vectors: founded, established
	bridgeRare                      // synonym or derivation of a word too rare for the others: digger, excavator; brew, brewer
	bridgeKinds                     // the number of kinds
)

// closeness orders the kinds of bridge where two relate one pair of
// words: words used alike, then related, then rare synonyms, then every
// other kind, which are all as close.
func closeness(k bridgeKind) int {
	switch k {
	case bridgeSimilar:
		return 0
	case bridgeRelated:
		return 1
	case bridgeRare:
		return 2
	}
	return 3
}

// pairKinds are the lexicon's lines that relate one pair of words both
// ways, by their letter, and the kind of bridge each makes.
var pairKinds = map[byte]bridgeKind{
	'd': bridgeDerived, 's': bridgeSynonym, 'k': bridgeCause,
	'r': bridgeRelated, 'e': bridgeSimilar, 'n': bridgeRare,
}

// bridge relates a term to another, which matches it with a weight below
// one.
type bridge struct {
	term string
	kind bridgeKind
}

// lexicon is the parsed lexicon, in the text field's analyzed terms. It is
// immutable once built.
type lexicon struct {
	rel    map[string][]bridge   // term -> related terms
	focus  map[string]AnswerType // lower-cased noun -> the answer type it asks for
	places map[string]bool       // lower-cased single-word place names
	// peoples holds the lower-cased single words of the alias lines:
	// places' other names and their peoples ("iranian", "persia"). In a
	// sentence, one that is not a place is never a person's name.
	peoples map[string]bool
	// placeTerms holds the terms of places and their peoples: the
	// gazetteer's, and the names, demonyms and capitals of countries
	// ("iraq", "iraqi", "tehran").
	placeTerms map[string]bool
	// kinds maps a lower-cased noun to the lower-cased nouns naming what
	// it is a kind of ("blue": "color"; "china": "country").
	kinds map[string][]string
	// kindNames holds every noun some other noun is a kind of: the focus
	// nouns whose kinds a sentence can show.
	kindNames map[string]bool
	// freq is how often WordNet's sense-tagged corpus saw each term's
	// words: a background frequency of English, for words a corpus lacks.
	freq map[string]int
	// lemmas holds WordNet's single-word lemmas, sorted, one after
	// another; lemmaEnds where each ends. A question word none of them
	// is, in no inflection, is no English word (english).
	lemmas    string
	lemmaEnds []uint32
}

// lexiconOnce is the compiled lexicon, decoded once per process.
var lexiconOnce = sync.OnceValues(func() (*lexicon, error) {
	c, err := compiledOnce()
	if err != nil {
		return nil, err
	}
	return c.lex, nil
})

func loadLexicon(*Analyzer) (*lexicon, error) { return lexiconOnce() }

// parseLexicon reads the gzipped lexicon text, keeping the words that
// analyse into exactly one term ("United_States" does: "usa"): the
// compiler's half of lexicon.bin, run by TestCompiledLexiconCurrent.
func parseLexicon(an *Analyzer, data []byte) (*lexicon, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx := &lexicon{rel: make(map[string][]bridge, 1<<14), focus: map[string]AnswerType{}, places: make(map[string]bool, 1<<11), peoples: make(map[string]bool, 1<<10),
		kinds: make(map[string][]string, 1<<14), kindNames: map[string]bool{}, freq: make(map[string]int, 1<<15),
		placeTerms: make(map[string]bool, 1<<12)}
	// A word's term, analysed once: the lexicon names most words on
	// several lines, and analysing them was most of the time of a start.
	// Terms are numbered as they come, and the relations gathered by
	// number, into the map only at the end: the lexicon's hundred
	// thousand relations cost a map update each otherwise.
	ids := make(map[string]int32, 1<<15) // word -> its term's number, -1 for none
	byTerm := make(map[string]int32, 1<<15)
	// A relation by number: the other term's number and the kind;
	// compared by number, made bridges at the end.
	type numbered struct {
		to   int32
		kind bridgeKind
	}
	var names []string    // term by number
	var rels [][]numbered // relations by number
	term := func(w []byte) int32 {
		if id, ok := ids[string(w)]; ok {
			return id
		}
		id := int32(-1)
		if t := lexiconTerm(an, string(w)); t != "" {
			var ok bool
			if id, ok = byTerm[t]; !ok {
				id = int32(len(names))
				byTerm[t] = id
				names = append(names, t)
				rels = append(rels, nil)
			}
		}
		ids[string(w)] = id
		return id
	}
	name := func(id int32) string {
		if id < 0 {
			return ""
		}
		return names[id]
	}
	link := func(a, b int32, k bridgeKind) {
		if a < 0 || b < 0 || a == b {
			return
		}
		rs := rels[a]
		for i := range rs {
			if rs[i].to == b {
				// A closer relation of the same pair wins over a loose
				// one ("neighbor neighbour" is a spelling, not a rare
				// synonym), and any of WordNet's over words merely used
				// alike.
				if closeness(k) > closeness(rs[i].kind) {
					rs[i].kind = k
				}
				return
			}
		}
		rels[a] = append(rs, numbered{b, k})
	}
	aliases := map[int32][]int32{} // a place's term -> its group
	var capitals [][2]int32
	var forms [][2]int32 // irregular inflections (form, base) and spellings (British, American)
	// The 'w' lines' words, one after another: about 90,000 words, 800
	// KB, made room for at once.
	english := make([]byte, 0, 1<<20)
	lx.lemmaEnds = make([]uint32, 0, 1<<17)
	sc := bufio.NewScanner(zr)
	f := make([][]byte, 0, 16)
	for sc.Scan() {
		f = appendFields(f[:0], sc.Bytes())
		if len(f) < 2 || f[0][0] == '#' || len(f[0]) != 1 {
			continue
		}
		if k, ok := pairKinds[f[0][0]]; ok {
			if len(f) >= 3 {
				a, b := term(f[1]), term(f[2])
				link(a, b, k)
				link(b, a, k)
			}
			continue
		}
		switch f[0][0] {
		case 'i', 'v':
			if len(f) < 3 {
				continue
			}
			a, b := term(f[1]), term(f[2])
			link(a, b, bridgeForm)
			link(b, a, bridgeForm)
			forms = append(forms, [2]int32{a, b})
		case 'a':
			var g []int32
			for _, w := range f[1:] {
				lx.peoples[lowerString(w)] = true
				if t := term(w); t >= 0 {
					g = append(g, t)
				}
			}
			for _, a := range g {
				lx.placeTerms[names[a]] = true
				aliases[a] = append(aliases[a], g...)
				for _, b := range g {
					link(a, b, bridgeAlias)
				}
			}
		case 'f':
			if len(f) != 3 {
				continue
			}
			if n, err := strconv.Atoi(string(f[2])); err == nil {
				if t := name(term(f[1])); t != "" {
					lx.freq[t] += n
				}
			}
		case 'c':
			if len(f) >= 3 {
				capitals = append(capitals, [2]int32{term(f[1]), term(f[2])})
			}
		case 'p':
			for _, w := range f[1:] {
				lx.places[lowerString(w)] = true
				if t := name(term(w)); t != "" {
					lx.placeTerms[t] = true
				}
			}
		case 't':
			t := answerTypeNamed(string(f[1]))
			for _, w := range f[2:] {
				lx.focus[lowerString(w)] = t
			}
		case 'w':
			english = append(english, f[1]...) // lower case already
			lx.lemmaEnds = append(lx.lemmaEnds, uint32(len(english)))
		case 'h':
			w := lowerString(f[1])
			ks := make([]string, len(f)-2)
			for i, k := range f[2:] {
				ks[i] = string(k)
				lx.kindNames[ks[i]] = true
			}
			lx.kinds[w] = append(lx.kinds[w], ks...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx.lemmas = string(english)
	for _, c := range capitals {
		capital, country := c[0], c[1]
		if capital < 0 || country < 0 {
			continue
		}
		lx.placeTerms[names[capital]], lx.placeTerms[names[country]] = true, true
		for _, n := range append([]int32{country}, aliases[country]...) {
			link(capital, n, bridgeCapital)
			link(n, capital, bridgeCapital)
		}
	}
	// The sense-tagged corpus counts a word under its base form and its
	// American spelling: "held" is seen once, "hold" 360 times. An
	// irregular form is as common as its base, and a spelling as the
	// other, or a question's "held" would weigh as much as a name.
	for _, fb := range forms {
		if a, b := name(fb[0]), name(fb[1]); a != "" && b != "" {
			n := max(lx.freq[a], lx.freq[b])
			lx.freq[a], lx.freq[b] = n, n
		}
	}
	n := 0
	for _, rs := range rels {
		n += len(rs)
	}
	all := make([]bridge, 0, n) // one allocation for every term's bridges
	for id, rs := range rels {
		if rs != nil {
			start := len(all)
			for _, r := range rs {
				all = append(all, bridge{names[r.to], r.kind})
			}
			lx.rel[names[id]] = all[start:len(all):len(all)]
		}
	}
	return lx, nil
}

// lexiconTerm is the text field's one term for a lexicon word ("_"
// between the words of a name or of a phrasal verb), or "" when it
// analyses into none or several. A phrasal verb's is the term the
// analysis adds for it (phrasal.go). A word of plain lower-case letters, most of the lexicon, takes
// a short way to the same term (TestLexiconTermsAsAnalysed holds the two
// ways equal on every word of the lexicon): it is a stop word or its
// stem (stemOf). Analysing every word in full was most of a start's time.
func lexiconTerm(an *Analyzer, w string) string {
	if k, _, ok := phrasalLemma(w); ok && phrasalVerbs().keys[k] {
		return k
	}
	if plainLower(w) {
		if isStopWord(w) {
			return ""
		}
		return stemOf(w)
	}
	return analysedTerm(an, w)
}

// analysedTerm is lexiconTerm the long way, through the analyser: the one
// term of w, or the phrasal verb's term the analysis adds after its verb's.
func analysedTerm(an *Analyzer, w string) string {
	ts := an.Terms(strings.ReplaceAll(w, "_", " "))
	if len(ts) == 1 {
		return ts[0]
	}
	// A phrasal verb: its verb's term (unless a stop word: "while
	// away"), the phrase's, and its particle's (unless a stop word).
	if i := slices.IndexFunc(ts, isPhrasalTerm); i >= 0 && len(ts) <= 3 {
		return ts[i]
	}
	return ""
}

// plainLower reports whether w is a word of the letters a to z only.
func plainLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// appendFields appends the space-separated fields of line to f; they
// alias line.
func appendFields(f [][]byte, line []byte) [][]byte {
	for i := 0; i < len(line); {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		j := i
		for j < len(line) && line[j] != ' ' {
			j++
		}
		if j > i {
			f = append(f, line[i:j])
		}
		i = j
	}
	return f
}

// lowerString is b lower-cased, as a new string.
func lowerString(b []byte) string { return strings.ToLower(string(b)) }

// samePlace reports whether the place terms a and b name one place: the
// same term, or one another's names, demonyms or capital ("iran",
// "iranian", "tehran").
func (lx *lexicon) samePlace(a, b string) bool {
	if a == b {
		return true
	}
	for _, r := range lx.rel[a] {
		if r.term == b && (r.kind == bridgeAlias || r.kind == bridgeCapital) {
			return true
		}
	}
	return false
}

// lookup finds a lower-cased noun, or its singular, in m: "countries"
// finds "country".
func lookup[V any](m map[string]V, w string) (V, bool) {
	v, _, ok := lookupKey(m, w)
	return v, ok
}

// lookupKey is lookup, also returning the key found.
func lookupKey[V any](m map[string]V, w string) (V, string, bool) {
	if v, ok := m[w]; ok {
		return v, w, true
	}
	n := len(w)
	var cands []string
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		cands = []string{w[:n-3] + "y"}
	case strings.HasSuffix(w, "es") && n > 3:
		cands = []string{w[:n-2], w[:n-1]}
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && n > 3:
		cands = []string{w[:n-1]}
	}
	for _, c := range cands {
		if v, ok := m[c]; ok {
			return v, c, true
		}
	}
	var zero V
	return zero, "", false
}

// lemma reports whether w, lower-cased, is one of WordNet's single-word
// lemmas.
func (lx *lexicon) lemma(w string) bool {
	word := func(i int) string {
		start := uint32(0)
		if i > 0 {
			start = lx.lemmaEnds[i-1]
		}
		return lx.lemmas[start:lx.lemmaEnds[i]]
	}
	i := sort.Search(len(lx.lemmaEnds), func(i int) bool { return word(i) >= w })
	return i < len(lx.lemmaEnds) && word(i) == w
}

// irregular reports whether term t is an irregular form of another word
// (the exception lists' "went", "children").
func (lx *lexicon) irregular(t string) bool {
	for _, b := range lx.rel[t] {
		if b.kind == bridgeForm {
			return true
		}
	}
	return false
}

// pronouns are English words WordNet, a dictionary of content words,
// does not hold.
var pronouns = map[string]bool{
	"anybody": true, "anyone": true, "anything": true, "anywhere": true, "everybody": true,
	"everyone": true, "everything": true, "everywhere": true, "somebody": true, "someone": true,
	"something": true, "somewhere": true, "nobody": true, "nothing": true, "nowhere": true,
	"whoever": true, "whatever": true, "whenever": true, "wherever": true, "however": true,
}

// morphRules are WordNet's detachment rules (its morphy): an inflected
// form's ending and what replaces it in the base form, for nouns
// (dockers, churches, women, cities), verbs (suing, closed, tries) and
// adjectives (longest, closer).
var morphRules = [...][2]string{
	{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"},
	{"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
	{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
}

// english reports whether the lower-cased word w, of term t, is an
// English word: a lemma of WordNet, an inflection of one by its rules (a
// final consonant doubled or not: "stopped", "biggest") or by its
// exception lists ("went"), or the verb of a phrasal verb the lexicon
// holds (t "get_back" of "got").
func (lx *lexicon) english(w, t string) bool {
	if lx.lemma(w) || pronouns[w] || lx.irregular(t) || isPhrasalTerm(t) {
		return true
	}
	for _, r := range morphRules {
		stem, ok := strings.CutSuffix(w, r[0])
		if !ok || stem == "" {
			continue
		}
		if lx.lemma(stem + r[1]) {
			return true
		}
		if n := len(stem); r[1] == "" && n > 1 && stem[n-1] == stem[n-2] && lx.lemma(stem[:n-1]) {
			return true
		}
	}
	return false
}
