package classify

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// shippedFS holds the labelled examples composed for each strategy the
// product ships with (examples/<name>.jsonl). It is read-only.
//
//go:embed examples/*.jsonl
var shippedFS embed.FS

// ShippedExamples returns the labelled examples shipped for a strategy,
// named by file without extension ("aleksotas"). They are the base that
// New trains on before any staff corrections.
func ShippedExamples(name string) ([]Example, error) {
	b, err := shippedFS.ReadFile(path.Join("examples", name+".jsonl"))
	if err != nil {
		return nil, fmt.Errorf("shipped examples %q: %w (have %s)", name, err, strings.Join(ShippedStrategies(), ", "))
	}
	ex, err := ReadExamples(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("shipped examples %q: %w", name, err)
	}
	return ex, nil
}

// ShippedStrategies lists the names ShippedExamples accepts.
func ShippedStrategies() []string {
	files, _ := fs.Glob(shippedFS, "examples/*.jsonl")
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, strings.TrimSuffix(path.Base(f), ".jsonl"))
	}
	sort.Strings(names)
	return names
}
