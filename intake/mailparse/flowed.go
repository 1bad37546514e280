package mailparse

import (
	"strings"
)

// unflow turns format=flowed text (RFC 3676) back into paragraphs: a line
// ending in a space continues on the next line (section 4.1), unless it is
// the signature separator "-- " (section 4.3); leading ">" marks give the
// quote depth and lines of different depth never join (section 4.5); one
// leading space after the quote marks is stuffing and is removed (section
// 4.4). With DelSp=yes the trailing space was added by the sender and is
// deleted when joining (section 4.2), which lets senders break inside
// long words and URLs. Input must use LF line ends.
func unflow(s string, delsp bool) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	var out strings.Builder
	out.Grow(len(s))
	para := strings.Builder{}
	paraDepth := -1
	flush := func() {
		if paraDepth < 0 {
			return
		}
		if paraDepth > 0 {
			out.WriteString(strings.Repeat(">", paraDepth))
			out.WriteByte(' ')
		}
		out.WriteString(para.String())
		out.WriteByte('\n')
		para.Reset()
		paraDepth = -1
	}
	for _, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := line[depth:]
		content = strings.TrimPrefix(content, " ") // space-stuffing
		if paraDepth >= 0 && depth != paraDepth {
			flush() // quote depth changed: the flowed line was fixed after all
		}
		flowed := strings.HasSuffix(content, " ") && content != "-- "
		if flowed && delsp {
			content = content[:len(content)-1]
		}
		para.WriteString(content)
		paraDepth = depth
		if !flowed {
			flush()
		}
	}
	flush()
	res := strings.TrimSuffix(out.String(), "\n")
	if strings.HasSuffix(s, "\n") {
		res += "\n"
	}
	return res
}
