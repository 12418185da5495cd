package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"utlamnande/processor/internal/audit"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/history"
	"utlamnande/processor/internal/repo"
)

// runAudit prints a case's audit trail read from git history.
func runAudit(args []string, stdout, stderr io.Writer) error {
	var o commonOptions
	fs := newFlagSet("audit")
	o.register(fs)
	asJSON := fs.Bool("json", false, "skriv revisionsloggen som JSON")
	rev := fs.String("rev", "HEAD", "läs historiken från denna commit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"audit behöver ett ärende, t.ex. processor audit 2026-0001"}
	}
	r, _, err := o.open()
	if err != nil {
		return err
	}
	id := filepath.Base(strings.TrimSuffix(strings.TrimSuffix(filepath.ToSlash(fs.Arg(0)), "/"+casefile.FileName), "/"))
	if !casefile.IDPattern.MatchString(id) {
		return usageError{fmt.Sprintf("%q är inget ärendenummer (ÅÅÅÅ-NNNN)", fs.Arg(0))}
	}
	h, err := history.Open(r.Root)
	if err != nil {
		return err
	}
	defer h.Close()
	tr, err := audit.Read(h, *rev, repo.CasesDir+"/"+id, audit.Env{Settings: r.Settings, Types: r.Types, Catalog: r.Catalog})
	if err != nil {
		return err
	}
	if *asJSON {
		out := struct {
			*audit.Trail
			Remarks []string `json:"anmärkningar"`
		}{tr, tr.Remarks()}
		if out.Remarks == nil {
			out.Remarks = []string{}
		}
		return encodeJSON(stdout, out)
	}
	writeTrail(stdout, tr)
	return nil
}

func writeTrail(w io.Writer, tr *audit.Trail) {
	commit := func(c *audit.Commit) string {
		if c == nil {
			return "okänd commit"
		}
		who := fmt.Sprintf("%s <%s>", c.AuthorName, c.AuthorEmail)
		if c.Person != "" {
			who += " (" + c.Person + ")"
		}
		return fmt.Sprintf("incheckat %s av %s, commit %s %q", c.When.Format("2006-01-02 15:04"), who, short(c.Hash), c.Subject)
	}
	title := tr.Type
	if tr.TypeTitle != "" {
		title = tr.TypeTitle
	}
	fmt.Fprintf(w, "Revisionslogg för ärende %s (%s)\n", tr.Case, title)
	fmt.Fprintf(w, "Läst ur git från commit %s; %d %s har ändrat %s/.\n\n", short(tr.Head), len(tr.Commits), plural(len(tr.Commits), "commit", "commits"), tr.Folder)
	fmt.Fprintln(w, "Steg (datum och signatur enligt request.md · vem som checkade in det i git):")
	for _, s := range tr.Steps {
		label := s.Name
		if s.Title != "" {
			label += ": " + s.Title
		}
		if s.Routine != "" {
			label = s.Routine + ". " + label
		}
		if s.Removed {
			label += " (BORTTAGET med rättelse)"
		}
		fmt.Fprintf(w, "  %s\n", label)
		if !s.Removed {
			fmt.Fprintf(w, "      %s, signerat %s · %s\n", s.Date, s.Signer, commit(s.Recorded))
		} else {
			fmt.Fprintf(w, "      %s\n", commit(s.Recorded))
		}
		if a := s.Approval; a != nil {
			fmt.Fprintf(w, "      godkänt %s av %s · %s\n", a.Date, a.Signer, commit(a.Committed))
			if a.Workbook != "" {
				material, raw := "granskningsbok", "råexport"
				if tr.Mail {
					material, raw = "granskningstexter och beslut", "e-postexport"
				}
				fmt.Fprintf(w, "      godkänd version: %s SHA-256 %s, %s SHA-256 %s\n", material, a.Workbook, raw, a.Raw)
			}
		}
		for _, f := range s.Fields {
			label := f.Key
			if f.Title != "" {
				label = f.Title
			}
			if len(f.Values) == 1 {
				fmt.Fprintf(w, "      %s: %s\n", label, f.Values[0])
				continue
			}
			fmt.Fprintf(w, "      %s:\n", label)
			for _, v := range f.Values {
				fmt.Fprintf(w, "        - %s\n", v)
			}
		}
		for _, c := range s.Changed {
			fmt.Fprintf(w, "      ändrat · %s\n", commit(c))
		}
		if s.Name == tr.Decision && len(tr.Provisions) > 0 {
			var refs []string
			for ref, n := range tr.Provisions {
				refs = append(refs, fmt.Sprintf("%s: %d", ref, n))
			}
			slices.Sort(refs)
			fmt.Fprintf(w, "      bestämmelser: %s\n", strings.Join(refs, "; "))
		}
	}
	fmt.Fprintln(w)
	if len(tr.Corrections) == 0 {
		fmt.Fprintln(w, "Rättelser: inga.")
	} else {
		fmt.Fprintln(w, "Rättelser:")
		for _, c := range tr.Corrections {
			fmt.Fprintf(w, "  %s %s rättade steget %s. Skäl: %s\n      %s\n", c.Date, c.Signer, c.Step, c.Reason, commit(c.Committed))
		}
	}
	fmt.Fprintln(w)
	if len(tr.PDFs) == 0 {
		fmt.Fprintln(w, "Utlämnande-pdf: ingen incheckad.")
	} else {
		fmt.Fprintln(w, "Utlämnande-pdf (varje incheckad version):")
		for _, p := range tr.PDFs {
			mark := ""
			if p.Released {
				mark = " · UTLÄMNAD (versionen när steget " + tr.Released + " checkades in)"
			}
			fmt.Fprintf(w, "  %s\n      SHA-256 %s, processor %s%s\n      %s\n", p.File, p.SHA256, p.Processor, mark, commit(p.Committed))
		}
	}
	fmt.Fprintln(w)
	if rm := tr.Remarks(); len(rm) == 0 {
		fmt.Fprintln(w, "Anmärkningar: inga.")
	} else {
		fmt.Fprintln(w, "Anmärkningar:")
		for _, s := range rm {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
}
