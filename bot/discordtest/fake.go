package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Identifiers and names the fake uses when its [Config] leaves them empty.
// Tests may use them to build events without registering anything.
const (
	DefaultToken       = "fake-bot-token"
	DefaultBotUserID   = "1000000000000000001"
	DefaultBotUsername = "verbatim"
	DefaultGuildID     = "2000000000000000001"
	DefaultGuildName   = "Test Server"
	DefaultChannelID   = "3000000000000000001"
	DefaultChannelName = "general"
	DefaultUserID      = "4000000000000000001"
	DefaultUsername    = "alice"
)

// AllShards selects every gateway connection in the methods that take a
// shard number.
const AllShards = -1

// Config configures a [Fake]. The zero value is ready to use: every empty
// field takes the default its comment names. [New] copies it; changing a
// Config afterwards does not affect the fake.
type Config struct {
	// Token is the bot token the fake accepts, without the "Bot " prefix
	// (default DefaultToken). REST calls must carry "Authorization: Bot
	// TOKEN"; IDENTIFY and RESUME may carry TOKEN or "Bot TOKEN".
	Token string
	// BotUserID and BotUsername describe the bot's user (defaults
	// DefaultBotUserID, DefaultBotUsername).
	BotUserID   string
	BotUsername string
	// ApplicationID is the bot's application (default: BotUserID, as on
	// Discord for bots created with their application).
	ApplicationID string

	// HeartbeatInterval is sent in HELLO (default 10s, a quarter of
	// Discord's). discordgo reconnects when five intervals pass without a
	// heartbeat ACK. Keep it long unless a test is about heartbeats: a
	// heartbeat due while discordgo's Close sleeps makes it reconnect (see
	// the package documentation).
	HeartbeatInterval time.Duration
	// RecommendedShards is the shard count GET /gateway/bot recommends
	// (default 1).
	RecommendedShards int
	// DisallowedIntents are intent bits the application may not use: an
	// IDENTIFY asking for any of them is closed with 4014 (default none).
	DisallowedIntents int

	// InteractionDeadline is how long after dispatch an interaction accepts
	// its initial response (default 3s, as on Discord); later callbacks get
	// 404 Unknown interaction (10062).
	InteractionDeadline time.Duration
	// NonceWindow is how long a message nonce sent with enforce_nonce keeps
	// returning the message first created with it (default 5 minutes).
	NonceWindow time.Duration
	// NoEcho stops the fake from dispatching MESSAGE_CREATE, MESSAGE_UPDATE,
	// MESSAGE_DELETE and THREAD_CREATE for what the bot does over REST.
	// Discord echoes them; so does the fake by default.
	NoEcho bool
	// NoDefaultGuild leaves the fake without the default guild, its
	// channel and its member (DefaultGuildID, DefaultChannelID,
	// DefaultUserID).
	NoDefaultGuild bool

	// Now is the fake's clock for timestamps, nonce windows and interaction
	// deadlines (default time.Now).
	Now func() time.Time
	// Logger receives the fake's debug log (default: discarded).
	Logger *slog.Logger
}

// Fake is a fake Discord: the REST API under /api/v9 and the gateway
// websocket, on an httptest server bound to 127.0.0.1. Point discordgo at
// it with bot.NewHTTPClient(fake.URL, ...) as the session's Client; gateway
// discovery then leads discordgo to the fake's websocket.
//
// Every method is safe for concurrent use, including from discordgo's and
// the bot's goroutines while a test inspects the fake.
type Fake struct {
	// URL is the base URL of the fake (http://127.0.0.1:PORT), for
	// DISCORD_API_BASE and bot.NewHTTPClient.
	URL string
	// GatewayURL is the websocket URL the fake gives out for its gateway.
	GatewayURL string

	cfg Config
	srv *httptest.Server
	mux *http.ServeMux
	log *slog.Logger

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change of state
	closed  bool
	token   string
	lastID  uint64

	calls  []Call
	frames []Frame
	faults []*faultEntry

	guilds       map[string]*guildState
	channels     map[string]*channelState
	users        map[string]map[string]any
	commands     map[string][]map[string]any // by guild id; "" is global
	interactions map[string]*interactionState
	byToken      map[string]*interactionState
	responses    []InteractionResponse

	sessions   map[string]*session
	conns      map[int]*gwConn
	nextConn   int
	identifies int
	resumes    int
	ackPaused  bool
	zw         *zlib.Writer // reused by zlibCompress
}

// New starts a fake Discord configured by cfg and stops it when tb's test
// ends. Close the bot's discordgo sessions first (register their cleanup
// after calling New, since cleanups run last first): a session whose
// connection the fake drops on closing reconnects for ever.
func New(tb testing.TB, cfg Config) *Fake {
	tb.Helper()
	f := newFake(cfg)
	f.srv = httptest.NewServer(f)
	f.URL = f.srv.URL
	f.GatewayURL = "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway"
	tb.Cleanup(f.Close)
	return f
}

func newFake(cfg Config) *Fake {
	if cfg.Token == "" {
		cfg.Token = DefaultToken
	}
	if cfg.BotUserID == "" {
		cfg.BotUserID = DefaultBotUserID
	}
	if cfg.BotUsername == "" {
		cfg.BotUsername = DefaultBotUsername
	}
	if cfg.ApplicationID == "" {
		cfg.ApplicationID = cfg.BotUserID
	}
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = 10 * time.Second
	}
	if cfg.RecommendedShards <= 0 {
		cfg.RecommendedShards = 1
	}
	if cfg.InteractionDeadline <= 0 {
		cfg.InteractionDeadline = 3 * time.Second
	}
	if cfg.NonceWindow <= 0 {
		cfg.NonceWindow = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	f := &Fake{
		cfg:          cfg,
		log:          cfg.Logger,
		changed:      make(chan struct{}),
		token:        cfg.Token,
		guilds:       make(map[string]*guildState),
		channels:     make(map[string]*channelState),
		users:        make(map[string]map[string]any),
		commands:     make(map[string][]map[string]any),
		interactions: make(map[string]*interactionState),
		byToken:      make(map[string]*interactionState),
		sessions:     make(map[string]*session),
		conns:        make(map[int]*gwConn),
	}
	f.users[cfg.BotUserID] = map[string]any{
		"id": cfg.BotUserID, "username": cfg.BotUsername, "discriminator": "0",
		"global_name": nil, "avatar": nil, "bot": true,
	}
	f.mux = f.routes()
	if !cfg.NoDefaultGuild {
		f.AddGuild(&discordgo.Guild{
			ID: DefaultGuildID, Name: DefaultGuildName, OwnerID: DefaultUserID,
			Channels: []*discordgo.Channel{{ID: DefaultChannelID, Name: DefaultChannelName, Type: discordgo.ChannelTypeGuildText}},
		})
		f.AddMember(DefaultGuildID, &discordgo.Member{
			User: &discordgo.User{ID: DefaultUserID, Username: DefaultUsername},
		})
	}
	return f
}

// Close closes every gateway connection abruptly and stops the server. It
// is called when the test that made the fake ends; calling it again does
// nothing.
func (f *Fake) Close() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	for _, c := range f.conns {
		c.drop()
	}
	f.notify()
	f.mu.Unlock()
	if f.srv != nil {
		f.srv.CloseClientConnections()
		f.srv.Close()
	}
}

// Token returns the bot token the fake currently accepts (without "Bot ").
func (f *Fake) Token() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.token
}

// SetToken changes the token the fake accepts, as a token reset on
// Discord's developer portal does: REST calls with the old one get 401 and
// an IDENTIFY or RESUME with it is closed with 4004. Open connections stay
// open.
func (f *Fake) SetToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
	f.notify()
}

// BotUserID returns the bot user's id.
func (f *Fake) BotUserID() string { return f.cfg.BotUserID }

// ApplicationID returns the application's id.
func (f *Fake) ApplicationID() string { return f.cfg.ApplicationID }

// notify wakes everything waiting in Until. f.mu must be held.
func (f *Fake) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Until waits until cond returns true, calling it once at first and again
// after every change in the fake's state (a call recorded, a gateway frame
// received, a session identified, resumed or disconnected). cond runs
// without the fake's lock held, so it may call the fake's methods. Until
// returns ctx's error, wrapped, if ctx ends first.
func (f *Fake) Until(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: condition not met: %w", ctx.Err())
		}
	}
}

// discordEpoch is the start of Discord's snowflake clock, in Unix ms.
const discordEpoch = 1420070400000

// newID returns a new snowflake, later than every one before it. f.mu must
// be held.
func (f *Fake) newID() string {
	ms := f.cfg.Now().UnixMilli() - discordEpoch
	if ms < 0 {
		ms = 0
	}
	id := uint64(ms) << 22
	if id <= f.lastID {
		id = f.lastID + 1
	}
	f.lastID = id
	return strconv.FormatUint(id, 10)
}

// now returns the fake's current time. It does not need f.mu.
func (f *Fake) now() time.Time { return f.cfg.Now() }

// timestamp formats t the way Discord does in message objects.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}

// randomToken returns n random bytes as hex.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("discordtest: read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

// toObject turns v into a JSON object by a JSON round trip.
func toObject(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeAs turns a JSON value into a T by a JSON round trip.
func decodeAs[T any](v any) (T, error) {
	var t T
	b, err := json.Marshal(v)
	if err != nil {
		return t, err
	}
	err = json.Unmarshal(b, &t)
	return t, err
}

// cloneJSON deep-copies a value made of JSON maps, slices and scalars.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = cloneJSON(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = cloneJSON(x)
		}
		return s
	default:
		return v
	}
}

// str returns m[key] if it is a string, or "".
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// num returns m[key] as an int if it is a JSON number, or 0.
func num(m map[string]any, key string) int {
	switch n := m[key].(type) {
	case int:
		return n
	case float64:
		return int(n)
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

// idString returns m[key] if it is a snowflake, written as a string or a
// number, or "".
func idString(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// decodeJSON decodes b into JSON maps, slices and scalars, keeping numbers
// exact as json.Number.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}
