package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/vvgintake/vvgintake/classify"
)

// A VVG consults on more than one strategy over the years (2023–2027, then
// 2028–2034), each with its own measures (priemonės). The top-level
// [[measures]] are the default strategy, the one every configuration had
// before; each [[strategies]] entry is another, with its own measures and
// examples, and so its own classifier. A consultation names its strategy
// (consultations.strategy, `consultation create --strategy`); one naming
// none is on the default: the top-level [[measures]] or, without them, the
// one [[strategies]] entry there is.

// Strategy is one measure set suggestions are filed under, as configured:
// the top-level [[measures]] with classify.examples (Name "") or one
// [[strategies]] entry.
type Strategy struct {
	// Name is what consultations call it; "" for the top-level [[measures]].
	Name           string
	Title, TitleEN string
	Measures       []MeasureConfig
	// Examples are the labelled example files as written in the file.
	Examples []string

	key string // where it is configured: "measures" or "strategies[N]"
	cfg *Config
}

// ErrNoStrategy is returned for a strategy name the configuration does not
// have, and for a consultation naming none when there is no default.
var ErrNoStrategy = errors.New("no such strategy")

// AllStrategies lists every measure set: the top-level [[measures]] first
// when there are any, then the [[strategies]] in the file's order.
func (c *Config) AllStrategies() []*Strategy {
	var out []*Strategy
	if len(c.Measures) > 0 {
		out = append(out, &Strategy{Measures: c.Measures, Examples: c.Classify.Examples, key: "measures", cfg: c})
	}
	for i, s := range c.Strategies {
		out = append(out, &Strategy{Name: s.Name, Title: s.Title, TitleEN: s.TitleEN, Measures: s.Measures,
			Examples: s.Examples, key: fmt.Sprintf("strategies[%d]", i), cfg: c})
	}
	return out
}

// StrategyFor returns the measure set a consultation naming name files
// under: that [[strategies]] entry; for "", the default — the top-level
// [[measures]] or, without them, the only [[strategies]] entry. The error
// wraps ErrNoStrategy and says what there is.
func (c *Config) StrategyFor(name string) (*Strategy, error) {
	all := c.AllStrategies()
	if name == "" {
		if len(c.Measures) > 0 || len(all) == 1 {
			return all[0], nil
		}
		return nil, fmt.Errorf("%w: there is no top-level [[measures]] to be the default, so a consultation must name one of the [[strategies]] (%s)",
			ErrNoStrategy, strings.Join(c.StrategyNames(), ", "))
	}
	for _, s := range all {
		if s.Name == name {
			return s, nil
		}
	}
	msg := fmt.Sprintf("%q is not one of the [[strategies]]", name)
	if names := c.StrategyNames(); len(names) > 0 {
		msg += " (" + strings.Join(names, ", ") + ")"
		if n := Nearest(name, names); n != "" {
			msg += fmt.Sprintf("; did you mean %q?", n)
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrNoStrategy, msg)
}

// StrategyNames lists the names of the [[strategies]] entries.
func (c *Config) StrategyNames() []string {
	names := make([]string, len(c.Strategies))
	for i, s := range c.Strategies {
		names[i] = s.Name
	}
	return names
}

// Label names the strategy for people: its title, else its name, else
// "default" for the top-level [[measures]].
func (s *Strategy) Label() string {
	switch {
	case s.Title != "":
		return s.Title
	case s.Name != "":
		return s.Name
	}
	return "default"
}

// ClassifyMeasures are the measures as the classifier knows them.
func (s *Strategy) ClassifyMeasures() []classify.Measure {
	out := make([]classify.Measure, len(s.Measures))
	for i, m := range s.Measures {
		out[i] = classify.Measure{Code: m.Code, Title: m.Title, Description: m.Description, Keywords: m.Keywords}
	}
	return out
}

// MeasureTitle names a measure in the given language ("" for none).
func (s *Strategy) MeasureTitle(code, lang string) string {
	for _, m := range s.Measures {
		if m.Code == code {
			if lang == "en" && m.TitleEN != "" {
				return m.TitleEN
			}
			return m.Title
		}
	}
	return ""
}

// MeasureCode reads a measure code as staff type it: the code in any case,
// and "kita" (Lithuanian for other, as the form and reports show it) for
// "other". ok is false when the strategy has no such measure.
func (s *Strategy) MeasureCode(typed string) (code string, ok bool) {
	t := strings.TrimSpace(typed)
	if strings.EqualFold(t, "kita") {
		t = "other"
	}
	for _, m := range s.Measures {
		if strings.EqualFold(m.Code, t) {
			return m.Code, true
		}
	}
	return "", false
}

// HasMeasure reports whether the strategy has a measure with exactly this
// code.
func (s *Strategy) HasMeasure(code string) bool {
	for _, m := range s.Measures {
		if m.Code == code {
			return true
		}
	}
	return false
}

// MeasureCodes lists the strategy's measure codes in order.
func (s *Strategy) MeasureCodes() []string {
	codes := make([]string, len(s.Measures))
	for i, m := range s.Measures {
		codes[i] = m.Code
	}
	return codes
}

// ReadExamples reads the labelled examples the strategy's classifier learns
// from: its files or, for the top-level [[measures]] with none named, the
// examples built into vvgintake that fit its measures (BuiltinExamples).
func (s *Strategy) ReadExamples() ([]classify.Example, error) {
	ex, _, err := s.ReadTraining()
	return ex, err
}

// ReadTraining is ReadExamples with the classifier's bias per label for
// those examples (classify.Options.LabelBias): the one fitted for the
// shipped set it learns from (classify.ShippedLabelBias), none for
// examples of its own, on which nothing was fitted. The examples are read
// once for both.
func (s *Strategy) ReadTraining() ([]classify.Example, map[string]float64, error) {
	if len(s.Examples) == 0 {
		ex, name, err := s.BuiltinExamples()
		if err != nil || name == "" {
			return ex, nil, err
		}
		return ex, classify.ShippedLabelBias(name), nil
	}
	var all []classify.Example
	for _, p := range s.Examples {
		f, err := os.Open(s.cfg.Resolve(p))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.examplesKey(), err)
		}
		ex, err := classify.ReadExamples(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", s.examplesKey(), p, err)
		}
		all = append(all, ex...)
	}
	return all, nil, nil
}

// examplesKey is the configuration key of the strategy's example files.
func (s *Strategy) examplesKey() string {
	if s.Name == "" && s.key == "measures" {
		return "classify.examples"
	}
	return s.key + ".examples"
}

// BuiltinExamples returns, for the top-level [[measures]], the first set of
// examples shipped inside the binary (classify/examples) whose every label
// is one of its measures, and its name; none, and "", when no shipped set
// fits (another VVG's strategy: the classifier then learns from the
// measures' descriptions and keywords and from staff corrections). A
// [[strategies]] entry gets none: codes alone do not say that a shipped
// set means the same measures (2028–2034 may number others 1.1 and 2.1).
func (s *Strategy) BuiltinExamples() ([]classify.Example, string, error) {
	if s.key != "measures" {
		return nil, "", nil
	}
	codes := map[string]bool{}
	for _, m := range s.Measures {
		codes[m.Code] = true
	}
	for _, name := range classify.ShippedStrategies() {
		ex, err := classify.ShippedExamples(name)
		if err != nil {
			return nil, "", err
		}
		fits := len(ex) > 0
		for _, e := range ex {
			fits = fits && codes[e.Label]
		}
		if fits {
			return ex, name, nil
		}
	}
	return nil, "", nil
}

// ExamplesSource says where the examples come from, for check-config.
func (s *Strategy) ExamplesSource() string {
	if len(s.Examples) > 0 {
		files := make([]string, len(s.Examples))
		for i, p := range s.Examples {
			files[i] = s.cfg.Resolve(p)
		}
		return strings.Join(files, ", ")
	}
	if _, name, err := s.BuiltinExamples(); err == nil && name != "" {
		return "built in (" + name + ")"
	}
	if s.key != "measures" {
		return "none: it learns from its measures and staff corrections"
	}
	return "none built in fits these measures"
}

// completeMeasures adds the "other" measure to a measure set that lacks
// it: suggestions about nothing in the strategy need somewhere to go.
func completeMeasures(ms []MeasureConfig) []MeasureConfig {
	if len(ms) == 0 {
		return ms
	}
	for _, m := range ms {
		if m.Code == "other" {
			return ms
		}
	}
	return append(ms, MeasureConfig{Code: "other", Title: "Kita (ne strategijos priemonė)",
		TitleEN: "Other (not a strategy measure)"})
}

// validateStrategies checks every measure set — the top-level [[measures]]
// and each [[strategies]] entry: codes and titles, examples that exist and
// are labelled with its codes — and that every consultation names a
// strategy there is (or, naming none, has a default).
func (c *Config) validateStrategies(ps *problems) {
	if len(c.Measures) == 0 && len(c.Strategies) == 0 {
		ps.add("measures", "at least one [[measures]] entry (or a [[strategies]] entry with its measures) is needed")
	}
	if len(c.Measures) == 0 && len(c.Classify.Examples) > 0 {
		ps.add("classify.examples", "these are the examples of the top-level [[measures]], which this configuration does not have; give each [[strategies]] entry its own examples")
	}
	strategies := names{ps: ps, field: "name", twice: "is used twice",
		untitled: "must be set (staff see which strategy a consultation is on)"}
	for i, s := range c.Strategies {
		key := fmt.Sprintf("strategies[%d]", i)
		if !slugRE.MatchString(s.Name) {
			ps.add(key+".name", "want lower-case letters, digits and '-' (what consultations call it), got %q", s.Name)
		}
		strategies.check(key, s.Name, s.Title)
		if len(s.Measures) == 0 {
			ps.add(key+".measures", "at least one [[strategies.measures]] entry is needed")
		}
	}
	for _, s := range c.AllStrategies() {
		s.validate(ps)
	}
	for i, k := range c.Consultations {
		if _, err := c.StrategyFor(k.Strategy); err != nil {
			ps.add(fmt.Sprintf("consultations[%d].strategy", i), "%s", strings.TrimPrefix(err.Error(), ErrNoStrategy.Error()+": "))
		}
	}
}

// validate checks one measure set's measures and examples.
func (s *Strategy) validate(ps *problems) {
	codes := names{ps: ps, field: "code", twice: "is used twice in this strategy", untitled: "must be set"}
	for i, m := range s.Measures {
		key := fmt.Sprintf("%s[%d]", s.key, i)
		if s.key != "measures" {
			key = fmt.Sprintf("%s.measures[%d]", s.key, i)
		}
		switch {
		case strings.TrimSpace(m.Code) == "":
			ps.add(key+".code", "must be set")
		case m.Code != strings.TrimSpace(m.Code):
			ps.add(key+".code", "%q has spaces around it", m.Code)
		}
		codes.check(key, m.Code, m.Title)
	}
	for i, p := range s.Examples {
		key := fmt.Sprintf("%s[%d]", s.examplesKey(), i)
		f, err := os.Open(s.cfg.Resolve(p))
		if err != nil {
			ps.add(key, "%s", s.cfg.pathProblem(p, err))
			continue
		}
		ex, err := classify.ReadExamples(f)
		f.Close()
		if err != nil {
			ps.add(key, "%s: %v", s.cfg.Resolve(p), err)
			continue
		}
		// Training refuses a label it has no class for; say so here, so
		// that check-config refuses what run would.
		for j, e := range ex {
			if !codes.seen[strings.TrimSpace(e.Label)] && e.Label != "other" {
				ps.add(key, "%s: example %d (%s): label %q is not a measure of this strategy (%s)", s.cfg.Resolve(p), j+1,
					e.ID, e.Label, strings.Join(s.MeasureCodes(), ", "))
				break
			}
		}
	}
}
