package form

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/web"
)

// TestFormRefusedPostsKeepBudget: posts refused for a bad token or a
// mistake in a field do not spend the budget a whole library shares
// behind one address (they did: one abuser locked everyone out).
func TestFormRefusedPostsKeepBudget(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) { o.RatePerHour = 2 })
	abuser := env.browser()
	for range 20 {
		if rec := abuser.post(t, testSlug, fieldsWith("token", "forged"), nil); rec.Code == http.StatusTooManyRequests {
			t.Fatalf("a forged post was rate limited: it spent budget")
		}
	}
	resident := env.browser() // same address: the library's NAT
	tok := resident.open(t, testSlug)
	env.clock.Advance(time.Minute)
	if rec := resident.post(t, testSlug, url2("token", tok, "text", ""), nil); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("empty text: status %d, want 422", rec.Code)
	}
	for i := range 2 {
		if rec := resident.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusOK {
			t.Fatalf("resident's submission %d after 20 forged posts and a mistake: status %d, want 200", i+1, rec.Code)
		}
	}
	if rec := resident.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusTooManyRequests {
		t.Errorf("third stored submission: status %d, want 429 (the budget is 2)", rec.Code)
	}
}

func url2(kv ...string) map[string][]string {
	v := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = []string{kv[i+1]}
	}
	return v
}

// countingBody counts what the handler reads of a body.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingBody) Close() error { return nil }

// TestFormFilesNotReadWithoutToken: a post without our cookie and a valid
// token is refused before its files are read (the whole body was read
// into memory first), and the resident's text is shown again.
func TestFormFilesNotReadWithoutToken(t *testing.T) {
	env := newFormTestEnv(t, func(o *Options) { o.MaxUploadBytes = 8 << 20 })
	big := append(pdfFile(), bytes.Repeat([]byte("x"), 6<<20)...)
	tests := []struct {
		name   string
		cookie bool
		token  string
	}{
		{"no cookie, no token", false, ""},
		{"cookie, forged token", true, "forged"},
		{"no cookie, a token of another browser", false, "valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.browser()
			tok := tt.token
			if tok == "valid" {
				tok = env.browser().open(t, testSlug)
			} else if tt.cookie {
				b.open(t, testSlug)
			}
			env.clock.Advance(time.Minute)
			fields := fieldsWith("token", tok, "text", "Mano pasiūlymas apie parką")
			ct, body := multipartBody(t, fields, []testFile{{name: "planas.pdf", data: big}, {name: "planas2.pdf", data: big}})
			cb := &countingBody{r: bytes.NewReader(body)}
			req := httptest.NewRequest(http.MethodPost, "/k/"+testSlug, nil)
			req.Body = cb
			req.ContentLength = int64(len(body))
			req.Header.Set("Content-Type", ct)
			rec := b.do(req)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403", rec.Code)
			}
			if cb.n > 1<<20 {
				t.Errorf("read %d bytes of a %d-byte post before refusing it, want under 1 MiB", cb.n, len(body))
			}
			if !strings.Contains(rec.Body.String(), "Mano pasiūlymas apie parką") {
				t.Errorf("the text was not shown again")
			}
			if got := rec.Header().Get("Connection"); got != "close" {
				t.Errorf("Connection %q, want close (the rest is not drained)", got)
			}
		})
	}
}

// TestFormUploadsStreamed: an accepted upload is readable by the store
// with its digest, and its temporary file is gone after the request.
func TestFormUploadsStreamed(t *testing.T) {
	dir := t.TempDir()
	env := newFormTestEnv(t, func(o *Options) { o.UploadDir = dir; o.MaxUploadBytes = 1 << 20 })
	data := append(pdfFile(), bytes.Repeat([]byte("y"), 700<<10)...)
	rec := env.browser().submit(t, testSlug, validFields(), []testFile{{name: "planas.pdf", data: data}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	subs := env.store.submissions()
	fl := subs[len(subs)-1].Files[0]
	if fl.Size != int64(len(data)) || !bytes.Equal(env.store.content[fl.SHA256], data) {
		t.Errorf("stored %d bytes, digest %s: want the upload", fl.Size, fl.SHA256)
	}
	if left, _ := filepathGlob(dir); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// memBuckets is a web.BucketStore in memory.
type memBuckets struct {
	mu sync.Mutex
	m  map[string]web.Bucket
}

func (s *memBuckets) LoadBucket(_ context.Context, key string) (web.Bucket, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	return b, ok, nil
}

func (s *memBuckets) SaveBucket(_ context.Context, key string, b web.Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = b
	return nil
}

// TestFormBudgetSurvivesRestart: the budget lives in the Store's
// BucketStore, so a restart does not refill it (it did).
func TestFormBudgetSurvivesRestart(t *testing.T) {
	buckets := &memBuckets{m: map[string]web.Bucket{}}
	env := newFormTestEnv(t, func(o *Options) { o.RatePerHour = 2 })
	env.store.buckets = buckets
	f, err := New(env.opt, env.store)
	if err != nil {
		t.Fatal(err)
	}
	env.form, env.h = f, f.Handler()
	b := env.browser()
	for range 2 {
		if rec := b.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusOK {
			t.Fatalf("status %d, want 200", rec.Code)
		}
	}
	restarted, err := New(env.opt, env.store)
	if err != nil {
		t.Fatal(err)
	}
	env.form, env.h = restarted, restarted.Handler()
	if rec := b.submit(t, testSlug, validFields(), nil); rec.Code != http.StatusTooManyRequests {
		t.Errorf("after a restart: status %d, want 429 (the budget was spent)", rec.Code)
	}
}

func filepathGlob(dir string) ([]string, error) { return filepath.Glob(filepath.Join(dir, "*")) }
