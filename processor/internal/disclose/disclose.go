// Package disclose builds a case's disclosure: the PDF (cover letter and complete e-mail log
// with masks) and its manifest, from the committed inputs only, so the same inputs give a
// byte-identical PDF. Before a PDF is accepted it is checked: pdfcpu validation, no masked
// raw text in anything written, the font embedded. A failed build keeps the previous PDF.
package disclose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	pdfvalidate "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/pdfdoc"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/render"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Folder is the case's folder of generated, committed disclosure files.
const Folder = "utlamnande"

// ManifestFile is the manifest in Folder.
const ManifestFile = "manifest.json"

// PDFName is the disclosure PDF's file name for a case.
func PDFName(id string) string { return id + "-utlamnande.pdf" }

func init() {
	model.ConfigPath = "disable" // pdfcpu must not read or write a per-user config folder
}

// Options of a build.
type Options struct {
	Today   date.Date
	Version string // the processor's version, in the PDF and the manifest
	Force   bool   // build even when the manifest says nothing changed
	// Checked, when given, is the case in dir just validated (by the watcher), so it is not
	// validated again. Its workbook is released as the build goes.
	Checked *validate.Checked
}

// Result says what a build did.
type Result struct {
	PDF      string // path relative to the root
	Manifest string
	Built    bool // false: up to date, nothing written
	Pages    int
	Rows     int
	Masks    int
	Took     time.Duration
	// RawChecked: the raw export was here, so the masked raw text was looked for in the PDF.
	RawChecked bool
	// Mail: an e-post case's disclosure (Rows are its released e-mails).
	Mail bool
	// Frozen: the case is released; its PDF is left as it was released.
	Frozen bool
}

// ErrNotReady means the case has findings (in the returned list) or lacks its decision.
var ErrNotReady = errors.New("ärendet är inte klart för utlämnande")

// Manifest records what a disclosure was built from and what it is.
type Manifest struct {
	Case      string            `json:"ärende"`
	Processor string            `json:"processor"`
	Inputs    map[string]string `json:"indata"`     // name → SHA-256
	InputHash string            `json:"indatahash"` // over the inputs that decide the PDF's bytes
	Outputs   map[string]string `json:"utdata"`     // file → SHA-256
	Pages     int               `json:"sidor"`
	Rows      int               `json:"rader"`
	Masks     int               `json:"maskningar"`
}

// plan is what a build of one case writes, worked out from its inputs.
type plan struct {
	id           string
	model        *render.Disclosure
	when         time.Time
	inputs       map[string]string // name → SHA-256, including those kept only for the audit
	inputHash    string            // over the inputs that decide the PDF's bytes
	pdfPath      string
	manifestPath string
	spans        [][]string // masked raw spans, when the raw export was here
	// workbook is the approved workbook's bytes, released beside the PDF at workbookPath
	// (nil once it is there: the release copy is then what was validated).
	workbook     []byte
	workbookPath string
	// For an e-post case: its model (model is nil), and the approved texts to release
	// beside the PDF (path → bytes; nil once they are there).
	mailModel *render.MailDisclosure
	release   map[string][]byte
	// released: the case's release step is recorded: what was released is history and is
	// never written again (a later letter template or processor gives another PDF).
	released bool
}

// prepare validates the case in dir and works out its disclosure model and inputs.
func prepare(r *repo.Repo, dir string, opts Options) (*plan, finding.List, error) {
	checked := validate.Again(r, dir, opts.Checked, validate.Options{Today: opts.Today})
	if checked.Case == nil || checked.Record == nil {
		return nil, checked.Findings, ErrNotReady
	}
	c, rec, ev := checked.Case, checked.Record, checked.Evidence
	t := rec.Type
	if t.Disclosure == nil || t.Workbook == nil && t.Mail == nil {
		return nil, nil, fmt.Errorf("ärendetypen %s har inget utlämnande att bygga", t.Name)
	}
	if blocking := checked.Findings.Errors(); len(blocking) > 0 {
		return nil, blocking, ErrNotReady
	}
	if t.Mail != nil {
		p, fs, err := prepareMail(r, dir, checked, opts)
		if p != nil {
			p.released = isReleased(t, rec)
		}
		return p, fs, err
	}
	decision, ok := rec.Recorded(t.Disclosure.Decision)
	if !ok {
		return nil, nil, fmt.Errorf("%w: steget %s är inte registrerat", ErrNotReady, t.Disclosure.Decision)
	}
	if !rec.Approved(decision.Step.Name) {
		return nil, nil, fmt.Errorf("%w: steget %s är inte godkänt av en granskare", ErrNotReady, t.Disclosure.Decision)
	}
	if ev == nil || ev.Review == nil {
		where := t.Workbook.File
		if ev != nil && ev.Facts.WorkbookPath != "" {
			where = ev.Facts.WorkbookPath
		}
		return nil, nil, fmt.Errorf("%w: %s saknas", ErrNotReady, where)
	}
	letter, err := os.ReadFile(filepath.Join(r.Root, repo.TemplatesDir, t.Name, t.Disclosure.Letter))
	if err != nil {
		return nil, nil, fmt.Errorf("brevmallen för %s kan inte läsas: %w", t.Name, err)
	}
	p := &plan{id: c.ID, when: decisionDate(rec, decision), workbookPath: filepath.Join(dir, Folder, t.Workbook.File), released: isReleased(t, rec)}
	if ev.Facts.WorkbookPath != r.Rel(p.workbookPath) {
		// The approved workbook is still in the working area: it is released with the PDF.
		p.workbook = ev.WorkbookBytes
	}
	p.model = Model(r, c, rec, ev.Review, ev.Proof.Segments, p.when, string(letter), opts.Version)
	if ev.Proof != nil && ev.Proof.Compared {
		p.spans = ev.Proof.Spans
	}
	// The model has what the PDF needs: let the workbook's rows and segments go (100,000 rows
	// are tens of MB the collector would otherwise keep scanning).
	ev.Review, ev.Proof.Segments, checked.Findings = nil, nil, nil
	workbookSum := ev.Facts.WorkbookSHA256
	ev.WorkbookBytes = nil

	p.inputs = map[string]string{
		"beslut":    p.model.Hash(),
		"brevmall":  sum(letter),
		"typsnitt":  pdfdoc.DefaultFont().Hash(),
		"processor": sum([]byte(opts.Version)),
	}
	p.inputHash = combined(p.inputs)
	// Recorded for the audit, not for deciding the PDF's bytes: a re-saved workbook or a new
	// person in the settings does not change the PDF (a manifest that names another
	// workbook than the released one is written again, with the same PDF).
	p.inputs["granskningsbok"] = workbookSum
	p.finish(r, dir, t)
	return p, nil, nil
}

// finish records the inputs kept for the audit (the case type, the settings, the catalog)
// and where the PDF and its manifest go.
func (p *plan) finish(r *repo.Repo, dir string, t *workflow.Type) {
	for name, path := range map[string]string{
		"ärendetyp":          filepath.Join(r.Root, repo.TemplatesDir, t.Name, workflow.TypeFile),
		"inställningar":      filepath.Join(r.Root, settings.FileName),
		"bestämmelsekatalog": filepath.Join(r.Root, filepath.FromSlash(repo.CatalogFile)),
	} {
		if data, err := os.ReadFile(path); err == nil {
			p.inputs[name] = sum(data)
		}
	}
	outDir := filepath.Join(dir, Folder)
	p.pdfPath = filepath.Join(outDir, PDFName(p.id))
	p.manifestPath = filepath.Join(outDir, ManifestFile)
}

// releaseCopyCurrent reports whether the workbook beside the PDF is the one being released.
func (p *plan) releaseCopyCurrent() bool {
	for path, want := range p.release {
		if data, err := os.ReadFile(path); err != nil || !bytes.Equal(data, want) {
			return false
		}
	}
	if p.workbook == nil {
		return true
	}
	data, err := os.ReadFile(p.workbookPath)
	return err == nil && bytes.Equal(data, p.workbook)
}

// deciding are the inputs that decide a PDF's bytes (the others are kept for the audit).
var deciding = []string{"beslut", "brevmall", "typsnitt", "processor"}

// render writes the plan's PDF and checks it. The error says why it was not accepted.
func (p *plan) render() (pdf []byte, pages int, err error) {
	var written []string
	if p.mailModel != nil {
		pdf, written, pages, err = render.MailPDF(p.mailModel, pdfdoc.DefaultFont(), p.when)
	} else {
		pdf, written, pages, err = render.PDF(p.model, pdfdoc.DefaultFont(), p.when)
	}
	if err != nil {
		var le *render.LetterError
		if errors.As(err, &le) {
			return nil, 0, fmt.Errorf("brevmallen: %w", err)
		}
		return nil, 0, fmt.Errorf("pdf:en kan inte skrivas: %w", err)
	}
	if err := SelfCheck(pdf, written, p.spans); err != nil {
		return nil, 0, fmt.Errorf("pdf:en godtogs inte, den tidigare behålls: %w", err)
	}
	return pdf, pages, nil
}

// Build builds the disclosure of the case in dir.
func Build(r *repo.Repo, dir string, opts Options) (*Result, finding.List, error) {
	start := time.Now()
	p, fs, err := prepare(r, dir, opts)
	if err != nil {
		return nil, fs, err
	}
	res := &Result{PDF: r.Rel(p.pdfPath), Manifest: r.Rel(p.manifestPath), RawChecked: p.spans != nil}
	if p.mailModel != nil {
		res.Rows, res.Masks, res.Mail = len(p.mailModel.Mails), p.mailModel.Masks(), true
	} else {
		res.Rows, res.Masks = len(p.model.Rows), p.model.Masks()
	}
	if p.released {
		// Released: the PDF in git is what went out. It is not written again, whatever has
		// changed since (the hook and verify hold it as it is).
		old, err := ReadManifest(p.manifestPath)
		data, perr := os.ReadFile(p.pdfPath)
		if err != nil || perr != nil || sum(data) != old.Outputs[PDFName(p.id)] {
			return nil, nil, fmt.Errorf("ärendet är utlämnat men dess pdf eller manifest saknas eller stämmer inte; det utlämnade skrivs aldrig om: ta fram den incheckade versionen (git checkout -- %s)", r.Rel(filepath.Dir(p.pdfPath)))
		}
		res.Pages, res.Took, res.Frozen = old.Pages, time.Since(start), true
		return res, nil, nil
	}
	if old, err := ReadManifest(p.manifestPath); err == nil && !opts.Force && old.InputHash == p.inputHash && old.Processor == opts.Version &&
		old.Inputs["granskningsbok"] == p.inputs["granskningsbok"] && old.Inputs["e-post"] == p.inputs["e-post"] && p.releaseCopyCurrent() {
		if data, err := os.ReadFile(p.pdfPath); err == nil && sum(data) == old.Outputs[PDFName(p.id)] {
			res.Pages = old.Pages
			res.Took = time.Since(start)
			return res, nil, nil
		}
	}
	pdf, pages, err := p.render()
	if err != nil {
		return nil, nil, err
	}
	res.Pages = pages
	m := Manifest{Case: p.id, Processor: opts.Version, Inputs: p.inputs, InputHash: p.inputHash,
		Outputs: map[string]string{PDFName(p.id): sum(pdf)}, Pages: res.Pages, Rows: res.Rows, Masks: res.Masks}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	// Mkdir, not MkdirAll: a case folder removed while the PDF was made stays removed.
	if err := os.Mkdir(filepath.Dir(p.pdfPath), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, nil, fmt.Errorf("pdf:en kan inte sparas: %w", err)
	}
	// The approved workbook goes beside the PDF: what was approved is what is released, and
	// what verify rebuilds the PDF from once it is committed with the PDF's step.
	if p.workbook != nil {
		if err := atomicfile.Write(p.workbookPath, p.workbook, 0o644); err != nil {
			return nil, nil, err
		}
	}
	// The approved texts of the released e-mails, likewise (only those).
	for path, data := range p.release {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, nil, err
		}
		if err := atomicfile.Write(path, data, 0o644); err != nil {
			return nil, nil, err
		}
	}
	if err := atomicfile.Write(p.pdfPath, pdf, 0o644); err != nil {
		return nil, nil, err
	}
	if err := atomicfile.Write(p.manifestPath, append(manifest, '\n'), 0o644); err != nil {
		return nil, nil, err
	}
	res.Built = true
	res.Took = time.Since(start)
	return res, nil, nil
}

// RuleStale is the rule of a committed disclosure that does not match its inputs.
const RuleStale = "pdf-inaktuell"

// CheckOptions control Current.
type CheckOptions struct {
	Options
	// History: the case is checked as it was in an earlier commit, whose PDF may have been
	// built by another version of the processor. Then the inputs other than the version
	// are compared, and the bytes only when the versions are the same.
	History bool
	// Rebuild renders the PDF again and compares it byte for byte with the committed one.
	Rebuild bool
}

// Current checks that the committed disclosure of the case in dir (its PDF and manifest) is
// what its inputs give now, and that it is there once the type's creation step is recorded.
// required says that step is recorded. The findings use RuleStale.
func Current(r *repo.Repo, dir string, required bool, opts CheckOptions) (fs finding.List, rebuilt bool) {
	id := filepath.Base(dir)
	manifestPath := filepath.Join(dir, Folder, ManifestFile)
	pdfPath := filepath.Join(dir, Folder, PDFName(id))
	manifestRel, pdfRel := r.Rel(manifestPath), r.Rel(pdfPath)
	pdf, pdfErr := os.ReadFile(pdfPath)
	m, mErr := ReadManifest(manifestPath)
	build := "kör processor build " + id + " och lägg till " + Folder + "/ i committen"
	switch {
	case pdfErr != nil && mErr != nil && errors.Is(pdfErr, os.ErrNotExist) && errors.Is(mErr, os.ErrNotExist):
		if required {
			fs.Add(r.Rel(filepath.Join(dir, casefile.FileName)), 0, 0, RuleStale, "steget som säger att pdf:en är skapad är registrerat, men pdf:en saknas", build)
		}
		return fs, false
	case pdfErr != nil:
		fs.Add(pdfRel, 0, 0, RuleStale, "manifestet finns men inte pdf:en", build)
		return fs, false
	case mErr != nil:
		fs.Add(manifestRel, 0, 0, RuleStale, "pdf:en finns men manifestet saknas eller kan inte läsas", build)
		return fs, false
	}
	if m.Case != id {
		fs.Add(manifestRel, 0, 0, RuleStale, fmt.Sprintf("manifestet gäller ärendet %q, inte %s", m.Case, id), build)
	}
	if got := sum(pdf); m.Outputs[PDFName(id)] != got {
		fs.Add(pdfRel, 0, 0, RuleStale, "pdf:en är inte den som manifestet anger (SHA-256 skiljer sig)", build)
	}
	p, pfs, err := prepare(r, dir, opts.Options)
	if err != nil {
		msg := "pdf:en finns, men ärendet är inte klart för utlämnande"
		if !errors.Is(err, ErrNotReady) || len(pfs) == 0 {
			msg += ": " + err.Error()
		} else {
			msg += " (se felen ovan)"
		}
		fs.Add(pdfRel, 0, 0, RuleStale, msg, "rätta felen, kör processor build "+id+" och checka in pdf:en igen")
		return fs, false
	}
	sameVersion := m.Processor == opts.Version
	if opts.History && !sameVersion {
		// The model names the processor that made the PDF (its Producer): a PDF made by an
		// earlier version is compared with the model as that version would have named it.
		switch {
		case p.model != nil:
			own := p.model.Producer
			p.model.Producer = "processor " + m.Processor
			p.inputs["beslut"] = p.model.Hash()
			p.model.Producer = own
		case p.mailModel != nil:
			own := p.mailModel.Producer
			p.mailModel.Producer = "processor " + m.Processor
			p.inputs["beslut"] = p.mailModel.Hash()
			p.mailModel.Producer = own
		}
	}
	var changed []string
	for _, name := range deciding {
		if name == "processor" && opts.History && !sameVersion {
			continue
		}
		if m.Inputs[name] != p.inputs[name] {
			changed = append(changed, inputNames[name])
		}
	}
	if len(changed) > 0 {
		fs.Add(pdfRel, 0, 0, RuleStale, "pdf:en är inaktuell: "+strings.Join(changed, ", ")+" har ändrats sedan den byggdes", build)
		return fs, false
	}
	if opts.Rebuild && sameVersion && !fs.HasErrors() {
		again, _, err := p.render()
		if err != nil {
			fs.Add(pdfRel, 0, 0, RuleStale, "pdf:en kan inte byggas om: "+err.Error(), build)
			return fs, false
		}
		if !bytes.Equal(again, pdf) {
			fs.Add(pdfRel, 0, 0, RuleStale, "pdf:en kan inte återskapas byte för byte ur sina indata", "bygg om den med processor build --force "+id+" och undersök vad som skiljer")
			return fs, false
		}
		return fs, true
	}
	return fs, false
}

// inputNames are the deciding inputs as a registrator reads them.
var inputNames = map[string]string{
	"beslut":    "ärendets uppgifter eller granskningsboken",
	"brevmall":  "brevmallen",
	"typsnitt":  "typsnittet",
	"processor": "processorns version",
}

// ReadManifest reads a manifest file.
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s kan inte läsas: %w", path, err)
	}
	return &m, nil
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// combined hashes name=hash lines in name order.
func combined(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + "\n")
	}
	return sum([]byte(b.String()))
}

// decisionDate is the letter's date: the decision's approval date, else the step's date,
// at noon Swedish time (a date, not a moment; noon is the same day in every zone nearby).
func decisionDate(rec *workflow.Record, step *workflow.RecordedStep) time.Time {
	d := step.Date
	if v := rec.Value("steg." + step.Step.Name + ".godkänd"); v != nil && v.Approval != nil && !v.Approval.Date.IsZero() {
		d = v.Approval.Date
	}
	return d.Noon()
}

// Model builds the disclosure model from the case, its record and its review workbook
// (with each cell's segments from the masking proof, where it has them).
func Model(r *repo.Repo, c *casefile.Case, rec *workflow.Record, rev *workbook.Review, split [][][]mask.Segment, when time.Time, letter, version string) *render.Disclosure {
	t := rec.Type
	spec := t.Workbook
	d := &render.Disclosure{
		CaseID: c.ID, Title: t.Disclosure.Title, Date: when.Format("2006-01-02"), Authority: authority(r),
		Court: r.Settings.Court, Fields: letterFields(rec), Letter: letter, Producer: "processor " + version,
	}
	d.Official = official(r, rec, letter)
	d.Columns = append(d.Columns, render.Column{Name: workflow.ColumnNr, Weight: 7})
	for _, col := range spec.Columns {
		d.Columns = append(d.Columns, render.Column{Name: col.Name, Weight: col.Width})
	}
	d.Columns = append(d.Columns, render.Column{Name: workflow.ColumnMark, Weight: 11})
	counts := map[provision.Ref]int{}
	last := len(spec.Columns) + 1
	for ri, row := range rev.Rows {
		cells := make([]render.Cell, 0, len(row.Cells))
		cells = append(cells, render.Cell{{Text: row.Cells[0]}})
		for i, col := range spec.Columns {
			text := row.Cells[i+1]
			if col.Kind == workflow.ColDate {
				if tm, ok := rev.TimeOf(text, date.Stockholm); ok {
					cells = append(cells, render.Cell{{Text: tm.Format("2006-01-02 15:04")}})
					continue
				}
			}
			var segs []mask.Segment
			if ri < len(split) && split[ri] != nil && split[ri][i+1] != nil {
				segs = split[ri][i+1]
			} else {
				segs, _ = mask.Split(text)
			}
			cell := make(render.Cell, 0, len(segs))
			for _, s := range segs {
				if s.Mask {
					cell = append(cell, render.Segment{Ref: s.Ref.String()})
					counts[s.Ref.Base()]++
				} else {
					cell = append(cell, render.Segment{Text: mask.Unescape(s.Text)}) // raw bracket text as the raw export has it
				}
			}
			cells = append(cells, cell)
		}
		mark := strings.TrimSpace(row.Cells[last])
		if mark == workflow.MarkPrivate {
			d.Private++
		}
		cells = append(cells, render.Cell{{Text: mark}})
		d.Rows = append(d.Rows, render.Row{Cells: cells})
	}
	for _, p := range r.Catalog.List { // catalog order
		if n := counts[p.Ref]; n > 0 {
			d.Provisions = append(d.Provisions, render.ProvisionLine{Ref: p.Ref.String(), Title: p.Title, Count: n})
		}
	}
	return d
}

// official is the official who handled the case, for a letter that names them
// ({{.Handläggare…}}): the signer of the type's decision step, whose assessment the release
// is (6 kap. 3 § OSL). The release is built before it is sent, so the signer of the
// release step is not known yet. nil when the letter does not use it.
func official(r *repo.Repo, rec *workflow.Record, letter string) *render.Official {
	if !strings.Contains(letter, ".Handläggare") {
		return nil
	}
	step, ok := rec.Recorded(rec.Type.Disclosure.Decision)
	if !ok {
		return nil
	}
	p, ok := r.Settings.Person(step.Signer)
	if !ok {
		return nil
	}
	return &render.Official{Name: p.Name, Title: p.Title, Email: p.Email, Phone: p.Phone}
}

// authority is the releasing authority as the settings name it.
func authority(r *repo.Repo) render.Authority {
	a := r.Settings.Authority
	return render.Authority{Name: a.Name, Address: a.Address, Email: a.Email, Phone: a.Phone}
}

// letterFields are the case's values the type names for its letter (utlämnande.fält);
// values not given are left out.
func letterFields(rec *workflow.Record) map[string]string {
	out := map[string]string{}
	for _, f := range rec.Type.Disclosure.Fields {
		if v := rec.Value(f.Path); v != nil && !v.Empty() {
			out[f.Name] = ValueText(v)
		}
	}
	return out
}

// ValueText writes a case value for a letter or decision: text, a date, or a list as "a och b".
func ValueText(v *workflow.Value) string {
	switch {
	case !v.Date.IsZero():
		return v.Date.String()
	case len(v.List) > 1:
		return strings.Join(v.List[:len(v.List)-1], ", ") + " och " + v.List[len(v.List)-1]
	case len(v.List) == 1:
		return v.List[0]
	}
	return v.Text
}

// SelfCheck accepts a PDF only when pdfcpu validates it, the font is embedded, and no masked
// raw span (of four characters or more: shorter ones cannot be told from ordinary text) is
// in anything that was written into it.
func SelfCheck(pdf []byte, written []string, spans [][]string) error {
	// The span search and pdfcpu's validation are independent: run them side by side.
	leak := make(chan error, 1)
	go func() { leak <- searchSpans(written, spans) }()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	// Validate only: pdfcpu's default also optimizes (decodes every content stream to
	// consolidate resources), which was 70 % of the time and checks nothing more.
	conf.Optimize, conf.OptimizeResourceDicts, conf.OptimizeDuplicateContentStreams = false, false, false
	if err := pdfcpuValidate(pdf, conf); err != nil {
		<-leak
		return fmt.Errorf("pdfcpu godkänner inte pdf:en: %v", err)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		<-leak
		return fmt.Errorf("typsnittet är inte inbäddat")
	}
	return <-leak
}

// pdfcpuValidate reads and validates pdf as pdfcpu's api.Validate does without optimizing.
// The api package is not used: it links pdfcpu's form filling, whose dependency
// go-runewidth spends 10–60 ms building tables at start-up, in every run of the processor
// (the git hook included).
func pdfcpuValidate(pdf []byte, conf *model.Configuration) (err error) {
	defer func() {
		if r := recover(); r != nil { // pdfcpu panics on some malformed input
			err = fmt.Errorf("%v", r)
		}
	}()
	conf.Cmd = model.VALIDATE
	ctx, err := pdfcpu.Read(bytes.NewReader(pdf), conf)
	if err != nil {
		return fmt.Errorf("read context: %w", err)
	}
	return pdfvalidate.XRefTable(ctx)
}

// searchSpans looks for every masked raw span (of mask.MinSpan characters or more) in
// everything written, with the same index as the workbook's leak check. The message never
// names the span: it is secret.
//
// The text is searched as the PDF draws it, not string by string: written is in drawing
// order (a cell's lines one after another, the cells of a row left to right), and the
// strings are joined with line breaks, which the search reads as spaces (see mask.Fold).
// So a span wrapped between two of its words, or running on from one cell into the next,
// is found. A mask is drawn as a string of its own (its provision), so the text on either
// side of it is not read as one. (A word too long for its column, broken between two
// characters, and a row taller than a page, continued on the next, are not put back
// together here; the workbook's leak check, which must pass before a build, searches
// each cell whole.)
func searchSpans(written []string, spans [][]string) error {
	var all []mask.SpanAt
	for _, row := range spans {
		for _, sp := range row {
			all = append(all, mask.SpanAt{Text: sp})
		}
	}
	if mask.NewSpanIndex(all).Any([]string{strings.Join(written, "\n")}) {
		return fmt.Errorf("maskerad text (eller text som inte lämnas ut) finns omaskad i det som skulle skrivas i pdf:en; kontrollera att samma uppgift är maskad överallt i granskningsboken eller granskningstexterna (processor validate visar var)")
	}
	return nil
}

// isReleased reports whether the case's release step (låsning.utlämnad) is recorded.
func isReleased(t *workflow.Type, rec *workflow.Record) bool {
	if t.Locks == nil || t.Locks.Released == "" {
		return false
	}
	_, ok := rec.Recorded(t.Locks.Released)
	return ok
}
