// Package casegen makes a fictitious e-postlogg case ready to build, for benchmarks and
// tests: a review workbook of N rows (every 7th subject masked, every 11th row marked P),
// the raw export it was made from, and a request.md whose approved decision agrees with both.
package casegen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Case describes the case to make.
type Case struct {
	ID   string
	Rows int
	// Extra masks the last plain row's whole subject too: one mask more than the decision
	// counts, unless Decided says so.
	Extra   bool
	Decided int // masks the decision counts; 0: as many as the workbook has
	// Wide masks "patient Patient NummerN" instead of "Patient NummerN": a valid change of
	// the masking that changes the PDF and nothing else.
	Wide bool
	// Claims is the case id request.md states; "" is ID.
	Claims string
	// NoRaw leaves the raw export out (as in CI); request.md still records its SHA-256.
	NoRaw bool
}

// Mask is the reference the masked subjects carry.
const Mask = "[25 kap. 1 § OSL]"

var subjects = []string{
	"Protokoll ledningsgrupp", "Re: Offert städtjänster hus 4", "Budget 2027, underlag till nämnden",
	"Behörighet till journalsystemet för ny medarbetare, lösenordsåterställning och VPN-konto som ska vara klart före måndag",
	"Nyhetsbrev", "Möte om budget", "Svar på frågor om väntetider", "Dagordning ledningsgrupp", "[EXTERN] Faktura",
}

// Generate returns the workbook's rows, the raw export and the counts the decision needs.
func (c Case) Generate() (rows [][]workbook.Cell, raw string, masked, private int) {
	var b strings.Builder
	b.WriteString("Received,SenderAddress,RecipientAddress,Subject\n")
	start := time.Date(2026, 1, 1, 7, 0, 0, 0, date.Stockholm)
	extra := -1
	for i := c.Rows - 1; c.Extra && extra < 0 && i >= 0; i-- {
		if i%7 != 3 && i%11 != 5 { // neither masked nor private
			extra = i
		}
	}
	for i := range c.Rows {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		subject := fmt.Sprintf("%s %d", subjects[i%len(subjects)], i+1)
		rawSubject := subject
		switch {
		case i%7 == 3:
			subject = fmt.Sprintf("Ang. patient %s, remiss %d", Mask, i+1)
			if c.Wide {
				subject = fmt.Sprintf("Ang. %s, remiss %d", Mask, i+1)
			}
			rawSubject = fmt.Sprintf("Ang. patient Patient Nummer%d, remiss %d", i+1, i+1)
			masked++
		case i == extra:
			subject = Mask // the whole subject: its text is found nowhere else
			masked++
		}
		mark := ""
		if i%11 == 5 && i%7 != 3 { // a private row is never masked
			mark, private = "P", private+1
		}
		from, to, folder := "anna.andersson@region.example", "erik.exempel@region.example", "Inkorg"
		if i%2 == 1 {
			from, to, folder = to, "bo.berg@region.example; cecilia.carlsson@region.example", "Skickat"
		}
		rows = append(rows, []workbook.Cell{i + 1, workbook.ToSerial(at), folder, from, to, subject, mark})
		fmt.Fprintf(&b, "%s,%s,\"%s\",\"%s\"\n", at.UTC().Format("2006-01-02T15:04:05Z"), from, to, rawSubject)
	}
	return rows, b.String(), masked, private
}

// WorkbookSHA256 returns the SHA-256 of the review workbook the case writes (the bytes are
// deterministic), which its approval binds.
func (c Case) WorkbookSHA256(spec *workflow.WorkbookSpec) (string, error) {
	dir, err := os.MkdirTemp("", "casegen-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, spec.File)
	if err := c.WriteWorkbook(path, spec); err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]), nil
}

// Request returns the case's request.md. Its approval binds the workbook of the given
// SHA-256 (WorkbookSHA256), or an unwritten one when wbSHA is "".
func (c Case) Request(wbSHA string) string {
	if wbSHA == "" {
		wbSHA = strings.Repeat("0", 64)
	}
	_, raw, masked, private := c.Generate()
	if c.Decided > 0 {
		masked = c.Decided
	}
	claims := c.Claims
	if claims == "" {
		claims = c.ID
	}
	if c.NoRaw {
		raw = ""
	}
	h := sha256.Sum256([]byte(raw))
	rawSHA := hex.EncodeToString(h[:])
	if c.NoRaw {
		_, full, _, _ := c.Generate()
		f := sha256.Sum256([]byte(full))
		rawSHA = hex.EncodeToString(f[:])
	}
	return strings.NewReplacer("@ID@", claims, "@ROWS@", strconv.Itoa(c.Rows), "@PRIVATE@", strconv.Itoa(private),
		"@MASKED@", strconv.Itoa(masked), "@SHA@", rawSHA, "@WBSHA@", wbSHA).Replace(request)
}

// WriteWorkbook writes the case's review workbook to path.
func (c Case) WriteWorkbook(path string, spec *workflow.WorkbookSpec) error {
	rows, _, _, _ := c.Generate()
	return workbook.WriteReview(path, spec, rows, workbook.Meta{Title: "E-postlogg " + c.ID})
}

// WorkArea is the working area's folder in a case folder (the default settings).
const WorkArea = "arbetsyta"

// Write makes the case's folder in parent (cases/ or elsewhere) and returns it: request.md,
// and in its working area (arbetsyta/) the review workbook and, unless NoRaw, the raw
// export in export/.
func (c Case) Write(parent string, spec *workflow.WorkbookSpec) (string, error) {
	dir := filepath.Join(parent, c.ID)
	work := filepath.Join(dir, WorkArea)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return "", err
	}
	if !c.NoRaw {
		_, raw, _, _ := c.Generate()
		if err := os.MkdirAll(filepath.Join(work, "export"), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(work, "export", "export.csv"), []byte(raw), 0o644); err != nil {
			return "", err
		}
	}
	path := filepath.Join(work, spec.File)
	if err := c.WriteWorkbook(path, spec); err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	return dir, os.WriteFile(filepath.Join(dir, "request.md"), []byte(c.Request(hex.EncodeToString(h[:]))), 0o644)
}

// ImportReady returns the request.md of case id at the step before the import: the same
// fictitious case up to bevakning, with a line of notes.
func ImportReady(id string) string {
	head, _, _ := strings.Cut(request, "  export_mottagen:")
	return strings.ReplaceAll(head, "@ID@", id) + "---\nAnteckningar.\n"
}

const request = `---
ärende: @ID@
typ: e-postlogg
inkom_via: medarbetare
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg, Skickat]}
steg:
  mottagen: {datum: 2026-11-16, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  logg_beställd: {datum: 2026-11-17, av: reg1, beställd_från: m365@region.example}
  bevakning: {datum: 2026-11-17, av: reg1, bevakas_till: 2026-11-19}
  export_mottagen:
    datum: 2026-11-18
    av: reg1
    fil: export.csv
    sha256: @SHA@
    rader: @ROWS@
  privat_granskad: {datum: 2026-11-18, av: reg1, antal_privata: @PRIVATE@}
  sekretessprövad:
    datum: 2026-11-19
    av: reg1
    jurist_konsulterad: nej
    bestämmelser: {"25 kap. 1 § OSL": @MASKED@}
    godkänd: {datum: 2026-11-19, av: jur1, granskningsbok_sha256: @WBSHA@, råexport_sha256: @SHA@}
---
Fiktivt ärende (processor/internal/casegen).
`
