package intake

import (
	"context"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/ledger"
)

// TestDecideAck covers who gets an acknowledgement.
func TestDecideAck(t *testing.T) {
	nov1, dec1 := clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00")
	tests := []struct {
		name   string
		change func(*Options)
		mail   testMail
		noAcks bool // Origin.Acks false: an import without --send-acks
		want   string
	}{
		{name: "From", mail: testMail{from: "Ona <Ona@Example.net>"}, want: "ona@example.net"},
		{name: "Reply-To wins", mail: testMail{from: "ona@example.net", extra: []string{"Reply-To: ona.asmeninis@example.org"}},
			want: "ona.asmeninis@example.org"},
		{name: "acknowledgements off", change: func(o *Options) { o.Acknowledge = false }, mail: testMail{from: "ona@example.net"}},
		{name: "import without --send-acks", noAcks: true, mail: testMail{from: "ona@example.net"}},
		{name: "blocked address", change: func(o *Options) { o.BlockedSenders = []string{" Ona@example.net "} },
			mail: testMail{from: "ona@example.net"}},
		{name: "blocked domain", change: func(o *Options) { o.BlockedSenders = []string{"@example.net"} },
			mail: testMail{from: "ona@example.net"}},
		{name: "blocked domain is not a suffix match of another", change: func(o *Options) { o.BlockedSenders = []string{"@net"} },
			mail: testMail{from: "ona@example.net"}, want: "ona@example.net"},
		{name: "our own plus-address in Reply-To", mail: testMail{from: "ona@example.net", extra: []string{"Reply-To: vvg+strategija@example.lt"}}},
		{name: "no-reply Reply-To", mail: testMail{from: "ona@example.net", extra: []string{"Reply-To: no-reply@example.org"}}},
		{name: "mailer-daemon Reply-To", mail: testMail{from: "ona@example.net", extra: []string{"Reply-To: MAILER-DAEMON@example.org"}}},
		{name: "local part past RFC 5321's 64 octets", mail: testMail{from: "ona@example.net",
			extra: []string{"Reply-To: " + strings.Repeat("a", 70) + "@example.org"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, db := newTestPipeline(t, tt.change)
			addConsultation(t, db, "strategija", nov1, dec1)
			m := tt.mail
			m.subject, m.body = "Pasiūlymas", "Siūlau įrengti dienos centrą senjorams Aleksote."
			o := &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"), Acks: !tt.noAcks}
			v, err := p.Decide(context.Background(), m.raw(), o)
			if err != nil {
				t.Fatal(err)
			}
			if v.Disposition != mailparse.KindSuggestion || v.Consultation == nil {
				t.Fatalf("got %s (%s) routed %q, want a routed suggestion", v.Disposition, v.Reason, v.Route)
			}
			if v.AckTo != tt.want {
				t.Errorf("ack to %q, want %q", v.AckTo, tt.want)
			}
		})
	}
}

// TestDecideKinds covers our own mail, automatic mail and replies to an
// acknowledgement, which join the case of their sender only.
func TestDecideKinds(t *testing.T) {
	ctx := context.Background()
	nov1, dec1 := clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00")
	at := clocktest.At(t, "2026-11-20T11:00:00+02:00")
	p, db := newTestPipeline(t, nil)
	addConsultation(t, db, "strategija", nov1, dec1)
	first := testMail{from: "ona@example.net", subject: "Pasiūlymas", body: "Siūlau įrengti dienos centrą senjorams."}
	res, _, err := p.Ingest(ctx, first.raw(), &Origin{Source: SourceImport, File: "1.eml", InternalDate: at, Acks: true})
	if err != nil || res.Ref == "" || !res.Acked {
		t.Fatalf("first message: %+v, %v; want an acknowledged case", res, err)
	}
	ack, err := db.ListOutbox(ctx, "", 10)
	if err != nil || len(ack) != 1 {
		t.Fatalf("outbox: %v, %v; want the acknowledgement", ack, err)
	}
	tests := []struct {
		name     string
		mail     testMail
		wantDisp mailparse.Kind
		wantCase bool   // joins the first case
		route    string // wanted route
	}{
		{name: "our own address", mail: testMail{from: ourMailbox, subject: "Digest", body: "x"}, wantDisp: mailparse.KindOwn},
		{name: "auto-reply", mail: testMail{from: "ona@example.net", subject: "Automatic reply: Pasiūlymas", body: "I am out of the office.",
			extra: []string{"Auto-Submitted: auto-replied"}}, wantDisp: mailparse.KindAutoReply},
		{name: "reply by reference from the resident", mail: testMail{from: "Ona <ONA@example.net>", subject: "Re: [" + res.Ref + "] ačiū",
			body: "Dar papildau."}, wantDisp: mailparse.KindReply, wantCase: true, route: ledger.RouteRouted},
		{name: "reply by In-Reply-To from the resident", mail: testMail{from: "ona@example.net", subject: "Re: jūsų laiškas",
			body: "Papildau.", extra: []string{"In-Reply-To: <" + ack[0].MessageID + ">"}}, wantDisp: mailparse.KindReply, wantCase: true, route: ledger.RouteRouted},
		{name: "reference quoted by someone else", mail: testMail{from: "jonas@example.net", subject: "Re: [" + res.Ref + "]",
			body: "Ir aš pritariu."}, wantDisp: mailparse.KindReply, route: ledger.RouteUnrouted},
		{name: "reference of no case", mail: testMail{from: "ona@example.net", subject: "Re: [VVG-2020-0001]",
			body: "Sveiki."}, wantDisp: mailparse.KindReply, route: ledger.RouteUnrouted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := p.Decide(ctx, tt.mail.raw(), &Origin{Source: SourceImport, InternalDate: at, Acks: true})
			if err != nil {
				t.Fatal(err)
			}
			if v.Disposition != tt.wantDisp || v.Route != tt.route {
				t.Errorf("got %s (%s) route %q, want %s route %q", v.Disposition, v.Reason, v.Route, tt.wantDisp, tt.route)
			}
			if joined := v.Joins != nil && v.Joins.Ref == res.Ref; joined != tt.wantCase {
				t.Errorf("joins %v, want %v", v.Joins, tt.wantCase)
			}
			if v.Disposition != mailparse.KindSuggestion && v.AckTo != "" {
				t.Errorf("a %s is acknowledged to %q", v.Disposition, v.AckTo)
			}
		})
	}
}

// TestDecideReplyOnOurMessageID: a message whose own Message-ID is one the
// outbox writes is ours, whoever it claims to be from.
func TestDecideOurMessageID(t *testing.T) {
	p, _ := newTestPipeline(t, nil)
	raw := []byte("From: kazkas@example.net\r\nTo: " + ourMailbox + "\r\nSubject: x\r\nMessage-ID: <vvgintake.ack.1@Example.lt>\r\n\r\nx\r\n")
	v, err := p.Decide(context.Background(), raw, &Origin{Source: SourceImport, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00")})
	if err != nil {
		t.Fatal(err)
	}
	if v.Disposition != mailparse.KindOwn || !strings.Contains(v.Reason, "own") {
		t.Errorf("got %s (%s), want own", v.Disposition, v.Reason)
	}
}
