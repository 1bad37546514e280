package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/logtest"
)

// quietVVG is a VVG file with no mailbox and no SMTP: the form and the
// console only, on ledger (a path).
func quietVVG(slug, prefix, ledgerPath, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[organisation]\nname = %q\nmailbox = %q\nref_prefix = %q\n\n[ledger]\npath = %q\n\n[notify]\ndigest_schedule = \"\"\n\n"+
		"[console]\nenabled = true\n%s\n[[consultations]]\nslug = \"strategija\"\ntitle = %q\nopens_at = \"2026-01-01\"\ncloses_at = \"2030-12-31\"\n",
		slug+" VVG", slug+"@vvg.test", prefix, ledgerPath, extra, slug+" strategija")
	for _, c := range []string{"1.1", "1.2", "2.1", "2.2", "3", "4", "5", "other"} {
		fmt.Fprintf(&b, "\n[[measures]]\ncode = %q\ntitle = %q\n", c, "Priemonė "+c)
	}
	return b.String()
}

// TestHostReload: the host follows its directory without a restart.
// A VVG whose file does not load, or whose ledger cannot be opened, is
// reported and the others run; a changed file restarts only its VVG; a
// changed file that does not load leaves the previous configuration
// running; a removed file stops its VVG; a VVG with a host name is
// served at that name's root and not under /SLUG/.
func TestHostReload(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "vvgintake.d")
	os.MkdirAll(dir, 0o755)
	write := func(slug, data string) {
		t.Helper()
		tmp := filepath.Join(dir, "."+slug+".new")
		if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, slug+".toml")); err != nil {
			t.Fatal(err)
		}
	}
	db := func(slug string) string { return filepath.Join(root, slug+".db") }
	write("alfa", quietVVG("alfa", "ALFA", db("alfa"), ""))
	write("beta", quietVVG("beta", "BETA", db("beta"), "host = \"pultas.beta.test\"\n"))
	write("blogas", "[organisation]\nnmae = \"typo\"\n")
	write("diskas", quietVVG("diskas", "DISK", filepath.Join(root, "no-such-folder", "x.db"), ""))
	h, err := NewHost(dir, HostOptions{Listener: e2eListen(t), ConsoleListener: e2eListen(t), Scan: 100 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("host run: %v", err)
		}
	}()
	state := func(slug string) VVGState {
		for _, s := range h.States() {
			if s.Slug == slug {
				return s
			}
		}
		return VVGState{Slug: slug, State: "absent"}
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not after 20 s; states %+v", what, h.States())
			}
		}
	}
	waitFor("alfa and beta run", func() bool { return state("alfa").State == unitRunning && state("beta").State == unitRunning })
	waitFor("diskas failed", func() bool { return state("diskas").State == unitFailed })
	if s := state("blogas"); s.State != unitConfigError || !strings.Contains(fmt.Sprint(s.Err), "nmae") {
		t.Errorf("blogas: %s (%v), want a config error naming the key", s.State, s.Err)
	}

	con := "http://" + h.ConsoleAddr()
	get := func(url, host string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name, path, host string
		want             int
	}{
		{"alfa by path", "/alfa/login", "", http.StatusOK},
		{"beta by its host name", "/login", "pultas.beta.test", http.StatusOK},
		{"beta by its host name, with a port", "/login", "pultas.beta.test:443", http.StatusOK},
		{"beta not by path", "/beta/login", "", http.StatusNotFound},
		{"a VVG whose file does not load", "/blogas/login", "", http.StatusNotFound},
		{"no such VVG", "/nera/login", "", http.StatusNotFound},
		{"the root", "/", "", http.StatusNotFound},
	} {
		if got := get(con+tc.path, tc.host); got != tc.want {
			t.Errorf("%s: GET %s (Host %q): %d, want %d", tc.name, tc.path, tc.host, got, tc.want)
		}
	}
	web := "http://" + h.Addr()
	if got := get(web+"/readyz", ""); got != http.StatusServiceUnavailable {
		t.Errorf("host /readyz with blogas and diskas down: %d, want 503", got)
	}
	if got := get(web+"/alfa/readyz", ""); got != http.StatusOK {
		t.Errorf("alfa's /readyz: %d, want 200", got)
	}

	// A slip in alfa's file: alfa runs on, the problem reported.
	alfa := h.Daemon("alfa")
	write("alfa", quietVVG("alfa", "ALFA", db("alfa"), "bogus = 1\n"))
	waitFor("alfa's pending problem", func() bool { return state("alfa").Pending })
	if h.Daemon("alfa") != alfa || state("alfa").State != unitRunning {
		t.Errorf("alfa after a file that does not load: %+v, want the same daemon running", state("alfa"))
	}
	// Put back as it runs: the problem is gone, nothing restarts.
	write("alfa", quietVVG("alfa", "ALFA", db("alfa"), ""))
	waitFor("alfa's problem gone", func() bool { return !state("alfa").Pending })
	if h.Daemon("alfa") != alfa {
		t.Errorf("alfa restarted when its file was put back as it runs")
	}
	// Fixed and changed (a new prefix): alfa restarts, beta does not.
	beta := h.Daemon("beta")
	write("alfa", quietVVG("alfa", "ALF", db("alfa"), ""))
	waitFor("alfa restarted", func() bool { d := h.Daemon("alfa"); return d != nil && d != alfa })
	if h.Daemon("beta") != beta || state("beta").Starts != 1 {
		t.Errorf("beta restarted when alfa's file changed: %+v", state("beta"))
	}
	if s := state("alfa"); s.Pending || s.Err != nil {
		t.Errorf("alfa after the fix: %+v, want no problem", s)
	}
	// Touched, not changed: nothing restarts.
	d := h.Daemon("alfa")
	now := time.Now().Add(time.Second)
	os.Chtimes(filepath.Join(dir, "alfa.toml"), now, now)
	h.Rescan()
	time.Sleep(300 * time.Millisecond)
	if h.Daemon("alfa") != d {
		t.Errorf("alfa restarted when its file was only touched")
	}
	// Removed: alfa stops, its path is gone.
	os.Remove(filepath.Join(dir, "alfa.toml"))
	waitFor("alfa removed", func() bool { return state("alfa").State == "absent" })
	if got := get(con+"/alfa/login", ""); got != http.StatusNotFound {
		t.Errorf("GET /alfa/login after alfa's file was removed: %d, want 404", got)
	}
	// The failed VVG's folder appears: it starts on its next try.
	os.MkdirAll(filepath.Join(root, "no-such-folder"), 0o755)
	waitFor("diskas runs once its folder exists", func() bool { return state("diskas").State == unitRunning })
	if h.Daemon("beta") != beta {
		t.Errorf("beta restarted meanwhile")
	}
}

// TestHostCLI: staff commands on a host of several VVGs name theirs with
// --vvg SLUG; without it they say which there are; status and
// check-config go over every VVG.
func TestHostCLI(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "vvgintake.d")
	os.MkdirAll(dir, 0o755)
	for _, v := range [][2]string{{"alfa", "ALFA"}, {"beta", "BETA"}} {
		if err := os.WriteFile(filepath.Join(dir, v[0]+".toml"), []byte(quietVVG(v[0], v[1], filepath.Join(root, v[0]+".db"), "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runIn := func(environ []string, args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, environ)
		return code, out.String(), errb.String()
	}
	run := func(args ...string) (int, string, string) { return runIn(nil, args...) }
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"which VVG?", []string{"-config-dir", dir, "consultation", "list"}, exitUsage, "", "2 VVGs (alfa, beta): say which with --vvg SLUG"},
		{"--vvg before the command", []string{"-config-dir", dir, "--vvg", "beta", "consultation", "list"}, exitOK, "beta strategija", ""},
		{"--vvg after it", []string{"-config-dir", dir, "consultation", "list", "--vvg=alfa"}, exitOK, "alfa strategija", ""},
		{"from the environment", []string{"consultation", "list", "--vvg", "alfa"}, exitOK, "alfa strategija", ""},
		{"no such VVG", []string{"-config-dir", dir, "--vvg", "nera", "status"}, exitUsage, "", "nera.toml"},
		{"--vvg without a directory", []string{"-config", filepath.Join(dir, "alfa.toml"), "--vvg", "alfa", "status"}, exitUsage, "", "--vvg chooses a VVG"},
		{"both forms", []string{"-config", filepath.Join(dir, "alfa.toml"), "-config-dir", dir, "status"}, exitUsage, "", "exclude each other"},
		{"check-config over all", []string{"-config-dir", dir, "check-config"}, exitOK, "== beta", ""},
		{"status over all", []string{"-config-dir", dir, "status"}, exitOK, "== alfa", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			code, out, errs := runIn([]string{"VVGINTAKE_CONFIG_DIR=" + dir}, args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
				t.Errorf("vvgintake %s: exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout with %q, stderr with %q",
					strings.Join(args, " "), code, out, errs, tc.code, tc.out, tc.err)
			}
		})
	}
	// A file that stops loading: check-config says so (exit 2), status
	// alerts (exit 1), the other VVG's commands go on.
	os.WriteFile(filepath.Join(dir, "beta.toml"), []byte("[organisation]\nnmae = 1\n"), 0o644)
	if code, out, _ := run("-config-dir", dir, "check-config"); code != exitUsage || !strings.Contains(out, "nmae") {
		t.Errorf("check-config with beta broken: exit %d\n%s", code, out)
	}
	if code, out, _ := run("-config-dir", dir, "status"); code != exitRuntime || !strings.Contains(out, "== beta\nALERT") {
		t.Errorf("status with beta broken: exit %d\n%s", code, out)
	}
	if code, _, errs := run("-config-dir", dir, "--vvg", "alfa", "consultation", "list"); code != exitOK {
		t.Errorf("alfa's command with beta broken: exit %d\n%s", code, errs)
	}
}

// TestHostBinarySIGHUP: the built binary's `run -config-dir` serves its
// VVGs on --listen and --console-listen, reads the directory again on
// SIGHUP, and stops on SIGTERM with exit 0.
func TestHostBinarySIGHUP(t *testing.T) {
	bin := binary(t)
	root := t.TempDir()
	dir := filepath.Join(root, "vvgintake.d")
	os.MkdirAll(dir, 0o755)
	put := func(slug string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, slug+".toml"), []byte(quietVVG(slug, strings.ToUpper(slug), filepath.Join(root, slug+".db"), "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("alfa")
	web, con := freeAddr(t), freeAddr(t)
	var logs logtest.Buffer
	cmd := exec.Command(bin, "-config-dir", dir, "run", "--listen", web, "--console-listen", con)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + root}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	}()
	waitOK := func(url string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get(url); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not answer 200 within 30 s", url)
			}
		}
	}
	waitOK("http://" + web + "/alfa/healthz")
	waitOK("http://" + con + "/alfa/login")
	put("beta")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitOK("http://" + con + "/beta/login")
	if !strings.Contains(logs.String(), "reading the configuration directory again") {
		t.Errorf("no sign of SIGHUP in the log")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	awaitStop(t, exited, "vvgintake run -config-dir after SIGTERM")
}
