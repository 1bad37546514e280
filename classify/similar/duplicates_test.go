package similar

import (
	"fmt"
	"os"
	"testing"
)

// TestDuplicatesTuning holds near-duplicate detection on the tuning half
// of the labelled set, where its thresholds were chosen, to the issue's
// targets: precision ≥ 0.98 and recall ≥ 0.95 over pairs.
func TestDuplicatesTuning(t *testing.T) {
	checkDuplicates(t, "tune")
}

func checkDuplicates(t *testing.T, half string) {
	set := loadSet(t, half)
	root := findCopies(set, Options{})
	p, r, tp, fp, fn := pairScores(set, root)
	fmt.Fprintf(os.Stdout, "near duplicates, %s half (%d suggestions): precision %.3f recall %.3f (pairs: %d found right, %d wrong, %d missed)\n",
		half, len(set), p, r, tp, fp, fn)
	if p < 0.98 || r < 0.95 {
		for i := range set {
			for j := i + 1; j < len(set); j++ {
				truth := set[i].Dup != "" && set[i].Dup == set[j].Dup
				if pred := root[i] == root[j]; pred != truth {
					jac, con := Sign(set[i].Text).Similarity(Sign(set[j].Text))
					t.Logf("%s %s: labelled %v, found %v (J %.2f, C %.2f; %s / %s)", set[i].ID, set[j].ID, truth, pred, jac, con, set[i].Note, set[j].Note)
				}
			}
		}
		t.Errorf("%s half: precision %.3f, recall %.3f; want ≥ 0.98 and ≥ 0.95", half, p, r)
	}
}

func TestDuplicatesAdd(t *testing.T) {
	const campaign = "Mes, Aleksoto progimnazijos mokiniai, prašome atviros jaunimo erdvės mūsų seniūnijoje. Po pamokų neturime kur susitikti, o kiemuose vakarais nesaugu. Norime vietos su stalo žaidimais, muzika ir jaunimo darbuotoju.\n"
	x := NewDuplicates(Options{})
	steps := []struct {
		name     string
		id       int64
		text     string
		wantRoot int64
	}{
		{"the first of a campaign is its own root", 10, campaign + "Ugnė, 8b", 10},
		{"an unrelated letter is its own root", 11, "Siūlau suvirintojo kursus bedarbiams vyrams.", 11},
		{"a copy with another name joins the first", 12, campaign + "Lukas", 10},
		{"a copy without diacritics and a sentence more joins too", 13, "Mes, Aleksoto progimnazijos mokiniai, prasome atviros jaunimo erdves musu seniunijoje. Po pamoku neturime kur susitikti, o kiemuose vakarais nesaugu. Prekybos centro apsauga mus varo lauk. Norime vietos su stalo zaidimais, muzika ir jaunimo darbuotoju.\nMatas", 10},
		{"adding an id again returns its first answer", 12, "something else entirely", 10},
		{"an empty text is nobody's copy", 14, "", 14},
		{"nor is a second empty text", 15, "  ", 15},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			m, _ := x.Add(s.id, s.text)
			if m.Root != s.wantRoot {
				t.Errorf("Add(%d).Root = %d, want %d (match %+v)", s.id, m.Root, s.wantRoot, m)
			}
			if m.Root != s.id && (m.Nearest == 0 || m.Jaccard <= 0) {
				t.Errorf("a copy's match names no nearest: %+v", m)
			}
		})
	}
	if got := x.Len(); got != 6 {
		t.Errorf("Len = %d, want 6", got)
	}
}

// TestDuplicatesRestore rebuilds an index from stored signatures and
// roots, as the daemon does on start, and checks that it answers new
// suggestions as the original does.
func TestDuplicatesRestore(t *testing.T) {
	set := loadSet(t, "tune")
	half := len(set) / 2
	orig := NewDuplicates(Options{})
	restored := NewDuplicates(Options{})
	for i, l := range set[:half] {
		m, s := orig.Add(int64(i+1), l.Text)
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Signature
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		restored.Restore(int64(i+1), back, m.Root)
	}
	for i, l := range set[half:] {
		id := int64(half + i + 1)
		a, _ := orig.Add(id, l.Text)
		b, _ := restored.Add(id, l.Text)
		if a != b {
			t.Errorf("%s: restored index found %+v, original %+v", l.ID, b, a)
		}
	}
}

// pairScores compares predicted near-duplicate groups with the labelled
// ones over all pairs of suggestions: a pair is positive when both are in
// one group.
func pairScores(set []labelled, root []int64) (precision, recall float64, tp, fp, fn int) {
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			truth := set[i].Dup != "" && set[i].Dup == set[j].Dup
			pred := root[i] == root[j]
			switch {
			case truth && pred:
				tp++
			case pred:
				fp++
			case truth:
				fn++
			}
		}
	}
	precision, recall = 1, 1
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	return precision, recall, tp, fp, fn
}

// findCopies runs a Duplicates over the set in order and returns each
// suggestion's root (ids are 1-based positions).
func findCopies(set []labelled, opt Options) []int64 {
	x := NewDuplicates(opt)
	root := make([]int64, len(set))
	for i, l := range set {
		m, _ := x.Add(int64(i+1), l.Text)
		root[i] = m.Root
	}
	return root
}
