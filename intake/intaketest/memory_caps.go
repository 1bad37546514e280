package intaketest

import (
	"bytes"
	"net"

	"github.com/emersion/go-imap/v2"
)

// capsListener hands out connections that advertise extra capabilities.
type capsListener struct {
	net.Listener
	extra []imap.Cap
}

func (l *capsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	var add []byte
	for _, cp := range l.extra {
		add = append(add, cp...)
		add = append(add, ' ')
	}
	return &capsConn{Conn: c, add: add}, nil
}

// capsConn adds capabilities to every CAPABILITY list the server writes,
// the untagged response and the [CAPABILITY …] response code alike (RFC
// 3501 §7.2.1, §7.1). The server writes each response in one go, so a list
// is never split across writes; with STARTTLS the lists after the upgrade
// are encrypted and keep the server's own.
type capsConn struct {
	net.Conn
	add []byte
}

var capList = []byte("CAPABILITY IMAP4")

func (c *capsConn) Write(p []byte) (int, error) {
	if !bytes.Contains(p, capList) {
		return c.Conn.Write(p)
	}
	q := bytes.ReplaceAll(p, capList, append(append([]byte("CAPABILITY "), c.add...), "IMAP4"...))
	if _, err := c.Conn.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}
