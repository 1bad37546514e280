package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/ledger"
)

func cmdUsers() *command {
	return &command{
		name: "users", args: "add EMAIL --role admin|staff|board | list | disable EMAIL | reset EMAIL",
		short: "manage the staff console's accounts",
		long: `users add EMAIL --role admin|staff|board
    Create an account and print a one-time link (valid 24 hours) where its owner sets a password.
    admin: everything, including users and consultations; staff: the review queue, suggestions,
    messages and the outbox; board: reads only, and never sees e-mail addresses.
users list
    Every account with its role and state.
users disable EMAIL
    Lock the account out and end its sessions.
users reset EMAIL
    Clear the password and the second factor, end its sessions and print a new one-time link.
The links start with console.base_url.`,
		run: ledgerSubcommands("users", []subcommand{
			{name: "add", run: usersAdd},
			{name: "list", run: usersList},
			{name: "disable", one: usersDisable},
			{name: "reset", one: usersReset},
		}),
	}
}

func usersAdd(ctx context.Context, e *env, db *ledger.DB, args []string) error {
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	role := fs.String("role", "", "admin, staff or board (required)")
	pos, err := parseArgs(fs, args, 1, "users add takes one EMAIL")
	if err != nil {
		return err
	}
	switch *role {
	case ledger.RoleAdmin, ledger.RoleStaff, ledger.RoleBoard:
	default:
		return usagef("--role: want admin, staff or board")
	}
	u, link, err := console.AddUser(ctx, db, e.cfg.Console.BaseURL, pos[0], *role, actor(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s (%s) created; give them this link to set a password (valid 24 hours):\n%s\n", u.Email, u.Role, link)
	return nil
}

func usersList(ctx context.Context, e *env, db *ledger.DB, _ []string) error {
	us, err := db.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tROLE\tSTATE\tTOTP\tCREATED")
	for _, u := range us {
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.PasswordHash == "":
			state = "waiting for a password"
		}
		totp := "-"
		if u.TOTPSecret != "" {
			totp = "on"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, state, totp, u.CreatedAt.In(e.cfg.Location()).Format("2006-01-02"))
	}
	return w.Flush()
}

func usersDisable(ctx context.Context, e *env, db *ledger.DB, email string) error {
	u, err := db.UserByEmail(ctx, strings.ToLower(email))
	if err != nil {
		return err
	}
	if err := db.DisableUser(ctx, u.ID, actor(e)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s disabled; their sessions are ended\n", u.Email)
	return nil
}

func usersReset(ctx context.Context, e *env, db *ledger.DB, email string) error {
	u, err := db.UserByEmail(ctx, strings.ToLower(email))
	if err != nil {
		return err
	}
	link, err := console.ResetUser(ctx, db, e.cfg.Console.BaseURL, u.ID, actor(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s reset; new link to set a password (valid 24 hours):\n%s\n", u.Email, link)
	return nil
}
