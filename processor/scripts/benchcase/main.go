// Command benchcase makes a repository with one case ready for processor build: a review
// workbook of N rows (every 7th subject masked, every 11th row marked P), the raw export it
// was made from (raw/export.csv; with -noraw none, as in CI) and a request.md whose decision
// agrees with both (package casegen). For benchmarks; fictitious data.
//
// Usage: go run ./processor/scripts/benchcase [-noraw] ROOT N
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/workflow"
)

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
	c := casegen.Case{ID: "2026-0001", Rows: n, NoRaw: !withRaw}
	_, err = c.Write(filepath.Join(root, "cases"), types["e-postlogg"].Workbook)
	return err
}
