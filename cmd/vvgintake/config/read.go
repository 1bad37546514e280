package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// The file is read in one pass that finds every kind of mistake at once:
// go-toml stops at the first syntax error and at the first value it cannot
// store, and reports unknown keys only when nothing else went wrong, which
// took a new user three rounds for four mistakes. So: each expression TOML
// cannot parse is reported and blanked, and parsing starts again; the keys
// are checked against Config's fields by walking the document; and each
// value the decoder cannot store is reported and blanked in turn.

// maxRounds bounds the re-parsing: a file this broken is not a
// configuration, and the first problems are what to fix.
const maxRounds = 50

// brokenTable replaces a table header that does not parse, so that the
// keys under it are not read as the previous section's.
const brokenTable = "vvgintake-unreadable-section"

// read decodes data into cfg and returns every problem found, each
// starting "line N: ". cfg holds what could be read.
func read(cfg *Config, data []byte) []string {
	clean, problems := repairSyntax(data)
	if clean == nil {
		return problems
	}
	cfg.lines = keyLines(clean)
	problems = append(problems, unknownKeys(clean)...)
	clean = quoteDates(clean)
	for range maxRounds {
		fresh := defaults()
		err := toml.NewDecoder(bytes.NewReader(clean)).Decode(fresh)
		if err == nil {
			fresh.path, fresh.lines = cfg.path, cfg.lines
			*cfg = *fresh
			return problems
		}
		var derr *toml.DecodeError
		var row int
		if errors.As(err, &derr) {
			row, _ = derr.Position()
			problems = append(problems, valueProblem(clean, row, derr))
		} else {
			// A value's own UnmarshalText refused a number or a boolean:
			// go-toml returns that error without its position.
			if row = culprit(clean); row == 0 {
				return append(problems, err.Error())
			}
			problems = append(problems, fmt.Sprintf("line %d: %s: %v", row, keyAt(clean, row), err))
		}
		next, _ := blankAt(clean, row)
		if bytes.Equal(next, clean) {
			return problems
		}
		clean = next
	}
	return append(problems, "too many problems; fix these first")
}

// quoteDates puts the dates and date-times written as TOML values
// (closes_at = 2026-12-13, TOML 1.0 "Local Date") in quotes, so that a
// Deadline reads them as the text they are written as, like the quoted
// form. Lines keep their numbers.
func quoteDates(data []byte) []byte {
	var p unstable.Parser
	p.Reset(data)
	var spans []unstable.Range
	var visit func(n *unstable.Node)
	visit = func(n *unstable.Node) {
		switch n.Kind {
		case unstable.LocalDate, unstable.LocalDateTime, unstable.DateTime:
			spans = append(spans, n.Raw)
		case unstable.Array, unstable.InlineTable, unstable.KeyValue:
			it := n.Children()
			for it.Next() {
				visit(it.Node())
			}
		}
	}
	for p.NextExpression() {
		if e := p.Expression(); e.Kind == unstable.KeyValue {
			visit(e.Value())
		}
	}
	out := bytes.Clone(data)
	for _, r := range slices.Backward(spans) {
		at, end := int(r.Offset), int(r.Offset+r.Length)
		if r.Length == 0 || end > len(out) {
			continue
		}
		out = slices.Insert(out, end, '"')
		out = slices.Insert(out, at, '"')
	}
	return out
}

// culprit finds the line of the first key = value that does not decode
// on its own, under its table; 0 when each does.
func culprit(data []byte) int {
	var p unstable.Parser
	p.Reset(data)
	header := []byte{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			open, closing := "[", "]"
			if e.Kind == unstable.ArrayTable {
				open, closing = "[[", "]]"
			}
			header = []byte(open + strings.Join(quotedParts(e.Key()), ".") + closing + "\n")
		case unstable.KeyValue:
			doc := append(slices.Clone(header), p.Raw(e.Raw)...)
			if err := toml.Unmarshal(doc, defaults()); err != nil {
				return lineOf(&p, e.Key())
			}
		}
	}
	return 0
}

// quotedParts returns a key's parts quoted for TOML.
func quotedParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, strconv.Quote(string(it.Node().Data)))
	}
	return parts
}

// repairSyntax returns data with every expression TOML cannot parse
// blanked, and the problems, one per expression. It returns nil data when
// the document cannot be repaired.
func repairSyntax(data []byte) ([]byte, []string) {
	clean := bytes.Clone(data)
	var out []string
	for range maxRounds {
		var m map[string]any
		err := toml.Unmarshal(clean, &m)
		if err == nil {
			return clean, out
		}
		var derr *toml.DecodeError
		if !errors.As(err, &derr) {
			return nil, append(out, err.Error())
		}
		row, _ := derr.Position()
		next, from := blankAt(clean, row)
		if from < row {
			// A string or list left open is noticed lines later, where
			// TOML finds what cannot be in it; the mistake is where it
			// starts.
			out = append(out, fmt.Sprintf("line %d: syntax error: the value that starts here is not closed (on line %d: %s)",
				from, row, strings.TrimPrefix(derr.Error(), "toml: ")))
		} else {
			out = append(out, fmt.Sprintf("line %d: %s", row, syntaxText(derr)))
		}
		if bytes.Equal(next, clean) {
			return nil, out
		}
		clean = next
	}
	return nil, append(out, "too many syntax errors; fix these first")
}

// syntaxText explains a TOML syntax error in the words of someone editing
// the file by hand.
func syntaxText(derr *toml.DecodeError) string {
	msg := strings.TrimPrefix(derr.Error(), "toml: ")
	hint := ""
	switch {
	case strings.Contains(msg, "already defined") || strings.Contains(msg, "already exists"):
		return "set twice: " + msg
	case strings.Contains(msg, "cannot have new lines"):
		hint = ` (is the closing " missing?)`
	case strings.Contains(msg, "array is incomplete"):
		hint = " (is the closing ] missing?)"
	case strings.Contains(msg, "expected '=' after key"), strings.Contains(msg, "invalid character"):
		hint = ` (write key = value; text goes in quotes)`
	}
	return "syntax error: " + msg + hint
}

// valueProblem explains a value the decoder could not store, under its
// key: what the setting wants, and what the file has.
func valueProblem(data []byte, row int, derr *toml.DecodeError) string {
	key := keyAt(data, row)
	if key == "" {
		key = strings.Join(derr.Key(), ".")
	}
	msg := strings.TrimPrefix(derr.Error(), "toml: ")
	if strings.HasPrefix(msg, "cannot decode") || strings.Contains(msg, "cannot be stored") {
		if t := typeOfKey(key); t != nil {
			msg = "want " + wantOf(t)
			if raw := rawValueAt(data, row); raw != "" {
				msg += ", got " + raw
			}
		}
	}
	if key == "" {
		return fmt.Sprintf("line %d: %s", row, msg)
	}
	return fmt.Sprintf("line %d: %s: %s", row, key, msg)
}

// keyAt names the key set on line row ("smtp.port", "measures[2].code").
func keyAt(data []byte, row int) string {
	lines := keyLines(data)
	best := ""
	for k, l := range lines {
		// The longest name on the line is the key, not its table.
		if l == row && len(k) > len(best) {
			best = k
		}
	}
	return best
}

// rawValueAt returns the value written on line row as it is written,
// when it is short enough to quote back.
func rawValueAt(data []byte, row int) string {
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.KeyValue || lineOf(&p, e.Key()) != row {
			continue
		}
		v := e.Value()
		if v == nil || v.Raw.Length == 0 || v.Raw.Length > 60 {
			return ""
		}
		return string(p.Raw(v.Raw))
	}
	return ""
}

// wantOf says in words what a setting of type t takes.
func wantOf(t reflect.Type) string {
	switch t {
	case reflect.TypeOf(Duration(0)):
		return `a duration in quotes, like "30s", "5m" or "2h"`
	case reflect.TypeOf(Deadline{}):
		return `a date like 2026-12-13 or a date and time like 2026-12-13T17:00`
	}
	switch t.Kind() {
	case reflect.String:
		return `text in quotes`
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return `a list like ["a", "b"]`
		}
		return "a list of tables"
	case reflect.Struct:
		return "a section"
	}
	return t.String()
}

// blankAt turns the expression on or around line row into spaces, line
// ends kept so that every line keeps its number. It is the expression that
// starts on row or, when none does, everything after the last expression
// that ended before row (a string or list left open runs on). A broken
// table header becomes brokenTable. from is the first line blanked that
// has more than a comment.
func blankAt(data []byte, row int) (out []byte, from int) {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	if row < 1 {
		row = 1
	}
	if row > len(starts) {
		row = len(starts)
	}
	first, last := row, row
	var p unstable.Parser
	p.Reset(data)
	prevEnd, startsHere := 0, false
	for p.NextExpression() {
		e := p.Expression()
		var s, en int
		switch e.Kind {
		case unstable.KeyValue:
			sh := p.Shape(e.Raw)
			s, en = sh.Start.Line, sh.End.Line
		case unstable.Table, unstable.ArrayTable:
			s = lineOf(&p, e.Key())
			en = s
		default:
			continue
		}
		if s == row {
			startsHere, last = true, max(last, en)
			break
		}
		if en >= row {
			break
		}
		prevEnd = en
	}
	if !startsHere {
		first = prevEnd + 1
	}
	from = first
	for from < row {
		l := data[starts[from-1]:]
		if i := bytes.IndexByte(l, '\n'); i >= 0 {
			l = l[:i]
		}
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			break
		}
		from++
	}
	out = bytes.Clone(data)
	end := len(out)
	if last < len(starts) {
		end = starts[last] // the start of the line after last
	}
	for i := starts[first-1]; i < end; i++ {
		if out[i] != '\n' && out[i] != '\r' {
			out[i] = ' '
		}
	}
	lineStart := starts[row-1]
	orig := data[lineStart:]
	if i := bytes.IndexByte(orig, '\n'); i >= 0 {
		orig = orig[:i]
	}
	if t := bytes.TrimSpace(orig); len(t) > 0 && t[0] == '[' {
		h := "[" + brokenTable + strconv.Itoa(row) + "]"
		if len(h) <= len(orig) {
			copy(out[lineStart:], h)
		} else {
			// No room on the line: insert it; the line count is unchanged.
			out = slices.Insert(out, lineStart, []byte(h)...)
		}
	}
	return out, from
}

// unknownKeys walks the document and reports each table and key that is
// not a setting, with the nearest setting's name when one is close, and
// a duration written as a bare number.
func unknownKeys(data []byte) []string {
	root := reflect.TypeOf(Config{})
	var p unstable.Parser
	p.Reset(data)
	var out []string
	cur, curName := root, ""
	var names tableNames
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts := keyParts(e.Key())
			name := strings.Join(parts, ".")
			line := lineOf(&p, e.Key())
			if strings.HasPrefix(name, brokenTable) {
				cur = nil
				continue
			}
			t, problem := resolveTable(root, parts)
			if problem != "" {
				out = append(out, fmt.Sprintf("line %d: [%s]: %s", line, name, problem))
			}
			cur, curName = t, names.of(parts, e.Kind == unstable.ArrayTable)
		case unstable.KeyValue:
			if cur != nil {
				out = append(out, checkKeyValue(&p, e, cur, curName)...)
			}
		}
	}
	return out
}

// resolveTable finds the type a table header names, or says why it is
// not a section.
func resolveTable(t reflect.Type, parts []string) (reflect.Type, string) {
	for i, part := range parts {
		ft, ok := fieldOf(t, part)
		if !ok {
			msg := "unknown section"
			if n := Nearest(part, namesOf(t, true)); n != "" {
				msg += fmt.Sprintf(" (did you mean [%s]?)", strings.Join(append(slices.Clone(parts[:i]), n), "."))
			} else if i == 0 {
				msg += " (sections are " + strings.Join(namesOf(t, true), ", ") + ")"
			}
			return nil, msg
		}
		tt := tableOf(ft)
		if tt == nil {
			return nil, fmt.Sprintf("%s is a setting, not a section", strings.Join(parts[:i+1], "."))
		}
		t = tt
	}
	return t, ""
}

// checkKeyValue reports the parts of one key = value that are not
// settings of table t (named name).
func checkKeyValue(p *unstable.Parser, e *unstable.Node, t reflect.Type, name string) []string {
	parts := keyParts(e.Key())
	line := lineOf(p, e.Key())
	full := func(ps []string) string {
		if name == "" {
			return strings.Join(ps, ".")
		}
		return name + "." + strings.Join(ps, ".")
	}
	for i, part := range parts {
		ft, ok := fieldOf(t, part)
		if !ok {
			msg := "unknown key"
			if n := Nearest(part, namesOf(t, false)); n != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", n)
			} else if name == "" && t == reflect.TypeOf(Config{}) {
				if sec := sectionHaving(part); sec != "" {
					msg += fmt.Sprintf(" (settings go under a section: put it under [%s])", sec)
				}
			}
			return []string{fmt.Sprintf("line %d: %s: %s", line, full(parts[:i+1]), msg)}
		}
		if i == len(parts)-1 && ft == reflect.TypeOf(Duration(0)) {
			// Duration is an integer underneath: go-toml would take 30
			// as 30 nanoseconds.
			if v := e.Value(); v != nil && v.Kind != unstable.String {
				return []string{fmt.Sprintf("line %d: %s: want %s, got %s", line, full(parts), wantOf(ft), p.Raw(v.Raw))}
			}
		}
		if i == len(parts)-1 {
			if v := e.Value(); v != nil && v.Kind == unstable.InlineTable {
				if tt := tableOf(ft); tt != nil {
					var out []string
					it := v.Children()
					for it.Next() {
						if c := it.Node(); c.Kind == unstable.KeyValue {
							out = append(out, checkKeyValue(p, c, tt, full(parts))...)
						}
					}
					return out
				}
			}
			return nil
		}
		if t = tableOf(ft); t == nil {
			return nil // a dotted key into a value: the decoder says so
		}
	}
	return nil
}

// sectionHaving names the one section that has key, or "".
func sectionHaving(key string) string {
	root := reflect.TypeOf(Config{})
	found := ""
	for _, sec := range namesOf(root, true) {
		ft, _ := fieldOf(root, sec)
		if tt := tableOf(ft); tt != nil {
			if _, ok := fieldOf(tt, key); ok {
				if found != "" {
					return ""
				}
				found = sec
			}
		}
	}
	return found
}

// typeOfKey is the Go type of a setting named like "smtp.port" or
// "measures[2].code", or nil.
func typeOfKey(key string) reflect.Type {
	t := reflect.TypeOf(Config{})
	parts := strings.Split(key, ".")
	for i, part := range parts {
		if j := strings.IndexByte(part, '['); j >= 0 {
			part = part[:j]
		}
		ft, ok := fieldOf(t, part)
		if !ok {
			return nil
		}
		if i == len(parts)-1 {
			return ft
		}
		if t = tableOf(ft); t == nil {
			return nil
		}
	}
	return nil
}

// fieldOf finds the field of struct t with TOML name key, looking into
// embedded structs (Credentials).
func fieldOf(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if ft, ok := fieldOf(f.Type, key); ok {
				return ft, true
			}
			continue
		}
		if f.IsExported() && tomlName(f) == key {
			return f.Type, true
		}
	}
	return nil, false
}

// namesOf lists the TOML names of struct t's fields: only the tables when
// tables is true, every name otherwise.
func namesOf(t reflect.Type, tables bool) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, namesOf(f.Type, tables)...)
			continue
		}
		if n := tomlName(f); n != "" && f.IsExported() && (!tables || tableOf(f.Type) != nil) {
			out = append(out, n)
		}
	}
	return out
}

// tableOf is the struct a TOML table of type t decodes into: t itself, or
// the element of an array of tables; nil for a plain value.
func tableOf(t reflect.Type) reflect.Type {
	switch {
	case t.Kind() == reflect.Struct && t != reflect.TypeOf(Deadline{}):
		return t
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return t.Elem()
	}
	return nil
}

func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}
