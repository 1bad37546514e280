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
	var names tableNames
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = names.of(keyParts(e.Key()), e.Kind == unstable.ArrayTable)
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

// tableNames names the tables of a document as the problems do:
// "organisation", "measures[2]" for the third [[measures]], and a table
// inside an entry of an array of tables under that entry, counted per
// entry: the first [[strategies.measures]] after the second [[strategies]]
// is "strategies[1].measures[0]".
type tableNames struct {
	count  map[string]int    // entries so far of each array, by its full name
	latest map[string]string // the latest entry of each array: "strategies" → "strategies[1]"
}

// of names the table whose header has parts; array for [[…]].
func (n *tableNames) of(parts []string, array bool) string {
	if n.count == nil {
		n.count, n.latest = map[string]int{}, map[string]string{}
	}
	prefix, plain := "", ""
	for i, part := range parts {
		plain = strings.TrimPrefix(plain+"."+part, ".")
		name := strings.TrimPrefix(prefix+"."+part, ".")
		if i < len(parts)-1 {
			if entry, ok := n.latest[plain]; ok {
				name = entry // a table inside the array's latest entry
			}
			prefix = name
			continue
		}
		if !array {
			return name
		}
		idx := n.count[name]
		n.count[name] = idx + 1
		entry := fmt.Sprintf("%s[%d]", name, idx)
		n.latest[plain] = entry
		return entry
	}
	return ""
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
