package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/verbatim-bot/verbatim/corpus"
)

// A shared index folder is built by one process and read by any number of
// others on the machine (replicas, shards), read-only, each following the
// builder's new versions:
//
//	DIR/CURRENT     names the current version, "v000007"
//	DIR/v000007/    a complete data folder's index (what Open keeps)
//	DIR/build.lock  held by the builder while it builds
//
// BuildShared makes each new version from the current one: it copies its
// root file and links its segment files (which never change once
// written), brings the copy up to date with the corpus folder, closes it,
// and only then replaces CURRENT, atomically. No process ever writes a
// version that CURRENT has named, so readers open it read-only with no
// lock conflict; Follower reopens when CURRENT changes.

const (
	currentFile  = "CURRENT"
	buildLock    = "build.lock"
	keepVersions = 3 // the current version and two before it, still open in slow readers
)

// ErrReadOnly reports a change asked of an index opened read-only.
var ErrReadOnly = errors.New("the index is read-only: its builder changes it")

// BuildShared brings the shared index folder dir up to date with the
// article folder, as Build does a data folder, and publishes the result as
// its new current version when anything changed. It returns ErrLocked
// when another builder holds the folder for longer than
// Options.LockTimeout. A process that publishes again and again uses a
// SharedBuilder.
func BuildShared(ctx context.Context, dir string, f *corpus.Folder, o Options) (BuildResult, error) {
	return NewSharedBuilder(dir, o).Build(ctx, f)
}

// SharedBuilder publishes the versions of a shared index folder from one
// process, as BuildShared does, keeping the articles' entries of the
// version it last published: when the next starts from that version (no
// other process published meanwhile), it reads none of them from the
// catalogue again, and BuildArticles costs the articles it names. It is
// safe for concurrent use; its builds run one at a time.
type SharedBuilder struct {
	dir string
	o   Options

	// layerMin and compactShare are how it layers the catalogue (see
	// cloneVersion); the defaults are the constants of those names.
	layerMin, compactShare int64
	// seeded counts the builds that started from the entries kept (for
	// tests: the marker that none was read again).
	seeded int

	mu   sync.Mutex
	last *publishedVersion
}

// publishedVersion is a version a SharedBuilder published (or found
// current with nothing to change), and its articles' entries.
type publishedVersion struct {
	name        string
	fingerprint string
	entries     map[corpus.ArticleID]*entry // every one; not modified
}

// NewSharedBuilder returns a builder of the shared index folder dir.
func NewSharedBuilder(dir string, o Options) *SharedBuilder {
	return &SharedBuilder{dir: dir, o: o, layerMin: layerMin, compactShare: compactShare}
}

// Build brings the folder's next version up to date with the article
// folder (see Index.SyncFolder) and publishes it when anything changed.
func (b *SharedBuilder) Build(ctx context.Context, f *corpus.Folder) (BuildResult, error) {
	return b.publish(ctx, func(ix *Index) (BuildResult, error) { return ix.SyncFolder(ctx, f) })
}

// BuildArticles is Build for the articles ids only (see
// Index.SyncArticles): the others are taken to be as the current
// version holds them.
func (b *SharedBuilder) BuildArticles(ctx context.Context, f *corpus.Folder, ids []corpus.ArticleID) (BuildResult, error) {
	return b.publish(ctx, func(ix *Index) (BuildResult, error) { return ix.SyncArticles(ctx, f, ids) })
}

// publish makes the next version from the current one with sync, and
// publishes it when sync changed anything.
func (b *SharedBuilder) publish(ctx context.Context, sync func(*Index) (BuildResult, error)) (res BuildResult, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	dir := b.dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return BuildResult{}, fmt.Errorf("shared index %s: %w", dir, err)
	}
	timeout := b.o.LockTimeout
	if timeout <= 0 {
		timeout = time.Second
	}
	lock, err := bolt.Open(filepath.Join(dir, buildLock), 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return BuildResult{}, fmt.Errorf("shared index %s: %w", dir, ErrLocked)
	}
	if err != nil {
		return BuildResult{}, fmt.Errorf("shared index %s: lock: %w", dir, err)
	}
	defer lock.Close()

	cur, err := readCurrent(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return BuildResult{}, err
	}
	n := 0
	if cur != "" {
		n, _ = strconv.Atoi(strings.TrimPrefix(cur, "v"))
	}
	next := fmt.Sprintf("v%06d", n+1)
	nextDir := filepath.Join(dir, next)
	if err := os.RemoveAll(nextDir); err != nil { // left by a builder that stopped
		return BuildResult{}, fmt.Errorf("shared index %s: %w", dir, err)
	}
	if cur != "" {
		if err := cloneVersion(filepath.Join(dir, cur, IndexDir), filepath.Join(nextDir, IndexDir), b.layerMin, b.compactShare); err != nil {
			os.RemoveAll(nextDir)
			return BuildResult{}, fmt.Errorf("shared index %s: copy %s: %w", dir, cur, err)
		}
	}
	ix, err := openDir(nextDir, b.o)
	if err != nil {
		os.RemoveAll(nextDir)
		return BuildResult{}, err
	}
	if last := b.last; last != nil && cur == last.name && ix.man.Version == analysisVersion && ix.man.Fingerprint == last.fingerprint {
		// The version it starts from is the one published last: its
		// entries are those kept (immutable, as every entry is).
		ix.man.Articles = heldEntries(last.entries)
		b.seeded++
	}
	b.last = nil
	res, err = sync(ix)
	if err == nil {
		ix.mu.RLock()
		man := ix.man
		ix.mu.RUnlock()
		// Kept when a change held them all anyway: a build that found
		// nothing to change decodes none.
		if held := man.Articles.held.Load(); held != nil {
			b.last = &publishedVersion{name: next, fingerprint: man.Fingerprint, entries: *held}
		}
	}
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close index: %w", cerr)
	}
	if err != nil {
		b.last = nil
		os.RemoveAll(nextDir)
		return BuildResult{}, err
	}
	if cur != "" && res.Changes == (Changes{}) {
		if b.last != nil {
			b.last.name = cur
		}
		return res, os.RemoveAll(nextDir)
	}
	if err := writeCurrent(dir, next); err != nil {
		b.last = nil
		return BuildResult{}, err
	}
	pruneVersions(dir, next)
	return res, nil
}

// readCurrent returns the version CURRENT names.
func readCurrent(dir string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		return "", fmt.Errorf("shared index %s: %w", dir, err)
	}
	v := strings.TrimSpace(string(raw))
	if !isVersion(v) {
		return "", fmt.Errorf("shared index %s: %s names no version: %q", dir, currentFile, v)
	}
	return v, nil
}

func isVersion(v string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(v, "v"))
	return err == nil && n > 0 && strings.HasPrefix(v, "v") && len(v) == 7
}

// writeCurrent makes CURRENT name version v, atomically: written beside
// it, synced, then renamed over it.
func writeCurrent(dir, v string) error {
	tmp, err := os.CreateTemp(dir, currentFile+".*")
	if err != nil {
		return fmt.Errorf("shared index %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(v + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, currentFile))
	}
	if err != nil {
		return fmt.Errorf("shared index %s: publish %s: %w", dir, v, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// pruneVersions removes the versions before the last keepVersions.
func pruneVersions(dir, current string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && isVersion(e.Name()) && e.Name() <= current {
			versions = append(versions, e.Name())
		}
	}
	slices.Sort(versions)
	for _, v := range versions[:max(0, len(versions)-keepVersions)] {
		os.RemoveAll(filepath.Join(dir, v))
	}
}

// cloneIndex makes dst a copy of the closed index src: segment files
// (.zap, written once) hard-linked where the file system allows, the rest
// copied.
func cloneIndex(src, dst string) error {
	return cloneFiles(src, dst, nil)
}

// cloneVersion makes dst, a shared index's next version, from its
// current one src, as cloneIndex does, but for the catalogue: the
// current version's catalogue becomes the next one's base, hard-linked
// (see catalogBaseFile), so that the next version writes only what
// changes. A catalogue that has a base already keeps it, and its top
// layer is copied, until that layer reaches 1/share of the base's size:
// then the two are merged into one file again, which the versions after
// it take as their base in turn. A catalogue under minSize bytes is copied
// whole.
func cloneVersion(src, dst string, minSize, share int64) error {
	skip := map[string]bool{catalogFile: true, catalogBaseFile: true}
	if err := cloneFiles(src, dst, skip); err != nil {
		return err
	}
	top, base := filepath.Join(src, catalogFile), filepath.Join(src, catalogBaseFile)
	topSize, err := fileSize(top)
	if err != nil {
		return err
	}
	baseSize, err := fileSize(base)
	if errors.Is(err, fs.ErrNotExist) {
		if topSize < minSize {
			return copyFile(top, filepath.Join(dst, catalogFile))
		}
		return linkOrCopy(top, filepath.Join(dst, catalogBaseFile))
	}
	if err != nil {
		return err
	}
	if topSize*share >= baseSize {
		return compactCatalog(src, dst)
	}
	if err := linkOrCopy(base, filepath.Join(dst, catalogBaseFile)); err != nil {
		return err
	}
	return copyFile(top, filepath.Join(dst, catalogFile))
}

// A shared index's catalogue is copied whole below layerMin bytes, and its
// top layer merged into its base when it reaches 1/compactShare of it: at
// 100,000 articles (a base of about 500 MB) a version copies at most 8 MB,
// and the merge, a few seconds, comes once in about 1,500 articles.
const (
	layerMin     = 1 << 20
	compactShare = 64
)

// cloneFiles copies the folder src to dst, hard-linking segment files
// where it can, and leaving out the files of src's top level named in
// skip.
func cloneFiles(src, dst string, skip map[string]bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case skip[rel]:
			return nil
		case strings.HasSuffix(p, ".zap"):
			return linkOrCopy(p, to)
		}
		return copyFile(p, to)
	})
}

// linkOrCopy hard-links src as dst, or copies it where the file system
// cannot link.
func linkOrCopy(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	return copyFile(src, dst)
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// OpenShared opens the current version of the shared index folder dir
// read-only: it answers, lists and quotes, and refuses to change
// (ErrReadOnly). It fails when dir holds no version yet, or one built by
// another version of verbatim (build it again with `verbatim index`).
func OpenShared(dir string, o Options) (*Index, error) {
	v, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	ix, err := openReadOnly(filepath.Join(dir, v, IndexDir), o)
	if err != nil {
		return nil, fmt.Errorf("shared index %s: %s: %w", dir, v, err)
	}
	ix.version = v
	return ix, nil
}

// openReadOnly opens the index at path without taking it from its
// builder: bleve's read-only mode, a shared lock.
func openReadOnly(path string, o Options) (ix *Index, err error) {
	// The index's mapping names verbatim's own token filters: bleve
	// builds them from its registry as it opens the index.
	if err := registerFilters(); err != nil {
		return nil, err
	}
	var bi bleve.Index
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("bleve failed on it: %v", p)
			}
		}()
		bi, err = bleve.OpenUsing(path, map[string]any{"read_only": true})
	}()
	if err != nil {
		return nil, err
	}
	if ix, err = newIndex(bi, path, o); err != nil {
		bi.Close()
		return nil, err
	}
	ix.readOnly = true
	if ix.cat, err = openCatalogLayers(path, time.Second, true); err != nil {
		bi.Close()
		return nil, err
	}
	man, _, err := ix.readManifest()
	if err != nil {
		ix.Close()
		return nil, err
	}
	ix.man = man
	return ix, nil
}

// Follower serves the current version of a shared index folder and
// reopens it when the builder publishes a new one (Reload, Run). It
// offers what the bot needs of an index; a version is closed once the
// calls that were using it have returned. It is safe for concurrent use.
type Follower struct {
	dir  string
	o    Options
	mu   sync.RWMutex // guards cur; held for writing only to swap it
	cur  *followed
	swap sync.Mutex // serialises Reload
	// carried counts the versions that took the entries of the one
	// before (see carryEntries); guarded by swap.
	carried int
}

type followed struct {
	ix    *Index
	users sync.WaitGroup
}

// OpenFollower opens the current version of the shared index folder dir
// (see OpenShared).
func OpenFollower(dir string, o Options) (*Follower, error) {
	ix, err := OpenShared(dir, o)
	if err != nil {
		return nil, err
	}
	return &Follower{dir: dir, o: o, cur: &followed{ix: ix}}, nil
}

// Version names the version served.
func (f *Follower) Version() string {
	ix, done := f.acquire()
	defer done()
	return ix.version
}

// Reload opens the version CURRENT names when it is not the one served,
// swaps it in and closes the old one once its calls have returned. It
// reports whether it swapped. On failure the old version stays served.
func (f *Follower) Reload() (bool, error) {
	f.swap.Lock()
	defer f.swap.Unlock()
	v, err := readCurrent(f.dir)
	if err != nil {
		return false, err
	}
	f.mu.RLock()
	old := f.cur
	f.mu.RUnlock()
	if v == old.ix.version {
		return false, nil
	}
	ix, err := OpenShared(f.dir, f.o)
	if err != nil {
		return false, err
	}
	if carryEntries(ix, old.ix) {
		f.carried++
	}
	f.mu.Lock()
	f.cur = &followed{ix: ix}
	f.mu.Unlock()
	old.users.Wait()
	old.ix.Close()
	return true, nil
}

// carryEntries gives ix, a version just opened, the entries of old, the
// version it follows, when old holds every one and ix's catalogue lies
// over old's (its base is old's base, or old's whole catalogue): the
// entries of ix's own layer, decoded, replace or remove old's, and the
// others are old's, which are immutable. A follower then decodes the
// articles that changed, version after version, not every article each
// time something needs them all (at 100,000 articles, 0.3-0.6 s and
// 100 MB per version and process). It reports whether it carried them:
// not when the fingerprint they make is not the one ix was published
// with.
func carryEntries(ix, old *Index) bool {
	held := old.man.Articles.held.Load()
	if held == nil || ix.cat == nil || ix.cat.base == nil || old.man.Version != analysisVersion ||
		ix.man.Version != analysisVersion || old.man.Sum == nil || ix.man.Sum == nil {
		return false
	}
	base, err := os.Stat(filepath.Join(ix.path, catalogBaseFile))
	if err != nil {
		return false
	}
	over := false
	for _, name := range []string{catalogBaseFile, catalogFile} {
		if fi, err := os.Stat(filepath.Join(old.path, name)); err == nil && os.SameFile(base, fi) {
			over = true
		}
	}
	if !over {
		return false
	}
	nexts := maps.Clone(*held)
	var changes []entryChange
	err = ix.cat.top.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(catalogArticles)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			id := corpus.ArticleID(k)
			prev := nexts[id]
			if bytes.Equal(v, removed) {
				delete(nexts, id)
				if prev != nil {
					changes = append(changes, entryChange{id, prev, nil})
				}
				return nil
			}
			e, err := decodeEntry(v)
			if err != nil {
				return fmt.Errorf("article %s: %w", id, err)
			}
			nexts[e.Article.ID] = e
			changes = append(changes, entryChange{id, prev, e})
			return nil
		})
	})
	if err != nil || fingerprintSum(old.man.Sum, nexts, changes).String() != ix.man.Fingerprint {
		return false
	}
	ix.man.Articles = heldEntries(nexts)
	return true
}

// Run reloads every period until ctx ends, logging what it finds.
func (f *Follower) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	log := f.o.logger()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			switched, err := f.Reload()
			if err != nil {
				log.Warn("following the shared index", "dir", f.dir, "err", err)
			} else if switched {
				articles, sentences := f.Size()
				log.Info("shared index updated", "version", f.Version(), "articles", articles, "sentences", sentences)
			}
		}
	}
}

// acquire returns the index served, and the func to call once done with
// it.
func (f *Follower) acquire() (*Index, func()) {
	f.mu.RLock()
	c := f.cur
	c.users.Add(1)
	f.mu.RUnlock()
	return c.ix, c.users.Done
}

// Close closes the version served.
func (f *Follower) Close() error {
	f.swap.Lock()
	defer f.swap.Unlock()
	f.mu.Lock()
	c := f.cur
	f.mu.Unlock()
	c.users.Wait()
	return c.ix.Close()
}

// Ask is Index.Ask on the version served.
func (f *Follower) Ask(ctx context.Context, q Query) (*Answer, error) {
	ix, done := f.acquire()
	defer done()
	return ix.Ask(ctx, q)
}

// Lookup is Index.Lookup on the version served.
func (f *Follower) Lookup(ctx context.Context, term string, article corpus.ArticleID, limit int) (*Lookup, error) {
	ix, done := f.acquire()
	defer done()
	return ix.Lookup(ctx, term, article, limit)
}

// LookupIn is Index.LookupIn on the version served.
func (f *Follower) LookupIn(ctx context.Context, term string, article corpus.ArticleID, guild string, limit int) (*Lookup, error) {
	ix, done := f.acquire()
	defer done()
	return ix.LookupIn(ctx, term, article, guild, limit)
}

// Terms is Index.Terms on the version served.
func (f *Follower) Terms(prefix string, limit int) ([]string, error) {
	ix, done := f.acquire()
	defer done()
	return ix.Terms(prefix, limit)
}

// TermsIn is Index.TermsIn on the version served.
func (f *Follower) TermsIn(prefix, guild string, limit int) ([]string, error) {
	ix, done := f.acquire()
	defer done()
	return ix.TermsIn(prefix, guild, limit)
}

// Digest is Index.Digest on the version served.
func (f *Follower) Digest(since time.Time, n int, newestIfNone bool) []DigestItem {
	ix, done := f.acquire()
	defer done()
	return ix.Digest(since, n, newestIfNone)
}

// KeySentences is Index.KeySentences on the version served.
func (f *Follower) KeySentences(id corpus.ArticleID, n int) ([]Quote, error) {
	ix, done := f.acquire()
	defer done()
	return ix.KeySentences(id, n)
}

// Articles is Index.Articles on the version served.
func (f *Follower) Articles() []*corpus.Article {
	ix, done := f.acquire()
	defer done()
	return ix.Articles()
}

// Article is Index.Article on the version served.
func (f *Follower) Article(id corpus.ArticleID) (*corpus.Article, bool) {
	ix, done := f.acquire()
	defer done()
	return ix.Article(id)
}

// Speakers is Index.Speakers on the version served.
func (f *Follower) Speakers() []corpus.SpeakerCount {
	ix, done := f.acquire()
	defer done()
	return ix.Speakers()
}

// SpeakersIn is Index.SpeakersIn on the version served.
func (f *Follower) SpeakersIn(guild string) []corpus.SpeakerCount {
	ix, done := f.acquire()
	defer done()
	return ix.SpeakersIn(guild)
}

// QuotesByIn is Index.QuotesByIn on the version served.
func (f *Follower) QuotesByIn(speaker string, article corpus.ArticleID, guild string) []corpus.Sentence {
	ix, done := f.acquire()
	defer done()
	return ix.QuotesByIn(speaker, article, guild)
}

// QuotesBy is Index.QuotesBy on the version served.
func (f *Follower) QuotesBy(speaker string, article corpus.ArticleID) []corpus.Sentence {
	ix, done := f.acquire()
	defer done()
	return ix.QuotesBy(speaker, article)
}

// Size is Index.Size on the version served.
func (f *Follower) Size() (articles, sentences int) {
	ix, done := f.acquire()
	defer done()
	return ix.Size()
}
