package privacy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/vvgintake/vvgintake/intake/mailbox"
	"github.com/vvgintake/vvgintake/internal/backoff"
	"github.com/vvgintake/vvgintake/ledger"
)

// ErasureResult says what an erasure did.
type ErasureResult struct {
	// Erasure is the erasure as it stands after this run; nil when there
	// was nothing to erase (Previous then says when it was).
	Erasure *ledger.Erasure
	// Ledger is what this run removed from the ledger: zero when an
	// earlier, interrupted run had done it and only the rest was left.
	Ledger ledger.ErasureCounts
	// Mailbox is what was deleted from the mailbox.
	Mailbox mailbox.EraseResult
	// MailboxErr is why the mailbox copies could not be deleted now: the
	// next `vvgintake run`, or asking again, finishes them.
	MailboxErr error
	// Left are copies nobody can delete from here (IMAP not configured):
	// staff delete them by hand.
	Left []ledger.ErasureCopy
	// Previous lists the earlier erasures of the address when nothing was
	// left to erase: a second request changes nothing.
	Previous []ledger.Erasure
}

// Erase erases a person by address: the ledger's records in one
// transaction (EraseAddress), then the ledger's files (Compact), then the
// copies in the mailbox, then the files again. An erasure of the address
// left unfinished (a crash, an outage) is finished. The result's
// MailboxErr set means the mailbox part waits for the next run; the
// returned error is a failure of the ledger.
func (r *Records) Erase(ctx context.Context, addr, actor string) (*ErasureResult, error) {
	return r.erase(ctx, addr, func() (*ledger.Erasure, ledger.ErasureCounts, error) {
		return r.db.EraseAddress(ctx, addr, actor, r.extract)
	})
}

// EraseCase erases one case whose sender left no address (taken by phone
// or on paper), as Erase does for an address (ledger.EraseCase).
func (r *Records) EraseCase(ctx context.Context, ref, actor string) (*ErasureResult, error) {
	return r.erase(ctx, "case:"+ref, func() (*ledger.Erasure, ledger.ErasureCounts, error) {
		return r.db.EraseCase(ctx, ref, actor, r.extract)
	})
}

func (r *Records) erase(ctx context.Context, who string, ledgerPart func() (*ledger.Erasure, ledger.ErasureCounts, error)) (*ErasureResult, error) {
	e, counts, err := ledgerPart()
	if errors.Is(err, ledger.ErrNotFound) {
		prev, perr := r.db.ErasuresOf(ctx, who)
		if perr != nil {
			return nil, perr
		}
		return &ErasureResult{Previous: prev}, nil
	}
	if err != nil {
		return nil, err
	}
	r.log.Info("personal data erased from the ledger", "erasure", e.ID, "removed", counts.String())
	res := &ErasureResult{Erasure: e, Ledger: counts}
	err = r.complete(ctx, e, res)
	if e2, gerr := r.db.ErasureByID(ctx, e.ID); gerr == nil {
		res.Erasure = e2
	}
	return res, err
}

// complete does what is left of an erasure whose ledger part is done:
// compact the file (so that the erased bytes are gone from it even while
// the mailbox is unreachable), delete the mailbox copies, compact again
// (their list goes too) and mark it finished. A mailbox that cannot be
// reached is recorded in res and on the erasure, and is not an error.
func (r *Records) complete(ctx context.Context, e *ledger.Erasure, res *ErasureResult) error {
	if err := r.db.Compact(ctx); err != nil {
		r.failed(ctx, e.ID, err)
		return err
	}
	if e.MailboxAt.IsZero() {
		copies, err := r.db.ErasureCopies(ctx, e.ID)
		if err != nil {
			return err
		}
		var detail string
		switch {
		case len(copies) == 0:
			detail = "no mailbox copies"
		case r.opt.Mailbox == nil:
			res.Left = copies
			detail = fmt.Sprintf("%d not deleted: %v; delete them by hand: %s", len(copies), errNoMailbox, describeCopies(copies))
			r.log.Warn("mailbox copies of erased mail left for staff", "erasure", e.ID, "count", len(copies))
		default:
			mres, err := mailbox.Erase(ctx, *r.opt.Mailbox, mailboxCopies(copies))
			res.Mailbox = mres
			if err != nil {
				res.MailboxErr = err
				r.failed(ctx, e.ID, fmt.Errorf("delete mailbox copies: %w", err))
				r.log.Warn("mailbox copies of erased mail not deleted yet; the next run tries again", "erasure", e.ID, "error", err)
				return nil
			}
			detail = fmt.Sprintf("%d deleted, %d found nowhere (deleted before)", mres.Deleted, mres.Missing)
		}
		if err := r.db.CopiesDeleted(ctx, e.ID, detail); err != nil {
			return err
		}
		if err := r.db.Compact(ctx); err != nil {
			r.failed(ctx, e.ID, err)
			return err
		}
	}
	return r.db.ErasureCompacted(ctx, e.ID)
}

func (r *Records) failed(ctx context.Context, id int64, err error) {
	if ferr := r.db.ErasureFailed(ctx, id, err.Error()); ferr != nil {
		r.log.Error("record erasure failure", "erasure", id, "error", ferr)
	}
}

// mailboxCopies converts the ledger's list for mailbox.Erase.
func mailboxCopies(cs []ledger.ErasureCopy) []mailbox.Copy {
	out := make([]mailbox.Copy, len(cs))
	for i, c := range cs {
		out[i] = mailbox.Copy{Folder: c.Folder, UIDValidity: c.UIDValidity, UID: c.UID, MessageID: c.MessageID,
			SHA256: c.SHA256, Size: c.Size, Truncated: c.Truncated}
	}
	return out
}

// describeCopies names where copies are, for staff to delete by hand.
func describeCopies(cs []ledger.ErasureCopy) string {
	var parts []string
	for _, c := range cs {
		switch {
		case c.UID != 0:
			parts = append(parts, fmt.Sprintf("%s UID %d", c.Folder, c.UID))
		case c.MessageID != "":
			parts = append(parts, "Message-ID <"+c.MessageID+">")
		}
	}
	return strings.Join(parts, ", ")
}

// Resumer finishes the erasures left unfinished, with a growing pause
// after each failure of one (an unreachable mailbox is not asked every
// minute).
type Resumer struct {
	r  *Records
	mu sync.Mutex
	// retry is, per erasure, when to try again after failures.
	retry map[int64]time.Time
}

// NewResumer returns a Resumer over r (one per daemon).
func (r *Records) NewResumer() *Resumer { return &Resumer{r: r, retry: map[int64]time.Time{}} }

// Resume pauses: the first retry a minute after a failure, doubling up
// to six hours (internal/backoff).
const (
	resumeBase = time.Minute
	resumeMax  = 6 * time.Hour
)

// Resume finishes every unfinished erasure that is due, and returns how
// many it finished.
func (u *Resumer) Resume(ctx context.Context) (int, error) {
	open, err := u.r.db.Erasures(ctx, true, 0)
	if err != nil {
		return 0, err
	}
	now := u.r.opt.Now()
	done := 0
	var errs []error
	for _, e := range open {
		u.mu.Lock()
		next := u.retry[e.ID]
		u.mu.Unlock()
		if now.Before(next) {
			continue
		}
		res := &ErasureResult{Erasure: e}
		err := u.r.complete(ctx, e, res)
		if err == nil && res.MailboxErr != nil {
			err = res.MailboxErr
		}
		u.mu.Lock()
		if err != nil {
			u.retry[e.ID] = now.Add(backoff.Delay(e.Attempts+1, resumeBase, resumeMax, 0.2, rand.Float64()))
		} else {
			delete(u.retry, e.ID)
		}
		u.mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("erasure %d: %w", e.ID, err))
			continue
		}
		done++
		u.r.log.Info("unfinished erasure completed", "erasure", e.ID)
	}
	return done, errors.Join(errs...)
}
