package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/vvgintake/vvgintake/console"
	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"

	"github.com/vvgintake/vvgintake/internal/excerpt"
	"github.com/vvgintake/vvgintake/internal/vilnius"
)

//go:embed demo/config.toml demo/mail/*.eml
var demoFS embed.FS

// demoMarker marks a folder the demo created, so a second run may clear it.
const demoMarker = ".vvgintake-demo"

// demoPractice is the consultation the demo leaves open for staff to try
// the commands on.
const demoPractice = "praktika"

func cmdDemo() *command {
	return &command{
		name: "demo", args: "[--out DIR] [--serve [--listen ADDR]]", noConfig: true,
		short: "run the whole pipeline on sample mail, no configuration needed",
		long: `Starts an in-process IMAP server holding 20 sample residents' mails (suggestions for every
measure, an auto-reply, a bounce, a newsletter, spam, a late one) and an in-process SMTP receiver,
then runs the real pipeline against a fresh ledger: the scheduler closes the consultation on its
deadline, the mailbox is read, suggestions are classified and recorded, acknowledgements and the
closing report are sent; then a resident answers an acknowledgement and an out-of-office replies to
another (neither is acknowledged); finally the weekly digest is sent. It prints what was recorded
and writes into DIR (default ./vvgintake-demo):

  mail/NN-<kind>.eml, .html  every mail vvgintake sent (acknowledgements, report, digest)
  digest.html                the digest as the board sees it
  report.txt                 the closing report as 'consultation report' prints it
  config.toml, vvgintake.db  the configuration and ledger, to try the staff commands:
                             vvgintake -config DIR/config.toml submissions list

  --serve          then keep the staff console running on the demo ledger (until Ctrl+C), with a
                   demo staff account, and print its URL, e-mail and password
  --listen ADDR    where the console listens with --serve (default 127.0.0.1:8081; loopback only)`,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := flag.NewFlagSet("demo", flag.ContinueOnError)
			out := fs.String("out", "vvgintake-demo", "output folder")
			serve := fs.Bool("serve", false, "keep the staff console running")
			listen := fs.String("listen", "127.0.0.1:8081", "the console's address with --serve")
			if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
				return usagef("demo takes only --out DIR, --serve and --listen ADDR")
			}
			var ln net.Listener
			if *serve {
				host, _, err := net.SplitHostPort(*listen)
				if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
					return usagef("--listen: want a loopback address and port, e.g. 127.0.0.1:8081")
				}
				if ln, err = net.Listen("tcp", *listen); err != nil {
					return fmt.Errorf("listen %s: %w", *listen, err)
				}
				defer ln.Close()
			}
			return runDemo(ctx, e, *out, ln)
		},
	}
}

// runDemo runs the demo into out; with a listener it then serves the
// staff console on the demo's ledger until ctx ends.
func runDemo(ctx context.Context, e *env, out string, ln net.Listener) error {
	started := time.Now()
	if err := prepareDemoDir(out); err != nil {
		return err
	}
	loc, err := vilnius.Location()
	if err != nil {
		return err
	}
	// The consultation ran for three weeks and closed at the end of
	// yesterday, so today's mail is late and the closing report is due.
	now := time.Now()
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	opens, closes := today.AddDate(0, 0, -21), today.AddDate(0, 0, -1)
	if err := writeDemoConfig(out, opens, closes); err != nil {
		return err
	}
	smtpSrv, err := startDemoSMTP(filepath.Join(out, "mail"))
	if err != nil {
		return err
	}
	defer smtpSrv.Close()
	imapSrv, err := startDemoIMAP()
	if err != nil {
		return err
	}
	defer imapSrv.Close()
	if err := imapSrv.load(opens, closes, now); err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(imapSrv.addr)
	shost, sport, _ := net.SplitHostPort(smtpSrv.addr)
	cfg, err := config.Load(filepath.Join(out, "config.toml"), []string{
		"VVGINTAKE_IMAP_ENABLED=true", "VVGINTAKE_IMAP_HOST=" + host, "VVGINTAKE_IMAP_PORT=" + port,
		"VVGINTAKE_IMAP_TLS=none", "VVGINTAKE_IMAP_ALLOW_INSECURE=true", "VVGINTAKE_IMAP_USERNAME=vvg",
		"VVGINTAKE_IMAP_PASSWORD=demo", "VVGINTAKE_IMAP_AFTER_INGEST=keyword",
		"VVGINTAKE_SMTP_ENABLED=true", "VVGINTAKE_SMTP_HOST=" + shost, "VVGINTAKE_SMTP_PORT=" + sport,
		"VVGINTAKE_SMTP_TLS=none", "VVGINTAKE_SMTP_ALLOW_INSECURE=true", "VVGINTAKE_SMTP_AUTH=none",
	})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dm, err := NewDaemon(ctx, cfg, DaemonOptions{Logger: log})
	if err != nil {
		return err
	}
	defer dm.Close()

	// Round 1: the deadline passed (the consultation closes and its report
	// is queued), the mailbox is read, acknowledgements and report go out.
	if err := dm.Once(ctx); err != nil {
		return err
	}
	// Round 2: a resident answers her acknowledgement, and another
	// resident's out-of-office answers his: one joins its case, the other
	// is recorded as automatic; neither is acknowledged.
	if err := imapSrv.reactToAcks(smtpSrv.acks(), now); err != nil {
		return err
	}
	if err := dm.Once(ctx); err != nil {
		return err
	}
	// The weekly digest for the board, sent now rather than on Monday.
	db := dm.db
	board := cfg.Recipients().Digest()
	p, err := db.PendingDigest(ctx, now)
	if err != nil {
		return err
	}
	_, html, err := dm.sender.RenderDigest(ctx, p, board, "")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "digest.html"), html, 0o644); err != nil {
		return err
	}
	if _, _, err := db.EnqueueDigest(ctx, "demo-"+now.Format("20060102T150405"), board, now); err != nil {
		return err
	}
	if _, err := dm.sender.SendDue(ctx); err != nil {
		return err
	}
	report, err := dm.sender.ReportText(ctx, "strategija")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.txt"), []byte(report), 0o644); err != nil {
		return err
	}
	// A second consultation, open from today, for staff to practise its
	// whole life on: created once the sample mail is in, so none of it is
	// routed there.
	practice := &ledger.Consultation{Slug: demoPractice, Title: "Aleksoto parko sutvarkymo idėjos",
		TitleEN:     "Ideas for tidying up Aleksotas park",
		Description: "Bandomoji konsultacija: čia galite išbandyti, kaip priimami, tvarkomi ir atsakomi pasiūlymai.",
		OpensAt:     today, ClosesAt: today.AddDate(0, 0, 22)}
	if err := db.CreateConsultation(ctx, practice, "demo"); err != nil {
		return err
	}
	if _, err := db.SetConsultationStatus(ctx, demoPractice, ledger.StatusOpen, "demo"); err != nil {
		return err
	}
	if err := printDemo(ctx, e.stdout, cfg, db, out, smtpSrv, time.Since(started)); err != nil || ln == nil {
		return err
	}
	return serveDemoConsole(ctx, e, cfg, dm, ln)
}

// demoStaff is the demo console's account.
const demoStaff = "demo@aleksotovvg.lt"

// serveDemoConsole creates the demo staff account with a fresh password,
// prints how to log in, and serves the console until ctx ends.
func serveDemoConsole(ctx context.Context, e *env, cfg *config.Config, dm *Daemon, ln net.Listener) error {
	u, _, err := console.AddUser(ctx, dm.db, "http://"+ln.Addr().String(), demoStaff, ledger.RoleStaff, "demo")
	if err != nil {
		return err
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	pw := base64.RawURLEncoding.EncodeToString(b)
	if err := console.SetPasswordNow(ctx, dm.db, u.ID, pw, "demo"); err != nil {
		return err
	}
	srv, err := newConsole(cfg, dm.db, dm.pipe, nil, nil, slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), dm.now)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nStaff console: http://%s/\n  e-mail:   %s\n  password: %s\nPress Ctrl+C to stop.\n",
		ln.Addr(), demoStaff, pw)
	return srv.Serve(ctx, ln)
}

// prepareDemoDir creates out, or empties one a previous demo made; it
// refuses to touch any other non-empty folder.
func prepareDemoDir(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, demoMarker), nil, 0o644)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(out, demoMarker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by the demo; choose another folder with --out", out)
		}
		for _, en := range entries {
			if en.Name() == demoMarker {
				continue
			}
			if err := os.RemoveAll(filepath.Join(out, en.Name())); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(filepath.Join(out, demoMarker), nil, 0o644)
}

func writeDemoConfig(out string, opens, closes time.Time) error {
	tpl, err := demoFS.ReadFile("demo/config.toml")
	if err != nil {
		return err
	}
	cfg := strings.NewReplacer("{{OPENS}}", opens.Format("2006-01-02"), "{{CLOSES}}", closes.Format("2006-01-02")).
		Replace(string(tpl))
	if err := os.WriteFile(filepath.Join(out, "config.toml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	// The classifier learns from the examples built into the binary.
	return nil
}

// demoIMAP is go-imap's in-memory server with one account.
type demoIMAP struct {
	addr string
	srv  *imapserver.Server
	user *imapmemserver.User
}

func startDemoIMAP() (*demoIMAP, error) {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("vvg", "demo")
	if err := u.Create("INBOX", nil); err != nil {
		return nil, err
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go srv.Serve(ln)
	return &demoIMAP{addr: ln.Addr().String(), srv: srv, user: u}, nil
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// Close stops the server.
func (s *demoIMAP) Close() error { return s.srv.Close() }

// load appends the sample mail, received spread over the consultation's
// window; the one named "late" arrives after the deadline.
func (s *demoIMAP) load(opens, closes, now time.Time) error {
	names, err := fs.Glob(demoFS, "demo/mail/*.eml")
	if err != nil {
		return err
	}
	sort.Strings(names)
	step := closes.Sub(opens) / time.Duration(len(names)+1)
	for i, n := range names {
		raw, err := demoFS.ReadFile(n)
		if err != nil {
			return err
		}
		at := opens.Add(step * time.Duration(i+1)).Add(9 * time.Hour)
		if strings.Contains(n, "late") {
			// Between the deadline (the end of the closing day) and now:
			// an hour ago is not late yet in the first hour of a day.
			deadline := closes.AddDate(0, 0, 1)
			at = deadline.Add(now.Sub(deadline) / 2)
		}
		if err := s.append(raw, at); err != nil {
			return fmt.Errorf("load %s: %w", n, err)
		}
	}
	return nil
}

func (s *demoIMAP) append(raw []byte, at time.Time) error {
	_, err := s.user.Append("INBOX", bytes.NewReader(raw), &imap.AppendOptions{Time: at})
	return err
}

// reactToAcks appends a resident's reply to the first acknowledgement and
// an out-of-office answer to the second.
func (s *demoIMAP) reactToAcks(acks []demoMail, now time.Time) error {
	if len(acks) < 2 {
		return fmt.Errorf("demo: expected at least two acknowledgements, got %d", len(acks))
	}
	date := now.Format(time.RFC1123Z)
	reply := fmt.Sprintf("From: %s\r\nTo: vvgaleksotas@gmail.com\r\nSubject: Re: %s\r\nDate: %s\r\n"+
		"Message-ID: <demo-reply-1@example.com>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"+
		"Ačiū! Dar norėčiau pridurti: dienos centre galėtų veikti ir kompiuterinio raštingumo būrelis.\r\n\r\n"+
		"%s, Aleksoto VVG rašė:\r\n> Jūsų pasiūlymas gautas\r\n", acks[0].to, acks[0].subject, date, acks[0].id, acks[0].id, date)
	ooo := fmt.Sprintf("From: %s\r\nTo: vvgaleksotas@gmail.com\r\nSubject: Automatinis atsakymas: %s\r\nDate: %s\r\n"+
		"Message-ID: <demo-ooo-1@example.net>\r\nIn-Reply-To: <%s>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"+
		"Esu atostogose iki kito mėnesio. Laiškus perskaitysiu grįžęs.\r\n", acks[1].to, acks[1].subject, date, acks[1].id)
	if err := s.append([]byte(reply), now); err != nil {
		return err
	}
	return s.append([]byte(ooo), now)
}

func printDemo(ctx context.Context, w io.Writer, cfg *config.Config, db *ledger.DB, out string, smtp *demoSMTP, took time.Duration) error {
	loc := cfg.Location()
	fmt.Fprintf(w, "vvgintake demo: %s, consultation %q\n\n", cfg.Organisation.Name, cfg.Consultations[0].Title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tRECEIVED\tFROM\tDISPOSITION\tROUTE\tREF\tMEASURE\tCONF\tACK\tSUBJECT")
	subs := map[string]*ledger.Submission{}
	err := db.Messages(ctx, ledger.MessageFilter{}, func(m *ledger.Message) error {
		measure, conf := "–", "–"
		if m.Ref != "" && m.Disposition != string(mailparse.KindReply) && m.DuplicateOf == 0 {
			s, ok := subs[m.Ref]
			if !ok {
				var err error
				if s, err = db.Submission(ctx, m.Ref); err != nil {
					return err
				}
				subs[m.Ref] = s
			}
			measure, conf = s.Measure, fmt.Sprintf("%.2f", s.Confidence)
			if s.NeedsReview {
				measure += " (review)"
			}
		}
		ack := ""
		if m.Ack {
			ack = "yes"
		}
		_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.InternalDate.In(loc).Format("01-02 15:04"),
			excerpt.Line(m.FromAddr, 30), m.Disposition, orDash(m.Route), orDash(m.Ref), measure, conf, ack,
			excerpt.Line(m.Subject, 44))
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	st, err := db.OutboxStats(ctx)
	if err != nil {
		return err
	}
	c, err := db.Consultation(ctx, "strategija")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nConsultation %q is %s (deadline %s); responses are due %s.\n", c.Slug, c.Status,
		c.ClosesAt.Add(-time.Second).In(loc).Format("2006-01-02"), c.ResponseDue.Format("2006-01-02"))
	fmt.Fprintf(w, "Mail sent through the in-process SMTP server: %d (%d acknowledgements, digest, closing report); outbox: %d pending, %d failed.\n",
		len(smtp.all()), len(smtp.acks()), st.Pending, st.Failed)
	fmt.Fprintf(w, "\nLook at:\n  %s/mail/        every mail sent (.eml and .html)\n  %s/digest.html  the board's weekly digest\n"+
		"  %s/report.txt   the closing report\n", out, out, out)
	cmd := selfCommand() + " -config " + filepath.Join(out, "config.toml")
	next, err := nextRefHint(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPractise on the demo ledger: consultation %q is open, from today for three weeks.\n", demoPractice)
	for _, line := range []string{
		"submissions list",
		fmt.Sprintf("submissions add --consultation %s --text \"Siūlau parke įrengti lauko treniruoklius.\"", demoPractice),
		"submissions show " + next,
		"submissions decide " + next + " pritarta --reason \"Įtraukta į priemonę 4\"",
		"consultation close " + demoPractice,
		"consultation report " + demoPractice,
		"consultation decide-status " + demoPractice,
		"consultation publish " + demoPractice + " --dry-run --out " + filepath.Join(out, "publish"),
		"consultation publish " + demoPractice,
		"consultation results " + demoPractice + " --format pdf --out " + filepath.Join(out, demoPractice+"-rezultatai.pdf"),
		"help",
	} {
		fmt.Fprintf(w, "  %s %s\n", cmd, line)
	}
	fmt.Fprintf(w, "\nDone in %s.\n", took.Round(10*time.Millisecond))
	return nil
}

// nextRefHint is the number the next suggestion will get, as staff may
// type it: the number alone.
func nextRefHint(ctx context.Context, db *ledger.DB) (string, error) {
	n := 0
	err := db.Submissions(ctx, ledger.Filter{}, func(*ledger.Submission) error { n++; return nil })
	return strconv.Itoa(n + 1), err
}

// selfCommand is how the person can run this program again: "vvgintake"
// when that is what the shell finds, "go run ./cmd/vvgintake" when this
// is a binary go run built (in Go's build cache, gone once it exits), and
// otherwise the binary's own path.
func selfCommand() string {
	exe, err := os.Executable()
	if err != nil {
		return "vvgintake"
	}
	if strings.Contains(filepath.ToSlash(exe), "/go-build") {
		return "go run ./cmd/vvgintake"
	}
	if p, err := exec.LookPath("vvgintake"); err == nil {
		if same(p, exe) {
			return "vvgintake"
		}
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, exe); err == nil && !strings.HasPrefix(rel, "..") {
			return "./" + rel
		}
	}
	return exe
}

// same reports whether two paths name the same file.
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
