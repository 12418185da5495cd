package mailfile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// typicalEML is one of a few everyday shapes: plain text; Outlook-style
// alternative with quoted-printable HTML; a reply with a PDF attachment.
func typicalEML(i int) []byte {
	r := rand.New(rand.NewSource(int64(i)))
	words := []string{"ärende", "beslut", "förvaltning", "möte", "handling", "utlämnande", "kommun", "och", "att", "det", "som", "på", "är", "för", "med", "en"}
	para := func() string {
		var b strings.Builder
		for j := 0; j < 40+r.Intn(60); j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.Intn(len(words))])
		}
		return b.String()
	}
	var text strings.Builder
	for j := 0; j < 3+r.Intn(5); j++ {
		text.WriteString(para() + "\r\n\r\n")
	}
	qp := func(s string) string {
		var b bytes.Buffer
		line := 0
		for _, c := range []byte(s) {
			var enc string
			if c >= 0x80 || c == '=' {
				enc = fmt.Sprintf("=%02X", c)
			} else {
				enc = string(c)
			}
			if c == '\n' {
				line = 0
			} else if line+len(enc) > 75 {
				b.WriteString("=\r\n")
				line = 0
			}
			b.WriteString(enc)
			line += len(enc)
		}
		return b.String()
	}
	h := fmt.Sprintf("Received: from mx.region.example by mail.kommun.example; Mon, 5 Feb 2024 09:12:%02d +0100\r\n"+
		"From: =?utf-8?Q?=C3=96rjan_Str=C3=B6m?= <orjan%d@region.example>\r\nTo: Registrator <registrator@kommun.example>, \"Öberg, Åsa\" <asa@kommun.example>\r\n"+
		"Cc: Lars-Erik Nilsson <le@kommun.example>\r\nSubject: =?utf-8?Q?Sv:_Beslut_i_=C3=A4rende_2024/%d?=\r\nDate: Mon, 5 Feb 2024 09:12:%02d +0100\r\n"+
		"Message-ID: <bench%d@region.example>\r\nMIME-Version: 1.0\r\n", i%60, i, i, i%60, i)
	switch i % 3 {
	case 0:
		return []byte(h + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text.String())
	case 1:
		html := "<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=WordSection1>"
		for _, p := range strings.Split(text.String(), "\r\n\r\n") {
			html += "<p class=MsoNormal>" + p + "<o:p></o:p></p>\r\n<p class=MsoNormal>&nbsp;</p>\r\n"
		}
		html += "</div></body></html>"
		return []byte(h + "Content-Type: multipart/alternative; boundary=\"_000_alt_\"\r\n\r\n--_000_alt_\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(text.String()) + "\r\n--_000_alt_\r\nContent-Type: text/html; charset=\"utf-8\"\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(html) + "\r\n--_000_alt_--\r\n")
	default:
		pdf := make([]byte, 20000+r.Intn(40000))
		r.Read(pdf)
		enc := base64.StdEncoding.EncodeToString(pdf)
		var b strings.Builder
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc)
		return []byte(h + "Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text.String() +
			"\r\n--mix\r\nContent-Type: application/pdf; name=\"=?utf-8?Q?Beslut_=C3=A4rende.pdf?=\"\r\nContent-Disposition: attachment; filename*=utf-8''Beslut%20%C3%A4rende.pdf\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\n" + b.String() + "\r\n--mix--\r\n")
	}
}

func benchRead(b *testing.B, files [][]byte) {
	var total int64
	for _, f := range files {
		total += int64(len(f))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, f := range files {
			if _, err := Read(fmt.Sprintf("m%d", i), f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(files)), "ns/meddelande")
}

// BenchmarkReadEML reads 1,000 typical .eml files per op.
func BenchmarkReadEML(b *testing.B) {
	files := make([][]byte, 1000)
	for i := range files {
		files[i] = typicalEML(i)
	}
	benchRead(b, files)
}

// BenchmarkReadMSG reads 1,000 typical .msg files per op.
func BenchmarkReadMSG(b *testing.B) {
	files := make([][]byte, 1000)
	for i := range files {
		s, _ := typicalMSG(i)
		files[i] = s.build()
	}
	benchRead(b, files)
}

func TestTypicalSamplesRead(t *testing.T) {
	for i := 0; i < 6; i++ {
		m := mustRead(t, "typ.eml", typicalEML(i))
		if m.Body == "" || len(m.From) != 1 || len(m.To) != 2 || m.To[1].Name != "Öberg, Åsa" || len(m.Other) != 0 {
			t.Errorf("%d: %+v", i, m)
		}
		if i%3 == 2 && (len(m.Attachments) != 1 || m.Attachments[0].Name != "Beslut ärende.pdf") {
			t.Errorf("%d: %+v", i, m.Attachments)
		}
	}
}
