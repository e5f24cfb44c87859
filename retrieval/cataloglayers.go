package retrieval

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/verbatim-bot/verbatim/internal/boltfile"
)

// catalogBaseFile is, in an index folder that has one, a catalogue of an
// earlier state of the index that is never written: the folder's own
// catalogue (catalogFile) holds only what changed since, over it. A
// shared index's versions are made this way (see BuildShared), so that
// publishing a version after one new article writes that article's keys,
// not a copy of every article's: the base is the earlier version's file,
// hard-linked.
const catalogBaseFile = "catalog-base.bolt"

// removed is the value under a key of the top layer whose key the base
// holds and the index no longer does. No entry or term set is one byte
// long, nor starts with 0 (each starts with its version).
var removed = []byte{0}

// catalog is an index's catalogue: one bbolt file (top), or top over a
// base that it changes (see catalogBaseFile): a key top holds replaces
// the base's, and top's removed marks a key gone. Writes go to top only.
type catalog struct {
	top  *bolt.DB
	base *bolt.DB // nil without a base
}

// openCatalogLayers opens the catalogue of the index folder path: its
// file and, when the folder has one, its base, read-only. Each is checked
// first (see boltfile).
func openCatalogLayers(path string, timeout time.Duration, readOnly bool) (*catalog, error) {
	top, err := openCatalog(path, timeout, readOnly)
	if err != nil {
		return nil, err
	}
	cat := &catalog{top: top}
	file := filepath.Join(path, catalogBaseFile)
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return cat, nil
	}
	if err := boltfile.Check(file); err != nil {
		top.Close()
		return nil, fmt.Errorf("index catalogue base: %w", err)
	}
	if cat.base, err = bolt.Open(file, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: true}); err != nil {
		top.Close()
		return nil, fmt.Errorf("index catalogue base: %w", err)
	}
	return cat, nil
}

// close closes both layers.
func (c *catalog) close() error {
	err := c.top.Close()
	if c.base != nil {
		err = errors.Join(err, c.base.Close())
	}
	return err
}

// view calls fn with a read transaction of each layer.
func (c *catalog) view(fn func(v catView) error) error {
	return c.top.View(func(top *bolt.Tx) error {
		if c.base == nil {
			return fn(catView{top: top})
		}
		return c.base.View(func(base *bolt.Tx) error {
			return fn(catView{top: top, base: base})
		})
	})
}

// update calls fn in a write transaction of the top layer, and tells it
// whether a base is under it: then a key is removed by putting removed.
func (c *catalog) update(fn func(tx *bolt.Tx, layered bool) error) error {
	return c.top.Update(func(tx *bolt.Tx) error { return fn(tx, c.base != nil) })
}

// catView reads the catalogue's layers in one transaction each. Values
// are valid in the transactions only.
type catView struct {
	top, base *bolt.Tx
}

func bucketOf(tx *bolt.Tx, name []byte) *bolt.Bucket {
	if tx == nil {
		return nil
	}
	return tx.Bucket(name)
}

// get returns the value of key in bucket, nil when the catalogue does
// not hold it.
func (v catView) get(bucket, key []byte) []byte {
	if b := bucketOf(v.top, bucket); b != nil {
		if val := b.Get(key); val != nil {
			if bytes.Equal(val, removed) {
				return nil
			}
			return val
		}
	}
	if b := bucketOf(v.base, bucket); b != nil {
		return b.Get(key)
	}
	return nil
}

// errStop stops forEach early without an error.
var errStop = errors.New("stop")

// forEach calls fn with each key of bucket and its value in key order,
// the layers merged, until fn returns an error: errStop ends the walk
// with none.
func (v catView) forEach(bucket []byte, fn func(k, val []byte) error) error {
	var tc, bc *bolt.Cursor
	if b := bucketOf(v.top, bucket); b != nil {
		tc = b.Cursor()
	}
	if b := bucketOf(v.base, bucket); b != nil {
		bc = b.Cursor()
	}
	first := func(c *bolt.Cursor) ([]byte, []byte) {
		if c == nil {
			return nil, nil
		}
		return c.First()
	}
	tk, tv := first(tc)
	bk, bv := first(bc)
	for tk != nil || bk != nil {
		var k, val []byte
		switch cmp := compareKeys(tk, bk); {
		case cmp < 0:
			k, val = tk, tv
			tk, tv = tc.Next()
		case cmp > 0:
			k, val = bk, bv
			bk, bv = bc.Next()
		default: // top replaces the base
			k, val = tk, tv
			tk, tv = tc.Next()
			bk, bv = bc.Next()
		}
		if bytes.Equal(val, removed) {
			continue
		}
		if err := fn(k, val); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// compareKeys orders keys, nil (a cursor at its end) after every other.
func compareKeys(a, b []byte) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return bytes.Compare(a, b)
}

// seeker returns a reader of bucket's values by key, for keys asked in
// increasing order: each layer's cursor moves forward only.
func (v catView) seeker(bucket []byte) catSeeker {
	var s catSeeker
	if b := bucketOf(v.top, bucket); b != nil {
		s.top = b.Cursor()
	}
	if b := bucketOf(v.base, bucket); b != nil {
		s.base = b.Cursor()
	}
	return s
}

// catSeeker reads values by key from the catalogue's layers; see seeker.
type catSeeker struct {
	top, base *bolt.Cursor
}

// get returns the value of key, nil when the catalogue does not hold it.
func (s catSeeker) get(key []byte) []byte {
	if s.top != nil {
		if k, val := s.top.Seek(key); val != nil && bytes.Equal(k, key) {
			if bytes.Equal(val, removed) {
				return nil
			}
			return val
		}
	}
	if s.base != nil {
		if k, val := s.base.Seek(key); val != nil && bytes.Equal(k, key) {
			return val
		}
	}
	return nil
}

// compactCatalog writes the catalogue of the index folder src, its
// layers merged, as the catalogue of the index folder dst (which has no
// base), in key order and packed full.
func compactCatalog(src, dst string) (err error) {
	from, err := openCatalogLayers(src, time.Second, true)
	if err != nil {
		return err
	}
	defer from.close()
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	to, err := bolt.Open(filepath.Join(dst, catalogFile), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("index catalogue: %w", err)
	}
	defer func() {
		if cerr := to.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	return from.view(func(v catView) error {
		for _, name := range [][]byte{catalogMeta, catalogArticles, catalogTerms} {
			// A bbolt transaction holds what it writes in memory until
			// it commits: the merge is written in parts.
			var keys, vals [][]byte
			flush := func() error {
				err := to.Update(func(tx *bolt.Tx) error {
					b, err := tx.CreateBucketIfNotExists(name)
					if err != nil {
						return err
					}
					b.FillPercent = 1 // keys come in order: pages packed full
					for i := range keys {
						if err := b.Put(keys[i], vals[i]); err != nil {
							return err
						}
					}
					return nil
				})
				keys, vals = keys[:0], vals[:0]
				return err
			}
			size := 0
			err := v.forEach(name, func(k, val []byte) error {
				keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(val))
				if size += len(k) + len(val); size < 64<<20 {
					return nil
				}
				size = 0
				return flush()
			})
			if err == nil {
				err = flush()
			}
			if err != nil {
				return fmt.Errorf("compact the index catalogue: %w", err)
			}
		}
		return nil
	})
}
