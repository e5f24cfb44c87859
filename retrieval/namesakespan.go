package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// namesakeSpan finds, for a question that asks whom something is named
// after ("who is the garside garden named after", "who does the langmead
// tower honour", "who is the seat a tribute to"), the words the sentence
// gives after its marker of a namesake: "named after Joseph Lund";
// "named Arthur, after Canon Arthur Dimmock"; "The plot honours Dennis
// Garside, a retired postman"; "in memory of a volunteer who hand-fed
// orphaned hoglets". A name is taken whole; other words run to the end of
// their clause. It reports false for other questions and sentences with
// no such marker.
func namesakeSpan(q rankQuery, text string) (Span, bool) {
	if q.wh != "who" || !asksNamesake(q.qwords) {
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
		return Span{toks[from].Start, namesakeEnd(text, toks, words, caps, from)}, true
	}
	return Span{}, false
}

// asksNamesake reports whether a "who" question's words ask whom a thing
// is named after or honours.
func asksNamesake(words sortedWords) bool {
	naming := words.has("named") || words.has("called") || words.has("name")
	return naming && (words.has("after") || words.has("for")) ||
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
			if w == "named" || w == "called" || w == "names" || w == "naming" || w == "renamed" {
				return 1
			}
		}
	}
	return 0
}

// namesakeMarkers are the words that put a namesake after them.
var namesakeMarkers = [][]string{
	{"in", "memory", "of"}, {"in", "honour", "of"}, {"in", "honor", "of"}, {"a", "tribute", "to"},
	{"takes", "its", "name", "from"}, {"honours"}, {"honors"}, {"commemorates"}, {"remembers"},
}

// namesakeEnd returns where the namesake that starts at word from ends: a
// name's last capitalised word (caps: see nameAround), else the end of
// the clause (clauseBreak; or "and who", which adds another clause about
// them).
func namesakeEnd(text string, toks []Span, words []string, caps []evidence, from int) int {
	if caps[from] != 0 {
		_, hi := nameAround(text, toks, caps, from)
		return toks[hi].End
	}
	for j := from + 1; j < len(toks); j++ {
		if clauseBreak(text, toks, words, j) || words[j] == "and" && j+1 < len(words) && words[j+1] == "who" {
			return toks[j-1].End
		}
	}
	return toks[len(toks)-1].End
}
