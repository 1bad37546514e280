package notify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ackWith is the test acknowledgement in lang, rendered with the
// templates of dir over the defaults and parsed back.
func ackWith(t *testing.T, dir, lang string) parsed {
	t.Helper()
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatalf("LoadTemplates: %v", err)
	}
	d := testAck(t)
	d.Lang = lang
	m, err := BuildAck(d, tm)
	if err != nil {
		t.Fatalf("BuildAck %s: %v", lang, err)
	}
	return parse(t, render(t, m))
}

func TestLoadTemplatesOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ack.lt.txt", "Sveiki! Jūsų numeris {{.Ref}}, gauta {{date .ReceivedAt}}\n")
	writeFile(t, dir, "README.md", "not a template, ignored")
	p := ackWith(t, dir, "lt")
	got := strings.ReplaceAll(p.body(t, "text/plain"), "\r\n", "\n")
	if want := "Sveiki! Jūsų numeris VVG-2026-0042, gauta 2026 m. gruodžio 1 d.\n"; got != want {
		t.Errorf("text body = %q, want %q", got, want)
	}
	if want := "[VVG-2026-0042] Jūsų pasiūlymas gautas"; p.Subject != want {
		t.Errorf("subject = %q, want the default %q (override did not redefine it)", p.Subject, want)
	}
	if html := p.body(t, "text/html"); !strings.Contains(html, "Laba diena") {
		t.Errorf("html body should stay the default")
	}
	if text := ackWith(t, dir, "en").body(t, "text/plain"); !strings.Contains(text, "Thank you") {
		t.Errorf("en text should stay the default; got %q", text)
	}
}

func TestLoadTemplatesOverrideSubjectOnly(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ack.lt.txt", `{{define "subject"}}[{{.Ref}}] Pasiūlymas užregistruotas{{end}}`)
	p := ackWith(t, dir, "lt")
	if want := "[VVG-2026-0042] Pasiūlymas užregistruotas"; p.Subject != want {
		t.Errorf("subject = %q, want %q", p.Subject, want)
	}
	if text := p.body(t, "text/plain"); !strings.Contains(text, "dėkojame už Jūsų pasiūlymą") {
		t.Errorf("body should stay the default; got %q", text)
	}
}

// An HTML override may reword a letter without copying its markup: the
// words it does not redefine, and the markup, stay the defaults.
func TestLoadTemplatesOverrideWords(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ack.lt.html", `{{define "greeting"}}Sveiki,{{end}}`)
	html := ackWith(t, dir, "lt").body(t, "text/html")
	checkText(t, "lt html body", html, []string{"<p>Sveiki,</p>", "<p>dėkojame už Jūsų pasiūlymą", "<strong>VVG-2026-0042</strong>"}, []string{"Laba diena"})
	checkText(t, "en html body", ackWith(t, dir, "en").body(t, "text/html"), []string{"<p>Dear Žydrūnė Ąžuolaitė,</p>"}, []string{"Sveiki"})
}

func TestLoadTemplatesErrors(t *testing.T) {
	tests := []struct {
		name, file, body, want string
	}{
		{"syntax", "digest.en.html", "{{if}}", "digest.en.html"},
		{"unknown field", "ack.lt.txt", "{{.Reff}}", "ack.lt.txt"},
		{"unknown function", "report.lt.txt", "{{nosuch .Title}}", "report.lt.txt"},
		{"misspelt name", "ack.lt.text", "x", "ack.lt.text"},
		{"unsupported language", "reminder.de.txt", "x", "reminder.de.txt"},
		{"html field typo", "reminder.en.html", "{{.Titel}}", "reminder.en.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tt.file, tt.body)
			_, err := LoadTemplates(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadTemplates error = %v, want one naming %q", err, tt.want)
			}
		})
	}
	if _, err := LoadTemplates(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Errorf("LoadTemplates(missing dir): want error")
	}
}

func TestTidyText(t *testing.T) {
	if got, want := tidyText("\n\na  \n\n\n\nb\t\n\n"), "a\n\nb\n"; got != want {
		t.Errorf("tidyText = %q, want %q", got, want)
	}
}
