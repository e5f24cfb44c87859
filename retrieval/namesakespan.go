package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// namesakeSpan finds, for a question that asks whom or what something is
// named after ("who is the garside garden named after", "after whom is
// the cup named", "what is mill lane named after", "who does the
// langmead tower honour", "who is the seat a tribute to"), the words the
// sentence gives after its marker of a namesake: "named after Joseph Lund";
// "named Arthur, after Canon Arthur Dimmock"; "The plot honours Dennis
// Garside, a retired postman"; "in memory of a volunteer who hand-fed
// orphaned hoglets". A name is taken whole; other words run to the end of
// their clause. It reports false for other questions and sentences with
// no such marker.
func namesakeSpan(q rankQuery, text string) (Span, bool) {
	if !q.namesakeAsked() {
		return Span{}, false
	}
	toks := appendWordSpans(nil, text)
	words := make([]string, len(toks))
	caps := make([]evidence, len(toks)) // evCap, as nameAround reads it
	for i, t := range toks {
		w := text[t.Start:t.End]
		words[i] = strings.ToLower(w)
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			caps[i] = evCap
		}
	}
	for i := range words {
		n := namesakeMarker(words, i)
		if n == 0 || i+n >= len(words) {
			continue
		}
		from := i + n
		if gap := text[toks[from-1].End:toks[from].Start]; strings.ContainsAny(gap, ".;:!?") {
			continue
		}
		if caps[from] != 0 {
			_, hi := nameAround(text, toks, caps, from)
			if next, ok := describedName(text, toks, caps, hi); ok {
				from = next
			}
		} else if next, ok := describedName(text, toks, caps, from-1); ok {
			// "named after lollipop lady Nancy Quarmby": the name, not
			// the role before it ("after the mill owner Sir Edmund
			// Threapleton" keeps its article and role).
			from = next
		}
		return Span{toks[from].Start, namesakeEnd(text, toks, words, caps, from)}, true
	}
	return Span{}, false
}

// namesakeAsked reports whether q asks whom or what something is named
// after: a "who", "whom", "what" or "which" question ("named after which
// woman") whose words ask so (asksNamesake).
func (q rankQuery) namesakeAsked() bool {
	switch q.wh {
	case "who", "whom", "what", "which":
		return asksNamesake(q.qwords)
	}
	return false
}

// asksNamesake reports whether a question's words ask whom or what a
// thing is named after ("who does the boat take its name from") or
// honours.
func asksNamesake(words sortedWords) bool {
	naming := words.has("named") || words.has("called") || words.has("name")
	return naming && (words.has("after") || words.has("for") || words.has("from")) ||
		words.has("honour") || words.has("honor") || words.has("honours") || words.has("honors") ||
		words.has("tribute") || words.has("memory") || words.has("commemorate") || words.has("commemorates") ||
		words.has("remember") || words.has("remembers")
}

// namesakeMarker returns how many words, from word i of a sentence, mark
// the namesake that follows ("named after", "in memory of", "honours"),
// or 0. A bare "after" marks one only where the sentence names something
// before it ("named Arthur, after ..."), not a time ("after a storm").
func namesakeMarker(words []string, i int) int {
	at := func(k int, w ...string) bool {
		if k+len(w) > len(words) {
			return false
		}
		for j, x := range w {
			if words[k+j] != x {
				return false
			}
		}
		return true
	}
	for _, m := range namesakeMarkers {
		if at(i, m...) {
			return len(m)
		}
	}
	if at(i, "after") {
		for _, w := range words[:i] {
			if namingWords[w] {
				return 1
			}
		}
	}
	return 0
}

// namingWords give a name: before a bare "after" they make it a
// namesake's marker ("was dubbed Old Nell after Nell Gatenby").
var namingWords = wordSet("named", "called", "names", "naming", "renamed", "nicknamed", "christened", "dubbed")

// maxNamesakeMarker is the most words a namesake's marker has
// (namesakeMarkers).
const maxNamesakeMarker = 4

// namesakeMarkers are the words that put a namesake after them.
var namesakeMarkers = [][]string{
	{"in", "memory", "of"}, {"in", "honour", "of"}, {"in", "honor", "of"}, {"a", "tribute", "to"},
	{"takes", "its", "name", "from"}, {"honours"}, {"honors"}, {"commemorates"}, {"remembers"},
}

// namesakeEnd returns where the namesake that starts at word from ends: a
// name's last capitalised word (caps: see nameAround), else the end of
// the clause (clauseBreak; or "and who", which adds another clause about
// them). A name that owns the namesake ("after Mr Antrobus's
// grandmother") runs to the end of the clause too, and takes the name
// given after it ("Mr Tilley's grandfather, Albert Tilley"), or ends
// with the name right after the owner's kin ("Ezekiel's wife Ethel
// Cattermole").
func namesakeEnd(text string, toks []Span, words []string, caps []evidence, from int) int {
	if caps[from] != 0 {
		_, hi := nameAround(text, toks, caps, from)
		if !possessive(text, toks, words, hi) {
			return toks[hi].End
		}
		// "after Ezekiel's wife Ethel Cattermole and sells for £3.20":
		// the name the owner's kin is given ends it.
		if k, ok := describedName(text, toks, caps, hi+1); ok {
			_, last := nameAround(text, toks, caps, k)
			return toks[last].End
		}
		end := clauseEnd(text, toks, words, hi+1)
		if next := end + 1; next < len(toks) && strings.TrimSpace(text[toks[end].End:toks[next].Start]) == "," && caps[next] != 0 {
			if _, last := nameAround(text, toks, caps, next); last+1 == len(toks) || clauseBreak(text, toks, words, last+1) {
				end = last
			}
		}
		return toks[end].End
	}
	return toks[clauseEnd(text, toks, words, from)].End
}

// describedName reports whether the words up to word hi describe the
// person whose name starts one or two words after it, and where that name
// starts: "after Olympic rower Agatha Mabey", "after Victorian artist
// Eliza Venn" (hi the describer's last word), "after lollipop lady Nancy
// Quarmby" (hi the word before the describer). Nothing but spaces and
// words that are no stop words (the describer's nouns) may stand
// between.
func describedName(text string, toks []Span, caps []evidence, hi int) (int, bool) {
	for k := hi + 1; k <= hi+3 && k < len(toks); k++ {
		if text[toks[k-1].End:toks[k].Start] != " " {
			return 0, false
		}
		if caps[k]&evCap != 0 {
			return k, k > hi+1
		}
		if isStopWord(strings.ToLower(text[toks[k].Start:toks[k].End])) {
			// "after Mary Ellis and John Ellis": a second name, not a
			// describer's.
			return 0, false
		}
	}
	return 0, false
}

// clauseEnd returns the last word of the clause that word from is in
// (clauseBreak; or "and who", which adds another clause about them).
func clauseEnd(text string, toks []Span, words []string, from int) int {
	for j := from + 1; j < len(toks); j++ {
		if clauseBreak(text, toks, words, j) || words[j] == "and" && j+1 < len(words) && words[j+1] == "who" {
			return j - 1
		}
	}
	return len(toks) - 1
}

// possessive reports whether word j is followed by its possessive "'s".
func possessive(text string, toks []Span, words []string, j int) bool {
	if j+1 >= len(toks) || words[j+1] != "s" {
		return false
	}
	gap := text[toks[j].End:toks[j+1].Start]
	return gap == "'" || gap == "\u2019"
}
