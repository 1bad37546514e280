//go:build linux

package packaging

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/internal/readmetest"
)

// readmeCaddyfile returns the README's Caddyfile (the host's guide, "DNS
// and TLS in front"), so that the guide cannot drift from what works.
func readmeCaddyfile(t *testing.T) string {
	t.Helper()
	block := readmetest.Block(t, "../README.md", "### DNS and TLS in front", "caddyfile")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "   ")) // the block is indented in a list
	}
	return strings.Join(lines, "\n")
}

// TestCaddyFront runs the README's Caddyfile with the real Caddy in front
// of `vvgintake run`: each VVG name is served over TLS, the form's name
// reaches the form and the console's the console. Caddy listens on free
// loopback ports and signs its own certificates (local_certs), since no
// ACME server is reachable from a test. (That a forged X-Forwarded-For
// cannot pass for another client needs a client off loopback, which a test
// here may not be; web.ClientOf's own tests cover the reading.)
func TestCaddyFront(t *testing.T) {
	need(t, have("caddy"), "caddy (apt-get install caddy)")
	dir := t.TempDir()
	bin := filepath.Join(dir, "vvgintake")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/vvgintake").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	form, console := freePort(t), freePort(t)
	d := exec.Command(bin, "-config", "../config.example.toml", "run")
	d.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin", "VVGINTAKE_LEDGER_PATH=" + filepath.Join(dir, "vvgintake.db"),
		"VVGINTAKE_IMAP_ENABLED=false", "VVGINTAKE_SMTP_ENABLED=false", "VVGINTAKE_LOG_LEVEL=warn",
		"VVGINTAKE_FORM_LISTEN=" + form, "VVGINTAKE_CONSOLE_LISTEN=" + console,
		"VVGINTAKE_FORM_TRUSTED_PROXY_HEADER=X-Forwarded-For"}
	dlog := startServer(t, d)
	waitFor(t, "vvgintake /healthz", func() bool { return healthy(form) })

	httpPort, httpsPort := portOf(freePort(t)), portOf(freePort(t))
	caddyfile := fmt.Sprintf(`{
	admin off
	http_port %s
	https_port %s
	local_certs
	skip_install_trust
	storage file_system %s
}
`, httpPort, httpsPort, filepath.Join(dir, "caddy"))
	site := readmeCaddyfile(t)
	site = strings.ReplaceAll(site, "127.0.0.1:8080", form)
	site = strings.ReplaceAll(site, "127.0.0.1:8081", console)
	if err := os.WriteFile(filepath.Join(dir, "Caddyfile"), []byte(caddyfile+site), 0o600); err != nil {
		t.Fatal(err)
	}
	c := exec.Command("caddy", "run", "--adapter", "caddyfile", "--config", filepath.Join(dir, "Caddyfile"))
	c.Env = []string{"HOME=" + dir, "XDG_DATA_HOME=" + dir, "XDG_CONFIG_HOME=" + dir, "PATH=/usr/bin:/bin"}
	clog := startServer(t, c)

	// Every name resolves to this machine, as DNS makes it for the host.
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+httpsPort)
			},
			// Caddy's own local CA; the names are what is checked here.
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(url string, header ...string) (*http.Response, string, error) {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return nil, "", err
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b), nil
	}
	var last error
	up := func() bool {
		_, _, last = get("https://pasiulymai.aleksotovvg.lt/healthz")
		return last == nil
	}
	if !waitUntil(20*time.Second, up) {
		t.Fatalf("caddy did not serve https://pasiulymai.aleksotovvg.lt: %v\n%s", last, clog.String())
	}

	for _, tt := range []struct {
		name, url, want string
	}{
		{"form", "https://pasiulymai.aleksotovvg.lt/", "<title>Pateikite pasiūlymą"},
		// One VVG runs here: the other name reaches the same host.
		{"another VVG's name", "https://pasiulymai.kitavvg.lt/", "<title>Pateikite pasiūlymą"},
		{"console", "https://pultas.aleksotovvg.lt/login", "password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body, err := get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
				t.Fatalf("GET %s: %d, body without %q:\n%.400s", tt.url, resp.StatusCode, tt.want, body)
			}
			if resp.TLS == nil {
				t.Error("not served over TLS")
			}
		})
	}
	if t.Failed() {
		t.Logf("caddy:\n%s\nvvgintake:\n%s", clog.String(), dlog.String())
	}
}

// startServer starts a server the test talks to (vvgintake, Caddy),
// its output kept for the failure message; it dies with the test process
// and is stopped (SIGTERM) when the test ends.
func startServer(t *testing.T, cmd *exec.Cmd) *strings.Builder {
	t.Helper()
	var output strings.Builder
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	return &output
}

func portOf(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(20*time.Second, cond) {
		t.Fatalf("%s: not ready within 20 s", what)
	}
}
