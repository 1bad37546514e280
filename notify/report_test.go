package notify

import (
	"strings"
	"testing"
	"time"
)

func testReport(t testing.TB) ReportData {
	loc := loadVilnius(t)
	return ReportData{
		Head:        Head{Lang: "lt", Loc: loc, Org: testOrg(), MessageID: "vvg-report-strategija-2027@vvg.example.lt"},
		To:          []Addr{{Name: "Administracija", Addr: "admin@vvg.example.lt"}},
		Slug:        "strategija-2027",
		Title:       "Vietos plėtros strategijos keitimas",
		OpensAt:     time.Date(2026, 11, 1, 0, 0, 0, 0, loc),
		ClosesAt:    time.Date(2026, 12, 13, 23, 59, 0, 0, loc),
		ResponseDue: time.Date(2027, 1, 12, 0, 0, 0, 0, loc),
		Total:       3,
		OnTime:      2,
		Late:        1,
		NeedsReview: 1,
		Measures:    []MeasureCount{{Code: "1.1", Title: "Ūkio ir verslo plėtra", Total: 2}, {Code: "other", Title: "Kita", Total: 1}},
		Items: []ReportItem{
			{Ref: "VVG-2026-0001", ReceivedAt: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), Source: "email", SenderName: "Žydrūnė", MeasureCode: "1.1", Excerpt: "Dviračių takas – ąčęėįšųūž", Decision: "Priimta iš dalies"},
			{Ref: "VVG-2026-0002", ReceivedAt: time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC), Source: "form", MeasureCode: "other", Excerpt: "Kita"},
			{Ref: "VVG-2026-0003", ReceivedAt: time.Date(2026, 12, 14, 8, 0, 0, 0, time.UTC), Source: "staff", Excerpt: "Vėlus", Late: true},
		},
		CSV:  []byte("ref,excerpt\r\nVVG-2026-0001,Dviračių takas\r\n"),
		XLSX: []byte("PK\x03\x04 not really a zip"),
	}
}

func TestBuildReport(t *testing.T) {
	m, err := BuildReport(testReport(t), defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildReport: %v", err)
	}
	raw := render(t, m)
	p := parse(t, raw)
	if got := p.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q, want auto-generated", got)
	}
	if want := "Konsultacijos ataskaita: „Vietos plėtros strategijos keitimas“ – 3 pasiūlymai"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	wantTree := "0:multipart/mixed 1:multipart/alternative 2:text/plain 2:text/html 1:text/csv " +
		"1:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if got := strings.Join(tree(t, raw), " "); got != wantTree {
		t.Errorf("structure = %q, want %q", got, wantTree)
	}
	tests := []struct {
		ct, filename, body string
	}{
		{"text/csv", "strategija-2027.csv", "ref,excerpt\r\nVVG-2026-0001,Dviračių takas\r\n"},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "strategija-2027.xlsx", "PK\x03\x04 not really a zip"},
	}
	for _, tt := range tests {
		t.Run(tt.filename, func(t *testing.T) {
			for _, pt := range p.Parts {
				if pt.ContentType != tt.ct {
					continue
				}
				if pt.Disposition != "attachment" || pt.Filename != tt.filename {
					t.Errorf("disposition %q filename %q, want attachment %q", pt.Disposition, pt.Filename, tt.filename)
				}
				if string(pt.Body) != tt.body {
					t.Errorf("body = %q, want %q", pt.Body, tt.body)
				}
				return
			}
			t.Errorf("no %s part", tt.ct)
		})
	}
	checkText(t, "text", p.body(t, "text/plain"), []string{
		"Konsultacija vyko nuo 2026 m. lapkričio 1 d. iki 2026 m. gruodžio 13 d. 23:59.",
		"Pasiūlymų teikėjams reikia atsakyti iki 2027 m. sausio 12 d.",
		"Iš viso pasiūlymų: 3 (laiku: 2, po termino: 1).",
		"[VVG-2026-0001] 2026-11-02 10:00, el. paštu, Žydrūnė, priemonė 1.1",
		"Sprendimas: Priimta iš dalies",
		"[VVG-2026-0003] 2026-12-14 10:00, užregistravo darbuotojai, nepriskirta, po termino",
		"pridėtuose failuose: strategija-2027.csv strategija-2027.xlsx.",
	}, nil)
}

func TestBuildReportWithoutExports(t *testing.T) {
	d := testReport(t)
	d.CSV, d.XLSX, d.Lang = nil, nil, "en"
	m, err := BuildReport(d, defaultTemplates(t))
	if err != nil {
		t.Fatalf("BuildReport: %v", err)
	}
	raw := render(t, m)
	if got := strings.Join(tree(t, raw), " "); got != "0:multipart/alternative 1:text/plain 1:text/html" {
		t.Errorf("structure = %q, want alternative only", got)
	}
	p := parse(t, raw)
	if want := "Consultation report: “Vietos plėtros strategijos keitimas” – 3 suggestions"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	if text := p.body(t, "text/plain"); strings.Contains(text, "attached") {
		t.Errorf("text mentions attachments that are not there")
	}
}

func TestFileSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"strategija-2027", "strategija-2027"},
		{"Žalia vasara 2027", "alia-vasara-2027"},
		{"../../etc/passwd", "----etcpasswd"},
		{"", "ataskaita"},
		{"ąčę", "ataskaita"},
	}
	for _, tt := range tests {
		if got := fileSlug(tt.in); got != tt.want {
			t.Errorf("fileSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
