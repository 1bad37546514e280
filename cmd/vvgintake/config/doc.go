// Package config reads vvgintake.toml: strictly (an unknown key is an
// error naming its line), over defaults that come from the packages that
// own them, with VVGINTAKE_<SECTION>_<KEY> environment overrides and
// *_file secrets. It validates everything once, reporting every problem at
// once with its key and line: the configuration's own rules first, then
// each part's own option check (mailbox, form, notify) run on the very
// options the daemon will start with (options.go), so `check-config` and
// `run` cannot disagree.
//
// A host serving several VVGs reads a directory of such files instead,
// one per VVG named by its slug (dir.go: ListDir, LoadEntry), each checked
// the same way but with no environment overrides and its own ledger.path.
//
// It builds each package's options; it does not open anything (no
// ledger, no connection).
package config
