package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"strconv"
	"sync"
)

// Folder is a corpus folder listed but not loaded: its article files with
// the id and hash each article will have. It lets a folder too large to
// hold in memory be compared with an index and loaded a part at a time
// (see [Folder.Load]); LoadDir loads it whole. A process that follows the
// folder keeps its Folder and looks at the files that changed again
// ([Folder.Relist]) instead of listing every file. A Folder holds the
// folder open until Close. Its methods are safe for concurrent use.
type Folder struct {
	roots []*os.Root
	fsys  []fs.FS // each root's, by FolderFile.src

	mu sync.Mutex
	// files are the files used, in order; let go once the maps below
	// are made, and made again from them by Files when asked.
	files []FolderFile
	// shadowed are the files left out for an id an earlier file has, in
	// order, until Relist first runs (then they are in listed).
	shadowed []FolderFile
	// Made from files and shadowed when Relist or File first runs, and
	// kept by Relist: every file listed (used or shadowed), the file used
	// for each id and the others of its id, and the number of files of
	// each folder (by src).
	listed map[fileKey]FolderFile
	used   map[ArticleID]fileKey
	others map[ArticleID][]fileKey
	inPart []int
}

// fileKey names a listed file: its folder (FolderFile.src) and path.
type fileKey struct {
	src  int
	path string
}

// FolderFile is one article file of a Folder.
type FolderFile struct {
	ID   ArticleID
	Path string // relative to the folder, with forward slashes
	// Hash is the Hash its Article has once parsed; "" from ListFolder
	// until Folder.Hash is asked.
	Hash string
	// Stamp is the sizes and modification times of the file and its
	// sidecar: a file whose stamp has not changed is taken not to have
	// changed, without reading it.
	Stamp string
	src   int // the folder it is in, of those Add put together
}

// OpenFolder lists the article files in dir and its subfolders, as LoadDir
// would read them, and reads each once to hash it. Files that cannot be
// read, and a second file with the id of an earlier one (in path order),
// are left out and returned as *FileError values; unlike LoadDir, a file
// that will not parse still claims its id. The error is non-nil only when
// dir cannot be read, holds no article file (ErrNoArticles), or ctx ends.
func OpenFolder(ctx context.Context, dir string) (*Folder, []error, error) {
	return openFolder(ctx, dir, true)
}

// ListFolder is OpenFolder without reading the files: it lists them with
// their stamps (one stat each), and leaves their hashes to Folder.Hash, so
// that a caller that knows the stamps of an earlier listing reads only
// the files that moved. Files that cannot be read are found when they are
// hashed or loaded.
func ListFolder(ctx context.Context, dir string) (*Folder, []error, error) {
	return openFolder(ctx, dir, false)
}

func openFolder(ctx context.Context, dir string, hash bool) (*Folder, []error, error) {
	_, r, err := openDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	f := &Folder{roots: []*os.Root{r}, fsys: []fs.FS{r.FS()}}
	problems, err := f.list(ctx, hash)
	if err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	return f, problems, nil
}

func (f *Folder) list(ctx context.Context, hash bool) ([]error, error) {
	sidecars := map[string]fs.DirEntry{}
	listed, err := walkArticles(ctx, f.fsys[0], ".", sidecars)
	if err != nil {
		return nil, err
	}
	if len(listed) == 0 {
		return nil, ErrNoArticles
	}
	hashes := make([]string, len(listed))
	stamps := make([]string, len(listed))
	errs := make([]error, len(listed))
	parallel(ctx, len(listed), func(i int) {
		if stamps[i], errs[i] = stampFile(listed[i], sidecars); errs[i] == nil && hash {
			hashes[i], errs[i] = hashFile(f.fsys[0], listed[i])
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var problems []error
	owners := make(idOwners, len(listed))
	for i, af := range listed {
		if errs[i] != nil {
			problems = append(problems, &FileError{Path: af.path, Err: errs[i]})
			continue
		}
		id := IDOf(af.path)
		ff := FolderFile{ID: id, Path: af.path, Hash: hashes[i], Stamp: stamps[i]}
		if err := owners.claim(id, af.path); err != nil {
			problems = append(problems, err)
			f.shadowed = append(f.shadowed, ff)
			continue
		}
		f.files = append(f.files, ff)
	}
	return problems, nil
}

// stampFile returns the stamp of an article file and its sidecar, from
// their entries in the folder's listing (sidecars by path).
func stampFile(af articleFile, sidecars map[string]fs.DirEntry) (string, error) {
	fi, err := af.entry.Info()
	if err != nil {
		return "", err
	}
	var sc fs.FileInfo
	if d, ok := sidecars[af.sidecar]; ok {
		sc, _ = d.Info()
	}
	return stampOf(fi, sc), nil
}

// stampOf is the stamp of an article file of info fi and its sidecar of
// info sc (nil when it has none).
func stampOf(fi, sc fs.FileInfo) string {
	stamp := strconv.FormatInt(fi.Size(), 10) + "@" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	if sc != nil {
		stamp += "+" + strconv.FormatInt(sc.Size(), 10) + "@" + strconv.FormatInt(sc.ModTime().UnixNano(), 10)
	}
	return stamp
}

// Hash returns the hash of one of the folder's files: its Hash when it
// was listed with one, else read from the file now.
func (f *Folder) Hash(file FolderFile) (string, error) {
	if file.Hash != "" {
		return file.Hash, nil
	}
	format, _ := ArticleFormat(path.Base(file.Path))
	return hashFile(f.fsys[file.src], articleFile{path: file.Path, format: format, sidecar: sidecarPath(file.Path, format)})
}

// hashFile reads an article file and its sidecar and returns the hash its
// article will have.
func hashFile(fsys fs.FS, af articleFile) (string, error) {
	data, sidecar, err := readArticleFile(fsys, af)
	if err != nil {
		return "", err
	}
	return articleHash(af.format, data, sidecar), nil
}

// articleHash is an article's Hash: a digest of the parser version, the
// format and the bytes of the file and its sidecar.
func articleHash(format Format, data, sidecar []byte) string {
	h := sha256.New()
	h.Write([]byte(parseVersion))
	h.Write([]byte{0})
	h.Write([]byte(format))
	h.Write([]byte{0})
	h.Write(data)
	h.Write([]byte{0})
	h.Write(sidecar)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Files returns the folder's article files, in path order (those of a
// folder Add put with it after its own). The caller must not modify the
// slice; a Relist does not change it either (it makes a new one).
func (f *Folder) Files() []FolderFile {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists()
}

// File returns the file used for article id, and false when the folder
// has none.
func (f *Folder) File(id ArticleID) (FolderFile, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.index()
	key, ok := f.used[id]
	return f.listed[key], ok
}

// Load reads and parses the files, in parallel, and returns the articles
// in the order of files. A file that cannot be read or parsed is left out
// and returned as a *FileError. It stops with ctx.Err() when ctx ends.
func (f *Folder) Load(ctx context.Context, files []FolderFile) ([]*Article, []error, error) {
	articles := make([]*Article, len(files))
	errs := make([]error, len(files))
	parallel(ctx, len(files), func(i int) {
		articles[i], errs[i] = ReadArticle(f.fsys[files[i].src], files[i].Path)
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	out := articles[:0]
	var problems []error
	for i, a := range articles {
		if errs[i] != nil {
			problems = append(problems, &FileError{Path: files[i].Path, Err: errs[i]})
			continue
		}
		out = append(out, a)
	}
	return out, problems, nil
}

// Add puts the files of another folder listed (g) after f's, as one
// folder: a file of g with the id of one of f's is left out and returned
// as a *FileError, f's being used. g is f's afterwards, closed by f's
// Close; it must not be used on its own.
func (f *Folder) Add(g *Folder) []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	f.lists()
	g.lists()
	f.listed, f.used, f.others, f.inPart = nil, nil, nil, nil
	owners := make(idOwners, len(f.files))
	for _, ff := range f.files {
		owners[ff.ID] = ff.Path
	}
	base := len(f.roots)
	f.roots = append(f.roots, g.roots...)
	f.fsys = append(f.fsys, g.fsys...)
	var problems []error
	for _, gf := range g.files {
		gf.src += base
		if first, clash := owners[gf.ID]; clash {
			problems = append(problems, &FileError{Path: gf.Path, Err: fmt.Errorf("article id %q is also that of %s, which is used", gf.ID, first)})
			f.shadowed = append(f.shadowed, gf)
			continue
		}
		owners[gf.ID] = gf.Path
		f.files = append(f.files, gf)
	}
	for _, gf := range g.shadowed {
		gf.src += base
		f.shadowed = append(f.shadowed, gf)
	}
	g.roots, g.fsys, g.files, g.shadowed = nil, nil, nil, nil
	return problems
}

// Close releases the folder.
func (f *Folder) Close() error {
	var errs []error
	for _, r := range f.roots {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// parallel calls fn(i) for i in [0, n) on GOMAXPROCS goroutines, and
// stops handing out work when ctx ends. It returns ctx.Err() when it
// stopped before handing out all the work, and nil otherwise.
func parallel(ctx context.Context, n int, fn func(i int)) error {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range work {
				fn(i)
			}
		})
	}
	var cancelled error
feed:
	for i := range n {
		select {
		case work <- i:
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		}
	}
	close(work)
	wg.Wait()
	return cancelled
}
