package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// Dispatch sends event eventType with payload as its "d" to the gateway
// sessions that Discord would send it to, and returns how many sessions
// it was sent to. payload is any value encoding/json can encode
// (a json.RawMessage is sent as is).
//
// A payload with a guild_id goes to the shard that guild belongs to (see
// [ShardForGuild]); one without goes to shard 0. A session whose intents
// exclude the event does not get it, and one without the message content
// intent gets guild messages that neither mention the bot nor are its own
// with their content, embeds, attachments and components emptied, as on
// Discord. A session that is not connected gets the event when it resumes.
//
// Some events also change the fake's state, as they would Discord's:
// MESSAGE_CREATE stores the message in its channel, INTERACTION_CREATE
// opens the interaction for responses (its deadline starts now), and
// GUILD_CREATE and CHANNEL_CREATE/THREAD_CREATE register the guild or
// channel.
//
// Dispatch fails tb if the payload cannot be encoded or if no session can
// receive events at all (wait for one first, with [Fake.WaitReady]).
func (f *Fake) Dispatch(tb testing.TB, eventType string, payload any) int {
	tb.Helper()
	return f.dispatch(tb, AllShards, eventType, payload)
}

// DispatchShard is Dispatch to the sessions of shard shard only, whatever
// the payload's guild.
func (f *Fake) DispatchShard(tb testing.TB, shard int, eventType string, payload any) int {
	tb.Helper()
	return f.dispatch(tb, shard, eventType, payload)
}

func (f *Fake) dispatch(tb testing.TB, shard int, eventType string, payload any) int {
	tb.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		tb.Fatalf("discordtest: encode %s payload: %v", eventType, err)
	}
	dv, err := decodeJSON(b)
	if err != nil {
		tb.Fatalf("discordtest: %s payload is not JSON: %v", eventType, err)
	}
	d, _ := dv.(map[string]any)

	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.notify()
	if err := f.applyEvent(eventType, d); err != nil {
		tb.Fatalf("discordtest: %s: %v", eventType, err)
	}
	var valid int
	sent := 0
	guildID := idString(d, "guild_id")
	for _, s := range f.sortedSessions() {
		if !s.valid {
			continue
		}
		valid++
		switch {
		case shard != AllShards:
			if s.shard[0] != shard {
				continue
			}
		case guildID != "":
			if guildShard(guildID, s.shard[1]) != s.shard[0] {
				continue
			}
		default:
			if s.shard[0] != 0 {
				continue
			}
		}
		need := eventIntents(eventType, d)
		if need != 0 && s.intents&need == 0 {
			tb.Logf("discordtest: %s not sent to session of shard %v: intents %#x lack %#x", eventType, s.shard, s.intents, need)
			continue
		}
		out := any(json.RawMessage(b))
		if d != nil && f.hideContent(s, eventType, d) {
			out = withoutContent(d)
		}
		f.dispatchTo(s, eventType, out, true)
		sent++
	}
	if valid == 0 {
		tb.Fatalf("discordtest: dispatch %s: no gateway session (wait for the bot with WaitReady first)", eventType)
	}
	return sent
}

// echo dispatches an event caused by the bot's own REST call, if echoes
// are on. f.mu must be held.
func (f *Fake) echo(eventType string, d map[string]any) {
	if f.cfg.NoEcho {
		return
	}
	guildID := idString(d, "guild_id")
	for _, s := range f.sortedSessions() {
		if !s.valid || (guildID != "" && guildShard(guildID, s.shard[1]) != s.shard[0]) || (guildID == "" && s.shard[0] != 0) {
			continue
		}
		if need := eventIntents(eventType, d); need != 0 && s.intents&need == 0 {
			continue
		}
		f.dispatchTo(s, eventType, cloneJSON(d), true)
	}
	f.notify()
}

// applyEvent updates the fake's state for a dispatched event. f.mu must be
// held.
func (f *Fake) applyEvent(eventType string, d map[string]any) error {
	switch eventType {
	case "MESSAGE_CREATE":
		if str(d, "channel_id") == "" || str(d, "id") == "" {
			return fmt.Errorf("message needs id and channel_id")
		}
		if u, ok := d["author"].(map[string]any); ok && str(u, "id") != "" && f.users[str(u, "id")] == nil {
			f.users[str(u, "id")] = cloneJSON(u).(map[string]any)
		}
		f.storeMessage(cloneJSON(d).(map[string]any), "")
	case "INTERACTION_CREATE":
		if str(d, "id") == "" || str(d, "token") == "" {
			return fmt.Errorf("interaction needs id and token")
		}
		f.openInteraction(d)
	case "GUILD_CREATE":
		g, err := decodeAs[*discordgo.Guild](d)
		if err != nil {
			return fmt.Errorf("decode guild: %w", err)
		}
		f.addGuildLocked(g)
	case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE":
		if str(d, "id") == "" {
			return fmt.Errorf("channel needs an id")
		}
		f.putChannelLocked(cloneJSON(d).(map[string]any))
	}
	return nil
}

// eventIntents returns the intent an event needs, or 0 for none.
func eventIntents(eventType string, d map[string]any) int {
	guild := idString(d, "guild_id") != ""
	pick := func(g, dm int) int {
		if guild {
			return g
		}
		return dm
	}
	switch eventType {
	case "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE",
		"GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE",
		"CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE",
		"THREAD_CREATE", "THREAD_UPDATE", "THREAD_DELETE", "THREAD_LIST_SYNC", "THREAD_MEMBER_UPDATE":
		return intentGuilds
	case "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "THREAD_MEMBERS_UPDATE":
		return intentGuildMembers
	case "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK":
		return pick(intentGuildMessages, intentDirectMessages)
	case "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE", "MESSAGE_REACTION_REMOVE_ALL", "MESSAGE_REACTION_REMOVE_EMOJI":
		return pick(intentGuildMessageReactions, intentDirectMessageReactions)
	case "TYPING_START":
		return pick(intentGuildMessageTyping, intentDirectMessageTyping)
	}
	return 0
}

// hideContent reports whether s may not see a message event's content.
func (f *Fake) hideContent(s *session, eventType string, d map[string]any) bool {
	if eventType != "MESSAGE_CREATE" && eventType != "MESSAGE_UPDATE" {
		return false
	}
	if s.intents&intentMessageContent != 0 || idString(d, "guild_id") == "" {
		return false
	}
	if u, ok := d["author"].(map[string]any); ok && str(u, "id") == f.cfg.BotUserID {
		return false
	}
	mentions, _ := d["mentions"].([]any)
	for _, m := range mentions {
		if u, ok := m.(map[string]any); ok && str(u, "id") == f.cfg.BotUserID {
			return false
		}
	}
	return true
}

// withoutContent returns a message payload with its content fields
// emptied.
func withoutContent(d map[string]any) map[string]any {
	out := cloneJSON(d).(map[string]any)
	out["content"] = ""
	out["embeds"] = []any{}
	out["attachments"] = []any{}
	out["components"] = []any{}
	delete(out, "poll")
	return out
}

// mentionIDs returns the user ids mentioned as <@id> or <@!id> in
// content, in order, without repeats.
func mentionIDs(content string) []string {
	var ids []string
	for {
		i := strings.Index(content, "<@")
		if i < 0 {
			return ids
		}
		content = strings.TrimPrefix(content[i+2:], "!")
		end := strings.IndexByte(content, '>')
		if end > 0 && strings.Trim(content[:end], "0123456789") == "" && !slices.Contains(ids, content[:end]) {
			ids = append(ids, content[:end])
		}
	}
}

// MessageCreate dispatches a MESSAGE_CREATE for m, as if a user had sent
// it, and returns the message as dispatched. Empty fields are filled in:
// ID (a new snowflake), ChannelID (DefaultChannelID), GuildID (the
// channel's guild), Author (DefaultUserID's user), Timestamp (now), Member
// (for a guild member), and Mentions (from <@id> mentions in Content).
// It fails tb as Dispatch does.
func (f *Fake) MessageCreate(tb testing.TB, m *discordgo.Message) *discordgo.Message {
	tb.Helper()
	msg := *m
	f.mu.Lock()
	if msg.ID == "" {
		msg.ID = f.newID()
	}
	if msg.ChannelID == "" {
		msg.ChannelID = DefaultChannelID
	}
	if cs := f.channels[msg.ChannelID]; cs != nil && msg.GuildID == "" {
		msg.GuildID = cs.guildID()
	}
	if msg.Author == nil {
		u, err := decodeAs[*discordgo.User](f.userObject(DefaultUserID))
		if err != nil {
			f.mu.Unlock()
			tb.Fatalf("discordtest: default author: %v", err)
		}
		msg.Author = u
	}
	if msg.Timestamp.IsZero() {
		msg.Timestamp = f.now()
	}
	if msg.Mentions == nil {
		msg.Mentions = []*discordgo.User{}
		for _, id := range mentionIDs(msg.Content) {
			if u, err := decodeAs[*discordgo.User](f.userObject(id)); err == nil {
				msg.Mentions = append(msg.Mentions, u)
			}
		}
	}
	if msg.Member == nil && msg.GuildID != "" {
		if gs := f.guilds[msg.GuildID]; gs != nil {
			if mem := gs.members[msg.Author.ID]; mem != nil {
				pm := cloneJSON(mem).(map[string]any)
				delete(pm, "user")
				msg.Member, _ = decodeAs[*discordgo.Member](pm)
			}
		}
	}
	f.mu.Unlock()

	obj, err := messageObject(&msg)
	if err != nil {
		tb.Fatalf("discordtest: encode message: %v", err)
	}
	f.Dispatch(tb, "MESSAGE_CREATE", obj)
	return decodeMessage(obj)
}

// messageObject encodes a discordgo.Message as Discord sends one, with its
// components (which discordgo does not encode) and arrays never null.
func messageObject(m *discordgo.Message) (map[string]any, error) {
	obj, err := toObject(m)
	if err != nil {
		return nil, err
	}
	comps := []any{}
	if len(m.Components) > 0 {
		b, err := json.Marshal(m.Components)
		if err != nil {
			return nil, fmt.Errorf("encode components: %w", err)
		}
		if err := json.Unmarshal(b, &comps); err != nil {
			return nil, fmt.Errorf("decode components: %w", err)
		}
	}
	obj["components"] = comps
	for _, k := range []string{"embeds", "attachments", "mentions", "mention_roles"} {
		if obj[k] == nil {
			obj[k] = []any{}
		}
	}
	for _, k := range []string{"reactions", "mention_channels", "message_snapshots", "sticker_items", "activity", "application", "interaction", "interaction_metadata", "poll", "referenced_message", "message_reference", "member"} {
		if obj[k] == nil {
			delete(obj, k)
		}
	}
	if obj["webhook_id"] == "" {
		delete(obj, "webhook_id")
	}
	return obj, nil
}

// GuildCreate registers g (see [Fake.AddGuild]) and dispatches its
// GUILD_CREATE, as when the bot joins a guild or it becomes available. It
// fails tb as Dispatch does.
func (f *Fake) GuildCreate(tb testing.TB, g *discordgo.Guild) {
	tb.Helper()
	f.AddGuild(g)
	f.mu.Lock()
	payload := f.guildCreatePayload(f.guilds[g.ID])
	f.mu.Unlock()
	f.Dispatch(tb, "GUILD_CREATE", payload)
}
