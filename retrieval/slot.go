package retrieval

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/verbatim-bot/verbatim/corpus"
)

// A question that asks for one kind of thing ("how far is the new
// school", "how old is the caver", "how much was he fined", "what time
// did the fire start", "which road is the lido on") names its story and
// asks for a number, a time or a street; the sentence that answers it
// often shares none of its other words ("From September the children
// will travel by minibus to Steadbeck Primary, nine miles away"). Such a
// sentence is not found by its words. The sentences of the story the
// question's words find best that hold the kind asked join the
// candidates (slotSentences, slotFilter), and the ranking rewards a
// sentence that holds one (FeatureSlot).

// slotKind is the kind of thing a question asks for that a sentence can
// be seen to hold (asksSlot), read once when the question is.
type slotKind uint8

const (
	slotNone     slotKind = iota
	slotMeasure           // a number of the measure asked (rankQuery.measure)
	slotDistance          // how far
	slotMoney             // how much, what did it cost
	slotStreet            // which road; where
	slotClock             // what time
	slotWhen              // when, what day, which year
	slotReason            // why: a clause of reason
	slotNamesake          // named after whom or what: a namesake
	slotPerson            // who: a person introduced with an age
)

// asksSlot returns the kind of thing q asks for that a sentence can be
// seen to hold: a measure other than a bare number (a count, an age, a
// length of time, a length, heat, speed, weight), a distance ("how
// far"), a sum of money ("how much", "what did the roof cost", "what
// price did she pay"), a street ("which road", and a bare "where": local
// news says where by one), a time of day ("what
// time"), a point in time ("when", "what day"), a clause of reason
// ("why": "because", "due to", "owing to"), a namesake ("who is the
// hall named after": the words after "named after", "in memory of") or
// a person ("who": one news introduces by name and age); slotNone for
// any other question.
func (q rankQuery) asksSlot() slotKind {
	switch {
	case q.measure != measureNone:
		return slotMeasure
	case q.asksDistance():
		return slotDistance
	case q.asksMoney():
		return slotMoney
	case q.namesakeAsked():
		// Before the street: "what is Weir Lane named after" asks for
		// the namesake, not the lane.
		return slotNamesake
	case streetHeads[q.focus], q.wh == "where" && q.atype == AnswerPlace:
		return slotStreet
	case q.atype == AnswerPerson:
		return slotPerson
	case q.asksClock():
		return slotClock
	case q.atype == AnswerTime:
		return slotWhen
	case q.atype == AnswerReason:
		return slotReason
	}
	return slotNone
}

// slotDecides reports whether the decision reads q's slot (the slot_q
// and slot inputs). A clause of reason helps find the sentence that
// answers "why", a person introduced by name and age the one that
// answers "who", and a street the one that answers a bare "where", but
// they say little of whether it does: most sentences that give a reason
// give it for something else, a story's people are in most of its
// sentences, and a town answers "where" as often as a street.
func (q rankQuery) slotDecides() bool {
	switch q.slot {
	case slotNone, slotReason, slotPerson:
		return false
	case slotStreet:
		return streetHeads[q.focus]
	}
	return true
}

// streetHeads end the names of streets: "Weir Lane", "Quay Street".
var streetHeads = wordSet("street", "road", "lane", "avenue", "way", "close", "drive", "terrace", "crescent", "square", "row", "walk", "hill")

// streetName reports whether word j of d begins a street's last two
// words: a capitalised word before a capitalised street head ("Weir
// Lane").
func streetName(d *doc, j int) bool {
	return j+1 < len(d.words) && d.ev[j]&evCap != 0 && d.ev[j+1]&evCap != 0 && streetHeads[d.words[j+1]]
}

// asksClock reports whether q asks what time of day: "what time did the
// fire start", "at what time", "what time of the morning" (not "what
// time of year").
func (q rankQuery) asksClock() bool {
	_, ok := q.clockPart()
	return ok
}

// clockPart reads a question that asks what time of day (asksClock): ok,
// and the part of the day it names ("morning" of "what time of the
// morning"), or "".
func (q rankQuery) clockPart() (part string, ok bool) {
	if q.wh != "what" {
		return "", false
	}
	ws := q.words
	if len(ws) > 0 && ws[0] == "at" {
		ws = ws[1:]
	}
	if len(ws) < 2 || ws[0] != "time" {
		return "", false
	}
	if ws[1] != "of" {
		return "", true
	}
	// "What time of the morning": a time of day all the same; "what
	// time of year" is not.
	ws = ws[2:]
	if len(ws) > 0 && ws[0] == "the" {
		ws = ws[1:]
	}
	if len(ws) > 0 && partsOfDay[ws[0]] {
		return ws[0], true
	}
	return "", false
}

// dropClockWords leaves out of a question's terms (words: the word each
// came from) the words that ask for a time of day: "time", and part, the
// part of the day of "what time of the morning" (clockPart). They are the
// question word's, as "many" is of "how many": a sentence that gives the
// time ("at about 7.15am") seldom says them, and the sentences that do (a
// "day" of any story) would choose the story the time is looked for in.
func dropClockWords(terms, words []string, part string) ([]string, []string) {
	dropTime := true
	out := 0
	for i, w := range words {
		switch {
		case dropTime && w == "time":
			dropTime = false
			continue
		case part != "" && w == part:
			part = ""
			continue
		}
		terms[out], words[out] = terms[i], words[i]
		out++
	}
	return terms[:out], words[:out]
}

// partsOfDay are the parts of a day "what time of the ..." asks a time
// of day in.
var partsOfDay = wordSet("day", "morning", "afternoon", "evening", "night")

// clockTime reports whether word j of a sentence is a time of day:
// "3.40pm", "11 am", "midnight".
func clockTime(words []string, j int) bool {
	w := words[j]
	if w == "midnight" || w == "noon" || w == "midday" {
		return true
	}
	if !strings.ContainsAny(w, "0123456789") {
		return false
	}
	return strings.HasSuffix(w, "am") || strings.HasSuffix(w, "pm") ||
		j+1 < len(words) && (words[j+1] == "am" || words[j+1] == "pm")
}

// asksDistance reports whether q asks how far.
func (q rankQuery) asksDistance() bool {
	return q.atype == AnswerNumber && q.measure == measureNone && q.how == "far"
}

// asksMoney reports whether q asks for a sum of money: "how much" of no
// thing counted, or what something cost (as the answer words read it).
func (q rankQuery) asksMoney() bool {
	if q.measure != measureNone {
		return false
	}
	if q.atype == AnswerNumber {
		// "how much", and a number asked by its money's name: "what
		// price did she pay", "what fee".
		return q.how == "much" || moneyWords[q.focus]
	}
	return (q.atype == AnswerDescription || q.atype == AnswerAny) && q.focus == "" && !q.yesNo() && asksMoney(q.words)
}

// fillsSlot reports whether d holds the kind of thing q asks for
// (q.slot), not in one of the question's own words.
func (q rankQuery) fillsSlot(d doc) bool {
	switch q.slot {
	case slotNone:
		return false
	case slotMoney:
		return holdsMoney(d)
	}
	for j := range d.words {
		// The word's kind first: a look at its evidence, where the
		// question's words are a search.
		if q.slotWord(&d, j) && !q.qwords.has(d.words[j]) {
			return true
		}
	}
	return false
}

// slotWord reports whether word j of d is of the kind q.slot asks for
// (any slot but money, which fillsSlot reads from the whole text). It
// takes q and d by pointer: it is called for every word of every
// candidate, and each is a few hundred bytes to copy.
func (q *rankQuery) slotWord(d *doc, j int) bool {
	e := d.ev[j]
	switch q.slot {
	case slotMeasure:
		// As the answer words read a number (numberAnswers): not a name
		// such as "G8", nor a year or an age where they do not answer.
		return e&evNumber != 0 && numberAnswers(*q, *d, j)
	case slotDistance:
		return e&evNumber != 0 && j+1 < len(d.words) && lengthUnits[d.words[j+1]]
	case slotStreet:
		return streetName(d, j)
	case slotClock:
		return clockTime(d.words, j)
	case slotWhen:
		// A time of day answers "when" as a date does ("at 5.45am").
		return e&evTime != 0 && pointInTime(d.words, j) && q.grain.holds(d.words[j]) ||
			q.grain == grainAny && clockTime(d.words, j)
	case slotReason:
		next := ""
		if j+1 < len(d.words) {
			next = d.words[j+1]
		}
		switch d.words[j] {
		case "because":
			return true
		case "due", "owing":
			return next == "to"
		}
	case slotPerson:
		// News introduces a person by name and age ("Cadfael Lumsden,
		// 13,"): the age after two capitalised words not the
		// question's; or by an "N-year-old" before the name or after it
		// (namedAge: "11-year-old Isla McCrae").
		if j >= 2 && isAge(d.words[j]) && e&evTime == 0 &&
			d.ev[j-1]&evCap != 0 && d.ev[j-2]&evCap != 0 && d.ev[j-1]&evTime == 0 &&
			!q.qwords.has(d.words[j-1]) && !q.qwords.has(d.words[j-2]) {
			return true
		}
		if k, ok := namedAge(d, j); ok && e&evTime == 0 {
			return !q.qwords.has(d.words[k]) && !q.qwords.has(d.words[k+1])
		}
	case slotNamesake:
		// The namesake's first word: the one a marker ends before.
		for n := 1; n <= j && n <= maxNamesakeMarker; n++ {
			if namesakeMarker(d.words, j-n) == n {
				return true
			}
		}
	}
	return false
}

// timeGrain is the grain of a point in time a question's focus asks
// for; grainAny for "when" and every other question.
type timeGrain uint8

const (
	grainAny    timeGrain = iota
	grainYear             // "what year": "1936"
	grainSeason           // "what time of year": a season or a month
	grainDay              // "which day": a weekday, a month with or without its day, "yesterday"
	grainMonth            // "which month"
	grainDate             // "what date": a month, with or without its day, not a weekday alone
)

// askedGrain returns the grain of time q's focus asks for.
func (q rankQuery) askedGrain() timeGrain {
	switch q.focus {
	case "year":
		for i := 0; i+2 < len(q.words); i++ {
			if q.words[i] == "time" && q.words[i+1] == "of" && q.words[i+2] == "year" {
				return grainSeason
			}
		}
		return grainYear
	case "date":
		return grainDate
	case "day":
		return grainDay
	case "month":
		return grainMonth
	}
	return grainAny
}

// holds reports whether w, a word of a point in time, is of grain g.
// ("Last year" holds the question's own word, which fills no slot.)
func (g timeGrain) holds(w string) bool {
	switch g {
	case grainYear:
		return isYear(w) || w == "num"
	case grainSeason:
		return months[w] || seasons[w]
	case grainDay:
		return months[w] || weekdays[w] || dayWords[w] || isDigits(w) && !isYear(w)
	case grainMonth, grainDate:
		return months[w]
	}
	return true
}

var (
	// seasons answer "what time of year".
	seasons = wordSet("spring", "summer", "autumn", "fall", "winter")
	// dayWords name a day by where it stands from today.
	dayWords = wordSet("yesterday", "today", "tomorrow", "tonight", "weekend")
)

// holdsMoney reports whether d's text holds a sum of money: a currency
// sign before a digit ("£45,000", "$3m"), or a number with a currency
// after it ("400 pounds").
func holdsMoney(d doc) bool {
	s := d.text
	for i, r := range s {
		if r < utf8.RuneSelf && r != '$' || !unicode.Is(unicode.Sc, r) {
			continue
		}
		if next := i + utf8.RuneLen(r); next < len(s) && s[next] >= '0' && s[next] <= '9' {
			return true
		}
	}
	for j, e := range d.ev {
		if e&evNumber != 0 && j+1 < len(d.words) && currencies[d.words[j+1]] {
			return true
		}
	}
	return false
}

// slotArticleMax is the most sentences an article may have for its
// sentences to be read for a slot (slotSentences): a story, not a
// collection of them.
const slotArticleMax = 400

// slotAsk is what candidates needs of a question that asks for a slot:
// whether a sentence fills it, and what each of its terms weighs as a
// name of its story (rankQuery.nameWeights).
type slotAsk struct {
	fill  func(*doc) bool
	names []float64
}

// nameWeights returns what each of q's terms weighs as a name of its
// story (slotStory): its idf where its word is no English word (a town
// typed in lower case: rankQuery.alien), else 0; nil without the lexicon.
func (q rankQuery) nameWeights() []float64 {
	if q.alien == nil {
		return nil
	}
	w := make([]float64, len(q.terms))
	for i, a := range q.alien {
		if a {
			w[i] = q.idf[i]
		}
	}
	return w
}

// slotSentences returns the document numbers of the sentences of the
// question's story that are not among those found (fs), in order, for
// the candidates to read and keep those that fill the question's slot
// (slotFilter). The story is slotStory's. It returns none when that
// article cannot be read or is longer than slotArticleMax.
func slotSentences(ctx context.Context, rd index.IndexReader, recs *records, fs finds, names []float64) ([]uint64, error) {
	story, ok := slotStory(recs, fs, names)
	if !ok {
		return nil, nil
	}
	docs, err := articleDocs(ctx, rd, story)
	if err != nil || len(docs) > slotArticleMax {
		return nil, err
	}
	sorted := slices.Sorted(slices.Values(fs.nums))
	out := docs[:0]
	for _, n := range docs {
		if _, in := slices.BinarySearch(sorted, n); !in {
			out = append(out, n)
		}
	}
	return out, nil
}

// slotStory returns the story a question's slot is looked for in: of
// the articles of the sentences found (fs), the one whose sentences hold
// the most of the question's names (names, by term group: "when can
// threlkeby swimmers get back in the water" is asked of Threlkeby's
// story, though another's sentence says more of water); among those
// (all of them, when the question names nothing), the article of the
// sentences tied for the best place, the first by document id, so that
// the story does not depend on how the index was built.
func slotStory(recs *records, fs finds, names []float64) (corpus.ArticleID, bool) {
	lead := min(max(fs.lead, 1), len(fs.nums))
	named := slices.ContainsFunc(names, func(w float64) bool { return w > 0 })
	read := fs.nums[:lead]
	if named {
		read = fs.nums
	}
	// Each sentence's article, read once; "" where it cannot be read.
	articles := make([]corpus.ArticleID, len(read))
	var buf []byte
	for k, n := range read {
		b, idLen, _, ok := recs.appendAt(buf[:0], n)
		buf = b
		if !ok {
			continue
		}
		if ref, ok := parseDocID(string(buf[:idLen])); ok {
			articles[k] = ref.Article
		}
	}
	var first corpus.ArticleID
	for _, a := range articles[:lead] {
		if a != "" && (first == "" || a < first) {
			first = a
		}
	}
	if first == "" || !named {
		return first, first != ""
	}
	held := map[corpus.ArticleID]uint64{}
	for k, a := range articles {
		if a != "" {
			held[a] |= fs.masks[k]
		}
	}
	weight := func(mask uint64) float64 {
		var w float64
		for i, v := range names {
			if i < 64 && mask&(1<<i) != 0 {
				w += v
			}
		}
		return w
	}
	best, most := first, weight(held[first])
	for a, mask := range held {
		if w := weight(mask); w > most || w == most && best != first && a < best {
			best, most = a, w
		}
	}
	return best, true
}

// slotFilter leaves out of a question's candidates the sentences that
// only joined them for its slot (more, in order) and do not fill it.
type slotFilter struct {
	more []uint64
	fill func(*doc) bool
}

// keeps reports whether the sentence at document number n, of doc d, is
// a candidate.
func (f slotFilter) keeps(n uint64, d *doc) bool {
	if _, in := slices.BinarySearch(f.more, n); in {
		return f.fill(d)
	}
	return true
}

// articleDocs returns the document numbers of the sentences of article id
// in rd, in order.
func articleDocs(ctx context.Context, rd index.IndexReader, id corpus.ArticleID) ([]uint64, error) {
	p, err := newPostings(ctx, rd)
	if err != nil {
		return nil, err
	}
	defer p.release()
	return p.docs(string(id), fieldArticle)
}

// moneyVerbTerms are the terms of the verbs news says a sum is got by,
// one for another: a question asks what an event "made" or "brought in",
// the story says what it "raised".
var moneyVerbTerms = []string{"rais", "make", "made", "bring", "brought", "gener", "collect", "earn", "net", "take", "took", "taken", "gather", "fetch", "rake"}

// moneyVerbs holds moneyVerbTerms.
var moneyVerbs = wordSet(moneyVerbTerms...)
