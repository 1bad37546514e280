package main

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/vvgintake/vvgintake/intake/spam"
)

// item is one training example with where it came from.
type item struct {
	doc
	ex       spam.Example
	resident bool
}

// examples weighs the training set: SpamAssassin ham 1 each, a resident
// o.residentW each (they are the side that must not be lost and they
// are few), and spam as much in total as all ham together, so the
// classes are balanced whatever their counts.
func examples(c *corpus, o options) []item {
	var items []item
	hamW := 0.0
	for _, d := range c.saHam {
		items = append(items, item{doc: d, ex: example(d, 1)})
		hamW++
	}
	for _, d := range c.residents {
		items = append(items, item{doc: d, ex: example(d, o.residentW), resident: true})
		hamW += o.residentW
	}
	spamDocs := append(append([]doc(nil), c.saSpam...), c.trainSpam...)
	for _, d := range spamDocs {
		items = append(items, item{doc: d, ex: example(d, hamW/float64(len(spamDocs)))})
	}
	return items
}

func example(d doc, w float64) spam.Example {
	return spam.Example{Subject: d.Fields.Subject, Text: d.Fields.Text, Hints: d.Fields.hints(), Spam: d.Spam, Weight: w}
}

// fold is the cross-validation fold of an id, by hash so that adding a
// message moves no other.
func fold(id string, folds int) int {
	h := fnv.New32a()
	h.Write([]byte("fold:" + id))
	return int(h.Sum32() % uint32(folds))
}

// build cross-validates, calibrates on the out-of-fold margins, trains
// the final model on everything and prints the figures.
func build(c *corpus, o options, w io.Writer, title string) (*spam.Model, error) {
	items := examples(c, o)
	oof := make([]float64, len(items))
	models := make([]*spam.Model, o.folds)
	for f := 0; f < o.folds; f++ {
		var ex []spam.Example
		for _, it := range items {
			if fold(it.ID, o.folds) != f {
				ex = append(ex, it.ex)
			}
		}
		m, err := spam.Train(ex, o.train)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f, err)
		}
		models[f] = m
		for i, it := range items {
			if fold(it.ID, o.folds) == f {
				oof[i] = m.Margin(it.ex.Subject, it.ex.Text, it.ex.Hints)
			}
		}
	}
	cal := platt(items, oof)
	cal.Unsure, cal.Spam = thresholds(items, oof, cal, o.unsureShare)

	all := make([]spam.Example, len(items))
	for i, it := range items {
		all[i] = it.ex
	}
	m, err := spam.Train(all, o.train)
	if err != nil {
		return nil, err
	}
	m = m.WithCalibration(cal)

	fmt.Fprintf(w, "== %s ==\n", title)
	fmt.Fprintf(w, "calibration: A=%.4f B=%.4f; thresholds: unsure ≥ %.4f, spam ≥ %.4f\n", cal.A, cal.B, cal.Unsure, cal.Spam)
	fmt.Fprintf(w, "cross-validated (%d folds, each message scored by the model that did not see it):\n", o.folds)
	bySet := map[string][]spam.Band{}
	var order []string
	var resBands []spam.Band
	for f := range models {
		models[f] = models[f].WithCalibration(cal)
	}
	for _, it := range items {
		v := models[fold(it.ID, o.folds)].Score(it.ex.Subject, it.ex.Text, it.ex.Hints)
		b := v.Band
		if _, ok := bySet[it.Set]; !ok {
			order = append(order, it.Set)
		}
		bySet[it.Set] = append(bySet[it.Set], b)
		if it.resident {
			resBands = append(resBands, b)
			if o.verbose && b != spam.Ham {
				fmt.Fprintf(w, "    resident %s %s (%.3f): %s\n      %v\n", it.ID, b, v.Score, excerpt(it.doc), v.Evidence)
			}
		}
	}
	sort.Strings(order)
	for _, s := range order {
		line(w, "  "+s, bySet[s])
	}
	line(w, "  residents, all sets", resBands)

	fmt.Fprintln(w, "held out (the final model, trained on all of the above):")
	for _, h := range []struct {
		name string
		ds   []doc
	}{
		{"SA spam-2", c.heldSpam},
		{"SA ham, held-out fifth", c.heldHam},
		{"non-English spam (eval only)", c.evalSpam},
	} {
		var bands []spam.Band
		groups := map[string][]spam.Band{}
		for _, d := range h.ds {
			v := m.Score(d.Fields.Subject, d.Fields.Text, d.Fields.hints())
			bands = append(bands, v.Band)
			g := group(d.Fields.ID)
			groups[g] = append(groups[g], v.Band)
			if o.verbose && d.Spam && v.Band == spam.Ham {
				fmt.Fprintf(w, "    acknowledged %s (%.3f): %s\n", d.ID, v.Score, excerpt(d))
			}
		}
		line(w, "  "+h.name, bands)
		if len(groups) > 1 && len(groups) < 10 {
			keys := make([]string, 0, len(groups))
			for g := range groups {
				keys = append(keys, g)
			}
			sort.Strings(keys)
			for _, g := range keys {
				line(w, "    "+g, groups[g])
			}
		}
	}
	return m, nil
}

// group is an id's letters before its number ("ru" of "ru07").
func group(id string) string {
	return strings.TrimRight(id, "0123456789")
}

func excerpt(d doc) string {
	s := strings.Join(strings.Fields(d.Fields.Subject+" | "+d.Fields.Text), " ")
	if len(s) > 110 {
		s = s[:110]
		for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
			s = s[:len(s)-1]
		}
		if len(s) > 0 && s[len(s)-1] >= 0xC0 {
			s = s[:len(s)-1]
		}
	}
	return s
}

// line prints the share of each band.
func line(w io.Writer, name string, bands []spam.Band) {
	var n [3]int
	for _, b := range bands {
		n[b]++
	}
	t := max(len(bands), 1)
	fmt.Fprintf(w, "%-40s %5d  acknowledged %5.1f%%  unsure %5.1f%%  spam %5.1f%%\n",
		name, len(bands), pct(n[spam.Ham], t), pct(n[spam.Unsure], t), pct(n[spam.Spam], t))
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(of) }

func score(c spam.Calibration, margin float64) float64 {
	s, _ := c.Apply(margin)
	return s
}

// platt fits Score = σ(A·margin + B) to the out-of-fold margins by
// Newton's method on the weighted log loss (Platt 1999, with his
// smoothed targets so that a separable set does not drive A to infinity).
func platt(items []item, margins []float64) spam.Calibration {
	var nPos, nNeg float64
	for _, it := range items {
		if it.ex.Spam {
			nPos += it.ex.Weight
		} else {
			nNeg += it.ex.Weight
		}
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	norm := float64(len(items)) / (nPos + nNeg) // mean weight 1
	loss := func(a, b float64) (l, gA, gB, hAA, hAB, hBB float64) {
		for i, it := range items {
			t := lo
			if it.ex.Spam {
				t = hi
			}
			z := a*margins[i] + b
			p := 1 / (1 + math.Exp(-z))
			wt := it.ex.Weight * norm
			// log(1+e^z) - t·z, computed without overflow.
			l += wt * (max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - t*z)
			d := wt * (p - t)
			gA += d * margins[i]
			gB += d
			s := wt * max(p*(1-p), 1e-12)
			hAA += s * margins[i] * margins[i]
			hAB += s * margins[i]
			hBB += s
		}
		return
	}
	a, b := 1.0, 0.0
	for iter := 0; iter < 100; iter++ {
		l, gA, gB, hAA, hAB, hBB := loss(a, b)
		hAA += 1e-9
		hBB += 1e-9
		det := hAA*hBB - hAB*hAB
		da := (hBB*gA - hAB*gB) / det
		db := (hAA*gB - hAB*gA) / det
		// Halve the Newton step until the loss goes down.
		step := 1.0
		for ; step > 1e-6; step /= 2 {
			if nl, _, _, _, _, _ := loss(a-step*da, b-step*db); nl <= l {
				break
			}
		}
		a -= step * da
		b -= step * db
		if math.Abs(step*da) < 1e-9 && math.Abs(step*db) < 1e-9 {
			break
		}
	}
	return spam.Calibration{A: a, B: b}
}

// thresholds picks the bands from the residents' out-of-fold scores, the
// asymmetric way: Spam starts clearly above every resident (one unit of
// log-odds above the highest, and never below 0.9), and Unsure just above
// all but the top share of residents (never below 0.5), so at most that
// share of residents would have gone unacknowledged.
func thresholds(items []item, margins []float64, cal spam.Calibration, share float64) (unsure, spamT float64) {
	var res []float64
	for i, it := range items {
		if it.resident {
			res = append(res, margins[i])
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(res)))
	spamT = min(max(0.9, score(cal, res[0]+1/cal.A)), 0.999)
	allowed := int(share * float64(len(res)))
	unsure = max(0.5, math.Nextafter(score(cal, res[min(allowed, len(res)-1)]), 1))
	return min(unsure, spamT), spamT
}
