package form

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Small files of each kind, as the sniffer sees them.
func pdfFile() []byte { return []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n") }
func jpegFile() []byte {
	return append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0}, 64)...)
}
func exeFile() []byte {
	return append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 64)...)
}

// docxFile is the start of a real .docx: a zip whose first member is
// [Content_Types].xml.
func docxFile() []byte {
	return append([]byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x13\x00\x00\x00[Content_Types].xml"), bytes.Repeat([]byte{1}, 64)...)
}

func validFields() url.Values {
	return url.Values{"text": {"Siūlome įrengti dviračių taką palei Nemuną."}}
}

func fieldsWith(kv ...string) url.Values {
	v := validFields()
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestFormFieldRules(t *testing.T) {
	nfd := "s\u030ciandien" // "šiandien" decomposed, as a Mac may send it
	tests := []struct {
		name   string
		fields url.Values
		files  []testFile
		// wantErr is the field that must be refused, "" for acceptance.
		wantErr string
		check   func(t *testing.T, s *Submission)
	}{
		{name: "anonymous needs no consent", fields: validFields(), check: func(t *testing.T, s *Submission) {
			if s.Consent || s.Name != "" || s.Email != "" || s.Measure != "" || s.Sector != "" {
				t.Errorf("got %+v, want an anonymous submission with defaults", s)
			}
			if s.Language != "lt" || s.RemoteAddr != "192.0.2.10" {
				t.Errorf("got language %q remote %q, want lt 192.0.2.10", s.Language, s.RemoteAddr)
			}
		}},
		{name: "missing text", fields: url.Values{}, wantErr: "text"},
		{name: "blank text", fields: fieldsWith("text", " \r\n\t "), wantErr: "text"},
		{name: "text at limit", fields: fieldsWith("text", strings.Repeat("ą", 500))},
		{name: "text too long", fields: fieldsWith("text", strings.Repeat("ą", 501)), wantErr: "text"},
		{name: "text far too long", fields: fieldsWith("text", strings.Repeat("ą", 5000)), wantErr: "text"},
		{name: "text normalised", fields: fieldsWith("text", "  a\r\nb\rc\x00 "+nfd+"  "), check: func(t *testing.T, s *Submission) {
			if want := "a\nb\nc šiandien"; s.Text != want {
				t.Errorf("got text %q, want %q", s.Text, want)
			}
		}},
		{name: "bad email", fields: fieldsWith("email", "ne adresas", "consent", "yes"), wantErr: "email"},
		{name: "email with display name", fields: fieldsWith("email", "Ona <ona@example.lt>", "consent", "yes"), wantErr: "email"},
		{name: "two emails", fields: fieldsWith("email", "ona@example.lt, jonas@example.lt", "consent", "yes"), wantErr: "email"},
		{name: "email without dot", fields: fieldsWith("email", "ona@localhost", "consent", "yes"), wantErr: "email"},
		// RFC 5321 §4.5.3.1: the acknowledgement to these failed for good.
		{name: "local part over 64 octets", fields: fieldsWith("email", strings.Repeat("a", 70)+"@example.lt", "consent", "yes"), wantErr: "email"},
		{name: "domain label over 63 octets", fields: fieldsWith("email", "ona@"+strings.Repeat("b", 64)+".lt", "consent", "yes"), wantErr: "email"},
		{name: "local part of 64 octets", fields: fieldsWith("email", strings.Repeat("a", 64)+"@example.lt", "consent", "yes")},
		{name: "email header injection", fields: fieldsWith("email", "ona@example.lt\r\nBcc: visi@example.lt", "consent", "yes"), wantErr: "email"},
		{name: "CR LF in name", fields: fieldsWith("name", "Ona\r\nBcc: visi@example.lt", "consent", "yes"), wantErr: "name"},
		{name: "LF in name", fields: fieldsWith("name", "Ona\nPetraitė", "consent", "yes"), wantErr: "name"},
		{name: "name too long", fields: fieldsWith("name", strings.Repeat("O", 201), "consent", "yes"), wantErr: "name"},
		{name: "consent missing with email", fields: fieldsWith("email", "ona@example.lt"), wantErr: "consent"},
		{name: "consent missing with name", fields: fieldsWith("name", "Ona Petraitė"), wantErr: "consent"},
		{name: "consent given", fields: fieldsWith("name", " Ona  Petraitė ", "email", "ona@example.lt", "consent", "yes", "sector", "resident"),
			check: func(t *testing.T, s *Submission) {
				if s.Name != "Ona  Petraitė" || s.Email != "ona@example.lt" || !s.Consent || s.Sector != "resident" {
					t.Errorf("got %+v, want name, email, consent and sector kept", s)
				}
			}},
		{name: "bad measure code", fields: fieldsWith("measure", "9.9"), wantErr: "measure"},
		{name: "measure chosen", fields: fieldsWith("measure", "2.1"), check: func(t *testing.T, s *Submission) {
			if s.Measure != "2.1" {
				t.Errorf("got measure %q, want 2.1", s.Measure)
			}
		}},
		{name: "bad sector", fields: fieldsWith("sector", "government"), wantErr: "sector"},
		{name: "sector chosen", fields: fieldsWith("sector", "ngo")},
		{name: "pdf attached", fields: validFields(), files: []testFile{{name: "planas.pdf", ctype: "application/pdf", data: pdfFile()}},
			check: func(t *testing.T, s *Submission) {
				if len(s.Files) != 1 || s.Files[0].Filename != "planas.pdf" || s.Files[0].ContentType != "application/pdf" {
					t.Errorf("got files %+v, want planas.pdf as application/pdf", s.Files)
				}
			}},
		{name: "declared type ignored", fields: validFields(), files: []testFile{{name: "foto.jpg", ctype: "application/pdf", data: jpegFile()}},
			check: func(t *testing.T, s *Submission) {
				if len(s.Files) != 1 || s.Files[0].ContentType != "image/jpeg" {
					t.Errorf("got files %+v, want foto.jpg sniffed as image/jpeg", s.Files)
				}
			}},
		{name: "docx attached", fields: validFields(), files: []testFile{{name: "C:\\Dokumentai\\pasiūlymas.docx", data: docxFile()}},
			check: func(t *testing.T, s *Submission) {
				if len(s.Files) != 1 || s.Files[0].Filename != "pasiūlymas.docx" || s.Files[0].ContentType != typeDOCX {
					t.Errorf("got files %+v, want pasiūlymas.docx as docx", s.Files)
				}
			}},
		{name: "empty file input ignored", fields: validFields(), files: []testFile{{name: "", data: nil}},
			check: func(t *testing.T, s *Submission) {
				if len(s.Files) != 0 {
					t.Errorf("got %d files, want 0", len(s.Files))
				}
			}},
		{name: "too many files", fields: validFields(), wantErr: "files", files: []testFile{
			{name: "a.pdf", data: pdfFile()}, {name: "b.pdf", data: pdfFile()}, {name: "c.pdf", data: pdfFile()}}},
		{name: "file too large", fields: validFields(), wantErr: "files",
			files: []testFile{{name: "didelis.pdf", data: append(pdfFile(), bytes.Repeat([]byte("x"), 4<<10)...)}}},
		{name: "empty file", fields: validFields(), wantErr: "files", files: []testFile{{name: "tuscias.pdf", data: nil}}},
		{name: "exe renamed pdf", fields: validFields(), wantErr: "files",
			files: []testFile{{name: "saskaita.pdf", ctype: "application/pdf", data: exeFile()}}},
		{name: "pdf named exe", fields: validFields(), wantErr: "files", files: []testFile{{name: "planas.exe", data: pdfFile()}}},
		{name: "html not allowed", fields: validFields(), wantErr: "files",
			files: []testFile{{name: "a.pdf", ctype: "application/pdf", data: []byte("<html><script>alert(1)</script>")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFormTestEnv(t, nil)
			rec := env.browser().submit(t, "strategija-2026", tc.fields, tc.files)
			body := rec.Body.String()
			subs := env.store.submissions()
			if tc.wantErr == "" {
				if rec.Code != http.StatusOK || len(subs) != 1 {
					t.Fatalf("got status %d and %d stored, want 200 and 1; page:\n%s", rec.Code, len(subs), body)
				}
				if ref := refOf(body); ref != "VVG-2026-0001" {
					t.Errorf("got ref %q, want VVG-2026-0001", ref)
				}
				if tc.check != nil {
					tc.check(t, subs[0])
				}
				return
			}
			if rec.Code != http.StatusUnprocessableEntity || len(subs) != 0 {
				t.Fatalf("got status %d and %d stored, want 422 and 0", rec.Code, len(subs))
			}
			id := "f-" + tc.wantErr
			mustContain(t, body,
				`role="alert"`,       // the summary at the top
				`<a href="#`+id+`">`, // links to the field
				`id="`+id+`-error"`,  // the error next to the field
				`aria-describedby="`, // which the field points at
				id+`-error"`,         //
				`name="token"`,       // and a form to try again
				"<title>Klaida: ",    // the title says so too
			)
			if tc.fields.Get("text") != "" && strings.TrimSpace(tc.fields.Get("text")) != "" && tc.wantErr != "text" {
				mustContain(t, body, tc.fields.Get("text")) // input kept
			}
			if len(tc.files) > 0 && tc.files[0].name != "" {
				mustContain(t, body, "Pridėtus failus pasirinkite iš naujo.")
			}
		})
	}
}

// TestFormKeepsInput checks a re-shown form holds what was typed, chosen
// and ticked, so the resident only fixes the one field.
func TestFormKeepsInput(t *testing.T) {
	env := newFormTestEnv(t, nil)
	rec := env.browser().submit(t, "strategija-2026", fieldsWith("name", "Ona", "email", "blogas", "measure", "2.1",
		"sector", "business", "consent", "yes"), nil)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("got status %d, want 422", rec.Code)
	}
	mustContain(t, rec.Body.String(),
		"Siūlome įrengti dviračių taką palei Nemuną.</textarea>",
		`name="name" value="Ona"`,
		`name="email" value="blogas"`,
		`<option value="2.1" selected>`,
		`value="business" checked`,
		`name="consent" value="yes" checked`,
	)
}
