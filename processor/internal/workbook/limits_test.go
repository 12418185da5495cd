package workbook

// Hostile workbooks, built here as zips of hand-written XML: each must be refused with an
// *Error that names the part, having read only a little of the file (counted by a ReaderAt
// under the zip reader) and allocated well under 100 MiB. No timings are asserted; the
// benchmark and TestReadHostileFile (see its comment) measure them.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// countingReaderAt counts the bytes read from the file.
type countingReaderAt struct {
	r  io.ReaderAt
	n  int64
	mu sync.Mutex
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.mu.Lock()
	c.n += int64(n)
	c.mu.Unlock()
	return n, err
}

// hostile is a hostile workbook: the parts of a review workbook, with one part replaced by
// streamed XML (compressed at the fastest level, as a bomb's maker would: ~1000 to 1) and
// sizes in the central directory possibly lied about.
type hostile struct {
	name    string
	part    string            // the part replaced or added
	write   func(w io.Writer) // its content
	claim   uint32            // when not 0, the size the central directory claims
	patch   map[string]string // other parts replaced or added
	want    string            // in the *Error's message
	maxRead float64           // the most of the hostile part (compressed) that may be read, a fraction
}

// repeatTo writes unit to w until n bytes.
func repeatTo(w io.Writer, unit string, n int) {
	chunk := []byte(strings.Repeat(unit, max(1, (1<<20)/len(unit))))
	for written := 0; written < n; written += len(chunk) {
		w.Write(chunk)
	}
}

var hostiles = []hostile{
	{
		name: "shared strings inflating to 500 MiB",
		part: "xl/sharedStrings.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeatTo(w, "<si><t>"+strings.Repeat("a", 30000)+"</t></si>", 500<<20)
		},
		want: "delen xl/sharedStrings.xml packas upp till mer än 64 MiB", maxRead: 0.01,
	},
	{
		name: "shared strings inflating to 500 MiB, claiming 1 MiB",
		part: "xl/sharedStrings.xml", claim: 1 << 20,
		write: func(w io.Writer) {
			io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeatTo(w, "<si><t>"+strings.Repeat("a", 30000)+"</t></si>", 500<<20)
		},
		want: "de delade strängarna (xl/sharedStrings.xml) kan inte läsas: delen är skadad", maxRead: 0.01,
	},
	{
		name: "shared strings inflating to 500 MiB, claiming just under the limit",
		part: "xl/sharedStrings.xml", claim: MaxSharedStringsPart - 1,
		write: func(w io.Writer) {
			io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeatTo(w, "<si><t>"+strings.Repeat("a", 30000)+"</t></si>", 500<<20)
		},
		want: "de delade strängarna har mer än 32 MiB text", maxRead: 0.1,
	},
	{
		name: "millions of empty shared strings",
		part: "xl/sharedStrings.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeatTo(w, "<si/>", 5*5*MaxSharedStrings) // 5 times the limit
			io.WriteString(w, `</sst>`)
		},
		want: fmt.Sprintf("fler än %d delade strängar", MaxSharedStrings), maxRead: 0.5,
	},
	{
		name: "elements nested ten million deep in a cell",
		part: "xl/worksheets/sheet1.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
			repeatTo(w, "<b>", 30<<20)
		},
		want: "bladet Logg (xl/worksheets/sheet1.xml) kan inte läsas (cell A1): elementen är nästlade i mer än 64 nivåer", maxRead: 0.05,
	},
	{
		name: "elements nested deep in a drawing no sheet uses",
		part: "xl/drawings/drawing9.xml",
		write: func(w io.Writer) {
			repeatTo(w, "<a>", 30<<20)
		},
		want: "delen xl/drawings/drawing9.xml kan inte läsas: elementen är nästlade i mer än 64 nivåer", maxRead: 0.05,
	},
	{
		name: "a sheet claiming more than 256 MiB",
		part: "xl/worksheets/sheet1.xml", claim: MaxSheetPart + 1,
		write: func(w io.Writer) { io.WriteString(w, `<worksheet/>`) },
		want:  "delen xl/worksheets/sheet1.xml packas upp till mer än 256 MiB", maxRead: 0.01,
	},
	{
		name: "styles inflating to 300 MiB",
		part: "xl/styles.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>`)
			repeatTo(w, `<xf numFmtId="0"/>`, 300<<20)
		},
		want: "delen xl/styles.xml packas upp till mer än 32 MiB", maxRead: 0.01,
	},
	{
		name: "a cell text of 30 MiB",
		part: "xl/worksheets/sheet1.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
			repeatTo(w, "a", 30<<20)
		},
		want: "bladet Logg (xl/worksheets/sheet1.xml) har en text som är längre än 32 767 tecken (cell A1)", maxRead: 0.05,
	},
	{
		name: "a million hyperlinks after the cells",
		part: "xl/worksheets/sheet1.xml",
		write: func(w io.Writer) {
			io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/><hyperlinks>`)
			repeatTo(w, `<hyperlink ref="A1"/>`, 20<<20)
		},
		want: fmt.Sprintf("fler än %d element i datavalideringar", maxTailNodes), maxRead: 0.5,
	},
}

// buildHostile returns the bytes of a hostile workbook.
func buildHostile(t testing.TB, h hostile) []byte {
	t.Helper()
	base := reviewBytes(t)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		if _, ok := h.patch[f.Name]; ok || f.Name == h.part {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range h.patch {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: h.part, Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	h.write(w)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if h.claim != 0 {
		data = claimSize(t, data, h.part, h.claim)
	}
	return data
}

var (
	reviewOnce sync.Once
	reviewData []byte
)

// reviewBytes is a review workbook of hygieneRows, written once.
func reviewBytes(t testing.TB) []byte {
	reviewOnce.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("workbook-hostile-%d.xlsx", os.Getpid()))
		if err := WriteReview(path, reviewSpec(t), hygieneRows(), Meta{Title: "E-postlogg 2026-0001"}); err != nil {
			t.Fatal(err)
		}
		reviewData, _ = os.ReadFile(path)
		os.Remove(path)
	})
	return reviewData
}

func TestHostileWorkbooks(t *testing.T) {
	spec := reviewSpec(t)
	// What reading the workbook as the import wrote it reads of its file.
	base := reviewBytes(t)
	baseRA := &countingReaderAt{r: bytes.NewReader(base)}
	zr, err := zip.NewReader(baseRA, int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	if _, fs, err := readReview(zr, "x.xlsx", spec); err != nil || len(fs) != 0 {
		t.Fatalf("the workbook as written: %v %v", err, fs)
	}
	for _, h := range hostiles {
		t.Run(h.name, func(t *testing.T) {
			data := buildHostile(t, h)
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			part := int64(zipFile(zr, h.part).CompressedSize64)
			t.Logf("%d KiB on disk, %s %d KiB compressed", len(data)>>10, h.part, part>>10)
			ra := &countingReaderAt{r: bytes.NewReader(data)}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			zr, err = zip.NewReader(ra, int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			_, fs, err := readReview(zr, "bomb.xlsx", spec)
			runtime.ReadMemStats(&after)
			var we *Error
			if !errors.As(err, &we) || !strings.Contains(we.Msg, h.want) || we.Hint == "" {
				t.Fatalf("error %v (findings %v), want an *Error with %q", err, fs, h.want)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s; read %d bytes of the file (%d for the workbook as written); allocated %d MiB", we.Msg, ra.n, baseRA.n, alloc>>20)
			if extra := ra.n - baseRA.n; float64(extra) > h.maxRead*float64(part)+4096 {
				t.Errorf("read %d bytes more than of the workbook as written before refusing it, want at most %.0f %% of the part's %d", extra, 100*h.maxRead, part)
			}
			if alloc > 100<<20 {
				t.Errorf("allocated %d MiB before refusing it, want under 100 MiB", alloc>>20)
			}
			// PartTexts, which the leak search runs on any workbook, is bounded too: it
			// gives the parts it can read and says which it could not.
			var before2, after2 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before2)
			perr := PartTexts(data, func(string, string) bool { return true })
			runtime.ReadMemStats(&after2)
			alloc2 := after2.TotalAlloc - before2.TotalAlloc
			if alloc2 > 200<<20 {
				t.Errorf("PartTexts allocated %d MiB", alloc2>>20)
			}
			t.Logf("PartTexts: %v; allocated %d MiB", perr, alloc2>>20)
		})
	}
}

func TestTooManyParts(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range MaxParts + 1 {
		zw.Create(fmt.Sprintf("xl/media/x%d.bin", i))
	}
	zw.Close()
	data := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readReview(zr, "x.xlsx", reviewSpec(t))
	var we *Error
	if !errors.As(err, &we) || !strings.Contains(we.Msg, "fler än 10000") {
		t.Errorf("error %v", err)
	}
	if err := PartTexts(data, func(string, string) bool { return true }); err == nil || !strings.Contains(err.Error(), "fler än 10000") {
		t.Errorf("PartTexts: %v", err)
	}
}

// A UTF-16 part is refused by ReadReview (PartTexts reads it, decoded).
func TestUTF16PartRefused(t *testing.T) {
	path := freshReview(t)
	patchPackage(t, path, map[string]string{"docProps/custom.xml": "\xff\xfe<\x00a\x00>\x00A\x00n\x00n\x00a\x00<\x00/\x00a\x00>\x00"}, nil)
	_, _, err := ReadReview(path, "x.xlsx", reviewSpec(t))
	var we *Error
	if !errors.As(err, &we) || !strings.Contains(we.Msg, "delen docProps/custom.xml kan inte läsas: XML i UTF-16 stöds inte") {
		t.Errorf("error %v", err)
	}
}

// BenchmarkHostile measures the refusal of the hostile workbooks (ns/op, B/op).
func BenchmarkHostile(b *testing.B) {
	spec := reviewSpec(b)
	for _, h := range hostiles {
		data := buildHostile(b, h)
		b.Run(strings.ReplaceAll(h.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := readReview(zr, "bomb.xlsx", spec); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// TestReadHostileFile is for measuring a hostile workbook's refusal with /usr/bin/time, in
// the package's folder (a test binary of the package, go test -c):
//
//	WORKBOOK_HOSTILE_OUT=dir ./workbook.test -test.run '^TestWriteHostileFiles$'
//	WORKBOOK_HOSTILE=dir/00-….xlsx /usr/bin/time -f '%e s %M KiB' ./workbook.test -test.run '^TestReadHostileFile$' -test.v
//
// The first writes every hostile workbook to dir; the second reads one with ReadReview and
// nothing else (any workbook: a real one gives the figures to compare with).
func TestReadHostileFile(t *testing.T) {
	path := os.Getenv("WORKBOOK_HOSTILE")
	if path == "" {
		t.Skip("WORKBOOK_HOSTILE is not set")
	}
	_, fs, err := ReadReview(path, filepath.Base(path), reviewSpec(t))
	if err != nil {
		t.Logf("refused: %v", err)
	} else {
		t.Logf("read, %d findings", len(fs)) // a workbook read for comparison
	}
}

func TestWriteHostileFiles(t *testing.T) {
	dir := os.Getenv("WORKBOOK_HOSTILE_OUT")
	if dir == "" {
		t.Skip("WORKBOOK_HOSTILE_OUT is not set")
	}
	for i, h := range hostiles {
		name := filepath.Join(dir, fmt.Sprintf("%02d-%s.xlsx", i, strings.ReplaceAll(h.name, " ", "-")))
		if err := os.WriteFile(name, buildHostile(t, h), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log(name)
	}
}
