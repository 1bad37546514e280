package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vvgintake/vvgintake/classify/similar"
	"github.com/vvgintake/vvgintake/ledger"
)

// The grouping of suggestions that say the same thing (classify/similar):
// near-duplicate groups found at intake, and themes within each
// consultation and measure. The ledger holds it (ledger/grouping.go); the
// pipeline keeps each consultation's grouping in memory (about 4 KB a
// suggestion: 42 MB for a consultation of 10,000, BenchmarkGroupConsultation)
// and brings it up
// to date in passes:
//
//   - a new suggestion (mail, form, staff entry, "this is a person", a
//     split part) is grouped right after it is recorded, by whichever
//     process recorded it; in the daemon (DeferGrouping) mail and form
//     posts are grouped by RunGrouping's next pass instead, at most
//     groupPause later, so that a burst is not slowed by a pass per
//     commit; one that a crash left ungrouped (dup_root NULL) is grouped
//     at the next pass of any process, so grouping is resumable and never
//     holds up recording;
//   - anything else that changed what the grouping rests on (a suggestion
//     refiled, withdrawn, merged, reinstated, its text split) moved the
//     consultation's revision, and the next pass reloads: a refiled
//     suggestion is placed again under its new measure, a withdrawn one
//     leaves its theme;
//   - a pass writes only what changed, and only if the revision it
//     started from still holds (ledger.ErrStale otherwise: it reloads and
//     redoes the pass), so the daemon and a CLI command never overwrite
//     each other.
//
// Regrouping a whole consultation (similar.Themes.Recluster) costs about
// 25 ms per 1,000 suggestions, so it runs with the scheduler: at each
// pass for a consultation of up to regroupEvery suggestions that changed,
// and at most once a day above that.

// regroupEvery is the size up to which a changed consultation is regrouped
// at every scheduler pass (a minute); larger ones once a day.
const regroupEvery = 2000

// grouper holds the grouping of each consultation this process has
// touched. It is safe for concurrent use: each consultation has its own
// lock, so a long reload of one does not hold up another.
type grouper struct {
	db  *ledger.DB
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	cons    map[int64]*consGroup
	pending map[int64]bool // consultations with suggestions waiting (DeferGrouping)
}

// mark notes consultations whose new suggestions wait to be grouped.
func (g *grouper) mark(consIDs []int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pending == nil {
		g.pending = map[int64]bool{}
	}
	for _, id := range consIDs {
		if id != 0 {
			g.pending[id] = true
		}
	}
}

// takePending returns the consultations marked since the last call.
func (g *grouper) takePending() []int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	ids := slices.Sorted(maps.Keys(g.pending))
	clear(g.pending)
	return ids
}

// consGroup is one consultation's grouping, nil st meaning "reload".
type consGroup struct {
	mu sync.Mutex
	st *grouping
}

// grouping is a consultation's grouping in memory and what the ledger
// holds of it (saved), to write back only the difference.
type grouping struct {
	rev, maxID int64
	dups       *similar.Duplicates
	themes     *similar.Themes
	subs       map[int64]subInfo
	saved      savedThemes
	// changed counts the suggestions taken in or changed since the last
	// regrouping; fresh: nothing was ever stored (the first grouping).
	changed int
}

// subInfo is what the grouping remembers of a submission.
type subInfo struct {
	measure string
	counts  bool
	root    int64
}

// savedThemes is the theme state as the ledger holds it.
type savedThemes struct {
	next    int64
	themes  map[int64]ledger.ThemeRow
	members map[int64]ledger.MemberRow
}

func newGrouper(db *ledger.DB, log *slog.Logger, now func() time.Time) *grouper {
	return &grouper{db: db, log: log.With("component", "groups"), now: now, cons: map[int64]*consGroup{}}
}

func (g *grouper) of(consID int64) *consGroup {
	g.mu.Lock()
	defer g.mu.Unlock()
	cg, ok := g.cons[consID]
	if !ok {
		cg = &consGroup{}
		g.cons[consID] = cg
	}
	return cg
}

// edit is a change a pass makes to the grouping in memory (a staff edit, a
// regrouping); it fills the change's audit entry and may name themes
// whose words must be worked out again.
type edit func(st *grouping, ch *ledger.GroupingChange) error

// update brings consultation consID's grouping up to date, applies fn (nil
// for none) and writes what changed. A pass that finds the ledger moved
// on under it reloads and runs again.
func (g *grouper) update(ctx context.Context, consID int64, fn edit) error {
	cg := g.of(consID)
	cg.mu.Lock()
	defer cg.mu.Unlock()
	var err error
	for range 3 {
		if err = g.pass(ctx, consID, cg, fn); !errors.Is(err, ledger.ErrStale) {
			break
		}
	}
	return err
}

// pass is one go of update; on any error the grouping in memory is
// dropped, to be reloaded from the ledger next time.
func (g *grouper) pass(ctx context.Context, consID int64, cg *consGroup, fn edit) (err error) {
	defer func() {
		if err != nil {
			cg.st = nil
		}
	}()
	rev, maxID, err := g.db.GroupingHead(ctx, consID)
	if err != nil {
		return err
	}
	var ch ledger.GroupingChange
	if cg.st == nil || cg.st.rev != rev {
		if cg.st, err = g.load(ctx, consID, rev, &ch); err != nil {
			return err
		}
	} else if maxID > cg.st.maxID {
		if err := g.takeIn(ctx, consID, cg.st, &ch); err != nil {
			return err
		}
	}
	st := cg.st
	all := false
	if fn != nil {
		if err := fn(st, &ch); err != nil {
			return err
		}
		all = !ch.Regrouped.IsZero()
	}
	st.diff(&ch, all)
	if ch.Empty() {
		return nil
	}
	next, err := g.db.SaveGrouping(ctx, consID, st.rev, ch)
	if err != nil {
		return err
	}
	st.rev = next
	st.written(&ch)
	return nil
}

// load reads a consultation's grouping from the ledger: the near-duplicate
// index from the stored signatures and roots, the themes from their
// stored state. Suggestions not grouped yet are grouped now, into ch.
func (g *grouper) load(ctx context.Context, consID, rev int64, ch *ledger.GroupingChange) (*grouping, error) {
	start := time.Now()
	ts, err := g.db.ThemeState(ctx, consID)
	if err != nil {
		return nil, err
	}
	st := &grouping{rev: rev, dups: similar.NewDuplicates(similar.Options{}), subs: map[int64]subInfo{}, saved: saved(ts)}
	var (
		rows    []ledger.GroupingRow
		pending []int
	)
	err = g.db.GroupingRows(ctx, consID, 0, func(r ledger.GroupingRow) error {
		st.maxID = max(st.maxID, r.ID)
		if r.Root == 0 {
			pending = append(pending, len(rows))
		} else {
			sig, fresh := signature(r)
			st.dups.Restore(r.ID, sig, r.Root)
			if fresh != nil {
				// A signature of another version: the same group, signed anew.
				ch.Signed = append(ch.Signed, ledger.Signed{ID: r.ID, Signature: fresh, Root: r.Root})
			}
			r.Signature = nil // in the index now; the row need not hold it too
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, i := range pending {
		rows[i].Root = st.group(&rows[i], ch)
	}
	var docs []similar.Doc
	for _, r := range rows {
		st.subs[r.ID] = subInfo{measure: r.Measure, counts: r.Counts, root: r.Root}
		if r.Counts {
			docs = append(docs, similar.Doc{ID: r.ID, Measure: r.Measure, Text: r.Text, Root: r.Root})
		}
	}
	var unplaced int
	st.themes, unplaced = g.loadThemes(ts, docs)
	if unplaced < 0 {
		// Grouped from scratch just now: that was the regrouping.
		ch.Regrouped = g.now()
	} else {
		st.changed = len(pending) + unplaced
	}
	g.log.Debug("grouping loaded", "consultation", consID, "suggestions", len(rows), "grouped_now", len(pending),
		"took", time.Since(start).Round(time.Millisecond))
	return st, nil
}

// loadThemes rebuilds the themes of docs from the stored state and says
// how many suggestions it placed anew: those the state does not place
// (new), or whose stored place no longer fits (refiled under another
// measure; a withdrawn one is not in docs and leaves its theme). A
// consultation never grouped is grouped from scratch (unplaced -1).
func (g *grouper) loadThemes(ts ledger.ThemeState, docs []similar.Doc) (t *similar.Themes, unplaced int) {
	if len(ts.Members) == 0 {
		t := similar.NewThemes(similar.Options{})
		t.AddAll(docs)
		return t, -1
	}
	measureOf := make(map[int64]string, len(docs))
	for _, d := range docs {
		measureOf[d.ID] = d.Measure
	}
	themeMeasure := make(map[int64]string, len(ts.Themes))
	st := similar.State{Version: similar.StateVersion, Next: ts.Next}
	for _, t := range ts.Themes {
		themeMeasure[t.ID] = t.Measure
		st.Themes = append(st.Themes, similar.ThemeState{ID: t.ID, Measure: t.Measure, Label: t.Label, Kept: t.Kept})
	}
	for _, m := range ts.Members {
		if tm, ok := themeMeasure[m.Theme]; ok && tm == measureOf[m.Submission] {
			if _, counts := measureOf[m.Submission]; counts {
				st.Members = append(st.Members, similar.Member{Doc: m.Submission, Theme: m.Theme, Pinned: m.Pinned})
			}
		}
	}
	t, err := similar.Load(st, docs, similar.Options{})
	if err != nil {
		// The ledger and the state disagree in a way the checks above
		// did not foresee: group from scratch rather than not at all.
		g.log.Warn("stored themes do not fit the suggestions; grouping again from scratch", "err", err)
		t = similar.NewThemes(similar.Options{})
		t.AddAll(docs)
		return t, -1
	}
	return t, len(docs) - len(st.Members)
}

// takeIn groups the suggestions recorded since the grouping last looked.
func (g *grouper) takeIn(ctx context.Context, consID int64, st *grouping, ch *ledger.GroupingChange) error {
	return g.db.GroupingRows(ctx, consID, st.maxID, func(r ledger.GroupingRow) error {
		st.maxID = max(st.maxID, r.ID)
		if r.Root == 0 {
			r.Root = st.group(&r, ch)
		} else {
			// Grouped by another process whose write did not reach us
			// (impossible while every write moves the revision; kept
			// safe all the same).
			sig, _ := signature(r)
			st.dups.Restore(r.ID, sig, r.Root)
		}
		st.subs[r.ID] = subInfo{measure: r.Measure, counts: r.Counts, root: r.Root}
		if r.Counts {
			st.themes.Add(similar.Doc{ID: r.ID, Measure: r.Measure, Text: r.Text, Root: r.Root})
			st.changed++
		}
		return nil
	})
}

// group finds the near-duplicate group of a suggestion not grouped yet and
// notes its root (and its signature, when made now) in ch.
func (st *grouping) group(r *ledger.GroupingRow, ch *ledger.GroupingChange) int64 {
	sig, fresh := signature(*r)
	m := st.dups.AddSigned(r.ID, sig)
	ch.Signed = append(ch.Signed, ledger.Signed{ID: r.ID, Signature: fresh, Root: m.Root})
	return m.Root
}

// signature decodes a stored signature; one missing or of another version
// is made again from the text and returned marshalled as fresh, to store.
func signature(r ledger.GroupingRow) (sig similar.Signature, fresh []byte) {
	if r.Signature != nil && sig.UnmarshalBinary(r.Signature) == nil {
		return sig, nil
	}
	sig = similar.Sign(r.Text)
	fresh, _ = sig.MarshalBinary()
	return sig, fresh
}

// Sign is the near-duplicate signature of a suggestion's text as the
// ledger stores it (NewSubmission.Signature); callers make it ahead of
// recording, off the commit path.
func Sign(subject, text string) []byte {
	b, _ := similar.Sign(ledger.PublishedText(subject, text)).MarshalBinary()
	return b
}

func saved(ts ledger.ThemeState) savedThemes {
	s := savedThemes{next: ts.Next, themes: map[int64]ledger.ThemeRow{}, members: map[int64]ledger.MemberRow{}}
	for _, t := range ts.Themes {
		s.themes[t.ID] = t
	}
	for _, m := range ts.Members {
		s.members[m.Submission] = m
	}
	return s
}

// diff adds to ch what the themes in memory hold and the ledger does not.
// A theme's words are worked out again when its suggestions changed, or
// for every theme when all is set (a regrouping: the words' weights are
// learnt over the whole measure). The ledger's state is walked only where
// it must be: a pass that took in one suggestion costs a few
// milliseconds at 10,000 (BenchmarkGroupOneMore).
func (st *grouping) diff(ch *ledger.GroupingChange, all bool) {
	cur := st.themes.State()
	touched := map[int64]bool{}
	present := 0
	for _, m := range cur.Members {
		row := ledger.MemberRow{Submission: m.Doc, Theme: m.Theme, Pinned: m.Pinned}
		old, ok := st.saved.members[m.Doc]
		if ok {
			present++
		}
		if !ok || old != row {
			ch.Members = append(ch.Members, row)
			touched[m.Theme] = true
			if ok {
				touched[old.Theme] = true
			}
		}
	}
	if present < len(st.saved.members) {
		for id, old := range st.saved.members {
			if _, ok := st.themes.ThemeOf(id); !ok {
				ch.DropMembers = append(ch.DropMembers, id)
				touched[old.Theme] = true
			}
		}
		slices.Sort(ch.DropMembers)
	}
	live := make(map[int64]bool, len(cur.Themes))
	for _, t := range cur.Themes {
		live[t.ID] = true
		old, ok := st.saved.themes[t.ID]
		row := ledger.ThemeRow{ID: t.ID, Measure: t.Measure, Label: t.Label, Kept: t.Kept, Words: old.Words}
		if !ok || all || touched[t.ID] {
			v, _ := st.themes.Theme(t.ID)
			row.Words = v.Words
		}
		if !ok || old.Measure != row.Measure || old.Label != row.Label || old.Kept != row.Kept || !slices.Equal(old.Words, row.Words) {
			ch.Themes = append(ch.Themes, row)
		}
	}
	if len(live) < len(st.saved.themes) {
		for id := range st.saved.themes {
			if !live[id] {
				ch.DropThemes = append(ch.DropThemes, id)
			}
		}
		slices.Sort(ch.DropThemes)
	}
	if cur.Next != st.saved.next {
		ch.Next = cur.Next
	}
}

// written makes what ch wrote the ledger's state as the grouping knows it.
func (st *grouping) written(ch *ledger.GroupingChange) {
	for _, m := range ch.Members {
		st.saved.members[m.Submission] = m
	}
	for _, id := range ch.DropMembers {
		delete(st.saved.members, id)
	}
	for _, t := range ch.Themes {
		st.saved.themes[t.ID] = t
	}
	for _, id := range ch.DropThemes {
		delete(st.saved.themes, id)
	}
	if ch.Next != 0 {
		st.saved.next = ch.Next
	}
}

// regroup regroups the whole consultation when it is due: it changed
// since the last regrouping and is small enough to regroup at every pass,
// or it was last regrouped a day ago, or force.
func (g *grouper) regroup(ctx context.Context, consID int64, force bool) error {
	last, err := g.db.GroupingAt(ctx, consID)
	if err != nil {
		return err
	}
	now := g.now()
	return g.update(ctx, consID, func(st *grouping, ch *ledger.GroupingChange) error {
		due := force || st.changed > 0 && (st.themes.Len() <= regroupEvery || now.Sub(last) >= 24*time.Hour)
		if !due {
			return nil
		}
		st.themes.Recluster()
		st.changed = 0
		ch.Regrouped = now
		return nil
	})
}

// group brings the grouping of the consultations given up to date after
// suggestions were recorded in them. A failure is logged, not returned:
// the suggestions are recorded, and the next pass groups them.
func (p *Pipeline) group(ctx context.Context, consIDs ...int64) {
	seen := map[int64]bool{}
	for _, id := range consIDs {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		if err := p.grp.update(ctx, id, nil); err != nil && ctx.Err() == nil {
			p.opt.Logger.Warn("suggestions not grouped yet; the next pass will", "consultation", id, "err", err)
		}
	}
}

// groupNew groups the suggestions just recorded in these consultations:
// at once, or with DeferGrouping at the next pass of RunGrouping or
// GroupPending.
func (p *Pipeline) groupNew(ctx context.Context, consIDs ...int64) {
	if !p.opt.DeferGrouping {
		p.group(ctx, consIDs...)
		return
	}
	if len(consIDs) == 0 {
		return
	}
	p.grp.mark(consIDs)
	select {
	case p.groupKick <- struct{}{}:
	default:
	}
}

// GroupPending groups the suggestions recorded since the last pass
// (DeferGrouping): what `run --once` does after its mailbox sync.
func (p *Pipeline) GroupPending(ctx context.Context) {
	p.group(ctx, p.grp.takePending()...)
}

// groupPause is the least time between two passes of RunGrouping. A pass
// over a consultation walks its whole grouping to write back what changed
// (a few milliseconds at 10,000 suggestions), so during a burst one pass
// per commit of a few messages would cost more than the messages
// themselves; a suggestion waits at most this long for its group, and
// anything that shows groups (the console, `themes`) brings them up to
// date first anyway.
const groupPause = 2 * time.Second

// RunGrouping groups newly recorded suggestions in the background until
// ctx ends (DeferGrouping): a pass when some are waiting, at most one per
// groupPause.
func (p *Pipeline) RunGrouping(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-p.groupKick:
		}
		p.GroupPending(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(groupPause):
		}
	}
}

// Regroup brings the grouping of every consultation up to date, groups the
// suggestions a crash or another process left ungrouped, and regroups
// each consultation that is due (see regroupEvery), or every one when
// force: what the scheduler runs at each pass.
func (p *Pipeline) Regroup(ctx context.Context, force bool) error {
	cs, err := p.db.Consultations(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range cs {
		if err := p.grp.regroup(ctx, c.ID, force); err != nil {
			errs = append(errs, fmt.Errorf("regroup %s: %w", c.Slug, err))
		}
	}
	return errors.Join(errs...)
}
