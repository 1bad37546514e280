package similar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/classify"
)

// ari is the adjusted Rand index of two partitions of the same items
// (Hubert and Arabie 1985): 1 for identical partitions, about 0 for a
// random one against the truth.
func ari(truth, pred []string) float64 {
	type cell struct{ a, b string }
	n := len(truth)
	cells, rows, cols := map[cell]int{}, map[string]int{}, map[string]int{}
	for i := range truth {
		cells[cell{truth[i], pred[i]}]++
		rows[truth[i]]++
		cols[pred[i]]++
	}
	c2 := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	var index, sa, sb float64
	for _, k := range cells {
		index += c2(k)
	}
	for _, k := range rows {
		sa += c2(k)
	}
	for _, k := range cols {
		sb += c2(k)
	}
	expected := sa * sb / c2(n)
	top := (sa + sb) / 2
	if top == expected {
		return 1
	}
	return (index - expected) / (top - expected)
}

// truthThemes returns the labelled theme of each suggestion; themes are
// labelled within a measure, so the measure is part of the key.
func truthThemes(set []labelled) []string {
	out := make([]string, len(set))
	for i, l := range set {
		out[i] = l.Measure + "/" + l.Theme
	}
	return out
}

// groupThemes files the set in order under the given measures (the
// labelled ones or the classifier's) with near-duplicate roots, then, if
// recluster, regroups once; it returns each suggestion's theme.
func groupThemes(set []labelled, measures []string, opt Options, recluster bool) ([]string, *Themes) {
	root := findCopies(set, Options{})
	th := NewThemes(opt)
	for i, l := range set {
		th.Add(Doc{ID: int64(i + 1), Measure: measures[i], Text: l.Text, Root: root[i]})
	}
	if recluster {
		th.Recluster()
	}
	out := make([]string, len(set))
	for i := range set {
		id, _ := th.ThemeOf(int64(i + 1))
		out[i] = strconv.FormatInt(id, 10)
	}
	return out, th
}

// labelledMeasures returns each suggestion's labelled measure.
func labelledMeasures(set []labelled) []string {
	out := make([]string, len(set))
	for i, l := range set {
		out[i] = l.Measure
	}
	return out
}

// classifiedMeasures returns the shipped classifier's top measure of each.
func classifiedMeasures(t testing.TB, set []labelled) []string {
	t.Helper()
	ms := measures(t)
	ex, err := classify.ShippedExamples("aleksotas")
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.Train(ms, ex, classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(set))
	for i, l := range set {
		out[i] = m.Classify(l.Text).Label
	}
	return out
}

// measures returns the Aleksotas VVG's measures with their keywords.
func measures(t testing.TB) []classify.Measure {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "aleksotas_measures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ms []classify.Measure
	if err := json.Unmarshal(b, &ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

// keywordBaseline is what staff could do in a spreadsheet: within the
// measure, put together the suggestions that mention the same keyword of
// that measure (the strategy's own list, stemmed and folded as here). A
// suggestion mentioning several goes under the one most suggestions of
// the measure mention (rarest, when rarest is set); one mentioning none
// stays alone.
func keywordBaseline(t testing.TB, set []labelled, measure []string, rarest bool) []string {
	t.Helper()
	kw := map[string][]string{}
	for _, m := range measures(t) {
		for _, k := range m.Keywords {
			kw[m.Code] = append(kw[m.Code], stemKey(k))
		}
	}
	found := make([][]string, len(set))
	freq := map[string]int{}
	for i, l := range set {
		words := " " + stemKey(l.Text) + " "
		for _, k := range kw[measure[i]] {
			if k != "" && strings.Contains(words, " "+k+" ") && !slices.Contains(found[i], k) {
				found[i] = append(found[i], k)
				freq[measure[i]+"/"+k]++
			}
		}
	}
	out := make([]string, len(set))
	for i := range set {
		best, bestN := "", 0
		for _, k := range found[i] {
			n := freq[measure[i]+"/"+k]
			if best == "" || !rarest && n > bestN || rarest && n < bestN {
				best, bestN = k, n
			}
		}
		if best == "" {
			out[i] = "alone/" + strconv.Itoa(i)
		} else {
			out[i] = measure[i] + "/" + best
		}
	}
	return out
}

// stemKey returns s as its words' folded stems joined by spaces.
func stemKey(s string) string {
	var b []string
	for _, w := range splitWords(s) {
		b = append(b, w.stem)
	}
	return strings.Join(b, " ")
}

// measureOnly is the partition by measure alone.
func measureOnly(measure []string) []string { return slices.Clone(measure) }

// distinct returns the positions of the suggestions that are not a later
// copy in a labelled near-duplicate group: the letters residents wrote.
// Theme figures over these alone are not lifted by campaigns, whose
// copies every method groups.
func distinct(set []labelled) []int {
	seen := map[string]bool{}
	var out []int
	for i, l := range set {
		if l.Dup != "" {
			if seen[l.Dup] {
				continue
			}
			seen[l.Dup] = true
		}
		out = append(out, i)
	}
	return out
}

// pick returns the elements of xs at positions idx.
func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = xs[i]
	}
	return out
}
