package retrieval

import (
	"context"
	"fmt"

	"github.com/verbatim-bot/verbatim/corpus"
)

// BuildResult reports what Build did and what the index then holds.
type BuildResult struct {
	Changes
	Articles, Sentences int
	Fingerprint         string
	// Problems are the article files that were skipped because they
	// could not be read or parsed, one *corpus.FileError each.
	Problems []error
}

// buildChunk is how many articles Build parses and holds at a time.
const buildChunk = 1000

// Build brings the index in dataDir up to date with the article folder, as
// Open and Sync would with the folder's corpus, without ever holding the
// corpus in memory (see SyncFolder). It is `verbatim index` on corpora of
// any size; a bot then opens the index with OpenFolder, which finds it up
// to date. Options.Progress is called as articles are indexed. Build
// returns ErrLocked when another process holds the folder.
func Build(ctx context.Context, dataDir string, f *corpus.Folder, o Options) (res BuildResult, err error) {
	ix, err := openDir(dataDir, o)
	if err != nil {
		return BuildResult{}, err
	}
	defer func() {
		if cerr := ix.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
	}()
	return ix.SyncFolder(ctx, f)
}

// OpenFolder opens the index in dataDir (creating it when missing, as Open
// does) and brings it up to date with the article folder (SyncFolder):
// start-up reads the folder's listing and only the files that moved.
func OpenFolder(ctx context.Context, dataDir string, f *corpus.Folder, o Options) (*Index, BuildResult, error) {
	ix, err := openDir(dataDir, o)
	if err != nil {
		return nil, BuildResult{}, err
	}
	res, err := ix.SyncFolder(ctx, f)
	ix.carried = nil
	if err != nil {
		ix.Close()
		return nil, BuildResult{}, err
	}
	return ix, res, nil
}

// OpenAsIs opens the index in dataDir as it is (creating it empty when
// missing, rebuilding it empty when damaged or of another version), without
// looking at any corpus: a process can answer from it at once and bring it
// up to date with SyncFolder meanwhile. It returns ErrLocked when another
// process holds the folder for longer than Options.LockTimeout.
func OpenAsIs(dataDir string, o Options) (*Index, error) {
	return openDir(dataDir, o)
}

// SyncFolder brings the index up to date with the article folder, article
// by article, without holding the corpus in memory: a file whose stamp
// (sizes and times) is the one indexed is taken as unchanged unread; the
// others are hashed, and those whose hash moved are parsed and indexed
// buildChunk articles at a time. Articles gone from the folder are
// removed. Queries keep being answered meanwhile.
func (ix *Index) SyncFolder(ctx context.Context, f *corpus.Folder) (res BuildResult, err error) {
	if ix.readOnly {
		return BuildResult{}, ErrReadOnly
	}
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.RLock()
	old := ix.man
	ix.mu.RUnlock()
	defer func() {
		ix.mu.Lock()
		ix.counts = newTermCounts()
		ix.mu.Unlock()
	}()

	files := f.Files()
	if old.Version == analysisVersion && old.Articles.sameStamps(files) {
		// Nothing moved: what follows would find no change, after
		// decoding every entry of an index opened as it is.
		return BuildResult{Articles: len(files), Sentences: old.Docs, Fingerprint: old.Fingerprint}, nil
	}
	next := manifest{Version: analysisVersion, Docs: old.Docs, Terms: old.Terms}
	olds, nexts := old.Articles.all(), make(map[corpus.ArticleID]*entry, len(files))
	var todo []corpus.FolderFile
	restamped := 0
	for _, ff := range files {
		e, ok := olds[ff.ID]
		if ok && ff.Stamp != "" && e.Stamp == ff.Stamp {
			nexts[ff.ID] = e
			continue
		}
		h, err := f.Hash(ff)
		if err != nil {
			res.Problems = append(res.Problems, &corpus.FileError{Path: ff.Path, Err: err})
			if ok {
				nexts[ff.ID] = e // unreadable for now: keep what was indexed
			}
			continue
		}
		if ok && e.Hash == h {
			again := *e
			again.Stamp = ff.Stamp
			nexts[ff.ID] = &again
			restamped++
			continue
		}
		ff.Hash = h
		todo = append(todo, ff)
	}
	inFolder := make(map[corpus.ArticleID]bool, len(files))
	for _, ff := range files {
		inFolder[ff.ID] = true
	}
	removed, err := ix.deleteStale(olds, nexts, &next, func(id corpus.ArticleID) bool { return inFolder[id] })
	if err != nil {
		return BuildResult{}, err
	}
	res.Removed = removed

	defer ix.clearPending()
	for start := 0; start < len(todo); start += buildChunk {
		chunk := todo[start:min(start+buildChunk, len(todo))]
		articles, problems, err := f.Load(ctx, chunk)
		if err != nil {
			return BuildResult{}, err
		}
		res.Problems = append(res.Problems, problems...)
		stamps := make(map[corpus.ArticleID]string, len(chunk))
		for _, ff := range chunk {
			stamps[ff.ID] = ff.Stamp
		}
		var progress func(int)
		if ix.progress != nil {
			progress = func(done int) { ix.progress(start+done, len(todo)) }
		}
		ix.addPending(articles)
		entries, err := ix.indexArticles(ctx, articles, olds, progress)
		if err != nil {
			return BuildResult{}, err
		}
		for i, a := range articles {
			if _, ok := olds[a.ID]; ok {
				res.Updated++
			} else {
				res.Added++
			}
			entries[i].Stamp = stamps[a.ID]
			nexts[a.ID] = entries[i]
			next.Docs += sentencesIn(entries[i])
			next.Terms += entries[i].Terms
		}
		if ix.progress != nil {
			ix.progress(start+len(chunk), len(todo))
		}
	}
	if syncIndexed != nil {
		syncIndexed()
	}
	next.Articles = heldEntries(nexts)
	if res.Changes != (Changes{}) || restamped > 0 || len(olds) != len(nexts) || old.Version != next.Version {
		if err := ix.commit(ctx, old, &next); err != nil {
			return BuildResult{}, err
		}
	} else {
		next = old
	}
	res.Articles, res.Sentences, res.Fingerprint = next.Articles.count(), next.Docs, next.Fingerprint
	if res.Changes != (Changes{}) {
		ix.log.Debug("index synced with the folder", "added", res.Added, "updated", res.Updated, "removed", res.Removed, "sentences", next.Docs)
	}
	return res, nil
}
