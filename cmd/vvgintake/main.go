// Command vvgintake runs public consultations for a Lithuanian Local
// Action Group (VVG): it reads residents' suggestions from the VVG's
// mailbox and web form, files them under the strategy's measures, records
// them with reference numbers and deadlines, and acknowledges, digests and
// reports them. See README.md and `vvgintake help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/vvgintake/vvgintake/ledger"

	"github.com/vvgintake/vvgintake/cmd/vvgintake/config"
)

// Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

// usageError marks an error as the caller's (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// command is one entry of the command table.
type command struct {
	name  string
	args  string
	short string
	long  string
	run   func(ctx context.Context, e *env, args []string) error
	// noConfig commands run without a configuration file.
	noConfig bool
	// everyVVG commands, given a configuration directory and no --vvg,
	// run over all its VVGs (runDir) rather than asking which.
	everyVVG bool
	runDir   func(ctx context.Context, e *env, args []string) error
}

func commands() []*command {
	return []*command{
		cmdCheckConfig(), cmdMigrate(), cmdConsultation(), cmdSubmissions(), cmdMessages(), cmdImport(),
		cmdClassify(), cmdThemes(), cmdOutbox(), cmdDigest(), cmdRun(), cmdStatus(), cmdBackup(), cmdDemo(), cmdUsers(), cmdPerson(),
		cmdRetention(), cmdVersion(),
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	// SIGHUP reads a configuration directory again (run -config-dir);
	// a single-file run logs it and goes on rather than dying.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		// The first signal asks for a clean stop; a second one means now.
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "vvgintake: second signal, exiting at once")
		os.Exit(exitRuntime)
	}()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(), hup: hup}
	os.Exit(e.main(ctx, os.Args[1:]))
}

// Main runs one invocation and returns its exit code; tests call it
// in-process.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	return (&env{stdin: stdin, stdout: stdout, stderr: stderr, environ: environ}).main(ctx, args)
}

// main runs one invocation in e (its streams and environment set) and
// returns its exit code.
func (e *env) main(ctx context.Context, args []string) int {
	stdout, stderr, environ := e.stdout, e.stderr, e.environ
	fs := flag.NewFlagSet("vvgintake", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfgPath := fs.String("config", "", "configuration file (default $VVGINTAKE_CONFIG or vvgintake.toml)")
	cfgDir := fs.String("config-dir", "", "a directory of VVG files, one per VVG (default $VVGINTAKE_CONFIG_DIR)")
	vvg := fs.String("vvg", "", "the VVG of the configuration directory a command is about")
	showVersion := fs.Bool("version", false, "print the version (as the version command)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "vvgintake: %v\n\n", err)
		printHelp(stderr)
		return exitUsage
	}
	rest := fs.Args()
	if *showVersion {
		rest = []string{"version"}
	}
	if len(rest) == 0 {
		printHelp(stderr)
		return exitUsage
	}
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		switch {
		case len(rest) == 1:
			printHelp(stdout)
			return exitOK
		case len(rest) > 2:
			fmt.Fprintf(stderr, "vvgintake help: takes one COMMAND\n\n")
			printHelp(stderr)
			return exitUsage
		}
		c := findCommand(rest[1])
		if c == nil {
			fmt.Fprintf(stderr, "vvgintake help: unknown command %q%s\n\n", rest[1], didYouMean(rest[1]))
			printHelp(stderr)
			return exitUsage
		}
		printCommandHelp(stdout, c)
		return exitOK
	}
	c := findCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "vvgintake: unknown command %q%s\n\n", name, didYouMean(name))
		printHelp(stderr)
		return exitUsage
	}
	for _, a := range rest[1:] {
		if a == "-h" || a == "--help" || a == "-help" {
			printCommandHelp(stdout, c)
			return exitOK
		}
	}
	var (
		cmdArgs []string
		err     error
	)
	e.actor, cmdArgs, err = takeActor(rest[1:])
	var dir string
	if err == nil {
		dir, cmdArgs, err = takeValue(cmdArgs, "config-dir")
	}
	if err == nil {
		e.vvg, cmdArgs, err = takeValue(cmdArgs, "vvg")
	}
	if e.vvg == "" {
		e.vvg = *vvg
	}
	if err != nil {
		fmt.Fprintf(stderr, "vvgintake %s: %v\n", c.name, err)
		return exitUsage
	}
	e.cfgPath = *cfgPath
	if dir == "" {
		dir = *cfgDir
	}
	if e.cfgPath == "" && dir == "" {
		e.cfgPath = lookupEnv(environ, "VVGINTAKE_CONFIG")
	}
	if e.cfgPath == "" && dir == "" {
		dir = lookupEnv(environ, "VVGINTAKE_CONFIG_DIR")
	}
	switch {
	case e.cfgPath != "" && dir != "":
		fmt.Fprintf(stderr, "vvgintake %s: -config and -config-dir exclude each other\n", c.name)
		return exitUsage
	case e.vvg != "" && dir == "":
		fmt.Fprintf(stderr, "vvgintake %s: --vvg chooses a VVG of a configuration directory: give -config-dir DIR (or $VVGINTAKE_CONFIG_DIR)\n", c.name)
		return exitUsage
	case e.cfgPath == "" && dir == "":
		e.cfgPath = "vvgintake.toml"
	}
	e.cfgDir = dir
	defer e.close()
	run := c.run
	if !c.noConfig && e.cfg == nil && dir != "" { // an in-process caller may bring its own
		if e.vvg == "" {
			slugs, err := config.ListDir(dir)
			switch {
			case err != nil:
				fmt.Fprintf(stderr, "vvgintake: %v\n", err)
				return exitUsage
			case c.everyVVG:
				run = c.runDir
			case len(slugs) == 1:
				e.vvg = slugs[0]
			default:
				fmt.Fprintf(stderr, "vvgintake %s: this host has %d VVGs (%s): say which with --vvg SLUG\n", c.name, len(slugs),
					strings.Join(slugs, ", "))
				return exitUsage
			}
		}
		if e.vvg != "" {
			ent := config.LoadEntry(dir, e.vvg)
			if ent.Err != nil {
				fmt.Fprintf(stderr, "vvgintake: %v\n", ent.Err)
				return exitUsage
			}
			e.cfg, e.cfgPath = ent.Config, ent.Path
			e.warnConfig()
		}
	} else if !c.noConfig && e.cfg == nil {
		if err := e.loadConfig(); err != nil {
			fmt.Fprintf(stderr, "vvgintake: %v\n", err)
			return exitUsage
		}
	}
	err = run(ctx, e, cmdArgs)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var ce *config.Error
	switch {
	case errors.As(err, &ue), errors.Is(err, ledger.ErrInvalid):
		// A malformed slug, reference or decision is the caller's to
		// fix, whichever layer noticed it.
		fmt.Fprintf(stderr, "vvgintake %s: %v\n(see `vvgintake help %s`)\n", c.name, err, c.name)
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "vvgintake: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "vvgintake %s: %v\n", c.name, err)
		return exitRuntime
	}
}

// didYouMean suggests the command name looks like a slip for, or "".
func didYouMean(name string) string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if n := config.Nearest(name, names); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", n)
	}
	return ""
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `vvgintake — public consultations for a Lithuanian Local Action Group (VVG)

Usage: vvgintake [-config FILE | -config-dir DIR] COMMAND [ARGS] [--vvg SLUG] [--actor NAME]

The configuration is FILE, else $VVGINTAKE_CONFIG, else ./vvgintake.toml.
A host serving several VVGs keeps one file per VVG in DIR (SLUG.toml; else
$VVGINTAKE_CONFIG_DIR): --vvg SLUG says which VVG a command is about; run,
status and check-config without it take every VVG of DIR.
--actor NAME records who did a staff action in the audit log (default: the Unix user).
Exit codes: 0 ok, 1 runtime error, 2 usage or configuration error.

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nRun `vvgintake help COMMAND` for a command's arguments.\n")
}

func printCommandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: vvgintake [-config FILE] %s %s\n\n%s\n", c.name, c.args, c.short)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
}

// takeActor removes --actor NAME (or --actor=NAME) from a command's
// arguments: who did a staff action, for the audit log; any command
// accepts it.
func takeActor(args []string) (string, []string, error) {
	var out []string
	actor := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--actor" || a == "-actor":
			if i+1 >= len(args) || strings.TrimSpace(args[i+1]) == "" {
				return "", nil, usagef("--actor needs a name")
			}
			actor = args[i+1]
			i++
		case strings.HasPrefix(a, "--actor=") || strings.HasPrefix(a, "-actor="):
			_, actor, _ = strings.Cut(a, "=")
			if strings.TrimSpace(actor) == "" {
				return "", nil, usagef("--actor needs a name")
			}
		default:
			out = append(out, a)
		}
	}
	return actor, out, nil
}

// takeValue removes --NAME VALUE (or -NAME, or =VALUE) from a command's
// arguments, like takeActor: -config-dir and --vvg may come anywhere.
func takeValue(args []string, name string) (string, []string, error) {
	var out []string
	val := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--"+name || a == "-"+name:
			if i+1 >= len(args) || strings.TrimSpace(args[i+1]) == "" {
				return "", nil, usagef("--%s needs a value", name)
			}
			val = args[i+1]
			i++
		case strings.HasPrefix(a, "--"+name+"=") || strings.HasPrefix(a, "-"+name+"="):
			_, val, _ = strings.Cut(a, "=")
			if strings.TrimSpace(val) == "" {
				return "", nil, usagef("--%s needs a value", name)
			}
		default:
			out = append(out, a)
		}
	}
	return val, out, nil
}

func lookupEnv(environ []string, key string) string {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// parseFlags parses flags that may come before, between or after the
// positional arguments (`decide REF accepted --reason TEXT`).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// subcommand is one subcommand of a command on the ledger: run takes its
// arguments, or, for one that takes exactly one (a slug, a reference, an
// address), one takes it.
type subcommand struct {
	name string
	run  func(ctx context.Context, e *env, db *ledger.DB, args []string) error
	one  func(ctx context.Context, e *env, db *ledger.DB, arg string) error
}

// ledgerSubcommands runs the commands that run a subcommand on the ledger
// (consultation, submissions, users): with no subcommand, or one it does
// not know, it is a usage error that names subs, and the ledger is not
// opened (nor made); else it opens the ledger and runs the subcommand
// named.
func ledgerSubcommands(name string, subs []subcommand) func(ctx context.Context, e *env, args []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) == 0 {
			names := make([]string, len(subs))
			for i, s := range subs {
				names[i] = s.name
			}
			return usagef("%s needs a subcommand: %s or %s", name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
		}
		sub, args := args[0], args[1:]
		i := slices.IndexFunc(subs, func(s subcommand) bool { return s.name == sub })
		if i < 0 {
			return usagef("unknown %s subcommand %q", name, sub)
		}
		var arg string
		if subs[i].one != nil {
			var err error
			if arg, err = oneArg(name+" "+sub, args); err != nil {
				return err
			}
		}
		db, err := e.ledger(ctx)
		if err != nil {
			return err
		}
		if subs[i].one != nil {
			return subs[i].one(ctx, e, db, arg)
		}
		return subs[i].run(ctx, e, db, args)
	}
}

// parseArgs is parseFlags for a command that takes exactly n positional
// arguments: any other number is the usage error usage. Most commands
// check their count this way, so the check lives once.
func parseArgs(fs *flag.FlagSet, args []string, n int, usage string) ([]string, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, usagef("%s", usage)
	}
	return pos, nil
}
