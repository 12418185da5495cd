package main

import (
	"fmt"
	"io"

	"utlamnande/processor/internal/validate"
)

func runRules(args []string, stdout io.Writer) error {
	if len(args) != 0 {
		return usageError{"rules tar inga argument"}
	}
	for _, r := range validate.Rules {
		fmt.Fprintf(stdout, "%-20s %s\n", r.Name, r.Text)
	}
	return nil
}
