package mailfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxFileSize: 1 << 20, MaxDecodedSize: 4 << 20, MaxTextSize: 1 << 20, MaxParts: 200, MaxDepth: 20}

func seedFiles(f *testing.F, exts ...string) {
	for _, dir := range []string{filepath.Join("testdata", "corpus"), filepath.Join("testdata", "hostile")} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			for _, ext := range exts {
				if strings.HasSuffix(e.Name(), ext) {
					if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) <= 1<<20 {
						f.Add(b)
					}
				}
			}
		}
	}
}

// checkInvariants is what must hold for any input.
func checkInvariants(t *testing.T, m *Message, err error) {
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("felet är inte ett *Error: %T %v", err, err)
		}
		for _, r := range err.Error() {
			if unicode.IsControl(r) {
				t.Fatalf("styrtecken i felet: %q", err.Error())
			}
		}
		return
	}
	for _, n := range m.Notes {
		for _, r := range n {
			if unicode.IsControl(r) {
				t.Fatalf("styrtecken i en Note: %q", n)
			}
		}
	}
	for _, r := range m.Body {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			t.Fatalf("styrtecken i Body: %q", m.Body)
		}
	}
	if strings.Contains(m.Subject, "\n") {
		t.Fatalf("radbrytning i Subject: %q", m.Subject)
	}
	for _, a := range m.Attachments {
		if a.Size < 0 || (a.SHA256 != "" && len(a.SHA256) != 64) {
			t.Fatalf("bilaga %+v", a)
		}
	}
}

func FuzzReadEML(f *testing.F) {
	seedFiles(f, ".eml")
	f.Add([]byte(stdHdr + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n<p style=3D\"display:none\">d=F6lj</p>\n--b\nContent-Type: application/pdf; name*0*=utf-8''%C3%A5; name*1=x\nContent-Transfer-Encoding: base64\n\nJVBE\n--b--\n"))
	f.Add([]byte("From: =?utf-8?B?w4Vz?= <a@b>\nSubject: =?x?q?=FF?=\nDate: 1 Jan 70 00:00 -0000\n\n"))
	f.Add([]byte(stdHdr + "Content-Type: multipart/alternative; boundary=\"a\"\n\n--a\n\nx\n--a\nContent-Type: text/html\n\n<table><tr><td>a<td>b</table><ol><li>x</ol>\n--a--"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// make the content sniff as MIME most of the time
		if !looksLikeEML(data) {
			data = append([]byte("From: a@b.example\nContent-Type: "), data...)
		}
		m, err := ReadWithLimits("fuzz.eml", data, fuzzLimits)
		checkInvariants(t, m, err)
	})
}

func FuzzReadMSG(f *testing.F) {
	seedFiles(f, ".msg")
	s, _ := typicalMSG(1)
	f.Add(s.build())
	rtf := &msgSpec{props: []mprop{pUni(prSubject, "r"), pBin(prRTFCompressed, compressRTFForTest([]byte(`{\rtf1\ansi\fromhtml1 {\*\htmltag64 <p>}hej\par}`)))}}
	f.Add(rtf.build())
	emb := &msgSpec{props: []mprop{pStr8(prSubject, []byte("\xe5"))}, attachs: []attSpec{{props: []mprop{pI32(prAttachMethod, 5)}, embedded: s}}}
	f.Add(emb.build())
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, cfbSignature) {
			data = append(append([]byte(nil), cfbSignature...), data...)
		}
		m, err := ReadWithLimits("fuzz.msg", data, fuzzLimits)
		checkInvariants(t, m, err)
	})
}

// TestPathologicalInputs are inputs that would take quadratic time in a
// naive parser; each must be read (or refused) quickly.
func TestPathologicalInputs(t *testing.T) {
	big := func(unit string, n int) string { return strings.Repeat(unit, n) }
	cases := map[string][]byte{
		"många =?":               []byte("From: a@b.example\nSubject: " + big("=?a?q?", 150000) + "\n\nx"),
		"många ; i Content-Type": []byte("From: a@b.example\nContent-Type: text/plain" + big("; a", 300000) + "\n\nx"),
		"många RFC 2231-delar":   []byte("From: a@b.example\nContent-Type: text/plain" + big("; a*999*=x", 90000) + "\n\nx"),
		"många <":                []byte("From: a@b.example\nTo: " + big("<", 900000) + "\n\nx"),
		"många citat":            []byte("From: a@b.example\nTo: " + big("\"(", 400000) + "\n\nx"),
		"css-kommentarer":        []byte("From: a@b.example\nContent-Type: text/html\n\n<style>" + big("/**/", 2000000) + "</style><p>x</p>"),
		"många gränser":          []byte("From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n" + big("x--b", 2000000)),
		"många delar":            []byte("From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n" + big("--b\n", 4000000)),
		"många länkar":           []byte("From: a@b.example\nContent-Type: text/html\n\n" + big("<a href=x>y</a>", 300000)),
		"djup rtf-grupp":         nil,
	}
	rtf := &msgSpec{props: []mprop{pBin(prRTFCompressed, compressRTFForTest([]byte(big("{", 3000)+"x")))}}
	cases["djup rtf-grupp"] = rtf.build()
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			st := time.Now()
			withTimeout(t, 20*time.Second, func() { ReadWithLimits("p.eml", data, Limits{MaxHeaderBytes: 4 << 20}) })
			if el := time.Since(st); el > 5*time.Second {
				t.Errorf("%v för %d byte", el, len(data))
			}
		})
	}
}

// FuzzRTF reaches the RTF decompressor and text extractor directly (the
// .msg fuzzer rarely gets a mutated compound file past its check).
func FuzzRTF(f *testing.F) {
	f.Add(compressRTFForTest([]byte(`{\rtf1\ansi\ansicpg1252 Hej\par {\v dolt}\u8364?}`)))
	f.Add(compressRTFForTest([]byte(`{\rtf1\ansi\fromhtml1 {\*\htmltag64 <p style="display:none">}x\htmlrtf {\htmlrtf0 y}}`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := decompressRTF(data, 1<<20)
		if err != nil {
			return
		}
		if len(out) > 1<<20 {
			t.Fatalf("%d byte", len(out))
		}
		r := rtfToText(out, 1<<20)
		if r.fromHTML {
			htmlToText(r.html)
		}
	})
}
