package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkippedFilesWarnedOncePerChange runs commands one after another on
// a corpus with broken files: each file is warned about the first time,
// and again only when it changes; index always lists them all.
func TestSkippedFilesWarnedOncePerChange(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", "Title: Harbour\n\nThe harbour tunnel opens in July, the council said.")
	write("bad.json", `{"title": "x", "body": `)
	write("empty.md", "")
	env := map[string]string{"CORPUS_DIR": dir, "DATA_DIR": t.TempDir()}

	for _, step := range []struct {
		name   string
		change func()
		args   []string
		want   []string // files warned about
	}{
		{"first ask", nil, []string{"ask", "When does the tunnel open?"}, []string{"bad.json", "empty.md"}},
		{"second ask", nil, []string{"ask", "When does the tunnel open?"}, nil},
		{"lookup", nil, []string{"lookup", "tunnel"}, nil},
		{"index lists all", nil, []string{"index"}, []string{"bad.json", "empty.md"}},
		{"after index", nil, []string{"ask", "When does the tunnel open?"}, nil},
		{"one file changed", func() { write("bad.json", `{"title": 7}`) }, []string{"ask", "Where?"}, []string{"bad.json"}},
		{"fixed", func() { write("empty.md", "The ferry stops in May.") }, []string{"ask", "Where?"}, nil},
		{"broken again", func() { write("empty.md", "") }, []string{"ask", "Where?"}, []string{"empty.md"}},
		{"sidecar changed", func() { write("empty.meta.json", `{"title": "T"}`) }, []string{"ask", "Where?"}, []string{"empty.md"}},
	} {
		if step.change != nil {
			step.change()
		}
		code, _, errOut := runCLI(t, env, step.args...)
		if code != 0 {
			t.Fatalf("%s: %v: exit %d, stderr %q", step.name, step.args, code, errOut)
		}
		for _, name := range []string{"bad.json", "empty.md"} {
			want := strings.Contains(strings.Join(step.want, " "), name)
			if got := strings.Contains(errOut, name); got != want {
				t.Errorf("%s: %v: stderr names %s: %v; want %v (stderr %q)", step.name, step.args, name, got, want, errOut)
			}
		}
		if n := strings.Count(errOut, "skipped article file"); n != len(step.want) {
			t.Errorf("%s: %d warnings; want %d (stderr %q)", step.name, n, len(step.want), errOut)
		}
	}
}

// TestConvertedFileSaidOnce reads a Windows-1252 article: the first
// command says it was converted, the next ones do not, until it changes.
func TestConvertedFileSaidOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("\x93The tunnel opens in July,\x94 said the caf\xe9 owner.")
	env := map[string]string{"CORPUS_DIR": dir, "DATA_DIR": t.TempDir()}
	for _, step := range []struct {
		name   string
		change string
		want   bool
	}{
		{"first", "", true},
		{"second", "", false},
		{"changed", "\x93The tunnel opens in June,\x94 said the caf\xe9 owner.", true},
		{"after the change", "", false},
	} {
		if step.change != "" {
			write(step.change)
		}
		code, out, errOut := runCLI(t, env, "ask", "When does the tunnel open?")
		if code != 0 || !strings.Contains(out, "café owner") {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q; want the converted sentence", step.name, code, out, errOut)
		}
		if got := strings.Contains(errOut, "not UTF-8: read as Windows-1252"); got != step.want {
			t.Errorf("%s: conversion said: %v; want %v (stderr %q)", step.name, got, step.want, errOut)
		}
	}
}
