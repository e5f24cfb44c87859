package retrieval

import (
	"fmt"
	"strings"
	"testing"
)

// TestTermFilterHoldsEveryTerm checks that an article's filter of terms
// passes every term of the article (the ranking's bound by it would
// otherwise fall below a score) and rules out most others.
func TestTermFilterHoldsEveryTerm(t *testing.T) {
	ts := newTermSetOf()
	for i := range 300 {
		ts.addSentence([]string{fmt.Sprintf("term%d", i)})
	}
	f := newTermFilter(ts)
	if len(f) != (300*termFilterBits+63)/64*8 {
		t.Errorf("filter of 300 terms is %d bytes; want %d", len(f), (300*termFilterBits+63)/64*8)
	}
	for term := range ts.df {
		if !filterHas(f, termHash(term)) {
			t.Fatalf("filter rules out %q, a term it was made of", term)
		}
	}
	passed := 0
	const others = 10000
	for i := range others {
		if filterHas(f, termHash(fmt.Sprintf("other%d", i))) {
			passed++
		}
	}
	share := float64(passed) / others
	t.Logf("filter of 300 terms passes %.1f%% of others", 100*share)
	if share > 0.06 {
		t.Errorf("filter passes %.1f%% of terms it was not made of; want about 4%%", 100*share)
	}
	if !filterHas("", termHash("any")) || newTermFilter(newTermSetOf()) != "" {
		t.Error("an empty filter must pass every term, and be the filter of no terms")
	}
}

// TestEntriesKeepTermFilters checks that the entries of an index on disk,
// reopened, hold the filter of their articles' terms, and that the
// index's version names the entry's, so that an index whose entries have
// none is rebuilt when opened (TestOpenOtherVersionIsRebuilt).
func TestEntriesKeepTermFilters(t *testing.T) {
	if want := fmt.Sprintf("/entry-%d/", entryVersion); !strings.Contains(analysisVersion, want) {
		t.Errorf("analysisVersion = %q; want it to name %s", analysisVersion, want)
	}
	c := seedCorpus(t)
	ix := reopenedIndex(t, c)
	for _, a := range c.Articles() {
		e, ok := ix.man.Articles.get(a.ID)
		if !ok || e.filter == "" {
			t.Fatalf("entry of %s = %v, %v; want one with a filter of terms", a.ID, e, ok)
		}
		terms := ix.articleTerms(a.ID)
		if terms == nil {
			t.Fatalf("no terms of %s", a.ID)
		}
		for term := range terms.counts() {
			if !filterHas(e.filter, termHash(term)) {
				t.Errorf("filter of %s rules out its term %q", a.ID, term)
			}
		}
	}
}

// filterHas is filterHasMixed for a term's termHash h, as the tests look
// terms up (the ranking mixes each question term's hash once).
func filterHas(f string, h uint32) bool { return filterHasMixed(f, filterMix(h)) }
