package gate

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"strings"
	"testing"
)

// expand finds what a staged file holds however it is packed: the file, zip members (also a
// zip in a zip), gzip content and base64, wrapped or inline, after any text.
func TestExpand(t *testing.T) {
	secret := "Received,SenderAddress,RecipientAddress,Subject\nKANARIE HEMLIG RAD MED TEXT\n"
	enc := base64.StdEncoding.EncodeToString([]byte(secret))
	wrapped := enc[:40] + "\n" + enc[40:] + "\n"
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, _ := zw.Create("export.csv")
	w.Write([]byte(secret))
	zw.Close()
	var outer bytes.Buffer
	zw = zip.NewWriter(&outer)
	w, _ = zw.Create("bilaga.zip")
	w.Write(inner.Bytes())
	zw.Close()
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte(secret))
	gw.Close()
	for name, data := range map[string][]byte{
		"wrapped base64 after text": []byte("# Begäran om e-postlogg\n" + wrapped),
		"inline base64":             []byte("data: " + enc + " slut"),
		"zip in a zip":              outer.Bytes(),
		"gzip":                      gz.Bytes(),
	} {
		found := false
		expand("f", data, func(p piece) bool {
			found = found || bytes.Equal(p.data, []byte(secret))
			return true
		})
		if !found {
			t.Errorf("%s: the content was not found", name)
		}
	}
	// Ordinary text gives no base64 runs; a short word of the alphabet is no run.
	if runs := base64Runs([]byte(strings.Repeat("Ett vanligt stycke text med ord. ", 20) + "\nabcdEFGH1234\n")); len(runs) != 0 {
		t.Errorf("runs in ordinary text: %q", runs)
	}
}
