package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
)

type jsonDigestItem struct {
	Article jsonArticle `json:"article"`
	Added   string      `json:"added"`
	Quotes  []jsonQuote `json:"quotes"`
}

type jsonDigest struct {
	Since    string           `json:"since"`
	Articles []jsonDigestItem `json:"articles"`
	More     int              `json:"more"`
}

func runDigest(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "digest", "[--json] [--since DATE]",
		`Prints the digest the bot would post now: the key sentences of the articles
first indexed under the data folder since DATE, newest first, at most 5 (then
"and N more"), the same selection the bot posts. Without --since: the last
24 hours, or the newest article if nothing is that new. DATE is YYYY-MM-DD
(midnight in DIGEST_TIMEZONE) or RFC 3339.`).withCorpus().withData()
	asJSON := f.Bool("json", false, "print the digest as JSON")
	sinceFlag := f.String("since", "", "include articles added after this `date`")
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("digest takes no arguments (did you mean --since DATE?)")
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	now := time.Now()
	since, fallback := now.Add(-24*time.Hour), true
	if *sinceFlag != "" {
		since, err = parseSince(*sinceFlag, cfg.DigestZone)
		if err != nil {
			return &UsageError{err}
		}
		fallback = false
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	ix, err := openIndex(ctx, cfg, log, nil, true)
	if err != nil {
		return err
	}
	defer ix.Close()

	// The bot's own selection: what it would post now (after indexing,
	// which may just have added the articles).
	now = time.Now()
	d := digest.Select(ix, since, now, fallback, "")
	items, more := d.Items, d.More
	if *asJSON {
		out := jsonDigest{Since: since.UTC().Format(time.RFC3339), Articles: []jsonDigestItem{}, More: more}
		for _, it := range items {
			out.Articles = append(out.Articles, jsonDigestItem{
				Article: articleJSON(it.Article),
				Added:   it.Added.UTC().Format(time.RFC3339),
				Quotes:  quotesJSON(it.Quotes),
			})
		}
		return writeJSON(env.Stdout, out)
	}
	w := env.Stdout
	if len(items) == 0 {
		fmt.Fprintf(w, "No articles added since %s: no digest would be posted.\n", since.Format(time.RFC3339))
		return nil
	}
	n := len(items) + more
	what := fmt.Sprintf("%d new %s", n, plural(n, "article", "articles"))
	if n == 1 && !items[0].Added.After(since) {
		what = "the newest article"
	}
	fmt.Fprintf(w, "# Daily digest, %s: %s\n", now.In(cfg.DigestZone).Format("Monday 2 January 2006"), what)
	for _, it := range items {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%s\n", articleHeading(it.Article))
		for k, q := range it.Quotes {
			writeQuote(w, k+1, q)
		}
	}
	if more > 0 {
		fmt.Fprintf(w, "\nand %d more\n", more)
	}
	return nil
}

// articleHeading is an article's title line: title, outlet, date.
func articleHeading(a *corpus.Article) string {
	s := "## " + a.Title
	if a.Source != "" {
		s += " \u00b7 " + a.Source
	}
	if d := a.Date(); d != "" {
		s += " \u00b7 " + d
	}
	return s
}

// parseSince reads --since: a date (midnight in zone) or an RFC 3339 time.
func parseSince(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, zone); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a date (YYYY-MM-DD) or an RFC 3339 time", s)
}
