package mailbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// Copy is one message to delete from the mailbox: an erased person's
// mail, or mail past its retention. It is known by where it was taken in
// (UIDVALIDITY and UID name one message for good, RFC 3501 §2.3.1.1) and
// by its Message-ID and digest, by which a copy that was moved, labelled
// or came in through an imported archive is found and confirmed.
type Copy struct {
	Folder      string // where it was taken in; "" when unknown
	UIDValidity uint32
	UID         uint32
	MessageID   string // without <>; "" when it had none
	// SHA256 is the hex digest of its raw bytes as taken in. A message
	// found by Message-ID is deleted only when its bytes match: anyone can
	// send another message under the same Message-ID.
	SHA256 string
	// Size is RFC822.SIZE; a Truncated copy (the ledger kept only the
	// first bytes) is confirmed by size and Message-ID instead.
	Size      int64
	Truncated bool
}

// EraseResult says what Erase did.
type EraseResult struct {
	Deleted int // messages deleted (a copy in two folders counts twice)
	Missing int // copies found nowhere: deleted by staff or by an earlier, interrupted run
	// Folders lists the folders looked in.
	Folders []string
}

// Erase deletes copies from the mailbox, in every watched folder, the
// folder messages are moved to after ingest, the folders the copies were
// taken in, and on Gmail the label folder and All Mail. It logs in with
// the poller's options, on its own connection.
//
// Plain IMAP: the message is flagged \Deleted and expunged by UID (UID
// EXPUNGE, RFC 4315), so nothing staff flagged is expunged with it;
// without UIDPLUS the plain EXPUNGE also removes what is already flagged
// \Deleted, as the mail program staff use would.
//
// Gmail (X-GM-EXT-1): expunging from a label only removes the label, and
// the message stays in All Mail. Gmail deletes a message for good when it
// is moved to the Trash and expunged there
// (support.google.com/mail/answer/78755), which is what this does.
//
// Erase can be repeated: what is gone already counts as missing. An error
// means the mailbox could not be reached or refused a command; the caller
// tries again later.
func Erase(ctx context.Context, opt Options, copies []Copy) (EraseResult, error) {
	var res EraseResult
	opt = opt.withDefaults()
	if err := opt.validate(); err != nil {
		return res, fmt.Errorf("imap options: %w", err)
	}
	if len(copies) == 0 {
		return res, nil
	}
	log := opt.Logger
	cn, err := dial(ctx, &opt, log)
	if err != nil {
		return res, err
	}
	defer cn.close()
	if err := cn.login(ctx, &opt); err != nil {
		return res, err
	}
	if cn.caps, err = cn.capabilities(); err != nil {
		return res, err
	}
	gmail := cn.caps.Has(capGmail)
	folders, trash, err := cn.eraseFolders(&opt, copies, gmail)
	if err != nil {
		return res, err
	}
	if gmail && trash == "" {
		return res, errors.New("gmail: no Trash folder (\\Trash) to delete messages through")
	}
	res.Folders = folders
	found := make([]bool, len(copies))
	var inTrash []imap.UID // Gmail: where the moved messages now are
	for _, f := range folders {
		uids, err := cn.findCopies(f, copies, found)
		if errors.Is(err, errFolder) {
			log.Warn("cannot open folder to delete messages from", "folder", f, "error", err)
			continue
		}
		if err != nil {
			return res, err
		}
		if len(uids) == 0 {
			continue
		}
		if gmail && f != trash {
			dest, err := cn.moveTo(uids, trash)
			if err != nil {
				return res, err
			}
			inTrash = append(inTrash, dest...)
		} else if err := cn.expunge(uids); err != nil {
			return res, err
		}
		res.Deleted += len(uids)
		log.Info("deleted messages from the mailbox", "folder", f, "count", len(uids))
	}
	if gmail {
		// Expunge in the Trash what was moved there, and what an earlier
		// run moved there but did not get to expunge.
		again := make([]bool, len(copies))
		uids, err := cn.findCopies(trash, copies, again)
		if err != nil {
			return res, err
		}
		uids = union32(uids, inTrash)
		if len(uids) > 0 {
			if err := cn.expunge(uids); err != nil {
				return res, err
			}
		}
		for i := range found {
			found[i] = found[i] || again[i]
		}
	}
	for _, f := range found {
		if !f {
			res.Missing++
		}
	}
	return res, nil
}

// eraseFolders lists the folders to look in, in order, and Gmail's
// Trash: the watched folders, the move target, the copies' own folders,
// and on Gmail the label and All Mail; only those that exist.
func (cn *conn) eraseFolders(opt *Options, copies []Copy, gmail bool) (folders []string, trash string, err error) {
	lopt := &imap.ListOptions{}
	if cn.caps.Has(imap.CapSpecialUse) {
		lopt.ReturnSpecialUse = true
	}
	list, err := guarded(cn, func() ([]*imap.ListData, error) {
		return cn.c.List("", "*", lopt).Collect()
	})
	if err != nil {
		return nil, "", fmt.Errorf("list folders: %w", err)
	}
	exists := map[string]bool{}
	var all string
	for _, l := range list {
		if slices.Contains(l.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(l.Attrs, imap.MailboxAttrNonExistent) {
			continue
		}
		exists[l.Mailbox] = true
		switch {
		case slices.Contains(l.Attrs, imap.MailboxAttrTrash):
			trash = l.Mailbox
		case slices.Contains(l.Attrs, imap.MailboxAttrAll):
			all = l.Mailbox
		}
	}
	// Gmail in English names them so; a server that does not mark them
	// with SPECIAL-USE attributes (RFC 6154) still has them by name.
	if trash == "" && gmail && exists["[Gmail]/Trash"] {
		trash = "[Gmail]/Trash"
	}
	if all == "" && gmail && exists["[Gmail]/All Mail"] {
		all = "[Gmail]/All Mail"
	}
	want := slices.Clone(opt.Folders)
	if opt.AfterIngest == AfterMove {
		want = append(want, opt.MoveTo)
	}
	for _, c := range copies {
		if c.Folder != "" {
			want = append(want, c.Folder)
		}
	}
	if gmail {
		if opt.GmailLabel != "-" {
			want = append(want, opt.GmailLabel)
		}
		if all != "" {
			want = append(want, all)
		}
	}
	seen := map[string]bool{}
	for _, f := range want {
		// INBOX is case-insensitive (RFC 3501 §5.1).
		key := f
		if strings.EqualFold(f, "INBOX") {
			key, f = "INBOX", "INBOX"
		}
		if seen[key] || f == trash || (!exists[f] && f != "INBOX") {
			continue
		}
		seen[key] = true
		folders = append(folders, f)
	}
	return folders, trash, nil
}

// findCopies selects folder and returns the UIDs of the copies in it,
// marking them found: by UID when the folder is where the copy was taken
// in under the same UIDVALIDITY, else by Message-ID, confirmed by digest.
func (cn *conn) findCopies(folder string, copies []Copy, found []bool) ([]imap.UID, error) {
	sel, err := cn.selectMailbox(folder, false)
	if err != nil {
		return nil, err
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	var byUID []imap.UID
	for _, c := range copies {
		if c.UID != 0 && c.UIDValidity == sel.UIDValidity && sameFolder(c.Folder, folder) {
			byUID = append(byUID, imap.UID(c.UID))
		}
	}
	var out []imap.UID
	if len(byUID) > 0 {
		existing, err := cn.uidsExisting(byUID)
		if err != nil {
			return nil, err
		}
		out = existing
		for i, c := range copies {
			if c.UID != 0 && c.UIDValidity == sel.UIDValidity && sameFolder(c.Folder, folder) &&
				slices.Contains(existing, imap.UID(c.UID)) {
				found[i] = true
			}
		}
	}
	for i, c := range copies {
		if c.MessageID == "" || (c.UID != 0 && c.UIDValidity == sel.UIDValidity && sameFolder(c.Folder, folder)) {
			continue
		}
		uids, err := cn.searchMessageID(c.MessageID)
		if err != nil {
			return nil, err
		}
		for _, uid := range uids {
			if slices.Contains(out, uid) {
				continue
			}
			ok, err := cn.confirm(uid, c)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, uid)
				found[i] = true
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

func sameFolder(a, b string) bool {
	return a == b || strings.EqualFold(a, "INBOX") && strings.EqualFold(b, "INBOX")
}

// uidsExisting returns which of uids the selected folder still has.
func (cn *conn) uidsExisting(uids []imap.UID) ([]imap.UID, error) {
	set := imap.UIDSetNum(uids...)
	data, err := guarded(cn, func() (*imap.SearchData, error) {
		return cn.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
	})
	if err != nil {
		return nil, fmt.Errorf("search uid %s: %w", set, err)
	}
	return data.AllUIDs(), nil
}

// searchMessageID returns the UIDs of the selected folder's messages whose
// Message-ID header contains id (SEARCH HEADER is a substring match, RFC
// 3501 §6.4.4; confirm decides).
func (cn *conn) searchMessageID(id string) ([]imap.UID, error) {
	data, err := guarded(cn, func() (*imap.SearchData, error) {
		return cn.c.UIDSearch(&imap.SearchCriteria{
			Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}},
		}, nil).Wait()
	})
	if err != nil {
		return nil, fmt.Errorf("search message-id: %w", err)
	}
	return data.AllUIDs(), nil
}

// confirm reads a message found by Message-ID (peeking: \Seen is staff's)
// and reports whether it is c: the same bytes, or for a truncated copy the
// same size.
func (cn *conn) confirm(uid imap.UID, c Copy) (bool, error) {
	if c.SHA256 == "" && !c.Truncated {
		return false, nil
	}
	var d *Delivery
	err := cn.fetch(imap.UIDSetNum(uid), 1<<62, func(got *Delivery) error {
		d = got
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("fetch uid %d: %w", uid, err)
	}
	if d == nil {
		return false, nil
	}
	if c.Truncated {
		return d.Size == c.Size, nil
	}
	sum := sha256.Sum256(d.Raw)
	return hex.EncodeToString(sum[:]) == c.SHA256, nil
}

// expunge deletes uids from the selected folder for good.
func (cn *conn) expunge(uids []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	err := cn.guard(func() error {
		return cn.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
			Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
	})
	if err != nil {
		return fmt.Errorf("flag uid %s deleted: %w", set, err)
	}
	err = cn.guard(func() error {
		if cn.caps.Has(imap.CapUIDPlus) || cn.caps.Has(imap.CapIMAP4rev2) {
			return cn.c.UIDExpunge(set).Close()
		}
		return cn.c.Expunge().Close()
	})
	if err != nil {
		return fmt.Errorf("expunge uid %s: %w", set, err)
	}
	return nil
}

// moveTo moves uids of the selected folder to dest and returns their UIDs
// there when the server says (COPYUID, RFC 4315).
func (cn *conn) moveTo(uids []imap.UID, dest string) ([]imap.UID, error) {
	set := imap.UIDSetNum(uids...)
	var moved []imap.UID
	err := cn.guard(func() error {
		md, err := cn.c.Move(set, dest).Wait()
		if md != nil {
			if u, ok := md.DestUIDs.(imap.UIDSet); ok {
				moved, _ = u.Nums()
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("move uid %s to %s: %w", set, dest, err)
	}
	return moved, nil
}

func union32(a, b []imap.UID) []imap.UID {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
