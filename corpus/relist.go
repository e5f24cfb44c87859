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
	before := map[ArticleID]FolderFile{} // the file used for each id touched, before
	for _, p := range slices.Sorted(maps.Keys(cands)) {
		ff, present, err := f.look(part, p)
		if err != nil {
			problems = append(problems, &FileError{Path: p, Err: err})
			continue
		}
		key := fileKey{part, p}
		old, known := f.listed[key]
		if (!present && !known) || (present && known && old.Stamp == ff.Stamp) {
			continue
		}
		id := IDOf(p)
		if _, seen := before[id]; !seen {
			before[id] = f.listed[f.used[id]] // the zero FolderFile when none
		}
		switch {
		case present && known:
			f.listed[key] = ff
		case present:
			f.listed[key] = ff
			f.others[id] = append(f.others[id], key)
			f.inPart[part]++
		default:
			delete(f.listed, key)
			f.inPart[part]--
			if f.used[id] == key {
				delete(f.used, id)
			} else {
				f.others[id] = slices.DeleteFunc(f.others[id], func(k fileKey) bool { return k == key })
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(before)) {
		changed, dups := f.choose(id, before[id])
		if changed {
			ids = append(ids, id)
		}
		problems = append(problems, dups...)
	}
	if len(before) > 0 {
		f.files = nil // made again, with shadowed, when asked
	}
	return ids, problems, ctx.Err()
}

// candidates returns the article files the paths name in folder part:
// the files named, those a sidecar named belongs to, and those in and
// under a folder named, as they are now and as they were listed. The
// listing is passed over once, whatever the number of paths.
func (f *Folder) candidates(ctx context.Context, part int, paths []string) (map[string]bool, error) {
	cands := map[string]bool{}
	sidecars := map[string]bool{}
	under := map[string]bool{} // folders whose listed files are looked at again
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
			under[p] = true
		case strings.HasSuffix(p, ".meta.json"):
			sidecars[p] = true
		default:
			if _, ok := ArticleFormat(path.Base(p)); ok {
				cands[p] = true
			} else {
				under[p] = true // a folder gone, perhaps
			}
		}
	}
	if len(sidecars) == 0 && len(under) == 0 {
		return cands, ctx.Err()
	}
	for key := range f.listed {
		if key.src != part {
			continue
		}
		format, _ := ArticleFormat(path.Base(key.path))
		if sidecars[sidecarPath(key.path, format)] || under["."] {
			cands[key.path] = true
			continue
		}
		for d := path.Dir(key.path); d != "."; d = path.Dir(d) {
			if under[d] {
				cands[key.path] = true
				break
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
// one used, reports whether that changed the file used (old before; the
// zero FolderFile when there was none) or its stamp, and returns the
// others as problems.
func (f *Folder) choose(id ArticleID, old FolderFile) (changed bool, problems []error) {
	keys := f.others[id]
	if k, ok := f.used[id]; ok {
		keys = append(keys, k)
	}
	delete(f.others, id)
	if len(keys) == 0 {
		delete(f.used, id)
		return old.Path != "", nil
	}
	slices.SortFunc(keys, compareKeys)
	first := f.listed[keys[0]]
	f.used[id] = keys[0]
	if len(keys) > 1 {
		f.others[id] = keys[1:]
	}
	for _, k := range keys[1:] {
		problems = append(problems, shadowError(f.listed[k], first))
	}
	return old.src != first.src || old.Path != first.Path || old.Stamp != first.Stamp, problems
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

// index makes listed, used and others from files and shadowed, once,
// and lets files go (Files makes them again when asked). f.mu is held.
func (f *Folder) index() {
	if f.listed != nil {
		return
	}
	f.inPart = make([]int, len(f.fsys))
	f.listed = make(map[fileKey]FolderFile, len(f.files)+len(f.shadowed))
	f.used = make(map[ArticleID]fileKey, len(f.files))
	f.others = map[ArticleID][]fileKey{}
	for _, ff := range f.files {
		key := fileKey{ff.src, ff.Path}
		f.listed[key] = ff
		f.used[ff.ID] = key
		f.inPart[ff.src]++
	}
	for _, ff := range f.shadowed {
		key := fileKey{ff.src, ff.Path}
		f.listed[key] = ff
		f.others[ff.ID] = append(f.others[ff.ID], key)
		f.inPart[ff.src]++
	}
	f.files, f.shadowed = nil, nil
}

// lists returns files, made again from listed and used after index (and
// shadowed with them, for Add). f.mu is held.
func (f *Folder) lists() []FolderFile {
	if f.files != nil || f.used == nil {
		return f.files
	}
	f.files = make([]FolderFile, 0, len(f.used))
	for _, key := range f.used {
		f.files = append(f.files, f.listed[key])
	}
	byKey := func(a, b FolderFile) int { return compareKeys(fileKey{a.src, a.Path}, fileKey{b.src, b.Path}) }
	slices.SortFunc(f.files, byKey)
	f.shadowed = f.shadowed[:0]
	for _, keys := range f.others {
		for _, key := range keys {
			f.shadowed = append(f.shadowed, f.listed[key])
		}
	}
	slices.SortFunc(f.shadowed, byKey)
	return f.files
}
