package main

import (
	"net"
	"net/http"
	"strings"
	"sync"
)

// hostRouter dispatches one of the host's listeners to the VVGs: by the
// request's host name when a VVG has one (form.host, console.host), else
// by the first path segment (/SLUG/…). What is neither is the host's own
// (own), or 404: the root does not list the VVGs a host serves.
type hostRouter struct {
	own    http.Handler
	mu     sync.RWMutex
	routes map[string]hostRoute // by slug
	byHost map[string]string    // host name → slug
}

// hostRoute is one VVG's handlers: under /SLUG/ (byPath) or, when host
// is set, at the root of that host name only (byName).
type hostRoute struct {
	host           string
	byPath, byName http.Handler
}

func newHostRouter(own http.Handler) *hostRouter {
	return &hostRouter{own: own, routes: map[string]hostRoute{}, byHost: map[string]string{}}
}

func (rt *hostRouter) add(slug, host string, byPath, byName http.Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.removeLocked(slug)
	rt.routes[slug] = hostRoute{host: host, byPath: byPath, byName: byName}
	if host != "" {
		rt.byHost[host] = slug
	}
}

func (rt *hostRouter) remove(slug string) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.removeLocked(slug)
}

func (rt *hostRouter) removeLocked(slug string) {
	if r, ok := rt.routes[slug]; ok && r.host != "" && rt.byHost[r.host] == slug {
		delete(rt.byHost, r.host)
	}
	delete(rt.routes, slug)
}

func (rt *hostRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var h http.Handler
	rt.mu.RLock()
	if slug, ok := rt.byHost[hostName(r.Host)]; ok {
		h = rt.routes[slug].byName
	} else {
		seg, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if route, ok := rt.routes[seg]; ok && route.host == "" {
			h = route.byPath
			if r.URL.Path == "/"+seg {
				h = http.RedirectHandler("/"+seg+"/", http.StatusMovedPermanently)
			}
		}
	}
	rt.mu.RUnlock()
	switch {
	case h != nil:
		h.ServeHTTP(w, r)
	case rt.own != nil:
		rt.own.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// hostName is the request's host without the port, lowercase.
func hostName(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		hostport = h
	}
	return strings.ToLower(strings.TrimSuffix(hostport, "."))
}
