package console

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

// benchRows is the ledger size the issue asks the list to be fast at.
const benchRows = 100000

var benchWords = []string{"savanorių", "dviračių", "takas", "jaunimo", "centras", "senjorams", "kursai", "verslo",
	"mokymai", "bendruomenė", "parkas", "biblioteka", "žmonės", "vaikų", "darbo", "paslaugos", "informacija",
	"stovykla", "renginiai", "sportas", "kultūra", "aplinka", "gatvė", "apšvietimas", "mentorystė"}

// BenchmarkConsole serves the list, the search and the review action
// over a ledger of 100,000 suggestions, timing each request in the
// handler (server time, no network) and reporting the 95th percentile
// and the page weight (the HTML plus the stylesheet and script it
// loads). The targets: list and search p95 ≤ 50 ms, a review
// action ≤ 20 ms, a page ≤ 100 KB. Run: go test -bench Console -benchtime 200x ./console
func BenchmarkConsole(b *testing.B) {
	env := newTestEnv(b, nil)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"1.1", "1.2", "2.1", "2.2", "3", "4", "5", "other"}
	start := time.Now()
	for done := 0; done < benchRows; {
		batch := make([]*ledger.NewSubmission, 0, 5000)
		for i := 0; i < 5000 && done < benchRows; i++ {
			// Residents' words: a few topic words among many others
			// (a vocabulary of 2,000, the common ones commoner).
			var words []string
			for range 30 + rng.IntN(60) {
				if rng.IntN(12) == 0 {
					words = append(words, benchWords[rng.IntN(len(benchWords))])
				} else {
					k := rng.IntN(2000)
					words = append(words, fmt.Sprintf("žodis%d", k*k/2000))
				}
			}
			batch = append(batch, &ledger.NewSubmission{ConsultationID: env.cons.ID, Source: ledger.SourceEmail,
				ReceivedAt: env.now.Add(-time.Duration(rng.IntN(9*24*3600)) * time.Second),
				SenderName: fmt.Sprintf("Gyventojas %d", done), SenderEmail: fmt.Sprintf("g%d@example.lt", done),
				Subject: "Pasiūlymas", Text: "Siūlau " + strings.Join(words, " ") + ".",
				Class: ledger.Classification{Measure: codes[rng.IntN(len(codes))], Confidence: rng.Float64(),
					NeedsReview: rng.IntN(5) == 0}})
			done++
		}
		if _, err := env.db.AddSubmissions(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built a ledger of %d suggestions in %s", benchRows, time.Since(start).Round(time.Second))
	c := env.client()
	c.login("staff@vvg.test")
	u, _ := url.Parse(env.http.URL)
	cookies := c.Jar.Cookies(u)
	h := env.srv.Handler()
	serve := func(method, target string, form url.Values) (time.Duration, *httptest.ResponseRecorder) {
		var req *http.Request
		if form != nil {
			form.Set("csrf", c.csrf)
			req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, req)
		return time.Since(t0), w
	}
	c.get("/submissions")
	assets := env.srv.static.Size("console.css") + env.srv.static.Size("console.js")

	run := func(b *testing.B, name string, next func(i int) (string, string, url.Values), want int) {
		b.Run(name, func(b *testing.B) {
			var times []time.Duration
			maxBytes := 0
			for i := 0; b.Loop(); i++ {
				method, target, form := next(i)
				d, w := serve(method, target, form)
				if w.Code != want {
					b.Fatalf("%s %s: got %d, want %d\n%.300s", method, target, w.Code, want, w.Body.String())
				}
				times = append(times, d)
				maxBytes = max(maxBytes, w.Body.Len())
			}
			slices.Sort(times)
			p95 := times[len(times)*95/100]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			if method, _, _ := next(0); method == http.MethodGet {
				b.ReportMetric(float64(maxBytes+assets)/1024, "page-KB")
			}
		})
	}
	filters := []string{"", "&measure=2.1", "&review=1", "&status=new&late=0", "&sort=-confidence", "&source=email&decided=0",
		"&consultation=strategija&sort=measure"}
	run(b, "list", func(i int) (string, string, url.Values) {
		return http.MethodGet, fmt.Sprintf("/submissions?page=%d%s", 1+rng.IntN(40), filters[i%len(filters)]), nil
	}, http.StatusOK)
	run(b, "search", func(i int) (string, string, url.Values) {
		w := benchWords[rng.IntN(len(benchWords))]
		if i%2 == 1 {
			w = foldForBench(w)
		}
		if i%5 == 4 {
			w += " " + benchWords[rng.IntN(len(benchWords))]
		}
		return http.MethodGet, "/submissions?q=" + url.QueryEscape(w), nil
	}, http.StatusOK)
	queue, _, err := env.db.ReviewQueue(ctx, "", 20000)
	if err != nil {
		b.Fatal(err)
	}
	run(b, "review", func(i int) (string, string, url.Values) {
		return http.MethodPost, "/review/" + queue[i%len(queue)], url.Values{"measure": {codes[i%len(codes)]}}
	}, http.StatusSeeOther)
	run(b, "review-page", func(i int) (string, string, url.Values) {
		return http.MethodGet, "/review/" + queue[(i+7)%len(queue)], nil
	}, http.StatusOK)
}

func foldForBench(s string) string {
	return strings.NewReplacer("ą", "a", "č", "c", "ę", "e", "ė", "e", "į", "i", "š", "s", "ų", "u", "ū", "u", "ž", "z").Replace(s)
}
