package config

import (
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps every key of a TOML document to the line it is on, as
// "section.key" or "measures[2].code" for arrays of tables, so that a
// validation problem can say which line to fix. A document that does not
// parse yields what was read before the error; the decoder reports the
// syntax error itself.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	var table string
	arrays := map[string]int{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			name := joinKey(e.Key())
			if e.Kind == unstable.ArrayTable {
				idx := arrays[name]
				arrays[name] = idx + 1
				table = fmt.Sprintf("%s[%d]", name, idx)
			} else {
				table = name
			}
			lines[table] = lineOf(&p, e.Key())
		case unstable.KeyValue:
			key := joinKey(e.Key())
			if table != "" {
				key = table + "." + key
			}
			lines[key] = lineOf(&p, e.Key())
		}
	}
	return lines
}

func joinKey(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

func lineOf(p *unstable.Parser, it unstable.Iterator) int {
	if it.Next() {
		n := it.Node()
		if n.Raw.Length > 0 || n.Raw.Offset > 0 {
			return p.Shape(n.Raw).Start.Line
		}
	}
	return 0
}
