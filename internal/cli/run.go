package cli

import (
	"context"
	"errors"
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
	return errors.New("the Discord bot is not built yet")
}

func runDigest(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "digest", "[--json] [--since DATE]",
		`Prints the digest that would be posted: the key sentences of the articles
added since DATE (default: the last 24 hours, or the newest article).`)
	f.Bool("json", false, "print the digest as JSON")
	f.String("since", "", "include articles added since this `date` (YYYY-MM-DD or RFC 3339)")
	if err := f.parse(env, args); err != nil {
		return err
	}
	return errors.New("the digest is not built yet")
}
