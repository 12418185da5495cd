package main

import (
	"fmt"
	"io"
)

func runNew(args []string, stdout, stderr io.Writer) error {
	var o commonOptions
	fs := newFlagSet("new")
	o.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"new behöver en ärendetyp, t.ex. processor new e-postlogg"}
	}
	r, today, err := o.open()
	if err != nil {
		return err
	}
	dir, err := r.NewCase(fs.Arg(0), today)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r.Rel(dir))
	fmt.Fprintf(stderr, "Nytt ärende skapat: %s/request.md. Fyll i uppgifterna och checka in.\n", r.Rel(dir))
	return nil
}
