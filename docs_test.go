package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeGoVersion holds the README's "With Go X or later" to go.mod's
// go line, and its toolchain to go.mod's toolchain line.
func TestReadmeGoVersion(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goLine == nil {
		t.Fatal("go.mod has no go line")
	}
	goVersion := string(goLine[1])
	said := regexp.MustCompile(`With Go (\S+) or later`).FindSubmatch(readme)
	if said == nil {
		t.Fatal(`README does not say "With Go X or later"`)
	}
	if v := string(said[1]); v != goVersion && v+".0" != goVersion {
		t.Errorf("README says Go %s or later; go.mod says go %s", v, goVersion)
	}
	if !strings.Contains(string(readme), "`go "+goVersion+"`") {
		t.Errorf("README does not quote go.mod's go line (go %s)", goVersion)
	}
	if tc := regexp.MustCompile(`(?m)^toolchain (\S+)$`).FindSubmatch(mod); tc != nil && !strings.Contains(string(readme), "`toolchain "+string(tc[1])+"`") {
		t.Errorf("README does not quote go.mod's toolchain line (toolchain %s)", tc[1])
	}
}
