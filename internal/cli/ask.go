package cli

import (
	"context"
	"errors"
	"math"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func runAsk(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "ask", "[--json] [--article ID] [--top N] QUESTION...",
		`Answers a question from the articles by quoting the sentences that answer
it, best first, with who said them and where. When nothing answers, it says
so and shows the closest sentences as near misses. Flags may come before or
after the question; after --, every word is part of the question.`).withCorpus().withData()
	asJSON := f.Bool("json", false, "print the answer as JSON")
	article := f.String("article", "", "answer from the article with this `id` only")
	top := f.Int("top", retrieval.DefaultTop, "the most quotes to give, 1 to 10")
	if err := f.parse(env, args); err != nil {
		return err
	}
	question := strings.Join(f.Args(), " ")
	if strings.TrimSpace(question) == "" {
		return usagef("ask needs a question, e.g. verbatim ask \"Who is Zalmy Khalilzad?\"")
	}
	if *top < 1 || *top > retrieval.MaxTop {
		return usagef("--top must be from 1 to %d", retrieval.MaxTop)
	}
	ix, err := f.openShared(ctx, env)
	if err != nil {
		return err
	}
	defer ix.Close()

	a, err := ix.Ask(ctx, retrieval.Query{Text: question, Article: corpus.ArticleID(*article), Top: *top})
	if err := inputError(err); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, jsonAnswer{
			Question: a.Question, NoAnswer: a.NoAnswer,
			// Three decimals: a probability, stable across platforms.
			Confidence: math.Round(a.Confidence*1e3) / 1e3,
			Quotes:     quotesJSON(a.Quotes), Suggestions: quotesJSON(a.Suggestions),
		})
	}
	writeAnswer(env.Stdout, a)
	return nil
}

func runLookup(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "lookup", "[--json] [--article ID] [--limit N] TERM...",
		`Lists the sentences that contain a word or phrase (any case), in reading
order: newest article first, then as the article runs. When no sentence has
the exact phrase, its words are matched in any order and form ("militia"
finds "militias"). Flags may come before or after the term; after --, every
word is part of the term.`).withCorpus().withData()
	asJSON := f.Bool("json", false, "print the sentences as JSON")
	article := f.String("article", "", "look in the article with this `id` only")
	limit := f.Int("limit", 50, "the most sentences to list")
	if err := f.parse(env, args); err != nil {
		return err
	}
	term := strings.Join(f.Args(), " ")
	if strings.TrimSpace(term) == "" {
		return usagef("lookup needs a term, e.g. verbatim lookup militias")
	}
	if *limit < 1 {
		return usagef("--limit must be at least 1")
	}
	ix, err := f.openShared(ctx, env)
	if err != nil {
		return err
	}
	defer ix.Close()

	l, err := ix.Lookup(ctx, term, corpus.ArticleID(*article), *limit)
	if err := inputError(err); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, jsonLookup{Term: l.Term, Total: l.Total, Quotes: quotesJSON(l.Quotes)})
	}
	writeLookup(env.Stdout, l)
	return nil
}

// inputError turns the engine's complaints about its input into usage
// errors (status 2); other errors pass through.
func inputError(err error) error {
	var qe *retrieval.QuestionError
	if errors.As(err, &qe) || errors.Is(err, retrieval.ErrUnknownArticle) {
		return &UsageError{err}
	}
	return err
}
