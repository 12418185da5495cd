package main

import (
	"fmt"
	"io"

	"utlamnande/processor/internal/gate"
	"utlamnande/processor/internal/validate"
)

func runRules(args []string, stdout io.Writer) error {
	if len(args) != 0 {
		return usageError{"rules tar inga argument"}
	}
	fmt.Fprintln(stdout, "Regler för ärenden (validate, kroken och verify):")
	for _, r := range validate.Rules {
		fmt.Fprintf(stdout, "  %-20s %s\n", r.Name, r.Text)
	}
	fmt.Fprintln(stdout, "\nRegler för incheckningar (kroken pre-commit och verify):")
	for _, r := range gate.Rules {
		fmt.Fprintf(stdout, "  %-20s %s\n", r.Name, r.Text)
	}
	return nil
}
