package mailfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func skippedMap(s []Skipped) map[string]string {
	m := map[string]string{}
	for _, x := range s {
		m[x.File] = x.Reason
	}
	return m
}

func TestReadSourceFolder(t *testing.T) {
	dir := t.TempDir()
	msg, _ := typicalMSG(3)
	inner := zipOf(t, map[string][]byte{
		"Items.csv":         []byte("a,b\n"),
		"mail/z.eml":        []byte(stdHdr + "\nz"),
		"__MACOSX/._z.eml":  []byte("\x00\x05\x16\x07"),
		"mail/dokument.pdf": []byte("%PDF-1.4"),
	})
	writeFiles(t, dir, map[string][]byte{
		"Summary.csv":             []byte("x"),
		"Manifest.xml":            []byte("<x/>"),
		"export/b.eml":            []byte(stdHdr + "\nb"),
		"export/a.msg":            msg.build(),
		"export/ingen-filändelse": []byte(stdHdr + "\nutan ändelse"),
		"export/anteckning.txt":   []byte("bara text"),
		"export/trasig.eml":       []byte("\x89PNG\r\n\x1a\n"),
		"export/arkiv.pst":        []byte("!BDN...."),
		"export/inre.zip":         inner,
		"export/tom.eml.bak":      nil,
		"Thumbs.db":               writeCFB(cfbStream("Catalog", []byte("x"))).data,
	})
	msgs, skipped, err := ReadSource(dir)
	var files []string
	for _, m := range msgs {
		files = append(files, m.File)
	}
	want := []string{"export/a.msg", "export/b.eml", "export/ingen-filändelse", "export/inre.zip/mail/z.eml"}
	if strings.Join(files, ",") != strings.Join(want, ",") {
		t.Errorf("meddelanden %q, väntade %q", files, want)
	}
	sk := skippedMap(skipped)
	for f, reason := range map[string]string{
		"Summary.csv": "rapportfil", "Manifest.xml": "rapportfil", "export/anteckning.txt": "inte ett e-postmeddelande",
		"export/inre.zip/Items.csv": "rapportfil", "export/inre.zip/__MACOSX/._z.eml": "macOS", "export/inre.zip/mail/dokument.pdf": "inte ett e-postmeddelande",
		"export/tom.eml.bak": "tom fil", "Thumbs.db": "systemfil",
	} {
		if !strings.Contains(sk[f], reason) {
			t.Errorf("Skipped[%s] = %q, väntade %q", f, sk[f], reason)
		}
	}
	if len(skipped) != 8 {
		t.Errorf("Skipped %+v", skipped)
	}
	var se *SourceError
	if err == nil || !errors.As(err, &se) || len(se.Errs) != 2 || !errors.Is(err, ErrPST) || !errors.Is(err, ErrNotMail) ||
		!strings.Contains(err.Error(), "export/trasig.eml") || !strings.Contains(err.Error(), "readpst") || strings.Contains(err.Error(), "\n") {
		t.Errorf("fel: %v", err)
	}
}

func TestReadSourceZip(t *testing.T) {
	dir := t.TempDir()
	msg, _ := typicalMSG(4)
	z := zipOf(t, map[string][]byte{
		"Export/Items_0.csv": []byte("x"), "Export/Mailbox/Inkorg/1.eml": []byte(stdHdr + "\n1"),
		"Export/Mailbox/Inkorg/2.msg": msg.build(), "Export/Mailbox/../../utanför.eml": []byte(stdHdr + "\n3"),
	})
	p := filepath.Join(dir, "export.zip")
	writeFiles(t, dir, map[string][]byte{"export.zip": z})
	msgs, skipped, err := ReadSource(p)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, m := range msgs {
		files = append(files, m.File)
	}
	if strings.Join(files, ",") != "Export/Mailbox/Inkorg/1.eml,Export/Mailbox/Inkorg/2.msg,utanför.eml" || len(skipped) != 1 {
		t.Errorf("%q %+v", files, skipped)
	}
	// a single file as source
	msgs, _, err = ReadSource(filepath.Join(dir, "export.zip"))
	if err != nil || len(msgs) != 3 {
		t.Errorf("%d %v", len(msgs), err)
	}
}

func TestReadSourceZipBomb(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte{0}, 8<<20) // compresses to a few KiB
	files := map[string][]byte{}
	for i := 0; i < 8; i++ {
		files[string(rune('a'+i))+".eml"] = big
	}
	writeFiles(t, dir, map[string][]byte{"bomb.zip": zipOf(t, files)})
	var err error
	withTimeout(t, 20*time.Second, func() {
		_, _, err = ReadSourceWithLimits(filepath.Join(dir, "bomb.zip"), Limits{MaxFileSize: 16 << 20, MaxZipRatio: 20})
	})
	if err == nil || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "zip-bomb") {
		t.Errorf("fel: %v", err)
	}
	// a zip nested too deep
	z := zipOf(t, map[string][]byte{"x.eml": []byte(stdHdr + "\nx")})
	for i := 0; i < 4; i++ {
		z = zipOf(t, map[string][]byte{"n.zip": z})
	}
	writeFiles(t, dir, map[string][]byte{"djup.zip": z})
	_, _, err = ReadSource(filepath.Join(dir, "djup.zip"))
	if err == nil || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "nästlade") {
		t.Errorf("fel: %v", err)
	}
	// a broken zip
	writeFiles(t, dir, map[string][]byte{"trasig.zip": []byte("PK\x03\x04 inte mer")})
	if _, _, err = ReadSource(filepath.Join(dir, "trasig.zip")); err == nil || !strings.Contains(err.Error(), "trasig.zip") {
		t.Errorf("fel: %v", err)
	}
	if _, _, err = ReadSource(filepath.Join(dir, "finns-inte")); err == nil {
		t.Error("inget fel för en källa som saknas")
	}
}

func TestReadSourceCorpus(t *testing.T) {
	dir := corpusDir(t)
	msgs, skipped, err := ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 30 {
		t.Errorf("%d meddelanden", len(msgs))
	}
	for _, s := range skipped {
		if !strings.HasSuffix(s.File, ".json") && !strings.HasSuffix(s.File, ".md") {
			t.Errorf("oväntat överhoppad: %+v", s)
		}
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i-1].File >= msgs[i].File {
			t.Errorf("inte sorterat: %s, %s", msgs[i-1].File, msgs[i].File)
		}
	}
}
