package cli

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/config"
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

	ix, lib, follow, err := openServed(ctx, cfg, log, metrics.IndexSynced)
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
		Pages:          runner,
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
	if follow != nil {
		background.Go(func() { follow(bg) })
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

// followEvery is how often a bot serving a shared index looks for a new
// version.
const followEvery = 2 * time.Second

// servedIndex is the index a bot serves: its own, or a shared folder's
// current version.
type servedIndex interface {
	bot.Engine
	Size() (articles, sentences int)
	Close() error
}

// openServed opens the index the bot serves and returns the library the
// feed poller indexes through, and what keeps the index up to date, to
// run until ctx ends (nil when nothing does): the follower of a shared
// index folder (SHARED_INDEX_DIR), or the corpus folder's watcher. A
// corpus folder is watched from before it is listed, so that nothing that
// changes during start-up is missed. Only one process watches it (shard
// 0); the other shards bring their index up to date with it as it is when
// they start. The library syncs the index over the corpus folder and the
// stored articles listed together, one sync at a time, and tells synced
// (when not nil) of each sync that succeeded; with a shared index it
// publishes the folder's next version instead, from the articles the
// poller stored (verbatim index publishes the corpus folder's changes).
func openServed(ctx context.Context, cfg config.Config, log *slog.Logger, synced func(kind string, took time.Duration)) (servedIndex, *live.Library, func(context.Context), error) {
	if cfg.SharedIndex != "" {
		fol, err := retrieval.OpenFollower(cfg.SharedIndex, retrieval.Options{Logger: log})
		if err != nil {
			return nil, nil, nil, err
		}
		log.Info("serving the shared index; it is rebuilt by verbatim index and by the feed poller, not watched here",
			"dir", cfg.SharedIndex, "version", fol.Version())
		pub := sharedPublisher{dir: cfg.SharedIndex, fol: fol, log: log,
			b: retrieval.NewSharedBuilder(cfg.SharedIndex, retrieval.Options{Logger: log, LockTimeout: sharedLockWait})}
		served := &servedFolders{cfg: cfg, ix: pub, log: log, synced: synced}
		return fol, live.NewLibrary(fol, served.sync), func(ctx context.Context) {
			defer served.close()
			fol.Run(ctx, followEvery)
		}, nil
	}
	var watcher *corpus.Watcher
	if cfg.CorpusDir != "" && cfg.ShardID == 0 {
		var err error
		if watcher, err = corpus.NewWatcher(cfg.CorpusDir, corpus.WatchOptions{Debounce: watchDebounce, Logger: log}); err != nil {
			return nil, nil, nil, err
		}
	} else if cfg.CorpusDir != "" {
		log.Info("corpus folder read at start only: only shard 0 watches it; restart this shard to pick up changes", "corpus", cfg.CorpusDir)
	}
	closeWatcher := func() {
		if watcher != nil {
			watcher.Close()
		}
	}
	if cfg.CorpusDir == "" {
		ix, err := openIndex(ctx, cfg, log, nil, false)
		if err != nil {
			return nil, nil, nil, err
		}
		served := &servedFolders{cfg: cfg, ix: ix, log: log, synced: synced}
		return ix, live.NewLibrary(ix, served.sync), func(ctx context.Context) {
			<-ctx.Done()
			served.close()
		}, nil
	}
	// An index that holds articles answers at once, whatever the size of
	// the corpus, and is brought up to date with the folder meanwhile; an
	// empty one (first start, upgrade) is built first.
	ix, err := openAsIs(cfg, log)
	if err != nil {
		closeWatcher()
		return nil, nil, nil, err
	}
	served := &servedFolders{cfg: cfg, ix: ix, log: log, synced: synced}
	ready := false
	if articles, _ := ix.Size(); articles > 0 {
		ready = true
	} else if err := served.first(ctx); err != nil {
		served.close()
		ix.Close()
		closeWatcher()
		return nil, nil, nil, err
	}
	lib := live.NewLibrary(ix, served.sync)
	return ix, lib, func(ctx context.Context) {
		defer closeWatcher()
		defer served.close()
		if ready {
			ch, err := lib.Sync(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Error("bringing the index up to date with the corpus folder", "err", err)
			case ch != (retrieval.Changes{}):
				articles, sentences := lib.Size()
				log.Info("index brought up to date with the corpus folder", "added", ch.Added, "updated", ch.Updated,
					"removed", ch.Removed, "articles", articles, "sentences", sentences)
			}
		}
		if watcher != nil {
			watchCorpus(ctx, watcher, lib, log)
		}
	}, nil
}

// sharedLockWait is how long the feed poller waits for a `verbatim index`
// building the shared index before it leaves its articles to the next
// try (its recovery sweep, or its next poll) or to that build.
const sharedLockWait = 30 * time.Second

// watchCorpus indexes the corpus folder's changes as they come, until ctx
// ends: after each quiet period it looks again at the files the watcher
// saw change and indexes those whose size or time moved.
func watchCorpus(ctx context.Context, w *corpus.Watcher, lib *live.Library, log *slog.Logger) {
	err := w.Notify(ctx, func(ctx context.Context, paths []string) error {
		ch, err := lib.SyncCorpus(ctx, paths)
		if err != nil {
			return err
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
