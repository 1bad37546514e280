package spam

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/internal/jsonltest"
)

// maxResidentsUnsure is the most residents' mail the shipped model may
// put in Unsure (recorded for staff, not acknowledged). None may be Spam.
// The training program picks the thresholds so that, out of fold, at
// most 1% would be; on mail it was trained on it should do no worse.
const maxResidentsUnsure = 0.01

// minEvalCaught is the least share of the non-English evaluation spam
// (never trained on) that must not be acknowledged. It guards against a
// retrained model losing what the shipped one generalises to; the
// figure itself is logged.
const minEvalCaught = 0.70

// message is one line of the testdata sets (see train/data.go's record).
type message struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Subject      string `json:"subject"`
	Text         string `json:"text"`
	Links        int    `json:"links"`
	Attachments  int    `json:"attachments"`
	Reply        bool   `json:"reply"`
	NameMismatch bool   `json:"name_mismatch"`
}

func (m message) hints() Hints {
	return Hints{Links: m.Links, Attachments: m.Attachments, Reply: m.Reply, NameMismatch: m.NameMismatch}
}

// sharedSuggestions finds the shared corpus of suggestions beside the
// repository (CI's layout) or above it (a worktree's); "" if neither.
func sharedSuggestions() string {
	if d := os.Getenv("VVGINTAKE_SHARED"); d != "" {
		return filepath.Join(d, "corpus", "suggestions", "dev.jsonl")
	}
	for _, up := range []string{"../../..", "../../../.."} {
		p := filepath.Join(up, "shared", "corpus", "suggestions", "dev.jsonl")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// residents gathers every resident's mail in the repository: the dev
// mail corpus (as the parser extracts it, in devmail.jsonl), the
// hand-written sets and, when it is there, the shared suggestions corpus
// less its two adverts.
func residents(t *testing.T) map[string][]message {
	sets := map[string][]message{}
	for _, m := range jsonltest.Read[message](t, "testdata/devmail.jsonl") {
		if m.Kind != "spam" {
			sets["devmail"] = append(sets["devmail"], m)
		}
	}
	for _, name := range []string{"residents_lt", "residents_en", "residents_ru"} {
		sets[name] = jsonltest.Read[message](t, filepath.Join("testdata", name+".jsonl"))
	}
	if p := sharedSuggestions(); p != "" {
		for _, s := range jsonltest.Read[struct{ ID, Text, Label, Note string }](t, p) {
			if s.Label == "other" && strings.Contains(strings.ToLower(s.Note), "spam") {
				continue
			}
			sets["suggestions"] = append(sets["suggestions"], message{ID: s.ID, Text: s.Text})
		}
	} else {
		t.Log("shared suggestions corpus not found: set VVGINTAKE_SHARED to include it")
	}
	return sets
}

func TestDefaultLoads(t *testing.T) {
	m, err := Load([]byte(embeddedModel))
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	if got, max := len(embeddedModel), 300<<10; got > max {
		t.Errorf("model.bin is %d bytes, want at most %d", got, max)
	}
	if c := m.Calibration(); c.Unsure >= c.Spam {
		t.Logf("thresholds unsure %v, spam %v: no Unsure band", c.Unsure, c.Spam)
	}
}

func TestResidentsAreAcknowledged(t *testing.T) {
	m := Default()
	total, unsure := 0, 0
	for set, msgs := range residents(t) {
		t.Run(set, func(t *testing.T) {
			for _, msg := range msgs {
				v := m.Score(msg.Subject, msg.Text, msg.hints())
				total++
				switch v.Band {
				case Spam:
					t.Errorf("%s %s is Spam (score %.3f, evidence %v)", set, msg.ID, v.Score, v.Evidence)
				case Unsure:
					unsure++
					t.Logf("%s %s is Unsure (score %.3f, evidence %v)", set, msg.ID, v.Score, v.Evidence)
				}
			}
		})
	}
	t.Logf("%d residents' mails: %d Unsure, the rest Ham", total, unsure)
	if float64(unsure) > maxResidentsUnsure*float64(total) {
		t.Errorf("%d of %d residents Unsure, want at most %.0f%%", unsure, total, 100*maxResidentsUnsure)
	}
}

func TestDevMailSpamIsCaught(t *testing.T) {
	for _, msg := range jsonltest.Read[message](t, "testdata/devmail.jsonl") {
		if msg.Kind != "spam" {
			continue
		}
		t.Run(msg.ID, func(t *testing.T) {
			if v := Score(msg.Subject, msg.Text, msg.hints()); v.Band == Ham {
				t.Errorf("acknowledged (score %.3f)", v.Score)
			}
		})
	}
}

func TestNonEnglishSpamEval(t *testing.T) {
	m := Default()
	msgs := jsonltest.Read[message](t, "testdata/spam_eval.jsonl")
	var n [3]int
	for _, msg := range msgs {
		v := m.Score(msg.Subject, msg.Text, msg.hints())
		n[v.Band]++
		if v.Band == Ham {
			t.Logf("acknowledged %s (score %.3f): %s", msg.ID, v.Score, msg.Subject)
		}
	}
	caught := float64(n[Unsure]+n[Spam]) / float64(len(msgs))
	t.Logf("non-English spam, never trained on: %d messages, %.1f%% caught (%d Spam, %d Unsure), %d acknowledged",
		len(msgs), 100*caught, n[Spam], n[Unsure], n[Ham])
	if caught < minEvalCaught {
		t.Errorf("caught %.1f%%, want at least %.0f%%", 100*caught, 100*minEvalCaught)
	}
}
