// Package workbook reads and writes Excel workbooks: raw exports as tables of text, and the
// review workbook (granskningsbok) a registrator marks and masks, with checks for content a
// workbook can hide (hidden sheets, rows and columns, comments, the ;;; format, external
// links, defined names, personal metadata). It is the only package that imports excelize.
package workbook

import (
	"archive/zip"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Limits against zip bombs: what a workbook may unpack to in all, and per XML part in memory.
const (
	MaxUnzipped    = 512 << 20
	MaxXMLInMemory = 64 << 20
)

// Error is a workbook that cannot be read, with a Swedish message and a hint.
type Error struct {
	File string
	Msg  string
	Hint string
}

func (e *Error) Error() string { return e.File + ": " + e.Msg }

func open(path, name string) (*excelize.File, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxXMLInMemory})
	if err == nil {
		return f, nil
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &Error{name, "filen finns inte", ""}
	case errors.Is(err, excelize.ErrWorkbookPassword), strings.Contains(err.Error(), "password"), strings.Contains(err.Error(), "decrypt"):
		return nil, &Error{name, "arbetsboken är lösenordsskyddad eller krypterad", "spara en kopia utan lösenord (Arkiv > Info > Skydda arbetsbok)"}
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return nil, &Error{name, fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb?)", MaxUnzipped>>20), "kontrollera filen; en e-postlogg är normalt några MiB"}
	default:
		return nil, &Error{name, "filen är ingen läsbar xlsx-arbetsbok (skadad, eller i ett annat format)", "öppna den i Excel och spara som Excel-arbetsbok (.xlsx): " + err.Error()}
	}
}

// Table is a worksheet read as text. Numbers, including dates, are raw cell values
// (serial numbers for dates); Date1904 tells how to read those.
type Table struct {
	Sheet    string
	Rows     [][]string
	Date1904 bool
}

// ReadTable reads the first visible worksheet of the workbook at path. name is the path
// shown in messages.
func ReadTable(path, name string) (*Table, error) {
	f, err := open(path, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &Table{Date1904: date1904(f)}
	for _, s := range f.GetSheetList() {
		if vis, err := f.GetSheetVisible(s); err == nil && vis {
			t.Sheet = s
			break
		}
	}
	if t.Sheet == "" {
		return nil, &Error{name, "arbetsboken har inget synligt kalkylblad", ""}
	}
	t.Rows, err = rows(f, t.Sheet)
	if err != nil {
		return nil, &Error{name, "bladet " + t.Sheet + " kan inte läsas: " + err.Error(), ""}
	}
	return t, nil
}

func date1904(f *excelize.File) bool {
	p, err := f.GetWorkbookProps()
	return err == nil && p.Date1904 != nil && *p.Date1904
}

func rows(f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for it.Next() {
		cols, err := it.Columns()
		if err != nil {
			it.Close()
			return nil, err
		}
		out = append(out, cols)
	}
	if err := it.Close(); err != nil {
		return nil, err
	}
	return out, it.Error()
}

// Serial converts an Excel serial date (days since the epoch, fraction = time of day) to a
// wall-clock time in loc. The 1900 system counts from 1899-12-30 (Excel's 1900 leap-year bug
// only affects dates before March 1900); the 1904 system from 1904-01-01. Times are rounded
// to the millisecond, since float64 day fractions are not exact.
func Serial(v float64, date1904 bool, loc *time.Location) (time.Time, bool) {
	if math.IsNaN(v) || v < 1 || v > 2958465 { // up to 9999-12-31
		return time.Time{}, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, loc)
	}
	days := math.Floor(v)
	ms := math.Round((v - days) * 86400000)
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), true
}

// ToSerial is the inverse of Serial in the 1900 system.
func ToSerial(t time.Time) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, t.Location())
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	days := math.Round(day.Sub(epoch).Hours() / 24)
	return days + float64(t.Sub(day))/float64(24*time.Hour)
}

// ParseNumber reads a raw numeric cell value.
func ParseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// hasExternalLinks looks for external workbook links in the package.
func hasExternalLinks(path string) bool {
	z, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer z.Close()
	for _, f := range z.File {
		if strings.HasPrefix(strings.ToLower(filepath.ToSlash(f.Name)), "xl/externallinks/") {
			return true
		}
	}
	return false
}
