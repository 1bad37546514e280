package mailparse

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestTNEFCorpus: the dev corpus's winmail.dat holds one PDF.
func TestTNEFCorpus(t *testing.T) {
	raw, err := os.ReadFile("testdata/mail/d09_outlook_disclaimer_tnef_from_sent.eml")
	if err != nil {
		t.Fatal(err)
	}
	m := ParseBytes(raw, ParseOptions{KeepContent: true})
	var dat []byte
	for _, a := range m.Attachments {
		if a.ContentType == "application/ms-tnef" {
			dat = a.Content()
		}
	}
	files, err := TNEFFiles(dat)
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v, %v; want one", files, err)
	}
	if files[0].Name != "Praktikos vietos 2027.pdf" || !bytes.HasPrefix(files[0].Data, []byte("%PDF-1.4")) {
		t.Errorf("got %q (%.8q), want the PDF", files[0].Name, files[0].Data)
	}
}

// tnefAttr writes one TNEF attribute.
func tnefAttr(b *bytes.Buffer, level byte, id uint32, data []byte) {
	b.WriteByte(level)
	binary.Write(b, binary.LittleEndian, id)
	binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	var sum uint16
	for _, c := range data {
		sum += uint16(c)
	}
	binary.Write(b, binary.LittleEndian, sum)
}

// TestTNEFLongName: the long name in the attachment's MAPI properties
// wins over the 8.3 title, and is made safe.
func TestTNEFLongName(t *testing.T) {
	var props bytes.Buffer
	le := func(v any) { binary.Write(&props, binary.LittleEndian, v) }
	name := "Ilgas pavadinimas \u202eexe.pdf"
	u := append(utf16.Encode([]rune(name)), 0)
	le(uint32(2))
	le(uint32(0x0003 | 0x0E20<<16)) // PR_ATTACH_SIZE, PT_LONG
	le(uint32(1234))
	le(uint32(ptUnicode | prAttachLongFilename<<16))
	le(uint32(1))
	le(uint32(len(u) * 2))
	for _, c := range u {
		le(c)
	}
	for props.Len()%4 != 0 {
		props.WriteByte(0)
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint32(tnefSignature))
	binary.Write(&b, binary.LittleEndian, uint16(0x0100))
	tnefAttr(&b, 2, attAttachRendData|0x0006<<16, make([]byte, 14))
	tnefAttr(&b, 2, attAttachTitle|0x0001<<16, []byte("ILGASP~1.PDF\x00"))
	tnefAttr(&b, 2, attAttachData|0x0006<<16, []byte("%PDF-1.4 x"))
	tnefAttr(&b, 2, attAttachment|0x0006<<16, props.Bytes())
	files, err := TNEFFiles(b.Bytes())
	if err != nil || len(files) != 1 || files[0].Name != "Ilgas pavadinimas exe.pdf" {
		t.Fatalf("files %+v, %v; want the long name, without the override", files, err)
	}
}

// TestTNEFDamaged: a truncated stream gives what came before the damage
// and an error; something else is refused.
func TestTNEFDamaged(t *testing.T) {
	if _, err := TNEFFiles([]byte("%PDF-1.4")); err == nil {
		t.Error("a PDF taken for TNEF")
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint32(tnefSignature))
	binary.Write(&b, binary.LittleEndian, uint16(0))
	tnefAttr(&b, 2, attAttachRendData, make([]byte, 14))
	tnefAttr(&b, 2, attAttachData, []byte("duomenys"))
	tnefAttr(&b, 2, attAttachRendData, make([]byte, 14))
	cut := append(b.Bytes(), 2, 0x0f, 0x80, 0, 0, 0xff, 0xff, 0xff, 0x7f)
	files, err := TNEFFiles(cut)
	if err == nil || len(files) != 1 || !strings.HasPrefix(files[0].Name, "priedas") {
		t.Errorf("files %+v, %v; want the first file and an error", files, err)
	}
}

func FuzzTNEF(f *testing.F) {
	f.Add([]byte{0x78, 0x9f, 0x3e, 0x22, 0, 0, 2, 0x02, 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		files, _ := TNEFFiles(b)
		for _, fl := range files {
			if fl.Name == "" || len(fl.Data) == 0 {
				t.Errorf("file %+v", fl)
			}
		}
	})
}
