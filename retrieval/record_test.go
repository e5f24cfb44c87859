package retrieval

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestRecordFieldsCoverDoc fails when doc or sentenceRecord gains a field
// that records do not carry: add it to recordFields and bump
// recordVersion.
func TestRecordFieldsCoverDoc(t *testing.T) {
	var want []string
	for f := range reflect.TypeFor[doc]().Fields() {
		want = append(want, "d."+f.Name)
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
	ctx := context.Background()
	c := seedCorpus(t)
	dir := t.TempDir()
	ix, err := Open(ctx, dir, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if ix, err = Open(ctx, dir, c, Options{}); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
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
