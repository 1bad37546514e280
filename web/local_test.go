package web

import (
	"net/http/httptest"
	"testing"
)

// TestLocal: details are served to this machine only. A remote client
// that sent X-Real-IP or Forwarded through a local proxy used to pass.
func TestLocal(t *testing.T) {
	tests := []struct {
		name, remote, trusted string
		header                map[string]string
		want                  bool
	}{
		{"loopback socket", "127.0.0.1:5000", "", nil, true},
		{"ipv6 loopback", "[::1]:5000", "", nil, true},
		{"remote socket", "203.0.113.9:5000", "", nil, false},
		{"private socket", "10.0.0.2:5000", "", nil, false},
		{"loopback via an unknown proxy, X-Real-IP", "127.0.0.1:5000", "", map[string]string{"X-Real-IP": "203.0.113.9"}, false},
		{"loopback via an unknown proxy, Forwarded", "127.0.0.1:5000", "", map[string]string{"Forwarded": "for=203.0.113.9"}, false},
		{"loopback via an unknown proxy, X-Forwarded-For", "127.0.0.1:5000", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}, false},
		{"remote socket claiming loopback", "203.0.113.9:5000", "X-Real-IP", map[string]string{"X-Real-IP": "127.0.0.1"}, false},
		{"trusted proxy relaying a remote client", "127.0.0.1:5000", "X-Real-IP", map[string]string{"X-Real-IP": "203.0.113.9"}, false},
		{"trusted proxy, client forging loopback on the left", "127.0.0.1:5000", "X-Forwarded-For",
			map[string]string{"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}, false},
		{"trusted proxy relaying a local client", "127.0.0.1:5000", "X-Real-IP", map[string]string{"X-Real-IP": "127.0.0.1"}, true},
		{"trusted proxy configured, local request without it", "127.0.0.1:5000", "X-Real-IP", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/metrics", nil)
			r.RemoteAddr = tt.remote
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			if got := Local(r, tt.trusted); got != tt.want {
				t.Errorf("Local = %v, want %v", got, tt.want)
			}
		})
	}
}
