package classify

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// bruteNear is near's answer found the slow way: every example's vector
// rebuilt from the index, its cosine with the text's (all its words, no
// budget), and the k best by sorting.
func bruteNear(m *Model, sc *scratch, k int) []float64 {
	ix := m.near
	q := map[int32]float64{}
	for i, r := range sc.s.rows {
		if nearKind(sc.s.kinds[i]) {
			q[r] = float64(nearWeight(sc.s.vals[i], m.vocab.idf[r]))
		}
	}
	sims := make([]float64, len(ix.label))
	for r := int32(0); r+1 < int32(len(ix.start)); r++ {
		for _, p := range ix.post[ix.start[r]:ix.start[r+1]] {
			sims[p.d] += q[r] * float64(p.w)
		}
	}
	order := make([]int, len(sims))
	for d := range order {
		order[d] = d
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case sims[a] > sims[b]:
			return -1
		case sims[a] < sims[b]:
			return 1
		}
		return 0
	})
	share := make([]float64, len(m.labels))
	var sum float64
	for _, d := range order[:k] {
		share[ix.label[d]] += sims[d]
		sum += sims[d]
	}
	for j := range share {
		share[j] /= sum
	}
	return share
}

// TestNearMatchesBruteForce checks the index's search against the slow
// way on unseen texts: with a budget that reads everything, the same
// shares per label; with the product's budget, no more postings read
// than it allows, the rarest words first.
func TestNearMatchesBruteForce(t *testing.T) {
	m, _ := shippedModel(t)
	if m.near == nil {
		t.Fatal("the shipped model has no neighbour index")
	}
	texts := loadExamples(t, filepath.Join("testdata", "sealed22.jsonl"))[:60]
	for _, e := range texts {
		sc := m.features(e.Text)
		want := bruteNear(m, sc, m.h.nearK)
		if !m.near.near(sc, m.vocab, len(m.labels), m.h.nearK, math.MaxInt) {
			t.Fatalf("%s: near found no example sharing a word", e.ID)
		}
		for j := range want {
			if math.Abs(sc.near[j]-want[j]) > 1e-4 {
				t.Errorf("%s: label %s share %.5f, brute force %.5f", e.ID, m.labels[j], sc.near[j], want[j])
			}
		}
		m.near.near(sc, m.vocab, len(m.labels), m.h.nearK, m.h.nearBudget)
		// The words in the order near read them, and how many postings
		// it read: a first run of them, the rarest, within the budget
		// unless the rarest alone is over it.
		lens := make([]int, len(sc.nterms))
		for j, term := range sc.nterms {
			r := sc.s.rows[term.i]
			lens[j] = int(m.near.start[r+1] - m.near.start[r])
			if j > 0 && lens[j-1] > lens[j] {
				t.Errorf("%s: a word with %d postings comes before one with %d", e.ID, lens[j-1], lens[j])
			}
		}
		read, n := 0, 0
		for n < len(lens) && read < sc.nread {
			read += lens[n]
			n++
		}
		switch {
		case read != sc.nread:
			t.Errorf("%s: %d postings read, not the first words' lists whole", e.ID, sc.nread)
		case sc.nread > m.h.nearBudget && n > 1:
			t.Errorf("%s: %d postings read, budget %d", e.ID, sc.nread, m.h.nearBudget)
		case n < len(lens) && read+lens[n] <= m.h.nearBudget:
			t.Errorf("%s: stopped at %d postings with a word of %d still within the budget %d", e.ID, read, lens[n], m.h.nearBudget)
		case n == len(lens) && len(lens) > 0 && read == 0:
			t.Errorf("%s: no postings read", e.ID)
		}
		m.pool.Put(sc)
	}
}

// TestNeighboursFlag checks that the nearest examples send to review
// results the confidence alone lets through, and only those whose
// nearest examples mostly carry another label.
func TestNeighboursFlag(t *testing.T) {
	m, _ := shippedModel(t)
	without := &Model{labels: m.labels, other: m.other, opt: m.opt, h: m.h, vocab: m.vocab, words: m.words,
		comps: m.comps, weights: m.weights, packed: m.packed, gate: m.gate, staff: m.staff}
	texts := loadExamples(t, filepath.Join("testdata", "sealed22.jsonl"))
	byNeighbours := 0
	for _, e := range texts {
		r := m.Classify(e.Text)
		w := without.Classify(e.Text)
		if r.Label != w.Label || r.Confidence != w.Confidence {
			t.Fatalf("%s: the index changed the answer: %+v, without %+v", e.ID, r, w)
		}
		if !r.NeedsReview || w.NeedsReview {
			continue
		}
		byNeighbours++
		if r.Confidence >= m.h.nearBelow {
			t.Errorf("%s: flagged by its neighbours at confidence %.4f, over %.3f", e.ID, r.Confidence, m.h.nearBelow)
		}
		p, _ := m.classify(e.Text, true)
		if share := p.near[r.Label]; share >= m.h.nearAgree {
			t.Errorf("%s: flagged, but %.2f of its neighbours' similarity is on %s", e.ID, share, r.Label)
		}
	}
	if byNeighbours == 0 {
		t.Error("no result of 320 was flagged by its neighbours alone")
	}
	t.Logf("%d of %d flagged by their neighbours alone", byNeighbours, len(texts))
}

// TestNeighboursNeedExamples checks that a model with few examples of a
// label asks no neighbours: their nearest would be the common labels'.
func TestNeighboursNeedExamples(t *testing.T) {
	ms, shipped, _ := aleksotas(t)
	per := map[string]int{}
	var few []Example
	for _, e := range shipped {
		if per[e.Label] < 9 {
			per[e.Label]++
			few = append(few, e)
		}
	}
	m, err := Train(ms, few, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.near != nil {
		t.Error("9 examples a label: the model has a neighbour index, want none")
	}
	if l, _ := m.Nearest("Reikia kompiuterinio raštingumo kursų senjorams."); l != "" {
		t.Errorf("9 examples a label: Nearest = %q, want none", l)
	}
	for _, e := range shipped {
		if per[e.Label] < 12 {
			per[e.Label]++
			few = append(few, e)
		}
	}
	if m, err = Train(ms, few, Options{}); err != nil {
		t.Fatal(err)
	}
	if m.near == nil {
		t.Fatal("12 examples a label: no neighbour index, want one")
	}
	if l, share := m.Nearest("Reikia kompiuterinio raštingumo kursų senjorams."); l == "" || share <= 0 || share > 1 {
		t.Errorf("12 examples a label: Nearest = %q, %.2f, want a label and a share", l, share)
	}
	if l, _ := m.Nearest("  "); l != "" {
		t.Errorf("Nearest of a blank text = %q, want none", l)
	}
}

// TestDecidedTexts checks that a text staff decided, as a correction the
// model was trained with or a decision learned since, is known as such,
// however it is spaced or capitalised, and that other texts are not.
func TestDecidedTexts(t *testing.T) {
	ms, shipped, _ := aleksotas(t)
	c, _ := shippedClassifier(t)
	text, _, want := correction(c)
	other := "Siūlau daugiau dėmesio skirti jaunimo užimtumui vasarą."
	m, err := train(ms, shipped[:2000], []Example{{ID: "c1", Text: text, Label: want}}, shippedOptions().withDefaults(), defaultHyper())
	if err != nil {
		t.Fatal(err)
	}
	ad := newAdapter(len(m.labels))
	ad.learn(m, other, 0, true)
	for _, tc := range []struct {
		text     string
		ad       *adapter
		want     bool
		decision string
	}{
		{text, nil, true, "the correction trained with"},
		{"  " + strings.ToUpper(text) + "\n", nil, true, "the correction, spaced and capitalised"},
		{other, nil, false, "a text nobody decided, no adapter"},
		{other, ad, true, "the decision learned"},
		{"Reikia daugiau renginių senjorams.", ad, false, "a text nobody decided"},
	} {
		sc := m.features(tc.text)
		if got := m.decided(&sc.s, tc.ad); got != tc.want {
			t.Errorf("%s: decided = %v, want %v", tc.decision, got, tc.want)
		}
		m.pool.Put(sc)
	}
}
