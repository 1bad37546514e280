package web

import "net/http"

// forwardingHeaders are set by reverse proxies and CDNs to name the
// client they relay for. A request that carries one came through a proxy.
var forwardingHeaders = []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip", "X-Client-Ip", "True-Client-Ip",
	"Cf-Connecting-Ip", "Fastly-Client-Ip", "X-Cluster-Client-Ip", "X-Forwarded-Host", "X-Forwarded-Proto"}

// Local reports whether a request comes from this machine, for what must
// not leave it (/metrics, the reasons /readyz gives). Without a trusted
// proxy header only the socket decides: its address must be loopback and
// the request must carry no forwarding header, since a proxy nobody told
// us about relays everyone's requests from loopback. With a trusted
// header the client ClientOf finds behind the proxy must be loopback: the
// proxy's own address proves nothing.
func Local(r *http.Request, trustedHeader string) bool {
	if trustedHeader == "" {
		if !ParseHost(r.RemoteAddr).IsLoopback() {
			return false
		}
		for _, h := range forwardingHeaders {
			if _, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
				return false
			}
		}
		return true
	}
	return ClientOf(r, trustedHeader).IP.IsLoopback()
}
