package retrieval

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/verbatim-bot/verbatim/corpus"
)

// posting is one entry of a postings list as the tests compare them.
type posting struct {
	num, freq uint64
	norm      float64
}

// TestPostingsReadAsBleveDoes checks that postings gives what bleve's term
// field reader gives, on a snapshot of several segments with deleted
// documents: counts, every posting in order with its frequency and norm,
// postings skipped to, the documents of a set that hold a term, and
// document lists, for terms that every segment, some segments or none
// hold, in each field the search reads.
func TestPostingsReadAsBleveDoes(t *testing.T) {
	ctx := context.Background()
	texts := recallTexts(t, 6)
	var arts, changed []*corpus.Article
	for i, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range texts {
			if !yield(id) {
				return
			}
		}
	}) {
		a := article(t, id, texts[id])
		arts = append(arts, a)
		if i%2 == 0 { // replaced below: its first version's documents deleted
			a = article(t, id, texts[id]+"\n\nThe museum was approved again, the minister said.")
		}
		changed = append(changed, a)
	}
	ix, err := Open(ctx, t.TempDir(), corpus.New(arts...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i := range changed {
		// One change at a time: a segment each.
		if err := ix.Sync(ctx, corpus.New(append(slices.Clone(changed[:i+1]), arts[i+1:]...)...)); err != nil {
			t.Fatal(err)
		}
	}
	// A snapshot of several segments with deleted documents: scorch
	// merges segments meanwhile, so a change is made again until one is
	// caught.
	var rd index.IndexReader
	for try := 0; ; try++ {
		if try == 50 {
			t.Fatal("no snapshot of several segments with deleted documents in 50 changes")
		}
		if try > 0 {
			changed[0] = article(t, string(arts[0].ID), texts[string(arts[0].ID)]+fmt.Sprintf("\n\nThe museum was approved %d times.", try))
			if err := ix.Sync(ctx, corpus.New(changed...)); err != nil {
				t.Fatal(err)
			}
		}
		if rd, err = ix.reader(); err != nil {
			t.Fatal(err)
		}
		snap := rd.(*scorch.IndexSnapshot)
		deleted := 0
		for _, s := range snap.Segments() {
			if s.Deleted() != nil {
				deleted += int(s.Deleted().GetCardinality())
			}
		}
		if len(snap.Segments()) >= 2 && deleted > 0 {
			break
		}
		rd.Close()
	}
	defer rd.Close()

	p, err := newPostings(ctx, rd)
	if err != nil {
		t.Fatal(err)
	}
	terms := []struct{ term, field string }{
		{"museum", fieldText}, {"approv", fieldText}, {"minist", fieldText},
		{"said", fieldText}, {"nowher", fieldText},
		{"museum", fieldSpeaker}, {"nowher", fieldSpeaker},
		{string(arts[0].ID), fieldArticle}, {string(arts[1].ID), fieldArticle}, {"nowhere", fieldArticle},
	}
	for _, s := range arts[0].Paragraphs[0].Sentences[:1] {
		for _, term := range ix.an.Terms(s.Text) {
			terms = append(terms, struct{ term, field string }{term, fieldText})
		}
		if s.Speaker != "" {
			for _, term := range ix.an.Terms(s.Speaker) {
				terms = append(terms, struct{ term, field string }{term, fieldSpeaker})
			}
		}
	}
	// Every third live document, for skipping to.
	var all []uint64
	for _, a := range changed {
		ds, err := bleveList(rd, string(a.ID), fieldArticle)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			all = append(all, d.num)
		}
	}
	slices.Sort(all)
	var only []uint64
	for i, d := range all {
		if i%3 == 0 {
			only = append(only, d)
		}
	}
	nonEmpty := 0
	// Twice over, the lists reused from the first round in the second,
	// and the postings given back and taken again between them.
	for round := range 2 {
		if round > 0 {
			p.release()
			if p, err = newPostings(ctx, rd); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range terms {
			name := fmt.Sprintf("round %d %s:%s", round, tt.field, tt.term)
			want, err := bleveList(rd, tt.term, tt.field)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) > 0 && round == 0 {
				nonEmpty++
			}
			n, err := p.count(tt.term, tt.field)
			if err != nil || n != len(want) {
				t.Errorf("%s: count = %d, %v; want %d", name, n, err, len(want))
			}
			var got []posting
			err = p.each(tt.term, tt.field, 0, math.MaxUint64, func(num, freq uint64, norm float64) { got = append(got, posting{num, freq, norm}) })
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%s: each = %v, %v; want %v", name, got, err, want)
			}
			var gotOf, wantOf []posting
			err = p.eachOf(tt.term, tt.field, only, func(num, freq uint64, norm float64) { gotOf = append(gotOf, posting{num, freq, norm}) })
			for _, d := range want {
				if slices.Contains(only, d.num) {
					wantOf = append(wantOf, d)
				}
			}
			if err != nil || !slices.Equal(gotOf, wantOf) {
				t.Errorf("%s: eachOf = %v, %v; want %v", name, gotOf, err, wantOf)
			}
			var wantIn []uint64
			for _, d := range wantOf {
				wantIn = append(wantIn, d.num)
			}
			for _, has := range []func(uint64) bool{nil, func(num uint64) bool { return slices.Contains(only, num) }} {
				var gotIn []uint64
				err = p.eachIn(tt.term, tt.field, p.bitmaps(only), has, func(num uint64) { gotIn = append(gotIn, num) })
				if err != nil || !slices.Equal(gotIn, wantIn) {
					t.Errorf("%s: eachIn (has %v) = %v, %v; want %v", name, has != nil, gotIn, err, wantIn)
				}
			}
			docs, err := p.docs(tt.term, tt.field)
			var wantDocs []uint64
			for _, d := range want {
				wantDocs = append(wantDocs, d.num)
			}
			if err != nil || !slices.Equal(docs, wantDocs) {
				t.Errorf("%s: docs = %v, %v; want %v", name, docs, err, wantDocs)
			}
		}
	}
	if empty := 3; nonEmpty != len(terms)-empty { // the three "nowher(e)"
		t.Fatalf("%d of %d lists held documents; want all but %d", nonEmpty, len(terms), empty)
	}
}

// bleveList reads the postings of term in field with bleve's term field
// reader.
func bleveList(rd index.IndexReader, term, field string) ([]posting, error) {
	tfr, err := rd.TermFieldReader(context.Background(), []byte(term), field, true, true, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	var out []posting
	for {
		d, err := tfr.Next(nil)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return out, nil
		}
		out = append(out, posting{d.ID.Value(), d.Freq, d.Norm})
	}
}

// TestSearchInPartsFindsTheSame checks that a search run in parts of the
// documents at once finds what one search finds, with the same scores, on
// a snapshot of several segments with deleted documents, unscoped and
// scoped to an article.
func TestSearchInPartsFindsTheSame(t *testing.T) {
	ctx := context.Background()
	texts := recallTexts(t, 8)
	var arts []*corpus.Article
	for _, id := range slices.Sorted(maps.Keys(texts)) {
		arts = append(arts, article(t, id, texts[id]))
	}
	ix, err := Open(ctx, t.TempDir(), corpus.New(arts[:4]...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	changed := slices.Clone(arts)
	changed[1] = article(t, string(arts[1].ID), texts[string(arts[1].ID)]+"\n\nThe museum was approved again, the minister said.")
	if err := ix.Sync(ctx, corpus.New(changed...)); err != nil {
		t.Fatal(err)
	}
	questions := append(slices.Clone(determinismQuestions), "What did the company say about the year?", "Who said it?")
	parts := searchParts
	defer func() { searchParts = parts }()
	// One snapshot for every search: scorch's merges renumber documents.
	rd, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	run := func(n int, q string, article corpus.ArticleID) []found {
		t.Helper()
		searchParts = func(int) int { return n }
		qy := newQuery(ix.an, ix.an.Question(q), ix.features, ix.wt)
		st, err := ix.stats(append(slices.Clip(qy.terms), qy.bridgeTerms()...))
		if err != nil {
			t.Fatal(err)
		}
		qy.setStats(st)
		// Every sentence found, in the order best returns them.
		fs, err := findSentences(ctx, rd, qy.groups(), st, article, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]found, len(fs.nums))
		for i, num := range fs.nums {
			out[i] = found{id: num, mask: fs.masks[i]}
		}
		return out
	}
	searched := 0
	for _, q := range questions {
		for _, scope := range []corpus.ArticleID{"", arts[2].ID} {
			want := run(1, q, scope)
			searched += len(want)
			for _, n := range []int{2, 3, 7} {
				if got := run(n, q, scope); !slices.Equal(got, want) {
					t.Errorf("%q in %q, %d parts: found %v; want %v", q, scope, n, got, want)
				}
			}
		}
	}
	if searched == 0 {
		t.Fatal("no question found a sentence")
	}
}

// TestSortFirstSortsAsAWhole checks that sortFirst leaves the hits a
// question keeps, and those tied with the last of them, as a whole sort
// does, for many sizes, cuts and ties.
func TestSortFirstSortsAsAWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 17, 100, 1000, 5000} {
		for _, limit := range []int{1, 3, 16, 200, 6000} {
			for _, scores := range []int{1, 3, 50, 1 << 30} { // from all tied to none
				rs := make([]ranked, n)
				for i := range rs {
					rs[i] = ranked{rank: rankKey(r.IntN(2) == 1, float64(r.IntN(scores))), id: uint64(i)}
				}
				r.Shuffle(n, func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
				want := slices.Clone(rs)
				slices.SortFunc(want, compareRanked)
				sortFirst(rs, limit)
				k := min(limit, n)
				for k < n && want[k].rank == want[min(limit, n)-1].rank {
					k++
				}
				if !slices.Equal(rs[:k], want[:k]) {
					t.Errorf("%d hits, limit %d, %d scores: first %d = %v; want %v", n, limit, scores, k, rs[:k], want[:k])
				}
			}
		}
	}
}

// TestRankedBefore checks the order of ranked hits: by rank, then by id.
func TestRankedBefore(t *testing.T) {
	for _, c := range []struct {
		a, b ranked
		want bool
	}{
		{ranked{1, 9, 0}, ranked{2, 0, 0}, true},
		{ranked{2, 0, 0}, ranked{1, 9, 0}, false},
		{ranked{1, 1, 0}, ranked{1, 2, 0}, true},
		{ranked{1, 2, 0}, ranked{1, 1, 0}, false},
		{ranked{1, 1, 0}, ranked{1, 1, 0}, false},
	} {
		if got := c.a.before(c.b); got != c.want {
			t.Errorf("%v before %v = %v; want %v", c.a, c.b, got, c.want)
		}
		if got := compareRanked(c.a, c.b) < 0; got != c.want {
			t.Errorf("compareRanked(%v, %v) < 0 = %v; want %v", c.a, c.b, got, c.want)
		}
	}
}
