package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// eachVVG runs a command once per VVG of the configuration directory
// (status, check-config without --vvg), each under a "== SLUG" heading,
// one VVG's trouble not stopping the next. It returns the VVGs whose
// file does not load, and those whose run failed.
func eachVVG(ctx context.Context, e *env, args []string, run func(context.Context, *env, []string) error) (bad []string, failed []error, err error) {
	slugs, err := config.ListDir(e.cfgDir)
	if err != nil {
		return nil, nil, err
	}
	if len(slugs) == 0 {
		return nil, nil, fmt.Errorf("no VVG in %s: add one file per VVG, SLUG.toml", e.cfgDir)
	}
	for i, slug := range slugs {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "== %s\n", slug)
		ent := config.LoadEntry(e.cfgDir, slug)
		if ent.Err != nil {
			fmt.Fprintf(e.stdout, "ALERT  the file does not load: %v\n", ent.Err)
			bad = append(bad, fmt.Sprintf("%s: %v", slug, ent.Err))
			continue
		}
		sub := &env{stdin: e.stdin, stdout: e.stdout, stderr: e.stderr, environ: e.environ, cfgPath: ent.Path, actor: e.actor,
			cfg: ent.Config, log: e.log, now: e.now, tty: e.tty, cfgDir: e.cfgDir, vvg: slug}
		err := run(ctx, sub, args)
		sub.close()
		if err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				return bad, failed, err
			}
			fmt.Fprintf(e.stdout, "%s: %v\n", slug, err)
			failed = append(failed, fmt.Errorf("%s: %w", slug, err))
		}
	}
	return bad, failed, nil
}

// dirResult is eachVVG's outcome as a command's error: a file that does
// not load is a configuration error (exit 2) for check-config, a problem
// like any alert (exit 1) for status.
func dirResult(e *env, bad []string, failed []error, err error, configErrors bool) error {
	if err != nil {
		return err
	}
	if len(bad) > 0 && configErrors {
		return &config.Error{Path: e.cfgDir, Problems: bad}
	}
	if n := len(bad) + len(failed); n > 0 {
		var names []string
		for _, b := range bad {
			s, _, _ := strings.Cut(b, ":")
			names = append(names, s)
		}
		for _, f := range failed {
			s, _, _ := strings.Cut(f.Error(), ":")
			names = append(names, s)
		}
		return fmt.Errorf("%d VVG(s) need attention: %s", n, strings.Join(names, ", "))
	}
	return nil
}
