package notifytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// EnvReal is the switch CI sets: run against real servers and fail, never
// skip, when one is missing.
const EnvReal = "VVGINTAKE_TEST_REAL"

// EnvMailpit may name the mailpit binary explicitly.
const EnvMailpit = "VVGINTAKE_MAILPIT"

// Mailpit is a private Mailpit (github.com/axllent/mailpit) process: a real
// SMTP server on 127.0.0.1 whose REST API shows what arrived, parsed.
type Mailpit struct {
	SMTPAddr string // host:port of the SMTP listener (plaintext, any AUTH accepted)
	APIAddr  string // host:port of the web UI and REST API

	bin, db, logPath string
	cmd              *exec.Cmd
	exited           chan struct{} // closed when cmd has been waited for
	client           *http.Client
}

// StartMailpit starts Mailpit on free loopback ports with its database in
// t.TempDir(), and stops it (by pid) when the test ends. The binary is
// $VVGINTAKE_MAILPIT, else mailpit on PATH, else $(go env GOPATH)/bin.
// Without a binary the test is skipped, or failed when VVGINTAKE_TEST_REAL=1.
func StartMailpit(t testing.TB) *Mailpit {
	t.Helper()
	bin, err := findMailpit()
	if err != nil {
		if os.Getenv(EnvReal) == "1" {
			t.Fatalf("mailpit required by %s=1: %v", EnvReal, err)
		}
		t.Skipf("mailpit not available (%v); install with: GOBIN=$(go env GOPATH)/bin go install github.com/axllent/mailpit@v1.27.11", err)
	}
	dir := t.TempDir()
	m := &Mailpit{
		bin:     bin,
		db:      filepath.Join(dir, "mailpit.db"),
		logPath: filepath.Join(dir, "mailpit.log"),
		client:  &http.Client{Timeout: 10 * time.Second},
	}
	// A free port found by listening on :0 can be taken by someone else
	// before Mailpit binds it; try a few pairs before giving up.
	var lastErr error
	for range 3 {
		m.SMTPAddr, m.APIAddr = freeAddr(t), freeAddr(t)
		if lastErr = m.start(); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatalf("start mailpit: %v", lastErr)
	}
	t.Cleanup(func() { m.stop() })
	return m
}

// findMailpit locates the binary as StartMailpit documents.
func findMailpit() (string, error) {
	if p := os.Getenv(EnvMailpit); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s: %w", EnvMailpit, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		gopath = strings.TrimSpace(string(out))
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no mailpit binary in $" + EnvMailpit + ", PATH or $(go env GOPATH)/bin")
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find free port: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// start launches the process on the ports already chosen and waits until
// both the API and SMTP answer.
func (m *Mailpit) start() error {
	logf, err := os.OpenFile(m.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(m.bin,
		"--database", m.db,
		"--listen", m.APIAddr,
		"--smtp", m.SMTPAddr,
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		"--max", "0", // keep everything; tests delete explicitly
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", m.bin, err)
	}
	m.cmd, m.exited = cmd, make(chan struct{})
	exited := m.exited
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if m.ready() {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("mailpit exited early: %s", m.logTail())
		case <-ctx.Done():
			m.stop()
			return fmt.Errorf("mailpit not ready after 20s: %s", m.logTail())
		case <-tick.C:
		}
	}
}

// ready reports whether the API says ready and SMTP accepts connections.
func (m *Mailpit) ready() bool {
	resp, err := m.client.Get("http://" + m.APIAddr + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", m.SMTPAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// stop ends the process by its pid: SIGTERM, then SIGKILL after 10 s.
func (m *Mailpit) stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	select {
	case <-m.exited:
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
}

func (m *Mailpit) logTail() string {
	b, _ := os.ReadFile(m.logPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// Stop stops Mailpit, keeping its database and ports, for outage tests.
func (m *Mailpit) Stop(t testing.TB) {
	t.Helper()
	m.stop()
}

// Start starts a stopped Mailpit again on the same ports and database.
func (m *Mailpit) Start(t testing.TB) {
	t.Helper()
	select {
	case <-m.exited:
	default:
		t.Fatalf("mailpit is still running")
	}
	if err := m.start(); err != nil {
		t.Fatalf("restart mailpit: %v", err)
	}
}

// Address is a mailbox as Mailpit's API reports it.
type Address struct {
	Name    string
	Address string
}

// Summary is a message in Mailpit's list.
type Summary struct {
	ID          string // Mailpit's database id, for Message/Raw
	MessageID   string // the Message-ID header, without <>
	Subject     string // decoded
	From        Address
	To          []Address
	Created     time.Time
	Size        int
	Attachments int
	Snippet     string
}

// Part is an attachment or inline part of a message.
type Part struct {
	PartID      string
	FileName    string
	ContentType string
	ContentID   string
	Size        int
}

// Full is a message parsed by Mailpit.
type Full struct {
	ID          string
	MessageID   string
	Subject     string
	From        Address
	To          []Address
	Text        string      // the text/plain body, decoded
	HTML        string      // the text/html body, decoded
	Headers     mail.Header // raw (undecoded) header values, canonical keys
	Inline      []Part
	Attachments []Part
}

// Messages lists all stored messages, newest first.
func (m *Mailpit) Messages(t testing.TB) []Summary {
	t.Helper()
	var out []Summary
	for start := 0; ; {
		var page struct {
			MessagesCount int `json:"messages_count"`
			Messages      []Summary
		}
		m.getJSON(t, fmt.Sprintf("/api/v1/messages?start=%d&limit=250", start), &page)
		out = append(out, page.Messages...)
		start += len(page.Messages)
		if len(page.Messages) == 0 || start >= page.MessagesCount {
			return out
		}
	}
}

// Message returns one message, parsed, with its headers.
func (m *Mailpit) Message(t testing.TB, id string) Full {
	t.Helper()
	var f Full
	m.getJSON(t, "/api/v1/message/"+url.PathEscape(id), &f)
	var h map[string][]string
	m.getJSON(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	f.Headers = mail.Header(h)
	return f
}

// Raw returns the message exactly as Mailpit received it.
func (m *Mailpit) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+url.PathEscape(id)+"/raw")
}

// PartData returns the decoded content of an attachment or inline part.
func (m *Mailpit) PartData(t testing.TB, id, partID string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+url.PathEscape(id)+"/part/"+url.PathEscape(partID))
}

// WaitCount polls until at least n messages are stored, failing the test
// after timeout, and returns them newest first.
func (m *Mailpit) WaitCount(t testing.TB, n int, timeout time.Duration) []Summary {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		msgs := m.Messages(t)
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-deadline.C:
			t.Fatalf("mailpit: got %d messages after %s, want %d", len(msgs), timeout, n)
		case <-tick.C:
		}
	}
}

// DeleteAll deletes every stored message.
func (m *Mailpit) DeleteAll(t testing.TB) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, "http://"+m.APIAddr+"/api/v1/messages", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatalf("mailpit delete: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req)
	if err != nil {
		t.Fatalf("mailpit delete: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit delete: %s: %s", resp.Status, b)
	}
}

func (m *Mailpit) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := m.client.Get("http://" + m.APIAddr + path)
	if err != nil {
		t.Fatalf("mailpit get %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("mailpit get %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit get %s: %s: %s", path, resp.Status, b)
	}
	return b
}

func (m *Mailpit) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(m.get(t, path), v); err != nil {
		t.Fatalf("mailpit get %s: decode: %v", path, err)
	}
}
