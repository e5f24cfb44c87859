package retrieval

import (
	"strings"
	"unicode/utf8"
)

// calledSpan finds, for a question that asks what someone called or how
// they described something ("What did Khalilzad call the talks?", "How
// did he describe the contacts?"), the words the sentence quotes after
// its verb of naming: Mr Khalilzad called it a "first step"; calling
// them only "constructive and businesslike and problem-solving". The
// span is the quotation's words, without its marks. It reports false for
// other questions, and when no quotation follows such a verb in the
// same clause.
func calledSpan(q rankQuery, text string) (Span, bool) {
	if q.wh != "what" && q.wh != "how" || !asksNaming(q.qwords) {
		return Span{}, false
	}
	for _, t := range appendWordSpans(nil, text) {
		if !namingVerb(strings.ToLower(text[t.Start:t.End])) {
			continue
		}
		if sp, ok := quotedAfter(text, t.End); ok {
			return sp, true
		}
	}
	return Span{}, false
}

// namingVerbs are the verbs a question asks a name or description by, as
// the question writes them.
var namingVerbs = []string{"call", "describe", "term", "label", "dub", "characterise", "characterize"}

// asksNaming reports whether the question's words hold a verb of naming.
func asksNaming(words sortedWords) bool {
	for _, v := range namingVerbs {
		if words.has(v) || words.has(v+"d") || words.has(v+"ed") {
			return true
		}
	}
	return false
}

// namingVerb reports whether the sentence word w (lower-cased) is a form
// of a verb of naming: "called", "calling", "described", "dubbed".
func namingVerb(w string) bool {
	for _, v := range namingVerbs {
		stem := strings.TrimSuffix(v, "e")
		if w == v || strings.HasPrefix(w, stem) && len(w) <= len(stem)+4 && namingSuffix(w[len(stem):]) {
			return true
		}
	}
	return false
}

// namingSuffix reports whether s ends a form of a verb after its stem:
// "s", "ed", "ing", "es", or a doubled consonant's ("bed" of "dubbed",
// "led" of "labelled"). The verb as the list writes it is matched whole
// by namingVerb.
func namingSuffix(s string) bool {
	switch s {
	case "", "s", "ed", "ing", "es", "bed", "bing", "led", "ling":
		return true
	}
	return false
}

// quotedAfter returns the words of the first quotation that opens after
// byte from in text and before its clause ends (a full stop, a semicolon
// or a colon outside the quotation), without its marks.
func quotedAfter(text string, from int) (Span, bool) {
	for i := from; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '.' || r == ';' || r == ':' || r == '!' || r == '?':
			return Span{}, false
		case r == '"' || r == '“' || r == '‘' || r == '\'' && (i == 0 || text[i-1] == ' '):
			start := i + size
			end := strings.IndexAny(text[start:], closingQuotes(r))
			if end <= 0 {
				return Span{}, false
			}
			inner := text[start : start+end]
			trimmed := strings.TrimRight(inner, ".,;:!? ")
			if strings.TrimSpace(trimmed) == "" {
				return Span{}, false
			}
			return Span{start, start + len(trimmed)}, true
		}
		i += size
	}
	return Span{}, false
}

// closingQuotes are the marks that may close a quotation opened by r.
func closingQuotes(r rune) string {
	switch r {
	case '“':
		return "”\""
	case '‘':
		return "’'"
	case '\'':
		return "'’"
	}
	return "\"”"
}
