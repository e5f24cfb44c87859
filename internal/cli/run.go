package cli

import (
	"context"
	"errors"

	"github.com/verbatim-bot/verbatim/bot"
	"github.com/verbatim-bot/verbatim/internal/ops"
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
Stops cleanly on SIGINT or SIGTERM.`)
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
	health.Set("store", ops.DirWritable(cfg.DataDir))
	if cfg.HTTPAddr != "" {
		srv, err := ops.Listen("health and metrics", cfg.HTTPAddr, ops.Handler(&health, metrics), log)
		if err != nil {
			return err
		}
		defer srv.Close()
	}

	ix, err := openIndex(ctx, cfg, log, nil, false)
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

	articles, sentences := ix.Size()
	log.Info("verbatim starting", "version", version(), "articles", articles, "sentences", sentences,
		"shard", cfg.ShardID, "shards", cfg.ShardCount)
	if err := b.Run(ctx); err != nil {
		return err
	}
	log.Info("verbatim stopped")
	return nil
}
