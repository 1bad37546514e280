package form

import (
	"github.com/vvgintake/vvgintake/web"

	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// countingStore accepts everything and keeps nothing, so the
// benchmark measures the handler, not a growing slice.
type countingStore struct {
	inner *fakeStore
	n     atomic.Int64
}

func (s *countingStore) Consultations(ctx context.Context) ([]Consultation, error) {
	return s.inner.Consultations(ctx)
}

func (s *countingStore) Buckets() web.BucketStore { return nil }

func (s *countingStore) Submit(ctx context.Context, sub *Submission) (*Receipt, error) {
	n := s.n.Add(1)
	return &Receipt{Ref: fmt.Sprintf("VVG-2026-%06d", n), ReceivedAt: sub.ReceivedAt, AckQueued: sub.Email != ""}, nil
}

// BenchmarkFormSubmit posts valid submissions in parallel (each with a
// fresh token, as browsers would) and reports submissions per second.
func BenchmarkFormSubmit(b *testing.B) {
	for _, bc := range []struct {
		name  string
		files []testFile
	}{
		{"text", nil},
		{"text+pdf100k", []testFile{{name: "planas.pdf", data: append(pdfFile(), bytes.Repeat([]byte("0"), 100<<10)...)}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env := newFormTestEnv(b, func(o *Options) {
				o.RatePerHour = 1 << 30
				o.MaxUploadBytes = 1 << 20
			})
			store := &countingStore{inner: env.store}
			f, err := New(env.opt, store)
			if err != nil {
				b.Fatal(err)
			}
			h := f.Handler()
			issued := env.clock.Now().Add(-time.Minute)
			cookie := f.csrf.newCookie()
			fields := url.Values{"text": {"Siūlome įrengti dviračių taką palei Nemuną ir pastatyti suoliukų."},
				"email": {"ona@example.lt"}, "consent": {"yes"}, "measure": {"2.1"}}
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					fs := copyValues(fields)
					fs.Set("token", f.csrf.issue(testSlug, cookie, issued))
					ct, body := multipartBody(b, fs, bc.files)
					req := httptest.NewRequest(http.MethodPost, "/k/"+testSlug, bytes.NewReader(body))
					req.Header.Set("Content-Type", ct)
					req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("got status %d, want 200", rec.Code)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
		})
	}
}
