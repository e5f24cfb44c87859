package retrieval

import (
	"context"
	"encoding/json"
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
	b := ix.bi.NewBatch()
	for id, e := range old.Articles {
		if next.Articles[id] != nil {
			continue
		}
		if !inFolder[id] {
			res.Removed++
		}
		for p, n := range e.Paragraphs {
			for s := 1; s <= n; s++ {
				b.Delete(docID(corpus.Ref{Article: id, Paragraph: p + 1, Sentence: s}))
			}
		}
		next.Docs -= sentencesIn(e)
		next.Terms -= e.Terms
	}
	if b.Size() > 0 {
		if err := ix.bi.Batch(b); err != nil {
			return BuildResult{}, fmt.Errorf("index batch: %w", err)
		}
	}

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

	if next.Docs-old.Docs >= mergeAfterDocs {
		if err := ix.merge(ctx); err != nil {
			return BuildResult{}, err
		}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return BuildResult{}, fmt.Errorf("write manifest: %w", err)
	}
	b = ix.bi.NewBatch()
	b.SetInternal(manifestKey, raw)
	if err := ix.bi.Batch(b); err != nil {
		return BuildResult{}, fmt.Errorf("index batch: %w", err)
	}
	ix.man = next
	res.Articles, res.Sentences, res.Fingerprint = len(next.Articles), next.Docs, next.Fingerprint
	if res.Changes != (Changes{}) {
		ix.log.Debug("index built", "added", res.Added, "updated", res.Updated, "removed", res.Removed, "sentences", next.Docs)
	}
	return res, nil
}
