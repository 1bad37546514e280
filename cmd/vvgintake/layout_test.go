package main

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLayout keeps the import graph the README describes: leaves import
// none of the domain packages (only the foundation packages web and
// internal/…), and no import runs back up (the ledger never imports the
// pipeline, notify never imports intake, nothing imports the binary).
func TestLayout(t *testing.T) {
	const mod = "github.com/vvgintake/vvgintake/"
	foundation := []string{"web", "internal/excerpt", "internal/backoff", "internal/numfmt", "internal/filename", "internal/vilnius", "internal/looptest", "internal/cputime", "internal/clocktest", "internal/logtest", "internal/readmetest", "internal/jsonltest", "internal/xlsxtest"}
	allowed := map[string][]string{ // package → what of ours it may import, besides the foundation
		"intake/mailparse":   nil,
		"intake/mailbox":     nil,
		"intake/form":        nil,
		"intake/spam":        nil,
		"classify":           nil,
		"classify/similar":   {"classify"},
		"notify/redact":      nil,
		"ledger":             nil,
		"web":                nil,
		"internal/excerpt":   nil,
		"internal/backoff":   nil,
		"internal/numfmt":    nil,
		"internal/vilnius":   nil,
		"internal/looptest":  nil,
		"internal/clocktest": nil,
		"internal/logtest":   nil,
		"internal/jsonltest": nil,
		"internal/xlsxtest":  nil,
		"notify":             {"ledger", "notify/results", "notify/redact"},
		"notify/results":     {"ledger", "notify/redact"},
		"intake":             {"intake/mailparse", "intake/mailbox", "intake/form", "intake/spam", "classify", "classify/similar", "ledger"},
		"console":            {"intake", "classify", "ledger", "notify", "notify/results", "notify/redact", "privacy"},
		"privacy":            {"intake", "intake/mailbox", "ledger"},
	}
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(p.ImportPath, mod)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(imp, mod)
			if strings.HasPrefix(dep, "cmd/") && !strings.HasPrefix(name, "cmd/") {
				t.Errorf("%s imports %s: nothing imports the binary's packages", name, dep)
			}
			ok, listed := allowed[name]
			if !listed || slices.Contains(foundation, dep) {
				continue
			}
			if !slices.Contains(ok, dep) {
				t.Errorf("%s imports %s: not allowed by the layout (may import %v and the foundation %v)", name, dep, ok, foundation)
			}
		}
	}
}
