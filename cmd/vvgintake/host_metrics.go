package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/vvgintake/vvgintake/web"
)

// hostPaths are the host's own paths on the form listener: /healthz
// (the process is up), /readyz (every VVG runs and raises no alert) and
// /metrics (every VVG's series with a vvg label, and the host's own).
// Each VVG's own are under /SLUG/ as well. Like a single VVG's, /readyz's
// reasons and /metrics are for this machine only (loopback, no
// forwarding header): they name mailbox accounts and repeat servers'
// errors.
func (h *Host) hostPaths() http.Handler {
	mux := http.NewServeMux()
	handleHealth(mux, h.readiness, "")
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !web.Local(r, "") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		h.writeMetrics(r.Context(), w)
	})
	mux.HandleFunc("/", http.NotFound)
	return mux
}

// readiness lists each VVG's problems, prefixed with its slug.
func (h *Host) readiness(ctx context.Context) []string {
	var out []string
	for _, s := range h.States() {
		switch {
		case s.daemon != nil:
			for _, p := range s.daemon.readiness(ctx) {
				out = append(out, s.Slug+": "+p)
			}
			if s.Pending {
				out = append(out, fmt.Sprintf("%s: its file changed and does not load (the previous configuration runs): %v", s.Slug, s.Err))
			}
		default:
			out = append(out, fmt.Sprintf("%s: %s: %v", s.Slug, s.State, s.Err))
		}
	}
	return out
}

// writeMetrics writes every running VVG's series, each with its vvg
// label, grouped by family as the text format wants (a family's lines
// together, its HELP and TYPE once), then the host's own.
func (h *Host) writeMetrics(ctx context.Context, w io.Writer) {
	var order []string
	fams := map[string]*promFamily{}
	states := h.States()
	for _, s := range states {
		if s.daemon == nil {
			continue
		}
		var buf bytes.Buffer
		if err := s.daemon.metrics.write(ctx, &buf); err != nil {
			fmt.Fprintf(w, "# error: %s: %v\n", s.Slug, err)
		}
		relabel(&buf, s.Slug, fams, &order)
	}
	for _, name := range order {
		f := fams[name]
		io.WriteString(w, f.head)
		for _, l := range f.lines {
			io.WriteString(w, l)
		}
	}
	fmt.Fprintf(w, "# HELP vvgintake_vvg_up 1 while the VVG runs; 0 while its configuration does not load or it failed and waits to start again.\n# TYPE vvgintake_vvg_up gauge\n")
	for _, s := range states {
		fmt.Fprintf(w, "vvgintake_vvg_up{vvg=%q} %d\n", s.Slug, b2i(s.State == unitRunning))
	}
	fmt.Fprintf(w, "# HELP vvgintake_vvg_config_error 1 while the VVG's file does not load (it may still run the previous one).\n# TYPE vvgintake_vvg_config_error gauge\n")
	for _, s := range states {
		fmt.Fprintf(w, "vvgintake_vvg_config_error{vvg=%q} %d\n", s.Slug, b2i(s.State == unitConfigError || s.Pending))
	}
	fmt.Fprintf(w, "# HELP vvgintake_vvg_starts_total Times the VVG's daemon was started.\n# TYPE vvgintake_vvg_starts_total counter\n")
	for _, s := range states {
		fmt.Fprintf(w, "vvgintake_vvg_starts_total{vvg=%q} %d\n", s.Slug, s.Starts)
	}
	m := h.shared.models
	m.mu.Lock()
	trained, shared := m.trains, len(m.byKey)
	m.mu.Unlock()
	fmt.Fprintf(w, "# HELP vvgintake_models_trained_total Classifiers trained from examples (shared by the VVGs on the same strategy and examples).\n# TYPE vvgintake_models_trained_total counter\nvvgintake_models_trained_total %d\n", trained)
	fmt.Fprintf(w, "# HELP vvgintake_models Distinct trained classifiers held.\n# TYPE vvgintake_models gauge\nvvgintake_models %d\n", shared)
}

// promFamily is one metric family gathered over the VVGs.
type promFamily struct {
	head  string // its HELP and TYPE lines
	lines []string
}

// relabel adds vvg="slug" to every sample of one VVG's metrics (as
// metrics.write renders them: HELP and TYPE before each family's
// samples) and files them under their family.
func relabel(r io.Reader, slug string, fams map[string]*promFamily, order *[]string) {
	sc := bufio.NewScanner(r)
	var cur *promFamily
	label := fmt.Sprintf("vvg=%q", slug)
	for sc.Scan() {
		l := sc.Text()
		if rest, ok := strings.CutPrefix(l, "# HELP "); ok {
			name, _, _ := strings.Cut(rest, " ")
			if cur = fams[name]; cur == nil {
				cur = &promFamily{}
				fams[name] = cur
				*order = append(*order, name)
			}
			if cur.head == "" || !strings.Contains(cur.head, "# TYPE") {
				cur.head += l + "\n"
			}
			continue
		}
		if strings.HasPrefix(l, "# TYPE ") {
			if cur != nil && !strings.Contains(cur.head, "# TYPE") {
				cur.head += l + "\n"
			}
			continue
		}
		if l == "" || strings.HasPrefix(l, "#") || cur == nil {
			continue
		}
		name, rest, braces := strings.Cut(l, "{")
		if braces {
			l = name + "{" + label + "," + rest
		} else {
			name, val, _ := strings.Cut(l, " ")
			l = name + "{" + label + "} " + val
		}
		cur.lines = append(cur.lines, l+"\n")
	}
}
