package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnswerType is the kind of thing a question asks for.
type AnswerType uint8

// The answer types. AnswerAny is a question whose type is unknown.
const (
	AnswerAny          AnswerType = iota
	AnswerPerson                  // who; what actor
	AnswerPlace                   // where; what city
	AnswerOrganization            // what company, which team
	AnswerTime                    // when; what year
	AnswerNumber                  // how many, how much, how long
	AnswerReason                  // why
	AnswerDescription             // what is X, who is X, how
	AnswerName                    // what is the name of X: a name of anything
	AnswerAcronym                 // what is the acronym for X
)

var answerTypeNames = [...]string{"any", "person", "place", "organization", "time", "number", "reason", "description", "name", "acronym"}

// String names the type: "person", "time", ...
func (t AnswerType) String() string {
	if int(t) < len(answerTypeNames) {
		return answerTypeNames[t]
	}
	return "any"
}

func answerTypeNamed(s string) AnswerType {
	for i, n := range answerTypeNames {
		if n == s {
			return AnswerType(i)
		}
	}
	return AnswerAny
}

// Kinds of evidence a sentence's word can be for an answer type.
type evidence uint8

const (
	evName    evidence = 1 << iota // a capitalised word inside the sentence
	evPlace                        // a known place name, or a name after "in", "at", "from"
	evTime                         // a month, a weekday, a year, a date
	evNumber                       // a number
	evReason                       // because, due to, so that
	evCap                          // any word that starts with a capital, first or not
	evAcronym                      // two to eight capitals: NATO
	evPerson                       // a name that is not a place's
)

// wants is the evidence that supports each answer type.
var wants = [AnswerAcronym + 1]evidence{
	AnswerName:         evName,
	AnswerAcronym:      evAcronym,
	AnswerPerson:       evPerson,
	AnswerPlace:        evPlace,
	AnswerOrganization: evName,
	AnswerTime:         evTime,
	AnswerNumber:       evNumber,
	AnswerReason:       evReason,
}

var (
	months = map[string]bool{
		"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
		"august": true, "september": true, "october": true, "november": true, "december": true,
		"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
		"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	}
	weekdays = map[string]bool{
		"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
		"saturday": true, "sunday": true,
	}
	timeWords = map[string]bool{
		"yesterday": true, "today": true, "tomorrow": true, "ago": true, "century": true,
		"centuries": true, "decade": true, "decades": true, "year": true, "years": true,
		"spring": true, "summer": true, "autumn": true, "winter": true, "bc": true, "ad": true,
		// News dates things relative to the day it is written: "next
		// month", "last week", "on Tuesday morning", "overnight".
		"month": true, "months": true, "week": true, "weeks": true, "weekend": true,
		"fortnight": true, "tonight": true, "overnight": true, "morning": true,
		"afternoon": true, "evening": true, "night": true, "midnight": true, "noon": true,
	}
	numberWords = map[string]bool{
		"num": true, // TrecQA's <num>
		"one": true, "two": true, "three": true, "four": true, "five": true, "six": true,
		"seven": true, "eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true,
		"twenty": true, "thirty": true, "forty": true, "fifty": true, "hundred": true,
		"hundreds": true, "thousand": true, "thousands": true, "million": true, "millions": true,
		"billion": true, "billions": true, "dozen": true, "dozens": true, "half": true, "percent": true,
	}
	reasonWords = map[string]bool{
		"because": true, "due": true, "owing": true, "since": true, "reason": true, "reasons": true,
		"so": true, "after": true, "result": true, "caused": true, "cause": true, "thanks": true,
		"order": true, "aimed": true, "prompted": true, "led": true,
	}
	placePrepositions = map[string]bool{"in": true, "at": true, "from": true, "near": true, "to": true}
	// notNames are capitalised words that name nothing.
	notNames = map[string]bool{
		"i": true, "mr": true, "mrs": true, "ms": true, "dr": true, "the": true, "a": true,
		"he": true, "she": true, "it": true, "they": true, "we": true, "but": true, "and": true,
		"lrb": true, "rrb": true, "ap": true, "num": true,
	}
)

// wordEvidence is the evidence one word of a sentence gives, from the word
// as written, the word before it (lower-cased) and the word after it.
func (lx *lexicon) wordEvidence(raw, lower, prev, next string, first bool) evidence {
	var e evidence
	r, _ := utf8.DecodeRuneInString(raw)
	switch {
	case months[lower] && (r == unicode.ToUpper(r)), weekdays[lower], timeWords[lower]:
		e |= evTime
	case isYear(lower):
		e |= evTime | evNumber
	case (lower == "num" || isDigits(lower)) && (months[prev] || months[next]):
		// A day or a year beside a month is a date, not a count.
		e |= evTime
	case lower == "num":
		e |= evNumber
		if prev == "in" || prev == "since" {
			e |= evTime
		}
	case numberWords[lower] || strings.ContainsAny(lower, "0123456789"):
		e |= evNumber
	case reasonWords[lower]:
		e |= evReason
	}
	if unicode.IsUpper(r) {
		e |= evCap
		if isAcronym(raw) {
			e |= evAcronym
		}
	}
	if unicode.IsUpper(r) && !notNames[lower] && e&evTime == 0 {
		if !first {
			e |= evName
		}
		switch {
		case lx.places[lower] || !first && placePrepositions[prev]:
			e |= evPlace
		case lx.peoples[lower]:
			// A place's people ("Iranian envoys") is neither a
			// person's name nor where something is.
		case !first:
			e |= evPerson
		}
	}
	return e
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

func isYear(w string) bool {
	if len(w) == 5 && w[4] == 's' { // 1970s
		w = w[:4]
	}
	if len(w) != 4 {
		return false
	}
	for i := range 4 {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w >= "1000" && w <= "2099"
}

// whoIsName reports a "who is X" question about a named X: it asks for a
// description of X, not for a person.
func whoIsName(rest []string) bool {
	if len(rest) < 2 {
		return false
	}
	switch strings.ToLower(rest[0]) {
	case "is", "was", "are", "were":
	default:
		return false
	}
	for _, w := range rest[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// copulas are the auxiliaries that make the question word the
// complement of a subject: "what IS the population of X".
var copulas = map[string]bool{"is": true, "was": true, "are": true, "were": true}

// auxiliaries end a wh-phrase's focus words: "what company IS ...".
var auxiliaries = map[string]bool{
	"is": true, "was": true, "are": true, "were": true, "do": true, "does": true, "did": true,
	"has": true, "have": true, "had": true, "can": true, "could": true, "will": true,
	"would": true, "should": true, "may": true, "might": true, "must": true, "shall": true,
}

// questionType finds the answer type from the question word, the words
// after it and the lexicon's focus nouns. The focus is the lower-cased
// noun the question asks for, when the lexicon knows it: one with an
// answer type ("company" in "what record company") or one that other
// nouns are kinds of ("color" in "what is the Crips' gang color"); ""
// otherwise.
func (lx *lexicon) questionType(an *Analyzer, wh string, rest []string) (AnswerType, string) {
	switch wh {
	case "who", "whom", "whose":
		if wh == "who" && whoIsName(rest) {
			return AnswerDescription, ""
		}
		return AnswerPerson, ""
	case "where":
		return AnswerPlace, ""
	case "when":
		return AnswerTime, ""
	case "why":
		return AnswerReason, ""
	case "how":
		if len(rest) > 0 && howWords[strings.ToLower(rest[0])] {
			return AnswerNumber, ""
		}
		return AnswerDescription, ""
	case "what", "which", "name":
		named := false
		if n := nameOf(rest); n > 0 {
			rest, named = rest[n:], true
		}
		if wh != "name" && !named && len(rest) > 1 && strings.ToLower(rest[0]) == "age" && auxiliaries[strings.ToLower(rest[1])] {
			// "What age is the dugout" asks how old it is.
			return AnswerNumber, ""
		}
		if wh == "what" && len(rest) > 1 && auxiliaries[strings.ToLower(rest[0])] && strings.ToLower(rest[len(rest)-1]) == "weigh" {
			// "What did the swan weigh" asks how heavy it was.
			return AnswerNumber, ""
		}
		if !named && len(rest) > 0 && auxiliaries[strings.ToLower(rest[0])] {
			// "What is the population of X", "what was X's first
			// name": the head of the subject is the focus. After
			// another auxiliary the subject is who acts, not what
			// is asked for: "what does the US accuse Iran of".
			head := ""
			if copulas[strings.ToLower(rest[0])] {
				head = subjectHead(rest[1:])
			}
			switch {
			case head == "name" || head == "names":
				return AnswerName, ""
			case head == "acronym" || head == "abbreviation" || head == "initials":
				return AnswerAcronym, ""
			case head != "":
				if t, k, ok := lx.focusType(head); ok {
					return t, k
				}
				if k := lx.kindName(head); k != "" {
					return AnswerDescription, k
				}
			}
			return AnswerDescription, ""
		}
		if wh != "name" && !named && len(rest) > 0 && determiners[strings.ToLower(rest[0])] {
			// "Tell me what the judge said": the question word is the
			// object of the clause after it, whose subject names no
			// kind of answer.
			return AnswerAny, ""
		}
		// The focus: the head of the noun phrase the question word
		// leads, when an auxiliary ends it ("what common GOALS do",
		// "which G8 COUNTRIES have"); else the first noun with an
		// answer type among the next words ("what city hosts"), or the
		// first that other nouns are kinds of ("what sport"). After
		// "the name of", names and possessives are skipped ("the name
		// of Durst's group").
		if !named && wh != "name" {
			if t, k, ok := lx.focusHead(an, rest); ok {
				return t, k
			}
		}
		kind := ""
		for i, w := range rest {
			lw := strings.ToLower(w)
			if auxiliaries[lw] || i >= 5 {
				break
			}
			if r, _ := utf8.DecodeRuneInString(w); named && (unicode.IsUpper(r) || lw == "s" || lw == "'s" || lw == "'") {
				continue
			}
			if lw == "kind" || lw == "type" || lw == "sort" || lw == "of" || lw == "the" || lw == "a" || lw == "an" {
				continue
			}
			if len(an.Terms(lw)) != 1 {
				break
			}
			if i == 0 && pastVerb(lw) {
				// "What happened last September", "what caused the
				// fire": the question word is the subject of a verb,
				// and the words after it name no kind of answer.
				break
			}
			if t, k, ok := lx.focusType(lw); ok {
				return t, k
			}
			if kind == "" {
				kind = lx.kindName(lw)
			}
		}
		switch {
		case named:
			return AnswerName, kind
		case kind != "":
			return AnswerAny, kind
		}
		if len(rest) > 0 && auxiliaries[strings.ToLower(rest[0])] {
			return AnswerDescription, ""
		}
	}
	return AnswerAny, ""
}

// determiners open a noun phrase: after a question word, its clause's
// subject ("what THE judge said"), not the kind of answer.
var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "his": true, "her": true, "its": true,
	"their": true, "my": true, "your": true, "our": true, "this": true, "these": true,
	"those": true,
}

// focusHead finds the focus of a wh-phrase whose noun phrase an
// auxiliary or a preposition ends within five words ("what common goals
// DO", "which city IN China"): its last word, the phrase's head, with the answer type the lexicon gives it, or
// AnswerAny and the noun it names kinds of. It reports false when no
// auxiliary ends the phrase or its head is no noun the lexicon knows, so
// that the words are read one by one.
func (lx *lexicon) focusHead(an *Analyzer, rest []string) (AnswerType, string, bool) {
	end := -1
	for i, w := range rest {
		if i >= 5 {
			break
		}
		if lw := strings.ToLower(w); auxiliaries[lw] || subjectEnds[lw] || i > 0 && pastVerb(lw) {
			// A past verb ends the phrase too: "which army OFFICER
			// headed the squad".
			end = i
			break
		}
	}
	if end < 2 {
		// No phrase, or one word: the word-by-word reading finds it.
		return AnswerAny, "", false
	}
	head := strings.ToLower(rest[end-1])
	if len(an.Terms(head)) != 1 || pastVerb(head) {
		return AnswerAny, "", false
	}
	if t, k, ok := lx.focusType(head); ok {
		return t, k, true
	}
	if k := lx.kindName(head); k != "" {
		return AnswerAny, k, true
	}
	return AnswerAny, "", false
}

// irregularPasts are the commonest verbs' irregular past forms, which
// can follow a question word as its verb: "what made them leave".
var irregularPasts = map[string]bool{
	"made": true, "went": true, "took": true, "came": true, "brought": true, "became": true,
	"began": true, "got": true, "led": true, "left": true, "kept": true, "said": true,
	"told": true, "gave": true, "saw": true, "won": true, "lost": true, "drove": true,
	"caught": true, "fell": true, "broke": true, "happens": true, "happen": true,
}

// pastVerb reports whether a lower-cased word reads as a verb's past
// form (or "happen"): one ending in -ed, or a common irregular one.
func pastVerb(w string) bool {
	return irregularPasts[w] || len(w) > 4 && strings.HasSuffix(w, "ed")
}

// kindName is the noun w names (its singular: "countries" gives
// "country") when other nouns are kinds of it, and "" otherwise.
func (lx *lexicon) kindName(w string) string {
	_, k, _ := lookupSpelt(lx.kindNames, w)
	return k
}

// focusType returns the answer type the noun w asks for as a question's
// focus, and the lexicon's form of it.
func (lx *lexicon) focusType(w string) (AnswerType, string, bool) {
	if t, k, ok := lookupSpelt(lx.focus, w); ok {
		return t, k, ok
	}
	// A word for a person of an age group is a person, though WordNet's
	// tagged corpus never saw the rarer ("octogenarian").
	if _, k, ok := ageGroupOf(w); ok {
		return AnswerPerson, k, true
	}
	return 0, "", false
}

// lookupSpelt is lookupKey, with a British spelling the lexicon lacks
// read as the American one ("colour" as "color", "organisation" as
// "organization"): WordNet, which the lexicon is made from, spells the
// American way.
func lookupSpelt[V any](m map[string]V, w string) (V, string, bool) {
	if v, k, ok := lookupKey(m, w); ok {
		return v, k, true
	}
	for _, a := range americanSpellings(w) {
		if v, k, ok := lookupKey(m, a); ok {
			return v, k, true
		}
	}
	var zero V
	return zero, "", false
}

// americanSpellings returns the American spellings a British one may
// have (WordNet, which the lexicon is made from, spells the American
// way): -isation, -ise and -yse as -ization, -ize and -yze; -our as -or;
// -tre as -ter; -ogue as -og; -ence as -ense; -llor and -ller as -lor
// and -ler; each in the singular or the plural. Lower-cased w; none when
// no rule applies.
func americanSpellings(w string) []string {
	var out []string
	for _, r := range britishEndings {
		for _, plural := range []string{"", "s"} {
			if stem, ok := strings.CutSuffix(w, r[0]+plural); ok && stem != "" {
				out = append(out, stem+r[1]+plural)
			}
		}
	}
	return out
}

// britishEndings are the British spellings americanSpellings rewrites,
// with the American ones.
var britishEndings = [][2]string{
	{"isation", "ization"}, {"ise", "ize"}, {"yse", "yze"}, {"our", "or"}, {"tre", "ter"},
	{"ogue", "og"}, {"ence", "ense"}, {"llor", "lor"}, {"ller", "ler"},
}

// subjectHead finds the head noun of a copula's subject that names an
// attribute of something: "the population of Tehran" gives "population",
// "Rohm and Haas's annual revenue" gives "revenue"; "" for any other
// subject ("a prion": a definition is asked for, not a kind of thing).
func subjectHead(words []string) string {
	possessive := -1
	for i, w := range words {
		if w == "'s" || w == "'" || w == "s" && i > 0 || strings.HasSuffix(strings.ToLower(w), "'s") {
			possessive = i
		}
	}
	if possessive >= 0 && possessive+1 < len(words) {
		words = words[possessive+1:]
	} else if len(words) == 0 || !strings.EqualFold(words[0], "the") {
		return ""
	}
	for i, w := range words {
		if subjectEnds[strings.ToLower(w)] {
			if i == 0 {
				return ""
			}
			return strings.ToLower(words[i-1])
		}
	}
	return strings.ToLower(words[len(words)-1])
}

// subjectEnds are the words after which a noun phrase's head has been
// said: prepositions and relative pronouns.
var subjectEnds = map[string]bool{
	"of": true, "for": true, "in": true, "on": true, "at": true, "from": true, "by": true,
	"with": true, "to": true, "that": true, "which": true, "who": true, "between": true,
}

// acronymJoiners are the lower-case words an acronym's expansion may
// hold without a letter of their own: "Association of Retired Persons".
var acronymJoiners = map[string]bool{"of": true, "and": true, "for": true, "the": true, "on": true, "in": true, "de": true, "to": true}

// expansion finds the words of a sentence whose capitals spell an acronym
// (lower-cased): "American Association of Retired Persons" for "aarp". It
// returns the position of the first word and true, or false when none
// does. An expansion has at least two words.
func expansion(d *doc, acr string) (int, bool) {
	if len(d.ev) != len(d.words) {
		return 0, false
	}
	for j := range d.words {
		if d.ev[j]&evCap == 0 || d.words[j][0] != acr[0] {
			continue
		}
		n, end := 0, j
		for k := j; k < len(d.words) && n < len(acr); k++ {
			w := d.words[k]
			if d.ev[k]&evCap != 0 && w[0] == acr[n] {
				n, end = n+1, k
				continue
			}
			if n > 0 && acronymJoiners[w] {
				continue
			}
			break // a word that spells nothing ends the run
		}
		if n == len(acr) && end > j {
			return j, true
		}
	}
	return 0, false
}

// hasCapitalPair reports whether s has two capital letters side by side,
// as any acronym does: a question without them needs no acronym search.
func hasCapitalPair(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i+1] >= 'A' && s[i+1] <= 'Z' {
			return true
		}
	}
	return false
}

// isAcronym reports whether a word as written is an acronym: two to eight
// capital letters ("AARP", "NATO").
func isAcronym(w string) bool {
	if len(w) < 2 || len(w) > 8 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}
