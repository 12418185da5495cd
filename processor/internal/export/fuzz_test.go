package export

// Fuzz targets for the raw export reader. Run each with, for example:
//
//	go test -run '^$' -fuzz FuzzReadCSV -fuzztime 30s ./processor/internal/export/
//	go test -run '^$' -fuzz FuzzParseTime -fuzztime 30s ./processor/internal/export/

import (
	"os"
	"strings"
	"testing"
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
