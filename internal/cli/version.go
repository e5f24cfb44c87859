package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/verbatim-bot/verbatim/internal/cli.Version=v1.2.3";
// without it the module version or VCS revision from the build is used.
var Version = ""

// version returns the version to report.
func version() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}

func runVersion(_ context.Context, env Env, args []string) error {
	f := newFlags(env, "version", "", "Prints the version of verbatim and of Go it was built with.")
	if err := f.parse(env, args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usagef("version takes no arguments")
	}
	_, err := fmt.Fprintf(env.Stdout, "verbatim %s (%s)\n", version(), runtime.Version())
	return err
}
