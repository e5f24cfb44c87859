package retrieval

import (
	"slices"
	"strconv"
	"strings"
)

// measure is what a number question asks for: a count of something, an
// age, a duration, a length. A number of the right kind answers it; any
// other number in the sentence only looks as if it did ("How many homes
// were flooded?" is not answered by "More than 600 people were moved out
// of their homes").
type measure uint8

const (
	measureNone     measure = iota // another number question, or none
	measureCount                   // how many X: a number of X
	measureAge                     // how old: 81-year-old, aged 54
	measureDuration                // how long: a time or a length
	measureLength                  // how tall, high, deep, wide
	measureHeat                    // how hot, cold, warm: degrees
	measureSpeed                   // how fast, quickly, slow: a distance per time
	measureWeight                  // how heavy: kilograms, tonnes, pounds
)

// measureWords maps the word after "how" to its measure; "how many" is
// measureCount. "How far" is not among them: as often as a distance it
// asks how far behind, over or along ("how far over budget").
var measureWords = map[string]measure{
	"many": measureCount, "old": measureAge, "young": measureAge, "long": measureDuration,
	"tall": measureLength, "high": measureLength, "deep": measureLength,
	"wide": measureLength, "thick": measureLength,
	"hot": measureHeat, "cold": measureHeat, "warm": measureHeat,
	"fast": measureSpeed, "quickly": measureSpeed, "slow": measureSpeed,
	"heavy": measureWeight, "chilly": measureHeat,
}

// lastWord returns the last word of text, lower-cased.
func lastWord(text string) string {
	ws := strings.FieldsFunc(strings.ToLower(text), notWordRune)
	if len(ws) == 0 {
		return ""
	}
	return ws[len(ws)-1]
}

// dimensions maps the words that say which way a length runs, adjectives
// and nouns, to the dimension they name.
var dimensions = map[string]string{
	"tall": "height", "high": "height", "height": "height",
	"deep": "depth", "depth": "depth",
	"wide": "width", "broad": "width", "width": "width", "across": "width",
	"long": "length", "length": "length",
	"thick": "thickness", "thickness": "thickness",
}

// muchMeasures maps the noun after "how much" to its measure.
var muchMeasures = map[string]measure{"weight": measureWeight, "time": measureDuration}

// Units that follow a number of each measure, lower-cased.
var (
	timeUnits = wordSet("second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
		"week", "weeks", "month", "months", "year", "years", "decade", "decades", "night", "nights",
		"century", "centuries")
	lengthUnits = wordSet("mile", "miles", "km", "kilometre", "kilometres", "kilometer", "kilometers",
		"metre", "metres", "meter", "meters", "m", "cm", "mm", "centimetres", "centimeters",
		"millimetres", "millimeters", "foot", "feet", "ft", "yard", "yards", "inch", "inches",
		"nautical", "light", "storeys", "stories", "floors")
	heatUnits = wordSet("degrees", "degree", "c", "f", "celsius", "fahrenheit", "kelvin", "k")
	// speedUnits are speeds themselves; distanceUnits a speed with a
	// time after them ("60 miles an hour", "900 km/h").
	speedUnits    = wordSet("mph", "kph", "kmh", "knots", "knot", "mach")
	distanceUnits = wordSet("km", "miles", "kilometres", "kilometers", "metres", "meters", "m")
	// weightUnits include the singular a weight takes as a describer:
	// "a 250-kilogram bomb", "a 90-kilo sow".
	weightUnits = wordSet("kg", "kilograms", "kilogrammes", "kilos", "tonnes", "tons", "ton", "tonne",
		"pounds", "lb", "lbs", "grams", "grammes", "g", "ounces", "oz", "stone", "mg",
		"kilogram", "kilogramme", "kilo", "gram", "gramme", "ounce", "pound")
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// measureCountReach is how many words after a number the thing it counts
// may stand: "600 homes", "400 new homes", "12 measles cases".
const measureCountReach = 3

// countAsked is the thing a "how many" question counts.
type countAsked struct {
	// terms are the indexes among the question's terms of the words of
	// the thing counted ("homes", "measles cases").
	terms []int
	// people is whether the thing counted is people by some name and
	// nothing else ("volunteers", "passengers", "people"): news counts
	// them by another ("how many helpers": "300 volunteers").
	people bool
	// lex tells a sentence's nouns of people (lexicon.people).
	lex *lexicon
}

// measureOf finds the measure of a number question (its Type is
// AnswerNumber) and, for a count, the thing counted: the content words
// before the first auxiliary or stop word ("homes" in "how many homes
// were flooded", "measles cases").
func measureOf(an *Analyzer, qa Question, terms []string) (measure, countAsked) {
	ws := strings.Fields(qa.WhPhrase)
	first, rest, _ := strings.Cut(strings.ToLower(qa.Content), " ")
	if first == "at" || first == "from" || first == "until" || first == "till" {
		// "At what age did she die": the preposition of the question
		// word stands first among the other words.
		first, _, _ = strings.Cut(rest, " ")
	}
	switch {
	case len(ws) == 1 && (ws[0] == "what" || ws[0] == "which") && first == "age":
		return measureAge, countAsked{} // "what age is the dugout"
	case len(ws) == 1 && ws[0] == "what" && lastWord(qa.Content) == "weigh":
		return measureWeight, countAsked{} // "what did the swan weigh"
	case len(ws) != 2 || ws[0] != "how":
		return measureNone, countAsked{}
	case ws[1] == "much":
		// "How much weight did he lose", "how much time did it take":
		// the noun names the measure; a bare "how much" asks for a sum
		// or an amount.
		return muchMeasures[first], countAsked{}
	}
	m := measureWords[ws[1]]
	if m != measureCount {
		return m, countAsked{}
	}
	c := countAsked{lex: an.lex}
	var run []string
	for k, w := range strings.FieldsFunc(qa.Content, notWordRune) {
		lw := strings.ToLower(w)
		if auxiliaries[lw] || isStopWord(lw) {
			break
		}
		if k == 0 && an.lex != nil && an.lex.pastTense(lw) {
			// "How many came", "how many attended": the people who
			// did it are counted, unnamed; any count may be theirs.
			return measureNone, countAsked{}
		}
		for _, t := range an.Terms(w) {
			if i := slices.Index(terms, t); i >= 0 {
				c.terms = append(c.terms, i)
			}
		}
		run = append(run, lw)
	}
	c.people = countsPeopleAsked(an.lex, run)
	if len(c.terms) == 0 {
		return measureNone, countAsked{}
	}
	return measureCount, c
}

// countsPeopleAsked reports whether the words after "how many" (run, up
// to an auxiliary or a stop word) count people and nothing else: the
// first names people, and the next is no plural noun it qualifies ("how
// many swimmers signed up", "how many kids go there", but not "how many
// rival ideas"). A qualified count ("how many injured people") is of
// those the qualifier says, not of any people.
func countsPeopleAsked(lx *lexicon, run []string) bool {
	if len(run) == 0 || !lx.people(run[0]) {
		return false
	}
	if len(run) == 1 {
		return true
	}
	next := run[1]
	if lx != nil && lx.pastTense(next) {
		return true // "how many swimmers signed up"
	}
	plural := len(next) > 3 && strings.HasSuffix(next, "s") && !strings.HasSuffix(next, "ss")
	return !plural
}

// peopleWords are plurals that count people which the lexicon's nouns of
// persons lack: irregular plurals and bodies of people counted by head
// ("23 staff").
var peopleWords = wordSet("people", "persons", "folk", "men", "women", "children", "staff", "crew")

// people reports whether the lower-cased noun w names people: a noun whose
// commonest sense is a person ("volunteers", "guests"), or one of
// peopleWords.
func (lx *lexicon) people(w string) bool {
	if peopleWords[w] {
		return true
	}
	if lx == nil {
		return false
	}
	t, _, ok := lx.focusType(w)
	return ok && t == AnswerPerson
}

// countsPeople reports whether the number that is word j of d counts
// people by some name: "More than 60 volunteers" for "how many helpers",
// "about 200 shoppers and staff" for "how many people". fits has left
// out a year.
func (q rankQuery) countsPeople(d doc, j int) bool {
	for k := j + 1; k <= j+measureCountReach && k < len(d.words); k++ {
		if q.counted.lex.people(d.words[k]) {
			return true
		}
	}
	return false
}

// measured reports whether d has a number of the measure q asks for.
func (q rankQuery) measured(d doc) bool {
	for j, e := range d.ev {
		if e&evNumber != 0 && !q.qwords.has(d.words[j]) && q.fits(d, j) {
			return true
		}
	}
	return false
}

// fits reports whether the number that is word j of d is of the measure
// q asks for.
func (q rankQuery) fits(d doc, j int) bool {
	// A unit written onto its number ("41C", "5km", "30mph") is the
	// word after it, and the rest the word after that.
	unit, shift := unitSuffix(d.words[j]), 0
	if unit != "" {
		shift = 1
	}
	next := func(k int) string {
		if k == 1 && unit != "" {
			return unit
		}
		if j+k-shift < len(d.words) {
			return d.words[j+k-shift]
		}
		return ""
	}
	switch q.measure {
	case measureCount:
		// A year counts nothing, whatever follows it ("In 2019
		// residents voted" for "how many people").
		if d.ev[j]&evTime != 0 {
			return false
		}
		// The thing a number counts follows it, after its describers
		// ("400 new homes"); a stop word or a unit of time ends the
		// reach ("for thirty years, so aiming" counts no aims).
		t, _ := slices.BinarySearch(d.tpos, j+1)
		for p := j + 1; p <= j+measureCountReach && p < len(d.words); p++ {
			for ; t < len(d.tpos) && d.tpos[t] == p; t++ {
				for _, i := range q.counted.terms {
					if q.standsFor(i, d.terms[t]) {
						return true
					}
				}
			}
			if w := d.words[p]; isStopWord(w) || timeUnits[w] {
				break
			}
		}
		return q.counted.people && q.countsPeople(d, j)
	case measureAge:
		// An age, or a date a thing's age is counted from ("dates
		// from the year 700", "built in 1890", "born in 1951"): not any
		// date ("the house he paid for in 2019" says nothing of how
		// old he is). A person's age is the one asked for only when
		// the question names nobody, or names that person: "how old is
		// Peter Lindqvist" is not answered by "Osei, a 41-year-old".
		if owner, ok := ageOwner(&d, j); ok && q.namesSomeone() && !q.qwords.has(owner) {
			return false
		}
		return (next(1) == "year" || next(1) == "years") && next(2) == "old" ||
			j > 0 && (d.words[j-1] == "aged" || d.words[j-1] == "age" || d.words[j-1] == "year") ||
			j > 0 && d.ev[j-1]&evCap != 0 && isAge(d.words[j]) || // news style: "Ruth Amos, 61, said"
			d.ev[j]&evTime != 0 && originBefore(d, j)
	case measureDuration:
		return timeUnits[next(1)] || lengthUnits[next(1)]
	case measureLength:
		// A length said to be of another dimension ("3.2 miles long"
		// for "how wide", "two metres in height" for "how deep") is
		// not the one asked for.
		dim := dimensions[next(2)]
		if next(2) == "in" {
			dim = dimensions[next(3)]
		}
		return lengthUnits[next(1)] && (dim == "" || dim == dimensions[q.how])
	case measureHeat:
		return heatUnits[next(1)]
	case measureSpeed:
		// A distance an hour or a second, a unit of speed ("900
		// km/h", "60 miles an hour", "20 knots"), or the time a
		// distance takes ("100 metres in six seconds").
		return timeUnits[next(1)] || speedUnits[next(1)] ||
			distanceUnits[next(1)] && (timeUnits[next(2)] || timeUnits[next(3)] || next(2) == "h")
	case measureWeight:
		return weightUnits[next(1)]
	}
	return true
}

// originWords are the words that date a thing's or a person's beginning:
// the date after them is where an age is counted from.
var originWords = wordSet("born", "built", "dates", "dated", "dating", "founded", "established",
	"made", "minted", "opened", "erected", "constructed", "created", "formed", "launched",
	"chartered", "charter", "since", "began", "begun", "started", "set", "planted", "painted",
	"written", "composed", "discovered", "first", "origins", "origin", "oldest")

// originReach is how many words before a date an origin word may stand:
// "made in Cremona in 1721", "minted over about 40 years in the 11th
// century".
const originReach = 6

// originBefore reports whether an origin word (originWords) stands within
// originReach words before word j of d.
func originBefore(d doc, j int) bool {
	for k := max(0, j-originReach); k < j; k++ {
		if originWords[d.words[k]] {
			return true
		}
	}
	return false
}

// unitSuffix returns the letters written onto the end of a number ("c"
// in "41c", "km" in "5km", "mph" in "30mph"), or "" when w is not digits
// (with separators) followed by letters.
func unitSuffix(w string) string {
	i := 0
	for i < len(w) && (w[i] >= '0' && w[i] <= '9' || i > 0 && (w[i] == ',' || w[i] == '.')) {
		i++
	}
	if i == 0 || i == len(w) {
		return ""
	}
	for k := i; k < len(w); k++ {
		if w[k] < 'a' || w[k] > 'z' {
			return ""
		}
	}
	return w[i:]
}

// isAge reports whether w is a whole number a person's age could be.
// Its digits are checked before it is parsed: strconv.Atoi allocates its
// error, and "who" asks this of every word of every candidate.
func isAge(w string) bool {
	if !isDigits(w) {
		return false
	}
	n, err := strconv.Atoi(w)
	return err == nil && n > 0 && n < 125
}

// pastTense reports whether the lower-cased word w is a verb's past form
// and not a word of its own: a common irregular one (irregularPasts), or one in
// -ed of an English word ("worked", "voted", "stopped", "tried") that
// WordNet does not hold as a lemma of its own (as it holds "injured",
// "wounded", "registered": a kind of the people counted).
func (lx *lexicon) pastTense(w string) bool {
	if irregularPasts[w] {
		return true
	}
	if len(w) < 5 || !strings.HasSuffix(w, "ed") || lx.lemma(w) {
		return false
	}
	base := w[:len(w)-2]
	n := len(base)
	switch {
	case lx.lemma(base), lx.lemma(base + "e"):
		return true
	case n >= 2 && base[n-1] == base[n-2] && lx.lemma(base[:n-1]): // stopped
		return true
	case strings.HasSuffix(base, "i") && lx.lemma(base[:n-1]+"y"): // tried
		return true
	}
	return false
}
