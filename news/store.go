package news

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/verbatim-bot/verbatim/corpus"
)

// ArticlesDir is the folder, under the data folder, that holds the stored
// articles.
const ArticlesDir = "articles"

// File is a stored article: a .json article file in the corpus format
// (title, source, url, published, author, body) with the fields news
// needs besides. corpus reads the first six and the also list; the rest
// are for news.
type File struct {
	Title     string   `json:"title"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`
	Published string   `json:"published"` // RFC 3339, or "" when unknown
	Author    string   `json:"author"`
	Body      []string `json:"body"` // paragraphs
	// Also lists the other outlets and links of the same story.
	Also []corpus.Link `json:"also,omitempty"`
	// GUID is the id of the feed item it came from; "" for a page added
	// by URL.
	GUID string `json:"guid,omitempty"`
	// Feed is the feed it came from; "" for a page added by URL.
	Feed string `json:"feed,omitempty"`
	// Canonical is the page's canonical URL, normalised.
	Canonical string `json:"canonical_url,omitempty"`
	// Fallback is true when the text is the feed's own, because the page
	// could not be fetched or held too little.
	Fallback bool `json:"fallback,omitempty"`
	// Guild is the Discord server the article is answered in (several
	// separated by commas; NoServer for none); "" for every server.
	Guild string `json:"guild"`
	// ItemHash is a digest of the feed item as last seen: when it changes,
	// the article is fetched again and updated in place.
	ItemHash string `json:"item_hash,omitempty"`
	// Aliases are the other feed items (feed and GUID) found to be this
	// story, so that they are not fetched again.
	Aliases []Alias `json:"aliases,omitempty"`
	// Added is when the article was first stored; Updated when last
	// rewritten (RFC 3339).
	Added   string `json:"added"`
	Updated string `json:"updated,omitempty"`
}

// Alias is a feed item (or a page URL) known to be an article stored
// under another id.
type Alias struct {
	Feed string `json:"feed,omitempty"`
	GUID string `json:"guid,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Store is the folder of stored articles and the indexes that find an
// article by feed item, by URL and by near-duplicate text. The files are
// the record: OpenStore rebuilds the indexes from them. Its methods are
// safe for concurrent use.
type Store struct {
	dir string

	mu      sync.Mutex
	metas   map[corpus.ArticleID]*meta
	keys    map[string]corpus.ArticleID // guidKey and urlKey → id
	aliases map[string]bool             // the guidKeys of aliases
	// broken holds the files that could not be read, as they were, so
	// that Refresh reports each once until it changes.
	broken map[corpus.ArticleID]stamp
}

// stamp is a file's size and time.
type stamp struct {
	size  int64
	mtime time.Time
}

// stampOf is info's size and time.
func stampOf(info fs.FileInfo) stamp { return stamp{info.Size(), info.ModTime()} }

// same reports whether two stamps are of the same file contents, as far
// as size and time tell.
func (a stamp) same(b stamp) bool { return a.size == b.size && a.mtime.Equal(b.mtime) }

// aliasHash is the item hash ByGUID reports for an item that is an alias
// of an article stored from another item: it is never updated from it.
const aliasHash = "alias"

// meta is what the Store keeps in memory of each article.
type meta struct {
	itemHash string
	sig      signature
	source   string
	url      string
	feed     string
	added    time.Time
	// file is the file's size and time as last read or written, for
	// Refresh.
	file stamp
}

func guidKey(feed, guid string) string { return "g\x00" + feed + "\x00" + guid }
func urlKey(u string) string           { return "u\x00" + NormalizeURL(u) }

// OpenStore opens (creating it when missing) the folder of stored
// articles and reads every article file in it to rebuild the indexes.
// Files that cannot be read are returned as problems and otherwise
// ignored; the error is for a folder that cannot be made or read.
func OpenStore(dir string) (*Store, []error, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("articles folder: %w", err)
	}
	s := &Store{dir: dir, metas: map[corpus.ArticleID]*meta{}, keys: map[string]corpus.ArticleID{}, aliases: map[string]bool{},
		broken: map[corpus.ArticleID]stamp{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("articles folder: %w", err)
	}
	return s, s.load(entries, nil), nil
}

// articleFile returns the article id of a directory entry of the folder,
// and false for anything that is not a stored article.
func articleFile(e fs.DirEntry) (corpus.ArticleID, bool) {
	name := e.Name()
	if e.IsDir() || strings.HasPrefix(name, ".") || filepath.Ext(name) != ".json" || strings.HasSuffix(name, ".meta.json") {
		return "", false
	}
	return corpus.ArticleID(strings.TrimSuffix(name, ".json")), true
}

// load reads the article files of entries that keep returns true for
// (every one for a nil keep) and indexes them; it returns the files that
// could not be read. The caller owns s or does not hold s.mu.
func (s *Store) load(entries []fs.DirEntry, keep func(id corpus.ArticleID, info fs.FileInfo) bool) []error {
	var problems []error
	for _, e := range entries {
		id, ok := articleFile(e)
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if keep != nil && !keep(id, info) {
			continue
		}
		f, err := s.Read(id)
		if err != nil {
			problems = append(problems, err)
			s.mu.Lock()
			s.broken[id] = stampOf(info)
			s.mu.Unlock()
			continue
		}
		s.mu.Lock()
		delete(s.broken, id)
		s.index(id, f)
		s.metas[id].file = stampOf(info)
		s.mu.Unlock()
	}
	return problems
}

// Refresh reads the article files written to the folder by another
// process (or by hand) since the store last read or wrote them: new ones,
// and ones whose size or time moved. A process that starts polling in a
// folder shared with others calls it first, so that it neither fetches
// again nor stores twice what another stored. A file deleted by hand is
// forgotten at the next OpenStore, not here. It returns the files that
// could not be read, each once until it changes; the error is for a
// folder that cannot be read.
func (s *Store) Refresh() ([]error, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("articles folder: %w", err)
	}
	return s.load(entries, func(id corpus.ArticleID, info fs.FileInfo) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		now := stampOf(info)
		if b, ok := s.broken[id]; ok && b.same(now) {
			return false // reported already
		}
		m, known := s.metas[id]
		return !known || !m.file.same(now)
	}), nil
}

// Stored is what the store knows of an article without reading its file.
type Stored struct {
	ID corpus.ArticleID
	// Feed is the feed the article came from; "" for a page added by URL.
	Feed string
	// Added is when it was first stored (to the second).
	Added time.Time
}

// AddedSince returns the articles first stored at t or later, by id.
func (s *Store) AddedSince(t time.Time) []Stored {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stored
	for id, m := range s.metas {
		if !m.added.Before(t) {
			out = append(out, Stored{ID: id, Feed: m.feed, Added: m.added})
		}
	}
	slices.SortFunc(out, func(a, b Stored) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}

// Dir returns the articles folder.
func (s *Store) Dir() string { return s.dir }

// Len returns how many articles the store holds.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.metas)
}

// Read reads the stored article id from its file.
func (s *Store) Read(id corpus.ArticleID) (*File, error) {
	path := filepath.Join(s.dir, string(id)+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read stored article: %w", err)
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("read stored article %s: %w", path, err)
	}
	return &f, nil
}

// index records f under id. The caller holds s.mu or owns s.
func (s *Store) index(id corpus.ArticleID, f *File) {
	added, _ := time.Parse(time.RFC3339, f.Added)
	s.metas[id] = &meta{itemHash: f.ItemHash, sig: textSignature(strings.Join(f.Body, "\n")), source: f.Source, url: f.URL,
		feed: f.Feed, added: added}
	if f.GUID != "" {
		s.keys[guidKey(f.Feed, f.GUID)] = id
	}
	for _, u := range []string{f.URL, f.Canonical} {
		if u != "" {
			s.keys[urlKey(u)] = id
		}
	}
	for _, a := range f.Aliases {
		if a.GUID != "" {
			s.keys[guidKey(a.Feed, a.GUID)] = id
			s.aliases[guidKey(a.Feed, a.GUID)] = true
		}
		if a.URL != "" {
			s.keys[urlKey(a.URL)] = id
		}
	}
}

// ByGUID returns the article a feed item was stored as, the hash of the
// item as last stored (aliasHash when the item is an alias of another
// item's article), and false when the item is new.
func (s *Store) ByGUID(feed, guid string) (id corpus.ArticleID, itemHash string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := guidKey(feed, guid)
	id, ok = s.keys[k]
	switch {
	case ok && s.aliases[k]:
		itemHash = aliasHash
	case ok:
		itemHash = s.metas[id].itemHash
	}
	return id, itemHash, ok
}

// ByURL returns the article stored for a page URL (compared normalised),
// and false when there is none.
func (s *Store) ByURL(u string) (corpus.ArticleID, bool) {
	if u == "" {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.keys[urlKey(u)]
	return id, ok
}

// Similar returns the stored article whose text is the closest near
// duplicate of text (see the package documentation), and false when none
// is near enough. except is never returned.
func (s *Store) Similar(text string, except corpus.ArticleID) (corpus.ArticleID, bool) {
	sig := textSignature(text)
	if sig == nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	best, bestSim := corpus.ArticleID(""), 0.0
	for id, m := range s.metas {
		if id == except {
			continue
		}
		if sim := similarity(sig, m.sig); sim >= nearDuplicate && (sim > bestSim || (sim == bestSim && id < best)) {
			best, bestSim = id, sim
		}
	}
	return best, best != ""
}

// Put writes the article file of id, atomically: a crash leaves either
// the old file or the new one, whole. It then indexes it.
func (s *Store) Put(id corpus.ArticleID, f *File) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("store article %s: %w", id, err)
	}
	path := filepath.Join(s.dir, string(id)+".json")
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("store article %s: %w", id, err)
	}
	info, statErr := os.Stat(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index(id, f)
	if statErr == nil {
		s.metas[id].file = stampOf(info)
	}
	return nil
}

// NewID returns an unused id for a new article: its date, a slug of its
// title and a short hash of key (so that ids are stable and readable).
func (s *Store) NewID(published time.Time, title, key string) corpus.ArticleID {
	sum := sha256.Sum256([]byte(key))
	date := "undated"
	if !published.IsZero() {
		date = published.UTC().Format("2006-01-02")
	}
	base := date
	if sl := slug(title, 6); sl != "" {
		base += "-" + sl
	}
	base += "-" + hex.EncodeToString(sum[:4])
	s.mu.Lock()
	defer s.mu.Unlock()
	id := corpus.ArticleID(base)
	for n := 2; ; n++ {
		if _, taken := s.metas[id]; !taken {
			if _, err := os.Lstat(filepath.Join(s.dir, string(id)+".json")); errors.Is(err, fs.ErrNotExist) {
				return id
			}
		}
		id = corpus.ArticleID(fmt.Sprintf("%s-%d", base, n))
	}
}

// slug makes a file-name-safe, lower-case slug of the first words of s.
func slug(s string, words int) string {
	s = norm.NFKD.String(strings.ToLower(s))
	var parts []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			parts = append(parts, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r) || r == '\'' || r == '\u2019':
			// accents and apostrophes vanish: "don't" → "dont"
		default:
			flush()
		}
	}
	flush()
	if len(parts) > words {
		parts = parts[:words]
	}
	out := strings.Join(parts, "-")
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "-")
	}
	return out
}

// IDs returns the ids of the stored articles, sorted.
func (s *Store) IDs() []corpus.ArticleID {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]corpus.ArticleID, 0, len(s.metas))
	for id := range s.metas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// writeAtomic writes data to path through a temporary file in the same
// folder, synced, then renamed over path, and the folder synced.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil // the file is in place; only its durability is less sure
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
