package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Engine is what the bot needs of the answering engine; *retrieval.Index
// provides it. Implementations must be safe for concurrent use.
type Engine interface {
	Ask(ctx context.Context, q retrieval.Query) (*retrieval.Answer, error)
	Lookup(ctx context.Context, term string, article corpus.ArticleID, limit int) (*retrieval.Lookup, error)
	// LookupIn is Lookup as in a Discord server (retrieval.Query.Guild).
	LookupIn(ctx context.Context, term string, article corpus.ArticleID, guild string, limit int) (*retrieval.Lookup, error)
	// TermsIn completes the last word of prefix with words of the
	// articles answered in guild (retrieval.Query.Guild), the most
	// frequent first: /lookup's autocomplete.
	TermsIn(prefix, guild string, limit int) ([]string, error)
	digest.Source
	// Articles lists the articles newest first, without their paragraphs.
	Articles() []*corpus.Article
	// Article returns one article with its sentences, and false for an
	// article the engine does not hold.
	Article(id corpus.ArticleID) (*corpus.Article, bool)
	// SpeakersIn lists everyone the articles answered in guild
	// (retrieval.Query.Guild) quote, the most quoted first.
	SpeakersIn(guild string) []corpus.SpeakerCount
	// QuotesByIn returns the sentences of the articles answered in guild
	// that report speaker's words (any case), newest article first;
	// article, when not "", keeps one article's.
	QuotesByIn(speaker string, article corpus.ArticleID, guild string) []corpus.Sentence
}

// Metrics receives what the bot counts and times; *ops.Metrics provides
// it. via is how a question was asked ("command", "message", "button");
// reason why one was declined ("invalid", "cooldown", "unknown_article",
// "error"). Implementations must be safe for concurrent use.
type Metrics interface {
	QuestionAnswered(via string, noAnswer bool, took time.Duration)
	QuestionDeclined(via, reason string)
	AutocompleteServed(took time.Duration)
	GatewayConnected(up bool)
	GatewayReconnected()
	// RESTError counts a REST call answered with an HTTP error status, or
	// with status 0 one that got no answer.
	RESTError(status int)
	// DigestPosted counts a digest posted; DigestSkipped one due but not
	// posted, and why: "no_articles", "already_posted" (a later firing
	// the same day), "channel_broken", "given_up" (an interrupted send too
	// old to finish safely), "error".
	DigestPosted()
	DigestSkipped(reason string)
}

// noMetrics is the Metrics of a bot given none.
type noMetrics struct{}

func (noMetrics) QuestionAnswered(string, bool, time.Duration) {}
func (noMetrics) QuestionDeclined(string, string)              {}
func (noMetrics) AutocompleteServed(time.Duration)             {}
func (noMetrics) GatewayConnected(bool)                        {}
func (noMetrics) GatewayReconnected()                          {}
func (noMetrics) RESTError(int)                                {}
func (noMetrics) DigestPosted()                                {}
func (noMetrics) DigestSkipped(string)                         {}

// Options configure a Bot.
type Options struct {
	Token   string // the bot token; never logged
	APIBase string // DISCORD_API_BASE; "" means Discord itself
	GuildID string // register commands in this guild only; "" means globally
	// AnswerChannels are the channels where any message ending in "?" is
	// answered.
	AnswerChannels []string
	ShardID        int
	ShardCount     int // 0 means 1
	Logger         *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DeferAfter is how long an interaction may take before it is
	// deferred (Discord allows 3 s for the first response); zero means
	// 1.5 s.
	DeferAfter time.Duration
	// RetryMax bounds the wait between attempts to reach Discord; zero
	// means one minute.
	RetryMax time.Duration
	// RESTTimeout bounds one REST call, retries included; zero means 20 s.
	RESTTimeout time.Duration
	// Metrics receives counts and timings; nil means none are kept.
	Metrics Metrics

	// Store holds the digest subscriptions, deliveries and digest
	// threads (a state.Store: a bbolt file or PostgreSQL); nil turns
	// digests off (/digest says so).
	Store digest.Store
	// DigestChannel is subscribed to the digest from start-up
	// (DIGEST_CHANNEL_ID); "" for none.
	DigestChannel string
	// DigestSchedule is when digests fall due (DIGEST_CRON), in
	// DigestZone, for DigestChannel and for subscriptions without a time
	// of their own; nil means digest.DefaultCron. DigestCron is its text,
	// shown by /digest status.
	DigestSchedule digest.Schedule
	DigestCron     string
	// DigestZone is the zone of DigestSchedule and of "one digest per
	// day" (DIGEST_TIMEZONE); nil means UTC.
	DigestZone *time.Location
	// DigestThreads opens a thread per digest article, where questions
	// are answered from that article only (DIGEST_THREADS).
	DigestThreads bool
	// Clock drives the digest scheduler; nil means the real clock. When
	// Now is nil, Clock's Now serves as Now too.
	Clock digest.Clock
	// Process names this process in the digest claims it makes; "" means
	// a random name.
	Process string

	// FeedStore keeps the servers' feeds (/feeds); Feeds checks feed URLs
	// and hears of changes. /feeds is off while either is nil.
	FeedStore FeedStore
	Feeds     FeedChecker
	// Pages adds web pages to a server's articles (/article add), which
	// is off while it is nil.
	Pages PageAdder
}

// ErrUnauthorized reports a token Discord rejects: fatal, retrying cannot
// help.
var ErrUnauthorized = errors.New("discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN")

// closeAuthenticationFailed is the gateway close code for a bad token.
const closeAuthenticationFailed = 4004

// Bot is a verbatim Discord bot. Create one with New and start it with Run.
type Bot struct {
	opts    Options
	engine  Engine
	log     *slog.Logger
	now     func() time.Time
	signer  *buttonSigner
	cool    *cooldown
	answers map[string]bool
	// commands are the handlers of the slash and message commands, by
	// name; read-only once New returns.
	commands map[string]handler

	session *discordgo.Session
	apiBase *url.URL // where REST calls go instead of discord.com; nil for Discord
	metrics Metrics
	userID  atomic.Value // string: the bot's own user id, from READY
	appID   atomic.Value // string

	ready    atomic.Bool   // the gateway is connected and READY or RESUMED
	wasDown  atomic.Bool   // the gateway has disconnected since it was last ready
	stopping atomic.Bool   // Run is closing the gateway: dial no more
	conns    atomic.Uint64 // gateway connections dialled
	downMu   sync.Mutex
	down     string // why the gateway is not ready, for Health

	// tokenCheck asks watchToken to find out, over REST, whether Discord
	// still accepts the token; fatal carries the verdict when it does not.
	tokenCheck chan struct{}
	fatal      chan error

	registerMu sync.Mutex
	registered bool // commands registered by this process

	digest  *digest.Scheduler // nil without a store
	process string            // names this process in delivery claims
	// afterSend, in tests, holds a func() error run once a digest is sent
	// and before it is recorded (see digest.Options.AfterSend).
	afterSend atomic.Value
}

// New makes a bot that answers from engine.
func New(engine Engine, o Options) (*Bot, error) {
	if o.Token == "" {
		return nil, errors.New("no bot token")
	}
	if o.ShardCount == 0 {
		o.ShardCount = 1
	}
	if o.DeferAfter <= 0 {
		o.DeferAfter = 1500 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Minute
	}
	if o.RESTTimeout <= 0 {
		o.RESTTimeout = 20 * time.Second
	}
	b := &Bot{
		opts: o, engine: engine, log: o.Logger, now: o.Now, metrics: o.Metrics,
		signer:     newButtonSigner(o.Token),
		cool:       newCooldown(5, 10*time.Second),
		answers:    map[string]bool{},
		down:       "connecting to Discord",
		tokenCheck: make(chan struct{}, 1),
		fatal:      make(chan error, 1),
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.now == nil && o.Clock != nil {
		b.now = o.Clock.Now
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.metrics == nil {
		b.metrics = noMetrics{}
	}
	for _, id := range o.AnswerChannels {
		b.answers[id] = true
	}
	b.commands = b.commandHandlers()
	client, err := NewHTTPClient(o.APIBase, o.RESTTimeout)
	if err != nil {
		return nil, err
	}
	// The base is valid: NewHTTPClient has parsed it.
	if b.apiBase, _ = parseAPIBase(o.APIBase); b.apiBase != nil {
		b.log = slog.New(&sentURLHandler{target: b.apiBase, next: b.log.Handler()})
	}
	client.Transport = &retryTransport{next: &observeTransport{
		next: transportOf(client), metrics: b.metrics, unauthorized: b.checkTokenSoon,
	}}
	s, err := discordgo.New("Bot " + o.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Client = client
	// The gateway is dialled through the bot, which refuses once it has
	// stopped: discordgo's reconnection loop outlives Close.
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 45 * time.Second,
		NetDialContext:   b.dialGateway,
	}
	s.UserAgent = "DiscordBot (https://github.com/verbatim-bot/verbatim, 1) verbatim"
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
		discordgo.IntentsDirectMessages | discordgo.IntentMessageContent
	s.ShardID, s.ShardCount = o.ShardID, o.ShardCount
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	// No State cache: the bot needs none, and discordgo's State rewrites
	// structs it has already handed to handlers, a data race.
	s.StateEnabled = false
	// discordgo logs its identify packet, token included, at debug level:
	// never let it log below errors.
	s.LogLevel = discordgo.LogError
	// Events are handed to the handlers in the order they come, so that a
	// READY can never be overtaken by the disconnect before it; the
	// handlers that do real work start goroutines of their own.
	s.SyncEvents = true
	s.AddHandler(b.onReady)
	s.AddHandler(b.onResumed)
	s.AddHandler(b.onDisconnect)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	b.session = s
	b.process = o.Process
	if b.process == "" {
		b.process = "verbatim-" + rand.Text()[:12]
	}
	if o.Store != nil {
		b.digest, err = digest.New(context.Background(), digest.Options{
			Store: o.Store, Poster: poster{b}, Source: engine, Clock: o.Clock, Logger: b.log, Metrics: b.metrics,
			Schedule: o.DigestSchedule, Cron: o.DigestCron, Zone: o.DigestZone, Channel: o.DigestChannel,
			Threads: o.DigestThreads, Owns: b.ownsGuild, Process: b.process,
			AfterSend: func() error {
				if f, ok := b.afterSend.Load().(func() error); ok && f != nil {
					return f()
				}
				return nil
			},
		})
		if err != nil {
			return nil, fmt.Errorf("digest scheduler: %w", err)
		}
	}
	return b, nil
}

// Ready reports whether the gateway is connected (after READY or RESUMED,
// until a disconnect).
func (b *Bot) Ready() bool { return b.ready.Load() }

// Health returns nil while the gateway is ready, and otherwise an error
// saying why it is not: still connecting, Discord unreachable (with the
// last error), reconnecting after a disconnect, the token rejected, or
// stopped. It is safe for concurrent use.
func (b *Bot) Health() error {
	if b.Ready() {
		return nil
	}
	b.downMu.Lock()
	defer b.downMu.Unlock()
	return errors.New(b.down)
}

// setReady records that the gateway is ready, or not and why.
func (b *Bot) setReady(ready bool, why string) {
	b.downMu.Lock()
	b.down = why
	b.ready.Store(ready)
	b.downMu.Unlock()
	b.metrics.GatewayConnected(ready)
}

// Run connects to Discord and serves until ctx is done, then closes the
// gateway cleanly and returns nil. While Discord cannot be reached it
// keeps trying, with backoff. A token Discord rejects, at start or later
// (a token reset while running shows as a gateway that cannot resume),
// ends it with an error wrapping ErrUnauthorized. With a Store, it posts
// the daily digests meanwhile, starting with those that fell due while
// the bot was down.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.watchToken(ctx)
	if err := b.connect(ctx); err != nil {
		b.stopping.Store(true)
		b.setReady(false, "the bot token was rejected")
		return err
	}
	var digests sync.WaitGroup
	if b.digest != nil && ctx.Err() == nil {
		digests.Go(func() { b.digest.Run(ctx) })
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-b.fatal:
		b.log.Error("Discord no longer accepts the bot token: stopping", "err", err)
		cancel() // the digests stop too
	}
	digests.Wait()
	b.stopping.Store(true)
	if err != nil {
		b.setReady(false, "the bot token was rejected")
	} else {
		b.setReady(false, "stopped")
		// Stopped before any connection (Discord unreachable): no
		// heartbeat to wait for.
		if b.conns.Load() > 0 {
			b.awaitFirstHeartbeat()
		}
	}
	if cerr := b.session.Close(); cerr != nil {
		b.log.Warn("closing the gateway", "err", cerr)
	}
	return err
}

// dialGateway dials the gateway for discordgo, until Run stops. The
// connection it returns tells the bot the moment it fails: discordgo
// reports a lost connection only after its Close has slept a second, and
// then reconnects at once, so its Disconnect event alone would leave the
// bot claiming to be ready while it is not.
func (b *Bot) dialGateway(ctx context.Context, network, addr string) (net.Conn, error) {
	if b.stopping.Load() {
		return nil, errors.New("the bot has stopped")
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	gen := b.conns.Add(1)
	return &watchedConn{Conn: c, lost: func() {
		// Only the newest connection counts: discordgo reads once more
		// from a connection it has replaced (after op 7).
		if b.conns.Load() == gen {
			b.connLost()
		}
	}}, nil
}

// connLost records that the gateway connection failed or was closed.
func (b *Bot) connLost() {
	if b.stopping.Load() || !b.Ready() {
		return
	}
	b.wasDown.Store(true)
	b.setReady(false, "gateway connection lost; reconnecting")
}

// watchedConn calls lost, once, when a read fails or the connection is
// closed.
type watchedConn struct {
	net.Conn
	once sync.Once
	lost func()
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.once.Do(c.lost)
	}
	return n, err
}

func (c *watchedConn) Close() error {
	c.once.Do(c.lost)
	return c.Conn.Close()
}

// checkTokenSoon asks watchToken to check the token; it never blocks.
func (b *Bot) checkTokenSoon() {
	select {
	case b.tokenCheck <- struct{}{}:
	default:
	}
}

// watchToken checks the token over REST when asked (after a disconnect,
// or a REST call answered 401), and again with backoff while the gateway
// stays down: discordgo retries for ever after the gateway's 4004
// "authentication failed", so the bot must notice a revoked token itself.
// A 401 is sent to b.fatal, and ends the watch.
func (b *Bot) watchToken(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.tokenCheck:
		}
		wait := time.Second
		for {
			err := b.checkToken()
			if errors.Is(err, ErrUnauthorized) {
				b.fatal <- fmt.Errorf("the token stopped working while running (was it reset?): %w", err)
				return
			}
			if b.Ready() {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(wait*2, b.opts.RetryMax)
		}
	}
}

// checkToken asks Discord who the bot is: ErrUnauthorized when the token
// is rejected, another error when Discord cannot be asked.
func (b *Bot) checkToken() error {
	u, err := b.session.User("@me")
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return ErrUnauthorized
	}
	if err != nil {
		return fmt.Errorf("get bot user: %w", err)
	}
	b.userID.Store(u.ID)
	return nil
}

// awaitFirstHeartbeat waits, briefly, until the session has sent its first
// heartbeat. discordgo sends one as soon as it connects; if Close comes
// first, that heartbeat fails and discordgo reconnects the closed session.
// discordgo sets DataReady, under the session's lock, once a heartbeat
// has gone out on the connection (LastHeartbeatSent is written under a
// lock the bot cannot take, so reading it is a data race).
func (b *Bot) awaitFirstHeartbeat() {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		b.session.RLock()
		sent := b.session.DataReady
		b.session.RUnlock()
		if sent {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// connect checks the token, then opens the gateway, retrying with
// exponential backoff while Discord is unreachable.
func (b *Bot) connect(ctx context.Context) error {
	wait := min(500*time.Millisecond, b.opts.RetryMax)
	for attempt := 1; ; attempt++ {
		err := sentURL(b.apiBase, b.open())
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrUnauthorized) {
			return err
		}
		b.setReady(false, "cannot reach Discord, retrying: "+err.Error())
		b.log.Warn("cannot reach Discord; retrying", "attempt", attempt, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, b.opts.RetryMax)
	}
}

func (b *Bot) open() error {
	// A REST call first: it tells a rejected token (fatal) from an
	// unreachable Discord (retry), which the gateway does not do clearly.
	if err := b.checkToken(); err != nil {
		return err
	}
	if err := b.session.Open(); err != nil {
		var ce *websocket.CloseError
		if errors.As(err, &ce) && ce.Code == closeAuthenticationFailed {
			return ErrUnauthorized
		}
		return fmt.Errorf("open gateway: %w", err)
	}
	return nil
}

func (b *Bot) onReady(s *discordgo.Session, r *discordgo.Ready) {
	b.userID.Store(r.User.ID)
	if r.Application != nil && r.Application.ID != "" {
		b.appID.Store(r.Application.ID)
	} else {
		b.appID.Store(r.User.ID)
	}
	b.back()
	b.log.Info("connected to Discord", "user", r.User.Username, "guilds", len(r.Guilds), "shard", b.opts.ShardID)
	go b.registerCommands()
}

func (b *Bot) onResumed(*discordgo.Session, *discordgo.Resumed) {
	b.back()
	b.log.Info("gateway session resumed")
}

// back records the gateway ready again, counting a reconnection when it
// had gone down.
func (b *Bot) back() {
	if b.stopping.Load() {
		return
	}
	b.setReady(true, "")
	if b.wasDown.Swap(false) {
		b.metrics.GatewayReconnected()
	}
}

func (b *Bot) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	if b.stopping.Load() {
		return
	}
	b.wasDown.Store(true)
	b.setReady(false, "gateway disconnected; reconnecting")
	b.log.Warn("gateway disconnected; reconnecting")
	b.checkTokenSoon()
}

// ownsGuild reports whether this process's shard is the one Discord sends
// a guild's events to, and so the one that answers and posts digests
// there (see servesGuild).
func (b *Bot) ownsGuild(guildID string) bool {
	return servesGuild(guildID, b.opts.ShardID, b.opts.ShardCount)
}

// registerCommands bulk-overwrites the application commands, once per
// process: globally, or in the development guild. Only shard 0 does it:
// the commands belong to the application, not to a shard.
func (b *Bot) registerCommands() {
	if b.opts.ShardID != 0 {
		return
	}
	b.registerMu.Lock()
	defer b.registerMu.Unlock()
	if b.registered {
		return
	}
	app, _ := b.appID.Load().(string)
	cmds, err := b.session.ApplicationCommandBulkOverwrite(app, b.opts.GuildID, commands())
	if err != nil {
		// Tried again on the next READY.
		b.log.Error("registering commands", "err", err)
		return
	}
	b.registered = true
	b.log.Info("commands registered", "count", len(cmds), "guild", b.opts.GuildID)
}

func (b *Bot) selfID() string {
	id, _ := b.userID.Load().(string)
	return id
}
