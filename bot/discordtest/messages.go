package discordtest

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Message flags the fake looks at.
const (
	flagSuppressEmbeds = 1 << 2
	flagEphemeral      = 1 << 6
	flagLoading        = 1 << 7
)

// channelLocked returns a channel the bot may use, or the error Discord
// would answer. f.mu must be held.
func (f *Fake) channelLocked(id string) (*channelState, *apiError) {
	cs := f.channels[id]
	if cs == nil {
		return nil, errUnknownChannel()
	}
	if e := cs.access.err(); e != nil {
		return nil, e
	}
	return cs, nil
}

// messageLocked returns the live message named by a request's {channel}
// and {message}, or the error Discord would answer. f.mu must be held.
func (f *Fake) messageLocked(r *http.Request) (*messageState, *apiError) {
	cs, aerr := f.channelLocked(r.PathValue("channel"))
	if aerr != nil {
		return nil, aerr
	}
	m := f.findMessage(str(cs.obj, "id"), r.PathValue("message"))
	if m == nil {
		return nil, errUnknownMessage()
	}
	return m, nil
}

// isThread reports whether a channel object is a thread.
func isThread(c map[string]any) bool {
	switch discordgo.ChannelType(num(c, "type")) {
	case discordgo.ChannelTypeGuildNewsThread, discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread:
		return true
	}
	return false
}

// isTextChannel reports whether messages can be posted in a channel.
func isTextChannel(c map[string]any) bool {
	switch discordgo.ChannelType(num(c, "type")) {
	case discordgo.ChannelTypeGuildCategory, discordgo.ChannelTypeGuildForum, discordgo.ChannelTypeGuildMedia, discordgo.ChannelTypeGuildDirectory:
		return false
	}
	return true
}

func (f *Fake) getChannel(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs, aerr := f.channelLocked(r.PathValue("channel"))
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, cs.obj, nil
}

// newMessage builds a message object the bot sends in channel cs from a
// payload. f.mu must be held.
func (f *Fake) newMessage(cs *channelState, src map[string]any) map[string]any {
	m := map[string]any{
		"id":               f.newID(),
		"channel_id":       str(cs.obj, "id"),
		"author":           f.botUser(),
		"content":          str(src, "content"),
		"timestamp":        timestamp(f.now()),
		"edited_timestamp": nil,
		"tts":              src["tts"] == true,
		"mention_everyone": false,
		"mentions":         []any{},
		"mention_roles":    []any{},
		"attachments":      []any{},
		"embeds":           []any{},
		"components":       []any{},
		"pinned":           false,
		"type":             int(discordgo.MessageTypeDefault),
		"flags":            num(src, "flags") &^ flagEphemeral,
	}
	if gid := cs.guildID(); gid != "" {
		m["guild_id"] = gid
	}
	applyEdit(m, src)
	return m
}

// applyEdit copies the editable fields present in src onto message m.
func applyEdit(m, src map[string]any) {
	if v, ok := src["content"]; ok {
		s, _ := v.(string)
		m["content"] = s
	}
	if v, ok := src["embeds"]; ok {
		embeds := []any{}
		for _, e := range anySlice(v) {
			em := cloneJSON(e)
			if o, ok := em.(map[string]any); ok && str(o, "type") == "" {
				o["type"] = "rich"
			}
			embeds = append(embeds, em)
		}
		m["embeds"] = embeds
	}
	if v, ok := src["components"]; ok {
		m["components"] = nonNil(cloneJSON(anySlice(v)).([]any))
	}
	if v, ok := src["flags"]; ok && v != nil {
		// Only SUPPRESS_EMBEDS can change after creation.
		m["flags"] = num(m, "flags")&^flagSuppressEmbeds | num(src, "flags")&flagSuppressEmbeds
	}
	if v, ok := src["attachments"]; ok {
		m["attachments"] = nonNil(cloneJSON(anySlice(v)).([]any))
	}
}

// nonceString returns a payload's nonce as a string ("" for none).
func nonceString(v any) string {
	switch n := v.(type) {
	case string:
		return n
	case interface{ String() string }:
		return n.String()
	}
	return ""
}

func (f *Fake) postMessage(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cs, aerr := f.channelLocked(r.PathValue("channel"))
	if aerr != nil {
		return 0, nil, aerr
	}
	if !isTextChannel(cs.obj) {
		return 0, nil, errNotText()
	}
	var fe formErrors
	validateMessage(&fe, "", src, messageRules{})
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}

	nonce := nonceString(src["nonce"])
	if nonce != "" && src["enforce_nonce"] == true {
		for _, m := range slices.Backward(cs.messages) {
			if m.nonce == nonce && !m.deleted && f.now().Sub(m.created) < f.cfg.NonceWindow {
				return http.StatusOK, m.obj, nil
			}
		}
	}

	msg := f.newMessage(cs, src)
	if nonce != "" {
		msg["nonce"] = src["nonce"]
	}
	if ref, ok := src["message_reference"].(map[string]any); ok && idString(ref, "message_id") != "" {
		refChannel := idString(ref, "channel_id")
		if refChannel == "" {
			refChannel = str(cs.obj, "id")
		}
		target := f.findMessage(refChannel, idString(ref, "message_id"))
		switch {
		case target != nil:
			msg["type"] = int(discordgo.MessageTypeReply)
			mr := map[string]any{"type": 0, "message_id": str(target.obj, "id"), "channel_id": refChannel}
			if gid := str(target.obj, "guild_id"); gid != "" {
				mr["guild_id"] = gid
			}
			msg["message_reference"] = mr
			rm := cloneJSON(target.obj).(map[string]any)
			delete(rm, "referenced_message")
			msg["referenced_message"] = rm
		case ref["fail_if_not_exists"] != false:
			fe.add("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
			return 0, nil, fe.err()
		}
	}
	f.storeMessage(msg, nonce)
	f.echo("MESSAGE_CREATE", msg)
	return http.StatusOK, msg, nil
}

func (f *Fake) getMessage(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, aerr := f.messageLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, m.obj, nil
}

func (f *Fake) patchMessage(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, aerr := f.messageLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	if author, _ := m.obj["author"].(map[string]any); str(author, "id") != f.cfg.BotUserID {
		return 0, nil, errOtherAuthor()
	}
	return f.editMessage(m, src)
}

// editMessage applies an edit to a stored message, validating the result.
// f.mu must be held.
func (f *Fake) editMessage(m *messageState, src map[string]any) (int, any, *apiError) {
	edited := cloneJSON(m.obj).(map[string]any)
	applyEdit(edited, src)
	var fe formErrors
	check := cloneJSON(edited).(map[string]any)
	if am, ok := src["allowed_mentions"]; ok {
		check["allowed_mentions"] = am
	}
	validateMessage(&fe, "", check, messageRules{})
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}
	edited["edited_timestamp"] = timestamp(f.now())
	m.obj = edited
	if num(edited, "flags")&flagEphemeral == 0 {
		f.echo("MESSAGE_UPDATE", edited)
	}
	f.notify()
	return http.StatusOK, edited, nil
}

func (f *Fake) deleteMessage(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, aerr := f.messageLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.removeMessage(m)
	return http.StatusNoContent, nil, nil
}

// removeMessage deletes a stored message. f.mu must be held.
func (f *Fake) removeMessage(m *messageState) {
	m.deleted = true
	d := map[string]any{"id": str(m.obj, "id"), "channel_id": str(m.obj, "channel_id")}
	if gid := str(m.obj, "guild_id"); gid != "" {
		d["guild_id"] = gid
	}
	if num(m.obj, "flags")&flagEphemeral == 0 {
		f.echo("MESSAGE_DELETE", d)
	}
	f.notify()
}

// threadObject builds a thread channel. f.mu must be held.
func (f *Fake) threadObject(id string, parent map[string]any, typ discordgo.ChannelType, src map[string]any) map[string]any {
	archive := num(src, "auto_archive_duration")
	if archive == 0 {
		archive = 1440
	}
	now := timestamp(f.now())
	return map[string]any{
		"id":                  id,
		"type":                int(typ),
		"guild_id":            str(parent, "guild_id"),
		"parent_id":           str(parent, "id"),
		"owner_id":            f.cfg.BotUserID,
		"name":                str(src, "name"),
		"last_message_id":     nil,
		"message_count":       0,
		"member_count":        1,
		"total_message_sent":  0,
		"rate_limit_per_user": num(src, "rate_limit_per_user"),
		"flags":               0,
		"thread_metadata": map[string]any{
			"archived": false, "auto_archive_duration": archive, "archive_timestamp": now,
			"locked": false, "create_timestamp": now,
		},
		"member": map[string]any{"id": id, "user_id": f.cfg.BotUserID, "join_timestamp": now, "flags": 0},
	}
}

// validateThread checks a thread's name and archive duration.
func validateThread(fe *formErrors, src map[string]any) {
	if n := utf8.RuneCountInString(str(src, "name")); n < 1 || n > maxThreadName {
		fe.add("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxThreadName)
	}
	if d := num(src, "auto_archive_duration"); d != 0 && !slices.Contains([]int{60, 1440, 4320, 10080}, d) {
		fe.add("auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.")
	}
}

// echoThreadCreate sends THREAD_CREATE for a thread the bot just created.
// f.mu must be held.
func (f *Fake) echoThreadCreate(th map[string]any) {
	created := cloneJSON(th).(map[string]any)
	created["newly_created"] = true
	f.echo("THREAD_CREATE", created)
}

func (f *Fake) postMessageThread(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cs, aerr := f.channelLocked(r.PathValue("channel"))
	if aerr != nil {
		return 0, nil, aerr
	}
	typ := discordgo.ChannelTypeGuildPublicThread
	switch discordgo.ChannelType(num(cs.obj, "type")) {
	case discordgo.ChannelTypeGuildText:
	case discordgo.ChannelTypeGuildNews:
		typ = discordgo.ChannelTypeGuildNewsThread
	default:
		return 0, nil, errChannelType()
	}
	m := f.findMessage(str(cs.obj, "id"), r.PathValue("message"))
	if m == nil {
		return 0, nil, errUnknownMessage()
	}
	if m.obj["thread"] != nil || f.channels[str(m.obj, "id")] != nil {
		return 0, nil, errThreadExists()
	}
	var fe formErrors
	validateThread(&fe, src)
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}
	th := f.threadObject(str(m.obj, "id"), cs.obj, typ, src)
	f.putChannelLocked(th)
	m.obj["thread"] = cloneJSON(th)
	f.echoThreadCreate(th)
	return http.StatusCreated, th, nil
}

func (f *Fake) postThread(r *http.Request, body any) (int, any, *apiError) {
	src, aerr := bodyObject(body)
	if aerr != nil {
		return 0, nil, aerr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cs, aerr := f.channelLocked(r.PathValue("channel"))
	if aerr != nil {
		return 0, nil, aerr
	}
	parentType := discordgo.ChannelType(num(cs.obj, "type"))
	forum := parentType == discordgo.ChannelTypeGuildForum || parentType == discordgo.ChannelTypeGuildMedia
	if !forum && parentType != discordgo.ChannelTypeGuildText && parentType != discordgo.ChannelTypeGuildNews {
		return 0, nil, errChannelType()
	}
	var fe formErrors
	validateThread(&fe, src)
	typ := discordgo.ChannelType(num(src, "type"))
	starter, hasStarter := src["message"].(map[string]any)
	switch {
	case forum:
		typ = discordgo.ChannelTypeGuildPublicThread
		if !hasStarter {
			fe.add("message", "BASE_TYPE_REQUIRED", "This field is required")
		} else {
			validateMessage(&fe, "message", starter, messageRules{})
		}
	case typ == 0:
		// The API still defaults to a private thread.
		typ = discordgo.ChannelTypeGuildPrivateThread
	case typ != discordgo.ChannelTypeGuildPublicThread && typ != discordgo.ChannelTypeGuildPrivateThread && typ != discordgo.ChannelTypeGuildNewsThread:
		fe.add("type", "BASE_TYPE_CHOICES", "Value must be one of {10, 11, 12}.")
	}
	if aerr := fe.err(); aerr != nil {
		return 0, nil, aerr
	}
	th := f.threadObject(f.newID(), cs.obj, typ, src)
	ts := f.putChannelLocked(th)
	out := cloneJSON(th).(map[string]any)
	if forum && hasStarter {
		msg := f.newMessage(ts, starter)
		msg["id"] = str(th, "id")
		f.storeMessage(msg, "")
		out["message"] = msg
	}
	f.echoThreadCreate(th)
	return http.StatusCreated, out, nil
}
