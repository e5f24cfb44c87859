package cli

import (
	"context"
	"errors"

	"github.com/verbatim-bot/verbatim/bot"
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
	ix, err := openIndex(ctx, cfg, log, nil, false)
	if err != nil {
		return err
	}
	defer ix.Close()
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
	})
	if err != nil {
		return err
	}
	articles, sentences := ix.Size()
	log.Info("verbatim starting", "version", version(), "articles", articles, "sentences", sentences)
	if err := b.Run(ctx); err != nil {
		return err
	}
	log.Info("verbatim stopped")
	return nil
}
