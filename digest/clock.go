package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	cron "github.com/netresearch/go-cron"
)

// Clock tells the time and makes timers for the scheduler.
// cron.RealClock and *cron.FakeClock (github.com/netresearch/go-cron)
// satisfy it; tests drive the scheduler with the fake one.
type Clock = cron.Clock

// Schedule says when digests fall due: the first firing after a time, in
// that time's location, or the zero time for none. A cron.Schedule parsed
// without TZ= satisfies it.
type Schedule interface {
	Next(time.Time) time.Time
}

// DefaultCron is the digest schedule when none is given (DIGEST_CRON).
const DefaultCron = "0 9 * * *"

// daily is the schedule of a channel's own time of day.
func daily(hour, minute int) (Schedule, error) {
	return cron.ParseStandard(fmt.Sprintf("%d %d * * *", minute, hour))
}

// LoadZone loads an IANA time zone by name; "" and "Local" are refused,
// since the machine's zone is not the user's.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return time.LoadLocation(name)
}

// ParseClock reads a time of day, "H:MM" or "HH:MM" (24-hour).
func ParseClock(s string) (hour, minute int, ok bool) {
	hs, ms, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}
