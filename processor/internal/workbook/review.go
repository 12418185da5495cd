package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workflow"
)

// Rule names of the review workbook's checks.
const (
	RuleStructure = "granskningsbok-form"
	RuleHidden    = "dolt-innehåll"
	RuleMetadata  = "arbetsbok-metadata"
)

// InstructionSheet is the second sheet of a review workbook: how to mark and mask.
const InstructionSheet = "Instruktion"

// DateFormat shows dates as ÅÅÅÅ-MM-DD tt:mm in the review workbook.
const DateFormat = "yyyy-mm-dd hh:mm"

// Cell is one value to write: a number, a time or a text.
type Cell = any

// Meta is what the review workbook says about itself.
type Meta struct {
	Title   string // e.g. "E-postlogg 2026-0042"
	Subject string
	// TmpDir is where excelize may put temporary files while the workbook is written (it
	// does for a large sheet, and they hold the rows): the case's working area, never the
	// system's temporary folder. "" means excelize's default.
	TmpDir string
}

// The data validation of the Markering column: its error message.
const (
	markErrorTitle = "Markering"
	markErrorText  = "Skriv P för e-mail av privat karaktär, annars lämna tomt."
)

var instruction = []string{
	"Så granskar du e-postloggen",
	"",
	"1. Privata e-postmeddelanden (rutinsteg 7): skriv P i kolumnen Markering. Meddelandet lämnas inte ut, men raden finns kvar i loggen;",
	"   maska det som är sekretessreglerat i raden som i andra rader (t.ex. en hälsouppgift i ämnesraden).",
	"2. Sekretess (rutinsteg 8): ersätt bara den text som är sekretessreglerad med bestämmelsen inom hakparenteser,",
	"   t.ex. ”Ang. patient Anna A” blir ”Ang. patient [25 kap. 1 § OSL]”. Kortformen [OSL 25:1] går också bra.",
	"   Bestämmelsen ska finnas i templates/osl-bestammelser.tsv. Maska aldrig utan att ange bestämmelse.",
	"3. Ändra inget annat: inga rader läggs till, tas bort eller flyttas, Nr och Datum lämnas orörda.",
	"   Processorn jämför varje cell med råexporten och visar var något skiljer.",
	"4. Dölj inga rader, kolumner eller blad och skriv inga kommentarer: det som döljs syns ändå i filen.",
	"5. Spara som Excel-arbetsbok (.xlsx) med samma namn. Utlämnandet (pdf) skapas av processorn, inte med Spara som pdf.",
	"",
	"Hakparenteser som redan står i loggen och liknar en bestämmelse visas med breda hakparenteser, t.ex. ［OSL 25:1］:",
	"   det är loggens egen text och ingen maskning. Maska dem inte om, och skriv inte om dem till vanliga hakparenteser.",
}

// earlierInstructions are the Instruktion sheets earlier versions of the import wrote; a
// workbook imported then is accepted as it is (hygiene picks the version it matches best).
var earlierInstructions = [][]string{
	// Before P rows could be masked (version 0.5.0).
	append([]string{
		"Så granskar du e-postloggen",
		"",
		"1. Privata e-mail (rutinsteg 7): skriv P i kolumnen Markering. Ändra inget i ämnesraden.",
	}, instruction[4:]...),
	// Before the lines on bracket text of the raw export (version 0.4.0).
	append([]string{
		"Så granskar du e-postloggen",
		"",
		"1. Privata e-mail (rutinsteg 7): skriv P i kolumnen Markering. Ändra inget i ämnesraden.",
	}, instruction[4:11]...),
}

// WriteReview writes a new review workbook to path (atomically: a temporary file in the
// same folder, then rename). rows hold, per data row, the values of spec.Headers() except
// Markering: the Nr, then one value per declared column (time.Time for dates).
func WriteReview(path string, spec *workflow.WorkbookSpec, rows [][]Cell, meta Meta) error {
	var opts []excelize.Options
	if meta.TmpDir != "" {
		if err := os.MkdirAll(meta.TmpDir, 0o700); err != nil {
			return err
		}
		defer os.Remove(meta.TmpDir) // only when empty: another run may be using it
		opts = append(opts, excelize.Options{TmpDir: meta.TmpDir})
	}
	f := excelize.NewFile(opts...)
	defer f.Close()
	sheet := spec.Sheet
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	headers := spec.Headers()
	last := len(headers)
	lastCol, _ := excelize.ColumnNumberToName(last)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	dateFmt := DateFormat
	dates, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	// The Markering list is added before streaming: the stream writer writes what the sheet
	// has then, and would drop a validation added after it.
	if len(rows) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", lastCol, lastCol, len(rows)+1)
		if err := dv.SetDropList([]string{workflow.MarkPrivate}); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, markErrorTitle, markErrorText)
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	// Column widths must be set before streaming.
	widths := []float64{7}
	for _, c := range spec.Columns {
		widths = append(widths, c.Width)
	}
	widths = append(widths, 11)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	styles := make([]int, len(headers))
	styles[0] = top
	for i, c := range spec.Columns {
		styles[i+1] = wrap
		if c.Kind == workflow.ColDate {
			styles[i+1] = dates
		}
	}
	styles[last-1] = top
	row := make([]any, len(headers))
	for i, values := range rows {
		for j := range headers {
			var v any = ""
			if j < len(values) {
				v = values[j]
			}
			row[j] = excelize.Cell{StyleID: styles[j], Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeInstruction(f); err != nil {
		return err
	}
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{FilterPrivacy: &yes}); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: meta.Title, Subject: meta.Subject, Creator: "processor",
		LastModifiedBy: "processor", Language: "sv-SE"}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes(), 0o644)
}

func writeInstruction(f *excelize.File) error {
	if _, err := f.NewSheet(InstructionSheet); err != nil {
		return err
	}
	if err := f.SetColWidth(InstructionSheet, "A", "A", 120); err != nil {
		return err
	}
	for i, line := range instruction {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellStr(InstructionSheet, cell, line); err != nil {
			return err
		}
	}
	return nil
}

// Review is a review workbook's data sheet as read back.
type Review struct {
	File     string // path shown in findings
	Sheet    string
	Rows     []Row // data rows, header excluded, trailing empty rows dropped
	Date1904 bool
}

// Row is one data row: its row number in the sheet and one cell per header (padded).
type Row struct {
	Line  int
	Cells []string
}

// CellRef returns "Logg!F17" for column index col (0-based) of row.
func (r *Review) CellRef(col, line int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, line)
	return r.Sheet + "!" + name
}

// ReadReview reads the review workbook at path. name is its path in findings. The error is
// for a workbook that cannot be read at all (*Error): one that is damaged, or past the
// limits of limits.go; problems in it are findings (see hygiene).
func ReadReview(path, name string, spec *workflow.WorkbookSpec) (*Review, finding.List, error) {
	// No excelize here: it would unpack the whole package into memory. The small parts are
	// read straight from the zip, the sheets by the fast reader, which checks the size and
	// checksum of each part it reads; every other part is scanned once, so that nothing in
	// the file is past the limits (and PartTexts can read it all).
	z, err := zip.OpenReader(path)
	if err != nil {
		if cerr := checkZip(path, name); cerr != nil {
			return nil, nil, cerr // says why: missing, password, not a workbook
		}
		return nil, nil, &Error{name, "filen är ingen läsbar xlsx-arbetsbok", ""}
	}
	defer z.Close()
	return readReview(&z.Reader, name, spec)
}

// readReview reads a review workbook from an open package.
func readReview(zr *zip.Reader, name string, spec *workflow.WorkbookSpec) (*Review, finding.List, error) {
	if err := checkPackage(zr, name); err != nil {
		return nil, nil, err
	}
	parts, err := readParts(zr)
	if err != nil {
		var xe xmlError
		if errors.As(err, &xe) {
			return nil, nil, &Error{name, "arbetsboken kan inte läsas: " + string(xe), hintDamaged}
		}
		if errors.Is(err, errTooBig) {
			return nil, nil, &Error{name, fmt.Sprintf("arbetsbokens delar (xl/workbook.xml) packas upp till mer än %d MiB", MaxPart>>20), hintBomb}
		}
		return nil, nil, &Error{name, "filen är ingen läsbar xlsx-arbetsbok (xl/workbook.xml saknas eller är skadad)",
			"öppna den i Excel och spara som Excel-arbetsbok (.xlsx)"}
	}
	r := &Review{File: name, Sheet: spec.Sheet, Date1904: parts.Date1904}
	var fs finding.List
	add := func(cell, rule, msg, hint string) {
		fs = append(fs, finding.Finding{File: name, Cell: cell, Rule: rule, Severity: finding.Error, Message: msg, Hint: hint})
	}
	warn := func(cell, rule, msg, hint string) {
		fs = append(fs, finding.Finding{File: name, Cell: cell, Rule: rule, Severity: finding.Warning, Message: msg, Hint: hint})
	}
	var sheets []string
	hasInstruction := false
	for _, sh := range parts.Sheets {
		sheets = append(sheets, sh.Name)
		hasInstruction = hasInstruction || sh.Name == InstructionSheet
	}
	if !slices.Contains(sheets, spec.Sheet) {
		add(spec.Sheet+"!A1", RuleStructure, fmt.Sprintf("bladet %s saknas (bladen heter %s)", spec.Sheet, strings.Join(sheets, ", ")),
			"döp inte om bladet; importera på nytt om det har försvunnit")
		if err := scanParts(zr, name, nil); err != nil {
			return nil, nil, err
		}
		return r, fs, nil
	}
	// The sheets are read by the fast reader: values, kinds, hidden rows and columns, styles.
	sd, err := readSheet(zr, name, spec.Sheet, scanBuffer)
	if err != nil {
		return nil, nil, err
	}
	read := map[string]bool{sd.Part: true, sd.SharedStrings: true}
	var instr *SheetData
	if hasInstruction && spec.Sheet != InstructionSheet {
		if instr, err = readSheet(zr, name, InstructionSheet, scanBuffer); err != nil {
			return nil, nil, err
		}
		read[instr.Part], read[instr.SharedStrings] = true, true
	}
	if err := scanParts(zr, name, read); err != nil {
		return nil, nil, err
	}
	st, err := readStyles(zipFile(zr, relTarget(zr, "/styles", "xl/styles.xml")), zipFile(zr, relTarget(zr, "/theme", "")))
	if err != nil {
		return nil, nil, &Error{name, "formatmallarna kan inte läsas (" + partError(err) + ")", hintDamaged}
	}
	data := denseRows(sd.Rows)
	headers := spec.Headers()
	if len(data) == 0 || !slices.Equal(trimRow(data[0].Cells, len(headers)), headers) {
		got := ""
		if len(data) > 0 {
			got = strings.Join(data[0].Cells, ", ")
		}
		add(spec.Sheet+"!A1", RuleStructure, fmt.Sprintf("rubrikraden är %q, ska vara %s", got, strings.Join(headers, ", ")),
			"ändra inte rubrikraden och lägg inte till kolumner")
	}
	for i := len(data) - 1; i >= 1 && isEmpty(data[i].Cells); i-- {
		data = data[:i]
	}
	// The table ends at the last row with something in its columns; text below it is only
	// outside the table.
	last := len(data) - 1
	for last >= 1 && isEmpty(pad(data[last].Cells, len(headers))) {
		last--
	}
	for i := 1; i < len(data); i++ {
		cells := data[i].Cells
		if len(cells) > len(headers) && !isEmpty(cells[len(headers):]) {
			col := len(headers) + 1
			for strings.TrimSpace(cells[col-1]) == "" {
				col++
			}
			name, _ := excelize.ColumnNumberToName(col)
			add(fmt.Sprintf("%s!%s%d", spec.Sheet, name, i+1), RuleStructure, "text utanför tabellens kolumner", "ta bort den; bara kolumnerna "+strings.Join(headers, ", ")+" lämnas ut")
		}
		if i <= last {
			r.Rows = append(r.Rows, Row{Line: i + 1, Cells: pad(cells, len(headers))})
		}
	}
	c := &checker{r: r, zr: zr, parts: parts, st: st, sd: sd, instr: instr, rows: data, last: last, cols: len(headers), add: add, warn: warn}
	c.hygiene()
	return r, fs, nil
}

// relTarget returns the part the workbook's first relationship of type typ (a suffix) points
// to, or def.
func relTarget(z *zip.Reader, typ, def string) string {
	rels, err := readRels(z, "xl/_rels/workbook.xml.rels", "xl")
	if err != nil {
		return def
	}
	ids := slices.Sorted(maps.Keys(rels))
	for _, id := range ids {
		if strings.HasSuffix(rels[id].typ, typ) {
			return rels[id].target
		}
	}
	return def
}

// denseRows returns the rows from row 1 with the rows the XML leaves out (empty ones) filled
// in, so that index i is sheet row i+1.
func denseRows(rows []SheetRow) []SheetRow {
	if len(rows) == 0 {
		return nil
	}
	out := make([]SheetRow, 0, rows[len(rows)-1].Num)
	for _, row := range rows {
		for len(out) < row.Num-1 {
			out = append(out, SheetRow{Num: len(out) + 1})
		}
		if row.Num == len(out)+1 {
			out = append(out, row)
		}
	}
	return out
}

func trimRow(cells []string, n int) []string {
	out := pad(cells, n)
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	if len(cells) > n && isEmpty(cells[n:]) {
		return out
	}
	if len(cells) > n {
		return cells
	}
	return out
}

func pad(cells []string, n int) []string {
	if len(cells) >= n {
		return cells[:n:n]
	}
	out := make([]string, n)
	copy(out, cells)
	return out
}

func isEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// TimeOf reads a review cell written as a date: a serial number.
func (r *Review) TimeOf(cell string, loc *time.Location) (time.Time, bool) {
	v, ok := ParseNumber(cell)
	if !ok {
		return time.Time{}, false
	}
	return Serial(v, r.Date1904, loc)
}
