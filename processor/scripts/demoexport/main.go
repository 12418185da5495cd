// Command demoexport writes the demo case's raw export: a fictitious Microsoft 365 message
// trace (Get-MessageTraceV2 | Export-Csv) for Erik Exempel's mailbox, October 2026. The
// output is the same bytes every time, so the SHA-256 recorded in the demo case holds.
// Raw exports are never committed: make demo runs this to create one.
//
// Usage: go run ./processor/scripts/demoexport FILE
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"utlamnande/processor/scripts/demodata"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "användning: demoexport FIL")
		os.Exit(2)
	}
	path := os.Args[1]
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var b strings.Builder
	b.WriteString("\ufeff") // PowerShell 7's Export-Csv writes UTF-8 with BOM
	w := csv.NewWriter(&b)
	w.Write([]string{"Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageId", "MessageTraceId"})
	for i, m := range demodata.Rows {
		// Get-MessageTraceV2 reports UTC.
		at := m.Received()
		w.Write([]string{at.UTC().Format("2006-01-02T15:04:05.0000000Z"), m.From, m.To, m.Subject, "Delivered",
			"10.1.2.3", "192.0.2.10", fmt.Sprint(12000 + 731*i), fmt.Sprintf("<demo-%03d@region.example>", i+1),
			fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)})
	}
	w.Flush()
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("skrev %s (%d e-mail, påhittade)\n", path, len(demodata.Rows))
}
