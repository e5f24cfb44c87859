package retrieval

import (
	"context"
	"fmt"
	"maps"
	"slices"

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
	old, err := ix.lockSync()
	if err != nil {
		return BuildResult{}, err
	}
	defer ix.syncMu.Unlock()
	return ix.syncAll(ctx, f, old)
}

// syncAll is SyncFolder from the index as it is, old. ix.syncMu is held.
func (ix *Index) syncAll(ctx context.Context, f *corpus.Folder, old manifest) (BuildResult, error) {
	files := f.Files()
	if old.Version == analysisVersion && old.Articles.sameStamps(files) {
		// Nothing moved: what follows would find no change, after
		// decoding every entry of an index opened as it is.
		return BuildResult{Articles: len(files), Sentences: old.Docs, Fingerprint: old.Fingerprint}, nil
	}
	olds := old.Articles.all()
	p := syncPlan{nexts: make(map[corpus.ArticleID]*entry, len(files))}
	for _, ff := range files {
		e, ok := olds[ff.ID]
		p.consider(f, ff, e, ok)
	}
	return ix.syncPlanned(ctx, f, old, olds, p)
}

// SyncArticles is SyncFolder for a folder whose changes are known: it
// brings the index up to date with the folder's files for the articles
// ids only (as Folder.Relist names them), added, changed or gone, and
// takes every other article to be as indexed. Adding one article to a
// large index costs that article, not a pass over every file.
func (ix *Index) SyncArticles(ctx context.Context, f *corpus.Folder, ids []corpus.ArticleID) (res BuildResult, err error) {
	old, err := ix.lockSync()
	if err != nil {
		return BuildResult{}, err
	}
	defer ix.syncMu.Unlock()
	if old.Version != analysisVersion {
		// Every article is indexed again: the whole folder is read.
		return ix.syncAll(ctx, f, old)
	}
	if len(ids) == 0 {
		return BuildResult{Articles: old.Articles.count(), Sentences: old.Docs, Fingerprint: old.Fingerprint}, nil
	}
	olds := old.Articles.all()
	p := syncPlan{nexts: maps.Clone(olds), touched: slices.Compact(slices.Sorted(slices.Values(ids)))}
	for _, id := range p.touched {
		delete(p.nexts, id)
		if ff, ok := f.File(id); ok {
			e, had := olds[id]
			p.consider(f, ff, e, had)
		}
	}
	return ix.syncPlanned(ctx, f, old, olds, p)
}

// syncPlan is what a sync found: the entries kept (unchanged, or only
// restamped), the files to index, and the files it could not read.
type syncPlan struct {
	nexts map[corpus.ArticleID]*entry
	// touched, when set, are the only articles whose entry can differ
	// from the index's: nexts holds the index's entries of the others.
	touched   []corpus.ArticleID
	todo      []corpus.FolderFile
	restamped int
	problems  []error
}

// consider plans folder file ff, whose article the index holds with entry
// e when indexed: kept when its stamp or its hash is the one indexed,
// indexed otherwise; kept as indexed when it cannot be read now.
func (p *syncPlan) consider(f *corpus.Folder, ff corpus.FolderFile, e *entry, indexed bool) {
	if indexed && ff.Stamp != "" && e.Stamp == ff.Stamp {
		p.nexts[ff.ID] = e
		return
	}
	h, err := f.Hash(ff)
	if err != nil {
		p.problems = append(p.problems, &corpus.FileError{Path: ff.Path, Err: err})
		if indexed {
			p.nexts[ff.ID] = e // unreadable for now: keep what was indexed
		}
		return
	}
	if indexed && e.Hash == h {
		again := *e
		again.Stamp = ff.Stamp
		p.nexts[ff.ID] = &again
		p.restamped++
		return
	}
	ff.Hash = h
	p.todo = append(p.todo, ff)
}

// syncPlanned carries out plan p, made from the index as it was (old,
// whose entries are olds) and folder f: it removes the articles p keeps
// no entry of, indexes p's files, and commits. ix.syncMu is held.
func (ix *Index) syncPlanned(ctx context.Context, f *corpus.Folder, old manifest, olds map[corpus.ArticleID]*entry, p syncPlan) (res BuildResult, err error) {
	defer func() {
		ix.mu.Lock()
		ix.counts = newTermCounts()
		ix.mu.Unlock()
	}()
	next := manifest{Version: analysisVersion, Docs: old.Docs, Terms: old.Terms}
	nexts, todo := p.nexts, p.todo
	res.Problems = p.problems
	// An indexed article the plan keeps no entry of is either to be
	// indexed again (its file is in the folder, changed) or gone.
	indexing := make(map[corpus.ArticleID]bool, len(todo))
	for _, ff := range todo {
		indexing[ff.ID] = true
	}
	removed, err := ix.deleteStale(olds, nexts, &next, p.touched, func(id corpus.ArticleID) bool { return indexing[id] })
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
	if res.Changes != (Changes{}) || p.restamped > 0 || len(olds) != len(nexts) || old.Version != next.Version {
		if err := ix.commit(ctx, old, &next, p.touched); err != nil {
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
