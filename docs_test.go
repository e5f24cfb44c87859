package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
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

// TestDesignInRepository checks that the design the code cites is in the
// repository (docs/design.md), and that no Go file cites a DESIGN.md,
// which a clone does not have.
func TestDesignInRepository(t *testing.T) {
	if _, err := os.Stat(filepath.Join("docs", "design.md")); err != nil {
		t.Fatalf("docs/design.md: %v", err)
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == "third_party" || path == ".git") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || path == "docs_test.go" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("DESIGN.md")) {
			t.Errorf("%s cites DESIGN.md; cite docs/design.md", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
