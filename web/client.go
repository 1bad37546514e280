package web

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// Client is who sent a request, as far as the server can tell.
type Client struct {
	IP     netip.Addr // zero when unknown
	Secure bool       // the page reached the browser over TLS
}

// ClientOf works out the client. Without a trusted header it is the
// connection's address. With it, and only when the connection comes from
// a loopback or private address (the reverse proxy), the header's hops are
// read right to left and the first one that is not itself loopback or
// private is the client: hops further left were written by whoever sent
// the request and can be forged, the right-most untrusted one was written
// by our proxy.
func ClientOf(r *http.Request, trustedHeader string) Client {
	return clientThrough(r, trustedHeader, trustedHop)
}

// clientThrough is the one reading of a forwarding header behind ClientOf
// and ClientVia, which differ only in which addresses are our proxies
// (trusted): header is believed only on a connection from one, and its
// hops are read right to left past them.
func clientThrough(r *http.Request, header string, trusted func(netip.Addr) bool) Client {
	p := Client{IP: ParseHost(r.RemoteAddr), Secure: r.TLS != nil}
	if header == "" || !trusted(p.IP) {
		return p
	}
	hops := forwardedHops(header, r.Header.Values(header))
	for i := len(hops) - 1; i >= 0; i-- {
		ip := ParseHost(hops[i])
		if !ip.IsValid() {
			break
		}
		p.IP = ip
		if !trusted(ip) {
			break
		}
	}
	if strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") || forwardedHTTPS(r.Header.Values("Forwarded")) {
		p.Secure = true
	}
	return p
}

// forwardedHops splits a forwarding header into its hops. "Forwarded" (RFC
// 7239) carries them as for= parameters; X-Forwarded-For and the like as a
// comma list.
func forwardedHops(name string, values []string) []string {
	var hops []string
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if !strings.EqualFold(name, "Forwarded") {
				hops = append(hops, item)
				continue
			}
			for pair := range strings.SplitSeq(item, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(k, "for") {
					hops = append(hops, strings.Trim(val, `"`))
				}
			}
		}
	}
	return hops
}

// forwardedHTTPS reports whether an RFC 7239 header says proto=https.
func forwardedHTTPS(values []string) bool {
	for _, v := range values {
		for pair := range strings.SplitSeq(v, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(k, "proto") && strings.EqualFold(strings.Trim(val, `"`), "https") {
				return true
			}
		}
	}
	return false
}

// ParseHost reads "1.2.3.4", "1.2.3.4:5", "[::1]:5" or "::1".
func ParseHost(s string) netip.Addr {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if ip, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return ip.Unmap()
	}
	return netip.Addr{}
}

// trustedHop reports whether ip can only be one of our own proxies.
func trustedHop(ip netip.Addr) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast()
}

// RateKey is a rate limiter's key for the client: the address, or for
// IPv6 its /64, since one household or phone gets a whole /64 and can pick
// any address in it.
func (p Client) RateKey() string {
	switch {
	case !p.IP.IsValid():
		return "unknown"
	case p.IP.Is4():
		return p.IP.String()
	}
	pfx, _ := p.IP.Prefix(64)
	return pfx.String()
}

// ClientVia is ClientOf for a server that names its reverse proxies:
// header is believed only on a connection from one of trusted, and its
// hops are read right to left past the trusted ones. With no trusted
// proxies it is the connection's address.
func ClientVia(r *http.Request, header string, trusted []netip.Prefix) Client {
	return clientThrough(r, header, func(ip netip.Addr) bool {
		return slices.ContainsFunc(trusted, func(t netip.Prefix) bool { return t.Contains(ip) })
	})
}
