package export

// Tests of the resources a raw xlsx export may cost: hostile packages (zip bombs, a shared
// string table of millions of strings, elements nested thousands deep, rows far out to the
// right) are refused quickly and cheaply with a Swedish message naming the file and the part;
// excelize's temporary files stay in the working area and are gone when Read returns,
// interrupted or not; a cell longer than Excel can hold is a finding, not a silent cut.
//
// Time and memory of one read, for /usr/bin/time (see TestReadFileFromEnv):
//
//	go test -c -o /tmp/export.test ./processor/internal/export
//	EXPORT_READ_FILE=bomb.xlsx /usr/bin/time -f '%e s %M KiB' /tmp/export.test -test.run '^TestReadFileFromEnv$' -test.v
//
// and EXPORT_WRITE_BOMBS=DIR with -test.run '^TestWriteBombs$' writes the hostile files.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/xlsxtest"
)

// xpart is one part of a generated package; its body is streamed into the zip, so that a
// bomb's content never exists whole in memory.
type xpart struct {
	name string
	body func(w io.Writer)
}

func text(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

const sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetEnd = `</sheetData></worksheet>`

const sstStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// headerRow is the inline-string header row of a minimal export.
const headerRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>Datum</t></is></c><c r="B1" t="inlineStr"><is><t>Från</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>Till</t></is></c><c r="D1" t="inlineStr"><is><t>Ämne</t></is></c></row>`

// mailRow is data row r of a minimal export, with inline strings.
func mailRow(r int, subject string) string {
	return fmt.Sprintf(`<row r="%d"><c r="A%d"><v>46300.5</v></c><c r="B%d" t="inlineStr"><is><t>a@x.se</t></is></c>`+
		`<c r="C%d" t="inlineStr"><is><t>erik.exempel@region.example</t></is></c><c r="D%d" t="inlineStr"><is><t>%s</t></is></c></row>`, r, r, r, r, r, subject)
}

// genXLSX writes a package with one sheet named Blad1: the sheet's XML from sheet, the shared
// strings from sst (none when nil), and any extra parts.
func genXLSX(t testing.TB, sheet, sst func(io.Writer), extra ...xpart) []byte {
	t.Helper()
	return genXLSXMethod(t, zip.Deflate, sheet, sst, extra...)
}

// genXLSXMethod is genXLSX with the parts stored by method (zip.Store is faster to write).
func genXLSXMethod(t testing.TB, method uint16, sheet, sst func(io.Writer), extra ...xpart) []byte {
	t.Helper()
	shared := sst != nil
	parts := []xpart{
		{"[Content_Types].xml", text(xlsxtest.ContentTypes(shared))},
		{"_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", text(xlsxtest.WorkbookRels(shared))},
		{"xl/worksheets/sheet1.xml", sheet},
		{"xl/styles.xml", text(xlsxtest.StylesXML)},
	}
	if shared {
		parts = append(parts, xpart{"xl/sharedStrings.xml", sst})
	}
	parts = append(parts, extra...)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		p.body(w)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetOf returns a sheet body: the header row, then rows.
func sheetOf(rows ...string) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, sheetStart+headerRow)
		for _, r := range rows {
			io.WriteString(w, r)
		}
		io.WriteString(w, sheetEnd)
	}
}

// repeat writes s to w n/len(s) times (at least once).
func repeat(w io.Writer, s string, n int64) {
	copies := max(1, n/int64(len(s)))
	per := max(1, int64(64<<10/len(s)))
	chunk := strings.Repeat(s, int(per))
	for ; copies >= per; copies -= per {
		io.WriteString(w, chunk)
	}
	io.WriteString(w, strings.Repeat(s, int(copies)))
}

// sstBomb is a package of about 1 MB whose shared string table unpacks to size bytes of
// strings of strLen characters, behind the strings the sheet uses.
func sstBomb(t testing.TB, size int64, strLen int) []byte {
	sheet := text(sheetStart + `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>` +
		`<row r="2"><c r="A2"><v>46300.5</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>4</v></c><c r="D2" t="s"><v>5</v></c></row>` + sheetEnd)
	return genXLSX(t, sheet, func(w io.Writer) {
		io.WriteString(w, sstStart+`<si><t>Datum</t></si><si><t>Från</t></si><si><t>Till</t></si><si><t>Ämne</t></si><si><t>a@x.se</t></si><si><t>Hej</t></si>`)
		repeat(w, `<si><t>`+strings.Repeat("a", strLen)+`</t></si>`, size)
		io.WriteString(w, `</sst>`)
	})
}

// nestedCell is a package whose cell D2 holds depth nested elements.
func nestedCell(t testing.TB, depth int, el string) []byte {
	return genXLSX(t, func(w io.Writer) {
		io.WriteString(w, sheetStart+headerRow+`<row r="2"><c r="A2"><v>46300.5</v></c><c r="B2" t="inlineStr"><is><t>a@x.se</t></is></c>`+
			`<c r="C2" t="inlineStr"><is><t>b@y.se</t></is></c><c r="D2" t="inlineStr"><is><t>Hej</t>`)
		repeat(w, "<"+el+">", int64(depth*(len(el)+2)))
		repeat(w, "</"+el+">", int64(depth*(len(el)+3)))
		io.WriteString(w, `</is></c></row>`+sheetEnd)
	}, nil)
}

// xlsxWithDeclaredParts is a small valid export with extra worksheets whose headers declare
// the given sizes (their content is a few bytes: the headers lie).
func xlsxWithDeclaredParts(t testing.TB, sizes ...uint64) []byte {
	t.Helper()
	good := xlsxtest.Build(t, xlsxtest.Style{}, xlsxRows("Datum", "Hej", xlsxDates...))
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for i, size := range sizes {
		body := []byte("<worksheet/>")
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", i+2), Method: zip.Store,
			CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(body)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// lyingSST is sstBomb with a string table of about size bytes whose header declares only
// declared bytes: Go's zip reader stops at the declared size.
func lyingSST(t testing.TB, declared uint64, size int64) []byte {
	t.Helper()
	good := sstBomb(t, 0, 1)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		crc := crc32.NewIEEE()
		w := io.MultiWriter(fw, crc)
		io.WriteString(w, sstStart+`<si><t>Datum</t></si><si><t>Från</t></si><si><t>Till</t></si><si><t>Ämne</t></si><si><t>a@x.se</t></si><si><t>Hej</t></si>`)
		repeat(w, `<si><t>`+strings.Repeat("a", 1000)+`</t></si>`, size)
		io.WriteString(w, `</sst>`)
		fw.Close()
		raw, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		raw.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// hostile are packages Read must refuse: what the error must say, besides the file's name.
var hostile = []struct {
	name  string
	data  func(t testing.TB) []byte
	words []string
}{
	{"shared strings unpack to 500 MB (500,000 strings of 1,000 characters)", func(t testing.TB) []byte { return sstBomb(t, 500<<20, 1000) },
		[]string{"delen xl/sharedStrings.xml", "mer än 64 MiB", "zip-bomb", "beställ en ny export"}},
	{"shared strings unpack to 500 MB (30 million one-character strings)", func(t testing.TB) []byte { return sstBomb(t, 500<<20, 1) },
		[]string{"delen xl/sharedStrings.xml", "mer än 64 MiB", "zip-bomb"}},
	{"shared strings declared as 63 MiB unpack to 200 MB", func(t testing.TB) []byte { return lyingSST(t, 63<<20, 200<<20) },
		[]string{"delen xl/sharedStrings.xml", "är skadad (den packas upp till en annan storlek än zip-filen anger)"}},
	{"shared strings: 3 million strings in 50 MB", func(t testing.TB) []byte { return sstBomb(t, 50<<20, 1) },
		[]string{"delen xl/sharedStrings.xml", "fler än 2097152 strängar"}},
	{"shared string longer than Excel's cell", func(t testing.TB) []byte { return sstBomb(t, 300<<10, 300<<10) },
		[]string{"delen xl/sharedStrings.xml (delad sträng nr 7)", "längre än en cell i Excel kan vara (32 767 tecken)", "ändra inte i råexporten"}},
	{"5,000 elements nested in a cell", func(t testing.TB) []byte { return nestedCell(t, 5000, "r") },
		[]string{"delen xl/worksheets/sheet1.xml (cellen D2)", "nästlade mer än 64 nivåer", "öppna filen i Excel och spara den"}},
	{"a million unknown elements nested in a cell", func(t testing.TB) []byte { return nestedCell(t, 1000000, "x") },
		[]string{"delen xl/worksheets/sheet1.xml (cellen D2)", "nästlade mer än 64 nivåer"}},
	{"elements nested in the shared strings", func(t testing.TB) []byte {
		return genXLSX(t, sheetOf(), func(w io.Writer) {
			io.WriteString(w, sstStart+`<si>`)
			repeat(w, "<r>", 3*5000)
			io.WriteString(w, `</si></sst>`)
		})
	}, []string{"delen xl/sharedStrings.xml (delad sträng nr 1)", "nästlade"}},
	{"elements nested in the styles", func(t testing.TB) []byte {
		return genXLSX(t, sheetOf(mailRow(2, "Hej")), nil, xpart{"xl/theme/theme1.xml", func(w io.Writer) { repeat(w, "<a>", 3*100000) }})
	}, []string{"delen xl/theme/theme1.xml", "nästlade"}},
	{"rows with a cell in column XFD: 16,384 cells each", func(t testing.TB) []byte {
		return genXLSX(t, func(w io.Writer) {
			io.WriteString(w, sheetStart+headerRow)
			for r := 2; r < 3000; r++ {
				fmt.Fprintf(w, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
			}
			io.WriteString(w, sheetEnd)
		}, nil)
	}, []string{"delen xl/worksheets/sheet1.xml", "mer än 16777216 celler"}},
	{"a cell beyond column XFD without a reference", func(t testing.TB) []byte {
		return genXLSX(t, func(w io.Writer) {
			io.WriteString(w, sheetStart+headerRow+`<row r="2">`)
			repeat(w, `<c><v>1</v></c>`, 15*20000)
			io.WriteString(w, `</row>`+sheetEnd)
		}, nil)
	}, []string{"kolumn nr 16385", "högst 16384 kolumner"}},
	{"a row number beyond Excel's last row (in a character reference)", func(t testing.TB) []byte {
		return genXLSX(t, sheetOf(`<row r="&#50;000000"><c><v>1</v></c></row>`), nil)
	}, []string{"rad nr 2000000", "högst 1048576 rader"}},
	{"one shared string of 200,000 bytes in 200,000 cells (rich text: a copy each)", func(t testing.TB) []byte {
		return genXLSX(t, func(w io.Writer) {
			io.WriteString(w, sheetStart+headerRow)
			for r := 2; r < 2000; r++ {
				fmt.Fprintf(w, `<row r="%d">`, r)
				for c := range 100 {
					fmt.Fprintf(w, `<c r="%s%d" t="s"><v>0</v></c>`, columnName(c), r)
				}
				io.WriteString(w, `</row>`)
			}
			io.WriteString(w, sheetEnd)
		}, func(w io.Writer) {
			io.WriteString(w, sstStart+`<si><r><t>`)
			repeat(w, "b", 200000)
			io.WriteString(w, `</t></r><r><t>x</t></r></si></sst>`)
		})
	}, []string{"delen xl/worksheets/sheet1.xml (rad 2)", "mer än 16 MiB text"}},
	{"a document type declaration", func(t testing.TB) []byte {
		return genXLSX(t, text(`<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]>`+sheetStart[len(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)+1:]+headerRow+sheetEnd), nil)
	}, []string{"delen xl/worksheets/sheet1.xml", "dokumenttypdeklaration"}},
	{"a part in another encoding than UTF-8", func(t testing.TB) []byte {
		return genXLSX(t, text(`<?xml version="1.0" encoding="windows-1252"?>`+sheetStart[len(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`)+1:]+headerRow+sheetEnd), nil)
	}, []string{"delen xl/worksheets/sheet1.xml", `teckenkodningen "windows-1252"`}},
	{"the same part twice", func(t testing.TB) []byte {
		return genXLSX(t, sheetOf(mailRow(2, "Hej")), nil, xpart{"XL/worksheets/sheet1.xml", sheetOf()})
	}, []string{"delen XL/worksheets/sheet1.xml", "finns två gånger"}},
	{"a part that unpacks to more than its header says", func(t testing.TB) []byte {
		sheet := xlsxWithRawSheet(t, 0, 0)
		zr, _ := zip.NewReader(bytes.NewReader(sheet), int64(len(sheet)))
		var size uint64
		for _, f := range zr.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				size = f.UncompressedSize64
			}
		}
		return xlsxWithRawSheet(t, size, 1<<20)
	}, []string{"delen xl/worksheets/sheet1.xml", "är skadad (den packas upp till en annan storlek än zip-filen anger)", "kopiera den på nytt"}},
}

// raceEnabled is set by race_test.go: timings mean nothing under the race detector.
var raceEnabled bool

// TestReadRefusesHostileXLSX: every hostile package is refused in under a second (of processor
// time, which also counts the garbage collector's), having
// allocated less than 100 MiB (over 10 minutes and 2.5 GB before the checks), with an error
// naming the file and the part and saying what to do; nothing is left in the system's
// temporary folder or the working area's.
func TestReadRefusesHostileXLSX(t *testing.T) {
	root, sysTmp := dedicatedTMPDIR(t)
	for _, c := range hostile {
		t.Run(c.name, func(t *testing.T) {
			data := c.data(t)
			work := workDir(t, root)
			path := filepath.Join(work, "export", "export.xlsx")
			writeTestFile(t, path, data)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start, cpu := time.Now(), cpuTime()
			log, fs, err := ReadWith(path, "export.xlsx", testSpec(t), testEmployee, ReadOptions{TmpDir: filepath.Join(work, TmpFolder)})
			elapsed, cpu := time.Since(start), cpuTime()-cpu
			runtime.ReadMemStats(&after)
			t.Logf("%d KiB file: %v (processor time %v), %d MiB allocated: %v", len(data)>>10, elapsed.Round(time.Millisecond), cpu.Round(time.Millisecond),
				(after.TotalAlloc-before.TotalAlloc)>>20, err)
			if err == nil {
				n := 0
				if log != nil {
					n = len(log.Rows)
				}
				t.Fatalf("accepted: %d rows, findings %v", n, fs)
			}
			if log != nil || fs != nil {
				t.Errorf("an error with a Log or findings")
			}
			var we *workbook.Error
			if !errors.As(err, &we) || we.File != "export.xlsx" || we.Hint == "" {
				t.Errorf("error %T %v: want a *workbook.Error naming export.xlsx, with a hint", err, err)
			} else {
				msg := we.Error() + " (tips: " + we.Hint + ")"
				for _, w := range c.words {
					if !strings.Contains(msg, w) {
						t.Errorf("message %q lacks %q", msg, w)
					}
				}
			}
			if !raceEnabled {
				// Processor time: the wall clock also counts what other programs do meanwhile.
				if cpu > time.Second {
					t.Errorf("took %v of processor time (%v in all), want under a second", cpu, elapsed)
				}
				if d := after.TotalAlloc - before.TotalAlloc; d > 100<<20 {
					t.Errorf("allocated %d MiB, want under 100", d>>20)
				}
			}
			assertEmpty(t, sysTmp)
			assertGone(t, filepath.Join(work, TmpFolder))
		})
	}
}

// dedicatedTMPDIR points TMPDIR (os.TempDir) at an empty folder of its own, to see what
// lands there, and returns a root for the test's own folders outside it.
func dedicatedTMPDIR(t *testing.T) (root, tmp string) {
	t.Helper()
	root = t.TempDir()
	tmp = filepath.Join(root, "systemets-tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skipf("os.TempDir() does not follow TMPDIR here (%s)", os.TempDir())
	}
	return root, tmp
}

// workDir is a new working area under root.
func workDir(t testing.TB, root string) string {
	t.Helper()
	dir, err := os.MkdirTemp(root, "arbetsyta-")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeTestFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// assertEmpty fails unless dir exists and is empty.
func assertEmpty(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

// assertGone fails if dir exists.
func assertGone(t testing.TB, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); err == nil {
		var left []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			left = append(left, p)
			return nil
		})
		t.Errorf("%s is still there: %v", dir, left)
	}
}

// bigExport is a raw export of n e-mails as Excel writes it (shared strings), with long
// subjects so that the sheet and the string table are larger than xlsxInMemory: excelize
// then unpacks both to temporary files.
func bigExport(t testing.TB, n int) []byte {
	t.Helper()
	rows := [][]any{{"Datum", "Från", "Till", "Ämne", "Status"}}
	for i := range n {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8)), "Delivered"})
	}
	return xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows)
}

// excelizeTable reads the first sheet as the code before the checks did: excelize's defaults
// but for RawCellValue, rows and columns as they come.
func excelizeTable(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, TmpDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	it, err := f.Rows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out [][]string
	for it.Next() {
		cols, err := it.Columns()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cols)
	}
	return out
}

// TestReadLargeXLSXInWorkingArea: a large real-looking export passes the checks and reads the
// same table excelize reads on its own; excelize's temporary files were in the working area's
// folder while it read, and nothing is left there or in the system's temporary folder.
func TestReadLargeXLSXInWorkingArea(t *testing.T) {
	root, sysTmp := dedicatedTMPDIR(t)
	work := workDir(t, root)
	path := filepath.Join(work, "export", "export.xlsx")
	writeTestFile(t, path, bigExport(t, 30000))
	var seen []string
	testHookOpened = func(dir string) {
		if rel, err := filepath.Rel(work, dir); err != nil || !strings.HasPrefix(rel, TmpFolder+string(filepath.Separator)+tmpPrefix) {
			t.Errorf("excelize's folder %s is not in the working area's %s", dir, TmpFolder)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			seen = append(seen, e.Name())
		}
	}
	defer func() { testHookOpened = nil }()
	log, fs, err := Read(path, "export.xlsx", testSpec(t), testEmployee)
	noFindings(t, fs, err)
	if len(log.Rows) != 30000 {
		t.Fatalf("%d rows, want 30000", len(log.Rows))
	}
	if len(seen) < 2 || !slices.ContainsFunc(seen, func(s string) bool { return strings.HasPrefix(s, "excelize-") }) {
		t.Errorf("excelize's temporary files while it read: %v; want the sheet and the string table (larger than %d MiB)", seen, xmlInMemory>>20)
	}
	assertEmpty(t, sysTmp)
	assertGone(t, filepath.Join(work, TmpFolder))

	data, _ := os.ReadFile(path)
	got, err := readXLSX(context.Background(), data, "export.xlsx", filepath.Join(work, TmpFolder))
	if err != nil {
		t.Fatal(err)
	}
	want := excelizeTable(t, path)
	if !slices.EqualFunc(got.Rows, want, slices.Equal) {
		t.Errorf("the checked read differs from excelize's own (%d and %d rows)", len(got.Rows), len(want))
	}
}

// TestReadInterrupted: a read cancelled while excelize has its temporary files returns the
// context's error, and leaves nothing behind, in the working area or the system's
// temporary folder; so does a CSV read.
func TestReadInterrupted(t *testing.T) {
	root, sysTmp := dedicatedTMPDIR(t)
	work := workDir(t, root)
	path := filepath.Join(work, "export", "export.xlsx")
	writeTestFile(t, path, bigExport(t, 30000))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opened := 0
	testHookOpened = func(dir string) {
		entries, _ := os.ReadDir(dir)
		opened = len(entries)
		cancel() // Ctrl-C while excelize reads
	}
	defer func() { testHookOpened = nil }()
	log, fs, err := ReadWith(path, "export.xlsx", testSpec(t), testEmployee, ReadOptions{Context: ctx, TmpDir: filepath.Join(work, TmpFolder)})
	if !errors.Is(err, context.Canceled) || log != nil || fs != nil {
		t.Fatalf("cancelled read: %v, %v, %v; want context.Canceled alone", log, fs, err)
	}
	if opened == 0 {
		t.Error("excelize had no temporary files when the read was cancelled: the test proves nothing")
	}
	assertEmpty(t, sysTmp)
	assertGone(t, filepath.Join(work, TmpFolder))

	csvPath := filepath.Join(work, "export", "export.csv")
	writeTestFile(t, csvPath, []byte(threeMailsCSV(";", "\r\n")))
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, _, err := ReadWith(csvPath, "export.csv", testSpec(t), testEmployee, ReadOptions{Context: done}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled CSV read: %v", err)
	}
}

// TestPrivateTmpRemovesStaleFolders: a folder a killed read left (older than staleAfter) is
// removed by the next read; a recent one (another read's) is kept.
func TestPrivateTmpRemovesStaleFolders(t *testing.T) {
	base := filepath.Join(t.TempDir(), TmpFolder)
	stale, recent := filepath.Join(base, tmpPrefix+"1"), filepath.Join(base, tmpPrefix+"2")
	for _, d := range []string{stale, recent} {
		writeTestFile(t, filepath.Join(d, "excelize-1"), []byte("rådata"))
	}
	old := time.Now().Add(-2 * staleAfter)
	os.Chtimes(stale, old, old)
	dir, cleanup, err := privateTmp(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale folder is kept")
	}
	cleanup()
	if _, err := os.Stat(dir); err == nil {
		t.Error("cleanup left the private folder")
	}
	if _, err := os.Stat(recent); err != nil {
		t.Error("another read's folder was removed")
	}
}

// TestReadCellTooLongForExcel: a cell longer than Excel holds (32,767 UTF-16 code units) is a
// finding naming the raw export's row and column, with advice; 32,767 is fine. Emoji count
// twice, as in Excel.
func TestReadCellTooLongForExcel(t *testing.T) {
	long := strings.Repeat("a", MaxCellChars+1)
	emoji := strings.Repeat("😀", MaxCellChars/2+1) // 16,384 characters, 32,768 code units
	ok := strings.Repeat("ä", MaxCellChars)
	t.Run("CSV, recipients", func(t *testing.T) {
		recipients := strings.Repeat("mottagare@region.example;", 1400) // 35,000 characters
		csv := "Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej\r\n2026-10-06 08:12;a@x.se;\"" + recipients + "\";Hej\r\n"
		_, fs, err := readBytes(t, "export.csv", []byte(csv))
		if err != nil || len(fs) != 1 {
			t.Fatalf("want one finding, got %v %v", fs, err)
		}
		f := fs[0]
		if f.Line != 3 || f.Severity != finding.Error || f.Rule != Rule {
			t.Errorf("finding %s: want an error on line 3", f)
		}
		n := groupDigits(utf16Len(addresses(recipients)))
		for _, w := range []string{"rad 3, kolumn C (Till)", n + " tecken", "högst 32 767", "avkortad"} {
			if !strings.Contains(f.Message, w) {
				t.Errorf("message %q lacks %q", f.Message, w)
			}
		}
		for _, w := range []string{"ändra inte i råexporten", "en rad per mottagare", "Get-MessageTraceV2"} {
			if !strings.Contains(f.Hint, w) {
				t.Errorf("hint %q lacks %q", f.Hint, w)
			}
		}
	})
	t.Run("xlsx, subject", func(t *testing.T) {
		for _, c := range []struct {
			subject string
			cell    string // "" for no finding
		}{{long, "Sheet!D3"}, {emoji, "Sheet!D3"}, {ok, ""}} {
			data := xlsxtest.Build(t, xlsxtest.Style{}, [][]any{{"Datum", "Från", "Till", "Ämne"},
				{xlsxtest.NewDate(2026, 10, 5, 8, 12, 0), "a@x.se", "b@y.se", "Hej"},
				{xlsxtest.NewDate(2026, 10, 6, 8, 12, 0), "a@x.se", "b@y.se", c.subject}})
			_, fs, err := readBytes(t, "export.xlsx", data)
			if err != nil {
				t.Fatal(err)
			}
			if c.cell == "" {
				if len(fs) > 0 {
					t.Errorf("a cell of exactly %d characters: %v", MaxCellChars, fs)
				}
				continue
			}
			if len(fs) != 1 || fs[0].Cell != c.cell || !strings.Contains(fs[0].Message, c.cell+" (Ämne)") ||
				!strings.Contains(fs[0].Message, "32 768 tecken") || !strings.Contains(fs[0].Hint, "systemförvaltningen") {
				t.Errorf("want one finding at %s: %v", c.cell, fs)
			}
		}
	})
}

// TestReadUTF16WithoutBOM: a UTF-16 file without a byte order mark reads as text with a NUL
// between the letters; the finding says so, shows the headings without them, and prints no
// NUL byte.
func TestReadUTF16WithoutBOM(t *testing.T) {
	data := utf16LE("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej\r\n")[2:]
	_, fs, err := readBytes(t, "export.csv", data)
	if err != nil || len(fs) != 1 {
		t.Fatalf("want one finding, got %v %v", fs, err)
	}
	s := fs[0].String()
	if strings.ContainsRune(s, 0) {
		t.Errorf("the finding prints NUL bytes: %q", s)
	}
	for _, w := range []string{"Rubrikerna i filen är: Datum, Från", "UTF-16 utan byteordningsmärke"} {
		if !strings.Contains(s, w) {
			t.Errorf("finding %q lacks %q", s, w)
		}
	}
}

// TestScanXMLCounts: the scanner's counts on small parts (what the limits are applied to).
func TestScanXMLCounts(t *testing.T) {
	lim := xlsxLimits
	sst := sstStart + `<si><t>abc</t></si><si><r><t>de</t></r><r><rPr><b/></rPr><t>f&amp;</t></r></si><si/></sst>`
	s, err := scanXML(strings.NewReader(sst), scanStrings, lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int32{3, 8, 0}; !slices.Equal(s.lengths, want) || s.maxDepth != 5 {
		t.Errorf("shared strings: lengths %v, depth %d; want %v, 5", s.lengths, s.maxDepth, want)
	}
	sheet := sheetStart + `<row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1"><v>2</v></c></row><row r="4"><c t="s"><v> 0 </v></c><c/><x:c r="E4"/></row>` + sheetEnd
	s, err = scanXML(strings.NewReader(sheet), scanSheet, lim, []int32{100, 7})
	if err != nil {
		t.Fatal(err)
	}
	if s.slots != 3+5 || s.text != 7+1+100 || s.row != 4 || s.maxDepth != 5 {
		t.Errorf("sheet: slots %d, text %d, row %d, depth %d; want 8, 108, 4, 5", s.slots, s.text, s.row, s.maxDepth)
	}
	// A binary part is read up to its first byte XML forbids.
	if s, err := scanXML(bytes.NewReader([]byte("\x89PNG\r\n<a><a><a>")), scanSheet, lim, nil); err != nil || s.maxDepth != 0 {
		t.Errorf("binary: depth %d, %v", s.maxDepth, err)
	}
	// What encoding/xml would not read past is not counted; what it would, is.
	for _, c := range []struct {
		xml   string
		depth int
	}{
		{`<a><!-- <b><b><b> --><b/></a>`, 2},
		{`<a><![CDATA[<b><b>]]><b></b></a>`, 2},
		{`<a x='>' y="/>"><b></a>`, 2},
		{`<a><?pi <b><b>?><b/></a>`, 2},
		{`<a>` + "\x01" + `<b><b><b>`, 1},
		{`<a b=c><d><d>`, 0},
		{`<a><b c="<"><d><d>`, 1},
		{`<a><!-- -- --><b><b>`, 1},
		{`</a></a><a><a>`, 0},
		{`<p:a><p:b><q:c/>`, 3},
	} {
		s, err := scanXML(strings.NewReader(c.xml), scanSheet, lim, nil)
		if err != nil || s.maxDepth != c.depth {
			t.Errorf("%q: depth %d, %v; want %d", c.xml, s.maxDepth, err, c.depth)
		}
	}
}

// TestWriteBombs writes the hostile packages to $EXPORT_WRITE_BOMBS, for measuring a read
// or an import of one with /usr/bin/time.
func TestWriteBombs(t *testing.T) {
	dir := os.Getenv("EXPORT_WRITE_BOMBS")
	if dir == "" {
		t.Skip("EXPORT_WRITE_BOMBS is not set")
	}
	for i, c := range hostile {
		name := filepath.Join(dir, fmt.Sprintf("bomb%02d.xlsx", i+1))
		writeTestFile(t, name, c.data(t))
		t.Logf("%s: %s", name, c.name)
	}
	writeTestFile(t, filepath.Join(dir, "big.xlsx"), bigExport(t, 100000))
}

// TestReadFileFromEnv reads $EXPORT_READ_FILE as an import does and reports the time, for
// /usr/bin/time -f '%e s %M KiB'.
func TestReadFileFromEnv(t *testing.T) {
	path := os.Getenv("EXPORT_READ_FILE")
	if path == "" {
		t.Skip("EXPORT_READ_FILE is not set")
	}
	start := time.Now()
	log, fs, err := Read(path, filepath.Base(path), testSpec(t), testEmployee)
	rows := 0
	if log != nil {
		rows = len(log.Rows)
	}
	t.Logf("%v: %d rows, %d findings, error: %v", time.Since(start).Round(time.Millisecond), rows, len(fs), err)
}

func BenchmarkReadXLSX(b *testing.B) {
	for _, c := range []struct {
		name string
		data func(testing.TB) []byte
	}{
		{"sst-bomb-500MB", func(t testing.TB) []byte { return sstBomb(t, 500<<20, 1000) }},
		{"nested-5000", func(t testing.TB) []byte { return nestedCell(t, 5000, "r") }},
		{"export-30k-rows", func(t testing.TB) []byte { return bigExport(t, 30000) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "export", "export.xlsx")
			writeTestFile(b, path, c.data(b))
			b.ReportAllocs()
			for b.Loop() {
				Read(path, "export.xlsx", testSpec(b), testEmployee)
			}
		})
	}
}

// BenchmarkScanXML: the scanner's throughput on a worksheet and on a string table of short
// strings (its slowest case: mostly markup).
func BenchmarkScanXML(b *testing.B) {
	var sheet, sst bytes.Buffer
	sheet.WriteString(sheetStart)
	for r := 1; r <= 20000; r++ {
		fmt.Fprintf(&sheet, `<row r="%d" spans="1:5">`, r)
		for c := range 5 {
			fmt.Fprintf(&sheet, `<c r="%s%d" t="s"><v>%d</v></c>`, columnName(c), r, r*5+c)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(sheetEnd)
	sst.WriteString(sstStart)
	repeat(&sst, `<si><t>a</t></si>`, 8<<20)
	sst.WriteString(`</sst>`)
	for _, c := range []struct {
		name string
		data []byte
		kind scanKind
	}{{"sheet", sheet.Bytes(), scanSheet}, {"strings", sst.Bytes(), scanStrings}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := scanXML(bytes.NewReader(c.data), c.kind, xlsxLimits, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
