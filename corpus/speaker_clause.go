package corpus

import "strings"

// findSpeaker returns the phrase naming the one whose words the sentence
// ts reports, and false when it reports nobody's. head is the subject
// that opens the sentence; headSpeaks says whether it may own a reporting
// verb with no subject of its own ("... but said"). The first reporting
// verb outside quotation marks that has a speaker wins.
func findSpeaker(ts []token, head phrase, headSpeaks bool) (phrase, bool) {
	for v := 0; v < len(ts); v++ {
		t := ts[v]
		if !plainWord(t) {
			continue
		}
		if t.lo == "according" && v+1 < len(ts) && plainWord(ts[v+1]) && ts[v+1].lo == "to" {
			if p, ok := accordingTo(ts, v+2); ok {
				return p, true
			}
			continue
		}
		// A capitalised verb form inside the sentence is a name: "the
		// United States", "Edward Said".
		info, ok := t.verb, t.is(verbForms) && (t.first || !t.cap)
		if !ok {
			if t.lo != "pointed" || v+1 >= len(ts) || ts[v+1].lo != "out" {
				continue
			}
			info = verbInfo{class: speechVerb, form: formPast} // "pointed out"
		}
		p, quoteFirst, ok := subjectOf(ts, v, info, head, headSpeaks)
		if ok && (quoteFirst || complementOK(ts, v, info)) {
			return p, true
		}
	}
	return phrase{}, false
}

// subjectOf finds the subject of the reporting verb at v. quoteFirst
// reports that a quotation comes before the attribution (`"...," he said`),
// so the verb needs nothing after it.
func subjectOf(ts []token, v int, info verbInfo, head phrase, headSpeaks bool) (p phrase, quoteFirst, ok bool) {
	left, neg, passive, inf := verbChain(ts, v)
	if neg || inf || passive && info.form != formIng || left < 0 {
		return phrase{}, false, false
	}
	fromHead := func() (phrase, bool, bool) {
		return head, false, headSpeaks && head.to <= left
	}
	l := ts[left]
	switch l.kind {
	case tWord:
		if l.quoted {
			return phrase{}, false, false
		}
		switch {
		case l.is(relatives):
			// "Mr Smith, who said ...", "the mayor who said ...",
			// "Harold Fenwick, 91, who said ..."
			e := left - 1
			if e >= 0 && ts[e].kind == tComma {
				if a := asideBefore(ts, e); a >= 0 {
					e = a
				}
				e--
			}
			p, ok = phraseEndingAt(ts, e)
			return p, false, ok
		case l.is(coordinators):
			// "He declined to give details ... but said ..."
			return fromHead()
		case l.lo == "as" && info.form == formIng:
			// "quoted officials as saying", "was quoted as saying"
			if p, ok = phraseEndingAt(ts, left-1); ok {
				return p, false, true
			}
			if left >= 1 && (ts[left-1].lo == "quoted" || ts[left-1].lo == "cited") {
				l2, neg2, _, _ := verbChain(ts, left-1)
				if !neg2 {
					p, ok = phraseEndingAt(ts, l2)
					return p, false, ok
				}
			}
			return phrase{}, false, false
		}
		if p, ok = phraseEndingAt(ts, left); ok {
			return p, afterQuote(ts, p), true
		}
		// "A woman who lives nearby said"
		for k := left - 1; k > 0 && left-k < 8 && plainWord(ts[k]); k-- {
			if ts[k].lo == "who" {
				p, ok = phraseEndingAt(ts, k-1)
				return p, false, ok
			}
		}
		return phrase{}, false, false
	case tComma, tCloseParen:
		if p, ok = appositionSubject(ts, left); ok {
			return p, afterQuote(ts, p), true
		}
		if info.form != formIng {
			if p, ok = inverted(ts, v); ok {
				return p, true, true
			}
		}
		if info.form == formIng {
			return fromHead()
		}
	case tCloseQ:
		if info.form != formIng {
			if p, ok = inverted(ts, v); ok {
				return p, true, true
			}
		}
	case tDash, tSemi:
		if info.form == formIng {
			return fromHead()
		}
	}
	return phrase{}, false, false
}

// afterQuote reports whether a quotation closes just before p: `"...," he
// said`, `"...", he said`.
func afterQuote(ts []token, p phrase) bool {
	k := p.from - 1
	if k >= 0 && ts[k].kind == tComma {
		k--
	}
	return k >= 0 && ts[k].kind == tCloseQ
}

// verbChain walks left from the verb at v over auxiliaries, adverbs,
// negation and time phrases ("did not", "has also repeatedly", "on
// Monday") and returns the index of the token before them (-1 at the start
// of the sentence). neg reports negation or refusal ("did not say",
// "declined to say"); passive a form of "be" ("was told"); inf a bare
// infinitive ("is expected to say").
func verbChain(ts []token, v int) (left int, neg, passive, inf bool) {
	k := v - 1
	for ; k >= 0; k-- {
		t := ts[k]
		if !plainWord(t) {
			break
		}
		lo := t.lo
		switch {
		case t.is(negators) || strings.HasSuffix(lo, "n't") || strings.HasSuffix(lo, "n\u2019t"):
			neg = true
		case t.is(beForms):
			passive = true
		case t.is(auxiliaries | chainAdvs | weekdays):
		case lo == "on" && k+1 < v && ts[k+1].is(weekdays):
		case t.is(timeNouns) && k > 0 && ts[k-1].is(timeDets):
			k-- // "last week"
		case lo == "to":
			switch {
			case k > 0 && ts[k-1].is(refusals):
				neg = true
				k--
			case k > 0 && ts[k-1].is(continuations):
				k-- // "went on to say", "continued to insist"
				if k > 0 && ts[k-1].lo == "went" {
					k--
				}
			default:
				return k, neg, passive, true
			}
		case isLyAdverb(t):
		default:
			return k, neg, passive, inf
		}
	}
	return k, neg, passive, inf
}

// isLyAdverb reports whether t is a lower-case adverb in -ly ("flatly",
// "publicly"), not a noun like "family".
func isLyAdverb(t token) bool {
	return !t.cap && len(t.lo) > 4 && strings.HasSuffix(t.lo, "ly") && !t.is(speakerNouns)
}

// complementOK reports whether what follows the reporting verb at v makes
// it report speech (see verbClass).
func complementOK(ts []token, v int, info verbInfo) bool {
	n := v + 1
	switch info.class {
	case speechVerb:
		if n < len(ts) && plainWord(ts[n]) && (ts[n].lo == "nothing" || ts[n].lo == "little") {
			return false // "said nothing about the leak"
		}
		if strings.HasPrefix(ts[v].lo, "add") && n < len(ts) &&
			(hasDigit(ts[n].lo) || ts[n].lo == "to" || ts[n].kind == tOther) {
			return false // "added 3 per cent", "added to the pressure"
		}
		return true
	case clauseVerb:
		return clauseFollows(ts, n, info.toInf, info.objThat)
	case callVerb:
		if n >= len(ts) {
			return false
		}
		if lo := ts[n].lo; plainWord(ts[n]) && (lo == "for" || lo == "on" || lo == "upon" ||
			ts[n].is(callObjects) && n+1 < len(ts) && ts[n+1].kind == tWord) {
			return true
		}
		return quoteWithin(ts, n, 6)
	case describeVerb:
		return clauseFollows(ts, n, false, false) || quoteWithin(ts, n, 8) || wordWithin(ts, n, 8, "as")
	}
	return false
}

// clauseFollows reports whether a clause or a quotation starts at token n:
// "that ...", "whether ...", ": ...", `"..."`; with toInf "to" and a
// verb; with objThat an object and then "that".
func clauseFollows(ts []token, n int, toInf, objThat bool) bool {
	for n < len(ts) && plainWord(ts[n]) && ts[n].is(chainAdvs) {
		n++
	}
	if n >= len(ts) {
		return false
	}
	switch t := ts[n]; t.kind {
	case tColon, tOpenQ:
		return true
	case tComma:
		return n+1 < len(ts) && ts[n+1].kind == tOpenQ
	case tWord:
		if t.quoted {
			return false
		}
		if t.lo == "that" || t.is(whWords) ||
			toInf && t.lo == "to" && n+1 < len(ts) && plainWord(ts[n+1]) && !ts[n+1].cap {
			return true
		}
	}
	// Where, then the clause: "wrote in a blog post that ...", "wrote on
	// Twitter: ...".
	if lo := ts[n].lo; plainWord(ts[n]) && (lo == "in" || lo == "on" || lo == "at" || lo == "during") {
		for j := n + 1; j < len(ts) && j < n+8; j++ {
			switch t := ts[j]; {
			case t.kind == tColon || t.kind == tOpenQ || plainWord(t) && t.lo == "that":
				return true
			case !plainWord(t):
				return false
			}
		}
		return false
	}
	// An object, then the clause: "assured voters that ...".
	for j := n; objThat && j < len(ts) && j < n+5 && plainWord(ts[j]); j++ {
		if ts[j].lo == "that" && j > n {
			return true
		}
		if ts[j].is(stopWords) && !ts[j].is(determiners) && !objectPronoun(ts[j].lo) {
			return false
		}
	}
	return false
}

// objectPronoun reports whether lo is a pronoun that can be the object
// before a clause: "assured them that".
func objectPronoun(lo string) bool {
	return lo == "him" || lo == "her" || lo == "them" || lo == "us" || lo == "me" || lo == "you"
}

// quoteWithin reports whether a quotation opens within k tokens from n,
// before the clause ends.
func quoteWithin(ts []token, n, k int) bool {
	for j := n; j < len(ts) && j < n+k; j++ {
		switch ts[j].kind {
		case tOpenQ:
			return true
		case tStop, tSemi, tColon:
			return false
		}
	}
	return false
}

// wordWithin reports whether the word w comes within k tokens from n,
// before the clause ends.
func wordWithin(ts []token, n, k int, w string) bool {
	for j := n; j < len(ts) && j < n+k; j++ {
		switch ts[j].kind {
		case tWord:
			if !ts[j].quoted && ts[j].lo == w {
				return true
			}
		case tStop, tSemi, tComma:
			return false
		}
	}
	return false
}

// appositionSubject finds the subject before a verb whose left neighbour
// is the comma (or bracket) at c, skipping asides and reading roles:
// "Iraqi officials, however, say"; "The US ambassador to Iraq, Zalmy
// Khalilzad, said"; "Zalmy Khalilzad, the US ambassador, said"; "Mr
// Smith, who chairs the committee, said".
func appositionSubject(ts []token, c int) (phrase, bool) {
	roleFrom, roleTo := 0, 0
	for range 4 {
		if c >= 0 && ts[c].kind == tCloseParen {
			o := c - 1
			for o >= 0 && c-o < 12 && ts[o].kind != tOpenParen {
				o--
			}
			if o < 0 || ts[o].kind != tOpenParen {
				return phrase{}, false
			}
			c = o - 1
			continue
		}
		if c < 0 || ts[c].kind != tComma {
			break
		}
		if r := relativeStart(ts, c); r >= 0 {
			c = r - 1 // the comma before "who"
			// An age or another aside before the clause: "Dilys Carthew,
			// 74, who led the work, said".
			if a := asideBefore(ts, c); a >= 0 {
				c = a
			}
			if c--; c >= 0 && ts[c].kind == tComma {
				continue
			}
			break
		}
		c1 := c - 1
		for c1 >= 0 && c-c1 < 24 && ts[c1].kind != tComma {
			if !plainWord(ts[c1]) && ts[c1].kind != tDash && ts[c1].kind != tOther {
				return phrase{}, false
			}
			c1--
		}
		if c1 < 0 || ts[c1].kind != tComma || c1 == c-1 {
			return phrase{}, false
		}
		a, b := c1+1, c
		if isInterjection(ts, a, b) {
			c = c1 - 1
			continue
		}
		if q, ok := parseNP(ts, a, b, npFull); ok && q.to == b && q.kind == pName {
			if r, ok := phraseEndingAt(ts, c1-1); ok && r.kind == pNoun && r.hd&roleNouns != 0 {
				q.from, q.roleFrom, q.roleTo = r.from, r.from, r.to
			} else {
				q.roleFrom, q.roleTo = roleFrom, roleTo
			}
			return q, true
		}
		if roleTo > roleFrom || !isRoleSeg(ts, a, b) {
			return phrase{}, false
		}
		roleFrom, roleTo = a, roleEnd(ts, a, b)
		c = c1 - 1
	}
	p, ok := phraseEndingAt(ts, c)
	if !ok || !clauseStart(ts, p.from) {
		return phrase{}, false
	}
	if p.from >= 2 && ts[p.from-1].kind == tComma && roleTo == roleFrom {
		// The phrase before the aside is itself set off by commas:
		// "Clariant, the Swiss chemicals maker, with sales of ...,
		// said"; "Sen. Susan Collins, R-Maine, who ..., said";
		// "Iraq's foreign minister, Hoshyar Zebari, who ..., said".
		if q, ok := phraseEndingAt(ts, p.from-2); ok && clauseStart(ts, q.from) {
			switch {
			case q.kind == pName && personLike(q) && (p.kind == pNoun && p.hd&roleNouns != 0 || p.kind == pName && p.sTo-p.from <= 2):
				q.roleFrom, q.roleTo = p.from, p.to
				return q, true
			case q.kind == pNoun && q.hd&roleNouns != 0 && p.kind == pName:
				p.from, p.roleFrom, p.roleTo = q.from, q.from, q.to
				return p, true
			}
		}
	}
	if p.kind == pName {
		p.roleFrom, p.roleTo = roleFrom, roleTo
	}
	return p, true
}

// personLike reports whether a name looks like a person's rather than a
// place's: more than one word, or a title ("Sen. Collins").
func personLike(p phrase) bool {
	return p.sTo-p.sFrom >= 2 || p.titleTo > p.titleFrom
}

// asideBefore returns the index of the comma that opens an aside ending
// at the comma c ("74" in "Dilys Carthew, 74, who ..."; see
// isInterjection), or -1 when there is none.
func asideBefore(ts []token, c int) int {
	for k := c - 1; k >= 0 && c-k <= 4; k-- {
		if ts[k].kind == tComma {
			if isInterjection(ts, k+1, c) {
				return k
			}
			return -1
		}
	}
	return -1
}

// relativeStart returns the index of the "who" (or "which", "whose") that
// opens a relative clause ending at the comma c, as in "The principal, who
// spent her career in Corpus Christi, Texas, added", or -1. The clause may
// hold commas and quotations, not the end of a sentence.
func relativeStart(ts []token, c int) int {
	for k := c - 1; k > 0 && c-k < 40; k-- {
		switch t := ts[k]; {
		case t.kind == tStop || t.kind == tSemi || t.kind == tColon:
			return -1
		case plainWord(t) && t.is(relatives) && ts[k-1].kind == tComma:
			return k
		}
	}
	return -1
}

// clauseStart reports whether a subject may start at token i: at the start
// of the sentence, after punctuation, or after a word that ends a clause or
// joins one ("and", "but", "that", "when"), not after a preposition or a
// word that could be a verb ("in West Africa, in 1960, saying").
func clauseStart(ts []token, i int) bool {
	if i <= 0 || !plainWord(ts[i-1]) {
		return true
	}
	t := ts[i-1]
	if t.is(prepositions) {
		return false
	}
	return t.is(stopWords|timeNouns) || t.cap
}

// inverted finds the subject after the reporting verb at v: `"...," said
// Mr Smith`, `..., said a spokesman for the ministry.` The phrase must end
// the clause.
func inverted(ts []token, v int) (phrase, bool) {
	if !ts[v].is(inverting) {
		return phrase{}, false // `..., announced the plan`: an object, not a subject
	}
	p, ok := parseNP(ts, v+1, len(ts), npFull)
	if !ok {
		return phrase{}, false
	}
	if p.to < len(ts) {
		if t := ts[p.to]; plainWord(t) && !t.is(stopWords) {
			return phrase{}, false
		}
	}
	return trailingApposition(ts, p), true
}

// accordingTo reads the source after "according to" at i.
func accordingTo(ts []token, i int) (phrase, bool) {
	if i < len(ts) && plainWord(ts[i]) {
		if g, ok := objectPronouns[ts[i].lo]; ok {
			return phrase{kind: pPronoun, from: i, to: i + 1, sFrom: i, sTo: i + 1, head: g}, true
		}
	}
	p, ok := parseNP(ts, i, len(ts), npFull)
	if !ok || p.kind == pPronoun {
		return phrase{}, false
	}
	return trailingApposition(ts, p), true
}

// trailingApposition reads a role or a name set off after p up to the next
// comma or the end of the sentence: "said Mr Smith, the ambassador." p is
// a source (after "according to", or the subject of an inverted "said"),
// so any description before a name set off after it is the name's role,
// not only the role nouns a subject needs: "according to the operator,
// SSE" is SSE's word.
func trailingApposition(ts []token, p phrase) phrase {
	end := p.to
	if end >= len(ts) || ts[end].kind != tComma {
		return p
	}
	b := end + 1
	for b < len(ts) && (plainWord(ts[b]) || ts[b].kind == tDash || ts[b].kind == tOther) {
		b++
	}
	if b < len(ts) && ts[b].kind != tComma && ts[b].kind != tStop {
		return p
	}
	switch {
	case p.kind == pName && isRoleSeg(ts, end+1, b):
		p.roleFrom, p.roleTo = end+1, roleEnd(ts, end+1, b)
	case p.kind == pNoun:
		if q, ok := parseNP(ts, end+1, b, npFull); ok && q.to == b && q.kind == pName {
			q.from, q.roleFrom, q.roleTo = p.from, p.from, p.to
			return q
		}
	}
	return p
}

// headPhrase returns the subject that opens a sentence, after a leading
// conjunction or adverb ("But", "However,") or an opening phrase ("In
// September,", "Speaking in Baghdad,"), with its appositions; false when
// the sentence does not open with a subject followed by a verb.
func headPhrase(ts []token) (phrase, bool) {
	if len(ts) == 0 || !plainWord(ts[0]) {
		return phrase{}, false
	}
	i := 0
	if ts[0].is(coordinators|chainAdvs) || ts[0].lo == "meanwhile" {
		i = 1
		if i < len(ts) && ts[i].kind == tComma {
			i++
		}
	}
	if i < len(ts) && plainWord(ts[i]) && (ts[i].is(interjections) || ts[i].is(verbForms)) {
		c := nextComma(ts, i+1)
		if c < 0 {
			return phrase{}, false
		}
		i = c + 1
	}
	p, ok := parseNP(ts, i, len(ts), npFull)
	if !ok {
		return phrase{}, false
	}
	p, end := withApposition(ts, p)
	if end >= len(ts) || !plainWord(ts[end]) || ts[end].cap {
		return phrase{}, false
	}
	if t := ts[end]; t.is(stopWords) && !t.is(auxiliaries|negators|chainAdvs) && t.lo != "and" {
		return phrase{}, false // "and": "Mrs Clinton and her husband arrived"
	}
	return p, true
}

// withApposition reads the phrases set off by commas after the subject p:
// a name after a role, a role after a name, an aside. It returns p with
// what they tell and the index of the token after them.
func withApposition(ts []token, p phrase) (phrase, int) {
	end := p.to
	for range 3 {
		if end >= len(ts) || ts[end].kind != tComma {
			break
		}
		c2 := nextComma(ts, end+1)
		if c2 < 0 {
			break
		}
		a, b := end+1, c2
		switch {
		case isInterjection(ts, a, b):
		case p.kind == pNoun && p.hd&roleNouns != 0:
			q, ok := parseNP(ts, a, b, npFull)
			if !ok || q.to != b || q.kind != pName {
				return p, end
			}
			q.from, q.roleFrom, q.roleTo = p.from, p.from, p.to
			p = q
		case p.kind == pName && p.roleTo == p.roleFrom && isRoleSeg(ts, a, b):
			p.roleFrom, p.roleTo = a, roleEnd(ts, a, b)
		default:
			return p, end
		}
		end = c2 + 1
	}
	return p, end
}

// nextComma returns the index of the first comma from i within a short
// phrase of words, or -1 when another mark or the end comes first.
func nextComma(ts []token, i int) int {
	for j := i; j < len(ts) && j-i < 24; j++ {
		switch {
		case ts[j].kind == tComma:
			return j
		case !plainWord(ts[j]) && ts[j].kind != tDash && ts[j].kind != tOther:
			return -1
		}
	}
	return -1
}
