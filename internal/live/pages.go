package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/news"
)

// AddPage adds one web page now (/article add): it fetches the page under
// the poller's fetching rules, extracts and stores its article as guild's
// own ("" for every server), as `verbatim add` does, and indexes it at
// once. existed reports a page already stored, by its address or as the
// same story: id is then that article, which is now answered in guild
// too. A page that cannot be fetched or read is a *PageError; other
// errors are the bot's (storing, indexing). It is safe for concurrent use.
func (r *Runner) AddPage(ctx context.Context, url, guild string) (id corpus.ArticleID, existed bool, err error) {
	res, err := r.svc.AddURL(ctx, url, guild)
	if err != nil {
		return "", false, &PageError{Err: err}
	}
	switch {
	case len(res.Added) > 0:
		id = res.Added[0].ID
	case len(res.Skipped) > 0 && res.Skipped[0].Duplicate != "":
		// Its scope may have widened to guild: indexed again below.
		id, existed = res.Skipped[0].Duplicate, true
	case len(res.Skipped) > 0:
		return "", false, fmt.Errorf("add %s: %s", url, res.Skipped[0].Reason)
	default:
		return "", false, fmt.Errorf("add %s: nothing stored", url)
	}
	if _, err := r.o.Library.AddStored(ctx, []corpus.ArticleID{id}); err != nil {
		return id, existed, fmt.Errorf("index the page's article %s: %w", id, err)
	}
	return id, existed, nil
}

// PageError is a page that could not be added: it could not be fetched
// (a refused address, a timeout, an error status), is not a web page, or
// holds too little article text.
type PageError struct{ Err error }

// Error says which page and what went wrong.
func (e *PageError) Error() string { return e.Err.Error() }

// Unwrap returns the fetching or extracting error.
func (e *PageError) Unwrap() error { return e.Err }

// Refusal says in a few words, for whoever asked for the page, why it
// could not be added.
func (e *PageError) Refusal() string {
	var fe *news.FetchError
	errors.As(e.Err, &fe)
	switch {
	case errors.Is(e.Err, news.ErrTooShort):
		return fmt.Sprintf("the page holds too little article text (at least %d words are needed)", news.MinWords)
	case fe == nil:
		return "the page could not be read"
	}
	switch fe.Kind {
	case news.KindBlocked:
		return "that address is not one I may fetch (only public http and https addresses)"
	case news.KindTimeout:
		return "the site took too long to answer"
	case news.KindTooLarge:
		return "the page is too large"
	case news.KindRedirects:
		return "the page redirects too many times"
	case news.KindStatus:
		return fmt.Sprintf("the site answered HTTP %d", fe.Status)
	case news.KindParse:
		return "that is not a web page with an article"
	}
	return "the site could not be reached"
}
