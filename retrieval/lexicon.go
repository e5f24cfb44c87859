package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ../internal/lexicongen -o lexicon.txt.gz

// lexiconData is a small part of WordNet 3.0, derived by
// internal/lexicongen, which documents its lines. WORDNET-LICENSE beside it
// is WordNet's licence, which asks that its notice travel with it.
//
//go:embed lexicon.txt.gz
var lexiconData []byte

// bridgeKind is where a lexical bridge comes from; each kind is switched
// by its own Feature.
type bridgeKind uint8

const (
	bridgeForm    bridgeKind = iota // irregular inflection: said, say
	bridgeAlias                     // names and demonyms of a place: US, America, American
	bridgeCapital                   // a capital for its country: Tehran, Iran
	bridgeDerived                   // derivation: discover, discovery
	bridgeSynonym                   // synonym in a common sense
	bridgeCause                     // a verb and the verb it causes: kill, die
	bridgeRelated                   // related more loosely: trip, journey; argue, debate
)

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
	// kinds maps a lower-cased noun to the lower-cased nouns naming what
	// it is a kind of ("blue": "color"; "china": "country").
	kinds map[string][]string
	// kindNames holds every noun some other noun is a kind of: the focus
	// nouns whose kinds a sentence can show.
	kindNames map[string]bool
	// freq is how often WordNet's sense-tagged corpus saw each term's
	// words: a background frequency of English, for words a corpus lacks.
	freq map[string]int
}

// lexiconOnce parses the embedded lexicon once per process: about 22,500
// lines, the relations among them analysed into the text field's terms.
var lexiconOnce = sync.OnceValues(func() (*lexicon, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	an := &Analyzer{text: im.AnalyzerNamed(analyzerText)}
	return parseLexicon(an, lexiconData)
})

func loadLexicon(*Analyzer) (*lexicon, error) { return lexiconOnce() }

// parseLexicon reads the gzipped lexicon, keeping the words that analyse
// into exactly one term ("United_States" does: "usa").
func parseLexicon(an *Analyzer, data []byte) (*lexicon, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	lx := &lexicon{rel: map[string][]bridge{}, focus: map[string]AnswerType{}, places: map[string]bool{},
		kinds: map[string][]string{}, kindNames: map[string]bool{}, freq: map[string]int{}}
	// A word's term, analysed once: the lexicon names most words on
	// several lines, and analysing them was most of the time of a start.
	terms := make(map[string]string, 1<<15)
	term := func(w string) string {
		if t, ok := terms[w]; ok {
			return t
		}
		t := ""
		if ts := an.Terms(strings.ReplaceAll(w, "_", " ")); len(ts) == 1 {
			t = ts[0]
		}
		terms[w] = t
		return t
	}
	seen := map[[2]string]int{} // a pair's place in lx.rel[a]
	link := func(a, b string, k bridgeKind) {
		if a == "" || b == "" || a == b {
			return
		}
		if i, ok := seen[[2]string{a, b}]; ok {
			// A closer relation of the same pair wins over a loose one.
			if lx.rel[a][i].kind == bridgeRelated {
				lx.rel[a][i].kind = k
			}
			return
		}
		seen[[2]string{a, b}] = len(lx.rel[a])
		lx.rel[a] = append(lx.rel[a], bridge{b, k})
	}
	aliases := map[string][]string{} // a place's term -> its group
	var capitals [][2]string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] == "#" {
			continue
		}
		switch f[0] {
		case "i":
			a, b := term(f[1]), term(f[2])
			link(a, b, bridgeForm)
			link(b, a, bridgeForm)
		case "d", "s", "k", "r":
			k := bridgeDerived
			switch f[0] {
			case "s":
				k = bridgeSynonym
			case "k":
				k = bridgeCause
			case "r":
				k = bridgeRelated
			}
			a, b := term(f[1]), term(f[2])
			link(a, b, k)
			link(b, a, k)
		case "a":
			var g []string
			for _, w := range f[1:] {
				if t := term(w); t != "" {
					g = append(g, t)
				}
			}
			for _, a := range g {
				aliases[a] = append(aliases[a], g...)
				for _, b := range g {
					link(a, b, bridgeAlias)
				}
			}
		case "f":
			if n, err := strconv.Atoi(f[2]); err == nil && len(f) == 3 {
				if t := term(f[1]); t != "" {
					lx.freq[t] += n
				}
			}
		case "c":
			capitals = append(capitals, [2]string{term(f[1]), term(f[2])})
		case "p":
			for _, w := range f[1:] {
				lx.places[strings.ToLower(w)] = true
			}
		case "t":
			t := answerTypeNamed(f[1])
			for _, w := range f[2:] {
				lx.focus[strings.ToLower(w)] = t
			}
		case "h":
			w := strings.ToLower(f[1])
			for _, k := range f[2:] {
				lx.kinds[w] = append(lx.kinds[w], k)
				lx.kindNames[k] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	for _, c := range capitals {
		capital, country := c[0], c[1]
		for _, n := range append([]string{country}, aliases[country]...) {
			link(capital, n, bridgeCapital)
			link(n, capital, bridgeCapital)
		}
	}
	return lx, nil
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
