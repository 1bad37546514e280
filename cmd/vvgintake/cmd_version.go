package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

func cmdVersion() *command {
	return &command{
		name: "version", short: "print the version and the source revision it was built from",
		long: `Prints the module version (a release tag, or "(devel)" for a build from a checkout), the
version control revision and time it was built from ("+dirty" when the checkout had changes),
and the Go version. Include it when reporting a problem. --version does the same.`,
		noConfig: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 {
				return usagef("version takes no arguments")
			}
			bi, _ := debug.ReadBuildInfo()
			fmt.Fprintln(e.stdout, versionLine(bi))
			return nil
		},
	}
}

// versionLine describes a build from its embedded build information
// (runtime/debug.ReadBuildInfo, nil when there is none):
// "vvgintake v1.2.0 (rev 1e1f801c0a2b, 2026-03-01T10:00:00Z, go1.26.8)".
// A build with -buildvcs=false has no revision to show.
func versionLine(bi *debug.BuildInfo) string {
	version, rev, at, dirty := "(unknown)", "", "", false
	if bi != nil {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	detail := ""
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		detail = "rev " + rev
		if dirty {
			detail += "+dirty"
		}
		if at != "" {
			detail += ", " + at
		}
		detail += ", "
	}
	goVersion := runtime.Version()
	if bi != nil && bi.GoVersion != "" {
		goVersion = bi.GoVersion
	}
	return fmt.Sprintf("vvgintake %s (%s%s)", version, detail, goVersion)
}
