package corpus

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// IDHash is an article's id and hash, what a corpus fingerprint is made of.
type IDHash struct {
	ID   ArticleID
	Hash string
}

// FingerprintOf returns the fingerprint of a corpus of the articles with
// these ids and hashes, in any order: what its Corpus.Fingerprint would
// return.
func FingerprintOf(articles []IDHash) string {
	var s FingerprintSum
	for _, a := range articles {
		s.Add(a.ID, a.Hash)
	}
	return s.String()
}

// FingerprintSum is a corpus fingerprint kept as articles come and go:
// the sum, modulo 2^256, of a SHA-256 digest of each article's id and
// hash. The sum does not depend on the articles' order, and adding or
// removing an article changes it by one digest, so that an index of
// 100,000 articles that gains one need not digest the others again. It
// tells corpora apart for keeping an index up to date, not against
// someone who crafts articles to collide. The zero value is the empty
// corpus's.
type FingerprintSum [4]uint64

// Add adds the article id, of content hash, to the sum.
func (s *FingerprintSum) Add(id ArticleID, hash string) {
	d := articleDigest(id, hash)
	var carry uint64
	for i := range s {
		s[i], carry = bits.Add64(s[i], d[i], carry)
	}
}

// Remove takes the article id, of content hash, out of the sum; it must
// have been added.
func (s *FingerprintSum) Remove(id ArticleID, hash string) {
	d := articleDigest(id, hash)
	var borrow uint64
	for i := range s {
		s[i], borrow = bits.Sub64(s[i], d[i], borrow)
	}
}

// String returns the fingerprint: 32 hex digits of a digest of the parser
// version and the sum. Two corpora with the same fingerprint index
// identically.
func (s FingerprintSum) String() string {
	h := sha256.New()
	h.Write([]byte(parseVersion))
	h.Write([]byte{0})
	h.Write(s.bytes())
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MarshalText writes the sum itself, 64 hex digits, for an index to keep.
func (s FingerprintSum) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(s.bytes())), nil
}

// UnmarshalText reads a sum written by MarshalText.
func (s *FingerprintSum) UnmarshalText(text []byte) error {
	var b [32]byte
	if len(text) != 2*len(b) {
		return fmt.Errorf("fingerprint sum %q: want 64 hex digits", text)
	}
	if _, err := hex.Decode(b[:], text); err != nil {
		return fmt.Errorf("fingerprint sum %q: want 64 hex digits", text)
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return nil
}

func (s FingerprintSum) bytes() []byte {
	b := make([]byte, 0, 32)
	for _, v := range s {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

// articleDigest is the digest of an article's id and hash that the sum
// adds, as four little-endian words.
func articleDigest(id ArticleID, hash string) [4]uint64 {
	h := sha256.New()
	h.Write([]byte(id))
	h.Write([]byte{0})
	h.Write([]byte(hash))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	var d [4]uint64
	for i := range d {
		d[i] = binary.LittleEndian.Uint64(sum[8*i:])
	}
	return d
}
