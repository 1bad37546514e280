package notify

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/notify/notifytest"
	gomail "github.com/wneessen/go-mail"
	"golang.org/x/oauth2"
)

func TestNewMailerOptions(t *testing.T) {
	tests := []struct {
		name     string
		opt      SMTPOptions
		wantErr  string // substring; "" = no error
		wantPort int
	}{
		{"defaults", SMTPOptions{Host: "smtp.example.lt"}, "", 587},
		{"implicit", SMTPOptions{Host: "smtp.example.lt", TLS: "implicit"}, "", 465},
		{"plaintext to loopback", SMTPOptions{Host: "127.0.0.1", TLS: "none", AllowInsecure: true}, "", 25},
		{"plaintext to ::1", SMTPOptions{Host: "::1", TLS: "none", AllowInsecure: true, Port: 2525}, "", 2525},
		{"plaintext to localhost", SMTPOptions{Host: "localhost", TLS: "none", AllowInsecure: true}, "", 25},
		{"plaintext to remote refused", SMTPOptions{Host: "smtp.example.lt", TLS: "none", AllowInsecure: true}, "smtp.tls: \"none\" is refused for non-loopback host", 0},
		{"plaintext to LAN IP refused", SMTPOptions{Host: "192.168.1.10", TLS: "none", AllowInsecure: true}, "non-loopback", 0},
		{"plaintext without allow", SMTPOptions{Host: "127.0.0.1", TLS: "none"}, "allow_insecure", 0},
		{"bad tls", SMTPOptions{Host: "h", TLS: "ssl"}, "smtp.tls: must be", 0},
		{"no host", SMTPOptions{}, "smtp.host", 0},
		{"bad port", SMTPOptions{Host: "h", Port: 70000}, "smtp.port", 0},
		{"password needs secret", SMTPOptions{Host: "h", Auth: "password", Username: "u"}, "smtp.password: must be set", 0},
		{"username implies password", SMTPOptions{Host: "h", Username: "u"}, "smtp.password: must be set", 0},
		{"xoauth2 needs source", SMTPOptions{Host: "h", Auth: "xoauth2", Username: "u"}, "smtp.token_source: must be set", 0},
		{"bad auth", SMTPOptions{Host: "h", Auth: "cram"}, "smtp.auth: must be", 0},
		{"bad helo", SMTPOptions{Host: "h", HELO: "a b"}, "smtp.helo", 0},
		{"all problems at once", SMTPOptions{TLS: "x", Auth: "y"}, "smtp.host", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMailer(tt.opt)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewMailer error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewMailer: %v", err)
			}
			if m.opt.Port != tt.wantPort {
				t.Errorf("port = %d, want %d", m.opt.Port, tt.wantPort)
			}
			if m.opt.TLS != TLSNone && (m.opt.TLSConfig == nil || m.opt.TLSConfig.ServerName != tt.opt.Host) {
				t.Errorf("TLSConfig.ServerName not set to host")
			}
		})
	}
	_, err := NewMailer(SMTPOptions{TLS: "x", Auth: "y"})
	for _, key := range []string{"smtp.host", "smtp.tls", "smtp.auth"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("joined error %v lacks %s", err, key)
		}
	}
}

// captureMailer starts a Capture server and a Mailer pointed at it.
func captureMailer(t *testing.T, opt SMTPOptions) (*notifytest.Capture, *Mailer) {
	t.Helper()
	c := newCapture(t, "127.0.0.1:0")
	return c, mailerTo(t, c.Addr, opt)
}

func TestSendDelivers(t *testing.T) {
	c, m := captureMailer(t, SMTPOptions{})
	msg := testAckMsg(t)
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := c.Messages()
	if len(got) != 1 {
		t.Fatalf("captured %d messages, want 1", len(got))
	}
	if got[0].From != "pasiulymai@vvg.example.lt" {
		t.Errorf("MAIL FROM = %q, want pasiulymai@vvg.example.lt", got[0].From)
	}
	if len(got[0].To) != 1 || got[0].To[0] != "zydrune@example.lt" {
		t.Errorf("RCPT TO = %q, want [zydrune@example.lt]", got[0].To)
	}
	p := parse(t, got[0].Raw)
	if want := "[VVG-2026-0042] Jūsų pasiūlymas gautas"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	if got[0].AuthMech != "" {
		t.Errorf("authenticated with %s, want no AUTH", got[0].AuthMech)
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name      string
		inject    func(*notifytest.Capture)
		temporary bool
		code      int
		response  string
	}{
		{"4xx is temporary", func(c *notifytest.Capture) { c.FailNext(1, 451, "Greylisted, try again later") }, true, 451, "Greylisted, try again later"},
		{"452 is temporary", func(c *notifytest.Capture) { c.FailNext(1, 452, "Mailbox full") }, true, 452, "Mailbox full"},
		{"5xx is permanent", func(c *notifytest.Capture) { c.FailNext(1, 554, "Message rejected as spam") }, false, 554, "Message rejected as spam"},
		{"550 is permanent", func(c *notifytest.Capture) { c.FailNext(1, 550, "No such user here") }, false, 550, "No such user here"},
		{"dropped mid-DATA is temporary", func(c *notifytest.Capture) { c.DropNext(1) }, true, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := captureMailer(t, SMTPOptions{})
			tt.inject(c)
			msg := testAckMsg(t)
			err := m.Send(context.Background(), msg)
			if err == nil {
				t.Fatalf("Send: want error")
			}
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *SendError", err, err)
			}
			if got := IsTemporary(err); got != tt.temporary {
				t.Errorf("IsTemporary = %v, want %v (%v)", got, tt.temporary, err)
			}
			if se.Code != tt.code {
				t.Errorf("Code = %d, want %d", se.Code, tt.code)
			}
			if !strings.Contains(se.Response, tt.response) {
				t.Errorf("Response = %q, want it to contain %q", se.Response, tt.response)
			}
			if se.Stage != "data" {
				t.Errorf("Stage = %q, want data", se.Stage)
			}
			if n := len(c.Messages()); n != 0 {
				t.Errorf("server kept %d messages, want 0", n)
			}
			// The fault was for one message only: the retry goes through.
			if err := m.Send(context.Background(), msg); err != nil {
				t.Errorf("retry: %v", err)
			}
			if n := len(c.Messages()); n != 1 {
				t.Errorf("after retry server has %d messages, want 1", n)
			}
		})
	}
}

func TestSendConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	m, err := NewMailer(SMTPOptions{Host: "127.0.0.1", Port: addr.Port, TLS: TLSNone, AllowInsecure: true, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	msg := testAckMsg(t)
	err = m.Send(context.Background(), msg)
	var se *SendError
	if !errors.As(err, &se) || se.Stage != "dial" || !IsTemporary(err) {
		t.Errorf("Send = %v, want a temporary dial error", err)
	}
}

func TestSendCancelled(t *testing.T) {
	// A server that accepts and then says nothing: only ctx can end the
	// session, since Timeout is a minute.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			accepted <- conn
		}
	}()
	addr := ln.Addr().(*net.TCPAddr)
	m, err := NewMailer(SMTPOptions{Host: "127.0.0.1", Port: addr.Port, TLS: TLSNone, AllowInsecure: true, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	msg := testAckMsg(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.Send(ctx, msg) }()
	select {
	case conn := <-accepted:
		defer conn.Close()
	case <-time.After(10 * time.Second):
		t.Fatalf("Send never connected")
	}
	cancel() // Send is now waiting for the 220 greeting
	select {
	case err := <-done:
		if err == nil || !IsTemporary(err) || !errors.Is(err, context.Canceled) {
			t.Errorf("Send after cancel = %v, want a temporary error wrapping context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Send did not return after ctx was cancelled")
	}
	if err := m.Send(ctx, msg); err == nil || !IsTemporary(err) {
		t.Errorf("Send with a done ctx = %v, want a temporary error", err)
	}
}

type staticToken string

func (s staticToken) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), Expiry: time.Now().Add(time.Hour)}, nil
}

type failingToken struct{ err error }

func (f failingToken) Token() (*oauth2.Token, error) { return nil, f.err }

func TestSendAuth(t *testing.T) {
	tests := []struct {
		name                 string
		opt                  SMTPOptions
		offer                []string
		require              [2]string
		wantMech, wantSecret string
		wantErr              string
		temporary            bool
	}{
		{"plain", SMTPOptions{Auth: "password", Username: "vvg", Password: "slaptas"}, nil, [2]string{"vvg", "slaptas"}, "PLAIN", "slaptas", "", false},
		{"login fallback", SMTPOptions{Username: "vvg", Password: "slaptas"}, []string{"LOGIN"}, [2]string{"vvg", "slaptas"}, "LOGIN", "slaptas", "", false},
		{"xoauth2", SMTPOptions{Auth: "xoauth2", Username: "vvg@example.lt", TokenSource: staticToken("ya29.token")}, nil, [2]string{"vvg@example.lt", "ya29.token"}, "XOAUTH2", "ya29.token", "", false},
		{"wrong password is permanent", SMTPOptions{Username: "vvg", Password: "blogas"}, nil, [2]string{"vvg", "slaptas"}, "", "", "smtp auth: 535", false},
		{"no usable mechanism", SMTPOptions{Username: "vvg", Password: "slaptas"}, []string{"CRAM-MD5"}, [2]string{}, "", "", "neither PLAIN nor LOGIN", false},
		{"no xoauth2 offered", SMTPOptions{Auth: "xoauth2", Username: "u", TokenSource: staticToken("t")}, []string{"PLAIN"}, [2]string{}, "", "", "does not offer XOAUTH2", false},
		{"token source down is temporary", SMTPOptions{Auth: "xoauth2", Username: "u", TokenSource: failingToken{errors.New("token endpoint down")}}, nil, [2]string{}, "", "", "token endpoint down", true},
		{"revoked grant is permanent", SMTPOptions{Auth: "xoauth2", Username: "u", TokenSource: failingToken{&oauth2.RetrieveError{
			Response: &http.Response{StatusCode: http.StatusBadRequest}, ErrorCode: "invalid_grant"}}}, nil, [2]string{}, "", "", "invalid_grant", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := captureMailer(t, tt.opt)
			if tt.offer != nil {
				c.OfferAuth(tt.offer...)
			}
			if tt.require[0] != "" {
				c.RequireAuth(tt.require[0], tt.require[1])
			}
			msg := testAckMsg(t)
			err := m.Send(context.Background(), msg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Send error = %v, want one containing %q", err, tt.wantErr)
				}
				if got := IsTemporary(err); got != tt.temporary {
					t.Errorf("IsTemporary = %v, want %v", got, tt.temporary)
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := c.Messages()
			if len(got) != 1 || got[0].AuthMech != tt.wantMech || got[0].AuthSecret != tt.wantSecret {
				t.Errorf("captured %+v, want one message authenticated with %s", got, tt.wantMech)
			}
		})
	}
}

func TestSendStartTLSRequired(t *testing.T) {
	c, err := notifytest.NewCapture("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	host, port, _ := net.SplitHostPort(c.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMailer(SMTPOptions{Host: host, Port: p, TLS: TLSStartTLS, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	msg := testAckMsg(t)
	err = m.Send(context.Background(), msg)
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Errorf("Send = %v, want a STARTTLS error", err)
	}
	if n := len(c.Messages()); n != 0 {
		t.Errorf("message sent in clear (%d captured)", n)
	}
}

func TestIsTemporary(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"send error temporary", &SendError{Temporary: true}, true},
		{"send error permanent", &SendError{Temporary: false, Code: 550}, false},
		{"wrapped", errors.Join(errors.New("outbox"), &SendError{Temporary: true}), true},
		{"deadline", context.DeadlineExceeded, true},
		{"plain error", errors.New("bad"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTemporary(tt.err); got != tt.want {
				t.Errorf("IsTemporary(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestSendErrorMessage(t *testing.T) {
	e := &SendError{Stage: "rcpt to a@b.lt", Code: 550, Response: "5.1.1 No such user"}
	if got, want := e.Error(), "smtp rcpt to a@b.lt: 550 5.1.1 No such user"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestSendRetrySameMessage resends one *Msg after the connection dropped
// in the middle of DATA: the retry must carry the whole message, the
// attachment and the inline chart included, not whatever the failed attempt
// left unread.
func TestSendRetrySameMessage(t *testing.T) {
	rd := testReport(t)
	rd.CSV = []byte(strings.Repeat("VVG-2026-0001,Dviračių takas,ąčęėįšųūž\r\n", 20000)) // ~1 MB
	report, err := BuildReport(rd, defaultTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	dd := testDigest(t, 5)
	digest, _, err := BuildDigest(dd, defaultTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	chart, err := Chart(chartLabels(dd.Consultations[0].Measures, dd.Lang), true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		msg  *gomail.Msg
		ct   string
		want []byte
	}{
		{"report csv", report, "text/csv", rd.CSV},
		{"digest chart", digest, "image/png", chart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, m := captureMailer(t, SMTPOptions{})
			c.DropNext(1)
			if err := m.Send(context.Background(), tt.msg); err == nil || !IsTemporary(err) {
				t.Fatalf("first Send = %v, want a temporary error", err)
			}
			if err := m.Send(context.Background(), tt.msg); err != nil {
				t.Fatalf("retry: %v", err)
			}
			got := c.Messages()
			if len(got) != 1 {
				t.Fatalf("captured %d messages, want 1", len(got))
			}
			for _, pt := range parse(t, got[0].Raw).Parts {
				if pt.ContentType == tt.ct {
					if !bytes.Equal(pt.Body, tt.want) {
						t.Errorf("%s after retry is %d bytes, want %d", tt.ct, len(pt.Body), len(tt.want))
					}
					return
				}
			}
			t.Errorf("no %s part after retry", tt.ct)
		})
	}
}

// failAfter is a writer that breaks after n bytes, like a dropped connection.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errors.New("connection reset")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestMsgRewritableAfterFailedWrite pins the property retries rely on: a
// message whose serialisation failed part-way writes in full next time.
func TestMsgRewritableAfterFailedWrite(t *testing.T) {
	rd := testReport(t)
	rd.CSV = []byte(strings.Repeat("VVG-2026-0001,Dviračių takas\r\n", 5000))
	dd := testDigest(t, 5)
	for _, tt := range []struct {
		name  string
		build func() (*gomail.Msg, error)
		ct    string
	}{
		{"report csv", func() (*gomail.Msg, error) { return BuildReport(rd, defaultTemplates(t)) }, "text/csv"},
		{"digest chart", func() (*gomail.Msg, error) { m, _, err := BuildDigest(dd, defaultTemplates(t)); return m, err }, "image/png"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fresh, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			msg, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			// Break the first write inside the attachment.
			full := render(t, fresh)
			if _, err := msg.WriteTo(&failAfter{n: len(full) - 500}); err == nil {
				t.Fatalf("WriteTo through a failing writer succeeded")
			}
			want, got := parse(t, full), parse(t, render(t, msg))
			for i, pt := range want.Parts {
				if pt.ContentType == tt.ct && !bytes.Equal(got.Parts[i].Body, pt.Body) {
					t.Errorf("%s after a failed write is %d bytes, want %d", tt.ct, len(got.Parts[i].Body), len(pt.Body))
				}
			}
		})
	}
}
