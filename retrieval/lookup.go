package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/verbatim-bot/verbatim/corpus"
)

// MaxTermRune bounds a lookup term, in code points.
const MaxTermRune = 100

// Lookup is the result of looking a term up: the sentences that contain it.
type Lookup struct {
	Term string
	// Quotes in reading order: newest article first, then by position.
	Quotes []Quote
	// Total is how many sentences contain the term; Quotes may hold fewer.
	Total int
}

// Lookup finds the sentences that contain term: as an exact phrase
// (case-insensitive) when any sentence has it, else with the term's words
// stemmed in any order. limit caps the quotes returned (zero means 50):
// they are the first limit of every match in reading order.
// article, when not "", scopes the lookup to one article. A term nothing
// contains gives an empty Lookup, not an error.
func (ix *Index) Lookup(ctx context.Context, term string, article corpus.ArticleID, limit int) (*Lookup, error) {
	return ix.LookupIn(ctx, term, article, "", limit)
}

// LookupIn is Lookup as in the Discord server guild (see Query.Guild):
// "" looks in every article.
func (ix *Index) LookupIn(ctx context.Context, term string, article corpus.ArticleID, guild string, limit int) (*Lookup, error) {
	term = corpus.FoldSpace(stripInvisible(term))
	if term == "" {
		return nil, &QuestionError{"The term is empty: give a word or phrase to look up."}
	}
	if n := utf8.RuneCountInString(term); n > MaxTermRune {
		return nil, &QuestionError{fmt.Sprintf("The term is too long (%d characters; the limit is %d).", n, MaxTermRune)}
	}
	if limit <= 0 {
		limit = 50
	}
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	if article != "" {
		if e, ok := arts.get(article); !ok || (guild != "" && !e.Article.VisibleIn(scopeGuild(guild))) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownArticle, article)
		}
	}
	ctx = withScope(ctx, arts, guild)
	out := &Lookup{Term: term, Quotes: []Quote{}}
	words := ix.an.Words(term)
	if len(words) == 0 {
		return out, nil
	}
	phrase := bleve.NewMatchPhraseQuery(term)
	phrase.SetField(fieldExact)
	phrase.Analyzer = analyzerExact
	recs := records{bi: ix.bi}
	defer recs.close()
	res, err := ix.searchAll(ctx, phrase, article)
	if err != nil {
		return nil, err
	}
	highlight := func(text string) []Span { return phraseSpans(ix.an.exact, text, words) }
	if terms := ix.an.Terms(term); res.Total == 0 && len(terms) > 0 {
		highlight = func(text string) []Span { return termSpans(ix.an.text, text, terms) }
		m := bleve.NewMatchQuery(term)
		m.SetField(fieldText)
		m.Analyzer = analyzerText
		m.SetOperator(query.MatchQueryOperatorAnd)
		if res, err = ix.searchAll(ctx, m, article); err != nil {
			return nil, err
		}
	}
	out.Total = int(res.Total)
	for _, h := range res.Hits {
		if a, ref, r, ok := ix.hit(h.ID, &recs); ok {
			out.Quotes = append(out.Quotes, Quote{Sentence: r.sentence(ref), Article: a, Score: h.Score})
		}
	}
	// Every hit is sorted, then cut: bleve's top hits by score are not
	// the first in reading order.
	SortReading(out.Quotes)
	out.Quotes = out.Quotes[:min(limit, len(out.Quotes))]
	for i := range out.Quotes {
		out.Quotes[i].Highlights = highlight(out.Quotes[i].Text)
	}
	return out, nil
}

// searchAll runs q, scoped to article when it is not "", for every hit:
// once for a page, again for all of them when there are more.
func (ix *Index) searchAll(ctx context.Context, q query.Query, article corpus.ArticleID) (*bleve.SearchResult, error) {
	const page = 256
	res, err := ix.search(ctx, q, article, page)
	if err != nil || res.Total <= uint64(len(res.Hits)) {
		return res, err
	}
	return ix.search(ctx, q, article, int(res.Total))
}

// search runs q, scoped to article when it is not "", for at most size
// hits.
func (ix *Index) search(ctx context.Context, q query.Query, article corpus.ArticleID, size int) (*bleve.SearchResult, error) {
	if article != "" {
		aq := bleve.NewTermQuery(string(article))
		aq.SetField(fieldArticle)
		q = bleve.NewConjunctionQuery(q, aq)
	}
	if hidden := hiddenArticles(ctx); len(hidden) > 0 {
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		for _, id := range hidden {
			tq := bleve.NewTermQuery(string(id))
			tq.SetField(fieldArticle)
			bq.AddMustNot(tq)
		}
		q = bq
	}
	res, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, size, 0, false))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// SortReading orders quotes as a reader meets them: newest article first
// (then by article id), and within an article by position.
func SortReading(qs []Quote) {
	slices.SortStableFunc(qs, func(a, b Quote) int {
		if c := b.Article.Published.Compare(a.Article.Published); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Article.ID), string(b.Article.ID)); c != 0 {
			return c
		}
		return cmp.Compare(a.Position, b.Position)
	})
}

// phraseSpans finds the runs of tokens of text that spell words, in order.
func phraseSpans(an analysis.Analyzer, text string, words []string) []Span {
	toks := an.Analyze([]byte(text))
	var out []Span
	for i := 0; i+len(words) <= len(toks); i++ {
		match := true
		for k, w := range words {
			if string(toks[i+k].Term) != w {
				match = false
				break
			}
		}
		if match {
			out = append(out, Span{toks[i].Start, toks[i+len(words)-1].End})
			i += len(words) - 1
		}
	}
	return out
}

// termSpans finds the tokens of text whose analysed term is one of terms.
func termSpans(an analysis.Analyzer, text string, terms []string) []Span {
	var out []Span
	for _, t := range an.Analyze([]byte(text)) {
		if slices.Contains(terms, string(t.Term)) {
			out = append(out, Span{t.Start, t.End})
		}
	}
	return out
}
