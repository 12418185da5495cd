package workbook

import (
	"path/filepath"
	"testing"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/workflow"
)

func TestSerialRoundTrip(t *testing.T) {
	for _, s := range []string{"2026-10-25 01:59:59", "2026-10-25 03:00:00", "2026-03-29 03:30:00", "1900-03-01 00:00:00", "2026-11-22 23:59:59"} {
		want, _ := time.ParseInLocation("2006-01-02 15:04:05", s, date.Stockholm)
		got, ok := Serial(ToSerial(want), false, date.Stockholm)
		if !ok || !got.Equal(want) {
			t.Errorf("%s: round trip gave %s", s, got)
		}
	}
	// 1904 system: serial 0 is 1904-01-01; 1900 system: serial 1 is 1899-12-31.
	if got, _ := Serial(1.5, true, time.UTC); got != time.Date(1904, 1, 2, 12, 0, 0, 0, time.UTC) {
		t.Errorf("1904: %s", got)
	}
	if got, _ := Serial(46348, false, time.UTC); got != time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) {
		t.Errorf("1900: %s", got)
	}
	if _, ok := Serial(-1, false, time.UTC); ok {
		t.Error("negative serial accepted")
	}
}

func TestWriteThenReadReview(t *testing.T) {
	types, _, err := workflow.LoadTypes("../../../templates", "templates")
	if err != nil {
		t.Fatal(err)
	}
	spec := types["e-postlogg"].Workbook
	at := time.Date(2026, 10, 5, 8, 12, 0, 0, date.Stockholm)
	path := filepath.Join(t.TempDir(), "e-postlogg.xlsx")
	rows := [][]Cell{
		{1, ToSerial(at), "Inkorg", "anna@region.example", "erik@region.example", "Möte\nrad två"},
		{2, ToSerial(at.Add(time.Hour)), "Skickat", "erik@region.example", "a@x.se; b@y.se", "  mellanslag först"},
	}
	if err := WriteReview(path, spec, rows, Meta{Title: "E-postlogg 2026-0001"}); err != nil {
		t.Fatal(err)
	}
	rev, fs, err := ReadReview(path, "e-postlogg.xlsx", spec)
	if err != nil || len(fs) != 0 {
		t.Fatalf("read back: %v %v", err, fs)
	}
	if len(rev.Rows) != 2 || rev.Rows[0].Line != 2 || rev.Rows[0].Cells[5] != "Möte\nrad två" || rev.Rows[1].Cells[5] != "  mellanslag först" {
		t.Fatalf("rows: %+v", rev.Rows)
	}
	if got, ok := rev.TimeOf(rev.Rows[0].Cells[1], date.Stockholm); !ok || !got.Equal(at) {
		t.Errorf("date read back as %s", got)
	}
	if rev.CellRef(5, 17) != "Logg!F17" {
		t.Errorf("CellRef: %s", rev.CellRef(5, 17))
	}
}
