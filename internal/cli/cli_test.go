package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runCLI runs a command line with the given settings and returns its exit
// status, stdout and stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	if _, ok := env["DATA_DIR"]; !ok {
		env["DATA_DIR"] = t.TempDir()
	}
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, Env{
		Getenv: func(k string) string { return env[k] },
		Stdout: &stdout, Stderr: &stderr,
	})
	code := ExitCode(err, &stderr)
	return code, stdout.String(), stderr.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	// The eval goldens use hand-made files whose figures follow from their
	// text, so that a ranking change does not rewrite them; the real
	// figures are held to floors in retrieval's tests.
	evalDir := filepath.Join("testdata", "eval")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"ask", []string{"ask", "Who is Zalmy Khalilzad?"}},
		{"ask_json", []string{"ask", "--json", "--top", "2", "What did Khalilzad call the talks?"}},
		{"ask_no_answer", []string{"ask", "How many people were killed in Baghdad last week?"}},
		{"ask_no_answer_json", []string{"ask", "--json", "How many people were killed in Baghdad last week?"}},
		{"lookup", []string{"lookup", "militias"}},
		{"lookup_json", []string{"lookup", "--json", "Istanbul"}},
		{"lookup_none", []string{"lookup", "xyzzy"}},
		{"eval_qa_json", []string{"eval", "--json", filepath.Join(evalDir, "qa.jsonl")}},
		{"eval_selection_baseline", []string{"eval", "--baseline", filepath.Join(evalDir, "selection.jsonl")}},
		{"eval_selection_baseline_json", []string{"eval", "--json", "--baseline", filepath.Join(evalDir, "selection.jsonl")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, map[string]string{}, tt.args...)
			if code != 0 {
				t.Fatalf("%v: exit %d; stderr %s", tt.args, code, errOut)
			}
			if errOut != "" {
				t.Errorf("%v: unexpected stderr %q", tt.args, errOut)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestExitCodes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout string // regexp
		stderr string // regexp
	}{
		{"help", nil, []string{"--help"}, 0, `(?s)Usage:.*ask.*lookup`, `^$`},
		{"ask help", nil, []string{"ask", "--help"}, 0, `(?s)Usage: verbatim ask.*-json.*-top`, `^$`},
		{"unknown command", nil, []string{"frobnicate"}, 2, `^$`, `unknown command "frobnicate"`},
		{"bad flag", nil, []string{"ask", "--nope", "x"}, 2, `^$`, `(?s)flag provided but not defined.*Usage: verbatim ask`},
		{"no question", nil, []string{"ask"}, 2, `^$`, `ask needs a question`},
		{"blank question", nil, []string{"ask", "  "}, 2, `^$`, `ask needs a question`},
		{"punctuation question", nil, []string{"ask", "?!"}, 2, `^$`, `no words`},
		{"long question", nil, []string{"ask", strings.Repeat("why ", 100)}, 2, `^$`, `too long`},
		{"top out of range", nil, []string{"ask", "--top", "0", "x?"}, 2, `^$`, `--top must be`},
		{"unknown article", nil, []string{"ask", "--article", "nope", "Who?"}, 2, `^$`, `no such article`},
		{"no term", nil, []string{"lookup"}, 2, `^$`, `lookup needs a term`},
		{"bad setting", map[string]string{"LOG_LEVEL": "loud"}, []string{"ask", "x?"}, 2, `^$`, `LOG_LEVEL`},
		{"run without token", nil, []string{"run"}, 2, `^$`, `(?s)DISCORD_TOKEN is not set.*\.env`},
		{"default is run", nil, nil, 2, `^$`, `DISCORD_TOKEN is not set`},
		{"bad timezone", map[string]string{"DISCORD_TOKEN": "x", "DIGEST_TIMEZONE": "Mars/Olympus"}, []string{"run"}, 2, `^$`, `DIGEST_TIMEZONE`},
		{"bad cron", map[string]string{"DIGEST_CRON": "every day"}, []string{"run"}, 2, `^$`, `DIGEST_CRON`},
		{"missing corpus", map[string]string{"CORPUS_DIR": "/nonexistent/verbatim"}, []string{"ask", "x?"}, 1, `^$`, `corpus /nonexistent/verbatim`},
		{"eval no file", nil, []string{"eval"}, 2, `^$`, `eval needs one evaluation file`},
		{"eval missing file", nil, []string{"eval", "nope.jsonl"}, 1, `^$`, `nope.jsonl`},
		{"eval bad feature", nil, []string{"eval", "--without", "magic", "x.jsonl"}, 2, `^$`, `no feature "magic"`},
		{"version", nil, []string{"version"}, 0, `^verbatim \S+ \(go`, `^$`},
		{"feeds help", nil, []string{"feeds", "poll", "--help"}, 0, `(?s)Usage: verbatim feeds poll.*-json`, `^$`},
		{"feeds no subcommand", nil, []string{"feeds"}, 2, `^$`, `feeds needs a subcommand`},
		{"feeds bad subcommand", nil, []string{"feeds", "list"}, 2, `^$`, `unknown feeds subcommand "list"`},
		{"feeds poll without FEEDS", nil, []string{"feeds", "poll"}, 0, `^$`, `no feeds to poll: set FEEDS`},
		{"feeds poll --json without FEEDS", nil, []string{"feeds", "poll", "--json"}, 0, `^\{\s*"added": \[\],\s*"skipped": \[\]\s*\}\s*$`, `FEEDS`},
		{"feeds poll argument", map[string]string{"FEEDS": "https://a.example/rss"}, []string{"feeds", "poll", "x"}, 2, `^$`, `takes no arguments`},
		{"bad feed interval", map[string]string{"FEEDS": "https://a.example/rss", "FEED_INTERVAL": "10s"}, []string{"feeds", "poll"}, 2, `^$`, `FEED_INTERVAL`},
		{"bad feed URL", map[string]string{"FEEDS": "file:///etc/passwd"}, []string{"feeds", "poll"}, 2, `^$`, `FEEDS`},
		{"add help", nil, []string{"add", "--help"}, 0, `(?s)Usage: verbatim add.*-json`, `^$`},
		{"add no URL", nil, []string{"add"}, 2, `^$`, `add needs a URL`},
		{"add bad URL", nil, []string{"add", "ftp://a.example/x"}, 2, `^$`, `not an http or https URL`},
		{"add private refused", nil, []string{"add", "http://10.0.0.1/story"}, 1, `^$`, `refused: 10.0.0.1 is a private address`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			code, out, errOut := runCLI(t, env, tt.args...)
			if code != tt.code {
				t.Errorf("exit = %d; want %d (stderr %q)", code, tt.code, errOut)
			}
			if !regexp.MustCompile(tt.stdout).MatchString(out) {
				t.Errorf("stdout = %q; want match for %q", out, tt.stdout)
			}
			if !regexp.MustCompile(tt.stderr).MatchString(errOut) {
				t.Errorf("stderr = %q; want match for %q", errOut, tt.stderr)
			}
		})
	}
}

func TestCorpusFolderWithBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.txt":  "Title: Harbour\n\nThe harbour tunnel opens in July, the council said.",
		"bad.json":  `{"title": "x", "body": `,
		"empty.md":  "",
		"notes.csv": "a,b",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI(t, map[string]string{}, "ask", "--corpus", dir, "When does the tunnel open?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "The harbour tunnel opens in July") {
		t.Errorf("answer = %q; want the good article's sentence", out)
	}
	for _, name := range []string{"bad.json", "empty.md"} {
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not name %s: %q", name, errOut)
		}
	}
	if strings.Contains(errOut, "notes.csv") {
		t.Errorf("a file of another kind was reported: %q", errOut)
	}

	// Every file broken: a clear error, exit 1.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.json"), []byte("{"), 0o600)
	code, _, errOut = runCLI(t, map[string]string{}, "ask", "--corpus", bad, "x?")
	if code != 1 || !strings.Contains(errOut, "none of its 1 article files could be loaded") {
		t.Errorf("all broken: exit %d, stderr %q", code, errOut)
	}
	// An empty folder: says what it wants.
	code, _, errOut = runCLI(t, map[string]string{}, "ask", "--corpus", t.TempDir(), "x?")
	if code != 1 || !strings.Contains(errOut, "no article files") {
		t.Errorf("empty folder: exit %d, stderr %q", code, errOut)
	}
}

func TestFlagsBeatEnvironment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Title: Harbour\n\nThe harbour tunnel opens in July."), 0o600)
	env := map[string]string{"CORPUS_DIR": "/nonexistent/verbatim"}
	code, out, errOut := runCLI(t, env, "ask", "--corpus", dir, "When does the tunnel open?")
	if code != 0 || !strings.Contains(out, "July") {
		t.Errorf("--corpus did not beat CORPUS_DIR: exit %d, %q %q", code, out, errOut)
	}
	data := t.TempDir()
	code, _, errOut = runCLI(t, map[string]string{"DATA_DIR": "/nonexistent/x"}, "index", "--data", data)
	if code != 0 {
		t.Fatalf("index --data: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, "index")); err != nil {
		t.Errorf("--data did not beat DATA_DIR: %v", err)
	}
}

func TestIndexCommand(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"DATA_DIR": data}
	code, out, errOut := runCLI(t, env, "index")
	if code != 0 || !regexp.MustCompile(`^indexed 1 article, 15 sentences, in \S+ \(fingerprint [0-9a-f]{32}\)\n$`).MatchString(out) {
		t.Fatalf("index: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	idx, err := os.Stat(filepath.Join(data, "index"))
	if err != nil || idx.Mode().Perm()&0o077 != 0 {
		t.Errorf("index folder mode = %v, %v; want private (no group or other access)", idx.Mode().Perm(), err)
	}
}

func TestDigestCommand(t *testing.T) {
	dir := t.TempDir()
	for i := range 7 {
		body := fmt.Sprintf("Title: Story %d\nPublished: 2026-11-%02d\n\nThe council met on day %d to discuss the harbour tunnel budget.\nResidents asked for more buses on route %d.\nThe mayor said the plan would be ready soon.\nWork starts next year.", i, i+1, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.txt", i)), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"CORPUS_DIR": dir}
	code, out, errOut := runCLI(t, env, "digest", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Articles []struct {
			Article map[string]string `json:"article"`
			Quotes  []map[string]any  `json:"quotes"`
		} `json:"articles"`
		More int `json:"more"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("digest --json: %v\n%s", err, out)
	}
	if len(d.Articles) != 5 || d.More != 2 {
		t.Errorf("digest of 7 new articles: %d shown, %d more; want 5 and 2", len(d.Articles), d.More)
	}
	for _, a := range d.Articles {
		if len(a.Quotes) != 3 {
			t.Errorf("%s: %d key sentences; want 3", a.Article["id"], len(a.Quotes))
		}
	}
	if d.Articles[0].Article["id"] != "s6" {
		t.Errorf("first article %s; want the newest (s6)", d.Articles[0].Article["id"])
	}

	code, out, _ = runCLI(t, env, "digest", "--since", "2100-01-01")
	if code != 0 || !strings.Contains(out, "no digest would be posted") {
		t.Errorf("digest --since future: exit %d, %q", code, out)
	}
	code, _, errOut = runCLI(t, env, "digest", "--since", "yesterday")
	if code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("digest --since yesterday: exit %d, %q; want 2", code, errOut)
	}
}

func TestRunRejectedToken(t *testing.T) {
	fake := discordtest.New(t, discordtest.Config{})
	code, _, errOut := runCLI(t, map[string]string{"DISCORD_TOKEN": "wrong-token", "DISCORD_API_BASE": fake.URL}, "run")
	if code != 1 || !strings.Contains(errOut, "rejected the bot token") || strings.Contains(errOut, "wrong-token") {
		t.Errorf("rejected token: exit %d, stderr %q; want 1 and a clear message without the token", code, errOut)
	}
}

// TestDataFolderAnnounced runs commands with a data folder that does not
// exist yet: the first says, once, that it made it and where; a second
// run, finding it, says nothing.
func TestDataFolderAnnounced(t *testing.T) {
	articles := t.TempDir()
	if err := os.WriteFile(filepath.Join(articles, "a.txt"), []byte("Title: Harbour\n\nThe harbour tunnel opens in July."), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"ask", []string{"ask", "Who is Zalmy Khalilzad?"}},
		{"index", []string{"index", "--corpus", articles}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			env := map[string]string{"DATA_DIR": data}
			const note = "made the data folder for the index and state"
			code, _, errOut := runCLI(t, env, tt.args...)
			if code != 0 {
				t.Fatalf("%q: exit %d, stderr %q", tt.args, code, errOut)
			}
			if n := strings.Count(errOut, note); n != 1 || !strings.Contains(errOut, "data="+data) {
				t.Errorf("%q, first run: stderr %q; want one line saying the folder %s was made", tt.args, errOut, data)
			}
			if _, err := os.Stat(filepath.Join(data, "index")); err != nil {
				t.Errorf("%q: no index in the new data folder: %v", tt.args, err)
			}
			code, _, errOut = runCLI(t, env, tt.args...)
			if code != 0 || strings.Contains(errOut, note) {
				t.Errorf("%q, second run: exit %d, stderr %q; want the folder not announced again", tt.args, code, errOut)
			}
		})
	}
}

// With SHARED_INDEX_DIR, `verbatim index` publishes versions of one index
// that the commands (and bots) open read-only, each its own DATA_DIR.
func TestSharedIndexCommands(t *testing.T) {
	corpusDir, shared := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func() map[string]string {
		return map[string]string{"CORPUS_DIR": corpusDir, "SHARED_INDEX_DIR": shared}
	}
	write("a.txt", "Title: A\n\nThe minister resigned on Tuesday.\n")
	if code, out, errOut := runCLI(t, env(), "index"); code != 0 || !strings.HasPrefix(out, "indexed 1 article, 1 sentences") {
		t.Fatalf("index: exit %d, %q %q", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, env(), "ask", "Who resigned?"); code != 0 || !strings.Contains(out, "The minister resigned on Tuesday.") {
		t.Errorf("ask from the shared index: exit %d, %q %q", code, out, errOut)
	}
	write("b.txt", "Title: B\n\nThe harbour froze in January.\n")
	if code, out, errOut := runCLI(t, env(), "index"); code != 0 || !strings.HasPrefix(out, "indexed 2 articles, 2 sentences") {
		t.Fatalf("second index: exit %d, %q %q", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, env(), "ask", "What froze?"); code != 0 || !strings.Contains(out, "The harbour froze in January.") {
		t.Errorf("ask from the new version: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(shared, "v000002")); err != nil {
		t.Errorf("the second build made no version v000002: %v", err)
	}
	code, _, errOut := runCLI(t, map[string]string{"SHARED_INDEX_DIR": shared}, "ask", "What froze?")
	if code == 0 || !strings.Contains(errOut, "SHARED_INDEX_DIR") {
		t.Errorf("SHARED_INDEX_DIR without CORPUS_DIR: exit %d, %q; want an error naming the setting", code, errOut)
	}
}
