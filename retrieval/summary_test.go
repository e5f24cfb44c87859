package retrieval

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestSummarizeSeedGolden pins the key sentences of the built-in article.
func TestSummarizeSeedGolden(t *testing.T) {
	an := newAnalyzer(t)
	a := seedCorpus(t).Articles()[0]
	var b strings.Builder
	for _, s := range Summarize(an, a, DefaultKeySentences) {
		fmt.Fprintf(&b, "%d.%d %s\n", s.Paragraph, s.Number, s.Text)
	}
	got := b.String()
	const path = "testdata/summary_seed.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("Summarize(seed) =\n%s\nwant\n%s", got, want)
	}
	for range 5 {
		var again strings.Builder
		for _, s := range Summarize(an, a, DefaultKeySentences) {
			fmt.Fprintf(&again, "%d.%d %s\n", s.Paragraph, s.Number, s.Text)
		}
		if again.String() != got {
			t.Fatalf("Summarize is not deterministic:\n%s\nvs\n%s", again.String(), got)
		}
	}
}

func TestSummarizeSmallAndEmpty(t *testing.T) {
	an := newAnalyzer(t)
	a := article(t, "x", "One short line here today.\nAnother one follows it now.")
	if got := Summarize(an, a, 3); len(got) != 2 {
		t.Errorf("Summarize(2 sentences, 3) = %d sentences; want both", len(got))
	}
	if got := Summarize(an, a, 0); got != nil {
		t.Errorf("Summarize(n=0) = %v; want nil", got)
	}
}

func TestSummarizeSkipsRepeats(t *testing.T) {
	an := newAnalyzer(t)
	a := article(t, "x", strings.Join([]string{
		"The council approved the new harbour tunnel budget on Monday evening.",
		"The council approved the new harbour tunnel budget on Monday night.",
		"Residents had campaigned against the tunnel for a decade.",
		"Work is due to begin in the spring, officials said.",
		"The mayor called the vote a turning point for the city.",
	}, "\n"))
	got := Summarize(an, a, 3)
	if len(got) != 3 {
		t.Fatalf("got %d sentences; want 3", len(got))
	}
	if got[0].Position == 1 && got[1].Position == 2 {
		t.Errorf("both near-identical lead sentences chosen: %q / %q", got[0].Text, got[1].Text)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Position < got[i-1].Position {
			t.Errorf("not in article order")
		}
	}
}
