package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
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
}

var instruction = []string{
	"Så granskar du e-postloggen",
	"",
	"1. Privata e-mail (rutinsteg 7): skriv P i kolumnen Markering. Ändra inget i ämnesraden.",
	"2. Sekretess (rutinsteg 8): ersätt bara den text som är sekretessreglerad med bestämmelsen inom hakparenteser,",
	"   t.ex. ”Ang. patient Anna A” blir ”Ang. patient [25 kap. 1 § OSL]”. Kortformen [OSL 25:1] går också bra.",
	"   Bestämmelsen ska finnas i templates/osl-bestammelser.tsv. Maska aldrig utan att ange bestämmelse.",
	"3. Ändra inget annat: inga rader läggs till, tas bort eller flyttas, Nr och Datum lämnas orörda.",
	"   Processorn jämför varje cell med råexporten och visar var något skiljer.",
	"4. Dölj inga rader, kolumner eller blad och skriv inga kommentarer: det som döljs syns ändå i filen.",
	"5. Spara som Excel-arbetsbok (.xlsx) med samma namn. Utlämnandet (pdf) skapas av processorn, inte med Spara som pdf.",
}

// WriteReview writes a new review workbook to path (atomically: a temporary file in the
// same folder, then rename). rows hold, per data row, the values of spec.Headers() except
// Markering: the Nr, then one value per declared column (time.Time for dates).
func WriteReview(path string, spec *workflow.WorkbookSpec, rows [][]Cell, meta Meta) error {
	f := excelize.NewFile()
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
	if len(rows) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", lastCol, lastCol, len(rows)+1)
		if err := dv.SetDropList([]string{workflow.MarkPrivate}); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Markering", "Skriv P för e-mail av privat karaktär, annars lämna tomt.")
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
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
// for a workbook that cannot be read at all (*Error); problems in it are findings.
func ReadReview(path, name string, spec *workflow.WorkbookSpec) (*Review, finding.List, error) {
	// No excelize here: it would unpack the whole package into memory. The small parts are
	// read straight from the zip, the sheet by the fast reader, which checks the size and
	// checksum of each part it reads (so the whole package is not unpacked twice).
	z, err := zip.OpenReader(path)
	if err != nil {
		if cerr := checkZip(path, name); cerr != nil {
			return nil, nil, cerr // says why: missing, password, not a workbook
		}
		return nil, nil, &Error{name, "filen är ingen läsbar xlsx-arbetsbok", ""}
	}
	parts, err := readParts(&z.Reader)
	z.Close()
	if err != nil {
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
	for _, sh := range parts.Sheets {
		sheets = append(sheets, sh.Name)
	}
	if !slices.Contains(sheets, spec.Sheet) {
		add(spec.Sheet+"!A1", RuleStructure, fmt.Sprintf("bladet %s saknas (bladen heter %s)", spec.Sheet, strings.Join(sheets, ", ")),
			"döp inte om bladet; importera på nytt om det har försvunnit")
		return r, fs, nil
	}
	for _, sh := range parts.Sheets {
		s := sh.Name
		switch {
		case sh.State == "hidden" || sh.State == "veryHidden":
			add(s+"!A1", RuleHidden, fmt.Sprintf("bladet %s är dolt", s), "ta bort bladet eller visa det (högerklicka på en bladflik > Ta fram); dolt innehåll följer med filen")
		case s != spec.Sheet && s != InstructionSheet:
			warn(s+"!A1", RuleHidden, fmt.Sprintf("arbetsboken har ett extra blad, %s", s), "bara bladet "+spec.Sheet+" lämnas ut; ta bort blad som inte behövs")
		}
	}
	// The sheet itself is read by the fast reader: values, hidden rows and columns, styles.
	sd, err := ReadSheet(path, name, spec.Sheet)
	if err != nil {
		return nil, nil, err
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
	for i := 1; i < len(data); i++ {
		cells := data[i].Cells
		if len(cells) > len(headers) && !isEmpty(cells[len(headers):]) {
			col, _ := excelize.ColumnNumberToName(len(headers) + 1)
			add(fmt.Sprintf("%s!%s%d", spec.Sheet, col, i+1), RuleStructure, "text utanför tabellens kolumner", "ta bort den; bara kolumnerna "+strings.Join(headers, ", ")+" lämnas ut")
		}
		r.Rows = append(r.Rows, Row{Line: i + 1, Cells: pad(cells, len(headers))})
	}
	r.hygiene(parts, path, sd, data, add, warn, len(headers))
	return r, fs, nil
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

func (r *Review) hygiene(parts *pkgParts, path string, sd *SheetData, rows []SheetRow, add, warn func(cell, rule, msg, hint string), cols int) {
	sheet := r.Sheet
	for _, row := range rows[min(1, len(rows)):] {
		if row.Hidden {
			add(r.CellRef(0, row.Num), RuleHidden, fmt.Sprintf("rad %d är dold", row.Num), "visa raden (markera raderna runt den, högerklicka > Ta fram, eller ge den radhöjd); dolda rader följer med filen")
		}
	}
	for _, c := range sd.HiddenCols {
		if c > cols+2 {
			continue
		}
		name, _ := excelize.ColumnNumberToName(c)
		add(sheet+"!"+name+"1", RuleHidden, fmt.Sprintf("kolumn %s är dold", name), "visa kolumnen (högerklicka på kolumnrubrikerna > Ta fram, eller ge den bredd)")
	}
	for _, sh := range parts.Sheets {
		for _, cell := range parts.Comments[sh.Name] {
			add(sh.Name+"!"+cell, RuleHidden, "cellen har en kommentar", "ta bort kommentaren (högerklicka > Ta bort kommentar); kommentarer följer med filen och kan innehålla det som maskats")
		}
	}
	if bad := parts.HiddenXf; len(bad) > 0 {
		for _, row := range rows {
			for c, id := range row.Styles {
				if bad[id] {
					cell, _ := excelize.CoordinatesToCellName(c+1, row.Num)
					add(sheet+"!"+cell, RuleHidden, "cellen har talformatet ;;; som döljer innehållet", "välj talformatet Allmänt för cellen")
				}
			}
		}
	}
	if hasExternalLinks(path) {
		add(sheet+"!A1", RuleHidden, "arbetsboken har länkar till andra arbetsböcker", "ta bort länkarna (Data > Redigera länkar > Bryt länk)")
	}
	for _, d := range parts.Names {
		if strings.HasPrefix(d.Name, "_xlnm.") { // print areas and filters that Excel makes itself
			continue
		}
		add(sheet+"!A1", RuleHidden, fmt.Sprintf("arbetsboken har det definierade namnet %q (%s)", d.Name, d.RefersTo), "ta bort det under Formler > Namnhanteraren")
	}
	for _, v := range []struct{ what, val string }{{"skapare", parts.Creator}, {"senast sparad av", parts.Modifier}} {
		if v.val != "" && v.val != "processor" {
			warn(sheet+"!A1", RuleMetadata, fmt.Sprintf("dokumentegenskapen %s är %q", v.what, v.val),
				"ta bort personuppgifter: Arkiv > Info > Kontrollera dokument > Granska dokument > Ta bort alla (dokumentegenskaper)")
		}
	}
	if parts.Company != "" {
		warn(sheet+"!A1", RuleMetadata, fmt.Sprintf("dokumentegenskapen företag är %q", parts.Company), "ta bort den under Arkiv > Info > Egenskaper")
	}
	if parts.Custom > 0 {
		warn(sheet+"!A1", RuleMetadata, fmt.Sprintf("arbetsboken har %d anpassade dokumentegenskaper", parts.Custom), "ta bort dem under Arkiv > Info > Egenskaper > Avancerade egenskaper")
	}
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
