package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// A phrasal verb ("broke off", "set up", "turned down") means something
// its verb alone does not: "broke off ties" is "cut relations", not
// "broke". The text analysis adds a term for each phrasal verb the lexicon
// relates to other words, where a sentence or a question has its verb and
// particle side by side: the verb's stem, "_" and the particle
// ("break_off", "carri_out"). The verb keeps its own term, so that "broke
// off" still matches "break"; a question's verb is replaced by the
// phrase's term (see dropPhrasalHeads), whose bridges (the lexicon's "s"
// and "r" lines: "break_off discontinue", "set_up establish") then reach
// sentences that say it in one word.

// phrasalTable is what the analysis needs to find phrasal verbs.
type phrasalTable struct {
	keys      map[string]bool   // phrasalKey of each phrasal verb the lexicon relates
	particles map[string]bool   // the particles of those verbs
	irregular map[string]string // an irregular form and its base ("broke": "break")
}

// phrasalVerbs is the compiled lexicon's table; empty when it cannot be
// decoded, which loading the lexicon reports.
var phrasalVerbs = sync.OnceValue(func() *phrasalTable {
	c, err := compiledOnce()
	if err != nil {
		return &phrasalTable{}
	}
	return c.phrasal
})

// readPhrasalVerbs reads the phrasal verbs the gzipped lexicon text
// relates, and the irregular forms of verbs: what lexicon.bin holds of
// them, read apart from the rest of the lexicon because parsing the rest
// runs the text analysis, which runs the filter that needs this table.
func readPhrasalVerbs(data []byte) *phrasalTable {
	t := &phrasalTable{keys: map[string]bool{}, particles: map[string]bool{}, irregular: map[string]string{}}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return t // the lexicon's own parse reports it
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) < 2 || line[1] != ' ' {
			continue
		}
		switch line[0] {
		case 'i':
			if form, base, ok := strings.Cut(string(line[2:]), " "); ok && !strings.Contains(base, " ") {
				t.irregular[form] = base
			}
		case 's', 'r':
			// Only a word with "_" may be a phrasal verb: most lines
			// have none, and are passed over without a copy.
			if bytes.IndexByte(line[2:], '_') < 0 {
				continue
			}
			for _, w := range bytes.Fields(line[2:]) {
				if bytes.IndexByte(w, '_') < 0 {
					continue
				}
				if k, particle, ok := phrasalLemma(string(w)); ok {
					t.keys[k] = true
					t.particles[particle] = true
				}
			}
		case 'w':
			return t // the lemma lines, last: nothing more to read
		}
	}
	return t
}

// phrasalLemma returns the term and the particle of a lexicon word that
// may be a phrasal verb ("break_off": "break_off", "off"): two plain
// lower-case words joined by "_".
func phrasalLemma(w string) (key, particle string, ok bool) {
	head, particle, ok := strings.Cut(w, "_")
	if !ok || !plainLower(head) || !plainLower(particle) {
		return "", "", false
	}
	return phrasalKey(stemOf(head), particle), particle, true
}

// phrasalKey is the term of a phrasal verb, from its verb's stem.
func phrasalKey(stem, particle string) string { return stem + "_" + particle }

// isPhrasalTerm reports whether a term is a phrasal verb's.
func isPhrasalTerm(t string) bool { return strings.IndexByte(t, '_') > 0 }

// lookup returns the term of the phrasal verb made of verb and particle,
// lower-cased words, if the lexicon has it.
func (t *phrasalTable) lookup(verb, particle []byte) (string, bool) {
	if !t.particles[string(particle)] || !plainLower(string(verb)) {
		return "", false
	}
	// The verb as written first: "lay off" is a verb of its own, not a
	// form of "lie off".
	if k := phrasalKey(stemOf(string(verb)), string(particle)); t.keys[k] {
		return k, true
	}
	if base, ok := t.irregular[string(verb)]; ok && plainLower(base) {
		k := phrasalKey(stemOf(base), string(particle))
		return k, t.keys[k]
	}
	return "", false
}

// objectPronouns may stand between a phrasal verb's verb and its
// particle: "called it off", "set them up".
var objectPronouns = map[string]bool{"it": true, "them": true, "him": true, "her": true, "us": true, "me": true, "you": true}

// phrasalFilter is the token filter that adds the phrasal verbs' terms,
// marked as keywords (the stemmer leaves them as they are). It runs on
// lower-cased words before stop words are removed: most particles are
// stop words.
type phrasalFilter struct{}

func (phrasalFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	t := phrasalVerbs()
	var out analysis.TokenStream
	next := 0 // in[:next] is in out already
	for i := 0; i+1 < len(in); i++ {
		j := i + 1
		if objectPronouns[string(in[j].Term)] && j+1 < len(in) {
			j++ // "called it off", "turned them down"
		}
		v, p := in[i], in[j]
		if p.Position != v.Position+(j-i) {
			continue
		}
		k, ok := t.lookup(v.Term, p.Term)
		if !ok {
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(in)+2)
		}
		out = append(out, in[next:i+1]...)
		out = append(out, &analysis.Token{Term: []byte(k), Start: v.Start, End: p.End, Position: v.Position,
			Type: analysis.AlphaNumeric, KeyWord: true})
		next = i + 1
	}
	if out == nil {
		return in
	}
	return append(out, in[next:]...)
}

// dropPhrasalHeads removes from a question's terms the verb and particle
// of each phrasal verb whose term the analysis added (words holds the word
// each term came from): "who broke off ties" asks about breaking off,
// which "discontinued" answers, and not about breaking; "who turned back"
// not about a back. It works in place.
func dropPhrasalHeads(terms, words []string) ([]string, []string) {
	out := 0
	for i := range terms {
		if i+1 < len(terms) && isPhrasalTerm(terms[i+1]) && !isPhrasalTerm(terms[i]) && words[i] == words[i+1] {
			continue // the verb
		}
		if i > 0 && isPhrasalTerm(terms[i-1]) && strings.HasSuffix(terms[i-1], "_"+words[i]) {
			continue // the particle, when not a stop word
		}
		terms[out], words[out] = terms[i], words[i]
		out++
	}
	return terms[:out], words[:out]
}

// backgroundTerm is the term whose background frequency stands for t's:
// a phrasal verb's verb, which the lexicon counts; t itself otherwise.
func backgroundTerm(t string) string {
	if head, _, ok := strings.Cut(t, "_"); ok && head != "" {
		return head
	}
	return t
}
