package news

import (
	"strings"
	"unicode"
)

// Near-duplicate detection: each article's text becomes the set of its
// shingles (runs of shingleWords words, lower-cased), summarised by a
// MinHash signature of signatureSize minimums. The share of equal
// minimums of two signatures estimates the Jaccard similarity of the two
// shingle sets; at nearDuplicate or above, two texts are one story.
const (
	shingleWords  = 4
	signatureSize = 96
	nearDuplicate = 0.6
	// minShingles is the fewest shingles a text needs to be compared at
	// all: a few words in common say nothing.
	minShingles = 12
)

// signature is a MinHash signature; nil for a text too short to compare.
type signature []uint64

// textSignature returns the MinHash signature of the text, or nil when it
// has fewer than minShingles shingles.
func textSignature(text string) signature {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	n := len(words) - shingleWords + 1
	if n < minShingles {
		return nil
	}
	sig := make(signature, signatureSize)
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for i := range n {
		h := fnv1a(words[i : i+shingleWords])
		for j := range sig {
			if v := mix(h ^ salts[j]); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig
}

// similarity estimates the Jaccard similarity of the shingle sets behind
// two signatures: 0 when either is nil.
func similarity(a, b signature) float64 {
	if len(a) != signatureSize || len(b) != signatureSize {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / signatureSize
}

func fnv1a(words []string) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			h ^= uint64(w[i])
			h *= 1099511628211
		}
		h ^= ' '
		h *= 1099511628211
	}
	return h
}

// mix is the splitmix64 finaliser: a fast, well-spread 64-bit hash.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// salts make signatureSize different hash functions out of one. They are
// fixed, not random, so that signatures recomputed from the article files
// in another run of the process agree.
var salts = func() [signatureSize]uint64 {
	var s [signatureSize]uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return s
}()
