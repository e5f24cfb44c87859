package discordtest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// interactionTokenLife is how long an interaction's token serves the
// webhook routes (the original response and followups), as on Discord.
const interactionTokenLife = 15 * time.Minute

// InteractionResponse is an initial response (a callback) the bot gave an
// interaction. It is a snapshot, safe to share between goroutines; treat
// its pointers as read-only.
type InteractionResponse struct {
	// InteractionID identifies the interaction, and InteractionType says
	// what it was (command, component, autocomplete, modal submit).
	InteractionID   string
	InteractionType discordgo.InteractionType
	// Type is the response's type (4 message, 5 deferred message, 6
	// deferred update, 7 update, 8 autocomplete result, 9 modal).
	Type discordgo.InteractionResponseType
	// Data is the response's data decoded as a message (content, embeds,
	// components, flags); nil when it had none.
	Data *discordgo.Message
	// Choices are an autocomplete result's choices.
	Choices []*discordgo.ApplicationCommandOptionChoice
	// Ephemeral reports the ephemeral flag (64) in the response's data.
	Ephemeral bool
	// Latency is the time from the interaction's dispatch to the callback,
	// on the fake's clock (Config.Now).
	Latency time.Duration
	// Call is the REST call that carried the response.
	Call Call
}

// Interaction is the fake's view of an interaction it dispatched. It is a
// snapshot (later edits do not show in it), safe to share between
// goroutines.
type Interaction struct {
	ID        string
	Type      discordgo.InteractionType
	Token     string
	ChannelID string
	GuildID   string
	// Responded reports that the initial response was accepted, and
	// Response is it.
	Responded bool
	Response  InteractionResponse
	// Original is the original response message as it now is (after
	// edits; nil before a response that makes one, after its deletion, and
	// for autocomplete and modals). For a deferred response it is the
	// loading message until edited (flag 128).
	Original *discordgo.Message
	// Followups are the followup messages, oldest first, as they now are.
	Followups []*discordgo.Message
}

type interactionState struct {
	obj        map[string]any
	id         string
	typ        discordgo.InteractionType
	token      string
	channelID  string
	guildID    string
	dispatched time.Time
	acked      bool                 // a callback was accepted
	pending    *InteractionResponse // the accepted callback, until its call is recorded
	responded  bool                 // the accepted callback's call is recorded
	response   InteractionResponse
	original   *messageState
	followups  []*messageState
}

// openInteraction registers a dispatched interaction. f.mu must be held.
func (f *Fake) openInteraction(d map[string]any) {
	is := &interactionState{
		obj:        cloneJSON(d).(map[string]any),
		id:         str(d, "id"),
		typ:        discordgo.InteractionType(num(d, "type")),
		token:      str(d, "token"),
		channelID:  idString(d, "channel_id"),
		guildID:    idString(d, "guild_id"),
		dispatched: f.now(),
	}
	f.interactions[is.id] = is
	f.byToken[is.token] = is
}

// InteractionCreate dispatches an INTERACTION_CREATE for i, as if a user
// had used a command, a component or a modal, and returns the interaction
// as dispatched. i.Type and i.Data must be set; other empty fields are
// filled in: ID, Token, AppID, ChannelID (DefaultChannelID), GuildID (the
// channel's guild), Member (the registered member DefaultUserID, or the
// member whose user is i.User) in a guild or User (DefaultUserID's user) in
// a DM, Locale, and Version. The interaction's response deadline starts
// now. It fails tb as Dispatch does.
func (f *Fake) InteractionCreate(tb testing.TB, i *discordgo.Interaction) *discordgo.Interaction {
	tb.Helper()
	obj := f.fillInteraction(tb, i)
	f.Dispatch(tb, "INTERACTION_CREATE", obj)
	out, err := decodeAs[*discordgo.Interaction](obj)
	if err != nil {
		tb.Fatalf("discordtest: decode interaction: %v", err)
	}
	return out
}

// fillInteraction fills in the fields of i a test leaves empty (see
// InteractionCreate) and returns it as a JSON object.
func (f *Fake) fillInteraction(tb testing.TB, i *discordgo.Interaction) map[string]any {
	tb.Helper()
	in := *i
	f.mu.Lock()
	if in.ID == "" {
		in.ID = f.newID()
	}
	if in.Token == "" {
		in.Token = "itoken-" + randomToken(24)
	}
	if in.AppID == "" {
		in.AppID = f.cfg.ApplicationID
	}
	if in.ChannelID == "" {
		in.ChannelID = DefaultChannelID
	}
	if cs := f.channels[in.ChannelID]; cs != nil && in.GuildID == "" {
		in.GuildID = cs.guildID()
	}
	userID := DefaultUserID
	if in.User != nil {
		userID = in.User.ID
	}
	if in.Member != nil && in.Member.User != nil {
		userID = in.Member.User.ID
	}
	var err error
	if in.GuildID != "" {
		if in.Member == nil {
			mem := map[string]any{"user": f.userObject(userID), "roles": []any{}, "permissions": "0"}
			if gs := f.guilds[in.GuildID]; gs != nil && gs.members[userID] != nil {
				mem = cloneJSON(gs.members[userID]).(map[string]any)
				if mem["permissions"] == nil {
					mem["permissions"] = "0"
				}
			}
			in.Member, err = decodeAs[*discordgo.Member](mem)
		}
		in.User = nil
	} else if in.User == nil {
		in.User, err = decodeAs[*discordgo.User](f.userObject(userID))
	}
	f.mu.Unlock()
	if err != nil {
		tb.Fatalf("discordtest: fill interaction user: %v", err)
	}
	if in.Locale == "" {
		in.Locale = discordgo.EnglishUS
	}
	if in.Version == 0 {
		in.Version = 1
	}
	obj, err := toObject(&in)
	if err != nil {
		tb.Fatalf("discordtest: encode interaction: %v", err)
	}
	if in.Message != nil {
		if mo, err := messageObject(in.Message); err == nil {
			obj["message"] = mo
		}
	}
	if in.GuildID == "" {
		delete(obj, "guild_id")
		delete(obj, "member")
		delete(obj, "guild_locale")
	} else {
		delete(obj, "user")
	}
	return obj
}

// Interaction returns the fake's view of the interaction id, and whether
// it knows it.
func (f *Fake) Interaction(id string) (Interaction, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	is := f.interactions[id]
	if is == nil {
		return Interaction{}, false
	}
	out := Interaction{
		ID: is.id, Type: is.typ, Token: is.token, ChannelID: is.channelID, GuildID: is.guildID,
		Responded: is.responded, Response: is.response,
	}
	if is.original != nil && !is.original.deleted {
		out.Original = decodeMessage(is.original.obj)
	}
	for _, m := range is.followups {
		if !m.deleted {
			out.Followups = append(out.Followups, decodeMessage(m.obj))
		}
	}
	return out, true
}

// InteractionResponses returns every accepted initial response, in the
// order they came.
func (f *Fake) InteractionResponses() []InteractionResponse {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]InteractionResponse(nil), f.responses...)
}

// WaitInteractionResponse waits for the accepted initial response to the
// interaction id and returns it.
func (f *Fake) WaitInteractionResponse(ctx context.Context, id string) (InteractionResponse, error) {
	found, err := waitFirst(ctx, f, f.InteractionResponses, func(r InteractionResponse) bool { return r.InteractionID == id })
	if err != nil {
		return found, fmt.Errorf("wait for response to interaction %s: %w; calls seen:%s", id, err, f.callList())
	}
	return found, nil
}

// allowedResponses lists the response types each interaction type takes.
func allowedResponse(it discordgo.InteractionType, rt discordgo.InteractionResponseType) bool {
	switch it {
	case discordgo.InteractionApplicationCommand:
		return rt == discordgo.InteractionResponseChannelMessageWithSource ||
			rt == discordgo.InteractionResponseDeferredChannelMessageWithSource || rt == discordgo.InteractionResponseModal
	case discordgo.InteractionMessageComponent:
		return rt == discordgo.InteractionResponseChannelMessageWithSource ||
			rt == discordgo.InteractionResponseDeferredChannelMessageWithSource ||
			rt == discordgo.InteractionResponseDeferredMessageUpdate || rt == discordgo.InteractionResponseUpdateMessage ||
			rt == discordgo.InteractionResponseModal
	case discordgo.InteractionApplicationCommandAutocomplete:
		return rt == discordgo.InteractionApplicationCommandAutocompleteResult
	case discordgo.InteractionModalSubmit:
		return rt == discordgo.InteractionResponseChannelMessageWithSource ||
			rt == discordgo.InteractionResponseDeferredChannelMessageWithSource ||
			rt == discordgo.InteractionResponseDeferredMessageUpdate || rt == discordgo.InteractionResponseUpdateMessage
	}
	return false
}

func (f *Fake) postCallback(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	is := f.interactions[r.PathValue("interaction")]
	if is == nil || is.token != r.PathValue("token") {
		return 0, nil, errUnknownInteraction()
	}
	if aerr := f.acceptCallback(is, src); aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusNoContent, nil, nil
}

// acceptCallback checks an initial response to the interaction is and,
// when Discord would take it, applies it (the original message made or
// updated) and holds it as pending until its call is recorded. f.mu must
// be held.
func (f *Fake) acceptCallback(is *interactionState, src map[string]any) *apiError {
	now := f.now()
	if now.Sub(is.dispatched) > f.cfg.InteractionDeadline {
		return errUnknownInteraction()
	}
	if is.acked {
		return errAcknowledged()
	}
	rt := discordgo.InteractionResponseType(num(src, "type"))
	data, _ := src["data"].(map[string]any)
	var fe formErrors
	if !allowedResponse(is.typ, rt) {
		fe.add("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type %d is not valid for interaction type %d", rt, is.typ)
		return fe.err()
	}
	switch rt {
	case discordgo.InteractionResponseChannelMessageWithSource:
		if data == nil {
			data = map[string]any{}
		}
		validateMessage(&fe, "data", data, messageRules{})
	case discordgo.InteractionResponseUpdateMessage:
		if data != nil {
			validateMessage(&fe, "data", data, messageRules{allowEmpty: true})
		}
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		validateChoices(&fe, "data.choices", anySlice(data["choices"]))
	case discordgo.InteractionResponseModal:
		if id := str(data, "custom_id"); id == "" || len(id) > maxCustomID {
			fe.add("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxCustomID)
		}
		if t := str(data, "title"); t == "" || len([]rune(t)) > 45 {
			fe.add("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
		}
	}
	if aerr := fe.err(); aerr != nil {
		return aerr
	}

	ephemeral := num(data, "flags")&flagEphemeral != 0
	switch rt {
	case discordgo.InteractionResponseChannelMessageWithSource:
		is.original = f.interactionMessage(is, data, ephemeral, false)
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		is.original = f.interactionMessage(is, map[string]any{}, ephemeral, true)
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		is.original = f.componentMessage(is)
		if rt == discordgo.InteractionResponseUpdateMessage && data != nil {
			edited := cloneJSON(is.original.obj).(map[string]any)
			applyEdit(edited, data)
			edited["edited_timestamp"] = timestamp(now)
			is.original.obj = edited
			if num(edited, "flags")&flagEphemeral == 0 {
				f.echo("MESSAGE_UPDATE", edited)
			}
		}
	}

	resp := InteractionResponse{
		InteractionID: is.id, InteractionType: is.typ, Type: rt, Ephemeral: ephemeral,
		Latency: now.Sub(is.dispatched),
	}
	if data != nil {
		resp.Data = decodeMessage(data)
		if rt == discordgo.InteractionApplicationCommandAutocompleteResult {
			resp.Choices, _ = decodeAs[[]*discordgo.ApplicationCommandOptionChoice](data["choices"])
		}
	}
	is.acked = true
	is.pending = &resp
	return nil
}

// recordResponse completes an accepted callback with its recorded call.
// f.mu must be held.
func (f *Fake) recordResponse(c Call) {
	if c.Route != "POST "+apiPrefix+"/interactions/{interaction}/{token}/callback" {
		return
	}
	parts := strings.Split(strings.TrimPrefix(c.Path, apiPrefix+"/"), "/") // interactions, id, token, callback
	if len(parts) != 4 {
		return
	}
	is := f.interactions[parts[1]]
	if is == nil || is.pending == nil || c.Status != http.StatusNoContent {
		return
	}
	resp := *is.pending
	resp.Call = c
	is.pending = nil
	is.responded, is.response = true, resp
	f.responses = append(f.responses, resp)
}

// interactionMessage creates a message sent as an interaction's response
// or followup. f.mu must be held.
func (f *Fake) interactionMessage(is *interactionState, data map[string]any, ephemeral, loading bool) *messageState {
	cs := f.channels[is.channelID]
	if cs == nil {
		cs = f.putChannelLocked(map[string]any{"id": is.channelID, "type": int(discordgo.ChannelTypeDM)})
	}
	m := f.newMessage(cs, data)
	m["webhook_id"] = f.cfg.ApplicationID
	m["application_id"] = f.cfg.ApplicationID
	if is.typ == discordgo.InteractionApplicationCommand {
		m["type"] = int(discordgo.MessageTypeChatInputCommand)
	}
	flags := num(data, "flags") &^ flagEphemeral
	if ephemeral {
		flags |= flagEphemeral
	}
	if loading {
		flags |= flagLoading
	}
	m["flags"] = flags
	user := is.obj["user"]
	if mem, ok := is.obj["member"].(map[string]any); ok {
		user = mem["user"]
	}
	m["interaction_metadata"] = map[string]any{
		"id": is.id, "type": int(is.typ), "user": user,
		"authorizing_integration_owners": map[string]any{},
	}
	if ephemeral {
		// Ephemeral messages are not in the channel for anyone else.
		return &messageState{obj: m, created: f.now()}
	}
	ms := f.storeMessage(m, "")
	if !loading {
		f.echo("MESSAGE_CREATE", m)
	}
	return ms
}

// componentMessage returns the message a component interaction came
// from: the stored one if the fake holds it, else the payload's copy.
// f.mu must be held.
func (f *Fake) componentMessage(is *interactionState) *messageState {
	mo, _ := is.obj["message"].(map[string]any)
	if m := f.findMessage(str(mo, "channel_id"), str(mo, "id")); m != nil {
		return m
	}
	if mo == nil {
		mo = map[string]any{"id": f.newID(), "channel_id": is.channelID, "content": ""}
	}
	return &messageState{obj: cloneJSON(mo).(map[string]any), created: f.now()}
}

// webhookInteraction returns the interaction whose webhook a request
// addresses. f.mu must be held.
func (f *Fake) webhookInteraction(r *http.Request) (*interactionState, *apiError) {
	is := f.byToken[r.PathValue("token")]
	if is == nil || r.PathValue("app") != f.cfg.ApplicationID || f.now().Sub(is.dispatched) > interactionTokenLife {
		return nil, errUnknownWebhook()
	}
	return is, nil
}

// webhookMessage returns the message a webhook message route addresses.
// f.mu must be held.
func (f *Fake) webhookMessage(r *http.Request) (*interactionState, *messageState, *apiError) {
	is, aerr := f.webhookInteraction(r)
	if aerr != nil {
		return nil, nil, aerr
	}
	id := r.PathValue("message")
	if id == "@original" {
		if is.original == nil || is.original.deleted {
			return nil, nil, errUnknownMessage()
		}
		return is, is.original, nil
	}
	if is.original != nil && !is.original.deleted && str(is.original.obj, "id") == id {
		return is, is.original, nil
	}
	for _, m := range is.followups {
		if !m.deleted && str(m.obj, "id") == id {
			return is, m, nil
		}
	}
	return nil, nil, errUnknownMessage()
}

func (f *Fake) getWebhookMessage(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, m, aerr := f.webhookMessage(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, m.obj, nil
}

func (f *Fake) patchWebhookMessage(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, m, aerr := f.webhookMessage(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	wasLoading := num(m.obj, "flags")&flagLoading != 0
	status, out, aerr := f.editMessage(m, src)
	if aerr != nil {
		return 0, nil, aerr
	}
	if wasLoading {
		// Editing a deferred response replaces its loading message.
		m.obj["flags"] = num(m.obj, "flags") &^ flagLoading
		m.obj["edited_timestamp"] = nil
		out = m.obj
	}
	return status, out, nil
}

func (f *Fake) deleteWebhookMessage(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, m, aerr := f.webhookMessage(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.removeMessage(m)
	return http.StatusNoContent, nil, nil
}

func (f *Fake) postFollowup(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	is, aerr := f.webhookInteraction(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	if !is.acked {
		return 0, nil, errUnknownWebhook()
	}
	var fe formErrors
	validateMessage(&fe, "", src, messageRules{})
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}
	var m *messageState
	if o := is.original; o != nil && !o.deleted && num(o.obj, "flags")&flagLoading != 0 {
		// The first followup after a deferral replaces the loading message.
		if _, _, aerr := f.editMessage(o, src); aerr != nil {
			return 0, nil, aerr
		}
		o.obj["flags"] = num(o.obj, "flags") &^ flagLoading
		o.obj["edited_timestamp"] = nil
		m = o
	} else {
		m = f.interactionMessage(is, src, num(src, "flags")&flagEphemeral != 0, false)
		is.followups = append(is.followups, m)
	}
	f.notify()
	if wait, _ := strconv.ParseBool(r.URL.Query().Get("wait")); !wait {
		return http.StatusNoContent, nil, nil
	}
	return http.StatusOK, m.obj, nil
}

// Commands returns the application commands registered for guildID, or
// the global ones when guildID is "", as the last bulk overwrite left them;
// nil if none were registered.
func (f *Fake) Commands(guildID string) []*discordgo.ApplicationCommand {
	f.mu.Lock()
	defer f.mu.Unlock()
	cmds := f.commands[guildID]
	if cmds == nil {
		return nil
	}
	out, err := decodeAs[[]*discordgo.ApplicationCommand](cmds)
	if err != nil {
		panic(fmt.Sprintf("discordtest: decode commands: %v", err))
	}
	return out
}

func (f *Fake) putCommands(r *http.Request, body any) (int, any, *apiError) {
	list, ok := body.([]any)
	if !ok {
		return 0, nil, errInvalidJSON()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.PathValue("app") != f.cfg.ApplicationID {
		return 0, nil, errMissingAccess()
	}
	guildID := r.PathValue("guild")
	if guildID != "" && f.guilds[guildID] == nil {
		return 0, nil, errMissingAccess()
	}
	var fe formErrors
	validateCommands(&fe, list)
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}
	old := map[string]map[string]any{}
	for _, c := range f.commands[guildID] {
		old[strconv.Itoa(num(c, "type"))+"/"+str(c, "name")] = c
	}
	out := []any{}
	var stored []map[string]any
	for _, x := range list {
		c := cloneJSON(x).(map[string]any)
		if num(c, "type") == 0 {
			c["type"] = 1
		}
		key := strconv.Itoa(num(c, "type")) + "/" + str(c, "name")
		if prev := old[key]; prev != nil {
			c["id"] = prev["id"]
		} else {
			c["id"] = f.newID()
		}
		c["application_id"] = f.cfg.ApplicationID
		c["version"] = f.newID()
		if guildID != "" {
			c["guild_id"] = guildID
		} else {
			delete(c, "guild_id")
		}
		if c["options"] == nil && num(c, "type") == 1 {
			c["options"] = []any{}
		}
		if dmp, ok := c["default_member_permissions"]; ok && dmp != nil {
			c["default_member_permissions"] = nonceString(dmp)
		} else {
			c["default_member_permissions"] = nil
		}
		if c["description"] == nil {
			c["description"] = ""
		}
		c["nsfw"] = c["nsfw"] == true
		stored = append(stored, c)
		out = append(out, c)
	}
	if stored == nil {
		stored = []map[string]any{}
	}
	f.commands[guildID] = stored
	return http.StatusOK, out, nil
}

func (f *Fake) getCommands(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.PathValue("app") != f.cfg.ApplicationID {
		return 0, nil, errMissingAccess()
	}
	out := []any{}
	for _, c := range f.commands[r.PathValue("guild")] {
		out = append(out, c)
	}
	return http.StatusOK, out, nil
}
