// Package intake imports a case's raw export into its review workbook and records the
// import step (file, SHA-256, rows) in request.md. Nothing is written unless the export reads
// cleanly, and a workbook a registrator may have worked in is never overwritten.
package intake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
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
}

// ErrFindings means the raw export has problems; they are in the returned findings.
var ErrFindings = errors.New("råexporten har fel")

// Run imports the raw export of the case in dir.
func Run(r *repo.Repo, dir string, opts Options) (*Result, finding.List, error) {
	checked := validate.Case(r, dir, validate.Options{Today: opts.Today, FrontMatterOnly: true})
	c, rec := checked.Case, checked.Record
	if c == nil || rec == nil {
		if len(checked.Findings) > 0 {
			return nil, checked.Findings, fmt.Errorf("front matter i %s måste gå att läsa före importen", r.Rel(filepath.Join(dir, casefile.FileName)))
		}
		return nil, nil, fmt.Errorf("%s är inget ärende", r.Rel(dir))
	}
	t := rec.Type
	spec := t.Workbook
	if spec == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s har ingen granskningsbok att importera till", t.Name)
	}
	step, fileField, shaField, rowsField := importStep(t)
	if step == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s anger inget steg med ett fält som stämmer_med: %s", t.Name, workflow.FactRawSHA256)
	}
	if opts.Signer == "" {
		return nil, nil, fmt.Errorf("ange vem som importerar: --av SIGNATUR")
	}
	if _, ok := r.Settings.Person(opts.Signer); !ok {
		return nil, nil, fmt.Errorf("signaturen %q finns inte i installningar.yaml", opts.Signer)
	}

	want := opts.File
	recorded, done := rec.Recorded(step.Name)
	if want == "" && done {
		if v := rec.Value(spec.RawFile); v != nil {
			want = v.Text
		}
	}
	rawDir := r.RawDir(dir, c.ID)
	rawPath, err := export.Find(rawDir, want)
	if err != nil {
		return nil, nil, err
	}
	employee := ""
	if v := rec.Value(spec.Employee); v != nil {
		employee = v.Text
	}
	log, fs, err := export.Read(rawPath, r.Rel(rawPath), spec, employee)
	if err != nil {
		return nil, nil, err
	}
	if fs.HasErrors() {
		return nil, fs, ErrFindings
	}
	res := &Result{Raw: r.Rel(rawPath), SHA256: log.SHA256, Rows: len(log.Rows), Encoding: log.Encoding}
	wbPath := filepath.Join(dir, spec.File)
	res.Workbook = r.Rel(wbPath)
	_, statErr := os.Stat(wbPath)
	exists := statErr == nil

	if done {
		sha := rec.Value("steg." + step.Name + "." + shaField)
		if sha != nil && sha.Text != "" && sha.Text != log.SHA256 {
			return nil, nil, fmt.Errorf("råexporten har ändrats efter importen %s: SHA-256 i request.md är %s, filen har %s; ta fram den ursprungliga filen, eller beställ och registrera en ny export",
				recorded.Date, sha.Text, log.SHA256)
		}
		if exists {
			res.Unchanged = true
			return res, nil, nil
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
	updated, err := casefile.AddStep(data, c, step.Name, fields)
	if err != nil {
		return nil, nil, err
	}
	again, fs := casefile.Parse(dir, c.File, updated)
	if again.Root == nil {
		return nil, fs, fmt.Errorf("internt fel: request.md skulle inte gå att läsa efter importen; inget har skrivits")
	}
	// The import step must fit: earlier steps recorded, dates in order.
	rec2, fs := workflow.Check(again, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: opts.Today})
	if rs, ok := rec2.Recorded(step.Name); ok {
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

func write(path string, spec *workflow.WorkbookSpec, log *export.Log, id string) error {
	rows := make([][]workbook.Cell, len(log.Rows))
	for i, row := range log.Rows {
		rows[i] = row.Cells()
	}
	return workbook.WriteReview(path, spec, rows, workbook.Meta{Title: "E-postlogg " + id, Subject: "Granskningsbok för ärende " + id})
}

// importStep finds the step that records an import: the one with a field compared with the
// raw export's SHA-256. It returns the keys of its file, SHA-256 and row-count fields.
func importStep(t *workflow.Type) (step *workflow.Step, fileKey, shaKey, rowsKey string) {
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
			}
		}
		return step, fileKey, shaKey, rowsKey
	}
	return nil, "", "", ""
}
