package intaketest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// CutProxy is a TCP proxy on 127.0.0.1 in front of a server. Cut drops every
// live connection, CutAfter drops each new connection after a number of
// bytes from the server: a connection cut mid-fetch, on demand.
type CutProxy struct {
	Addr string // where clients connect

	target   string
	ln       net.Listener
	accepted atomic.Int64
	cutAfter atomic.Int64

	mu     sync.Mutex
	live   map[*proxied]struct{}
	closed bool
	wg     sync.WaitGroup
}

// proxied is one client connection and its server connection.
type proxied struct {
	client, server net.Conn
	once           sync.Once
}

// close drops both sides.
func (c *proxied) close() {
	c.once.Do(func() {
		c.client.Close()
		c.server.Close()
	})
}

// NewCutProxy listens on 127.0.0.1 and forwards to target; it is closed
// when t ends.
func NewCutProxy(t testing.TB, target string) *CutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cut proxy: listen: %v", err)
	}
	p := &CutProxy{Addr: ln.Addr().String(), target: target, ln: ln, live: make(map[*proxied]struct{})}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Accepted counts the connections made through the proxy so far.
func (p *CutProxy) Accepted() int64 { return p.accepted.Load() }

// CutAfter makes every connection accepted from now on drop after n bytes
// from the server (0: never). n counts the greeting and every response, so
// it lands anywhere, typically inside a message literal.
func (p *CutProxy) CutAfter(n int64) { p.cutAfter.Store(n) }

// Cut drops every live connection with a TCP reset, as a failing network
// or a restarted NAT box does, and returns how many it dropped. What the
// client's kernel already received stays readable (Linux); use CutAfter to
// cut at an exact byte.
func (p *CutProxy) Cut() int {
	p.mu.Lock()
	conns := make([]*proxied, 0, len(p.live))
	for c := range p.live {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		if tc, ok := c.client.(*net.TCPConn); ok {
			tc.SetLinger(0) // close sends RST
		}
		c.close()
	}
	return len(conns)
}

// close stops accepting, drops everything and waits for the copiers.
func (p *CutProxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.Cut()
	p.wg.Wait()
}

// accept serves connections until the listener closes.
func (p *CutProxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		c := &proxied{client: client, server: server}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.close()
			return
		}
		p.live[c] = struct{}{}
		p.wg.Add(2)
		p.mu.Unlock()
		limit := p.cutAfter.Load()
		go p.pipe(c, c.server, c.client, 0)     // client → server
		go p.pipe(c, c.client, c.server, limit) // server → client, maybe cut
	}
}

// pipe copies src to dst; with limit > 0 it forwards only limit bytes and
// then drops the connection.
func (p *CutProxy) pipe(c *proxied, dst, src net.Conn, limit int64) {
	defer p.wg.Done()
	defer func() {
		c.close()
		p.mu.Lock()
		delete(p.live, c)
		p.mu.Unlock()
	}()
	var r io.Reader = src
	if limit > 0 {
		r = io.LimitReader(src, limit)
	}
	io.Copy(dst, r)
}
