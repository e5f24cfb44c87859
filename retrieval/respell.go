package retrieval

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// A question word that neither the articles nor English (the lexicon)
// knows is most often a typing slip: "discoverd", "goverment",
// "ambasador". respell reads it as the article word one edit away (two
// for a long word) that most sentences hold, so that the question finds
// what it asks about. A word typed with a capital is meant as written; a
// name typed in lower case the articles lack is read as the article name
// that close, if any: "zalmay" as "Zalmy".
const (
	respellMinLen  = 5 // shorter words are too near too many others
	respellLongLen = 7 // from this length two edits are tried when one finds nothing (a swap of two letters is two)
)

// respell returns text with each of q's words that is a slip (see above)
// replaced by its article word, and whether it replaced any. q is text's
// query with its statistics (known); content is the question's content.
func (ix *Index) respell(ctx context.Context, text, content string, q rankQuery) (string, bool) {
	if q.known == nil || ix.an.lex == nil {
		return text, false
	}
	unknown := false
	for _, t := range q.terms {
		if q.unknown(t) {
			unknown = true
			break
		}
	}
	if !unknown {
		return text, false
	}
	terms, words, _, _ := ix.an.termsAndWords(content)
	changed := false
	for i, t := range terms {
		if i >= len(words) || !q.unknown(t) {
			continue
		}
		w := words[i]
		if utf8.RuneCountInString(w) < respellMinLen || ix.an.lex.english(w, t) {
			continue
		}
		fix, err := ix.nearestWord(ctx, w)
		if err != nil || fix == "" {
			continue
		}
		if out, ok := replaceWord(text, w, fix); ok {
			text, changed = out, true
		}
	}
	return text, changed
}

// unknown reports whether t is a term of q that the articles do not hold,
// typed without capitals: a word typed as a name ("Durst") is meant as
// written.
func (q rankQuery) unknown(t string) bool {
	for i, u := range q.terms {
		if u == t && !q.known[i] && (q.name == nil || !q.name[i]) {
			return true
		}
	}
	return false
}

// nearestWord returns the word of the articles one edit from w (two for a
// long word, when one finds none) that most sentences hold, ties to the
// first in order; "" when there is none.
func (ix *Index) nearestWord(ctx context.Context, w string) (string, error) {
	rd, err := ix.reader()
	if err != nil {
		return "", err
	}
	defer rd.Close()
	fz, ok := rd.(index.IndexReaderFuzzy)
	if !ok {
		return "", nil
	}
	// The fuzzy dictionary gives no counts: each word's are read.
	p, err := newPostings(ctx, rd)
	if err != nil {
		return "", err
	}
	defer p.release()
	for edits := 1; edits <= 2; edits++ {
		if edits == 2 && utf8.RuneCountInString(w) < respellLongLen {
			break
		}
		near, err := fuzzyTerms(fz, w, edits)
		if err != nil {
			return "", err
		}
		best, most := "", 0
		for _, t := range near {
			n, err := p.count(t, fieldExact)
			if err != nil {
				return "", err
			}
			if n > most || n == most && n > 0 && t < best {
				best, most = t, n
			}
		}
		if best != "" {
			return best, nil
		}
	}
	return "", nil
}

// fuzzyTerms returns the words of the exact field within edits of w,
// other than w and the stop words.
func fuzzyTerms(fz index.IndexReaderFuzzy, w string, edits int) ([]string, error) {
	fd, err := fz.FieldDictFuzzy(fieldExact, w, edits, "")
	if err != nil {
		return nil, fmt.Errorf("term dictionary: %w", err)
	}
	defer fd.Close()
	var out []string
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, fmt.Errorf("term dictionary: %w", err)
		}
		if e == nil {
			return out, nil
		}
		if e.Term != w && !isStopWord(e.Term) {
			out = append(out, e.Term)
		}
	}
}

// replaceWord replaces the first whole word of text that is w, in any
// case, by fix.
func replaceWord(text, w, fix string) (string, bool) {
	lower := strings.ToLower(text)
	if i := indexWord(lower, w); i >= 0 && len(lower) == len(text) {
		return text[:i] + fix + text[i+len(w):], true
	}
	return text, false
}
