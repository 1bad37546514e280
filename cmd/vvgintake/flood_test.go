package main

import (
	"bufio"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestFormUploadFlood posts 25 concurrent 30 MB forms (three 10 MB
// files each) to a running daemon, first without a cookie and token (as
// an attacker would), then with them (as 25 browsers would, the rate
// limit lifted), and reads the daemon's peak resident memory (VmHWM). It
// read every body into memory first: 25 posts took ~750 MB. Bodies are
// generated as they are sent, so the client holds none of them either.
// VVGINTAKE_FLOOD_POSTS and VVGINTAKE_FLOOD_MB change the size
// (bench/upload.sh prints the figures).
func TestFormUploadFlood(t *testing.T) {
	t.Parallel()
	posts, mb := envInt("VVGINTAKE_FLOOD_POSTS", 25), envInt("VVGINTAKE_FLOOD_MB", 30)
	addr := freeAddr(t)
	c := newE2ECLI(t, "VVGINTAKE_FORM_ENABLED=true", "VVGINTAKE_FORM_LISTEN="+addr, "VVGINTAKE_FORM_MAX_UPLOAD_MB="+strconv.Itoa(mb/3+1),
		"VVGINTAKE_FORM_MAX_FILES=3", "VVGINTAKE_FORM_RATE_LIMIT_PER_HOUR=100000", "VVGINTAKE_FORM_MIN_FILL_SECONDS=0")
	today := time.Now()
	c.ok("consultation", "create", "potvynis", "--title", "Potvynis", "--opens", today.AddDate(0, 0, -1).Format("2006-01-02"),
		"--closes", today.AddDate(0, 0, 10).Format("2006-01-02"))
	// A staff correction in the ledger: the daemon trains its model with
	// it at start, and scheduled retraining may train again; no
	// training's memory may stay behind for the uploads to come on top of.
	ref := recordedRef.FindStringSubmatch(c.ok("submissions", "add", "--consultation", "potvynis",
		"--text", "Norėčiau, kad kas nors pasikeistų.", "--received", today.Format("2006-01-02")))[1]
	c.ok("submissions", "set-measure", ref, "4")
	cmd := exec.Command(binary(t), "-config", exampleConfig, "run")
	cmd.Env = c.env
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	base := "http://" + addr
	// The consultation is a draft until the scheduler's first pass opens
	// it; until then its form is not found.
	e2eWait(t, 30*time.Second, "the consultation's form", func() bool {
		resp, err := http.Get(base + "/k/potvynis")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	start := peakRSS(t, cmd.Process.Pid)

	flood := func(auth bool) map[string]int {
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			outcomes = map[string]int{}
		)
		for i := range posts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out := floodPost(base, "potvynis", auth, mb, i)
				mu.Lock()
				outcomes[out]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return outcomes
	}
	refused := flood(false)
	afterRefused := peakRSS(t, cmd.Process.Pid)
	accepted := flood(true)
	afterAccepted := peakRSS(t, cmd.Process.Pid)
	t.Logf("%d concurrent posts of %d MB: peak RSS %d MB at start, %d MB after the posts without a token (%v), %d MB after the posts with one (%v)",
		posts, mb, start>>20, afterRefused>>20, refused, afterAccepted>>20, accepted)
	if refused["403"]+refused["closed"] != posts {
		t.Errorf("posts without a token: %v, want %d refused with 403 or closed", refused, posts)
	}
	if accepted["200"] != posts {
		t.Errorf("posts with a token: %v, want %d stored", accepted, posts)
	}
	if afterAccepted > 100<<20 {
		t.Errorf("peak RSS %d MB, want under 100 MB", afterAccepted>>20)
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// peakRSS reads a process's peak resident set size from /proc.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

var floodTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// floodPost sends one form with three files making mb megabytes,
// generated as it is sent, and returns the status code or the error. With
// auth it first fetches the form for its cookie and token.
func floodPost(base, slug string, auth bool, mb, i int) string {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 5 * time.Minute}
	token := ""
	if auth {
		resp, err := client.Get(base + "/k/" + slug)
		if err != nil {
			return "get: " + err.Error()
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := floodTokenRE.FindSubmatch(page)
		if m == nil {
			return "no token"
		}
		token = string(m[1])
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for _, f := range [][2]string{{"token", token}, {"lang", "lt"}, {"text", fmt.Sprintf("Pasiūlymas nr. %d su priedais.", i)}} {
				if err := mw.WriteField(f[0], f[1]); err != nil {
					return err
				}
			}
			chunk := make([]byte, 64<<10)
			for j := range chunk {
				chunk[j] = byte('a' + j%26)
			}
			for n := range 3 {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="planas%d.pdf"`, n))
				h.Set("Content-Type", "application/pdf")
				w, err := mw.CreatePart(h)
				if err != nil {
					return err
				}
				if _, err := w.Write([]byte(fmt.Sprintf("%%PDF-1.4\n%% post %d file %d\n", i, n))); err != nil {
					return err
				}
				for left := int64(mb) << 20 / 3; left > 0; left -= int64(len(chunk)) {
					if _, err := w.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
						return err
					}
				}
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, base+"/k/"+slug, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		if strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe") {
			// Refused and closed before the client finished sending:
			// the server did not read the rest.
			return "closed"
		}
		return "post: " + err.Error()
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode)
}
