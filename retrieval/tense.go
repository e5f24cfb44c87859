package retrieval

// A question put in the future ("when will the pool reopen", "what will
// the money pay for") is answered by a sentence that speaks of the
// future ("The pool will reopen in May", "The trust plans to ..."),
// seldom by one that tells what has happened, however many of its words
// the latter shares; and a question put in the past ("when did the pool
// reopen") seldom by one that speaks of what is to come. The tense is
// read from the auxiliaries alone: a question's "will", "going to",
// "did", "was"; a sentence's "will", "would", "plans to", "next year".

// tense is the time a question is put in.
type tense uint8

const (
	tenseNone   tense = iota // neither: "who is", "how many homes"
	tenseFuture              // "will", "shall", "going to"
	tensePast                // "did", "was", "were"
)

// futureAuxiliary reports whether w puts a question or a sentence in the
// future: "will", "shall".
func futureAuxiliary(w string) bool {
	switch w {
	case "will", "won't", "wont", "shall", "ll":
		return true
	}
	return false
}

// pastAuxiliary reports whether w puts a question in the past: "did",
// "was", "were".
func pastAuxiliary(w string) bool {
	switch w {
	case "did", "didn't", "didnt", "was", "wasn't", "were", "weren't":
		return true
	}
	return false
}

// futureTime reports whether w, after "next", names a time to come: "next
// year", "next spring".
func futureTime(w string) bool {
	switch w {
	case "year", "month", "week", "weekend", "season", "spring", "summer", "autumn", "winter", "time",
		"day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
		"february", "march", "april", "may", "june", "july", "august", "september", "october",
		"november", "december", "decade", "century":
		return true
	}
	return false
}

// futureIntent reports whether w, before "to", speaks of what is meant to
// happen: "plans to", "hopes to", "is going to".
func futureIntent(w string) bool {
	switch w {
	case "plan", "plans", "planned", "planning", "hope", "hopes", "hoping", "intend", "intends", "aim",
		"aims", "expect", "expects", "expected", "going":
		return true
	}
	return false
}

// askedTense returns the tense a question's lower-cased words, in order,
// put it in: the future where it has "will", "shall" or "going to", else
// the past where it has "did", "was" or "were".
func askedTense(words []string) tense {
	past := false
	for i, w := range words {
		if futureAuxiliary(w) || w == "going" && i+1 < len(words) && words[i+1] == "to" {
			return tenseFuture
		}
		past = past || pastAuxiliary(w)
	}
	if past {
		return tensePast
	}
	return tenseNone
}

// speaksOfFuture reports whether a sentence's lower-cased words speak of
// the future: an auxiliary of it, "would" (the future of what someone
// said), "next" before a time, or an intent before "to". It reads every
// candidate sentence of a question put in a tense, so it tests words by
// switches, not maps.
func speaksOfFuture(words []string) bool {
	for i, w := range words {
		switch {
		case futureAuxiliary(w), w == "would":
			return true
		case i+1 >= len(words):
		case w == "next" && futureTime(words[i+1]), words[i+1] == "to" && futureIntent(w):
			return true
		}
	}
	return false
}

// inTense reports whether a sentence's words are in the tense t asks
// for: speaking of the future for a question put in it, not speaking of
// it for one put in the past.
func inTense(t tense, words []string) bool {
	switch t {
	case tenseFuture:
		return speaksOfFuture(words)
	case tensePast:
		return !speaksOfFuture(words)
	}
	return false
}
