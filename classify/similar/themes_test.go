package similar

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// Suggestions about two ideas under measure 1.1, one under 5.
var (
	dayCentre = []string{
		"Siūlau įkurti dienos centrą senjorams Aleksote, kad vieniši senjorai turėtų kur susitikti.",
		"Reikia senjorų dienos centro su mankšta ir pokalbiais, vienišiems senjorams trūksta bendravimo.",
		"Dienos centras senjorams būtų labai reikalingas: senjorai galėtų ateiti kasdien.",
	}
	camp = []string{
		"Siūlau nemokamas vasaros stovyklas vaikams iš nepasiturinčių šeimų.",
		"Vasaros stovykla vaikams iš mažas pajamas gaunančių šeimų, su maitinimu ir žaidimais.",
		"Vaikams reikia vasaros stovyklų, ypač tiems, kurių šeimos negali sumokėti.",
	}
	volunteers = "Siūlau savanorių centrą, kuris koordinuotų savanorius ir jų mokymus."
)

func TestThemesAdd(t *testing.T) {
	th := NewThemes(Options{})
	centre := th.Add(Doc{ID: 1, Measure: "1.1", Text: dayCentre[0]})
	campID := th.Add(Doc{ID: 2, Measure: "1.1", Text: camp[0]})
	for _, c := range []struct {
		name string
		doc  Doc
		want int64 // 0: a new theme
	}{
		{"same idea joins", Doc{ID: 3, Measure: "1.1", Text: dayCentre[1]}, centre},
		{"other idea joins its own", Doc{ID: 4, Measure: "1.1", Text: camp[1]}, campID},
		{"a copy joins its root's theme whatever it says", Doc{ID: 5, Measure: "1.1", Text: "Pritariu.", Root: 2}, campID},
		{"another measure never joins", Doc{ID: 6, Measure: "5", Text: dayCentre[2]}, 0},
		{"adding again changes nothing", Doc{ID: 3, Measure: "1.1", Text: camp[2]}, centre},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := th.Add(c.doc)
			if c.want == 0 && (got == centre || got == campID) || c.want != 0 && got != c.want {
				t.Errorf("Add(%d) = theme %d, want %d (0: new)", c.doc.ID, got, c.want)
			}
		})
	}
	t.Run("reclassified moves to the new measure", func(t *testing.T) {
		got := th.Add(Doc{ID: 3, Measure: "5", Text: dayCentre[1]})
		v, _ := th.Theme(got)
		if v.Measure != "5" {
			t.Errorf("theme %d measure %q, want 5", got, v.Measure)
		}
		if c, _ := th.Theme(centre); slices.Contains(c.Members, 3) {
			t.Errorf("suggestion 3 still in its old theme: %v", c.Members)
		}
	})
	t.Run("counts include copies", func(t *testing.T) {
		v, _ := th.Theme(campID)
		if v.Count != 3 || v.Distinct != 2 || !reflect.DeepEqual(v.Members, []int64{2, 4, 5}) {
			t.Errorf("camp theme = %+v, want members 2,4,5, 2 distinct", v)
		}
	})
	t.Run("removing a root keeps its copy", func(t *testing.T) {
		th.Remove(2)
		if got, ok := th.ThemeOf(5); !ok || got != campID {
			t.Errorf("copy 5 in theme %d (%v), want %d", got, ok, campID)
		}
		if v, _ := th.Theme(campID); v.Distinct != 2 {
			t.Errorf("camp theme distinct = %d, want 2 (the copy is a letter now)", v.Distinct)
		}
	})
}

// seed fills a Themes with the day-centre and camp ideas and a volunteer
// one, reclustered, and returns the themes of the first two.
func seed(t *testing.T) (th *Themes, centre, campID int64) {
	t.Helper()
	th = NewThemes(Options{})
	for i, s := range dayCentre {
		th.Add(Doc{ID: int64(1 + i), Measure: "1.1", Text: s})
	}
	for i, s := range camp {
		th.Add(Doc{ID: int64(10 + i), Measure: "1.1", Text: s})
	}
	th.Add(Doc{ID: 20, Measure: "5", Text: volunteers})
	th.Recluster()
	centre, _ = th.ThemeOf(1)
	campID, _ = th.ThemeOf(10)
	for _, id := range []int64{2, 3} {
		if got, _ := th.ThemeOf(id); got != centre {
			t.Fatalf("seed: suggestion %d in theme %d, want %d", id, got, centre)
		}
	}
	for _, id := range []int64{11, 12} {
		if got, _ := th.ThemeOf(id); got != campID {
			t.Fatalf("seed: suggestion %d in theme %d, want %d", id, got, campID)
		}
	}
	return th, centre, campID
}

// TestStaffEditsStick makes each staff edit, then lets new mail arrive and
// regroups, and checks that the edit holds.
func TestStaffEditsStick(t *testing.T) {
	newMail := func(th *Themes) {
		th.Add(Doc{ID: 30, Measure: "1.1", Text: "Senjorams reikia dienos centro, kur galėtų susitikti."})
		th.Add(Doc{ID: 31, Measure: "1.1", Text: "Vasaros stovyklos vaikams iš nepasiturinčių šeimų."})
		th.Recluster()
	}
	t.Run("rename", func(t *testing.T) {
		th, centre, _ := seed(t)
		if err := th.Rename(centre, "  Senjorų   dienos centras "); err != nil {
			t.Fatal(err)
		}
		newMail(th)
		v, ok := th.Theme(centre)
		if !ok || v.Label != "Senjorų dienos centras" || !v.Named || !v.Kept {
			t.Errorf("renamed theme = %+v, %v", v, ok)
		}
		if got, _ := th.ThemeOf(30); got != centre {
			t.Errorf("new day-centre mail went to %d, want the renamed %d", got, centre)
		}
		if err := th.Rename(centre, ""); err != nil {
			t.Fatal(err)
		}
		if v, _ := th.Theme(centre); v.Named || v.Label == "" {
			t.Errorf("after clearing the name: %+v, want the computed label", v)
		}
	})
	t.Run("merge", func(t *testing.T) {
		th, centre, campID := seed(t)
		if err := th.Merge(centre, campID); err != nil {
			t.Fatal(err)
		}
		newMail(th)
		for _, id := range []int64{1, 2, 3, 10, 11, 12} {
			if got, _ := th.ThemeOf(id); got != centre {
				t.Errorf("suggestion %d in theme %d after merge and regrouping, want %d", id, got, centre)
			}
		}
		if _, ok := th.Theme(campID); ok {
			t.Errorf("merged-away theme %d still listed", campID)
		}
	})
	t.Run("split", func(t *testing.T) {
		th, centre, _ := seed(t)
		apart, err := th.Split(centre, []int64{3})
		if err != nil {
			t.Fatal(err)
		}
		newMail(th)
		if got, _ := th.ThemeOf(3); got != apart {
			t.Errorf("split-off suggestion 3 in theme %d, want %d", got, apart)
		}
		for _, id := range []int64{1, 2} {
			if got, _ := th.ThemeOf(id); got != centre {
				t.Errorf("suggestion %d in theme %d, want it left in %d", id, got, centre)
			}
		}
	})
	t.Run("move", func(t *testing.T) {
		th, centre, campID := seed(t)
		if _, err := th.Move(10, centre); err != nil {
			t.Fatal(err)
		}
		own, err := th.Move(2, 0)
		if err != nil {
			t.Fatal(err)
		}
		newMail(th)
		if got, _ := th.ThemeOf(10); got != centre {
			t.Errorf("moved suggestion 10 in theme %d, want %d", got, centre)
		}
		if got, _ := th.ThemeOf(2); got != own || own == centre || own == campID {
			t.Errorf("suggestion 2 in theme %d, want its own %d", got, own)
		}
	})
	t.Run("a copy moved alone leaves its root", func(t *testing.T) {
		th, centre, campID := seed(t)
		th.Add(Doc{ID: 40, Measure: "1.1", Text: camp[0], Root: 10})
		if got, _ := th.ThemeOf(40); got != campID {
			t.Fatalf("copy 40 in theme %d, want its root's %d", got, campID)
		}
		if _, err := th.Move(40, centre); err != nil {
			t.Fatal(err)
		}
		newMail(th)
		if got, _ := th.ThemeOf(40); got != centre {
			t.Errorf("moved copy 40 in theme %d, want %d", got, centre)
		}
	})
	t.Run("a root moved takes its copies", func(t *testing.T) {
		th, centre, _ := seed(t)
		th.Add(Doc{ID: 40, Measure: "1.1", Text: camp[0], Root: 10})
		if _, err := th.Move(10, centre); err != nil {
			t.Fatal(err)
		}
		newMail(th)
		if got, _ := th.ThemeOf(40); got != centre {
			t.Errorf("copy 40 in theme %d, want its root's new theme %d", got, centre)
		}
	})
}

func TestDetach(t *testing.T) {
	th, _, campID := seed(t)
	th.Add(Doc{ID: 40, Measure: "1.1", Text: dayCentre[0], Root: 10})
	if v, _ := th.Theme(campID); v.Distinct != 3 || v.Count != 4 {
		t.Fatalf("before: %+v, want 4 suggestions, 3 distinct", v)
	}
	if err := th.Detach(40); err != nil {
		t.Fatal(err)
	}
	if v, _ := th.Theme(campID); v.Distinct != 4 {
		t.Errorf("after Detach: %d distinct, want 4 (it is a letter of its own)", v.Distinct)
	}
	th.Recluster()
	centre, _ := th.ThemeOf(1)
	if got, _ := th.ThemeOf(40); got != centre {
		t.Errorf("detached day-centre text in theme %d after regrouping, want %d with its idea", got, centre)
	}
	if err := th.Detach(999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Detach(999) = %v, want ErrNotFound", err)
	}
}

func TestStaffEditErrors(t *testing.T) {
	th, centre, campID := seed(t)
	vol, _ := th.ThemeOf(20)
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"rename unknown", th.Rename(999, "x"), ErrNotFound},
		{"merge unknown", th.Merge(centre, 999), ErrNotFound},
		{"merge across measures", th.Merge(centre, vol), ErrMeasure},
		{"split unknown member", func() error { _, err := th.Split(centre, []int64{10}); return err }(), ErrNotFound},
		{"split all", func() error { _, err := th.Split(centre, []int64{1, 2, 3}); return err }(), ErrSplit},
		{"split none", func() error { _, err := th.Split(campID, nil); return err }(), ErrSplit},
		{"move unknown", func() error { _, err := th.Move(999, centre); return err }(), ErrNotFound},
		{"move across measures", func() error { _, err := th.Move(20, centre); return err }(), ErrMeasure},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, c.want) {
				t.Errorf("err = %v, want %v", c.err, c.want)
			}
		})
	}
}

// TestStateRoundTrip stores a state with staff edits, loads it with the
// texts, and checks that nothing changed and that new mail lands alike.
func TestStateRoundTrip(t *testing.T) {
	set := loadSet(t, "tune")
	root := findCopies(set, Options{})
	docs := make([]Doc, len(set))
	for i, l := range set {
		docs[i] = Doc{ID: int64(i + 1), Measure: l.Measure, Text: l.Text, Root: root[i]}
	}
	half := len(docs) / 2
	orig := NewThemes(Options{})
	for _, d := range docs[:half] {
		orig.Add(d)
	}
	orig.Recluster()
	list := orig.List("1.1")
	if err := orig.Rename(list[0].ID, "Pirmoji tema"); err != nil {
		t.Fatal(err)
	}
	if _, err := orig.Move(list[1].Members[0], 0); err != nil {
		t.Fatal(err)
	}
	st := orig.State()
	loaded, err := Load(st, docs[:half], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := loaded.State(); !reflect.DeepEqual(got, st) {
		t.Errorf("state after Load differs:\n got %+v\nwant %+v", got, st)
	}
	if got, want := loaded.List(""), orig.List(""); !reflect.DeepEqual(got, want) {
		t.Errorf("themes after Load differ:\n got %+v\nwant %+v", got, want)
	}
	for _, d := range docs[half:] {
		if a, b := orig.Add(d), loaded.Add(d); a != b {
			t.Errorf("suggestion %d: theme %d after Load, %d before", d.ID, b, a)
		}
	}
	orig.Recluster()
	loaded.Recluster()
	if got, want := loaded.State(), orig.State(); !reflect.DeepEqual(got, want) {
		t.Errorf("regrouped state after Load differs")
	}
}

func TestLoadRejects(t *testing.T) {
	docs := []Doc{{ID: 1, Measure: "1.1", Text: dayCentre[0]}}
	good := State{Version: StateVersion, Next: 2, Themes: []ThemeState{{ID: 1, Measure: "1.1"}}, Members: []Member{{Doc: 1, Theme: 1}}}
	for _, c := range []struct {
		name string
		edit func(*State)
	}{
		{"another version", func(s *State) { s.Version = 99 }},
		{"unknown theme", func(s *State) { s.Members[0].Theme = 7 }},
		{"theme of another measure", func(s *State) { s.Themes[0].Measure = "5" }},
		{"member without its text", func(s *State) { s.Members = append(s.Members, Member{Doc: 2, Theme: 1}) }},
		{"theme id not below next", func(s *State) { s.Next = 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := good
			st.Themes = slices.Clone(good.Themes)
			st.Members = slices.Clone(good.Members)
			c.edit(&st)
			if _, err := Load(st, docs, Options{}); !errors.Is(err, ErrState) {
				t.Errorf("err = %v, want ErrState", err)
			}
		})
	}
	if _, err := Load(good, docs, Options{}); err != nil {
		t.Errorf("good state: %v", err)
	}
}

// TestReclusterStable regroups twice: the second changes nothing, ids
// included.
func TestReclusterStable(t *testing.T) {
	set := loadSet(t, "tune")
	_, th := groupThemes(set, labelledMeasures(set), Options{}, true)
	before := th.State()
	th.Recluster()
	if after := th.State(); !reflect.DeepEqual(after, before) {
		t.Errorf("a second Recluster changed the state")
	}
}
