package retrieval

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// answerSpan finds the words of text that fill the slot q asks for: the
// run of words of the wanted kind (a date, a number, a name, a place)
// closest to the words text shares with the question, or for "why" the
// clause that gives the reason. It reports false when the question asks
// for no slot or the sentence shows none. The span is a byte range of
// text, so the quote itself is never changed.
func answerSpan(an *Analyzer, q rankQuery, text string) (Span, bool) {
	sq := askedSlot(q)
	// What someone does is a description, not a slot: roleSpan's.
	if an.lex == nil || sq.want == 0 && sq.q.focus == "" || q.asksOccupation() {
		return Span{}, false
	}
	sc := spanPool.Get().(*spanScratch)
	defer sc.release()
	if !sc.read(an, sq.q, text) {
		return Span{}, false
	}
	if sq.org {
		if lo, hi, ok := sc.orgName(an, sq.q); ok {
			return Span{sc.toks[lo].Start, sc.toks[hi].End}, true
		}
	}
	best, m := sc.best(an, sq)
	if best < 0 {
		return Span{}, false
	}
	lo, hi := sc.extent(sq, best, m)
	if sq.q.atype == AnswerPerson && !sq.place {
		lo = sc.nameStart(an.lex, lo, hi)
	}
	start, end := sc.toks[lo].Start, sc.toks[hi].End
	// A currency sign before a number belongs to it, a percent sign
	// after it.
	if r, size := utf8.DecodeLastRuneInString(text[:start]); size > 0 && unicode.Is(unicode.Sc, r) {
		start -= size
	}
	if strings.HasPrefix(text[end:], "%") && end > start && unicode.IsDigit(rune(text[end-1])) {
		end++
	}
	return Span{start, end}, true
}

// slotAsked is what a question asks its answer words for.
type slotAsked struct {
	q    rankQuery // the question, its type and measure as the words read them
	want evidence  // the evidence of a word of the wanted kind
	// when: a time, not a length of time; money: a sum; place: a street's
	// or a building's name may answer ("where", "which road"); clock: a
	// time of day ("what time"); org: an organisation's name ("which
	// organisation", "which court").
	when, money, place, clock, org bool
}

// askedSlot reads what q asks the answer words for. "How soon" asks for a
// time, as "when" does; "what did the roof cost?" for a sum of money.
func askedSlot(q rankQuery) slotAsked {
	sq := slotAsked{when: q.wh == "when"}
	switch {
	case q.atype == AnswerNumber && timeHows[q.how]:
		q.atype, sq.when = AnswerTime, true
	case q.atype != AnswerNumber && q.asksMoney() && !asksWhatPaid(q.words):
		// "How much" stays a number question of no measure.
		q.atype, q.measure, sq.money = AnswerNumber, measureNone, true
	case q.atype == AnswerNumber && q.how == "much" && q.measure == measureNone && asksMoney(q.words):
		// "How much did the talks cost" asks for a sum and nothing
		// else; a bare "how much" takes one where there is one (best).
		sq.money = true
	}
	sq.q, sq.want = q, wants[q.atype]
	sq.place = q.atype == AnswerPlace || siteHeads[q.focus]
	if q.asksClock() {
		sq.clock, sq.want = true, evTime
	}
	sq.org = q.atype == AnswerOrganization || orgHeads[q.focus]
	return sq
}

// read cuts text into words and reads, for question q, each word's
// evidence, its stem, whether it is one the sentence shares with the
// question (an anchor), one the question names, and one that marks a name
// as the question's subject. It reports false when text has no words.
func (sc *spanScratch) read(an *Analyzer, q rankQuery, text string) bool {
	sc.text = text
	// The words are cut here, not by an analyzer: the analyzers' char
	// filters ("US" to "usa") move their offsets off the text's bytes.
	sc.toks = appendWordSpans(sc.toks[:0], text)
	n := len(sc.toks)
	if n == 0 {
		return false
	}
	raw, words, ev := sc.raw[:0], sc.words[:0], sc.ev[:0]
	for _, t := range sc.toks {
		raw = append(raw, text[t.Start:t.End])
		words = append(words, foldWord(strings.ToLower(raw[len(raw)-1])))
	}
	for i := range sc.toks {
		var prev, next string
		if i > 0 {
			prev = words[i-1]
		}
		if i+1 < n {
			next = words[i+1]
		}
		ev = append(ev, an.lex.wordEvidence(raw[i], words[i], prev, next, i == 0))
	}
	sc.raw, sc.words, sc.ev = raw, words, ev
	// The words the sentence shares with the question, by term or bridge.
	match, aliases := sc.match, sc.aliases
	// A stem keeps its word's first letters: a word whose first three
	// match no term's is not stemmed at all.
	heads := sc.heads
	head := func(w string) string { return w[:min(3, len(w))] }
	for i, t := range q.terms {
		match[t], heads[head(t)] = true, true
		if q.bridges != nil {
			for _, b := range q.bridges[i] {
				match[b.term], heads[head(b.term)] = true, true
				if b.kind == bridgeAlias {
					aliases[b.term] = true
				}
			}
		}
	}
	anchors, named, subject, stems := sc.anchors[:0], sc.named[:0], sc.subject[:0], sc.stems[:0]
	for i, w := range words {
		// Porter's stem of the folded word, as the text field makes
		// it, without running the whole analyzer word by word; "" for
		// one that can match no term.
		var stem string
		switch {
		case raw[i] == "US" || raw[i] == "USA":
			stem = "usa" // as the text's analysis has it (usPattern)
		case heads[head(w)]:
			stem = string(sc.stem.stemString(w))
		}
		stems = append(stems, stem)
		asked := q.qwords.has(w)
		if asked && !unanchoring[w] || !asked && match[stem] {
			anchors = append(anchors, i)
		}
		// A word the question names, as it is or by another name of
		// the same place ("US" for "American"), is no answer to it; a
		// capital ("Baghdad" for "Iraq") may be, and so may a word of
		// the same stem: "Fenmoor University" answers "which
		// universities".
		named = append(named, asked || aliases[stem])
		// A name holding one of the question's common words, or a word
		// it names (named), names what it asks about (subjectsName); one
		// holding a name of the question's in another form may not:
		// "Josiah Pargeter" answers "who founded pargeters".
		subject = append(subject, asked || aliases[stem] || stem != "" && slices.Contains(q.terms, stem) && an.lex.commonWord(w))
	}
	sc.anchors, sc.named, sc.subject, sc.stems = anchors, named, subject, stems
	sc.d = doc{words: words, ev: ev, terms: stems, tpos: sc.positions(n)}
	return true
}

// orgName returns the first and last word of the organisation's name
// nearest to the words the sentence shares with question q: a run of
// capitalised words that ends in a word that names a body ("Canal
// Heritage Trust", "Hesketh Land Ltd") or the question's focus ("Carlsby
// Crown Court" for "which court"), not one the question names whole; one
// without the question's names first ("Canal Heritage Trust" before
// "Tillingmere Boat Club" for "which organisation paid at tillingmere"),
// then the nearest. A sentence's first word starts a name only when it
// is no common word ("Developer Hesketh Land Ltd" gives "Hesketh Land
// Ltd").
func (sc *spanScratch) orgName(an *Analyzer, q rankQuery) (lo, hi int, ok bool) {
	lo, hi = -1, -1
	var bestSubject bool
	bestDist := 0
	for j := 0; j < len(sc.words); j++ {
		if sc.ev[j]&evCap == 0 {
			continue
		}
		a, b := nameAround(sc.text, sc.toks, sc.ev, j)
		j = b // the next run starts after this one
		if a == 0 && a < b && an.lex.commonWord(sc.words[0]) {
			a++
		}
		head := sc.words[b]
		isFocus := q.focus != "" && head == q.focus
		if !orgHeads[head] && !isFocus || !slices.Contains(sc.named[a:b+1], false) {
			continue
		}
		// The question's focus as the last word ("Court" for "which
		// court") does not make the name the question's own.
		last := b + 1
		if isFocus {
			last = b
		}
		subject := slices.Contains(sc.subject[a:last], true)
		dist := len(sc.words)
		for _, k := range sc.anchors {
			if k < a || k > b {
				dist = min(dist, abs(k-a), abs(k-b))
			}
		}
		if lo < 0 || !subject && bestSubject || subject == bestSubject && dist < bestDist {
			lo, hi, bestSubject, bestDist = a, b, subject, dist
		}
	}
	return lo, hi, lo >= 0
}

// asksOccupation reports whether q asks what someone does for a living:
// "what did Dorcas Whitlow do for a living", "what job did he have",
// "what was her profession", "what does Harriet Quaile do".
func (q rankQuery) asksOccupation() bool {
	if q.wh != "what" || q.atype != AnswerDescription && q.atype != AnswerAny {
		return false
	}
	for i, w := range q.words {
		switch {
		case occupationWords[w]:
			return true
		case w == "work" && i > 0 && q.words[i-1] == "for":
			return true
		}
	}
	// "What does Harriet Quaile do": q.words leave out the question word.
	n := len(q.words)
	return n >= 3 && q.words[n-1] == "do" && (q.words[0] == "does" || q.words[0] == "did")
}

// occupationWords ask what someone does for a living.
var occupationWords = wordSet("job", "occupation", "profession", "career", "living", "trade")

// orgHeads are the words that end an organisation's name: "Trust",
// "Ltd", "Club", "Council".
var orgHeads = wordSet("trust", "trustees", "foundation", "fund", "club", "ltd", "limited", "plc", "inc", "llc",
	"corporation", "corp", "company", "co", "council", "society", "association", "charity", "group", "partnership",
	"partners", "associates", "cooperative", "team", "clinic", "surgery", "practice", "court",
	"mart", "bank", "college", "university", "school", "academy", "institute", "hospital", "hospice", "union",
	"federation", "league", "board", "authority", "agency", "service", "commission", "committee", "department",
	"ministry", "police", "constabulary", "brigade", "coaches", "architects", "builders", "industries",
	"enterprises", "network", "alliance", "brewery", "firm", "organisation", "organization")

// placeRun reports whether word j begins a name that ends in a word
// naming a street or a building ("Whitmoor Road", "the Corn Exchange"),
// none of whose other words the question names.
func (sc *spanScratch) placeRun(j int) bool {
	lo, hi := nameAround(sc.text, sc.toks, sc.ev, j)
	if lo != j || hi == lo || !siteHeads[sc.words[hi]] {
		return false
	}
	return !slices.Contains(sc.subject[lo:hi], true)
}

// fits reports whether word j of the sentence read may answer sq.
func (sc *spanScratch) fits(an *Analyzer, sq slotAsked, j int) bool {
	q, ev, words, text, toks := sq.q, sc.ev, sc.words, sc.text, sc.toks
	if sc.named[j] {
		return false
	}
	if sq.clock {
		return clockTime(words, j)
	}
	if sq.place && ev[j]&evCap != 0 && sc.placeRun(j) {
		return true
	}
	if sq.want != 0 && ev[j]&sq.want != 0 {
		switch q.atype {
		case AnswerNumber:
			return numberAnswers(q, sc.d, j) && (!sq.money || sumOfMoney(text, toks, words, j)) &&
				(q.measure == measureAge || !sc.personsAge(j))
		case AnswerPerson:
			// An acronym ("LED", "NHS") is no one's name.
			return ev[j]&evAcronym == 0 && sc.personName(an.lex, j)
		case AnswerPlace:
			return !subjectsName(text, toks, ev, sc.subject, j)
		case AnswerTime:
			// "When" asks for a time; "what period" may ask for a
			// length of it; "what year" for a year.
			return (!sq.when || pointInTime(words, j)) && q.grain.holds(words[j])
		}
		return true
	}
	if q.focus != "" && !isStopWord(words[j]) {
		if ks, ok := lookup(an.lex.kinds, words[j]); ok && slices.Contains(ks, q.focus) {
			return true
		}
	}
	return false
}

// nearest returns the word that fits nearest to the words the sentence
// shares with the question, or -1.
func (sc *spanScratch) nearest(fits func(j int) bool) int {
	n := len(sc.words)
	best, bestDist := -1, n+1
	for j := range n {
		if !fits(j) {
			continue
		}
		dist := n
		for _, a := range sc.anchors {
			dist = min(dist, abs(a-j))
		}
		if len(sc.anchors) == 0 {
			dist = 0
		}
		if dist < bestDist {
			best, bestDist = j, dist
		}
	}
	return best
}

// best returns the word the answer words start from (-1 for none) and
// the measure its number is of.
func (sc *spanScratch) best(an *Analyzer, sq slotAsked) (int, measure) {
	q, fits := sq.q, func(j int) bool { return sc.fits(an, sq, j) }
	// preferred is the nearest word that fits and keep keeps: the
	// likelier answer of a question that may ask for more than one kind
	// of thing, where the sentence gives it.
	preferred := func(keep func(j int) bool) int {
		return sc.nearest(func(j int) bool { return fits(j) && keep(j) })
	}
	if q.asksDistance() {
		// "How far" asks as often how far behind or over as how far
		// away, so the ranking reads no measure from it; a distance,
		// where the sentence gives one, is the likelier answer.
		distance := rankQuery{measure: measureLength}
		if b := preferred(func(j int) bool { return numberAnswers(distance, sc.d, j) && !sc.modifier(j) }); b >= 0 {
			return b, measureLength
		}
	}
	if q.atype == AnswerNumber && q.how == "much" && q.measure == measureNone {
		// A bare "how much" asks for a sum as often as not ("how much
		// did the campaigners collect"); a sum, where the sentence
		// gives one, is the likelier answer.
		if b := preferred(func(j int) bool { return sumOfMoney(sc.text, sc.toks, sc.words, j) }); b >= 0 {
			return b, q.measure
		}
	}
	if sq.when && q.qwords.has("will") {
		// "When will the store shut": a time the sentence puts after
		// "since" is when something began ("has stood since 1913"), not
		// when it will happen.
		if b := preferred(func(j int) bool { return !sc.sinceLed(j) }); b >= 0 {
			return b, q.measure
		}
	}
	if q.grain == grainYear {
		// "What year did the cinema shut": "The 1936 building closed in
		// 2001" gives the year the sentence puts after a preposition,
		// not the one that describes the building.
		if b := preferred(sc.timeLed); b >= 0 {
			return b, q.measure
		}
	}
	if q.measure == measureDuration {
		// "How long" asks how long a time as often as how long a
		// thing. A length the sentence says is long ("31 metres
		// long") answers it first; where the sentence gives a time and
		// another length ("spent 14 months on scaffolding 18 metres
		// above the stalls"), the time.
		unitThen := func(units map[string]bool, after string) func(j int) bool {
			return func(j int) bool {
				return j+1 < len(sc.words) && units[sc.words[j+1]] &&
					(after == "" || j+2 < len(sc.words) && sc.words[j+2] == after)
			}
		}
		if b := preferred(unitThen(lengthUnits, "long")); b >= 0 {
			return b, q.measure
		}
		if b := preferred(unitThen(timeUnits, "")); b >= 0 {
			return b, q.measure
		}
	}
	if b := sc.nearest(fits); b >= 0 || q.atype != AnswerNumber || q.measure != measureCount {
		return b, q.measure
	}
	// A count of the thing asked for in other words ("600 people" for
	// "how many residents"): any count, not a number of another measure
	// ("for 148 years") nor one that describes a thing ("a four-storey
	// building").
	return sc.nearest(func(j int) bool {
		return !sc.named[j] && sc.ev[j]&evNumber != 0 && numberAnswers(rankQuery{}, sc.d, j) &&
			!sc.modifier(j) && !sc.measureOfOther(j) && !sc.personsAge(j)
	}), q.measure
}

// personsAge reports whether the number that is word j is a person's age
// as news gives it, between commas after the name ("Beekeeper Jemima
// Gillibrand, 38, who keeps 12 hives"): it answers "how old", not "how
// many" nor "how much".
func (sc *spanScratch) personsAge(j int) bool {
	if j == 0 || sc.ev[j-1]&evCap == 0 || !isAge(sc.words[j]) {
		return false
	}
	if sc.text[sc.toks[j-1].End:sc.toks[j].Start] != ", " {
		return false
	}
	return j+1 == len(sc.toks) || strings.HasPrefix(sc.text[sc.toks[j].End:], ",")
}

// sinceLed reports whether the time that word j stands in follows
// "since" ("since 1913", "since the spring of 2011").
func (sc *spanScratch) sinceLed(j int) bool { return sc.timeLeader(j) == "since" }

// timeLed reports whether the time that word j stands in follows a
// preposition ("in 2001", "on 4 October 1983", "since the spring of
// 2011"), rather than describing the noun after it ("the 1936
// building").
func (sc *spanScratch) timeLed(j int) bool { return timePrepositions[sc.timeLeader(j)] }

// timeLeader returns the word before the time that word j stands in (its
// other words, "the" and "of" passed over), or "" at the sentence's start.
func (sc *spanScratch) timeLeader(j int) string {
	k := j - 1
	for k >= 0 && (sc.ev[k]&(evTime|evNumber) != 0 || sc.words[k] == "the" || sc.words[k] == "of") {
		k--
	}
	if k < 0 {
		return ""
	}
	return sc.words[k]
}

// timePrepositions put a point in time after them.
var timePrepositions = wordSet("in", "on", "since", "until", "till", "by", "during", "from", "before", "after", "at")

// describer reports whether word j, alone in its name (lo to hi), is one
// capitalised common word
// ("Victorian", "Olympic") that describes the person named one or two
// words of content after it: "the Victorian artist Eliza Venn",
// "Olympic rower Agatha Mabey". A word between that may be a verb (a
// past form, or one in -s) makes it a name of its own ("Smith thanked
// Jones", "Smith says Jones").
func (sc *spanScratch) describer(lx *lexicon, j, lo, hi int) bool {
	if lo != hi || !lx.commonWord(sc.words[j]) {
		return false
	}
	next, ok := describedName(sc.text, sc.toks, sc.ev, hi)
	if !ok {
		return false
	}
	for k := hi + 1; k < next; k++ {
		if lx.pastTense(sc.words[k]) || !lx.commonWord(sc.words[k]) || strings.HasSuffix(sc.words[k], "s") {
			return false
		}
	}
	return true
}

// modifier reports whether the number that is word j is joined to the
// word after it by a hyphen: it describes a thing ("the 25-metre pool",
// "a four-storey building") rather than counting or measuring it.
func (sc *spanScratch) modifier(j int) bool {
	return j+1 < len(sc.words) && sc.text[sc.toks[j].End:sc.toks[j+1].Start] == "-"
}

// measureOfOther reports whether the number that is word j has a unit of
// time, length, weight or money after it, or a currency sign before it:
// a measure, no count of things.
func (sc *spanScratch) measureOfOther(j int) bool {
	if j+1 < len(sc.words) {
		if w := sc.words[j+1]; timeUnits[w] || lengthUnits[w] || weightUnits[w] || currencies[w] {
			return true
		}
	}
	return sumOfMoney(sc.text, sc.toks, sc.words, j)
}

// extent returns the first and last word of the answer words that start
// from word best, a number of measure m where sq asks for a number.
func (sc *spanScratch) extent(sq slotAsked, best int, m measure) (lo, hi int) {
	q, text, toks, words, ev := sq.q, sc.text, sc.toks, sc.words, sc.ev
	n := len(words)
	lo, hi = best, best
	switch {
	case sq.clock:
		// "2.15am" is read as "2" and "15am"; "4 pm" as two words.
		if best > 0 && isDigits(words[best-1]) {
			if gap := text[toks[best-1].End:toks[best].Start]; gap == "." || gap == ":" {
				lo--
			}
		}
		if hi+1 < n && (words[hi+1] == "am" || words[hi+1] == "pm") && isDigits(words[hi]) {
			hi++
		}
		lo -= sc.approximatorBefore(lo)
	case sq.place && sc.placeRun(best):
		_, hi = nameAround(text, toks, ev, best)
	case q.atype == AnswerReason:
		// The reason runs from its word to the end of its clause.
		hi = n - 1
		for j := best + 1; j < n; j++ {
			if clauseBreak(text, toks, words, j) {
				hi = j - 1
				break
			}
		}
	default:
		same := func(j int) bool { return runOf(q.atype, ev[j], words[j]) && !q.qwords.has(words[j]) }
		// A modifier of a time stands before a time word: "next month",
		// "March this year"; the question may use it of something else
		// ("how soon is the next meeting?": "next month").
		modifier := func(j int) bool {
			return q.atype == AnswerTime && timeModifiers[words[j]] && j+1 < n && ev[j+1]&evTime != 0
		}
		joined := func(a, b int) bool { return sc.joined(q.atype, a, b) }
		for lo > 0 && (same(lo-1) || modifier(lo-1)) && joined(lo-1, lo) {
			lo--
		}
		for hi+1 < n && (same(hi+1) || modifier(hi+1)) && joined(hi, hi+1) {
			hi++
		}
		switch q.atype {
		case AnswerNumber:
			hi += unitWords(m, text, toks, words, hi)
			hi += percentAfter(text, toks, words, hi)
			lo -= wholeBefore(words, lo)
			lo -= sc.approximatorBefore(lo)
		case AnswerTime:
			if hi+1 < n && timeUnits[words[hi]] && relativeTimes[words[hi+1]] && joined(hi, hi+1) {
				hi++ // "four years ago"
			}
			lo, hi = q.grainOf(words, lo, hi)
		}
	}
	return lo, hi
}

// grainOf narrows the time at words lo to hi to the grain q asks for,
// when the time holds it: the year of "4 October 1983" for "what year",
// its month for "which month". Any other question keeps the time whole.
func (q rankQuery) grainOf(words []string, lo, hi int) (int, int) {
	if q.grain != grainYear && q.grain != grainMonth {
		return lo, hi
	}
	for j := lo; j <= hi; j++ {
		if q.grain.holds(words[j]) {
			return j, j
		}
	}
	return lo, hi
}

// joined reports whether words a and b (b after a) of the sentence read
// belong to one answer of type t: nothing or a hyphen between them, or
// the comma or point inside a number or a date.
func (sc *spanScratch) joined(t AnswerType, a, b int) bool {
	text, toks, words := sc.text, sc.toks, sc.words
	gap := strings.TrimSpace(text[toks[a].End:toks[b].Start])
	switch {
	case gap == "" || gap == "-":
		return true
	case gap == ",":
		// The comma of "March 10, 2007" or "Tuesday, March 4" keeps a
		// date whole, as do those of "2,300"; not the one of "Wednesday
		// morning, nine days after".
		dateGoesOn := isDigits(words[b]) || months[words[b]] || weekdays[words[b]]
		return t == AnswerTime && dateGoesOn || isDigits(words[a]) && isDigits(words[b]) && toks[b].Start == toks[a].End+1
	case gap == ".":
		return isDigits(words[a]) && isDigits(words[b]) && toks[b].Start == toks[a].End+1 // 1.1
	}
	return false
}

// clauseBreak reports whether a clause ends between words j-1 and j of
// a text cut at toks: a comma, a stop, a bracket or a dash between them,
// but not the comma or point inside a number ("£90,000", "1.6").
func clauseBreak(text string, toks []Span, words []string, j int) bool {
	gap := text[toks[j-1].End:toks[j].Start]
	inNumber := (gap == "," || gap == ".") && isDigits(words[j-1]) && isDigits(words[j])
	return strings.ContainsAny(gap, ",;:.!?()\u2014") && !inNumber
}

// unanchoring are function words that stand in every part of a sentence
// and mark no slot: the articles, the auxiliaries, the pronouns and the
// conjunctions. A question that shares one of them with a sentence says
// nothing of where in it the answer is; a preposition it shares ("by" in
// "win by", "from" in "start from") may.
var unanchoring = map[string]bool{
	"the": true, "a": true, "an": true, "is": true, "are": true, "was": true, "were": true,
	"be": true, "been": true, "do": true, "does": true, "did": true, "has": true, "have": true,
	"had": true, "and": true, "or": true, "it": true, "he": true, "she": true, "they": true,
	"his": true, "her": true, "its": true, "their": true, "this": true, "that": true,
}

// runOf reports whether a word with evidence e continues an answer of
// type t: the other words of a date, a number or a name.
func runOf(t AnswerType, e evidence, lower string) bool {
	switch t {
	case AnswerTime:
		return e&(evTime|evNumber) != 0
	case AnswerNumber:
		return e&evNumber != 0
	case AnswerReason:
		return false
	default:
		return e&evCap != 0 && !notNames[lower]
	}
}

// timeModifiers place a time relative to another: "next month", "last
// week", "early on Tuesday". They belong to the time they stand beside.
var timeModifiers = map[string]bool{
	"next": true, "last": true, "this": true, "early": true, "late": true, "mid": true,
	"earlier": true, "later": true, "every": true, "each": true, "past": true, "coming": true,
}

// appendWordSpans appends to dst where each word of text (a run of
// letters and digits) stands.
func appendWordSpans(dst []Span, text string) []Span {
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			dst = append(dst, Span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, Span{start, len(text)})
	}
	return dst
}

// spanScratch is answerSpan's working memory, kept from quote to quote
// in spanPool: a sentence's words, their stems and evidence, and the
// question's terms, their first letters and aliases. Nothing of it outlives the call that
// took it.
type spanScratch struct {
	text              string
	toks              []Span
	raw, words, stems []string
	ev                []evidence
	match, aliases    map[string]bool
	heads             map[string]bool
	named, subject    []bool
	anchors, pos      []int
	stem              stemmer
	d                 doc // the words, evidence and stems, for measures
}

// positions returns 0 to n-1: the word position of each of n terms that
// are the words themselves.
func (sc *spanScratch) positions(n int) []int {
	for len(sc.pos) < n {
		sc.pos = append(sc.pos, len(sc.pos))
	}
	return sc.pos[:n]
}

var spanPool = sync.Pool{New: func() any {
	return &spanScratch{match: map[string]bool{}, aliases: map[string]bool{}, heads: map[string]bool{}}
}}

// release clears what points elsewhere and puts sc back in the pool.
func (sc *spanScratch) release() {
	sc.text, sc.d = "", doc{}
	clear(sc.raw)
	clear(sc.words)
	clear(sc.stems)
	clear(sc.match)
	clear(sc.aliases)
	clear(sc.heads)
	spanPool.Put(sc)
}

// numberAnswers reports whether the number that is word j of d answers
// the number question q: a number of the measure it asks for (see
// rankQuery.fits), and not a year or a date, which count nothing (an
// age may be counted from one: "built in 1890").
func numberAnswers(q rankQuery, d doc, j int) bool {
	switch w := d.words[j]; {
	case w[0] > '9' && !numberWords[w]:
		// A name with a digit in it: "G8", "M6".
		return false
	case q.measure == measureAge:
		return q.fits(d, j)
	case j+2 < len(d.words) && yearWords[d.words[j+1]] && d.words[j+2] == "old":
		// "her four-year-old son": an age, which answers none but "how old".
		return false
	case d.ev[j]&evTime != 0:
		// A year answers "how long" after "since": "since 1955".
		return q.measure == measureDuration && j > 0 && d.words[j-1] == "since"
	}
	return q.measure == measureNone || q.fits(d, j)
}

// nameAround returns the first and the last word of the name that word j
// of a sentence stands in: the run of capitalised words around it with a
// space or a hyphen between them. toks are the words' places in text.
func nameAround(text string, toks []Span, ev []evidence, j int) (lo, hi int) {
	tight := func(a, b int) bool {
		gap := text[toks[a].End:toks[b].Start]
		return gap == " " || gap == "-"
	}
	lo, hi = j, j
	for lo > 0 && ev[lo-1]&evCap != 0 && tight(lo-1, lo) {
		lo--
	}
	for hi+1 < len(toks) && ev[hi+1]&evCap != 0 && tight(hi, hi+1) {
		hi++
	}
	return lo, hi
}

// placesName reports whether the name of words lo to hi ends in a word
// naming a street, a square or a station ("Polwenna Road"), or is an
// address ("of Tanners Lane"): a place's name, though capitalised as a
// person's is.
func (sc *spanScratch) placesName(lo, hi int) bool {
	if placeHeads[sc.words[hi]] {
		return true
	}
	// "Desmond Tunnicliffe, 58, of Tanners Lane", "his house on Tanners
	// Lane": after such a preposition a name that ends in a street's or
	// a building's word is an address. After "from", "to" or "by" it is
	// as often a person ("a letter from John Hall").
	return siteHeads[sc.words[hi]] && lo > 0 && addressPrepositions[sc.words[lo-1]]
}

// addressPrepositions put an address after them.
var addressPrepositions = wordSet("of", "on", "in", "at", "near")

// namesBody reports whether the name that ends at word hi is one the
// sentence calls a body in lower case ("the Purl Sisters group", "the
// Hollis Road allotment society"): a body's name, not a person's. (A
// body that names itself one, "Lowbeck Cricket Club", may answer "who".)
func (sc *spanScratch) namesBody(hi int) bool {
	return hi+1 < len(sc.words) && sc.ev[hi+1]&evCap == 0 && orgHeads[sc.words[hi+1]] &&
		sc.text[sc.toks[hi].End:sc.toks[hi+1].Start] == " "
}

// commonWord reports whether the lower-cased word w, or its singular,
// is an English word of WordNet's ("museum", "nurseries") rather than a
// name ("wickerby", "pargeters").
func (lx *lexicon) commonWord(w string) bool {
	n := len(w)
	switch {
	case lx.lemma(w):
		return true
	case strings.HasSuffix(w, "ies") && n > 4:
		return lx.lemma(w[:n-3] + "y")
	case strings.HasSuffix(w, "es") && n > 3 && lx.lemma(w[:n-2]):
		return true
	case strings.HasSuffix(w, "s") && n > 3:
		return lx.lemma(w[:n-1])
	}
	return false
}

// subjectsName reports whether word j of a sentence stands in a name that
// holds a word that marks its subject (subject, by word: one the question
// names, or one of its common words): the name of what the question asks
// about, not of the person or place it asks for
// ("Brierley Nurseries" for "where is the wenslow nursery?").
func subjectsName(text string, toks []Span, ev []evidence, subject []bool, j int) bool {
	lo, hi := nameAround(text, toks, ev, j)
	return slices.Contains(subject[lo:hi+1], true)
}

// personName reports whether word j stands in the name of a person who
// may answer "who": not a place's name or an address (placesName), nor a
// body's (namesBody), nor a word that describes the person named after
// it ("the Victorian artist Eliza Venn"); and not the name of what the
// question asks about (subjectsName), which the role in front of it is
// no part of: "Vet Samira Loxley" answers "which vet helps out", though
// the question names a vet. Word j in the role is no name at all.
func (sc *spanScratch) personName(lx *lexicon, j int) bool {
	lo, hi := nameAround(sc.text, sc.toks, sc.ev, j)
	if sc.placesName(lo, hi) || sc.namesBody(hi) || sc.describer(lx, j, lo, hi) {
		return false
	}
	start := sc.nameStart(lx, lo, hi)
	return j >= start && !slices.Contains(sc.subject[start:hi+1], true)
}

// placeHeads end the names of streets and of places people travel
// from; none is a common surname.
var placeHeads = wordSet("road", "street", "avenue", "square", "station", "airport", "quay", "wharf",
	"motorway", "cathedral", "guildhall")

// siteHeads end the names of the streets and buildings a "where" or
// "which road" question may ask for: placeHeads, and the words that end a
// person's name too but end a place's in answer to "where" ("Corn
// Hall", "Tanners Lane").
var siteHeads = withWords(placeHeads, "hall", "exchange", "lane", "terrace", "crescent", "way", "close",
	"drive", "market", "centre", "park", "bridge", "walk", "row", "hill", "mart")

// withWords returns a new set of the words of set and ws.
func withWords(set map[string]bool, ws ...string) map[string]bool {
	out := wordSet(ws...)
	for w := range set {
		out[w] = true
	}
	return out
}

// wholeNumber reports whether the lower-cased word w is a number, in
// digits or in words ("46", "six").
func wholeNumber(w string) bool { return isDigits(w) || numberWords[w] }

// pointInTime reports whether the time word that is word j of words
// names when something happens, which answers "when", and not how long it
// lasts: "1979", "March", "next month" and "the end of the month" do;
// "two years", "28-year", "for years" and "3,500 years old" do not, unless
// a word after them makes them a time ("four years ago").
func pointInTime(words []string, j int) bool {
	w := words[j]
	if !timeUnits[w] {
		return true
	}
	if j+1 < len(words) {
		switch next := words[j+1]; {
		case relativeTimes[next]:
			return true
		case next == "old":
			return false
		}
	}
	if j > 0 && wholeNumber(words[j-1]) {
		return false
	}
	// A unit on its own, singular, is one: "next month", "last year",
	// "the end of the week"; plural, a length: "for years", "months".
	return !strings.HasSuffix(w, "s") && w != "decade" && w != "century"
}

// relativeTimes turn a length of time before them into a time: "four
// years ago", "ten minutes later".
var relativeTimes = wordSet("ago", "later", "earlier")

// yesNo reports whether q is a yes-or-no question: no question word, and
// an auxiliary first ("was the bakery fined", "did he pay").
func (q rankQuery) yesNo() bool {
	return q.wh == "" && len(q.words) > 0 && auxiliaries[q.words[0]]
}

// asksMoney reports whether a question's words ask what something cost:
// "what did the roof cost", "what was the price tag".
func asksMoney(words []string) bool {
	for _, w := range words {
		if moneyWords[w] {
			return true
		}
	}
	return false
}

// asksWhatPaid reports whether a question's words ask what money pays for,
// not how much: "what will the earnings pay for", "what will the winnings
// pay to fix" (but "what did they pay for the house" asks a sum). The
// ranking still looks for a sum, beside which the thing paid for is
// said ("ordered to pay £4,750 towards the tenants' legal costs"); the
// answer words do not take it.
func asksWhatPaid(words []string) bool {
	for i, w := range words {
		if w != "pay" && w != "paid" && w != "pays" {
			continue
		}
		switch {
		case i+1 == len(words)-1 && words[i+1] == "for":
			return true
		case i+1 < len(words) && (words[i+1] == "to" || words[i+1] == "towards"):
			return true
		}
	}
	return false
}

// moneyWords ask for a sum of money.
var moneyWords = wordSet("cost", "costs", "costing", "price", "priced", "fee", "fees", "fine", "fined",
	"bill", "paid", "pay", "spent", "spend", "worth", "grant", "raised", "budget", "charge", "charged")

// sumOfMoney reports whether the number that is word j of a sentence is a
// sum of money: a currency sign before it ("£740,000") or a currency
// after it ("400 pounds"). toks are the words' places in text.
func sumOfMoney(text string, toks []Span, words []string, j int) bool {
	if r, size := utf8.DecodeLastRuneInString(text[:toks[j].Start]); size > 0 && unicode.Is(unicode.Sc, r) {
		return true
	}
	return j+1 < len(words) && currencies[words[j+1]]
}

// currencies are the currencies written after a sum.
var currencies = wordSet("pounds", "pound", "dollars", "dollar", "euros", "euro", "pence", "p")

// timeHows are the words after "how" that ask for a time: "how soon",
// "how late".
var timeHows = wordSet("soon", "early", "late")

// measureUnits are the units a number of each measure is written with.
var measureUnits = map[measure][]map[string]bool{
	measureDuration: {timeUnits, lengthUnits},
	measureLength:   {lengthUnits},
	measureHeat:     {heatUnits},
	measureSpeed:    {speedUnits, distanceUnits},
	measureWeight:   {weightUnits},
}

// unitWords returns how many of the words after word hi of a sentence
// belong to the number that ends there as its unit, for a question that
// asks for measure m: "46 years", "92-year-old", "11 miles", "60 miles an
// hour", "six years and eight months". The words are cut at toks of text.
func unitWords(m measure, text string, toks []Span, words []string, hi int) int {
	n := len(words)
	tight := func(a, b int) bool {
		gap := strings.TrimSpace(text[toks[a].End:toks[b].Start])
		return gap == "" || gap == "-"
	}
	is := func(k int, sets ...map[string]bool) bool {
		if k >= n || !tight(k-1, k) {
			return false
		}
		for _, s := range sets {
			if s[words[k]] {
				return true
			}
		}
		return false
	}
	k := hi
	switch {
	case m == measureAge:
		if is(k+1, yearWords) && is(k+2, oldWords) {
			k += 2
		}
	case m == measureNone && is(k+1, lengthUnits, weightUnits, heatUnits, speedUnits):
		// A question of no measure ("what height", "how big") takes a
		// physical quantity's unit with its number: "24 metres".
		k++
	case len(measureUnits[m]) > 0 && is(k+1, measureUnits[m]...):
		k++
		switch {
		case m == measureSpeed && distanceUnits[words[k]] && is(k+1, perWords) && is(k+2, timeUnits):
			k += 2 // "60 miles an hour"
		case m == measureDuration && is(k+1, andWords) && k+3 < n && tight(k+1, k+2) &&
			wholeNumber(words[k+2]) && is(k+3, measureUnits[m]...):
			k += 3 // "six years and eight months"
		}
	}
	return k - hi
}

// The words unitWords reads around a number's unit, as sets for its is.
var (
	yearWords = wordSet("year", "years")
	oldWords  = wordSet("old")
	perWords  = wordSet("an", "a", "per")
	andWords  = wordSet("and")
)

// nameStart returns where the name in words lo to hi starts once the
// common words in front of it are left out: a role or a title the
// sentence gives the person ("Botanist Chidubem Alston", "Councillor
// Douglas Fairhurst", "Local MP Desmond Haverley") or an article ("The
// Marsden Community Trust"). Two words are always kept, so that a name
// whose first word is also a common word ("Rose Tremain") stays whole.
// A role the lexicon knows only as the two words it is made of
// ("Signwriter", "Greenkeeper") is left out too.
func (sc *spanScratch) nameStart(lx *lexicon, lo, hi int) int {
	for hi-lo >= 2 && (sc.words[lo] == "the" || lx.commonWord(sc.words[lo]) || lx.agentCompound(sc.words[lo])) {
		lo++
	}
	return lo
}

// agentCompound reports whether the lower-cased word w is made of two
// English words the second of which names a doer ("signwriter": "sign"
// and "writer"; "greenkeeper"), as roles written as one word are and
// WordNet does not list.
func (lx *lexicon) agentCompound(w string) bool {
	for k := 3; k+5 <= len(w); k++ {
		tail := w[k:]
		if (strings.HasSuffix(tail, "er") || strings.HasSuffix(tail, "or") || strings.HasSuffix(tail, "ist")) &&
			lx.lemma(tail) && lx.lemma(w[:k]) {
			return true
		}
	}
	return false
}

// approximatorBefore returns how many words right before word lo say how
// near the number or time that starts there is to the truth: "more than
// 2,000", "almost two tonnes", "just after 3.15pm", "up to 70 per cent".
// They are part of the answer: "2,000" alone says more than the article
// does.
func (sc *spanScratch) approximatorBefore(lo int) int {
	words := sc.words
	spaced := func(a, b int) bool { return strings.TrimSpace(sc.text[sc.toks[a].End:sc.toks[b].Start]) == "" }
	// The number's own currency sign may stand between: "around £12,000".
	signed := func(a, b int) bool {
		gap := strings.TrimSpace(sc.text[sc.toks[a].End:sc.toks[b].Start])
		return strings.TrimFunc(gap, func(r rune) bool { return unicode.Is(unicode.Sc, r) }) == ""
	}
	if lo >= 2 && spaced(lo-2, lo-1) && signed(lo-1, lo) && approximatorPairs[words[lo-2]+" "+words[lo-1]] {
		return 2
	}
	if lo >= 1 && signed(lo-1, lo) && approximators[words[lo-1]] {
		return 1
	}
	return 0
}

// approximators and approximatorPairs are the words that say how near a
// number is (approximatorBefore).
var (
	approximators = wordSet("about", "around", "almost", "nearly", "roughly", "approximately",
		"some", "over", "under", "just", "barely", "exactly", "precisely", "only")
	approximatorPairs = wordSet("more than", "less than", "fewer than", "up to", "at least", "at most",
		"just under", "just over", "just after", "just before", "well over", "well under", "close to")
)

// percentAfter returns how many words after word hi, a number, say it is
// a share: "70 per cent", "12 percent" (answerSpan takes a "%" sign).
func percentAfter(text string, toks []Span, words []string, hi int) int {
	tight := func(a, b int) bool { return strings.TrimSpace(text[toks[a].End:toks[b].Start]) == "" }
	switch {
	case !isDigits(words[hi]) && !numberWords[words[hi]]:
		return 0
	case hi+2 < len(words) && words[hi+1] == "per" && words[hi+2] == "cent" && tight(hi, hi+1) && tight(hi+1, hi+2):
		return 2
	case hi+1 < len(words) && words[hi+1] == "percent" && tight(hi, hi+1):
		return 1
	}
	return 0
}

// wholeBefore returns how many words before word lo of words belong to
// the number that starts there: "six and a half" ends in "half", "two
// and a quarter" in "quarter".
func wholeBefore(words []string, lo int) int {
	if lo >= 3 && (words[lo] == "half" || words[lo] == "quarter") && words[lo-1] == "a" && words[lo-2] == "and" &&
		wholeNumber(words[lo-3]) {
		return 3
	}
	return 0
}
