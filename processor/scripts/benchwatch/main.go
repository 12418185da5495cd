// Command benchwatch measures how long a running processor watch takes to bring a PDF up to
// date after a registrator saves the review workbook in Excel. It works on the case
// cases/2026-0001 that benchcase makes, in a repository where processor watch is running:
// it waits for the watcher's first build, then RUNS times changes the masking in one cell
// (valid either way, so the PDF changes and nothing else), saves the workbook the way Excel
// does (a temporary file with a hex name and no extension, delete the workbook, rename the
// temporary file into place, with the ~$ lock file present) and times from the rename until
// the new PDF is in place (polled every 5 ms). Prints each time, then median, min and max.
// For benchmarks; fictitious data.
//
// Usage: go run ./processor/scripts/benchwatch ROOT RUNS
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

const (
	id       = "2026-0001"
	poll     = 5 * time.Millisecond
	deadline = 2 * time.Minute
	// The masked subjects benchcase writes, and the same mask over a wider span.
	narrow = "Ang. patient [25 kap. 1 § OSL]"
	wide   = "Ang. [25 kap. 1 § OSL]"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "användning: benchwatch ROT ANTAL_KÖRNINGAR")
		os.Exit(2)
	}
	runs, err := strconv.Atoi(os.Args[2])
	if err != nil || runs < 1 {
		fmt.Fprintln(os.Stderr, "ANTAL_KÖRNINGAR ska vara ett positivt heltal")
		os.Exit(2)
	}
	if err := run(os.Args[1], runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchwatch:", err)
		os.Exit(1)
	}
}

func run(root string, runs int) error {
	r, err := repo.Open(root)
	if err != nil {
		return err
	}
	spec := r.Types["e-postlogg"].Workbook
	dir := filepath.Join(root, repo.CasesDir, id)
	book := filepath.Join(dir, spec.File)
	pdf := filepath.Join(dir, disclose.Folder, disclose.PDFName(id))
	manifest := filepath.Join(dir, disclose.Folder, disclose.ManifestFile)

	// The watcher's first round builds the PDF.
	start := time.Now()
	for !exists(manifest) {
		if time.Since(start) > deadline {
			return fmt.Errorf("processor watch byggde ingen pdf på %v", deadline)
		}
		time.Sleep(poll)
	}
	time.Sleep(500 * time.Millisecond) // let the watcher go idle

	rows, line, subject, err := readRows(book, r.Rel(book), spec)
	if err != nil {
		return err
	}
	staging, err := os.MkdirTemp("", "benchwatch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	lock := filepath.Join(dir, "~$"+spec.File)
	if err := os.WriteFile(lock, []byte("\x0bRita       "), 0o644); err != nil { // Excel has it open
		return err
	}
	defer os.Remove(lock)

	var took []time.Duration
	for i := range runs {
		// The new workbook, made before the clock starts (Excel writes it before the rename).
		from, to := narrow, wide
		if i%2 == 1 {
			from, to = wide, narrow
		}
		rows[line][subject] = strings.Replace(rows[line][subject].(string), from, to, 1)
		staged := filepath.Join(staging, spec.File)
		if err := workbook.WriteReview(staged, spec, rows, workbook.Meta{Title: "E-postlogg " + id}); err != nil {
			return err
		}
		data, err := os.ReadFile(staged)
		if err != nil {
			return err
		}
		before, err := os.Stat(pdf)
		if err != nil {
			return err
		}
		temp := filepath.Join(dir, fmt.Sprintf("%08X", rand.Uint32()))
		if err := os.WriteFile(temp, data, 0o644); err != nil {
			return err
		}
		if err := os.Remove(book); err != nil {
			return err
		}
		if err := os.Rename(temp, book); err != nil {
			return err
		}
		saved := time.Now()
		for {
			if now, err := os.Stat(pdf); err == nil && !os.SameFile(before, now) {
				break // the new PDF has been renamed into place
			}
			if time.Since(saved) > deadline {
				return fmt.Errorf("körning %d: pdf:en ändrades inte på %v", i+1, deadline)
			}
			time.Sleep(poll)
		}
		d := time.Since(saved)
		took = append(took, d)
		fmt.Printf("körning %d: %d ms\n", i+1, d.Milliseconds())
		time.Sleep(500 * time.Millisecond) // the watcher writes the manifest and goes idle
	}
	slices.Sort(took)
	fmt.Printf("sparad arbetsbok → ny pdf (%d rader, %d körningar): median %d ms, min %d ms, max %d ms\n",
		len(rows), runs, took[len(took)/2].Milliseconds(), took[0].Milliseconds(), took[len(took)-1].Milliseconds())
	return nil
}

// readRows reads the review workbook back as the values WriteReview takes, and returns the
// first row whose subject has the narrow mask and the subject's column.
func readRows(path, name string, spec *workflow.WorkbookSpec) (rows [][]workbook.Cell, line, subject int, err error) {
	rev, fs, err := workbook.ReadReview(path, name, spec)
	if err != nil {
		return nil, 0, 0, err
	}
	if fs.HasErrors() {
		return nil, 0, 0, fmt.Errorf("%s har fel: %v", name, fs)
	}
	subject = slices.Index(spec.Headers(), "Ämne")
	if subject < 0 {
		return nil, 0, 0, fmt.Errorf("%s har ingen kolumn Ämne", name)
	}
	line = -1
	for i, row := range rev.Rows {
		cells := make([]workbook.Cell, len(row.Cells))
		for j, v := range row.Cells {
			cells[j] = v
			switch {
			case j == 0:
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, 0, 0, fmt.Errorf("%s rad %d: Nr %q", name, row.Line, v)
				}
				cells[j] = n
			case j <= len(spec.Columns) && spec.Columns[j-1].Kind == workflow.ColDate:
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, 0, 0, fmt.Errorf("%s rad %d: datum %q", name, row.Line, v)
				}
				cells[j] = f
			}
		}
		rows = append(rows, cells)
		if line < 0 && strings.HasPrefix(row.Cells[subject], narrow) {
			line = i
		}
	}
	if line < 0 {
		return nil, 0, 0, fmt.Errorf("%s har ingen maskad ämnesrad (%q) att ändra", name, narrow)
	}
	return rows, line, subject, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
