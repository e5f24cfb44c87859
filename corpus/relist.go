package corpus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// Relist looks again at the named files of one of the folder's folders
// (part: 0 for its own, 1 for the first Add put with it, and so on) and
// returns the ids whose file changed: the file used for the id is new,
// gone, another, or has another stamp. A path is slash-separated and
// relative to that folder: an article file, a sidecar (its article is
// looked at again), or a folder (every article file in it and under it,
// gone or present; "." is the whole folder). Of the ids whose files
// changed, a file shadowed by an earlier one of its id is returned as a
// *FileError in problems, as is a file that cannot be looked at (it is
// left as it was listed).
//
// A process that follows a folder keeps its Folder and relists the paths
// its watcher names: a change costs a stat a path, not a stat a file of
// the folder. Files made afterwards returns the folder as a new listing
// would, bar the hashes of the files that changed (read by Hash). The
// error is non-nil only when part is not one of the folder's folders, a
// subfolder named cannot be walked, or ctx ends.
func (f *Folder) Relist(ctx context.Context, part int, paths []string) (ids []ArticleID, problems []error, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if part < 0 || part >= len(f.fsys) {
		return nil, nil, fmt.Errorf("relist: the folder has no part %d", part)
	}
	f.index()
	cands, err := f.candidates(ctx, part, paths)
	if err != nil {
		return nil, nil, err
	}
	affected := map[ArticleID]bool{}
	for _, p := range slices.Sorted(maps.Keys(cands)) {
		ff, present, err := f.look(part, p)
		if err != nil {
			problems = append(problems, &FileError{Path: p, Err: err})
			continue
		}
		key := fileKey{part, p}
		old, known := f.listed[key]
		switch {
		case !present && !known:
			continue
		case present && known && old.Stamp == ff.Stamp:
			continue
		case present:
			f.listed[key] = ff
			if !known {
				f.byID[ff.ID] = append(f.byID[ff.ID], key)
				f.inPart[part]++
			}
			affected[ff.ID] = true
		default:
			delete(f.listed, key)
			f.inPart[part]--
			f.byID[old.ID] = slices.DeleteFunc(f.byID[old.ID], func(k fileKey) bool { return k == key })
			affected[old.ID] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(affected)) {
		changed, dups := f.choose(id)
		if changed {
			ids = append(ids, id)
		}
		problems = append(problems, dups...)
	}
	if len(affected) > 0 {
		f.files = nil // made again, with shadowed, when asked
	}
	return ids, problems, ctx.Err()
}

// candidates returns the article files the paths name in folder part:
// the files named, those a sidecar named belongs to, and those in and
// under a folder named, as they are now and as they were listed.
func (f *Folder) candidates(ctx context.Context, part int, paths []string) (map[string]bool, error) {
	cands := map[string]bool{}
	var under []string // folders whose listed files are looked at again
	for _, p := range paths {
		p = path.Clean(p)
		if !fs.ValidPath(p) || (p != "." && hidden(p)) {
			continue
		}
		fi, err := fs.Lstat(f.fsys[part], p)
		switch {
		case err == nil && fi.IsDir():
			found, err := listArticles(ctx, f.fsys[part], p)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			for _, af := range found {
				cands[af.path] = true
			}
			under = append(under, p)
		case strings.HasSuffix(p, ".meta.json"):
			for key, ff := range f.listed {
				if format, _ := ArticleFormat(path.Base(ff.Path)); key.src == part && sidecarPath(ff.Path, format) == p {
					cands[ff.Path] = true
				}
			}
		default:
			if _, ok := ArticleFormat(path.Base(p)); ok {
				cands[p] = true
			} else {
				under = append(under, p) // a folder gone, perhaps
			}
		}
	}
	if len(under) > 0 {
		for key := range f.listed {
			if key.src == part && slices.ContainsFunc(under, func(d string) bool { return d == "." || strings.HasPrefix(key.path, d+"/") }) {
				cands[key.path] = true
			}
		}
	}
	return cands, ctx.Err()
}

// look returns article file p of folder part as a listing would have it,
// and false when a listing would not have it (gone, not a regular file).
func (f *Folder) look(part int, p string) (FolderFile, bool, error) {
	format, ok := ArticleFormat(path.Base(p))
	if !ok {
		return FolderFile{}, false, nil
	}
	fi, err := fs.Lstat(f.fsys[part], p)
	if errors.Is(err, fs.ErrNotExist) {
		return FolderFile{}, false, nil
	}
	if err != nil {
		return FolderFile{}, false, err
	}
	if !fi.Mode().IsRegular() {
		return FolderFile{}, false, nil
	}
	var sc fs.FileInfo
	if side := sidecarPath(p, format); side != "" {
		if si, err := fs.Lstat(f.fsys[part], side); err == nil && si.Mode().IsRegular() {
			sc = si
		}
	}
	return FolderFile{ID: IDOf(p), Path: p, Stamp: stampOf(fi, sc), src: part}, true, nil
}

// PartLen returns the number of article files of one of the folder's
// folders (see Relist), used or shadowed: zero when a listing of that
// folder alone would find none (ErrNoArticles).
func (f *Folder) PartLen(part int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if part < 0 || part >= len(f.fsys) {
		return 0
	}
	f.index()
	return f.inPart[part]
}

// choose makes the first of id's listed files (by folder, then path) the
// one used, reports whether that changed the file used or its stamp, and
// returns the others as problems.
func (f *Folder) choose(id ArticleID) (changed bool, problems []error) {
	keys := f.byID[id]
	old, had := f.used[id]
	if len(keys) == 0 {
		delete(f.byID, id)
		delete(f.used, id)
		return had, nil
	}
	slices.SortFunc(keys, compareKeys)
	first := f.listed[keys[0]]
	f.used[id] = first
	for _, k := range keys[1:] {
		problems = append(problems, shadowError(f.listed[k], first))
	}
	return !had || old.src != first.src || old.Path != first.Path || old.Stamp != first.Stamp, problems
}

// shadowError is the problem of file ff, left out for first, used for
// its id: as a listing says it.
func shadowError(ff, first FolderFile) error {
	if ff.src == first.src {
		return &FileError{Path: ff.Path, Err: fmt.Errorf("duplicate article id %q (also %s)", ff.ID, first.Path)}
	}
	return &FileError{Path: ff.Path, Err: fmt.Errorf("article id %q is also that of %s, which is used", ff.ID, first.Path)}
}

// compareKeys orders listed files as a listing does: by folder, then path.
func compareKeys(a, b fileKey) int {
	return cmp.Or(cmp.Compare(a.src, b.src), strings.Compare(a.path, b.path))
}

// index makes listed, byID and used from files and shadowed, once. f.mu
// is held.
func (f *Folder) index() {
	if f.listed != nil {
		return
	}
	f.inPart = make([]int, len(f.fsys))
	f.listed = make(map[fileKey]FolderFile, len(f.files)+len(f.shadowed))
	f.byID = make(map[ArticleID][]fileKey, len(f.files))
	f.used = make(map[ArticleID]FolderFile, len(f.files))
	for _, ff := range f.files {
		key := fileKey{ff.src, ff.Path}
		f.listed[key] = ff
		f.byID[ff.ID] = append(f.byID[ff.ID], key)
		f.used[ff.ID] = ff
		f.inPart[ff.src]++
	}
	for _, ff := range f.shadowed {
		key := fileKey{ff.src, ff.Path}
		f.listed[key] = ff
		f.byID[ff.ID] = append(f.byID[ff.ID], key)
		f.inPart[ff.src]++
	}
	f.shadowed = nil
}

// lists returns files, made again from used when a Relist changed them
// (and shadowed with them, for Add). f.mu is held.
func (f *Folder) lists() []FolderFile {
	if f.files != nil || f.used == nil {
		return f.files
	}
	f.files = slices.SortedFunc(maps.Values(f.used), func(a, b FolderFile) int {
		return compareKeys(fileKey{a.src, a.Path}, fileKey{b.src, b.Path})
	})
	f.shadowed = f.shadowed[:0]
	for key, ff := range f.listed {
		if u := f.used[ff.ID]; u.src != key.src || u.Path != key.path {
			f.shadowed = append(f.shadowed, ff)
		}
	}
	slices.SortFunc(f.shadowed, func(a, b FolderFile) int {
		return compareKeys(fileKey{a.src, a.Path}, fileKey{b.src, b.Path})
	})
	return f.files
}
