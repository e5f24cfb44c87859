package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token of a sentence is.
type tokKind uint8

const (
	tWord       tokKind = iota
	tComma              // ,
	tColon              // :
	tSemi               // ;
	tDash               // a dash standing alone: - – —
	tOpenQ              // an opening quotation mark
	tCloseQ             // a closing quotation mark
	tOpenParen          // ( [
	tCloseParen         // ) ]
	tStop               // . ? ! …
	tOther
)

// token is a word or a punctuation mark of a sentence.
type token struct {
	text string // as written
	// lo is text with ASCII letters lower-cased; other letters are kept,
	// so lo is as long as text and the word tables (all ASCII) match it.
	lo     string
	kind   tokKind
	cap    bool // a word whose first letter is upper case
	first  bool // the first word of the sentence
	quoted bool // inside quotation marks
	flags  tokFlags
	lex    wordSet  // the word lists holding lo (or lo without a full stop)
	verb   verbInfo // when lex has verbForms
	start  int      // byte offsets in the sentence
	end    int
}

// tokFlags describe a word's spelling, computed once by tokenize.
type tokFlags uint8

const (
	fDigit      tokFlags = 1 << iota // holds a digit
	fPossessive                      // ends in 's or s'
	fAcronym                         // in capitals: "US", "NATO"
	fName                            // may be part of a name (see isName)
	fGuessed                         // a person noun guessed from its ending (see personNoun)
)

func (t token) is(s wordSet) bool { return t.lex&s != 0 }
func (t token) possessive() bool  { return t.flags&fPossessive != 0 }

// quoteState is which quotations are open at a point of a paragraph.
type quoteState struct {
	double, single bool
}

func (q quoteState) open() bool { return q.double || q.single }

// tokenize splits a sentence into tokens, appending to ts, and marks the
// words inside quotation marks. in is the quotation state the sentence
// starts in (a quotation may run across sentences); tokenize returns the
// state it ends in, and s with its ASCII letters lower-cased, which the
// tokens' lo fields are slices of. A closing mark with no opening one means
// the sentence began inside a quotation: every token before it is marked
// quoted.
func tokenize(ts []token, s string, in quoteState) ([]token, string, quoteState) {
	lo := asciiLower(s)
	q := in
	base := len(ts)
	sawWord := false
	// marked: tokens before it are known to be quoted already, so that a
	// run of unmatched closing marks costs linear time.
	marked := base
	markQuoted := func() {
		for i := marked; i < len(ts); i++ {
			if ts[i].kind != tOpenQ && ts[i].kind != tCloseQ {
				ts[i].quoted = true
			}
		}
		marked = len(ts)
	}
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if isWordRune(r) {
			end := wordEnd(s, lo, i)
			first, _ := utf8.DecodeRuneInString(s[i:])
			ts = append(ts, classify(token{
				text: s[i:end], lo: lo[i:end], kind: tWord,
				cap:    unicode.IsUpper(first) || unicode.IsTitle(first),
				first:  !sawWord,
				quoted: q.open(), start: i, end: end,
			}))
			sawWord = true
			i = end
			continue
		}
		kind := tOther
		switch r {
		case ',':
			kind = tComma
		case ':':
			kind = tColon
		case ';':
			kind = tSemi
		case '-', '\u2013', '\u2014', '\u2212':
			kind = tDash
		case '(', '[':
			kind = tOpenParen
		case ')', ']':
			kind = tCloseParen
		case '.', '?', '!', '\u2026':
			kind = tStop
		case '"', '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb':
			kind = quoteKind(s, i, size, r, q.double)
			switch {
			case kind == tOpenQ:
				q.double = true
			case !q.double:
				// A closing mark with no opening: the sentence began
				// inside the quotation.
				markQuoted()
			}
			if kind == tCloseQ {
				q.double = false
			}
		case '\'', '\u2018', '\u2019':
			kind = singleQuoteKind(s, i, size, r, q.single)
			if n := len(ts); kind == tOther && n > base && ts[n-1].kind == tWord && ts[n-1].end == i {
				// A plural possessive: "Farmers' Association".
				w := &ts[n-1]
				w.end += size
				w.text, w.lo = s[w.start:w.end], lo[w.start:w.end]
				*w = classify(*w)
				i += size
				continue
			}
			switch kind {
			case tOpenQ:
				q.single = true
			case tCloseQ:
				if !q.single {
					markQuoted()
				}
				q.single = false
			}
		}
		quoted := q.open()
		if kind == tOpenQ || kind == tCloseQ {
			quoted = false
		}
		ts = append(ts, token{text: s[i : i+size], lo: lo[i : i+size], kind: kind, quoted: quoted, start: i, end: i + size})
		i += size
	}
	return ts, lo, q
}

// classify fills in what a word token is: its word lists, its verb, its
// flags.
func classify(t token) token {
	t.lex = lexicon[t.lo]
	if n := len(t.lo); n > 1 && t.lo[n-1] == '.' {
		t.lex |= lexicon[t.lo[:n-1]] // "Gen." is "gen"
	}
	if t.is(verbForms) {
		t.verb = reportingVerbs[t.lo]
	}
	if hasDigit(t.lo) {
		t.flags |= fDigit
	}
	if isPossessive(t.lo) {
		t.flags |= fPossessive
	}
	if t.lex == 0 && !t.cap {
		if t.lex = personNoun(t.lo); t.lex != 0 {
			t.flags |= fGuessed
		}
	}
	if t.cap && isAcronym(t.text) {
		t.flags |= fAcronym
	}
	if isName(t) {
		t.flags |= fName
	}
	return t
}

// personNoun guesses from its ending whether an unlisted lower-case word
// names a person ("dispatcher", "novelist", "attendee": roleNouns) or
// people ("astronomers": groupNouns); 0 when it does not look like one.
func personNoun(lo string) wordSet {
	if len(lo) < 5 || notPeople.has(lo) || strings.HasSuffix(lo, "ment") || strings.HasSuffix(lo, "ments") {
		return 0
	}
	if strings.ContainsAny(lo, "0123456789") {
		return 0 // "000er", "4x4ers": not words for people
	}
	set, w := roleNouns, lo
	if strings.HasSuffix(lo, "s") && !strings.HasSuffix(lo, "ss") {
		set, w = groupNouns, lo[:len(lo)-1]
	}
	for _, suf := range personSuffixes {
		if strings.HasSuffix(w, suf) {
			return set
		}
	}
	return 0
}

// personSuffixes end English nouns for people: "dispatcher", "inspector",
// "novelist", "physician", "consultant", "student", "attendee".
var personSuffixes = []string{"er", "or", "ist", "ian", "ant", "ent", "ee"}

// asciiLower lower-cases the ASCII letters of s, keeping its length.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordEnd returns the end of the word starting at s[i] (lo is s
// lower-cased): letters and digits, with hyphens, apostrophes and full
// stops inside it ("al-Maliki", "Iraq's", "U.S"), and a full stop after an
// abbreviation or an initial ("Gen.", "W.").
func wordEnd(s, lo string, i int) int {
	j := i
	for j < len(s) {
		r, size := rune(s[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[j:])
		}
		if isWordRune(r) {
			j += size
			continue
		}
		if r == '-' || r == '\'' || r == '\u2019' || r == '.' || (r == ':' && j > i && isDigitByte(s[j-1])) {
			if n, _ := utf8.DecodeRuneInString(s[j+size:]); j+size < len(s) && isWordRune(n) {
				if r == ':' && !isDigitByte(s[j+size]) {
					break
				}
				j += size
				continue
			}
		}
		break
	}
	if j < len(s) && s[j] == '.' && isAbbrev(s[i:j], lo[i:j]) {
		j++
	}
	return j
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// isAbbrev reports whether w (lo lower-cased), followed by a full stop, is
// an abbreviation rather than the end of a sentence: an initial, a title,
// a dotted abbreviation like "U.S".
func isAbbrev(w, lo string) bool {
	if r, size := utf8.DecodeRuneInString(w); size == len(w) && unicode.IsUpper(r) {
		return true
	}
	if strings.Contains(w, ".") {
		return true
	}
	return (abbrevTitles | courtesyTitles).has(lo) || lo == "jr" || lo == "sr" || lo == "st"
}

// quoteKind decides whether the double quotation mark r at s[i:i+size]
// opens or closes a quotation. Curly marks say so; a straight mark opens
// after a space and closes before one.
func quoteKind(s string, i, size int, r rune, open bool) tokKind {
	switch r {
	case '\u201c', '\u201e', '\u00ab':
		return tOpenQ
	case '\u201d', '\u00bb':
		return tCloseQ
	}
	before, after := spaceBefore(s, i), spaceAfter(s, i+size)
	switch {
	case before && !after:
		return tOpenQ
	case after && !before:
		return tCloseQ
	case open:
		return tCloseQ
	}
	return tOpenQ
}

// singleQuoteKind decides what a single quotation mark or apostrophe is.
// An apostrophe inside a word never gets here (wordEnd keeps it); one after
// a word ending in s is a plural possessive unless a quotation is open.
func singleQuoteKind(s string, i, size int, r rune, open bool) tokKind {
	before, after := spaceBefore(s, i), spaceAfter(s, i+size)
	if r == '\u2018' {
		if after {
			return tOther
		}
		return tOpenQ
	}
	switch {
	case before && !after:
		if r == '\u2019' && open {
			return tCloseQ
		}
		return tOpenQ
	case after && !before:
		if open {
			return tCloseQ
		}
		if p, _ := utf8.DecodeLastRuneInString(s[:i]); p == 's' || p == 'S' {
			return tOther
		}
		if r == '\u2019' {
			return tCloseQ
		}
	}
	return tOther
}

// spaceBefore reports whether s[i] follows a space, the start of the text,
// or a mark that may come before an opening quotation.
func spaceBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r) || strings.ContainsRune("([{\u2013\u2014", r)
}

// spaceAfter reports whether s[i] is a space, the end of the text, or a
// mark that may follow a closing quotation.
func spaceAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r) || strings.ContainsRune(".,;:!?)]}-\u2013\u2014\u2026\"\u201d\u2019'", r)
}
