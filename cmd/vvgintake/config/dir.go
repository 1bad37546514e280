package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A configuration directory holds one file per VVG that the host serves
// (`run -config-dir DIR`, /etc/vvgintake/vvgintake.d): aleksotas.toml is
// the VVG "aleksotas". Each file is a whole configuration as the single
// file is, read and checked the same way, with two differences: the
// environment overrides nothing (VVGINTAKE_IMAP_PASSWORD would give every
// VVG the same password), so secrets come from the *_file keys; and
// ledger.path must be set, so that no two VVGs share a ledger by default.

// Entry is one VVG's file in a configuration directory.
type Entry struct {
	Slug string // the file's name without .toml
	Path string
	// Sum is the SHA-256 of the file as read: the host restarts a VVG
	// only when it changed.
	Sum [32]byte
	// Config is the checked configuration, nil when Err says why not.
	Config *Config
	Err    error
}

// vvgSlugRE is what a VVG's file may be called: it becomes the path of its
// form and console (/aleksotas/…), so lowercase letters, digits and
// hyphens.
var vvgSlugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// reservedSlugs are the host's own paths.
var reservedSlugs = []string{"healthz", "readyz", "metrics", "static", "k"}

// ListDir returns the VVGs' files in dir, by slug. Files that do not end
// in .toml, and hidden ones (an editor's .aleksotas.toml.swp), are not
// VVGs.
func ListDir(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read configuration directory: %w", err)
	}
	var out []string
	for _, de := range des {
		n := de.Name()
		if strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".toml") || de.IsDir() {
			continue
		}
		out = append(out, strings.TrimSuffix(n, ".toml"))
	}
	slices.Sort(out)
	return out, nil
}

// LoadEntry reads and checks the VVG slug's file in dir.
func LoadEntry(dir, slug string) Entry {
	e := Entry{Slug: slug, Path: filepath.Join(dir, slug+".toml")}
	if !vvgSlugRE.MatchString(slug) || slices.Contains(reservedSlugs, slug) {
		e.Err = &Error{Path: e.Path, Problems: []string{fmt.Sprintf(
			"file name: %q cannot name a VVG: lowercase letters, digits and hyphens, and not %s", slug, strings.Join(reservedSlugs, ", "))}}
		return e
	}
	data, err := os.ReadFile(e.Path)
	if err != nil {
		e.Err = fmt.Errorf("read configuration: %w", err)
		return e
	}
	e.Sum = sha256.Sum256(data)
	cfg, err := parseIn(e.Path, data, slug)
	if err != nil {
		e.Err = err
		return e
	}
	e.Config = cfg
	return e
}

// parseIn parses one VVG's file of a directory, reporting a missing
// ledger.path among the file's other problems.
func parseIn(path string, data []byte, slug string) (*Config, error) {
	var missing []string
	if _, ok := keyLines(data)["ledger.path"]; !ok {
		missing = []string{"ledger.path: must be set in each VVG's file of a directory (its own ledger, e.g. /var/lib/vvgintake/" +
			slug + "/vvgintake.db)"}
	}
	cfg, err := parse(path, data, nil)
	var cerr *Error
	switch {
	case errors.As(err, &cerr):
		cerr.Problems = append(cerr.Problems, missing...)
		return nil, cerr
	case err != nil:
		return nil, err
	case missing != nil:
		return nil, &Error{Path: path, Problems: missing}
	}
	cfg.slug = slug
	if _, set := keyLines(data)["console.base_url"]; !set && cfg.Console.Host == "" {
		// The default names the host's console listener; this VVG's
		// console is under its slug there (the links `users add` prints).
		cfg.Console.BaseURL += "/" + slug
	}
	return cfg, nil
}

// Slug names the VVG in a configuration directory; "" for the single
// file.
func (c *Config) Slug() string { return c.slug }
