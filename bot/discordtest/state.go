package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"
)

// ChannelAccess is how a channel answers the bot's REST calls, set with
// [Fake.SetChannelAccess] to test what the bot does when it loses a
// channel.
type ChannelAccess int

// The ways a channel can answer.
const (
	// AccessOK serves the channel normally.
	AccessOK ChannelAccess = iota
	// AccessMissing answers 403 Missing Access (50001), as when the bot
	// cannot see the channel.
	AccessMissing
	// AccessNoPermissions answers 403 Missing Permissions (50013), as when
	// the bot sees the channel but may not post in it.
	AccessNoPermissions
	// AccessUnknown answers 404 Unknown Channel (10003), as when the channel
	// was deleted.
	AccessUnknown
)

// apiError is a Discord JSON error.
type apiError struct {
	status  int
	code    int
	message string
	errors  map[string]any // field errors of an Invalid Form Body (50035)
}

func newAPIError(status, code int, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

func (a ChannelAccess) err() *apiError {
	switch a {
	case AccessMissing:
		return newAPIError(http.StatusForbidden, 50001, "Missing Access")
	case AccessNoPermissions:
		return newAPIError(http.StatusForbidden, 50013, "Missing Permissions")
	case AccessUnknown:
		return errUnknownChannel()
	}
	return nil
}

// The Discord errors the fake answers with.
func errUnknownChannel() *apiError { return newAPIError(http.StatusNotFound, 10003, "Unknown Channel") }
func errUnknownGuild() *apiError   { return newAPIError(http.StatusNotFound, 10004, "Unknown Guild") }
func errUnknownMember() *apiError  { return newAPIError(http.StatusNotFound, 10007, "Unknown Member") }
func errUnknownMessage() *apiError { return newAPIError(http.StatusNotFound, 10008, "Unknown Message") }
func errUnknownWebhook() *apiError { return newAPIError(http.StatusNotFound, 10015, "Unknown Webhook") }
func errUnknownInteraction() *apiError {
	return newAPIError(http.StatusNotFound, 10062, "Unknown interaction")
}
func errAcknowledged() *apiError {
	return newAPIError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
}
func errEmptyMessage() *apiError {
	return newAPIError(http.StatusBadRequest, 50006, "Cannot send an empty message")
}
func errNotText() *apiError {
	return newAPIError(http.StatusBadRequest, 50008, "Cannot send messages in a non-text channel")
}
func errOtherAuthor() *apiError {
	return newAPIError(http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
}
func errChannelType() *apiError {
	return newAPIError(http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
}
func errThreadExists() *apiError {
	return newAPIError(http.StatusBadRequest, 160004, "A thread has already been created for this message")
}
func errUnauthorized() *apiError  { return newAPIError(http.StatusUnauthorized, 0, "401: Unauthorized") }
func errNotFound() *apiError      { return newAPIError(http.StatusNotFound, 0, "404: Not Found") }
func errMissingAccess() *apiError { return newAPIError(http.StatusForbidden, 50001, "Missing Access") }
func errInvalidJSON() *apiError {
	return newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
}

type guildState struct {
	obj      map[string]any            // the guild object, without channels and members
	channels []string                  // ids, in order of registration
	members  map[string]map[string]any // by user id
}

type channelState struct {
	obj      map[string]any
	access   ChannelAccess
	messages []*messageState
	byID     map[string]*messageState
}

type messageState struct {
	obj     map[string]any
	nonce   string
	created time.Time
	deleted bool
}

// guildID returns the channel's guild, or "" for a DM.
func (c *channelState) guildID() string { return str(c.obj, "guild_id") }

// AddGuild registers g and its Channels, Roles and Members (whose GuildID
// and, for channels, GuildID fields it fills in). A guild registered again
// is replaced, keeping its other channels and members. Registered guilds
// are in READY and get a GUILD_CREATE after it, on the shard they belong
// to. AddGuild does not dispatch anything itself: see [Fake.GuildCreate].
func (f *Fake) AddGuild(g *discordgo.Guild) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addGuildLocked(g)
}

func (f *Fake) addGuildLocked(g *discordgo.Guild) {
	obj, err := toObject(g)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode guild %s: %v", g.ID, err))
	}
	delete(obj, "channels")
	delete(obj, "members")
	delete(obj, "threads")
	if obj["roles"] == nil {
		// Every guild has its @everyone role, whose id is the guild's.
		obj["roles"] = []any{map[string]any{"id": g.ID, "name": "@everyone", "permissions": "0", "position": 0}}
	}
	gs := f.guilds[g.ID]
	if gs == nil {
		gs = &guildState{members: make(map[string]map[string]any)}
		f.guilds[g.ID] = gs
	}
	gs.obj = obj
	for _, c := range g.Channels {
		c.GuildID = g.ID
		f.addChannelLocked(c)
	}
	for _, m := range g.Members {
		m.GuildID = g.ID
		f.addMemberLocked(g.ID, m)
	}
	f.notify()
}

// AddChannel registers c: a guild channel when c.GuildID is set (the guild
// is registered first if it is not), a DM otherwise. A channel registered
// again is replaced, keeping its messages and access.
func (f *Fake) AddChannel(c *discordgo.Channel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addChannelLocked(c)
}

func (f *Fake) addChannelLocked(c *discordgo.Channel) {
	obj, err := toObject(c)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode channel %s: %v", c.ID, err))
	}
	if c.GuildID == "" {
		delete(obj, "guild_id")
	} else if f.guilds[c.GuildID] == nil {
		f.addGuildLocked(&discordgo.Guild{ID: c.GuildID, Name: "guild " + c.GuildID})
	}
	f.putChannelLocked(obj)
}

func (f *Fake) putChannelLocked(obj map[string]any) *channelState {
	id := str(obj, "id")
	cs := f.channels[id]
	if cs == nil {
		cs = &channelState{byID: make(map[string]*messageState)}
		f.channels[id] = cs
	}
	cs.obj = obj
	if gid := cs.guildID(); gid != "" {
		if gs := f.guilds[gid]; gs != nil && !slices.Contains(gs.channels, id) {
			gs.channels = append(gs.channels, id)
		}
	}
	f.notify()
	return cs
}

// AddMember registers m as a member of the guild guildID (registered first
// if it is not). GET /guilds/{guild}/members/{user} answers with it, and
// interactions in that guild from that user carry it, with its Permissions
// as the member's computed permissions.
func (f *Fake) AddMember(guildID string, m *discordgo.Member) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.guilds[guildID] == nil {
		f.addGuildLocked(&discordgo.Guild{ID: guildID, Name: "guild " + guildID})
	}
	f.addMemberLocked(guildID, m)
}

func (f *Fake) addMemberLocked(guildID string, m *discordgo.Member) {
	if m.User == nil || m.User.ID == "" {
		panic("discordtest: AddMember needs a member with a user id")
	}
	obj, err := toObject(m)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode member %s: %v", m.User.ID, err))
	}
	obj["guild_id"] = guildID
	if obj["roles"] == nil {
		obj["roles"] = []any{}
	}
	if u, ok := obj["user"].(map[string]any); ok {
		f.users[m.User.ID] = u
	}
	f.guilds[guildID].members[m.User.ID] = obj
	f.notify()
}

// SetChannelAccess sets how channel channelID answers REST calls from now
// on: every route under /channels/{id} answers with a's error (or normally
// for AccessOK). The channel need not be registered.
func (f *Fake) SetChannelAccess(channelID string, a ChannelAccess) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs := f.channels[channelID]
	if cs == nil {
		cs = f.putChannelLocked(map[string]any{"id": channelID, "type": 0})
	}
	cs.access = a
}

// Channel returns the channel channelID as the fake holds it, and whether
// it exists. Threads the bot started are channels too.
func (f *Fake) Channel(channelID string) (*discordgo.Channel, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs := f.channels[channelID]
	if cs == nil {
		return nil, false
	}
	c, err := decodeAs[*discordgo.Channel](cs.obj)
	if err != nil {
		panic(fmt.Sprintf("discordtest: decode channel %s: %v", channelID, err))
	}
	return c, true
}

// Messages returns the messages in channel channelID, oldest first, as they
// now are (after edits; deleted ones left out): the bot's (sent over REST,
// or as non-ephemeral interaction responses and followups) and those
// dispatched with MESSAGE_CREATE. It returns nil for an unknown channel.
func (f *Fake) Messages(channelID string) []*discordgo.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs := f.channels[channelID]
	if cs == nil {
		return nil
	}
	var out []*discordgo.Message
	for _, m := range cs.messages {
		if !m.deleted {
			out = append(out, decodeMessage(m.obj))
		}
	}
	return out
}

// decodeMessage turns a stored message object into a discordgo.Message.
func decodeMessage(obj map[string]any) *discordgo.Message {
	b, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode message: %v", err))
	}
	var m discordgo.Message
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("discordtest: decode message %s: %v", b, err))
	}
	return &m
}

// storeMessage adds a message object to its channel, creating the channel
// as a DM if it is unknown. f.mu must be held.
func (f *Fake) storeMessage(obj map[string]any, nonce string) *messageState {
	cid := str(obj, "channel_id")
	cs := f.channels[cid]
	if cs == nil {
		cs = f.putChannelLocked(map[string]any{"id": cid, "type": int(discordgo.ChannelTypeDM)})
	}
	ms := &messageState{obj: obj, nonce: nonce, created: f.now()}
	if old := cs.byID[str(obj, "id")]; old != nil {
		*old = *ms
		return old
	}
	cs.messages = append(cs.messages, ms)
	cs.byID[str(obj, "id")] = ms
	f.notify()
	return ms
}

// findMessage returns the live message id in channel cid, or nil.
func (f *Fake) findMessage(cid, id string) *messageState {
	cs := f.channels[cid]
	if cs == nil {
		return nil
	}
	m := cs.byID[id]
	if m == nil || m.deleted {
		return nil
	}
	return m
}

// userObject returns the user id as the fake knows it, or a bare one.
func (f *Fake) userObject(id string) map[string]any {
	if u := f.users[id]; u != nil {
		return cloneJSON(u).(map[string]any)
	}
	return map[string]any{"id": id, "username": "user" + id, "discriminator": "0", "avatar": nil}
}

// botUser returns the bot's user object.
func (f *Fake) botUser() map[string]any { return f.userObject(f.cfg.BotUserID) }

// guildCreatePayload returns the GUILD_CREATE payload for a guild.
func (f *Fake) guildCreatePayload(gs *guildState) map[string]any {
	g := cloneJSON(gs.obj).(map[string]any)
	var channels, threads []any
	for _, id := range gs.channels {
		cs := f.channels[id]
		if cs == nil {
			continue
		}
		c := cloneJSON(cs.obj).(map[string]any)
		switch discordgo.ChannelType(num(c, "type")) {
		case discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread, discordgo.ChannelTypeGuildNewsThread:
			threads = append(threads, c)
		default:
			channels = append(channels, c)
		}
	}
	g["channels"] = nonNil(channels)
	g["threads"] = nonNil(threads)
	members := []any{map[string]any{"user": f.botUser(), "roles": []any{}, "joined_at": timestamp(f.now())}}
	g["members"] = members
	g["member_count"] = len(gs.members) + 1
	g["unavailable"] = false
	g["large"] = false
	g["joined_at"] = timestamp(f.now())
	return g
}

func nonNil(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}
