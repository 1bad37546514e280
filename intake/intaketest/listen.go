package intaketest

import (
	"net"
	"testing"
)

// ServeTCP listens on 127.0.0.1 until the test ends and hands each
// connection to handle in a goroutine of its own. It returns the address.
// It is for the servers a test scripts itself: one that echoes, one that
// greets and then says nothing, one that answers out of order.
func ServeTCP(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return ln.Addr().String()
}
