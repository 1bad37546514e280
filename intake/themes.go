package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vvgintake/vvgintake/classify/similar"
	"github.com/vvgintake/vvgintake/ledger"
)

// The staff's hand in the grouping: what the console's theme and group
// screens do, one call each (similar's doc.go, "Wiring"). Each edit is a
// decision later mail and regroupings keep, and each is in the audit log.

// Themes brings the grouping of consultation consID up to date and lists
// its themes (ledger.Themes). A grouping that cannot be brought up to
// date is logged, and what the ledger holds is listed.
func (p *Pipeline) Themes(ctx context.Context, consID int64) ([]ledger.Theme, error) {
	p.group(ctx, consID)
	return p.db.Themes(ctx, consID)
}

// Groups brings the grouping of consultation consID up to date and lists
// its near-duplicate groups (ledger.Groups).
func (p *Pipeline) Groups(ctx context.Context, consID int64) ([]ledger.GroupSummary, error) {
	p.group(ctx, consID)
	return p.db.Groups(ctx, consID)
}

// RenameTheme gives theme id of consultation consID staff's label ("" goes
// back to the computed words).
func (p *Pipeline) RenameTheme(ctx context.Context, consID, id int64, label, actor string) error {
	label = strings.Join(strings.Fields(label), " ")
	return p.editThemes(ctx, consID, func(st *grouping, ch *ledger.GroupingChange) error {
		ch.Actor, ch.Action, ch.Detail = actor, "theme.rename", fmt.Sprintf("theme %d: %q", id, label)
		return st.themes.Rename(id, label)
	})
}

// MergeThemes moves every suggestion of the themes from into theme into
// (all of one measure); they stay together from then on.
func (p *Pipeline) MergeThemes(ctx context.Context, consID, into int64, from []int64, actor string) error {
	return p.editThemes(ctx, consID, func(st *grouping, ch *ledger.GroupingChange) error {
		ch.Actor, ch.Action, ch.Detail = actor, "theme.merge", fmt.Sprintf("themes %v into %d", from, into)
		return st.themes.Merge(into, from...)
	})
}

// SplitTheme moves the suggestions subs (some, not all, of theme id's; a
// root takes its copies) into a new theme and returns its id.
func (p *Pipeline) SplitTheme(ctx context.Context, consID, id int64, subs []int64, actor string) (int64, error) {
	var made int64
	err := p.editThemes(ctx, consID, func(st *grouping, ch *ledger.GroupingChange) error {
		var err error
		made, err = st.themes.Split(id, subs)
		ch.Actor, ch.Action, ch.Detail = actor, "theme.split", fmt.Sprintf("theme %d: %d suggestions into theme %d", id, len(subs), made)
		return err
	})
	return made, err
}

// MoveToTheme puts suggestion sub into theme id of its measure, or into a
// new theme of its own when id is 0, and returns the theme's id.
func (p *Pipeline) MoveToTheme(ctx context.Context, consID, sub, id int64, actor string) (int64, error) {
	var to int64
	err := p.editThemes(ctx, consID, func(st *grouping, ch *ledger.GroupingChange) error {
		var err error
		to, err = st.themes.Move(sub, id)
		ch.Actor, ch.Action, ch.Detail = actor, "theme.move", fmt.Sprintf("#%d to theme %d", sub, to)
		return err
	})
	return to, err
}

// Detach tells the grouping that suggestion ref is no copy of its
// near-duplicate group after all ("Ne kopija"): it becomes the root of a
// group of its own and a letter of its own in its theme. Its copies, if
// it was a root, are not touched.
func (p *Pipeline) Detach(ctx context.Context, ref, actor string) error {
	g, err := p.db.Grouping(ctx, ref)
	if err != nil {
		return err
	}
	return p.editThemes(ctx, g.ConsultationID, func(st *grouping, ch *ledger.GroupingChange) error {
		info, ok := st.subs[g.ID]
		if !ok || info.root == 0 || info.root == g.ID {
			return fmt.Errorf("detach %s: it is no copy: %w", g.Ref, ledger.ErrState)
		}
		sig, _ := signature(ledger.GroupingRow{Signature: g.Signature, Text: g.Text})
		st.dups.Restore(g.ID, sig, g.ID)
		info.root = g.ID
		st.subs[g.ID] = info
		if info.counts {
			if err := st.themes.Detach(g.ID); err != nil {
				return err
			}
		}
		ch.Signed = append(ch.Signed, ledger.Signed{ID: g.ID, Root: g.ID})
		ch.Actor, ch.Action, ch.Detail = actor, "submission.detach", fmt.Sprintf("%s is no copy of #%d", g.Ref, g.Root)
		return nil
	})
}

// editThemes runs a staff edit in a pass of the grouping, and gives the
// grouping's errors the ledger's meaning (not found, or a request that
// cannot be done: themes of two measures, a split of none or all).
func (p *Pipeline) editThemes(ctx context.Context, consID int64, fn edit) error {
	err := p.grp.update(ctx, consID, fn)
	switch {
	case errors.Is(err, similar.ErrNotFound):
		return &themeError{err, ledger.ErrNotFound}
	case errors.Is(err, similar.ErrMeasure), errors.Is(err, similar.ErrSplit):
		return &themeError{err, ledger.ErrInvalid}
	}
	return err
}

// themeError is a grouping error that is also one of the ledger's.
type themeError struct{ err, kind error }

func (e *themeError) Error() string   { return e.err.Error() }
func (e *themeError) Unwrap() []error { return []error{e.err, e.kind} }

// Similarity estimates how much of a copy is the same text as another
// suggestion (the Jaccard similarity of their word pairs, 0 to 1), from
// their stored signatures: "87 % the same as VVG-2026-0012". 0 when
// either is not signed.
func Similarity(a, b []byte) float64 {
	var sa, sb similar.Signature
	if sa.UnmarshalBinary(a) != nil || sb.UnmarshalBinary(b) != nil {
		return 0
	}
	j, _ := sa.Similarity(sb)
	return j
}
