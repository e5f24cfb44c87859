package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"slices"
)

// writeVectors writes the common words' vectors (the words the "e" lines
// relate, see similar) to path, for the ranking's soft match of a
// question's words that a sentence says otherwise ("crowd" and
// "supporters"). The format, little-endian, is read by retrieval/vectors.go:
//
//	"VBV1", uint32 count, uint32 dimensions
//	the words in byte order, each a uint8 length and its bytes
//	each word's vector, in the same order: dimensions int8s, the unit
//	vector scaled so that its largest component is ±127
//	each word's vector's inverse length (float32), so that a cosine is
//	a dot product of two int8 vectors times the two inverses
//
// 30,000 words of 100 dimensions take about 3.4 MB.
func writeVectors(path string, words []string, vecs [][]float32) error {
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpString(words[a], words[b]) })
	dims := 0
	if len(vecs) > 0 {
		dims = len(vecs[0])
	}
	var b bytes.Buffer
	b.WriteString("VBV1")
	binary.Write(&b, binary.LittleEndian, uint32(len(words)))
	binary.Write(&b, binary.LittleEndian, uint32(dims))
	for _, i := range order {
		if len(words[i]) > 255 {
			return fmt.Errorf("vectors: word %q too long", words[i])
		}
		b.WriteByte(byte(len(words[i])))
		b.WriteString(words[i])
	}
	inv := make([]float32, 0, len(order))
	q := make([]byte, dims)
	for _, i := range order {
		v := vecs[i]
		var top float64
		for _, x := range v {
			top = max(top, math.Abs(float64(x)))
		}
		var n float64
		for k, x := range v {
			c := 0.0
			if top > 0 {
				c = math.Round(float64(x) * 127 / top)
			}
			q[k] = byte(int8(c))
			n += c * c
		}
		b.Write(q)
		if n > 0 {
			inv = append(inv, float32(1/math.Sqrt(n)))
		} else {
			inv = append(inv, 0)
		}
	}
	binary.Write(&b, binary.LittleEndian, inv)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("vectors: %w", err)
	}
	return nil
}

// cmpString orders strings byte by byte.
func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
