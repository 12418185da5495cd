// Package gallring carries out a case's disposal (gallring): on or after the computed date
// it deletes the case's working area (the raw export, the workbook as it was worked on,
// previews, the review report), checks that nothing of it is left, and only then records
// the disposal step with what was deleted (each file's SHA-256 and name) and the disposal
// decision. What stays is the released record in git (request.md and utlamnande/).
package gallring

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Options of a disposal.
type Options struct {
	Signer   string
	Decision string // the disposal decision (gallringsbeslut), e.g. the point of the plan
	Today    date.Date
}

// Deleted is one file deleted from the working area.
type Deleted struct {
	Path   string // relative to the working area, slash-separated
	SHA256 string
	Size   int64
}

// Result says what a disposal did.
type Result struct {
	Step     string
	WorkArea string // relative to the root when inside it
	Deleted  []Deleted
}

// ErrFindings means the case has errors; they are returned and nothing is deleted.
var ErrFindings = errors.New("ärendet har fel; inget har gallrats")

// RawListKey is the disposal step's field listing what was deleted.
const RawListKey = "raderade"

// Earliest returns the first day the case of rec may be purged, and the field it comes from
// (e.g. "avslutad: gallras"); ok is false when the type gives no such date or it is not
// known yet.
func Earliest(rec *workflow.Record) (day date.Date, from string, ok bool) {
	t := rec.Type
	if t.Locks == nil || t.Locks.Purged == "" {
		return date.Date{}, "", false
	}
	f, ok := t.FieldAt("steg." + t.Locks.Purged + ".datum")
	if !ok || f.NotBefore == "" {
		return date.Date{}, "", false
	}
	day, ok = rec.DateAt(f.NotBefore)
	return day, strings.Replace(strings.TrimPrefix(f.NotBefore, "steg."), ".", ": ", 1), ok
}

// Due reports whether the case of rec is due for gallring on today: the purge step is the
// next one and its earliest day has come.
func Due(rec *workflow.Record, today date.Date) (earliest date.Date, due bool) {
	t := rec.Type
	next := rec.Next()
	if t.Locks == nil || next == nil || next.Name != t.Locks.Purged {
		return date.Date{}, false
	}
	earliest, _, ok := Earliest(rec)
	return earliest, ok && !today.Before(earliest)
}

// Purge disposes of the case in dir.
func Purge(r *repo.Repo, dir string, opts Options) (*Result, finding.List, error) {
	checked := validate.Case(r, dir, validate.Options{Today: opts.Today, FrontMatterOnly: true})
	c, rec := checked.Case, checked.Record
	if c == nil || rec == nil {
		return nil, checked.Findings, fmt.Errorf("%s kan inte läsas som ett ärende", r.Rel(dir))
	}
	if checked.Findings.HasErrors() {
		return nil, checked.Findings, ErrFindings
	}
	t := rec.Type
	if t.Locks == nil || t.Locks.Purged == "" {
		return nil, nil, fmt.Errorf("ärendetypen %s anger inget gallringssteg (låsning: gallrad:)", t.Name)
	}
	step, ok := t.Step(t.Locks.Purged)
	if !ok {
		return nil, nil, fmt.Errorf("ärendetypen %s saknar steget %s", t.Name, t.Locks.Purged)
	}
	if _, done := rec.Recorded(step.Name); done {
		return nil, nil, fmt.Errorf("ärendet är redan gallrat (steget %s är registrerat)", step.Name)
	}
	if next := rec.Next(); next == nil || next.Name != step.Name {
		want := "stegen före gallringen"
		if next != nil {
			want = "steget " + next.Name
		}
		return nil, nil, fmt.Errorf("ärendet kan inte gallras än: registrera %s först", want)
	}
	if earliest, from, ok := Earliest(rec); ok && opts.Today.Before(earliest) {
		return nil, nil, fmt.Errorf("ärendet gallras tidigast %s (%s); i dag är det %s", earliest, from, opts.Today)
	}
	if opts.Signer == "" {
		return nil, nil, fmt.Errorf("ange vem som gallrar: --av SIGNATUR")
	}
	if strings.TrimSpace(opts.Decision) == "" {
		return nil, nil, fmt.Errorf("ange gallringsbeslutet: --beslut \"dokumenthanteringsplanens punkt\" (gallring sker bara med stöd av ett gallringsbeslut)")
	}
	work := r.WorkArea(dir, c.ID)
	res := &Result{Step: step.Name, WorkArea: r.Rel(work)}
	var roots []string
	for _, p := range []string{work, r.LegacyRawDir(dir)} {
		if _, err := os.Lstat(p); err == nil {
			roots = append(roots, p)
		}
	}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			sum, size, err := hashFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Dir(work), p)
			if root != work {
				rel, _ = filepath.Rel(dir, p)
			}
			res.Deleted = append(res.Deleted, Deleted{Path: filepath.ToSlash(rel), SHA256: sum, Size: size})
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("arbetsytan kan inte läsas: %w; inget har gallrats", err)
		}
	}
	slices.SortFunc(res.Deleted, func(a, b Deleted) int { return strings.Compare(a.Path, b.Path) })

	// request.md is prepared first, so that nothing is deleted unless its record can be
	// written; it is put in place only once the working area is verifiably gone.
	file := filepath.Join(dir, casefile.FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	list := make([]string, len(res.Deleted))
	for i, d := range res.Deleted {
		list[i] = strconv.Quote(d.SHA256 + "  " + d.Path)
	}
	fields := []casefile.Field{{Key: "datum", Value: opts.Today.String()}, {Key: "av", Value: opts.Signer}, {Key: "beslut", Value: opts.Decision}}
	updated, err := casefile.AddStep(data, c, step.Name, fields)
	if err != nil {
		return nil, nil, err
	}
	again, pfs := casefile.Parse(dir, c.File, updated)
	if again.Root == nil {
		return nil, pfs, fmt.Errorf("internt fel: %s skulle inte gå att läsa efter gallringen; inget har gallrats", c.File)
	}
	if updated, err = casefile.SetStepKey(updated, again, step.Name, RawListKey, "["+strings.Join(list, ", ")+"]"); err != nil {
		return nil, nil, err
	}
	again, pfs = casefile.Parse(dir, c.File, updated)
	if again.Root == nil {
		return nil, pfs, fmt.Errorf("internt fel: %s skulle inte gå att läsa efter gallringen; inget har gallrats", c.File)
	}
	rec2, fs2 := workflow.Check(again, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: opts.Today})
	if fs2.HasErrors() {
		return nil, fs2, ErrFindings
	}
	if v := rec2.Value("steg." + step.Name + "." + RawListKey); len(res.Deleted) > 0 && (v == nil || len(v.List) != len(res.Deleted)) {
		return nil, nil, fmt.Errorf("internt fel: listan över raderade filer skulle inte läsas tillbaka; inget har gallrats")
	}

	for _, root := range roots {
		if err := os.RemoveAll(root); err != nil {
			return nil, nil, fmt.Errorf("arbetsytan kunde inte raderas helt: %w; gallringen är inte registrerad, kör processor gallra igen", err)
		}
	}
	for _, root := range roots {
		if _, err := os.Lstat(root); !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s finns kvar efter raderingen; gallringen är inte registrerad", r.Rel(root))
		}
	}
	if err := atomicfile.Write(file, updated, 0o644); err != nil {
		return nil, nil, fmt.Errorf("arbetsytan är raderad men %s kunde inte skrivas: %w; registrera steget %s för hand med listan %s", c.File, err, step.Name, strings.Join(list, ", "))
	}
	return res, nil, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
