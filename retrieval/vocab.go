package retrieval

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Terms completes the last word of prefix (any case) with words of the
// corpus, the most frequent first, and returns up to limit completions,
// each the prefix's earlier words followed by a completed word: the
// choices of /lookup's autocomplete. Stop words are left out unless typed
// in full. An empty prefix gives the most frequent words overall.
func (ix *Index) Terms(prefix string, limit int) ([]string, error) {
	prefix = strings.ToLower(strings.Join(strings.Fields(prefix), " "))
	head := ""
	if i := strings.LastIndexByte(prefix, ' '); i >= 0 {
		head, prefix = prefix[:i+1], prefix[i+1:]
	}
	if limit <= 0 || utf8.RuneCountInString(prefix) > MaxTermRune {
		return nil, nil
	}
	fd, err := ix.bi.FieldDictPrefix(fieldExact, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("term dictionary: %w", err)
	}
	defer fd.Close()
	type entry struct {
		term  string
		count uint64
	}
	var all []entry
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, fmt.Errorf("term dictionary: %w", err)
		}
		if e == nil {
			break
		}
		if isStopWord(e.Term) && e.Term != prefix {
			continue
		}
		all = append(all, entry{e.Term, e.Count})
	}
	slices.SortFunc(all, func(a, b entry) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return strings.Compare(a.term, b.term)
	})
	out := make([]string, 0, min(limit, len(all)))
	for _, e := range all[:min(limit, len(all))] {
		out = append(out, head+e.term)
	}
	return out, nil
}
