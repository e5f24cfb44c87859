package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestParse(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := parse(f)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]series{
		{
			{"fts5, new question", []point{{1, 0.2282}, {1000, 1.867}}},
			{"verbatim, asked again", []point{{1, 0.06347}, {1000, 1.365}}},
			{"verbatim, new question", []point{{1, 0.2162}, {1000, 3.283}}},
		},
		{
			{"fts5", []point{{1, 2.446}, {1000, 2.446}}},
			{"verbatim", []point{{1, 2.020}, {1000, 2.020}}},
		},
	}
	if len(data) != len(want) {
		t.Fatalf("parse: %d panels; want %d", len(data), len(want))
	}
	for i := range want {
		if len(data[i]) != len(want[i]) {
			t.Fatalf("panel %d: %+v; want %+v", i, data[i], want[i])
		}
		for j, s := range want[i] {
			got := data[i][j]
			if got.name != s.name || len(got.points) != len(s.points) {
				t.Fatalf("panel %d series %d = %+v; want %+v", i, j, got, s)
			}
			for k, p := range s.points {
				if g := got.points[k]; g.articles != p.articles || g.value < p.value*0.999 || g.value > p.value*1.001 {
					t.Errorf("panel %d %s point %d = %+v; want %+v", i, s.name, k, g, p)
				}
			}
		}
	}
}

func TestRunGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "growth.svg.golden")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if out.String() != string(want) {
		t.Errorf("SVG differs from %s (run go test -update after checking it)", path)
	}
}

func TestRunRejectsInputWithoutResults(t *testing.T) {
	for _, in := range []string{"", "goos: linux\nPASS\n", "BenchmarkBuild/articles=1/engine=verbatim-2 1 5 ns/op\n"} {
		var out bytes.Buffer
		if err := run(strings.NewReader(in), &out); err == nil || out.Len() != 0 {
			t.Errorf("run(%q) = %v, %d bytes; want an error and no SVG", in, err, out.Len())
		}
	}
}
