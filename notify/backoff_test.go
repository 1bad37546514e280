package notify

import (
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"syscall"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	const (
		base = 30 * time.Second
		max  = time.Hour
	)
	tests := []struct {
		name string
		n    int
		r    float64
		want time.Duration
	}{
		{"first failure, middle of the jitter", 1, 0.5, 30 * time.Second},
		{"zero treated as first", 0, 0.5, 30 * time.Second},
		{"doubles", 2, 0.5, time.Minute},
		{"doubles again", 4, 0.5, 4 * time.Minute},
		{"low end of the jitter", 1, 0, 24 * time.Second},
		{"high end of the jitter", 1, 0.999999, 36 * time.Second},
		{"capped", 8, 0.5, time.Hour},
		{"capped, many failures", 1000, 0.5, time.Hour},
		{"capped, low end", 1000, 0, 48 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := backoff(tt.n, base, max, tt.r)
			if d := got - tt.want; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("backoff(%d, r=%v) = %s, want %s", tt.n, tt.r, got, tt.want)
			}
		})
	}
}

func TestServerWide(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", newSendError("dial", syscall.ECONNREFUSED), true},
		{"no greeting", newSendError("greeting", io.EOF), true},
		{"starttls failed", &SendError{Stage: "starttls", Err: errors.New("server does not offer STARTTLS")}, true},
		{"login refused", newSendError("auth", &textproto.Error{Code: 535, Msg: "5.7.8 Authentication failed"}), true},
		{"sender refused", newSendError("mail from", &textproto.Error{Code: 553, Msg: "5.7.1 Sender not allowed"}), true},
		{"421 during data", newSendError("data", &textproto.Error{Code: 421, Msg: "4.3.2 Shutting down"}), true},
		{"recipient unknown", newSendError("rcpt to x@example.lt", &textproto.Error{Code: 550, Msg: "5.1.1 No such user"}), false},
		{"greylisted at data", newSendError("data", &textproto.Error{Code: 451, Msg: "4.7.1 Try later"}), false},
		{"dropped during data", newSendError("data", io.ErrUnexpectedEOF), false},
		{"not a SendError", fmt.Errorf("wrapped: %w", syscall.ECONNREFUSED), false},
		{"wrapped SendError", fmt.Errorf("send: %w", newSendError("dial", syscall.ECONNREFUSED)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := serverWide(tt.err); got != tt.want {
				t.Errorf("serverWide(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
