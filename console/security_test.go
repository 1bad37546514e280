package console

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/ledger"
)

// ownAccount are the POST routes a board member may use: they change
// only the member's own session or second factor, never the VVG's data.
var ownAccount = map[string]bool{"/logout": true, "/account/totp": true, "/account/totp/off": true}

// TestRouteGuards walks the route table itself, so a screen added later
// is checked without touching this test: without a session every
// non-public route is refused, a board session can change nothing, a
// POST without the CSRF token is refused, and every page renders for an
// administrator.
func TestRouteGuards(t *testing.T) {
	env := newTestEnv(t, nil)
	anon := env.client()
	board := env.client()
	board.login("board@vvg.test")
	staff := env.client()
	staff.login("staff@vvg.test")
	admin := env.client()
	admin.login("admin@vvg.test")

	for _, rt := range env.srv.Routes() {
		path := env.fill(rt.Pattern)
		t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
			if rt.Role == "" {
				switch rt.Pattern {
				case "/static/{file}", "/login", "/login/totp", "/setup":
				default:
					t.Fatalf("public route %s %s: not one of the known public pages", rt.Method, rt.Pattern)
				}
				return
			}
			if rt.Method == http.MethodGet {
				code, _ := anon.get(path)
				if code != http.StatusSeeOther {
					t.Errorf("no session: got %d, want 303 to the login page", code)
				}
				code, body := admin.get(path)
				if code >= 500 || (code != http.StatusOK && !strings.Contains(rt.Pattern, "/a/") && rt.Pattern != "/review") {
					t.Errorf("admin: got %d, want 200\n%.400s", code, body)
				}
				if roleRank[rt.Role] > roleRank[ledger.RoleBoard] {
					if code, _ := board.get(path); code != http.StatusForbidden {
						t.Errorf("board on a %s page: got %d, want 403", rt.Role, code)
					}
				}
				return
			}
			if code, _, _ := anon.post(path, nil, false); code != http.StatusForbidden {
				t.Errorf("no session: got %d, want 403", code)
			}
			staff.get("/")
			if code, _, _ := staff.post(path, nil, false); code != http.StatusForbidden {
				t.Errorf("staff without the CSRF token: got %d, want 403", code)
			}
			if !ownAccount[rt.Pattern] {
				board.get("/")
				if code, _, _ := board.post(path, nil, true); code != http.StatusForbidden {
					t.Errorf("board with its CSRF token: got %d, want 403 (the board reads only)", code)
				}
			}
		})
	}
	// Nothing above may have changed the VVG's data.
	for _, e := range mustAudit(t, env) {
		if strings.HasPrefix(e.Actor, "board@") || (strings.HasPrefix(e.Actor, "staff@") && e.Action != "") {
			t.Errorf("audit shows a change by %s: %s %s", e.Actor, e.Action, e.Target)
		}
	}
}

func mustAudit(t *testing.T, env *testEnv) []ledger.AuditEntry {
	es, err := env.db.Audit(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestSessionChangesAtLogin: a session token planted in the browser
// before login (session fixation) is not the one the login gives, and
// logging in again ends the earlier session.
func TestSessionChangesAtLogin(t *testing.T) {
	env := newTestEnv(t, nil)
	c := env.client()
	c.login("staff@vvg.test")
	first := c.session()
	if first == "" {
		t.Fatal("no session cookie after login")
	}
	c.login("staff@vvg.test")
	second := c.session()
	if second == "" || second == first {
		t.Fatalf("session cookie after the second login: got %q, want a new one (was %q)", second, first)
	}
	if _, err := env.db.SessionByHash(context.Background(), tokenHash(first)); err == nil {
		t.Errorf("the session from before the login still exists")
	}
	if code, _ := c.get("/submissions"); code != http.StatusOK {
		t.Errorf("with the new session: got %d, want 200", code)
	}
}

// TestLoginThrottled: ten wrong passwords in a row are answered as
// wrong; the eleventh attempt, even with the right password, is held back
// with a plain Lithuanian message saying when to try again.
func TestLoginThrottled(t *testing.T) {
	env := newTestEnv(t, nil)
	c := env.client()
	for i := 1; i <= 10; i++ {
		code, body := c.tryLogin("staff@vvg.test", "neteisingas-slaptazodis")
		if code != http.StatusUnauthorized || !strings.Contains(body, "Neteisingas el. pašto adresas arba slaptažodis.") {
			t.Fatalf("attempt %d: got %d, want 401 with the wrong-password message", i, code)
		}
	}
	code, body := c.tryLogin("staff@vvg.test", testPassword)
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Per daug nesėkmingų bandymų. Bandykite dar kartą po ") {
		t.Fatalf("11th attempt: got %d, want 429 with the throttle message\n%.600s", code, body)
	}
	if c.session() != "" {
		t.Errorf("11th attempt: a session was started")
	}
	// Another account from another client is not held back.
	other := env.client()
	other.login("admin@vvg.test")
}
