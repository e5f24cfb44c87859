package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Engine is what the bot needs of the answering engine; *retrieval.Index
// provides it. Implementations must be safe for concurrent use.
type Engine interface {
	Ask(ctx context.Context, q retrieval.Query) (*retrieval.Answer, error)
	Lookup(ctx context.Context, term string, article corpus.ArticleID, limit int) (*retrieval.Lookup, error)
	Terms(prefix string, limit int) ([]string, error)
	DigestSource
	Corpus() *corpus.Corpus
}

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

	// Store holds the digest subscriptions and digest threads; nil turns
	// digests off (/digest says so).
	Store *Store
	// DigestChannel is subscribed to the digest from start-up
	// (DIGEST_CHANNEL_ID); "" for none.
	DigestChannel string
	// DigestSchedule is when digests fall due (DIGEST_CRON), in
	// DigestZone, for DigestChannel and for subscriptions without a time
	// of their own; nil means DefaultDigestCron. DigestCron is its text,
	// shown by /digest status.
	DigestSchedule Schedule
	DigestCron     string
	// DigestZone is the zone of DigestSchedule and of "one digest per
	// day" (DIGEST_TIMEZONE); nil means UTC.
	DigestZone *time.Location
	// DigestThreads opens a thread per digest article, where questions
	// are answered from that article only (DIGEST_THREADS).
	DigestThreads bool
	// Clock drives the digest scheduler; nil means the real clock. When
	// Now is nil, Clock's Now serves as Now too.
	Clock Clock
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

	session *discordgo.Session
	userID  atomic.Value // string: the bot's own user id, from READY
	appID   atomic.Value // string

	ready atomic.Bool // the gateway is connected and READY or RESUMED

	registerMu sync.Mutex
	registered bool // commands registered by this process

	digest *digester // nil without a store
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
	b := &Bot{
		opts: o, engine: engine, log: o.Logger, now: o.Now,
		signer:  newButtonSigner(o.Token),
		cool:    newCooldown(5, 10*time.Second),
		answers: map[string]bool{},
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
	for _, id := range o.AnswerChannels {
		b.answers[id] = true
	}
	client, err := NewHTTPClient(o.APIBase, 20*time.Second)
	if err != nil {
		return nil, err
	}
	s, err := discordgo.New("Bot " + o.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Client = client
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
	s.AddHandler(b.onReady)
	s.AddHandler(b.onResumed)
	s.AddHandler(b.onDisconnect)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	b.session = s
	if o.Store != nil {
		if b.digest, err = newDigester(b, o); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Ready reports whether the gateway is connected (after READY or RESUMED,
// until a disconnect).
func (b *Bot) Ready() bool { return b.ready.Load() }

// Run connects to Discord and serves until ctx is done, then closes the
// gateway cleanly. While Discord cannot be reached it keeps trying, with
// backoff; a token Discord rejects ends it with ErrUnauthorized. With a
// Store, it posts the daily digests meanwhile, starting with those that
// fell due while the bot was down.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.connect(ctx); err != nil {
		return err
	}
	var digests sync.WaitGroup
	if b.digest != nil && ctx.Err() == nil {
		digests.Go(func() { b.digest.run(ctx) })
	}
	<-ctx.Done()
	digests.Wait()
	b.ready.Store(false)
	b.awaitFirstHeartbeat()
	if err := b.session.Close(); err != nil {
		b.log.Warn("closing the gateway", "err", err)
	}
	return nil
}

// awaitFirstHeartbeat waits, briefly, until the session has sent its first
// heartbeat. discordgo sends one as soon as it connects; if Close comes
// first, that heartbeat fails and discordgo reconnects the closed session.
func (b *Bot) awaitFirstHeartbeat() {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		b.session.RLock()
		sent := !b.session.LastHeartbeatSent.IsZero()
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
	wait := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := b.open()
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrUnauthorized) {
			return err
		}
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
	u, err := b.session.User("@me")
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return ErrUnauthorized
	}
	if err != nil {
		return fmt.Errorf("get bot user: %w", err)
	}
	b.userID.Store(u.ID)
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
	b.ready.Store(true)
	b.log.Info("connected to Discord", "user", r.User.Username, "guilds", len(r.Guilds), "shard", b.opts.ShardID)
	go b.registerCommands()
}

func (b *Bot) onResumed(*discordgo.Session, *discordgo.Resumed) {
	b.ready.Store(true)
	b.log.Info("gateway session resumed")
}

func (b *Bot) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	b.ready.Store(false)
	b.log.Warn("gateway disconnected; reconnecting")
}

// registerCommands bulk-overwrites the application commands, once per
// process: globally, or in the development guild.
func (b *Bot) registerCommands() {
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
