package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

func cmdThemes() *command {
	return &command{
		name: "themes", args: "SLUG [--json]",
		short: "what residents asked for most: themes and near-duplicate groups of a consultation",
		long: `themes SLUG [--json]
    The consultation's themes (temos): suggestions that ask for the same thing in their own words,
    grouped within each measure, largest first. Each theme has a label (staff's, or its most
    telling words), its count (copies of a campaign included) and its references; the copies of
    one letter are shown in brackets after it. Then the near-duplicate groups (a campaign's copies,
    one letter sent twice): decide one at once with 'submissions decide REF ... --group'.
    Suggestions recorded since the last grouping are grouped first. Withdrawn ones are left out.
--json
    One JSON object: {"consultation": SLUG, "themes": [{"id", "measure", "measure_title",
    "label", "named", "words", "count", "distinct", "refs"}], "groups": [{"root", "measure",
    "count", "decided", "refs"}]}. named says staff gave the label; words are the computed ones;
    distinct counts the letters that are no copy of another in the theme. These fields are a
    stable contract.`,
		run: runThemes,
	}
}

// themeJSON is one theme in the contract `themes --json` prints.
type themeJSON struct {
	ID           int64    `json:"id"`
	Measure      string   `json:"measure"`
	MeasureTitle string   `json:"measure_title"`
	Label        string   `json:"label"`
	Named        bool     `json:"named"`
	Words        []string `json:"words"`
	Count        int      `json:"count"`
	Distinct     int      `json:"distinct"`
	Refs         []string `json:"refs"`
}

// groupJSON is one near-duplicate group in `themes --json`.
type groupJSON struct {
	Root    string   `json:"root"`
	Measure string   `json:"measure"`
	Count   int      `json:"count"`
	Decided int      `json:"decided"`
	Refs    []string `json:"refs"`
}

type themesJSON struct {
	Consultation string      `json:"consultation"`
	Themes       []themeJSON `json:"themes"`
	Groups       []groupJSON `json:"groups"`
}

func runThemes(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("themes", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object")
	pos, err := parseArgs(fs, args, 1, "themes takes one SLUG")
	if err != nil {
		return err
	}
	p, err := e.pipeline(ctx, "themes")
	if err != nil {
		return err
	}
	db := e.db
	c, err := db.Consultation(ctx, pos[0])
	if err != nil {
		return err
	}
	themes, err := p.Themes(ctx, c.ID)
	if err != nil {
		return err
	}
	st, err := e.cfg.StrategyFor(c.Strategy)
	if err != nil {
		return err
	}
	order := map[string]int{}
	for i, code := range st.MeasureCodes() {
		order[code] = i + 1
	}
	rank := func(code string) int {
		if n, ok := order[code]; ok {
			return n
		}
		return len(order) + 1
	}
	slices.SortStableFunc(themes, func(a, b ledger.Theme) int {
		return cmp.Or(cmp.Compare(rank(a.Measure), rank(b.Measure)), cmp.Compare(a.Measure, b.Measure),
			cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
	groups, err := db.Groups(ctx, c.ID)
	if err != nil {
		return err
	}
	out := themesJSON{Consultation: c.Slug, Themes: []themeJSON{}, Groups: []groupJSON{}}
	for _, t := range themes {
		tj := themeJSON{ID: t.ID, Measure: t.Measure, MeasureTitle: st.MeasureTitle(t.Measure, "lt"), Label: t.Label,
			Named: t.Named, Words: t.Words, Count: t.Count, Distinct: t.Distinct, Refs: []string{}}
		if tj.Words == nil {
			tj.Words = []string{}
		}
		for _, m := range t.Members {
			tj.Refs = append(tj.Refs, m.Ref)
		}
		out.Themes = append(out.Themes, tj)
	}
	for _, g := range groups {
		members, err := db.Group(ctx, g.Root)
		if err != nil {
			return err
		}
		gj := groupJSON{Root: g.RootRef, Measure: g.Measure, Count: g.Count, Decided: g.Decided}
		for _, m := range members {
			if m.Withdrawn == "" {
				gj.Refs = append(gj.Refs, m.Ref)
			}
		}
		out.Groups = append(out.Groups, gj)
	}
	if *asJSON {
		return newJSONEncoder(e.stdout).Encode(out)
	}
	return printThemes(e.stdout, st, c, themes, groups)
}

// printThemes writes the themes and groups for staff: per measure, each
// theme with its count and references, a letter's copies in brackets
// after it.
func printThemes(w io.Writer, st *config.Strategy, c *ledger.Consultation, themes []ledger.Theme, groups []ledger.GroupSummary) error {
	n := 0
	for _, t := range themes {
		n += t.Count
	}
	fmt.Fprintf(w, "%s: %d theme(s) over %d suggestion(s)\n", c.Slug, len(themes), n)
	measure := "\x00"
	for _, t := range themes {
		if t.Measure != measure {
			measure = t.Measure
			fmt.Fprintf(w, "\n%s %s\n", orDash(t.Measure), st.MeasureTitle(t.Measure, "lt"))
		}
		named := ""
		if t.Named {
			named = " (named by staff)"
		}
		fmt.Fprintf(w, "  theme %d: %s%s: %d suggestion(s)", t.ID, orDash(t.Label), named, t.Count)
		if copies := t.Count - t.Distinct; copies > 0 {
			fmt.Fprintf(w, ", %d of them copies", copies)
		}
		fmt.Fprintf(w, "\n    %s\n", themeRefs(t))
	}
	if len(groups) == 0 {
		fmt.Fprintf(w, "\nno near-duplicate groups\n")
		return nil
	}
	fmt.Fprintf(w, "\nnear-duplicate groups (decide one at once: vvgintake submissions decide REF accepted|partly|rejected --reason TEXT --group)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "root\tmeasure\tsuggestions\tdecided\ttext\n")
	for _, g := range groups {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", g.RootRef, orDash(g.Measure), g.Count, g.Decided, excerpt.Text(g.Text, 60))
	}
	return tw.Flush()
}

// themeRefs writes a theme's references, each copy in brackets after the
// letter it copies: "VVG-2026-0001 [VVG-2026-0004 VVG-2026-0007], VVG-2026-0002".
func themeRefs(t ledger.Theme) string {
	byID := map[int64]string{}
	copies := map[int64][]string{}
	for _, m := range t.Members {
		byID[m.SubmissionID] = m.Ref
		if m.Copy {
			copies[m.Root] = append(copies[m.Root], m.Ref)
		}
	}
	var parts []string
	for _, m := range t.Members {
		if m.Copy {
			continue
		}
		s := m.Ref
		if cs := copies[m.SubmissionID]; len(cs) > 0 {
			s += " [" + strings.Join(cs, " ") + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// showGrouping adds a suggestion's near-duplicate group and theme to
// `submissions show`.
func showGrouping(ctx context.Context, w io.Writer, db *ledger.DB, s *ledger.Submission) error {
	g, err := db.Grouping(ctx, s.Ref)
	if err != nil {
		return err
	}
	if g.Root == 0 {
		fmt.Fprintf(w, "group\tnot grouped yet\n")
		return nil
	}
	members, err := db.Group(ctx, g.Root)
	if err != nil {
		return err
	}
	for _, m := range members {
		switch {
		case g.Root != g.ID && m.ID == g.Root:
			fmt.Fprintf(w, "group\ta copy of %s (%.0f%% the same), one of %d\n", m.Ref, 100*intake.Similarity(g.Signature, m.Signature), len(members))
		case g.Root == g.ID && m.ID == g.ID && len(members) > 1:
			fmt.Fprintf(w, "group\tthe first of %d near-duplicate copies (decide them at once with --group)\n", len(members))
		}
	}
	if g.Theme == 0 {
		return nil
	}
	themes, err := db.Themes(ctx, g.ConsultationID)
	if err != nil {
		return err
	}
	for _, t := range themes {
		if t.ID == g.Theme {
			fmt.Fprintf(w, "theme\t%d: %s (%d suggestions)\n", t.ID, t.Label, t.Count)
		}
	}
	return nil
}
