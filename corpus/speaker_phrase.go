package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// phraseKind is what a noun phrase names.
type phraseKind uint8

const (
	pNone    phraseKind = iota
	pPronoun            // he, she, they, it
	pName               // a proper name: a person, an organisation, a place
	pNoun               // a common noun phrase: "Iraqi officials", "a spokesman"
)

// phrase is a noun phrase of a sentence, found by parseNP.
type phrase struct {
	kind     phraseKind
	from, to int // the whole phrase, tokens [from, to)
	// sFrom, sTo are the tokens that name the speaker: the name without
	// its title, the noun phrase without its determiner.
	sFrom, sTo int
	// titleFrom, titleTo are a name's title ("Mr", "US President");
	// equal when it has none.
	titleFrom, titleTo int
	// preFrom, preTo are a lower-case role before a name ("foreign
	// minister Hoshyar Zebari"); equal when there is none.
	preFrom, preTo int
	head           string  // a noun phrase's head noun, or the pronoun, lower case
	hd             wordSet // the lists the head noun is in
	definite       bool    // a noun phrase opened by "the"
	// roleFrom, roleTo are a role given in apposition in this sentence
	// ("the US ambassador"); equal when there is none.
	roleFrom, roleTo int
}

// npMode says what parseNP accepts.
type npMode uint8

const (
	// npFull: a speaker phrase, with an optional prepositional tail
	// ("spokesman for the ministry", "ambassador to Iraq").
	npFull npMode = iota
	// npTail: the object of that tail, whose head may be any noun
	// ("witnesses at the scene").
	npTail
)

// parseNP parses the noun phrase that starts at token i and ends before
// limit, and reports false when none starts there. It reads names (with
// titles and particles), pronouns, and common noun phrases whose head is a
// speaker noun; it does not look past a comma.
func parseNP(ts []token, i, limit int, mode npMode) (phrase, bool) {
	if i >= limit || !plainWord(ts[i]) {
		return phrase{}, false
	}
	if ts[i].is(pronouns) {
		return phrase{kind: pPronoun, from: i, to: i + 1, sFrom: i, sTo: i + 1, head: ts[i].lo}, true
	}
	body := i
	for body < limit && body-i < 2 && plainWord(ts[body]) && ts[body].is(determiners) {
		body++
	}
	const (
		endNone = iota
		endName
		endNoun
		endDoc
	)
	end, endKind, head := -1, endNone, -1
	capStart, nameStart := -1, -1
	possessed := false
	for k := body; k < limit && k < body+10; k++ {
		t := ts[k]
		if !plainWord(t) {
			break
		}
		lo := t.lo
		switch {
		case t.possessive():
			// "Iraq's", "Mr Putin's": what came before modifies a head
			// still to come.
			capStart, end, endKind, possessed = -1, -1, endNone, true
			continue
		case nameWord(t) || prefixedName(t):
			if t.is(speakerNouns) && !(k+1 < limit && (nameWord(ts[k+1]) || prefixedName(ts[k+1]))) {
				// "Police said", "the Prime Minister said"
				end, endKind, head, capStart = k+1, endNoun, k, -1
				continue
			}
			if capStart < 0 {
				capStart = k
			}
			end, endKind, nameStart = k+1, endName, capStart
			continue
		case capStart >= 0 && k+1 < limit && (nameWord(ts[k+1]) || prefixedName(ts[k+1])) &&
			(t.is(nameParticles) || lo == "of" && isTitleTok(ts[k-1]) || (lo == "of" || lo == "for") && ts[k-1].is(orgWords)):
			// "Osama bin Laden", "Secretary of State Condoleezza Rice",
			// "Ministry of Defence"
			continue
		case t.is(docNouns):
			end, endKind, head, capStart = k+1, endDoc, k, -1
			continue
		case t.is(speakerNouns) && (t.flags&fGuessed == 0 || t.is(groupNouns) || body > i || possessed ||
			k+1 < limit && nameWord(ts[k+1])):
			// A singular noun guessed from its ending needs a determiner
			// or a name after it: "the dispatcher", "singer Fred Durst",
			// not "liner notes".
			end, endKind, head, capStart = k+1, endNoun, k, -1
			continue
		case mode == npTail && genericWord(t):
			end, endKind, head, capStart = k+1, endNoun, k, -1
			continue
		case endKind == endName && end == k && !t.is(commonModifiers):
			// A name followed by a word that is not an adjective: the
			// name is the phrase ("Smith visited ...").
		case isModifier(t) || endKind == endNone && (possessed || body > i) && genericWord(t):
			// "senior", "Iranian-allied"; after a determiner or a
			// possessive any noun ("the EU's foreign policy chief").
			capStart = -1
			continue
		}
		break
	}
	p := phrase{from: i, to: end, sFrom: body, sTo: end, definite: body > i && ts[i].lo == "the"}
	switch endKind {
	case endName:
		p.kind = pName
		if nameStart > body && !ts[nameStart-1].cap && ts[nameStart-1].is(roleNouns) {
			p.preFrom, p.preTo = body, nameStart
		}
		p.sFrom, p.titleFrom, p.titleTo = nameStart, nameStart, nameStart
		if k := titleEnd(ts, nameStart, end); k > nameStart {
			p.titleTo, p.sFrom = k, k
		}
		if end-nameStart == 1 && isTitleTok(ts[nameStart]) {
			return phrase{}, false // a title alone: "said Sgt."
		}
		if mode == npFull && end+1 < limit && plainWord(ts[end]) && (ts[end].lo == "of" || ts[end].lo == "from" || ts[end].lo == "at") {
			// "Tom Otwell of AARP", "Judge Kim of the Seoul Appellate
			// Court": the person speaks, the tail says where from.
			if q, ok := parseNP(ts, end+1, limit, npFull); ok && (q.kind == pName || q.hd&orgNouns != 0) {
				p.to = q.to
			}
		}
		return p, true
	case endNoun:
		p.kind, p.head, p.hd = pNoun, ts[head].lo, ts[head].lex
		switch {
		case mode != npFull || end >= limit || !plainWord(ts[end]):
		case ts[end].lo == "here" || ts[end].lo == "there":
			p.to = end + 1 // "diplomats here say"
		case ts[end].is(tailPreps):
			q, ok := parseNP(ts, end+1, limit, npTail)
			if !ok || q.kind == pPronoun {
				break
			}
			p.to, p.sTo = q.to, q.to
			if n := q.sTo - q.titleFrom; q.kind == pName && ts[head].cap && n >= 3 {
				// "Minister for Justice Helen McEntee": a title with
				// its tail, then the name (its last two words, unless
				// a title word inside says where it starts).
				split := q.sTo - 2
				if q.titleTo > q.titleFrom && q.sTo-q.sFrom >= 2 {
					split = q.sFrom
				}
				return phrase{kind: pName, from: i, to: q.to, sFrom: split, sTo: q.sTo,
					titleFrom: body, titleTo: split}, true
			}
		}
		return p, true
	case endDoc:
		// "a statement from the ministry": the ministry speaks.
		if mode == npFull && end < limit && plainWord(ts[end]) && (ts[end].lo == "from" || ts[end].lo == "by" || ts[end].lo == "of") {
			if q, ok := parseNP(ts, end+1, limit, npFull); ok && q.kind != pPronoun {
				q.from = i
				return q, true
			}
		}
	}
	return phrase{}, false
}

// titleEnd returns the end of the title that opens the name in tokens [a,
// b): "Mr", "US President", "Secretary of State"; a when there is none.
// The last word is never a title ("John Major", "Carole King"), and the
// names of bodies have none ("General Motors", "Justice Department"), but
// a title may name its body ("Senate Majority Leader Chuck Schumer").
func titleEnd(ts []token, a, b int) int {
	switch ts[b-1].lo {
	case "jr", "jr.", "sr", "sr.":
		return a // "Martin Luther King Jr"
	}
	for k := b - 2; k >= a; k-- {
		if isTitleTok(ts[k]) || k >= a+2 && ts[k-1].lo == "of" && isTitleTok(ts[k-2]) {
			for j := k + 1; j < b; j++ {
				if ts[j].is(orgWords) {
					return a
				}
			}
			return k + 1
		}
	}
	return a
}

// phraseEndingAt finds the longest noun phrase that ends with token e,
// starting after the last punctuation before it.
func phraseEndingAt(ts []token, e int) (phrase, bool) {
	if e < 0 || e >= len(ts) || !plainWord(ts[e]) {
		return phrase{}, false
	}
	s := e
	for s > 0 && e-s < 11 && plainWord(ts[s-1]) {
		s--
	}
	for ; s <= e; s++ {
		if p, ok := parseNP(ts, s, e+1, npFull); ok && p.to == e+1 {
			return withNounModifiers(ts, p), true
		}
	}
	return phrase{}, false
}

// withNounModifiers extends a bare group phrase leftwards over up to two
// lower-case nouns that modify it, when they open the clause: "black gang
// members said", not "Smith met officials, who said".
func withNounModifiers(ts []token, p phrase) phrase {
	if p.kind != pNoun || p.from != p.sFrom || p.hd&groupNouns == 0 {
		return p
	}
	for k := p.from - 1; k >= 0 && k >= p.from-2 && genericWord(ts[k]) && plainWord(ts[k]); k-- {
		if k == 0 || !plainWord(ts[k-1]) || ts[k-1].is(stopWords) && !ts[k-1].is(prepositions) {
			p.from, p.sFrom = k, k
			break
		}
	}
	return p
}

// isRoleSeg reports whether tokens [a, b), a phrase set off by commas next
// to a name, give the person's role: "the US ambassador", "his lawyer",
// "Iraq's foreign minister", "US ambassador to Iraq", "the pilot who flew
// the first test flight" (whose role ends at "who", see roleEnd).
func isRoleSeg(ts []token, a, b int) bool {
	if b-a < 1 || b-a > 24 || !plainWord(ts[a]) {
		return false
	}
	f := ts[a].lo
	if ts[a].is(relatives | interjections) {
		return false
	}
	b = roleEnd(ts, a, b)
	if b-a > 14 {
		return false
	}
	hasRole := false
	for k := a; k < b; k++ {
		t := ts[k]
		switch t.kind {
		case tWord:
			if t.quoted || t.is(verbForms) {
				return false
			}
			if t.is(speakerNouns) {
				hasRole = true
			}
		case tDash, tOther:
		default:
			return false
		}
	}
	if f == "the" || f == "a" || f == "an" || ts[a].is(possessiveDets) || ts[a].possessive() {
		return true
	}
	return hasRole
}

// roleEnd returns where the role in tokens [a, b) ends: before a relative
// clause ("the pilot who flew ..."), or b.
func roleEnd(ts []token, a, b int) int {
	for k := a + 1; k < b; k++ {
		if plainWord(ts[k]) && (ts[k].is(relatives) || ts[k].lo == "that") {
			return k
		}
	}
	return b
}

// roleText returns the role in tokens [a, b) as the sentence has it,
// without a leading "the", "a" or "an".
func roleText(s string, ts []token, a, b int) string {
	if a < b-1 && (ts[a].lo == "the" || ts[a].lo == "a" || ts[a].lo == "an") {
		a++
	}
	return s[ts[a].start:ts[b-1].end]
}

// isInterjection reports whether tokens [a, b), set off by commas, are an
// aside between a subject and its verb: "however", "in a statement", an
// age ("45"), a relative clause.
func isInterjection(ts []token, a, b int) bool {
	if a >= b || ts[a].kind != tWord {
		return false
	}
	f := ts[a].lo
	if ts[a].is(interjections) || f == "aged" {
		return true
	}
	return b-a == 1 && hasDigit(f)
}

// plainWord reports whether t is a word outside quotation marks.
func plainWord(t token) bool { return t.kind == tWord && !t.quoted }

// nameWord reports whether t can be part of a proper name: a capitalised
// word outside quotation marks that is not a function word or a number.
func nameWord(t token) bool { return t.flags&fName != 0 && !t.quoted }

// isName reports whether a capitalised word, as written, can be part of a
// name; tokenize computes it once per word as fName.
func isName(t token) bool {
	if !t.cap || t.flags&(fDigit|fPossessive) != 0 {
		return false
	}
	if t.flags&fAcronym != 0 {
		return true // "US" is not "us"
	}
	if i := strings.IndexAny(t.lo, "'\u2019"); i > 0 && stopWords.has(t.lo[:i]) {
		return false // "I'd", "It's"; not "O'Brien"
	}
	// A capitalised verb form is a name ("the United States", "Edward
	// Said") unless it opens the sentence ("Asked about ...").
	return !t.is(stopWords) && !(t.first && t.is(verbForms))
}

// isAcronym reports whether w is a word in capitals: "US", "NATO", "U.S.".
func isAcronym(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r != '.':
			return false
		}
	}
	return letters >= 2
}

// prefixedName reports whether t is a surname with a lower-case prefix:
// "al-Maliki", not "al-A0000".
func prefixedName(t token) bool {
	if !plainWord(t) || t.cap || t.possessive() || t.flags&fDigit != 0 {
		return false
	}
	for _, p := range namePrefixes {
		if strings.HasPrefix(t.lo, p) && len(t.text) > len(p) {
			r, _ := utf8.DecodeRuneInString(t.text[len(p):])
			return unicode.IsUpper(r)
		}
	}
	return false
}

// isTitleTok reports whether t is a title: "Mr", "Gen.", "President".
func isTitleTok(t token) bool { return t.is(titleWords) }

// isModifier reports whether t, a lower-case word, can stand before the
// head of a speaker phrase: "senior", "foreign", "Iranian-allied",
// "ruling", "police" (in "police spokesman").
func isModifier(t token) bool {
	if t.cap || t.flags&fDigit != 0 || t.is(stopWords|verbForms) {
		return false
	}
	if t.is(commonModifiers|speakerNouns) || strings.Contains(t.lo, "-") {
		return true
	}
	for _, suf := range adjectiveSuffixes {
		if strings.HasSuffix(t.lo, suf) && len(t.lo) > len(suf)+2 {
			return true
		}
	}
	return false
}

// adjectiveSuffixes end the lower-case adjectives that may modify a speaker
// noun ("regional", "military", "leading").
var adjectiveSuffixes = []string{"al", "ian", "ese", "ic", "ive", "ous", "ful", "ary", "ern", "ior", "ing", "ist", "ish"}

// genericWord reports whether t is a lower-case word that may be a noun:
// not a function word, a reporting verb or a number.
func genericWord(t token) bool {
	return !t.cap && !t.is(stopWords|verbForms) && t.flags&fDigit == 0
}

// isPossessive reports whether a word ends in a possessive: "Iraq's",
// "Farmers'".
func isPossessive(lo string) bool {
	return strings.HasSuffix(lo, "'s") || strings.HasSuffix(lo, "\u2019s") ||
		strings.HasSuffix(lo, "s'") || strings.HasSuffix(lo, "s\u2019")
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

// spanText returns the words of tokens [a, b) of the sentence s (or of its
// lower-cased copy) as a speaker name: a slice of s when it can be,
// otherwise the words joined by single spaces with full stops dropped
// ("U.S. officials" gives "US officials").
func spanText(s string, ts []token, a, b int) string {
	if a >= b {
		return ""
	}
	text := s[ts[a].start:ts[b-1].end]
	clean := !strings.Contains(text, ".")
	for k := a + 1; clean && k < b; k++ {
		if ts[k].start != ts[k-1].end+1 || ts[k].kind != tWord {
			clean = false
		}
	}
	if clean && ts[a].kind == tWord {
		return text
	}
	var sb strings.Builder
	for k := a; k < b; k++ {
		if ts[k].kind != tWord {
			continue
		}
		w := strings.ReplaceAll(s[ts[k].start:ts[k].end], ".", "")
		if w == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(w)
	}
	return sb.String()
}
