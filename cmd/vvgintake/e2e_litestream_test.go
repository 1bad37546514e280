//go:build linux

package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vvgintake/vvgintake/intake/intaketest"
)

// litestreamEnv names the Litestream binary the restore test runs; else
// it is looked up as test.sh installs it (`go install`, GOPATH/bin), then
// on PATH.
const litestreamEnv = "VVGINTAKE_LITESTREAM"

// litestreamBinary finds Litestream. Without it the test is skipped, and
// under VVGINTAKE_TEST_REAL=1 (CI) it fails.
func litestreamBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(litestreamEnv); p != "" {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "litestream")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("litestream"); err == nil {
		return p
	}
	msg := fmt.Sprintf("litestream not found (set %s, or `go install github.com/benbjohnson/litestream/cmd/litestream@v0.5.17` as test.sh does)", litestreamEnv)
	if intaketest.Real() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestLitestreamRestore is the ledger's off-site record under the real
// tools: `vvgintake run` takes in mail (every tenth message with a 300 KB
// attachment, so the write-ahead log passes Litestream's 1,000-page
// checkpoint several times) while `litestream replicate` copies the
// ledger to a file replica. A restore taken in the middle, while mail is
// still arriving, and one after both stopped must each pass PRAGMA
// integrity_check; the first may only hold messages the ledger holds, the
// last must hold every message recorded, with the same raw bytes
// (SHA-256), every case with its reference, and open in vvgintake.
//
// It runs with ledger.checkpoint = "litestream" (the setting the README
// asks for with Litestream) and with the default "ledger", whose
// background checkpoints Litestream has to tolerate after an upgrade that
// forgot the setting; each logs how often Litestream had to start a new
// snapshot.
func TestLitestreamRestore(t *testing.T) {
	ls := litestreamBinary(t)
	binary(t)
	for _, mode := range []string{"litestream", "ledger"} {
		t.Run("checkpoint="+mode, func(t *testing.T) { testLitestreamRestore(t, ls, mode) })
	}
}

func testLitestreamRestore(t *testing.T, ls, mode string) {
	var srv *intaketest.Server
	if intaketest.Real() {
		srv = intaketest.StartDovecot(t)
	} else {
		srv = intaketest.StartMemory(t)
	}
	smtp := startE2ESMTP(t)
	dir := t.TempDir()
	// The ledgers' folder (the package's /var/lib/vvgintake), which one
	// Litestream watches: every ledger in it has its own replica.
	lib := filepath.Join(dir, "lib")
	if err := os.Mkdir(lib, 0o700); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(lib, "vvgintake.db")
	replicas := filepath.Join(dir, "replica")
	replica := filepath.Join(replicas, "vvgintake.db")
	logPath := filepath.Join(dir, "daemon.log")
	mailEnv := append(imapEnv(srv.Addr, srv.User, srv.Password), smtp.env()...)
	mailEnv = append(mailEnv, "VVGINTAKE_LOG_LEVEL=info", "VVGINTAKE_IMAP_AFTER_INGEST=keyword",
		"VVGINTAKE_NOTIFY_DIGEST_SCHEDULE=", "VVGINTAKE_LEDGER_CHECKPOINT="+mode)
	env := append(baseEnv(dir), mailEnv...)
	env = append(env, "VVGINTAKE_LEDGER_PATH="+dbPath)

	seed := crashSeed(t)
	t.Logf("seed %d", seed)
	corpus := newCrashCorpus(rand.New(rand.NewPCG(seed, 0x6c697465)))
	corpus.bigEvery, corpus.bigBytes = 10, 300<<10
	var mails []crashMail
	deliver := crashDeliverer(t, srv, &mails)
	deliver(corpus.batch(40))

	// The ledger first (run creates it), then Litestream on the folder,
	// as the package's litestream.yml has it (recursive, watch: a VVG's
	// ledger added later, in a folder of its own, is replicated too).
	if r := runCLI(t, env, "", "migrate"); r.code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.code, r.stderr)
	}
	cfg := filepath.Join(dir, "litestream.yml")
	yml := fmt.Sprintf(`logging:
  level: debug
dbs:
  - dir: %s
    pattern: "*.db"
    recursive: true
    watch: true
    monitor-interval: 100ms
    replica:
      type: file
      path: %s
      sync-interval: 200ms
`, lib, replicas)
	if err := os.WriteFile(cfg, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	lsLog := filepath.Join(dir, "litestream.log")
	lsProc := startLitestream(t, ls, cfg, lsLog)
	d := startCrashDaemon(t, env, logPath, 1)

	// Mail keeps arriving while both run; halfway, a restore, and a
	// second VVG's ledger appears in the folder.
	var mid string
	// A directory's VVG keeps its ledger in a folder of its own.
	if err := os.Mkdir(filepath.Join(lib, "antras"), 0o700); err != nil {
		t.Fatal(err)
	}
	secondEnv := append(baseEnv(dir), "VVGINTAKE_LEDGER_PATH="+filepath.Join(lib, "antras", "vvgintake.db"),
		"VVGINTAKE_LEDGER_CHECKPOINT="+mode)
	for i := range 12 {
		deliver(corpus.batch(15))
		time.Sleep(250 * time.Millisecond)
		switch i {
		case 3:
			if r := runCLI(t, secondEnv, "", "consultation", "create", "antroji", "--title", "Antroji VVG",
				"--opens", "2026-11-01", "--closes", "2026-12-20"); r.code != 0 {
				t.Fatalf("second ledger: exit %d\n%s", r.code, r.stderr)
			}
		case 6:
			mid = filepath.Join(dir, "mid.db")
			restoreLitestream(t, ls, replica, mid)
		}
	}
	deliver(corpus.flush())
	maxUID := 0
	for _, m := range srv.Messages(t, "INBOX") {
		maxUID = max(maxUID, int(m.UID))
	}
	led := openCrashLedger(t, dbPath)
	waitQuiet(t, led, d, len(mails), maxUID, logPath)
	// A person's erasure while Litestream holds its read transaction
	// must finish, and reach the replica. (With checkpoint = "ledger" it
	// cannot: its TRUNCATE checkpoint waits for Litestream's reader, five
	// times the busy timeout, holding the write lock, then gives up.)
	var erased string
	var eraseTook time.Duration
	if mode == "litestream" {
		for _, m := range mails {
			if m.Want == "suggestion" && !m.Copy {
				erased = m.From
				break
			}
		}
		begin := time.Now()
		if r := runCLI(t, env, "", "person", "erase", erased, "--yes"); r.code != 0 {
			t.Errorf("person erase while Litestream replicates: exit %d after %v\n%s%s", r.code,
				time.Since(begin).Round(time.Millisecond), r.stdout, r.stderr)
		}
		eraseTook = time.Since(begin)
	}
	live := ledgerRecords(t, dbPath)
	if code := d.terminate(t, crashStopTimeout); code != 0 {
		t.Errorf("vvgintake run exited %d after SIGTERM\n%s", code, logTail(logPath, 30))
	}
	// A machine lost in the middle: the ledger restored then takes the
	// rest from the mailbox (by UID, above what it recorded).
	again := filepath.Join(dir, "again")
	if err := os.Mkdir(again, 0o700); err != nil {
		t.Fatal(err)
	}
	copyFile(t, mid, filepath.Join(again, "vvgintake.db"))
	sent := len(e2eAutoReplied(smtp.all(t)))
	againEnv := append(append(baseEnv(again), mailEnv...), "VVGINTAKE_LEDGER_PATH="+filepath.Join(again, "vvgintake.db"))
	// It can take only what the mailbox still holds: the erasure above
	// also deleted that person's mails there, so one that came after the
	// middle is gone for good, as it should be.
	midLedger := openCrashLedger(t, mid)
	midProgress, err := midLedger.progress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The copy may hold messages above its last UID: recorded, but the
	// copy was taken before the UID they advance was. They are taken
	// again and found recorded, so they count once.
	midUIDs := midLedger.uids(t)
	expectAgain := midProgress.Messages
	for _, m := range srv.Messages(t, "INBOX") {
		if int(m.UID) > midProgress.LastUID && !midUIDs[int(m.UID)] {
			expectAgain++
		}
	}
	d2 := startCrashDaemon(t, againEnv, filepath.Join(again, "daemon.log"), 1)
	waitQuiet(t, openCrashLedger(t, filepath.Join(again, "vvgintake.db")), d2, expectAgain, maxUID, filepath.Join(again, "daemon.log"))
	if code := d2.terminate(t, crashStopTimeout); code != 0 {
		t.Errorf("vvgintake run on the restored ledger exited %d", code)
	}
	resent := len(e2eAutoReplied(smtp.all(t))) - sent
	t.Logf("the ledger restored in the middle held %d of %d messages; started on it, vvgintake took the other %d the mailbox still held and acknowledged %d again",
		midProgress.Messages, len(mails), expectAgain-midProgress.Messages, resent)
	// Litestream syncs what is left when it stops.
	if err := lsProc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := lsProc.Wait(); err != nil {
		t.Errorf("litestream exited: %v\n%s", err, logTail(lsLog, 30))
	}
	final := filepath.Join(dir, "restored.db")
	restoreLitestream(t, ls, replica, final)
	second := filepath.Join(dir, "antras-restored.db")
	restoreLitestream(t, ls, filepath.Join(replicas, "antras", "vvgintake.db"), second)
	var title string
	if err := openSQLite(t, second).QueryRow(`SELECT title FROM consultations WHERE slug = 'antroji'`).Scan(&title); err != nil {
		t.Errorf("the ledger added while Litestream ran, restored: %v", err)
	}

	if len(live) != len(mails) {
		t.Fatalf("live ledger holds %d messages, %d were delivered", len(live), len(mails))
	}
	for id, rec := range live {
		if !rec.BytesMatch {
			t.Fatalf("live ledger: message %d's raw bytes do not hash to its SHA-256", id)
		}
	}
	midRecs := ledgerRecords(t, mid)
	for id, rec := range midRecs {
		if live[id] != rec {
			t.Errorf("restored in the middle: message %d is %+v, the ledger has %+v", id, rec, live[id])
		}
	}
	got := ledgerRecords(t, final)
	missing := 0
	for id, rec := range live {
		if got[id] != rec {
			missing++
			if missing <= 5 {
				t.Errorf("restored: message %d is %+v, want %+v", id, got[id], rec)
			}
		}
	}
	if missing > 0 || len(got) != len(live) {
		t.Errorf("restored ledger: %d of %d messages missing or different, %d in all", missing, len(live), len(got))
	}
	// The restored file is a ledger vvgintake opens and lists.
	renv := append(baseEnv(dir), "VVGINTAKE_LEDGER_PATH="+final)
	if r := runCLI(t, renv, "", "messages", "--json"); r.code != 0 {
		t.Errorf("messages --json on the restored ledger: exit %d\n%s", r.code, r.stderr)
	} else if n := len(decodeE2EJSON(t, r.stdout)); n != len(live) {
		t.Errorf("messages --json on the restored ledger lists %d, want %d", n, len(live))
	}
	if erased != "" {
		var left int
		if err := openSQLite(t, final).QueryRow(`SELECT count(*) FROM messages WHERE from_addr = ?`, erased).Scan(&left); err != nil {
			t.Fatal(err)
		} else if left != 0 {
			t.Errorf("restored ledger still has %d messages from %s, erased before the restore", left, erased)
		}
		t.Logf("erasing %s took %v", erased, eraseTook.Round(time.Millisecond))
	}
	st := litestreamStats(t, lsLog)
	for why := range st.reasons {
		if mode == "litestream" && strings.Contains(why, "another process") {
			t.Errorf("Litestream had to snapshot again: %s", why)
		}
	}
	t.Logf("checkpoint=%s: %d messages (%d in the middle restore), %d KiB replica; Litestream: %d syncs, %d checkpoints, %d snapshots %v",
		mode, len(live), len(midRecs), dirSize(t, replica)>>10, st.syncs, st.checkpoints, st.snapshots, st.reasons)
}

// litestreamRun is what Litestream's debug log says it did.
type litestreamRun struct {
	syncs, checkpoints, snapshots int
	reasons                       map[string]int // why it snapshotted
}

func litestreamStats(t testing.TB, logPath string) litestreamRun {
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	r := litestreamRun{reasons: map[string]int{}}
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.Contains(l, "msg=sync "):
			r.syncs++
			if strings.Contains(l, "snap=true") {
				r.snapshots++
				_, why, _ := strings.Cut(l, "reason=")
				r.reasons[why]++
			}
		case strings.Contains(l, "msg=checkpoint "):
			r.checkpoints++
		}
	}
	return r
}

// startLitestream runs `litestream replicate`; the kernel kills it if the
// test dies first, and t.Cleanup if it is still running.
func startLitestream(t testing.TB, ls, cfg, logPath string) *exec.Cmd {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ls, "replicate", "-config", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start litestream: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		logf.Close()
	})
	return cmd
}

// restoreLitestream restores the replica to out and checks the file with
// PRAGMA integrity_check.
func restoreLitestream(t testing.TB, ls, replica, out string) {
	t.Helper()
	u := url.URL{Scheme: "file", Path: replica}
	var res []byte
	var err error
	// A restore in the middle may land while the first snapshot is still
	// being written: try again for a while.
	for try := 0; try < 20; try++ {
		if res, err = exec.Command(ls, "restore", "-o", out, u.String()).CombinedOutput(); err == nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("litestream restore: %v\n%s", err, res)
	}
	db := openSQLite(t, out)
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check of %s: %q, %v", filepath.Base(out), ok, err)
	}
}

// ledgerRecord is what the restored ledger must hold of each message.
type ledgerRecord struct {
	SHA256, Disposition, Ref string
	Size                     int64
	// BytesMatch: the raw bytes stored hash to SHA256, or none are
	// kept (erased).
	BytesMatch bool
}

// ledgerRecords reads every message of the ledger at path, by its row
// (an erasure blanks the Message-ID and keeps the row), and hashes its raw
// bytes as stored now.
func ledgerRecords(t testing.TB, path string) map[int64]ledgerRecord {
	t.Helper()
	db := openSQLite(t, path)
	rows, err := db.QueryContext(context.Background(), `SELECT m.id, m.raw_sha256,
		m.disposition, coalesce(s.ref, ''), m.size
		FROM messages m LEFT JOIN submissions s ON s.id = m.submission_id`)
	if err != nil {
		t.Fatalf("read messages of %s: %v", filepath.Base(path), err)
	}
	defer rows.Close()
	out := map[int64]ledgerRecord{}
	for rows.Next() {
		var id int64
		var r ledgerRecord
		if err := rows.Scan(&id, &r.SHA256, &r.Disposition, &r.Ref, &r.Size); err != nil {
			t.Fatal(err)
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for id, r := range out {
		h := sha256.New()
		chunks, err := db.Query(`SELECT data FROM message_raw WHERE message = ? ORDER BY seq`, id)
		if err != nil {
			t.Fatal(err)
		}
		kept := false
		for chunks.Next() {
			kept = true
			var b []byte
			if err := chunks.Scan(&b); err != nil {
				t.Fatal(err)
			}
			h.Write(b)
		}
		if err := chunks.Close(); err != nil {
			t.Fatal(err)
		}
		r.BytesMatch = !kept || hex.EncodeToString(h.Sum(nil)) == r.SHA256
		out[id] = r
	}
	return out
}

func openSQLite(t testing.TB, path string) *sql.DB {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s: no such file", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func dirSize(t testing.TB, dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
