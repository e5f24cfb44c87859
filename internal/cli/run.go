package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/internal/ops"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// errNoToken explains how to give the bot its token.
var errNoToken = errors.New(`DISCORD_TOKEN is not set.
To run the bot, create an application at https://discord.com/developers/applications,
add a bot to it, copy its token, and put it in a .env file next to verbatim
(cp .env.example .env, then DISCORD_TOKEN=...) or in the environment.
To try verbatim without Discord: verbatim ask "Who is Zalmy Khalilzad?"`)

func runBot(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "run", "[--corpus DIR] [--data DIR]",
		`Connects to Discord with DISCORD_TOKEN and serves: answers mentions, DMs
and questions in answer channels, slash commands, and the daily digest.
With a corpus folder, articles added to it, changed or removed while the
bot runs are picked up without a restart. Stops cleanly on SIGINT or
SIGTERM.`).withCorpus().withData()
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("run takes no arguments")
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	if cfg.Token == "" {
		return &UsageError{errNoToken}
	}
	log := newLogger(env.Stderr, cfg.LogLevel)

	// Health and metrics come up first, so that a long index build or an
	// unreachable Discord shows on /healthz as what it is.
	metrics := ops.NewMetrics(version())
	var health ops.Health
	health.Pending("gateway", "not connected yet")
	health.Pending("index", "loading the articles")
	health.Pending("store", "opening the state file")
	if cfg.HTTPAddr != "" {
		srv, err := ops.Listen("health and metrics", cfg.HTTPAddr, ops.Handler(&health, metrics), log)
		if err != nil {
			return err
		}
		defer srv.Close()
	}

	// A corpus folder is watched from before it is read, so that nothing
	// that changes during start-up is missed. Only one process watches it
	// (shard 0); the other shards read it as it is when they start.
	var c, folder *corpus.Corpus
	var watcher *corpus.Watcher
	// Articles stored from feeds and pages are read at start and kept
	// beside the folder's; the feed poller adds to them as it goes.
	stored, err := loadStored(ctx, cfg, log)
	if err != nil {
		return err
	}
	switch {
	case cfg.CorpusDir == "":
	case cfg.ShardID != 0:
		loaded, problems, err := corpus.LoadDir(ctx, cfg.CorpusDir)
		if folder, err = checkLoaded(cfg, log, loaded, problems, err); err != nil {
			return err
		}
		log.Info("corpus folder read once: only shard 0 watches it; restart this shard to pick up changes", "corpus", cfg.CorpusDir)
	default:
		if watcher, err = corpus.NewWatcher(cfg.CorpusDir, corpus.WatchOptions{Debounce: watchDebounce, Logger: log}); err != nil {
			return err
		}
		defer watcher.Close()
		loaded, problems, err := watcher.Load(ctx)
		if folder, err = checkLoaded(cfg, log, loaded, problems, err); err != nil {
			return err
		}
	}
	switch {
	case folder != nil:
		c = withStored(folder, stored, log)
	case len(stored) > 0:
		c = corpus.New(stored...)
	default:
		if c, err = corpus.Default(); err != nil {
			return err
		}
	}
	ix, err := openIndexOf(ctx, cfg, log, c, nil, false)
	if err != nil {
		return err
	}
	defer ix.Close()
	metrics.WatchIndex(ix.Size)
	health.Set("index", func(context.Context) error {
		if articles, _ := ix.Size(); articles == 0 {
			return errors.New("the index holds no articles")
		}
		return nil
	})
	if cfg.StateURL != "" {
		health.Pending("store", "connecting to the state database")
	}
	store, err := openState(ctx, cfg, log, func(err error) {
		if err != nil {
			health.Pending("store", "state database unreachable: "+err.Error())
		}
	}, true)
	if err != nil && ctx.Err() != nil {
		log.Info("verbatim stopped while waiting for the state database")
		return nil
	}
	if err != nil {
		return err
	}
	defer store.Close()
	health.Set("store", store.Healthy)

	lib := live.NewLibrary(ix, folder, storedDir(cfg), stored, log)
	stories, problems, err := news.OpenStore(storedDir(cfg))
	if err != nil {
		return err
	}
	for _, p := range problems {
		log.Warn("skipped stored article file", "err", p)
	}
	runner := live.New(live.Options{
		Fetcher:  news.NewFetcher(news.FetchOptions{AllowPrivate: cfg.FetchAllowPrivate}),
		Articles: stories, Library: lib, Store: store, Operator: cfg.Feeds,
		Interval: cfg.FeedInterval, Counters: metrics, Logger: log,
	})

	answerIDs := make([]string, len(cfg.AnswerIDs))
	for i, id := range cfg.AnswerIDs {
		answerIDs[i] = string(id)
	}
	b, err := bot.New(ix, bot.Options{
		Token:          cfg.Token,
		APIBase:        cfg.APIBase.String(),
		GuildID:        string(cfg.GuildID),
		AnswerChannels: answerIDs,
		ShardID:        cfg.ShardID,
		ShardCount:     cfg.ShardCount,
		Logger:         log,
		Metrics:        metrics,
		Store:          store,
		DigestChannel:  string(cfg.DigestChan),
		DigestSchedule: cfg.DigestSchedule,
		DigestCron:     cfg.DigestCron,
		DigestZone:     cfg.DigestZone,
		DigestThreads:  cfg.DigestThreads,
		FeedStore:      store,
		Feeds:          runner,
	})
	if err != nil {
		return err
	}
	health.Set("gateway", func(context.Context) error { return b.Health() })
	if cfg.InteractAddr != "" {
		// Discord then sends interactions here, signed; the gateway still
		// brings messages and runs the digest.
		srv, err := ops.Listen("interactions", cfg.InteractAddr, b.InteractionsHandler(cfg.PublicKey), log)
		if err != nil {
			return err
		}
		defer srv.Close()
	}

	runner.SetAnnouncer(b)
	var background sync.WaitGroup
	defer background.Wait() // before the index closes
	// Stopped whenever run returns, a fatal error included.
	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	if watcher != nil {
		background.Go(func() { watchCorpus(bg, watcher, lib, log) })
	}
	background.Go(func() { _ = runner.Run(bg) })
	articles, sentences := ix.Size()
	log.Info("verbatim starting", "version", version(), "articles", articles, "sentences", sentences,
		"shard", cfg.ShardID, "shards", cfg.ShardCount)
	if err := b.Run(ctx); err != nil {
		return err
	}
	log.Info("verbatim stopped")
	return nil
}

// watchDebounce is how long the corpus folder must be quiet before its
// changes are indexed.
const watchDebounce = time.Second

// watchCorpus indexes the corpus folder's changes as they come, article
// by article, until ctx ends.
func watchCorpus(ctx context.Context, w *corpus.Watcher, lib *live.Library, log *slog.Logger) {
	err := w.Run(ctx, func(ctx context.Context, c *corpus.Corpus) error {
		ch, err := lib.SetFolder(ctx, c)
		if err != nil {
			return fmt.Errorf("index corpus changes: %w", err)
		}
		if ch != (retrieval.Changes{}) {
			articles, sentences := lib.Size()
			log.Info("corpus updated", "added", ch.Added, "updated", ch.Updated, "removed", ch.Removed,
				"articles", articles, "sentences", sentences)
		}
		return nil
	})
	if err != nil {
		log.Error("watching the corpus folder stopped; restart to pick up changes", "err", err)
	}
}
