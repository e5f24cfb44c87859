package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/internal/cli"
)

// TestRunDotEnv runs the production wiring with a fake environment: .env
// is read from the working folder, the environment beats it, and flags
// beat both.
func TestRunDotEnv(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	corpusA := filepath.Join(work, "a")
	corpusB := filepath.Join(work, "b")
	for dir, text := range map[string]string{
		corpusA: "The harbour tunnel opens in July.",
		corpusB: "The harbour tunnel opens in September.",
	} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "x.txt"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := "CORPUS_DIR=" + corpusA + "\nDATA_DIR=" + filepath.Join(work, "data") + "\n"
	if err := os.WriteFile(".env", []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	ask := func(lookup map[string]string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"ask"}, args...), func(k string) (string, bool) {
			v, ok := lookup[k]
			return v, ok
		}, &out, &errOut)
		if code := cli.ExitCode(err, &errOut); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	const q = "When does the tunnel open?"
	if out := ask(nil, q); !strings.Contains(out, "July") {
		t.Errorf(".env not read: %q", out)
	}
	if out := ask(map[string]string{"CORPUS_DIR": corpusB}, q); !strings.Contains(out, "September") {
		t.Errorf("environment did not beat .env: %q", out)
	}
	if out := ask(map[string]string{"CORPUS_DIR": corpusB}, "--corpus", corpusA, q); !strings.Contains(out, "July") {
		t.Errorf("--corpus did not beat the environment: %q", out)
	}
}

func TestRunBadDotEnv(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile(".env", []byte("NOT A LINE\n'"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"version"}, func(string) (string, bool) { return "", false }, &out, &errOut)
	if code := cli.ExitCode(err, &errOut); code != 2 || !strings.Contains(errOut.String(), ".env") {
		t.Errorf("bad .env: exit %d, stderr %q; want 2 naming .env", code, errOut.String())
	}
}
