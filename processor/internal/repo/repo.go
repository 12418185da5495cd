// Package repo opens a case repository: it finds the root (the folder holding the settings
// file), loads the settings, the provision catalog and the case types, lists the cases, and
// creates new ones from a type's skeleton.
package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/workflow"
)

// Folders and files of a case repository, relative to its root.
const (
	CasesDir     = "cases"
	TemplatesDir = "templates"
	CatalogFile  = "templates/osl-bestammelser.tsv"
	SkeletonFile = "request.md" // in templates/<typ>/: the case file a registrator copies
)

// Repo is an opened case repository.
type Repo struct {
	Root     string
	Settings *settings.Settings
	Catalog  *provision.Catalog
	Types    map[string]*workflow.Type
	// Findings are problems in the settings, the catalog and the type files. They concern
	// every case, so they are reported with any validation.
	Findings finding.List
	// WorkBase, when set, is the work tree whose case folders hold the working areas (when
	// the settings keep them in each case folder): the git hook validates staged content
	// copied to a temporary folder, but the working areas stay where the registrator has them.
	WorkBase string
	// NoWorkArea: the working areas are not consulted at all (verify judges history by what
	// was committed, never by the files on today's disk).
	NoWorkArea bool
}

// ExportDir is the folder of the raw export inside a case's working area.
const ExportDir = "export"

// WorkArea returns the working area of case id, whose folder is caseDir: everything that
// may hold unmasked text (the raw export, the review workbook while it is worked on,
// previews, the review report). It is never in git and is deleted at gallring.
func (r *Repo) WorkArea(caseDir, id string) string {
	if r.NoWorkArea {
		return ""
	}
	if r.WorkBase != "" && r.Settings.WorkAreaInCase() {
		caseDir = filepath.Join(r.WorkBase, CasesDir, filepath.Base(caseDir))
	}
	return r.Settings.WorkAreaFor(caseDir, id)
}

// RawDir returns the folder of case id's raw export, in its working area.
func (r *Repo) RawDir(caseDir, id string) string {
	if r.NoWorkArea {
		return ""
	}
	return filepath.Join(r.WorkArea(caseDir, id), ExportDir)
}

// LegacyRawDir returns the raw-export folder of earlier versions in the case folder
// (cases/<id>/raw/), in the work tree.
func (r *Repo) LegacyRawDir(caseDir string) string {
	if r.NoWorkArea {
		return ""
	}
	if r.WorkBase != "" {
		caseDir = filepath.Join(r.WorkBase, CasesDir, filepath.Base(caseDir))
	}
	return filepath.Join(caseDir, settings.LegacyRawDir)
}

// ErrNoRoot is returned by Find outside a case repository.
var ErrNoRoot = errors.New("hittar ingen ärendekatalog (ingen " + settings.FileName + " i mappen eller någon mapp ovanför)")

// Find returns the repository root: start or the nearest folder above it that holds the
// settings file.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, settings.FileName)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoRoot
		}
		dir = parent
	}
}

// Open loads the repository at root. The error is for what makes all work impossible
// (a missing settings file, catalog or templates folder); problems in their content are
// in Findings.
func Open(root string) (*Repo, error) {
	r := &Repo{Root: root}
	s, fs, err := settings.Load(root)
	if err != nil {
		return nil, err
	}
	r.Settings = s
	r.Findings = append(r.Findings, fs...)
	c, fs, err := provision.LoadCatalog(filepath.Join(root, filepath.FromSlash(CatalogFile)), CatalogFile)
	if err != nil {
		return nil, err
	}
	r.Catalog = c
	r.Findings = append(r.Findings, fs...)
	types, fs, err := workflow.LoadTypes(filepath.Join(root, TemplatesDir), TemplatesDir)
	if err != nil {
		return nil, err
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("inga ärendetyper i %s/ (varje typ är en mapp med %s)", TemplatesDir, workflow.TypeFile)
	}
	r.Types = types
	r.Findings = append(r.Findings, fs...)
	return r, nil
}

// Rel returns path relative to the root (or to WorkBase, for a working area in the work
// tree), slash-separated, for findings.
func (r *Repo) Rel(path string) string {
	for _, base := range []string{r.Root, r.WorkBase} {
		if base == "" {
			continue
		}
		if rel, err := filepath.Rel(base, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// TypeNames lists the case types, sorted.
func (r *Repo) TypeNames() []string {
	names := make([]string, 0, len(r.Types))
	for n := range r.Types {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// CaseDirs lists the folders in cases/, sorted, as absolute paths. Hidden folders are skipped.
func (r *Repo) CaseDirs() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(r.Root, CasesDir))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("kan inte läsa %s/: %w", CasesDir, err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, filepath.Join(r.Root, CasesDir, e.Name()))
		}
	}
	return dirs, nil
}

// NextID returns the next free case id in year: one more than the highest ÅÅÅÅ-NNNN folder.
func (r *Repo) NextID(year int) (string, error) {
	dirs, err := r.CaseDirs()
	if err != nil {
		return "", err
	}
	highest := 0
	prefix := strconv.Itoa(year) + "-"
	for _, d := range dirs {
		name := filepath.Base(d)
		if m := casefile.IDPattern.FindStringSubmatch(name); m != nil && strings.HasPrefix(name, prefix) {
			n, _ := strconv.Atoi(m[2])
			highest = max(highest, n)
		}
	}
	if highest >= 9999 {
		return "", fmt.Errorf("alla ärendenummer för %d är använda", year)
	}
	return fmt.Sprintf("%04d-%04d", year, highest+1), nil
}

// Placeholders in a skeleton request.md that NewCase fills in. A registrator who copies a
// skeleton by hand replaces them; until then validation reports them.
const (
	PlaceholderID   = "ÅÅÅÅ-NNNN"
	PlaceholderDate = "ÅÅÅÅ-MM-DD"
)

// NewCase creates cases/<next id>/request.md from the skeleton of type typ, with the id and
// today's date filled in. request.md appears whole or not at all.
func (r *Repo) NewCase(typ string, today date.Date) (string, error) {
	if _, ok := r.Types[typ]; !ok {
		return "", fmt.Errorf("okänd ärendetyp %q (finns: %s)", typ, strings.Join(r.TypeNames(), ", "))
	}
	skeleton, err := os.ReadFile(filepath.Join(r.Root, TemplatesDir, typ, SkeletonFile))
	if err != nil {
		return "", fmt.Errorf("ärendetypen %s saknar mall: %w", typ, err)
	}
	id, err := r.NextID(today.Year())
	if err != nil {
		return "", err
	}
	text := strings.ReplaceAll(string(skeleton), PlaceholderID, id)
	// Only the dates to fill in: a comment that shows the format keeps it.
	text = strings.ReplaceAll(text, "datum: "+PlaceholderDate, "datum: "+today.String())
	casesDir := filepath.Join(r.Root, CasesDir)
	if err := os.MkdirAll(casesDir, 0o755); err != nil {
		return "", err
	}
	dir := filepath.Join(casesDir, id)
	// Mkdir claims the id atomically: it fails if the folder exists, so no case is overwritten.
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", fmt.Errorf("kan inte skapa %s: %w", r.Rel(dir), err)
	}
	if err := atomicfile.Write(filepath.Join(dir, casefile.FileName), []byte(text), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("kan inte skriva %s: %w", r.Rel(dir), err)
	}
	return dir, nil
}
