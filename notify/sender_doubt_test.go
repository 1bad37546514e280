package notify

import (
	"context"
	"errors"
	"io"
	"testing"

	gomail "github.com/wneessen/go-mail"
)

// lostAfterDot fails the first send as if the connection dropped after
// the final dot, then delivers.
type lostAfterDot struct{ calls int }

func (m *lostAfterDot) Send(ctx context.Context, msg *gomail.Msg) error {
	m.calls++
	if m.calls == 1 {
		return &SendError{Stage: "data", AfterData: true, Temporary: true, Err: io.ErrUnexpectedEOF}
	}
	return nil
}

// A connection lost after the whole message went out may have delivered
// it: the retry is flagged in doubt so a second copy is explained.
func TestSenderInDoubtAfterData(t *testing.T) {
	f := newSenderFixture(t)
	items := queueAcks(t, f.db, f.cons, 1)
	m := &lostAfterDot{}
	s := newTestSender(t, f.db, m, func(o *SenderOptions) { o.Now = f.clock.Now })
	if _, err := s.SendDue(context.Background()); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("first pass: %v", err)
	}
	it := item(t, f.db, items[0].ID)
	if it.Status != "pending" || !it.InDoubt {
		t.Fatalf("after a loss past the final dot: status %s in_doubt %v (%q, %d calls), want pending and in doubt", it.Status, it.InDoubt, it.LastError, m.calls)
	}
	f.clock.Advance(2 * defaultRetryMax)
	if _, err := s.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if it := item(t, f.db, items[0].ID); it.Status != "sent" || !it.InDoubt || m.calls != 2 {
		t.Errorf("after retry: status %s in_doubt %v calls %d, want sent, in doubt, 2", it.Status, it.InDoubt, m.calls)
	}
}
