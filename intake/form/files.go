package form

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/vvgintake/vvgintake/internal/filename"
)

// Container types the form can recognise, beyond what
// http.DetectContentType names.
const (
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typeODT  = "application/vnd.oasis.opendocument.text"
	typeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	typeDOC  = "application/msword"
	typeXLS  = "application/vnd.ms-excel"
)

// oleMagic is the magic of an OLE2 compound file (.doc, .xls).
const oleMagic = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

// extensions lists the file name endings each type may carry, the usual
// one first. A type missing here cannot be recognised, so New refuses it in
// AllowedTypes. Read only.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
	"text/plain":      {".txt"},
	"application/rtf": {".rtf"},
	typeDOCX:          {".docx"},
	typeXLSX:          {".xlsx"},
	typeODT:           {".odt"},
	typeODS:           {".ods"},
	typeDOC:           {".doc"},
	typeXLS:           {".xls"},
}

// extensionsOf lists the file name endings type t may carry (extensions).
func extensionsOf(t string) []string { return extensions[t] }

// sniff names the type of a file from its bytes (http.DetectContentType,
// plus the zip and OLE containers office files use) and accepts it only
// when the name's extension agrees: an .exe renamed .pdf sniffs as
// application/octet-stream, and a real PDF named .exe is refused too,
// because staff will open it by its name. It returns "" when unsure.
func sniff(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	t, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	switch {
	case t == "application/zip":
		t = sniffZip(ext, data)
	case bytes.HasPrefix(data, []byte(oleMagic)):
		t = map[string]string{".doc": typeDOC, ".xls": typeXLS}[ext]
	case t == "text/plain" && bytes.HasPrefix(data, []byte(`{\rtf`)):
		t = "application/rtf"
	}
	for _, e := range extensionsOf(t) {
		if e == ext {
			return t
		}
	}
	return ""
}

// sniffZip tells OOXML and ODF documents from other zips by the member
// names, which zip stores uncompressed. ODF puts an uncompressed
// "mimetype" member first (ODF 1.2 part 3 §3.3), so its type sits at byte
// 38.
func sniffZip(ext string, data []byte) string {
	head := data[:min(len(data), 4096)]
	switch ext {
	case ".docx":
		if bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("word/")) {
			return typeDOCX
		}
	case ".xlsx":
		if bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("xl/")) {
			return typeXLSX
		}
	case ".odt", ".ods":
		if len(data) > 38 && string(data[30:38]) == "mimetype" {
			for _, t := range []string{typeODT, typeODS} {
				if bytes.HasPrefix(data[38:], []byte(t)) && extensionsOf(t)[0] == ext {
					return t
				}
			}
		}
	}
	return ""
}

// cleanFileName keeps the last element of a browser-sent file name (old
// browsers send the whole Windows path) made safe by the one rule for
// names (internal/filename: no controls or bidirectional overrides, in
// NFC, at most filename.MaxBytes bytes, the extension kept).
func cleanFileName(s string) string {
	if s = filename.Clean(s, filename.MaxBytes); s == "" {
		s = "priedas"
	}
	return s
}
