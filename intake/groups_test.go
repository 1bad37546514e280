package intake

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/classify/similar/similartest"
	"github.com/vvgintake/vvgintake/intake/form"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// campaign is a campaign letter residents copy with small edits; the
// names and addresses are made up.
const campaign = `Mes, Aleksoto gyventojai, kreipiamės dėl vietos plėtros strategijos. Mūsų seniūnijoje gyvena daugiau kaip du tūkstančiai vyresnių nei 70 metų žmonių, o dienos centro, kur jie galėtų praleisti laiką, nėra.

Prašome į strategiją įtraukti senjorų dienos centro Aleksote įkūrimą. Centre turėtų vykti mankšta, rankdarbiai, paskaitos apie sveikatą, kompiuterio pamokos ir bendravimas prie arbatos puodelio.

Tikimės, kad mūsų balsas bus išgirstas, ir laukiame jūsų atsakymo.`

// copyOf is the campaign as resident i sends it: a greeting, a sentence
// of their own now and then, their name.
func copyOf(i int) string {
	greeting := []string{"Laba diena,", "Sveiki,", "Gerbiamieji,"}[i%3]
	own := ""
	if i%2 == 1 {
		own = "\nMano mama irgi laukia tokio centro."
	}
	return fmt.Sprintf("%s\n%s%s\n\nPagarbiai,\nGyventojas Nr. %d", greeting, campaign, own, i)
}

// singles are suggestions of their own, each on another topic.
var singles = []string{
	"Siūlau įrengti dviračių taką palei Nemuną ir apšviesti jį vakarais.",
	"Reikėtų kompiuterinio raštingumo kursų bedarbiams bibliotekoje, bent 40 valandų.",
	"Jaunimui trūksta vietos susitikti vakarais: siūlau atviros jaunimo erdvės idėją.",
	"Verslo inkubatorius su bendra darbo erdve padėtų pradedantiems verslininkams.",
}

func groupingPipeline(t testing.TB, change func(*Options)) (*Pipeline, *ledger.DB, *ledger.Consultation) {
	t.Helper()
	p, db := newTestPipeline(t, change)
	c := addConsultation(t, db, "strategija", clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-14T00:00:00+02:00"))
	setStatus(t, db, "strategija", ledger.StatusOpen)
	return p, db, c
}

// mailIn records a resident's mail as the poller would.
func mailIn(t *testing.T, p *Pipeline, from, subject, body string) string {
	t.Helper()
	m := testMail{from: from, subject: subject, body: body}
	res, _, err := p.Ingest(context.Background(), m.raw(), &Origin{Source: SourceIMAP, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref == "" {
		t.Fatalf("%s: no case opened (%s)", from, res.Disposition)
	}
	return res.Ref
}

func grouped(t *testing.T, db *ledger.DB, ref string) *ledger.Grouped {
	t.Helper()
	g, err := db.Grouping(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// themeOf finds the theme a reference is in.
func themeOf(themes []ledger.Theme, ref string) *ledger.Theme {
	for i := range themes {
		for _, m := range themes[i].Members {
			if m.Ref == ref {
				return &themes[i]
			}
		}
	}
	return nil
}

// TestGroupingAtIntake: copies of a campaign that come by mail, the web
// form and the phone are linked to the first at intake, each keeping its
// own reference; suggestions of their own are no one's copies; all of
// them are in themes, the copies in their root's.
func TestGroupingAtIntake(t *testing.T) {
	ctx := context.Background()
	p, db, c := groupingPipeline(t, nil)
	var copies []string
	for i := range 4 {
		copies = append(copies, mailIn(t, p, fmt.Sprintf("Gyventojas %d <g%d@example.lt>", i, i), "Dienos centras", copyOf(i)))
	}
	var own []string
	for i, s := range singles {
		own = append(own, mailIn(t, p, fmt.Sprintf("Kitas %d <k%d@example.lt>", i, i), "Pasiūlymas", s))
	}
	rc, err := NewFormStore(p).Submit(ctx, &form.Submission{Consultation: "strategija", Name: "Formos gyventoja",
		Text: copyOf(7), ReceivedAt: clocktest.At(t, "2026-11-21T11:00:00+02:00"), Language: "lt"})
	if err != nil {
		t.Fatal(err)
	}
	copies = append(copies, rc.Ref)
	phone, err := p.AddStaff(ctx, StaffEntry{Consultation: c, Text: copyOf(8), Name: "Telefonu", Actor: "ona"})
	if err != nil {
		t.Fatal(err)
	}
	copies = append(copies, phone.Ref)

	root := grouped(t, db, copies[0])
	if root.Root != root.ID {
		t.Errorf("%s: root %d, want itself (%d)", copies[0], root.Root, root.ID)
	}
	for _, ref := range copies[1:] {
		if g := grouped(t, db, ref); g.Root != root.ID || len(g.Signature) == 0 {
			t.Errorf("%s: root %d (signature %d bytes), want %s's (%d)", ref, g.Root, len(g.Signature), copies[0], root.ID)
		}
	}
	for _, ref := range own {
		if g := grouped(t, db, ref); g.Root != g.ID {
			t.Errorf("%s (%.30q): root %d, want itself", ref, g.Text, g.Root)
		}
	}
	groups, err := p.Groups(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Count != len(copies) || groups[0].RootRef != copies[0] {
		t.Errorf("groups = %+v, want one of %d rooted at %s", groups, len(copies), copies[0])
	}
	themes, err := p.Themes(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	th := themeOf(themes, copies[0])
	if th == nil {
		t.Fatalf("%s in no theme: %+v", copies[0], themes)
	}
	for _, ref := range copies {
		if themeOf(themes, ref) != th {
			t.Errorf("%s not in its root's theme %d", ref, th.ID)
		}
	}
	if th.Count < len(copies) || th.Distinct > th.Count-len(copies)+1 || th.Label == "" {
		t.Errorf("theme %+v: want %d copies counted, one distinct letter for them, and a label", th, len(copies))
	}
	n := 0
	for _, t := range themes {
		n += t.Count
	}
	if n != len(copies)+len(own) {
		t.Errorf("themes hold %d suggestions, want %d", n, len(copies)+len(own))
	}
}

// TestGroupingResumes: a suggestion recorded with no grouping (a crash
// between the two, or an import) is grouped by the next pass of any
// pipeline on the ledger, and a pipeline started afresh rebuilds the same
// grouping from the ledger.
func TestGroupingResumes(t *testing.T) {
	ctx := context.Background()
	p, db, c := groupingPipeline(t, nil)
	first := mailIn(t, p, "Ona <ona@example.lt>", "Dienos centras", copyOf(0))
	// Recorded straight into the ledger, as if the process died before
	// grouping it.
	raw, err := db.AddSubmission(ctx, &ledger.NewSubmission{ConsultationID: c.ID, Source: ledger.SourceStaff,
		Text: copyOf(1), Class: ledger.Classification{Measure: "1.1", Confidence: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if g := grouped(t, db, raw.Ref); g.Root != 0 || g.Signature != nil {
		t.Fatalf("before the pass: root %d, signature %d bytes; want neither", g.Root, len(g.Signature))
	}
	again, _ := newTestPipelineOn(t, db)
	if err := again.Regroup(ctx, false); err != nil {
		t.Fatal(err)
	}
	if g := grouped(t, db, raw.Ref); g.Root != grouped(t, db, first).ID || len(g.Signature) == 0 {
		t.Errorf("after the pass: root %d, signature %d bytes; want %s's", g.Root, len(g.Signature), first)
	}
	before, _ := db.Themes(ctx, c.ID)
	third, _ := newTestPipelineOn(t, db)
	after, err := third.Themes(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("a fresh pipeline changed the themes:\nbefore %+v\nafter  %+v", before, after)
	}
}

// TestDeferredGrouping: with DeferGrouping (the daemon) a recorded
// suggestion waits, ungrouped, for GroupPending (`run --once`) or a pass
// of RunGrouping, which then groups it with its copies.
func TestDeferredGrouping(t *testing.T) {
	ctx := context.Background()
	p, db, _ := groupingPipeline(t, func(o *Options) { o.DeferGrouping = true })
	first := mailIn(t, p, "Ona <ona@example.lt>", "Dienos centras", copyOf(0))
	second := mailIn(t, p, "Jonas <jonas@example.lt>", "Dienos centras", copyOf(1))
	if g := grouped(t, db, second); g.Root != 0 {
		t.Fatalf("grouped at once (root %d) with DeferGrouping", g.Root)
	}
	p.GroupPending(ctx)
	root := grouped(t, db, first).ID
	if g := grouped(t, db, second); g.Root != root {
		t.Fatalf("after GroupPending: root %d, want %s's (%d)", g.Root, first, root)
	}
	third := mailIn(t, p, "Rasa <rasa@example.lt>", "Dienos centras", copyOf(2))
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.RunGrouping(rctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for grouped(t, db, third).Root != root {
		if time.Now().After(deadline) {
			t.Fatalf("RunGrouping did not group %s", third)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunGrouping: %v", err)
	}
}

// newTestPipelineOn is another pipeline (another process) on db.
func newTestPipelineOn(t *testing.T, db *ledger.DB) (*Pipeline, *ledger.DB) {
	t.Helper()
	p, _ := newTestPipeline(t, nil)
	return New(db, p.strategies, p.opt), db
}

// TestThemeEditsStick: staff's rename, merge, split and move survive new
// mail, a regrouping and a restart; a refiled suggestion moves to a theme
// of its new measure; a withdrawn one leaves its theme.
func TestThemeEditsStick(t *testing.T) {
	ctx := context.Background()
	p, db, c := groupingPipeline(t, nil)
	add := func(measure, text string) string {
		t.Helper()
		s, err := p.AddStaff(ctx, StaffEntry{Consultation: c, Text: text, Measure: measure, Actor: "ona"})
		if err != nil {
			t.Fatal(err)
		}
		return s.Ref
	}
	centre := []string{
		add("1.1", "Siūlau įkurti senjorų dienos centrą Aleksote, kur būtų mankšta ir bendravimas."),
		add("1.1", "Senjorams reikia dienos centro su užsiėmimais ir bendravimu."),
		add("1.1", "Dienos centras senjorams Aleksote būtų labai reikalingas, ypač vienišiems."),
	}
	meals := []string{
		add("1.1", "Vienišiems pagyvenusiems žmonėms reikia karštų pietų pristatymo į namus."),
		add("1.1", "Siūlau organizuoti pietų pristatymą į namus neįgaliesiems ir senoliams."),
	}
	themes, err := p.Themes(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	tc, tm := themeOf(themes, centre[0]), themeOf(themes, meals[0])
	if tc == nil || tm == nil {
		t.Fatalf("themes %+v", themes)
	}
	// Rename the centre's theme; move one meal letter into a theme of
	// its own, then merge it back; split one centre letter off.
	if err := p.RenameTheme(ctx, c.ID, tc.ID, "  Senjorų   dienos centras ", "ona"); err != nil {
		t.Fatal(err)
	}
	g := grouped(t, db, meals[1])
	alone, err := p.MoveToTheme(ctx, c.ID, g.ID, 0, "ona")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.MergeThemes(ctx, c.ID, themeOf(mustThemes(t, p, c), meals[0]).ID, []int64{alone}, "ona"); err != nil {
		t.Fatal(err)
	}
	split := grouped(t, db, centre[2])
	if tc.ID == themeOf(mustThemes(t, p, c), meals[0]).ID {
		t.Fatalf("centre and meals in one theme before the split: %+v", mustThemes(t, p, c))
	}
	apart, err := p.SplitTheme(ctx, c.ID, tc.ID, []int64{split.ID}, "ona")
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		themes := mustThemes(t, p, c)
		tc := themeOf(themes, centre[0])
		if tc == nil || tc.Label != "Senjorų dienos centras" || !tc.Named || themeOf(themes, centre[1]) != tc {
			t.Errorf("%s: centre theme %+v, want staff's label with both letters", when, tc)
		}
		if th := themeOf(themes, centre[2]); th == nil || th.ID != apart {
			t.Errorf("%s: %s in %+v, want the split-off theme %d", when, centre[2], th, apart)
		}
		if a, b := themeOf(themes, meals[0]), themeOf(themes, meals[1]); a == nil || a != b {
			t.Errorf("%s: meal letters in %+v and %+v, want one theme", when, a, b)
		}
	}
	check("after the edits")
	add("1.1", "Dienos centras senjorams ir pietų pristatymas į namus – abu labai reikalingi.")
	if err := p.Regroup(ctx, true); err != nil {
		t.Fatal(err)
	}
	check("after new mail and a regrouping")
	p, _ = newTestPipelineOn(t, db)
	check("after a restart")

	// Refiled under 5: it leaves the 1.1 theme for one of 5.
	if _, err := p.Review(ctx, meals[1], "5", "ona"); err != nil {
		t.Fatal(err)
	}
	if th := themeOf(mustThemes(t, p, c), meals[1]); th == nil || th.Measure != "5" {
		t.Errorf("refiled: in theme %+v, want one of measure 5", th)
	}
	if _, err := db.Withdraw(ctx, centre[1], "spam", "ona"); err != nil {
		t.Fatal(err)
	}
	if th := themeOf(mustThemes(t, p, c), centre[1]); th != nil {
		t.Errorf("withdrawn: still in theme %+v", th)
	}
	// A split of every member, or a merge across measures, is refused
	// as the caller's mistake.
	themes = mustThemes(t, p, c)
	five := themeOf(themes, meals[1])
	if err := p.MergeThemes(ctx, c.ID, themeOf(themes, meals[0]).ID, []int64{five.ID}, "ona"); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("merge across measures: %v, want ErrInvalid", err)
	}
	if _, err := p.SplitTheme(ctx, c.ID, five.ID, []int64{grouped(t, db, meals[1]).ID}, "ona"); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("split of all: %v, want ErrInvalid", err)
	}
	if err := p.RenameTheme(ctx, c.ID, 9999, "x", "ona"); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("rename of no theme: %v, want ErrNotFound", err)
	}
	audit, _ := db.Audit(ctx, "strategija", 0)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action)
	}
	for _, want := range []string{"theme.rename", "theme.move", "theme.merge", "theme.split"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}

func mustThemes(t *testing.T, p *Pipeline, c *ledger.Consultation) []ledger.Theme {
	t.Helper()
	themes, err := p.Themes(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return themes
}

// TestTwoProcesses: a CLI command (another pipeline on the same ledger)
// records and edits while the daemon's pipeline holds the grouping in
// memory; neither overwrites the other.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	daemon, db, c := groupingPipeline(t, nil)
	cli, _ := newTestPipelineOn(t, db)
	first := mailIn(t, daemon, "Ona <ona@example.lt>", "Dienos centras", copyOf(0))
	s, err := cli.AddStaff(ctx, StaffEntry{Consultation: c, Text: copyOf(1), Actor: "jonas"})
	if err != nil {
		t.Fatal(err)
	}
	if g := grouped(t, db, s.Ref); g.Root != grouped(t, db, first).ID {
		t.Errorf("the CLI's copy: root %d, want %s's", g.Root, first)
	}
	th := themeOf(mustThemes(t, cli, c), first)
	if err := cli.RenameTheme(ctx, c.ID, th.ID, "Dienos centras", "jonas"); err != nil {
		t.Fatal(err)
	}
	// The daemon's grouping in memory is older; its next pass reloads.
	third := mailIn(t, daemon, "Rasa <rasa@example.lt>", "Centras", copyOf(2))
	themes := mustThemes(t, daemon, c)
	if got := themeOf(themes, third); got == nil || got.Label != "Dienos centras" || got.Count != 3 {
		t.Errorf("after both wrote: %+v, want the CLI's label and three copies", got)
	}
	if g := grouped(t, db, third); g.Root != grouped(t, db, first).ID {
		t.Errorf("the daemon's copy: root %d, want %s's", g.Root, first)
	}
}

// TestDetach: "not a copy" makes a copy the root of its own group and
// keeps it in its theme as a letter of its own; a root cannot be
// detached.
func TestDetach(t *testing.T) {
	ctx := context.Background()
	p, db, c := groupingPipeline(t, nil)
	first := mailIn(t, p, "Ona <ona@example.lt>", "Dienos centras", copyOf(0))
	second := mailIn(t, p, "Jonas <jonas@example.lt>", "Dienos centras", copyOf(1))
	if err := p.Detach(ctx, second, "ona"); err != nil {
		t.Fatal(err)
	}
	if g := grouped(t, db, second); g.Root != g.ID {
		t.Errorf("detached: root %d, want itself", g.Root)
	}
	th := themeOf(mustThemes(t, p, c), second)
	if th == nil || th.Distinct != th.Count {
		t.Errorf("detached: theme %+v, want every letter distinct", th)
	}
	if err := p.Detach(ctx, first, "ona"); !errors.Is(err, ledger.ErrState) {
		t.Errorf("detach a root: %v, want ErrState", err)
	}
	// Survives a restart, and a third copy still joins the first.
	p, _ = newTestPipelineOn(t, db)
	third := mailIn(t, p, "Rasa <rasa@example.lt>", "Centras", copyOf(2))
	if g := grouped(t, db, second); g.Root != g.ID {
		t.Errorf("after a restart: root %d, want itself", g.Root)
	}
	if g := grouped(t, db, third); g.Root != grouped(t, db, first).ID && g.Root != grouped(t, db, second).ID {
		t.Errorf("third copy: root %d", g.Root)
	}
}

// TestDecideGroup: one decision on a group decides each suggestion that
// counts, each in its own history, and queues one letter per suggestion
// with an address (letters by decision); a withdrawn copy is left out.
func TestDecideGroup(t *testing.T) {
	ctx := context.Background()
	p, db, c := groupingPipeline(t, func(o *Options) { o.Letters = LettersOnDecision })
	var refs []string
	for i := range 4 {
		refs = append(refs, mailIn(t, p, fmt.Sprintf("Gyventojas %d <g%d@example.lt>", i, i), "Dienos centras", copyOf(i)))
	}
	phone, err := p.AddStaff(ctx, StaffEntry{Consultation: c, Text: copyOf(5), Actor: "ona"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Withdraw(ctx, refs[3], "spam", "ona"); err != nil {
		t.Fatal(err)
	}
	got, err := p.DecideGroup(ctx, refs[2], "iš dalies", "Įtraukta į 1.1 priemonę.", "ona")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{refs[0], refs[1], refs[2], phone.Ref}
	if !slices.Equal(got, want) {
		t.Errorf("decided %v, want %v", got, want)
	}
	for _, ref := range want {
		s, err := db.Submission(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if s.Decision != "partly" || len(s.Decisions) != 1 {
			t.Errorf("%s: decision %q (%d in history)", ref, s.Decision, len(s.Decisions))
		}
	}
	if s, _ := db.Submission(ctx, refs[3]); s.Decision != "" {
		t.Errorf("withdrawn %s decided: %q", refs[3], s.Decision)
	}
	// Deciding again changes the decisions but sends no letter twice.
	if _, err := p.DecideGroup(ctx, refs[0], "accepted", "Įtraukta visa.", "ona"); err != nil {
		t.Fatal(err)
	}
	items, err := db.ListOutbox(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	letters := map[int64]int{}
	for _, it := range items {
		if it.Kind == ledger.KindDecision {
			letters[it.SubmissionID]++
		}
	}
	if len(letters) != 3 {
		t.Errorf("letters for %d suggestions, want the 3 with an address: %v", len(letters), letters)
	}
	for id, n := range letters {
		if n != 1 {
			t.Errorf("suggestion #%d: %d letters", id, n)
		}
	}
	if _, err := p.DecideGroup(ctx, refs[0], "accepted", " ", "ona"); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("no reason: %v, want ErrInvalid", err)
	}
}

// TestGroupingLabelledSet runs the labelled set's suggestions through the
// pipeline (staff entries under their labelled measure) and scores the
// near-duplicate groups the ledger ends up with, pair by pair, as
// classify/similar's evaluation does: the wiring must keep its figures.
func TestGroupingLabelledSet(t *testing.T) {
	if testing.Short() {
		t.Skip("314 suggestions")
	}
	ctx := context.Background()
	p, db, c := groupingPipeline(t, nil)
	docs := readLabelled(t)
	dup := map[string]string{}
	for _, d := range docs {
		s, err := p.AddStaff(ctx, StaffEntry{Consultation: c, Text: d.Text, Measure: d.Measure, Actor: "test",
			ReceivedAt: clocktest.At(t, "2026-11-20T11:00:00+02:00").Add(time.Duration(len(dup)) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		dup[s.Ref] = d.Dup
	}
	root := map[string]int64{}
	for ref := range dup {
		root[ref] = grouped(t, db, ref).Root
	}
	var right, wrong, missed int
	refs := make([]string, 0, len(dup))
	for ref := range dup {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	for i, a := range refs {
		for _, b := range refs[i+1:] {
			same := dup[a] != "" && dup[a] == dup[b]
			linked := root[a] == root[b]
			switch {
			case same && linked:
				right++
			case linked:
				wrong++
			case same:
				missed++
			}
		}
	}
	precision := float64(right) / float64(right+wrong)
	recall := float64(right) / float64(right+missed)
	t.Logf("near duplicates through the pipeline, %d suggestions: precision %.3f, recall %.3f (pairs %d right, %d wrong, %d missed)",
		len(refs), precision, recall, right, wrong, missed)
	if precision < 0.98 || recall < 0.95 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.98 and 0.95", precision, recall)
	}
	themes := mustThemes(t, p, c)
	n := 0
	for _, th := range themes {
		n += th.Count
		if strings.TrimSpace(th.Label) == "" {
			t.Errorf("theme %d has no label", th.ID)
		}
	}
	if n != len(refs) {
		t.Errorf("themes hold %d suggestions, want %d", n, len(refs))
	}
}

// labelled is one suggestion of classify/similar's labelled set.
type labelled = similartest.Labelled

// readLabelled reads both halves of classify/similar's labelled set.
func readLabelled(t testing.TB) []labelled {
	t.Helper()
	var out []labelled
	for _, half := range []string{"tune", "sealed"} {
		out = append(out, similartest.Load(t, filepath.Join("..", "classify", "similar", "testdata"), half)...)
	}
	return out
}
