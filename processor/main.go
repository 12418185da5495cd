// Command processor runs the case repository for releasing e-mail and e-mail logs:
// it validates cases, creates new ones, and (in later versions) imports exports, builds
// disclosure PDFs, runs as the git hook and reads the audit trail.
//
// Only this package prints or exits. Output rules: findings and results go to stdout, one
// per line (or JSON with --json); summaries and errors go to stderr; all text is Swedish;
// no colour codes, no prompts (the program runs from git GUIs without a terminal).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workbook"
)

// version is the processor's version. It is written into every disclosure PDF and manifest,
// so it changes only with a release: a new version rebuilds every PDF.
const version = "0.5.0"

// commit is the source commit, set at build time (make build: -ldflags "-X main.commit=...").
var commit = "okänd"

// Exit codes.
const (
	exitOK       = 0 // done, no errors found
	exitFindings = 1 // done, errors found
	exitFailed   = 2 // could not run
)

func main() {
	// A batch run keeps little alive (one case at a time per worker) but allocates a lot
	// (yaml.v3 nodes), so the default GC target of twice the live heap makes it collect
	// constantly. 400 measured twice as fast on 10,000 cases (README, Prestanda). An explicit
	// GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// A soft ceiling: the GC works harder near it instead of letting the heap grow to 400 %
	// of a large live set (a 100,000-row disclosure). An explicit GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// findingsError means the job ran and found errors.
var errFindings = errors.New("fel hittades")

const usage = `Användning: processor KOMMANDO [flaggor] [argument]

Kommandon:
  validate [PATH...]   kontrollera ärenden (standard: alla i cases/)
  new TYP              skapa nästa ärende av typen TYP (t.ex. e-postlogg) från mallen
  status [PATH...]     visa varje ärendes senaste och nästa steg; försenade först (--json)
  rapport [PATH...]    statistik per månad och ärendetyp ur ärendefilerna (--från, --till, --json)
  import ÄRENDE [FIL]  läs råexporten i arbetsytans export/ och skriv granskningsboken där (--av SIGNATUR)
  build [ÄRENDE...]    skapa utlämnande-pdf:en och manifestet (standard: alla ärenden med beslut)
  beslut ÄRENDE        skriv ärendets skriftliga beslut (beslut med besvärshänvisning, avvisning av ett
                       för sent överklagande) när beslutssteget är registrerat
  godkänn ÄRENDE       granskarens godkännande av sekretessprövningen, bundet till granskningsbokens
                       och råexportens SHA-256 (--av SIGNATUR)
  gallra ÄRENDE        radera arbetsytan när gallringsdatumet har passerat och registrera gallringen
                       (--av SIGNATUR --beslut "dokumenthanteringsplanens punkt")
  hook install         låt git köra hooks/pre-commit före varje incheckning (core.hooksPath)
  hook pre-commit      kontrollera det som checkas in (körs av kroken)
  verify               kontrollera varje commit i historiken (--since REV), som i CI
  audit ÄRENDE         visa ärendets revisionslogg ur git-historiken (--json)
  granska ÄRENDE       skriv granskningsrapporten för granskaren i ärendets arbetsyta (--json)
  watch [ROT]          håll ärendena kontrollerade och pdf:erna aktuella medan du arbetar (Ctrl-C avslutar)
  rules                lista reglerna som validate, kroken och verify tillämpar
  version              skriv programmets version

Flaggor för validate, new, status, import och build:
  --root MAPP          ärendekatalogens rot (standard: närmaste mapp uppåt med installningar.yaml)
  --today ÅÅÅÅ-MM-DD   räkna med detta datum som i dag (standard: dagens datum i Sverige)
  --json               (validate) skriv fynden som JSON
  --force              (build) bygg även när inget har ändrats

Slutkoder: 0 inga fel, 1 fel hittades, 2 kunde inte köras.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitFailed
	}
	var err error
	switch args[0] {
	case "validate":
		ctx, stop := interruptible()
		err = runValidate(ctx, args[1:], stdout, stderr)
		stop()
	case "new":
		err = runNew(args[1:], stdout, stderr)
	case "import":
		ctx, stop := interruptible()
		err = runImport(ctx, args[1:], stdout, stderr)
		stop()
	case "status":
		ctx, stop := interruptible()
		err = runStatus(ctx, args[1:], stdout)
		stop()
	case "rapport":
		ctx, stop := interruptible()
		err = runRapport(ctx, args[1:], stdout)
		stop()
	case "rules":
		err = runRules(args[1:], stdout)
	case "version":
		fmt.Fprintf(stdout, "processor %s (%s)\n", version, commit)
	case "build":
		ctx, stop := interruptible()
		err = runBuild(ctx, args[1:], stdout, stderr)
		stop()
	case "beslut":
		err = runDecision(args[1:], stdout, stderr)
	case "godkänn", "godkann":
		err = runApprove(args[1:], stdout, stderr)
	case "gallra":
		err = runPurge(args[1:], stdout, stderr)
	case "hook":
		ctx, stop := interruptible()
		err = runHook(ctx, args[1:], stdout, stderr)
		stop()
	case "verify":
		err = runVerify(args[1:], stdout, stderr)
	case "audit":
		err = runAudit(args[1:], stdout, stderr)
	case "granska":
		ctx, stop := interruptible()
		err = runGranska(ctx, args[1:], stdout, stderr)
		stop()
	case "watch":
		ctx, stop := interruptible()
		err = runWatch(ctx, args[1:], stdout, stderr)
		stop()
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("okänt kommando %q", args[0])}
	}
	return exitCode(err, stderr)
}

// interruptible returns a context that is cancelled by Ctrl-C (SIGINT) or SIGTERM, for a
// command that stops cleanly on it: its deferred clean-ups run (a read of a raw export
// removes its temporary files in the working area's .tmp), a wait for a case's lock ends,
// and it returns an error saying so (interrupted). The first signal only cancels; after it
// the default action is back, so a second Ctrl-C ends the program at once. stop gives the
// signals their default action back (and cancels ctx); it may be called more than once.
//
// validate, status, import, build, granska, watch and hook pre-commit take one. Where a part
// takes no context yet (the build's rendering of a PDF, the hook's check), that part is
// finished first; then the command stops. Commands that do not take a context (godkänn,
// gallra) keep the default action: a Ctrl-C ends them at once.
func interruptible() (ctx context.Context, stop func()) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			cancel() // the next signal ends the program
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			close(done)
			cancel()
		})
	}
}

// interrupted returns, when ctx has ended (Ctrl-C, SIGTERM), the error of a command stopped
// by it: "avbrutet: " and what (what was and was not done). nil while ctx is live.
func interrupted(ctx context.Context, what string) error {
	if ctx.Err() == nil {
		return nil
	}
	return errors.New("avbrutet: " + what)
}

// exitCode is the one place that maps errors to exit codes and prints them. Control
// characters in a message (a file name, git's output) are escaped; the hint of a workbook
// that cannot be read is printed with it.
func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	var we *workbook.Error
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "processor: %s\n\n%s", finding.PrintableLines(ue.msg), usage)
		return exitFailed
	case errors.As(err, &we) && we.Hint != "":
		fmt.Fprintf(stderr, "processor: %s (tips: %s)\n", finding.PrintableLines(err.Error()), finding.PrintableLines(we.Hint))
		return exitFailed
	default:
		fmt.Fprintf(stderr, "processor: %s\n", finding.PrintableLines(err.Error()))
		return exitFailed
	}
}
