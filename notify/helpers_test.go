package notify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	gomail "github.com/wneessen/go-mail"

	"github.com/vvgintake/vvgintake/internal/vilnius"
	"github.com/vvgintake/vvgintake/ledger"
)

// loadVilnius loads Europe/Vilnius, falling back to the fixed +02:00 winter
// offset where the system has no tzdata (the dates tested are in winter).
func loadVilnius(t testing.TB) *time.Location {
	t.Helper()
	loc, err := vilnius.Location()
	if err != nil {
		return time.FixedZone("EET", 2*3600)
	}
	return loc
}

var (
	defaultTemplatesOnce sync.Once
	defaultTemplatesVal  *Templates
	defaultTemplatesErr  error
)

// defaultTemplates loads the embedded templates once per test binary.
func defaultTemplates(t testing.TB) *Templates {
	t.Helper()
	defaultTemplatesOnce.Do(func() { defaultTemplatesVal, defaultTemplatesErr = LoadTemplates("") })
	if defaultTemplatesErr != nil {
		t.Fatalf("LoadTemplates(\"\"): %v", defaultTemplatesErr)
	}
	return defaultTemplatesVal
}

// testAckMsg is testAck built with the default templates: the message
// the tests of sending send.
func testAckMsg(t testing.TB) *gomail.Msg {
	t.Helper()
	msg, err := BuildAck(testAck(t), defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildAck: %v", err)
	}
	return msg
}

// renderItem renders an outbox item as s would send it, parsed back.
func renderItem(t testing.TB, s *Sender, it *ledger.OutboxItem) parsed {
	t.Helper()
	msg, err := s.Render(context.Background(), it)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return parse(t, render(t, msg))
}

// wallClock reads "2006-01-02 15:04" as a time in loc: how fixtures say
// when things happen.
func wallClock(t testing.TB, loc *time.Location) func(string) time.Time {
	return func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// checkText fails for every want missing from and unwanted found in text.
func checkText(t testing.TB, what, text string, want, unwanted []string) {
	t.Helper()
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q; got:\n%s", what, w, text)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s contains %q; got:\n%s", what, u, text)
		}
	}
}

func testOrg() Org {
	return Org{
		Name:          "Pavyzdžio rajono vietos veiklos grupė",
		ShortName:     "Pavyzdžio VVG",
		Address:       "pasiulymai@vvg.example.lt",
		FromName:      "Pavyzdžio VVG",
		Phone:         "+370 600 00000",
		Website:       "www.vvg.example.lt",
		PostalAddress: "Laisvės g. 1, LT-00000 Pavyzdys",
		PrivacyNotice: "Jūsų asmens duomenis tvarkome tik konsultacijai vykdyti.",
	}
}

// testAck is an on-time, filed acknowledgement replying to an email.
func testAck(t testing.TB) AckData {
	loc := loadVilnius(t)
	return AckData{
		Reply: Reply{
			Head:              Head{Lang: "lt", Loc: loc, Org: testOrg(), MessageID: "vvg-ack-42@vvg.example.lt", Date: time.Date(2026, 12, 1, 12, 0, 0, 0, loc)},
			To:                Addr{Name: "Žydrūnė Ąžuolaitė", Addr: "zydrune@example.lt"},
			Ref:               "VVG-2026-0042",
			ConsultationTitle: "Vietos plėtros strategijos keitimas",
			ReceivedAt:        time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC),
			Excerpt:           "Siūlau įrengti dviračių taką prie ežero.\nAčiū – ąčęėįšųūž ĄČĘĖĮŠŲŪŽ",
			Source:            "email",
			MeasureCode:       "1.1",
			MeasureTitle:      "Ūkio ir verslo plėtra",
			InReplyTo:         "CAF1234@mail.gmail.com",
			References:        []string{"root-1@example.lt", "CAF1233@mail.gmail.com"},
		},
		Attachments: []string{"planas.pdf", "nuotrauka.jpg"},
		ClosesAt:    time.Date(2026, 12, 13, 21, 59, 0, 0, time.UTC),
		ResponseDue: time.Date(2027, 1, 12, 0, 0, 0, 0, loc),
	}
}

// part is one leaf of a parsed message.
type part struct {
	ContentType string
	Params      map[string]string
	Disposition string
	Filename    string
	ContentID   string
	Body        []byte
}

// parsed is a message read back with go-message, the way a client would.
type parsed struct {
	Header  mail.Header
	Subject string
	Parts   []part
}

// render writes msg the way Send would put it on the wire.
func render(t testing.TB, msg *gomail.Msg) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatalf("write message: %v", err)
	}
	return b.Bytes()
}

// parse reads raw with go-message and collects its leaves.
func parse(t testing.TB, raw []byte) parsed {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	p := parsed{Header: mr.Header}
	if p.Subject, err = mr.Header.Subject(); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	for {
		mp, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		body, err := io.ReadAll(mp.Body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		var pt part
		pt.Body = body
		switch h := mp.Header.(type) {
		case *mail.InlineHeader:
			pt.ContentType, pt.Params, _ = h.ContentType()
			pt.Disposition, _, _ = h.ContentDisposition()
			pt.ContentID = strings.Trim(h.Get("Content-Id"), "<>")
		case *mail.AttachmentHeader:
			pt.ContentType, pt.Params, _ = h.ContentType()
			pt.Disposition, _, _ = h.ContentDisposition()
			pt.Filename, _ = h.Filename()
			pt.ContentID = strings.Trim(h.Get("Content-Id"), "<>")
		}
		p.Parts = append(p.Parts, pt)
	}
	return p
}

// body returns the decoded body of the first leaf of content type ct.
func (p parsed) body(t testing.TB, ct string) string {
	t.Helper()
	for _, pt := range p.Parts {
		if pt.ContentType == ct {
			return string(pt.Body)
		}
	}
	t.Fatalf("no %s part; parts: %v", ct, p.partTypes())
	return ""
}

func (p parsed) partTypes() []string {
	var out []string
	for _, pt := range p.Parts {
		out = append(out, pt.ContentType)
	}
	return out
}

// tree lists the MIME structure of raw as "<depth>:<content type>" in walk
// order, multiparts included, e.g. "0:multipart/related".
func tree(t testing.TB, raw []byte) []string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	var out []string
	err = e.Walk(func(path []int, e *message.Entity, err error) error {
		if err != nil {
			return err
		}
		ct, _, _ := e.Header.ContentType()
		out = append(out, fmt.Sprintf("%d:%s", len(path), ct))
		return nil
	})
	if err != nil {
		t.Fatalf("walk message: %v", err)
	}
	return out
}
