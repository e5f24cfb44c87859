// Command verbatim is a Discord bot that answers questions about news
// articles by quoting their sentences word for word, with attribution. Its
// subcommands answer, look up, index and evaluate from the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"

	"github.com/verbatim-bot/verbatim/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.ExitCode(err, os.Stderr))
}

// run reads .env from the working folder (the environment beats it), then
// runs the command line.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) error {
	dotenv, err := godotenv.Read(".env")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &cli.UsageError{Err: fmt.Errorf("read .env: %w", err)}
	}
	getenv := func(key string) string {
		if v, ok := lookupEnv(key); ok {
			return v
		}
		return dotenv[key]
	}
	return cli.Run(ctx, args, cli.Env{Getenv: getenv, Stdout: stdout, Stderr: stderr})
}
