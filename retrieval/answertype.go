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
)

var answerTypeNames = [...]string{"any", "person", "place", "organization", "time", "number", "reason", "description"}

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
	evName   evidence = 1 << iota // a capitalised word inside the sentence
	evPlace                       // a known place name, or a name after "in", "at", "from"
	evTime                        // a month, a weekday, a year, a date
	evNumber                      // a number
	evReason                      // because, due to, so that
)

// wants is the evidence that supports each answer type.
var wants = [AnswerDescription + 1]evidence{
	AnswerPerson:       evName,
	AnswerPlace:        evPlace,
	AnswerOrganization: evName,
	AnswerTime:         evTime,
	AnswerNumber:       evNumber,
	AnswerReason:       evReason,
}

var (
	months = map[string]bool{
		"january": true, "february": true, "march": true, "april": true, "june": true, "july": true,
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
	case lower == "num":
		e |= evNumber
		if months[prev] || months[next] || prev == "in" || prev == "since" {
			e |= evTime
		}
	case numberWords[lower] || strings.ContainsAny(lower, "0123456789"):
		e |= evNumber
	case reasonWords[lower]:
		e |= evReason
	}
	if unicode.IsUpper(r) && !notNames[lower] && e&evTime == 0 {
		if !first {
			e |= evName
		}
		if lx.places[lower] || !first && placePrepositions[prev] {
			e |= evPlace
		}
	}
	return e
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

// auxiliaries end a wh-phrase's focus words: "what company IS ...".
var auxiliaries = map[string]bool{
	"is": true, "was": true, "are": true, "were": true, "do": true, "does": true, "did": true,
	"has": true, "have": true, "had": true, "can": true, "could": true, "will": true,
	"would": true, "should": true, "may": true, "might": true, "must": true, "shall": true,
}

// questionType finds the answer type from the question word, the words
// after it and the lexicon's focus nouns; the focus is the noun that told
// the type ("company" in "what record company"), or "".
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
		// The focus: the first focus noun among the next words, before
		// an auxiliary ("what record company is", "what city hosts").
		// After "the name of", names and possessives are skipped
		// ("the name of Durst's group").
		named := false
		if n := nameOf(rest); n > 0 {
			rest, named = rest[n:], true
		}
		var head string
		for i, w := range rest {
			lw := strings.ToLower(w)
			if auxiliaries[lw] || i >= 5 {
				break
			}
			if r, _ := utf8.DecodeRuneInString(w); named && head == "" && (unicode.IsUpper(r) || lw == "s" || lw == "'s") {
				continue
			}
			if lw == "kind" || lw == "type" || lw == "sort" || lw == "of" || lw == "the" || lw == "a" || lw == "an" {
				continue
			}
			ts := an.Terms(lw)
			if len(ts) != 1 {
				break
			}
			if _, ok := lx.focus[ts[0]]; ok {
				head = ts[0]
				break
			}
		}
		if head != "" {
			return lx.focus[head], head
		}
		if len(rest) > 0 && auxiliaries[strings.ToLower(rest[0])] {
			return AnswerDescription, ""
		}
	}
	return AnswerAny, ""
}
