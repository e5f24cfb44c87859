package digest

import (
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/state"
)

func TestResendable(t *testing.T) {
	started := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	d := state.Delivery{ChannelID: "1", Key: "2026-12-01", Started: started}
	for _, tc := range []struct {
		name  string
		after time.Duration
		want  bool
	}{
		{"claimed now", 0, true},
		{"within the nonce's protection", NonceTrust - time.Second, true},
		{"at its end", NonceTrust, true},
		{"past it", NonceTrust + time.Nanosecond, false},
		{"a clock gone back", -time.Second, false},
	} {
		if got := Resendable(d, started.Add(tc.after)); got != tc.want {
			t.Errorf("%s: Resendable = %v; want %v", tc.name, got, tc.want)
		}
	}
}
