package console

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vvgintake/vvgintake/intake"
	"github.com/vvgintake/vvgintake/ledger"
)

// The screens of what residents asked for most: a consultation's themes
// per measure, one theme with its suggestions (rename, merge, split,
// move), the near-duplicate groups, and one group (decide it at once,
// "not a copy"). Every change goes through intake.Pipeline, which owns the
// grouping.

// themeMeasure is one measure's themes on the themes page.
type themeMeasure struct {
	Code, Title string
	Count       int            // suggestions in the measure
	Themes      []ledger.Theme // of two or more suggestions, largest first
	Alone       []ledger.Theme // suggestions no other one is like
}

type themesData struct {
	C        *ledger.Consultation
	Measures []themeMeasure
	Total    int
	Groups   int
}

func (s *Server) themesPage(w http.ResponseWriter, r *http.Request, q *request) {
	c, ok := param(s, w, r, q, "slug", s.db.Consultation)
	if !ok {
		return
	}
	d, err := s.themesOf(r.Context(), c, q.lang)
	s.show(w, r, q, err, "themes", "Themes", d)
}

// themesOf reads c's themes, per measure in the order of its strategy,
// for the themes page.
func (s *Server) themesOf(ctx context.Context, c *ledger.Consultation, lang string) (*themesData, error) {
	themes, err := s.pipe.Themes(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	groups, err := s.db.Groups(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	d := &themesData{C: c, Groups: len(groups)}
	byCode := map[string]*themeMeasure{}
	var codes []string
	for _, m := range s.measuresOf(c.Strategy) {
		byCode[m.Code] = &themeMeasure{Code: m.Code, Title: s.measureTitle(c.Strategy, m.Code, lang)}
		codes = append(codes, m.Code)
	}
	for _, t := range themes {
		m := byCode[t.Measure]
		if m == nil {
			// A measure since removed from the configuration.
			m = &themeMeasure{Code: t.Measure, Title: t.Measure}
			byCode[t.Measure] = m
			codes = append(codes, t.Measure)
		}
		m.Count += t.Count
		d.Total += t.Count
		if t.Count > 1 || t.Named {
			m.Themes = append(m.Themes, t)
		} else {
			m.Alone = append(m.Alone, t)
		}
	}
	for _, code := range codes {
		if m := byCode[code]; m.Count > 0 {
			d.Measures = append(d.Measures, *m)
		}
	}
	return d, nil
}

// themeRow is one suggestion on a theme's page.
type themeRow struct {
	ledger.Grouped
	CopyOf string // the reference of the letter it copies, when that is in the theme
}

type themeData struct {
	C       *ledger.Consultation
	T       *ledger.Theme
	Rows    []themeRow
	Others  []ledger.Theme // the measure's other themes: merge and move targets
	Measure string         // its title
}

func (s *Server) themePage(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	c, id, ok := s.themeParams(w, r, q)
	if !ok {
		return
	}
	themes, err := s.pipe.Themes(ctx, c.ID)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	d := themeData{C: c}
	for i := range themes {
		if themes[i].ID == id {
			d.T = &themes[i]
		}
	}
	if d.T == nil {
		s.render(w, r, q, http.StatusNotFound, "error", "Error",
			tr(q.lang, "This theme is no more: regrouping or staff merged its suggestions into others. Go back to the list of themes."))
		return
	}
	for _, t := range themes {
		if t.Measure == d.T.Measure && t.ID != id {
			d.Others = append(d.Others, t)
		}
	}
	slices.SortStableFunc(d.Others, func(a, b ledger.Theme) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Label, b.Label))
	})
	members, err := s.db.ThemeMembers(ctx, c.ID, id)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	refs := map[int64]string{}
	for _, m := range members {
		refs[m.ID] = m.Ref
	}
	for _, m := range members {
		row := themeRow{Grouped: m}
		if m.Root != 0 && m.Root != m.ID {
			row.CopyOf = refs[m.Root]
		}
		d.Rows = append(d.Rows, row)
	}
	d.Measure = s.measureTitle(c.Strategy, d.T.Measure, q.lang)
	s.render(w, r, q, http.StatusOK, "theme", "Theme", d)
}

// themeParams reads the consultation and theme id of a theme's route.
func (s *Server) themeParams(w http.ResponseWriter, r *http.Request, q *request) (*ledger.Consultation, int64, bool) {
	c, ok := param(s, w, r, q, "slug", s.db.Consultation)
	if !ok {
		return nil, 0, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, q, http.StatusNotFound, "Not found.")
		return nil, 0, false
	}
	return c, id, true
}

// ticked reads a theme's route (themeParams) and the suggestions ticked
// on its page, which a split or a move acts on; false when it answered the
// request instead (no such theme, or none ticked).
func (s *Server) ticked(w http.ResponseWriter, r *http.Request, q *request) (*ledger.Consultation, int64, []int64, bool) {
	c, id, ok := s.themeParams(w, r, q)
	if !ok {
		return nil, 0, nil, false
	}
	_ = r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["sub"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		s.fail(w, r, q, http.StatusBadRequest, "Choose the suggestions first.")
		return nil, 0, nil, false
	}
	return c, id, ids, true
}

func (s *Server) themeRenamePost(w http.ResponseWriter, r *http.Request, q *request) {
	c, id, ok := s.themeParams(w, r, q)
	if !ok {
		return
	}
	err := s.pipe.RenameTheme(r.Context(), c.ID, id, r.PostFormValue("label"), q.actor())
	s.done(w, r, q, err, themeURL(c.Slug, id), "theme-renamed")
}

func (s *Server) themeMergePost(w http.ResponseWriter, r *http.Request, q *request) {
	c, id, ok := s.themeParams(w, r, q)
	if !ok {
		return
	}
	from, err := strconv.ParseInt(r.PostFormValue("from"), 10, 64)
	if err != nil || from <= 0 {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a theme.")
		return
	}
	err = s.pipe.MergeThemes(r.Context(), c.ID, id, []int64{from}, q.actor())
	s.done(w, r, q, err, themeURL(c.Slug, id), "theme-merged")
}

func (s *Server) themeSplitPost(w http.ResponseWriter, r *http.Request, q *request) {
	c, id, subs, ok := s.ticked(w, r, q)
	if !ok {
		return
	}
	made, err := s.pipe.SplitTheme(r.Context(), c.ID, id, subs, q.actor())
	s.done(w, r, q, err, themeURL(c.Slug, made), "theme-split")
}

func (s *Server) themeMovePost(w http.ResponseWriter, r *http.Request, q *request) {
	c, _, subs, ok := s.ticked(w, r, q)
	if !ok {
		return
	}
	to, err := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	if err != nil || to < 0 {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a theme.")
		return
	}
	for _, sub := range subs {
		// "A new theme" (0) is made by the first; the others join it.
		if to, err = s.pipe.MoveToTheme(r.Context(), c.ID, sub, to, q.actor()); err != nil {
			s.refused(w, r, q, err)
			return
		}
	}
	back(w, r, themeURL(c.Slug, to), "theme-moved")
}

func themeURL(slug string, id int64) string {
	return "/c/" + slug + "/themes/" + strconv.FormatInt(id, 10)
}

type groupsData struct {
	C      *ledger.Consultation
	Groups []ledger.GroupSummary
}

func (s *Server) groupsPage(w http.ResponseWriter, r *http.Request, q *request) {
	ctx := r.Context()
	c, ok := param(s, w, r, q, "slug", s.db.Consultation)
	if !ok {
		return
	}
	gs, err := s.pipe.Groups(ctx, c.ID)
	s.show(w, r, q, err, "groups", "Near-duplicates", groupsData{C: c, Groups: gs})
}

// groupRow is one suggestion of a near-duplicate group.
type groupRow struct {
	ledger.Grouped
	Same   float64 // how much of it is the root's text (0 to 1)
	IsRoot bool
}

type groupData struct {
	Ref     string // the suggestion the page was opened from
	C       *ledger.Consultation
	Root    *ledger.Grouped
	Rows    []groupRow
	Count   int // that count
	Decided int
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request, q *request) {
	d, err := s.groupOf(r.Context(), r.PathValue("ref"))
	s.show(w, r, q, err, "group", "Near-duplicate group", d)
}

// groupOf reads the near-duplicate group of the suggestion ref, grouping
// its consultation first when that has not been done yet.
func (s *Server) groupOf(ctx context.Context, ref string) (*groupData, error) {
	g, err := s.db.Grouping(ctx, ref)
	if err == nil && g.Root == 0 {
		// Not grouped yet: group the consultation now.
		if _, err = s.pipe.Groups(ctx, g.ConsultationID); err == nil {
			g, err = s.db.Grouping(ctx, g.Ref)
		}
	}
	if err != nil {
		return nil, err
	}
	root := g.Root
	if root == 0 {
		root = g.ID
	}
	members, err := s.db.Group(ctx, root)
	if err != nil {
		return nil, err
	}
	c, err := s.db.ConsultationByID(ctx, g.ConsultationID)
	if err != nil {
		return nil, err
	}
	d := &groupData{Ref: g.Ref, C: c}
	for i, m := range members {
		if m.ID == root {
			d.Root = &members[i]
		}
	}
	for _, m := range members {
		row := groupRow{Grouped: m, IsRoot: m.ID == root}
		if d.Root != nil && !row.IsRoot {
			row.Same = intake.Similarity(m.Signature, d.Root.Signature)
		}
		if m.Withdrawn == "" {
			d.Count++
			if m.Decision != "" {
				d.Decided++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func (s *Server) groupDecidePost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	// Through the pipeline: each suggestion's decision may answer its
	// resident at once, by the rule for one.
	refs, err := s.pipe.DecideGroup(r.Context(), ref, r.PostFormValue("decision"), r.PostFormValue("reason"), q.actor())
	s.done(w, r, q, err, "/s/"+ref+"/group?n="+strconv.Itoa(len(refs)), "group-decided")
}

func (s *Server) detachPost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	err := s.pipe.Detach(r.Context(), ref, q.actor())
	s.done(w, r, q, err, "/s/"+ref, "detached")
}

// placeInfo is a suggestion's near-duplicate group and theme, on its page.
type placeInfo struct {
	RootRef string  // the first letter of its group, when it is a copy
	Same    float64 // how much of it is that letter's text
	Size    int     // suggestions of its group that count, 1 when none copies it
	Theme   *ledger.Theme
}

// place reads a suggestion's place in the grouping ("" root: not grouped
// yet, shown as nothing).
func (s *Server) place(r *http.Request, sub *ledger.Submission) (*placeInfo, error) {
	ctx := r.Context()
	g, err := s.db.Grouping(ctx, sub.Ref)
	if err != nil || g.Root == 0 {
		return nil, err
	}
	members, err := s.db.Group(ctx, g.Root)
	if err != nil {
		return nil, err
	}
	p := &placeInfo{}
	for _, m := range members {
		if m.Withdrawn == "" {
			p.Size++
		}
		if m.ID == g.Root && g.Root != g.ID {
			p.RootRef, p.Same = m.Ref, intake.Similarity(g.Signature, m.Signature)
		}
	}
	if g.Theme != 0 {
		if p.Theme, err = s.db.Theme(ctx, g.ConsultationID, g.Theme); errors.Is(err, ledger.ErrNotFound) {
			err = nil
		}
	}
	return p, err
}
