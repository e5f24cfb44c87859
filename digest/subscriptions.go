package digest

import (
	"context"
	"fmt"
	"time"

	"github.com/verbatim-bot/verbatim/state"
)

// Subscribe subscribes a channel of a guild to the daily digest, at its
// own time of day ("HH:MM", "" for the bot's schedule) and zone (an IANA
// name, "" for the bot's), both already checked by the caller.
// Subscribing again updates them and renews a broken or switched-off
// subscription. existed reports a subscription that was already on.
func (s *Scheduler) Subscribe(ctx context.Context, channelID string, ch Channel, at, zone string) (sub state.Subscription, existed bool, err error) {
	now := s.clock.Now()
	s.mu.Lock()
	sub, err = s.store.UpdateSubscription(ctx, channelID, func(sub *state.Subscription, found bool) (bool, error) {
		existed = found && !sub.Off
		if !found || !sub.Active() {
			// New, or renewed: the schedule starts from now.
			sub.Fired = now
		}
		if !found {
			sub.Created = now
		}
		sub.GuildID, sub.Resolved, sub.News = ch.GuildID, true, ch.News
		sub.Time, sub.Zone = at, zone
		sub.Off, sub.Broken, sub.BrokenAt = false, "", time.Time{}
		return true, nil
	})
	delete(s.retry, channelID)
	delete(s.fails, channelID)
	s.mu.Unlock()
	if err != nil {
		return state.Subscription{}, false, err
	}
	s.Poke()
	return sub, existed, nil
}

// Unsubscribe ends a channel's subscription and reports whether it had
// one. The channel of DIGEST_CHANNEL_ID is kept, switched off, so that a
// restart does not subscribe it again.
func (s *Scheduler) Unsubscribe(ctx context.Context, channelID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, found, err := s.store.Subscription(ctx, channelID)
	if err != nil {
		return false, err
	}
	if !found || sub.Off {
		return false, nil
	}
	if sub.Config {
		_, err = s.store.UpdateSubscription(ctx, channelID, func(sub *state.Subscription, found bool) (bool, error) {
			sub.Off = true
			return found, nil
		})
	} else {
		err = s.store.DeleteSubscription(ctx, channelID)
	}
	if err != nil {
		return false, err
	}
	s.Poke()
	return true, nil
}

// Subscription returns a channel's subscription, and false when there is
// none.
func (s *Scheduler) Subscription(ctx context.Context, channelID string) (state.Subscription, bool, error) {
	return s.store.Subscription(ctx, channelID)
}

// GuildSubscriptions returns a guild's subscriptions, broken ones
// included and switched-off ones left out, ordered by channel id.
func (s *Scheduler) GuildSubscriptions(ctx context.Context, guildID string) ([]state.Subscription, error) {
	subs, err := s.store.Subscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []state.Subscription
	for _, sub := range subs {
		if !sub.Off && sub.GuildID == guildID {
			out = append(out, sub)
		}
	}
	return out, nil
}

// OneOff posts a digest of the last 24 hours (or the newest article) in a
// channel of guildID without a subscription, without a nonce, and records
// nothing: of the articles answered in that server only. It reports false
// when there is no article to make one of.
func (s *Scheduler) OneOff(ctx context.Context, channelID, guildID string) (bool, error) {
	now := s.clock.Now()
	dg := Select(s.o.Source, now.Add(-24*time.Hour), now, true, ScopeOf(guildID))
	if len(dg.Items) == 0 {
		return false, nil
	}
	if _, err := s.o.Poster.PostDigest(ctx, channelID, dg, now.In(s.o.Zone), ""); err != nil {
		return false, err
	}
	return true, nil
}

// Describe says when a subscription's digests fall due.
func (s *Scheduler) Describe(sub state.Subscription) string {
	_, zone := s.scheduleOf(sub)
	if sub.Time != "" {
		return fmt.Sprintf("every day at %s (%s)", sub.Time, zone)
	}
	if s.o.Cron == "" {
		return fmt.Sprintf("on the bot's schedule (%s)", zone)
	}
	return fmt.Sprintf("on the bot's schedule (`%s`, %s)", s.o.Cron, zone)
}

// NextFiring is when a subscription's schedule next fires after now; the
// zero time for never.
func (s *Scheduler) NextFiring(sub state.Subscription, now time.Time) time.Time {
	sched, zone := s.scheduleOf(sub)
	return sched.Next(now.In(zone))
}
