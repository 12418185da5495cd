package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/review"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// runGranska writes a case's review report (granskning.html and granskning.json) into its
// working area, for the reviewer who approves the secrecy decision: for an e-mail log case
// the masked cells of its workbook, for an e-post case (a type with e-post) each requested
// e-mail with its decision and masks (granskaMail). With --json the report
// is also printed to stdout. The exit code is 1 when the case has errors (do not approve).
// ctx stops it (Ctrl-C) while it waits for the case's lock or reads the case's files; no
// report is written then.
func runGranska(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o commonOptions
	fs := newFlagSet("granska")
	o.register(fs)
	asJSON := fs.Bool("json", false, "skriv även rapporten som JSON på standard ut")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"granska behöver ett ärende, t.ex. processor granska 2026-0001"}
	}
	r, today, err := o.open()
	if err != nil {
		return err
	}
	dir, err := granskaCaseDir(r, fs.Arg(0))
	if err != nil {
		return err
	}
	id := filepath.Base(dir)
	release, err := caselock.LockContext(ctx, r.Root, id, 30*time.Second)
	if err != nil {
		return err
	}
	defer release()
	checked := validate.Case(r, dir, validate.Options{Today: today, Context: ctx})
	if err := interrupted(ctx, "ingen granskningsrapport skrevs för "+id); err != nil {
		return err
	}
	work := r.WorkArea(dir, id)
	if checked.Record != nil && checked.Record.Type.Mail != nil {
		return granskaMail(r, dir, work, checked, review.Options{Today: today, Version: version}, *asJSON, stdout, stderr)
	}
	rep, err := review.Build(r, checked, review.Options{Today: today, Version: version})
	if err != nil {
		return err
	}
	htmlPath, jsonPath, err := rep.WriteFiles(work)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := rep.JSON(stdout); err != nil {
			return err
		}
	} else if err := writeFindings(stdout, rep.Errors); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Granskningsrapporten för %s: %s (och %s) i arbetsytan; den checkas aldrig in.\n",
		id, r.Rel(htmlPath), filepath.Base(jsonPath))
	fmt.Fprintf(stderr, "%d %s (%d %s), %d P-%s, %d %s om känsliga uppgifter, %d %s.\n",
		len(rep.Masked), plural(len(rep.Masked), "maskad cell", "maskade celler"), rep.Masks, plural(rep.Masks, "maskning", "maskningar"),
		len(rep.Private), plural(len(rep.Private), "markerad rad", "markerade rader"),
		len(rep.Hints), plural(len(rep.Hints), "tips", "tips"), len(rep.Acks), plural(len(rep.Acks), "kvittering", "kvitteringar"))
	switch rep.Status {
	case review.StatusErrors:
		fmt.Fprintf(stderr, "Godkänn inte: ärendet har %d fel som ett godkännande inte rättar (se rapporten eller processor validate %s).\n", rep.Blocking, r.Rel(dir))
		return errFindings
	case review.StatusNoDecision:
		fmt.Fprintf(stderr, "Steget %s är inte registrerat ännu: det finns inget beslut att godkänna.\n", rep.Decision.Step)
	case review.StatusApproved:
		fmt.Fprintf(stderr, "Beslutet är redan godkänt (%s, %s) för exakt dessa filer.\n", rep.Approval.Existing.Date, rep.Approval.Existing.Signer)
	default:
		fmt.Fprintf(stderr, "Godkännandet binder granskningsbok_sha256 %s och råexport_sha256 %s: %s\n",
			rep.Approval.WorkbookSHA256, rep.Approval.RawSHA256, rep.Approval.Command)
	}
	return nil
}

// granskaMail writes the review report of an e-post case, as runGranska does for a log.
func granskaMail(r *repo.Repo, dir, work string, checked validate.Checked, opts review.Options, asJSON bool, stdout, stderr io.Writer) error {
	rep, err := review.BuildMail(r, checked, opts)
	if err != nil {
		return err
	}
	id := rep.Case
	htmlPath, jsonPath, err := rep.WriteFiles(work)
	if err != nil {
		return err
	}
	if asJSON {
		if err := rep.JSON(stdout); err != nil {
			return err
		}
	} else if err := writeFindings(stdout, rep.Errors); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Granskningsrapporten för %s: %s (och %s) i arbetsytan; den checkas aldrig in.\n",
		id, r.Rel(htmlPath), filepath.Base(jsonPath))
	fmt.Fprintf(stderr, "%d %s, %d %s, %d lämnas inte ut, %d %s lämnas inte ut, %d %s från inläsningen.\n",
		rep.Mails, plural(rep.Mails, "e-postmeddelande", "e-postmeddelanden"), rep.Masks, plural(rep.Masks, "maskning", "maskningar"),
		rep.Withheld, rep.WithheldAttachments, plural(rep.WithheldAttachments, "bilaga", "bilagor"),
		rep.Notes, plural(rep.Notes, "anteckning", "anteckningar"))
	switch rep.Status {
	case review.StatusErrors:
		fmt.Fprintf(stderr, "Godkänn inte: ärendet har %d fel som ett godkännande inte rättar (se rapporten eller processor validate %s).\n", rep.Blocking, r.Rel(dir))
		return errFindings
	case review.StatusNoDecision:
		fmt.Fprintf(stderr, "Steget %s är inte registrerat ännu: det finns inget beslut att godkänna.\n", rep.Decision.Step)
	case review.StatusApproved:
		fmt.Fprintf(stderr, "Beslutet är redan godkänt (%s, %s) för exakt dessa filer.\n", rep.Approval.Existing.Date, rep.Approval.Existing.Signer)
	default:
		fmt.Fprintf(stderr, "Godkännandet binder %s %s och %s %s: %s\n", workflow.ApprovalMailKey, rep.Approval.MailSHA256,
			workflow.ApprovalRawKey, rep.Approval.RawSHA256, rep.Approval.Command)
	}
	return nil
}

// granskaCaseDir resolves the command's case: a case folder, its request.md, or a bare case
// id (ÅÅÅÅ-NNNN) in the repository's cases folder.
func granskaCaseDir(r *repo.Repo, arg string) (string, error) {
	dirs, err := caseDirs(r, []string{arg})
	if err != nil {
		return "", err
	}
	if len(dirs) != 1 {
		return "", usageError{fmt.Sprintf("%s är inte ett ärende", arg)}
	}
	return dirs[0], nil
}
