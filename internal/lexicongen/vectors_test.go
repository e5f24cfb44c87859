package main

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteVectors checks the vectors file's layout (which
// retrieval/vectors.go reads): the header, the words in byte order, each
// vector scaled so that its largest component is ±127, and each
// vector's inverse length.
func TestWriteVectors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vectors.bin")
	words := []string{"trade", "commerce", "banana"}
	vecs := [][]float32{unit([]float64{3, 4}), unit([]float64{4, 3}), unit([]float64{0, -1})}
	if err := writeVectors(path, words, vecs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:4]) != "VBV1" || binary.LittleEndian.Uint32(b[4:]) != 3 || binary.LittleEndian.Uint32(b[8:]) != 2 {
		t.Fatalf("header % x; want VBV1, 3 words, 2 dimensions", b[:12])
	}
	p := 12
	for _, want := range []string{"banana", "commerce", "trade"} {
		n := int(b[p])
		if got := string(b[p+1 : p+1+n]); got != want {
			t.Fatalf("word %q; want %q (byte order)", got, want)
		}
		p += 1 + n
	}
	// banana (0, -127); commerce (127, 95); trade (95, 127).
	wantVecs := [][2]int8{{0, -127}, {127, 95}, {95, 127}}
	for i, w := range wantVecs {
		got := [2]int8{int8(b[p+2*i]), int8(b[p+2*i+1])}
		if got != w {
			t.Errorf("vector %d = %v; want %v", i, got, w)
		}
	}
	p += 6
	if len(b) != p+12 {
		t.Fatalf("%d bytes; want %d", len(b), p+12)
	}
	for i, w := range wantVecs {
		inv := math.Float32frombits(binary.LittleEndian.Uint32(b[p+4*i:]))
		want := 1 / math.Sqrt(float64(w[0])*float64(w[0])+float64(w[1])*float64(w[1]))
		if math.Abs(float64(inv)-want) > 1e-6 {
			t.Errorf("inverse length %d = %v; want %v", i, inv, want)
		}
	}
}
