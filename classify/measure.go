package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Measure is one strategy measure (priemonė) a suggestion can be filed
// under, as the VVG's configuration describes it. Title, Description and
// Keywords are training material too: they are read as pseudo-examples of
// the measure, so a strategy needs only a few real examples per measure.
type Measure struct {
	Code        string   `json:"code"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Keywords    []string `json:"keywords"`
}

// Example is one labelled suggestion. Unknown JSON fields (such as a
// reviewer's "note") are ignored.
type Example struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Label string `json:"label"`
}

// maxExampleLine bounds one JSON line; a suggestion is a few kilobytes.
const maxExampleLine = 4 << 20

// ReadExamples reads labelled examples as JSON lines, one object per line;
// blank lines are skipped. An error names the 1-based line it occurred on.
func ReadExamples(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxExampleLine)
	var out []Example
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e Example
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("read examples: line %d: %w", line, err)
		}
		if strings.TrimSpace(e.Label) == "" {
			return nil, fmt.Errorf("read examples: line %d: %w", line, errNoLabel)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read examples: line %d: %w", line+1, err)
	}
	return out, nil
}

var errNoLabel = errors.New("missing label")
