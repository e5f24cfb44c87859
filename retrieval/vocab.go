package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Terms is TermsIn over every article.
func (ix *Index) Terms(prefix string, limit int) ([]string, error) {
	return ix.TermsIn(prefix, "", limit)
}

// TermsIn completes the last word of prefix (any case) with words of the
// articles answered in guild (as Query.Guild: "" every article, NoGuild
// outside any server), the most frequent first (by the number of those
// articles' sentences that hold them; ties by the word), and returns up to
// limit completions, each the prefix's earlier words followed by a
// completed word: the choices of /lookup's autocomplete. A word only
// another server's own articles hold is not offered, and their sentences
// do not count in the order either. Stop words are left out unless typed
// in full. An empty prefix gives the most frequent words overall.
//
// When the guild sees every article (the usual case) the counts are the
// index's term dictionary's, read as they are. When it does not, what the
// hidden articles' sentences add to each word is taken off (see
// hiddenWords), and so is what the index's deleted sentences, not merged
// away yet, still add to the dictionary's counts: the answer is then by the
// visible sentences only. The deleted sentences are taken off in a server
// even when it sees every article, as long as any are left: they may be of
// another server's page that is gone.
func (ix *Index) TermsIn(prefix, guild string, limit int) ([]string, error) {
	prefix = strings.ToLower(strings.Join(strings.Fields(prefix), " "))
	head := ""
	if i := strings.LastIndexByte(prefix, ' '); i >= 0 {
		head, prefix = prefix[:i+1], prefix[i+1:]
	}
	if limit <= 0 || utf8.RuneCountInString(prefix) > MaxTermRune {
		return nil, nil
	}
	// The snapshot is taken before the articles are read, so that the
	// articles are never older than it. A Sync under way indexes
	// sentences before it publishes their articles: those it is adding
	// (pending) are hidden from the servers they are not for as well.
	rd, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	ix.mu.RLock()
	arts, gen, pending := ix.man.Articles, ix.gen, ix.pending
	ix.mu.RUnlock()
	return ix.terms(rd, head, prefix, guild, gen, hiddenIn(arts, pending, guild), limit)
}

// terms is TermsIn of the last word prefix after the words head, in guild,
// which does not see the articles hidden, read from the snapshot rd at the
// index's change gen.
func (ix *Index) terms(rd index.IndexReader, head, prefix, guild string, gen uint64, hidden []corpus.ArticleID, limit int) ([]string, error) {
	var err error
	var less map[string]int // what the dictionary's counts hold that guild does not see
	if len(hidden) > 0 || (guild != "" && hasDeleted(rd)) {
		if less, err = ix.hiddenWords(rd, gen, guild, hidden); err != nil {
			return nil, err
		}
	}
	fd, err := rd.FieldDictPrefix(fieldExact, []byte(prefix))
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
		count := e.Count
		if n, ok := less[e.Term]; ok {
			if uint64(n) >= count {
				continue
			}
			count -= uint64(n)
		}
		all = append(all, entry{e.Term, count})
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

// hasDeleted reports whether the snapshot rd holds deleted documents that
// a merge has not removed yet.
func hasDeleted(rd index.IndexReader) bool {
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return true // hiddenWords reports it
	}
	for _, s := range snap.Segments() {
		if d := s.Deleted(); d != nil && !d.IsEmpty() {
			return true
		}
	}
	return false
}

// hiddenCache keeps hiddenWords' answers for one state of the index: its
// change (Index.gen) and its snapshot's segments and their deletions.
type hiddenCache struct {
	mu      sync.Mutex
	state   string
	deleted map[string]int            // the deleted sentences' words; nil until read
	words   map[string]map[string]int // by guild
}

// maxHiddenGuilds bounds the servers hiddenCache keeps: past it, it
// starts again.
const maxHiddenGuilds = 256

// hiddenWords returns, for each word of the exact field, the number of
// the sentences of snapshot rd that the term dictionary counts and guild
// does not see: the live sentences of the articles hidden from it (ids),
// and the deleted sentences that a merge has not yet removed (which the
// dictionary's counts still hold). Each such sentence's words are those
// of its stored record's text as the exact field's analyser cuts them,
// which is how they were indexed. They are few (a server's own pages, and
// the sentences replaced since the last merge), and kept until the index
// changes: the deleted sentences' once for every server.
func (ix *Index) hiddenWords(rd index.IndexReader, gen uint64, guild string, ids []corpus.ArticleID) (map[string]int, error) {
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader %T is not a scorch snapshot", rd)
	}
	var state strings.Builder
	state.WriteString(strconv.FormatUint(gen, 10))
	for _, s := range snap.Segments() {
		state.WriteByte(' ')
		state.WriteString(strconv.FormatUint(s.Id(), 10))
		if d := s.Deleted(); d != nil {
			state.WriteByte('-')
			state.WriteString(strconv.FormatUint(d.GetCardinality(), 10))
		}
	}
	c := &ix.hidden
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != state.String() {
		c.state, c.deleted, c.words = state.String(), nil, map[string]map[string]int{}
	}
	if len(c.words) >= maxHiddenGuilds {
		c.words = map[string]map[string]int{}
	}
	if w, ok := c.words[guild]; ok {
		return w, nil
	}

	p, err := newPostings(context.Background(), rd)
	if err != nil {
		return nil, err
	}
	if c.deleted == nil {
		var nums []uint64
		for i, s := range snap.Segments() {
			if d := s.Deleted(); d != nil {
				it := d.Iterator()
				for it.HasNext() {
					nums = append(nums, p.offsets[i]+uint64(it.Next()))
				}
			}
		}
		deleted := map[string]int{}
		if err := ix.countWords(snap, p.offsets, nums, deleted); err != nil {
			return nil, err
		}
		c.deleted = deleted
	}
	// The live sentences of the hidden articles: none is deleted.
	var nums []uint64
	for _, id := range ids {
		ds, err := p.docs(string(id), fieldArticle)
		if err != nil {
			return nil, err
		}
		nums = append(nums, ds...)
	}
	words := maps.Clone(c.deleted)
	if err := ix.countWords(snap, p.offsets, nums, words); err != nil {
		return nil, err
	}
	c.words[guild] = words
	return words, nil
}

// countWords adds to words, for each word of the exact field, the number
// of the sentences numbered nums (in snap, whose segments begin at
// offsets) that hold it, read from their stored records' text.
func (ix *Index) countWords(snap *scorch.IndexSnapshot, offsets []uint64, nums []uint64, words map[string]int) error {
	slices.Sort(nums)
	nums = slices.Compact(nums)
	seen := map[string]bool{}
	seg := 0
	for _, num := range nums {
		for seg+1 < len(offsets) && offsets[seg+1] <= num {
			seg++
		}
		var text string
		found := false
		err := snap.Segments()[seg].VisitDocument(num-offsets[seg], func(name string, _ byte, val []byte, _ []uint64) bool {
			if name != fieldRecord {
				return true
			}
			r, err := decodeRecord(val)
			if err == nil {
				text, found = r.d.text, true
			}
			return false
		})
		if err != nil {
			return fmt.Errorf("sentence %d: %w", num, err)
		}
		if !found {
			return fmt.Errorf("sentence %d: %w", num, errRecord)
		}
		clear(seen)
		for _, w := range ix.an.Words(text) {
			if !seen[w] {
				seen[w] = true
				words[w]++
			}
		}
	}
	return nil
}
