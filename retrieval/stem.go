package retrieval

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	porter "github.com/blevesearch/go-porterstemmer"
)

// The text field's stemmer is Porter's, with one mend. Porter's stemmer
// cuts "pies", "ties", "lies" and "died" to "pi", "ti", "li" and "di",
// "lying" to "ly", but leaves "pie", "tie", "lie" and "die" whole (it
// drops a final e only from a longer stem). So a sentence's "custard
// pies" never matched a question's "pie", nor a bridge to it ("tarts"),
// and "broke off ties" no bridge to "tie". A one-consonant word of these
// ("pie", "pies", "pied", "tying") is given the term of its base instead:
// "pie", "tie", "lie", "die".

// stemFilter names the text analyzer's stemmer in the index mapping.
const stemFilter = "verbatim_stem"

// shortIE reports whether the lower-cased word r is a one-consonant word
// ending in "ie" or an inflection of one ("pies", "tied", "dying"), and
// its consonant.
func shortIE(r []rune) (rune, bool) {
	if len(r) < 3 || !consonant(r[0]) {
		return 0, false
	}
	for _, end := range [...]string{"ie", "ies", "ied", "ying"} {
		if runesAre(r[1:], end) {
			return r[0], true
		}
	}
	return 0, false
}

// runesAre reports whether r spells the ASCII s.
func runesAre(r []rune, s string) bool {
	if len(r) != len(s) {
		return false
	}
	for i, c := range r {
		if c != rune(s[i]) {
			return false
		}
	}
	return true
}

// consonant reports whether r is a lower-case ASCII consonant (y too:
// "yie" is no word, and the rule needs no exception for it).
func consonant(r rune) bool {
	return r >= 'a' && r <= 'z' && r != 'a' && r != 'e' && r != 'i' && r != 'o' && r != 'u'
}

// stemRunes stems the lower-cased word r by Porter's stemmer with the
// mend above, in place.
func stemRunes(r []rune) []rune {
	if c, ok := shortIE(r); ok {
		return append(r[:0], c, 'i', 'e')
	}
	return porter.StemWithoutLowerCasing(r)
}

// stemTokens is the text analyzer's last token filter: each token's term
// stemmed as stemRunes stems it, but keywords (phrasal verbs' terms),
// which it leaves as they are.
type stemTokens struct{}

// Filter stems the tokens of in in place.
func (stemTokens) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !t.KeyWord {
			t.Term = analysis.BuildTermFromRunes(stemRunes(bytes.Runes(t.Term)))
		}
	}
	return in
}

// registerStemFilter registers stemTokens with bleve as stemFilter.
func registerStemFilter() error {
	err := registry.RegisterTokenFilter(stemFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return stemTokens{}, nil
	})
	if err != nil {
		return fmt.Errorf("token filter %s: %w", stemFilter, err)
	}
	return nil
}

// stemmer stems words as stemOf does, in memory reused from word to
// word: stemOf makes a slice of runes and a string of each.
type stemmer struct {
	in    []byte
	runes []rune
	out   []byte
}

// stem returns stemOf(string(w)), in memory the next call overwrites.
func (s *stemmer) stem(w []byte) []byte { return s.run(w, unicode.ToLower) }

// stemLowered is stem without lower-casing w first, as the text
// analyzer's stemmer stems its lower-cased tokens.
func (s *stemmer) stemLowered(w []byte) []byte { return s.run(w, nil) }

// run stems w, each of its runes passed through lower first unless it
// is nil.
func (s *stemmer) run(w []byte, lower func(rune) rune) []byte {
	s.runes = s.runes[:0]
	for _, r := range string(w) {
		if lower != nil {
			r = lower(r)
		}
		s.runes = append(s.runes, r)
	}
	s.out = s.out[:0]
	for _, r := range stemRunes(s.runes) {
		s.out = utf8.AppendRune(s.out, r)
	}
	return s.out
}

// stemString is stem for a string.
func (s *stemmer) stemString(w string) []byte {
	s.in = append(s.in[:0], w...)
	return s.stem(s.in)
}

// stemOf is the stem of a word, lower-cased, as the text field has it.
func stemOf(w string) string {
	r := []rune(w)
	for i, c := range r {
		r[i] = unicode.ToLower(c)
	}
	return string(stemRunes(r))
}
