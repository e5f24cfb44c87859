package retrieval

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveutil "github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/boltfile"
)

// ErrLocked reports an index folder held by another process (a running
// bot). Open returns it after Options.LockTimeout; callers may fall back
// to OpenMemory.
var ErrLocked = errors.New("index is locked by another verbatim process")

// Options configure an Index. The zero value is usable.
type Options struct {
	// Logger receives warnings (a damaged index rebuilt) and progress at
	// debug level. Nil discards them.
	Logger *slog.Logger
	// LockTimeout bounds the wait for an index folder locked by another
	// process. Zero means one second.
	LockTimeout time.Duration
	// Progress, when set, is called as sentences are indexed, with the
	// number of articles done and to do.
	Progress func(done, total int)
	// Features selects the ranking features; zero means AllFeatures.
	Features Feature
	// PlainBM25 turns every ranking feature off (for ablations), since a
	// zero Features means all of them.
	PlainBM25 bool
	// MinConfidence is the confidence below which an answer is a
	// no-answer; zero means DefaultConfidenceThreshold().
	MinConfidence float64
	// Now tells the time articles are first indexed; nil means time.Now.
	Now func() time.Time

	// weights are the ranking's weights; nil means the shipped ones.
	// Cross-validation ranks with weights fitted without the questions
	// it asks.
	weights *weightSet
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o Options) features() Feature {
	switch {
	case o.PlainBM25:
		return 0
	case o.Features == 0:
		return AllFeatures
	}
	return o.Features
}

// Index is the sentence index of a corpus: bleve for finding candidate
// sentences and collection statistics, each sentence's record (its text,
// attribution and analysis) stored beside it, and each article's entry in
// bleve's internal store. It holds no corpus in memory: it answers,
// lists and quotes from what it stores. It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	cat      *catalog // the catalogue (catalog.go); nil in memory
	an       *Analyzer
	path     string // "" when in memory
	readOnly bool   // opened by OpenShared: Sync refuses
	version  string // the shared folder's version it is, or ""
	log      *slog.Logger
	features Feature
	wt       *weightSet // nil: the shipped weights
	minConf  float64
	conf     *confidenceModel
	now      func() time.Time
	progress func(done, total int)

	mu  sync.RWMutex // guards man, gen, pending and counts; held for writing only to swap them
	man manifest
	gen uint64 // counts the changes, for the caches of what the index holds (vocab.go)
	// pending are the articles for some servers only that a Sync is
	// indexing and has not yet published in man: their sentences are in
	// the index before they are in the catalogue (guarded by mu).
	pending []*corpus.Article
	counts  *termCounts // of the index as it is since the last change

	hidden hiddenCache // what each server does not see of the vocabulary (vocab.go)

	syncMu sync.Mutex // serialises Sync

	// carried holds when each article was first indexed by the index an
	// upgrade rebuilt, for Open's first Sync only.
	carried map[corpus.ArticleID]time.Time

	closeOnce sync.Once
	closeErr  error
}

// manifest records what the index holds, in its catalogue (catalog.go),
// so that an index can be reopened without re-reading the corpus and
// refreshed by difference.
type manifest struct {
	Version     string
	Fingerprint string
	// Sum is what Fingerprint is made from, kept so that a change of a
	// few articles updates it by their digests alone; nil when unknown (a
	// catalogue written before it was kept).
	Sum   *corpus.FingerprintSum
	Docs  int
	Terms int
	// Articles are the articles' entries: of an index opened from its
	// catalogue, read from it when needed (see entries).
	Articles *entries
}

var manifestKey = []byte("verbatim.manifest")

// IndexDir is the folder, under the data folder, that holds the index.
const IndexDir = "index"

// Open opens the index in dataDir (creating it when missing) and brings it
// up to date with c: reopened as it is when its fingerprint matches,
// refreshed article by article when not, rebuilt with a warning when it is
// damaged or was built by another version. It returns ErrLocked when
// another process holds the folder for longer than Options.LockTimeout.
func Open(ctx context.Context, dataDir string, c *corpus.Corpus, o Options) (*Index, error) {
	ix, err := openDir(dataDir, o)
	if err != nil {
		return nil, err
	}
	err = ix.Sync(ctx, c)
	ix.carried = nil
	if err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// openDir opens the index in dataDir with its manifest, creating it when
// missing and rebuilding it (empty) when damaged or of another version.
func openDir(dataDir string, o Options) (*Index, error) {
	// The lexicon is decoded (once per process) while the index and its
	// catalogue are opened, on another core.
	go lexiconOnce() //nolint:errcheck // newIndex reads the result
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, IndexDir)
	timeout := o.LockTimeout
	if timeout <= 0 {
		timeout = time.Second
	}
	log := o.logger()
	fresh := false
	// The root file is checked before bbolt maps it (see boltfile); then
	// the lock, before the segments: a segment being written by the
	// process that holds the folder is no damage.
	var bi bleve.Index
	if err = boltfile.Check(filepath.Join(path, "store", "root.bolt")); err != nil {
		err = fmt.Errorf("index root file: %w", err)
	} else if err = probeLock(path, timeout); err == nil {
		if err = checkSegments(path); err == nil {
			bi, err = openBleve(path, timeout)
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open index %s: %w", path, ErrLocked)
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		bi, err = create(path, im)
		fresh = true
	case errors.As(err, new(*missingSegmentError)):
		log.Warn(err.Error()+"; rebuilding the index", "path", path)
		bi, err = recreate(path, im)
		fresh = true
	default:
		log.Warn("index damaged; rebuilding it", "path", path, "err", err)
		bi, err = recreate(path, im)
		fresh = true
	}
	if err != nil {
		return nil, err
	}
	ix, err := newIndex(bi, path, o)
	if err != nil {
		bi.Close()
		return nil, err
	}
	man := newManifest()
	if ix.cat, err = openCatalogLayers(path, timeout, false); err == nil && !fresh {
		// An upgrade rebuilds the index, but an article first indexed a
		// year ago is no news: readManifest says when each was first
		// indexed, or the next digest would hold the whole corpus.
		man, ix.carried, err = ix.readManifest()
		// bleve falls back to an older snapshot when a segment is gone:
		// sentences the catalogue lists would then be missing. (More
		// sentences than it lists are left by a crash before the catalogue
		// was written; they are replaced when their article is indexed.)
		if n, cerr := bi.DocCount(); err == nil && cerr == nil && int(n) < man.Docs {
			err = fmt.Errorf("the index holds %d sentences; its catalogue lists %d", n, man.Docs)
		}
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		ix.Close()
		return nil, fmt.Errorf("open index %s: %w", path, ErrLocked)
	}
	if err != nil {
		log.Warn("index unusable; rebuilding it", "path", path, "err", err)
		ix.Close()
		if bi, err = recreate(path, im); err != nil {
			return nil, err
		}
		ix.bi = bi
		if ix.cat, err = openCatalogLayers(path, timeout, false); err != nil {
			bi.Close()
			return nil, err
		}
		man = newManifest()
	}
	ix.man = man
	return ix, nil
}

// OpenMemory builds an index of c in memory, for tests and for commands
// run while a bot holds the index folder.
func OpenMemory(ctx context.Context, c *corpus.Corpus, o Options) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	// Scorch with no path keeps its segments in memory; bleve's MemOnly
	// index is the older upside-down kind, which has no BM25.
	bi, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index in memory: %w", err)
	}
	ix, err := newIndex(bi, "", o)
	if err != nil {
		bi.Close()
		return nil, err
	}
	ix.man = newManifest()
	if err := ix.Sync(ctx, c); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

func newIndex(bi bleve.Index, path string, o Options) (*Index, error) {
	an, err := NewAnalyzer()
	if err != nil {
		return nil, err
	}
	ix := &Index{
		bi: bi, an: an, path: path, log: o.logger(), features: o.features(), wt: o.weights,
		minConf: o.MinConfidence, conf: defaultConfidence, now: o.Now, progress: o.Progress,
		counts: newTermCounts(),
	}
	if ix.minConf <= 0 {
		ix.minConf = DefaultConfidenceThreshold()
	}
	if ix.now == nil {
		ix.now = time.Now
	}
	return ix, nil
}

func newManifest() manifest {
	return manifest{Version: analysisVersion, Articles: heldEntries(nil)}
}

// openBleve opens the bleve index at path. bleve panics on some damaged
// segments instead of failing; the panic is returned as an error, so that
// the index is rebuilt rather than the program stopped.
func openBleve(path string, lockTimeout time.Duration) (bi bleve.Index, err error) {
	defer func() {
		if p := recover(); p != nil {
			bi, err = nil, fmt.Errorf("open index %s: bleve failed on it: %v", path, p)
		}
	}()
	return bleve.OpenUsing(path, map[string]any{"bolt_timeout": lockTimeout.String()})
}

// probeLock returns bolt's ErrTimeout when another process holds the
// index folder's lock for longer than timeout. Anything else (no index
// yet, a damaged one) is for bleve's open to find.
func probeLock(path string, timeout time.Duration) error {
	db, err := bolt.Open(filepath.Join(path, "store", "root.bolt"), 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return err
	}
	if err == nil {
		db.Close()
	}
	return nil
}

// checkSegments checks the index's segment files (zap, under store/)
// against the CRC-32 that ends each of them, of everything before it.
// bleve does not check it, and opens or queries a damaged segment with a
// panic, or with wrong answers. A segment file is written once and never
// changed, so one checked before with the same size and modification time
// (listed in checkedFile beside store/) is not read again: start-up does
// not read the whole index. A missing folder is no error: Open reports it.
func checkSegments(path string) error {
	if err := checkSegmentsListed(path); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	if err != nil {
		return err
	}
	listPath := filepath.Join(path, checkedFile)
	checked := map[string]string{}
	if raw, err := os.ReadFile(listPath); err == nil {
		_ = json.Unmarshal(raw, &checked) // a damaged list checks everything
	}
	now := make(map[string]string, len(files))
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("segment %s: %w", filepath.Base(f), err)
		}
		name, stamp := filepath.Base(f), fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano())
		if checked[name] != stamp {
			if err := checkSegment(f); err != nil {
				return fmt.Errorf("segment %s: %w", name, err)
			}
		}
		now[name] = stamp
	}
	if !maps.Equal(now, checked) {
		if raw, err := json.Marshal(now); err == nil {
			_ = os.WriteFile(listPath, raw, 0o600) // best effort: a read-only folder checks again next time
		}
	}
	return nil
}

// checkedFile lists, beside an index's store, the segment files found
// whole, with their sizes and times.
const checkedFile = "segments-checked.json"

// missingSegmentError reports a segment file the index lists but the
// folder lacks (deleted by hand, or lost).
type missingSegmentError struct{ name string }

func (e *missingSegmentError) Error() string {
	return fmt.Sprintf("segment file %s is missing", e.name)
}

// checkSegmentsListed returns a *missingSegmentError when a segment file
// that the index's newest snapshot lists (in store/root.bolt) is not in
// the folder. bleve would log that in its own words, fall back to an
// empty index and then fail on its mapping, a misleading reason. A root
// file bbolt cannot open is no error here: bleve's open reports it.
func checkSegmentsListed(path string) error {
	store := filepath.Join(path, "store")
	db, err := bolt.Open(filepath.Join(store, "root.bolt"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		snapshots := tx.Bucket(bleveutil.BoltSnapshotsBucket)
		if snapshots == nil {
			return nil
		}
		k, _ := snapshots.Cursor().Last()
		snapshot := snapshots.Bucket(k)
		if k == nil || snapshot == nil {
			return nil
		}
		return snapshot.ForEachBucket(func(k []byte) error {
			if k[0] == bleveutil.BoltInternalKey[0] || k[0] == bleveutil.BoltMetaDataKey[0] {
				return nil
			}
			name := string(snapshot.Bucket(k).Get(bleveutil.BoltPathKey))
			if name == "" {
				return nil
			}
			if _, err := os.Stat(filepath.Join(store, name)); errors.Is(err, fs.ErrNotExist) {
				return &missingSegmentError{name: name}
			}
			return nil
		})
	})
}

func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	size := info.Size()
	if size < 4 {
		return errors.New("truncated")
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, size-4); err != nil {
		return err
	}
	var stored [4]byte
	if _, err := io.ReadFull(f, stored[:]); err != nil {
		return err
	}
	if binary.BigEndian.Uint32(stored[:]) != h.Sum32() {
		return errors.New("checksum mismatch: the file is damaged")
	}
	return nil
}

func create(path string, im *mapping.IndexMappingImpl) (bleve.Index, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	bi, err := bleve.New(path, im)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	return bi, nil
}

func recreate(path string, im *mapping.IndexMappingImpl) (bleve.Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("remove damaged index %s: %w", path, err)
	}
	return create(path, im)
}

// Close releases the index and its folder lock. Closing an index again
// does nothing and returns the first Close's error.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.closeErr = ix.bi.Close()
		if ix.cat != nil {
			ix.closeErr = errors.Join(ix.closeErr, ix.cat.close())
			ix.cat = nil
		}
	})
	return ix.closeErr
}

// Fingerprint returns the fingerprint of the corpus the index holds.
func (ix *Index) Fingerprint() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.man.Fingerprint
}

// Added returns when the article was first indexed in this index, and false
// for an article it does not hold.
func (ix *Index) Added(id corpus.ArticleID) (time.Time, bool) {
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	e, ok := arts.get(id)
	if !ok {
		return time.Time{}, false
	}
	return e.Added, true
}

// Size reports how many articles and sentences the index holds.
func (ix *Index) Size() (articles, sentences int) {
	ix.mu.RLock()
	man := ix.man
	ix.mu.RUnlock()
	return man.Articles.count(), man.Docs
}

// Changes counts what a Sync did.
type Changes struct {
	Added, Updated, Removed int
}

// Sync brings the index up to date with c, article by article: articles
// that are new or changed are (re)indexed, those gone are deleted, the
// rest are left alone. Queries keep being answered meanwhile; an article
// is listed once its sentences are indexed. It returns ErrReadOnly for an
// index opened with OpenShared.
func (ix *Index) Sync(ctx context.Context, c *corpus.Corpus) error {
	_, err := ix.SyncChanges(ctx, c)
	return err
}

// lockSync takes the lock one change of the index holds (the caller
// unlocks ix.syncMu) and returns the manifest the change starts from; it
// fails with ErrReadOnly on an index opened read-only.
func (ix *Index) lockSync() (manifest, error) {
	if ix.readOnly {
		return manifest{}, ErrReadOnly
	}
	ix.syncMu.Lock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.man, nil
}

// SyncChanges is Sync, reporting what changed.
func (ix *Index) SyncChanges(ctx context.Context, c *corpus.Corpus) (Changes, error) {
	old, err := ix.lockSync()
	if err != nil {
		return Changes{}, err
	}
	defer ix.syncMu.Unlock()

	fp := c.Fingerprint()
	if old.Fingerprint == fp && old.Articles.count() == c.Len() {
		return Changes{}, nil
	}
	// Whatever happens from here, the index may have changed: the counts
	// read from it before are dropped once it has.
	defer func() {
		ix.mu.Lock()
		ix.counts = newTermCounts()
		ix.mu.Unlock()
	}()

	next := manifest{Version: analysisVersion, Fingerprint: fp, Docs: old.Docs, Terms: old.Terms}
	olds, nexts := old.Articles.all(), make(map[corpus.ArticleID]*entry, c.Len())
	var ch Changes
	var todo []*corpus.Article
	for _, a := range c.Articles() {
		e, ok := olds[a.ID]
		switch {
		case !ok:
			ch.Added++
			todo = append(todo, a)
		case e.Hash != a.Hash:
			ch.Updated++
			todo = append(todo, a)
		default:
			nexts[a.ID] = e
		}
	}

	removed, err := ix.deleteStale(olds, nexts, &next, nil, func(id corpus.ArticleID) bool {
		_, still := c.Article(id)
		return still
	})
	if err != nil {
		return Changes{}, err
	}
	ch.Removed = removed

	var progress func(int)
	if ix.progress != nil {
		progress = func(done int) { ix.progress(done, len(todo)) }
	}
	ix.addPending(todo)
	defer ix.clearPending()
	entries, err := ix.indexArticles(ctx, todo, olds, progress)
	if err != nil {
		return Changes{}, err
	}
	if syncIndexed != nil {
		syncIndexed()
	}
	for i, a := range todo {
		nexts[a.ID] = entries[i]
		next.Docs += sentencesIn(entries[i])
		next.Terms += entries[i].Terms
	}
	next.Articles = heldEntries(nexts)
	if err := ix.commit(ctx, old, &next, nil); err != nil {
		return Changes{}, err
	}
	if ch != (Changes{}) {
		ix.log.Debug("index synced", "added", ch.Added, "updated", ch.Updated, "removed", ch.Removed, "sentences", next.Docs)
	}
	return ch, nil
}

// addPending records the articles of arts a Sync is about to index that
// only some servers see, so that what they hold is kept from the others
// until the Sync publishes them (TermsIn).
func (ix *Index) addPending(arts []*corpus.Article) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, a := range arts {
		if len(a.Guilds) > 0 {
			ix.pending = append(ix.pending, a)
		}
	}
}

// clearPending forgets the articles addPending recorded: the Sync has
// published them, or given up.
func (ix *Index) clearPending() {
	ix.mu.Lock()
	ix.pending = nil
	ix.mu.Unlock()
}

// syncIndexed, when set (by tests), is called by a Sync between indexing
// its articles and publishing them.
var syncIndexed func()

// deleteStale deletes from the index the sentences of every article of
// olds (the entries of the index as it is) that nexts (those it is to
// hold) lacks (changed or gone), taking them out of next's counts, and
// returns how many of them are gone from the corpus (present false)
// rather than changed. With touched set, only those articles can be
// lacking (see entryChanges).
func (ix *Index) deleteStale(olds, nexts map[corpus.ArticleID]*entry, next *manifest, touched []corpus.ArticleID, present func(corpus.ArticleID) bool) (removed int, err error) {
	b := ix.bi.NewBatch()
	drop := func(id corpus.ArticleID, e *entry) {
		if nexts[id] != nil {
			return // unchanged
		}
		if !present(id) {
			removed++
		}
		for p, n := range e.Paragraphs {
			for s := 1; s <= n; s++ {
				b.Delete(docID(corpus.Ref{Article: id, Paragraph: p + 1, Sentence: s}))
			}
		}
		next.Docs -= sentencesIn(e)
		next.Terms -= e.Terms
	}
	if touched == nil {
		for id, e := range olds {
			drop(id, e)
		}
	}
	for _, id := range touched {
		if e := olds[id]; e != nil {
			drop(id, e)
		}
	}
	if b.Size() > 0 {
		if err := ix.bi.Batch(b); err != nil {
			return 0, fmt.Errorf("index batch: %w", err)
		}
	}
	return removed, nil
}

// commit finishes a change from old to next: it merges the segments when
// the change added many sentences to an index on disk, then stores the
// entries of the articles that changed (of touched only, when set: see
// entryChanges) and the header, and serves next.
// (Scorch's ForceMerge of an index in memory never returns: it waits for
// segments to be persisted, which in memory they never are.)
func (ix *Index) commit(ctx context.Context, old manifest, next *manifest, touched []corpus.ArticleID) error {
	if err := ix.sweep(*next); err != nil {
		return err
	}
	if next.Docs-old.Docs >= mergeAfterDocs && ix.path != "" {
		if err := ix.merge(ctx); err != nil {
			return err
		}
	}
	// Every entry of old is read before the catalogue changes (see
	// entries).
	nexts := next.Articles.all()
	changes := entryChanges(old.Articles.all(), nexts, touched)
	next.Sum = fingerprintSum(old.Sum, nexts, changes)
	next.Fingerprint = next.Sum.String()
	if err := ix.writeCatalog(next, changes); err != nil {
		return err
	}
	if ix.cat != nil {
		// The new entries' terms are in the catalogue now, read from it
		// when needed; the entries are not served yet.
		for _, c := range changes {
			if c.next != nil {
				c.next.terms = nil
			}
		}
	}
	ix.mu.Lock()
	ix.man = *next
	ix.gen++
	ix.mu.Unlock()
	ix.carried = nil // only the first change after an upgrade needs them
	return nil
}

// sweep deletes the documents the index holds that next does not list: a
// build stopped before it wrote its manifest leaves the sentences it had
// indexed, and when their article is gone by the next build nothing else
// would delete them; they would count in every document frequency. It
// reads every document id only when the index holds more documents than
// next lists.
func (ix *Index) sweep(next manifest) error {
	stale, err := ix.strays(next)
	if err != nil || len(stale) == 0 {
		return err
	}
	b := ix.bi.NewBatch()
	for _, id := range stale {
		b.Delete(id)
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("delete stray sentences: %w", err)
	}
	ix.log.Warn("deleted sentences of an interrupted build", "sentences", len(stale))
	return nil
}

// reader opens a snapshot of the index for reading; the caller closes it.
func (ix *Index) reader() (index.IndexReader, error) {
	ai, err := ix.bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index reader: %w", err)
	}
	rd, err := ai.Reader()
	if err != nil {
		return nil, fmt.Errorf("index reader: %w", err)
	}
	return rd, nil
}

// strays lists the documents of the index that next does not list.
func (ix *Index) strays(next manifest) ([]string, error) {
	rd, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if n, err := rd.DocCount(); err != nil || int(n) == next.Docs {
		return nil, err
	}
	all, err := rd.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("document ids: %w", err)
	}
	defer all.Close()
	nexts := next.Articles.all()
	var stale []string
	for {
		id, err := all.Next()
		if err != nil {
			return nil, fmt.Errorf("document ids: %w", err)
		}
		if id == nil {
			return stale, nil
		}
		ext, err := rd.ExternalID(id)
		if err != nil {
			return nil, fmt.Errorf("document ids: %w", err)
		}
		ref, ok := parseDocID(ext)
		e := nexts[ref.Article]
		if !ok || e == nil || ref.Paragraph < 1 || ref.Paragraph > len(e.Paragraphs) || ref.Sentence < 1 || ref.Sentence > e.Paragraphs[ref.Paragraph-1] {
			stale = append(stale, ext)
		}
	}
}

// batchDocs is how many sentences go into one bleve batch. Larger batches
// make fewer, larger segments for scorch to write and merge; this size
// keeps a batch's analysed documents to a few tens of megabytes.
const batchDocs = 10000

// batchesInFlight is how many batches are handed to bleve at once: while
// one is written to disk (bleve waits for it to be persisted), the next
// is analysed.
const batchesInFlight = 2

// indexArticles indexes the articles' sentences in batches, each with its
// record (prepared for scoring), and returns their manifest entries, in
// order. An article indexed before (in prev)
// keeps the time it was first added. The number of terms of each sentence
// is read from bleve's own analysis of its text field, so the text is
// analysed once.
func (ix *Index) indexArticles(ctx context.Context, todo []*corpus.Article, prev map[corpus.ArticleID]*entry, progress func(done int)) ([]*entry, error) {
	type job struct {
		b      *bleve.Batch
		last   int                   // todo[:last] are in this batch or earlier ones
		fields []*document.TextField // the text field of each sentence
		owner  []int                 // index in todo of each field's article
	}
	now := ix.now().UTC()
	entries := make([]*entry, len(todo))
	im := ix.bi.Mapping()

	jobs := make(chan *job, batchesInFlight-1)
	done := make(chan error, 1)
	go func() {
		var err error
		for j := range jobs {
			if err != nil {
				continue // drain
			}
			if err = ix.bi.Batch(j.b); err != nil {
				err = fmt.Errorf("index batch: %w", err)
				continue
			}
			for k, f := range j.fields {
				entries[j.owner[k]].Terms += f.AnalyzedLength()
			}
			if progress != nil {
				progress(j.last)
			}
		}
		done <- err
	}()

	var err error
	var rec []byte
	j := &job{b: ix.bi.NewBatch()}
	for i, a := range todo {
		if err = ctx.Err(); err != nil {
			break
		}
		added := now
		if p, ok := prev[a.ID]; ok {
			added = p.Added
		} else if t, ok := ix.carried[a.ID]; ok && !t.IsZero() {
			added = t
		}
		entries[i] = newEntry(a, added)
		entries[i].title = titleTerms(ix.an, a.Title)
		entries[i].titleSig = titleSignature(entries[i].title)
		terms := newTermSetOf()
		terms.addSentence(ix.an.Terms(a.Title))
		for _, p := range a.Paragraphs {
			docs := ix.an.prepareParagraph(p)
			for k, s := range p.Sentences {
				terms.addSentence(docs[k].terms, ix.an.Terms(s.Speaker))
				rec = encodeRecord(rec[:0], &sentenceRecord{d: docs[k], speaker: s.Speaker, role: s.Role})
				d := document.NewDocument(docID(s.Ref()))
				if err = im.MapDocument(d, sentenceDoc(s, rec)); err != nil {
					err = fmt.Errorf("index %s: %w", s.Ref(), err)
					break
				}
				for _, f := range d.Fields {
					if tf, ok := f.(*document.TextField); ok && tf.Name() == fieldText {
						j.fields = append(j.fields, tf)
						j.owner = append(j.owner, i)
					}
				}
				if err = j.b.IndexAdvanced(d); err != nil {
					break
				}
			}
		}
		if err != nil {
			break
		}
		entries[i].terms = encodeTermSet(terms)
		entries[i].filter = newTermFilter(terms)
		j.last = i + 1
		if j.b.Size() >= batchDocs || i == len(todo)-1 {
			jobs <- j
			j = &job{b: ix.bi.NewBatch()}
		}
	}
	close(jobs)
	if berr := <-done; err == nil {
		err = berr
	}
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// mergeAfterDocs is the number of sentences added by one Sync past which
// the index is merged into one segment: a question looks each of its
// terms up in every segment (at 1,000 articles three segments cost a
// fifth of a new question), and a bulk build leaves one a batch. A Sync
// that adds less (a feed's new articles) leaves merging to scorch's own
// policy, which merges small segments as they come.
const mergeAfterDocs = batchDocs

// maxMergeRounds bounds the force merges of one merge: scorch merges at
// most ten segments a task, so a build of many batches needs a few.
const maxMergeRounds = 8

// merge merges the index's segments into one, waiting until it is done.
func (ix *Index) merge(ctx context.Context) error {
	ai, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("merge index: %w", err)
	}
	s, ok := ai.(*scorch.Scorch)
	if !ok {
		return nil
	}
	start := time.Now()
	n, err := segmentCount(s)
	for round := 0; err == nil && n > 1 && round < maxMergeRounds; round++ {
		if err := s.ForceMerge(ctx, nil); err != nil {
			return fmt.Errorf("merge index: %w", err)
		}
		var left int
		if left, err = segmentCount(s); left >= n {
			break // no progress: leave the rest to scorch
		}
		n = left
	}
	if err != nil {
		return fmt.Errorf("merge index: %w", err)
	}
	ix.log.Debug("index merged", "took", time.Since(start), "segments", n)
	return nil
}

// segmentCount is the number of segments of the index's current snapshot.
func segmentCount(s *scorch.Scorch) (int, error) {
	rd, err := s.Reader()
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return 0, fmt.Errorf("index reader %T is not a scorch snapshot", rd)
	}
	return len(snap.Segments()), nil
}

func sentencesIn(e *entry) int {
	n := 0
	for _, k := range e.Paragraphs {
		n += k
	}
	return n
}

// sentenceDoc is the bleve document of a sentence with its record.
func sentenceDoc(s corpus.Sentence, record []byte) map[string]any {
	d := map[string]any{
		fieldText:    s.Text,
		fieldExact:   s.Text,
		fieldArticle: string(s.Article),
		fieldRecord:  string(record),
	}
	if s.Speaker != "" {
		d[fieldSpeaker] = s.Speaker
	}
	return d
}

// docID is a sentence's document id: "article\x1fparagraph\x1fsentence".
// The unit separator cannot occur in a file name.
func docID(r corpus.Ref) string {
	return string(r.Article) + "\x1f" + strconv.Itoa(r.Paragraph) + "\x1f" + strconv.Itoa(r.Sentence)
}

func parseDocID(id string) (corpus.Ref, bool) {
	a, rest, ok1 := strings.Cut(id, "\x1f")
	ps, ss, ok2 := strings.Cut(rest, "\x1f")
	p, err1 := strconv.Atoi(ps)
	s, err2 := strconv.Atoi(ss)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return corpus.Ref{}, false
	}
	return corpus.Ref{Article: corpus.ArticleID(a), Paragraph: p, Sentence: s}, true
}

// avgLen is the mean number of terms per sentence.
func (m *manifest) avgLen() float64 {
	if m.Docs == 0 {
		return 0
	}
	return float64(m.Terms) / float64(m.Docs)
}
