package intaketest

import (
	"fmt"
	"strings"
	"time"
)

// Message returns a small synthetic resident's suggestion, unique per (tag,
// n), with CRLF line ends as on the wire.
func Message(tag string, n int) []byte {
	return MessageSize(tag, n, 0)
}

// MessageSize is Message padded with body lines to at least size bytes.
func MessageSize(tag string, n, size int) []byte {
	date := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
	var b strings.Builder
	fmt.Fprintf(&b, "From: Gyventojas %[2]d <gyventojas%[2]d@example.lt>\r\n", tag, n)
	b.WriteString("To: VVG <vvg@example.lt>\r\n")
	fmt.Fprintf(&b, "Subject: =?UTF-8?Q?Pasi=C5=ABlymas_%s_%d?=\r\n", tag, n)
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s.%d@example.lt>\r\n", tag, n)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	fmt.Fprintf(&b, "Siūlau sutvarkyti kelią prie bendruomenės namų (%s, nr. %d).\r\n", tag, n)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Papildoma eilutė %d: dviračių takas, apšvietimas, suoliukai.\r\n", i)
	}
	return []byte(b.String())
}
