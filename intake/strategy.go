package intake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/vvgintake/vvgintake/classify"
)

// Strategy is one measure set suggestions are filed under — a VVG's
// 2023–2027 strategy, then its 2028–2034 one — and the classifier trained
// on its measures and examples.
type Strategy struct {
	// Name is what consultations call it (ledger.Consultation.Strategy);
	// "" for the configuration's top-level measures.
	Name string
	// Default marks the set of a consultation that names none: the
	// top-level measures or, without them, the one strategy there is.
	// At most one is.
	Default    bool
	Classifier *classify.Classifier
	// Corrections are the staff corrections Classifier was trained with
	// (classify.NewWithCorrections), as Retrain would give them: Retrain
	// leaves it as it is until they change.
	Corrections []classify.Example
}

// label names the strategy in messages.
func (st *Strategy) label() string {
	if st.Name == "" {
		return "the default strategy"
	}
	return "strategy " + st.Name
}

// Has reports whether code is one of the strategy's measures (or its
// other).
func (st *Strategy) Has(code string) bool {
	return slices.Contains(st.Classifier.Model().Labels(), code)
}

// Strategies are the measure sets a pipeline files suggestions under, each
// with its own classifier. Every consultation names its set; one naming
// none is on the default one.
// Routing does not depend on them: a message goes to a consultation first,
// and is then classified with that consultation's set. It is safe for
// concurrent use.
type Strategies struct {
	list   []*Strategy
	byName map[string]*Strategy
	def    *Strategy // nil when none is the default

	mu      sync.Mutex
	trained map[*Strategy]string // the corrections each was last retrained with (Retrain)
}

// ErrUnknownStrategy is returned for a consultation whose strategy has no
// classifier here: the configuration no longer has it, or a consultation
// names none while several strategies are named and none is the default.
var ErrUnknownStrategy = errors.New("strategy not configured")

// NewStrategies returns the measure sets, each name once.
func NewStrategies(list ...Strategy) (*Strategies, error) {
	s := &Strategies{byName: make(map[string]*Strategy, len(list)), trained: map[*Strategy]string{}}
	for i := range list {
		st := &list[i]
		if st.Classifier == nil {
			return nil, fmt.Errorf("%s has no classifier", st.label())
		}
		if _, dup := s.byName[st.Name]; dup {
			return nil, fmt.Errorf("%s is given twice", st.label())
		}
		if st.Default {
			if s.def != nil {
				return nil, fmt.Errorf("%s and %s are both the default", s.def.label(), st.label())
			}
			s.def = st
		}
		s.byName[st.Name] = st
		s.list = append(s.list, st)
		if len(st.Corrections) > 0 {
			s.trained[st] = fingerprint(st.Corrections)
		}
	}
	if len(s.list) == 0 {
		return nil, errors.New("no strategies")
	}
	return s, nil
}

// OneStrategy is the measure set of a VVG with one strategy: every
// consultation files under clf's measures.
func OneStrategy(clf *classify.Classifier) *Strategies {
	s, err := NewStrategies(Strategy{Default: true, Classifier: clf})
	if err != nil {
		panic(err) // unreachable but for a nil clf, a programming error
	}
	return s
}

// Get returns the measure set a consultation naming name is on; "" is
// the default.
func (s *Strategies) Get(name string) (*Strategy, error) {
	if name == "" {
		// What a consultation on the top-level measures records, and
		// every consultation recorded before there were strategies.
		if s.def == nil {
			return nil, fmt.Errorf("the consultation names no strategy, and there is no default among %s: %w",
				strings.Join(s.names(), ", "), ErrUnknownStrategy)
		}
		return s.def, nil
	}
	if st := s.byName[name]; st != nil {
		return st, nil
	}
	return nil, fmt.Errorf("strategy %q: %w", name, ErrUnknownStrategy)
}

// All lists the measure sets in the order they were given.
func (s *Strategies) All() []*Strategy { return slices.Clone(s.list) }

func (s *Strategies) names() []string {
	out := make([]string, 0, len(s.list))
	for _, st := range s.list {
		out = append(out, displayName(st.Name))
	}
	return out
}

// displayName names a strategy in a list: "" is "(default)".
func displayName(name string) string {
	if name == "" {
		return "(default)"
	}
	return name
}

// classify files text with the classifier of a consultation's strategy
// (ledger.Consultation.Strategy). A consultation whose strategy is not
// configured (removed since) still gets its suggestion recorded, unfiled
// and marked for review: a resident's mail is never lost to a
// configuration change.
func (p *Pipeline) classify(strategy, text string) classify.Result {
	st, err := p.strategies.Get(strategy)
	if err != nil {
		p.opt.Logger.Warn("suggestion not classified", "err", err)
		return classify.Result{NeedsReview: true}
	}
	return st.Classifier.Classify(text)
}
