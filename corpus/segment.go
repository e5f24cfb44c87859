package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
	"github.com/neurosnap/sentences/english"
)

// extraAbbrevs are abbreviations common in news copy that the Punkt
// training data does not always know; Punkt then never ends a sentence on
// them ("Gen. Petraeus", "Sept. 11") unless the next word is one that
// usually opens a sentence.
var extraAbbrevs = []string{
	"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
	"adm", "sgt", "cpl", "pvt", "rep", "sen", "gov", "pres", "rev", "st", "jr", "sr",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"inc", "corp", "co", "ltd", "no", "vs", "etc", "approx", "dept", "univ", "ft", "mt",
}

// splitter splits text into sentences. It is the Punkt tokenizer of
// github.com/neurosnap/sentences with its English training data and word
// tokenizer, which handle abbreviations, initials, decimals and quotes that
// close after the full stop; its last pass is [newsAnnotation] rather than
// the package's English one. It is built once because loading the training
// data costs a few milliseconds.
var splitter = sync.OnceValues(func() (*sentences.DefaultSentenceTokenizer, error) {
	b, err := data.Asset("data/english.json")
	if err != nil {
		return nil, err
	}
	training, err := sentences.LoadTraining(b)
	if err != nil {
		return nil, err
	}
	for _, a := range extraAbbrevs {
		training.AbbrevTypes.Add(a)
	}
	lang := sentences.NewPunctStrings()
	word := english.NewWordTokenizer(lang)
	annotations := append(sentences.NewAnnotations(training, lang, word), &newsAnnotation{
		Storage: training,
		word:    word,
		ortho:   &sentences.OrthoContext{Storage: training, PunctStrings: lang, TokenType: word, TokenFirst: word},
	})
	return &sentences.DefaultSentenceTokenizer{
		Storage:       training,
		PunctStrings:  lang,
		WordTokenizer: word,
		Annotations:   annotations,
	}, nil
})

// newsAnnotation is the last pass over Punkt's annotated tokens. It does
// what the English package's multi-period pass does (abbreviations with
// several full stops, such as "U.S." and "a.m.", end a sentence only before
// a word that opens one; a full stop inside closing quotes or brackets ends
// one only before a capital), with these corrections for news copy:
//
//   - a number ends a sentence ("born in 1990. Then"); the English pass
//     took any number with a full stop for a list number, which it is only
//     at the start of a sentence ("1. Talks began.");
//   - decimals, money and addresses are not abbreviations ("€4.50.",
//     "£2.3m.", "example.com." end sentences);
//   - "No." is an abbreviation only before a number ("No. 5"; "He said
//     no. Then ..." is two sentences), and "Vol.", "Fig." and "p." before a
//     number are abbreviations too;
//   - "a.m." and "p.m." end a sentence before any capitalised word but a
//     weekday, a month or a time zone ("at 3 p.m. Monday" is one sentence,
//     "at 6 a.m. Breakfast was served" two), unless the time follows a
//     determiner ("the 2 p.m. Concorde");
//   - a title ("Mr.", "Dr.", "Gen.") ends a sentence before a capitalised
//     word only if that word usually opens one, even if it is also a common
//     word ("Dr. Strange", "Gen. Miles", but "on Main St. The house");
//   - a capital initial ("J.") before a capitalised word ends a sentence
//     only if that word usually opens one ("David J. Fox", but "Plan B. The
//     plan failed.");
//   - an abbreviation after an opening quote or bracket ("\"Mr. Brown")
//     is still an abbreviation, and a word after one ("\"But") is read as
//     the word;
//   - four full stops are an ellipsis and a full stop, which end a
//     sentence before a capitalised word;
//   - an abbreviation in capitals with several full stops ("U.S.") ends a
//     sentence only before a word that usually opens one: "the U.S.
//     Ambassador" is one sentence.
type newsAnnotation struct {
	*sentences.Storage
	word  sentences.TokenParser
	ortho sentences.Ortho
}

// Annotate implements sentences.AnnotateTokens.
func (a *newsAnnotation) Annotate(tokens []*sentences.Token) []*sentences.Token {
	for i := 0; i+1 < len(tokens); i++ {
		a.annotate(tokens, i)
	}
	return tokens
}

// isListNumber reports whether a token is a number that opens a list item:
// "1." or "2)".
func isListNumber(tok string) bool {
	n := len(tok) - 1
	if n < 1 || n > 3 || (tok[n] != '.' && tok[n] != ')') {
		return false
	}
	for i := range n {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}

// isDottedAbbrev reports whether a token is an abbreviation of two or more
// groups of one or two letters, each ended by a full stop: "U.S.", "a.m.",
// "Ph.D.", "D.-N.Y.". Decimals ("4.50.") and addresses ("example.com.")
// are not.
func isDottedAbbrev(tok string) bool {
	groups := 0
	for i := 0; i < len(tok); {
		n := 0
		for i < len(tok) {
			r, size := utf8.DecodeRuneInString(tok[i:])
			if !unicode.IsLetter(r) {
				break
			}
			n++
			i += size
		}
		if n < 1 || n > 2 || i == len(tok) || tok[i] != '.' {
			return false
		}
		i++
		groups++
		if i < len(tok) && tok[i] == '-' {
			if i++; i == len(tok) {
				return false
			}
		}
	}
	return groups >= 2
}

// titles are abbreviations that stand before a name.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "messrs": true, "mme": true, "dr": true, "prof": true,
	"gen": true, "lt": true, "col": true, "maj": true, "capt": true, "cmdr": true, "adm": true,
	"sgt": true, "cpl": true, "pvt": true, "rep": true, "sen": true, "gov": true, "pres": true,
	"rev": true, "fr": true, "hon": true, "st": true,
}

// timeDeterminers are words before a time used as a modifier: "the 2 p.m.
// Concorde", "a 6 a.m. flight".
var timeDeterminers = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "that": true, "these": true, "those": true,
	"his": true, "her": true, "its": true, "their": true, "our": true, "my": true, "your": true,
	"each": true, "every": true, "another": true, "any": true, "no": true, "same": true,
	"next": true, "last": true, "first": true, "usual": true, "regular": true,
}

// openers are the characters that may open a token before its word.
const openers = "([\"'\u2018\u201c"

// numberAbbrevs are abbreviations that stand before a number.
var numberAbbrevs = map[string]bool{"no": true, "nos": true, "vol": true, "vols": true, "fig": true, "figs": true, "pp": true}

// timeFollowers are capitalised words that may follow "a.m." or "p.m."
// inside a sentence: weekdays, months and time zones.
var timeFollowers = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"gmt": true, "utc": true, "bst": true, "cet": true, "cest": true, "est": true, "edt": true, "cst": true,
	"cdt": true, "mst": true, "mdt": true, "pst": true, "pdt": true, "et": true, "ct": true, "pt": true,
	"ist": true, "jst": true, "aest": true, "aedt": true,
	"eastern": true, "central": true, "pacific": true, "mountain": true, "atlantic": true, "local": true, "greenwich": true,
}

func (a *newsAnnotation) annotate(tokens []*sentences.Token, i int) {
	tok, next := tokens[i], tokens[i+1]
	// Every rule below is about a token that ends with a full stop, a
	// closing bracket or a closing quote; most tokens do not.
	switch r, _ := utf8.DecodeLastRuneInString(tok.Tok); r {
	case '.', ')', '"', '\'', '\u2019', '\u201d':
	default:
		return
	}
	switch {
	case isListNumber(tok.Tok):
		if i == 0 || tokens[i-1].SentBreak {
			tok.SentBreak, tok.Abbr = false, false
		}
		// Otherwise a number that ends with a full stop: Punkt's
		// ordinal rule has decided.
		return
	case a.word.IsCoordinatePartOne(tok):
		tok.SentBreak = false
		return
	case strings.HasSuffix(tok.Tok, ".") && next.Tok == ".":
		tok.SentBreak = false
		return
	}

	core := strings.TrimLeft(tok.Tok, openers)
	lower := strings.ToLower(core)
	word, stop := strings.CutSuffix(lower, ".")
	// The next word, after any opening quote or bracket, decides.
	nextUpper := startsUpper(strings.TrimLeft(next.Tok, openers))
	switch {
	case stop && (numberAbbrevs[word] || core == "p."):
		if startsWithDigit(next.Tok) {
			tok.SentBreak, tok.Abbr = false, true
		} else if word == "no" {
			tok.SentBreak, tok.Abbr = true, false
		}
		return
	case lower == "a.m." || lower == "p.m.":
		nextWord := strings.ToLower(strings.TrimRightFunc(next.Tok, func(r rune) bool { return !unicode.IsLetter(r) }))
		modifier := i >= 2 && timeDeterminers[strings.ToLower(strings.TrimLeft(tokens[i-2].Tok, openers))]
		tok.Abbr = true
		tok.SentBreak = nextUpper && !timeFollowers[nextWord] && !modifier
		return
	case stop && titles[word] && isTitleCase(core) && nextUpper:
		// "St." is also a street ("on Main St. The house ...").
		tok.Abbr = true
		tok.SentBreak = a.opensSentence(next)
		return
	case stop && isCapitalInitial(core):
		if nextUpper {
			tok.Abbr = true
			tok.SentBreak = a.opensSentence(next)
		}
		// Before anything else Punkt's rule for initials has decided.
		return
	case stop && core != tok.Tok && a.IsAbbr(word):
		// Punkt's rule for abbreviations, which it did not apply
		// because of the opening quote or bracket.
		tok.Abbr = true
		tok.SentBreak = a.ortho.Heuristic(next) == 1 || nextUpper && a.opensSentence(next)
		return
	}

	if stop && tok.Abbr && !tok.SentBreak && nextUpper && a.opensSentence(next) {
		// Punkt's frequent-opener rule, for an opener after a quote
		// ("Sang-no. \"But ...").
		tok.SentBreak = true
		return
	}
	if strings.HasSuffix(tok.Tok, "....") {
		// An ellipsis and a full stop.
		tok.SentBreak = nextUpper
		return
	}

	unreliable := a.word.HasUnreliableEndChars(tok)
	dotted := isDottedAbbrev(core)
	if !unreliable && tok.Tok != "." && !a.word.IsCoordinatePartTwo(tok) && !dotted {
		return
	}
	if a.word.IsInitial(tok) {
		return
	}
	tok.Abbr = true
	tok.SentBreak = false
	// Punkt's orthographic heuristic, except for abbreviations in
	// capitals, which stand before capitalised nouns ("U.S. Forces").
	if !(dotted && core == strings.ToUpper(core)) && a.ortho.Heuristic(next) == 1 {
		tok.SentBreak = true
		return
	}
	if nextUpper && (a.opensSentence(next) || unreliable || tok.Tok == "." || a.word.IsCoordinatePartTwo(tok)) {
		tok.SentBreak = true
	}
}

// opensSentence reports whether a token is a word that frequently opens a
// sentence ("The", "He", "However") in Punkt's training data, after any
// opening quote or bracket.
func (a *newsAnnotation) opensSentence(tok *sentences.Token) bool {
	w := strings.ToLower(strings.TrimLeft(tok.Tok, openers))
	w = strings.TrimRightFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
	return a.SentStarters[w] != 0
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// isTitleCase reports whether a word starts with a capital and has no
// other: "Ms." but not "MS.".
func isTitleCase(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) && strings.ToLower(s[size:]) == s[size:]
}

// isCapitalInitial reports whether a token is a capital letter and a full
// stop: "J.".
func isCapitalInitial(tok string) bool {
	r, size := utf8.DecodeRuneInString(tok)
	return unicode.IsUpper(r) && tok[size:] == "."
}

func startsWithDigit(s string) bool {
	s = strings.TrimLeft(s, "#(")
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// SplitSentences splits one paragraph into sentences, each with its white
// space folded. It never drops or changes a character other than white
// space: joining the results with single spaces gives the folded paragraph.
// It returns nil for a paragraph with no text. It is safe for concurrent
// use.
//
// An abbreviation or an ellipsis before a capitalised word is ambiguous;
// SplitSentences ends the sentence there only when the word usually opens
// one ("The", "He", "However"), so "He arrived in the U.S. Officials met
// him." stays one sentence.
func SplitSentences(paragraph string) []string {
	return splitFolded(FoldSpace(paragraph))
}

// splitFolded is SplitSentences on a paragraph whose white space is
// already folded. The sentences share the memory of text.
func splitFolded(text string) []string {
	if text == "" {
		return nil
	}
	tok, err := splitter()
	if err != nil {
		// The training data is compiled in; failing to parse it is a
		// build defect, not an input error. Fall back to one sentence.
		return []string{text}
	}
	var out []string
	for _, s := range tok.Tokenize(text) {
		t := strings.TrimSpace(s.Text)
		if t == "" {
			continue
		}
		if len(out) > 0 {
			// Punkt may break right after a CJK full stop, where
			// there is no space: keep such pieces together, so that
			// the sentences joined by spaces give back the text.
			if s.Start > 0 && !strings.HasPrefix(s.Text, " ") {
				out[len(out)-1] += t
				continue
			}
			// A fragment with no letter or digit (a stray dash or
			// quote) belongs to the sentence before it.
			if !hasWordChar(t) {
				out[len(out)-1] += " " + t
				continue
			}
		}
		out = append(out, t)
	}
	// Pieces joined above are copies: point every sentence back into
	// the paragraph, which is kept anyway, so that a loaded corpus holds
	// its text once. The sentences, joined by single spaces, are text.
	off := 0
	for i, t := range out {
		if strings.HasPrefix(text[off:], t) {
			out[i] = text[off : off+len(t)]
			off = min(len(text), off+len(t)+1)
		}
	}
	return out
}

// FoldSpace trims s and folds every run of white space (including
// non-breaking spaces and line breaks) into one ASCII space. Bytes that are
// not UTF-8 become U+FFFD; text from Parse is always UTF-8.
func FoldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// endsSentence reports whether a line ends with closing punctuation, so the
// next line cannot continue its sentence.
func endsSentence(line string) bool {
	line = strings.TrimRightFunc(line, unicode.IsSpace)
	for line != "" {
		r, size := utf8.DecodeLastRuneInString(line)
		switch r {
		case '"', '\'', '\u201d', '\u2019', ')', ']', '*', '_':
			line = line[:len(line)-size]
			continue
		case '.', '?', '!', ':', '\u2026':
			return true
		}
		return false
	}
	return false
}

// continuesSentence reports whether a line reads as the rest of a sentence
// begun on the line before: it starts in lower case, or with a dash or
// other punctuation that cannot open a sentence.
func continuesSentence(line string) bool {
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	r, _ := utf8.DecodeRuneInString(line)
	switch {
	case unicode.IsLower(r):
		return true
	case r == '-' || r == '\u2013' || r == '\u2014' || r == ',' || r == ';' || r == ')' || r == '%':
		return true
	}
	return false
}
