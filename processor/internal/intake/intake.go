// Package intake imports a case's raw export into its review workbook and records the
// import step (file, SHA-256, rows) in request.md. Nothing is written unless the export reads
// cleanly, and a workbook a registrator may have worked in is never overwritten.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Options of an import.
type Options struct {
	File   string    // the raw export's name in the raw folder; "" = the only one there
	Signer string    // signature recorded in the step
	Today  date.Date // date recorded in the step
	// MinAge refuses a raw export modified less than this long ago (it may still be being
	// copied), unless it is the very file already imported (same SHA-256). 0: no check (the
	// watcher waits for the file to stop changing itself).
	MinAge time.Duration
	// Now is the time MinAge is measured from; nil: time.Now.
	Now func() time.Time
	// Context stops the import (Ctrl-C, SIGTERM): Run then returns an error that wraps
	// ErrInterrupted and the context's error, having written nothing and removed the
	// temporary files of the read. Once the workbook is being written, the import is
	// finished instead (the workbook and request.md are written together). nil: never.
	Context context.Context
}

// Result says what an import did.
type Result struct {
	Raw       string // path of the raw export (relative to the root)
	Workbook  string // path of the review workbook
	SHA256    string
	Rows      int
	Encoding  string
	Step      string // the step recorded, or "" when it was already there
	Unchanged bool   // the export was already imported and the workbook is kept
	// Reimported: the raw export had changed after the import but before anything was
	// marked or masked: the workbook was written again from it and the import step's file,
	// SHA-256 and rows updated. OldSHA256 is what the step said before.
	Reimported bool
	OldSHA256  string
	// Mail: e-mails were imported (an e-post case): Raw is the export folder, Workbook the
	// review texts' folder, Rows the number of e-mails.
	Mail bool
	// Notes are what the e-mail reader decided where a file was unclear (a charset guessed,
	// hidden HTML text found), and the files it did not read, for the reviewer.
	Notes []string
}

// Summary says in Swedish what the import did, in one sentence.
func (res *Result) Summary() string {
	switch {
	case res.Mail && res.Unchanged:
		return fmt.Sprintf("e-postmeddelandena i %s är redan importerade (samma SHA-256 %s…); granskningstexterna i %s behålls som de är", res.Raw, short(res.SHA256), res.Workbook)
	case res.Mail && res.Step == "":
		return fmt.Sprintf("granskningstexter som saknades i %s har skrivits på nytt från %s", res.Workbook, res.Raw)
	case res.Mail:
		return fmt.Sprintf("importerade %d e-postmeddelanden från %s (SHA-256 %s…) till granskningstexter i %s och registrerade steget %s; maska texterna och skriv ett beslut för varje meddelande i e-postbeslut",
			res.Rows, res.Raw, short(res.SHA256), res.Workbook, res.Step)
	case res.Reimported:
		return fmt.Sprintf("råexporten hade ändrats innan något maskats: importerad igen, ny SHA-256 %s… (förut %s…), %d rader, till %s; steget %s är uppdaterat",
			short(res.SHA256), short(res.OldSHA256), res.Rows, res.Workbook, res.Step)
	case res.Unchanged:
		return fmt.Sprintf("%s är redan importerad (samma SHA-256 %s…); %s behålls som den är", res.Raw, short(res.SHA256), res.Workbook)
	case res.Step == "":
		return fmt.Sprintf("%s fanns inte och har skrivits på nytt från %s (%d rader)", res.Workbook, res.Raw, res.Rows)
	}
	return fmt.Sprintf("importerade %d e-mail från %s (%s, SHA-256 %s…) till %s och registrerade steget %s",
		res.Rows, res.Raw, res.Encoding, short(res.SHA256), res.Workbook, res.Step)
}

func short(sha string) string { return sha[:min(12, len(sha))] }

// ErrFindings means the raw export has problems; they are in the returned findings.
var ErrFindings = errors.New("råexporten har fel")

// ErrRecent means the raw export was modified less than Options.MinAge ago.
var ErrRecent = errors.New("råexporten ändrades nyss")

// ErrInterrupted means the import was stopped through Options.Context.
var ErrInterrupted = errors.New("importen avbröts")

// interruptedError is an import stopped by its context: it is ErrInterrupted and the
// context's error.
type interruptedError struct{ cause error }

func (e interruptedError) Error() string {
	return ErrInterrupted.Error() + " innan något skrevs: ingenting har importerats, och läsningens tillfälliga filer är borttagna"
}

func (e interruptedError) Unwrap() []error { return []error{ErrInterrupted, e.cause} }

// interrupted is the error of an import stopped by ctx, or nil.
func interrupted(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return interruptedError{err}
	}
	return nil
}

// Run imports the raw export of the case in dir.
func Run(r *repo.Repo, dir string, opts Options) (*Result, finding.List, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if err := interrupted(ctx); err != nil {
		return nil, nil, err
	}
	checked := validate.Case(r, dir, validate.Options{Today: opts.Today, FrontMatterOnly: true})
	c, rec := checked.Case, checked.Record
	if c == nil || rec == nil {
		if len(checked.Findings) > 0 {
			return nil, checked.Findings, fmt.Errorf("front matter i %s måste gå att läsa före importen", r.Rel(filepath.Join(dir, casefile.FileName)))
		}
		return nil, nil, fmt.Errorf("%s är inget ärende", r.Rel(dir))
	}
	t := rec.Type
	if t.Mail != nil {
		return runMail(ctx, r, dir, c, rec, opts)
	}
	spec := t.Workbook
	if spec == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s har ingen granskningsbok att importera till", t.Name)
	}
	step, fileField, shaField, rowsField := ImportStep(t)
	if step == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s anger inget steg med ett fält som stämmer_med: %s", t.Name, workflow.FactRawSHA256)
	}
	if err := checkSigner(r, opts.Signer); err != nil {
		return nil, nil, err
	}

	want := opts.File
	recorded, done := rec.Recorded(step.Name)
	if want == "" && done {
		if v := rec.Value(spec.RawFile); v != nil {
			want = v.Text
		}
	}
	rawDir := r.RawDir(dir, c.ID)
	if rawDir == "" {
		return nil, nil, fmt.Errorf("ärendet har ingen arbetsyta")
	}
	rawPath, err := export.Find(rawDir, want)
	if err != nil && done && opts.File == "" {
		// The recorded file is gone: another one in its place may be a new export, which is
		// imported again if nothing was masked yet (below).
		if other, oerr := export.Find(rawDir, ""); oerr == nil {
			rawPath, err = other, nil
		}
	}
	if err != nil {
		if legacy, lerr := export.Find(r.LegacyRawDir(dir), want); lerr == nil {
			return nil, nil, fmt.Errorf("råexporten ligger i den gamla mappen %s: flytta den till arbetsytans %s (utanför git) och importera igen",
				r.Rel(legacy), r.Rel(rawDir)+string(filepath.Separator))
		}
		if _, serr := os.Stat(rawDir); serr != nil {
			return nil, nil, fmt.Errorf("ingen råexport: lägg exporten från Microsoft 365 i arbetsytans mapp %s (den finns inte ännu; arbetsytan ligger utanför git)",
				r.Rel(rawDir)+string(filepath.Separator))
		}
		return nil, nil, err
	}
	info, err := os.Stat(rawPath)
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa råexporten %s: %w", r.Rel(rawPath), err)
	}
	var recordedSHA string
	if v := rec.Value("steg." + step.Name + "." + shaField); done && v != nil {
		recordedSHA = v.Text
	}
	if err := checkAge(rawPath, r.Rel(rawPath), info.ModTime(), recordedSHA, opts); err != nil {
		return nil, nil, err
	}
	employee := ""
	if v := rec.Value(spec.Employee); v != nil {
		employee = v.Text
	}
	// excelize's temporary files (the raw export's text) stay in the working area, in a
	// folder the read removes again, whatever happens.
	log, fs, err := export.ReadWith(rawPath, r.Rel(rawPath), spec, employee, export.ReadOptions{
		Context: ctx, TmpDir: filepath.Join(r.WorkArea(dir, c.ID), export.TmpFolder)})
	if ierr := interrupted(ctx); ierr != nil {
		return nil, nil, ierr
	}
	if err != nil {
		return nil, nil, err
	}
	if fs.HasErrors() {
		return nil, fs, ErrFindings
	}
	res := &Result{Raw: r.Rel(rawPath), SHA256: log.SHA256, Rows: len(log.Rows), Encoding: log.Encoding}
	wbPath, released := validate.WorkbookPath(r, dir, c.ID, t, rec)
	if released {
		return nil, nil, fmt.Errorf("ärendet är redan utlämnat (steget %s är registrerat); den utlämnade granskningsboken ändras inte", t.Disclosure.Created)
	}
	if wbPath == "" {
		return nil, nil, fmt.Errorf("ärendet har ingen arbetsyta")
	}
	res.Workbook = r.Rel(wbPath)
	_, statErr := os.Stat(wbPath)
	exists := statErr == nil

	if done {
		if recordedSHA != "" && recordedSHA != log.SHA256 {
			if untouched(r, c, rec, step, wbPath, exists) {
				if err := interrupted(ctx); err != nil {
					return nil, nil, err
				}
				return reimport(r, dir, c, spec, step, fileField, shaField, rowsField, rawPath, wbPath, log, res, recordedSHA)
			}
			return nil, nil, fmt.Errorf("råexporten har ändrats efter importen %s: SHA-256 i request.md är %s, filen har %s; ta fram den ursprungliga filen, eller beställ och registrera en ny export",
				recorded.Date, recordedSHA, log.SHA256)
		}
		if want != "" && filepath.Base(rawPath) != want {
			return nil, nil, fmt.Errorf("råexporten %s finns inte i %s", want, r.Rel(rawDir))
		}
		if exists {
			res.Unchanged = true
			return res, nil, nil
		}
		if err := interrupted(ctx); err != nil {
			return nil, nil, err
		}
		// Recorded, but the workbook is gone (e.g. deleted by mistake): write it again.
		return res, nil, write(wbPath, spec, log, c.ID)
	}
	if exists {
		return nil, nil, fmt.Errorf("%s finns redan men importen är inte registrerad; flytta undan filen om den ska ersättas (den kan innehålla markeringar och maskningar)", res.Workbook)
	}
	data, err := os.ReadFile(filepath.Join(dir, casefile.FileName))
	if err != nil {
		return nil, nil, err
	}
	fields := []casefile.Field{{Key: "datum", Value: opts.Today.String()}, {Key: "av", Value: opts.Signer}}
	if fileField != "" {
		fields = append(fields, casefile.Field{Key: fileField, Value: filepath.Base(rawPath)})
	}
	fields = append(fields, casefile.Field{Key: shaField, Value: log.SHA256})
	if rowsField != "" {
		fields = append(fields, casefile.Field{Key: rowsField, Value: strconv.Itoa(len(log.Rows))})
	}
	updated, fs, err := withImportStep(r, dir, c, t, step, data, fields, opts.Today)
	if err != nil {
		return nil, fs, err
	}
	if err := interrupted(ctx); err != nil {
		return nil, nil, err
	}
	if err := write(wbPath, spec, log, c.ID); err != nil {
		return nil, nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, casefile.FileName), updated, 0o644); err != nil {
		os.Remove(wbPath) // keep the two in step: no workbook without its recorded import
		return nil, nil, err
	}
	res.Step = step.Name
	return res, nil, nil
}

// checkAge refuses a raw export modified less than opts.MinAge ago: it may still be being
// copied, and an import of half a file records the wrong SHA-256. The file already imported
// (its SHA-256 is the recorded one) is whole by definition and passes.
func checkAge(path, name string, mod time.Time, recordedSHA string, opts Options) error {
	if opts.MinAge <= 0 {
		return nil
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	age := now().Sub(mod)
	if age >= opts.MinAge || age <= -opts.MinAge { // (far in the future: another clock, not a copy)
		return nil
	}
	if recordedSHA != "" {
		if data, err := os.ReadFile(path); err == nil {
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) == recordedSHA {
				return nil
			}
		}
	}
	return fmt.Errorf("%w (%s, för %d ms sedan): den kan fortfarande kopieras; vänta tills kopieringen är klar och kör igen. Ingenting har importerats",
		ErrRecent, name, max(age, 0).Milliseconds())
}

// untouched reports whether a changed raw export may simply be imported again: no step after
// the import is recorded, and the workbook (when there is one) has no mask, no reference
// that fails to read and no marking: nothing a registrator did would be lost.
func untouched(r *repo.Repo, c *casefile.Case, rec *workflow.Record, step *workflow.Step, wbPath string, exists bool) bool {
	t := rec.Type
	for _, p := range c.Steps {
		s, ok := t.Step(p.Key)
		if !ok || s.Index > step.Index {
			return false
		}
	}
	if !exists {
		return true
	}
	rev, _, err := workbook.ReadReview(wbPath, r.Rel(wbPath), t.Workbook)
	if err != nil {
		return false // cannot tell (Excel may be saving it): keep it
	}
	markCol := len(t.Workbook.Columns) + 1
	for _, row := range rev.Rows {
		for i, cell := range row.Cells {
			switch {
			case i == 0:
			case i == markCol:
				if strings.TrimSpace(cell) != "" {
					return false
				}
			default:
				if segs, problems := mask.Split(cell); mask.HasMask(segs) || len(problems) > 0 {
					return false
				}
			}
		}
	}
	return true
}

// reimport writes the workbook again from the changed raw export and updates the recorded
// import step's file, SHA-256 and rows; the rest of request.md is kept byte for byte.
func reimport(r *repo.Repo, dir string, c *casefile.Case, spec *workflow.WorkbookSpec, step *workflow.Step, fileField, shaField, rowsField, rawPath, wbPath string,
	log *export.Log, res *Result, old string) (*Result, finding.List, error) {
	file := filepath.Join(dir, casefile.FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	current, fs := casefile.Parse(dir, c.File, data)
	if current.Root == nil {
		return nil, fs, fmt.Errorf("front matter i %s måste gå att läsa före importen", c.File)
	}
	var fields []casefile.Field
	if fileField != "" {
		fields = append(fields, casefile.Field{Key: fileField, Value: filepath.Base(rawPath)})
	}
	fields = append(fields, casefile.Field{Key: shaField, Value: log.SHA256})
	if rowsField != "" {
		fields = append(fields, casefile.Field{Key: rowsField, Value: strconv.Itoa(len(log.Rows))})
	}
	updated, err := casefile.ReplaceStepValues(data, current, step.Name, fields)
	if err != nil {
		return nil, nil, fmt.Errorf("råexporten hade ändrats innan något maskats men kan inte importeras igen: %w", err)
	}
	before, readErr := os.ReadFile(wbPath)
	if err := write(wbPath, spec, log, c.ID); err != nil {
		return nil, nil, err
	}
	if err := atomicfile.Write(file, updated, 0o644); err != nil {
		// Keep the two in step: put the workbook of the recorded import back.
		if readErr == nil {
			atomicfile.Write(wbPath, before, 0o644)
		} else {
			os.Remove(wbPath)
		}
		return nil, nil, err
	}
	res.Reimported, res.OldSHA256, res.Step = true, old, step.Name
	return res, nil, nil
}

func write(path string, spec *workflow.WorkbookSpec, log *export.Log, id string) error {
	// The working area is the case's own: not readable by others on a shared machine.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("arbetsytan kan inte skapas: %w", err)
	}
	rows := make([][]workbook.Cell, len(log.Rows))
	for i, row := range log.Rows {
		rows[i] = row.Cells()
		for j, v := range rows[i] {
			if text, ok := v.(string); ok {
				rows[i][j] = mask.Escape(text) // bracket text of the raw export is no mask
			}
		}
	}
	return workbook.WriteReview(path, spec, rows, workbook.Meta{Title: "E-postlogg " + id, Subject: "Granskningsbok för ärende " + id,
		TmpDir: filepath.Join(filepath.Dir(path), export.TmpFolder)})
}

// ImportStep finds the step that records an import: the one with a field compared with the
// raw export's SHA-256. It returns the keys of its file, SHA-256 and row-count fields.
func ImportStep(t *workflow.Type) (step *workflow.Step, fileKey, shaKey, rowsKey string) {
	for _, s := range t.Steps {
		for _, f := range s.Fields {
			if f.Matches == workflow.FactRawSHA256 {
				step, shaKey = s, f.Key
			}
		}
		if step == nil {
			continue
		}
		for _, f := range s.Fields {
			switch {
			case f.Matches == workflow.FactRows:
				rowsKey = f.Key
			case t.Workbook != nil && f.Path == t.Workbook.RawFile:
				fileKey = f.Key
			case t.Mail != nil && f.Kind == workflow.KindText:
				fileKey = f.Key // the export's name
			case t.Mail != nil && f.Kind == workflow.KindInt:
				rowsKey = f.Key // the number of e-mails
			}
		}
		return step, fileKey, shaKey, rowsKey
	}
	return nil, "", "", ""
}

// withImportStep returns request.md's bytes (data) with the import step and its fields
// added, after checking that the step fits: the earlier steps recorded, the dates in order.
// The findings at the step are returned with an error when it does not.
func withImportStep(r *repo.Repo, dir string, c *casefile.Case, t *workflow.Type, step *workflow.Step, data []byte, fields []casefile.Field, today date.Date) ([]byte, finding.List, error) {
	updated, err := casefile.AddStep(data, c, step.Name, fields)
	if err != nil {
		return nil, nil, err
	}
	again, fs := casefile.Parse(dir, c.File, updated)
	if again.Root == nil {
		return nil, fs, fmt.Errorf("internt fel: request.md skulle inte gå att läsa efter importen; inget har skrivits")
	}
	rec, fs := workflow.Check(again, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: today})
	if rs, ok := rec.Recorded(step.Name); ok {
		var blocking finding.List
		for _, f := range fs {
			if f.Line == rs.KeyN.Line || f.Line > rs.KeyN.Line && f.Line <= rs.KeyN.Line+len(fields) {
				blocking = append(blocking, f)
			}
		}
		if blocking.HasErrors() {
			return nil, blocking, fmt.Errorf("importen kan inte registreras i %s än: registrera stegen före %s först; inget har skrivits", c.File, step.Name)
		}
	}
	return updated, nil, nil
}

// checkSigner: who imports must be a person in the settings.
func checkSigner(r *repo.Repo, signer string) error {
	if signer == "" {
		return fmt.Errorf("ange vem som importerar: --av SIGNATUR")
	}
	if _, ok := r.Settings.Person(signer); !ok {
		return fmt.Errorf("signaturen %q finns inte i installningar.yaml", signer)
	}
	return nil
}
