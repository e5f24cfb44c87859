package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// extraAbbrevs are abbreviations common in news copy that the Punkt
// training data does not always know; Punkt then never ends a sentence on
// them ("Gen. Petraeus", "Sept. 11").
var extraAbbrevs = []string{
	"mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr",
	"adm", "sgt", "cpl", "pvt", "rep", "sen", "gov", "pres", "rev", "st", "jr", "sr",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"inc", "corp", "co", "ltd", "no", "vs", "etc", "approx", "dept", "univ", "ft", "mt",
}

// splitter splits text into sentences. It wraps the Punkt tokenizer of
// github.com/neurosnap/sentences trained on English, which already handles
// abbreviations, initials, decimals and quotes that close after the full
// stop; it is built once because loading the training data costs a few
// milliseconds.
var splitter = sync.OnceValues(func() (*sentences.DefaultSentenceTokenizer, error) {
	t, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, err
	}
	for _, a := range extraAbbrevs {
		t.AbbrevTypes.Add(a)
	}
	return t, nil
})

// SplitSentences splits one paragraph into sentences, each with its white
// space folded. It never drops or changes a character other than white
// space: joining the results with single spaces gives the folded paragraph.
// It is safe for concurrent use.
func SplitSentences(paragraph string) []string {
	text := FoldSpace(paragraph)
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
		// A fragment with no letter or digit (a stray dash or quote)
		// belongs to the sentence before it.
		if len(out) > 0 && !hasWordChar(t) {
			out[len(out)-1] += " " + t
			continue
		}
		out = append(out, t)
	}
	return out
}

// FoldSpace trims s and folds every run of white space (including
// non-breaking spaces and line breaks) into one ASCII space.
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
