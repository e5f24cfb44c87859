package discordtest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

func TestOpenReady(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	ready := events[*discordgo.Ready](s)
	guilds := events[*discordgo.GuildCreate](s)

	openSession(t, f, s)

	r := ready.first(t, "READY")
	if r.User == nil || r.User.ID != discordtest.DefaultBotUserID || !r.User.Bot {
		t.Errorf("READY user = %+v; want bot user %s", r.User, discordtest.DefaultBotUserID)
	}
	if r.Application == nil || r.Application.ID != f.ApplicationID() {
		t.Errorf("READY application = %+v; want id %s", r.Application, f.ApplicationID())
	}
	if len(r.Guilds) != 1 || r.Guilds[0].ID != discordtest.DefaultGuildID || !r.Guilds[0].Unavailable {
		t.Errorf("READY guilds = %+v; want the default guild, unavailable", r.Guilds)
	}
	g := guilds.first(t, "GUILD_CREATE")
	if g.ID != discordtest.DefaultGuildID || len(g.Channels) != 1 || g.Channels[0].ID != discordtest.DefaultChannelID {
		t.Errorf("GUILD_CREATE = %s with %d channels; want the default guild and channel", g.ID, len(g.Channels))
	}

	sessions := f.Sessions()
	if len(sessions) != 1 || sessions[0].ID != r.SessionID || !sessions[0].Connected {
		t.Fatalf("Sessions() = %+v; want one connected session %s", sessions, r.SessionID)
	}
	if got := sessions[0]; got.Intents != int(botIntents) || !got.Compress || got.Shard != [2]int{0, 1} {
		t.Errorf("session intents %#x compress %v shard %v; want %#x, true (discordgo's default), [0 1]", got.Intents, got.Compress, got.Shard, botIntents)
	}

	var identify discordtest.Frame
	for _, fr := range f.Frames() {
		if fr.Op == 2 {
			identify = fr
		}
	}
	if !identify.TokenIs("Bot "+f.Token()) || identify.TokenIs(f.Token()) {
		t.Errorf("IDENTIFY token check failed: want discordgo to send \"Bot TOKEN\"")
	}
	if strings.Contains(string(identify.Raw), f.Token()) || strings.Contains(string(identify.Data), f.Token()) {
		t.Errorf("recorded IDENTIFY exposes the token: %s", identify.Raw)
	}
	conns := f.Conns()
	if len(conns) != 1 || conns[0].Query.Get("v") != "9" || conns[0].Query.Get("encoding") != "json" {
		t.Errorf("Conns() = %+v; want one connection with v=9&encoding=json", conns)
	}
	if f.Identifies() != 1 || f.Resumes() != 0 {
		t.Errorf("identifies %d, resumes %d; want 1, 0", f.Identifies(), f.Resumes())
	}
}

func TestDispatchReachesHandler(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	created := events[*discordgo.MessageCreate](s)
	deleted := events[*discordgo.MessageDelete](s)
	openSession(t, f, s)

	sent := f.MessageCreate(t, &discordgo.Message{Content: "what did <@" + f.BotUserID() + "> say?"})
	got := created.first(t, "MESSAGE_CREATE")
	if got.ID != sent.ID || got.Content != sent.Content || got.ChannelID != discordtest.DefaultChannelID ||
		got.GuildID != discordtest.DefaultGuildID || got.Author.ID != discordtest.DefaultUserID {
		t.Errorf("handler got %+v; want %+v", got.Message, sent)
	}
	if len(got.Mentions) != 1 || got.Mentions[0].ID != f.BotUserID() {
		t.Errorf("Mentions = %v; want the bot, parsed from the content", got.Mentions)
	}
	if msgs := f.Messages(discordtest.DefaultChannelID); len(msgs) != 1 || msgs[0].ID != sent.ID {
		t.Errorf("Messages() = %v; want the dispatched message stored", msgs)
	}

	// Any event, raw.
	if n := f.Dispatch(t, "MESSAGE_DELETE", map[string]any{"id": sent.ID, "channel_id": sent.ChannelID, "guild_id": sent.GuildID}); n != 1 {
		t.Errorf("Dispatch sent to %d sessions; want 1", n)
	}
	if got := deleted.first(t, "MESSAGE_DELETE"); got.ID != sent.ID {
		t.Errorf("MESSAGE_DELETE for %s; want %s", got.ID, sent.ID)
	}
}

func TestMessageContentIntent(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	created := events[*discordgo.MessageCreate](s)
	openSession(t, f, s)

	tests := []struct {
		name, channel, content, want string
	}{
		{"guild message hidden", discordtest.DefaultChannelID, "plain question?", ""},
		{"mention kept", discordtest.DefaultChannelID, "<@" + f.BotUserID() + "> hi", "<@" + f.BotUserID() + "> hi"},
		{"DM kept", "5000000000000000001", "in a DM", "in a DM"},
	}
	f.AddChannel(&discordgo.Channel{ID: "5000000000000000001", Type: discordgo.ChannelTypeDM})
	for _, tt := range tests {
		sent := f.MessageCreate(t, &discordgo.Message{ChannelID: tt.channel, Content: tt.content})
		got := created.wait(t, tt.name, func(m *discordgo.MessageCreate) bool { return m.ID == sent.ID })
		if got.Content != tt.want {
			t.Errorf("%s: content = %q; want %q", tt.name, got.Content, tt.want)
		}
	}
}

func TestResumeAfterDrop(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	created := events[*discordgo.MessageCreate](s)
	resumed := events[*discordgo.Resumed](s)
	openSession(t, f, s)
	ctx := testContext(t)
	first := f.MessageCreate(t, &discordgo.Message{Content: "before the drop"})
	created.wait(t, "first message", func(m *discordgo.MessageCreate) bool { return m.ID == first.ID })

	if n := f.DropGateway(discordtest.AllShards); n != 1 {
		t.Fatalf("DropGateway dropped %d connections; want 1", n)
	}
	missed := f.MessageCreate(t, &discordgo.Message{Content: "while you were away"})

	if err := f.WaitResume(ctx, 1); err != nil {
		t.Fatal(err)
	}
	resumed.first(t, "RESUMED")
	got := created.wait(t, "missed message", func(m *discordgo.MessageCreate) bool { return m.ID == missed.ID })
	if got.Content != missed.Content {
		t.Errorf("missed message content = %q; want %q", got.Content, missed.Content)
	}
	if f.Identifies() != 1 || f.Resumes() != 1 {
		t.Errorf("identifies %d, resumes %d; want 1, 1", f.Identifies(), f.Resumes())
	}
	conns := f.Conns()
	if len(conns) != 2 || conns[0].Open || !conns[1].Open || conns[0].ClientCloseCode != 0 {
		t.Errorf("Conns() = %+v; want the dropped one (no close frame) and an open one", conns)
	}
	after := f.MessageCreate(t, &discordgo.Message{Content: "after"})
	created.wait(t, "message after resume", func(m *discordgo.MessageCreate) bool { return m.ID == after.ID })
}

func TestReconnectRequest(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	openSession(t, f, s)

	f.Reconnect(discordtest.AllShards)
	if err := f.WaitResume(testContext(t), 1); err != nil {
		t.Fatal(err)
	}
	conns := f.Conns()
	if len(conns) != 2 || conns[0].ClientCloseCode != websocket.CloseServiceRestart {
		t.Errorf("Conns() = %+v; want discordgo to close the first with 1012 and resume on a second", conns)
	}
}

func TestInvalidSession(t *testing.T) {
	t.Parallel()
	for _, resumable := range []bool{false, true} {
		t.Run(map[bool]string{false: "not resumable", true: "resumable"}[resumable], func(t *testing.T) {
			t.Parallel()
			f := newFake(t, discordtest.Config{})
			s := newSession(t, f, f.Token())
			ready := events[*discordgo.Ready](s)
			openSession(t, f, s)
			first := ready.first(t, "first READY")

			if n := f.InvalidateSession(discordtest.AllShards, resumable); n != 1 {
				t.Fatalf("InvalidateSession sent %d; want 1", n)
			}
			// discordgo answers op 9 with a fresh IDENTIFY on the same
			// connection, even when the session is resumable.
			if err := f.WaitIdentify(testContext(t), 2); err != nil {
				t.Fatal(err)
			}
			second := ready.waitN(t, "second READY", 2)[1]
			if second.SessionID == first.SessionID {
				t.Errorf("second READY has the old session id %s", first.SessionID)
			}
			sessions := f.Sessions()
			if len(sessions) != 2 || sessions[0].Valid || !sessions[1].Connected {
				t.Errorf("Sessions() = %+v; want the old one ended and the new one connected", sessions)
			}
			if conns := f.Conns(); len(conns) != 1 {
				t.Errorf("%d connections; want discordgo to stay on its connection", len(conns))
			}
			created := events[*discordgo.MessageCreate](s)
			m := f.MessageCreate(t, &discordgo.Message{Content: "still there?"})
			created.wait(t, "message after re-identify", func(x *discordgo.MessageCreate) bool { return x.ID == m.ID })
		})
	}
}

func TestDroppedSessionEndedReidentifies(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	openSession(t, f, s)

	// A close with 4009 (session timed out) ends the session: discordgo's
	// RESUME is refused with op 9 and it identifies again.
	f.CloseGateway(discordtest.AllShards, 4009, "Session timed out.")
	ctx := testContext(t)
	if err := f.WaitIdentify(ctx, 2); err != nil {
		t.Fatal(err)
	}
	var sawResume bool
	for _, fr := range f.Frames() {
		sawResume = sawResume || fr.Op == 6
	}
	if !sawResume || f.Resumes() != 0 {
		t.Errorf("resume frames seen %v, resumes answered %d; want a refused RESUME before the IDENTIFY", sawResume, f.Resumes())
	}
}

func TestWrongTokenGateway(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, "not-the-token")

	// discordgo discovers the gateway with GET /gateway, which needs no
	// token, so a wrong token first shows as close code 4004 from Open.
	err := s.Open()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4004 {
		t.Fatalf("Open() error = %v; want a websocket close 4004", err)
	}
	if conns := f.Conns(); len(conns) != 1 || conns[0].ServerCloseCode != 4004 {
		t.Errorf("Conns() = %+v; want one closed by the fake with 4004", conns)
	}
	if f.Identifies() != 0 {
		t.Errorf("Identifies() = %d; want 0", f.Identifies())
	}

	_, err = s.User("@me")
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != 401 {
		t.Fatalf("User(@me) error = %v; want a 401 RESTError", err)
	}
	calls := f.CallsTo("GET", "users/@me")
	if len(calls) != 1 || !calls[0].HasAuth || !calls[0].AuthorizationIs("Bot not-the-token") || calls[0].Header.Get("Authorization") != "[redacted]" {
		t.Errorf("users/@me calls = %v; want one with the wrong token, redacted", calls)
	}
}

func TestTokenReset(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	s := newSession(t, f, f.Token())
	s.LogLevel = -1 // the failed reconnections are the point; keep the log quiet
	openSession(t, f, s)
	old := f.Token()

	// A token reset while connected: the resume after a drop is refused
	// with 4004, and discordgo keeps retrying with backoff.
	f.SetToken("new-token")
	f.DropGateway(discordtest.AllShards)
	ctx := testContext(t)
	if err := f.Until(ctx, func() bool {
		for _, c := range f.Conns() {
			if c.ServerCloseCode == 4004 {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no connection closed with 4004: %v", err)
	}
	// Restoring the token lets its next attempt through.
	f.SetToken(old)
	if err := f.Until(ctx, func() bool { return f.Resumes()+f.Identifies() >= 2 }); err != nil {
		t.Fatal(err)
	}
}

func TestCompressedDispatchesAndPlainText(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{})
	for _, compress := range []bool{true, false} {
		s := newSession(t, f, f.Token())
		s.Compress = compress
		s.Identify.Compress = compress
		created := events[*discordgo.MessageCreate](s)
		if err := s.Open(); err != nil {
			t.Fatalf("Open (compress %v): %v", compress, err)
		}
		if err := f.WaitIdentify(testContext(t), map[bool]int{true: 1, false: 2}[compress]); err != nil {
			t.Fatal(err)
		}
		m := f.MessageCreate(t, &discordgo.Message{Content: "zlib?"})
		created.wait(t, "message", func(x *discordgo.MessageCreate) bool { return x.ID == m.ID })
		closeSession(f, s)
	}
	var got []bool
	for _, si := range f.Sessions() {
		got = append(got, si.Compress)
	}
	if len(got) != 2 || !got[0] || got[1] {
		t.Errorf("session compress flags = %v; want [true false]", got)
	}
	// discordgo's Close sends 1000, which ends the session on Discord.
	if err := f.Until(testContext(t), func() bool { return openConns(f) == 0 }); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Conns() {
		if c.ClientCloseCode != websocket.CloseNormalClosure {
			t.Errorf("conn %d client close = %d; want 1000", c.ID, c.ClientCloseCode)
		}
	}
	for _, si := range f.Sessions() {
		if si.Valid {
			t.Errorf("session %s still valid after a 1000 close", si.ID)
		}
	}
}

func TestShards(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{RecommendedShards: 2})
	// Find a guild id on shard 1 (the default guild's shard is computed).
	other := "2000000000004194304" // (id >> 22) is odd
	if discordtest.ShardForGuild(other, 2) == discordtest.ShardForGuild(discordtest.DefaultGuildID, 2) {
		other = "2000000000008388608"
	}
	f.AddGuild(&discordgo.Guild{ID: other, Name: "other", Channels: []*discordgo.Channel{{ID: "3000000000000000002", Type: discordgo.ChannelTypeGuildText}}})
	f.AddChannel(&discordgo.Channel{ID: "5000000000000000009", Type: discordgo.ChannelTypeDM})

	type shard struct {
		s       *discordgo.Session
		created *eventLog[*discordgo.MessageCreate]
		ready   *eventLog[*discordgo.Ready]
	}
	var shards [2]shard
	for i := range shards {
		s := newSession(t, f, f.Token())
		s.ShardID, s.ShardCount = i, 2
		shards[i] = shard{s, events[*discordgo.MessageCreate](s), events[*discordgo.Ready](s)}
		if err := s.Open(); err != nil {
			t.Fatalf("Open shard %d: %v", i, err)
		}
	}
	if err := f.WaitIdentify(testContext(t), 2); err != nil {
		t.Fatal(err)
	}
	for i, sh := range shards {
		r := sh.ready.first(t, "READY")
		if r.Shard == nil || *r.Shard != [2]int{i, 2} || len(r.Guilds) != 1 {
			t.Errorf("shard %d READY shard %v with %d guilds; want [%d 2] and its one guild", i, r.Shard, len(r.Guilds), i)
		}
	}

	home := discordtest.ShardForGuild(discordtest.DefaultGuildID, 2)
	inDefault := f.MessageCreate(t, &discordgo.Message{Content: "default guild"})
	inOther := f.MessageCreate(t, &discordgo.Message{ChannelID: "3000000000000000002", Content: "other guild"})
	inDM := f.MessageCreate(t, &discordgo.Message{ChannelID: "5000000000000000009", Content: "dm"})
	want := map[int][]string{home: {inDefault.ID}, 1 - home: {inOther.ID}}
	want[0] = append(want[0], inDM.ID)
	// DispatchShard overrides the routing.
	forced := f.DispatchShard(t, 1, "MESSAGE_CREATE", map[string]any{
		"id": "9", "channel_id": "5000000000000000009", "content": "forced", "author": map[string]any{"id": "1"},
	})
	want[1] = append(want[1], "9")
	if forced != 1 {
		t.Errorf("DispatchShard sent to %d sessions; want 1", forced)
	}
	for i, sh := range shards {
		for _, id := range want[i] {
			sh.created.wait(t, "message "+id, func(m *discordgo.MessageCreate) bool { return m.ID == id })
		}
	}
	// Each session got READY, its guild's GUILD_CREATE and its messages,
	// and nothing else.
	for _, si := range f.Sessions() {
		if want := int64(2 + len(want[si.Shard[0]])); si.Seq != want {
			t.Errorf("shard %d session sent %d dispatches; want %d", si.Shard[0], si.Seq, want)
		}
	}
}

func TestHeartbeats(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordtest.Config{HeartbeatInterval: 50 * time.Millisecond})
	s := newSession(t, f, f.Token())
	s.LogLevel = -1 // the missed ACKs are the point; keep the log quiet
	openSession(t, f, s)
	ctx := testContext(t)
	if _, err := f.WaitFrame(ctx, func(fr discordtest.Frame) bool {
		var seq int64
		return fr.Op == 1 && json.Unmarshal(fr.Data, &seq) == nil && seq >= 1
	}); err != nil {
		t.Fatal(err)
	}
	// Without ACKs discordgo reconnects after five intervals. The new
	// connection gets a long interval, so closing the session at the end
	// cannot race a heartbeat.
	f.SetHeartbeatInterval(10 * time.Second)
	f.PauseHeartbeatAcks(true)
	if err := f.Until(ctx, func() bool { return len(f.Conns()) >= 2 }); err != nil {
		t.Fatal(err)
	}
	f.PauseHeartbeatAcks(false)
	if err := f.Until(ctx, func() bool { return f.Resumes()+f.Identifies() >= 2 }); err != nil {
		t.Fatal(err)
	}
	// discordgo closed the zombie connection with 1000, which ends the
	// session, so its RESUME was refused and it identified again.
	if c := f.Conns()[0]; c.ClientCloseCode != websocket.CloseNormalClosure || f.Identifies() != 2 {
		t.Errorf("first connection closed with %d, %d identifies; want 1000 and 2", c.ClientCloseCode, f.Identifies())
	}
}
