package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/ledger"
)

// TestCloseEarlyAsks: closing before the deadline shows the confirmation
// form (its own action, the "to" field, confirm=1), and only its POST
// closes; re-opening takes no confirmation.
func TestCloseEarlyAsks(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, nil)
	admin := env.client()
	admin.login("admin@vvg.test")

	code, _, resp := admin.post("/c/strategija/status", url.Values{"to": {"closed"}}, true)
	if code != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "confirm=close") {
		t.Fatalf("close before the deadline: %d to %s, want the confirmation", code, resp.Header.Get("Location"))
	}
	if c, _ := env.db.Consultation(ctx, "strategija"); c.Status != ledger.StatusOpen {
		t.Fatalf("closed without confirmation: %s", c.Status)
	}
	_, body := admin.get("/c/strategija?confirm=close")
	for _, want := range []string{`action="/c/strategija/status" class="panel stack"`, `name="to" value="closed"`,
		`name="confirm" value="1"`, `id="close-confirm"`, `<a href="/c/strategija">`} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation: no %s\n%s", want, body)
		}
	}
	if code, body, _ := admin.post("/c/strategija/status", url.Values{"to": {"closed"}, "confirm": {"1"}}, true); code != http.StatusSeeOther {
		t.Fatalf("confirmed close: %d\n%s", code, body)
	}
	if c, _ := env.db.Consultation(ctx, "strategija"); c.Status != ledger.StatusClosed {
		t.Errorf("after the confirmed close: %s, want closed", c.Status)
	}
	if code, _, _ := admin.post("/c/strategija/status", url.Values{"to": {"open"}}, true); code != http.StatusSeeOther {
		t.Fatalf("re-open: %d", code)
	}
	if c, _ := env.db.Consultation(ctx, "strategija"); c.Status != ledger.StatusOpen {
		t.Errorf("after re-opening: %s, want open", c.Status)
	}
}
