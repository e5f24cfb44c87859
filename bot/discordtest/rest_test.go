package discordtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

// restSession returns a session for REST calls only (never opened).
func restSession(t *testing.T) (*discordtest.Fake, *discordgo.Session) {
	t.Helper()
	f := newFake(t, discordtest.Config{})
	return f, newSession(t, f, f.Token())
}

// restCode returns the HTTP status and Discord error code of a REST error.
func restCode(err error) (status, code int) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return 0, 0
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return re.Response.StatusCode, code
}

func TestChannelMessageSendComplex(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	created := events[*discordgo.MessageCreate](s)
	openSession(t, f, s)

	q := f.MessageCreate(t, &discordgo.Message{Content: "<@" + f.BotUserID() + "> who said it?"})
	created.wait(t, "question", func(m *discordgo.MessageCreate) bool { return m.ID == q.ID })

	send := &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{{Title: "Quote", Description: "\u201cWe are not ...\u201d"}},
		Reference:       q.Reference(),
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "more:1"},
		}}},
	}
	m, err := s.ChannelMessageSendComplex(discordtest.DefaultChannelID, send)
	if err != nil {
		t.Fatalf("ChannelMessageSendComplex: %v", err)
	}
	if m.ID == "" || m.Author == nil || m.Author.ID != f.BotUserID() || m.Type != discordgo.MessageTypeReply ||
		m.ReferencedMessage == nil || m.ReferencedMessage.ID != q.ID || len(m.Components) != 1 {
		t.Errorf("returned message = %+v; want a reply by the bot to %s with one row", m, q.ID)
	}

	calls := f.CallsTo("POST", "channels/*/messages")
	if len(calls) != 1 {
		t.Fatalf("recorded %d message posts; want 1", len(calls))
	}
	var body struct {
		Embeds []struct {
			Title string `json:"title"`
		} `json:"embeds"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
		Reference struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	if err := calls[0].Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Embeds) != 1 || body.Embeds[0].Title != "Quote" || body.AllowedMentions == nil ||
		body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 || body.Reference.MessageID != q.ID {
		t.Errorf("recorded body = %s; want the embed, parse: [] and the reference", calls[0].Body)
	}
	if calls[0].JSON.(map[string]any)["allowed_mentions"] == nil || calls[0].Status != http.StatusOK ||
		!calls[0].AuthorizationIs("Bot "+f.Token()) {
		t.Errorf("call = %v, JSON %v; want JSON decoded, 200, the bot's token", calls[0], calls[0].JSON)
	}

	// Discord echoes the bot's own message on the gateway.
	echo := created.wait(t, "echo", func(x *discordgo.MessageCreate) bool { return x.ID == m.ID })
	if echo.Author.ID != f.BotUserID() {
		t.Errorf("echo author = %s; want the bot", echo.Author.ID)
	}
	if msgs := f.Messages(discordtest.DefaultChannelID); len(msgs) != 2 || msgs[1].ID != m.ID || msgs[1].Embeds[0].Type != "rich" {
		t.Errorf("Messages() = %v; want the question and the reply", msgs)
	}

	edited, err := s.ChannelMessageEdit(discordtest.DefaultChannelID, m.ID, "edited")
	if err != nil || edited.Content != "edited" || edited.EditedTimestamp == nil {
		t.Errorf("ChannelMessageEdit = %+v, %v; want content edited with a timestamp", edited, err)
	}
	_, err = s.ChannelMessageEdit(discordtest.DefaultChannelID, q.ID, "not mine")
	if st, code := restCode(err); st != 403 || code != 50005 {
		t.Errorf("editing a user's message: %v; want 403 50005", err)
	}
}

func TestMessageValidation(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	long := strings.Repeat("x", 2001)
	tests := []struct {
		name      string
		send      *discordgo.MessageSend
		wantCode  int
		wantField string
	}{
		{"empty", &discordgo.MessageSend{}, 50006, ""},
		{"content too long", &discordgo.MessageSend{Content: long}, 50035, `"content"`},
		{"embed description too long", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: strings.Repeat("y", 4097)}}}, 50035, `"description"`},
		{"too many embeds", &discordgo.MessageSend{Embeds: make11Embeds()}, 50035, `"embeds"`},
		{"unknown reply target", &discordgo.MessageSend{Content: "hi", Reference: &discordgo.MessageReference{MessageID: "123"}}, 50035, "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"},
		{"duplicate custom ids", &discordgo.MessageSend{Content: "hi", Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "a", CustomID: "x", Style: discordgo.PrimaryButton},
			discordgo.Button{Label: "b", CustomID: "x", Style: discordgo.PrimaryButton},
		}}}}, 50035, "COMPONENT_CUSTOM_ID_DUPLICATED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ChannelMessageSendComplex(discordtest.DefaultChannelID, tt.send)
			if st, code := restCode(err); st != 400 || code != tt.wantCode || !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("send: %v; want 400 code %d mentioning %s", err, tt.wantCode, tt.wantField)
			}
		})
	}
	if n := len(f.Messages(discordtest.DefaultChannelID)); n != 0 {
		t.Errorf("%d messages stored after rejected sends; want 0", n)
	}
}

func make11Embeds() []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	for range 11 {
		out = append(out, &discordgo.MessageEmbed{Title: "t"})
	}
	return out
}

func TestNonce(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	post := func(nonce string, enforce bool) *discordgo.Message {
		t.Helper()
		body := map[string]any{"content": "digest", "nonce": nonce, "enforce_nonce": enforce}
		b, err := s.RequestWithBucketID("POST", discordgo.EndpointChannelMessages(discordtest.DefaultChannelID), body, discordgo.EndpointChannelMessages(discordtest.DefaultChannelID))
		if err != nil {
			t.Fatalf("post with nonce %q: %v", nonce, err)
		}
		var m discordgo.Message
		if err := discordgo.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	a := post("digest-2024-03-10-c1", true)
	b := post("digest-2024-03-10-c1", true)
	c := post("digest-2024-03-11-c1", true)
	d := post("digest-2024-03-11-c1", false)
	if a.ID != b.ID || a.ID == c.ID || c.ID == d.ID {
		t.Errorf("ids %s %s %s %s; want the same nonce with enforce_nonce to return the first message only", a.ID, b.ID, c.ID, d.ID)
	}
	if n := len(f.Messages(discordtest.DefaultChannelID)); n != 3 {
		t.Errorf("%d messages; want 3", n)
	}
	_, err := s.RequestWithBucketID("POST", discordgo.EndpointChannelMessages(discordtest.DefaultChannelID),
		map[string]any{"content": "x", "nonce": strings.Repeat("n", 26)}, "")
	if st, code := restCode(err); st != 400 || code != 50035 {
		t.Errorf("26-character nonce: %v; want 400 50035", err)
	}
}

func TestNonceWindow(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(time.Date(2024, 3, 10, 9, 0, 0, 0, time.UTC).UnixNano())
	f := newFake(t, discordtest.Config{Now: func() time.Time { return time.Unix(0, now.Load()) }, NonceWindow: time.Minute})
	s := newSession(t, f, f.Token())
	body := map[string]any{"content": "digest", "nonce": "n1", "enforce_nonce": true}
	url := discordgo.EndpointChannelMessages(discordtest.DefaultChannelID)
	if _, err := s.RequestWithBucketID("POST", url, body, url); err != nil {
		t.Fatal(err)
	}
	now.Add(int64(2 * time.Minute))
	if _, err := s.RequestWithBucketID("POST", url, body, url); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Messages(discordtest.DefaultChannelID)); n != 2 {
		t.Errorf("%d messages; want 2 once the nonce window has passed", n)
	}
}

func TestInteractions(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	errs := make(chan error, 16)
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		switch ic.Type {
		case discordgo.InteractionApplicationCommand:
			switch ic.ApplicationCommandData().Name {
			case "ask":
				errs <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: "quoted", Flags: discordgo.MessageFlagsEphemeral},
				})
			case "slow":
				if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				}); err != nil {
					errs <- err
					return
				}
				content := "done"
				_, err := s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content})
				if err == nil {
					_, err = s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "more", Flags: discordgo.MessageFlagsEphemeral})
				}
				errs <- err
			case "twice":
				r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "1"}}
				if err := s.InteractionRespond(ic.Interaction, r); err != nil {
					errs <- err
					return
				}
				errs <- s.InteractionRespond(ic.Interaction, r)
			}
		case discordgo.InteractionApplicationCommandAutocomplete:
			var choices []*discordgo.ApplicationCommandOptionChoice
			for i := range 26 {
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "c", Value: i})
			}
			errs <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: choices},
			})
		}
	})
	openSession(t, f, s)
	ctx := testContext(t)

	command := func(name string) *discordgo.Interaction {
		return f.InteractionCreate(t, &discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommand,
			Data: discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand},
		})
	}

	t.Run("respond", func(t *testing.T) {
		ask := command("ask")
		if err := recv(t, errs, "handler"); err != nil {
			t.Fatalf("InteractionRespond: %v", err)
		}
		r, err := f.WaitInteractionResponse(ctx, ask.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != discordgo.InteractionResponseChannelMessageWithSource || r.Data.Content != "quoted" || !r.Ephemeral ||
			r.Latency > 3*time.Second || r.Call.Seq == 0 {
			t.Errorf("response = %+v; want an ephemeral message \"quoted\" within 3s, with its call", r)
		}
		if ask.Member == nil || ask.Member.User.ID != discordtest.DefaultUserID || ask.GuildID != discordtest.DefaultGuildID {
			t.Errorf("interaction member %+v guild %s; want the default member and guild", ask.Member, ask.GuildID)
		}
	})
	t.Run("defer, edit, followup", func(t *testing.T) {
		slow := command("slow")
		if err := recv(t, errs, "handler"); err != nil {
			t.Fatalf("deferred flow: %v", err)
		}
		in, _ := f.Interaction(slow.ID)
		if in.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || in.Original == nil ||
			in.Original.Content != "done" || in.Original.Flags&(1<<7) != 0 {
			t.Errorf("interaction = %+v, original %+v; want a deferral whose original now reads \"done\"", in, in.Original)
		}
		if len(in.Followups) != 1 || in.Followups[0].Content != "more" || in.Followups[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Errorf("followups = %v; want one ephemeral \"more\"", in.Followups)
		}
	})
	t.Run("acknowledged twice", func(t *testing.T) {
		command("twice")
		if st, code := restCode(recv(t, errs, "handler")); st != 400 || code != 40060 {
			t.Errorf("second response: %d %d; want 400 40060", st, code)
		}
	})
	t.Run("autocomplete over 25 choices", func(t *testing.T) {
		f.InteractionCreate(t, &discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommandAutocomplete,
			Data: discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
				{Name: "article", Type: discordgo.ApplicationCommandOptionString, Value: "ira", Focused: true},
			}},
		})
		if st, code := restCode(recv(t, errs, "handler")); st != 400 || code != 50035 {
			t.Errorf("26 choices: %d %d; want 400 50035", st, code)
		}
	})
}

func TestInteractionDeadline(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(time.Date(2024, 3, 10, 9, 0, 0, 0, time.UTC).UnixNano())
	f := newFake(t, discordtest.Config{Now: func() time.Time { return time.Unix(0, now.Load()) }})
	s := newSession(t, f, f.Token())
	got := events[*discordgo.InteractionCreate](s)
	openSession(t, f, s)

	f.InteractionCreate(t, &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "ask"}})
	ic := got.first(t, "interaction")
	now.Add(int64(3*time.Second + time.Millisecond))
	err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Content: "late"},
	})
	if st, code := restCode(err); st != 404 || code != 10062 {
		t.Errorf("late response: %v; want 404 10062 Unknown interaction", err)
	}
	if len(f.InteractionResponses()) != 0 {
		t.Errorf("InteractionResponses() = %v; want none", f.InteractionResponses())
	}
}

func TestRateLimitRetried(t *testing.T) {
	t.Parallel()
	for _, global := range []bool{false, true} {
		t.Run(map[bool]string{false: "route", true: "global"}[global], func(t *testing.T) {
			t.Parallel()
			f, s := restSession(t)
			limited := events[*discordgo.RateLimit](s)
			f.RateLimit("POST", "channels/{channel}/messages", 2, 30*time.Millisecond, global)

			if _, err := s.ChannelMessageSend(discordtest.DefaultChannelID, "hello"); err != nil {
				t.Fatalf("ChannelMessageSend: %v", err)
			}
			calls := f.CallsTo("POST", "channels/*/messages")
			if len(calls) != 3 || calls[0].Status != 429 || calls[1].Status != 429 || calls[2].Status != 200 || !calls[0].Fault {
				t.Fatalf("calls = %v; want two 429s then 200", calls)
			}
			rl := limited.first(t, "RateLimit event")
			if rl.RetryAfter != 30*time.Millisecond {
				t.Errorf("discordgo read retry_after as %v; want 30ms", rl.RetryAfter)
			}
			var body map[string]any
			if err := discordgo.Unmarshal(calls[0].Response, &body); err != nil || body["global"] != global {
				t.Errorf("429 body = %s; want global %v", calls[0].Response, global)
			}
			if len(f.Messages(discordtest.DefaultChannelID)) != 1 {
				t.Errorf("want exactly one message posted")
			}
		})
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)

	// discordgo retries 502 (only), at once, up to MaxRestRetries times.
	f.FailNext("GET", "users/@me", 2, http.StatusBadGateway)
	if u, err := s.User("@me"); err != nil || u.ID != f.BotUserID() {
		t.Fatalf("User(@me) after two 502s = %v, %v; want the bot user", u, err)
	}
	if n := len(f.CallsTo("GET", "users/@me")); n != 3 {
		t.Errorf("%d calls; want 3", n)
	}

	// Other 5xx come back as errors.
	f.FailNext("GET", "users/@me", 1, http.StatusInternalServerError)
	if _, err := s.User("@me"); err == nil {
		t.Errorf("User(@me) with a 500: no error; want one")
	} else if st, _ := restCode(err); st != 500 {
		t.Errorf("User(@me) with a 500: %v; want a 500 RESTError", err)
	}
	if _, err := s.User("@me"); err != nil {
		t.Errorf("User(@me) after the fault: %v", err)
	}
}

func TestSlowAndDroppedRoutes(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	remove := f.Slow("GET", "users/@me", 2*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.User("@me", discordgo.WithContext(ctx)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow call: %v; want the context's deadline", err)
	}
	remove()

	f.AddFault(discordtest.Fault{Method: "GET", Path: "users/@me", Times: 1, Drop: true})
	if _, err := s.User("@me"); err == nil {
		t.Errorf("dropped call: no error; want one")
	}
	if _, err := s.User("@me"); err != nil {
		t.Errorf("call after the dropped one: %v", err)
	}
}

// TestHeldAnswer: a call under Hold is done (the message exists, the call
// is recorded) while the client still waits for its answer; a client that
// gives up never learns of it.
func TestHeldAnswer(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	f.AddFault(discordtest.Fault{Method: "POST", Path: "channels/*/messages", Times: 1, Hold: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan error, 1)
	go func() {
		_, err := s.ChannelMessageSend(discordtest.DefaultChannelID, "held", discordgo.WithContext(ctx))
		sent <- err
	}()
	wait, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if _, err := f.WaitCall(wait, discordtest.MatchCall("POST", "channels/*/messages")); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Messages(discordtest.DefaultChannelID)); n != 1 {
		t.Errorf("%d messages while the answer is held; want the one sent", n)
	}
	// Had the answer come while held, the send would have ended without
	// an error; ending with its context's error, it was still waiting.
	cancel()
	if err := <-sent; !errors.Is(err, context.Canceled) {
		t.Errorf("client that gave up: %v; want its context's error (an answer while held?)", err)
	}
}

func TestChannelAccess(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	tests := []struct {
		access     discordtest.ChannelAccess
		status     int
		code       int
		channelErr bool
	}{
		{discordtest.AccessMissing, 403, 50001, true},
		{discordtest.AccessNoPermissions, 403, 50013, true},
		{discordtest.AccessUnknown, 404, 10003, true},
		{discordtest.AccessOK, 200, 0, false},
	}
	for _, tt := range tests {
		f.SetChannelAccess(discordtest.DefaultChannelID, tt.access)
		_, err := s.ChannelMessageSend(discordtest.DefaultChannelID, "digest")
		if st, code := restCode(err); tt.channelErr && (st != tt.status || code != tt.code) {
			t.Errorf("access %d: %v; want %d %d", tt.access, err, tt.status, tt.code)
		} else if !tt.channelErr && err != nil {
			t.Errorf("access %d: %v; want success", tt.access, err)
		}
	}
	_, err := s.ChannelMessageSend("999", "nowhere")
	if st, code := restCode(err); st != 404 || code != 10003 {
		t.Errorf("unregistered channel: %v; want 404 10003", err)
	}
	if _, err := s.Channel(discordtest.DefaultChannelID); err != nil {
		t.Errorf("GET channel: %v", err)
	}
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	_, err := s.GuildRoles(discordtest.DefaultGuildID)
	if st, _ := restCode(err); st != 404 {
		t.Errorf("unknown route: %v; want 404", err)
	}
	unknown := f.UnknownCalls()
	if len(unknown) != 1 || unknown[0].Path != "/api/v9/guilds/"+discordtest.DefaultGuildID+"/roles" {
		t.Errorf("UnknownCalls() = %v; want the roles call", unknown)
	}
}

func TestCommandsBulkOverwrite(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	perm := int64(discordgo.PermissionManageGuild)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask the article", Options: []*discordgo.ApplicationCommandOption{
			{Name: "question", Description: "q", Type: discordgo.ApplicationCommandOptionString, Required: true},
			{Name: "article", Description: "a", Type: discordgo.ApplicationCommandOptionString, Autocomplete: true},
		}},
		{Name: "digest", Description: "Digest", DefaultMemberPermissions: &perm},
		{Name: "Ask the article", Type: discordgo.MessageApplicationCommand},
	}
	first, err := s.ApplicationCommandBulkOverwrite(f.ApplicationID(), "", cmds)
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(first) != 3 || first[0].ID == "" || first[1].DefaultMemberPermissions == nil || *first[1].DefaultMemberPermissions != perm {
		t.Fatalf("created = %+v; want 3 commands with ids and digest's permissions", first)
	}
	again, err := s.ApplicationCommandBulkOverwrite(f.ApplicationID(), discordtest.DefaultGuildID, cmds[:1])
	if err != nil || len(again) != 1 || again[0].GuildID != discordtest.DefaultGuildID {
		t.Fatalf("guild overwrite = %v, %v", again, err)
	}
	same, err := s.ApplicationCommandBulkOverwrite(f.ApplicationID(), "", cmds)
	if err != nil || same[0].ID != first[0].ID {
		t.Errorf("overwriting again changed ask's id: %v, %v", same, err)
	}
	if got := f.Commands(""); len(got) != 3 || got[2].Type != discordgo.MessageApplicationCommand {
		t.Errorf("Commands(\"\") = %v; want the 3 global commands", got)
	}
	if got := f.Commands(discordtest.DefaultGuildID); len(got) != 1 {
		t.Errorf("Commands(guild) = %v; want 1", got)
	}

	bad := []*discordgo.ApplicationCommand{{Name: "Ask", Description: "x", Options: []*discordgo.ApplicationCommandOption{
		{Name: "a", Description: "a", Type: discordgo.ApplicationCommandOptionString},
		{Name: "b", Description: "b", Type: discordgo.ApplicationCommandOptionString, Required: true},
	}}}
	_, err = s.ApplicationCommandBulkOverwrite(f.ApplicationID(), "", bad)
	if st, code := restCode(err); st != 400 || code != 50035 || !strings.Contains(err.Error(), "APPLICATION_COMMAND_INVALID_NAME") ||
		!strings.Contains(err.Error(), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID") {
		t.Errorf("invalid commands: %v; want 400 50035 naming the bad name and option order", err)
	}
	// A subcommand beside an ordinary option, as Discord refuses it.
	mixed := []*discordgo.ApplicationCommand{{Name: "article", Description: "x", Options: []*discordgo.ApplicationCommandOption{
		{Name: "article", Description: "a", Type: discordgo.ApplicationCommandOptionString},
		{Name: "add", Description: "b", Type: discordgo.ApplicationCommandOptionSubCommand},
	}}}
	_, err = s.ApplicationCommandBulkOverwrite(f.ApplicationID(), "", mixed)
	if st, code := restCode(err); st != 400 || code != 50035 || !strings.Contains(err.Error(), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID") {
		t.Errorf("a subcommand beside an option: %v; want 400 50035 APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", err)
	}
}

func TestThreads(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	m, err := s.ChannelMessageSend(discordtest.DefaultChannelID, "Iraq talks")
	if err != nil {
		t.Fatal(err)
	}
	th, err := s.MessageThreadStart(discordtest.DefaultChannelID, m.ID, "Iraq talks", 1440)
	if err != nil {
		t.Fatalf("MessageThreadStart: %v", err)
	}
	if th.ID != m.ID || th.ParentID != discordtest.DefaultChannelID || th.Type != discordgo.ChannelTypeGuildPublicThread {
		t.Errorf("thread = %+v; want a public thread with the message's id", th)
	}
	if _, err := s.ChannelMessageSend(th.ID, "in the thread"); err != nil {
		t.Errorf("posting in the thread: %v", err)
	}
	if _, err := s.MessageThreadStart(discordtest.DefaultChannelID, m.ID, "again", 1440); err == nil {
		t.Errorf("second thread on a message: no error")
	} else if _, code := restCode(err); code != 160004 {
		t.Errorf("second thread: %v; want code 160004", err)
	}
	other, err := s.ThreadStart(discordtest.DefaultChannelID, "standalone", discordgo.ChannelTypeGuildPublicThread, 60)
	if err != nil || other.Name != "standalone" {
		t.Errorf("ThreadStart = %+v, %v", other, err)
	}
	if c, ok := f.Channel(th.ID); !ok || c.Name != "Iraq talks" {
		t.Errorf("Channel(thread) = %+v, %v", c, ok)
	}
	if msgs := f.Messages(th.ID); len(msgs) != 1 || msgs[0].Content != "in the thread" {
		t.Errorf("thread messages = %v", msgs)
	}
}

func TestGuildAndMember(t *testing.T) {
	t.Parallel()
	f, s := restSession(t)
	f.AddMember(discordtest.DefaultGuildID, &discordgo.Member{
		User:        &discordgo.User{ID: "4000000000000000002", Username: "admin"},
		Permissions: discordgo.PermissionManageGuild,
	})
	g, err := s.Guild(discordtest.DefaultGuildID)
	if err != nil || g.Name != discordtest.DefaultGuildName || g.OwnerID != discordtest.DefaultUserID {
		t.Errorf("Guild = %+v, %v", g, err)
	}
	m, err := s.GuildMember(discordtest.DefaultGuildID, "4000000000000000002")
	if err != nil || m.User.Username != "admin" {
		t.Errorf("GuildMember = %+v, %v", m, err)
	}
	if _, err := s.GuildMember(discordtest.DefaultGuildID, "1"); err == nil {
		t.Errorf("unknown member: no error")
	} else if st, code := restCode(err); st != 404 || code != 10007 {
		t.Errorf("unknown member: %v; want 404 10007", err)
	}
}

func TestComponentUpdate(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	errs := make(chan error, 4)
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic.Type != discordgo.InteractionMessageComponent || ic.MessageComponentData().CustomID != "more:1" {
			errs <- errors.New("unexpected interaction")
			return
		}
		errs <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: "more quotes", Components: []discordgo.MessageComponent{}},
		})
	})
	openSession(t, f, s)

	m, err := s.ChannelMessageSendComplex(discordtest.DefaultChannelID, &discordgo.MessageSend{
		Content: "quotes",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: "more:1"},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	press := f.InteractionCreate(t, &discordgo.Interaction{
		Type:    discordgo.InteractionMessageComponent,
		Data:    discordgo.MessageComponentInteractionData{CustomID: "more:1", ComponentType: discordgo.ButtonComponent},
		Message: m,
	})
	if err := recv(t, errs, "handler"); err != nil {
		t.Fatalf("respond: %v", err)
	}
	msgs := f.Messages(discordtest.DefaultChannelID)
	if len(msgs) != 1 || msgs[0].Content != "more quotes" || len(msgs[0].Components) != 0 || msgs[0].EditedTimestamp == nil {
		t.Errorf("Messages() = %+v; want the button's message updated in place", msgs)
	}
	in, ok := f.Interaction(press.ID)
	if !ok || in.Original == nil || in.Original.ID != m.ID {
		t.Errorf("Interaction(%s) = %+v; want the component's message as the original", press.ID, in)
	}
}
