package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// twoStrategies has the top-level measures (the default) and another
// strategy with the same codes meaning other measures, and a consultation
// on each.
const twoStrategies = `
[organisation]
name = "Testo VVG"
mailbox = "vvg@example.lt"

[[measures]]
code = "1.1"
title = "Socialinės paslaugos"

[[strategies]]
name = "vps-2028"
title = "2028–2034 m. strategija"
examples = ["vps.jsonl"]

[[strategies.measures]]
code = "1.1"
title = "Žalioji ekonomika"
title_en = "Green economy"

[[strategies.measures]]
code = "2"
title = "Skaitmeninimas"

[[consultations]]
slug = "senoji"
title = "Senoji"
opens_at = 2026-11-02
closes_at = 2026-12-13

[[consultations]]
slug = "naujoji"
title = "Naujoji"
opens_at = 2026-11-02
closes_at = 2026-12-13
strategy = "vps-2028"
`

// writeWith writes body as the configuration and files beside it.
func writeWith(t *testing.T, body string, files map[string]string) string {
	t.Helper()
	p := writeConfig(t, body)
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(filepath.Dir(p), name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

const vpsExamples = `{"id":"v1","text":"Saulės elektrinės ant daugiabučių stogų.","label":"1.1"}
{"id":"v2","text":"E. paslaugų mokymai senjorams.","label":"2"}
{"id":"v3","text":"Duobė kieme.","label":"other"}
`

// TestStrategies: the top-level [[measures]] stay the default, a
// [[strategies]] entry brings its own measures (with "other" added) and
// examples, consultations name theirs, and every part's options carry
// each strategy's measures by name.
func TestStrategies(t *testing.T) {
	cfg, err := Load(writeWith(t, twoStrategies, map[string]string{"vps.jsonl": vpsExamples}), nil)
	if err != nil {
		t.Fatal(err)
	}
	all := cfg.AllStrategies()
	if len(all) != 2 || all[0].Name != "" || all[1].Name != "vps-2028" {
		t.Fatalf("strategies: %+v", all)
	}
	def, err := cfg.StrategyFor("")
	if err != nil || def.Name != "" || strings.Join(def.MeasureCodes(), ",") != "1.1,other" {
		t.Errorf("default strategy: %+v, %v", def, err)
	}
	vps, err := cfg.StrategyFor("vps-2028")
	if err != nil || strings.Join(vps.MeasureCodes(), ",") != "1.1,2,other" {
		t.Fatalf("vps-2028: %+v, %v", vps, err)
	}
	if got := vps.MeasureTitle("1.1", "en"); got != "Green economy" {
		t.Errorf("vps-2028 1.1 in English: %q", got)
	}
	if got := def.MeasureTitle("1.1", "lt"); got != "Socialinės paslaugos" {
		t.Errorf("default 1.1: %q", got)
	}
	if code, ok := vps.MeasureCode("KITA"); !ok || code != "other" {
		t.Errorf("vps-2028 reads KITA as %q, %v", code, ok)
	}
	ex, err := vps.ReadExamples()
	if err != nil || len(ex) != 3 {
		t.Errorf("vps-2028 examples: %d, %v", len(ex), err)
	}
	if src := vps.ExamplesSource(); !strings.HasSuffix(src, "vps.jsonl") {
		t.Errorf("vps-2028 examples source: %q", src)
	}
	if ex, _, _ := vps.BuiltinExamples(); ex != nil {
		t.Errorf("a [[strategies]] entry got shipped examples by its codes")
	}
	if _, bias, err := vps.ReadTraining(); err != nil || bias != nil {
		t.Errorf("vps-2028, with examples of its own, has label bias %v, %v; want none", bias, err)
	}
	if cfg.Consultations[1].Strategy != "vps-2028" {
		t.Errorf("consultation strategy: %q", cfg.Consultations[1].Strategy)
	}

	so := cfg.SenderOptions()
	if len(so.Measures) != 2 || len(so.Strategies["vps-2028"]) != 3 || so.Strategies["vps-2028"][0].Title != "Žalioji ekonomika" {
		t.Errorf("sender options: %+v %+v", so.Measures, so.Strategies)
	}
	if ro := cfg.ResultsOptions(); len(ro.Strategies["vps-2028"]) != 3 {
		t.Errorf("results options: %+v", ro.Strategies)
	}
	if fo := cfg.FormOptions(); len(fo.Measures) != 2 || len(fo.Strategies["vps-2028"]) != 3 {
		t.Errorf("form options: %+v %+v", fo.Measures, fo.Strategies)
	}
	co := cfg.ConsoleOptions()
	if co.DefaultStrategy != "" || len(co.Strategies) != 1 || co.Strategies[0].Title != "2028–2034 m. strategija" {
		t.Errorf("console options: default %q, %+v", co.DefaultStrategy, co.Strategies)
	}
}

// TestOnlyStrategies: without top-level [[measures]] the one strategy
// there is is the default; with several, each consultation must name one.
func TestOnlyStrategies(t *testing.T) {
	one := strings.Replace(twoStrategies, "[[measures]]\ncode = \"1.1\"\ntitle = \"Socialinės paslaugos\"\n", "", 1)
	cfg, err := Load(writeWith(t, one, map[string]string{"vps.jsonl": vpsExamples}), nil)
	if err != nil {
		t.Fatal(err)
	}
	def, err := cfg.StrategyFor("")
	if err != nil || def.Name != "vps-2028" {
		t.Errorf("default with one [[strategies]]: %+v, %v", def, err)
	}
	if co := cfg.ConsoleOptions(); co.DefaultStrategy != "vps-2028" || len(co.Measures) != 3 {
		t.Errorf("console default: %q, %d measures", co.DefaultStrategy, len(co.Measures))
	}
	two := one + "\n[[strategies]]\nname = \"kita-vvg\"\ntitle = \"Kita\"\n\n[[strategies.measures]]\ncode = \"A\"\ntitle = \"A\"\n"
	_, err = Load(writeWith(t, two, map[string]string{"vps.jsonl": vpsExamples}), nil)
	if err == nil || !strings.Contains(err.Error(), "consultations[0].strategy: there is no top-level [[measures]] to be the default, so a consultation must name one of the [[strategies]] (vps-2028, kita-vvg)") {
		t.Errorf("a consultation naming none of two strategies: %v", err)
	}
}

// TestStrategyErrors: each mistake is reported with its key and line, all
// at once.
func TestStrategyErrors(t *testing.T) {
	files := map[string]string{"vps.jsonl": vpsExamples}
	tests := []struct {
		name  string
		body  string
		files map[string]string
		want  []string
	}{
		{"unknown strategy", strings.Replace(twoStrategies, `strategy = "vps-2028"`, `strategy = "vps-2082"`, 1), files,
			[]string{`line 35: consultations[1].strategy: "vps-2082" is not one of the [[strategies]] (vps-2028); did you mean "vps-2028"?`}},
		{"duplicate code within a strategy", twoStrategies + "\n[[strategies.measures]]\ncode = \"2\"\ntitle = \"Vėl\"\n", files,
			[]string{`line 38: strategies[0].measures[2].code: "2" is used twice in this strategy`}},
		{"duplicate strategy name", twoStrategies + "\n[[strategies]]\nname = \"vps-2028\"\ntitle = \"Vėl\"\n\n[[strategies.measures]]\ncode = \"1\"\ntitle = \"X\"\n", files,
			[]string{`line 38: strategies[1].name: "vps-2028" is used twice`}},
		{"bad name, no title, no measures", twoStrategies + "\n[[strategies]]\nname = \"VPS 2035\"\n", files,
			[]string{"line 38: strategies[1].name: want lower-case letters", "line 37: strategies[1].title: must be set",
				"line 37: strategies[1].measures: at least one [[strategies.measures]] entry is needed"}},
		{"measure without a title", strings.Replace(twoStrategies, "code = \"2\"\ntitle = \"Skaitmeninimas\"\n", "code = \"2\"\n", 1), files,
			[]string{"line 20: strategies[0].measures[1].title: must be set"}},
		{"examples missing", twoStrategies, nil, []string{"line 13: strategies[0].examples[0]: ", "vps.jsonl: not found"}},
		{"example label of another strategy", twoStrategies, map[string]string{"vps.jsonl": vpsExamples + `{"id":"v4","text":"x","label":"2.1"}` + "\n"},
			[]string{`strategies[0].examples[0]: `, `example 4 (v4): label "2.1" is not a measure of this strategy (1.1, 2, other)`}},
		{"unknown key inside a strategy's measure", strings.Replace(twoStrategies, "code = \"2\"", "cod = \"2\"", 1), files,
			[]string{"line 21: strategies[0].measures[1].cod: unknown key (did you mean code?)"}},
		{"classify.examples without top-level measures",
			strings.Replace(twoStrategies, "[[measures]]\ncode = \"1.1\"\ntitle = \"Socialinės paslaugos\"\n", "[classify]\nexamples = [\"vps.jsonl\"]\n", 1), files,
			[]string{"classify.examples: these are the examples of the top-level [[measures]]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeWith(t, tt.body, tt.files), nil)
			if err == nil {
				t.Fatal("got nil error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}
