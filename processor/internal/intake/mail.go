package intake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/internal/mailtext"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/workflow"
)

// runMail imports the e-mails of an e-post case: the messages in the working area's
// export/ (.eml and .msg files, folders or zips of them, as Purview exports them) are read,
// each is matched to its requested row of the released log, and one review text per
// requested e-mail is written to the working area's e-post/NNNN.txt; the import step records
// the export, its SHA-256 and the number of e-mails. Every problem is reported at once and
// nothing is written unless every requested row has its e-mail and every e-mail a row.
func runMail(ctx context.Context, r *repo.Repo, dir string, c *casefile.Case, rec *workflow.Record, opts Options) (*Result, finding.List, error) {
	t := rec.Type
	m := t.Mail
	step, fileField, shaField, countField := ImportStep(t)
	if step == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s anger inget steg med ett fält som stämmer_med: %s", t.Name, workflow.FactRawSHA256)
	}
	work := r.WorkArea(dir, c.ID)
	if work == "" {
		return nil, nil, fmt.Errorf("ärendet har ingen arbetsyta")
	}
	exportDir := filepath.Join(work, mailcase.ExportFolder)
	if _, err := os.Stat(exportDir); err != nil {
		return nil, nil, fmt.Errorf("inga e-postmeddelanden: lägg Purviews export (.eml- eller .msg-filer, en mapp eller en zip) i arbetsytans mapp %s (den finns inte ännu; arbetsytan ligger utanför git)",
			r.Rel(exportDir)+string(filepath.Separator))
	}
	// A file still being copied into the export folder is not read: the newest must have
	// been still for MinAge (as for the log's export).
	if opts.MinAge > 0 {
		var newest time.Time
		newestName := ""
		_ = filepath.WalkDir(exportDir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil && info.ModTime().After(newest) {
					newest, newestName = info.ModTime(), r.Rel(p)
				}
			}
			return nil
		})
		if newestName != "" {
			if err := checkAge("", newestName, newest, "", opts); err != nil {
				return nil, nil, err
			}
		}
	}
	var fs finding.List
	logCase := ""
	if v := rec.Value(m.LogCase); v != nil {
		logCase = v.Text
	}
	requested, line := mailcase.Requested(rec, m)
	if len(requested) == 0 {
		fs.Add(c.File, line, 0, workflow.RuleMailDecision, "inga e-postmeddelanden är begärda", "skriv Nr i den utlämnade e-postloggen för varje begärt meddelande: begärda_e-post: [7, 12]")
	}
	log, lfs := mailcase.LogOf(r, rec, m, c.File)
	fs = append(fs, lfs...)
	if logCase == "" {
		fs.Add(c.File, 0, 0, mailcase.RuleLogCase, "e-postlogg_ärende saknas", "ange ärendet där e-postloggen lämnades ut, t.ex. e-postlogg_ärende: 2026-0001")
	}
	src, err := mailcase.ReadSource(work)
	if ierr := interrupted(ctx); ierr != nil {
		return nil, nil, ierr
	}
	if src == nil {
		return nil, fs, err
	}
	var serr *mailfile.SourceError
	if errors.As(err, &serr) {
		for _, e := range serr.Errs {
			fs.Add(r.Rel(exportDir), 0, 0, mailcase.RuleSource, finding.Printable(e.Error()), "ta bort eller ersätt filen; en .pst exporteras som enskilda meddelanden i Purview, eller packas upp med readpst -e (Debians pst-utils)")
		}
	} else if err != nil {
		fs.Add(r.Rel(exportDir), 0, 0, mailcase.RuleSource, finding.Printable(err.Error()), "lägg Purviews export i arbetsytans export/")
	}
	if len(src.Messages) == 0 && err == nil {
		fs.Add(r.Rel(exportDir), 0, 0, mailcase.RuleSource, "mappen har inga e-postmeddelanden (.eml eller .msg)", "lägg Purviews export i mappen; rapportfilerna (Items.csv, Summary.csv) räcker inte")
	}
	var matched map[int]*mailfile.Message
	if log != nil && len(src.Messages) > 0 {
		var mfs finding.List
		matched, mfs = mailcase.Match(log, requested, src.Messages, c.File, line)
		fs = append(fs, mfs...)
	}
	if fs.HasErrors() {
		return nil, fs, ErrFindings
	}
	if err := checkSigner(r, opts.Signer); err != nil {
		return nil, nil, err
	}
	folder, released := mailcase.TextsFolder(r, dir, c.ID, t, rec)
	if released {
		return nil, nil, fmt.Errorf("ärendet är redan utlämnat (steget %s är registrerat); de utlämnade texterna ändras inte", t.Disclosure.Created)
	}
	res := &Result{Raw: r.Rel(exportDir), Workbook: r.Rel(folder), SHA256: src.SHA256, Rows: len(matched), Encoding: "e-post", Mail: true}
	for _, msg := range src.Messages {
		for _, n := range msg.Notes {
			res.Notes = append(res.Notes, msg.File+": "+n)
		}
	}
	for _, s := range src.Skipped {
		res.Notes = append(res.Notes, s.File+": inte läst ("+s.Reason+")")
	}
	_, done := rec.Recorded(step.Name)
	var recordedSHA string
	if v := rec.Value("steg." + step.Name + "." + shaField); done && v != nil {
		recordedSHA = v.Text
	}
	// The texts to write: the missing ones (all, on the first import).
	var missing []int
	for _, nr := range requested {
		if _, err := os.Stat(filepath.Join(folder, mailtext.FileName(nr))); err != nil {
			missing = append(missing, nr)
		}
	}
	if done {
		if recordedSHA != "" && recordedSHA != src.SHA256 {
			return nil, nil, fmt.Errorf("exporten har ändrats efter importen: SHA-256 i request.md är %s, exporten har %s; lägg tillbaka den ursprungliga exporten, eller registrera en rättelse av steget %s och importera igen",
				recordedSHA, src.SHA256, step.Name)
		}
		if len(missing) == 0 {
			res.Unchanged = true
			return res, nil, nil
		}
		if err := writeTexts(folder, matched, missing); err != nil {
			return nil, nil, err
		}
		return res, nil, nil // recorded already: the missing texts written again
	}
	if len(missing) < len(requested) {
		return nil, nil, fmt.Errorf("granskningstexter finns redan i %s men importen är inte registrerad; flytta undan dem om de ska ersättas (de kan innehålla maskningar)", res.Workbook)
	}
	data, err := os.ReadFile(filepath.Join(dir, casefile.FileName))
	if err != nil {
		return nil, nil, err
	}
	fields := []casefile.Field{{Key: "datum", Value: opts.Today.String()}, {Key: "av", Value: opts.Signer}}
	if fileField != "" {
		fields = append(fields, casefile.Field{Key: fileField, Value: mailcase.ExportFolder})
	}
	fields = append(fields, casefile.Field{Key: shaField, Value: src.SHA256})
	if countField != "" {
		fields = append(fields, casefile.Field{Key: countField, Value: strconv.Itoa(len(matched))})
	}
	updated, bfs, err := withImportStep(r, dir, c, t, step, data, fields, opts.Today)
	if err != nil {
		return nil, bfs, err
	}
	if err := interrupted(ctx); err != nil {
		return nil, nil, err
	}
	if err := writeTexts(folder, matched, requested); err != nil {
		return nil, nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, casefile.FileName), updated, 0o644); err != nil {
		for _, nr := range requested { // keep the two in step: no texts without their recorded import
			os.Remove(filepath.Join(folder, mailtext.FileName(nr)))
		}
		return nil, nil, err
	}
	res.Step = step.Name
	return res, nil, nil
}

// writeTexts writes the review texts of the e-mails nrs.
func writeTexts(folder string, matched map[int]*mailfile.Message, nrs []int) error {
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return fmt.Errorf("arbetsytan kan inte skapas: %w", err)
	}
	for _, nr := range nrs {
		msg := matched[nr]
		if msg == nil {
			continue
		}
		if err := atomicfile.Write(filepath.Join(folder, mailtext.FileName(nr)), []byte(mailtext.Render(msg)), 0o600); err != nil {
			return err
		}
	}
	return nil
}
