package validate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"utlamnande/processor/internal/workflow"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/finding"
)

// The tamper corpus: the demo case's review workbook (cases/2026-0001/utlamnande/e-postlogg.xlsx) with
// one thing done to it that a registrator must not do, validated against the demo raw
// export. Each case lists every finding exactly, as "regel@plats": the cell for workbook
// findings ("cell-ändrad@Logg!F5"), "request.md: <the line's text>" for front matter
// findings that follow from the tampering (a count that no longer matches, the masking proof
// at the sekretessprövad step), and " (varning)" after warnings. Each case then runs again
// without the raw export (as in CI): the workbook-only checks must still catch what they
// can, and nothing that needs the comparison may be reported.
//
// In the demo workbook the data row with Nr k is sheet row k+1. Rows worth knowing:
// Nr 3, 12, 20 are marked P; Nr 4, 6, 7, 9, 13, 23, 25, 28 are masked; Nr 5 is
// "[EXTERN] Faktura 2026-1187" in the raw export; Nr 17 has a phone number acknowledged as
// Logg!F18.

const (
	tamperID       = "2026-0001"
	tamperSheet    = "Logg"
	tamperWorkbook = "cases/" + tamperID + "/utlamnande/e-postlogg.xlsx"
	// demoWorkbookSHA is the released demo workbook's SHA-256, which its approval binds.
	demoWorkbookSHA = "2e05dd546e1ce22470924e81f3800b116091fe47e5a5574f548bfcd4e3a48d80"
	// tamperWorking is where the tampered copy lives: the working area, before the PDF step.
	tamperWorking = "cases/" + tamperID + "/arbetsyta/e-postlogg.xlsx"
	tamperRequest = "cases/" + tamperID + "/request.md"
	tamperRawFile = "meddelandesparning.csv"
)

var (
	demoRawOnce sync.Once
	demoRawData []byte
	demoRawErr  error
)

// demoRaw returns the bytes of the demo raw export, made once by the real generator
// (processor/scripts/demoexport), and checks them against the SHA-256 the demo case records.
func demoRaw(t *testing.T) []byte {
	t.Helper()
	demoRawOnce.Do(func() {
		dir, err := os.MkdirTemp("", "demoexport-")
		if err != nil {
			demoRawErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, tamperRawFile)
		cmd := exec.Command("go", "run", "../../scripts/demoexport", out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			demoRawErr = fmt.Errorf("go run ../../scripts/demoexport: %v: %s", err, bytes.TrimSpace(msg))
			return
		}
		demoRawData, demoRawErr = os.ReadFile(out)
	})
	if demoRawErr != nil {
		t.Fatalf("cannot make the demo raw export: %v", demoRawErr)
	}
	req, err := os.ReadFile(filepath.Join(repoRoot, "cases", tamperID, "request.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*sha256:\s*([0-9a-f]{64})\s*$`).FindSubmatch(req)
	if m == nil {
		t.Fatal("the demo request.md records no sha256")
	}
	sum := sha256.Sum256(demoRawData)
	if got := hex.EncodeToString(sum[:]); got != string(m[1]) {
		t.Fatalf("demoexport made a raw export with SHA-256 %s, the demo case records %s", got, m[1])
	}
	return demoRawData
}

// tamperCase is one tampering of the demo review workbook.
type tamperCase struct {
	name string
	// edit tampers with the workbook (nil: leave it as shipped, not even re-saved).
	edit func(t *testing.T, f *excelize.File)
	// request edits the demo request.md (nil: as shipped).
	request func(t *testing.T, s string) string
	// want is every finding with the raw export; noRaw every finding without it.
	want, noRaw []string
	// texts: a finding (key as in want or noRaw) whose message or hint must contain the text.
	texts map[string]string
}

// fileLeak is the finding of masked text kept in the workbook's file outside its visible
// cells (another sheet, a comment, the string table).
const fileLeak = "maskning-ofullständig@" + tamperWorking

// nrRow returns the sheet row of the data row with Nr nr.
func nrRow(nr int) string { return strconv.Itoa(nr + 1) }

// nrCell returns "F5" for column col of the data row with Nr nr.
func nrCell(col string, nr int) string { return col + nrRow(nr) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func setStr(t *testing.T, f *excelize.File, ref, v string) {
	t.Helper()
	must(t, f.SetCellStr(tamperSheet, ref, v))
}

// numberAt reads a numeric cell's raw value (a Nr, or a date's serial number).
func numberAt(t *testing.T, f *excelize.File, ref string) float64 {
	t.Helper()
	s, err := f.GetCellValue(tamperSheet, ref, excelize.Options{RawCellValue: true})
	must(t, err)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s is %q, not a number", ref, s)
	}
	return v
}

// copyCells returns the values of the data row with Nr nr in columns cols, to put back with
// putCells: A (Nr) and B (Datum) as numbers, the rest as text.
func copyCells(t *testing.T, f *excelize.File, nr int, cols string) []any {
	t.Helper()
	var out []any
	for _, c := range cols {
		ref := nrCell(string(c), nr)
		if c == 'A' || c == 'B' {
			out = append(out, numberAt(t, f, ref))
			continue
		}
		s, err := f.GetCellValue(tamperSheet, ref)
		must(t, err)
		out = append(out, s)
	}
	return out
}

func putCells(t *testing.T, f *excelize.File, nr int, cols string, values []any) {
	t.Helper()
	for i, c := range cols {
		ref := nrCell(string(c), nr)
		switch v := values[i].(type) {
		case float64:
			must(t, f.SetCellFloat(tamperSheet, ref, v, -1, 64))
		case string:
			must(t, f.SetCellStr(tamperSheet, ref, v))
		}
	}
}

// swapRows swaps the data rows with Nr a and b in columns cols.
func swapRows(t *testing.T, f *excelize.File, a, b int, cols string) {
	t.Helper()
	va, vb := copyCells(t, f, a, cols), copyCells(t, f, b, cols)
	putCells(t, f, a, cols, vb)
	putCells(t, f, b, cols, va)
}

// replaceLine replaces the one line of s that, trimmed, is old.
func replaceLine(t *testing.T, s, old, new string) string {
	t.Helper()
	lines := strings.Split(s, "\n")
	n := 0
	for i, l := range lines {
		if strings.TrimSpace(l) == old {
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			lines[i] = indent + new
			n++
		}
	}
	if n != 1 {
		t.Fatalf("request.md has %d lines %q, want 1", n, old)
	}
	return strings.Join(lines, "\n")
}

// editRequest returns a request edit replacing trimmed lines: old, new, old, new, ...
func editRequest(pairs ...string) func(t *testing.T, s string) string {
	return func(t *testing.T, s string) string {
		for i := 0; i+1 < len(pairs); i += 2 {
			s = replaceLine(t, s, pairs[i], pairs[i+1])
		}
		return s
	}
}

// Front matter findings, by the line they point at.
const (
	fmProof   = "maskbevis@request.md: sekretessprövad:"
	fmRows    = "granskningsbok@request.md: rader: 30"
	fmPrivate = "granskningsbok@request.md: antal_privata: 3"
	fmOSL25_1 = "undantagslogg@request.md: 25 kap. 1 § OSL: 3"
	// Masks with provisions the decision lacks: the finding points at the bestämmelser
	// mapping, whose position is its first entry (not the key bestämmelser:).
	fmProvisions = "undantagslogg@request.md: 25 kap. 1 § OSL: 3"
)

// atNr is the key of a finding by rule at column col of the data row with Nr nr.
func atNr(rule string, col string, nr int) string {
	return rule + "@" + tamperSheet + "!" + nrCell(col, nr)
}

var tamperCases = []tamperCase{
	{
		name: "text-ändrad-utanför-maskning",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 2), "Re: Offert städtjänster hus 5") // raw: hus 4
		},
		want:  []string{atNr("cell-ändrad", "F", 2), fmProof},
		noRaw: nil,
		texts: map[string]string{atNr("cell-ändrad", "F", 2): `efter 28 tecken står "5", i råexporten "4"`},
	},
	{
		name: "text-runt-maskning-ändrad",
		edit: func(t *testing.T, f *excelize.File) {
			// shipped: "Ang. patient [25 kap. 1 § OSL], remiss till ortopeden"
			setStr(t, f, nrCell("F", 4), "Ang. patient [25 kap. 1 § OSL], remiss till kirurgen")
		},
		want:  []string{atNr("cell-ändrad", "F", 4), fmProof},
		noRaw: nil,
	},
	{
		name: "text-före-maskning-ändrad",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. pat. [25 kap. 1 § OSL], remiss till ortopeden")
		},
		want:  []string{atNr("cell-ändrad", "F", 4), fmProof},
		noRaw: nil,
	},
	{
		name: "rad-borttagen",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.RemoveRow(tamperSheet, 11)) // Nr 10, "Nyhetsbrev oktober"
		},
		// Nr 11 now stands on sheet row 11. Kvitteringar name cells, so the acknowledged
		// phone number of Nr 17 (Logg!F18) moves up to Logg!F17 and is shown again.
		want:  []string{"rader@Logg!A11", fmRows, fmProof, atNr("känslig-uppgift", "F", 16) + " (varning)"},
		noRaw: []string{"rader@Logg!A11", fmRows, fmProof, atNr("känslig-uppgift", "F", 16) + " (varning)"},
		texts: map[string]string{"rader@Logg!A11": "raden med Nr 10 saknas"},
	},
	{
		name: "sista-raden-borttagen",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.RemoveRow(tamperSheet, 31)) // Nr 30
		},
		// Only the raw export knows there was a Nr 30; the row count still tells.
		want:  []string{"rader@Logg!A30", fmRows, fmProof},
		noRaw: []string{fmRows},
		texts: map[string]string{"rader@Logg!A30": "raden med Nr 30 saknas"},
	},
	{
		name: "rader-bytta-med-nr",
		edit: func(t *testing.T, f *excelize.File) {
			swapRows(t, f, 14, 15, "ABCDEFG")
		},
		want:  []string{"rader@Logg!A16", fmProof},
		noRaw: []string{"rader@Logg!A16", fmProof},
		texts: map[string]string{"rader@Logg!A16": "raderna har bytt plats: Nr 14 står efter Nr 15"},
	},
	{
		name: "rader-bytta-nr-kvar",
		edit: func(t *testing.T, f *excelize.File) {
			swapRows(t, f, 14, 15, "BCDEFG")
		},
		// Nr 14 is sent by Erik (Skickat), Nr 15 received (Inkorg): every column differs.
		want: []string{
			atNr("cell-ändrad", "B", 14), atNr("cell-ändrad", "C", 14), atNr("cell-ändrad", "D", 14), atNr("cell-ändrad", "E", 14), atNr("cell-ändrad", "F", 14),
			atNr("cell-ändrad", "B", 15), atNr("cell-ändrad", "C", 15), atNr("cell-ändrad", "D", 15), atNr("cell-ändrad", "E", 15), atNr("cell-ändrad", "F", 15),
			fmProof,
		},
		noRaw: nil,
	},
	{
		name: "rad-dubblerad",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.DuplicateRow(tamperSheet, 11)) // Nr 10 again on row 12
		},
		// The acknowledged phone number of Nr 17 moves down from Logg!F18 to Logg!F19.
		want:  []string{"rader@Logg!A12", fmRows, fmProof, atNr("känslig-uppgift", "F", 18) + " (varning)"},
		noRaw: []string{"rader@Logg!A12", fmRows, fmProof, atNr("känslig-uppgift", "F", 18) + " (varning)"},
		texts: map[string]string{"rader@Logg!A12": "Nr 10 finns redan på rad 11"},
	},
	{
		name: "rad-tillagd-sist",
		edit: func(t *testing.T, f *excelize.File) {
			last := copyCells(t, f, 30, "ABCDEFG")
			last[0] = 31.0
			last[1] = last[1].(float64) + 1
			last[5] = "Inbjudan till julbord"
			putCells(t, f, 31, "ABCDEFG", last)
		},
		want:  []string{"rader@Logg!A32", fmRows, fmProof},
		noRaw: []string{fmRows},
		texts: map[string]string{"rader@Logg!A32": "Nr 31 finns inte i råexporten (den har 30 rader)"},
	},
	{
		name: "nr-ändrat",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetCellInt(tamperSheet, nrCell("A", 10), 9)) // Nr 10 → 9
		},
		want:  []string{"rader@Logg!A11", "rader@Logg!A12", fmProof},
		noRaw: []string{"rader@Logg!A11", "rader@Logg!A12", fmProof},
		texts: map[string]string{"rader@Logg!A11": "Nr 9 finns redan på rad 10", "rader@Logg!A12": "raden med Nr 10 saknas"},
	},
	{
		name: "nr-ändrat-till-text",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("A", 10), "10a")
		},
		// The row cannot be tied to Nr 10, so Nr 10 is also missing before Nr 11; and Nr is
		// not the integer the import wrote.
		want:  []string{"granskningsbok-form@Logg!A11", "rader@Logg!A11", "rader@Logg!A12", fmProof},
		noRaw: []string{"granskningsbok-form@Logg!A11", "rader@Logg!A11", "rader@Logg!A12", fmProof},
		texts: map[string]string{"rader@Logg!A11": `Nr "10a" är inget radnummer`, "rader@Logg!A12": "raden med Nr 10 saknas"},
	},
	{
		name: "p-markerad-och-ämnesrad-ändrad",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("G", 24), "P")
			setStr(t, f, nrCell("F", 24), "Tack för i dag, kram") // raw: "Tack för i dag"
		},
		request: editRequest("antal_privata: 3", "antal_privata: 4"),
		want:    []string{atNr("cell-ändrad", "F", 24), fmProof},
		noRaw:   nil,
	},
	{
		name: "p-i-ämnesraden",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 3), "Middag på lördag? P")
			setStr(t, f, nrCell("G", 3), "")
		},
		want:  []string{atNr("cell-ändrad", "F", 3), fmPrivate, fmProof},
		noRaw: []string{fmPrivate},
		texts: map[string]string{atNr("cell-ändrad", "F", 3): "P skrivs i kolumnen Markering, inte i Ämne"},
	},
	{
		name: "markering-litet-p",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("G", 3), "p")
		},
		// A lower-case p is not counted as P, so antal_privata no longer matches either.
		want:  []string{atNr("markering", "G", 3), fmPrivate, fmProof},
		noRaw: []string{atNr("markering", "G", 3), fmPrivate, fmProof},
		texts: map[string]string{atNr("markering", "G", 3): "skriv stort P"},
	},
	{
		name: "markering-x",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("G", 24), "X")
		},
		want:  []string{atNr("markering", "G", 24), fmProof},
		noRaw: []string{atNr("markering", "G", 24), fmProof},
		texts: map[string]string{atNr("markering", "G", 24): `markeringen "X" är inte tillåten`},
	},
	{
		// Unmasked, then masked again in an editor that keeps the old text in the file's
		// string table (excelize does; Excel drops it on save): no cell shows it, the file
		// still holds it, and the file is what is approved and released.
		name: "gammal-text-kvar-i-filen",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. patient Anna Patientsson, remiss till ortopeden")
			setStr(t, f, nrCell("F", 4), "Ang. patient [25 kap. 1 § OSL], remiss till ortopeden")
		},
		want:  []string{fileLeak, fmProof},
		texts: map[string]string{fileLeak: "i xl/sharedStrings.xml"},
	},
	{
		name: "maskning-döljer-inget",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 10), "Nyhetsbrev oktober[25 kap. 1 § OSL]")
		},
		// The mask is counted: the decision's 3 no longer match the workbook's 4.
		want:  []string{atNr("tom-maskning", "F", 10), fmOSL25_1, fmProof},
		noRaw: []string{fmOSL25_1},
	},
	{
		name: "tomma-hakparenteser-som-bestämmelse",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. patient [], remiss till ortopeden")
		},
		// As for [25 kap 1§] below: an unreadable reference, and (with the raw export) a changed text.
		want:  []string{atNr("bestämmelse", "F", 4), atNr("cell-ändrad", "F", 4), fmOSL25_1, fmProof},
		noRaw: []string{atNr("bestämmelse", "F", 4), fmOSL25_1, fmProof},
		texts: map[string]string{atNr("bestämmelse", "F", 4): "tom hänvisning"},
	},
	{
		name: "oläslig-hänvisning",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. patient [25 kap 1§], remiss till ortopeden")
		},
		// Not a mask, so also a changed text; and 25 kap. 1 § now masks 2, not 3.
		want:  []string{atNr("bestämmelse", "F", 4), atNr("cell-ändrad", "F", 4), fmOSL25_1, fmProof},
		noRaw: []string{atNr("bestämmelse", "F", 4), fmOSL25_1, fmProof},
		texts: map[string]string{atNr("bestämmelse", "F", 4): "saknar lagens namn"},
	},
	{
		name: "okänd-bestämmelse",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. patient [25 kap. 11 § OSL], remiss till ortopeden")
		},
		want:  []string{atNr("bestämmelse", "F", 4), fmOSL25_1, fmProof},
		noRaw: []string{atNr("bestämmelse", "F", 4), fmOSL25_1, fmProof},
		texts: map[string]string{atNr("bestämmelse", "F", 4): "menade du 25 kap. 1 § OSL"},
	},
	{
		name: "maskning-utanför-beslutet",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 19), "Rapport från [25 kap. 7 § OSL] om avdelning 7") // raw: "från visselblåsare"
		},
		// A correct mask, but the decision does not name 25 kap. 7 § OSL.
		want:  []string{fmProvisions},
		noRaw: []string{fmProvisions},
		texts: map[string]string{fmProvisions: `lägg till i bestämmelser: "25 kap. 7 § OSL": 1`},
	},
	{
		name: "datum-skrivet-som-text",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("B", 10), "2026-10-06 14:31")
		},
		want:  []string{atNr("cell-ändrad", "B", 10), fmProof},
		noRaw: []string{atNr("cell-ändrad", "B", 10), fmProof},
		texts: map[string]string{atNr("cell-ändrad", "B", 10): `Datum är ändrad till texten "2026-10-06 14:31"`},
	},
	{
		name: "datum-annan-tid",
		edit: func(t *testing.T, f *excelize.File) {
			v := numberAt(t, f, nrCell("B", 10))
			must(t, f.SetCellFloat(tamperSheet, nrCell("B", 10), v+1.0/24/60, -1, 64)) // one minute later
		},
		want:  []string{atNr("cell-ändrad", "B", 10), fmProof},
		noRaw: nil,
		texts: map[string]string{atNr("cell-ändrad", "B", 10): "Datum är 2026-10-06 14:32:00 men 2026-10-06 14:31:00 i råexporten"},
	},
	{
		name: "dold-rad",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetRowVisible(tamperSheet, 11, false))
		},
		want:  []string{"dolt-innehåll@Logg!A11", fmProof},
		noRaw: []string{"dolt-innehåll@Logg!A11", fmProof},
	},
	{
		name: "dold-kolumn",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetColVisible(tamperSheet, "F", false))
		},
		want:  []string{"dolt-innehåll@Logg!F1", fmProof},
		noRaw: []string{"dolt-innehåll@Logg!F1", fmProof},
	},
	{
		name: "dolt-extra-blad",
		edit: func(t *testing.T, f *excelize.File) {
			_, err := f.NewSheet("Omaskat")
			must(t, err)
			must(t, f.SetCellStr("Omaskat", "A1", "Ang. patient Anna Patientsson"))
			must(t, f.SetSheetVisible("Omaskat", false))
		},
		want:  []string{"dolt-innehåll@Omaskat!A1", fmProof, fileLeak},
		noRaw: []string{"dolt-innehåll@Omaskat!A1", fmProof},
	},
	{
		name: "synligt-extra-blad",
		edit: func(t *testing.T, f *excelize.File) {
			_, err := f.NewSheet("Anteckningar")
			must(t, err)
			must(t, f.SetCellStr("Anteckningar", "A1", "fråga juristen om Nr 19"))
		},
		// Only Logg and Instruktion are accepted: another sheet is an error (it travels with
		// whatever copy of the workbook is kept).
		want:  []string{"dolt-innehåll@Anteckningar!A1", fmProof},
		noRaw: []string{"dolt-innehåll@Anteckningar!A1", fmProof},
	},
	{
		name: "radhöjd-noll",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetRowHeight(tamperSheet, 11, 0))
		},
		want:  []string{"dolt-innehåll@Logg!A11", fmProof},
		noRaw: []string{"dolt-innehåll@Logg!A11", fmProof},
	},
	{
		name: "kolumnbredd-noll",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetColWidth(tamperSheet, "F", "F", 0))
		},
		want:  []string{"dolt-innehåll@Logg!F1", fmProof},
		noRaw: []string{"dolt-innehåll@Logg!F1", fmProof},
	},
	{
		name: "mycket-dolt-extra-blad",
		edit: func(t *testing.T, f *excelize.File) {
			_, err := f.NewSheet("Omaskat")
			must(t, err)
			must(t, f.SetCellStr("Omaskat", "A1", "Ang. patient Anna Patientsson"))
			must(t, f.SetSheetVisible("Omaskat", false, true))
		},
		want:  []string{"dolt-innehåll@Omaskat!A1", fmProof, fileLeak},
		noRaw: []string{"dolt-innehåll@Omaskat!A1", fmProof},
	},
	{
		name: "text-utanför-tabellen",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("H", 4), "Anna Patientsson")
		},
		want:  []string{atNr("granskningsbok-form", "H", 4), fmProof, fileLeak},
		noRaw: []string{atNr("granskningsbok-form", "H", 4), fmProof},
	},
	{
		name: "rubrik-ändrad",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, "F1", "Ämnesrad")
		},
		want:  []string{"granskningsbok-form@Logg!A1", fmProof},
		noRaw: []string{"granskningsbok-form@Logg!A1", fmProof},
	},
	{
		name: "kommentar",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.AddComment(tamperSheet, excelize.Comment{Cell: nrCell("F", 4), Author: "reg1", Text: "patienten heter Anna Patientsson"}))
		},
		want:  []string{atNr("dolt-innehåll", "F", 4), fmProof, fileLeak},
		noRaw: []string{atNr("dolt-innehåll", "F", 4), fmProof},
	},
	{
		name: "talformat-tre-semikolon",
		edit: func(t *testing.T, f *excelize.File) {
			format := ";;;"
			id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
			must(t, err)
			must(t, f.SetCellStyle(tamperSheet, nrCell("F", 4), nrCell("F", 4), id))
		},
		want:  []string{atNr("dolt-innehåll", "F", 4), fmProof},
		noRaw: []string{atNr("dolt-innehåll", "F", 4), fmProof},
	},
	{
		name: "definierat-namn",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetDefinedName(&excelize.DefinedName{Name: "Patient", RefersTo: "Logg!$F$5"}))
		},
		want:  []string{"dolt-innehåll@Logg!A1", fmProof},
		noRaw: []string{"dolt-innehåll@Logg!A1", fmProof},
		texts: map[string]string{"dolt-innehåll@Logg!A1": `det definierade namnet "Patient"`},
	},
	{
		name: "dokumentegenskap-skapare",
		edit: func(t *testing.T, f *excelize.File) {
			must(t, f.SetDocProps(&excelize.DocProperties{Creator: "Rita Registrator"}))
		},
		want:  []string{"arbetsbok-metadata@Logg!A1 (varning)"},
		noRaw: []string{"arbetsbok-metadata@Logg!A1 (varning)"},
		texts: map[string]string{"arbetsbok-metadata@Logg!A1 (varning)": `skapare är "Rita Registrator"`},
	},
	{
		name: "personnummer-infogat",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 24), "Tack för i dag 811228-9874")
		},
		want:  []string{atNr("cell-ändrad", "F", 24), atNr("känslig-uppgift", "F", 24) + " (varning)", fmProof},
		noRaw: []string{atNr("känslig-uppgift", "F", 24) + " (varning)"},
		texts: map[string]string{atNr("känslig-uppgift", "F", 24) + " (varning)": "personnummer (811228-9874)"},
	},
	{
		name: "personnummer-omaskat",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 7), "Begärd journalkopia 19811228-9874") // as in the raw export
		},
		request: editRequest("25 kap. 1 § OSL: 3", "25 kap. 1 § OSL: 2"),
		want:    []string{atNr("känslig-uppgift", "F", 7) + " (varning)"},
		noRaw:   []string{atNr("känslig-uppgift", "F", 7) + " (varning)"},
		texts:   map[string]string{atNr("känslig-uppgift", "F", 7) + " (varning)": "kvitteringar: [{cell: Logg!F8"},
	},
}

// cleanCases must give no finding at all, with and without the raw export.
var cleanCases = []tamperCase{
	{
		name: "maskat-namn-i-p-rad",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 12), "Kalas för [25 kap. 1 § OSL] på söndag") // raw: "Kalas för Nils på söndag"
		},
		// A P row is masked like any other (secrecy attaches to the log row whatever the
		// e-mail is): no finding once the decision counts the mask.
		request: editRequest("25 kap. 1 § OSL: 3", "25 kap. 1 § OSL: 4"),
	},
	{name: "demo-som-levererad"},
	{
		name: "demo-sparad-av-excelize",
		edit: func(t *testing.T, f *excelize.File) {},
	},
	{
		name: "extra-maskning-med-ändrat-beslut",
		edit: func(t *testing.T, f *excelize.File) {
			// raw: "Skyddad adress: Berit Skyddad har flyttat till Storgatan 1, Exempelstad"
			setStr(t, f, nrCell("F", 9), "Skyddad adress: [21 kap. 3 § OSL] har flyttat till [21 kap. 3 § OSL]")
		},
		request: editRequest("21 kap. 3 § OSL: 1", "21 kap. 3 § OSL: 2"),
	},
	{
		name: "kortform-osl-25-1",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 4), "Ang. patient [OSL 25:1], remiss till ortopeden")
		},
	},
	{
		name: "personnummer-omaskat-kvitterat",
		edit: func(t *testing.T, f *excelize.File) {
			setStr(t, f, nrCell("F", 7), "Begärd journalkopia 19811228-9874")
		},
		request: func(t *testing.T, s string) string {
			s = editRequest("25 kap. 1 § OSL: 3", "25 kap. 1 § OSL: 2")(t, s)
			return replaceLine(t, s, "kvitteringar:", "kvitteringar:\n  - cell: Logg!F8\n    skäl: Personnumret är frågeställarens eget; inte sekretessbelagt mot hen.")
		},
	},
	{
		name: "hakparentes-text-bredvid-maskning",
		edit: func(t *testing.T, f *excelize.File) {
			// raw: "[EXTERN] Faktura 2026-1187": the [EXTERN] is the sender's, not a mask.
			setStr(t, f, nrCell("F", 5), "[EXTERN] Faktura [25 kap. 1 § OSL]")
		},
		request: editRequest("25 kap. 1 § OSL: 3", "25 kap. 1 § OSL: 4"),
	},
}

func TestTamper(t *testing.T) {
	if len(tamperCases) < 22 {
		t.Errorf("the tamper corpus has %d cases, want at least 22", len(tamperCases))
	}
	raw := demoRaw(t)
	names := map[string]bool{}
	for _, tc := range append(slices.Clone(tamperCases), cleanCases...) {
		if names[tc.name] {
			t.Errorf("two cases are named %s", tc.name)
		}
		names[tc.name] = true
		for k := range tc.texts {
			if !slices.Contains(tc.want, k) && !slices.Contains(tc.noRaw, k) {
				t.Errorf("%s: texts names %s, which neither run expects", tc.name, k)
			}
		}
	}
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.want) == 0 {
				t.Fatal("a tampered workbook must give findings")
			}
			runTamper(t, tc, raw)
		})
	}
}

func TestTamperClean(t *testing.T) {
	raw := demoRaw(t)
	for _, tc := range cleanCases {
		t.Run(tc.name, func(t *testing.T) {
			runTamper(t, tc, raw)
		})
	}
}

// runTamper builds a repository with the demo case, tampers with it, and validates it with
// the raw export and again without it.
func runTamper(t *testing.T, tc tamperCase, raw []byte) {
	t.Helper()
	src := t.TempDir()
	caseSrc := filepath.Join(src, tamperID)
	must(t, os.MkdirAll(caseSrc, 0o755))
	req, err := os.ReadFile(filepath.Join(repoRoot, "cases", tamperID, "request.md"))
	must(t, err)
	reqText := string(req)
	if tc.request != nil {
		reqText = tc.request(t, reqText)
	}
	// The demo case is released; the tampering happens before that, while the workbook is
	// in the working area: the PDF's step is left out, and the approval binds the tampered
	// workbook (so that only the tampering is found; a stale approval has its own tests).
	reqText = withoutStep(t, withoutStep(t, reqText, "utlämnad"), "pdf_skapad")
	// The copy is tampered with outside the repository and put in its working area after
	// the repository is made (testrepo leaves working areas out).
	wbPath := filepath.Join(t.TempDir(), "e-postlogg.xlsx")
	copyTree(t, filepath.Join(repoRoot, tamperWorkbook), wbPath)
	if tc.edit != nil {
		f, err := excelize.OpenFile(wbPath)
		must(t, err)
		tc.edit(t, f)
		must(t, f.Save())
		must(t, f.Close())
	}
	wb, err := os.ReadFile(wbPath)
	must(t, err)
	sum := sha256.Sum256(wb)
	reqText = strings.ReplaceAll(reqText, demoWorkbookSHA, hex.EncodeToString(sum[:]))
	must(t, os.WriteFile(filepath.Join(caseSrc, "request.md"), []byte(reqText), 0o644))
	r := newTestRepo(t, src)
	dir := filepath.Join(r.Root, "cases", tamperID)
	copyTree(t, wbPath, filepath.Join(r.Root, tamperWorking))
	rawDir := filepath.Join(dir, "arbetsyta", "export")
	must(t, os.MkdirAll(rawDir, 0o755))
	must(t, os.WriteFile(filepath.Join(rawDir, tamperRawFile), raw, 0o644))
	lines := strings.Split(reqText, "\n")

	c := Case(r, dir, Options{Today: today})
	if c.Evidence == nil || c.Evidence.Raw == nil || c.Evidence.RawSkipped || !c.Evidence.Proof.Compared {
		t.Fatalf("the raw export was not compared: %v", c.Findings)
	}
	checkFindings(t, "with the raw export", c.Findings, tc.want, tc.texts, lines)

	must(t, os.RemoveAll(rawDir))
	c = Case(r, dir, Options{Today: today})
	if c.Evidence == nil || c.Evidence.Raw != nil || !c.Evidence.RawSkipped || c.Evidence.Proof.Compared {
		t.Fatalf("without raw/ the workbook was still compared: %v", c.Findings)
	}
	checkFindings(t, "without the raw export", c.Findings, tc.noRaw, tc.texts, lines)
}

// findingKey is "rule@Logg!F5" for a cell, "rule@request.md: <line text>" for the front
// matter, with " (varning)" after a warning.
func findingKey(f finding.Finding, lines []string) string {
	k := f.Rule + "@"
	switch {
	case f.Cell != "":
		k += f.Cell
	case f.File == tamperRequest && f.Line >= 1 && f.Line <= len(lines):
		k += "request.md: " + strings.TrimSpace(lines[f.Line-1])
	default:
		k += f.Pos()
	}
	if f.Severity == finding.Warning {
		k += " (varning)"
	}
	return k
}

func checkFindings(t *testing.T, what string, fs finding.List, want []string, texts map[string]string, lines []string) {
	t.Helper()
	ruleNames := map[string]bool{}
	for _, r := range Rules {
		ruleNames[r.Name] = true
	}
	var got []string
	byKey := map[string]finding.Finding{}
	for _, f := range fs {
		if f.Rule == workflow.RulePromptness {
			continue // the demo case's handling time, on the corpus's date: not under test here
		}
		k := findingKey(f, lines)
		got = append(got, k)
		byKey[k] = f
		if !ruleNames[f.Rule] {
			t.Errorf("%s: finding with a rule missing from Rules: %s", what, f)
		}
		if f.Message == "" {
			t.Errorf("%s: finding without a message: %s", what, f)
		}
		switch {
		case f.Cell != "" && f.File != tamperWorking:
			t.Errorf("%s: a cell finding in %s, want %s: %s", what, f.File, tamperWorking, f)
		case f.Cell == "" && f.File != tamperWorking && (f.File != tamperRequest || f.Line == 0):
			t.Errorf("%s: a finding without a cell must point at the workbook or a line of %s: %s", what, tamperRequest, f)
		}
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		var b bytes.Buffer
		for _, f := range fs {
			b.WriteString("  " + f.String() + "\n")
		}
		t.Errorf("%s: findings\n got  %q\n want %q\nall findings:\n%s", what, got, want, b.String())
		return
	}
	for k, text := range texts {
		f, ok := byKey[k]
		if !ok {
			continue // the finding is expected in only one of the two runs
		}
		if !strings.Contains(f.Message+" (tips: "+f.Hint+")", text) {
			t.Errorf("%s: %s should say %q: %s", what, k, text, f)
		}
	}
}

// withoutStep removes a block-style step record (its key line and the lines indented
// under it) from request.md's text.
func withoutStep(t *testing.T, s, step string) string {
	t.Helper()
	lines := strings.Split(s, "\n")
	var out []string
	skip := false
	found := false
	for _, l := range lines {
		switch {
		case l == "  "+step+":":
			skip, found = true, true
			continue
		case skip && strings.HasPrefix(l, "    "):
			continue
		}
		skip = false
		out = append(out, l)
	}
	if !found {
		t.Fatalf("request.md has no step %s", step)
	}
	return strings.Join(out, "\n")
}
