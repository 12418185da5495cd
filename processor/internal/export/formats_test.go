package export

// Tests that Read accepts every input format the product must accept, using files written
// the way programs other than excelize write them: CSV in the encodings and dialects of
// Exchange, PowerShell and Swedish Excel (bytes built here), xlsx from the independent
// writer in package xlsxtest (openpyxl and Excel styles), and a real LibreOffice file
// (testdata/libreoffice.xlsx). Each case asserts the exact rows.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/xlsxtest"
)

const testEmployee = "erik.exempel@region.example"

var (
	specOnce sync.Once
	specVal  *workflow.WorkbookSpec
	specErr  error
)

// testSpec returns the granskningsbok of the real e-postlogg type.
func testSpec(t testing.TB) *workflow.WorkbookSpec {
	t.Helper()
	specOnce.Do(func() {
		types, _, err := workflow.LoadTypes("../../../templates", "templates")
		if err != nil {
			specErr = err
			return
		}
		ty := types["e-postlogg"]
		if ty == nil || ty.Workbook == nil {
			specErr = errors.New("templates/e-postlogg has no granskningsbok")
			return
		}
		var names []string
		for _, c := range ty.Workbook.Columns {
			names = append(names, c.Name)
		}
		if !slices.Equal(names, []string{"Datum", "Mapp", "Från", "Till", "Ämne"}) {
			specErr = fmt.Errorf("the tests expect the columns Datum, Mapp, Från, Till, Ämne; the type declares %q", names)
			return
		}
		specVal = ty.Workbook
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specVal
}

// row is a review row as the tests compare it. Datum is Stockholm wall-clock time with the
// zone abbreviation (CEST in summer, CET in winter), or "" when the cell has no time.
type row struct {
	Nr                            int
	Datum, Mapp, Fran, Till, Amne string
}

const datumLayout = "2006-01-02 15:04:05.999999999 MST"

// rowsOf turns a Log's rows into comparable rows, checking that each row has exactly the
// declared columns (nothing else from the export survives), that the date is in the
// Stockholm location and that the other columns are text.
func rowsOf(t *testing.T, log *Log) []row {
	t.Helper()
	if log == nil {
		t.Fatal("Read returned no Log")
	}
	var out []row
	for _, r := range log.Rows {
		if len(r.Values) != 5 {
			t.Fatalf("row %d has %d values, want exactly the 5 declared columns: %v", r.Nr, len(r.Values), r.Values)
		}
		if n := len(r.Cells()); n != 6 {
			t.Errorf("row %d: Cells() has %d cells, want Nr and the 5 declared columns", r.Nr, n)
		}
		got := row{Nr: r.Nr, Mapp: r.Values[1].Text, Fran: r.Values[2].Text, Till: r.Values[3].Text, Amne: r.Values[4].Text}
		if v := r.Values[0]; v.IsTime() {
			if v.Time.Location() != Stockholm {
				t.Errorf("row %d: Datum %v is in %v, want Europe/Stockholm", r.Nr, v.Time, v.Time.Location())
			}
			got.Datum = v.Time.Format(datumLayout)
		}
		for i, v := range r.Values[1:] {
			if v.IsTime() {
				t.Errorf("row %d: column %d holds a time, want text", r.Nr, i+2)
			}
		}
		out = append(out, got)
	}
	return out
}

func assertRows(t *testing.T, log *Log, want []row) {
	t.Helper()
	got := rowsOf(t, log)
	if len(got) != len(want) {
		t.Errorf("got %d rows, want %d", len(got), len(want))
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing row %+v", want[i])
		case i >= len(want):
			t.Errorf("unexpected row %+v", got[i])
		case got[i] != want[i]:
			t.Errorf("row %d:\n got %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
}

func noFindings(t *testing.T, fs finding.List, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	for _, f := range fs {
		t.Errorf("unexpected finding: %s", f)
	}
}

// readBytes writes data to a file named name in a temporary directory and reads it.
func readBytes(t testing.TB, name string, data []byte) (*Log, finding.List, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return Read(path, name, testSpec(t), testEmployee)
}

// utf16LE encodes s as UTF-16LE with a BOM, as Export-Csv -Encoding Unicode (PowerShell 5)
// and Exchange write.
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// utf16BE encodes s as UTF-16BE with a BOM.
func utf16BE(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// windows1252 encodes s as Windows-1252, as Swedish Excel's "CSV (semikolonavgränsad)"
// writes: å ä ö are the single bytes 0xE5 0xE4 0xF6.
func windows1252(t testing.TB, s string) []byte {
	t.Helper()
	special := map[rune]byte{'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97}
	var b []byte
	for _, r := range s {
		switch c, ok := special[r]; {
		case ok:
			b = append(b, c)
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b = append(b, byte(r))
		default:
			t.Fatalf("windows1252: %q has no Windows-1252 byte", r)
		}
	}
	return b
}

// The three e-mails of the encoding and dialect cases, as read. Row 1 is sent by the
// employee (Skickat), the others received (Inkorg). Row 2's subject has the separators and
// quotes, row 3's a line break written as CRLF, and the characters of Windows-1252's
// 0x80–0x9F range.
var threeMails = []row{
	{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling: små ändringar i ärendet"},
	{2, "2026-11-05 08:12:00 CET", "Inkorg", "anna.andersson@kommun.example", "erik.exempel@region.example", `Svar: "budget"; möte, tisdag`},
	{3, "2026-12-24 23:59:00 CET", "Inkorg", "nyhetsbrev@example.com", "erik.exempel@region.example; b@y.se", "Rad ett\nRad två – 10 €"},
}

// threeMailsCSV is threeMails as CSV with separator sep and line ending eol, quoting as
// Excel does: only fields containing the separator, a quote or a line break.
func threeMailsCSV(sep, eol string) string {
	q := func(s string) string {
		if strings.ContainsAny(s, sep+"\"\r\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	lines := [][]string{
		{"Datum", "Från", "Till", "Ämne"},
		{"2026-10-05 08:12", "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling: små ändringar i ärendet"},
		{"2026-11-05 08:12", "anna.andersson@kommun.example", "erik.exempel@region.example", `Svar: "budget"; möte, tisdag`},
		{"2026-12-24 23:59", "nyhetsbrev@example.com", "erik.exempel@region.example; b@y.se", "Rad ett\r\nRad två – 10 €"},
	}
	var b strings.Builder
	for _, l := range lines {
		for i, f := range l {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(q(f))
		}
		b.WriteString(eol)
	}
	return b.String()
}

// powerShell5CSV is a Get-MessageTraceV2 | Export-Csv in Windows PowerShell 5: a #TYPE line,
// every field quoted, CRLF, times in en-US form and in UTC (Received), extra columns.
const powerShell5CSV = "#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTraceV2\r\n" +
	`"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId"` + "\r\n" +
	`"10/5/2026 6:12:00 AM","erik.exempel@region.example","anna.andersson@kommun.example","Återkoppling: små ändringar i ärendet","Delivered","203.0.113.5","10.1.2.3","48213","<m1@region.example>"` + "\r\n" +
	`"11/5/2026 7:12:00 AM","anna.andersson@kommun.example","erik.exempel@region.example","Svar: ""budget""; möte, tisdag","Delivered","10.1.2.3","198.51.100.7","2345","<m2@kommun.example>"` + "\r\n" +
	`"12/24/2026 10:59:00 PM","nyhetsbrev@example.com","erik.exempel@region.example","Rad ett` + "\r\n" + `Rad två – 10 €","Delivered","10.1.2.3","198.51.100.8","99000","<m3@example.com>"` + "\r\n"

var powerShell5Rows = []row{
	threeMails[0],
	threeMails[1],
	{3, "2026-12-24 23:59:00 CET", "Inkorg", "nyhetsbrev@example.com", "erik.exempel@region.example", "Rad ett\nRad två – 10 €"},
}

// TestReadCSVEncodingsAndDialects: encodings (UTF-8 with and without BOM, UTF-16LE and BE
// with BOM, Windows-1252) and dialects (separators , ; TAB, a sep= line, quoted fields
// with separators, doubled quotes and CRLF, LF-only line ends).
func TestReadCSVEncodingsAndDialects(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		data     []byte
		encoding string
		want     []row
	}{
		{"UTF-8 with BOM, semicolon", "export.csv", []byte("\ufeff" + threeMailsCSV(";", "\r\n")), "UTF-8", threeMails},
		{"UTF-8 without BOM, comma", "export.csv", []byte(threeMailsCSV(",", "\r\n")), "UTF-8", threeMails},
		{"UTF-8 without BOM, semicolon, LF line ends", "export.csv", []byte(threeMailsCSV(";", "\n")), "UTF-8", threeMails},
		{"UTF-8, sep=; first line (Excel)", "export.csv", []byte("sep=;\r\n" + threeMailsCSV(";", "\r\n")), "UTF-8", threeMails},
		{"UTF-8 with BOM, sep=, first line", "export.csv", []byte("\ufeffsep=,\r\n" + threeMailsCSV(",", "\r\n")), "UTF-8", threeMails},
		{"UTF-16LE with BOM, PowerShell 5 Export-Csv -Encoding Unicode", "export.csv", utf16LE(powerShell5CSV), "UTF-16LE", powerShell5Rows},
		{"UTF-16LE with BOM, tab-separated (Excel's Unicode text)", "export.txt", utf16LE(threeMailsCSV("\t", "\r\n")), "UTF-16LE", threeMails},
		{"UTF-16BE with BOM, semicolon", "export.csv", utf16BE(threeMailsCSV(";", "\r\n")), "UTF-16BE", threeMails},
		{"Windows-1252, semicolon (Swedish Excel CSV (semikolonavgränsad))", "export.csv", windows1252(t, threeMailsCSV(";", "\r\n")), "Windows-1252", threeMails},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.encoding == "Windows-1252" {
				// The fixture really is single-byte: å ä ö as 0xE5 0xE4 0xF6, not UTF-8.
				for _, b := range []byte{0xE5, 0xE4, 0xF6, 0xC5, 0x80, 0x96} {
					if bytes.IndexByte(c.data, b) < 0 {
						t.Fatalf("fixture lacks byte %#x", b)
					}
				}
				if utf8.Valid(c.data) {
					t.Fatal("fixture is valid UTF-8")
				}
			}
			log, fs, err := readBytes(t, c.file, c.data)
			noFindings(t, fs, err)
			if log.Encoding != c.encoding {
				t.Errorf("Encoding = %q, want %q", log.Encoding, c.encoding)
			}
			assertRows(t, log, c.want)
		})
	}
}

// TestReadHeadingSets: the heading sets of the M365 exports and plain Swedish and English
// headings, matched case-insensitively and with surrounding spaces; extra columns dropped;
// UTC headings converted to Stockholm time; Mapp from the export or derived.
func TestReadHeadingSets(t *testing.T) {
	cases := []struct {
		name     string
		csv      string
		headings []string // Log.Headings: as found in the export
		want     []row
		dropped  []string // values of extra columns that must not reach the rows
	}{
		{
			name: "Get-MessageTraceV2 (UTC, extra columns dropped)",
			csv: `"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId"` + "\r\n" +
				`"2026-10-05T06:12:00Z","erik.exempel@region.example","anna.andersson@kommun.example","Veckomöte","Delivered","203.0.113.5","10.1.2.3","48213","<m1@region.example>","5b6f8a1e-0000-4000-8000-000000000001"` + "\r\n" +
				`"2026-11-05T07:12:00Z","anna.andersson@kommun.example","erik.exempel@region.example","Re: Veckomöte","Delivered","10.1.2.3","198.51.100.7","2345","<m2@kommun.example>","5b6f8a1e-0000-4000-8000-000000000002"` + "\r\n",
			headings: []string{"Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageId", "MessageTraceId"},
			want: []row{
				{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Veckomöte"},
				{2, "2026-11-05 08:12:00 CET", "Inkorg", "anna.andersson@kommun.example", "erik.exempel@region.example", "Re: Veckomöte"},
			},
			dropped: []string{"Delivered", "203.0.113.5", "10.1.2.3", "198.51.100.7", "48213", "2345", "<m1@region.example>", "5b6f8a1e"},
		},
		{
			name: "downloadable message trace report (recipient_status with ## status)",
			csv: "\ufeff" + `"origin_timestamp_utc","sender_address","recipient_status","message_subject","total_bytes","message_id","network_message_id","original_client_ip","directionality","connector_id","delivery_priority"` + "\r\n" +
				`"2026-10-05T06:12:33.1234567Z","erik.exempel@region.example","a@x.se##Receive, Deliver;b@y.se##Receive, Fail","Offert, version 2","5120","<m1@region.example>","6f1c0e2a-1111-4000-8000-000000000001","10.1.2.3","Originating","","Normal"` + "\r\n" +
				`"2026-11-05T07:12:00.0000000Z","Anna.Andersson@kommun.example","erik.exempel@region.example##Receive, Deliver","Svar: offert","2048","<m2@kommun.example>","6f1c0e2a-1111-4000-8000-000000000002","198.51.100.7","Incoming","Inbound","Normal"` + "\r\n",
			headings: []string{"origin_timestamp_utc", "sender_address", "recipient_status", "message_subject", "total_bytes", "message_id", "network_message_id", "original_client_ip", "directionality", "connector_id", "delivery_priority"},
			want: []row{
				{1, "2026-10-05 08:12:33.1234567 CEST", "Skickat", "erik.exempel@region.example", "a@x.se; b@y.se", "Offert, version 2"},
				{2, "2026-11-05 08:12:00 CET", "Inkorg", "Anna.Andersson@kommun.example", "erik.exempel@region.example", "Svar: offert"},
			},
			dropped: []string{"Receive", "Deliver", "Fail", "5120", "<m1@", "6f1c0e2a", "10.1.2.3", "Originating", "Incoming", "Inbound", "Normal"},
		},
		{
			name: "Swedish plain headings with Mapp (the export's folder is kept, not derived)",
			csv: "Datum;Mapp;Från;Till;Ämne\r\n" +
				"2026-10-05 08:12;Skickat;erik.exempel@region.example;anna.andersson@kommun.example;Hej Anna\r\n" +
				"2026-11-05 08:12;Inkorg;erik.exempel@region.example;erik.exempel@region.example;Påminnelse till mig själv\r\n",
			headings: []string{"Datum", "Mapp", "Från", "Till", "Ämne"},
			want: []row{
				{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Hej Anna"},
				{2, "2026-11-05 08:12:00 CET", "Inkorg", "erik.exempel@region.example", "erik.exempel@region.example", "Påminnelse till mig själv"},
			},
		},
		{
			name: "English Received/Folder/Sender/Recipients/Subject (Received is UTC, also without a zone)",
			csv: "Received,Folder,Sender,Recipients,Subject\r\n" +
				"2026-10-05T06:12:00Z,Sent Items,erik.exempel@region.example,anna.andersson@kommun.example,Status report\r\n" +
				"2026-11-05T07:12:00Z,Inbox,anna.andersson@kommun.example,erik.exempel@region.example; b@y.se,Re: Status report\r\n" +
				"2026-11-05 07:12,Inbox,anna.andersson@kommun.example,erik.exempel@region.example,Re: Re: Status report\r\n",
			headings: []string{"Received", "Folder", "Sender", "Recipients", "Subject"},
			want: []row{
				// The folder is copied as exported; it is not translated.
				{1, "2026-10-05 08:12:00 CEST", "Sent Items", "erik.exempel@region.example", "anna.andersson@kommun.example", "Status report"},
				{2, "2026-11-05 08:12:00 CET", "Inbox", "anna.andersson@kommun.example", "erik.exempel@region.example; b@y.se", "Re: Status report"},
				{3, "2026-11-05 08:12:00 CET", "Inbox", "anna.andersson@kommun.example", "erik.exempel@region.example", "Re: Re: Status report"},
			},
		},
		{
			name: "headings in other case and with surrounding spaces (UTC still recognised)",
			csv: `" RECEIVED ";senderaddress ;  RecipientAddress;"SUBJECT"` + "\r\n" +
				"2026-10-05 06:12;Erik.Exempel@Region.Example ;anna.andersson@kommun.example;Hej\r\n" +
				"2026-11-05 07:12;anna.andersson@kommun.example;Erik.Exempel@Region.Example;Svar\r\n",
			headings: []string{" RECEIVED ", "senderaddress ", "  RecipientAddress", "SUBJECT"},
			want: []row{
				// The sender matches the employee's address whatever its case: Skickat.
				{1, "2026-10-05 08:12:00 CEST", "Skickat", "Erik.Exempel@Region.Example", "anna.andersson@kommun.example", "Hej"},
				{2, "2026-11-05 08:12:00 CET", "Inkorg", "anna.andersson@kommun.example", "Erik.Exempel@Region.Example", "Svar"},
			},
		},
		{
			name: "Swedish headings in other case with spaces, Å Ä upper case",
			csv: "  DATUM ; FRÅN;till  ; ÄMNE \r\n" +
				"2026-10-05 08:12;erik.exempel@region.example;anna.andersson@kommun.example;Hej\r\n",
			headings: []string{"  DATUM ", " FRÅN", "till  ", " ÄMNE "},
			want: []row{
				{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Hej"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log, fs, err := readBytes(t, "export.csv", []byte(c.csv))
			noFindings(t, fs, err)
			if !slices.Equal(log.Headings, c.headings) {
				t.Errorf("Headings = %q, want %q", log.Headings, c.headings)
			}
			assertRows(t, log, c.want)
			for _, r := range log.Rows {
				for _, v := range r.Values {
					for _, d := range c.dropped {
						if strings.Contains(v.Text, d) {
							t.Errorf("row %d keeps %q from a column that is not declared: %q", r.Nr, d, v.Text)
						}
					}
				}
			}
		})
	}
}

// dateCSV is a CSV with the date heading and one e-mail per date.
func dateCSV(heading string, dates ...string) []byte {
	var b strings.Builder
	b.WriteString(heading + ";Från;Till;Ämne\r\n")
	for i, d := range dates {
		fmt.Fprintf(&b, "%s;a@x.se;b@y.se;E-mail %d\r\n", d, i+1)
	}
	return []byte(b.String())
}

// TestReadDateForms: the date forms of the exports, as Stockholm wall-clock time.
func TestReadDateForms(t *testing.T) {
	cases := []struct {
		name    string
		heading string
		dates   []string
		want    []string
	}{
		{"ISO minutes", "Datum", []string{"2026-10-05 08:12"}, []string{"2026-10-05 08:12:00 CEST"}},
		{"ISO seconds", "Datum", []string{"2026-10-05 08:12:33"}, []string{"2026-10-05 08:12:33 CEST"}},
		{"ISO T, 7 fraction digits, Z (report)", "Datum", []string{"2026-10-05T06:12:33.1234567Z"}, []string{"2026-10-05 08:12:33.1234567 CEST"}},
		{"ISO with offset", "Datum", []string{"2026-11-05T08:12:00+01:00", "2026-10-05T08:12:00+02:00"}, []string{"2026-11-05 08:12:00 CET", "2026-10-05 08:12:00 CEST"}},
		{"ISO without zone under a UTC heading", "Received", []string{"2026-10-05 06:12:33", "2026-11-05 07:12"}, []string{"2026-10-05 08:12:33 CEST", "2026-11-05 08:12:00 CET"}},
		{"ISO date only", "Datum", []string{"2026-10-05"}, []string{"2026-10-05 00:00:00 CEST"}},
		{"US AM/PM", "Datum",
			[]string{"10/5/2026 8:12:33 AM", "10/5/2026 8:12:33 PM", "10/5/2026 12:05:00 AM", "10/5/2026 12:05:00 PM", "11/5/2026 8:12 am"},
			[]string{"2026-10-05 08:12:33 CEST", "2026-10-05 20:12:33 CEST", "2026-10-05 00:05:00 CEST", "2026-10-05 12:05:00 CEST", "2026-11-05 08:12:00 CET"}},
		{"US AM/PM under a UTC heading (Get-MessageTraceV2 in PowerShell)", "Received",
			[]string{"10/5/2026 6:12:33 AM", "11/5/2026 7:12:33 AM", "12/24/2026 10:59:00 PM"},
			[]string{"2026-10-05 08:12:33 CEST", "2026-11-05 08:12:33 CET", "2026-12-24 23:59:00 CET"}},
		{"month first inferred from the column (second number over 12)", "Datum",
			[]string{"10/25/2026 14:00", "10/5/2026 09:00"},
			[]string{"2026-10-25 14:00:00 CET", "2026-10-05 09:00:00 CEST"}},
		{"day first inferred from the column (first number over 12)", "Datum",
			[]string{"25/10/2026 14:00", "5/10/2026 09:00", "1/11/2026"},
			[]string{"2026-10-25 14:00:00 CET", "2026-10-05 09:00:00 CEST", "2026-11-01 00:00:00 CET"}},
		{"day equals month needs no inference", "Datum", []string{"5/5/2026 14:00"}, []string{"2026-05-05 14:00:00 CEST"}},
		{"Excel serial number in a CSV", "Datum", []string{"46300.5"}, []string{"2026-10-05 12:00:00 CEST"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log, fs, err := readBytes(t, "export.csv", dateCSV(c.heading, c.dates...))
			noFindings(t, fs, err)
			got := rowsOf(t, log)
			var dates []string
			for _, r := range got {
				dates = append(dates, r.Datum)
			}
			if !slices.Equal(dates, c.want) {
				t.Errorf("Datum:\n got %q\nwant %q", dates, c.want)
			}
		})
	}
}

// TestReadBadDates: dates that cannot be read give a finding naming the row (and its CSV
// line), the column and the text.
func TestReadBadDates(t *testing.T) {
	type want struct {
		line  int
		words []string
	}
	cases := []struct {
		name  string
		dates []string
		want  []want
	}{
		{"ambiguous: only 5/10/2026 14:00, no AM/PM, no day over 12", []string{"5/10/2026 14:00"},
			[]want{{2, []string{"rad 2", "Datum", `"5/10/2026 14:00"`, "tvetydigt", "dag/månad", "månad/dag"}}}},
		{"ambiguous second row", []string{"5/5/2026 14:00", "5/10/2026 14:00"},
			[]want{{3, []string{"rad 3", "Datum", `"5/10/2026 14:00"`, "tvetydigt"}}}},
		{"column mixing day first and month first", []string{"25/10/2026 14:00", "10/5/2026 8:00 AM"},
			[]want{{2, []string{"rad 2", "blandar"}}, {3, []string{"rad 3", "blandar"}}}},
		{"unknown form", []string{"igår 14:00"}, []want{{2, []string{"rad 2", `"igår 14:00"`, "okänt format"}}}},
		{"no such day", []string{"2/30/2026 8:00 AM"}, []want{{2, []string{"rad 2", "ingen riktig tidpunkt"}}}},
		{"empty date", []string{""}, []want{{2, []string{"rad 2", "tomt"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, fs, err := readBytes(t, "export.csv", dateCSV("Datum", c.dates...))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !fs.HasErrors() {
				t.Fatal("no error finding")
			}
			if len(fs) != len(c.want) {
				t.Errorf("got %d findings, want %d: %v", len(fs), len(c.want), fs)
			}
			for i, w := range c.want {
				if i >= len(fs) {
					break
				}
				f := fs[i]
				if f.Line != w.line || f.Rule != Rule || f.Hint == "" {
					t.Errorf("finding %s: want line %d, rule %s and a hint", f, w.line, Rule)
				}
				for _, word := range w.words {
					if !strings.Contains(f.Message, word) {
						t.Errorf("finding %q lacks %q", f.Message, word)
					}
				}
			}
		})
	}
}

// xlsxRows are three e-mails as an xlsx export has them: dates as date cells, an extra
// column (Storlek) that must be dropped, a recipient list, XML-special characters and a
// CRLF line break in a subject.
func xlsxRows(dateHeading string, subject3 any, dates ...xlsxtest.Date) [][]any {
	return [][]any{
		{dateHeading, "Från", "Till", "Ämne", "Storlek"},
		{dates[0], "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling: små ändringar i ärendet", 48213},
		{dates[1], "Anna.Andersson@kommun.example", "erik.exempel@region.example; b@y.se", `Svar: "budget" & <möte>`, 1024.5},
		{dates[2], "nyhetsbrev@example.com", "erik.exempel@region.example", subject3, 2048},
	}
}

var xlsxDates = []xlsxtest.Date{xlsxtest.NewDate(2026, 10, 5, 8, 12, 0), xlsxtest.NewDate(2026, 11, 5, 14, 30, 15), xlsxtest.NewDate(2026, 12, 24, 23, 59, 59)}

var xlsxWant = []row{
	{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling: små ändringar i ärendet"},
	{2, "2026-11-05 14:30:15 CET", "Inkorg", "Anna.Andersson@kommun.example", "erik.exempel@region.example; b@y.se", `Svar: "budget" & <möte>`},
	{3, "2026-12-24 23:59:59 CET", "Inkorg", "nyhetsbrev@example.com", "erik.exempel@region.example", "Rad ett\nRad två"},
}

// TestReadXLSXOtherWriters: workbooks as openpyxl (inline strings) and Excel (shared strings,
// rich text, _x000D_) write them, in the 1900 and 1904 date systems.
func TestReadXLSXOtherWriters(t *testing.T) {
	cases := []struct {
		name   string
		style  xlsxtest.Style
		rows   [][]any
		want   []row
		source string // Source of the first row
	}{
		{"openpyxl: inline strings, date serials with a date format", xlsxtest.Style{},
			xlsxRows("Datum", "Rad ett\r\nRad två", xlsxDates...), xlsxWant, "Sheet!A2"},
		{"openpyxl: 1904 date system (date1904=\"1\")", xlsxtest.Style{Date1904: "1"},
			xlsxRows("Datum", "Rad ett\r\nRad två", xlsxDates...), xlsxWant, "Sheet!A2"},
		{"1904 date system written date1904=\"true\"", xlsxtest.Style{Date1904: "true", SharedStrings: true},
			xlsxRows("Datum", "Rad ett\r\nRad två", xlsxDates...), xlsxWant, "Sheet!A2"},
		{"Excel: shared strings, rich text, CR as _x000D_", xlsxtest.Style{SharedStrings: true, ExcelCR: true, Sheet: "Blad1"},
			xlsxRows("Datum", xlsxtest.Rich{"Rad ett\r\n", "Rad två"}, xlsxDates...), xlsxWant, "Blad1!A2"},
		{"Excel 1904 with shared strings", xlsxtest.Style{SharedStrings: true, ExcelCR: true, Date1904: "1", Sheet: "Blad1"},
			xlsxRows("Datum", xlsxtest.Rich{"Rad ett\r\n", "Rad två"}, xlsxDates...), xlsxWant, "Blad1!A2"},
		{"UTC heading: serials are UTC and converted", xlsxtest.Style{},
			xlsxRows("Received", "Rad ett\r\nRad två", xlsxtest.NewDate(2026, 10, 5, 6, 12, 0), xlsxtest.NewDate(2026, 11, 5, 13, 30, 15), xlsxtest.NewDate(2026, 12, 24, 22, 59, 59)),
			xlsxWant, "Sheet!A2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "export.xlsx")
			xlsxtest.Write(t, path, c.style, c.rows)
			log, fs, err := Read(path, "export.xlsx", testSpec(t), testEmployee)
			noFindings(t, fs, err)
			if log.Encoding != "" {
				t.Errorf("Encoding = %q for a workbook", log.Encoding)
			}
			if want := []string{c.rows[0][0].(string), "Från", "Till", "Ämne", "Storlek"}; !slices.Equal(log.Headings, want) {
				t.Errorf("Headings = %q, want %q", log.Headings, want)
			}
			assertRows(t, log, c.want)
			if len(log.Rows) > 0 && log.Rows[0].Source != c.source {
				t.Errorf("Source = %q, want %q", log.Rows[0].Source, c.source)
			}
		})
	}
}

// TestReadLibreOffice reads a workbook written by LibreOffice Calc.
//
// testdata/libreoffice.xlsx was made from testdata/libreoffice.csv (UTF-8, semicolons,
// CRLF) with LibreOffice 7.4.7.2:
//
//	soffice --headless --infilter="CSV:59,34,76,1,,1053,false,true" --convert-to xlsx libreoffice.csv
//
// (59 = ';', 34 = '"', 76 = UTF-8, 1 = first line, 1053 = sv-SE, true = detect special
// numbers so the dates become date cells). Calc wrote shared strings, the dates as serials
// with 15 significant digits and the format yyyy-mm-dd hh:mm:ss, and the sheet name from
// the file name. The test does not need LibreOffice.
func TestReadLibreOffice(t *testing.T) {
	path := filepath.Join("testdata", "libreoffice.xlsx")
	log, fs, err := Read(path, "libreoffice.xlsx", testSpec(t), testEmployee)
	noFindings(t, fs, err)
	if want := []string{"Datum", "Från", "Till", "Ämne"}; !slices.Equal(log.Headings, want) {
		t.Errorf("Headings = %q, want %q", log.Headings, want)
	}
	assertRows(t, log, []row{
		{1, "2026-10-05 08:12:00 CEST", "Skickat", "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling om ärendet"},
		{2, "2026-11-05 14:30:15 CET", "Inkorg", "Anna.Andersson@kommun.example", "Erik.Exempel@region.example; b@y.se", "Svar: möte; tisdag"},
		{3, "2026-12-24 23:59:00 CET", "Skickat", "ERIK.EXEMPEL@REGION.EXAMPLE", "c@z.se", "Rad ett\nRad två"},
	})
	var sources []string
	for _, r := range log.Rows {
		sources = append(sources, r.Source)
	}
	if want := []string{"libreoffice!A2", "libreoffice!A3", "libreoffice!A4"}; !slices.Equal(sources, want) {
		t.Errorf("Source = %q, want %q", sources, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); log.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want %x", log.SHA256, sum)
	}
}

// TestReadSourceLines: each row names where it came from: the CSV line it starts on (a
// quoted line break makes a row span lines; a #TYPE line and blank lines count), or the
// worksheet cell (gaps in the rows count).
func TestReadSourceLines(t *testing.T) {
	cases := []struct {
		name    string
		file    string
		data    []byte
		sources []string
	}{
		{"CSV with a quoted line break", "export.csv", []byte(threeMailsCSV(";", "\r\n") +
			"2026-12-27 10:00;a@x.se;b@y.se;Sista\r\n"), []string{"rad 2", "rad 3", "rad 4", "rad 6"}},
		// A blank first line before the header.
		{"CSV with blank lines", "export.csv", []byte("\r\nDatum,Från,Till,Ämne\r\n\r\n2026-10-05 08:12,a@x.se,b@y.se,Hej\r\n\r\n2026-10-06 08:12,a@x.se,b@y.se,Hej\r\n"),
			[]string{"rad 4", "rad 6"}},
		{"PowerShell 5 #TYPE line", "export.csv", utf16LE(powerShell5CSV), []string{"rad 3", "rad 4", "rad 5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log, fs, err := readBytes(t, c.file, c.data)
			noFindings(t, fs, err)
			var got []string
			for _, r := range log.Rows {
				got = append(got, r.Source)
			}
			if !slices.Equal(got, c.sources) {
				t.Errorf("Source = %q, want %q", got, c.sources)
			}
		})
	}
	t.Run("xlsx with an empty row left out", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "export.xlsx")
		xlsxtest.Write(t, path, xlsxtest.Style{RowNumbers: []int{1, 2, 4}}, [][]any{
			{"Datum", "Från", "Till", "Ämne"},
			{xlsxtest.NewDate(2026, 10, 5, 8, 12, 0), "a@x.se", "b@y.se", "Första"},
			{xlsxtest.NewDate(2026, 10, 6, 8, 12, 0), "a@x.se", "b@y.se", "Andra"},
		})
		log, fs, err := Read(path, "export.xlsx", testSpec(t), testEmployee)
		noFindings(t, fs, err)
		var got []string
		for _, r := range log.Rows {
			got = append(got, fmt.Sprintf("%d %s %s", r.Nr, r.Source, r.Values[4].Text))
		}
		if want := []string{"1 Sheet!A2 Första", "2 Sheet!A4 Andra"}; !slices.Equal(got, want) {
			t.Errorf("rows = %q, want %q", got, want)
		}
	})
}

// TestReadBadInput: files that are not a usable export give a clear Swedish finding or
// error and no rows.
func TestReadBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	corrupt := []byte("PK\x03\x04")
	for range 2000 {
		corrupt = append(corrupt, byte(rng.Uint32()))
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)

	cases := []struct {
		name    string
		file    string
		data    []byte
		isErr   bool     // a Go error (the file cannot be read at all), else an error finding
		words   []string // in the error or the finding's message
		notWord []string
		line    int // of the finding
	}{
		{name: "empty file", file: "export.csv", data: nil, words: []string{"råexporten är tom"}},
		{name: "only blank lines", file: "export.csv", data: []byte("\r\n \r\n,,,\r\n"), words: []string{"råexporten är tom"}},
		{name: "only a header row", file: "export.csv", data: []byte("Datum;Från;Till;Ämne\r\n"),
			words: []string{"rubriker men inga e-mail"}, line: 1},
		{name: "only a header row, xlsx", file: "export.xlsx",
			data: xlsxtest.Build(t, xlsxtest.Style{}, [][]any{{"Datum", "Från", "Till", "Ämne"}}), words: []string{"rubriker men inga e-mail"}},
		{name: "unrecognised headings", file: "export.csv",
			data: []byte("Tidpunkt;Avsändaradress;Mottagarlista;Rubrik\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej\r\n"),
			words: []string{"saknar kolumner",
				"Datum (Received / origin_timestamp_utc / Datum", "Från (SenderAddress / sender_address / Från",
				"Till (RecipientAddress / recipient_status / Till", "Ämne (Subject / message_subject / Ämne",
				"Rubrikerna i filen är: Tidpunkt, Avsändaradress, Mottagarlista, Rubrik"},
			notWord: []string{"Mapp ("}, // derived when missing
			line:    1},
		{name: "one heading missing", file: "export.csv",
			data:    []byte("Datum;Från;Mottagarlista;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej\r\n"),
			words:   []string{"saknar kolumner: Till (", "Rubrikerna i filen är: Datum, Från, Mottagarlista, Ämne"},
			notWord: []string{"Datum (", "Från (", "Ämne ("}, line: 1},
		{name: "CSV with an unterminated quote on the last line", file: "export.csv",
			data:  []byte("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej\r\n2026-10-06 08:12;a@x.se;b@y.se;\"Hej\r\n"),
			words: []string{"CSV-filen kan inte läsas", "citattecken"}, line: 3},
		{name: "CSV with a bare quote", file: "export.csv",
			data:  []byte("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;Hej \"du\"\r\n"),
			words: []string{"CSV-filen kan inte läsas", "citattecken mitt i ett fält"}, line: 2},
		{name: "corrupt xlsx (PK header, random bytes)", file: "export.xlsx", data: corrupt, isErr: true,
			words: []string{"export.xlsx", "ingen läsbar xlsx-arbetsbok"}},
		{name: "corrupt xlsx named .csv", file: "export.csv", data: corrupt, isErr: true,
			words: []string{"ingen läsbar xlsx-arbetsbok"}},
		{name: "password-protected or old .xls (OLE)", file: "export.xlsx", data: ole, isErr: true,
			words: []string{"export.xlsx", "lösenordsskyddad", ".xls"}},
		{name: "zip bomb: sheet declares more than maxSheetPart", file: "export.xlsx",
			data: xlsxWithRawSheet(t, maxSheetPart+1<<20, 0), isErr: true,
			words: []string{"delen xl/worksheets/sheet1.xml", fmt.Sprintf("mer än %d MiB", maxSheetPart>>20), "zip-bomb"}},
		{name: "zip bomb: declared sizes add up to more than workbook.MaxUnzipped", file: "export.xlsx",
			data: xlsxWithDeclaredParts(t, maxSheetPart-100, maxSheetPart-100, 200), isErr: true,
			words: []string{fmt.Sprintf("arbetsboken packas upp till mer än %d MiB", workbook.MaxUnzipped>>20), "zip-bomb"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			log, fs, err := readBytes(t, c.file, c.data)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
				t.Errorf("Read allocated %d MiB", d>>20)
			}
			if elapsed > 10*time.Second {
				t.Errorf("Read took %v", elapsed)
			}
			var msg string
			if c.isErr {
				if err == nil {
					t.Fatalf("no error; findings %v", fs)
				}
				if log != nil || len(fs) > 0 {
					t.Errorf("error %v with a Log or findings %v", err, fs)
				}
				var we *workbook.Error
				if !errors.As(err, &we) {
					t.Errorf("error %T %v, want a *workbook.Error with a hint", err, err)
				} else if we.Hint == "" {
					t.Errorf("error %v has no hint", err)
				}
				msg = err.Error()
			} else {
				if err != nil {
					t.Fatalf("error %v, want a finding", err)
				}
				if len(fs) != 1 || !fs.HasErrors() {
					t.Fatalf("want one error finding, got %v", fs)
				}
				f := fs[0]
				if f.Rule != Rule || f.File != c.file || f.Line != c.line || f.Hint == "" {
					t.Errorf("finding %s: want rule %s, file %s, line %d and a hint", f, Rule, c.file, c.line)
				}
				if log != nil && len(log.Rows) > 0 {
					t.Errorf("%d rows with the finding", len(log.Rows))
				}
				msg = f.Message
			}
			for _, w := range c.words {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range c.notWord {
				if strings.Contains(msg, w) {
					t.Errorf("message %q has %q", msg, w)
				}
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		log, fs, err := Read(filepath.Join(t.TempDir(), "finns-inte.csv"), "finns-inte.csv", testSpec(t), testEmployee)
		if err == nil || log != nil || fs != nil || !strings.Contains(err.Error(), "kan inte läsa råexporten finns-inte.csv") {
			t.Errorf("Read = %v, %v, %v", log, fs, err)
		}
	})
}

// xlsxWithRawSheet returns a small valid workbook (threeMails as openpyxl writes it) whose
// sheet entry is written raw, as deflate data, with a declared uncompressed size that is a
// lie: declared bytes (0 for the truth). When pad > 0, the sheet XML is padded with that
// many spaces before compression, so that it inflates to more than it is. Nothing the size
// of the declared part is ever allocated here.
func xlsxWithRawSheet(t testing.TB, declared uint64, pad int) []byte {
	t.Helper()
	good := xlsxtest.Build(t, xlsxtest.Style{}, xlsxRows("Datum", "Rad ett\r\nRad två", xlsxDates...))
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Padding goes after the first e-mail's row (whitespace the XML parser skips).
		if pad > 0 {
			first := bytes.Index(sheet, []byte("</row>")) + len("</row>")
			i := first + bytes.Index(sheet[first:], []byte("</row>")) + len("</row>")
			sheet = slices.Concat(sheet[:i], bytes.Repeat([]byte(" "), pad), sheet[i:])
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(sheet)
		fw.Close()
		size := uint64(len(sheet))
		if declared > 0 {
			size = declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               f.Name,
			Method:             zip.Deflate,
			CRC32:              crc32.ChecksumIEEE(sheet),
			CompressedSize64:   uint64(comp.Len()),
			UncompressedSize64: size,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestReadSeparatorSniffedFromFirstLine: the separator must be sniffed from the header
// line, which is not the first line after Windows PowerShell 5's #TYPE line (Export-Csv
// -UseCulture on a Swedish Windows writes ';') or after blank lines.
func TestReadSeparatorSniffedFromFirstLine(t *testing.T) {
	t.Run("#TYPE line, then ';' (Export-Csv -UseCulture)", func(t *testing.T) {
		csv := strings.ReplaceAll(powerShell5CSV, `","`, `";"`)
		log, fs, err := readBytes(t, "export.csv", utf16LE(csv))
		noFindings(t, fs, err)
		assertRows(t, log, powerShell5Rows)
	})
	t.Run("blank first line, then ';'", func(t *testing.T) {
		log, fs, err := readBytes(t, "export.csv", []byte("\r\n"+threeMailsCSV(";", "\r\n")))
		noFindings(t, fs, err)
		assertRows(t, log, threeMails)
	})
	t.Run("only blank lines and ';;;'", func(t *testing.T) {
		_, fs, err := readBytes(t, "export.csv", []byte("\r\n \r\n;;;\r\n"))
		if err != nil || len(fs) != 1 || !strings.Contains(fs[0].Message, "råexporten är tom") {
			t.Errorf("want the finding 'råexporten är tom', got %v %v", fs, err)
		}
	})
}

// TestReadSepLineSourceLines: after Excel's "sep=;" line every row is on the line after
// the one its Source names.
func TestReadSepLineSourceLines(t *testing.T) {
	log, fs, err := readBytes(t, "export.csv", []byte("sep=;\r\n"+threeMailsCSV(";", "\r\n")))
	noFindings(t, fs, err)
	var got []string
	for _, r := range log.Rows {
		got = append(got, r.Source)
	}
	if want := []string{"rad 3", "rad 4", "rad 5"}; !slices.Equal(got, want) {
		t.Errorf("Source = %q, want %q", got, want)
	}
	_, fs, err = readBytes(t, "export.csv", []byte("sep=;\r\n"+string(dateCSV("Datum", "5/10/2026 14:00"))))
	if err != nil || len(fs) != 1 || fs[0].Line != 3 || !strings.Contains(fs[0].Message, "rad 3") {
		t.Errorf("finding for the date on line 3: %v %v", fs, err)
	}
}

// TestReadUnterminatedQuoteLine: an unterminated quote swallows the rest of the file into
// one field; the finding must point at the line where the quote opened.
func TestReadUnterminatedQuoteLine(t *testing.T) {
	data := "Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;b@y.se;\"Hej\r\n"
	for i := range 5 {
		data += fmt.Sprintf("2026-10-%02d 08:12;a@x.se;b@y.se;Rad %d\r\n", 6+i, i)
	}
	_, fs, err := readBytes(t, "export.csv", []byte(data))
	if err != nil || len(fs) != 1 {
		t.Fatalf("want one finding: %v %v", fs, err)
	}
	if fs[0].Line != 2 {
		t.Errorf("finding on line %d, want 2 (the quote opens there): %s", fs[0].Line, fs[0])
	}
}

// TestReadTruncatedSheetEntry: a sheet entry that inflates to more than its declared size
// is a damaged (or hostile) file. Read must refuse it, not return the part that fits.
func TestReadTruncatedSheetEntry(t *testing.T) {
	// The sheet with 1 MiB of spaces after the first row, declared as its true size less the padding.
	sheet := xlsxWithRawSheet(t, 0, 0)
	zr, _ := zip.NewReader(bytes.NewReader(sheet), int64(len(sheet)))
	var trueSize uint64
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			trueSize = f.UncompressedSize64
		}
	}
	data := xlsxWithRawSheet(t, trueSize, 1<<20)
	log, fs, err := readBytes(t, "export.xlsx", data)
	if err == nil && !fs.HasErrors() {
		t.Errorf("Read accepted a damaged workbook: %d rows, no error, no finding", len(log.Rows))
	}
}

// TestReadDaylightSavingDays: on the two days a year when Sweden changes clocks, dates in
// xlsx exports (Excel serials) come out an hour wrong, and review workbook serials (Cells)
// are an hour wrong for e-mails after the change.
func TestReadDaylightSavingDays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.xlsx")
	xlsxtest.Write(t, path, xlsxtest.Style{}, [][]any{
		{"Datum", "Från", "Till", "Ämne"},
		{xlsxtest.NewDate(2026, 3, 29, 8, 12, 0), "a@x.se", "b@y.se", "Vårdag"},
		{xlsxtest.NewDate(2026, 10, 25, 8, 12, 0), "a@x.se", "b@y.se", "Höstdag"},
	})
	log, fs, err := Read(path, "export.xlsx", testSpec(t), testEmployee)
	noFindings(t, fs, err)
	var got []string
	for _, r := range rowsOf(t, log) {
		got = append(got, r.Datum)
	}
	if want := []string{"2026-03-29 08:12:00 CEST", "2026-10-25 08:12:00 CET"}; !slices.Equal(got, want) {
		t.Errorf("xlsx Datum = %q, want %q", got, want)
	}

	log, fs, err = readBytes(t, "export.csv", dateCSV("Datum", "2026-03-29 08:12", "2026-10-25 08:12"))
	noFindings(t, fs, err)
	for i, d := range []xlsxtest.Date{xlsxtest.NewDate(2026, 3, 29, 8, 12, 0), xlsxtest.NewDate(2026, 10, 25, 8, 12, 0)} {
		got := log.Rows[i].Cells()[1].(float64)
		if want := d.Serial(false); math.Abs(got-want) > 1e-9 {
			t.Errorf("Cells() serial for %v = %v (%v), want %v", d, got, got-want, want)
		}
	}
}

// TestReadCommaSeparatedAddresses: addresses' doc comment says lists "separated by ; or ,"
// become "a@x.se; b@y.se".
// TestReadCommaIsNotAnAddressSeparator: commas occur in display names ("Exempel, Erik
// <erik@x.se>"), so only ';' separates addresses and the cell is kept as written.
func TestReadCommaIsNotAnAddressSeparator(t *testing.T) {
	log, fs, err := readBytes(t, "export.csv", []byte("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;\"Exempel, Erik <erik@x.se>\";Hej\r\n"))
	noFindings(t, fs, err)
	if got := log.Rows[0].Values[3].Text; got != "Exempel, Erik <erik@x.se>" {
		t.Errorf("Till = %q, want the cell as written", got)
	}
}
