package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// syntheticArticle returns a .txt article of n paragraphs of news-like
// sentences, with a header block and an agency credit.
func syntheticArticle(n int, seed int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Title: Synthetic article %d\nSource: The Test Times\nPublished: 2007-03-%02d\n\n", seed, 1+seed%28)
	for i := range n {
		fmt.Fprintf(&b, "Mr. Smith, the U.S. envoy, said on Jan. %d that talks with officials in Baghdad had gone well, "+
			"adding: \"We will meet again at 3 p.m. Monday.\" ", 1+i%28)
		fmt.Fprintf(&b, "Prices rose %d.%d%% to $%d.5 billion - the highest since 1979. ", i%10, seed%10, 10+i)
		b.WriteString("Officials, however, say they want the next meeting to take place in Istanbul.\n")
	}
	b.WriteString("PA\n")
	return b.String()
}

func BenchmarkParse(b *testing.B) {
	seed, err := seedFS.ReadFile("seed/" + seedID + ".txt")
	if err != nil {
		b.Fatal(err)
	}
	side, err := seedFS.ReadFile("seed/" + seedID + ".meta.json")
	if err != nil {
		b.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join("testdata", "formats", "front.md"))
	if err != nil {
		b.Fatal(err)
	}
	inputs := []struct {
		name          string
		format        Format
		data, sidecar []byte
	}{
		{"seed", FormatText, seed, side},
		{"synthetic-30", FormatText, []byte(syntheticArticle(30, 1)), nil},
		{"markdown", FormatMarkdown, md, nil},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				if _, err := Parse("bench", in.format, in.data, in.sidecar); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSplitSentences(b *testing.B) {
	para := "Mr. Smith, the U.S. envoy, said on Jan. 5 that talks had gone well. \"We will meet again at 3 p.m. Monday,\" he said. Prices rose 2.5% to $3.5 billion."
	b.ReportAllocs()
	for b.Loop() {
		SplitSentences(para)
	}
}

func BenchmarkLoadDir(b *testing.B) {
	dir := b.TempDir()
	files := make(map[string]string, 200)
	for i := range 200 {
		sub := fmt.Sprintf("batch%d", i%4)
		switch i % 4 {
		case 0, 1:
			files[fmt.Sprintf("%s/%03d.txt", sub, i)] = syntheticArticle(10+i%20, i)
		case 2:
			body := strings.SplitN(syntheticArticle(10+i%20, i), "\n\n", 2)[1]
			files[fmt.Sprintf("%s/%03d.md", sub, i)] = fmt.Sprintf("---\ntitle: Article %d\ndate: 2007-03-10\n---\n%s", i, body)
		case 3:
			body := strings.SplitN(syntheticArticle(10+i%20, i), "\n\n", 2)[1]
			files[fmt.Sprintf("%s/%03d.json", sub, i)] = fmt.Sprintf(`{"title": "Article %d", "body": %q}`, i, body)
		}
	}
	writeFiles(b, dir, files)
	b.ReportAllocs()
	for b.Loop() {
		c, problems, err := LoadDir(context.Background(), dir)
		if err != nil || len(problems) > 0 || c.Len() != 200 {
			b.Fatalf("LoadDir = %d articles, %v, %v; want 200", c.Len(), problems, err)
		}
	}
}

// BenchmarkRelistOneFile times what a followed folder of 10,000 article
// files costs when one file appears: relisting that path in the listing
// kept since start. kept-B/file is the heap the kept listing holds a
// file, once relisted.
func BenchmarkRelistOneFile(b *testing.B) {
	dir := b.TempDir()
	const n = 10000
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf("sub%02d", i%20), fmt.Sprintf("article-%05d.txt", i))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("Title: A\n\nIt rained.\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f, _, err := ListFolder(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, _, err := f.Relist(ctx, 0, []string{"none.txt"}); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	i := 0
	for b.Loop() {
		b.StopTimer()
		name := fmt.Sprintf("new-%06d.txt", i)
		i++
		if err := os.WriteFile(filepath.Join(dir, name), []byte("Title: New\n\nIt snowed.\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ids, _, err := f.Relist(ctx, 0, []string{name})
		if err != nil || len(ids) != 1 {
			b.Fatalf("Relist = %v, %v; want the new article", ids, err)
		}
	}
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/n, "kept-B/file")
}
