package mailparse

import (
	"github.com/vvgintake/vvgintake/internal/filename"

	"sort"
	"strconv"
	"strings"
)

// maxParams bounds the parameters read from one header.
const maxParams = 64

// parseMediaValue splits a Content-Type or Content-Disposition value into
// its lower-case main value and parameters (RFC 2045 section 5.1), more
// forgiving than mime.ParseMediaType: quoted strings may hold folded
// encoded-words (Gmail writes name="=?UTF-8?B?…?="), RFC 2231 values may
// be split into numbered sections and use any charset, and junk between
// parameters is skipped instead of failing the whole header.
func parseMediaValue(v string) (string, map[string]string) {
	main, rest, _ := strings.Cut(v, ";")
	main = strings.ToLower(strings.TrimSpace(main))
	params := map[string]string{}
	type section struct {
		n       int
		encoded bool
		value   string
	}
	extended := map[string][]section{}
	for n := 0; rest != "" && n < maxParams; n++ {
		var key, val string
		key, val, rest = nextParam(rest)
		if key == "" {
			continue
		}
		key = strings.ToLower(key)
		if star := strings.IndexByte(key, '*'); star >= 0 {
			// RFC 2231 sections 3 and 4: name*, name*0, name*0*, name*1*…
			base, spec := key[:star], key[star+1:]
			encoded := strings.HasSuffix(spec, "*") || spec == ""
			spec = strings.TrimSuffix(spec, "*")
			n := 0
			if spec != "" {
				var err error
				if n, err = strconv.Atoi(spec); err != nil || n < 0 || n > 999 {
					continue
				}
			}
			extended[base] = append(extended[base], section{n, encoded, val})
			continue
		}
		if _, dup := params[key]; !dup {
			params[key] = val
		}
	}
	for base, secs := range extended {
		sort.SliceStable(secs, func(i, j int) bool { return secs[i].n < secs[j].n })
		var raw []byte
		cs := ""
		for i, s := range secs {
			val := s.value
			if s.encoded && i == 0 {
				// charset'language'octets
				if a, b, ok := strings.Cut(val, "'"); ok {
					cs = normalizeCharset(a)
					if _, c, ok := strings.Cut(b, "'"); ok {
						val = c
					} else {
						val = b
					}
				}
			}
			if s.encoded {
				raw = append(raw, percentDecode(val)...)
			} else {
				raw = append(raw, val...)
			}
		}
		// The extended form wins over a plain name= given alongside it.
		params[base] = wordText(cs, raw)
	}
	return main, params
}

// nextParam reads one "; key=value" from s. Values may be quoted strings
// (with backslash escapes and embedded semicolons) or tokens.
func nextParam(s string) (key, val, rest string) {
	s = strings.TrimLeft(s, " \t\r\n;")
	eq := strings.IndexAny(s, "=;")
	if eq < 0 {
		return "", "", ""
	}
	if s[eq] == ';' {
		return "", "", s[eq+1:]
	}
	key = strings.TrimSpace(s[:eq])
	s = strings.TrimLeft(s[eq+1:], " \t\r\n")
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		i := 1
		for ; i < len(s); i++ {
			c := s[i]
			// A backslash escapes only a quote or a backslash: Windows
			// clients send paths ("C:\Users\…") unescaped.
			if c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				i++
				b.WriteByte(s[i])
				continue
			}
			if c == '"' {
				i++
				break
			}
			b.WriteByte(c)
		}
		rest = s[min(i, len(s)):]
		if j := strings.IndexByte(rest, ';'); j >= 0 {
			rest = rest[j+1:]
		} else {
			rest = ""
		}
		return key, b.String(), rest
	}
	end := strings.IndexByte(s, ';')
	if end < 0 {
		return key, strings.TrimSpace(s), ""
	}
	return key, strings.TrimSpace(s[:end]), s[end+1:]
}

// percentDecode decodes RFC 2231 %XX octets, keeping bad escapes.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && hexPair(s, i+1) {
			out = append(out, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// partFilename finds a part's file name: Content-Disposition's filename,
// else Content-Type's name (RFC 2183 section 2.3; name is the older form),
// with encoded-words decoded and any directory part removed.
func partFilename(disp, ctype map[string]string) string {
	name := disp["filename"]
	if strings.TrimSpace(name) == "" {
		name = ctype["name"]
	}
	name, _ = decodeWords(name)
	return sanitizeFilename(name)
}

// sanitizeFilename makes an attachment's name safe to list and save
// (internal/filename: no path, no controls or bidirectional overrides, at
// most filename.MaxBytes bytes).
func sanitizeFilename(name string) string {
	return filename.Clean(name, filename.MaxBytes)
}
