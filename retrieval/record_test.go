package retrieval

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/verbatim-bot/verbatim/corpus"
)

// perArticle are the fields of doc that are the article's, not the
// sentence's: stored once per article in the catalogue (articleTerms and
// the article's entry), not in each record.
var perArticle = []string{"article", "title"}

// perQuestion are doc's fields worked out for the question asked as its
// candidates are read (which of its terms the title holds), in no store.
var perQuestion = []string{"titled", "titledFor"}

// TestRecordFieldsCoverDoc fails when doc or sentenceRecord gains a field
// that records do not carry: add it to recordFields and bump
// recordVersion (or, for a field of the whole article, to perArticle and
// the catalogue).
func TestRecordFieldsCoverDoc(t *testing.T) {
	var want []string
	for f := range reflect.TypeFor[doc]().Fields() {
		if !slices.Contains(perArticle, f.Name) && !slices.Contains(perQuestion, f.Name) {
			want = append(want, "d."+f.Name)
		}
	}
	for f := range reflect.TypeFor[sentenceRecord]().Fields() {
		if f.Name != "d" {
			want = append(want, f.Name)
		}
	}
	var got []string
	for _, f := range recordFields {
		got = append(got, f.name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("recordFields = %q; want doc's fields %q", got, want)
	}
}

// sameDoc compares two docs, an empty slice equal to nil.
func sameDoc(a, b doc) bool {
	norm := func(d doc) doc {
		v := reflect.ValueOf(&d).Elem()
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
				f = reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem()
				f.Set(reflect.Zero(f.Type()))
			}
		}
		return d
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// articleTermsOf collects the terms of an article's title, sentences and
// speakers from the article itself, as the index did before it stored
// them: the reference the stored terms must equal.
func articleTermsOf(an *Analyzer, a *corpus.Article) *termSet {
	ts := newTermSetOf()
	ts.addSentence(an.Terms(a.Title))
	for _, p := range a.Paragraphs {
		for _, s := range p.Sentences {
			ts.addSentence(an.Terms(s.Text), an.Terms(s.Speaker))
		}
	}
	return ts
}

// prepareSentence analyses a sentence for scoring as the index did before
// it stored records: the reference its records must equal.
func prepareSentence(an *Analyzer, a *corpus.Article, s corpus.Sentence) doc {
	d := an.prepare(s.Text)
	d.position = s.Position
	if s.Speaker != "" || s.Role != "" {
		d.speaker = an.Terms(s.Speaker + " " + s.Role)
	}
	for _, o := range a.Paragraphs[s.Paragraph-1].Sentences {
		if o.Number != s.Number {
			d.near = append(d.near, an.Terms(o.Text)...)
		}
	}
	return d
}

// TestIndexStoresRecords checks that every sentence of an index on disk,
// reopened, has a record equal to its analysis, and its attribution; and
// that Article gives back the article from them.
func TestIndexStoresRecords(t *testing.T) {
	c := seedCorpus(t)
	ix := reopenedIndex(t, c)
	recs := records{bi: ix.bi}
	defer recs.close()
	n := 0
	for _, a := range c.Articles() {
		for _, s := range a.Sentences() {
			got, ok := recs.load(docID(s.Ref()))
			if !ok {
				t.Fatalf("no record for %s", s.Ref())
			}
			if want := prepareSentence(ix.an, a, s); !sameDoc(got.d, want) {
				t.Errorf("record of %s = %+v; want %+v", s.Ref(), got.d, want)
			}
			if back := got.sentence(s.Ref()); back != s {
				t.Errorf("sentence of the record of %s = %+v; want %+v", s.Ref(), back, s)
			}
			n++
		}
		back, ok := ix.Article(a.ID)
		if !ok {
			t.Fatalf("Article(%s) = false; want the article", a.ID)
		}
		if !reflect.DeepEqual(back, a) {
			t.Errorf("Article(%s) = %+v\nwant %+v", a.ID, back, a)
		}
	}
	if n < 10 {
		t.Fatalf("checked %d sentences; want the seed article's", n)
	}
	if _, ok := recs.load("no\x1f1\x1f1"); ok {
		t.Error("load of a sentence the index lacks = ok; want false")
	}
}

func TestDecodeRecordRejectsDamage(t *testing.T) {
	an := newAnalyzer(t)
	d := an.prepare(`"The Kurds said 42 things in Baghdad," said Zalmy Khalilzad, the U.S. ambassador.`)
	d.speaker, d.near, d.position = []string{"zalmi"}, []string{"talk"}, 7
	r := &sentenceRecord{d: d, speaker: "Zalmy Khalilzad", role: "US ambassador"}
	rec := encodeRecord(nil, r)
	got, err := decodeRecord(rec)
	if err != nil || !sameDoc(got.d, d) || got.speaker != r.speaker || got.role != r.role {
		t.Fatalf("decodeRecord(encodeRecord(r)) = %+v, %v; want %+v", got, err, r)
	}
	for n := range len(rec) {
		if _, err := decodeRecord(rec[:n]); !errors.Is(err, errRecord) {
			t.Errorf("decodeRecord of the first %d of %d bytes: err = %v; want errRecord", n, len(rec), err)
		}
	}
	other := slices.Clone(rec)
	other[0] = recordVersion + 1
	if _, err := decodeRecord(other); !errors.Is(err, errRecord) {
		t.Errorf("decodeRecord of version %d: err = %v; want errRecord", other[0], err)
	}
	if _, err := decodeRecord(append(slices.Clone(rec), 0)); !errors.Is(err, errRecord) {
		t.Errorf("decodeRecord with a byte left over: err = %v; want errRecord", err)
	}

	// The head counts the items of the lists, which an arena reserved
	// for them holds with no chunk more.
	items, ok := recordItems(string(rec))
	kinds := 0
	for _, k := range d.kinds {
		kinds += len(k.kinds)
	}
	want := listItems{len(d.terms) + len(d.words) + len(d.speaker) + len(d.near) + kinds, len(d.tpos), len(d.ev), len(d.kinds)}
	if !ok || items != want {
		t.Errorf("recordItems = %v, %v; want %v", items, ok, want)
	}
	var a recordArena
	a.reserve(items)
	chunks := [listKinds]int{cap(a.strs.free), cap(a.ints.free), cap(a.ev.free), cap(a.kinds.free)}
	var into sentenceRecord
	if err := decodeRecordInto(&into, string(rec), &a); err != nil || !sameDoc(into.d, d) {
		t.Fatalf("decodeRecordInto with an arena = %+v, %v; want %+v", into.d, err, d)
	}
	if after := [listKinds]int{len(a.strs.free), len(a.ints.free), len(a.ev.free), len(a.kinds.free)}; after != chunks {
		t.Errorf("lists used %v of the arena reserved %v; want all of it, in one chunk each", after, chunks)
	}
	// A head that lies costs memory, not the record.
	head := recordReader{s: string(rec), off: 1}
	for range listKinds {
		head.uint()
	}
	liar := slices.Concat([]byte{recordVersion, 0, 0, 0, 0}, rec[head.off:])
	if _, ok := recordItems(string(liar)); !ok {
		t.Fatal("recordItems of a head of zeros: not read")
	}
	if got, err := decodeRecord(liar); err != nil || !sameDoc(got.d, d) {
		t.Errorf("decodeRecord of a head of zeros = %+v, %v; want the record", got, err)
	}
}

// A hit's record read at its document number is the record of its id, in
// an index of several segments with deletions among them.
func TestRecordsAtHitsMatchTheirIDs(t *testing.T) {
	ctx := context.Background()
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	// In memory, scorch keeps a segment per batch: documents spread over
	// several.
	bi, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := newIndex(bi, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.man = newManifest()
	defer ix.Close()
	var arts []*corpus.Article
	for i := range 6 {
		arts = append(arts, article(t, string(rune('a'+i)), "Title: T\n\nThe council met on Monday. The council voted on the harbour plan number "+string(rune('1'+i))+".\n"))
		if err := ix.Sync(ctx, corpus.New(arts...)); err != nil { // one segment each
			t.Fatal(err)
		}
	}
	if err := ix.Sync(ctx, corpus.New(append(arts[:1:1], arts[2:]...)...)); err != nil { // b deleted
		t.Fatal(err)
	}
	recs := records{bi: ix.bi}
	defer recs.close()
	recs.pin()
	q := bleve.NewTermQuery("council")
	q.SetField(fieldText)
	res, err := ix.search(ctx, q, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	recs.matchSearch()
	if recs.snap == nil || len(recs.offsets) < 2 {
		t.Fatalf("records pinned to %d segments, snapshot %v; want several, matched", len(recs.offsets), recs.snap != nil)
	}
	if len(res.Hits) != 10 {
		t.Fatalf("%d hits; want 10 (5 articles, 2 sentences each)", len(res.Hits))
	}
	for _, h := range res.Hits {
		got, ok1 := recs.loadHit(h)
		want, ok2 := recs.load(h.ID)
		if !ok1 || !ok2 || got.d.text != want.d.text || got.d.position != want.d.position {
			t.Errorf("hit %q: record at its number %+v, %v; by its id %+v, %v", h.ID, got, ok1, want, ok2)
		}
	}
}

// TestIndexStoresArticleTerms checks that the terms of each article the
// article feature reads are those of the article itself, from an index in
// memory and from one on disk reopened (read from its catalogue), and that
// an article taken out of the index has none.
func TestIndexStoresArticleTerms(t *testing.T) {
	ctx := context.Background()
	c, _, err := corpus.LoadDir(ctx, "testdata/eval/news")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, err := Open(ctx, dir, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	disk, err := Open(ctx, dir, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	for name, ix := range map[string]*Index{"memory": memIndex(t, c, Options{}), "disk": disk} {
		n := 0
		for _, a := range c.Articles() {
			want := articleTermsOf(ix.an, a)
			got := ix.articleTerms(a.ID)
			if got == nil || got.n != want.n || !maps.Equal(got.counts(), want.df) {
				t.Errorf("%s: terms of %s differ from the article's (%d sentences stored, %d in the article)", name, a.ID, sentencesOf(got), want.n)
			}
			n++
		}
		if n < 10 {
			t.Fatalf("%s: checked %d articles; want the news folder's", name, n)
		}
	}
	gone := c.Articles()[0].ID
	rest := corpus.New(c.Articles()[1:]...)
	if err := disk.Sync(ctx, rest); err != nil {
		t.Fatal(err)
	}
	if ts := disk.articleTerms(gone); ts != nil {
		t.Errorf("terms of %s, taken out of the index, = %d sentences; want none", gone, ts.n)
	}
	if ts := disk.articleTerms(c.Articles()[1].ID); ts == nil {
		t.Errorf("terms of %s, kept in the index, = none", c.Articles()[1].ID)
	}
}

func sentencesOf(ts *termSet) int {
	if ts == nil {
		return -1
	}
	return ts.n
}

func TestDecodeTermSetRejectsDamage(t *testing.T) {
	ts := newTermSetOf()
	ts.addSentence([]string{"kurd", "baghdad"}, []string{"khalilzad"})
	ts.addSentence([]string{"kurd"})
	b := encodeTermSet(ts)
	back, err := decodeTermSet(b)
	if err != nil || back.n != 2 || !maps.Equal(back.counts(), ts.df) {
		t.Fatalf("decodeTermSet(encodeTermSet) = %+v, %v; want %+v", back, err, ts)
	}
	for i := range len(b) {
		if _, err := decodeTermSet(b[:i]); !errors.Is(err, errRecord) {
			t.Errorf("decodeTermSet of the first %d of %d bytes: err = %v; want errRecord", i, len(b), err)
		}
	}
	// Any byte changed, to any value: an error or a set, never a panic,
	// and a set read whole counts no more terms than the head says.
	need := []string{"baghdad", "khalilzad", "kurd", "zz"}
	for i := range len(b) {
		for v := range 256 {
			bad := slices.Clone(b)
			bad[i] = byte(v)
			if ts, err := decodeTermSet(bad); err == nil && len(ts.counts()) > ts.stored.layout.k {
				t.Errorf("byte %d set to %#x: %d terms read, the head says %d", i, v, len(ts.counts()), ts.stored.layout.k)
			}
			_, _ = countTerms(bad, planOf(need...), make([]int32, len(need)))
		}
	}
}

// TestEntryKeepsArticle fails when corpus.Article gains a field the
// catalogue's entry does not keep: every field but the paragraphs is set
// here, and must come back from the encoding.
func TestEntryKeepsArticle(t *testing.T) {
	a := &corpus.Article{ID: "wire", Title: "Rail strike", Source: "The Herald", Agency: "PA",
		URL: "https://herald.example/strike", Author: "A. Writer",
		Published: time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC),
		Also:      []corpus.Link{{Source: "Northern Daily", URL: "https://northern.example/strike"}},
		Guilds:    []string{"111", "222"}, Encoding: "Windows-1252",
		Paragraphs: []corpus.Paragraph{{Number: 1, Text: "It rained.", Sentences: []corpus.Sentence{
			{Article: "wire", Paragraph: 1, Number: 1, Position: 1, Text: "It rained.", Speaker: "Siobhan Kelly"}}}},
		Hash: "0123abcd"}
	v := reflect.ValueOf(*a)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("the test article leaves %s unset: set it, and keep it in the entry", v.Type().Field(i).Name)
		}
	}
	e := newEntry(a, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	e.title = titleTerms(newAnalyzer(t), a.Title)
	if !slices.Equal(e.title, []string{"rail", "strike"}) {
		t.Fatalf("title terms of %q = %q; want the analysed words, sorted", a.Title, e.title)
	}
	enc := encodeEntry(e)
	back, err := decodeEntry(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.title, e.title) {
		t.Errorf("title terms of the decoded entry = %q; want %q", back.title, e.title)
	}
	// The servers are read from the end, past the title's terms.
	if guilds, err := entryGuilds(enc); err != nil || !slices.Equal(guilds, a.Guilds) {
		t.Errorf("entryGuilds = %q, %v; want %q", guilds, err, a.Guilds)
	}
	want := *a
	want.Paragraphs = nil
	if !reflect.DeepEqual(back.Article, &want) {
		t.Errorf("article of the decoded entry = %+v\nwant %+v", back.Article, &want)
	}
	if !back.Added.Equal(e.Added) || !slices.Equal(back.Paragraphs, e.Paragraphs) || !slices.Equal(back.Speakers, e.Speakers) {
		t.Errorf("decoded entry = %+v; want %+v", back, e)
	}
}

// TestStoredTermsCount checks that an article's terms read from their
// encoding count as the map they were encoded from: whole (decodeTermSet)
// and some (countTerms, the terms of one question).
func TestStoredTermsCount(t *testing.T) {
	ts := newTermSetOf()
	ts.addSentence([]string{"kurd", "baghdad", "zebari"}, []string{"khalilzad"})
	ts.addSentence([]string{"kurd", "iraq"})
	ts.addSentence([]string{"kurd", "baghdad", "al"})
	enc := encodeTermSet(ts)
	asked := []string{"", "a", "al", "b", "baghdad", "iraq", "iraqi", "khalilzad", "kurd", "zebari", "zz"}

	whole, err := decodeTermSet(enc)
	if err != nil {
		t.Fatal(err)
	}
	if whole.stored == nil || whole.n != 3 {
		t.Fatalf("decodeTermSet = %+v; want 3 sentences, looked up in the encoding", whole)
	}
	for _, term := range asked {
		if got, want := whole.count(term), ts.df[term]; got != want {
			t.Errorf("whole: count(%q) = %d; want %d", term, got, want)
		}
	}

	// Enough terms for many buckets, each found, and none that is not
	// there.
	many := newTermSetOf()
	for i := range 300 {
		many.addSentence([]string{fmt.Sprintf("t%d", i), fmt.Sprintf("u%d", i%7)})
	}
	manyWhole, err := decodeTermSet(encodeTermSet(many))
	if err != nil {
		t.Fatal(err)
	}
	if b := manyWhole.stored.layout.buckets; b < 64 {
		t.Errorf("300 terms in %d buckets; want at least 64", b)
	}
	if !maps.Equal(manyWhole.counts(), many.df) {
		t.Errorf("counts of 300 terms read back differ")
	}
	for term, want := range many.df {
		if got := manyWhole.count(term); got != want {
			t.Errorf("many: count(%q) = %d; want %d", term, got, want)
		}
	}
	for _, term := range []string{"t300", "u7", "", "t"} {
		if got := manyWhole.count(term); got != 0 {
			t.Errorf("many: count(%q) = %d; want 0", term, got)
		}
	}

	tests := []struct {
		name string
		need []string
	}{
		{"none of them", []string{"a", "zz"}},
		{"some", []string{"baghdad", "iraqi", "kurd"}},
		{"the first and the last", []string{"al", "zebari"}},
		{"every one", []string{"al", "baghdad", "iraq", "khalilzad", "kurd", "zebari"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cnt := make([]int32, len(tt.need))
			n, err := countTerms(enc, planOf(tt.need...), cnt)
			if err != nil || n != 3 {
				t.Fatalf("countTerms = %d, %v; want 3 sentences", n, err)
			}
			for i, term := range tt.need {
				if int(cnt[i]) != ts.df[term] {
					t.Errorf("countTerms: %q counted %d; want %d", term, cnt[i], ts.df[term])
				}
			}
		})
	}
	for i := range len(enc) {
		if _, err := countTerms(enc[:i], planOf("zz"), make([]int32, 1)); !errors.Is(err, errRecord) {
			t.Errorf("countTerms of the first %d of %d bytes: err = %v; want errRecord", i, len(enc), err)
		}
	}
}

// planOf plans terms (sorted, distinct) each in a group of its own: every
// one looked up.
func planOf(terms ...string) *termPlan {
	groups := make([][]string, len(terms))
	for i, t := range terms {
		groups[i] = []string{t}
	}
	return newTermPlan(groups, nil)
}

// TestCountTermsByGroup checks that a term's bridges are looked up only
// where the article lacks the term, in turn until one is there, and that
// what was not looked up reads -1 (to be read whole if asked for).
func TestCountTermsByGroup(t *testing.T) {
	ts := newTermSetOf()
	ts.addSentence([]string{"kurd", "baghdad", "zebari"})
	ts.addSentence([]string{"kurd", "iraq"})
	enc := encodeTermSet(ts)
	plan := newTermPlan([][]string{
		{"kurd", "kurdish"},                   // there: its bridge not looked up
		{"iran", "persia", "iraq", "baghdad"}, // absent: bridges until iraq
		{"zebari"},
	}, nil)
	cnt := make([]int32, len(plan.need))
	if n, err := countTerms(enc, plan, cnt); err != nil || n != 2 {
		t.Fatalf("countTerms = %d, %v; want 2 sentences", n, err)
	}
	want := map[string]int32{"kurd": 2, "kurdish": -1, "iran": 0, "persia": 0, "iraq": 1, "baghdad": -1, "zebari": 1}
	for k, term := range plan.need {
		if cnt[k] != want[term] {
			t.Errorf("%q counted %d; want %d", term, cnt[k], want[term])
		}
	}
	if len(plan.need) != len(want) {
		t.Errorf("plan needs %q; want the %d distinct terms", plan.need, len(want))
	}

	// Which terms the article holds, read by the plan, as read by the
	// terms from the whole set; and by the terms when the query is not
	// the plan's.
	whole, err := decodeTermSet(enc)
	if err != nil {
		t.Fatal(err)
	}
	q := rankQuery{wt: &defaultWeights, terms: []string{"kurd", "iran", "zebari", "absent"}, bridges: [][]qbridge{
		{{term: "kurdish"}}, {{term: "persia"}, {term: "iraq"}, {term: "baghdad"}}, nil, {{term: "nowhere"}}}}
	plan = newTermPlan(q.groups(), q.groupHoldings())
	cnt = make([]int32, len(plan.need))
	if _, err := countTerms(enc, plan, cnt); err != nil {
		t.Fatal(err)
	}
	some := &termSet{n: 2, stored: &storedTerms{plan: plan, cnt: cnt}}
	for i := range q.terms {
		if _, ok := plan.holding(cnt, &q, i); !ok {
			t.Errorf("plan.holding(%q): not read by the plan", q.terms[i])
		}
		if got, want := some.holding(&q, i), whole.holding(&q, i); got != want {
			t.Errorf("holding(%q) by the plan = %v; by the terms %v", q.terms[i], got, want)
		}
	}
	other := q
	other.terms = []string{"kurd", "iraq", "zebari", "absent"}
	if _, ok := plan.holding(cnt, &other, 1); ok {
		t.Error("plan.holding of another query's term: read by the plan")
	}
}

// TestArticleHoldingByBridgeWeight checks that an article holds a
// question term it lacks at the weight of the best bridge of it that it
// holds (a loose relation at its low weight, not as the word itself), that
// a loose bridge held does not end the look-up of fuller ones, and that the
// plan reads the same as the whole set.
func TestArticleHoldingByBridgeWeight(t *testing.T) {
	ts := newTermSetOf()
	ts.addSentence([]string{"fire", "region"})
	ts.addSentence([]string{"hospit", "site"})
	enc := encodeTermSet(ts)
	whole, err := decodeTermSet(enc)
	if err != nil {
		t.Fatal(err)
	}
	wt := &weightSet{}
	wt.bridge[bridgeRelated], wt.bridge[bridgeSynonym], wt.bridge[bridgeDerived] = 0.15, 0.625, 1.05
	q := rankQuery{wt: wt, terms: []string{"happen", "infirmari", "site", "land"}, bridges: [][]qbridge{
		{{term: "fire", kind: bridgeRelated}},
		{{term: "fire", kind: bridgeRelated}, {term: "hospit", kind: bridgeSynonym}},
		{{term: "sited", kind: bridgeDerived}},
		{{term: "region", kind: bridgeRelated}, {term: "landed", kind: bridgeDerived}},
	}}
	want := []float64{0.15, 0.625, 1, 0.15}
	plan := newTermPlan(q.groups(), q.groupHoldings())
	cnt := make([]int32, len(plan.need))
	if _, err := countTerms(enc, plan, cnt); err != nil {
		t.Fatal(err)
	}
	some := &termSet{n: 2, stored: &storedTerms{plan: plan, cnt: cnt}}
	for i, term := range q.terms {
		if got := whole.holding(&q, i); got != want[i] {
			t.Errorf("holding(%q) = %v; want %v", term, got, want[i])
		}
		h, ok := plan.holding(cnt, &q, i)
		if !ok || h != want[i] {
			t.Errorf("plan.holding(%q) = %v, %v; want %v read by the plan", term, h, ok, want[i])
		}
		if got := some.holding(&q, i); got != want[i] {
			t.Errorf("holding(%q) by the plan = %v; want %v", term, got, want[i])
		}
	}
	k, _ := slices.BinarySearch(plan.need, "sited")
	if cnt[k] != -1 {
		t.Errorf("a bridge of a term the article holds was looked up (count %d)", cnt[k])
	}
}

// TestSomeTermsReadTheRest checks that an article's terms read for one
// question (some of them) count any other term too, from the index.
func TestSomeTermsReadTheRest(t *testing.T) {
	ctx := context.Background()
	c, problems, err := corpus.LoadDir(ctx, "testdata/eval/news")
	if err != nil || len(problems) > 0 {
		t.Fatalf("load: %v %v", err, problems)
	}
	ix, err := Open(ctx, t.TempDir(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := c.Articles()[0]
	want := articleTermsOf(ix.an, a)
	terms := slices.Sorted(maps.Keys(want.df))
	need := []string{terms[0], terms[len(terms)/2]}
	got := map[corpus.ArticleID]*termSet{a.ID: nil}
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	ix.readArticleTerms(arts, got, planOf(need...), nil)
	ts := got[a.ID]
	if ts == nil || ts.stored == nil || ts.stored.plan == nil || ts.n != want.n {
		t.Fatalf("terms of %s read for %q = %+v; want %d sentences, some terms", a.ID, need, ts, want.n)
	}
	if ts.stored.all != nil {
		t.Fatalf("terms of %s read whole before another term was asked for", a.ID)
	}
	for _, term := range append(terms, "nowher") {
		if got := ts.count(term); got != want.df[term] {
			t.Errorf("count(%q) = %d; want %d", term, got, want.df[term])
		}
	}
	if ts.stored.all == nil {
		t.Errorf("terms of %s not read whole after other terms were asked for", a.ID)
	}
}

// TestTermSlabReused checks that the sets of terms made in a slab count
// rightly question after question, the slab reset between them, and that
// a set taken past what was reserved is made anew.
func TestTermSlabReused(t *testing.T) {
	c := seedCorpus(t)
	ix := memIndex(t, c, Options{})
	a := c.Articles()[0]
	want := articleTermsOf(ix.an, a)
	terms := slices.Sorted(maps.Keys(want.df))
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	var slab termSlab
	for round, need := range [][]string{terms[:3], terms[len(terms)-2:], {terms[1], "zzzz"}} {
		got := map[corpus.ArticleID]*termSet{a.ID: nil}
		ix.readArticleTerms(arts, got, planOf(need...), &slab)
		ts := got[a.ID]
		if ts == nil || ts.stored != &slab.stored[0] || ts.n != want.n {
			t.Fatalf("round %d: set = %+v; want the slab's first, of %d sentences", round, ts, want.n)
		}
		for _, term := range append(slices.Clone(need), terms[len(terms)/2]) {
			if got, want := ts.count(term), want.df[term]; got != want {
				t.Errorf("round %d: count(%q) = %d; want %d", round, term, got, want)
			}
		}
		slab.reset()
	}
	slab.reserve(1, 2)
	slab.next(2)
	if ts, st := slab.next(2); ts == nil || len(st.cnt) != 2 {
		t.Errorf("a set past the slab's = %+v, %+v; want one made anew with 2 counts", ts, st)
	}
}
