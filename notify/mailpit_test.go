package notify

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// TestMailpit sends an acknowledgement, a digest and a report through a
// real SMTP server and checks what arrived, as Mailpit parsed it.
func TestMailpit(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	// Mailpit accepts any credentials; sending them exercises AUTH PLAIN
	// against a server that is not ours.
	m := mailerTo(t, mp.SMTPAddr, SMTPOptions{Auth: AuthPassword, Username: "vvg", Password: "slaptas", Timeout: 10 * time.Second})
	tm := defaultTemplates(t)
	ctx := context.Background()

	// find returns the stored message with the given Message-ID.
	find := func(t *testing.T, msgID string) notifytest.Full {
		t.Helper()
		for _, s := range mp.WaitCount(t, 1, 10*time.Second) {
			if s.MessageID == msgID {
				return mp.Message(t, s.ID)
			}
		}
		t.Fatalf("no message %s in mailpit", msgID)
		return notifytest.Full{}
	}
	// deliver sends msg, which must have been built without error, and
	// returns it as Mailpit stored it.
	deliver := func(t *testing.T, msg *gomail.Msg, err error, msgID string) notifytest.Full {
		t.Helper()
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		if err := m.Send(ctx, msg); err != nil {
			t.Fatalf("Send: %v", err)
		}
		return find(t, msgID)
	}
	// headers checks headers of a stored message.
	headers := func(t *testing.T, f notifytest.Full, want map[string]string) {
		t.Helper()
		for key, w := range want {
			if got := f.Headers.Get(key); got != w {
				t.Errorf("%s = %q, want %q", key, got, w)
			}
		}
	}

	t.Run("ack", func(t *testing.T) {
		d := testAck(t)
		d.ConsultationTitle = "Ąžuolų alėja – ąčęėįšųūž"
		msg, err := BuildAck(d, tm)
		f := deliver(t, msg, err, "vvg-ack-42@vvg.example.lt")
		if want := "[VVG-2026-0042] Jūsų pasiūlymas gautas"; f.Subject != want {
			t.Errorf("subject = %q, want %q", f.Subject, want)
		}
		headers(t, f, map[string]string{
			"Auto-Submitted":           "auto-replied",
			"X-Auto-Response-Suppress": "All",
			"In-Reply-To":              "<CAF1234@mail.gmail.com>",
			"References":               "<root-1@example.lt> <CAF1233@mail.gmail.com> <CAF1234@mail.gmail.com>",
			"Message-Id":               "<vvg-ack-42@vvg.example.lt>",
		})
		if !strings.HasSuffix(f.MessageID, "@vvg.example.lt") {
			t.Errorf("Message-ID %q is not in our domain", f.MessageID)
		}
		if f.From.Address != "pasiulymai@vvg.example.lt" || f.From.Name != "Pavyzdžio VVG" {
			t.Errorf("From = %+v", f.From)
		}
		if len(f.To) != 1 || f.To[0].Name != "Žydrūnė Ąžuolaitė" {
			t.Errorf("To = %+v, want Žydrūnė Ąžuolaitė", f.To)
		}
		for _, w := range []string{"ąčęėįšųūž ĄČĘĖĮŠŲŪŽ", "„Ąžuolų alėja – ąčęėįšųūž“", "2026 m. gruodžio 1 d. 12:30"} {
			if !strings.Contains(f.Text, w) {
				t.Errorf("text lacks %q", w)
			}
			if !strings.Contains(f.HTML, w) {
				t.Errorf("html lacks %q", w)
			}
		}
		if f.Headers.Get("User-Agent") != "" || f.Headers.Get("X-Mailer") != "" {
			t.Errorf("message carries a User-Agent/X-Mailer")
		}
	})

	t.Run("digest", func(t *testing.T) {
		msg, _, err := BuildDigest(testDigest(t, 12), tm)
		f := deliver(t, msg, err, "vvg-digest-2026-47@vvg.example.lt")
		if want := "Savaitės suvestinė: 12 naujų pasiūlymų (2026-11-16 – 2026-11-22)"; f.Subject != want {
			t.Errorf("subject = %q, want %q", f.Subject, want)
		}
		headers(t, f, map[string]string{"Precedence": "bulk", "Auto-Submitted": "auto-generated"})
		if len(f.To) != 2 {
			t.Errorf("To = %+v, want 2 board members", f.To)
		}
		if f.Text == "" || f.HTML == "" {
			t.Fatalf("text (%d bytes) or html (%d bytes) part missing", len(f.Text), len(f.HTML))
		}
		if !strings.Contains(f.Text, "Siūlau sutvarkyti šaligatvį") {
			t.Errorf("text lacks the excerpt")
		}
		if len(f.Inline) != 1 {
			t.Fatalf("inline parts = %+v, want one chart", f.Inline)
		}
		img := f.Inline[0]
		if img.ContentType != "image/png" || img.ContentID == "" {
			t.Errorf("inline part = %+v, want image/png with a Content-ID", img)
		}
		if !strings.Contains(f.HTML, "cid:"+img.ContentID) {
			t.Errorf("html does not reference cid:%s", img.ContentID)
		}
		data := mp.PartData(t, f.ID, img.PartID)
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("chart does not decode: %v", err)
		}
		if w, h := chartSize(8); cfg.Width != w || cfg.Height != h {
			t.Errorf("chart is %dx%d, want %dx%d", cfg.Width, cfg.Height, w, h)
		}
	})

	t.Run("report", func(t *testing.T) {
		msg, err := BuildReport(testReport(t), tm)
		f := deliver(t, msg, err, "vvg-report-strategija-2027@vvg.example.lt")
		headers(t, f, map[string]string{"Auto-Submitted": "auto-generated"})
		if f.Text == "" || f.HTML == "" {
			t.Errorf("text or html part missing")
		}
		want := map[string]string{
			"strategija-2027.csv":  "text/csv",
			"strategija-2027.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		}
		if len(f.Attachments) != len(want) {
			t.Fatalf("attachments = %+v, want %d", f.Attachments, len(want))
		}
		for _, a := range f.Attachments {
			if ct, ok := want[a.FileName]; !ok || a.ContentType != ct {
				t.Errorf("attachment %q has type %q, want %q", a.FileName, a.ContentType, ct)
			}
			if a.FileName == "strategija-2027.csv" {
				if got := string(mp.PartData(t, f.ID, a.PartID)); !strings.Contains(got, "Dviračių takas") {
					t.Errorf("csv content = %q", got)
				}
			}
		}
	})
}

// TestMailpitOutage checks that a server outage is a temporary error and
// that delivery resumes when the server is back on the same port.
func TestMailpitOutage(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	m := mailerTo(t, mp.SMTPAddr, SMTPOptions{})
	msg := testAckMsg(t)
	mp.Stop(t)
	if err := m.Send(context.Background(), msg); err == nil || !IsTemporary(err) {
		t.Fatalf("Send while down = %v, want a temporary error", err)
	}
	mp.Start(t)
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send after restart: %v", err)
	}
	if got := mp.WaitCount(t, 1, 10*time.Second); len(got) != 1 {
		t.Errorf("mailpit has %d messages, want 1", len(got))
	}
}
