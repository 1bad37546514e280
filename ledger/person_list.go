package ledger

import (
	"context"
	"fmt"
	"slices"
)

// listing is what listScope gathers about one person as it reads their
// records, kind after kind.
type listing struct {
	sc     *scope
	p      *Person
	subIDs string // sc.subs as a JSON array
	msgIDs string // sc.msgs as a JSON array
	// names are the person's names, as the query found them and as their
	// suggestions and messages give them; refs are their cases by id.
	names []string
	refs  map[int64]string
}

// listScope adds the records of sc to p: its cases, messages and their
// mailbox copies, attachments and uploads, mail sent, notes, the
// measures chosen under the address, the audit entries about the cases or
// naming the person, and the suggestions of others that name them.
func (db *DB) listScope(ctx context.Context, sc *scope, p *Person, names []string) error {
	l := &listing{sc: sc, p: p, subIDs: jsonIDs(sc.subs), msgIDs: jsonIDs(sc.msgs), names: names, refs: map[int64]string{}}
	// In this order: the suggestions add the addresses that the
	// classifications are read under.
	for _, list := range []func(context.Context, *listing) error{
		db.listSubmissions, db.listMessages, db.listAttachments, db.listSent, db.listNotes, db.listClassifications,
	} {
		if err := list(ctx, l); err != nil {
			return err
		}
	}
	slices.Sort(l.names)
	p.Names = slices.Compact(l.names)
	audits, err := db.auditNaming(ctx, db.r, refList(l.refs), p.Addresses, p.Names)
	if err != nil {
		return err
	}
	for _, a := range audits {
		p.Records = append(p.Records, PersonRecord{Kind: RecordAudit, ID: a.id, Ref: a.target, At: a.at,
			Detail: fmt.Sprintf("%s by %s: %s", a.action, a.actor, short(a.detail, 50))})
	}
	return db.listMentions(ctx, sc, p)
}

// listSubmissions adds the person's suggestions, with the names and
// addresses they were sent under.
func (db *DB) listSubmissions(ctx context.Context, l *listing) error {
	return eachRow(ctx, db.r, "list suggestions", func(row rowScanner) error {
		var (
			r                                     PersonRecord
			at, source, slug, measure, subj, text string
			name, addr                            string
		)
		if err := row.Scan(&r.ID, &r.Ref, &at, &source, &slug, &measure, &subj, &text, &name, &addr); err != nil {
			return err
		}
		r.Kind, r.Erasable = RecordSubmission, true
		r.At, _ = parseTime(at)
		r.Detail = fmt.Sprintf("%s, %s, measure %s: %s", source, slug, orDash(measure), short(firstNonEmpty(subj, text), 60))
		l.refs[r.ID] = r.Ref
		l.p.Refs = append(l.p.Refs, r.Ref)
		l.p.Records = append(l.p.Records, r)
		if name != "" {
			l.names = append(l.names, name)
		}
		if addr != "" && !slices.Contains(l.p.Addresses, addr) {
			l.p.Addresses = append(l.p.Addresses, addr)
		}
		return nil
	}, `SELECT s.id, s.ref, s.received_at, s.source, c.slug, s.measure, s.subject, s.text,
		s.sender_name, s.sender_email FROM submissions s JOIN consultations c ON c.id = s.consultation_id
		WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.id`, l.subIDs)
}

// listMessages adds the person's e-mails and, for those fetched over
// IMAP, their copies in the mailbox.
func (db *DB) listMessages(ctx context.Context, l *listing) error {
	return eachRow(ctx, db.r, "list messages", func(row rowScanner) error {
		var (
			r                                           PersonRecord
			at, source, account, from, name, subj, disp string
			raw                                         bool
		)
		if err := row.Scan(&r.ID, &r.Ref, &at, &source, &account, &r.Folder, &r.UIDValidity, &r.UID, &r.MessageID,
			&r.SHA256, &from, &name, &subj, &disp, &raw); err != nil {
			return err
		}
		r.Kind, r.Erasable = RecordMessage, true
		r.At, _ = parseTime(at)
		kept := ""
		if !raw {
			kept = " (raw bytes already deleted)"
		}
		r.Detail = fmt.Sprintf("%s from %s: %q%s", disp, from, short(subj, 50), kept)
		l.p.Records = append(l.p.Records, r)
		if name != "" {
			l.names = append(l.names, name)
		}
		if source == "imap" && r.UID != 0 {
			c := r
			c.Kind = RecordMailbox
			c.Detail = fmt.Sprintf("%s, folder %s, UID %d (UIDVALIDITY %d)", account, r.Folder, r.UID, r.UIDValidity)
			l.p.Records = append(l.p.Records, c)
		}
		return nil
	}, `SELECT m.id, coalesce(s.ref, ''), m.internal_date, m.source, m.account, m.folder,
		coalesce(m.uidvalidity, 0), coalesce(m.uid, 0), m.message_id, m.raw_sha256, m.from_addr, m.from_name, coalesce(m.subject, ''),
		m.disposition, m.raw_erased_at IS NULL
		FROM messages m LEFT JOIN submissions s ON s.id = m.submission_id
		WHERE m.id IN (SELECT value FROM json_each(?)) ORDER BY m.id`, l.msgIDs)
}

// listAttachments adds the files of the person's e-mails and the uploads
// of their form posts.
func (db *DB) listAttachments(ctx context.Context, l *listing) error {
	return eachRow(ctx, db.r, "list attachments", func(row rowScanner) error {
		var (
			r       PersonRecord
			name    string
			size    int64
			refused string
			upload  bool
		)
		if err := row.Scan(&r.ID, &r.Ref, &name, &size, &r.SHA256, &refused, &upload); err != nil {
			return err
		}
		r.Kind, r.Erasable = RecordAttachment, true
		if upload {
			r.Kind = RecordUpload
		}
		r.Detail = fmt.Sprintf("%s, %d bytes", name, size)
		if refused != "" {
			r.Detail += ", not kept: " + refused
		}
		l.p.Records = append(l.p.Records, r)
		return nil
	}, `SELECT a.id, coalesce(s.ref, ms.ref, ''), a.filename, a.size, coalesce(a.sha256, ''),
		a.refused, a.message_id IS NULL
		FROM attachments a LEFT JOIN submissions s ON s.id = a.submission_id
		LEFT JOIN messages m ON m.id = a.message_id LEFT JOIN submissions ms ON ms.id = m.submission_id
		WHERE a.message_id IN (SELECT value FROM json_each(?1)) OR a.submission_id IN (SELECT value FROM json_each(?2))
		ORDER BY a.id`, l.msgIDs, l.subIDs)
}

// listSent adds the mail the VVG sent the person.
func (db *DB) listSent(ctx context.Context, l *listing) error {
	return eachRow(ctx, db.r, "list mail sent", func(row rowScanner) error {
		var (
			r                    PersonRecord
			at, to, status, kind string
		)
		if err := row.Scan(&r.ID, &r.Ref, &at, &to, &status, &r.MessageID, &kind); err != nil {
			return err
		}
		r.Kind, r.Erasable = RecordSent, true
		r.At, _ = parseTime(at)
		r.Detail = fmt.Sprintf("%s to %s, %s", mailKind(kind), to, status)
		l.p.Records = append(l.p.Records, r)
		return nil
	}, `SELECT o.id, coalesce(s.ref, ''), o.created_at, o.recipients, o.status, o.message_id, o.kind
		FROM outbox o LEFT JOIN submissions s ON s.id = o.submission_id
		WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`, jsonIDs(l.sc.outbox))
}

// listNotes adds staff's notes on the person's cases.
func (db *DB) listNotes(ctx context.Context, l *listing) error {
	return eachRow(ctx, db.r, "list notes", func(row rowScanner) error {
		var (
			r               PersonRecord
			at, actor, text string
		)
		if err := row.Scan(&r.ID, &r.Ref, &at, &actor, &text); err != nil {
			return err
		}
		r.Kind, r.Erasable = RecordNote, true
		r.At, _ = parseTime(at)
		r.Detail = fmt.Sprintf("by %s: %s", actor, short(text, 50))
		l.p.Records = append(l.p.Records, r)
		return nil
	}, `SELECT n.id, s.ref, n.created_at, n.actor, n.text FROM notes n
		JOIN submissions s ON s.id = n.submission_id
		WHERE n.submission_id IN (SELECT value FROM json_each(?)) ORDER BY n.id`, l.subIDs)
}

// listClassifications adds the measures the person chose on the form,
// which the ledger records under their address.
func (db *DB) listClassifications(ctx context.Context, l *listing) error {
	for _, a := range l.p.Addresses {
		err := eachRow(ctx, db.r, "list classifications", func(row rowScanner) error {
			var (
				r           PersonRecord
				at, measure string
			)
			if err := row.Scan(&r.ID, &r.Ref, &at, &measure); err != nil {
				return err
			}
			r.Kind, r.Erasable = RecordClassification, true
			r.At, _ = parseTime(at)
			r.Detail = fmt.Sprintf("measure %s chosen on the form, recorded under the address", measure)
			l.p.Records = append(l.p.Records, r)
			return nil
		}, `SELECT c.id, s.ref, c.created_at, c.measure FROM classifications c
			JOIN submissions s ON s.id = c.submission_id WHERE c.source = 'resident' AND c.actor = ?`, a)
		if err != nil {
			return err
		}
	}
	return nil
}

// mailKind names a kind of mail sent to a resident.
func mailKind(kind string) string {
	if kind == KindDecision {
		return "decision letter"
	}
	return "acknowledgement"
}

func refList(m map[int64]string) []string {
	out := make([]string, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}
