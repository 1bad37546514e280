package notifytest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const testMsg = "From: a@example.lt\r\nTo: b@example.lt\r\nSubject: ąčę\r\n\r\nLabas\r\n"

func newCapture(t *testing.T) *Capture {
	t.Helper()
	c, err := NewCapture("127.0.0.1:0")
	if err != nil {
		t.Fatalf("NewCapture: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func send(c *Capture, auth sasl.Client) error {
	return plainSend(c.Addr, auth, "a@example.lt", []string{"b@example.lt", "c@example.lt"}, testMsg)
}

func TestCaptureStores(t *testing.T) {
	c := newCapture(t)
	if err := send(c, nil); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	got := c.Messages()
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	if got[0].From != "a@example.lt" || strings.Join(got[0].To, ",") != "b@example.lt,c@example.lt" {
		t.Errorf("envelope = %q → %q", got[0].From, got[0].To)
	}
	if string(got[0].Raw) != testMsg {
		t.Errorf("raw = %q, want %q", got[0].Raw, testMsg)
	}
	got[0].Raw[0] = 'X' // a copy: must not change the server's record
	if c.Messages()[0].Raw[0] != 'F' {
		t.Errorf("Messages returned shared storage")
	}
	c.Reset()
	if n := len(c.Messages()); n != 0 {
		t.Errorf("after Reset %d messages", n)
	}
}

func TestCaptureFaults(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*Capture)
		code   int // 0: connection error, no SMTP reply
	}{
		{"451", func(c *Capture) { c.FailNext(2, 451, "later") }, 451},
		{"554", func(c *Capture) { c.FailNext(2, 554, "no") }, 554},
		{"drop", func(c *Capture) { c.DropNext(2) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCapture(t)
			tt.inject(c)
			for i := range 2 {
				err := send(c, nil)
				var se *smtp.SMTPError
				switch {
				case err == nil:
					t.Fatalf("send %d: want error", i+1)
				case tt.code != 0 && (!errors.As(err, &se) || se.Code != tt.code):
					t.Errorf("send %d: error %v, want SMTP %d", i+1, err, tt.code)
				case tt.code == 0 && errors.As(err, &se):
					t.Errorf("send %d: got SMTP reply %v, want a dropped connection", i+1, err)
				}
			}
			if err := send(c, nil); err != nil {
				t.Errorf("third send: %v (faults should be used up)", err)
			}
			if n := len(c.Messages()); n != 1 {
				t.Errorf("stored %d messages, want 1", n)
			}
		})
	}
}

func TestCaptureAuth(t *testing.T) {
	tests := []struct {
		name       string
		client     sasl.Client
		wantMech   string
		wantSecret string
	}{
		{"plain", sasl.NewPlainClient("", "u", "p"), "PLAIN", "p"},
		{"login", sasl.NewLoginClient("u", "p"), "LOGIN", "p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCapture(t)
			if err := send(c, tt.client); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			got := c.Messages()[0]
			if got.AuthMech != tt.wantMech || got.AuthUser != "u" || got.AuthSecret != tt.wantSecret {
				t.Errorf("auth = %s %s %s, want %s u %s", got.AuthMech, got.AuthUser, got.AuthSecret, tt.wantMech, tt.wantSecret)
			}
		})
	}
	t.Run("required credentials", func(t *testing.T) {
		c := newCapture(t)
		c.RequireAuth("u", "right")
		err := send(c, sasl.NewPlainClient("", "u", "wrong"))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 535 {
			t.Errorf("send with wrong password = %v, want 535", err)
		}
	})
}

func TestCaptureWait(t *testing.T) {
	c := newCapture(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := send(c, nil); err != nil {
				t.Errorf("SendMail: %v", err)
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := c.Wait(ctx, 3)
	if err != nil || len(got) != 3 {
		t.Errorf("Wait = %d messages, %v; want 3", len(got), err)
	}
	wg.Wait()
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, err := c.Wait(short, 4); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait for a 4th = %v, want deadline exceeded", err)
	}
}
