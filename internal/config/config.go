// Package config reads verbatim's settings from the environment (and .env,
// which the caller merges in) into one typed, validated Config. No other
// package reads the environment.
package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // DIGEST_TIMEZONE must work on machines without zoneinfo

	cron "github.com/netresearch/go-cron"

	"github.com/verbatim-bot/verbatim/digest"
)

// Defaults of the settings that have one.
const (
	DefaultAPIBase    = "https://discord.com"
	DefaultDataDir    = "./data"
	DefaultDigestCron = digest.DefaultCron
	DefaultTimezone   = "UTC"
	// DefaultFeedInterval is how often each feed is polled.
	DefaultFeedInterval = 15 * time.Minute
	// MinFeedInterval is the shortest FEED_INTERVAL allowed.
	MinFeedInterval = time.Minute
)

// Snowflake is a Discord id.
type Snowflake string

// Config is every setting verbatim reads. Load fills it; the zero value is
// not valid.
type Config struct {
	Token     string // DISCORD_TOKEN; never log it
	APIBase   *url.URL
	GuildID   Snowflake
	CorpusDir string // "" means the embedded default article
	DataDir   string
	// SharedIndex is SHARED_INDEX_DIR: a folder of index versions that
	// `verbatim index` builds and bots follow read-only; "" means each
	// process keeps its index in DataDir.
	SharedIndex string
	AnswerIDs   []Snowflake
	DigestChan  Snowflake
	DigestCron  string
	// DigestSchedule is DigestCron parsed.
	DigestSchedule cron.Schedule
	DigestZone     *time.Location
	LogLevel       slog.Level
	HTTPAddr       string
	ShardID        int
	ShardCount     int
	DigestThreads  bool
	InteractAddr   string
	PublicKey      ed25519.PublicKey
	// StateURL is STATE_URL: "" keeps the bot's state in a bbolt file in
	// DataDir; postgres://... in that PostgreSQL database. It holds a
	// password: never log it.
	StateURL string
	// Feeds are the operator's feed URLs (FEEDS), followed for every
	// server.
	Feeds []string
	// FeedInterval is how often each feed is polled (FEED_INTERVAL).
	FeedInterval time.Duration
	// FetchAllowPrivate lets feeds and pages be fetched from loopback and
	// private addresses (FETCH_ALLOW_PRIVATE).
	FetchAllowPrivate bool
}

// Error is an invalid setting. Its message names the setting.
type Error struct {
	Setting string
	Value   string
	Reason  string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("setting %s: %s", e.Setting, e.Reason)
	}
	return fmt.Sprintf("setting %s=%q: %s", e.Setting, e.Value, e.Reason)
}

// Names lists every setting, in the order of .env.example.
var Names = []string{
	"DISCORD_TOKEN", "DISCORD_API_BASE", "DISCORD_GUILD_ID", "CORPUS_DIR",
	"DATA_DIR", "SHARED_INDEX_DIR", "ANSWER_CHANNEL_IDS", "DIGEST_CHANNEL_ID", "DIGEST_CRON",
	"DIGEST_TIMEZONE", "LOG_LEVEL", "HTTP_ADDR", "SHARD_ID", "SHARD_COUNT",
	"DIGEST_THREADS", "INTERACTIONS_ADDR", "DISCORD_PUBLIC_KEY", "STATE_URL",
	"FEEDS", "FEED_INTERVAL", "FETCH_ALLOW_PRIVATE",
}

// Load reads and validates every setting through getenv. It returns all the
// invalid settings at once, each an *Error, joined.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, value, reason string) {
		if name == "DISCORD_TOKEN" || name == "DISCORD_PUBLIC_KEY" {
			value = "" // never echo secrets
		}
		errs = append(errs, &Error{Setting: name, Value: value, Reason: reason})
	}
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	c := Config{
		Token:       get("DISCORD_TOKEN"),
		CorpusDir:   get("CORPUS_DIR"),
		DataDir:     or(get("DATA_DIR"), DefaultDataDir),
		SharedIndex: get("SHARED_INDEX_DIR"),
		HTTPAddr:    get("HTTP_ADDR"),
	}
	c.Token = strings.TrimPrefix(c.Token, "Bot ")

	base := or(get("DISCORD_API_BASE"), DefaultAPIBase)
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("DISCORD_API_BASE", base, "want an http or https URL such as https://discord.com")
	} else {
		c.APIBase = u
	}

	var ok bool
	if c.GuildID, ok = snowflake(get("DISCORD_GUILD_ID")); !ok {
		bad("DISCORD_GUILD_ID", get("DISCORD_GUILD_ID"), "want a Discord server id (digits)")
	}
	if c.DigestChan, ok = snowflake(get("DIGEST_CHANNEL_ID")); !ok {
		bad("DIGEST_CHANNEL_ID", get("DIGEST_CHANNEL_ID"), "want a Discord channel id (digits)")
	}
	if raw := get("ANSWER_CHANNEL_IDS"); raw != "" {
		for _, part := range strings.Split(raw, ",") {
			id, ok := snowflake(strings.TrimSpace(part))
			if !ok || id == "" {
				bad("ANSWER_CHANNEL_IDS", raw, "want Discord channel ids (digits) separated by commas")
				break
			}
			c.AnswerIDs = append(c.AnswerIDs, id)
		}
	}

	c.DigestCron = or(get("DIGEST_CRON"), DefaultDigestCron)
	if s, err := ParseCron(c.DigestCron); err != nil {
		bad("DIGEST_CRON", c.DigestCron, err.Error())
	} else {
		c.DigestSchedule = s
	}
	tz := or(get("DIGEST_TIMEZONE"), DefaultTimezone)
	if loc, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "local") {
		bad("DIGEST_TIMEZONE", tz, "want an IANA time zone such as Europe/Dublin or UTC")
	} else {
		c.DigestZone = loc
	}

	level := or(get("LOG_LEVEL"), "info")
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		bad("LOG_LEVEL", level, "want debug, info, warn or error")
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			bad("HTTP_ADDR", c.HTTPAddr, "want host:port, such as :8080 or 127.0.0.1:8080")
		}
	}

	c.ShardID, c.ShardCount = 0, 1
	if v := get("SHARD_ID"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad("SHARD_ID", v, "want a whole number from 0")
		}
		c.ShardID = n
	}
	if v := get("SHARD_COUNT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad("SHARD_COUNT", v, "want a whole number from 1")
		}
		c.ShardCount = n
	}
	if c.ShardCount >= 1 && (c.ShardID < 0 || c.ShardID >= c.ShardCount) {
		bad("SHARD_ID", strconv.Itoa(c.ShardID), fmt.Sprintf("must be below SHARD_COUNT (%d)", c.ShardCount))
	}

	if v := get("DIGEST_THREADS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("DIGEST_THREADS", v, "want true or false")
		}
		c.DigestThreads = b
	}

	c.InteractAddr = get("INTERACTIONS_ADDR")
	if c.InteractAddr != "" {
		if _, _, err := net.SplitHostPort(c.InteractAddr); err != nil {
			bad("INTERACTIONS_ADDR", c.InteractAddr, "want host:port, such as :8081")
		}
	}
	if k := get("DISCORD_PUBLIC_KEY"); k != "" {
		raw, err := hex.DecodeString(k)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			bad("DISCORD_PUBLIC_KEY", k, "want the application's public key: 64 hex digits")
		} else {
			c.PublicKey = raw
		}
	}
	if c.StateURL = get("STATE_URL"); c.StateURL != "" {
		// The value is never quoted back: it holds a password.
		u, err := url.Parse(c.StateURL)
		switch {
		case err != nil:
			bad("STATE_URL", "", "not a URL: want postgres://USER:PASSWORD@HOST:5432/DATABASE")
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			bad("STATE_URL", "", "want postgres://USER:PASSWORD@HOST:5432/DATABASE (or empty for the bbolt file in DATA_DIR)")
		}
	}
	if c.InteractAddr != "" && c.PublicKey == nil {
		bad("DISCORD_PUBLIC_KEY", "", "required when INTERACTIONS_ADDR is set")
	}

	if raw := get("FEEDS"); raw != "" {
		for _, part := range strings.Split(raw, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			u, err := url.Parse(part)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("FEEDS", part, "want http or https feed URLs separated by commas")
				continue
			}
			c.Feeds = append(c.Feeds, part)
		}
	}
	c.FeedInterval = DefaultFeedInterval
	if v := get("FEED_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			bad("FEED_INTERVAL", v, "want a duration such as 15m or 1h")
		case d < MinFeedInterval:
			bad("FEED_INTERVAL", v, "must be at least 1m")
		default:
			c.FeedInterval = d
		}
	}
	if v := get("FETCH_ALLOW_PRIVATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("FETCH_ALLOW_PRIVATE", v, "want true or false")
		}
		c.FetchAllowPrivate = b
	}
	if c.SharedIndex != "" && c.CorpusDir == "" {
		bad("SHARED_INDEX_DIR", c.SharedIndex, "needs CORPUS_DIR: a shared index is built from a corpus folder")
	}
	return c, errors.Join(errs...)
}

// cronParser reads standard five-field cron lines and descriptors such as
// "@daily" and "@every 10s".
var cronParser = cron.MustNewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron parses a digest schedule: five-field cron ("0 9 * * *") or a
// descriptor ("@daily", "@every 10s"). Time zones are set by
// DIGEST_TIMEZONE, not in the line.
func ParseCron(spec string) (cron.Schedule, error) {
	if strings.Contains(spec, "TZ=") {
		return nil, errors.New("set the zone with DIGEST_TIMEZONE, not TZ= in the line")
	}
	s, err := cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("not a cron schedule (want e.g. \"0 9 * * *\" or \"@every 10s\"): %v", err)
	}
	return s, nil
}

// snowflake checks a Discord id: empty, or digits that fit in 64 bits.
func snowflake(s string) (Snowflake, bool) {
	if s == "" {
		return "", true
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return "", false
	}
	return Snowflake(s), true
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
