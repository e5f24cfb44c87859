// Package discordtest is a fake Discord for end-to-end tests that drive
// the real [discordgo] client: the gateway websocket and the REST API
// under /api/v9, served by an [httptest.Server] on 127.0.0.1.
//
// # Use
//
// Start a fake, point a session's HTTP client at it with
// bot.NewHTTPClient (gateway discovery goes through REST, so the session
// finds the fake's websocket by itself), open the session, then play
// Discord's part and look at what the bot did:
//
//	f := discordtest.New(t, discordtest.Config{})
//	s, _ := discordgo.New("Bot " + f.Token())
//	s.Client, _ = bot.NewHTTPClient(f.URL, 5*time.Second)
//	s.Open()
//	f.WaitReady(ctx)
//	q := f.MessageCreate(t, &discordgo.Message{Content: "<@" + f.BotUserID() + "> who?"})
//	call, err := f.WaitCall(ctx, discordtest.MatchCall("POST", "channels/*/messages"))
//
// A new fake holds a guild ([DefaultGuildID]) with a text channel
// ([DefaultChannelID]) and a member ([DefaultUserID]); [Fake.AddGuild],
// [Fake.AddChannel] and [Fake.AddMember] register more. [Fake.Dispatch]
// sends any event; [Fake.MessageCreate], [Fake.InteractionCreate] and
// [Fake.GuildCreate] fill in the fields a test does not care about.
//
// # What it checks
//
// The fake behaves as Discord does where a bot can get it wrong: REST calls
// need the bot's token; messages, embeds, components, autocomplete choices,
// commands and threads are held to Discord's limits (400 Invalid Form Body,
// 50035, with Discord's nested "errors"); an interaction takes one initial
// response, within 3 seconds; a message sent with a nonce and
// enforce_nonce returns the message first sent with that nonce; replies
// must reference a message that exists; events respect the session's
// intents (without the message content intent, guild messages that neither
// mention the bot nor are its own arrive with empty content) and its shard;
// the bot's own messages come back as MESSAGE_CREATE. Routes it does not
// serve answer 404 and are listed by [Fake.UnknownCalls].
//
// # Recording and waiting
//
// Every REST call is recorded as a [Call] (the Authorization value is
// redacted; [Call.AuthorizationIs] checks it) and every gateway frame the
// client sends as a [Frame] (tokens likewise). A call is recorded, and the
// fake's state updated, before its answer is written, so after a discordgo
// method returns, the fake already shows its effect. To wait for what the
// bot does on its own, use [Fake.WaitCall], [Fake.WaitIdentify],
// [Fake.WaitResume], [Fake.WaitInteractionResponse] or, for anything else,
// [Fake.Until] with a condition over the fake's accessors.
//
// # Interactions endpoint
//
// An application with an Interactions Endpoint URL gets its interactions
// by HTTP instead of on the gateway. [Fake.PostInteraction] plays that
// part: it signs an interaction with the application's Ed25519 key as
// Discord does ([SignRequest]), POSTs it to the bot's endpoint, and takes
// the HTTP reply as the initial response, so that the bot's later edits
// and followups over REST find the interaction as they would after a
// callback. [SignRequest] alone makes forged or stale requests for tests
// of the signature check.
//
// # Faults
//
// [Fault] (and [Fake.RateLimit], [Fake.FailNext], [Fake.Slow]) makes REST
// routes answer 429 (per route or global), 5xx or any status, answer late,
// act and then hold the answer back (for a client killed mid-call), or
// drop the connection. [Fake.DropGateway], [Fake.Reconnect] (op 7),
// [Fake.InvalidateSession] (op 9), [Fake.CloseGateway] (a close code),
// [Fake.PauseHeartbeatAcks] and [Fake.SetToken] disturb the gateway.
// [Fake.SetChannelAccess] makes a channel answer 403 or 404.
//
// # discordgo v0.29.0, as observed against the fake
//
//   - Open discovers the gateway with GET /api/v9/gateway, which needs no
//     token (not /gateway/bot), and appends "/?v=9&encoding=json". It keeps
//     that URL for every later reconnection and resume, forgetting it only
//     when a dial fails; READY's resume_gateway_url is ignored.
//   - So a wrong token first shows at Open as a *websocket.CloseError with
//     code 4004, not as a 401. REST calls with it get a *RESTError with
//     status 401 (discordgo's ErrUnauthorized is overwritten by it).
//   - No close code is fatal to discordgo: after 4004, 4010 or 4014 during
//     a reconnection it retries for ever, waiting 1s, 2s, 4s ... up to 10
//     minutes. A bot must notice a rejected token itself.
//   - Close writes its close frame, then sleeps one second. Every
//     reconnection after a read error or op 7 goes through Close, so a
//     dropped connection takes at least a second to come back (tests must
//     allow a few seconds); shutting a session down takes a second too.
//   - A heartbeat due while Close sleeps, or the first heartbeat when Close
//     follows Open at once, fails with "close sent", and discordgo then
//     reconnects: the closed session comes back. Wait for the first
//     heartbeat before closing (see [ConnInfo].Heartbeats), and keep the
//     heartbeat interval long except in tests about heartbeats (the fake's
//     default is 10s).
//   - Op 9 is answered with an immediate IDENTIFY on the same connection,
//     whatever its "d" says; discordgo never resumes after op 9.
//   - Close sends close code 1000, which ends the session on Discord; so
//     after a missed heartbeat ACK (five intervals) discordgo's RESUME is
//     refused and it identifies again. After op 7 it closes with 1012 and
//     resumes.
//   - IDENTIFY carries the token as given to discordgo.New ("Bot TOKEN")
//     and "compress": true unless Session.Compress is false; each binary
//     frame is then one whole zlib stream. discordgo does not use zlib-stream
//     transport compression.
//   - Only 502 is retried, at once, up to MaxRestRetries (3) times; other
//     5xx come back as a *RESTError. A 429 is retried after sleeping
//     retry_after (read as seconds, to the millisecond), without limit; with
//     X-RateLimit-Global every bucket waits.
//   - Handlers run each in a goroutine of their own: a test cannot rely on
//     handlers seeing events in the order they were sent. discordgo's State
//     overwrites structs it has already passed to handlers (GUILD_CREATE
//     rewrites the guild READY listed), so keep no pointers from events, or
//     disable State.
//   - discordgo.MessageSend has no nonce or enforce_nonce: send such
//     messages with Session.RequestWithBucketID. discordgo.Message does not
//     encode its Components.
//
// [discordgo]: https://pkg.go.dev/github.com/bwmarrin/discordgo
package discordtest
