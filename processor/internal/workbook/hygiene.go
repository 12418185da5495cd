package workbook

// The review workbook's hygiene: content that is hidden instead of masked, or kept in the
// file outside the cells the PDF shows. Each is an error finding (RuleHidden) that names the
// cell, or the sheet's A1 and the part, with a hint of what to do in Excel; the Nr column
// and text outside the table are RuleStructure; personal metadata RuleMetadata (warnings).
//
//   - sheets: hidden, or other than the data sheet and Instruktion; the workbook's window hidden
//   - rows and columns hidden, or under 1 point high or half a character wide
//   - comments, threaded comments, notes
//   - formulas, in any cell of the data sheet or Instruktion (the cached value can be the secret)
//   - a number format that does not show the value (see numfmt.go)
//   - text in a colour that does not stand out from its background, or under 4 points (see
//     styles.go), in the cell's format or a rich text run
//   - conditional formats that do one of those, or show only a data bar or icon
//   - data validations with text other than the P list the import writes
//   - hyperlinks; header and footer text
//   - drawings (pictures, shapes, text boxes, charts, alternative text), VML, embedded
//     objects, tables, revision history and every other part the import does not write
//   - an Instruktion sheet whose content is not the one the import writes
//   - external links, defined names
//   - Nr that is not the integer the import wrote (RuleStructure)

import (
	"archive/zip"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/workflow"
)

// maxCellFindings is the most findings of one kind reported cell by cell; then one more says
// how many cells are left.
const maxCellFindings = 20

// checker runs the hygiene checks of a review workbook.
type checker struct {
	r         *Review
	zr        *zip.Reader
	parts     *pkgParts
	st        *styleSheet
	sd, instr *SheetData
	rows      []SheetRow // the data sheet's rows, dense, trailing empty rows dropped
	last      int        // the index in rows of the table's last row
	cols      int
	add, warn func(cell, rule, msg, hint string)

	counts     map[string]int // findings by kind, for maxCellFindings
	first      map[string]string
	condBudget int // cells looked at for conditional formats
}

// cellFinding adds a finding of a kind that can be in many cells.
func (c *checker) cellFinding(kind, cell, rule, msg, hint string) {
	if c.counts == nil {
		c.counts, c.first = map[string]int{}, map[string]string{}
	}
	c.counts[kind]++
	switch n := c.counts[kind]; {
	case n <= maxCellFindings:
		c.add(cell, rule, msg, hint)
	case n == maxCellFindings+1:
		c.first[kind] = cell
	}
}

// flushCounts adds, for each kind with more findings than maxCellFindings, one that counts
// the rest.
func (c *checker) flushCounts(kinds map[string]struct{ rule, what, hint string }) {
	for kind, n := range c.counts {
		if n > maxCellFindings {
			k := kinds[kind]
			c.add(c.first[kind], k.rule, fmt.Sprintf("… och %d celler till där %s", n-maxCellFindings, k.what), k.hint)
		}
	}
}

const (
	hintFormula = "skriv in värdet i stället för formeln (kopiera cellerna och klistra in dem som värden: Klistra in > Klistra in värden); granskningsboken får inte ha formler"
	hintFormat  = "välj talformatet Allmänt för cellen (Start > Talformat > Allmänt)"
	hintColor   = "välj teckenfärgen Automatisk och ingen fyllning (Start > Teckenfärg > Automatisk, Fyllningsfärg > Ingen fyllning); maska i stället den text som ska döljas"
	hintSize    = "välj en vanlig teckenstorlek, till exempel 11 (Start > Teckenstorlek)"
	hintCond    = "ta bort regeln (Start > Villkorsstyrd formatering > Hantera regler > Visa formateringsregler för: Det här kalkylbladet)"
	hintValid   = "ta bort valideringen (Data > Dataverifiering > Radera alla); importen lägger bara listan P i kolumnen Markering"
	hintNr      = "skriv tillbaka radnumret som importen skrev, som ett tal utan decimaler; ändra aldrig Nr"
)

var cellKinds = map[string]struct{ rule, what, hint string }{
	"formula": {RuleHidden, "det finns en formel", hintFormula},
	"format":  {RuleHidden, "talformatet döljer innehållet", hintFormat},
	"color":   {RuleHidden, "texten inte syns mot bakgrunden", hintColor},
	"size":    {RuleHidden, "texten är för liten för att läsas", hintSize},
	"cond":    {RuleHidden, "villkorsstyrd formatering döljer innehållet", hintCond},
	"nr":      {RuleStructure, "Nr inte är heltalet som importen skrev", hintNr},
	"instr":   {RuleHidden, "bladet Instruktion har ändrats", hintInstruction},
	"link":    {RuleHidden, "det finns en hyperlänk", "ta bort länken (högerklicka > Ta bort hyperlänk)"},
	"valid":   {RuleHidden, "dataverifieringen har text", hintValid},
	"row":     {RuleHidden, "raden är dold", "visa raden (markera raderna runt den, högerklicka > Ta fram, eller ge den radhöjd); dolda rader följer med filen"},
	"comment": {RuleHidden, "det finns en kommentar", "ta bort kommentaren (högerklicka > Ta bort kommentar); kommentarer följer med filen och kan innehålla det som maskats"},
	"name":    {RuleHidden, "det finns ett definierat namn", "ta bort det under Formler > Namnhanteraren"},
}

const hintInstruction = "ta bort ändringen (bladet Instruktion ska vara som importen skrev det), eller ta bort bladet Instruktion"

func (c *checker) hygiene() {
	r, parts, sheet := c.r, c.parts, c.r.Sheet
	add, warn := c.add, c.warn
	for _, sh := range parts.Sheets {
		s := sh.Name
		switch {
		case sh.State == "hidden" || sh.State == "veryHidden":
			add(s+"!A1", RuleHidden, fmt.Sprintf("bladet %s är dolt", s), "ta bort bladet eller visa det (högerklicka på en bladflik > Ta fram); dolt innehåll följer med filen")
		case s != sheet && s != InstructionSheet:
			add(s+"!A1", RuleHidden, fmt.Sprintf("arbetsboken har ett extra blad, %s; granskningsboken får bara ha bladen %s och %s", s, sheet, InstructionSheet),
				"ta bort bladet (högerklicka på bladfliken > Ta bort); allt som står där följer med filen")
		}
	}
	if parts.HiddenView {
		add(sheet+"!A1", RuleHidden, "arbetsbokens fönster är dolt", "visa det (Visa > Ta fram) och spara")
	}
	for _, row := range c.rows[min(1, len(c.rows)):] {
		if row.Hidden {
			c.cellFinding("row", r.CellRef(0, row.Num), RuleHidden, fmt.Sprintf("rad %d är dold", row.Num), cellKinds["row"].hint)
		}
	}
	for _, col := range c.sd.HiddenCols {
		if col > c.cols+2 {
			continue
		}
		name, _ := excelize.ColumnNumberToName(col)
		add(sheet+"!"+name+"1", RuleHidden, fmt.Sprintf("kolumn %s är dold", name), "visa kolumnen (högerklicka på kolumnrubrikerna > Ta fram, eller ge den bredd)")
	}
	for _, sh := range parts.Sheets {
		for _, cell := range parts.Comments[sh.Name] {
			c.cellFinding("comment", sh.Name+"!"+cell, RuleHidden, "cellen har en kommentar", cellKinds["comment"].hint)
		}
		for _, part := range parts.BadComments[sh.Name] {
			add(sh.Name+"!A1", RuleHidden, fmt.Sprintf("bladet har kommentarer som inte kan läsas (%s)", part), "ta bort alla kommentarer (Granska > Ta bort) och spara")
		}
	}
	c.cells(c.sd, sheet, true)
	c.nr()
	c.tail(c.sd, sheet, true)
	if c.instr != nil {
		c.cells(c.instr, InstructionSheet, false)
		c.tail(c.instr, InstructionSheet, false)
		c.instruction()
	}
	for _, pf := range inspectParts(c.zr, parts, sheet) {
		if pf.warn {
			warn(pf.cell, pf.rule, pf.msg, pf.hint)
		} else {
			add(pf.cell, pf.rule, pf.msg, pf.hint)
		}
	}
	if hasExternalLinks(c.zr) {
		add(sheet+"!A1", RuleHidden, "arbetsboken har länkar till andra arbetsböcker", "ta bort länkarna (Data > Redigera länkar > Bryt länk)")
	}
	for _, d := range parts.Names {
		if strings.HasPrefix(d.Name, "_xlnm.") { // print areas and filters that Excel makes itself
			continue
		}
		c.cellFinding("name", sheet+"!A1", RuleHidden, fmt.Sprintf("arbetsboken har det definierade namnet %q (%s)", d.Name, d.RefersTo), cellKinds["name"].hint)
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
	for _, t := range parts.Texts {
		warn(sheet+"!A1", RuleMetadata, fmt.Sprintf("dokumentegenskapen %s har text", t.what), "ta bort den under Arkiv > Info > Egenskaper > Avancerade egenskaper; den följer med filen")
	}
	if parts.Custom > 0 {
		warn(sheet+"!A1", RuleMetadata, fmt.Sprintf("arbetsboken har %d anpassade dokumentegenskaper", parts.Custom), "ta bort dem under Arkiv > Info > Egenskaper > Avancerade egenskaper")
	}
	c.flushCounts(cellKinds)
}

// cellRef returns "Blad!F17".
func cellRef(sheet string, col, row int) string {
	return sheet + "!" + colLetters(col) + strconv.Itoa(row)
}

// cells checks every cell of a sheet for formulas and, in the data sheet (look), for what
// makes its value invisible.
func (c *checker) cells(sd *SheetData, sheet string, look bool) {
	runs := map[[2]int32][]uint16{}
	if look {
		for _, run := range sd.runs {
			k := [2]int32{run.row, run.col}
			runs[k] = append(runs[k], run.font)
		}
	}
	type verdict struct{ what, key, hint string }
	cache := map[int]verdict{} // by style, kind and sign, for cells without runs
	signs := map[int]bool{}    // styles whose format has sections (so a number's sign matters)
	for _, row := range sd.Rows {
		for i, v := range row.Cells {
			kind := row.Kinds[i]
			if kind.Formula() {
				c.cellFinding("formula", cellRef(sheet, i+1, row.Num), RuleHidden, "cellen har en formel: det sparade värdet kan vara text som inte syns i cellen", hintFormula)
			}
			if !look || v == "" {
				continue
			}
			var res verdict
			var cellRuns []uint16
			if len(runs) > 0 {
				cellRuns = runs[[2]int32{int32(row.Num), int32(i + 1)}]
			}
			if len(cellRuns) == 0 {
				xf := row.Styles[i]
				k := xf<<6 | int(kind.Type())<<2 | 1
				if !kind.Text() {
					matters, ok := signs[xf]
					if !ok {
						matters = strings.Contains(c.st.formatCode(c.st.xf(xf).numFmt), ";")
						signs[xf] = matters
					}
					if matters {
						k += int(sign(v))
					}
				}
				var ok bool
				if res, ok = cache[k]; !ok {
					res.what, res.key, res.hint = c.invisible(row.Styles[i], kind, v, nil, sd.fonts)
					cache[k] = res
				}
			} else {
				res.what, res.key, res.hint = c.invisible(row.Styles[i], kind, v, cellRuns, sd.fonts)
			}
			if res.what != "" {
				c.cellFinding(res.key, cellRef(sheet, i+1, row.Num), RuleHidden, res.what, res.hint)
			}
		}
	}
}

// sign is -1, 0 or 1 for a number's sign (0 for what is no number), which decides its format
// section.
func sign(v string) int8 {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	switch {
	case err != nil || f == 0:
		return 0
	case f < 0:
		return -1
	}
	return 1
}

// invisible tells why the value v of a cell of style xf and kind, with rich text runs of the
// fonts runs, cannot be read ("" when it can).
func (c *checker) invisible(xf int, kind CellKind, v string, runs []uint16, fonts *runFonts) (what, key, hint string) {
	st := c.st
	x := st.xf(xf)
	text := kind.Text() || kind.Type() == KindOther
	num, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if kind.Type() == KindBool || kind.Type() == KindError {
		text = true // shown as TRUE, #N/A: no number format applies
	}
	code := st.formatCode(x.numFmt)
	shows, fmtColor := fmtShows(code, text, num)
	if !shows {
		return fmt.Sprintf("cellen har talformatet ”%s”, som inte visar innehållet", code), "format", hintFormat
	}
	font := st.font(x.font)
	bgs := st.backgrounds(st.fill(x.fill), false)
	color := st.resolve(font.color, black)
	if fmtColor.set {
		color = st.resolve(fmtColor, black)
	}
	if unreadable(color, bgs) {
		return "cellens text har nästan samma färg som bakgrunden och syns inte", "color", hintColor
	}
	if size := st.fontSize(font); size < minFontSize {
		return fmt.Sprintf("cellens text har teckenstorleken %g punkter och går inte att läsa", size), "size", hintSize
	}
	for _, id := range runs {
		rf := fonts.list[id]
		rc := color
		if rf.color.set && !fmtColor.set {
			rc = st.resolve(rf.color, black)
		}
		if unreadable(rc, bgs) {
			return "en del av cellens text har nästan samma färg som bakgrunden och syns inte", "color", hintColor
		}
		if rf.sizeSet && rf.size < minFontSize {
			return fmt.Sprintf("en del av cellens text har teckenstorleken %g punkter och går inte att läsa", rf.size), "size", hintSize
		}
	}
	return "", "", ""
}

// plainInt tells whether v is a positive integer written plainly, as the import writes Nr:
// digits, no leading zero, at most 9 of them.
func plainInt(v string) bool {
	if len(v) == 0 || len(v) > 9 || v[0] == '0' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// nr checks that each data row's Nr is a number cell holding a positive integer as written
// plainly ("5", not "5.000", "5e0" or "0x1.4p2", which the number parser would take).
func (c *checker) nr() {
	for _, row := range c.rows[min(1, len(c.rows)):max(c.last+1, min(1, len(c.rows)))] {
		v, kind := "", KindNone
		if len(row.Cells) > 0 {
			v, kind = row.Cells[0], row.Kinds[0]
		}
		if kind.Formula() || kind.Type() == KindNumber && plainInt(v) {
			continue
		}
		var what string
		switch {
		case strings.TrimSpace(v) == "":
			what = "Nr är tomt"
		case kind.Text():
			what = fmt.Sprintf("Nr är texten %q, inte talet som importen skrev", v)
		default:
			what = fmt.Sprintf("Nr är skrivet %q, inte som heltalet importen skrev", v)
		}
		c.cellFinding("nr", c.r.CellRef(0, row.Num), RuleStructure, what, hintNr)
	}
}

// ---- After the cells ----

// tail checks a sheet's data validations, conditional formats (in the data sheet, look),
// hyperlinks and header and footer.
func (c *checker) tail(sd *SheetData, sheet string, look bool) {
	rules := 0
	for _, root := range sd.tail {
		for _, dv := range root.all("dataValidation") {
			if rules++; rules > maxCondRules {
				break
			}
			if msg := c.validation(dv); msg != "" {
				c.cellFinding("valid", firstCell(sheet, sqrefOf(dv)), RuleHidden, msg, hintValid)
			}
		}
		if look {
			for _, cf := range root.all("conditionalFormatting") {
				sqref := sqrefOf(cf)
				ranges := parseSqref(sqref)
				for _, rule := range cf.all("cfRule") {
					if rules++; rules > maxCondRules {
						break
					}
					if cell, msg := c.condFormat(sd, sheet, sqref, ranges, rule); msg != "" {
						c.cellFinding("cond", cell, RuleHidden, msg, hintCond)
					}
				}
			}
		}
		for _, h := range root.all("hyperlink") {
			ref, _ := h.attr("ref")
			c.cellFinding("link", firstCell(sheet, ref), RuleHidden, "cellen har en hyperlänk, vars adress och skärmtips inte syns i cellen", cellKinds["link"].hint)
		}
		if root.name == "headerFooter" {
			var which []string
			names := map[string]string{"oddHeader": "sidhuvud", "oddFooter": "sidfot", "evenHeader": "sidhuvud (jämna sidor)",
				"evenFooter": "sidfot (jämna sidor)", "firstHeader": "sidhuvud (första sidan)", "firstFooter": "sidfot (första sidan)"}
			for _, k := range root.kids {
				if w, ok := names[k.name]; ok && headerFooterText(k.textAll()) != "" {
					which = append(which, w)
				}
			}
			if len(which) > 0 {
				c.add(sheet+"!A1", RuleHidden, fmt.Sprintf("bladet %s har text i %s, som inte syns i cellerna", sheet, strings.Join(which, ", ")),
					"ta bort texten (Infoga > Sidhuvud och sidfot, eller Sidlayout > Utskriftsformat > Sidhuvud/sidfot: Ingen)")
			}
		}
	}
	if rules > maxCondRules {
		c.add(sheet+"!A1", RuleHidden, fmt.Sprintf("bladet %s har fler än %d regler för villkorsstyrd formatering och dataverifiering; de kan inte alla kontrolleras", sheet, maxCondRules), hintCond)
	}
}

// headerFooterText returns the literal text of a header or footer: without its codes for
// sections, fonts, colours, page numbers, dates, file and sheet names (&L, &"Arial,Fet", &12,
// &KFF0000, &P, &D, &F ...).
func headerFooterText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c == '&':
			b.WriteByte('&')
		case c == '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case c >= '0' && c <= '9':
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
		case c == 'K':
			i += min(6, len(s)-i-1) // &KRRGGBB, or &Ktt+nnn of a theme colour
		}
	}
	return strings.TrimSpace(b.String())
}

// sqrefOf returns the cells an element applies to: its sqref attribute, or (in extensions)
// its sqref child.
func sqrefOf(n *xnode) string {
	if v, ok := n.attr("sqref"); ok {
		return v
	}
	if k := n.child("sqref"); k != nil {
		return string(k.text)
	}
	return ""
}

// firstCell returns "Blad!F2" for the first cell of a reference such as "F2:F31 H2".
func firstCell(sheet, sqref string) string {
	for _, r := range parseSqref(sqref) {
		return cellRef(sheet, r.c1, r.r1)
	}
	return sheet + "!A1"
}

type cellRange struct{ c1, r1, c2, r2 int }

// parseSqref reads a list of ranges ("A1:B5 C7 $D$2:$D$9"); what it cannot read is left out.
func parseSqref(s string) []cellRange {
	var out []cellRange
	for _, part := range strings.Fields(s) {
		a, b, ok := strings.Cut(strings.ReplaceAll(part, "$", ""), ":")
		if !ok {
			b = a
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil {
			// whole columns ("F:F") or rows ("2:5")
			if cc1, e1 := excelize.ColumnNameToNumber(a); e1 == nil {
				if cc2, e2 := excelize.ColumnNameToNumber(b); e2 == nil {
					out = append(out, cellRange{min(cc1, cc2), 1, max(cc1, cc2), maxSheetRows})
				}
			} else if rr1, e1 := strconv.Atoi(a); e1 == nil {
				if rr2, e2 := strconv.Atoi(b); e2 == nil {
					out = append(out, cellRange{1, min(rr1, rr2), maxSheetCols, max(rr1, rr2)})
				}
			}
			continue
		}
		out = append(out, cellRange{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)})
		if len(out) >= 1000 {
			break
		}
	}
	return out
}

// validation tells what is wrong with a data validation: literal text other than the P list
// in its formulas, or messages other than the import's.
func (c *checker) validation(dv *xnode) string {
	typ, _ := dv.attr("type")
	f1, f2 := formulaOf(dv, "formula1"), formulaOf(dv, "formula2")
	if typ == "list" && f1 == `"`+workflow.MarkPrivate+`"` && f2 == "" {
		for _, m := range []struct{ attr, want string }{{"errorTitle", markErrorTitle}, {"error", markErrorText}, {"promptTitle", ""}, {"prompt", ""}} {
			if v, _ := dv.attr(m.attr); v != "" && v != m.want {
				return "dataverifieringen har ett eget meddelande, som inte syns i cellerna"
			}
		}
		return ""
	}
	for _, f := range []string{f1, f2} {
		if literals(f) {
			return "dataverifieringen har en lista eller formel med text, som inte syns i cellerna"
		}
	}
	for _, a := range []string{"errorTitle", "error", "promptTitle", "prompt"} {
		if v, _ := dv.attr(a); strings.TrimSpace(v) != "" {
			return "dataverifieringen har ett eget meddelande, som inte syns i cellerna"
		}
	}
	return ""
}

func formulaOf(n *xnode, name string) string {
	if k := n.child(name); k != nil {
		return strings.TrimSpace(k.textAll())
	}
	return ""
}

// literals tells whether a formula has a quoted text.
func literals(f string) bool {
	for i := 0; i < len(f); i++ {
		if f[i] == '"' {
			j := strings.IndexByte(f[i+1:], '"')
			if j > 0 || j < 0 && len(f) > i+1 {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// maxCondCells bounds the cells looked at for conditional formats in all.
const maxCondCells = 20 << 20

// condFormat tells whether a conditional-format rule, for the ranges sqref of the sheet, can
// make a non-empty cell's value invisible; cell is the first such.
func (c *checker) condFormat(sd *SheetData, sheet, sqref string, ranges []cellRange, rule *xnode) (cell, msg string) {
	st := c.st
	for _, k := range rule.kids {
		if k.name == "dataBar" || k.name == "iconSet" {
			if v, ok := k.attr("showValue"); ok && !xsdBool(v) && v != "" {
				return firstCell(sheet, sqref), "villkorsstyrd formatering visar bara en stapel eller ikon i stället för cellens värde"
			}
		}
	}
	var dxf *dxfSpec
	if v, ok := rule.attr("dxfId"); ok {
		if id, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && id >= 0 && id < len(st.dxfs) {
			dxf = &st.dxfs[id]
		}
	}
	if k := rule.child("dxf"); k != nil {
		dxf = inlineDxf(k)
	}
	var scale []rgb // a colour scale's fills
	if k := rule.child("colorScale"); k != nil {
		for _, col := range k.all("color") {
			scale = append(scale, st.resolve(colorOf(col.attr), white))
		}
	}
	if dxf == nil && scale == nil {
		return "", ""
	}
	budget := &c.condBudget
	type key struct {
		xf   int
		kind CellKind
		sign int8
	}
	cache := map[key]string{}
	for _, rg := range ranges {
		first, _ := slices.BinarySearchFunc(sd.Rows, rg.r1, func(r SheetRow, n int) int { return cmp.Compare(r.Num, n) })
		for _, row := range sd.Rows[first:] {
			if row.Num > rg.r2 {
				break
			}
			if *budget++; *budget > maxCondCells {
				return firstCell(sheet, sqref), "den villkorsstyrda formateringen gäller för många celler för att kontrolleras"
			}
			for col := rg.c1; col <= rg.c2 && col <= len(row.Cells); col++ {
				if *budget++; *budget > maxCondCells {
					return firstCell(sheet, sqref), "den villkorsstyrda formateringen gäller för många celler för att kontrolleras"
				}
				v := row.Cells[col-1]
				if v == "" {
					continue
				}
				kind := row.Kinds[col-1]
				k := key{row.Styles[col-1], kind.Type(), 0}
				if !kind.Text() {
					k.sign = sign(v)
				}
				why, ok := cache[k]
				if !ok {
					why = c.condHides(dxf, scale, row.Styles[col-1], kind, v)
					cache[k] = why
				}
				if why != "" {
					return cellRef(sheet, col, row.Num), why
				}
			}
		}
	}
	return "", ""
}

// condHides tells how a conditional format (dxf, or a colour scale's fills) hides a value
// ("" when it does not).
func (c *checker) condHides(dxf *dxfSpec, scale []rgb, xf int, kind CellKind, v string) string {
	st := c.st
	x := st.xf(xf)
	text := kind.Text() || kind.Type() == KindBool || kind.Type() == KindError || kind.Type() == KindOther
	num, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
	code := st.formatCode(x.numFmt)
	if dxf != nil && dxf.hasNumFmt {
		code = dxf.numFmt
	}
	shows, fmtColor := fmtShows(code, text, num)
	if !shows {
		return fmt.Sprintf("villkorsstyrd formatering ger cellen talformatet ”%s”, som inte visar innehållet", code)
	}
	font := st.font(x.font)
	color := st.resolve(font.color, black)
	if dxf != nil && dxf.font.color.set {
		color = st.resolve(dxf.font.color, black)
	}
	if fmtColor.set {
		color = st.resolve(fmtColor, black)
	}
	bgs := st.backgrounds(st.fill(x.fill), false)
	if dxf != nil && dxf.fill != nil {
		bgs = st.backgrounds(dxf.fill, true)
	}
	if scale != nil {
		bgs = scale
		for _, bg := range scale {
			if contrast(color, bg) < minContrast {
				return "villkorsstyrd formatering (en färgskala) ger cellen en bakgrund som texten inte syns mot"
			}
		}
	}
	if unreadable(color, bgs) {
		return "villkorsstyrd formatering ger texten nästan samma färg som bakgrunden, så att den inte syns"
	}
	if dxf != nil && dxf.font.sizeSet && dxf.font.size < minFontSize {
		return fmt.Sprintf("villkorsstyrd formatering ger texten teckenstorleken %g punkter", dxf.font.size)
	}
	return ""
}

// inlineDxf reads a differential format written in an extension (x14:dxf).
func inlineDxf(n *xnode) *dxfSpec {
	d := &dxfSpec{}
	if f := n.child("font"); f != nil {
		if col := f.child("color"); col != nil {
			d.font.color = colorOf(col.attr)
		}
		if sz := f.child("sz"); sz != nil {
			if v, ok := sz.attr("val"); ok {
				d.font.size, d.font.sizeSet = parseFloat([]byte(v), 0), true
			}
		}
	}
	if f := n.child("fill"); f != nil {
		d.fill = &fillSpec{pattern: "solid"}
		if p := f.child("patternFill"); p != nil {
			if t, ok := p.attr("patternType"); ok {
				d.fill.pattern = t
			}
			if k := p.child("fgColor"); k != nil {
				d.fill.fg = colorOf(k.attr)
			}
			if k := p.child("bgColor"); k != nil {
				d.fill.bg = colorOf(k.attr)
			}
		}
	}
	if f := n.child("numFmt"); f != nil {
		d.numFmt, _ = f.attr("formatCode")
		d.hasNumFmt = true
	}
	return d
}

// instruction checks that the Instruktion sheet holds what the import writes (or what an
// earlier version wrote: earlierInstructions), and nothing else. It is compared with the
// version it differs least from, and every difference from that one is reported.
func (c *checker) instruction() {
	type diff struct{ ref, what string }
	compare := func(want []string) []diff {
		var out []diff
		seen := map[int]bool{}
		for _, row := range c.instr.Rows {
			for i, v := range row.Cells {
				expected := ""
				if i == 0 && row.Num >= 1 && row.Num <= len(want) {
					expected = want[row.Num-1]
					seen[row.Num] = true
				}
				if v != expected {
					what := "har text som importen inte skrev"
					if expected != "" {
						what = "har ändrats"
					}
					out = append(out, diff{cellRef(InstructionSheet, i+1, row.Num), what})
				}
			}
		}
		for n, line := range want {
			if line != "" && !seen[n+1] {
				out = append(out, diff{cellRef(InstructionSheet, 1, n+1), "har ändrats (den är tom)"})
			}
		}
		return out
	}
	best := compare(instruction)
	for _, v := range earlierInstructions {
		if d := compare(v); len(d) < len(best) {
			best = d
		}
	}
	for _, d := range best {
		c.cellFinding("instr", d.ref, RuleHidden, fmt.Sprintf("cellen på bladet %s %s", InstructionSheet, d.what), hintInstruction)
	}
}
