package mailfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ReadSource reads a folder (recursively) or a .zip of exported messages.
// Messages come sorted by File; files that are not messages are listed in
// Skipped with the reason. A file that should be a message but cannot be
// read (a damaged .eml/.msg, a .pst, a limit exceeded) does not stop the
// others: all such errors are returned together (*SourceError) beside the
// messages that could be read. A non-nil error therefore means the result
// is incomplete.
func ReadSource(p string) ([]*Message, []Skipped, error) {
	return ReadSourceWithLimits(p, DefaultLimits)
}

// ReadSourceWithLimits is ReadSource with other limits.
func ReadSourceWithLimits(p string, lim Limits) ([]*Message, []Skipped, error) {
	lim = lim.withDefaults()
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, &Error{File: p, Problem: "källan kunde inte öppnas", Hint: "kontrollera sökvägen", Err: err}
	}
	s := &sourceReader{lim: lim}
	if st.IsDir() {
		if err := s.folder(p); err != nil {
			return nil, nil, err
		}
	} else if isZipFile(p) {
		if err := s.zipFile("", filepath.Base(p), p, st.Size()); err != nil {
			return nil, nil, err
		}
	} else {
		data, err := s.readFile(p, filepath.Base(p), st.Size())
		if err != nil {
			return nil, nil, err
		}
		s.one(filepath.Base(p), data)
	}
	sort.Slice(s.msgs, func(i, j int) bool { return s.msgs[i].File < s.msgs[j].File })
	sort.Slice(s.skipped, func(i, j int) bool { return s.skipped[i].File < s.skipped[j].File })
	if len(s.errs) == 0 {
		return s.msgs, s.skipped, nil
	}
	return s.msgs, s.skipped, &SourceError{Errs: s.errs}
}

// SourceError holds the errors of the files of a source that could not be
// read. errors.Is and errors.As see each of them.
type SourceError struct{ Errs []error }

func (e *SourceError) Error() string {
	var b strings.Builder
	if len(e.Errs) == 1 {
		b.WriteString("1 fil kunde inte läsas: ")
	} else {
		fmt.Fprintf(&b, "%d filer kunde inte läsas: ", len(e.Errs))
	}
	for i, err := range e.Errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(Clean(err.Error()))
	}
	return b.String()
}

func (e *SourceError) Unwrap() []error { return e.Errs }

type sourceReader struct {
	lim     Limits
	msgs    []*Message
	skipped []Skipped
	errs    []error
	files   int
}

func (s *sourceReader) count(name string) error {
	s.files++
	if s.files > s.lim.MaxSourceFiles {
		return &Error{File: name, Problem: fmt.Sprintf("källan har fler än %d filer", s.lim.MaxSourceFiles), Hint: "dela upp exporten i mindre delar", Err: ErrLimit}
	}
	return nil
}

func (s *sourceReader) readFile(full, name string, size int64) ([]byte, error) {
	if size > s.lim.MaxFileSize && !strings.EqualFold(path.Ext(name), ".zip") {
		return nil, &Error{File: name, Problem: fmt.Sprintf("filen är %s, större än gränsen %s", humanSize(size), humanSize(s.lim.MaxFileSize)), Hint: "dela upp exporten eller granska filen för hand", Err: ErrLimit}
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, &Error{File: name, Problem: "filen kunde inte läsas", Hint: "kontrollera behörigheterna", Err: err}
	}
	return data, nil
}

func (s *sourceReader) folder(root string) error {
	type ent struct{ full, rel string }
	var files []ent
	err := filepath.WalkDir(root, func(full string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, full)
		rel = filepath.ToSlash(rel)
		if err != nil {
			s.errs = append(s.errs, &Error{File: rel, Problem: "filen eller mappen kunde inte läsas", Hint: "kontrollera behörigheterna", Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			s.skipped = append(s.skipped, Skipped{File: Clean(rel), Reason: "inte en vanlig fil (t.ex. en symbolisk länk); den följs inte"})
			return nil
		}
		files = append(files, ent{full, rel})
		return nil
	})
	if err != nil {
		return &Error{File: root, Problem: "mappen kunde inte läsas", Hint: "kontrollera sökvägen och behörigheterna", Err: err}
	}
	for _, f := range files {
		if err := s.count(f.rel); err != nil {
			return err
		}
		if reason := skipByName(f.rel); reason != "" {
			s.skipped = append(s.skipped, Skipped{File: Clean(f.rel), Reason: reason})
			continue
		}
		info, err := os.Stat(f.full)
		if err != nil {
			s.errs = append(s.errs, &Error{File: f.rel, Problem: "filen kunde inte läsas", Hint: "kontrollera behörigheterna", Err: err})
			continue
		}
		if strings.EqualFold(path.Ext(f.rel), ".pst") || strings.EqualFold(path.Ext(f.rel), ".ost") {
			s.errs = append(s.errs, pstError(f.rel))
			continue
		}
		if isZipFile(f.full) {
			if err := s.zipFile(f.rel+"/", f.rel, f.full, info.Size()); err != nil {
				s.errs = append(s.errs, err)
			}
			continue
		}
		data, err := s.readFile(f.full, f.rel, info.Size())
		if err != nil {
			s.errs = append(s.errs, err)
			continue
		}
		s.one(f.rel, data)
	}
	return nil
}

// reportExt are the report files of a Purview export (Items.csv,
// Summary.csv, Manifest.xml, Export Summary …csv, trace.log, …).
var reportExt = map[string]bool{".csv": true, ".xml": true, ".log": true, ".tsv": true}

// skipByName returns why a file is skipped by its name alone, or "".
func skipByName(rel string) string {
	base := path.Base(rel)
	ext := strings.ToLower(path.Ext(base))
	switch {
	case strings.HasPrefix(rel, "__MACOSX/") || strings.Contains(rel, "/__MACOSX/") || strings.HasPrefix(base, "._"):
		return "metadata från macOS (AppleDouble), inte ett meddelande"
	case strings.EqualFold(base, ".DS_Store"), strings.EqualFold(base, "Thumbs.db"), strings.EqualFold(base, "desktop.ini"):
		return "systemfil, inte ett meddelande"
	case reportExt[ext]:
		return "rapportfil från exporten (" + ext + "), inte ett meddelande"
	}
	return ""
}

// one reads one file of a source: a message, or a Skipped entry, or an
// error collected for the end.
func (s *sourceReader) one(name string, data []byte) {
	kind := sniff(data)
	ext := strings.ToLower(path.Ext(name))
	mailExt := ext == ".eml" || ext == ".msg"
	switch kind {
	case kindPST:
		s.errs = append(s.errs, pstError(name))
		return
	case kindCFB:
		if !mailExt {
			s.skipped = append(s.skipped, Skipped{File: Clean(name), Reason: "sammansatt Microsoft-fil (t.ex. ett äldre Office-dokument), inte ett e-postmeddelande"})
			return
		}
	case kindUnknown:
		if !mailExt {
			reason := "inte ett e-postmeddelande (varken MIME/.eml eller Outlook/.msg)"
			if len(data) == 0 {
				reason = "tom fil"
			}
			s.skipped = append(s.skipped, Skipped{File: Clean(name), Reason: reason})
			return
		}
	}
	m, err := ReadWithLimits(name, data, s.lim)
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	s.msgs = append(s.msgs, m)
}

// isZipFile reports whether the file starts like a zip archive.
func isZipFile(full string) bool {
	f, err := os.Open(full)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [4]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return sniff(b[:]) == kindZIP
}

// zipFile reads a zip on disk without loading it: an export can be far
// larger than memory.
func (s *sourceReader) zipFile(prefix, name, full string, size int64) error {
	f, err := os.Open(full)
	if err != nil {
		return &Error{File: name, Problem: "zip-arkivet kunde inte öppnas", Hint: "kontrollera behörigheterna", Err: err}
	}
	defer f.Close()
	budget := s.lim.MaxZipRatio*size + s.lim.MaxFileSize
	return s.zip(prefix, name, f, size, 0, &budget)
}

// zip reads the entries of a zip. prefix is put before entry names (the
// zip's own path inside a folder or zip). budget is what may still be
// unpacked: set by the outermost zip on disk, shared by the zips in it.
func (s *sourceReader) zip(prefix, name string, ra io.ReaderAt, size int64, depth int, budget *int64) error {
	if depth > s.lim.MaxZipDepth {
		return &Error{File: name, Problem: fmt.Sprintf("zip-arkiv är nästlade djupare än %d nivåer", s.lim.MaxZipDepth), Hint: "packa upp arkivet för hand", Err: ErrLimit}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return &Error{File: name, Problem: "zip-arkivet kunde inte öppnas", Hint: "kontrollera att nedladdningen är hel och ladda ned exporten på nytt", Err: err}
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		rel := cleanZipName(f.Name)
		full := prefix + rel
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if err := s.count(full); err != nil {
			return err
		}
		if reason := skipByName(rel); reason != "" {
			s.skipped = append(s.skipped, Skipped{File: Clean(full), Reason: reason})
			continue
		}
		ext := strings.ToLower(path.Ext(rel))
		if ext == ".pst" || ext == ".ost" {
			s.errs = append(s.errs, pstError(full))
			continue
		}
		limit := s.lim.MaxFileSize
		if ext == ".zip" {
			limit = s.lim.MaxFileSize * 4
		}
		if f.UncompressedSize64 > uint64(limit) {
			s.errs = append(s.errs, &Error{File: full, Problem: fmt.Sprintf("filen är %s, större än gränsen %s", humanSize(int64(min(f.UncompressedSize64, 1<<62))), humanSize(limit)), Hint: "dela upp exporten eller granska filen för hand", Err: ErrLimit})
			continue
		}
		rc, err := f.Open()
		if err != nil {
			s.errs = append(s.errs, &Error{File: full, Problem: "filen i zip-arkivet kunde inte öppnas", Hint: "ladda ned exporten på nytt", Err: err})
			continue
		}
		// never trust the declared size: read at most limit+1 bytes
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		rc.Close()
		*budget -= int64(len(b))
		if *budget < 0 {
			return &Error{File: name, Problem: "zip-arkivet packar upp till mycket mer än sin egen storlek (möjlig zip-bomb)", Hint: "packa upp arkivet för hand och granska innehållet", Err: ErrLimit}
		}
		if err != nil {
			s.errs = append(s.errs, &Error{File: full, Problem: "filen i zip-arkivet kunde inte packas upp", Hint: "ladda ned exporten på nytt", Err: err})
			continue
		}
		if int64(len(b)) > limit {
			s.errs = append(s.errs, &Error{File: full, Problem: fmt.Sprintf("filen är större än gränsen %s", humanSize(limit)), Hint: "dela upp exporten eller granska filen för hand", Err: ErrLimit})
			continue
		}
		if sniff(b) == kindZIP {
			if err := s.zip(full+"/", full, bytes.NewReader(b), int64(len(b)), depth+1, budget); err != nil {
				s.errs = append(s.errs, err)
			}
			continue
		}
		s.one(full, b)
	}
	return nil
}

// cleanZipName makes an entry name a clean relative slash path.
func cleanZipName(n string) string {
	n = strings.ReplaceAll(n, "\\", "/")
	n = path.Clean("/" + n)
	return strings.TrimPrefix(n, "/")
}
