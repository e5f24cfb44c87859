package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// e2eTimeout bounds every wait; passing tests finish far sooner.
const e2eTimeout = 20 * time.Second

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is a real bot, over a real in-memory index of the seed article,
// connected with the real discordgo client to a fake Discord.
type harness struct {
	t      testing.TB
	fake   *discordtest.Fake
	bot    *Bot
	logs   *syncBuffer
	ctx    context.Context
	stop   context.CancelFunc
	done   chan error
	engine Engine
}

type harnessOption func(*Options, *discordtest.Config)

func withOptions(f func(*Options)) harnessOption {
	return func(o *Options, _ *discordtest.Config) { f(o) }
}

// startBot starts a bot against a new fake and waits until it is READY and
// has registered its commands. The bot is stopped before the fake closes.
func startBot(t testing.TB, engine Engine, opts ...harnessOption) *harness {
	t.Helper()
	cfg := discordtest.Config{}
	o := Options{DeferAfter: 1500 * time.Millisecond}
	for _, opt := range opts {
		opt(&o, &cfg)
	}
	return startBotOn(t, discordtest.New(t, cfg), engine, o)
}

// startBotOn starts a bot with options o against the fake f (which may
// serve other bots too) and waits until it is READY and, as shard 0, has
// registered its commands. The bot is stopped before the fake closes.
func startBotOn(t testing.TB, f *discordtest.Fake, engine Engine, o Options) *harness {
	t.Helper()
	if engine == nil {
		engine = seedEngine(t)
	}
	logs := &syncBuffer{}
	o.Token = f.Token()
	o.APIBase = f.URL
	o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := New(engine, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*e2eTimeout)
	h := &harness{t: t, fake: f, bot: b, logs: logs, ctx: ctx, stop: cancel, done: make(chan error, 1), engine: engine}
	identified := f.Identifies()
	go func() { h.done <- b.Run(ctx) }()
	token := o.Token
	t.Cleanup(func() {
		h.stop()
		select {
		case <-h.done:
		case <-time.After(e2eTimeout):
			t.Error("bot did not stop")
		}
		if strings.Contains(h.logs.String(), token) {
			t.Errorf("the token appears in the logs")
		}
	})
	wctx := h.wait()
	if err := f.WaitIdentify(wctx, identified+1); err != nil {
		t.Fatalf("bot never identified: %v\nlogs:\n%s", err, logs)
	}
	if err := eventually(wctx, b.Ready); err != nil {
		t.Fatalf("bot never became ready: %v\nlogs:\n%s", err, logs)
	}
	if o.ShardID != 0 {
		return h // only shard 0 registers the commands
	}
	if _, err := f.WaitCall(wctx, func(c discordtest.Call) bool {
		return c.Is("PUT", "applications/*/commands") || c.Is("PUT", "applications/*/guilds/*/commands")
	}); err != nil {
		t.Fatalf("commands not registered: %v", err)
	}
	return h
}

// eventually polls cond, for state of the bot's own that the fake cannot
// signal, until it holds or ctx ends.
func eventually(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("condition not met: %w", ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// wait returns a context for one wait of the test.
func (h *harness) wait() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	h.t.Cleanup(cancel)
	return ctx
}

func seedEngine(tb testing.TB) *retrieval.Index {
	tb.Helper()
	c, err := corpus.Default()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := retrieval.OpenMemory(context.Background(), c, retrieval.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// command dispatches a slash command with options and waits for the bot's
// initial response.
func (h *harness) command(name string, user string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordtest.InteractionResponse {
	h.t.Helper()
	i := &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: name, Options: opts},
	}
	if user != "" {
		i.Member = &discordgo.Member{User: &discordgo.User{ID: user, Username: "u" + user}, Permissions: 0}
	}
	return h.interact(i)
}

func (h *harness) interact(i *discordgo.Interaction) discordtest.InteractionResponse {
	h.t.Helper()
	sent := h.fake.InteractionCreate(h.t, i)
	r, err := h.fake.WaitInteractionResponse(h.wait(), sent.ID)
	if err != nil {
		h.t.Fatalf("no response to interaction: %v\nlogs:\n%s", err, h.logs)
	}
	return r
}

func strOpt(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
}

func intOpt(name string, v int) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(v)}
}

func boolOpt(name string, v bool) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
}

// text is everything a message shows: content and embed text.
func text(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	return b.String()
}

// stillAnswers checks that the bot answers a lookup; what says, on
// failure, what it should have carried on after.
func (h *harness) stillAnswers(t *testing.T, what string) {
	t.Helper()
	if r := h.command("lookup", "", strOpt("term", "Istanbul")); !strings.Contains(text(r.Data), "Istanbul") {
		t.Errorf("%s: %q", what, text(r.Data))
	}
}

// wantEdited waits for a deferred response to be edited, and checks that
// the edit pings nobody and that interaction id's response then holds
// want.
func (h *harness) wantEdited(t *testing.T, id, want string) {
	t.Helper()
	c, err := h.fake.WaitCall(h.wait(), discordtest.MatchCall("PATCH", "webhooks/*/*/messages/@original"))
	if err != nil {
		t.Fatalf("deferred response never edited: %v\nlogs:\n%s", err, h.logs)
	}
	noPings(t, c)
	it, _ := h.fake.Interaction(id)
	if !strings.Contains(text(it.Original), want) {
		t.Errorf("edited response: %q", text(it.Original))
	}
}

// noPings checks that a recorded REST call that sends a message parses no
// mentions.
func noPings(t *testing.T, c discordtest.Call) {
	t.Helper()
	var body struct {
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
		Data *struct {
			AllowedMentions *struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
		} `json:"data"`
	}
	if err := c.Decode(&body); err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	am := body.AllowedMentions
	if body.Data != nil {
		am = body.Data.AllowedMentions
	}
	if am == nil || am.Parse == nil || len(am.Parse) != 0 {
		t.Errorf("%s sends a message whose allowed_mentions parse something: %s", c, c.Body)
	}
}

// buttons returns the custom ids of a message's buttons by label.
func buttons(m *discordgo.Message) map[string]string {
	out := map[string]string{}
	if m == nil {
		return out
	}
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok {
				out[b.Label] = b.CustomID
			}
		}
	}
	return out
}

func TestE2ERegistersCommands(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	cmds := h.fake.Commands("")
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	want := []string{"ask", "lookup", "quotes", "article", "digest", "feeds", "help", "Ask the article"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("registered %q; want %q", names, want)
	}
	for _, c := range cmds {
		if c.Name == "digest" && (c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != discordgo.PermissionManageGuild) {
			t.Errorf("/digest default_member_permissions = %v; want Manage Server", c.DefaultMemberPermissions)
		}
		if c.Name == "article" {
			checkArticleCommand(t, c)
		}
	}
	if n := len(h.fake.CallsTo("PUT", "applications/*/commands")); n != 1 {
		t.Errorf("%d bulk overwrites; want 1", n)
	}
	// The session asked for the intents of docs/design.md.
	s := h.fake.Sessions()
	want2 := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentMessageContent
	if len(s) != 1 || s[0].Intents != int(want2) {
		t.Errorf("sessions %+v; want one with intents %d", s, want2)
	}
}

// checkArticleCommand checks /article as registered: open to everyone
// (its "add" checks Manage Server itself), with two subcommands, "show
// [article]" (autocompleted) and "add url" (required), and no ordinary
// option beside them, which Discord refuses.
func checkArticleCommand(t *testing.T, c *discordgo.ApplicationCommand) {
	t.Helper()
	if c.DefaultMemberPermissions != nil {
		t.Errorf("/article default_member_permissions = %d; want none (everyone may show)", *c.DefaultMemberPermissions)
	}
	var got []string
	for _, o := range c.Options {
		var sub []string
		for _, so := range o.Options {
			sub = append(sub, fmt.Sprintf("%s:%d required=%v autocomplete=%v", so.Name, so.Type, so.Required, so.Autocomplete))
		}
		got = append(got, fmt.Sprintf("%s:%d [%s]", o.Name, o.Type, strings.Join(sub, ", ")))
	}
	want := []string{
		"show:1 [article:3 required=false autocomplete=true]",
		"add:1 [url:3 required=true autocomplete=false]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("/article options:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestE2EGuildCommands(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil, withOptions(func(o *Options) { o.GuildID = discordtest.DefaultGuildID }))
	if len(h.fake.Commands(discordtest.DefaultGuildID)) != 8 || len(h.fake.Commands("")) != 0 {
		t.Errorf("commands not registered in the development guild only")
	}
}

func TestE2EAsk(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	r := h.command("ask", "", strOpt("question", "What did Khalilzad urge nations bordering Iraq to do?"))
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || r.Ephemeral {
		t.Fatalf("response type %d ephemeral %v; want a public message", r.Type, r.Ephemeral)
	}
	body := text(r.Data)
	if !strings.Contains(body, "expand assistance to al") || !strings.Contains(body, "#:~:text=") {
		t.Errorf("answer lacks the quote or its link:\n%s", body)
	}
	if !strings.Contains(body, "The Irish Times") || !strings.Contains(body, "2007-03-10") || !strings.Contains(body, "\u00b6 10") {
		t.Errorf("answer lacks its attribution:\n%s", body)
	}
	noPings(t, r.Call)
	if r.Latency > 3*time.Second {
		t.Errorf("responded after %v", r.Latency)
	}
	// One Context button ("Context") under a single quote, one per quote
	// ("Context #1", ...) under several.
	if bs := buttons(r.Data); bs["Context"] == "" && bs["Context #1"] == "" {
		t.Errorf("no Context button: %v", bs)
	}

	hidden := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"), boolOpt("hide", true))
	if !hidden.Ephemeral || !strings.Contains(text(hidden.Data), "Iraq's foreign minister") {
		t.Errorf("hide: ephemeral %v, %q", hidden.Ephemeral, text(hidden.Data))
	}

	scoped := h.command("ask", "", strOpt("question", "Who?"), strOpt("article", "no-such-article"))
	if !scoped.Ephemeral || !strings.Contains(text(scoped.Data), "don't have that article") {
		t.Errorf("unknown article: %q", text(scoped.Data))
	}
}

func TestE2EAskNoAnswer(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	r := h.command("ask", "", strOpt("question", "How many American troops are stationed in Iraq?"))
	body := text(r.Data)
	if !strings.Contains(body, "no sentence") || !strings.Contains(body, "may not answer") {
		t.Errorf("no-answer reply does not say so plainly or mark near misses:\n%s", body)
	}
}

func TestE2EBadInput(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	for _, tt := range []struct{ name, q, want string }{
		{"empty", "   ", "empty"},
		{"punctuation", "?!?!", "no words"},
		{"too long", strings.Repeat("why ", 80), "too long"},
		{"zero width", "\u200b\u200b", "empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := h.command("ask", "", strOpt("question", tt.q))
			if !r.Ephemeral || !strings.Contains(text(r.Data), tt.want) {
				t.Errorf("ask %q: ephemeral %v %q; want an ephemeral notice with %q", tt.q, r.Ephemeral, text(r.Data), tt.want)
			}
		})
	}
}

func TestE2EHostileQuestionPingsNobody(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	m := h.fake.MessageCreate(t, &discordgo.Message{
		Content: "<@" + h.fake.BotUserID() + "> @everyone <@" + discordtest.DefaultUserID + "> **who** is [Zebari](https://evil.example)?",
	})
	c, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	noPings(t, c)
	var sent discordgo.Message
	if err := c.Decode(&sent); err != nil {
		t.Fatal(err)
	}
	// Footers render as plain text (no markdown, no mentions, no links),
	// so the question is shown there as typed; everywhere else it must be
	// escaped.
	shown := sent.Content
	for _, e := range sent.Embeds {
		shown += e.Title + e.Description
	}
	for _, bad := range []string{"@everyone", "](https://evil", "**who**", "<@"} {
		if strings.Contains(shown, bad) {
			t.Errorf("reply shows %q unescaped: %s", bad, shown)
		}
	}
}

func TestE2EMentionDMAndAnswerChannel(t *testing.T) {
	t.Parallel()
	answerChan := "3000000000000000099"
	h := startBot(t, nil, withOptions(func(o *Options) { o.AnswerChannels = []string{answerChan} }))
	h.fake.AddChannel(&discordgo.Channel{ID: answerChan, GuildID: discordtest.DefaultGuildID, Name: "ask-here", Type: discordgo.ChannelTypeGuildText})
	dm := "3000000000000000077"
	h.fake.AddChannel(&discordgo.Channel{ID: dm, Type: discordgo.ChannelTypeDM, Name: ""})

	replyTo := func(m *discordgo.Message) discordtest.Call {
		t.Helper()
		c, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
			return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), `"message_id":"`+m.ID+`"`)
		})
		if err != nil {
			t.Fatalf("no reply to %q: %v\nlogs:\n%s", m.Content, err, h.logs)
		}
		noPings(t, c)
		return c
	}

	mention := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if c := replyTo(mention); !strings.Contains(string(c.Body), "foreign minister") {
		t.Errorf("mention reply: %s", c.Body)
	}
	direct := h.fake.MessageCreate(t, &discordgo.Message{ChannelID: dm, Content: "who is zalmy khalilzad"})
	if c := replyTo(direct); !strings.Contains(string(c.Body), "ambassador to Iraq") {
		t.Errorf("DM reply: %s", c.Body)
	}
	inChannel := h.fake.MessageCreate(t, &discordgo.Message{ChannelID: answerChan, Content: "Where do Iraqi officials want the next meeting?"})
	if c := replyTo(inChannel); !strings.Contains(string(c.Body), "Baghdad") {
		t.Errorf("answer channel reply: %s", c.Body)
	}
	badMention := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> ???"})
	if c := replyTo(badMention); !strings.Contains(string(c.Body), "no words") {
		t.Errorf("bad mention reply: %s", c.Body)
	}

	// Not for the bot: no question mark in the answer channel, plain
	// chatter elsewhere, bots, webhooks, bad input in the answer channel.
	before := len(h.fake.CallsTo("POST", "channels/*/messages"))
	ignored := []*discordgo.Message{
		h.fake.MessageCreate(t, &discordgo.Message{ChannelID: answerChan, Content: "Baghdad is nice"}),
		h.fake.MessageCreate(t, &discordgo.Message{Content: "who is zebari?"}),
		h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> who is zebari?", Author: &discordgo.User{ID: "5000000000000000001", Username: "otherbot", Bot: true}}),
		h.fake.MessageCreate(t, &discordgo.Message{ChannelID: answerChan, Content: "?", WebhookID: "6000000000000000001"}),
		h.fake.MessageCreate(t, &discordgo.Message{ChannelID: answerChan, Content: "!!! ?"}),
	}
	// Handlers run concurrently: wait until each of them is done, then
	// count what they sent.
	h.handled(t, ignored...)
	if after := len(h.fake.CallsTo("POST", "channels/*/messages")); after != before {
		t.Errorf("%d messages sent for messages not meant for the bot; want none", after-before)
	}
}

// handled waits until the bot has logged that it is done with each of the
// messages: whatever they were to send, they have sent.
func (h *harness) handled(t *testing.T, ms ...*discordgo.Message) {
	t.Helper()
	err := eventually(h.wait(), func() bool {
		logs := h.logs.String()
		for _, m := range ms {
			if !strings.Contains(logs, `msg="message handled" message=`+m.ID+"\n") {
				return false
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("the bot never finished with the messages: %v\nlogs:\n%s", err, h.logs)
	}
}

func TestE2EAutocomplete(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	for _, tt := range []struct {
		cmd, opt, typed, want string
	}{
		{"ask", "article", "iran", "US and Iran talk during conference (2007-03-10)"},
		{"lookup", "term", "mil", "militias"},
		{"lookup", "term", "shiite mil", "shiite militias"},
		{"digest", "timezone", "dubl", "Europe/Dublin"},
	} {
		t.Run(tt.cmd+"/"+tt.typed, func(t *testing.T) {
			o := strOpt(tt.opt, tt.typed)
			o.Focused = true
			r := h.interact(&discordgo.Interaction{
				Type: discordgo.InteractionApplicationCommandAutocomplete,
				Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: tt.cmd, Options: []*discordgo.ApplicationCommandInteractionDataOption{o}},
			})
			if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
				t.Fatalf("response type %d", r.Type)
			}
			if len(r.Choices) == 0 || len(r.Choices) > 25 {
				t.Fatalf("%d choices", len(r.Choices))
			}
			found := false
			for _, c := range r.Choices {
				found = found || c.Name == tt.want
			}
			if !found {
				t.Errorf("choices %v lack %q", r.Choices, tt.want)
			}
			if r.Latency > 3*time.Second {
				t.Errorf("autocomplete took %v", r.Latency)
			}
		})
	}
}

func TestE2ELookupQuotesArticleHelp(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	r := h.command("lookup", "", strOpt("term", "Iran"))
	if body := text(r.Data); !strings.Contains(body, "**Iran**") || !strings.Contains(body, "Page 1 of") {
		t.Errorf("/lookup: no highlight or pages:\n%s", body)
	}
	next := buttons(r.Data)["Next"]
	if next == "" {
		t.Fatalf("/lookup: no Next button")
	}
	page2 := h.press(r, next)
	if !page2.Ephemeral || !strings.Contains(text(page2.Data), "Page 2 of") {
		t.Errorf("Next: %q", text(page2.Data))
	}

	r = h.command("quotes", "", strOpt("speaker", "Zalmy Khalilzad"))
	if body := text(r.Data); !strings.Contains(body, "quoted in") {
		t.Errorf("/quotes:\n%s", body)
	}
	r = h.command("article", "")
	if body := text(r.Data); !strings.Contains(body, "US and Iran talk during conference") {
		t.Errorf("/article list:\n%s", body)
	}
	r = h.command("article", "", strOpt("article", "000_f7beece76a365f7b"))
	if body := text(r.Data); !strings.Contains(body, "Key sentences") || !strings.Contains(body, "Length") {
		t.Errorf("/article details:\n%s", body)
	}
	r = h.command("help", "")
	if !r.Ephemeral || !strings.Contains(text(r.Data), "/ask") {
		t.Errorf("/help: %q", text(r.Data))
	}
}

// press dispatches a button press on the message of a response.
func (h *harness) press(under discordtest.InteractionResponse, customID string) discordtest.InteractionResponse {
	h.t.Helper()
	it, ok := h.fake.Interaction(under.InteractionID)
	if !ok || it.Original == nil {
		h.t.Fatalf("no message for interaction %s", under.InteractionID)
	}
	return h.pressOn(it.Original, customID)
}

func (h *harness) pressOn(m *discordgo.Message, customID string) discordtest.InteractionResponse {
	h.t.Helper()
	return h.interact(&discordgo.Interaction{
		Type:    discordgo.InteractionMessageComponent,
		Message: m,
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	})
}

func TestE2EButtons(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	r := h.command("ask", "", strOpt("question", "What did the US and Iran do?"), intOpt("results", 2))
	ids := buttons(r.Data)
	if ids["More"] == "" || ids["Context #1"] == "" {
		t.Fatalf("buttons %v; want More and Context #1", ids)
	}
	more := h.press(r, ids["More"])
	if !more.Ephemeral || !strings.Contains(text(more.Data), "#3") {
		t.Errorf("More: ephemeral %v\n%s", more.Ephemeral, text(more.Data))
	}
	ctxr := h.press(r, ids["Context #1"])
	if !ctxr.Ephemeral || !strings.Contains(text(ctxr.Data), "Context") {
		t.Errorf("Context: %q", text(ctxr.Data))
	}

	// Tampered: an edited id, and the same id under another question.
	tampered := strings.Replace(ids["More"], ".3.", ".4.", 1)
	if bad := h.press(r, tampered); !bad.Ephemeral || !strings.Contains(text(bad.Data), "not one I can use") {
		t.Errorf("tampered id: %q", text(bad.Data))
	}
	it, _ := h.fake.Interaction(r.InteractionID)
	edited := *it.Original
	edited.Embeds = []*discordgo.MessageEmbed{{Description: "x", Footer: &discordgo.MessageEmbedFooter{Text: questionFooter + "Who is Zebari?"}}}
	if bad := h.pressOn(&edited, ids["More"]); !strings.Contains(text(bad.Data), "not one I can use") {
		t.Errorf("id under another question: %q", text(bad.Data))
	}
	// Expired: made long ago by the same key.
	old := h.bot.signer.encode(actionContext, time.Now().Add(-2*buttonTTL), "", articleKey("000_f7beece76a365f7b"), "1", "1")
	if bad := h.press(r, old); !strings.Contains(text(bad.Data), "expired") {
		t.Errorf("expired id: %q", text(bad.Data))
	}
	if bad := h.press(r, "garbage"); !strings.Contains(text(bad.Data), "not one I can use") {
		t.Errorf("garbage id: %q", text(bad.Data))
	}
}

func TestE2EMessageCommand(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	target := &discordgo.Message{ID: "7000000000000000001", ChannelID: discordtest.DefaultChannelID, Content: "Who is Hoshyar Zebari?",
		Author: &discordgo.User{ID: discordtest.DefaultUserID}}
	r := h.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "Ask the article", CommandType: discordgo.MessageApplicationCommand,
			TargetID: target.ID, Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{target.ID: target}}},
	})
	if !strings.Contains(text(r.Data), "Iraq's foreign minister") {
		t.Errorf("Ask the article: %q", text(r.Data))
	}
}

func TestE2ECooldown(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	user := "4000000000000000042"
	h.fake.AddMember(discordtest.DefaultGuildID, &discordgo.Member{User: &discordgo.User{ID: user, Username: "fast"}})
	for i := range 5 {
		r := h.command("ask", user, strOpt("question", "Who is Hoshyar Zebari?"))
		if r.Ephemeral {
			t.Fatalf("question %d refused: %q", i+1, text(r.Data))
		}
	}
	r := h.command("ask", user, strOpt("question", "Who is Hoshyar Zebari?"))
	if !r.Ephemeral || !strings.Contains(text(r.Data), "wait") {
		t.Errorf("6th question: ephemeral %v %q; want a cooldown notice", r.Ephemeral, text(r.Data))
	}
	// Mentions by the same user: over the limit, one short notice per window.
	before := len(h.fake.CallsTo("POST", "channels/*/messages"))
	author := &discordgo.User{ID: user, Username: "fast"}
	var mentions []*discordgo.Message
	for range 3 {
		mentions = append(mentions, h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> who is zebari?", Author: author}))
	}
	h.handled(t, mentions...)
	calls := h.fake.CallsTo("POST", "channels/*/messages")[before:]
	if len(calls) != 1 || !strings.Contains(string(calls[0].Body), "wait") {
		t.Errorf("%d replies to 3 mentions over the limit; want one notice", len(calls))
	}
}

func TestE2EResumeAfterDrop(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	waitHeartbeat(t, h)
	h.fake.DropGateway(0)
	if err := h.fake.WaitResume(h.wait(), 1); err != nil {
		t.Fatalf("no resume after a dropped connection: %v", err)
	}
	m := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if _, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
	}); err != nil {
		t.Errorf("no answer after resuming: %v", err)
	}
	if h.fake.Identifies() != 1 {
		t.Errorf("%d identifies; want 1 (resumed, not re-identified)", h.fake.Identifies())
	}
}

func TestE2EInvalidSession(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	waitHeartbeat(t, h)
	h.fake.InvalidateSession(0, false)
	if err := h.fake.WaitIdentify(h.wait(), 2); err != nil {
		t.Fatalf("no new IDENTIFY after op 9: %v", err)
	}
	r := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"))
	if !strings.Contains(text(r.Data), "foreign minister") {
		t.Errorf("no answer after re-identifying: %q", text(r.Data))
	}
}

func waitHeartbeat(t *testing.T, h *harness) {
	t.Helper()
	err := h.fake.Until(h.wait(), func() bool {
		for _, c := range h.fake.Conns() {
			if c.Open && c.Heartbeats > 0 {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestE2ERateLimitedReplyIsRetried(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	h.fake.RateLimit("POST", "channels/*/messages", 1, 50*time.Millisecond, false)
	m := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	c, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && c.Status == 200 && strings.Contains(string(c.Body), m.ID)
	})
	if err != nil {
		t.Fatalf("reply never got through the 429: %v", err)
	}
	if n := len(h.fake.CallsTo("POST", "channels/*/messages")); n < 2 {
		t.Errorf("%d calls; want the 429 then the retry", n)
	}
	_ = c
}

// slowEngine delays every answer: a narrow fake of the Engine, for tests
// of the deferral path.
type slowEngine struct {
	Engine
	delay time.Duration
	panic bool
}

func (s slowEngine) Ask(ctx context.Context, q retrieval.Query) (*retrieval.Answer, error) {
	if s.panic {
		panic("engine exploded")
	}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Engine.Ask(ctx, q)
}

func TestE2ESlowAnswerIsDeferred(t *testing.T) {
	t.Parallel()
	h := startBot(t, slowEngine{Engine: seedEngine(t), delay: 700 * time.Millisecond},
		withOptions(func(o *Options) { o.DeferAfter = 100 * time.Millisecond }))
	r := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"), boolOpt("hide", true))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !r.Ephemeral {
		t.Fatalf("response type %d ephemeral %v; want a deferral (5), ephemeral", r.Type, r.Ephemeral)
	}
	h.wantEdited(t, r.InteractionID, "foreign minister")
}

func TestE2EPanicIsRecovered(t *testing.T) {
	t.Parallel()
	h := startBot(t, slowEngine{Engine: seedEngine(t), panic: true})
	r := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"))
	if !r.Ephemeral || !strings.Contains(text(r.Data), "went wrong") {
		t.Errorf("after a panic: %q", text(r.Data))
	}
	if !strings.Contains(h.logs.String(), "panic") {
		t.Errorf("panic not logged")
	}
	// The bot carries on.
	h.stillAnswers(t, "bot did not carry on")
}

func TestE2EShutdownIsPrompt(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	waitHeartbeat(t, h)
	start := time.Now()
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run = %v; want nil after shutdown", err)
		}
		h.done <- nil // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("bot did not stop within 5 s")
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if err := eventually(h.wait(), func() bool { return !h.bot.Ready() }); err != nil {
		t.Error("still reports ready after shutdown")
	}
}

func TestE2ERejectedToken(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Config{})
	b, err := New(seedEngine(t), Options{Token: "not-the-token", APIBase: f.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	if err := b.Run(ctx); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Run with a rejected token = %v; want ErrUnauthorized", err)
	}
	if strings.Contains(ErrUnauthorized.Error(), "not-the-token") {
		t.Error("error shows the token")
	}
}

func TestE2EUnreachableKeepsRetrying(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	b, err := New(seedEngine(t), Options{Token: "x", APIBase: "http://127.0.0.1:1", RetryMax: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	if err := b.Run(ctx); err != nil {
		t.Fatalf("Run = %v; want nil when stopped while retrying", err)
	}
	if n := strings.Count(logs.String(), "cannot reach Discord"); n < 2 {
		t.Errorf("%d attempts logged; want it to keep retrying:\n%s", n, logs)
	}
	if b.Ready() {
		t.Error("ready without Discord")
	}
}

func TestE2EShardIdentify(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil, withOptions(func(o *Options) { o.ShardID, o.ShardCount = 1, 2 }))
	s := h.fake.Sessions()
	if len(s) != 1 || s[0].Shard != [2]int{1, 2} {
		t.Errorf("sessions %+v; want one identified as shard [1, 2]", s)
	}
}

// TestE2EButtonsAfterRestart presses a button made by a bot that has since
// stopped, on a new bot process with the same token: the state lives in the
// custom id, the key comes from the token.
func TestE2EButtonsAfterRestart(t *testing.T) {
	t.Parallel()
	// This test is about a button outliving the process, not about
	// Discord's three seconds (other tests hold the bot to those): the
	// restarted bot's first answer is a cold one, which a loaded machine
	// under the race detector has been seen to take past three seconds.
	h := startBot(t, nil, func(_ *Options, c *discordtest.Config) { c.InteractionDeadline = e2eTimeout })
	r := h.command("ask", "", strOpt("question", "What did the US and Iran do?"), intOpt("results", 2))
	ids := buttons(r.Data)
	if ids["More"] == "" {
		t.Fatalf("no More button: %v", ids)
	}
	waitHeartbeat(t, h)
	h.stop()
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.done <- nil // for the harness's cleanup

	again, err := New(seedEngine(t), Options{Token: h.fake.Token(), APIBase: h.fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- again.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := h.fake.WaitIdentify(h.wait(), 2); err != nil {
		t.Fatal(err)
	}
	if err := eventually(h.wait(), again.Ready); err != nil {
		t.Fatal(err)
	}
	more := h.press(r, ids["More"])
	if !strings.Contains(text(more.Data), "#3") {
		t.Errorf("More after a restart: %q", text(more.Data))
	}
}

// TestE2EReconnectStorm sends a dropped connection, an op 7 and a
// non-resumable op 9 in quick succession, three times. Each time the bot
// must come back and answer, and then stay connected: discordgo v0.29.0
// let the heartbeat of a connection it had just replaced close the new
// one, a cycle that repeated every second for good (see
// third_party/discordgo/PATCHES.md).
func TestE2EReconnectStorm(t *testing.T) {
	t.Parallel()
	// Short heartbeats, so that a connection's own heartbeats show it has
	// outlived discordgo's one-second close soon.
	const interval, lived = 300 * time.Millisecond, 7
	h := startBot(t, nil, func(_ *Options, c *discordtest.Config) { c.HeartbeatInterval = interval })
	waitHeartbeat(t, h)
	// discordgo retries a reconnect that failed after 1, 2, 4, 8 and 16
	// seconds: on a loaded machine (the race detector, every package's
	// tests at once) one failed dial already takes a wait past
	// e2eTimeout. A storm is told by the connection count below, not by
	// how soon the bot comes back.
	back := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 3*e2eTimeout)
		t.Cleanup(cancel)
		return ctx
	}
	for round := 1; round <= 3; round++ {
		resumes, identifies, conns := h.fake.Resumes(), h.fake.Identifies(), len(h.fake.Conns())
		h.fake.DropGateway(discordtest.AllShards)
		if err := h.fake.WaitResume(back(), resumes+1); err != nil {
			t.Fatalf("round %d: no resume after a drop: %v\n%s", round, err, h.logs)
		}
		h.fake.Reconnect(discordtest.AllShards)
		if err := h.fake.WaitResume(back(), resumes+2); err != nil {
			t.Fatalf("round %d: no resume after op 7: %v\n%s", round, err, h.logs)
		}
		h.fake.InvalidateSession(discordtest.AllShards, false)
		if err := h.fake.WaitIdentify(back(), identifies+1); err != nil {
			t.Fatalf("round %d: no identify after op 9: %v\n%s", round, err, h.logs)
		}
		// Settled: the newest connection is open and has sent heartbeats
		// for longer than a replaced connection's heartbeat took to close
		// it (a second). Then there must be just the two connections the
		// events called for (the drop and op 7 a new one each; op 9
		// identifies again on the same): a storm dials more.
		err := h.fake.Until(h.wait(), func() bool {
			cs := h.fake.Conns()
			last := cs[len(cs)-1]
			return last.Open && last.Heartbeats >= lived
		})
		if n := len(h.fake.Conns()) - conns; err != nil || n != 2 {
			t.Fatalf("round %d: the bot keeps reconnecting: %d new connections; want 2 (%v)\n%s", round, n, err, h.logs)
		}
		m := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
		if _, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
			return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m.ID)
		}); err != nil {
			t.Fatalf("round %d: no answer after reconnecting: %v", round, err)
		}
	}
}
