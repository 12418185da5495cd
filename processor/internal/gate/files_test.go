package gate

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
)

// book writes a workbook with excelize: a harmless first sheet, then a sheet with rows
// (hidden when hide is set).
func book(t *testing.T, rows [][]any, hide bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Budget"); err != nil {
		t.Fatal(err)
	}
	for r, row := range [][]any{{"Datum", "Från", "Belopp"}, {"2026-01-01", "ekonomi@region.example", 100}} {
		if err := f.SetSheetRow("Budget", "A"+string(rune('1'+r)), &row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Data"); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Data", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if hide {
		if err := f.SetSheetVisible("Data", false); err != nil {
			t.Fatal(err)
		}
	}
	if vis, err := f.GetSheetVisible("Data"); err != nil || vis == hide {
		t.Fatalf("sheet Data visible %v (%v), want %v", vis, err, !hide)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRawPiecesDecoys: the hook's content check finds a raw export behind a harmless first
// sheet (hidden or not, below decoy rows), also packed in a zip or written as base64, lets a
// harmless workbook pass, and needs no folder to write to: the folder it is given and the
// system's temporary folder do not exist, and are not made.
func TestRawPiecesDecoys(t *testing.T) {
	sysTmp := filepath.Join(t.TempDir(), "tmp-finns-inte")
	t.Setenv("TMPDIR", sysTmp)
	given := filepath.Join(t.TempDir(), "finns-inte")
	r, err := repo.Open(testrepo.Root())
	if err != nil {
		t.Fatal(err)
	}
	export := [][]any{{"Kvartalsrapport"}, {}, {"Received", "SenderAddress", "RecipientAddress", "Subject"},
		{"2026-10-05T06:12:00Z", "anna@region.example", "erik.exempel@region.example", "Remiss"}}
	harmless := [][]any{{"Datum", "Från", "Till", "Belopp"}, {"2026-01-01", "a@x.se", "b@y.se", 100}}
	decoyXLSX := book(t, export, false)
	hiddenXLSX := book(t, export, true)
	var wrapped strings.Builder
	enc := base64.StdEncoding.EncodeToString(hiddenXLSX)
	for len(enc) > 76 {
		wrapped.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	wrapped.WriteString(enc + "\n")
	cases := []struct {
		name, file string
		data       []byte
		want       string // in the finding's message; "" none
	}{
		{"decoy first sheet", "bilagor/lista.xlsx", decoyXLSX, "filen har en råexports rubriker"},
		{"hidden second sheet", "bilagor/lista.xlsx", hiddenXLSX, "filen har en råexports rubriker"},
		{"in a zip", "bilagor/arkiv.zip", zipOf(t, "lista.xlsx", hiddenXLSX), "filen (i lista.xlsx) har en råexports rubriker"},
		{"as base64", "bilagor/brev.txt", []byte("Hej!\n\n" + wrapped.String()), "filen (i base64) har en råexports rubriker"},
		{"harmless workbook of two sheets", "bilagor/budget.xlsx", book(t, harmless, true), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := rawPieces(r, c.file, c.data, given, true)
			if c.want == "" {
				if len(fs) > 0 {
					t.Errorf("findings for a harmless file: %v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != RuleRaw || fs[0].File != c.file || !strings.Contains(fs[0].Message, c.want) {
				t.Errorf("findings %v, want one %s on %s saying %q", fs, RuleRaw, c.file, c.want)
			}
		})
	}
	for _, dir := range []string{sysTmp, given} {
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%s was made", dir)
		}
	}
}
