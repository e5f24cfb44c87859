// Command ablation prints the ablation table of docs/quality.md: the
// answer-selection figures (TrecQA dev and train, the tuning half of the
// summaries, answer triggering included) and the corpus QA figures (the
// seed article's dev questions and both paraphrase sets, of the second its
// tuning half, and the tuning half of the news paraphrase set) with
// every ranking feature on, with each feature turned off in turn, and for
// plain BM25. The answerability model and its threshold stay those fitted
// for all features on.
//
// Run it from the repository root:
//
//	go run ./internal/ablation
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func main() {
	dir := flag.String("dir", filepath.Join("retrieval", "testdata", "eval"), "folder of the evaluation files")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "ablation:", err)
		os.Exit(1)
	}
}

// row is one configuration of the ranking.
type row struct {
	name     string
	features retrieval.Feature
	plain    bool
}

func run(ctx context.Context, w io.Writer, dir string) error {
	read := func(name string) (*retrieval.EvalSet, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return retrieval.ReadEvalSet(f)
	}
	dev, err := read("trecqa-dev.jsonl")
	if err != nil {
		return err
	}
	train, err := read("trecqa-train.jsonl")
	if err != nil {
		return err
	}
	seed, err := read("seed-questions.dev.jsonl")
	if err != nil {
		return err
	}
	para, err := read("seed-questions.paraphrase.jsonl")
	if err != nil {
		return err
	}
	para2, err := read("seed-paraphrase2.tune.jsonl")
	if err != nil {
		return err
	}
	summaries, err := read("summaries.tune.jsonl")
	if err != nil {
		return err
	}
	an, err := retrieval.NewAnalyzer()
	if err != nil {
		return err
	}
	c, err := corpus.Default()
	if err != nil {
		return err
	}

	rows := []row{{name: "all features", features: retrieval.AllFeatures}}
	for _, n := range retrieval.FeatureNames() {
		f, _ := retrieval.FeatureNamed(n)
		rows = append(rows, row{name: "without " + n, features: retrieval.AllFeatures &^ f})
	}
	rows = append(rows, row{name: "plain BM25", plain: true})

	news, problems, err := corpus.LoadDir(ctx, filepath.Join(dir, "news"))
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("news articles: %v", problems)
	}
	newsQs, err := read("news-paraphrase.tune.jsonl")
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "| ranking | dev MAP | dev MRR | dev trig F1 | train MAP | train trig F1 | summ MAP | summ trig F1 | seed acc | para p@1 | para acc | para2 p@1 | para2 acc | news p@1 | news MRR | news acc |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		d := retrieval.EvaluateSelection(an, dev.Selection, r.features, r.plain)
		t := retrieval.EvaluateSelection(an, train.Selection, r.features, r.plain)
		sm := retrieval.EvaluateSelection(an, summaries.Selection, r.features, r.plain)
		qa := func(c *corpus.Corpus, items ...[]retrieval.QAItem) ([]retrieval.Metrics, error) {
			ix, err := retrieval.OpenMemory(ctx, c, retrieval.Options{Features: r.features, PlainBM25: r.plain})
			if err != nil {
				return nil, err
			}
			defer ix.Close()
			var out []retrieval.Metrics
			for _, set := range items {
				m, err := ix.EvaluateQA(ctx, set, r.plain)
				if err != nil {
					return nil, err
				}
				out = append(out, m)
			}
			return out, nil
		}
		s, err := qa(c, seed.QA, para.QA, para2.QA)
		if err != nil {
			return err
		}
		n, err := qa(news, newsQs.QA)
		if err != nil {
			return err
		}
		cells := []string{r.name,
			f(d.MAP), f(d.MRR), f(d.TriggerF1), f(t.MAP), f(t.TriggerF1), f(sm.MAP), f(sm.TriggerF1),
			f(s[0].Accuracy), f(s[1].PAt1), f(s[1].Accuracy), f(s[2].PAt1), f(s[2].Accuracy),
			f(n[0].PAt1), f(n[0].MRR), f(n[0].Accuracy)}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	return nil
}

func f(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.4f", *v)
}
