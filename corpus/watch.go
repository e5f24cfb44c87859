package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions configure a Watcher. The zero value is usable.
type WatchOptions struct {
	// Debounce is how long the folder must stay quiet before its changes
	// are read, so that a save or a copy of many files makes one update.
	// Zero means one second. Changes that never pause are read at least
	// every 10 debounce periods.
	Debounce time.Duration
	// Logger gets a warning, naming the file, for each new or changed file
	// that cannot be loaded (it is skipped), and the watcher's own
	// troubles. Nil discards them.
	Logger *slog.Logger
}

// Watcher follows a corpus folder while it changes: articles added,
// changed or removed (in subfolders too, and through their sidecars) make
// a new Corpus. Only the files that changed are read again; unchanged
// articles keep their *Article values. It watches with [fsnotify] and
// follows LoadDir's rules (hidden files and symbolic links ignored,
// broken files skipped, the first of two files with one id kept).
//
// Create it with NewWatcher, read the folder once with Load, then Run it;
// Close it after Run returns. Its methods are not safe for concurrent use.
//
// [fsnotify]: https://github.com/fsnotify/fsnotify
type Watcher struct {
	dir      string // absolute
	root     *os.Root
	fsw      *fsnotify.Watcher
	debounce time.Duration
	log      *slog.Logger

	dirs  map[string]bool       // watched folders, as slash paths within dir ("." is dir)
	files map[string]fileResult // article files, as slash paths within dir
}

// NewWatcher starts watching dir and its subfolders, so that nothing that
// changes from now on is missed; Run delivers the changes.
func NewWatcher(dir string, o WatchOptions) (*Watcher, error) {
	abs, root, err := openDir(dir)
	if err != nil {
		return nil, fmt.Errorf("watch corpus %s: %w", dir, err)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("watch corpus %s: %w", dir, err)
	}
	w := &Watcher{
		dir: abs, root: root, fsw: fsw, debounce: o.Debounce, log: o.Logger,
		dirs: map[string]bool{}, files: map[string]fileResult{},
	}
	if w.debounce <= 0 {
		w.debounce = time.Second
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if err := w.watchTree(".", nil); err != nil {
		w.Close()
		return nil, fmt.Errorf("watch corpus %s: %w", dir, err)
	}
	return w, nil
}

// Close stops watching.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	return errors.Join(err, w.root.Close())
}

// Load reads every article in the folder, as LoadDir does and with its
// results: the corpus, the files skipped (each a *FileError, in path
// order), and an error when the folder holds no article file at all
// (ErrNoArticles) or ctx ends.
func (w *Watcher) Load(ctx context.Context) (*Corpus, []error, error) {
	files, results, err := readAll(ctx, w.root.FS(), ".")
	if err != nil {
		return nil, nil, fmt.Errorf("corpus %s: %w", w.dir, err)
	}
	clear(w.files)
	var problems []error
	for i, r := range results {
		w.files[files[i].path] = r
		if r.err != nil {
			problems = append(problems, &FileError{Path: files[i].path, Err: r.err})
		}
	}
	c, dups := w.assemble()
	problems = append(problems, dups...)
	slices.SortStableFunc(problems, func(a, b error) int {
		return strings.Compare(a.(*FileError).Path, b.(*FileError).Path)
	})
	return c, problems, nil
}

// Run delivers the folder's changes until ctx ends: after each quiet
// period that followed a change, it reads what changed and calls update
// with the new corpus. When update fails, it is called again a little
// later with the corpus as it then is. Run returns nil when ctx ends, or
// an error when the watch itself fails.
func (w *Watcher) Run(ctx context.Context, update func(context.Context, *Corpus) error) error {
	return w.loop(ctx, func(ctx context.Context, pending map[string]bool, rescan, retry bool) (bool, error) {
		changed, err := w.apply(ctx, pending, rescan)
		if err != nil || (!changed && !retry) {
			return false, err
		}
		c, _ := w.assemble()
		return true, update(ctx, c)
	})
}

// Notify is Run for a caller that reads the folder itself (a
// corpus.Folder kept and relisted): after each quiet period that followed
// a change to an article file, a sidecar or a subfolder, it calls changed
// with the paths touched (slash-separated, relative to the folder, as
// Folder.Relist takes them), and reads no file. paths is nil when what
// changed is not known (the watch overflowed, or changed is called again
// after it failed): the whole folder is to be read again. Load need not
// be called first. Notify returns nil when ctx ends, or an error when the
// watch itself fails.
func (w *Watcher) Notify(ctx context.Context, changed func(ctx context.Context, paths []string) error) error {
	return w.loop(ctx, func(ctx context.Context, pending map[string]bool, rescan, retry bool) (bool, error) {
		if rescan {
			if err := w.watchTree(".", pending); err != nil {
				w.log.Warn("watching the corpus folder", "dir", w.dir, "err", err)
			}
		}
		if rescan || retry {
			return true, changed(ctx, nil)
		}
		return true, changed(ctx, slices.Sorted(maps.Keys(pending)))
	})
}

// loop watches until ctx ends, and after each quiet period that followed
// a change calls quiet with the paths touched (every file on a rescan,
// after the watch overflowed; none on a retry). quiet reports whether it
// called the caller's update and that update's error, which makes loop
// call quiet again later (retry set); another error (from reading the
// folder) ends the loop.
func (w *Watcher) loop(ctx context.Context, quiet func(ctx context.Context, pending map[string]bool, rescan, retry bool) (updated bool, err error)) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := map[string]bool{}
	rescan, retry := false, false
	var batchStart time.Time
	arm := func() {
		now := time.Now()
		if batchStart.IsZero() {
			batchStart = now
		}
		wait := min(w.debounce, max(batchStart.Add(10*w.debounce).Sub(now), 0))
		timer.Reset(wait)
	}
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			if w.note(ev, pending) {
				arm()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("too many corpus changes at once; reading the whole folder again", "dir", w.dir)
				rescan = true
				arm()
				continue
			}
			w.log.Warn("watching the corpus folder", "dir", w.dir, "err", err)
		case <-timer.C:
			batchStart = time.Time{}
			updated, err := quiet(ctx, pending, rescan, retry)
			if !updated && err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("corpus %s: %w", w.dir, err)
			}
			clear(pending)
			rescan = false
			if updated && err != nil {
				if ctx.Err() != nil {
					return nil
				}
				w.log.Warn("applying corpus changes failed; trying again", "err", err)
				retry = true
				timer.Reset(10 * w.debounce)
				continue
			}
			retry = false
		}
	}
}

// note marks what an event touches as pending and reports whether it
// touches anything.
func (w *Watcher) note(ev fsnotify.Event, pending map[string]bool) bool {
	rel, err := filepath.Rel(w.dir, ev.Name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	if hidden(rel) || ev.Op == fsnotify.Chmod {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := w.root.Lstat(filepath.FromSlash(rel)); err == nil && fi.IsDir() {
			if err := w.watchTree(rel, pending); err != nil {
				w.log.Warn("watching a new corpus subfolder", "dir", rel, "err", err)
			}
			return true
		}
	}
	if (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) && w.dirs[rel] {
		w.unwatchTree(rel, pending)
		pending[rel] = true // for Notify: the files listed under it
		return true
	}
	name := path.Base(rel)
	if strings.HasSuffix(strings.ToLower(name), ".meta.json") {
		// A sidecar changes the articles it belongs to: those Load read
		// (for Run), and whatever a relisting finds of it (for Notify).
		for p := range w.files {
			if f, ok := ArticleFormat(p); ok && sidecarPath(p, f) == rel {
				pending[p] = true
			}
		}
		pending[rel] = true
		return true
	}
	if _, ok := ArticleFormat(name); ok {
		pending[rel] = true
		return true
	}
	return false
}

// watchTree watches folder rel and its subfolders (not hidden ones, not
// through links) and, when pending is not nil, marks the article files
// already in them as pending.
func (w *Watcher) watchTree(rel string, pending map[string]bool) error {
	return fs.WalkDir(w.root.FS(), rel, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile
			}
			return err
		}
		if p != "." && hidden(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if !w.dirs[p] {
				if err := w.fsw.Add(filepath.Join(w.dir, filepath.FromSlash(p))); err != nil {
					return err
				}
				w.dirs[p] = true
			}
			return nil
		}
		if _, ok := ArticleFormat(d.Name()); ok && pending != nil {
			pending[p] = true
		}
		return nil
	})
}

// unwatchTree forgets folder rel, gone or moved away, and marks the files
// known under it as pending (they are then found missing).
func (w *Watcher) unwatchTree(rel string, pending map[string]bool) {
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			_ = w.fsw.Remove(filepath.Join(w.dir, filepath.FromSlash(d))) // gone already, mostly
			delete(w.dirs, d)
		}
	}
	for p := range w.files {
		if strings.HasPrefix(p, rel+"/") {
			pending[p] = true
		}
	}
}

// apply reads the pending files again (every file, on a rescan) and
// reports whether the corpus changed. A file that fails to load is
// reported once, when it changes.
func (w *Watcher) apply(ctx context.Context, pending map[string]bool, rescan bool) (bool, error) {
	if rescan {
		if err := w.watchTree(".", pending); err != nil {
			w.log.Warn("watching the corpus folder", "dir", w.dir, "err", err)
		}
		for p := range w.files {
			pending[p] = true
		}
	}
	changed := false
	var toRead []articleFile
	for _, p := range slices.Sorted(maps.Keys(pending)) {
		format, ok := ArticleFormat(path.Base(p))
		fi, err := w.root.Lstat(filepath.FromSlash(p))
		if !ok || err != nil || !fi.Mode().IsRegular() {
			if _, known := w.files[p]; known {
				delete(w.files, p)
				changed = true
			}
			continue
		}
		toRead = append(toRead, articleFile{path: p, format: format, sidecar: sidecarPath(p, format)})
	}
	results, err := readFiles(ctx, w.root.FS(), toRead)
	if err != nil {
		return false, err
	}
	for i, r := range results {
		p := toRead[i].path
		old, known := w.files[p]
		switch {
		case r.err == nil && known && old.a != nil && old.a.Hash == r.a.Hash:
			continue // the same article: keep its value
		case r.err != nil && known && old.err != nil && old.err.Error() == r.err.Error():
			continue // broken as before, reported before
		}
		w.files[p] = r
		changed = true
		if r.err != nil {
			w.log.Warn("skipped article file", "err", &FileError{Path: p, Err: r.err})
		}
	}
	if changed {
		_, dups := w.assemble()
		for _, e := range dups {
			if pending[e.(*FileError).Path] {
				w.log.Warn("skipped article file", "err", e)
			}
		}
	}
	return changed, nil
}

// assemble makes the corpus of the loaded files, in path order: of two
// files with one id the first is kept and the second returned as a
// problem.
func (w *Watcher) assemble() (*Corpus, []error) {
	var problems []error
	articles := make([]*Article, 0, len(w.files))
	owners := make(idOwners, len(w.files))
	for _, p := range slices.Sorted(maps.Keys(w.files)) {
		r := w.files[p]
		if r.err != nil {
			continue
		}
		if err := owners.claim(r.a.ID, p); err != nil {
			problems = append(problems, err)
			continue
		}
		articles = append(articles, r.a)
	}
	return New(articles...), problems
}

// hidden reports whether a slash path has a hidden component.
func hidden(p string) bool {
	for part := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return false
}
