package retrieval

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/verbatim-bot/verbatim/corpus"
)

// The index holds, besides its sentences' documents and records, what it
// knows of each article in bleve's internal store: one key per article
// (its entry: attribution, publication details, sentences per paragraph,
// speakers, when first indexed, the file's hash and stamp), and one small
// header (manifestKey) with the counts BM25 needs. A change writes the
// keys of the articles it touches, in the batch that indexes them; opening
// the index reads them from the store, so that a process can answer,
// list and quote without reading the corpus folder.

// articleKeyPrefix begins each article's key in the internal store.
const articleKeyPrefix = "verbatim.article\x1f"

func articleKey(id corpus.ArticleID) []byte { return []byte(articleKeyPrefix + string(id)) }

// entry is what the index knows of one article. An entry is immutable
// once made; a change makes a new one.
type entry struct {
	Hash       string
	Stamp      string // the folder file's stamp when listed, else ""
	Paragraphs []int  // sentences per paragraph
	Terms      int
	Added      time.Time
	// Article is the article without its paragraphs.
	Article *corpus.Article
	// Speakers are the people the article quotes, the most quoted first.
	Speakers []corpus.SpeakerCount
}

// header is the manifest's fixed part, stored under manifestKey.
type header struct {
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
	Docs        int    `json:"docs"`
	Terms       int    `json:"terms"`
	// Articles is read only from a manifest of version 4 or before, which
	// held every article's entry in this one value: when each was added
	// is carried over to the rebuilt index.
	Articles map[corpus.ArticleID]struct {
		Added time.Time `json:"added"`
	} `json:"articles,omitempty"`
}

// newEntry makes the entry of an article indexed now.
func newEntry(a *corpus.Article, added time.Time) *entry {
	meta := *a
	meta.Paragraphs = nil
	e := &entry{Hash: a.Hash, Added: added, Article: &meta}
	counts := map[string]int{}
	for _, p := range a.Paragraphs {
		e.Paragraphs = append(e.Paragraphs, len(p.Sentences))
		for _, s := range p.Sentences {
			if s.Speaker != "" {
				counts[s.Speaker]++
			}
		}
	}
	e.Speakers = sortSpeakers(counts)
	return e
}

// sortSpeakers lists speakers the most quoted first, ties by name.
func sortSpeakers(counts map[string]int) []corpus.SpeakerCount {
	out := make([]corpus.SpeakerCount, 0, len(counts))
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		out = append(out, corpus.SpeakerCount{Name: name, Count: counts[name]})
	}
	slices.SortStableFunc(out, func(a, b corpus.SpeakerCount) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// entryVersion is the version of the entry encoding, its first byte.
// Added comes right after it, so that an upgrade can carry it over.
const entryVersion = 1

func encodeEntry(e *entry) []byte {
	w := recordWriter{b: []byte{entryVersion}}
	w.time(e.Added)
	w.str(e.Hash)
	w.str(e.Stamp)
	w.ints(e.Paragraphs)
	w.uint(uint64(e.Terms))
	a := e.Article
	for _, s := range []string{string(a.ID), a.Title, a.Source, a.Agency, a.URL, a.Author} {
		w.str(s)
	}
	w.time(a.Published)
	w.uint(uint64(len(e.Speakers)))
	for _, sp := range e.Speakers {
		w.str(sp.Name)
		w.uint(uint64(sp.Count))
	}
	return w.b
}

func decodeEntry(b []byte) (*entry, error) {
	if len(b) == 0 || b[0] != entryVersion {
		return nil, fmt.Errorf("%w: article entry not of version %d", errRecord, entryVersion)
	}
	r := recordReader{b: b, s: string(b), off: 1}
	e := &entry{Added: r.time(), Hash: r.str(), Stamp: r.str(), Paragraphs: r.ints(), Terms: r.int()}
	a := &corpus.Article{ID: corpus.ArticleID(r.str()), Title: r.str(), Source: r.str(), Agency: r.str(), URL: r.str(), Author: r.str()}
	a.Published = r.time()
	a.Hash = e.Hash
	e.Article = a
	n := r.count(2)
	for range n {
		e.Speakers = append(e.Speakers, corpus.SpeakerCount{Name: r.str(), Count: r.int()})
	}
	if r.err == nil && r.off != len(b) {
		r.err = fmt.Errorf("%w: %d bytes left over", errRecord, len(b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return e, nil
}

// addedOf reads when an article was first indexed from an entry of any
// version that puts it first.
func addedOf(b []byte) time.Time {
	if len(b) == 0 {
		return time.Time{}
	}
	r := recordReader{b: b, s: string(b), off: 1}
	t := r.time()
	if r.err != nil {
		return time.Time{}
	}
	return t
}

func (w *recordWriter) time(t time.Time) {
	if t.IsZero() {
		w.b = append(w.b, 0)
		return
	}
	raw, _ := t.MarshalBinary() // fails only for offsets no zone has
	w.b = append(w.b, 1)
	w.str(string(raw))
}

func (r *recordReader) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	if r.off >= len(r.b) {
		r.fail("short time")
		return time.Time{}
	}
	r.off++
	if r.b[r.off-1] == 0 {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary([]byte(r.str())); err != nil {
		r.fail("bad time")
	}
	return t
}

// readManifest reads the header and every article's entry from the
// index. With a header of another version it returns the header and, in
// carried, when each article was first indexed, as far as it can tell.
func (ix *Index) readManifest() (m manifest, carried map[corpus.ArticleID]time.Time, err error) {
	raw, err := ix.bi.GetInternal(manifestKey)
	if err != nil {
		return manifest{}, nil, fmt.Errorf("read manifest: %w", err)
	}
	if raw == nil {
		return manifest{}, nil, errors.New("no manifest")
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return manifest{}, nil, fmt.Errorf("read manifest: %w", err)
	}
	internal, err := ix.internal()
	if err != nil {
		return manifest{}, nil, err
	}
	m = manifest{Version: h.Version, Fingerprint: h.Fingerprint, Docs: h.Docs, Terms: h.Terms,
		Articles: make(map[corpus.ArticleID]*entry, len(internal))}
	if h.Version != analysisVersion {
		carried = make(map[corpus.ArticleID]time.Time, len(h.Articles)+len(internal))
		for id, e := range h.Articles {
			carried[id] = e.Added
		}
		for k, v := range internal {
			id, ok := strings.CutPrefix(k, articleKeyPrefix)
			if _, known := carried[corpus.ArticleID(id)]; ok && !known {
				carried[corpus.ArticleID(id)] = addedOf(v)
			}
		}
		return m, carried, fmt.Errorf("built by %s, this is %s", h.Version, analysisVersion)
	}
	for k, v := range internal {
		id, ok := strings.CutPrefix(k, articleKeyPrefix)
		if !ok {
			continue
		}
		e, err := decodeEntry(v)
		if err != nil {
			return manifest{}, nil, fmt.Errorf("article %s: %w", id, err)
		}
		m.Articles[corpus.ArticleID(id)] = e
	}
	return m, nil, nil
}

// internal returns the index's internal store, as the current snapshot
// holds it.
func (ix *Index) internal() (map[string][]byte, error) {
	ai, err := ix.bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	rd, err := ai.Reader()
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer rd.Close()
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("read manifest: index of type %T", rd)
	}
	return snap.Internal(), nil
}

// Articles returns the articles the index holds, newest first (unknown
// dates last, ties by id), without their paragraphs: use Article for an
// article's sentences. The slice is new; the articles must not be
// modified.
func (ix *Index) Articles() []*corpus.Article {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()
	out := make([]*corpus.Article, 0, len(man.Articles))
	for _, id := range slices.Sorted(maps.Keys(man.Articles)) {
		out = append(out, man.Articles[id].Article)
	}
	slices.SortStableFunc(out, func(a, b *corpus.Article) int { return b.Published.Compare(a.Published) })
	return out
}

// Article returns an article with its paragraphs and sentences, read from
// the index, and false for an article the index does not hold. Each
// paragraph's Text is its sentences joined by spaces.
func (ix *Index) Article(id corpus.ArticleID) (*corpus.Article, bool) {
	ix.mu.RLock()
	e, ok := ix.man.Articles[id]
	ix.mu.RUnlock()
	if !ok {
		return nil, false
	}
	recs := records{bi: ix.bi}
	defer recs.close()
	a, err := ix.loadArticle(e, &recs)
	if err != nil {
		ix.log.Warn("reading an article from the index", "article", id, "err", err)
		return nil, false
	}
	return a, true
}

// loadArticle reads the sentences of an article from their records.
func (ix *Index) loadArticle(e *entry, recs *records) (*corpus.Article, error) {
	a := *e.Article
	a.Paragraphs = make([]corpus.Paragraph, len(e.Paragraphs))
	for p, n := range e.Paragraphs {
		para := corpus.Paragraph{Number: p + 1, Sentences: make([]corpus.Sentence, 0, n)}
		texts := make([]string, 0, n)
		for k := 1; k <= n; k++ {
			ref := corpus.Ref{Article: a.ID, Paragraph: p + 1, Sentence: k}
			r, ok := recs.load(docID(ref))
			if !ok {
				return nil, fmt.Errorf("no record of sentence %s", ref)
			}
			para.Sentences = append(para.Sentences, r.sentence(ref))
			texts = append(texts, r.d.text)
		}
		para.Text = strings.Join(texts, " ")
		a.Paragraphs[p] = para
	}
	return &a, nil
}

// Speakers lists everyone the articles quote, the most quoted first (ties
// by name).
func (ix *Index) Speakers() []corpus.SpeakerCount {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()
	counts := map[string]int{}
	for _, e := range man.Articles {
		for _, sp := range e.Speakers {
			counts[sp.Name] += sp.Count
		}
	}
	return sortSpeakers(counts)
}

// QuotesBy returns the sentences that report the words of speaker (any
// case), newest article first, then in article order; article, when not
// "", keeps one article's.
func (ix *Index) QuotesBy(speaker string, article corpus.ArticleID) []corpus.Sentence {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()
	recs := records{bi: ix.bi}
	defer recs.close()
	var out []corpus.Sentence
	for _, meta := range ix.Articles() {
		if article != "" && meta.ID != article {
			continue
		}
		e := man.Articles[meta.ID]
		if e == nil || !slices.ContainsFunc(e.Speakers, func(sp corpus.SpeakerCount) bool { return strings.EqualFold(sp.Name, speaker) }) {
			continue
		}
		a, err := ix.loadArticle(e, &recs)
		if err != nil {
			ix.log.Warn("reading an article from the index", "article", meta.ID, "err", err)
			continue
		}
		for _, p := range a.Paragraphs {
			for _, s := range p.Sentences {
				if s.Speaker != "" && strings.EqualFold(s.Speaker, speaker) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// fingerprintOf is the fingerprint of the articles of a manifest.
func fingerprintOf(articles map[corpus.ArticleID]*entry) string {
	ids := make([]corpus.IDHash, 0, len(articles))
	for _, id := range slices.Sorted(maps.Keys(articles)) {
		ids = append(ids, corpus.IDHash{ID: id, Hash: articles[id].Hash})
	}
	return corpus.FingerprintOf(ids)
}
