package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/numfmt"
)

// progress shows how far long work has come (an import of years of mail,
// an export, a backup) on one line of the terminal, rewritten in place:
// the count, the rate and, when the total is known, the time left. It
// writes nothing unless the person is watching (stdout and stderr are
// terminals) and did not ask for --quiet, so cron, scripts and pipes see
// the output they always did.
type progress struct {
	w     io.Writer // nil: silent
	what  string    // "importing", "exporting"
	unit  string    // what count counts: "messages", "suggestions"
	total int64     // bytes expected, 0 when unknown
	now   func() time.Time
	start time.Time
	shown time.Time
	width int // of the last line, to blank it
	count int
	bytes int64
}

// progressEvery is how often the line is rewritten: often enough to look
// alive, seldom enough to cost nothing.
const progressEvery = 250 * time.Millisecond

// newProgress starts a progress line for what, counting unit, of total
// bytes (0: unknown).
func (e *env) newProgress(quiet bool, what, unit string, total int64) *progress {
	p := &progress{what: what, unit: unit, total: total, now: e.clock}
	if !quiet && e.watched() {
		p.w = e.stderr
	}
	p.start = p.now()
	return p
}

// watched reports whether a person is watching the command: its stdout
// and stderr are terminals (e.tty overrides, for tests).
func (e *env) watched() bool {
	if e.tty != nil {
		return e.tty()
	}
	return isTerminal(e.stdout) && isTerminal(e.stderr)
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// add counts n more items and b more bytes, and redraws now and then.
func (p *progress) add(n int, b int64) {
	p.count += n
	p.bytes += b
	if p.w == nil {
		return
	}
	if t := p.now(); t.Sub(p.shown) >= progressEvery {
		p.shown = t
		p.draw(false)
	}
}

// done draws the final line and ends it.
func (p *progress) done() {
	if p.w == nil || p.count == 0 && p.bytes == 0 {
		return
	}
	p.draw(true)
}

func (p *progress) draw(final bool) {
	el := p.now().Sub(p.start)
	parts := []string{p.what + ":"}
	if p.unit != "" {
		parts[0] += fmt.Sprintf(" %s %s", numfmt.Int("en", p.count), p.unit)
	}
	if p.total > 0 {
		frac := min(float64(p.bytes)/float64(p.total), 1)
		parts = append(parts, fmt.Sprintf("%s of %s (%d%%)", showBytes(p.bytes), showBytes(p.total), int(frac*100)))
	}
	if secs := el.Seconds(); secs >= 0.5 && p.count > 0 && p.unit != "" {
		parts = append(parts, fmt.Sprintf("%s/s", numfmt.Int("en", int(float64(p.count)/secs))))
	}
	switch {
	case final:
		parts = append(parts, "took "+roundDuration(el))
	case p.total > 0 && p.bytes > 0 && el >= time.Second:
		left := time.Duration(float64(el) * float64(p.total-p.bytes) / float64(p.bytes))
		parts = append(parts, roundDuration(left)+" left")
	}
	line := parts[0]
	if len(parts) > 1 {
		sep := ", "
		if p.unit == "" {
			sep = " "
		}
		line += sep + strings.Join(parts[1:], ", ")
	}
	pad := max(0, p.width-len([]rune(line)))
	p.width = len([]rune(line))
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%s%s", line, strings.Repeat(" ", pad), end)
}

// showBytes writes a size for people: "830 KB", "1.4 GB".
func showBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// roundDuration writes a duration to the precision a person waits by.
func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= 10*time.Second:
		return d.Round(time.Second).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
