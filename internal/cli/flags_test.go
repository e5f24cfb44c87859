package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestFlagsAnywhere runs commands with their flags after the arguments, as
// people type them, and with "--" before an argument that starts with a
// dash: a flag is never folded into the question or term.
func TestFlagsAnywhere(t *testing.T) {
	for _, tt := range []struct {
		name     string
		args     []string
		question string // the question or term the JSON reports
		quotes   int    // at least this many quotes (-1: exactly none)
	}{
		{"json after the question", []string{"ask", "Who is Zebari?", "--json"}, "Who is Zebari?", 1},
		{"flags on both sides", []string{"ask", "--top", "1", "Who", "is", "Zebari?", "--json"}, "Who is Zebari?", 1},
		{"value flag after the question", []string{"ask", "Who is Zebari?", "--top", "1", "--json"}, "Who is Zebari?", 1},
		{"flag=value after the question", []string{"ask", "Who is Zebari?", "--top=1", "-json"}, "Who is Zebari?", 1},
		{"dashes end the flags", []string{"ask", "--json", "--", "--top", "of", "Zebari's", "list?"}, "--top of Zebari's list?", 0},
		{"a negative number is a word", []string{"ask", "--json", "Was", "it", "-5", "in", "Baghdad?"}, "Was it -5 in Baghdad?", 0},
		{"lookup flags after the term", []string{"lookup", "militias", "--limit", "1", "--json"}, "militias", 1},
		{"lookup dashes", []string{"lookup", "--json", "--", "-militias"}, "-militias", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, map[string]string{}, tt.args...)
			if code != 0 {
				t.Fatalf("%q: exit %d; stderr %s", tt.args, code, errOut)
			}
			var got struct {
				Question, Term string
				Quotes         []json.RawMessage
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%q: output is not JSON (%v): %q", tt.args, err, out)
			}
			if q := got.Question + got.Term; q != tt.question {
				t.Errorf("%q: question %q; want %q", tt.args, q, tt.question)
			}
			if len(got.Quotes) < tt.quotes {
				t.Errorf("%q: %d quotes; want at least %d", tt.args, len(got.Quotes), tt.quotes)
			}
			if tt.args[0] == "lookup" && slices.Contains(tt.args, "--limit") && len(got.Quotes) != 1 {
				t.Errorf("%q: %d quotes; want --limit 1 to hold", tt.args, len(got.Quotes))
			}
		})
	}

	// An unknown flag after the question is a usage error, not a word.
	code, out, errOut := runCLI(t, map[string]string{}, "ask", "Who is Zebari?", "--jsn")
	if code != 2 || out != "" || !strings.Contains(errOut, "flag provided but not defined: -jsn") {
		t.Errorf("unknown flag after the question: exit %d, stdout %q, stderr %q; want 2 and the flag named", code, out, errOut)
	}
	// A flag after eval's file.
	code, out, errOut = runCLI(t, map[string]string{}, "eval", filepath.Join("testdata", "eval", "selection.jsonl"), "--json")
	if code != 0 || !strings.HasPrefix(out, "{") {
		t.Errorf("eval FILE --json: exit %d, stdout %q, stderr %q; want JSON", code, out, errOut)
	}
}

// TestHelpFits checks every command's --help: it fits 80 columns (a tab
// counted to its stop) and lists exactly the flags the command uses.
func TestHelpFits(t *testing.T) {
	places := []string{"corpus", "data"}
	want := map[string][]string{
		"run":     places,
		"ask":     append([]string{"article", "json", "top"}, places...),
		"lookup":  append([]string{"article", "json", "limit"}, places...),
		"digest":  append([]string{"json", "since"}, places...),
		"index":   places,
		"eval":    {"baseline", "corpus", "json", "without"},
		"version": nil,
		"feeds":   nil, // "feeds poll --help" lists poll's
		"add":     {"json"},
		"state":   nil, // export and import take no flags
	}
	flagLine := regexp.MustCompile(`(?m)^  -(\w+)`)
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, map[string]string{}, c.name, "--help")
			if code != 0 || errOut != "" {
				t.Fatalf("%s --help: exit %d, stderr %q", c.name, code, errOut)
			}
			for i, line := range strings.Split(out, "\n") {
				if w := columns(line); w > 80 {
					t.Errorf("%s --help line %d is %d columns: %q", c.name, i+1, w, line)
				}
			}
			var got []string
			for _, m := range flagLine.FindAllStringSubmatch(out, -1) {
				got = append(got, m[1])
			}
			w, ok := want[c.name]
			if !ok {
				t.Fatalf("command %s is missing from this test's table", c.name)
			}
			w = slices.Sorted(slices.Values(w))
			if !slices.Equal(got, w) {
				t.Errorf("%s --help lists flags %q; want %q", c.name, got, w)
			}
		})
	}
	// A flag a command does not list, it does not take.
	for _, args := range [][]string{{"version", "--data", "x"}, {"eval", "--data", "x", "f.jsonl"}} {
		if code, _, errOut := runCLI(t, map[string]string{}, args...); code != 2 || !strings.Contains(errOut, "flag provided but not defined: -data") {
			t.Errorf("%q: exit %d, stderr %q; want 2, the flag not defined", args, code, errOut)
		}
	}
}

// columns is how wide line shows in a terminal, tabs to stops of 8.
func columns(line string) int {
	n := 0
	for _, r := range line {
		if r == '\t' {
			n += 8 - n%8
			continue
		}
		n++
	}
	return n
}
