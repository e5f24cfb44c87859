package corpus

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Corpus is a set of articles, ordered by id. It is immutable and safe for
// concurrent use; a changed folder is loaded into a new Corpus.
type Corpus struct {
	articles []*Article
	byID     map[ArticleID]*Article

	speakersOnce sync.Once
	speakers     []SpeakerCount // computed on first use
}

// New makes a corpus of the given articles. A later article with the id of
// an earlier one replaces it.
func New(articles ...*Article) *Corpus {
	c := &Corpus{byID: make(map[ArticleID]*Article, len(articles))}
	for _, a := range articles {
		c.byID[a.ID] = a
	}
	c.articles = make([]*Article, 0, len(c.byID))
	for _, a := range c.byID {
		c.articles = append(c.articles, a)
	}
	slices.SortFunc(c.articles, func(a, b *Article) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return c
}

// Articles returns the articles ordered by id. The caller must not modify
// the slice.
func (c *Corpus) Articles() []*Article { return c.articles }

// Len returns the number of articles.
func (c *Corpus) Len() int { return len(c.articles) }

// Article returns the article with the given id, and false if there is none.
func (c *Corpus) Article(id ArticleID) (*Article, bool) {
	a, ok := c.byID[id]
	return a, ok
}

// Sentence returns the sentence a reference names, and false if there is none.
func (c *Corpus) Sentence(r Ref) (Sentence, bool) {
	a, ok := c.byID[r.Article]
	if !ok {
		return Sentence{}, false
	}
	return a.Sentence(r.Paragraph, r.Sentence)
}

// SentenceCount returns the number of sentences in all articles.
func (c *Corpus) SentenceCount() int {
	n := 0
	for _, a := range c.articles {
		for _, p := range a.Paragraphs {
			n += len(p.Sentences)
		}
	}
	return n
}

// Fingerprint returns a digest of every article's id and content, and of the
// parser version. Two corpora with the same fingerprint index identically.
func (c *Corpus) Fingerprint() string {
	ids := make([]IDHash, len(c.articles))
	for i, a := range c.articles {
		ids[i] = IDHash{a.ID, a.Hash}
	}
	return FingerprintOf(ids)
}

//go:embed seed
var seedFS embed.FS

// Default returns the embedded default corpus: one Irish Times report of
// 10 March 2007, the article verbatim ships with.
func Default() (*Corpus, error) {
	c, problems, err := loadFS(context.Background(), seedFS, "seed")
	if err != nil {
		return nil, fmt.Errorf("embedded default article: %w", err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("embedded default article: %w", problems[0])
	}
	return c, nil
}

// MaxFileBytes caps the size of one article file, and of its sidecar. News
// articles are a few kilobytes; anything past this is not an article.
const MaxFileBytes = 4 << 20

// FileError is a problem with one file of a corpus folder: the file was
// skipped and the rest loaded.
type FileError struct {
	Path string // relative to the corpus folder
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }

// ErrNoArticles reports a corpus folder with no article files in it.
var ErrNoArticles = errors.New("no article files (.txt, .md, .json)")

// LoadDir reads every article in dir and its subfolders. Files that cannot
// be read or parsed are skipped and returned as *FileError values, one per
// file, in path order; so is a second file with the id of an earlier one.
// Hidden files and folders, other extensions and sidecars are ignored, and
// symbolic links are not followed (nothing outside dir is ever read). The
// error is non-nil only when dir itself cannot be read, holds no article
// file at all (ErrNoArticles), or ctx ends first (ctx.Err(), wrapped); a
// folder whose every article is broken gives an empty corpus and the
// problems.
func LoadDir(ctx context.Context, dir string) (*Corpus, []error, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	_, r, err := openDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	defer r.Close()
	c, problems, err := loadFS(ctx, r.FS(), ".")
	if err != nil {
		return nil, nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	return c, problems, nil
}

// openDir opens the folder dir as an os.Root, which refuses paths, links
// included, that lead out of it, and returns its absolute path too.
func openDir(dir string) (string, *os.Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", nil, err
	}
	if !info.IsDir() {
		return "", nil, errors.New("not a folder")
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return "", nil, err
	}
	return abs, r, nil
}

// articleFile is one article's file and its optional sidecar, by path
// within the folder's fs.FS.
type articleFile struct {
	path    string
	format  Format
	sidecar string
	entry   fs.DirEntry // as listed
}

// listArticles lists the article files under dir in fsys: .txt, .md and
// .json files that are not sidecars, hidden or symbolic links. The result
// is sorted. It stops with ctx.Err() when ctx ends.
func listArticles(ctx context.Context, fsys fs.FS, dir string) ([]articleFile, error) {
	return walkArticles(ctx, fsys, dir, nil)
}

// walkArticles is listArticles; with sidecars set, it also records there
// the paths of the sidecar files it meets.
func walkArticles(ctx context.Context, fsys fs.FS, dir string, sidecars map[string]fs.DirEntry) ([]articleFile, error) {
	var files []articleFile
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		name := d.Name()
		if p != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		// Links are not followed: a link could lead out of the corpus
		// folder, or into a loop.
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 || !d.Type().IsRegular() {
			return nil
		}
		format, ok := ArticleFormat(name)
		if !ok {
			if sidecars != nil && strings.HasSuffix(strings.ToLower(name), ".meta.json") {
				sidecars[p] = d
			}
			return nil
		}
		files = append(files, articleFile{path: p, format: format, sidecar: sidecarPath(p, format), entry: d})
		return nil
	})
	slices.SortFunc(files, func(a, b articleFile) int { return strings.Compare(a.path, b.path) })
	return files, err
}

// ArticleFormat reports the format of a file name, and false when the file
// is not an article (another extension, or a NAME.meta.json sidecar).
func ArticleFormat(name string) (Format, bool) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".meta.json") {
		return "", false
	}
	switch f := Format(filepath.Ext(lower)); f {
	case FormatText, FormatMarkdown, FormatJSON:
		return f, true
	}
	return "", false
}

// IDOf returns the article id of a file name: the base name without its
// extension, or the whole base name when nothing precedes the extension
// (".md"), so that no article has an empty id.
func IDOf(path string) ArticleID {
	base := filepath.Base(path)
	if stem := strings.TrimSuffix(base, filepath.Ext(base)); stem != "" {
		return ArticleID(stem)
	}
	return ArticleID(base)
}

func sidecarPath(p string, format Format) string {
	if format == FormatJSON {
		return ""
	}
	return strings.TrimSuffix(p, filepath.Ext(p)) + ".meta.json"
}

// loadFS loads the articles under dir in fsys, parsing files in parallel.
func loadFS(ctx context.Context, fsys fs.FS, dir string) (*Corpus, []error, error) {
	files, results, err := readAll(ctx, fsys, dir)
	if err != nil {
		return nil, nil, err
	}

	var problems []error
	articles := make([]*Article, 0, len(files))
	owners := make(idOwners, len(files))
	for i, r := range results {
		rel := relPath(dir, files[i].path)
		if r.err != nil {
			problems = append(problems, &FileError{Path: rel, Err: r.err})
			continue
		}
		if err := owners.claim(r.a.ID, rel); err != nil {
			problems = append(problems, err)
			continue
		}
		articles = append(articles, r.a)
	}
	return New(articles...), problems, nil
}

// idOwners holds the file each article id came from: of two files with
// one id, the first keeps it.
type idOwners map[ArticleID]string

// claim gives id to the file at path, or returns the *FileError of a
// second file with an id already given.
func (o idOwners) claim(id ArticleID, path string) error {
	if first, dup := o[id]; dup {
		return &FileError{Path: path, Err: fmt.Errorf("duplicate article id %q (also %s)", id, first)}
	}
	o[id] = path
	return nil
}

// readAll lists the article files under dir in fsys and reads them;
// results[i] is files[i]'s. It fails with ErrNoArticles when there is no
// article file, and with ctx.Err() when ctx ends.
func readAll(ctx context.Context, fsys fs.FS, dir string) (files []articleFile, results []fileResult, err error) {
	files, err = listArticles(ctx, fsys, dir)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, ErrNoArticles
	}
	results, err = readFiles(ctx, fsys, files)
	if err != nil {
		return nil, nil, err
	}
	return files, results, nil
}

// fileResult is one file's article, or why it has none.
type fileResult struct {
	a   *Article
	err error
}

// readFiles reads and parses files in parallel; results[i] is files[i]'s.
// It stops with ctx.Err() when ctx ends.
func readFiles(ctx context.Context, fsys fs.FS, files []articleFile) ([]fileResult, error) {
	results := make([]fileResult, len(files))
	err := parallel(ctx, len(files), func(i int) {
		a, err := readArticle(fsys, files[i])
		results[i] = fileResult{a, err}
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// ReadArticle reads and parses the article file at path in fsys, with its
// sidecar NAME.meta.json when there is one. It refuses a file or sidecar
// over MaxFileBytes (ErrTooLarge); a sidecar that cannot be read or parsed
// gives a *SidecarError naming it. Other errors are those of Parse.
func ReadArticle(fsys fs.FS, path string) (*Article, error) {
	format, ok := ArticleFormat(path)
	if !ok {
		return nil, fmt.Errorf("not an article file (want .txt, .md or .json)")
	}
	return readArticle(fsys, articleFile{path: path, format: format, sidecar: sidecarPath(path, format)})
}

// readArticle is ReadArticle for a file already listed, its format and
// sidecar known.
func readArticle(fsys fs.FS, af articleFile) (*Article, error) {
	data, sidecar, err := readArticleFile(fsys, af)
	if err != nil {
		return nil, err
	}
	a, err := Parse(IDOf(af.path), af.format, data, sidecar)
	var se *SidecarError
	if errors.As(err, &se) && se.Name == "" {
		se.Name = pathpkg.Base(af.sidecar)
	}
	return a, err
}

// readArticleFile reads an article file and its sidecar, nil when there is
// none. A sidecar that cannot be read gives a *SidecarError naming it.
func readArticleFile(fsys fs.FS, af articleFile) (data, sidecar []byte, err error) {
	data, err = readCapped(fsys, af.path)
	if err != nil {
		return nil, nil, err
	}
	if af.sidecar == "" {
		return data, nil, nil
	}
	sidecar, err = readCapped(fsys, af.sidecar)
	if errors.Is(err, fs.ErrNotExist) {
		return data, nil, nil
	}
	if err != nil {
		return nil, nil, &SidecarError{Name: pathpkg.Base(af.sidecar), Err: err}
	}
	return data, sidecar, nil
}

func readCapped(fsys fs.FS, path string) ([]byte, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w (over %d MiB)", ErrTooLarge, MaxFileBytes>>20)
	}
	return data, nil
}

func relPath(dir, p string) string {
	if dir == "." {
		return p
	}
	return strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
}
