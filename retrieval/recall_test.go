package retrieval

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/gen"
)

// plantedSentences are planted, one to an article, among generated
// articles: each holds every content word of its question (or a bridge
// of it), and must be a candidate however large the corpus.
var planted = []struct {
	question string
	sentence string
	copies   int // articles that carry the sentence
}{
	{"When was the historic museum approved?", "The historic museum was approved on 12 May 2019 after a long campaign.", 5},
	{"When was the museum approved?", "The historic museum was approved on 12 May 2019 after a long campaign.", 5},
	{"Who said the airport would cost 12 million euro?", `"The airport would cost 12 million euro," said Marta Quinlan.`, 1},
	{"What did the minister say about the new time of the meeting?", "The minister said the new time of the meeting was not yet known.", 1},
	{"Which company bought the brewery?", "The brewery was bought by a company from Cork in 2004.", 2},
}

// plantedDistractors crowd the planted sentences' words, so that a search
// that ranks by a term's frequency alone finds them first.
var plantedDistractors = []string{
	"Residents of the museum district said they were worried about the museum.",
	"The museum, the museum shop and the museum cafe were closed.",
	"The airport, the airport said, is an airport.",
	"The minister said the minister would meet the minister.",
	"Time and time again, the meeting was new.",
	"The brewery said the brewery was a brewery.",
}

// recallCorpus is n generated articles (articles 0 to n-1 of the bench
// generator, mixed with TrecQA sentences) and the planted articles, each
// planted sentence amid generated text, and the distractors many times.
func recallCorpus(tb testing.TB, n int) *corpus.Corpus {
	tb.Helper()
	texts := recallTexts(tb, n)
	var arts []*corpus.Article
	for _, id := range slices.Sorted(maps.Keys(texts)) {
		arts = append(arts, article(tb, id, texts[id]))
	}
	return corpus.New(arts...)
}

// recallTexts are the article files of recallCorpus, by id.
func recallTexts(tb testing.TB, n int) map[string]string {
	tb.Helper()
	real, err := realSentences()
	if err != nil {
		tb.Fatal(err)
	}
	g := gen.New(benchSeed, real)
	texts := map[string]string{}
	for i := range n {
		texts[gen.ID(i)] = string(g.Article(i))
	}
	filler := func(i int) string {
		body := string(g.Article(n + i))
		_, body, _ = strings.Cut(body, "\n\n") // drop the header
		return strings.TrimSpace(body)
	}
	k := 0
	seen := map[string]bool{}
	for _, p := range planted {
		if seen[p.sentence] {
			continue
		}
		seen[p.sentence] = true
		for range p.copies {
			texts[fmt.Sprintf("planted-%03d", k)] = "Title: Planted " + strconv.Itoa(k) + "\n\n" + filler(k) + "\n\n" + p.sentence + "\n\n" + filler(k+1000)
			k++
		}
	}
	// From 1,000 articles, the distractors also make "approved" a common
	// term (in more than commonMin sentences).
	d := max(40, n/4)
	for i := range d {
		paras := slices.Clone(plantedDistractors)
		if n >= 1000 {
			for j := range 1 + 1100/d {
				paras = append(paras, fmt.Sprintf("The plan for block %d was approved by the board.", i*31+j))
			}
		}
		texts[fmt.Sprintf("distract-%04d", i)] = "Title: Distractors " + strconv.Itoa(i) + "\n\n" + strings.Join(paras, "\n\n")
	}
	return texts
}

// recallSizes are the corpus sizes TestRecallPlanted runs at; more can be
// named in VERBATIM_RECALL_ARTICLES (comma-separated) to measure by hand.
func recallSizes(tb testing.TB) []int {
	spec := os.Getenv("VERBATIM_RECALL_ARTICLES")
	if spec == "" {
		return []int{1, 1000}
	}
	var out []int
	for f := range strings.SplitSeq(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("VERBATIM_RECALL_ARTICLES=%q: want sizes such as 1,1000", spec)
		}
		out = append(out, n)
	}
	return out
}

// TestRecallPlanted checks that a sentence holding every content word of
// the question is found as a candidate, whatever the size of the corpus
// and however many sentences repeat some of those words.
func TestRecallPlanted(t *testing.T) {
	for _, n := range recallSizes(t) {
		t.Run(fmt.Sprintf("articles=%d", n), func(t *testing.T) {
			start := time.Now()
			c := recallCorpus(t, n)
			ix := memIndex(t, c, Options{})
			t.Logf("%d articles, %d sentences indexed in %v", c.Len(), ix.man.Docs, time.Since(start))
			all := checkPlanted(t, ix)
			// With no budget to speak of, only each question's smallest
			// group finds sentences (findingGroups): a sentence that holds
			// every group is found all the same.
			budget := findBudget
			defer func() { findBudget = budget }()
			findBudget = 1
			smallest := checkPlanted(t, ix)
			fewer := false
			for i := range smallest {
				fewer = fewer || smallest[i] < all[i]
			}
			if !fewer {
				t.Errorf("candidates %v with the smallest group alone finding, %v with every group; want fewer for some question", smallest, all)
			}
		})
	}
}

// checkPlanted checks that each planted sentence is a candidate and the
// first quote for its question, and returns each question's number of
// candidates.
func checkPlanted(t *testing.T, ix *Index) []int {
	t.Helper()
	ctx := context.Background()
	var counts []int
	for _, p := range planted {
		start := time.Now()
		_, cands, mem, err := ix.query(ctx, ix.an.Question(p.question), "")
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(cands))
		if !slices.ContainsFunc(cands, func(k *candidate) bool { return k.s.Text == p.sentence }) {
			t.Errorf("%q: %q is not among the %d candidates", p.question, p.sentence, len(cands))
		}
		mem.release()
		ans, err := ix.Ask(ctx, Query{Text: p.question})
		if err != nil {
			t.Fatal(err)
		}
		if ans.NoAnswer || ans.Quotes[0].Text != p.sentence {
			got := ""
			if len(ans.Quotes) > 0 {
				got = ans.Quotes[0].Text
			}
			t.Errorf("%q: first quote %q; want %q", p.question, got, p.sentence)
		}
		t.Logf("%q: %d candidates in %v", p.question, len(cands), time.Since(start))
	}
	return counts
}
