package console

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/vvgintake/vvgintake/classify"
	"github.com/vvgintake/vvgintake/ledger"
)

// The review queue: one suggestion a screen, the classifier's evidence
// marked in the text. Enter (or the first button) confirms the model's
// measure, a digit picks another, j and k move; each decision is filed
// and taught to the running classifier (intake.Pipeline.Review).

type reviewData struct {
	S          *ledger.Submission
	Segments   []segment
	Prev, Next string
	Total      int
	Choices    []choice
	Done       string
	// Near is the measure the most similar suggestions were filed under,
	// when it is not the one proposed.
	Near string
}

// choice is one measure button with its key.
type choice struct {
	Key     string
	Code    string
	Title   string
	Current bool
}

// segment is a piece of the text, marked when it is an evidence word.
type segment struct {
	Text string
	Mark bool
}

func (s *Server) reviewFirst(w http.ResponseWriter, r *http.Request, q *request) {
	refs, _, err := s.db.ReviewQueue(r.Context(), r.URL.Query().Get("consultation"), 1)
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	if len(refs) == 0 {
		s.render(w, r, q, http.StatusOK, "review", "Review", reviewData{Done: r.URL.Query().Get("done")})
		return
	}
	to := "/review/" + refs[0]
	if d := r.URL.Query().Get("done"); d != "" {
		to += "?done=" + urlQueryEscape(d)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, q *request) {
	sub, ok := param(s, w, r, q, "ref", s.db.Submission)
	if !ok {
		return
	}
	d := reviewData{S: sub, Segments: highlight(firstNonEmpty(sub.Text, sub.Subject), sub.Evidence), Done: r.URL.Query().Get("done")}
	if near, _ := s.pipe.Nearest(sub); near != sub.Measure {
		d.Near = near
	}
	var err error
	if d.Prev, d.Next, d.Total, err = s.db.ReviewAround(r.Context(), sub.ID); err != nil {
		s.refused(w, r, q, err)
		return
	}
	// The keys follow the suggestion's own strategy: 1 is its first
	// measure, whichever consultation it came to.
	for i, m := range s.measuresOf(sub.Strategy) {
		key := ""
		if i < 9 {
			key = string(rune('1' + i))
		}
		d.Choices = append(d.Choices, choice{Key: key, Code: m.Code, Title: s.measureTitle(sub.Strategy, m.Code, q.lang), Current: m.Code == sub.Measure})
	}
	s.render(w, r, q, http.StatusOK, "review", "Review", d)
}

func (s *Server) reviewPost(w http.ResponseWriter, r *http.Request, q *request) {
	ref := r.PathValue("ref")
	measure := r.PostFormValue("measure")
	if measure == "" {
		s.fail(w, r, q, http.StatusBadRequest, "Choose a measure.")
		return
	}
	// The pipeline refuses a measure the suggestion's strategy does not
	// have.
	sub, err := s.pipe.Review(r.Context(), ref, measure, q.actor())
	if err != nil {
		s.refused(w, r, q, err)
		return
	}
	_, next, _, err := s.db.ReviewAround(r.Context(), sub.ID)
	if err != nil || next == "" {
		http.Redirect(w, r, "/review?done="+urlQueryEscape(ref), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/review/"+next+"?done="+urlQueryEscape(ref), http.StatusSeeOther)
}

// highlight cuts text into segments, marking the words the classifier
// cited as evidence (normalised as it cites them; "ne x" marks x).
func highlight(text string, evidence []string) []segment {
	ev := map[string]bool{}
	for _, e := range evidence {
		e = strings.TrimPrefix(classify.Normalize(e), "ne ")
		ev[e] = true
	}
	var out []segment
	start := 0
	inWord := false
	flush := func(end int, word bool) {
		if end <= start {
			return
		}
		t := text[start:end]
		out = append(out, segment{Text: t, Mark: word && ev[classify.Normalize(t)]})
		start = end
	}
	for i, r := range text {
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if isWord != inWord {
			flush(i, inWord)
			inWord = isWord
		}
	}
	flush(len(text), inWord)
	return out
}
