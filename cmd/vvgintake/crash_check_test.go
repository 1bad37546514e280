//go:build linux

package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/notify/notifytest"
)

// crashCounts is what the final checks found.
type crashCounts struct {
	messages, dupDeliveries, automatic, submissions, acks, inDoubt, smtpDuplicates int
}

// crashRow is the part of `messages --json` the checks read.
type crashRow struct {
	MessageID   string `json:"message_id"`
	From        string `json:"from"`
	Disposition string `json:"disposition"`
	Ref         string `json:"ref"`
	Ack         bool   `json:"ack"`
	Duplicate   bool   `json:"duplicate"`
}

// checkCrash checks the ledger, Mailpit and the mailbox against the mail
// the test delivered.
func checkCrash(t *testing.T, env []string, mails []crashMail, led *crashLedger, mp *notifytest.Mailpit, dov *intaketest.Server) crashCounts {
	t.Helper()
	var c crashCounts
	want := map[string][]crashMail{} // by Message-ID: one, or two for a second delivery
	suggestionSenders, automaticSenders := map[string]bool{}, map[string]bool{}
	for _, m := range mails {
		want[m.MessageID] = append(want[m.MessageID], m)
		switch {
		case m.Copy:
			c.dupDeliveries++
		case m.Want == "suggestion":
			suggestionSenders[m.From] = true
		default:
			automaticSenders[m.From] = true
			c.automatic++
		}
	}

	rows := crashMessages(t, env)
	c.messages = len(rows)
	if len(rows) != len(mails) {
		t.Errorf("messages --json lists %d messages, want %d (one per delivery)", len(rows), len(mails))
	}
	if n, distinct := led.uidCounts(t); n != len(mails) || distinct != len(mails) {
		t.Errorf("ledger has %d message rows with %d distinct uids, want %d of each", n, distinct, len(mails))
	}
	byID := map[string][]crashRow{}
	for _, r := range rows {
		byID[r.MessageID] = append(byID[r.MessageID], r)
	}
	refOwner := map[string]string{} // ref → the Message-ID that opened it
	for id, ms := range want {
		got := byID[id]
		if len(got) != len(ms) {
			t.Errorf("message %s (%s from %s): recorded %d times, want %d", id, ms[0].Want, ms[0].From, len(got), len(ms))
			continue
		}
		dups := 0
		for _, r := range got {
			if r.Disposition != ms[0].Want {
				t.Errorf("message %s from %s: disposition %q, want %q", id, r.From, r.Disposition, ms[0].Want)
			}
			if r.Duplicate {
				dups++
				if r.Ack {
					t.Errorf("message %s: the second delivery earned an acknowledgement", id)
				}
			}
		}
		if dups != len(ms)-1 {
			t.Errorf("message %s delivered %d times: %d rows marked duplicate, want %d", id, len(ms), dups, len(ms)-1)
		}
		if ms[0].Want != "suggestion" {
			for _, r := range got {
				if r.Ref != "" || r.Ack {
					t.Errorf("automatic message %s (%s): ref %q, ack %v; want no case and no acknowledgement", id, r.Disposition, r.Ref, r.Ack)
				}
			}
			continue
		}
		ref := got[0].Ref
		for _, r := range got {
			if r.Ref == "" || r.Ref != ref {
				t.Errorf("suggestion %s: deliveries filed under refs %q and %q, want one case", id, ref, r.Ref)
			}
			if !r.Duplicate && !r.Ack {
				t.Errorf("suggestion %s (%s): not acknowledged", id, r.Ref)
			}
		}
		if prev, ok := refOwner[ref]; ok {
			t.Errorf("ref %s opened by both %s and %s", ref, prev, id)
		}
		refOwner[ref] = id
	}

	refs := crashRefs(t, env)
	c.submissions = len(refs)
	if len(refs) != len(refOwner) {
		t.Errorf("submissions export has %d suggestions, want %d (one per suggestion, duplicates joined)", len(refs), len(refOwner))
	}
	checkGapless(t, refs)
	for _, r := range refs {
		if _, ok := refOwner[r]; !ok {
			t.Errorf("submission %s belongs to no delivered suggestion", r)
		}
	}

	c.acks, c.inDoubt, c.smtpDuplicates = checkAcks(t, led.outbox(t), mp, len(refs), suggestionSenders, automaticSenders)

	for _, m := range dov.Messages(t, "INBOX") {
		if !m.HasFlag("$VVGIngested") {
			t.Errorf("mailbox uid %d lacks $VVGIngested (flags %v)", m.UID, m.Flags)
		}
	}
	return c
}

// checkAcks checks the outbox's acknowledgements against what arrived at
// Mailpit. An item the ledger marks in doubt was being sent when a kill
// fell between the server's acceptance and the ledger's record; each of
// its attempts may have delivered one copy, under the same Message-ID.
func checkAcks(t *testing.T, items []crashOutboxItem, mp *notifytest.Mailpit, submissions int, residents, automatic map[string]bool) (acks, inDoubt, extra int) {
	t.Helper()
	var sentAcks []crashOutboxItem
	ours := map[string]bool{}
	subs := map[int64]bool{}
	for _, it := range items {
		ours[it.MessageID] = true
		if it.Kind != "ack" {
			continue
		}
		acks++
		if subs[it.SubmissionID] {
			t.Errorf("submission %d has two acknowledgement items", it.SubmissionID)
		}
		subs[it.SubmissionID] = true
		if automatic[it.Recipients] || !residents[it.Recipients] {
			t.Errorf("acknowledgement %d goes to %s, who sent no suggestion", it.ID, it.Recipients)
		}
		switch it.Status {
		case "sent":
			sentAcks = append(sentAcks, it)
		default:
			t.Errorf("acknowledgement %d to %s is %s after %d attempts (last error %q), want sent", it.ID, it.Recipients, it.Status, it.Attempts, it.LastError)
		}
		if it.InDoubt {
			inDoubt++
		}
	}
	if acks != submissions {
		t.Errorf("outbox holds %d acknowledgements for %d suggestions, want one each", acks, submissions)
	}

	// Mailpit stores a message before it answers 250, but give its API a
	// moment to list the last one.
	arrived := map[string]int{}
	for _, s := range mp.WaitCount(t, len(sentAcks), 15*time.Second) {
		arrived[s.MessageID]++
		if !ours[s.MessageID] {
			t.Errorf("Mailpit got %q (%s) to %v, which is not in the outbox", s.MessageID, s.Subject, s.To)
		}
		for _, to := range s.To {
			if automatic[strings.ToLower(to.Address)] {
				t.Errorf("Mailpit got %q addressed to %s, the sender of automatic mail", s.MessageID, to.Address)
			}
		}
	}
	for _, it := range sentAcks {
		n := arrived[it.MessageID]
		switch {
		case n == 0:
			t.Errorf("acknowledgement %d to %s is marked sent but never arrived (%s)", it.ID, it.Recipients, it.MessageID)
		case n > 1 && !it.InDoubt:
			t.Errorf("acknowledgement %d to %s arrived %d times but is not marked in doubt", it.ID, it.Recipients, n)
		case n > it.Attempts:
			t.Errorf("acknowledgement %d to %s arrived %d times in %d attempts", it.ID, it.Recipients, n, it.Attempts)
		}
		if n > 1 {
			extra += n - 1
		}
		if it.InDoubt {
			t.Logf("in doubt: acknowledgement %d to %s arrived %d time(s) in %d attempts", it.ID, it.Recipients, n, it.Attempts)
		}
	}
	return acks, inDoubt, extra
}

// crashMessages runs `messages --json` on the ledger.
func crashMessages(t *testing.T, env []string) []crashRow {
	t.Helper()
	res := runCLI(t, env, "", "messages", "--json")
	if res.code != 0 {
		t.Fatalf("messages --json: exit %d\n%s", res.code, res.stderr)
	}
	return jsonLines[crashRow](t, "messages --json", res.stdout)
}

// crashRefs runs `submissions export --format json` and returns the refs.
func crashRefs(t *testing.T, env []string) []string {
	t.Helper()
	res := runCLI(t, env, "", "submissions", "export", "--format", "json")
	if res.code != 0 {
		t.Fatalf("submissions export: exit %d\n%s", res.code, res.stderr)
	}
	var refs []string
	for _, r := range jsonLines[struct {
		Ref string `json:"ref"`
	}](t, "submissions export", res.stdout) {
		refs = append(refs, r.Ref)
	}
	return refs
}

// checkGapless checks that refs are exactly PREFIX-YEAR-0001 … N of one
// year: a crash must neither skip a number nor use one twice.
func checkGapless(t *testing.T, refs []string) {
	t.Helper()
	if len(refs) == 0 {
		t.Errorf("no submissions")
		return
	}
	prefix := refs[0][:strings.LastIndexByte(refs[0], '-')+1]
	var nums []int
	for _, r := range refs {
		i := strings.LastIndexByte(r, '-')
		n, err := strconv.Atoi(r[i+1:])
		if i < 0 || err != nil || r[:i+1] != prefix {
			t.Errorf("ref %q does not look like %sNNNN", r, prefix)
			continue
		}
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for i, n := range nums {
		if n != i+1 {
			t.Errorf("refs are not gapless: the %d-th smallest is %s%04d, want %s%04d (%s)", i+1, prefix, n, prefix, i+1, summarizeNums(nums))
			return
		}
	}
}

// summarizeNums shows the start and end of a sorted list.
func summarizeNums(nums []int) string {
	if len(nums) <= 10 {
		return fmt.Sprint(nums)
	}
	return fmt.Sprintf("%v … %v", nums[:5], nums[len(nums)-5:])
}
