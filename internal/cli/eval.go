package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/verbatim-bot/verbatim/retrieval"
)

func runEval(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "eval", "[--json] [--baseline] [--without FEATURES] FILE.jsonl",
		`Measures answer quality on an evaluation file in JSON Lines. Corpus QA
lines {"question", "expect": [...]} are asked of the corpus and scored by
p_at_1, mrr, no_answer_accuracy and false_no_answer_rate; answer-selection
lines {"question", "candidates": [{"text", "label"}]} are ranked and scored
by map, mrr and p_at_1 (TrecQA protocol). --baseline adds the same figures
for plain BM25 in the same run.`).withCorpus()
	asJSON := f.Bool("json", false, "print the metrics as JSON")
	baseline := f.Bool("baseline", false, "also score plain BM25 (k1 1.2, b 0.75) on the same file")
	without := f.String("without", "", wrap("ranking `features` to turn off, comma-separated: "+strings.Join(retrieval.FeatureNames(), ", ")+`; "all" for every one`, usageWidth))
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usagef("eval needs one evaluation file, e.g. verbatim eval questions.jsonl")
	}
	features := retrieval.AllFeatures
	if *without != "" {
		for _, name := range strings.Split(*without, ",") {
			name = strings.TrimSpace(name)
			if name == "all" {
				features = 0
				continue
			}
			ft, ok := retrieval.FeatureNamed(name)
			if !ok {
				return usagef("--without: no feature %q (have %s)", name, strings.Join(retrieval.FeatureNames(), ", "))
			}
			features &^= ft
		}
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	file, err := os.Open(f.Arg(0))
	if err != nil {
		return err
	}
	defer file.Close()
	set, err := retrieval.ReadEvalSet(file)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Arg(0), err)
	}

	var m, base retrieval.Metrics
	switch set.Kind {
	case retrieval.EvalSelection:
		an, err := retrieval.NewAnalyzer()
		if err != nil {
			return err
		}
		m = retrieval.EvaluateSelection(an, set.Selection, features, false)
		if *baseline {
			base = retrieval.EvaluateSelection(an, set.Selection, features, true)
		}
	case retrieval.EvalCorpusQA:
		log := newLogger(env.Stderr, cfg.LogLevel)
		c, err := loadCorpus(ctx, cfg, log)
		if err != nil {
			return err
		}
		// An index of its own in memory: evaluation must not depend on,
		// or wait for, the data folder.
		opts := retrieval.Options{Logger: log, Features: features, PlainBM25: features == 0}
		ix, err := retrieval.OpenMemory(ctx, c, opts)
		if err != nil {
			return err
		}
		defer ix.Close()
		if m, err = ix.EvaluateQA(ctx, set.QA, false); err != nil {
			return err
		}
		if *baseline {
			if base, err = ix.EvaluateQA(ctx, set.QA, true); err != nil {
				return err
			}
		}
	}
	if *asJSON {
		var b *retrieval.Metrics
		if *baseline {
			b = &base
		}
		return writeJSON(env.Stdout, metricsJSON(set.Kind, m, b))
	}
	writeMetrics(env.Stdout, set.Kind, m, base, *baseline)
	return nil
}

func writeMetrics(w io.Writer, kind retrieval.EvalKind, m, base retrieval.Metrics, withBase bool) {
	row := func(name, v, b string) {
		if withBase {
			fmt.Fprintf(w, "%-22s %9s %9s\n", name, v, b)
		} else {
			fmt.Fprintf(w, "%-22s %9s\n", name, v)
		}
	}
	row("metric", "verbatim", "bm25")
	metric := func(name string, v, b *float64) { row(name, fmtMetric(v), fmtMetric(b)) }
	if kind == retrieval.EvalSelection {
		metric("map", m.MAP, base.MAP)
	}
	metric("mrr", m.MRR, base.MRR)
	metric("p_at_1", m.PAt1, base.PAt1)
	if kind == retrieval.EvalCorpusQA {
		metric("no_answer_accuracy", m.NoAnswerAccuracy, base.NoAnswerAccuracy)
		metric("false_no_answer_rate", m.FalseNoAnswerRate, base.FalseNoAnswerRate)
		metric("accuracy", m.Accuracy, base.Accuracy)
		metric("pr_auc", m.PRAUC, base.PRAUC)
	} else {
		metric("trigger_precision", m.TriggerPrecision, base.TriggerPrecision)
		metric("trigger_recall", m.TriggerRecall, base.TriggerRecall)
		metric("trigger_f1", m.TriggerF1, base.TriggerF1)
		metric("accuracy", m.Accuracy, base.Accuracy)
	}
	fmt.Fprintf(w, "\n%d questions scored, %d skipped\n", m.Questions, m.Skipped)
}

func fmtMetric(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.4f", *v)
}

// qaJSON and selectionJSON are the --json shapes of each kind of file: the
// metric names of docs/design.md, null where there was nothing to count.
type qaJSON struct {
	Questions         int      `json:"questions"`
	Skipped           int      `json:"skipped"`
	PAt1              *float64 `json:"p_at_1"`
	MRR               *float64 `json:"mrr"`
	NoAnswerAccuracy  *float64 `json:"no_answer_accuracy"`
	FalseNoAnswerRate *float64 `json:"false_no_answer_rate"`
	Accuracy          *float64 `json:"accuracy"`
	PRAUC             *float64 `json:"pr_auc"`
	Baseline          *qaJSON  `json:"baseline,omitempty"`
}

type selectionJSON struct {
	Questions int      `json:"questions"`
	Skipped   int      `json:"skipped"`
	MAP       *float64 `json:"map"`
	MRR       *float64 `json:"mrr"`
	PAt1      *float64 `json:"p_at_1"`
	// Answer triggering, over every question.
	TriggerPrecision *float64       `json:"trigger_precision"`
	TriggerRecall    *float64       `json:"trigger_recall"`
	TriggerF1        *float64       `json:"trigger_f1"`
	Accuracy         *float64       `json:"accuracy"`
	Baseline         *selectionJSON `json:"baseline,omitempty"`
}

func metricsJSON(kind retrieval.EvalKind, m retrieval.Metrics, base *retrieval.Metrics) any {
	if kind == retrieval.EvalSelection {
		out := &selectionJSON{Questions: m.Questions, Skipped: m.Skipped, MAP: m.MAP, MRR: m.MRR, PAt1: m.PAt1,
			TriggerPrecision: m.TriggerPrecision, TriggerRecall: m.TriggerRecall, TriggerF1: m.TriggerF1, Accuracy: m.Accuracy}
		if base != nil {
			out.Baseline = metricsJSON(kind, *base, nil).(*selectionJSON)
		}
		return out
	}
	out := &qaJSON{Questions: m.Questions, Skipped: m.Skipped, PAt1: m.PAt1, MRR: m.MRR,
		NoAnswerAccuracy: m.NoAnswerAccuracy, FalseNoAnswerRate: m.FalseNoAnswerRate,
		Accuracy: m.Accuracy, PRAUC: m.PRAUC}
	if base != nil {
		out.Baseline = metricsJSON(kind, *base, nil).(*qaJSON)
	}
	return out
}
