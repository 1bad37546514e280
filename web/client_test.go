package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientOf(t *testing.T) {
	tests := []struct {
		name, header, remote string
		values               []string
		want                 string
	}{
		{name: "no proxy header configured", remote: "203.0.113.9:1", values: []string{"198.51.100.1"}, want: "203.0.113.9"},
		{name: "right-most untrusted hop", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"1.2.3.4, 198.51.100.1"}, want: "198.51.100.1"},
		{name: "skips our own proxies", header: "X-Forwarded-For", remote: "10.0.0.2:1",
			values: []string{"6.6.6.6, 198.51.100.1, 10.0.0.1", "192.168.1.1"}, want: "198.51.100.1"},
		{name: "header ignored from a public peer", header: "X-Forwarded-For", remote: "203.0.113.9:1",
			values: []string{"198.51.100.1"}, want: "203.0.113.9"},
		{name: "all hops internal", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"10.1.1.1, 10.0.0.1"}, want: "10.1.1.1"},
		{name: "garbage stops the walk", header: "X-Forwarded-For", remote: "127.0.0.1:1",
			values: []string{"198.51.100.1, nonsense, 10.0.0.1"}, want: "10.0.0.1"},
		{name: "no header sent", header: "X-Forwarded-For", remote: "127.0.0.1:1", want: "127.0.0.1"},
		{name: "ipv6 with port", header: "X-Forwarded-For", remote: "[::1]:1", values: []string{"[2001:db8::1]:443"}, want: "2001:db8::1"},
		{name: "rfc 7239", header: "Forwarded", remote: "127.0.0.1:1",
			values: []string{`for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"`}, want: "2001:db8:cafe::17"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote
			name := tc.header
			if name == "" {
				name = "X-Forwarded-For"
			}
			for _, v := range tc.values {
				req.Header.Add(name, v)
			}
			if got := ClientOf(req, tc.header).IP; got != netip.MustParseAddr(tc.want) {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func TestRateKey(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
	}
	for _, tc := range tests {
		t.Run(tc.ip, func(t *testing.T) {
			if got := (Client{IP: netip.MustParseAddr(tc.ip)}).RateKey(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClientVia(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name, remote, xff, want string
		trusted                 []netip.Prefix
	}{
		{"no proxies named", "10.0.0.2:1", "198.51.100.1", "10.0.0.2", nil},
		{"from the proxy", "10.0.0.2:1", "6.6.6.6, 198.51.100.1", "198.51.100.1", proxy},
		{"not from the proxy", "127.0.0.1:1", "198.51.100.1", "127.0.0.1", proxy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote
			req.Header.Set("X-Forwarded-For", tc.xff)
			if got := ClientVia(req, "X-Forwarded-For", tc.trusted).IP; got != netip.MustParseAddr(tc.want) {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}
