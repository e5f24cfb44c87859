// Package filter is the filter of a server's feed (`/feeds add
// filter:`): words, or a /regular expression/, matched on an item's
// title and text. It is parsed where the filter is given (bot) and
// applied where items are polled.
package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the longest filter, in characters.
const MaxLen = 200

// Filter keeps the items that match it. The zero Filter (and a nil one)
// keeps every item. It is safe for concurrent use.
type Filter struct {
	re    *regexp.Regexp
	words []string // lower case
}

// Parse reads a filter: "" keeps everything; "/expr/" is a regular
// expression (RE2 syntax, case-insensitive) that must match somewhere in
// the title or text; anything else is words (separated by spaces or
// commas), of which the title or text must hold at least one, as a whole
// word, in any case. The error says, briefly, what is wrong.
func Parse(s string) (*Filter, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxLen {
		return nil, fmt.Errorf("the filter is too long (at most %d characters)", MaxLen)
	}
	if s == "" {
		return &Filter{}, nil
	}
	if len(s) >= 2 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
		expr := s[1 : len(s)-1]
		if strings.TrimSpace(expr) == "" {
			return nil, errors.New("the regular expression is empty")
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			var se *syntax.Error
			if errors.As(err, &se) {
				return nil, fmt.Errorf("not a valid regular expression: %s", se.Code)
			}
			return nil, errors.New("not a valid regular expression")
		}
		return &Filter{re: re}, nil
	}
	f := &Filter{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		f.words = append(f.words, strings.ToLower(w))
	}
	if len(f.words) == 0 {
		return nil, errors.New("the filter holds no words")
	}
	return f, nil
}

// Match reports whether an item with this title and text (paragraphs)
// passes the filter.
func (f *Filter) Match(title string, text []string) bool {
	if f == nil || (f.re == nil && len(f.words) == 0) {
		return true
	}
	all := append([]string{title}, text...)
	if f.re != nil {
		for _, s := range all {
			if f.re.MatchString(s) {
				return true
			}
		}
		return false
	}
	for _, s := range all {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '-' && r != '\''
		}) {
			for _, want := range f.words {
				if w == want {
					return true
				}
			}
		}
	}
	return false
}
