//go:build linux

package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// eraseTarget is one resident the crash test erases: the number of mails
// they sent.
type eraseTarget struct {
	addr, name string
	mails      int
}

// appendResidentMail delivers n e-mails of a resident, each with its own
// attachment, dated inside the example consultation's window.
func appendResidentMail(t *testing.T, srv *intaketest.Server, r eraseTarget) {
	t.Helper()
	raws := make([][]byte, r.mails)
	for i := range raws {
		tag := fmt.Sprintf("%s-%d", strings.Split(r.addr, "@")[0], i)
		raws[i] = privacyMail(r.addr, r.name, tag+"@example.lt", "Pasiūlymas strategijai",
			fmt.Sprintf("Siūlau strategijai: %s nr. %d.", r.name, i), "", uniqueBytes(tag, 1500))
	}
	srv.AppendMany(t, "INBOX", raws, crashDate)
}

// startErase starts `person erase ADDR --yes` of the built binary and
// returns it with its stderr (the log) read line by line into lines.
func startErase(t *testing.T, env []string, addr string) (*exec.Cmd, <-chan string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(binary(t), "-config", exampleConfig, "person", "erase", addr, "--yes")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines, &out
}

// eraseState is how far the ledger says an address's erasure got: how
// many of their suggestions are still there, how many erased, and the
// erasures open and finished.
type eraseState struct{ kept, erased, open, finished int }

func readEraseState(t *testing.T, db *sql.DB, addr string, refs []string) eraseState {
	t.Helper()
	var st eraseState
	q := `SELECT count(*) FILTER (WHERE sender_email = ?1), count(*) FILTER (WHERE erased_at IS NOT NULL AND ref IN (SELECT value FROM json_each(?2)))
		FROM submissions`
	if err := db.QueryRow(q, addr, jsonList(refs)).Scan(&st.kept, &st.erased); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE finished_at IS NULL), count(*) FILTER (WHERE finished_at IS NOT NULL)
		FROM erasures`).Scan(&st.open, &st.finished); err != nil {
		t.Fatal(err)
	}
	return st
}

func jsonList(ss []string) string {
	return `["` + strings.Join(ss, `","`) + `"]`
}

// refsOf lists the references of an address's suggestions.
func refsOf(t *testing.T, db *sql.DB, addr string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT ref FROM submissions WHERE sender_email = ? ORDER BY id`, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

// mailOf counts a resident's messages left in the mailbox's folders.
func mailOf(t *testing.T, srv *intaketest.Server, addr string, folders ...string) int {
	t.Helper()
	n := 0
	for _, f := range folders {
		for _, m := range srv.Messages(t, f) {
			if bytes.Contains(m.Raw, []byte(addr)) {
				n++
			}
		}
	}
	return n
}

// TestCrashErase interrupts erasures of the built binary and lets a rerun
// finish them. The mailbox moves ingested mail to Processed, so each copy
// is searched for by Message-ID and confirmed by its digest: the mailbox
// part takes a while.
//
// Ona: `person erase` is SIGKILLed right after it logs that the ledger
// part is done, then again at random moments while it finishes; Irena's
// is killed at random moments from its start. The ledger is never half
// erased (all of a person's suggestions kept, or all erased), and `run
// --once` finishes the erasures: mailbox copies deleted, files compacted.
//
// Petras: the IMAP connection is cut partway through the deletions;
// `person erase` exits 1 saying the copies wait, `person erasures` shows
// the erasure waiting, and asking again when the mailbox answers
// finishes it.
func TestCrashErase(t *testing.T) {
	intaketest.Each(t, func(t *testing.T, srv *intaketest.Server) {
		proxy := intaketest.NewCutProxy(t, srv.Addr)
		dir := t.TempDir()
		env := append(append(baseEnv(dir), imapEnv(proxy.Addr, srv.User, srv.Password)...),
			"VVGINTAKE_IMAP_AFTER_INGEST=move", "VVGINTAKE_IMAP_COMMAND_TIMEOUT=5s", "VVGINTAKE_LOG_LEVEL=info")
		ona := eraseTarget{"ona.kazlauskiene@example.lt", "Ona Kazlauskienė", 30}
		petras := eraseTarget{"petras.petraitis@example.lt", "Petras Petraitis", 30}
		irena := eraseTarget{"irena.butkute@example.lt", "Irena Butkutė", 10}
		jonas := eraseTarget{"jonas.zukauskas@example.lt", "Jonas Žukauskas", 5}
		for _, r := range []eraseTarget{ona, petras, irena, jonas} {
			appendResidentMail(t, srv, r)
		}
		if r := runCLI(t, env, "", "run", "--once"); r.code != 0 {
			t.Fatalf("run --once: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		folders := []string{"INBOX", "Processed"}
		if n := mailOf(t, srv, ona.addr, "Processed"); n != ona.mails {
			t.Fatalf("%d of Ona's mails moved to Processed, want %d", n, ona.mails)
		}
		led := openCrashLedger(t, filepath.Join(dir, "vvgintake.db"))
		onaRefs := refsOf(t, led.db, ona.addr)
		if len(onaRefs) != ona.mails {
			t.Fatalf("Ona has %d suggestions recorded, want %d", len(onaRefs), ona.mails)
		}

		// Killed right after it logs that the ledger part is done: the
		// mailbox part is left, and the erasure open.
		cmd, lines, _ := startErase(t, env, ona.addr)
		killed := false
		for line := range lines {
			if !killed && strings.Contains(line, `msg="personal data erased from the ledger"`) {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
		cmd.Wait()
		st := readEraseState(t, led.db, ona.addr, onaRefs)
		t.Logf("killed after the ledger part: %+v, %d of her mails left in the mailbox", st, mailOf(t, srv, ona.addr, folders...))
		if !killed || st.kept != 0 || st.erased != ona.mails || st.open != 1 {
			t.Fatalf("killed after the ledger part: %+v, want her erased from the ledger and the erasure open", st)
		}
		// Then killed at random moments: from the start (before the
		// ledger's transaction nothing is erased, after it everything
		// is) and while it finishes an erasure.
		seed := crashSeed(t)
		rng := rand.New(rand.NewPCG(seed, 0x65726173))
		t.Logf("seed %d (VVGINTAKE_TEST_SEED repeats the kill delays)", seed)
		irenaRefs := refsOf(t, led.db, irena.addr)
		for i := range 8 {
			who, refs := ona, onaRefs
			if i%2 == 1 {
				who, refs = irena, irenaRefs
			}
			delay := time.Duration(10+rng.IntN(300)) * time.Millisecond
			cmd, lines, _ := startErase(t, env, who.addr)
			waitUntil(time.Now().Add(delay))
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			for range lines {
			}
			st := readEraseState(t, led.db, who.addr, refs)
			t.Logf("kill %d (%s) after %v: %+v", i+1, who.name, delay, st)
			if !(st.kept == who.mails && st.erased == 0) && !(st.kept == 0 && st.erased == who.mails) {
				t.Fatalf("after a kill at %v the ledger is half erased: %+v", delay, st)
			}
		}
		if r := runCLI(t, env, "", "run", "--once"); r.code != 0 {
			t.Fatalf("run --once after the kills: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		st = readEraseState(t, led.db, ona.addr, onaRefs)
		if st.open != 0 || st.erased != ona.mails {
			t.Errorf("after run --once: %+v, want every erasure finished", st)
		}
		if st := readEraseState(t, led.db, irena.addr, irenaRefs); st.kept != 0 && st.erased == 0 {
			if r := runCLI(t, env, "", "person", "erase", irena.addr, "--yes"); r.code != 0 {
				t.Errorf("person erase Irena: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		}
		for _, who := range []eraseTarget{ona, irena} {
			if n := mailOf(t, srv, who.addr, folders...); n != 0 {
				t.Errorf("after run --once %d of %s's mails are still in the mailbox", n, who.name)
			}
		}

		// The IMAP connection cut partway through the mailbox part.
		petrasRefs := refsOf(t, led.db, petras.addr)
		proxy.CutAfter(20000) // into the searches of Processed
		r := runCLI(t, env, "", "person", "erase", petras.addr, "--yes")
		if r.code != exitRuntime || !strings.Contains(r.stderr, "not deleted yet") {
			t.Fatalf("person erase with the connection cut: exit %d, want %d saying the copies wait\n%s%s", r.code, exitRuntime, r.stdout, r.stderr)
		}
		left := mailOf(t, srv, petras.addr, folders...)
		st = readEraseState(t, led.db, petras.addr, petrasRefs)
		t.Logf("cut: %+v, %d of his %d mails left in the mailbox", st, left, petras.mails)
		if st.kept != 0 || st.erased != petras.mails || st.open != 1 || left == 0 {
			t.Errorf("after the cut: %+v with %d mails left; want him erased from the ledger, the erasure open, mail left", st, left)
		}
		if r := runCLI(t, env, "", "person", "erasures"); !strings.Contains(r.stdout, "waiting") {
			t.Errorf("person erasures does not show the erasure waiting:\n%s", r.stdout)
		}
		proxy.CutAfter(0)
		r = runCLI(t, env, "", "person", "erase", petras.addr, "--yes")
		if r.code != 0 || !strings.Contains(r.stdout, "continuing erasure") {
			t.Errorf("person erase again: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if n := mailOf(t, srv, petras.addr, folders...); n != 0 {
			t.Errorf("%d of Petras's mails are still in the mailbox", n)
		}
		if st := readEraseState(t, led.db, petras.addr, petrasRefs); st.open != 0 || st.finished != 3 {
			t.Errorf("after asking again: %+v, want all three erasures finished", st)
		}
		if n := mailOf(t, srv, jonas.addr, folders...); n != jonas.mails {
			t.Errorf("Jonas has %d mails in the mailbox, want all %d", n, jonas.mails)
		}
		led.db.Close()
		path := filepath.Join(dir, "vvgintake.db")
		if found := scanFiles(t, []string{path, path + "-wal"}, map[string][]byte{
			"Ona": []byte(ona.addr), "Petras": []byte(petras.addr), "Irena": []byte(irena.addr), "Ona's name": []byte("Kazlauskienė"),
		}); len(found) > 0 {
			t.Errorf("the ledger's files still hold: %v", found)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
	})
}
