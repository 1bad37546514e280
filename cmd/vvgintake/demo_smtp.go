package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
)

// demoSMTP is the demo's in-process SMTP receiver: it accepts every mail
// and writes it to a folder as .eml, with its HTML part beside it.
type demoSMTP struct {
	addr string
	dir  string
	srv  *smtp.Server

	mu   sync.Mutex
	mail []demoMail
}

// demoMail is one received message.
type demoMail struct {
	kind, to, subject, id string
}

func startDemoSMTP(dir string) (*demoSMTP, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := &demoSMTP{dir: dir}
	d.srv = smtp.NewServer(smtpBackend{d})
	d.srv.Domain = "localhost"
	d.srv.AllowInsecureAuth = true
	d.srv.MaxMessageBytes = 50 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d.addr = ln.Addr().String()
	go d.srv.Serve(ln)
	return d, nil
}

// Close stops the receiver.
func (d *demoSMTP) Close() error { return d.srv.Close() }

func (d *demoSMTP) all() []demoMail {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]demoMail(nil), d.mail...)
}

// acks lists the acknowledgements received, in order.
func (d *demoSMTP) acks() []demoMail {
	var out []demoMail
	for _, m := range d.all() {
		if m.kind == "ack" {
			out = append(out, m)
		}
	}
	return out
}

func (d *demoSMTP) store(raw []byte) error {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("demo smtp: %w", err)
	}
	id, _ := mr.Header.MessageID()
	subject, _ := mr.Header.Subject()
	to, _ := mr.Header.AddressList("To")
	// Our Message-IDs read vvgintake.<kind>.<random>@domain.
	kind := "mail"
	if parts := strings.SplitN(id, ".", 3); len(parts) == 3 && parts[0] == "vvgintake" {
		kind = parts[1]
	}
	var html []byte
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			if ct, _, _ := h.ContentType(); ct == "text/html" {
				html, _ = io.ReadAll(p.Body)
			}
		}
	}
	m := demoMail{kind: kind, subject: subject, id: id}
	if len(to) > 0 {
		m.to = to[0].Address
	}
	d.mu.Lock()
	n := len(d.mail) + 1
	d.mail = append(d.mail, m)
	d.mu.Unlock()
	base := filepath.Join(d.dir, fmt.Sprintf("%02d-%s", n, kind))
	if err := os.WriteFile(base+".eml", raw, 0o644); err != nil {
		return err
	}
	if html != nil {
		return os.WriteFile(base+".html", html, 0o644)
	}
	return nil
}

type smtpBackend struct{ d *demoSMTP }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{d: b.d}, nil }

type smtpSession struct{ d *demoSMTP }

func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return s.d.store(raw)
}
