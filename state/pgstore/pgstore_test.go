package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/internal/pgtest"
	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/statetest"
)

// open opens a store on a fresh database.
func open(t *testing.T) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	statetest.Run(t, func(t *testing.T) state.Store { return open(t) })
}
