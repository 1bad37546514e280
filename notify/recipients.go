package notify

import "github.com/vvgintake/vvgintake/ledger"

// Recipients says who gets which mail: the board reads the weekly digest
// and the closing report, staff answer residents and get reminders.
type Recipients struct {
	Board, Staff []string
	// ReportToBoard copies the closing report to the board.
	ReportToBoard bool
}

// Digest is who gets the weekly digest: the board, or staff when the VVG
// named no board members.
func (r Recipients) Digest() []string {
	if len(r.Board) > 0 {
		return r.Board
	}
	return r.Staff
}

// Report is who gets the closing report: staff, and the board when asked.
func (r Recipients) Report() []string {
	to := append([]string{}, r.Staff...)
	if r.ReportToBoard {
		to = append(to, r.Board...)
	}
	return to
}

// ClosingReport is the outbox item to queue when a consultation closes,
// or nil when nobody is to get it.
func (r Recipients) ClosingReport(slug string) []*ledger.OutboxItem {
	to := r.Report()
	if len(to) == 0 {
		return nil
	}
	return []*ledger.OutboxItem{{Kind: ledger.KindReport, DedupeKey: "report:" + slug, Recipients: to}}
}

// Results is the outbox item to queue when a consultation's results are
// published: the results report to staff and the board (both: the board
// decided, staff answer residents' questions), or nil when nobody is to
// get it.
func (r Recipients) Results(slug string) []*ledger.OutboxItem {
	to := append(append([]string{}, r.Staff...), r.Board...)
	if len(to) == 0 {
		return nil
	}
	return []*ledger.OutboxItem{{Kind: ledger.KindResults, DedupeKey: "results:" + slug, Recipients: to}}
}
