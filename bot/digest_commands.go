package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/digest"
)

// canManage reports whether the member who made an interaction may manage
// digests: Manage Server or Administrator, from the permissions Discord
// computed for them in the channel. /digest's default_member_permissions
// hides the command from others, but a server admin can change that; the
// bot checks for itself.
func canManage(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false
	}
	p := i.Member.Permissions
	return p&discordgo.PermissionAdministrator != 0 || p&discordgo.PermissionManageGuild != 0
}

// cmdDigest answers /digest subscribe, unsubscribe, status and now. Its
// replies are ephemeral; the digest itself is a channel message.
func (b *Bot) cmdDigest(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if b.digest == nil {
		return notice("Daily digests are not set up on this bot.", true), nil
	}
	if i.GuildID == "" {
		return reply{}, refuse("Digests are posted in server channels: use /digest in a server.")
	}
	opts := i.ApplicationCommandData().Options
	if len(opts) == 0 {
		return reply{}, refuse("Pick what to do: `/digest subscribe`, `unsubscribe`, `status` or `now`.")
	}
	var r reply
	var err error
	switch opts[0].Name {
	case "subscribe":
		r, err = b.digestSubscribe(ctx, i)
	case "unsubscribe":
		r, err = b.digestUnsubscribe(ctx, i)
	case "status":
		r, err = b.digestStatus(ctx, i)
	case "now":
		r, err = b.digestNow(ctx, i)
	default:
		return reply{}, refuse("I don't know `/digest %s`.", opts[0].Name)
	}
	r.ephemeral = true
	return r, err
}

const msgNeedsManage = "Changing the digest needs the Manage Server permission."

// digestSubscribe answers /digest subscribe [channel] [time] [timezone]:
// the channel (default: this one) gets the digest every day, at its own
// time and zone when given. Subscribing again updates them and renews a
// broken subscription.
func (b *Bot) digestSubscribe(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if !canManage(i) {
		return reply{}, refuse(msgNeedsManage)
	}
	channelID := optString(i, "channel")
	if channelID == "" {
		channelID = i.ChannelID
	}
	at := strings.TrimSpace(optString(i, "time"))
	if at != "" {
		h, m, ok := digest.ParseClock(at)
		if !ok {
			return reply{}, refuse("\u201c%s\u201d is not a time of day: use HH:MM on the 24-hour clock, such as 09:00 or 18:30.", escape(at))
		}
		at = fmt.Sprintf("%02d:%02d", h, m)
	}
	zoneName := strings.TrimSpace(optString(i, "timezone"))
	if zoneName != "" {
		loc, err := digest.LoadZone(zoneName)
		if err != nil {
			return reply{}, refuse("\u201c%s\u201d is not a time zone I know: pick one from the list as you type, or type an IANA name such as Europe/Dublin.", escape(zoneName))
		}
		zoneName = loc.String()
	}
	ch, err := b.session.Channel(channelID, discordgo.WithContext(ctx))
	if reason, isLost := lostChannel(err); isLost {
		return reply{}, refuse("I can't post in <#%s> (Discord answers %s): give me access to it, then subscribe again.", channelID, reason)
	}
	if err != nil {
		return reply{}, fmt.Errorf("look up channel %s: %w", channelID, err)
	}
	if ch.GuildID != i.GuildID {
		return reply{}, refuse("That channel is not in this server.")
	}
	if ch.Type != discordgo.ChannelTypeGuildText && ch.Type != discordgo.ChannelTypeGuildNews {
		return reply{}, refuse("I post the digest in text and announcement channels only.")
	}

	d := b.digest
	sub, existed, err := d.Subscribe(ctx, channelID, digest.Channel{GuildID: ch.GuildID, News: ch.Type == discordgo.ChannelTypeGuildNews}, at, zoneName)
	if err != nil {
		return reply{}, err
	}
	var msg strings.Builder
	if existed {
		fmt.Fprintf(&msg, "<#%s> keeps the daily digest, now %s.", channelID, d.Describe(sub))
	} else {
		fmt.Fprintf(&msg, "<#%s> now gets the daily digest %s.", channelID, d.Describe(sub))
	}
	if next := d.NextFiring(sub, b.now()); !next.IsZero() {
		fmt.Fprintf(&msg, " Next: <t:%d:F>, when there are new articles.", next.Unix())
	}
	if sub.Since.IsZero() {
		msg.WriteString(" The first covers the last 24 hours.")
	}
	return notice(msg.String(), true), nil
}

// digestUnsubscribe answers /digest unsubscribe [channel].
func (b *Bot) digestUnsubscribe(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if !canManage(i) {
		return reply{}, refuse(msgNeedsManage)
	}
	channelID := optString(i, "channel")
	if channelID == "" {
		channelID = i.ChannelID
	}
	had, err := b.digest.Unsubscribe(ctx, channelID)
	if err != nil {
		return reply{}, err
	}
	if !had {
		return notice(fmt.Sprintf("<#%s> does not get the daily digest.", channelID), true), nil
	}
	return notice(fmt.Sprintf("<#%s> no longer gets the daily digest.", channelID), true), nil
}

// digestStatus answers /digest status: the server's subscriptions, their
// schedules, last and next digests, and the broken ones.
func (b *Bot) digestStatus(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	d := b.digest
	subs, err := d.GuildSubscriptions(ctx, i.GuildID)
	if err != nil {
		return reply{}, err
	}
	now := b.now()
	var lines []string
	for _, s := range subs {
		line := fmt.Sprintf("\u2022 <#%s>: %s", s.ChannelID, d.Describe(s))
		switch {
		case s.Broken != "":
			line += fmt.Sprintf(" \u2014 **broken** since <t:%d:f>: Discord answered %s. Give me access to the channel, then `/digest subscribe` it again.",
				s.BrokenAt.Unix(), escape(s.Broken))
		default:
			if s.LastPost.IsZero() {
				line += " \u00b7 no digest yet"
			} else {
				line += fmt.Sprintf(" \u00b7 last digest <t:%d:f>", s.LastPost.Unix())
			}
			if next := d.NextFiring(s, now); !next.IsZero() {
				line += fmt.Sprintf(" \u00b7 next <t:%d:R>", next.Unix())
			}
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return notice("No channel in this server gets the daily digest. `/digest subscribe` starts it (it needs Manage Server).", true), nil
	}
	text := "**Daily digest in this server** (one a day at most, only when there are new articles)\n" + strings.Join(lines, "\n")
	if d.Threads() {
		text += "\nEach article in a digest opens a thread for questions about it."
	}
	return notice(text, true), nil
}

// digestNow answers /digest now. In a subscribed channel it posts today's
// digest now, and that counts as today's: the scheduled one posts nothing
// more today. Elsewhere it posts a digest of the last 24 hours, once.
func (b *Bot) digestNow(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	d := b.digest
	channelID := i.ChannelID
	sub, found, err := d.Subscription(ctx, channelID)
	if err != nil {
		return reply{}, err
	}
	if found && sub.Broken != "" {
		return reply{}, refuse("The digest here is marked broken (Discord answered %s). Give me access to the channel, then `/digest subscribe` it again.", escape(sub.Broken))
	}
	if !found || sub.Off {
		return b.digestOneOff(ctx, channelID, i.GuildID)
	}
	res, err := d.Now(ctx, channelID)
	if err != nil {
		b.log.Warn("digest now", "channel", channelID, "err", err)
		return reply{}, refuse("I couldn't post the digest: Discord did not take it. I'll try again shortly.")
	}
	switch res.Outcome {
	case digest.Posted:
		return notice(fmt.Sprintf("Posted today's digest here (%d %s). It counts as today's: the scheduled one posts nothing more today.",
			res.Articles, plural(res.Articles, "article", "articles")), true), nil
	case digest.AlreadyToday, digest.GivenUp:
		msg := "Today's digest is already done here."
		if next := d.NextFiring(sub, b.now()); !next.IsZero() {
			msg += fmt.Sprintf(" The next one: <t:%d:F>.", next.Unix())
		}
		return notice(msg, true), nil
	case digest.NothingNew:
		return notice("Nothing new since the last digest here: nothing to post.", true), nil
	case digest.Lost:
		return reply{}, refuse("I can't post here (Discord answers %s). Give me access to the channel, then `/digest subscribe` it again.", escape(res.Reason))
	}
	return b.digestOneOff(ctx, channelID, i.GuildID)
}

// digestOneOff posts a digest of the last 24 hours (or the newest
// article) in a channel that is not subscribed. It records nothing.
func (b *Bot) digestOneOff(ctx context.Context, channelID, guildID string) (reply, error) {
	posted, err := b.digest.OneOff(ctx, channelID, guildID)
	if reason, isLost := digest.GoneReason(err); isLost {
		return reply{}, refuse("I can't post here (Discord answers %s).", escape(reason))
	}
	if err != nil {
		return reply{}, err
	}
	if !posted {
		return notice("I have no articles to make a digest of.", true), nil
	}
	return notice("Posted a digest of the last 24 hours. This channel is not subscribed: `/digest subscribe` posts one every day.", true), nil
}
