package mailbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
)

const (
	// maxBatch is how many UIDs one FETCH asks for. Between two batches the
	// pipeline drains (last commit, keyword STORE, saved position, next
	// FETCH), so fewer batches sync faster; 500 sparse UIDs still keep the
	// command under the 8,192 octets RFC 7162 §4 asks clients to stay in.
	maxBatch = 500
	// maxFetchAttempts is how many syncs in a row may find a message that
	// exists but that the server will not return before it is skipped
	// (loudly): one broken message must not stop all mail behind it.
	maxFetchAttempts = 3
)

// syncFolder records every message of folder above the stored LastUID.
func (p *Poller) syncFolder(ctx context.Context, cn *conn, folder string) error {
	st, err := p.sink.LoadState(ctx, p.account, folder)
	if err != nil {
		return fmt.Errorf("load state %s: %w", folder, err)
	}
	after := cn.after
	// EXAMINE when we will not write: then nothing of the staff's mailbox
	// changes, not even \Recent (RFC 3501 §6.3.2).
	sel, err := cn.selectMailbox(folder, after == AfterNone)
	if err != nil {
		return err
	}
	log := p.log.With("folder", folder)

	switch {
	case st.UIDValidity != sel.UIDValidity:
		// RFC 3501 §2.3.1.1: a new UIDVALIDITY voids every stored UID.
		// Rescan from UID 1; the Sink recognises what it already has by
		// content, so nothing is recorded twice.
		if st.UIDValidity != 0 {
			log.Warn("uidvalidity changed, rescanning folder", "old", st.UIDValidity, "new", sel.UIDValidity)
		}
		st = State{UIDValidity: sel.UIDValidity}
		if err := p.sink.SaveState(ctx, p.account, folder, st); err != nil {
			return fmt.Errorf("save state %s: %w", folder, err)
		}
	case sel.UIDNext != 0 && uint32(sel.UIDNext) <= st.LastUID:
		// UIDNEXT must stay above every UID ever assigned; a server that
		// went back (restored backup) may reuse UIDs. Rescan to be safe.
		log.Warn("uidnext below last recorded uid, rescanning folder", "uidnext", sel.UIDNext, "last_uid", st.LastUID)
		st.LastUID = 0
	}

	if after == AfterKeyword && !permitsKeyword(sel.PermanentFlags, p.opt.Keyword) {
		log.Warn("server will not store the keyword, leaving messages unmarked", "keyword", p.opt.Keyword)
		after = AfterNone
	}
	if sel.NumMessages == 0 || (sel.UIDNext != 0 && uint32(sel.UIDNext) == st.LastUID+1) {
		return nil // nothing new: save a round trip
	}
	uids, err := cn.searchUIDs(st.LastUID)
	if err != nil {
		return fmt.Errorf("sync %s: %w", folder, err)
	}
	for len(uids) > 0 {
		n := min(len(uids), p.batch)
		if err := p.syncBatch(ctx, cn, folder, &st, uids[:n], after); err != nil {
			return fmt.Errorf("sync %s: %w", folder, err)
		}
		p.batch = min(maxBatch, p.batch*2)
		uids = uids[n:]
	}
	return nil
}

// batchSync is the bookkeeping of one batch of UIDs.
type batchSync struct {
	p         *Poller
	folder    string
	st        *State
	uids      []imap.UID        // ascending
	done      map[imap.UID]bool // committed by the Sink, or gone from the server
	delivered []imap.UID
	after     string
}

// syncBatch fetches and delivers uids, applies AfterIngest to what was
// delivered and only then advances LastUID past it, so a cut at any point
// loses nothing: what was not yet recorded is fetched again next time.
func (p *Poller) syncBatch(ctx context.Context, cn *conn, folder string, st *State, uids []imap.UID, after string) error {
	b := &batchSync{p: p, folder: folder, st: st, uids: uids, done: make(map[imap.UID]bool, len(uids)), after: after}

	err := b.fetch(ctx, cn, imap.UIDSetNum(uids...))
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo {
		// Gmail answers NO "Some messages could not be FETCHed" and still
		// sends the others; the missing ones are retried below.
		p.log.Warn("server refused part of a fetch", "folder", folder, "error", err)
	} else if err != nil {
		// Next time ask for no more than went through this time, so a
		// link that keeps dropping still makes progress.
		p.batch = max(1, len(b.delivered))
		return fmt.Errorf("fetch uid %d:%d: %w", uids[0], uids[len(uids)-1], err)
	}

	if err := b.retryMissing(ctx, cn); err != nil {
		return err
	}
	if len(b.delivered) > 0 && after != AfterNone {
		if err := p.afterIngest(cn, after, b.delivered); err != nil {
			return err
		}
	}
	return b.advance(ctx)
}

// fetch fetches set and hands every message to a committer, which
// prepares and commits them in the order fetched (commitGroup). The batch
// bookkeeping (done, delivered) belongs to the committing goroutine until
// fetch returns.
func (b *batchSync) fetch(ctx context.Context, cn *conn, set imap.NumSet) error {
	c := startCommitter(ctx, b.p.sink, b.p.preparers, b.commitGroup)
	uidValidity := b.st.UIDValidity // the committer moves only LastUID
	err := cn.fetch(set, b.p.opt.MaxMessageBytes, func(d *Delivery) error {
		d.Account, d.Folder, d.UIDValidity = b.p.account, b.folder, uidValidity
		return c.add(d)
	})
	if cerr := c.close(); cerr != nil {
		return cerr
	}
	return err
}

// wanted reports whether d belongs to this batch and is not handled yet.
func (b *batchSync) wanted(d *Delivery) bool {
	uid := imap.UID(d.UID)
	_, ok := slices.BinarySearch(b.uids, uid)
	return ok && !b.done[uid]
}

// progress records how far the batch got when nothing else is to be done
// to its messages; otherwise syncBatch advances after AfterIngest.
func (b *batchSync) progress(ctx context.Context) error {
	if b.after == AfterNone {
		return b.advance(ctx)
	}
	return nil
}

// commitGroup records prepared messages in one commit, and one by one when
// the group fails: then everything before the message at fault is still
// recorded. Messages not asked for in this batch, already handled, or sent
// twice by the server are left out.
func (b *batchSync) commitGroup(ctx context.Context, group []Prepared) error {
	ps := group[:0:0]
	for _, p := range group {
		d := p.Delivery()
		if b.wanted(d) && !slices.ContainsFunc(ps, func(x Prepared) bool { return x.Delivery().UID == d.UID }) {
			ps = append(ps, p)
		}
	}
	if len(ps) > 1 {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := b.p.sink.Commit(ctx, ps)
		if err == nil {
			for _, p := range ps {
				b.committed(p.Delivery())
			}
			return b.progress(ctx)
		}
		if ctx.Err() != nil {
			return err // shutting down: nothing to retry
		}
		b.p.log.Warn("recording a group of messages failed, recording them one by one", "folder", b.folder,
			"uids", fmt.Sprintf("%d:%d", ps[0].Delivery().UID, ps[len(ps)-1].Delivery().UID), "error", err)
	}
	for _, p := range ps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.p.sink.Commit(ctx, []Prepared{p}); err != nil {
			return fmt.Errorf("deliver uid %d: %w", p.Delivery().UID, err)
		}
		b.committed(p.Delivery())
		if err := b.progress(ctx); err != nil {
			return err
		}
	}
	return nil
}

// committed does the bookkeeping for a message the Sink has recorded.
func (b *batchSync) committed(d *Delivery) {
	uid := imap.UID(d.UID)
	b.p.log.Debug("delivered", "folder", b.folder, "uid", d.UID, "size", d.Size, "truncated", d.Truncated)
	b.done[uid] = true
	b.delivered = append(b.delivered, uid)
	delete(b.p.fetchFails, b.failKey(uid))
}

// retryMissing deals with UIDs the UID FETCH did not return. They may have
// been expunged meanwhile (staff moved them), or the server may have sent
// the UID after the body literal, which go-imap cannot match to our command
// and drops; a FETCH by sequence number is matched before any item, so ask
// once more that way.
func (b *batchSync) retryMissing(ctx context.Context, cn *conn) error {
	missing := b.pending()
	if len(missing) == 0 {
		return nil
	}
	existing, seqs, err := cn.locate(missing)
	if err != nil {
		return err
	}
	for _, uid := range missing {
		if !slices.Contains(existing, uid) {
			b.done[uid] = true // expunged: nothing to record
		}
	}
	if len(seqs) > 0 {
		if err := b.fetch(ctx, cn, imap.SeqSetNum(seqs...)); err != nil {
			var ierr *imap.Error
			if !errors.As(err, &ierr) || ierr.Type != imap.StatusResponseTypeNo {
				return fmt.Errorf("refetch by sequence number: %w", err)
			}
		}
	}
	for _, uid := range b.pending() {
		key := b.failKey(uid)
		b.p.fetchFails[key]++
		if b.p.fetchFails[key] < maxFetchAttempts {
			return fmt.Errorf("fetch uid %d: server returned no body for an existing message", uid)
		}
		b.p.log.Error("skipping message the server will not return", "folder", b.folder, "uid", uid, "attempts", b.p.fetchFails[key])
		delete(b.p.fetchFails, key)
		b.done[uid] = true
	}
	return nil
}

// pending lists the UIDs of the batch not yet done.
func (b *batchSync) pending() []imap.UID {
	var out []imap.UID
	for _, uid := range b.uids {
		if !b.done[uid] {
			out = append(out, uid)
		}
	}
	return out
}

// failKey names a message for the failure count.
func (b *batchSync) failKey(uid imap.UID) string {
	return fmt.Sprintf("%s\x00%d\x00%d", b.folder, b.st.UIDValidity, uid)
}

// advance moves LastUID over the done prefix of the batch and saves it.
// Only a prefix: LastUID promises that everything up to it is recorded.
func (b *batchSync) advance(ctx context.Context) error {
	last := b.st.LastUID
	for _, uid := range b.uids {
		if !b.done[uid] {
			break
		}
		last = uint32(uid)
	}
	if last == b.st.LastUID {
		return nil
	}
	b.st.LastUID = last
	if err := b.p.sink.SaveState(ctx, b.p.account, b.folder, *b.st); err != nil {
		return fmt.Errorf("save state %s: %w", b.folder, err)
	}
	return nil
}

// locate returns which of uids still exist and their sequence numbers.
func (cn *conn) locate(uids []imap.UID) ([]imap.UID, []uint32, error) {
	set := imap.UIDSetNum(uids...)
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{set}}
	var existing []imap.UID
	var seqs []uint32
	err := cn.guard(func() error {
		data, err := cn.c.UIDSearch(crit, nil).Wait()
		if err != nil {
			return err
		}
		existing = data.AllUIDs()
		if len(existing) == 0 {
			return nil
		}
		// A plain SEARCH cannot be interleaved with EXPUNGE responses
		// (RFC 3501 §7.4.1), so these numbers hold for the FETCH after it.
		data, err = cn.c.Search(crit, nil).Wait()
		if err != nil {
			return err
		}
		seqs = data.AllSeqNums()
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("search missing uids %s: %w", set, err)
	}
	return existing, seqs, nil
}

// afterIngest marks or moves messages the Sink has committed. A NO is logged
// and ignored: the message is recorded, which is what matters; marking it is
// for the staff's convenience.
func (p *Poller) afterIngest(cn *conn, after string, uids []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	var err error
	switch after {
	case AfterKeyword:
		err = cn.guard(func() error {
			return cn.c.Store(set, &imap.StoreFlags{
				Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.Flag(p.opt.Keyword)},
			}, nil).Close()
		})
		if err == nil && cn.gmail {
			err = p.label(cn, set)
		}
	case AfterMove:
		// RFC 6851 UID MOVE, or go-imap's COPY + STORE \Deleted + UID
		// EXPUNGE (RFC 4315) when only UIDPLUS is there. Never the plain
		// EXPUNGE fallback: connect() turned "move" into "keyword" then.
		move := func() error {
			return cn.guard(func() error { _, err := cn.c.Move(set, p.opt.MoveTo).Wait(); return err })
		}
		err = move()
		var ierr *imap.Error
		if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
			if err = cn.ensureMailbox(p.opt.MoveTo); err == nil {
				err = move()
			}
		}
	}
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Type == imap.StatusResponseTypeNo {
		p.log.Warn("could not mark ingested messages", "action", after, "uids", set.String(), "error", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s uid %s: %w", after, set, err)
	}
	return nil
}

// capGmail is Gmail's IMAP extension (X-GM-EXT-1: labels, thread and
// message ids; developers.google.com/gmail/imap/imap-extensions).
const capGmail imap.Cap = "X-GM-EXT-1"

// label gives messages the Gmail label GmailLabel. Gmail shows a label as
// an IMAP folder, and copying a message into that folder adds the label
// and leaves the message where it was (in the inbox, unread), which is
// what staff should see; go-imap has no STORE X-GM-LABELS. The label is
// created on first use (RFC 3501 §6.4.7 TRYCREATE).
func (p *Poller) label(cn *conn, set imap.UIDSet) error {
	cp := func() error {
		return cn.guard(func() error { _, err := cn.c.Copy(set, p.opt.GmailLabel).Wait(); return err })
	}
	err := cp()
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
		if err = cn.ensureMailbox(p.opt.GmailLabel); err == nil {
			err = cp()
		}
	}
	if err != nil {
		return fmt.Errorf("label %s: %w", p.opt.GmailLabel, err)
	}
	return nil
}

// permitsKeyword reports whether PERMANENTFLAGS lets us store kw: listed, or
// "\*" = any new keyword (RFC 3501 §7.1). A server that sent no
// PERMANENTFLAGS at all allows everything (RFC 3501 §6.3.1).
func permitsKeyword(perm []imap.Flag, kw string) bool {
	if perm == nil {
		return true
	}
	for _, f := range perm {
		if f == imap.FlagWildcard || strings.EqualFold(string(f), kw) { // flags are case-insensitive
			return true
		}
	}
	return false
}
