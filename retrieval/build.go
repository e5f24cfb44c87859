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
// corpus in memory: unchanged articles are recognised by their hash,
// unparsed, and the rest are parsed and indexed buildChunk articles at a
// time. It is `verbatim index` on corpora of any size; a bot then opens
// the index with Open, which finds it up to date. Options.Progress is
// called as articles are indexed. Build returns ErrLocked when another
// process holds the folder.
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
	old := ix.man
	files := f.Files()
	all := make([]corpus.IDHash, len(files))
	for i, ff := range files {
		all[i] = corpus.IDHash{ID: ff.ID, Hash: ff.Hash}
	}
	if fp := corpus.FingerprintOf(all); fp == old.Fingerprint && len(old.Articles) == len(files) {
		return BuildResult{Articles: len(old.Articles), Sentences: old.Docs, Fingerprint: fp}, nil
	}

	next := manifest{Version: analysisVersion, Docs: old.Docs, Terms: old.Terms,
		Articles: make(map[corpus.ArticleID]*entry, len(files))}
	var todo []corpus.FolderFile
	var kept []corpus.IDHash
	for _, ff := range files {
		if e, ok := old.Articles[ff.ID]; ok && e.Hash == ff.Hash {
			next.Articles[ff.ID] = e
			kept = append(kept, corpus.IDHash{ID: ff.ID, Hash: ff.Hash})
		} else {
			todo = append(todo, ff)
		}
	}
	inFolder := make(map[corpus.ArticleID]bool, len(files))
	for _, ff := range files {
		inFolder[ff.ID] = true
	}
	removed, err := ix.deleteStale(old, &next, func(id corpus.ArticleID) bool { return inFolder[id] })
	if err != nil {
		return BuildResult{}, err
	}
	res.Removed = removed

	for start := 0; start < len(todo); start += buildChunk {
		chunk := todo[start:min(start+buildChunk, len(todo))]
		articles, problems, err := f.Load(ctx, chunk)
		if err != nil {
			return BuildResult{}, err
		}
		res.Problems = append(res.Problems, problems...)
		var progress func(int)
		if ix.progress != nil {
			progress = func(done int) { ix.progress(start+done, len(todo)) }
		}
		entries, err := ix.indexArticles(ctx, articles, old.Articles, progress)
		if err != nil {
			return BuildResult{}, err
		}
		for i, a := range articles {
			if _, ok := old.Articles[a.ID]; ok {
				res.Updated++
			} else {
				res.Added++
			}
			next.Articles[a.ID] = entries[i]
			next.Docs += sentencesIn(entries[i])
			next.Terms += entries[i].Terms
			kept = append(kept, corpus.IDHash{ID: a.ID, Hash: a.Hash})
		}
		if ix.progress != nil {
			ix.progress(start+len(chunk), len(todo))
		}
	}
	next.Fingerprint = corpus.FingerprintOf(kept)

	if err := ix.commit(ctx, old, next); err != nil {
		return BuildResult{}, err
	}
	ix.man = next
	res.Articles, res.Sentences, res.Fingerprint = len(next.Articles), next.Docs, next.Fingerprint
	if res.Changes != (Changes{}) {
		ix.log.Debug("index built", "added", res.Added, "updated", res.Updated, "removed", res.Removed, "sentences", next.Docs)
	}
	return res, nil
}
