package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// TestTOTPLogin: with a second factor on, the password alone gives no
// session; the code from the authenticator app does, under a new token.
func TestTOTPLogin(t *testing.T) {
	env := newTestEnv(t, nil)
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Test VVG", AccountName: "staff@vvg.test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.db.SetTOTP(context.Background(), env.users["staff"].ID, key.Secret(), "test"); err != nil {
		t.Fatal(err)
	}
	c := env.client()
	if code, _ := c.tryLogin("staff@vvg.test", testPassword); code != http.StatusSeeOther {
		t.Fatalf("password: got %d, want 303 to the second factor", code)
	}
	pending := c.session()
	if code, _ := c.get("/submissions"); code != http.StatusSeeOther {
		t.Errorf("before the code: got %d, want 303 (no access)", code)
	}
	c.get("/login/totp")
	if code, _, _ := c.post("/login/totp", url.Values{"code": {"000000"}}, true); code != http.StatusUnauthorized {
		t.Errorf("wrong code: got %d, want 401", code)
	}
	c.get("/login/totp")
	now, _ := totp.GenerateCode(key.Secret(), time.Now())
	if code, _, _ := c.post("/login/totp", url.Values{"code": {now}}, true); code != http.StatusSeeOther {
		t.Fatalf("right code: got %d, want 303", code)
	}
	if c.session() == pending {
		t.Errorf("the session token did not change after the second factor")
	}
	if code, _ := c.get("/submissions"); code != http.StatusOK {
		t.Errorf("after the code: got %d, want 200", code)
	}
}
