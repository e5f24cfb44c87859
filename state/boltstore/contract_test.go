package boltstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/state"
	"github.com/verbatim-bot/verbatim/state/statetest"
)

func TestContract(t *testing.T) {
	statetest.Run(t, func(t *testing.T) state.Store {
		s, err := Open(filepath.Join(t.TempDir(), File), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
