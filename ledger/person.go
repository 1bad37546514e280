package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vvgintake/vvgintake/internal/excerpt"
)

// Kinds of PersonRecord: where the ledger holds a person's data.
const (
	RecordSubmission     = "submission"     // a suggestion they sent: sender, subject, text
	RecordMessage        = "message"        // an e-mail from them, raw bytes and headers
	RecordMailbox        = "mailbox"        // that e-mail's copy in the VVG mailbox (folder, UID)
	RecordAttachment     = "attachment"     // a file that came with their e-mail
	RecordUpload         = "upload"         // a file they sent with the web form
	RecordSent           = "sent"           // mail the VVG sent them (an acknowledgement)
	RecordNote           = "note"           // a staff note on their case
	RecordClassification = "classification" // the measure they chose on the form, under their address
	RecordAudit          = "audit"          // an audit entry about their case or naming them
	RecordMention        = "mention"        // someone else's suggestion that names them (erase leaves it)
)

// PersonRecord is one place the ledger holds a person's data.
type PersonRecord struct {
	Kind string
	// ID is the row: the message's, the attachment's, the outbox item's,
	// the audit entry's; a submission's is its row id too.
	ID  int64
	Ref string // the case it belongs to, "" when none
	At  time.Time
	// Detail says what it is in a few words, for staff: a subject, a
	// file name and size, a folder and UID.
	Detail string
	// Folder, UIDValidity and UID place a mailbox copy as it was taken in.
	Folder      string
	UIDValidity uint32
	UID         uint32
	// MessageID (without <>) and SHA256 find a mailbox copy that was moved.
	MessageID string
	SHA256    string
	// Erasable is false for what an erasure leaves: audit entries keep
	// who did what (only a detail naming the person is blanked), and a
	// mention is someone else's suggestion.
	Erasable bool
}

// Person is what the ledger holds of one person.
type Person struct {
	Query     string
	Addresses []string // the addresses found (erase takes each)
	Names     []string
	Records   []PersonRecord
	// Refs are the person's cases.
	Refs []string
	// Erased lists the erasures already done for the addresses (a second
	// request finds nothing more to erase), newest first.
	Erased []Erasure
}

// Count returns how many records of kind there are.
func (p *Person) Count(kind string) int {
	n := 0
	for _, r := range p.Records {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// FindPerson lists every record that holds the data of the person query
// names: an e-mail address (contains @), a case's reference (the person
// who sent it, by address, or that case alone when it has none) or a
// name (every sender of that name, matched without case or Lithuanian
// letters, word by word: "ona petraitiene" finds "Petraitienė Ona").
func (db *DB) FindPerson(ctx context.Context, query string) (*Person, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, invalidf("give an e-mail address, a name or a reference number")
	}
	p := &Person{Query: query}
	sc := &scope{}
	var names []string
	switch {
	case strings.Contains(query, "@"):
		p.Addresses = []string{NormAddress(query)}
	case db.looksLikeRef(query):
		id, _, err := db.lookupRef(ctx, db.r, query)
		if err != nil {
			return nil, err
		}
		var (
			addr, name, ref string
			erased          bool
		)
		if err := db.r.QueryRowContext(ctx, `SELECT sender_email, sender_name, ref, erased_at IS NOT NULL FROM submissions WHERE id = ?`, id).
			Scan(&addr, &name, &ref, &erased); err != nil {
			return nil, fmt.Errorf("read submission #%d: %w", id, err)
		}
		switch {
		case addr != "":
			p.Addresses = []string{addr}
		case !erased:
			sc.subs = []int64{id}
		default:
			// Its person was erased: only the tombstone is left.
			es, err := db.ErasuresOf(ctx, "case:"+ref)
			if err != nil {
				return nil, err
			}
			p.Erased, p.Refs = es, []string{ref}
		}
		if name != "" {
			names = append(names, name)
		}
	default:
		addrs, subs, found, err := db.findByName(ctx, query)
		if err != nil {
			return nil, err
		}
		p.Addresses, sc.subs, names = addrs, subs, found
	}
	for _, a := range p.Addresses {
		s, err := addressScope(ctx, db.r, a)
		if err != nil {
			return nil, err
		}
		sc.add(s)
	}
	if err := caseScope(ctx, db.r, sc); err != nil {
		return nil, err
	}
	if err := db.listScope(ctx, sc, p, names); err != nil {
		return nil, err
	}
	for _, a := range p.Addresses {
		es, err := db.ErasuresOf(ctx, a)
		if err != nil {
			return nil, err
		}
		p.Erased = append(p.Erased, es...)
	}
	return p, nil
}

// looksLikeRef reports whether a query is a reference number rather than
// a name: the prefix and digits, or digits alone.
func (db *DB) looksLikeRef(s string) bool {
	if db.refRE.MatchString(s) {
		return true
	}
	s = strings.TrimLeft(s, "#")
	return s != "" && strings.Trim(s, "0123456789-– ") == ""
}

// findByName finds the senders whose name has every word of name (folded:
// no case, no Lithuanian letters): their addresses, their cases without
// an address (a suggestion taken by phone), and the names as written.
// The name indexes are scanned, not the rows.
func (db *DB) findByName(ctx context.Context, name string) (addrs []string, subs []int64, names []string, err error) {
	want := strings.Fields(foldWord(name))
	matches := func(n string) bool {
		have := strings.Fields(foldWord(n))
		for _, w := range want {
			if !slices.Contains(have, w) {
				return false
			}
		}
		return len(want) > 0
	}
	// The names of the cases and the names on the messages, each read
	// through its own index.
	var nameOnly, msgs []int64
	for _, by := range []struct {
		ids   *[]int64
		query string
	}{
		{&nameOnly, `SELECT id, sender_name FROM submissions INDEXED BY submissions_sender_name WHERE sender_name <> ''`},
		{&msgs, `SELECT id, from_name FROM messages INDEXED BY messages_from_name WHERE from_name <> ''`},
	} {
		err = eachRow(ctx, db.r, "scan names", func(r rowScanner) error {
			var id int64
			var n string
			if err := r.Scan(&id, &n); err != nil {
				return err
			}
			if matches(n) {
				*by.ids = append(*by.ids, id)
				names = append(names, n)
			}
			return nil
		}, by.query)
		if err != nil {
			return nil, nil, nil, err
		}
	}
	err = eachRow(ctx, db.r, "find by name", func(r rowScanner) error {
		var a string
		var id int64
		if err := r.Scan(&a, &id); err != nil {
			return err
		}
		switch {
		case a != "":
			addrs = append(addrs, a)
		case id > 0:
			subs = append(subs, id)
		}
		return nil
	}, `
		SELECT sender_email, id FROM submissions WHERE id IN (SELECT value FROM json_each(?1))
		UNION ALL
		SELECT from_addr, 0 FROM messages WHERE id IN (SELECT value FROM json_each(?2))`, jsonIDs(nameOnly), jsonIDs(msgs))
	if err != nil {
		return nil, nil, nil, err
	}
	slices.Sort(addrs)
	slices.Sort(names)
	return slices.Compact(addrs), union(nil, subs), slices.Compact(names), nil
}

// auditRow is an audit entry as the privacy rules read it.
type auditRow struct {
	id                            int64
	at                            time.Time
	actor, action, target, detail string
	names                         bool // its detail names the person
}

// auditNaming lists the audit entries about the cases refs (staff
// actions on them) and those whose detail names one of the addresses or
// names. An erasure blanks only the details that name the person.
func (db *DB) auditNaming(ctx context.Context, q queryer, refs, addrs, names []string) ([]auditRow, error) {
	var likes []string
	var args []any
	args = append(args, jsonStrings(refs))
	for _, s := range append(slices.Clone(addrs), names...) {
		if s = strings.TrimSpace(s); len(s) >= 3 {
			likes = append(likes, `detail LIKE ?`)
			args = append(args, "%"+escapeLike(s)+"%")
		}
	}
	where := `target IN (SELECT value FROM json_each(?))`
	for _, l := range likes {
		where += ` OR ` + l + ` ESCAPE '\'`
	}
	return queryAll(ctx, q, "list audit entries", func(r rowScanner) (auditRow, error) {
		var (
			a  auditRow
			at string
		)
		if err := r.Scan(&a.id, &at, &a.actor, &a.action, &a.target, &a.detail); err != nil {
			return a, err
		}
		a.at, _ = parseTime(at)
		a.names = mentions(a.detail, addrs, names)
		return a, nil
	}, `SELECT id, at, actor, action, target, detail FROM audit WHERE `+where+` ORDER BY id`, args...)
}

// mentions reports whether text holds one of the addresses (in any case)
// or one of the names (folded, as a run of whole words).
func mentions(text string, addrs, names []string) bool {
	low := strings.ToLower(text)
	for _, a := range addrs {
		if a != "" && strings.Contains(low, strings.ToLower(a)) {
			return true
		}
	}
	folded := " " + strings.Join(strings.FieldsFunc(foldWord(text), notWordRune), " ") + " "
	for _, n := range names {
		w := strings.Join(strings.FieldsFunc(foldWord(n), notWordRune), " ")
		if w != "" && strings.Contains(folded, " "+w+" ") {
			return true
		}
	}
	return false
}

func notWordRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
}

// listMentions adds the suggestions of others whose text or subject names
// one of the person's addresses or names: erase leaves them (they are
// someone else's words), staff may need to read them.
func (db *DB) listMentions(ctx context.Context, sc *scope, p *Person) error {
	if !db.searchOn {
		return nil
	}
	seen := map[int64]bool{}
	for _, id := range sc.subs {
		seen[id] = true
	}
	for _, q := range append(slices.Clone(p.Addresses), p.Names...) {
		m := db.matchExpr(q)
		if m == "" {
			continue
		}
		err := eachRow(ctx, db.r, "find mentions", func(row rowScanner) error {
			var (
				r              PersonRecord
				at, subj, text string
			)
			if err := row.Scan(&r.ID, &r.Ref, &at, &subj, &text); err != nil {
				return err
			}
			if seen[r.ID] || !mentions(subj+"\n"+text, p.Addresses, p.Names) {
				return nil
			}
			seen[r.ID] = true
			r.Kind = RecordMention
			r.At, _ = parseTime(at)
			r.Detail = "another person's suggestion names them: " + short(firstNonEmpty(subj, text), 60)
			p.Records = append(p.Records, r)
			return nil
		}, `SELECT s.id, s.ref, s.received_at, s.subject, s.text FROM submissions_fts
			CROSS JOIN submissions s ON s.id = submissions_fts.rowid WHERE submissions_fts MATCH ? LIMIT 200`, m)
		if err != nil {
			return err
		}
	}
	return nil
}

// jsonStrings writes ss as a JSON array of strings.
func jsonStrings(ss []string) string {
	if ss == nil {
		ss = []string{}
	}
	b, _ := json.Marshal(ss)
	return string(b)
}

// escapeLike escapes LIKE's wildcards (with ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// short is a text cut for a line of `person find` (the one rule,
// internal/excerpt).
func short(s string, n int) string { return excerpt.Line(s, n) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
