package mailparse

import (
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestOwnText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		forward bool // Subject marks a forward
		want    string
	}{
		{"plain", "Siūlau taką.\n\nJonas", false, "Siūlau taką.\n\nJonas"},
		{"gmail english attribution", "Mano tekstas.\n\nOn Thu, 19 Nov 2026 at 09:00, VVG <vvg@example.lt> wrote:\n\n> cituota\n> dar", false, "Mano tekstas."},
		{"gmail lithuanian attribution", "Mano tekstas.\n\n2026-11-20, 10:15, VVG <vvg@example.lt> rašė:\n> cituota", false, "Mano tekstas."},
		{"attribution wrapped over two lines", "Mano.\n\nOn Thu, 19 Nov 2026 at 09:00, Ąžuolynės rajono vietos veiklos grupė <\nvvg@example.lt> wrote:\n\n> cituota", false, "Mano."},
		{"attribution without quote marks cuts", "Mano.\n\nOn Fri, Nov 20, 2026 at 10:15 AM VVG <vvg@example.lt> wrote:\nLaba diena, cituota", false, "Mano."},
		{"yahoo inline attribution", "Mano.\n\n  On Fri, Nov 20, 2026 at 10:15, VVG<vvg@example.lt> wrote:   Laba diena,\ncituota", false, "Mano."},
		{"interleaved answers survive", "2026-11-20 10:15, VVG rašė:\n> Kur?\nPabiržėje.\n> Kada?\nVasarą.", false, "Pabiržėje.\nVasarą."},
		{"attribution in another language", "Mano.\n\n20.11.2026, 10:15, \"VVG\" <vvg@example.lt>:\n> cituota", false, "Mano."},
		{"samsung original message", "Mano.\n\n-------- Originalus laiškas --------\nNuo: VVG\ncituota", false, "Mano."},
		{"forward inside a reply's quote", "Ačiū.\n\nOn Fri, 20 Nov 2026 at 10:15, Ona <o@example.lt> wrote:\n> Žr.\n> ---------- Forwarded message ---------\n> senas laiškas", false, "Ačiū."},
		{"sentence with rašė is kept", "Kaimynas man rašė:\nreikia tako.", false, "Kaimynas man rašė:\nreikia tako."},
		{"outlook english block", "Mano.\n\nFrom: VVG <vvg@example.lt>\nSent: Thursday, November 19, 2026 9:00 AM\nTo: Jonas\nSubject: Kvietimas\n\ncituota", false, "Mano."},
		{"outlook lithuanian block", "Mano.\n\nNuo: VVG <vvg@example.lt>\nIšsiųsta: 2026 m. lapkričio 19 d. 09:00\nKam: Jonas\nTema: Kvietimas\n\ncituota", false, "Mano."},
		{"outlook rule then block", "Mano.\n\n________________________________\nFrom: VVG\nSent: x\nTo: y\n\ncituota", false, "Mano."},
		{"original message", "Mano.\n\n-----Original Message-----\nFrom: VVG\ncituota", false, "Mano."},
		{"pradinis laiškas", "Mano.\n\n-----Pradinis laiškas-----\nNuo: VVG\ncituota", false, "Mano."},
		{"outlook forward kept", "Persiunčiu.\n\n-----Original Message-----\nFrom: Ona\nSent: x\nTo: y\nSubject: FW: z\n\nOnos pasiūlymas", true, "Persiunčiu.\n\n-----Original Message-----\nFrom: Ona\nSent: x\nTo: y\nSubject: FW: z\n\nOnos pasiūlymas"},
		{"gmail forward kept", "Persiunčiu.\n\n---------- Forwarded message ---------\nFrom: Ona\nDate: x\n\nOnos pasiūlymas", false, "Persiunčiu.\n\n---------- Forwarded message ---------\nFrom: Ona\nDate: x\n\nOnos pasiūlymas"},
		{"lithuanian gmail forward kept", "---------- Persiųstas laiškas ---------\nNuo: Ona\n\nOnos pasiūlymas", false, "---------- Persiųstas laiškas ---------\nNuo: Ona\n\nOnos pasiūlymas"},
		{"apple forward unquoted", "Žr.\n\nBegin forwarded message:\n\n> From: Ona\n> Subject: x\n>\n> Onos pasiūlymas", false, "Žr.\n\nBegin forwarded message:\n\nFrom: Ona\nSubject: x\n\nOnos pasiūlymas"},
		{"signature then forward", "Persiunčiu.\n-- \nJonas\ntel. 123\n\n---------- Forwarded message ---------\nOnos pasiūlymas", false, "Persiunčiu.\n\n---------- Forwarded message ---------\nOnos pasiūlymas"},
		{"signature", "Tekstas.\n\n-- \nJonas Jonaitis\n+370 600 11223", false, "Tekstas."},
		{"signature without space", "Tekstas.\n--\nJonas", false, "Tekstas."},
		{"mobile footers", "Tekstas.\n\nIšsiųsta iš mano iPhone", false, "Tekstas."},
		{"android footer", "Tekstas.\n\nSiųsta iš „Samsung Galaxy“ išmaniojo telefono.", false, "Tekstas."},
		{"outlook footer", "Tekstas.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>", false, "Tekstas."},
		{"sentence starting sent kept", "Sent you the plan by mail yesterday, please read it.", false, "Sent you the plan by mail yesterday, please read it."},
		{"disclaimer", "Tekstas.\n\nPagarbiai\nJonas\n\nKONFIDENCIALUMO PRANEŠIMAS: šiame laiške esanti informacija yra konfidenciali ir skirta tik adresatui.\nCONFIDENTIALITY NOTICE: This e-mail is confidential.", false, "Tekstas.\n\nPagarbiai\nJonas"},
		{"disclaimer glued to signature", "Tekstas.\nJonas\nThis e-mail and any attachments are confidential and intended solely for the addressee.", false, "Tekstas.\nJonas"},
		{"disclaimer-like resident sentence kept", "Šiame laiške siūlau įrengti taką.", false, "Šiame laiške siūlau įrengti taką."},
		{"cid placeholder", "Nuotrauka:\n[cid:image001.jpg@01DB3C4A.5E6F7A80]\nVilma", false, "Nuotrauka:\n\nVilma"},
		{"html quote marker cuts", "Mano.\n" + quoteMark + "\nOn x wrote:\ncituota", false, "Mano."},
		{"html quote marker before forward", "Mano.\n" + quoteMark + "\n---------- Forwarded message ---------\nOnos", false, "Mano.\n\n---------- Forwarded message ---------\nOnos"},
		{"html quote marker in a forward", "Mano.\n" + quoteMark + "\nFrom: Ona\nSent: x\nTo: y\n\nOnos", true, "Mano.\n\nFrom: Ona\nSent: x\nTo: y\n\nOnos"},
		{"header marker with block cuts", "Mano.\n" + headerMark + "\nNuo: VVG\nIšsiųsta: x\n\ncituota", false, "Mano."},
		{"header marker without block ignored", "Mano.\n" + headerMark + "\ntoliau mano tekstas", false, "Mano.\ntoliau mano tekstas"},
		{"quote lines only", "> a\n> b", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ownText(tt.in, tt.forward); got != tt.want {
				t.Errorf("ownText(%q):\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOwnTextLinear(t *testing.T) {
	// Many lines that almost look like header blocks must not blow up.
	in := strings.Repeat("From: x\nnot a date\n", 20000)
	if got := ownText(in, false); !strings.HasPrefix(got, "From: x") {
		t.Errorf("got %.40q", got)
	}
}

// TestDisclaimerStartBounded: dropDisclaimers matches the start pattern
// against the first disclaimerStartMax bytes of a line only, which is
// right while no match can be longer.
func TestDisclaimerStartBounded(t *testing.T) {
	re, err := syntax.Parse(disclaimerStartRE.String(), syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	if n := maxRunes(re); n < 0 || n*utf8.UTFMax > disclaimerStartMax {
		t.Errorf("disclaimerStartRE matches up to %d runes (-1: unbounded); dropDisclaimers caps lines at %d bytes", n, disclaimerStartMax)
	}
}

// maxRunes is the most runes re can match, or -1 when there is no bound.
func maxRunes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture:
		return maxRunes(re.Sub[0])
	case syntax.OpQuest:
		return maxRunes(re.Sub[0])
	case syntax.OpRepeat:
		n := maxRunes(re.Sub[0])
		if n < 0 || re.Max < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, sub := range re.Sub {
			n := maxRunes(sub)
			if n < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return -1 // star, plus and anything unforeseen
}
