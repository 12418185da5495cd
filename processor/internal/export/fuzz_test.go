package export

// Fuzz targets for the raw export reader. Run each with, for example:
//
//	go test -run '^$' -fuzz FuzzReadCSV -fuzztime 30s ./processor/internal/export/
//	go test -run '^$' -fuzz FuzzParseTime -fuzztime 30s ./processor/internal/export/
//	go test -run '^$' -fuzz FuzzScanXML -fuzztime 30s ./processor/internal/export/
//	go test -run '^$' -fuzz FuzzReadXLSXParts -fuzztime 30s -fuzzminimizetime 5s ./processor/internal/export/

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"utlamnande/processor/internal/workbook"
)

// FuzzReadCSV reads arbitrary bytes as a .csv raw export: Read must not panic, a Go error
// comes without a Log or findings, every finding has a message, a rule and the file, and
// every row has exactly the declared columns, numbered 1, 2, 3 …, with times in Stockholm.
func FuzzReadCSV(f *testing.F) {
	spec := testSpec(f)
	for _, seed := range [][]byte{
		nil,
		[]byte("Datum;Från;Till;Ämne\r\n"),
		[]byte("\ufeff" + threeMailsCSV(";", "\r\n")),
		[]byte(threeMailsCSV(",", "\n")),
		[]byte("sep=;\r\n" + threeMailsCSV(";", "\r\n")),
		utf16LE(powerShell5CSV),
		utf16BE(threeMailsCSV(";", "\r\n")),
		windows1252(f, threeMailsCSV(";", "\r\n")),
		[]byte("Received,Folder,Sender,Recipients,Subject\r\n2026-10-05T06:12:00Z,Inbox,a@x.se,b@y.se,Hej\r\n"),
		[]byte(`"origin_timestamp_utc","sender_address","recipient_status","message_subject"` + "\r\n" +
			`"2026-10-05T06:12:33.1234567Z","a@x.se","a@x.se##Receive, Deliver;b@y.se##Receive, Fail","Hej"` + "\r\n"),
		dateCSV("Datum", "25/10/2026 14:00", "5/10/2026 09:00"),
		dateCSV("Datum", "5/10/2026 14:00"),
		dateCSV("Received", "10/5/2026 8:12:33 PM", "46300.5", ""),
		[]byte("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;\"Hej\r\n"),
		[]byte("Tidpunkt;Avsändaradress\r\n1;2\r\n"),
		[]byte("#TYPE x\r\n\"Datum\";\"Från\";\"Till\";\"Ämne\"\r\n"),
		append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 16)...),
		[]byte("PK\x03\x04garbage"),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := os.CreateTemp(dir, "fuzz-*.csv")
		if err != nil {
			t.Fatal(err)
		}
		path := file.Name()
		defer os.Remove(path)
		_, err = file.Write(data)
		if cerr := file.Close(); err != nil || cerr != nil {
			t.Fatal(err, cerr)
		}
		const name = "råexport/fuzz.csv"
		log, fs, err := Read(path, name, spec, testEmployee)
		if err != nil {
			if log != nil || fs != nil || err.Error() == "" {
				t.Fatalf("error %q with Log %v and findings %v", err, log, fs)
			}
			return
		}
		if log == nil {
			t.Fatal("no error and no Log")
		}
		for _, fd := range fs {
			if strings.TrimSpace(fd.Message) == "" {
				t.Errorf("finding without a message: %+v", fd)
			}
			if fd.Rule != Rule || fd.File != name || fd.Line < 0 {
				t.Errorf("finding %+v: want rule %s, file %s", fd, Rule, name)
			}
		}
		for i, r := range log.Rows {
			if r.Nr != i+1 {
				t.Errorf("row %d has Nr %d", i+1, r.Nr)
			}
			if len(r.Values) != len(spec.Columns) || r.Source == "" {
				t.Fatalf("row %d: %d values for %d columns, source %q", r.Nr, len(r.Values), len(spec.Columns), r.Source)
			}
			for _, v := range r.Values {
				if v.IsTime() && v.Time.Location() != Stockholm {
					t.Errorf("row %d: time %v not in Stockholm", r.Nr, v.Time)
				}
			}
		}
	})
}

// FuzzParseTime calls parseTime with arbitrary text and options: no panic; a time comes in
// the Stockholm location, an error with a message and no time; surrounding spaces do not
// matter.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"", " ", "2026-10-05 08:12", "2026-10-05 08:12:33", "2026-10-05T06:12:33.1234567Z",
		"2026-10-05T06:12:00+02:00", "2026-10-05", "10/5/2026 8:12:33 AM", "10/5/2026 8:12:33 PM",
		"12/24/2026 12:00 am", "25/10/2026 14:00", "5/10/2026 14:00", "2/30/2026", "46300.5",
		"0.5", "2958465", "2958466", "1e308", "NaN", "-1", "0x1p16", "99/99/9999 99:99:99.999999999999 PM",
		"2026-03-29 02:30", "2026-10-25 02:30",
	} {
		for order := range 4 {
			f.Add(s, order%2 == 0, uint8(order), order == 3)
		}
	}
	f.Fuzz(func(t *testing.T, s string, utc bool, order uint8, date1904 bool) {
		o := slashOrder(order % 4)
		got, err := parseTime(s, utc, o, date1904)
		if err != nil {
			if !got.IsZero() || err.Error() == "" {
				t.Fatalf("parseTime(%q) = %v, %q: an error must come with no time and a message", s, got, err)
			}
		} else if got.Location() != Stockholm {
			t.Fatalf("parseTime(%q) = %v in %v, want Europe/Stockholm", s, got, got.Location())
		}
		padded, perr := parseTime(" \t"+s+" ", utc, o, date1904)
		if !padded.Equal(got) || (perr == nil) != (err == nil) {
			t.Fatalf("parseTime(%q) = %v, %v but with spaces %v, %v", s, got, err, padded, perr)
		}
	})
}

// FuzzScanXML compares the scanner with encoding/xml, the decoder excelize reads parts with:
// on any input the scanner does not refuse outright (a DOCTYPE, another encoding), it finds
// elements nested at least as deep as encoding/xml's raw tokens do, and at least as many, up
// to where encoding/xml stops. A scanner that counted less would let a part through whose
// nesting excelize then pays for.
func FuzzScanXML(f *testing.F) {
	for _, seed := range []string{
		"", "<a/>", "<a><b><c/></b></a>", sheetStart + headerRow + mailRow(2, "Hej") + sheetEnd,
		sstStart + `<si><t>abc</t></si><si><r><t>de</t></r></si></sst>`,
		`<a><!-- <b><b><b> --><b/></a>`, `<a><![CDATA[<b><b>]]><b></b></a>`, `<a x='>' y="/>"><b></a>`,
		`<?xml version="1.0" encoding="UTF-8"?><a><?pi <b>?><b/></a>`, "<a>\x01<b><b>", `<a b=c><d>`,
		`<a><b c="<"><d><d>`, `<a><!-- -- --><b>`, `</a></a><a><a>`, `<p:a><p:b><q:c/>`, "<a>\xc3\x28<b>",
		`<row r="&#49;"><c r="XF&#68;1"><v>1</v></c></row>`, "<a\tb = 'c'\n/>", "\xef\xbb\xbf<a><b>",
		`<?xml version="1.0" encoding='utf-8'?><a/>`, `<!DOCTYPE a><a/>`, `<?xml encoding="latin1"?><a/>`,
	} {
		f.Add([]byte(seed))
	}
	unlimited := scanLimits{depth: 1 << 30, strings: 1 << 30, cellBytes: 1 << 62, rows: 1 << 30, cols: 1 << 30, slots: 1 << 62, rowText: 1 << 62, text: 1 << 62}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []scanKind{scanSheet, scanStrings} {
			s, err := scanXML(bytes.NewReader(data), kind, unlimited, []int32{1, 2, 3})
			var sl *scanLimit
			if errors.As(err, &sl) {
				if sl.what == "" {
					t.Fatal("a refusal without a message")
				}
				continue
			}
			if err != nil {
				t.Fatalf("scanXML: %v", err)
			}
			d := xml.NewDecoder(bytes.NewReader(data))
			depth, deepest, starts := 0, 0, int64(0)
			for {
				tok, err := d.RawToken()
				if err != nil {
					break
				}
				switch tok.(type) {
				case xml.StartElement:
					starts++
					depth++
					deepest = max(deepest, depth)
				case xml.EndElement:
					depth--
				}
			}
			if s.maxDepth < deepest || s.starts < starts {
				t.Fatalf("%q: the scanner found depth %d and %d elements, encoding/xml %d and %d", data, s.maxDepth, s.starts, deepest, starts)
			}
		}
	})
}

// FuzzReadXLSXParts reads packages whose worksheet and shared strings are arbitrary bytes, as
// Read reads an xlsx export (the package check, then excelize): no panic; an error is a
// *workbook.Error with a hint naming the file; nothing is left of the folder for temporary
// files. Each input costs a millisecond or so, which makes the fuzzer's minimizing slow:
// -fuzzminimizetime 5s lets it fuzz more within a short run.
func FuzzReadXLSXParts(f *testing.F) {
	f.Add([]byte(sheetStart+headerRow+mailRow(2, "Hej")+sheetEnd), []byte(""))
	f.Add([]byte(sheetStart+`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>`+
		`<row r="2"><c r="A2"><v>46300.5</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>4</v></c><c r="D2" t="s"><v>5</v></c></row>`+sheetEnd),
		[]byte(sstStart+`<si><t>Datum</t></si><si><t>Från</t></si><si><t>Till</t></si><si><t>Ämne</t></si><si><t>a@x.se</t></si><si><r><t>H</t></r><r><t>ej</t></r></si></sst>`))
	f.Add([]byte(sheetStart+headerRow+`<row r="1048577"><c r="A1"/></row>`+sheetEnd), []byte(sstStart+"<si>"+strings.Repeat("<r>", 70)))
	f.Add([]byte(sheetStart+headerRow+`<row><c r="XFD2" t="s"><v>0</v></c></row>`+sheetEnd), []byte(sstStart+`<si><t>`+strings.Repeat("x", 300)+`</t></si></sst>`))
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		if len(sheet)+len(sst) > 64<<10 {
			return // what matters fits; larger inputs only slow the minimizer down
		}
		var sstBody func(io.Writer)
		if len(sst) > 0 {
			sstBody = func(w io.Writer) { w.Write(sst) }
		}
		data := genXLSXMethod(t, zip.Store, func(w io.Writer) { w.Write(sheet) }, sstBody)
		tmp := filepath.Join(root, TmpFolder)
		table, err := readXLSX(context.Background(), data, "export.xlsx", tmp)
		if err != nil {
			var we *workbook.Error
			if table != nil || !errors.As(err, &we) || we.Hint == "" || we.File != "export.xlsx" {
				t.Fatalf("error %T %v with table %v", err, err, table)
			}
		} else if table == nil || table.Sheet != "Blad1" {
			t.Fatalf("no error and table %+v", table)
		}
		if _, err := os.Stat(tmp); err == nil {
			t.Fatalf("%s is left", tmp)
		}
	})
}
