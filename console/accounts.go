package console

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/ledger"
)

// setupTTL is how long a one-time password link stays valid.
const setupTTL = 24 * time.Hour

// AddUser creates an account and returns its one-time link to set a
// password (valid 24 h) under baseURL. `users add` and the console's
// users page both call it.
func AddUser(ctx context.Context, db *ledger.DB, baseURL, email, role, actor string) (*ledger.User, string, error) {
	tok := newToken()
	u, err := db.AddUser(ctx, email, role, tokenHash(tok), db.Options().Now().Add(setupTTL), actor)
	if err != nil {
		return nil, "", err
	}
	return u, setupLink(baseURL, tok), nil
}

// ResetUser clears an account's password and second factor, ends its
// sessions and returns a new one-time link.
func ResetUser(ctx context.Context, db *ledger.DB, baseURL string, id int64, actor string) (string, error) {
	tok := newToken()
	if err := db.ResetUser(ctx, id, tokenHash(tok), db.Options().Now().Add(setupTTL), actor); err != nil {
		return "", err
	}
	return setupLink(baseURL, tok), nil
}

func setupLink(baseURL, tok string) string {
	return fmt.Sprintf("%s/setup?token=%s", strings.TrimRight(baseURL, "/"), tok)
}

// SetPasswordNow sets an account's password directly (the demo's
// account, whose password is printed); it must meet the same length.
func SetPasswordNow(ctx context.Context, db *ledger.DB, id int64, pw, actor string) error {
	if len([]rune(pw)) < minPassword {
		return fmt.Errorf("password: at least %d characters", minPassword)
	}
	return db.SetPassword(ctx, id, HashPassword(pw), actor)
}
