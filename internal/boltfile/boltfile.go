// Package boltfile checks a bbolt file before bbolt opens it. bbolt
// trusts the file it maps: on one cut short (a crash of the machine
// mid-write, a full disk, a careless copy) it reads past the end of the
// mapping and the process dies of SIGBUS or SIGSEGV, which no recover can
// catch. The bot's state file and the index's root file (bleve keeps it
// in bbolt) are checked with [Check] first, so that such a file is
// treated as damaged instead.
package boltfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
)

// Check reads the two meta pages of a bbolt file, as bbolt lays them out
// (file format 2), and checks that the file holds every page the
// newest sound one counts. bbolt maps the file and reads its free list
// from that count: on a file cut short it reads past the end, and the
// process dies of SIGBUS, which no recover can catch. A missing or empty
// file, or one with no sound meta page, is left to bbolt, which refuses
// it cleanly (as is every file on a big-endian machine, where bbolt's
// pages are laid out the other way).
func Check(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return err
	}
	type meta struct{ pageSize, root, freelist, pages, txid uint64 }
	read := func(off int64) (meta, bool) {
		// A page header of 16 bytes, then the meta: magic, version, page
		// size and flags (4 bytes each); the root bucket (page, sequence),
		// the free list's page, the page count, the transaction id and an
		// FNV-64a checksum of all before it (8 bytes each).
		var b [16 + 64]byte
		if _, err := f.ReadAt(b[:], off); err != nil {
			return meta{}, false
		}
		m := b[16:]
		le := binary.LittleEndian
		if le.Uint32(m[0:]) != 0xED0CDAED || le.Uint32(m[4:]) != 2 {
			return meta{}, false
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != le.Uint64(m[56:]) {
			return meta{}, false
		}
		return meta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
			pages: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
	}
	m0, ok0 := read(0)
	pageSize := int64(os.Getpagesize())
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	m1, ok1 := read(pageSize)
	best, ok := m0, ok0
	if ok1 && (!ok0 || m1.txid > m0.txid) {
		best, ok = m1, true
	}
	if !ok {
		return nil
	}
	const noFreelist = ^uint64(0)
	switch {
	case best.pageSize < 1024 || best.pageSize > 1<<20:
		return fmt.Errorf("page size %d", best.pageSize)
	case best.pages > uint64(info.Size())/best.pageSize:
		return fmt.Errorf("cut short: %d bytes hold %d of its %d pages", info.Size(), uint64(info.Size())/best.pageSize, best.pages)
	case best.root >= best.pages || (best.freelist >= best.pages && best.freelist != noFreelist):
		return errors.New("meta page points past the end")
	}
	return nil
}
