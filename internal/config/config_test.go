package config

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != DefaultDataDir || c.DigestCron != DefaultDigestCron || c.DigestZone != time.UTC ||
		c.APIBase.String() != DefaultAPIBase || c.ShardCount != 1 || c.ShardID != 0 || c.CorpusDir != "" ||
		c.FeedInterval != DefaultFeedInterval || c.Feeds != nil || c.FetchAllowPrivate {
		t.Errorf("defaults = %+v", c)
	}
	next := c.DigestSchedule.Next(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("default schedule next = %v; want %v", next, want)
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(map[string]string{
		"DISCORD_TOKEN":       "Bot abc.def",
		"DISCORD_API_BASE":    "http://127.0.0.1:9999",
		"ANSWER_CHANNEL_IDS":  "1, 2,3",
		"DIGEST_CRON":         "@every 10s",
		"DIGEST_TIMEZONE":     "Europe/Dublin",
		"LOG_LEVEL":           "DEBUG",
		"SHARD_ID":            "1",
		"SHARD_COUNT":         "2",
		"DIGEST_THREADS":      "true",
		"INTERACTIONS_ADDR":   ":8081",
		"DISCORD_PUBLIC_KEY":  strings.Repeat("ab", 32),
		"STATE_URL":           "postgres://verbatim:secret@db.internal:5432/verbatim?sslmode=verify-full",
		"FEEDS":               " https://a.example/rss , http://b.example/atom.xml,",
		"FEED_INTERVAL":       "90s",
		"FETCH_ALLOW_PRIVATE": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != "abc.def" {
		t.Errorf("token prefix not dropped")
	}
	if !slices.Equal(c.AnswerIDs, []Snowflake{"1", "2", "3"}) || c.DigestZone.String() != "Europe/Dublin" ||
		c.ShardID != 1 || c.ShardCount != 2 || !c.DigestThreads || len(c.PublicKey) != 32 || c.APIBase.Host != "127.0.0.1:9999" ||
		c.StateURL != "postgres://verbatim:secret@db.internal:5432/verbatim?sslmode=verify-full" {
		t.Errorf("values = %+v", c)
	}
	if !slices.Equal(c.Feeds, []string{"https://a.example/rss", "http://b.example/atom.xml"}) ||
		c.FeedInterval != 90*time.Second || !c.FetchAllowPrivate {
		t.Errorf("feed settings = %q, %v, %v", c.Feeds, c.FeedInterval, c.FetchAllowPrivate)
	}
}

func TestLoadErrorsNameTheSetting(t *testing.T) {
	for _, tt := range []struct{ name, value string }{
		{"DISCORD_API_BASE", "ftp://x"},
		{"DISCORD_API_BASE", "not a url"},
		{"DISCORD_GUILD_ID", "abc"},
		{"DIGEST_CHANNEL_ID", "-1"},
		{"ANSWER_CHANNEL_IDS", "1,,2"},
		{"DIGEST_CRON", "every day at nine"},
		{"DIGEST_CRON", "0 9 * * * TZ=UTC"},
		{"DIGEST_TIMEZONE", "Mars/Olympus"},
		{"DIGEST_TIMEZONE", "Local"},
		{"LOG_LEVEL", "loud"},
		{"HTTP_ADDR", "8080"},
		{"SHARD_ID", "x"},
		{"SHARD_COUNT", "0"},
		{"SHARD_ID", "2"}, // with SHARD_COUNT 1
		{"DIGEST_THREADS", "maybe"},
		{"DISCORD_PUBLIC_KEY", "zz"},
		{"INTERACTIONS_ADDR", ":8081"}, // without a public key
		{"STATE_URL", "mysql://verbatim:secret@db/verbatim"},
		{"STATE_URL", "postgres://verbatim:secret@db:port/x"},
		{"FEEDS", "ftp://a.example/feed"},
		{"FEEDS", "https://a.example/rss,not a url"},
		{"FEED_INTERVAL", "30s"},
		{"FEED_INTERVAL", "often"},
		{"FETCH_ALLOW_PRIVATE", "sometimes"},
	} {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			_, err := Load(env(map[string]string{tt.name: tt.value}))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load(%s=%q) = %v; want a config error", tt.name, tt.value, err)
			}
			if !strings.Contains(err.Error(), tt.name) && !(tt.name == "INTERACTIONS_ADDR" && strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY")) {
				t.Errorf("error %q does not name %s", err, tt.name)
			}
		})
	}
}

func TestSecretsNeverEchoed(t *testing.T) {
	key := strings.Repeat("z", 64)
	_, err := Load(env(map[string]string{"DISCORD_PUBLIC_KEY": key}))
	if err == nil || strings.Contains(err.Error(), key) {
		t.Errorf("error %v echoes the key", err)
	}
	for _, u := range []string{"mysql://verbatim:hunter2@db/verbatim", "postgres://verbatim:hunter2@db:port/x", "postgres://verbatim:hunter2@%zz"} {
		if _, err := Load(env(map[string]string{"STATE_URL": u})); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("STATE_URL=%q: error %v echoes the password", u, err)
		}
	}
}

// TestExampleListsEverySetting keeps .env.example and Names in step.
func TestExampleListsEverySetting(t *testing.T) {
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var listed []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			listed = append(listed, k)
		}
	}
	if !slices.Equal(listed, Names) {
		t.Errorf(".env.example lists %v; want %v", listed, Names)
	}
	// The example's values are the defaults: loading it must succeed.
	vals := map[string]string{}
	f.Seek(0, 0)
	sc = bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			vals[k] = v
		}
	}
	if _, err := Load(env(vals)); err != nil {
		t.Errorf(".env.example does not load: %v", err)
	}
}
