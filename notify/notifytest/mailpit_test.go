package notifytest

import (
	"strings"
	"testing"
	"time"
)

func TestMailpitHarness(t *testing.T) {
	mp := StartMailpit(t)
	msg := "From: a@example.lt\r\nTo: Žydrūnė <b@example.lt>\r\nMessage-ID: <m1@example.lt>\r\n" +
		"Subject: =?utf-8?q?=C4=85=C4=8D=C4=99?=\r\nX-Test: yes\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLabas ąčę\r\n"
	send := func() {
		t.Helper()
		if err := plainSend(mp.SMTPAddr, nil, "a@example.lt", []string{"b@example.lt"}, msg); err != nil {
			t.Fatalf("SendMail: %v", err)
		}
	}
	send()
	list := mp.WaitCount(t, 1, 10*time.Second)
	if len(list) != 1 || list[0].MessageID != "m1@example.lt" || list[0].Subject != "ąčę" {
		t.Fatalf("Messages = %+v", list)
	}
	full := mp.Message(t, list[0].ID)
	if full.Text != "Labas ąčę" && full.Text != "Labas ąčę\r\n" && full.Text != "Labas ąčę\n" {
		t.Errorf("Text = %q", full.Text)
	}
	if got := full.Headers.Get("X-Test"); got != "yes" {
		t.Errorf("X-Test = %q", got)
	}
	if len(full.To) != 1 || full.To[0].Address != "b@example.lt" {
		t.Errorf("To = %+v", full.To)
	}
	if raw := string(mp.Raw(t, list[0].ID)); !strings.Contains(raw, "X-Test: yes") {
		t.Errorf("raw lacks header: %q", raw)
	}

	mp.Stop(t)
	if err := plainSend(mp.SMTPAddr, nil, "a@example.lt", []string{"b@example.lt"}, msg); err == nil {
		t.Errorf("SendMail to a stopped mailpit succeeded")
	}
	mp.Start(t)
	send()
	if got := mp.WaitCount(t, 2, 10*time.Second); len(got) != 2 {
		t.Errorf("after restart %d messages, want 2 (database kept)", len(got))
	}
	mp.DeleteAll(t)
	if got := mp.Messages(t); len(got) != 0 {
		t.Errorf("after DeleteAll %d messages", len(got))
	}
}

func TestFindMailpitEnv(t *testing.T) {
	t.Setenv(EnvMailpit, "/nonexistent/mailpit")
	if _, err := findMailpit(); err == nil || !strings.Contains(err.Error(), EnvMailpit) {
		t.Errorf("findMailpit with a bad %s = %v, want an error naming it", EnvMailpit, err)
	}
}
