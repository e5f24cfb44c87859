package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
)

// warnedFile is the file, in the data folder, that remembers the article
// files already warned about, so that a broken file is reported once per
// change of it rather than on every command.
const warnedFile = "warned-files.json"

// convertedKey prefixes an article id in the warned-files memory, for
// the notice that its file was converted.
const convertedKey = "converted "

// warnSkipped logs a warning for each article file that could not be
// loaded. Unless all is set, a file already warned about, unchanged since
// (same bytes, same sidecar, same reason), is logged at debug level only.
// What was warned about is remembered in the data folder; a file no
// longer broken is forgotten, so that breaking it again warns again.
// Failing to read or write that memory costs only repeated warnings.
//
// Articles read from a file that was not UTF-8 (converted from the
// encoding their Encoding names) are likewise logged once per change, at
// info level.
func warnSkipped(log *slog.Logger, corpusDir, dataDir string, problems []error, converted []*corpus.Article, all bool) {
	remember := func(key string) bool { return false }
	if converted == nil {
		// Not told about the articles (index): keep what was said of them.
		remember = func(key string) bool { return strings.HasPrefix(key, convertedKey) }
	}
	warnAbout(log, corpusDir, dataDir, warnings{problems: problems, converted: converted, all: all, kept: remember})
}

// warnSkippedOf is warnSkipped for a sync that looked at some files only:
// the article files paths, and the articles ids (read, or found gone).
// What was said of the other files and articles is kept.
func warnSkippedOf(log *slog.Logger, corpusDir, dataDir string, problems []error, converted []*corpus.Article, paths []string, ids []corpus.ArticleID) {
	looked := make(map[string]bool, len(paths)+len(ids))
	for _, p := range paths {
		looked[p] = true
	}
	for _, id := range ids {
		looked[convertedKey+string(id)] = true
	}
	warnAbout(log, corpusDir, dataDir, warnings{problems: problems, converted: converted,
		kept: func(key string) bool { return !looked[key] }})
}

// warnings are what a sync found to warn about.
type warnings struct {
	problems  []error
	converted []*corpus.Article
	all       bool                  // warn of every problem, said before or not
	kept      func(key string) bool // what was said that this sync did not look at
}

// warnAbout logs w and remembers it in the data folder (see warnSkipped).
func warnAbout(log *slog.Logger, corpusDir, dataDir string, w warnings) {
	path := filepath.Join(dataDir, warnedFile)
	before := map[string]string{}
	if raw, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(raw, &before); err != nil {
			log.Debug("forgetting a damaged list of warned article files", "path", path, "err", err)
			before = map[string]string{}
		}
	}
	now := make(map[string]string, len(w.problems))
	for k, v := range before {
		if w.kept(k) {
			now[k] = v
		}
	}
	for _, p := range w.problems {
		var fe *corpus.FileError
		if !errors.As(p, &fe) {
			log.Warn("skipped article file", "err", p)
			continue
		}
		sum := problemHash(corpusDir, fe)
		now[fe.Path] = sum
		if !w.all && before[fe.Path] == sum {
			log.Debug("skipped article file (warned before)", "err", p)
			continue
		}
		log.Warn("skipped article file", "err", p)
	}
	for _, a := range w.converted {
		if a.Encoding == "" {
			continue
		}
		key := convertedKey + string(a.ID)
		now[key] = a.Hash
		if before[key] != a.Hash {
			log.Info("article file is not UTF-8: read as "+a.Encoding+" and converted", "article", a.ID)
		}
	}
	if maps.Equal(before, now) {
		return
	}
	raw, err := json.MarshalIndent(now, "", "  ")
	if err == nil {
		err = writeFileAtomic(path, raw)
	}
	if err != nil {
		log.Debug("cannot remember the warned article files", "path", path, "err", err)
	}
}

// problemHash is a digest of a broken file's reason, bytes and sidecar:
// it changes when the file, its sidecar or what is wrong with it does.
func problemHash(corpusDir string, fe *corpus.FileError) string {
	h := sha256.New()
	io.WriteString(h, fe.Err.Error())
	file := filepath.Join(corpusDir, filepath.FromSlash(fe.Path))
	for _, p := range []string{file, strings.TrimSuffix(file, filepath.Ext(file)) + ".meta.json"} {
		h.Write([]byte{0})
		if f, err := os.Open(p); err == nil {
			io.Copy(h, io.LimitReader(f, corpus.MaxFileBytes+1))
			f.Close()
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// writeFileAtomic writes data to path through a temporary file renamed
// over it, so that a command run at the same time never reads half of it.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".warned-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
