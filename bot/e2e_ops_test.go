package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

// recMetrics records what the bot reports to its Metrics.
type recMetrics struct {
	mu            sync.Mutex
	answered      map[string]int // "via/result"
	declined      map[string]int // "via/reason"
	autocompletes int
	reconnects    int
	connected     bool
	rest          map[int]int
	digests       int
	skipped       map[string]int
}

func newRecMetrics() *recMetrics {
	return &recMetrics{answered: map[string]int{}, declined: map[string]int{}, rest: map[int]int{}, skipped: map[string]int{}}
}

func (m *recMetrics) QuestionAnswered(via string, noAnswer bool, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	result := "quoted"
	if noAnswer {
		result = "no_answer"
	}
	m.answered[via+"/"+result]++
}

func (m *recMetrics) QuestionDeclined(via, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.declined[via+"/"+reason]++
}

func (m *recMetrics) AutocompleteServed(time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.autocompletes++
}

func (m *recMetrics) GatewayConnected(up bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.connected = up
}

func (m *recMetrics) GatewayReconnected() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reconnects++
}

func (m *recMetrics) RESTError(status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rest[status]++
}

func (m *recMetrics) DigestPosted() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.digests++
}

func (m *recMetrics) DigestSkipped(reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.skipped[reason]++
}

// get reads one count under the lock.
func (m *recMetrics) get(f func(*recMetrics) int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return f(m)
}

func withMetrics(m *recMetrics) harnessOption {
	return withOptions(func(o *Options) { o.Metrics = m })
}

// mention posts a question mentioning the bot in channel (the default
// channel when "") and returns the bot's successful reply to it.
func (h *harness) mention(channel, question string) discordtest.Call {
	h.t.Helper()
	m := h.fake.MessageCreate(h.t, &discordgo.Message{ChannelID: channel, Content: "<@" + h.fake.BotUserID() + "> " + question})
	return h.replyTo(m)
}

// replyTo waits for the bot's successful reply to m.
func (h *harness) replyTo(m *discordgo.Message) discordtest.Call {
	h.t.Helper()
	c, err := h.fake.WaitCall(h.wait(), func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && c.Status == http.StatusOK &&
			strings.Contains(string(c.Body), `"message_id":"`+m.ID+`"`)
	})
	if err != nil {
		h.t.Fatalf("no reply to %q: %v\nlogs:\n%s", m.Content, err, h.logs)
	}
	return c
}

func TestE2EMetrics(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"))
	h.command("ask", "", strOpt("question", "How many American troops are stationed in Iraq?"))
	h.command("ask", "", strOpt("question", "???"))
	h.command("ask", "", strOpt("question", "Who?"), strOpt("article", "no-such-article"))
	h.mention("", "Who is Zalmy Khalilzad?")
	o := strOpt("term", "mil")
	o.Focused = true
	h.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommandAutocomplete,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "lookup", Options: []*discordgo.ApplicationCommandInteractionDataOption{o}},
	})
	user := "4000000000000000042"
	for range 6 {
		h.command("ask", user, strOpt("question", "Who is Hoshyar Zebari?"))
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	for key, want := range map[string]int{"command/quoted": 6, "command/no_answer": 1, "message/quoted": 1} {
		if m.answered[key] != want {
			t.Errorf("answered %s = %d; want %d (all: %v)", key, m.answered[key], want, m.answered)
		}
	}
	for key, want := range map[string]int{"command/invalid": 1, "command/unknown_article": 1, "command/cooldown": 1} {
		if m.declined[key] != want {
			t.Errorf("declined %s = %d; want %d (all: %v)", key, m.declined[key], want, m.declined)
		}
	}
	if m.autocompletes != 1 || !m.connected {
		t.Errorf("autocompletes %d, connected %v; want 1, true", m.autocompletes, m.connected)
	}
}

// TestE2EHealth follows Health through a dropped gateway: ready, then
// reconnecting (with the reason), then ready again and one reconnection
// counted.
func TestE2EHealth(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	if err := h.bot.Health(); err != nil {
		t.Fatalf("Health() = %v once ready; want nil", err)
	}
	waitHeartbeat(t, h)
	h.fake.DropGateway(0)
	var down error
	if err := eventually(h.wait(), func() bool { down = h.bot.Health(); return down != nil }); err != nil {
		t.Fatal("Health() stayed nil after the gateway dropped")
	}
	if !strings.Contains(down.Error(), "reconnecting") {
		t.Errorf("Health() while down = %q; want it to say it is reconnecting", down)
	}
	if err := eventually(h.wait(), func() bool { return h.bot.Health() == nil }); err != nil {
		t.Fatalf("Health() never came back: %v", h.bot.Health())
	}
	if n := m.get(func(m *recMetrics) int { return m.reconnects }); n != 1 {
		t.Errorf("%d reconnections counted; want 1", n)
	}
}

func TestE2EHealthWhileUnreachable(t *testing.T) {
	t.Parallel()
	b, err := New(seedEngine(t), Options{Token: "x", APIBase: "http://127.0.0.1:1", RetryMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Health(); err == nil || !strings.Contains(err.Error(), "connecting") {
		t.Errorf("Health() before Run = %v; want not connected yet", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer wcancel()
	err = eventually(wctx, func() bool {
		err := b.Health()
		return err != nil && strings.Contains(err.Error(), "cannot reach Discord")
	})
	if err != nil {
		t.Errorf("Health() = %v while Discord is unreachable; want it to say so", b.Health())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestE2EGatewayDroppedDuringInteraction drops the gateway while an
// answer is being worked out: the interaction is answered over REST all
// the same (deferred, then edited), and the bot serves on after resuming.
func TestE2EGatewayDroppedDuringInteraction(t *testing.T) {
	t.Parallel()
	h := startBot(t, slowEngine{Engine: seedEngine(t), delay: 1500 * time.Millisecond},
		withOptions(func(o *Options) { o.DeferAfter = 200 * time.Millisecond }))
	waitHeartbeat(t, h)
	sent := h.fake.InteractionCreate(t, &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			strOpt("question", "Who is Hoshyar Zebari?")}},
	})
	r, err := h.fake.WaitInteractionResponse(h.wait(), sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("response type %d; want a deferral", r.Type)
	}
	if n := h.fake.DropGateway(0); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	if _, err := h.fake.WaitCall(h.wait(), discordtest.MatchCall("PATCH", "webhooks/*/*/messages/@original")); err != nil {
		t.Fatalf("deferred answer never delivered after the drop: %v\nlogs:\n%s", err, h.logs)
	}
	it, _ := h.fake.Interaction(sent.ID)
	if !strings.Contains(text(it.Original), "foreign minister") {
		t.Errorf("answer after the drop: %q", text(it.Original))
	}
	if err := h.fake.WaitResume(h.wait(), 1); err != nil {
		t.Fatal(err)
	}
	h.stillAnswers(t, "no answer after resuming")
}

// TestE2EInvalidSessionResumable sends op 9 saying the session may be
// resumed: discordgo identifies again all the same, and the bot answers,
// without registering its commands a second time.
func TestE2EInvalidSessionResumable(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	waitHeartbeat(t, h)
	h.fake.InvalidateSession(0, true)
	if err := h.fake.WaitIdentify(h.wait(), 2); err != nil {
		t.Fatalf("no IDENTIFY after a resumable op 9: %v", err)
	}
	if c := h.mention("", "Who is Hoshyar Zebari?"); !strings.Contains(string(c.Body), "foreign minister") {
		t.Errorf("reply after op 9: %s", c.Body)
	}
	if n := len(h.fake.CallsTo("PUT", "applications/*/commands")); n != 1 {
		t.Errorf("%d command registrations; want 1 per process, not one per READY", n)
	}
}

func TestE2EGlobalRateLimit(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	h.fake.RateLimit("POST", "interactions/*/*/callback", 1, 200*time.Millisecond, true)
	r := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?"))
	if !strings.Contains(text(r.Data), "foreign minister") || r.Latency > 3*time.Second {
		t.Errorf("after a global 429: %q in %v", text(r.Data), r.Latency)
	}
	calls := h.fake.CallsTo("POST", "interactions/*/*/callback")
	if len(calls) != 2 || calls[0].Status != http.StatusTooManyRequests {
		t.Errorf("callback calls %v; want the 429 then the retry", calls)
	}
	if n := m.get(func(m *recMetrics) int { return m.rest[429] }); n != 1 {
		t.Errorf("%d 429s counted; want 1", n)
	}
}

func TestE2ERouteRateLimit(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	h.fake.RateLimit("POST", "interactions/*/*/callback", 2, 100*time.Millisecond, false)
	r := h.command("lookup", "", strOpt("term", "Istanbul"))
	if !strings.Contains(text(r.Data), "Istanbul") || r.Latency > 3*time.Second {
		t.Errorf("after two 429s on the route: %q in %v", text(r.Data), r.Latency)
	}
	if n := len(h.fake.CallsTo("POST", "interactions/*/*/callback")); n != 3 {
		t.Errorf("%d callback calls; want two 429s and the answer", n)
	}
}

// TestE2EServerErrorThenSuccess: Discord's 500, 503 and 504 are retried
// after a short wait (discordgo itself retries only 502), so a passing
// fault loses no reply.
func TestE2EServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			before := len(h.fake.CallsTo("POST", "channels/*/messages"))
			h.fake.FailNext("POST", "channels/*/messages", 1, status)
			if c := h.mention("", "Who is Hoshyar Zebari?"); !strings.Contains(string(c.Body), "foreign minister") {
				t.Errorf("reply after a %d: %s", status, c.Body)
			}
			if n := len(h.fake.CallsTo("POST", "channels/*/messages")) - before; n != 2 {
				t.Errorf("%d calls; want the %d then the retry", n, status)
			}
		})
	}
	h.fake.FailNext("POST", "interactions/*/*/callback", 1, 500)
	if r := h.command("ask", "", strOpt("question", "Who is Hoshyar Zebari?")); !strings.Contains(text(r.Data), "foreign minister") {
		t.Errorf("interaction answer after a 500: %q", text(r.Data))
	}
	// A fault that lasts: the reply is given up, logged, and the bot carries on.
	h.fake.FailNext("POST", "channels/*/messages", 3, 500)
	m2 := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if _, err := h.fake.WaitCalls(h.wait(), 3, func(c discordtest.Call) bool {
		return c.Is("POST", "channels/*/messages") && strings.Contains(string(c.Body), m2.ID)
	}); err != nil {
		t.Fatal(err)
	}
	if err := eventually(h.wait(), func() bool { return strings.Contains(h.logs.String(), "sending a reply") }); err != nil {
		t.Errorf("a reply lost to a lasting 500 is not logged")
	}
	h.stillAnswers(t, "bot did not carry on")
	if n := m.get(func(m *recMetrics) int { return m.rest[500] }); n < 5 {
		t.Errorf("%d 500s counted; want every one (5)", n)
	}
}

// TestE2ESlowEndpoint: a slow route holds up only its own calls; one
// slower than the REST timeout fails, is logged, and the bot carries on.
func TestE2ESlowEndpoint(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m), withOptions(func(o *Options) { o.RESTTimeout = 2 * time.Second }))
	remove := h.fake.Slow("POST", "channels/*/messages", 1200*time.Millisecond)
	slow := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	start := time.Now()
	r := h.command("ask", "", strOpt("question", "Who is Zalmy Khalilzad?"))
	if r.Latency > 3*time.Second || !strings.Contains(text(r.Data), "ambassador") {
		t.Errorf("interaction beside a slow route: %q after %v", text(r.Data), r.Latency)
	}
	h.replyTo(slow)
	if d := time.Since(start); d < time.Second {
		t.Errorf("slow reply came after %v; the fault did not apply", d)
	}
	remove()

	h.fake.Slow("POST", "channels/*/messages", 10*time.Second)
	h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	if err := eventually(h.wait(), func() bool { return strings.Contains(h.logs.String(), "sending a reply") }); err != nil {
		t.Fatalf("a reply timed out is not logged:\n%s", h.logs)
	}
	h.stillAnswers(t, "bot did not carry on")
	if n := m.get(func(m *recMetrics) int { return m.rest[0] }); n < 1 {
		t.Errorf("the timed-out call is not counted as a network error")
	}
}

// TestE2ETokenRevokedWhileRunning resets the token on the fake, then
// drops the gateway: discordgo would retry its refused RESUME for ever,
// but the bot checks its token over REST, stops, and says why, without
// showing the token.
func TestE2ETokenRevokedWhileRunning(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	old := h.fake.Token()
	waitHeartbeat(t, h)
	h.fake.SetToken("a-new-token-from-the-portal")
	h.fake.DropGateway(0)
	select {
	case err := <-h.done:
		h.done <- err // for the cleanup
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("Run = %v; want ErrUnauthorized", err)
		}
		if strings.Contains(err.Error(), old) {
			t.Errorf("the error shows the token: %v", err)
		}
	case <-time.After(e2eTimeout):
		t.Fatalf("still running %v after the token was revoked\nlogs:\n%s", e2eTimeout, h.logs)
	}
	if err := h.bot.Health(); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("Health() = %v; want it to name the token", err)
	}
	if strings.Contains(h.logs.String(), old) {
		t.Errorf("the revoked token appears in the logs")
	}
	// Having stopped, the bot has closed its connections and dials no
	// more: its dialer refuses, so no connection can follow.
	if err := h.fake.Until(h.wait(), func() bool {
		for _, c := range h.fake.Conns() {
			if c.Open {
				return false
			}
		}
		return true
	}); err != nil {
		t.Errorf("a gateway connection is still open after the bot stopped: %v", err)
	}
	conns := len(h.fake.Conns())
	if c, err := h.bot.dialGateway(context.Background(), "tcp", strings.TrimPrefix(h.fake.URL, "http://")); err == nil {
		c.Close()
		t.Errorf("the stopped bot's dialer still dials")
	}
	if n := len(h.fake.Conns()); n != conns {
		t.Errorf("%d gateway connections opened after the bot stopped", n-conns)
	}
}

// TestE2ETokenRevokedSeenOverREST: the gateway stays up, but a reply is
// refused 401; the bot checks, and stops.
func TestE2ETokenRevokedSeenOverREST(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	waitHeartbeat(t, h)
	h.fake.SetToken("a-new-token-from-the-portal")
	h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Who is Hoshyar Zebari?"})
	select {
	case err := <-h.done:
		h.done <- err
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("Run = %v; want ErrUnauthorized", err)
		}
	case <-time.After(e2eTimeout):
		t.Fatalf("still running after a 401\nlogs:\n%s", h.logs)
	}
}

// shard0Guild is a guild on shard 0 of 2 (DefaultGuildID is on shard 1).
const (
	shard0Guild   = "2000000000004194304"
	shard0Channel = "3000000000000000500"
)

// TestE2EShardsSplitGuilds runs two shards against one fake Discord: each
// answers the messages of its own guilds only, and only shard 0 registers
// the commands.
func TestE2EShardsSplitGuilds(t *testing.T) {
	t.Parallel()
	if discordtest.ShardForGuild(shard0Guild, 2) != 0 || discordtest.ShardForGuild(discordtest.DefaultGuildID, 2) != 1 {
		t.Fatal("test guilds are not on the shards they should be")
	}
	f := discordtest.New(t, discordtest.Config{})
	f.AddGuild(&discordgo.Guild{ID: shard0Guild, Name: "Shard zero", Channels: []*discordgo.Channel{
		{ID: shard0Channel, Name: "general", Type: discordgo.ChannelTypeGuildText}}})
	engine := seedEngine(t)
	m0, m1 := newRecMetrics(), newRecMetrics()
	h0 := startBotOn(t, f, engine, Options{ShardID: 0, ShardCount: 2, Metrics: m0})
	h1 := startBotOn(t, f, engine, Options{ShardID: 1, ShardCount: 2, Metrics: m1})

	h0.mention(shard0Channel, "Who is Hoshyar Zebari?")
	h1.mention(discordtest.DefaultChannelID, "Who is Zalmy Khalilzad?")
	h1.mention(discordtest.DefaultChannelID, "Where do Iraqi officials want the next meeting?")
	for _, tt := range []struct {
		name string
		m    *recMetrics
		want int
	}{{"shard 0", m0, 1}, {"shard 1", m1, 2}} {
		if n := tt.m.get(func(m *recMetrics) int { return m.answered["message/quoted"] }); n != tt.want {
			t.Errorf("%s answered %d messages; want %d", tt.name, n, tt.want)
		}
	}
	// An event sent to the wrong shard (Discord never does) is left to the
	// shard it belongs to.
	f.DispatchShard(t, 1, "MESSAGE_CREATE", map[string]any{
		"id": "7000000000000000009", "channel_id": shard0Channel, "guild_id": shard0Guild, "type": 0,
		"content": "<@" + f.BotUserID() + "> Who is Hoshyar Zebari?", "mentions": []any{map[string]any{"id": f.BotUserID(), "username": "verbatim"}},
		"author": map[string]any{"id": discordtest.DefaultUserID, "username": "alice"}, "timestamp": time.Now().Format(time.RFC3339),
	})
	if err := eventually(h1.wait(), func() bool { return strings.Contains(h1.logs.String(), "another shard's guild ignored") }); err != nil {
		t.Errorf("shard 1 did not ignore a message of shard 0's guild:\n%s", h1.logs)
	}
	if n := m1.get(func(m *recMetrics) int { return m.answered["message/quoted"] }); n != 2 {
		t.Errorf("shard 1 answered a message of shard 0's guild")
	}
	if n := len(f.CallsTo("PUT", "applications/*/commands")); n != 1 {
		t.Errorf("%d command registrations; want 1, by shard 0", n)
	}
}

// TestDigestMetrics counts a digest posted, and one skipped for having
// nothing new.
func TestDigestMetrics(t *testing.T) {
	t.Parallel()
	ch := discordtest.DefaultChannelID
	m := newRecMetrics()
	w := newDigestWorld(t, day(2, 8, 0))
	w.addNews("bridge", "the bridge")
	b := w.start(withDigestChannel(ch), func(o *Options) { o.Metrics = m })
	b.at(day(2, 9, 0))
	b.at(day(3, 9, 0))
	if n := m.get(func(m *recMetrics) int { return m.digests }); n != 1 {
		t.Errorf("%d digests counted; want 1", n)
	}
	if n := m.get(func(m *recMetrics) int { return m.skipped["no_articles"] }); n != 1 {
		t.Errorf("%d digests skipped for nothing new; want 1 (all: %v)", n, m.skipped)
	}
}
