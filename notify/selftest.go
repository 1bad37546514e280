package notify

import (
	"fmt"
	"time"
)

// selfTest executes every template against sample data covering the
// branches the defaults take (late/on time, filed/unfiled, each source, an
// empty digest), so an override with a misspelt field is rejected by
// LoadTemplates instead of failing on the first real message.
func (t *Templates) selfTest() error {
	loc := time.FixedZone("EET", 2*3600)
	at := time.Date(2026, 12, 1, 10, 30, 0, 0, loc)
	org := Org{Name: "Pavyzdžio VVG", ShortName: "VVG", Address: "vvg@example.lt", FromName: "VVG",
		Phone: "+370 600 00000", Website: "www.example.lt", PostalAddress: "Gatvė 1, Miestas", PrivacyNotice: "Duomenys tvarkomi…"}
	to := []Addr{{Name: "Valdyba", Addr: "valdyba@example.lt"}}
	measures := []MeasureCount{{Code: "1.1", Title: "Priemonė", Week: 1, Total: 2}, {Code: "other", Title: "Kita"}}
	due := []DueItem{{Ref: "VVG-1", Due: at, Excerpt: "tekstas"}}
	for _, lang := range allLangs {
		head := Head{Lang: lang, Loc: loc, Org: org, MessageID: "selftest@example.lt"}
		// One reply from each source, filed, unfiled and under "other",
		// for the acknowledgements and the decision letters alike.
		replies := []Reply{
			{Source: "email", MeasureCode: "1.1", MeasureTitle: "Priemonė", InReplyTo: "x@y"},
			{Source: "form"},
			{Source: "staff", MeasureCode: "other", To: Addr{Name: "Jonas", Addr: "j@example.lt"}},
		}
		for i := range replies {
			r := &replies[i]
			r.Head, r.Ref = head, "VVG-1"
			r.ConsultationTitle, r.ReceivedAt, r.Excerpt = "Konsultacija", at, "Pasiūlymas"
			if r.To.Addr == "" {
				r.To = Addr{Addr: "gyventojas@example.lt"}
			}
		}
		for i, a := range []AckData{
			{Reply: replies[0], Late: true, Attachments: []string{"a.pdf"}},
			{Reply: replies[1], ClosesAt: at, ResponseDue: at},
			{Reply: replies[2]},
		} {
			if _, err := BuildAck(a, t); err != nil {
				return fmt.Errorf("sample ack %d: %w", i+1, err)
			}
		}
		dd := DigestData{Head: head, To: to, PeriodStart: at, PeriodEnd: at.AddDate(0, 0, 7)}
		if _, _, err := BuildDigest(dd, t); err != nil {
			return fmt.Errorf("sample empty digest: %w", err)
		}
		dd.MaxItems = 1
		dd.Consultations = []DigestConsultation{{Slug: "k", Title: "Konsultacija", Status: "open", ClosesAt: at, Measures: measures,
			New: []DigestItem{{Ref: "VVG-1", ReceivedAt: at, MeasureCode: "1.1", Excerpt: "a", Late: true},
				{Ref: "VVG-2", ReceivedAt: at, NeedsReview: true}},
			NeedsReview: 1, Late: 1, DueSoon: due, Overdue: due},
			{Slug: "k2", Title: "Kita", Status: "closed"}}
		dd.Erasures = DigestErasures{OnRequest: 2, Purged: []DigestPurge{{Consultation: "k", Rule: "raw-mail", Messages: 3},
			{Consultation: "k", Rule: "personal", Cases: 2, Messages: 3}, {Rule: "personal", Messages: 1}, {Consultation: "k", Rule: "cases", Cases: 2}}}
		if _, _, err := BuildDigest(dd, t); err != nil {
			return fmt.Errorf("sample digest: %w", err)
		}
		rd := ReportData{Head: head, To: to, Slug: "k", Title: "Konsultacija",
			OpensAt: at, ClosesAt: at, ResponseDue: at, Total: 2, OnTime: 1, Late: 1, Measures: measures, MaxItems: 1,
			Items: []ReportItem{{Ref: "VVG-1", ReceivedAt: at, Source: "email", SenderName: "Jonas", MeasureCode: "1.1", Excerpt: "a", Decision: "b", Late: true},
				{Ref: "VVG-2", ReceivedAt: at, Source: "form"}},
			CSV:  []byte("a\n"),
			XLSX: []byte("PK"),
		}
		if _, err := BuildReport(rd, t); err != nil {
			return fmt.Errorf("sample report: %w", err)
		}
		rd.Items, rd.CSV, rd.XLSX, rd.OpensAt = nil, nil, nil, time.Time{}
		if _, err := BuildReport(rd, t); err != nil {
			return fmt.Errorf("sample empty report: %w", err)
		}
		for i, dd := range []DecisionData{
			{Reply: replies[0], Decision: "accepted", Reason: "Tinka", ResultsURL: "https://www.example.lt/rezultatai", Published: true},
			{Reply: replies[1], Decision: "partly"},
			{Reply: replies[2], Decision: "rejected"},
		} {
			if _, err := BuildDecision(dd, t); err != nil {
				return fmt.Errorf("sample decision letter %d: %w", i+1, err)
			}
		}
		res := ResultsData{Head: head, To: to, Slug: "k", Title: "Konsultacija", PublishedAt: at,
			Total: 2, Accepted: 1, Rejected: 1, Letters: 1, Unlettered: 1, ResultsURL: "https://www.example.lt/r", MaxItems: 1,
			Items: []ResultsItem{{Ref: "VVG-1", MeasureCode: "1.1", Decision: "accepted", Reason: "Tinka", Excerpt: "a"},
				{Ref: "VVG-2", Decision: "rejected"}},
			PDF:  []byte("%PDF"),
			XLSX: []byte("PK"),
		}
		if _, err := BuildResults(res, t); err != nil {
			return fmt.Errorf("sample results report: %w", err)
		}
		res.Items, res.PDF, res.XLSX, res.ResultsURL = nil, nil, nil, ""
		if _, err := BuildResults(res, t); err != nil {
			return fmt.Errorf("sample empty results report: %w", err)
		}
		rm := ReminderData{Head: head, To: to, Slug: "k", Title: "Konsultacija", Due: at, Open: due}
		if _, err := BuildReminder(rm, t); err != nil {
			return fmt.Errorf("sample reminder: %w", err)
		}
		rm.Open = nil
		if _, err := BuildReminder(rm, t); err != nil {
			return fmt.Errorf("sample empty reminder: %w", err)
		}
	}
	return nil
}
