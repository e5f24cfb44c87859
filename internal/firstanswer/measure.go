package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/verbatim-bot/verbatim/internal/procstatus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// startMeasure is what one start measured.
type startMeasure struct {
	open, ask time.Duration
	// rssBefore and rssAfter are the resident memory in KB before and
	// after the question; -1 where the system does not say.
	rssBefore, rssAfter int
	quotes              int
	noAnswer            bool
}

// measure opens the index in data as a bot does and asks it question.
func measure(ctx context.Context, data, question string) (startMeasure, error) {
	var m startMeasure
	if fi, err := os.Stat(data); err != nil || !fi.IsDir() {
		return m, fmt.Errorf("%s: no data folder there", data)
	}
	t0 := time.Now()
	ix, err := retrieval.OpenAsIs(data, retrieval.Options{})
	if err != nil {
		return m, fmt.Errorf("open %s: %w", data, err)
	}
	defer ix.Close()
	t1 := time.Now()
	m.rssBefore = residentKB()
	a, err := ix.Ask(ctx, retrieval.Query{Text: question, Top: 3})
	if err != nil {
		return m, fmt.Errorf("ask: %w", err)
	}
	m.open, m.ask = t1.Sub(t0), time.Since(t1)
	m.rssAfter = residentKB()
	m.quotes, m.noAnswer = len(a.Quotes), a.NoAnswer
	// Counted after the question, so as not to weigh on the start.
	if n, _ := ix.Size(); n == 0 {
		return m, fmt.Errorf("%s: the index holds no article", data)
	}
	return m, nil
}

// String is the measure as one line: the times in milliseconds, the
// memory in KB.
func (m startMeasure) String() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	return fmt.Sprintf("open-ms %s ask-ms %s total-ms %s rss-before-kb %d rss-after-kb %d quotes %d no-answer %t",
		ms(m.open), ms(m.ask), ms(m.open+m.ask), m.rssBefore, m.rssAfter, m.quotes, m.noAnswer)
}

// residentKB is the process's resident memory in KB, or -1 where the
// system does not say.
func residentKB() int {
	if kb, ok := procstatus.KB("VmRSS"); ok {
		return kb
	}
	return -1
}
