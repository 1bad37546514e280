package redact

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Mask replaces each redacted span in the published text.
const Mask = "[…]"

// Apply returns text with every span replaced by Mask. The spans may come
// from Find or from a staff member's edits in the console, so Apply takes
// them as Normalize leaves them: a bad range never lets text through that
// it was meant to hide, and never panics.
func Apply(text string, spans []Span) string {
	norm := Normalize(text, spans)
	if len(norm) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range norm {
		b.WriteString(text[at:s.Start])
		b.WriteString(Mask)
		at = s.End
	}
	b.WriteString(text[at:])
	return b.String()
}

// Normalize returns the spans Apply redacts, in order: each span is clipped
// to the text, widened to whole UTF-8 characters (a cut character would
// leave a broken byte in the published text and could hide nothing less
// than the staff meant), dropped if empty, and spans that overlap or touch
// are merged into one whose Kind is the first one's. Widening and merging
// only ever hide more, never less, so the rule is the same whichever of two
// clashing edits was meant. Text is set to the bytes covered.
func Normalize(text string, spans []Span) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		start := max(0, min(s.Start, len(text)))
		end := max(0, min(s.End, len(text)))
		for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
			start--
		}
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		if start >= end {
			continue
		}
		out = append(out, Span{Start: start, End: end, Kind: s.Kind})
	}
	slices.SortStableFunc(out, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	for i := range merged {
		merged[i].Text = text[merged[i].Start:merged[i].End]
	}
	return merged
}

// Validate reports every problem with a span list that staff edited, so the
// console can refuse the edit with a reason instead of publishing what
// Normalize made of it: a range outside the text or backwards, an end that
// cuts a UTF-8 character, a Text that no longer matches the bytes (the
// suggestion changed after the spans were made), and spans that overlap.
// Spans are named by their index in the list as given; nil means none.
func Validate(text string, spans []Span) error {
	var errs []error
	for i, s := range spans {
		switch {
		case s.Start < 0 || s.End > len(text) || s.Start >= s.End:
			errs = append(errs, fmt.Errorf("span %d: range %d-%d is not inside the text's %d bytes", i, s.Start, s.End, len(text)))
			continue
		case !boundary(text, s.Start) || !boundary(text, s.End):
			errs = append(errs, fmt.Errorf("span %d: range %d-%d cuts a character", i, s.Start, s.End))
			continue
		case s.Text != "" && s.Text != text[s.Start:s.End]:
			errs = append(errs, fmt.Errorf("span %d: text at %d-%d is %q, not %q", i, s.Start, s.End, text[s.Start:s.End], s.Text))
		}
	}
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(spans[a].Start, spans[b].Start) })
	reach := -1 // the span, among those before, that ends furthest right
	for _, k := range order {
		s := spans[k]
		if s.Start >= s.End {
			continue
		}
		if reach >= 0 && s.Start < spans[reach].End {
			errs = append(errs, fmt.Errorf("span %d: overlaps span %d", k, reach))
		}
		if reach < 0 || s.End > spans[reach].End {
			reach = k
		}
	}
	return errors.Join(errs...)
}

func boundary(text string, i int) bool {
	return i == len(text) || utf8.RuneStart(text[i])
}
