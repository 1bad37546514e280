package notify

import (
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"syscall"
	"testing"
)

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
