package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
)

type importOptions struct {
	commonOptions
	signer string
	settle time.Duration
}

// runImport imports a case's raw export. ctx stops it (Ctrl-C): while it waits for the
// case's lock or reads the raw export, nothing is written and the read's temporary files are
// removed; during the check of the case that follows the import, the check stops (the
// import stays done).
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o importOptions
	fs := newFlagSet("import")
	o.register(fs)
	fs.StringVar(&o.signer, "av", "", "signatur för steget")
	fs.DurationVar(&o.settle, "stilla", 2*time.Second, "importera inte en råexport som ändrats för kortare tid sedan än så (den kan fortfarande kopieras); 0 stänger av kontrollen")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError{"import behöver ett ärende och ev. råexportens filnamn, t.ex. processor import cases/2026-0042"}
	}
	c, err := openCase(&o.commonOptions, fs, o.signer)
	if err != nil {
		return err
	}
	c.ctx = ctx
	r, today, dirs := c.r, c.today, []string{c.dir}
	var res *intake.Result
	if err := c.run(stdout, stderr, intake.ErrFindings, "Inget har importerats: rätta råexporten eller beställ en ny.", func() (found finding.List, err error) {
		res, found, err = intake.Run(r, c.dir, intake.Options{File: fs.Arg(1), Signer: c.signer, Today: today, MinAge: o.settle, Context: ctx})
		return found, err
	}); err != nil {
		return err
	}
	// The file names are the registrator's (or M365's): printed without control characters.
	raw, wb := finding.Printable(res.Raw), finding.Printable(res.Workbook)
	encoding := res.Encoding // a CSV's
	if encoding == "" {
		encoding = "Excel-arbetsbok"
	}
	switch {
	case res.Mail:
		sum := finding.Printable(res.Summary())
		fmt.Fprintf(stderr, "%s%s.\n", strings.ToUpper(sum[:1]), sum[1:])
		if len(res.Notes) > 0 {
			fmt.Fprintf(stderr, "Läsningen av e-postmeddelandena (för granskaren):\n")
			for _, n := range res.Notes {
				fmt.Fprintf(stderr, "  - %s\n", finding.Printable(n))
			}
		}
	case res.Reimported:
		fmt.Fprintf(stderr, "Råexporten hade ändrats innan något maskats: importerad igen, ny SHA-256 %s… (förut %s…), %d e-mail från %s till %s; steget %s är uppdaterat.\n",
			res.SHA256[:12], res.OldSHA256[:min(12, len(res.OldSHA256))], res.Rows, raw, wb, res.Step)
	case res.Unchanged:
		fmt.Fprintf(stderr, "%s är redan importerad (samma SHA-256 %s…); %s behålls som den är.\n", raw, res.SHA256[:12], wb)
	case res.Step == "":
		// Written again from the raw export: the marks and masks of the later steps are to
		// be made again, so the case's check would only list them as missing.
		fmt.Fprintf(stderr, "%s fanns inte och har skrivits på nytt från %s (%d rader); markera och maska i den igen (stegen efter importen är registrerade).\n", wb, raw, res.Rows)
		return nil
	default:
		fmt.Fprintf(stderr, "Importerade %d e-mail från %s (%s, SHA-256 %s…) till %s och registrerade steget %s.\n",
			res.Rows, raw, encoding, res.SHA256[:12], wb, res.Step)
	}
	// Show where the case stands now.
	out := validate.Cases(r, dirs, validate.Options{Today: today, Context: ctx})
	if err := interrupted(ctx, "importen är klar, men kontrollen av ärendet efter den gjordes inte färdigt; kör processor validate "+r.Rel(c.dir)); err != nil {
		return err
	}
	if err := writeFindings(stdout, out.Findings); err != nil {
		return err
	}
	if out.Findings.HasErrors() {
		return errFindings
	}
	return nil
}

// signerFromGit finds the signature of the person whose e-mail git uses for commits.
func signerFromGit(r *repo.Repo) string {
	cmd := exec.Command("git", "config", "user.email")
	cmd.Dir = r.Root
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	if p, ok := r.Settings.PersonByEmail(string(out)); ok {
		return p.Signature
	}
	return ""
}
