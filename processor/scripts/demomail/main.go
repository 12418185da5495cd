// Command demomail writes fictitious e-mails as Microsoft Purview exports them (single
// .eml and .msg files and the export's report Items.csv), one per requested row of demo
// case 2026-0001's released e-mail log: the raw material of a demo case that requests
// e-mails by Nr (row k of the log is row k of demoexport's message trace). Each e-mail has
// its row's sender, recipients and subject, and a Date 1–3 minutes before the row's
// Received time, in Swedish time, so the processor matches it to its row.
//
//   - Nr 1: plain text (UTF-8, quoted-printable) with the attachment protokoll.pdf
//   - Nr 3: HTML only, windows-1252, private content
//   - Nr 4: an Outlook .msg naming a patient, with the attachment remiss.txt
//   - any other Nr: a short plain-text .eml
//
// The output is the same bytes every time. Each file is read back with the processor's
// reader (mailfile) before the program says it is written; a difference is an error.
// Raw exports are never committed: make demo runs this to create them.
//
// Usage: go run ./processor/scripts/demomail DIR NR...
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "användning: demomail MAPP NR...")
		os.Exit(2)
	}
	dir := os.Args[1]
	var nrs []int
	for _, a := range os.Args[2:] {
		nr, err := strconv.Atoi(a)
		if err != nil || nr < 1 || nr > len(rows) {
			fmt.Fprintf(os.Stderr, "demomail: %q är inte ett Nr i demologgen (1–%d)\n", a, len(rows))
			os.Exit(2)
		}
		if slices.Contains(nrs, nr) {
			fmt.Fprintf(os.Stderr, "demomail: Nr %d anges två gånger\n", nr)
			os.Exit(2)
		}
		nrs = append(nrs, nr)
	}
	written, err := writeAll(dir, nrs)
	for _, w := range written {
		fmt.Printf("skrev %s (%s)\n", filepath.Join(dir, w.name), w.what)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demomail:", err)
		os.Exit(1)
	}
}

// written is one file writeAll wrote.
type written struct{ name, what string }

// writeAll writes the e-mails of rows nrs (in Nr order) and Items.csv into dir, each
// e-mail checked by reading it back.
func writeAll(dir string, nrs []int) ([]written, error) {
	nrs = slices.Clone(nrs)
	slices.Sort(nrs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []written
	var mails []*demoMail
	for _, nr := range nrs {
		m := newMail(nr)
		data, err := m.build()
		if err != nil {
			return out, fmt.Errorf("Nr %d: %w", nr, err)
		}
		if err := selfCheck(m, data); err != nil {
			return out, fmt.Errorf("Nr %d (%s) läses inte tillbaka som skrivet: %w", nr, m.fileName(), err)
		}
		if err := os.WriteFile(filepath.Join(dir, m.fileName()), data, 0o644); err != nil {
			return out, err
		}
		m.size = len(data)
		mails = append(mails, m)
		out = append(out, written{m.fileName(), m.describe()})
	}
	if err := os.WriteFile(filepath.Join(dir, reportName), itemsCSV(mails), 0o644); err != nil {
		return out, err
	}
	out = append(out, written{reportName, "påhittad Purview-rapport; den är ingen e-post och hoppas över vid import"})
	return out, nil
}
