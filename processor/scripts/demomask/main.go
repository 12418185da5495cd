// Command demomask plays the registrator on the demo case's review workbook: it marks the
// private e-mails P and masks secret parts of subjects with their provisions, as a person
// would in Excel. It made the released demo workbook cases/2026-0001/utlamnande/e-postlogg.xlsx
// from a fresh import, and make demo runs it on the demo case 2026-0002's workbook in its
// working area (go run ./processor/scripts/demomask FILE).
package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Subject (column F) edits by Nr, and Nr marked private (column G).
var masks = map[int]string{
	4:  "Ang. patient [25 kap. 1 § OSL], remiss till ortopeden",
	6:  "Sjukskrivning [39 kap. 2 § OSL] vecka 41",
	7:  "Begärd journalkopia [25 kap. 1 § OSL]",
	9:  "Skyddad adress: Berit Skyddad har flyttat till [21 kap. 3 § OSL]",
	13: "Ärende hos patientnämnden, [25 kap. 4 § OSL]",
	23: "Ang. patient [OSL 25:1], återbesök",
	25: "Sårbarhet i brandväggen hus 2, IP [18 kap. 8 § p. 3 OSL]",
	28: "Rehabplan för medarbetare, [39 kap. 2 § OSL]",
}
var private = []int{3, 12, 20}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "användning: demomask FIL")
		os.Exit(2)
	}
	f, err := excelize.OpenFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	// Inline strings, in Nr order: a shared string would leave the cell's old (unmasked) text
	// in the file's string table, where validate finds it (Excel itself drops it on save).
	for _, nr := range slices.Sorted(maps.Keys(masks)) {
		if err := f.SetCellDefault("Logg", "F"+strconv.Itoa(nr+1), masks[nr]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	for _, nr := range private {
		if err := f.SetCellDefault("Logg", "G"+strconv.Itoa(nr+1), "P"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := f.Save(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("maskade %d ämnesrader och markerade %d rader P i %s\n", len(masks), len(private), os.Args[1])
}
