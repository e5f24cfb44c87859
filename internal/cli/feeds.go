package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/news"
)

// The JSON shape of `feeds poll --json` and `add --json` (docs/design.md).
type jsonAdded struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Published string `json:"published"`
}

type jsonSkipped struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

type jsonNews struct {
	Added   []jsonAdded   `json:"added"`
	Skipped []jsonSkipped `json:"skipped"`
}

func (j *jsonNews) add(r news.Result) {
	for _, a := range r.Added {
		ja := jsonAdded{ID: string(a.ID), Title: a.Title, URL: a.URL, Source: a.Source}
		if !a.Published.IsZero() {
			ja.Published = a.Published.UTC().Format("2006-01-02")
		}
		j.Added = append(j.Added, ja)
	}
	for _, s := range r.Skipped {
		j.Skipped = append(j.Skipped, jsonSkipped{URL: s.URL, Reason: s.Reason})
	}
}

func runFeeds(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "poll" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help" || args[0] == "help") {
			fmt.Fprint(env.Stdout, feedsHelp)
			return nil
		}
		fmt.Fprint(env.Stderr, feedsHelp)
		if len(args) == 0 {
			return usagef("feeds needs a subcommand: poll")
		}
		return usagef("unknown feeds subcommand %q (want poll)", args[0])
	}
	f := newFlags(env, "feeds poll", "[--json]",
		`Polls every feed in FEEDS once, now: each new item's page is fetched, its
article extracted (or, when the page fails or holds too little text, the
feed's own text used), stored under DATA_DIR/articles as a .json article
file, and indexed. Prints one line per article added, or with --json
{"added": [...], "skipped": [...]}. Items already stored are passed over,
so a second run adds nothing new; an item whose feed entry changed is
updated in place. Exits 1 when a feed could not be polled.`)
	asJSON := f.Bool("json", false, "print what was added and skipped as JSON")
	if err := f.parse(env, args[1:]); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("feeds poll takes no arguments (the feeds are set by FEEDS)")
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	if len(cfg.Feeds) == 0 {
		// Nothing to poll is a success with nothing added, as a lookup
		// that finds nothing is: say why on stderr.
		fmt.Fprintln(env.Stderr, "no feeds to poll: set FEEDS to feed URLs separated by commas")
		if *asJSON {
			return writeJSON(env.Stdout, jsonNews{Added: []jsonAdded{}, Skipped: []jsonSkipped{}})
		}
		return nil
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	svc, err := newsService(cfg, log)
	if err != nil {
		return err
	}
	poller := news.NewPoller(svc, news.PollerOptions{
		Feeds:    func(context.Context) ([]string, error) { return cfg.Feeds, nil },
		Interval: cfg.FeedInterval,
		Logger:   log,
	})
	results, err := poller.PollAll(ctx)
	if err != nil {
		return err
	}
	out := jsonNews{Added: []jsonAdded{}, Skipped: []jsonSkipped{}}
	failed := 0
	for _, r := range results {
		out.add(r.Result)
		if r.Err != nil {
			failed++
			out.Skipped = append(out.Skipped, jsonSkipped{URL: r.Feed, Reason: r.Err.Error()})
		}
	}
	if err := indexStored(ctx, cfg, log); err != nil {
		return err
	}
	if err := printNews(env, *asJSON, out); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds could not be polled", failed, len(results))
	}
	return nil
}

const feedsHelp = `Usage: verbatim feeds poll [--json] [--corpus DIR] [--data DIR]

Polls every feed in FEEDS once and stores and indexes what is new.
Run "verbatim feeds poll --help" for its flags.
`

func runAdd(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "add", "[--json] URL...",
		`Fetches each page, extracts its article (title, byline, date, outlet,
paragraphs; navigation, ads, comments and scripts dropped), stores it under
DATA_DIR/articles as a .json article file, and indexes it. A page already
stored, or the same story as a stored article, is skipped and said so.
Exits 1 when a page could not be fetched or held too little text.`)
	asJSON := f.Bool("json", false, "print what was added and skipped as JSON")
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usagef("add needs a URL, e.g. verbatim add https://example.com/news/story")
	}
	for _, raw := range f.Args() {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("add: %q is not an http or https URL", raw)
		}
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	svc, err := newsService(cfg, log)
	if err != nil {
		return err
	}
	out := jsonNews{Added: []jsonAdded{}, Skipped: []jsonSkipped{}}
	var failures []error
	for _, raw := range f.Args() {
		res, err := svc.AddURL(ctx, raw, "")
		out.add(res)
		if err != nil {
			failures = append(failures, err)
			out.Skipped = append(out.Skipped, jsonSkipped{URL: raw, Reason: err.Error()})
		}
	}
	if err := indexStored(ctx, cfg, log); err != nil {
		return err
	}
	if err := printNews(env, *asJSON, out); err != nil {
		return err
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d of %d pages could not be added", len(failures), f.NArg())
	}
	return nil
}

// newsService opens the stored articles and makes the service that adds
// to them under the configured fetching rules.
func newsService(cfg config.Config, log *slog.Logger) (*news.Service, error) {
	store, problems, err := news.OpenStore(storedDir(cfg))
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		log.Warn("skipped stored article file", "err", p)
	}
	fetcher := news.NewFetcher(news.FetchOptions{AllowPrivate: cfg.FetchAllowPrivate})
	return news.NewService(fetcher, store, news.Options{Logger: log}), nil
}

// indexStored brings the index up to date with the corpus and the stored
// articles, every time (not only when something was added): an article
// stored by a run interrupted before it indexed is indexed by the next.
// Beside a running bot (the data folder locked) the articles are stored
// all the same and indexed by whoever opens the index next.
func indexStored(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	ix, err := openIndex(ctx, cfg, log, nil, true)
	if err != nil {
		return fmt.Errorf("index the stored articles: %w", err)
	}
	return ix.Close()
}

// printNews prints what was added (stdout) and skipped (stderr), or the
// JSON object.
func printNews(env Env, asJSON bool, out jsonNews) error {
	if asJSON {
		return writeJSON(env.Stdout, out)
	}
	for _, a := range out.Added {
		line := []string{a.ID, a.Title}
		if a.Source != "" || a.Published != "" {
			line = append(line, "("+strings.Trim(a.Source+", "+a.Published, ", ")+")")
		}
		if _, err := fmt.Fprintln(env.Stdout, strings.Join(append(line, a.URL), "  ")); err != nil {
			return err
		}
	}
	for _, s := range out.Skipped {
		fmt.Fprintf(env.Stderr, "skipped %s: %s\n", s.URL, s.Reason)
	}
	if len(out.Added) == 0 {
		fmt.Fprintln(env.Stderr, "nothing new")
	}
	return nil
}
