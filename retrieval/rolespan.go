package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/verbatim-bot/verbatim/corpus"
)

// roleSpan finds the words of a quote that say who the person a "who is
// X?" question names is, or what they do ("what does X do",
// asksOccupation: first the description after their name, see
// occupation): the role the sentence gives its speaker when the
// speaker is the person asked about ("The US ambassador to Iraq, Zalmy
// Khalilzad, said ..."), else a description set beside the name between
// commas (see appositive). It reports false for other questions, and
// when the sentence describes no one the question names.
func roleSpan(q rankQuery, s corpus.Sentence) (Span, bool) {
	occupation := q.asksOccupation()
	if !occupation && (q.atype != AnswerDescription || q.wh != "who") {
		return Span{}, false
	}
	named := func(w string) bool { return !isStopWord(w) && !whWords[w] && q.qwords.has(w) }
	a := appositiveText{text: s.Text, toks: appendWordSpans(nil, s.Text)}
	if occupation {
		// What someone does is the description after their name, to a
		// relative pronoun ("a school nurse who ran ..."), before it is
		// any role.
		if sp, ok := a.eachName(named, a.occupation); ok {
			return sp, true
		}
	}
	if s.Role != "" && namesAny(s.Speaker, named) {
		if i := strings.Index(s.Text, s.Role); i >= 0 {
			// A role of capitalised words alone may be part of a title the
			// attribution cut ("Chief" of "Chief Fire Officer Karen Doyle").
			if first, last, ok := a.wordsAt(i, i+len(s.Role)); ok && a.describes(first, last) {
				return Span{i, i + len(s.Role)}, true
			}
		}
	}
	return a.appositive(named)
}

// namesAny reports whether a word of name, lower-cased and folded as a
// question's words are, is one that named accepts.
func namesAny(name string, named func(string) bool) bool {
	for w := range strings.FieldsFuncSeq(name, notWordRune) {
		if named(foldWord(w)) {
			return true
		}
	}
	return false
}

// appositiveText is a text and where its words stand, for appositive.
type appositiveText struct {
	text string
	toks []Span
}

// appositive finds a description of a person in the text, set beside
// their name between commas: before it ("Iraq's foreign minister, Hoshyar
// Zebari, told ...", "his deputy, John Smith, would ..."), or after it
// (see after: "Zoë Marchetti, the chain's founder, said ..."). The name
// is the first run of capitalised words holding a word that named accepts
// (lower-cased and folded) that has such a description. A description is a few words, at least one of them
// a lower-case word that is not a stop word, and starts with none of
// the words that open a phrase of time or manner ("On Monday, ...",
// "Speaking to reporters, ...").
func (a appositiveText) appositive(named func(string) bool) (Span, bool) {
	return a.eachName(named, func(first, last int) (Span, bool) {
		if sp, ok := a.before(first, last); ok {
			return sp, true
		}
		return a.after(last)
	})
}

// eachName calls describe with the first and last word of each run of
// capitalised words holding a word that named accepts, in order, and
// returns the first description it finds.
func (a appositiveText) eachName(named func(string) bool, describe func(first, last int) (Span, bool)) (Span, bool) {
	n := len(a.toks)
	for i := 0; i < n; i++ {
		if !a.capital(i) || !named(a.word(i)) {
			continue
		}
		first, last := i, i
		for first > 0 && a.capital(first-1) && a.gap(first) == " " {
			first--
		}
		for last+1 < n && a.capital(last+1) && a.gap(last+1) == " " {
			last++
		}
		if sp, ok := describe(first, last); ok {
			return sp, true
		}
		i = last
	}
	return Span{}, false
}

// gap is the text between word i-1 and word i: before the first word for
// i 0, after the last for i len(toks).
func (a appositiveText) gap(i int) string {
	switch {
	case i == 0:
		return a.text[:a.toks[0].Start]
	case i == len(a.toks):
		return a.text[a.toks[i-1].End:]
	}
	return a.text[a.toks[i-1].End:a.toks[i].Start]
}

// word is word i, lower-cased and folded.
func (a appositiveText) word(i int) string {
	return foldWord(a.text[a.toks[i].Start:a.toks[i].End])
}

// capital reports whether word i starts with a capital letter.
func (a appositiveText) capital(i int) bool {
	r, _ := utf8.DecodeRuneInString(a.text[a.toks[i].Start:])
	return unicode.IsUpper(r)
}

// wordsAt returns the first and last of the words whose text runs from
// byte start to byte end, and false when start or end falls inside a word
// or between words.
func (a appositiveText) wordsAt(start, end int) (first, last int, ok bool) {
	first, last = -1, -1
	for i, t := range a.toks {
		if t.Start == start {
			first = i
		}
		if t.End == end {
			last = i
		}
	}
	return first, last, first >= 0 && last >= first
}

// describes reports whether words first..last can describe a person: a
// lower-case word among them that is neither a stop word nor a number.
func (a appositiveText) describes(first, last int) bool {
	for i := first; i <= last; i++ {
		if w := a.word(i); !a.capital(i) && !isStopWord(w) && !isDigits(w) {
			return true
		}
	}
	return false
}

// boundary reports whether the gap before word i ends a phrase: a
// clause's punctuation, a quotation mark, a dash, or a word after which a
// description cannot go on ("that", "said").
func (a appositiveText) boundary(i int) bool {
	g := a.gap(i)
	if strings.ContainsAny(g, ",;:.!?()[]\"“”—–") || strings.Contains(g, " - ") {
		return true
	}
	return i > 0 && roleBreaks[a.word(i-1)]
}

// roleBreaks are the words a description does not run across: a speech
// verb or "that" stands between a clause and the description after it.
var roleBreaks = map[string]bool{
	"that": true, "said": true, "says": true, "told": true, "tells": true, "added": true,
	"announced": true, "confirmed": true, "according": true, "and": true, "or": true,
}

// before returns the description that ends with a comma before the name
// run first..last, itself followed by a comma.
func (a appositiveText) before(first, last int) (Span, bool) {
	if first == 0 || strings.TrimSpace(a.gap(first)) != "," || !strings.HasPrefix(strings.TrimSpace(a.gap(last+1)), ",") {
		return Span{}, false
	}
	end := first - 1
	start := end
	for start > 0 && !a.boundary(start) {
		start--
	}
	// "by Corvasia's trade minister, Rafael Oduya": the agent's "by" is
	// not the role's. "called the county's finds liaison officer, Farida
	// Nasser": the role starts at its determiner, after the verb.
	if a.word(start) == "by" && start < end {
		start++
	}
	if w := a.word(start); !a.capital(start) && !determiners[w] && !roleOpeners[w] {
		for k := start + 1; k < end; k++ {
			if determiners[a.word(k)] {
				start = k
				break
			}
		}
	}
	return a.role(start, end, maxRoleBefore)
}

// after returns the description that follows a comma after the name run
// ending at last, and an age if one comes first: starting with a
// determiner, a possessive, "who", or "of" and a determiner ("Zoë
// Marchetti, the chain's founder", "Ellen Sykes, who runs the pharmacy",
// "Dr Anaïs Carvell, of the local health protection team").
func (a appositiveText) after(last int) (Span, bool) {
	start, ok := a.afterStart(last)
	if !ok {
		return Span{}, false
	}
	end := start
	for end+1 < len(a.toks) && !a.boundary(end+1) {
		end++
	}
	return a.role(start, end, maxRoleAfter)
}

// occupation is after for what someone does for a living: a description
// that starts with a determiner or a possessive ("Dorcas Whitlow, 67, a
// retired florist"), not "who", and ends before a relative pronoun ("a
// school nurse who ran free clubs": "a school nurse").
func (a appositiveText) occupation(_, last int) (Span, bool) {
	start, ok := a.afterStart(last)
	if !ok || relativePronouns[a.word(start)] {
		return Span{}, false
	}
	end := start
	for end+1 < len(a.toks) && !a.boundary(end+1) && !relativePronouns[a.word(end+1)] {
		end++
	}
	return a.role(start, end, maxRoleAfter)
}

// relativePronouns end a description of what someone does.
var relativePronouns = wordSet("who", "whom", "whose", "which", "that")

// afterStart returns where the description after the name run ending at
// last starts (see after), and false when none can.
func (a appositiveText) afterStart(last int) (int, bool) {
	start := last + 1
	if start >= len(a.toks) || strings.TrimSpace(a.gap(start)) != "," {
		return 0, false
	}
	// An age first is passed over: "Martin Greave, 61, who led ...".
	if isDigits(a.word(start)) && start+1 < len(a.toks) && strings.TrimSpace(a.gap(start+1)) == "," {
		start++
	}
	possessive := start+1 < len(a.toks) && a.word(start+1) == "s" && strings.ContainsAny(a.gap(start+1), "'’")
	of := a.word(start) == "of" && start+1 < len(a.toks) && determiners[a.word(start+1)]
	if !determiners[a.word(start)] && !possessive && !of && a.word(start) != "who" {
		return 0, false
	}
	return start, true
}

// The longest descriptions appositive takes, in words ("Iraq's" is two).
const (
	maxRoleBefore = 7
	maxRoleAfter  = 9
)

// role returns words start..end as a description, if they can be one:
// at most max words, a lower-case word among them that is not a stop
// word, and a first word that does not open a phrase of time or manner.
func (a appositiveText) role(start, end, max int) (Span, bool) {
	if end < start || end-start+1 > max || roleOpeners[a.word(start)] || strings.HasSuffix(a.word(start), "ing") ||
		!a.describes(start, end) {
		return Span{}, false
	}
	return Span{a.toks[start].Start, a.toks[end].End}, true
}

// roleOpeners open a phrase of time, place or manner set off by a comma
// before a name, not a description of the person: "On Monday, Zoë
// Marchetti said ...".
var roleOpeners = map[string]bool{
	"in": true, "on": true, "at": true, "after": true, "before": true, "during": true,
	"for": true, "with": true, "by": true, "from": true, "since": true, "until": true,
	"when": true, "while": true, "as": true, "if": true, "but": true, "so": true,
	"then": true, "yesterday": true, "today": true, "meanwhile": true, "however": true,
	"instead": true, "still": true, "also": true, "according": true,
}
