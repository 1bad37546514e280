package notify

import (
	"strings"
	"testing"
	"time"
)

func TestBuildReminder(t *testing.T) {
	loc := loadVilnius(t)
	due := time.Date(2027, 1, 12, 0, 0, 0, 0, loc)
	base := ReminderData{
		Head:  Head{Lang: "lt", Loc: loc, Org: testOrg(), MessageID: "vvg-reminder-1@vvg.example.lt"},
		To:    []Addr{{Addr: "admin@vvg.example.lt"}},
		Slug:  "strategija-2027",
		Title: "Strategijos keitimas",
		Due:   due,
	}
	open := func(n int) []DueItem {
		out := make([]DueItem, n)
		for i := range out {
			out[i] = DueItem{Ref: "VVG-2026-000" + string(rune('1'+i)), Due: due, Excerpt: "Dėl tilto"}
		}
		return out
	}
	tests := []struct {
		name    string
		lang    string
		open    []DueItem
		subject string
		text    string
	}{
		{"one", "lt", open(1), "Priminimas: iki 2027 m. sausio 12 d. reikia atsakyti į 1 pasiūlymą („Strategijos keitimas“)", "Dar neatsakyta į 1 pasiūlymą:"},
		{"few", "lt", open(3), "Priminimas: iki 2027 m. sausio 12 d. reikia atsakyti į 3 pasiūlymus („Strategijos keitimas“)", "[VVG-2026-0003] atsakyti iki 2027 m. sausio 12 d. – Dėl tilto"},
		{"none", "lt", nil, "Priminimas: iki 2027 m. sausio 12 d. reikia atsakyti į 0 pasiūlymų („Strategijos keitimas“)", "Į visus pasiūlymus jau atsakyta."},
		{"english", "en", open(2), "Reminder: 2 suggestions to answer by 12 January 2027 (“Strategijos keitimas”)", "2 suggestions are still without an answer:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base
			d.Lang, d.Open = tt.lang, tt.open
			m, err := BuildReminder(d, defaultTemplates(t))
			if err != nil {
				t.Fatalf("BuildReminder: %v", err)
			}
			p := parse(t, render(t, m))
			if p.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", p.Subject, tt.subject)
			}
			if got := p.Header.Get("Auto-Submitted"); got != "auto-generated" {
				t.Errorf("Auto-Submitted = %q, want auto-generated", got)
			}
			if text := p.body(t, "text/plain"); !strings.Contains(text, tt.text) {
				t.Errorf("text lacks %q; got:\n%s", tt.text, text)
			}
		})
	}
}
