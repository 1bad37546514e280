package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Console roles: admin also manages users and consultations, staff work
// the queue, board members read (and never see e-mail addresses).
const (
	RoleAdmin = "admin"
	RoleStaff = "staff"
	RoleBoard = "board"
)

// User is a staff console account.
type User struct {
	ID           int64
	Email        string
	Role         string
	PasswordHash string // argon2id, PHC format; "" until set
	TOTPSecret   string // "" when the second factor is off
	Disabled     bool
	SetupHash    string
	SetupExpires time.Time
	CreatedAt    time.Time
}

const userCols = `id, email, role, password_hash, totp_secret, disabled, setup_hash, setup_expires, created_at`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var (
		u       User
		exp     sql.NullString
		created string
	)
	if err := row.Scan(&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.TOTPSecret, &u.Disabled, &u.SetupHash, &exp, &created); err != nil {
		return nil, err
	}
	var err error
	if u.SetupExpires, err = parseNullTime(exp); err != nil {
		return nil, err
	}
	u.CreatedAt, err = parseTime(created)
	return &u, err
}

func validRole(role string) error {
	switch role {
	case RoleAdmin, RoleStaff, RoleBoard:
		return nil
	}
	return fmt.Errorf("role %q: want admin, staff or board", role)
}

// AddUser records a new account with the digest of its one-time setup
// link, valid until expires.
func (db *DB) AddUser(ctx context.Context, email, role, setupHash string, expires time.Time, actor string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := validRole(role); err != nil {
		return nil, err
	}
	if !strings.Contains(email, "@") {
		return nil, fmt.Errorf("user %q: not an e-mail address", email)
	}
	now := db.now()
	err := db.tx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (email, role, setup_hash, setup_expires, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, email, role, setupHash, fmtTime(expires), fmtTime(now), fmtTime(now))
		if errors.Is(mapErr(err), ErrConflict) {
			return fmt.Errorf("user %s already exists: %w", email, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("add user %s: %w", email, err)
		}
		return audit(ctx, tx, now, actor, "user.add", email, role)
	})
	if err != nil {
		return nil, err
	}
	return db.UserByEmail(ctx, email)
}

// UserByEmail returns the account with this address (any case).
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return db.getUser(ctx, `email = ?`, strings.TrimSpace(email))
}

// UserByID returns an account by its id.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return db.getUser(ctx, `id = ?`, id)
}

// UserBySetup returns the account whose setup link has this digest.
func (db *DB) UserBySetup(ctx context.Context, setupHash string) (*User, error) {
	if setupHash == "" {
		return nil, fmt.Errorf("setup link: %w", ErrNotFound)
	}
	return db.getUser(ctx, `setup_hash = ?`, setupHash)
}

func (db *DB) getUser(ctx context.Context, where string, arg any) (*User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, rowErr(err, "get", "user %v", arg)
	}
	return u, nil
}

// Users lists every account by address.
func (db *DB) Users(ctx context.Context) ([]*User, error) {
	return queryAll(ctx, db.r, "list users", scanUser, `SELECT `+userCols+` FROM users ORDER BY email`)
}

// SetPassword stores a new password digest and uses up the setup link.
func (db *DB) SetPassword(ctx context.Context, id int64, hash, actor string) error {
	return db.updateUser(ctx, id, actor, "user.password", "",
		`password_hash = ?, setup_hash = '', setup_expires = NULL`, hash)
}

// SetTOTP turns the second factor on (a secret) or off ("").
func (db *DB) SetTOTP(ctx context.Context, id int64, secret, actor string) error {
	action := "user.totp-on"
	if secret == "" {
		action = "user.totp-off"
	}
	return db.updateUser(ctx, id, actor, action, "", `totp_secret = ?`, secret)
}

// DisableUser locks an account out and ends its sessions.
func (db *DB) DisableUser(ctx context.Context, id int64, actor string) error {
	return db.updateUser(ctx, id, actor, "user.disable", "", `disabled = 1`)
}

// ResetUser clears the password and the second factor, ends the
// account's sessions, enables it again and gives it a new setup link.
func (db *DB) ResetUser(ctx context.Context, id int64, setupHash string, expires time.Time, actor string) error {
	return db.updateUser(ctx, id, actor, "user.reset", "",
		`password_hash = '', totp_secret = '', disabled = 0, setup_hash = ?, setup_expires = ?`, setupHash, fmtTime(expires))
}

// updateUser changes one account, ends its sessions (any change to how
// it logs in should), and audits it.
func (db *DB) updateUser(ctx context.Context, id int64, actor, action, detail, set string, args ...any) error {
	now := db.now()
	return db.tx(ctx, func(tx *txn) error {
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, id).Scan(&email); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user #%d: %w", id, ErrNotFound)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET `+set+`, updated_at = ? WHERE id = ?`,
			append(args, fmtTime(now), id)...); err != nil {
			return fmt.Errorf("update user %s: %w", email, err)
		}
		if action != "user.totp-on" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("end sessions of %s: %w", email, err)
			}
		}
		return audit(ctx, tx, now, actor, action, email, detail)
	})
}
