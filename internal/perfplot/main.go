// Command perfplot draws the growth curve of docs/performance.md from Go
// benchmark output: processor time per new question (BenchmarkAsk and
// BenchmarkAskWarm, one asker) and the processor time of start-up to the
// first answer (BenchmarkReopen) against the number of articles, one line per engine, both axes
// logarithmic. It reads the benchmark output on standard input and writes
// an SVG on standard output:
//
//	go run ./internal/perfplot < bench.txt > docs/growth.svg
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "perfplot:", err)
		os.Exit(1)
	}
}
