// Package workbook reads and writes Excel workbooks: raw exports as tables of text, and the
// review workbook (granskningsbok) a registrator marks and masks, with checks for content a
// workbook can hide (hidden sheets, rows and columns, comments, the ;;; format, external
// links, defined names, personal metadata). It is the only package that imports excelize.
package workbook

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
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
	if err := checkZip(path, name); err != nil {
		return nil, err
	}
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
// wall-clock time in loc. Excel has no time zones: the fraction is the clock reading, so on
// the days the clocks change 08:12 stays 08:12. The 1900 system counts from 1899-12-30
// (Excel's 1900 leap-year bug only affects dates before March 1900); the 1904 system from
// 1904-01-01. Times are rounded to the millisecond, since float64 day fractions are not exact.
func Serial(v float64, date1904 bool, loc *time.Location) (time.Time, bool) {
	if math.IsNaN(v) || v < 0 || v > 2958465 || (!date1904 && v < 1) { // up to 9999-12-31
		return time.Time{}, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(v)
	ms := int(math.Round((v - days) * 86400000))
	if ms == 86400000 { // rounds up to the next midnight
		days, ms = days+1, 0
	}
	y, m, d := epoch.AddDate(0, 0, int(days)).Date()
	h, rest := ms/3600000, ms%3600000
	return time.Date(y, m, d, h, rest/60000, rest%60000/1000, rest%1000*1000000, loc), true
}

// ToSerial is the inverse of Serial in the 1900 system: the calendar day and the clock
// reading of t in its own location.
func ToSerial(t time.Time) float64 {
	y, m, d := t.Date()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
	clock := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	return math.Round(days) + float64(clock)/float64(24*time.Hour)
}

// ParseNumber reads a raw numeric cell value.
func ParseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// checkZip reads every entry of an xlsx package once, before excelize does: excelize
// ignores read errors, so a truncated entry or a wrong checksum would silently lose rows.
// Go's zip reader checks each entry's size and CRC-32 at its end. The total is capped at
// MaxUnzipped by what is actually unpacked, not by what the headers claim.
func checkZip(path, name string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &Error{name, "filen finns inte", ""}
		}
		if bytes, rerr := os.ReadFile(path); rerr == nil && len(bytes) >= 4 && string(bytes[:4]) == "\xd0\xcf\x11\xe0" {
			return &Error{name, "arbetsboken är lösenordsskyddad eller krypterad (eller en gammal .xls-fil)", "spara en kopia utan lösenord som Excel-arbetsbok (.xlsx)"}
		}
		return &Error{name, "filen är ingen läsbar xlsx-arbetsbok (skadad, eller i ett annat format)", "öppna den i Excel och spara som Excel-arbetsbok (.xlsx)"}
	}
	defer z.Close()
	var total int64
	for _, f := range z.File {
		if total += int64(f.UncompressedSize64); f.UncompressedSize64 > MaxUnzipped || total > MaxUnzipped {
			return &Error{name, fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb?)", MaxUnzipped>>20), "kontrollera filen; en e-postlogg är normalt några MiB"}
		}
		rc, err := f.Open()
		if err != nil {
			return &Error{name, fmt.Sprintf("delen %s i arbetsboken kan inte läsas: %v", f.Name, err), "filen är skadad; spara om den från Excel eller importera på nytt"}
		}
		_, err = io.Copy(io.Discard, io.LimitReader(rc, MaxUnzipped+1))
		rc.Close()
		if err != nil {
			return &Error{name, fmt.Sprintf("delen %s i arbetsboken är skadad (%v)", f.Name, err), "filen är skadad; spara om den från Excel eller importera på nytt"}
		}
	}
	return nil
}

// hasExternalLinks looks for external workbook links in the package.
func hasExternalLinks(z *zip.Reader) bool {
	for _, f := range z.File {
		if strings.HasPrefix(strings.ToLower(filepath.ToSlash(f.Name)), "xl/externallinks/") {
			return true
		}
	}
	return false
}
