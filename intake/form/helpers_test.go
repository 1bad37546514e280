package form

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/web"
)

// testLoc is Europe/Vilnius, as the VVG uses.
func testLoc(t testing.TB) *time.Location {
	t.Helper()
	loc, err := vilnius.Location()
	if err != nil {
		t.Fatalf("load location: %v", err)
	}
	return loc
}

// fakeStore records submissions and numbers them VVG-2026-0001, ….
type fakeStore struct {
	mu            sync.Mutex
	consultations []Consultation
	subs          []*Submission
	err           error         // returned by Submit when set
	listErr       error         // returned by Consultations when set
	block         chan struct{} // Submit waits on it when set
	buckets       web.BucketStore
	content       map[string][]byte // uploads read during Submit, by SHA-256
}

func (s *fakeStore) Buckets() web.BucketStore { return s.buckets }

func (s *fakeStore) Consultations(ctx context.Context) ([]Consultation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listErr != nil {
		return nil, s.listErr
	}
	return append([]Consultation(nil), s.consultations...), nil
}

func (s *fakeStore) Submit(ctx context.Context, sub *Submission) (*Receipt, error) {
	s.mu.Lock()
	block := s.block
	s.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	s.subs = append(s.subs, sub)
	// The uploads exist only while Submit runs: read them now.
	for _, fl := range sub.Files {
		r, err := fl.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, err
		}
		if s.content == nil {
			s.content = map[string][]byte{}
		}
		s.content[fl.SHA256] = b
	}
	var closes time.Time
	for _, c := range s.consultations {
		if c.Slug == sub.Consultation {
			closes = c.ClosesAt
		}
	}
	return &Receipt{
		Ref:         fmt.Sprintf("VVG-2026-%04d", len(s.subs)),
		ReceivedAt:  sub.ReceivedAt,
		ClosesAt:    closes,
		ResponseDue: time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC),
		Late:        sub.ReceivedAt.After(closes),
		AckQueued:   sub.Email != "",
	}, nil
}

func (s *fakeStore) submissions() []*Submission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Submission(nil), s.subs...)
}

func (s *fakeStore) setErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// testEnv is a form over a fake store and clock.
type testEnv struct {
	form  *Server
	h     http.Handler
	store *fakeStore
	clock *clocktest.Clock
	opt   Options
}

var errFormTestStore = errors.New("database is locked")

// testOptions are the options tests start from: small limits so
// limits are cheap to cross.
func testOptions(t testing.TB, clock *clocktest.Clock) Options {
	return Options{
		OrgName: "Aleksoto vietos veiklos grupė", OrgShortName: "Aleksoto VVG",
		ContactEmail: "vvg@example.lt", ContactPhone: "+370 600 00000",
		PrivacyNotice:   "Duomenis tvarko Aleksoto VVG.\n\nJie saugomi 5 metus.",
		PrivacyNoticeEN: "Aleksotas VVG processes the data.",
		Measures: []Measure{
			{Code: "1.1", Title: "Bendruomenių veikla", TitleEN: "Community activity"},
			{Code: "2.1", Title: "Verslumas", TitleEN: "Entrepreneurship"},
			{Code: "other", Title: "Kita", TitleEN: "Other"},
		},
		Loc:            testLoc(t),
		MaxUploadBytes: 4 << 10,
		MaxFiles:       2,
		AllowedTypes:   []string{"application/pdf", "image/jpeg", "image/png", typeDOCX},
		MaxTextRunes:   500,
		RatePerHour:    1000,
		MinFill:        3 * time.Second,
		Secret:         []byte("test secret, not for production"),
		Now:            clock.Now,
	}
}

// newFormTestEnv starts a form; edit changes the options first.
func newFormTestEnv(t testing.TB, edit func(*Options)) *testEnv {
	t.Helper()
	loc := testLoc(t)
	clock := clocktest.New(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))
	store := &fakeStore{consultations: []Consultation{
		{Slug: "strategija-2026", Title: "Strategijos keitimas", Description: "Kviečiame teikti pasiūlymus.\n\nAntra pastraipa.",
			Status: "open", OpensAt: time.Date(2026, 11, 16, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 12, 14, 0, 0, 0, 0, loc)},
		{Slug: "parkas", Title: "Parko sutvarkymas", Status: "open",
			OpensAt: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 12, 20, 17, 0, 0, 0, loc)},
		{Slug: "senoji", Title: "Senoji konsultacija", Status: "closed",
			OpensAt: time.Date(2026, 1, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 2, 1, 0, 0, 0, 0, loc)},
		{Slug: "ataskaita", Title: "Baigta ir aptarta", Status: "published",
			OpensAt: time.Date(2026, 1, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2026, 3, 1, 0, 0, 0, 0, loc)},
		{Slug: "juodrastis", Title: "Juodraštis", Status: "draft",
			OpensAt: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), ClosesAt: time.Date(2027, 1, 1, 0, 0, 0, 0, loc)},
		{Slug: "busima", Title: "Būsima konsultacija", Status: "open",
			OpensAt: time.Date(2027, 1, 10, 0, 0, 0, 0, loc), ClosesAt: time.Date(2027, 2, 1, 0, 0, 0, 0, loc)},
	}}
	opt := testOptions(t, clock)
	if edit != nil {
		edit(&opt)
	}
	f, err := New(opt, store)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &testEnv{form: f, h: f.Handler(), store: store, clock: clock, opt: opt}
}

// browserSession is one browser: it keeps the form cookie.
type browserSession struct {
	env    *testEnv
	cookie string
	remote string
	header http.Header // added to every request
}

func (e *testEnv) browser() *browserSession {
	return &browserSession{env: e, remote: "192.0.2.10:4711", header: http.Header{}}
}

func (b *browserSession) do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = b.remote
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: cookieName, Value: b.cookie})
	}
	rec := httptest.NewRecorder()
	b.env.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == cookieName {
			b.cookie = c.Value
		}
	}
	return rec
}

func (b *browserSession) get(target string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// tokenRE finds the token in a served form.
var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// csrfToken returns the token of the form in body, failing without one.
func tokenOf(t testing.TB, body string) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no token in page:\n%s", body)
	}
	return html.UnescapeString(m[1])
}

// open fetches the form of slug and returns its token.
func (b *browserSession) open(t testing.TB, slug string) string {
	t.Helper()
	rec := b.get("/k/" + slug)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /k/%s: status %d", slug, rec.Code)
	}
	return tokenOf(t, rec.Body.String())
}

// testFile is an upload.
type testFile struct {
	name, ctype string
	data        []byte
}

// multipartBody builds a multipart body the way a browser sends the form.
func multipartBody(t testing.TB, fields url.Values, files []testFile) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range []string{"token", "lang", "text", "measure", "name", "email", "sector", "consent", "website"} {
		for _, v := range fields[k] {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for k, vs := range fields {
		if !knownField(k) {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, f.name))
		ct := f.ctype
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// post sends the form of slug.
func (b *browserSession) post(t testing.TB, slug string, fields url.Values, files []testFile) *httptest.ResponseRecorder {
	t.Helper()
	ct, body := multipartBody(t, fields, files)
	req := httptest.NewRequest(http.MethodPost, "/k/"+slug, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return b.do(req)
}

// submitValid opens the form, waits past MinFill and sends fields (the
// token is added).
func (b *browserSession) submit(t testing.TB, slug string, fields url.Values, files []testFile) *httptest.ResponseRecorder {
	t.Helper()
	tok := b.open(t, slug)
	b.env.clock.Advance(time.Minute)
	fields = copyValues(fields)
	fields.Set("token", tok)
	return b.post(t, slug, fields, files)
}

func copyValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// refOf returns the reference number on a receipt page, or "".
func refOf(body string) string {
	m := regexp.MustCompile(`id="ref">([^<]+)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// mustContain fails unless body has every want.
func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
