package main

import (
	"encoding/json"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/classify"
)

// classifyFields is the output contract of `vvgintake classify`.
var classifyFields = []string{"id", "label", "confidence", "secondary", "secondary_confidence", "close", "evidence", "needs_review"}

// decodeClassify decodes the JSON lines `classify` wrote, checking each
// has exactly the contract's fields.
func decodeClassify(t *testing.T, out string) []map[string]any {
	t.Helper()
	recs := jsonLines[map[string]any](t, "classify output", out)
	want := slices.Sorted(slices.Values(classifyFields))
	for _, r := range recs {
		if keys := slices.Sorted(maps.Keys(r)); !slices.Equal(keys, want) {
			t.Errorf("classify output %v: fields %v, want %v", r, keys, want)
		}
	}
	return recs
}

// TestE2EClassify feeds the development set through `vvgintake classify`
// (one line out per line in, in order, with the contract's fields and
// configured labels), runs `classify eval`, and checks the edges: empty
// text, 1 MB of text, English.
func TestE2EClassify(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	dev, err := os.ReadFile("../../classify/testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(string(dev)), "\n") {
		var in struct{ ID string }
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, in.ID)
	}
	def, err := c.config().StrategyFor("")
	if err != nil {
		t.Fatal(err)
	}
	codes := def.MeasureCodes()

	r := c.runIn(string(dev), "classify")
	if r.code != exitOK {
		t.Fatalf("classify dev.jsonl: exit %d: %s", r.code, r.stderr)
	}
	recs := decodeClassify(t, r.stdout)
	if len(recs) != len(ids) {
		t.Fatalf("classify dev.jsonl: got %d lines, want %d", len(recs), len(ids))
	}
	for i, rec := range recs {
		if rec["id"] != ids[i] {
			t.Errorf("line %d: id %v, want %s (same order as the input)", i+1, rec["id"], ids[i])
		}
		label, _ := rec["label"].(string)
		conf, _ := rec["confidence"].(float64)
		sec, _ := rec["secondary"].(string)
		secConf, _ := rec["secondary_confidence"].(float64)
		if !slices.Contains(codes, label) || !slices.Contains(codes, sec) || sec == label || conf < 0 || conf > 1 || secConf < 0 || secConf > conf {
			t.Errorf("line %d: got label %q secondary %q confidence %v, %v; want two different configured codes, 0 ≤ second ≤ first ≤ 1",
				i+1, label, sec, conf, secConf)
		}
		if _, ok := rec["close"].(bool); !ok {
			t.Errorf("line %d: close %v, want a boolean", i+1, rec["close"])
		}
		if _, ok := rec["evidence"].([]any); !ok {
			t.Errorf("line %d: evidence %v, want an array", i+1, rec["evidence"])
		}
		if _, ok := rec["needs_review"].(bool); !ok {
			t.Errorf("line %d: needs_review %v, want a boolean", i+1, rec["needs_review"])
		}
	}

	eval := c.ok("classify", "eval", "../../classify/testdata/dev.jsonl")
	m := regexp.MustCompile(`examples (\d+)\s+accuracy ([0-9.]+)\s+macro-F1 ([0-9.]+)`).FindStringSubmatch(eval)
	if m == nil || m[1] != "160" {
		t.Errorf("classify eval: want examples 160, accuracy and macro-F1:\n%s", eval)
	}
	if !strings.Contains(eval, "confusion (rows: true, columns: predicted)") {
		t.Errorf("classify eval: no confusion matrix:\n%s", eval)
	}
	for _, code := range codes {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(code) + `\s+\d+(\s+\d+){7}$`).MatchString(eval) {
			t.Errorf("classify eval: confusion matrix has no row for %s:\n%s", code, eval)
		}
	}

	big := strings.Repeat("Siūlome organizuoti kompiuterinio raštingumo kursus bedarbiams. ", 1<<20/64)
	// An English proposal is filed like any other: sent for review by its
	// confidence alone, not for being English.
	edges := []struct {
		name, text, label string
		review            bool
		byConfidence      bool
	}{
		{"empty", "", "other", true, false},
		{"1 MB", big, "2.1", false, false},
		{"English", "I propose free computer literacy courses for unemployed people in Aleksotas.", "2.1", false, true},
	}
	var in strings.Builder
	for _, e := range edges {
		b, _ := json.Marshal(map[string]string{"id": e.name, "text": e.text})
		in.Write(append(b, '\n'))
	}
	// A number as id comes back as its text; a blank line is skipped.
	in.WriteString("\n{\"id\":7,\"text\":\"Savanorių mokymai\"}\r\n")
	r = c.runIn(in.String(), "classify")
	if r.code != exitOK {
		t.Fatalf("classify edges: exit %d: %s", r.code, r.stderr)
	}
	recs = decodeClassify(t, r.stdout)
	if len(recs) != len(edges)+1 {
		t.Fatalf("classify edges: got %d lines, want %d", len(recs), len(edges)+1)
	}
	if rec := recs[len(edges)]; rec["id"] != "7" || rec["label"] != "5" {
		t.Errorf("numeric id: got %v, want id \"7\", label 5", rec)
	}
	for i, e := range edges {
		rec := recs[i]
		if e.byConfidence {
			conf, _ := rec["confidence"].(float64)
			e.review = conf < classify.DefaultReviewThreshold
		}
		if rec["id"] != e.name || rec["label"] != e.label || rec["needs_review"] != e.review {
			t.Errorf("%s: got %v, want label %s, needs_review %v", e.name, rec, e.label, e.review)
		}
	}
	if rec := recs[0]; rec["confidence"] != 0.0 || len(rec["evidence"].([]any)) != 0 {
		t.Errorf("empty text: got %v, want confidence 0 and no evidence", rec)
	}
}

// TestE2EClassifyReplay: `classify eval` shows the calibration, and
// `classify eval --replay SLUG` plays a consultation's staff decisions
// into the model in the order they were taken.
func TestE2EClassifyReplay(t *testing.T) {
	t.Parallel()
	c := newE2ECLI(t)
	eval := c.ok("classify", "eval", "../../classify/testdata/dev.jsonl")
	if !regexp.MustCompile(`expected calibration error 0\.\d{3}`).MatchString(eval) || !strings.Contains(eval, "mean conf") {
		t.Errorf("classify eval: no calibration (ECE and reliability diagram):\n%s", eval)
	}
	if r := c.run("classify", "eval", "--replay", "strategija-2026"); r.code != exitRuntime || !strings.Contains(r.stderr, "no staff decisions") {
		t.Errorf("replay without decisions: exit %d, %q; want 1 and a clear message", r.code, r.stderr)
	}
	texts := map[string]string{
		"Norėčiau daugiau veiklos.":                         "4",
		"Siūlau savanorių talkas senjorų kiemuose.":         "5",
		"Trūksta informacijos, kur kreiptis dėl paslaugų.":  "1.2",
		"Reikia kursų, kaip pradėti savo verslą kaime.":     "3",
		"Norėčiau dirbti, bet niekas nepadeda rasti darbo.": "2.2",
	}
	for text, measure := range texts {
		m := recordedRef.FindStringSubmatch(c.ok("submissions", "add", "--consultation", "strategija-2026", "--text", text))
		if m == nil {
			t.Fatalf("submissions add %q: no reference", text)
		}
		c.ok("submissions", "set-measure", m[1], measure)
	}
	out := c.ok("classify", "eval", "--replay", "strategija-2026", "../../classify/testdata/dev.jsonl")
	if !strings.Contains(out, "replay of 5 staff decisions, holdout of 160") || !strings.Contains(out, "learned") {
		t.Errorf("classify eval --replay: got\n%s", out)
	}
	if r := c.run("classify", "eval", "--replay", "nera"); r.code == exitOK {
		t.Errorf("replay of an unknown consultation: exit 0")
	}
}
