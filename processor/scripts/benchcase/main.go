// Command benchcase makes a repository with one case ready for processor build: a review
// workbook of N rows (every 7th subject masked, every 11th row marked P), the raw export it
// was made from (raw/export.csv; with -noraw none, as in CI) and a request.md whose decision
// agrees with both. For benchmarks; fictitious data.
//
// Usage: go run ./processor/scripts/benchcase [-noraw] ROOT N
package main

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

var subjects = []string{
	"Protokoll ledningsgrupp", "Re: Offert städtjänster hus 4", "Budget 2027, underlag till nämnden",
	"Behörighet till journalsystemet för ny medarbetare, lösenordsåterställning och VPN-konto som ska vara klart före måndag",
	"Nyhetsbrev", "Möte om budget", "Svar på frågor om väntetider", "Dagordning ledningsgrupp", "[EXTERN] Faktura",
}

func main() {
	args := os.Args[1:]
	withRaw := true
	if len(args) > 0 && args[0] == "-noraw" {
		withRaw, args = false, args[1:]
	}
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "användning: benchcase [-noraw] ROT ANTAL_RADER")
		os.Exit(2)
	}
	root := args[0]
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "ANTAL_RADER ska vara ett positivt heltal")
		os.Exit(2)
	}
	if err := run(root, n, withRaw); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(root string, n int, withRaw bool) error {
	types, _, err := workflow.LoadTypes(filepath.Join(root, "templates"), "templates")
	if err != nil {
		return err
	}
	spec := types["e-postlogg"].Workbook
	dir := filepath.Join(root, "cases", "2026-0001")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rows := make([][]workbook.Cell, n)
	masked, private := 0, 0
	var raw strings.Builder
	raw.WriteString("Received,SenderAddress,RecipientAddress,Subject\n")
	start := time.Date(2026, 1, 1, 7, 0, 0, 0, date.Stockholm)
	for i := range n {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		subject := fmt.Sprintf("%s %d", subjects[i%len(subjects)], i+1)
		rawSubject := subject
		if i%7 == 3 {
			subject = fmt.Sprintf("Ang. patient [25 kap. 1 § OSL], remiss %d", i+1)
			rawSubject = fmt.Sprintf("Ang. patient Patient Nummer%d, remiss %d", i+1, i+1)
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
		rows[i] = []workbook.Cell{i + 1, workbook.ToSerial(at), folder, from, to, subject, mark}
		fmt.Fprintf(&raw, "%s,%s,\"%s\",\"%s\"\n", at.UTC().Format("2006-01-02T15:04:05Z"), from, to, rawSubject)
	}
	sum := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if withRaw {
		if err := os.MkdirAll(filepath.Join(dir, "raw"), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "raw", "export.csv"), []byte(raw.String()), 0o644); err != nil {
			return err
		}
		h := sha256.Sum256([]byte(raw.String()))
		sum = hex.EncodeToString(h[:])
	}
	if err := workbook.WriteReview(filepath.Join(dir, spec.File), spec, rows, workbook.Meta{Title: "E-postlogg 2026-0001"}); err != nil {
		return err
	}
	req := strings.NewReplacer("@ROWS@", strconv.Itoa(n), "@PRIVATE@", strconv.Itoa(private), "@MASKED@", strconv.Itoa(masked),
		"@SHA@", sum).Replace(request)
	return os.WriteFile(filepath.Join(dir, "request.md"), []byte(req), 0o644)
}

const request = `---
ärende: 2026-0001
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
    godkänd: {datum: 2026-11-19, av: jur1}
---
Benchmark.
`
