package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/verbatim-bot/verbatim/internal/config"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/boltstore"
	"github.com/verbatim-bot/verbatim/state/pgstore"
)

// openState opens the state store the settings name: PostgreSQL with
// STATE_URL (with down set, waiting for it while it cannot be reached and
// telling down why; without, failing at once),
// else the bbolt file in the data folder. A damaged bbolt file is set
// aside, and said so, when setAside is true.
func openState(ctx context.Context, cfg config.Config, log *slog.Logger, down func(error), setAside bool) (state.Store, error) {
	if cfg.StateURL != "" {
		s, err := pgstore.Open(ctx, cfg.StateURL, pgstore.Options{Logger: log, Down: down, Once: down == nil})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	// A bot serving a shared index makes no index of its own: its data
	// folder may not exist yet.
	if err := makeDataDir(cfg.DataDir, log); err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.DataDir, boltstore.File)
	var s *boltstore.Store
	var aside string
	var err error
	if setAside {
		s, aside, err = boltstore.OpenOrSetAside(path, time.Second, time.Now())
	} else {
		s, err = boltstore.Open(path, time.Second)
	}
	if errors.Is(err, boltstore.ErrLocked) {
		return nil, fmt.Errorf("data folder %s is in use by another verbatim: give each bot process its own DATA_DIR (or share one STATE_URL), or stop the bot to move its state", cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	if aside != "" {
		log.Error("the bot state file was damaged: it is kept aside and a fresh one started; "+
			"digest subscriptions made with /digest subscribe are lost (DIGEST_CHANNEL_ID is subscribed again)",
			"damaged_file", aside)
	}
	return s, nil
}

// stateWhere names the store the settings choose, without the URL's
// password.
func stateWhere(cfg config.Config) string {
	if cfg.StateURL != "" {
		return "the PostgreSQL database of STATE_URL"
	}
	return filepath.Join(cfg.DataDir, boltstore.File)
}

func runState(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "state", "export | import FILE",
		`Moves the bot's state (digest subscriptions, digests sent and pending,
digest threads, feeds and their polling state, announcements) between
stores. "state export" prints every record of the store the settings choose
(STATE_URL, else the bbolt file in the data folder) as JSON on stdout;
"state import FILE" writes every record of such a file into it, replacing
records with the same keys, in one transaction: importing twice changes
nothing more. To move from bbolt to PostgreSQL: stop the bot, run
"verbatim state export > state.json" without STATE_URL, then
"STATE_URL=postgres://... verbatim state import state.json". A bbolt file
is locked by a running bot: stop it first.`)
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usagef("state needs export or import FILE")
	}
	cfg, err := f.settings(env)
	if err != nil {
		return err
	}
	log := newLogger(env.Stderr, cfg.LogLevel)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	switch verb := f.Arg(0); verb {
	case "export":
		if f.NArg() != 1 {
			return usagef("state export takes no arguments: it prints to stdout (verbatim state export > state.json)")
		}
		s, err := openState(ctx, cfg, log, nil, false)
		if err != nil {
			return err
		}
		defer s.Close()
		snap, err := s.Export(ctx)
		if err != nil {
			return err
		}
		if err := writeJSON(env.Stdout, snap); err != nil {
			return err
		}
		log.Info("state exported", "from", stateWhere(cfg), "subscriptions", len(snap.Subscriptions),
			"deliveries", len(snap.Deliveries), "threads", len(snap.Threads), "feeds", len(snap.Feeds))
		return nil
	case "import":
		if f.NArg() != 2 {
			return usagef("state import takes one FILE (made by verbatim state export)")
		}
		snap, err := readSnapshot(f.Arg(1))
		if err != nil {
			return &UsageError{err}
		}
		s, err := openState(ctx, cfg, log, nil, false)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.Import(ctx, snap); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Imported %d subscriptions, %d deliveries, %d threads, %d feeds and %d feed polls into %s.\n",
			len(snap.Subscriptions), len(snap.Deliveries), len(snap.Threads), len(snap.Feeds), len(snap.FeedPolls), stateWhere(cfg))
		return nil
	default:
		return usagef("state %s: want export or import FILE", verb)
	}
}

// readSnapshot reads and checks a file made by `state export`.
func readSnapshot(path string) (state.Snapshot, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return state.Snapshot{}, err
	}
	var snap state.Snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return state.Snapshot{}, fmt.Errorf("%s is not a state export (JSON from verbatim state export): %v", path, err)
	}
	if snap.Version != state.SnapshotVersion {
		return state.Snapshot{}, fmt.Errorf("%s: state export version %d; this verbatim reads version %d", path, snap.Version, state.SnapshotVersion)
	}
	for _, s := range snap.Subscriptions {
		if s.ChannelID == "" {
			return state.Snapshot{}, fmt.Errorf("%s: a subscription without a channel_id", path)
		}
	}
	for _, d := range snap.Deliveries {
		if d.ChannelID == "" || d.Key == "" {
			return state.Snapshot{}, fmt.Errorf("%s: a delivery without a channel_id or key", path)
		}
	}
	return snap, nil
}
