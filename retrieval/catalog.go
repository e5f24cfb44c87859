package retrieval

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/boltfile"
)

// The index holds, besides its sentences' documents and records, what it
// knows of each article, in its catalogue: a bbolt file beside bleve's
// store (catalogFile) with one key per article (its entry: attribution,
// publication details, sentences per paragraph, speakers, when first
// indexed, the file's hash and stamp) and a small header with the counts
// BM25 needs. A change writes the keys of the articles it touches and the
// header, in one transaction after bleve has the sentences: adding one
// article to a large index writes a few pages, not a list of every
// article. Opening the index reads the catalogue, so that a process can
// answer, list and quote without reading the corpus folder. A crash
// between the two leaves sentences the catalogue does not list: they are
// never quoted, and indexed again (replaced) with their article.

// catalogFile is the catalogue's file in the index folder.
const catalogFile = "catalog.bolt"

// The catalogue's buckets, and the header's key in the first.
var (
	catalogMeta     = []byte("meta")
	catalogArticles = []byte("articles")
	catalogTerms    = []byte("terms")
	headerKey       = []byte("header")
)

// openCatalog opens the catalogue of the index folder path, checked
// first (see boltfile); read-write, it is created when missing.
func openCatalog(path string, timeout time.Duration, readOnly bool) (*bolt.DB, error) {
	file := filepath.Join(path, catalogFile)
	if err := boltfile.Check(file); err != nil {
		return nil, fmt.Errorf("index catalogue: %w", err)
	}
	db, err := bolt.Open(file, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: readOnly})
	if err != nil {
		return nil, fmt.Errorf("index catalogue: %w", err)
	}
	if readOnly {
		return db, nil
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{catalogMeta, catalogArticles, catalogTerms} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("index catalogue: %w", err)
	}
	return db, nil
}

// writeCatalog stores the header of next and the entries of the articles
// that changed, in one transaction; without a catalogue (an index in
// memory) it does nothing.
func (ix *Index) writeCatalog(next *manifest, changes []entryChange) error {
	if ix.cat == nil {
		return nil
	}
	raw, err := json.Marshal(header{Version: next.Version, Fingerprint: next.Fingerprint, Sum: next.Sum, Docs: next.Docs, Terms: next.Terms})
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	err = ix.cat.update(func(tx *bolt.Tx, layered bool) error {
		arts, terms := tx.Bucket(catalogArticles), tx.Bucket(catalogTerms)
		// Over a base, a key is removed by marking it so in this layer.
		remove := func(b *bolt.Bucket, key []byte) error {
			if layered {
				return b.Put(key, removed)
			}
			return b.Delete(key)
		}
		for _, c := range changes {
			key := []byte(c.id)
			if c.next == nil {
				if err := remove(arts, key); err != nil {
					return err
				}
				if err := remove(terms, key); err != nil {
					return err
				}
				continue
			}
			if err := arts.Put(key, encodeEntry(c.next)); err != nil {
				return err
			}
			// An entry without terms is one restamped: its terms are
			// the catalogue's already.
			if c.next.terms != nil {
				if err := terms.Put(key, c.next.terms); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(catalogMeta).Put(headerKey, raw)
	})
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// entryChange is an article whose entry a change replaces (prev and next),
// adds (prev nil) or removes (next nil).
type entryChange struct {
	id         corpus.ArticleID
	prev, next *entry
}

// entryChanges returns the entries that differ between olds and nexts
// (entries are immutable: a change makes a new one, so a pointer
// comparison tells), of the articles ids only when ids is not nil: those
// a change touched, the others known to be the same.
func entryChanges(olds, nexts map[corpus.ArticleID]*entry, ids []corpus.ArticleID) []entryChange {
	var out []entryChange
	if ids != nil {
		for _, id := range ids {
			if o, e := olds[id], nexts[id]; o != e {
				out = append(out, entryChange{id, o, e})
			}
		}
		return out
	}
	for id, e := range nexts {
		if o := olds[id]; o != e {
			out = append(out, entryChange{id, o, e})
		}
	}
	for id, o := range olds {
		if nexts[id] == nil {
			out = append(out, entryChange{id, o, nil})
		}
	}
	return out
}

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
	// terms is the article's terms (encodeTermSet), made when it is
	// indexed: kept here in an index in memory; in one on disk, until
	// written to the catalogue's terms bucket, which articleTerms reads.
	terms []byte
	// title is the terms of the article's title, sorted and distinct
	// (titleTerms), for the title weight: read with the entry of each
	// candidate's article, which answering reads anyway.
	title []string
	// titleSig is title's titleSignature, or 0 when not worked out.
	titleSig uint64
	// filter is the filter of terms (see newTermFilter), "" for none: a
	// candidate's score is bounded by it before terms are read.
	filter string
}

// titleTerms returns the terms of an article's title, sorted and
// distinct.
func titleTerms(an *Analyzer, title string) []string {
	return slices.Compact(slices.Sorted(slices.Values(an.Terms(title))))
}

// header is the manifest's fixed part, stored in the catalogue (and, up
// to version 4, with every article's entry under manifestKey in bleve's
// internal store).
type header struct {
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
	// Sum is the manifest's Sum; absent from catalogues written before
	// it was kept.
	Sum   *corpus.FingerprintSum `json:"fingerprint_sum,omitempty"`
	Docs  int                    `json:"docs"`
	Terms int                    `json:"terms"`
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
const entryVersion = 5

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
	w.uint(uint64(len(a.Also)))
	for _, l := range a.Also {
		w.str(l.Source)
		w.str(l.URL)
	}
	w.str(a.Encoding)
	w.uint(uint64(len(e.title)))
	for _, t := range e.title {
		w.str(t)
	}
	w.str(e.filter)
	w.uint(uint64(len(a.Guilds)))
	for _, g := range a.Guilds {
		w.str(g)
	}
	return w.b
}

func decodeEntry(b []byte) (*entry, error) {
	e := &entry{Article: &corpus.Article{}}
	if err := decodeEntryInto(e, string(b)); err != nil {
		return nil, err
	}
	return e, nil
}

// decodeEntryInto decodes the entry enc into e and e.Article, which the
// caller provides (decodeEntries cuts them from one allocation each for
// many entries); e's strings slice enc.
func decodeEntryInto(e *entry, enc string) error {
	if len(enc) == 0 || enc[0] != entryVersion {
		return fmt.Errorf("%w: article entry not of version %d", errRecord, entryVersion)
	}
	r := recordReader{s: enc, off: 1}
	a := e.Article
	e.Added, e.Hash, e.Stamp, e.Paragraphs, e.Terms = r.time(), r.str(), r.str(), r.ints(), r.int()
	a.ID, a.Title, a.Source, a.Agency, a.URL, a.Author = corpus.ArticleID(r.str()), r.str(), r.str(), r.str(), r.str(), r.str()
	a.Published = r.time()
	a.Hash = e.Hash
	if n := r.count(2); n > 0 {
		e.Speakers = make([]corpus.SpeakerCount, n)
		for i := range e.Speakers {
			e.Speakers[i] = corpus.SpeakerCount{Name: r.str(), Count: r.int()}
		}
	}
	if n := r.count(2); n > 0 {
		a.Also = make([]corpus.Link, n)
		for i := range a.Also {
			a.Also[i] = corpus.Link{Source: r.str(), URL: r.str()}
		}
	}
	a.Encoding = r.str()
	if n := r.count(1); n > 0 {
		e.title = make([]string, n)
		for i := range e.title {
			e.title[i] = r.str()
		}
		e.titleSig = titleSignature(e.title)
	}
	e.filter = r.str()
	if n := r.count(1); n > 0 {
		a.Guilds = make([]string, n)
		for i := range a.Guilds {
			a.Guilds[i] = r.str()
		}
	}
	if r.err == nil && r.off != len(enc) {
		r.err = fmt.Errorf("%w: %d bytes left over", errRecord, len(enc)-r.off)
	}
	return r.err
}

// addedOf reads when an article was first indexed from an entry of any
// version that puts it first.
func addedOf(b []byte) time.Time {
	if len(b) == 0 {
		return time.Time{}
	}
	r := recordReader{s: string(b), off: 1}
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
	if r.off >= len(r.s) {
		r.fail("short time")
		return time.Time{}
	}
	r.off++
	if r.s[r.off-1] == 0 {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary([]byte(r.str())); err != nil {
		r.fail("bad time")
	}
	return t
}

// readManifest reads the header from the catalogue, and the articles'
// entries as an entries read lazily from it (catalogEntries): an index
// opened as it is answers without decoding every entry first. With a
// header of another version, or only the manifest an index of version 4
// or before kept in bleve's internal store, it returns an error and, in
// carried, when each article was first indexed, as far as it can tell.
func (ix *Index) readManifest() (m manifest, carried map[corpus.ArticleID]time.Time, err error) {
	var raw []byte
	var entries map[string][]byte // of an index of another version
	var current bool
	err = ix.cat.view(func(cv catView) error {
		raw = bytes.Clone(cv.get(catalogMeta, headerKey))
		var h header
		if raw != nil && json.Unmarshal(raw, &h) == nil && h.Version == analysisVersion {
			// The usual start: the entries are read when needed.
			current = true
			return nil
		}
		entries = map[string][]byte{}
		return cv.forEach(catalogArticles, func(k, v []byte) error {
			entries[string(k)] = bytes.Clone(v)
			return nil
		})
	})
	if err != nil {
		return manifest{}, nil, fmt.Errorf("read manifest: %w", err)
	}
	if raw == nil {
		if raw, err = ix.bi.GetInternal(manifestKey); err != nil {
			return manifest{}, nil, fmt.Errorf("read manifest: %w", err)
		}
		if raw == nil {
			return manifest{}, nil, errors.New("no manifest")
		}
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return manifest{}, nil, fmt.Errorf("read manifest: %w", err)
	}
	m = manifest{Version: h.Version, Fingerprint: h.Fingerprint, Docs: h.Docs, Terms: h.Terms}
	if current {
		m.Sum = h.Sum
		m.Articles = catalogEntries(ix.cat, ix.log)
		return m, nil, nil
	}
	m.Articles = heldEntries(nil)
	if h.Version != analysisVersion {
		carried = make(map[corpus.ArticleID]time.Time, len(h.Articles)+len(entries))
		for id, e := range h.Articles {
			carried[id] = e.Added
		}
		for id, v := range entries {
			if _, known := carried[corpus.ArticleID(id)]; !known {
				carried[corpus.ArticleID(id)] = addedOf(v)
			}
		}
		return m, carried, fmt.Errorf("built by %s, this is %s", h.Version, analysisVersion)
	}
	held := make(map[corpus.ArticleID]*entry, len(entries))
	for id, v := range entries {
		e, err := decodeEntry(v)
		if err != nil {
			return manifest{}, nil, fmt.Errorf("article %s: %w", id, err)
		}
		held[corpus.ArticleID(id)] = e
	}
	m.Articles = heldEntries(held)
	return m, nil, nil
}

// entries are the entries of the articles an index holds, by id. Those
// made in memory (by a change, or by reading an index of another
// version) are all held from the start (heldEntries). Those of an index
// opened from its catalogue (catalogEntries) are read from it when first
// needed: one by one (get, for a candidate's article, a scope, an
// article asked for), each decoded once and kept; or every one at once,
// once, by the first use that needs them all (all: the list of articles,
// speakers, the digest, a scope per server, a change). At 100,000
// articles decoding every entry at open was most of a start.
//
// The catalogue is only written by a change (commit), which first reads
// every entry of the index as it was (all), so entries read from it are
// always of the manifest they belong to. An entries is safe for
// concurrent use; the map all returns must not be modified.
type entries struct {
	// held is every entry, once all are held.
	held atomic.Pointer[map[corpus.ArticleID]*entry]

	cat *catalog // the catalogue; nil when all are held from the start
	log *slog.Logger

	mu   sync.Mutex                  // guards some and keys
	some map[corpus.ArticleID]*entry // decoded one by one, until all are held
	keys int                         // the catalogue's keys, -1 until counted

	loading sync.Mutex // serialises reading them all

	scopedOnce sync.Once
	scopedArts []corpus.Article // see scoped

	newestOnce sync.Once
	newestArts []*corpus.Article // see newest

	publicOnce sync.Once
	public     speakerTally // see publicSpeakers

	// decoded counts the entries decoded from the catalogue (for tests:
	// opening and answering decodes a few, not every one).
	decoded atomic.Int64
}

// heldEntries returns the entries of held, which the caller no longer
// modifies; nil holds none.
func heldEntries(held map[corpus.ArticleID]*entry) *entries {
	if held == nil {
		held = map[corpus.ArticleID]*entry{}
	}
	es := &entries{}
	es.held.Store(&held)
	return es
}

// catalogEntries returns the entries of the catalogue cat's articles
// bucket, read when needed; decoding failures are logged to log.
func catalogEntries(cat *catalog, log *slog.Logger) *entries {
	return &entries{cat: cat, log: log, some: map[corpus.ArticleID]*entry{}, keys: -1}
}

// get returns the entry of article id, and false for an article the index
// does not hold (or whose entry cannot be read, logged).
func (es *entries) get(id corpus.ArticleID) (*entry, bool) {
	if held := es.held.Load(); held != nil {
		e, ok := (*held)[id]
		return e, ok
	}
	es.mu.Lock()
	e, ok := es.some[id]
	es.mu.Unlock()
	if ok {
		return e, true
	}
	var err error
	err = es.cat.view(func(cv catView) error {
		if v := cv.get(catalogArticles, []byte(id)); v != nil {
			e, err = decodeEntry(v) // copies v, valid in the transaction only
			es.decoded.Add(1)
		}
		return err
	})
	if err != nil {
		es.log.Warn("reading an article's entry from the index", "article", id, "err", err)
		return nil, false
	}
	if e == nil {
		return nil, false
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	// Another caller may have decoded it meanwhile, or every entry been
	// read: the first kept is the one every caller gets.
	if held := es.held.Load(); held != nil {
		e, ok := (*held)[id]
		return e, ok
	}
	if kept, ok := es.some[id]; ok {
		return kept, true
	}
	// Kept under the entry's own copy of the id: id may slice memory
	// that is reused (see readMemory).
	es.some[e.Article.ID] = e
	return e, true
}

// all returns every entry, reading the ones not read yet from the
// catalogue the first time. Entries that cannot be decoded are logged and
// left out. The map must not be modified.
func (es *entries) all() map[corpus.ArticleID]*entry {
	if held := es.held.Load(); held != nil {
		return *held
	}
	es.loading.Lock()
	defer es.loading.Unlock()
	if held := es.held.Load(); held != nil {
		return *held
	}
	var m map[corpus.ArticleID]*entry
	err := es.cat.view(func(cv catView) error {
		var err error
		m, err = decodeEntries(cv)
		return err
	})
	if err != nil {
		es.log.Warn("reading the articles' entries from the index", "err", err)
	}
	if m == nil {
		m = map[corpus.ArticleID]*entry{}
	}
	es.decoded.Add(int64(len(m)))
	es.mu.Lock()
	defer es.mu.Unlock()
	// The entries handed out already stay the ones of their articles.
	for id, e := range es.some {
		if _, ok := m[id]; ok {
			m[id] = e
		}
	}
	es.some = nil
	es.held.Store(&m)
	return m
}

// scoped returns the articles some Discord servers only see (their
// Guilds set), each with only its ID and Guilds: what a question scoped
// to a server must leave out. Found once: in the entries held, or, until
// they are, by a walk over the catalogue that decodes only the entries'
// servers (a question in a server does not decode every entry).
func (es *entries) scoped() []corpus.Article {
	es.scopedOnce.Do(func() {
		if held := es.held.Load(); held != nil {
			for id, e := range *held {
				if len(e.Article.Guilds) > 0 {
					es.scopedArts = append(es.scopedArts, corpus.Article{ID: id, Guilds: e.Article.Guilds})
				}
			}
			return
		}
		err := es.cat.view(func(cv catView) error {
			return cv.forEach(catalogArticles, func(k, v []byte) error {
				guilds, err := entryGuilds(v)
				if err != nil {
					// Left out by get and all as well.
					es.log.Warn("reading an article's entry from the index", "article", string(k), "err", err)
					return nil
				}
				if len(guilds) > 0 {
					es.scopedArts = append(es.scopedArts, corpus.Article{ID: corpus.ArticleID(k), Guilds: guilds})
				}
				return nil
			})
		})
		if err != nil {
			es.log.Warn("reading the articles' servers from the index", "err", err)
		}
	})
	return es.scopedArts
}

// entryGuilds returns the servers of an article's entry (encodeEntry),
// its last field, skipping the others without decoding them; the strings
// are copied.
func entryGuilds(enc []byte) ([]string, error) {
	if len(enc) == 0 || enc[0] != entryVersion {
		return nil, fmt.Errorf("%w: article entry not of version %d", errRecord, entryVersion)
	}
	w := entrySkipper{enc: enc, off: 1}
	w.time()      // Added
	w.str()       // Hash
	w.str()       // Stamp
	w.list(0, 1)  // Paragraphs
	w.num()       // Terms
	for range 6 { // ID, Title, Source, Agency, URL, Author
		w.str()
	}
	w.time()     // Published
	w.list(1, 1) // Speakers
	w.list(2, 0) // Also
	w.str()      // Encoding
	w.list(1, 0) // title
	w.str()      // filter
	n := w.num()
	if w.bad || n > uint64(len(enc)-w.off) {
		return nil, fmt.Errorf("%w: article entry cut short", errRecord)
	}
	var guilds []string
	if n > 0 {
		guilds = make([]string, n)
		for i := range guilds {
			guilds[i] = string(w.str())
		}
	}
	if w.bad {
		return nil, fmt.Errorf("%w: article entry cut short", errRecord)
	}
	if w.off != len(enc) {
		return nil, fmt.Errorf("%w: %d bytes left over", errRecord, len(enc)-w.off)
	}
	return guilds, nil
}

// entrySkipper walks an entry's encoding (encodeEntry) field by field
// without decoding what it skips, for the readers that need one field of
// many entries (their servers, their stamp). bad is set, and stays, once
// the encoding ends too soon.
type entrySkipper struct {
	enc []byte
	off int
	bad bool
}

func (w *entrySkipper) num() uint64 {
	v, n := binary.Uvarint(w.enc[w.off:])
	if n <= 0 {
		w.bad = true
		return 0
	}
	w.off += n
	return v
}

func (w *entrySkipper) str() []byte {
	n := w.num()
	if w.bad || n > uint64(len(w.enc)-w.off) {
		w.bad = true
		return nil
	}
	w.off += int(n)
	return w.enc[w.off-int(n) : w.off]
}

// time skips a time: a zero byte, or a one and its encoding.
func (w *entrySkipper) time() {
	if w.off >= len(w.enc) {
		w.bad = true
		return
	}
	w.off++
	if w.enc[w.off-1] != 0 {
		w.str()
	}
}

// list skips a list, each item strs strings then nums numbers.
func (w *entrySkipper) list(strs, nums int) {
	n := w.num()
	for i := uint64(0); i < n && !w.bad; i++ {
		for range strs {
			w.str()
		}
		for range nums {
			w.num()
		}
	}
}

// sameStamps reports whether the entries are exactly those of the files
// (each file's article, with the file's stamp, none other), so that the
// folder has not moved since it was indexed. Until every entry is held
// it walks the catalogue reading only each entry's stamp, decoding none.
// A file without a stamp is taken to have moved.
func (es *entries) sameStamps(files []corpus.FolderFile) bool {
	stamps := make(map[corpus.ArticleID]string, len(files))
	for _, ff := range files {
		if ff.Stamp == "" {
			return false
		}
		stamps[ff.ID] = ff.Stamp
	}
	if len(stamps) != len(files) {
		return false
	}
	if held := es.held.Load(); held != nil {
		if len(*held) != len(stamps) {
			return false
		}
		for id, e := range *held {
			if st, ok := stamps[id]; !ok || e.Stamp != st {
				return false
			}
		}
		return true
	}
	same, n := true, 0
	err := es.cat.view(func(cv catView) error {
		return cv.forEach(catalogArticles, func(k, v []byte) error {
			st, ok := stamps[corpus.ArticleID(k)]
			same = ok && entryStampIs(v, st)
			n++
			if !same {
				return errStop
			}
			return nil
		})
	})
	return err == nil && same && n == len(stamps)
}

// entryStampIs reports whether the entry enc (encodeEntry) holds the
// stamp st, reading only the fields before it.
func entryStampIs(enc []byte, st string) bool {
	if len(enc) < 2 || enc[0] != entryVersion {
		return false
	}
	w := entrySkipper{enc: enc, off: 1}
	w.time() // Added
	w.str()  // Hash
	stamp := w.str()
	return !w.bad && string(stamp) == st
}

// count returns the number of entries: until all are read, the number
// of the catalogue's keys, counted once without decoding any entry.
func (es *entries) count() int {
	if held := es.held.Load(); held != nil {
		return len(*held)
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.keys < 0 {
		n := 0
		err := es.cat.view(func(cv catView) error {
			return cv.forEach(catalogArticles, func(_, _ []byte) error {
				n++
				return nil
			})
		})
		if err != nil {
			es.log.Warn("counting the articles of the index", "err", err)
			return 0
		}
		es.keys = n
	}
	return es.keys
}

// decodeEntries decodes every entry of the catalogue's articles bucket,
// in parts on every core, copying what it keeps. The entries of a part
// share their allocations: one replaced later is not freed until the
// index is opened again. An entry that cannot be decoded is left out,
// and reported in the error with the others.
func decodeEntries(cv catView) (map[corpus.ArticleID]*entry, error) {
	type kv struct{ k, v []byte }
	var all []kv
	if err := cv.forEach(catalogArticles, func(k, v []byte) error {
		all = append(all, kv{k, v})
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]*entry, len(all))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(all)/1000))
	errs := make([][]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			// A part's entries, their articles and their bytes are
			// each one allocation: at 100,000 articles, allocating
			// them one by one was most of a start.
			lo, hi := p*len(all)/parts, (p+1)*len(all)/parts
			size := 0
			for _, x := range all[lo:hi] {
				size += len(x.v)
			}
			buf := make([]byte, 0, size)
			for _, x := range all[lo:hi] {
				buf = append(buf, x.v...)
			}
			enc := string(buf)
			ents := make([]entry, hi-lo)
			arts := make([]corpus.Article, hi-lo)
			off := 0
			for i := lo; i < hi; i++ {
				e := &ents[i-lo]
				e.Article = &arts[i-lo]
				n := len(all[i].v)
				if err := decodeEntryInto(e, enc[off:off+n]); err != nil {
					errs[p] = append(errs[p], fmt.Errorf("article %s: %w", all[i].k, err))
				} else {
					out[i] = e
				}
				off += n
			}
		})
	}
	wg.Wait()
	m := make(map[corpus.ArticleID]*entry, len(all))
	for i, e := range out {
		if e != nil {
			m[corpus.ArticleID(all[i].k)] = e
		}
	}
	return m, errors.Join(slices.Concat(errs...)...)
}

// Articles returns the articles the index holds, newest first (unknown
// dates last, ties by id), without their paragraphs: use Article for an
// article's sentences. The slice is new; the articles must not be
// modified.
func (ix *Index) Articles() []*corpus.Article {
	ix.mu.RLock()
	es := ix.man.Articles
	ix.mu.RUnlock()
	return slices.Clone(es.newest())
}

// speakerTally is who the articles of a set quote, and how often: the
// counts by name, and the same sorted as Speakers lists them.
type speakerTally struct {
	counts map[string]int
	sorted []corpus.SpeakerCount
}

// publicSpeakers returns the tally of the articles every server sees
// (those without Guilds), made once for the entries. Neither its map nor
// its slice may be modified.
func (es *entries) publicSpeakers() speakerTally {
	es.publicOnce.Do(func() {
		counts := map[string]int{}
		for _, e := range es.all() {
			if len(e.Article.Guilds) > 0 {
				continue
			}
			for _, sp := range e.Speakers {
				counts[sp.Name] += sp.Count
			}
		}
		es.public = speakerTally{counts: counts, sorted: sortSpeakers(counts)}
	})
	return es.public
}

// newest returns the entries' articles newest first (unknown dates last,
// ties by id), sorted once for the entries (a list of 100,000 articles
// took 0.2 s to sort, at every keystroke of an article's autocomplete).
// The slice must not be modified.
func (es *entries) newest() []*corpus.Article {
	es.newestOnce.Do(func() {
		arts := es.all()
		out := make([]*corpus.Article, 0, len(arts))
		for _, id := range slices.Sorted(maps.Keys(arts)) {
			out = append(out, arts[id].Article)
		}
		slices.SortStableFunc(out, func(a, b *corpus.Article) int { return b.Published.Compare(a.Published) })
		es.newestArts = out
	})
	return es.newestArts
}

// Article returns an article with its paragraphs and sentences, read from
// the index, and false for an article the index does not hold. Each
// paragraph's Text is its sentences joined by spaces.
func (ix *Index) Article(id corpus.ArticleID) (*corpus.Article, bool) {
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	e, ok := arts.get(id)
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
func (ix *Index) Speakers() []corpus.SpeakerCount { return ix.SpeakersIn("") }

// QuotesBy returns the sentences that report the words of speaker (any
// case), newest article first, then in article order; article, when not
// "", keeps one article's.
func (ix *Index) QuotesBy(speaker string, article corpus.ArticleID) []corpus.Sentence {
	return ix.QuotesByIn(speaker, article, "")
}

// fingerprintSum returns the fingerprint sum of the entries nexts: old,
// the sum before changes, changed by the digests of the entries they add
// and remove (a change of one article among 100,000 costs two digests),
// or, when old is unknown, made from every entry.
func fingerprintSum(old *corpus.FingerprintSum, nexts map[corpus.ArticleID]*entry, changes []entryChange) *corpus.FingerprintSum {
	var s corpus.FingerprintSum
	if old == nil {
		for id, e := range nexts {
			s.Add(id, e.Hash)
		}
		return &s
	}
	s = *old
	for _, c := range changes {
		if c.prev != nil {
			s.Remove(c.id, c.prev.Hash)
		}
		if c.next != nil {
			s.Add(c.id, c.next.Hash)
		}
	}
	return &s
}

// articleTerms returns the terms of an article (its title's, its
// sentences' and their speakers', counted per sentence), as computed when
// it was indexed, for the article feature; nil when the index has none.
func (ix *Index) articleTerms(id corpus.ArticleID) *termSet {
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	terms := map[corpus.ArticleID]*termSet{id: nil}
	ix.readArticleTerms(arts, terms, nil, nil)
	return terms[id]
}

// readArticleTerms sets the terms of each article of terms whose value is
// nil, as articleTerms returns them, the articles' entries taken from arts;
// from the catalogue in one transaction. With a plan, each set holds the
// counts of the terms the plan needs (see countTerms), and reads the rest
// from the index only if asked for another; the sets are then made in
// slab when it is not nil (see termSlab).
func (ix *Index) readArticleTerms(arts *entries, terms map[corpus.ArticleID]*termSet, plan *termPlan, slab *termSlab) {
	if slab == nil {
		slab = new(termSlab)
	}
	var need []string
	if plan != nil {
		need = plan.need
		unread := 0
		for _, ts := range terms {
			if ts == nil {
				unread++
			}
		}
		slab.reserve(unread, len(need))
	}
	read := func(id corpus.ArticleID, enc []byte) {
		var ts *termSet
		var err error
		if plan == nil {
			ts, err = decodeTermSet(bytes.Clone(enc))
		} else {
			var st *storedTerms
			ts, st = slab.next(len(need))
			st.plan, st.ix, st.id = plan, ix, id
			ts.stored = st
			ts.n, err = countTerms(enc, plan, st.cnt)
		}
		if err != nil {
			ix.log.Warn("reading an article's terms from the index", "article", id, "err", err)
			return
		}
		terms[id] = ts
	}
	fromCatalog := slab.ids[:0]
	for id, ts := range terms {
		var e *entry
		if ts == nil {
			e, _ = arts.get(id)
		}
		switch {
		case ts != nil || e == nil:
		case e.terms != nil:
			read(id, e.terms)
		case ix.cat != nil:
			fromCatalog = append(fromCatalog, id)
		}
	}
	slab.ids = fromCatalog
	if len(fromCatalog) == 0 {
		return
	}
	// In key order, so that one cursor reads them moving forward.
	slices.Sort(fromCatalog)
	err := ix.cat.view(func(cv catView) error {
		s := cv.seeker(catalogTerms)
		for _, id := range fromCatalog {
			slab.key = append(slab.key[:0], id...)
			if v := s.get(slab.key); v != nil {
				read(id, v) // v is valid in the transaction only: read whole, it is copied
			}
		}
		return nil
	})
	if err != nil {
		ix.log.Warn("reading articles' terms from the index", "articles", len(fromCatalog), "err", err)
	}
}
