package mailfile

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func eml(headers, body string) []byte {
	return []byte(strings.ReplaceAll(headers, "\n", "\r\n") + "\r\n" + body)
}

const stdHdr = "From: Anna Andersson <anna@region.example>\nTo: b@region.example\nDate: Mon, 5 Feb 2024 09:12:00 +0100\nSubject: test\nMIME-Version: 1.0\n"

func TestEMLCharsetDecisions(t *testing.T) {
	cases := []struct {
		name, ct, cte, body string
		want, note          string
	}{
		{"us-ascii men windows-1252", "text/plain; charset=us-ascii", "8bit", "R\xe4ksm\xf6rg\xe5s \x80", "Räksmörgås €", "märkt us-ascii men har 8-bitarstecken; den lästes som windows-1252"},
		{"us-ascii men utf-8", "text/plain; charset=\"US-ASCII\"", "8bit", "Räksmörgås", "Räksmörgås", "märkt us-ascii men har 8-bitarstecken; den lästes som UTF-8"},
		{"inget charset, windows-1252", "text/plain", "", "f\xf6r", "för", "saknar angiven teckenuppsättning"},
		{"inget charset, utf-8", "text/plain; format=fixed", "8bit", "för", "för", "lästes som UTF-8"},
		{"ingen Content-Type", "", "", "f\xf6r", "för", "saknar angiven teckenuppsättning"},
		{"iso-8859-1 med C1", "text/plain; charset=iso-8859-1", "quoted-printable", "=80 och =93citat=94", "€ och “citat”", "0x80–0x9F"},
		{"iso-8859-1 utan C1", "text/plain; charset=ISO-8859-1", "quoted-printable", "=E5=E4=F6", "åäö", ""},
		{"utf-8 som är latin-1", "text/plain; charset=utf-8", "8bit", "f\xf6r", "för", "inte giltig UTF-8"},
		{"utf-8 med en trasig byte", "text/plain; charset=utf-8", "8bit", "för \xff", "för \uFFFD", "ogiltiga byte"},
		{"okänd charset", "text/plain; charset=x-okand", "8bit", "f\xf6r", "för", "okända teckenuppsättningen"},
		{"windows-1250", "text/plain; charset=windows-1250", "8bit", "\x8a\x9a", "Šš", ""},
		{"utf-16", "text/plain; charset=utf-16le", "base64", base64.StdEncoding.EncodeToString([]byte("f\x00\xf6\x00r\x00")), "för", ""},
		{"koi8-r", "text/plain; charset=koi8-r", "8bit", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", ""},
		{"html meta", "text/html", "8bit", "<html><head><meta charset=\"windows-1252\"></head><body>f\xf6r \x80</body></html>", "för €", "den i HTML-koden (windows-1252)"},
		{"html http-equiv", "text/html", "8bit", "<meta http-equiv=Content-Type content=\"text/html; charset=iso-8859-1\"><p>f\xf6r</p>", "för", "den i HTML-koden (iso-8859-1)"},
		{"utf-8 bom", "text/plain; charset=utf-8", "8bit", "\xef\xbb\xbfhej", "hej", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := stdHdr
			if c.ct != "" {
				h += "Content-Type: " + c.ct + "\n"
			}
			if c.cte != "" {
				h += "Content-Transfer-Encoding: " + c.cte + "\n"
			}
			m := mustRead(t, "cs.eml", eml(h, c.body))
			if m.Body != c.want {
				t.Errorf("Body %q, väntade %q", m.Body, c.want)
			}
			if c.note != "" && !hasNote(m, c.note) {
				t.Errorf("Note med %q saknas: %q", c.note, m.Notes)
			}
			if c.note == "" && len(m.Notes) > 0 {
				t.Errorf("oväntade Notes %q", m.Notes)
			}
		})
	}
}

func TestEMLHeaders(t *testing.T) {
	h := "From: =?utf-8?B?w4Vz?= =?utf-8?B?YSDDlmJlcmc=?= <asa@example.se>\n" + // "Åsa Öberg" split inside Ö? no: Ås|a Öberg
		"To: =?utf-8?B?w4Q=?= =?utf-8?B?gA==?= <x@example.se>, \"=?iso-8859-1?q?=D6rjan?=\" <o@example.se>\n" + // bytes of one char across words is checked below
		"Cc: Grupp:;, =?x-okand?q?f=F6r?= <c@example.se>\n" +
		"Subject: R\xe4ksm\xf6rg\xe5s =?utf-8?q?_och_?= =?UTF-8?Q?=C3?= =?UTF-8?Q?=A5?=\n" +
		"Date: Sun, 31 Mar 2024 02:30:00 CEST\n" +
		"Message-ID: (kommentar) <id.1@example.se> <id.2@example.se>\n" +
		"Content-Type: text/plain; charset=utf-8\n"
	m := mustRead(t, "h.eml", eml(h, "x"))
	if m.From[0].Name != "Åsa Öberg" {
		t.Errorf("From %q", m.From[0].Name)
	}
	if len(m.To) != 2 || m.To[0].Name != "Ä\uFFFD" && m.To[0].Name != "Ä\x80" || m.To[1].Name != "Örjan" {
		t.Errorf("To %+v", m.To)
	}
	if len(m.Cc) != 1 || m.Cc[0].Name != "för" || !hasNote(m, "x-okand") {
		t.Errorf("Cc %+v notes %q", m.Cc, m.Notes)
	}
	if m.Subject != "Räksmörgås  och å" { // the space after "Räksmörgås" and the one in the word
		t.Errorf("Subject %q (ett tecken delat i två kodade ord ska bli helt)", m.Subject)
	}
	if !hasNote(m, "Rubriken Subject har okodade 8-bitarstecken") {
		t.Errorf("Note om 8-bitarsrubrik saknas: %q", m.Notes)
	}
	if want := time.Date(2024, 3, 31, 0, 30, 0, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date %v", m.Date)
	}
	if _, off := m.Date.Zone(); off != 7200 {
		t.Errorf("zonen %d", off)
	}
	if m.MessageID != "<id.1@example.se>" {
		t.Errorf("MessageID %q", m.MessageID)
	}
}

func TestEMLDates(t *testing.T) {
	cases := map[string]string{
		"Mon, 5 Feb 2024 09:12:00 +0100":         "2024-02-05T09:12:00+01:00",
		"5 Feb 2024 09:12 +0100":                 "2024-02-05T09:12:00+01:00",
		"Monday, 05 Feb 24 09:12:00 -0500 (EST)": "2024-02-05T09:12:00-05:00",
		"Mon, 5 Feb 1999 09:12:00 GMT":           "1999-02-05T09:12:00Z",
		"Mon, 5 Feb 2024 09:12:00 EDT":           "2024-02-05T09:12:00-04:00",
		"Mon Feb  5 09:12:00 2024":               "2024-02-05T09:12:00Z",
		"2024-02-05T09:12:00+01:00":              "2024-02-05T09:12:00+01:00",
		"Mon, 5 Feb 2024 09:12:00 -0000":         "2024-02-05T09:12:00Z",
		"Mon, 5 Feb 2024 09:12:60 +0000":         "2024-02-05T09:12:59Z",
	}
	for in, want := range cases {
		got, _, ok := parseDate(in)
		w, _ := time.Parse(time.RFC3339, want)
		if !ok || !got.Equal(w) {
			t.Errorf("parseDate(%q) = %v %v, väntade %v", in, got, ok, w)
		}
	}
	for _, bad := range []string{"", "igår", "31 Feb 2024 10:00 +0000", "Mon, 5 Feb 2024 25:00:00 +0000", "5 Foo 2024 10:00 +0100"} {
		if got, _, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, väntade fel", bad, got)
		}
	}
	// fallback to the oldest Received
	m := mustRead(t, "d.eml", eml("From: a@b.example\nReceived: from x by y; Tue, 6 Feb 2024 10:00:00 +0100\nReceived: from w by x; Tue, 6 Feb 2024 09:59:00 +0100\nSubject: s\n", "x"))
	if want := time.Date(2024, 2, 6, 8, 59, 0, 0, time.UTC); !m.Date.Equal(want) || !hasNote(m, "Received") {
		t.Errorf("Date %v notes %q", m.Date, m.Notes)
	}
}

func TestEMLRFC2231(t *testing.T) {
	body := "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\n" +
		"Content-Type: application/pdf; name=\"fel.pdf\"\r\nContent-Disposition: attachment; filename*=iso-8859-1'sv'%C5rsredovisning%202023.pdf\r\n\r\nPDF\r\n--b\r\n" +
		"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*0*=utf-8''%C3%85rs; filename*2=\".pdf\"\r\n\r\nPDF\r\n--b\r\n" +
		"Content-Type: application/octet-stream; name==?windows-1252?Q?=80_rapport.xlsx?=\r\n\r\nX\r\n--b\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n\tfilename*0=\"lång \";\r\n\tfilename*1=\"fil.txt\"\r\n\r\nX\r\n--b--\r\n"
	m := mustRead(t, "p.eml", eml(stdHdr+"Content-Type: multipart/mixed; boundary=b\n", body))
	var names []string
	for _, a := range m.Attachments {
		names = append(names, a.Name)
	}
	want := []string{"Årsredovisning 2023.pdf", "Års.pdf", "€ rapport.xlsx", "lång fil.txt"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("namn %q, väntade %q", names, want)
	}
	if !hasNote(m, "RFC 2231 med teckenuppsättningen iso-8859-1") || !hasNote(m, "någon del saknas") {
		t.Errorf("Notes %q", m.Notes)
	}
}

func TestEMLStructure(t *testing.T) {
	t.Run("alternativ med dold HTML", func(t *testing.T) {
		body := "--a\nContent-Type: text/plain; charset=utf-8\n\nHej\n--a\nContent-Type: text/html; charset=utf-8\n\n" +
			"<p>Hej</p><p style=\"display: none !important\">personnummer 19121212-1212</p><p><font style=\"font-size:0px\">osynligt</font>syns extra</p>\n--a--\n"
		m := mustRead(t, "alt.eml", []byte(stdHdr+"Content-Type: multipart/alternative; boundary=a\n\n"+body))
		if m.Body != "Hej" || m.BodyType != "text/plain" {
			t.Errorf("Body %q", m.Body)
		}
		if len(m.Other) != 2 || m.Other[0].ContentType != "text/html; dold" || m.Other[0].Text != "personnummer 19121212-1212\nosynligt" ||
			m.Other[1].ContentType != "text/html" || !strings.Contains(m.Other[1].Text, "syns extra") {
			t.Errorf("Other %+v", m.Other)
		}
		if !hasNote(m, "display:none, font-size:0") || !hasNote(m, "(syns, extra)") {
			t.Errorf("Notes %q", m.Notes)
		}
	})
	t.Run("blandat med flera textdelar", func(t *testing.T) {
		body := "--m\nContent-Type: text/plain\n\nFörsta\n--m\nContent-Type: image/png\nContent-Disposition: inline\n\nPNG\n--m\nContent-Type: text/plain\n\nAndra\n--m--\n"
		m := mustRead(t, "mix.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=m\n\n"+body))
		if m.Body != "Första\n\nAndra" || len(m.Attachments) != 1 || !m.Attachments[0].Inline || !hasNote(m, "flera textdelar (del 1, del 3)") {
			t.Errorf("Body %q atts %+v notes %q", m.Body, m.Attachments, m.Notes)
		}
	})
	t.Run("bifogat meddelande", func(t *testing.T) {
		inner := "From: c@example.se\nSubject: =?utf-8?q?Inre_=C3=A4mne?=\n\nInre\n"
		body := "--m\nContent-Type: text/plain\n\nYttre\n--m\nContent-Type: message/rfc822\n\n" + inner + "--m--\n"
		m := mustRead(t, "fwd.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=\"m\"\n\n"+body))
		if len(m.Attachments) != 1 || m.Attachments[0].Name != "Inre ämne.eml" || m.Attachments[0].ContentType != "message/rfc822" ||
			m.Attachments[0].SHA256 != sha([]byte(strings.TrimSuffix(inner, "\n"))) {
			t.Errorf("atts %+v", m.Attachments)
		}
		if m.Body != "Yttre" {
			t.Errorf("Body %q", m.Body)
		}
	})
	t.Run("related med start", func(t *testing.T) {
		body := "--r\nContent-Type: image/gif\nContent-ID: <bild>\n\nGIF\n--r\nContent-Type: text/html\nContent-ID: <rot>\n\n<p>rot</p>\n--r--\n"
		m := mustRead(t, "rel.eml", []byte(stdHdr+"Content-Type: multipart/related; boundary=r; start=\"<rot>\"\n\n"+body))
		if m.Body != "rot" || m.BodyType != "text/html" || len(m.Attachments) != 1 || !m.Attachments[0].Inline {
			t.Errorf("Body %q atts %+v", m.Body, m.Attachments)
		}
	})
	t.Run("utan boundary och utan slutgräns", func(t *testing.T) {
		m := mustRead(t, "nb.eml", []byte(stdHdr+"Content-Type: multipart/mixed\n\nbara text\n"))
		if m.Body != "bara text" || !hasNote(m, "saknar boundary") {
			t.Errorf("Body %q notes %q", m.Body, m.Notes)
		}
		m = mustRead(t, "open.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nöppen\n"))
		if m.Body != "öppen" || !hasNote(m, "saknar avslutande gräns") {
			t.Errorf("Body %q notes %q", m.Body, m.Notes)
		}
	})
	t.Run("trasig rubrikrad och mbox", func(t *testing.T) {
		m := mustRead(t, "mbox.eml", []byte("From anna@x Mon Feb  5 09:12:00 2024\nFrom: a@b.example\nthis is not a header\nSubject: kvar\n\ntext\n"))
		if m.Subject != "kvar" || !hasNote(m, "mbox-rad") || !hasNote(m, "1 rad(er) som inte är rubrikfält") {
			t.Errorf("Subject %q notes %q", m.Subject, m.Notes)
		}
	})
	t.Run("format=flowed", func(t *testing.T) {
		m := mustRead(t, "ff.eml", []byte(stdHdr+"Content-Type: text/plain; format=flowed; delsp=no\n\nen lång \nrad\n> citat\n-- \nsignatur\n"))
		if m.Body != "en lång rad\n> citat\n-- \nsignatur" {
			t.Errorf("Body %q", m.Body)
		}
	})
	t.Run("styrtecken", func(t *testing.T) {
		m := mustRead(t, "cc.eml", []byte("From: a@b.example\nSubject: =?utf-8?q?Fakt=E2=80=AEura?= \x1b[31m\n\ntext\x00 med\x1b[0m\r\nrader\x07\n"))
		if m.Subject != "Faktura [31m" || m.Body != "text med[0m\nrader" || !hasNote(m, "styrtecken") {
			t.Errorf("Subject %q Body %q notes %q", m.Subject, m.Body, m.Notes)
		}
	})
	t.Run("ingen brödtext", func(t *testing.T) {
		m := mustRead(t, "pdf.eml", []byte(stdHdr+"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERg==\n"))
		if m.Body != "" || m.BodyType != "" || len(m.Attachments) != 1 || m.Attachments[0].Size != 4 || !hasNote(m, "ingen brödtext") {
			t.Errorf("%+v", m)
		}
	})
	t.Run("tnef och smime", func(t *testing.T) {
		body := "--m\nContent-Type: text/plain\n\nx\n--m\nContent-Type: application/ms-tnef; name=winmail.dat\n\nTNEF\n--m\nContent-Type: application/pkcs7-mime; name=smime.p7m\n\nP7M\n--m--\n"
		m := mustRead(t, "t.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=m\n\n"+body))
		if !hasNote(m, "winmail.dat") || !hasNote(m, "S/MIME") {
			t.Errorf("notes %q", m.Notes)
		}
	})
	t.Run("lenient base64 och qp", func(t *testing.T) {
		body := "--m\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nfel =ZZ och =C3=A5=\n ok\n--m\n" +
			"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nSGVq!!\nIHDDpQ\n--m--\n"
		m := mustRead(t, "le.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=m\n\n"+body))
		if m.Body != "fel =ZZ och å ok" || !hasNote(m, "ogiltiga =-sekvenser") {
			t.Errorf("Body %q notes %q", m.Body, m.Notes)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].SHA256 != sha([]byte("Hej på")) || !hasNote(m, "utanför alfabetet") {
			t.Errorf("atts %+v notes %q", m.Attachments, m.Notes)
		}
	})
}

func TestEMLLimits(t *testing.T) {
	lim := Limits{MaxParts: 10, MaxDepth: 3, MaxHeaderBytes: 300, MaxFileSize: 1 << 16, MaxTextSize: 100, MaxDecodedSize: 1000}
	check := func(name string, data []byte, want string) {
		t.Helper()
		var err error
		withTimeout(t, 5*time.Second, func() { _, err = ReadWithLimits(name, data, lim) })
		if err == nil {
			t.Fatalf("%s: inget fel", name)
		}
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v (väntade ErrLimit med %q)", name, err, want)
		}
	}
	var many strings.Builder
	for i := 0; i < 20; i++ {
		many.WriteString("--b\nContent-Type: text/plain\n\nx\n")
	}
	check("delar.eml", []byte(stdHdr+"Content-Type: multipart/mixed; boundary=b\n\n"+many.String()+"--b--\n"), "fler än 10 delar")
	deep := "x"
	for i := 0; i < 6; i++ {
		b := fmt.Sprintf("b%d", i)
		deep = "Content-Type: multipart/mixed; boundary=" + b + "\n\n--" + b + "\n" + deep + "\n--" + b + "--\n"
	}
	check("djup.eml", []byte(stdHdr+deep), "nästlade djupare än 3")
	check("huvud.eml", []byte("From: a@b.example\nSubject: "+strings.Repeat("x", 400)+"\n\nx"), "huvudet är större")
	check("stor.eml", bytes.Repeat([]byte("x"), 1<<16+1), "större än gränsen")
	check("text.eml", []byte(stdHdr+"\n"+strings.Repeat("ord ", 30)), "text är större")
	b64 := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 1500))
	check("avkodat.eml", []byte(stdHdr+"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"+b64), "avkodade innehåll")
}

// TestEMLAttachmentMemory reads a message with a 24 MiB attachment and
// checks that decoding it did not allocate anything like its size.
func TestEMLAttachmentMemory(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789ABCDEF"), 24<<16)
	var b strings.Builder
	b.WriteString(stdHdr + "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nse bilaga\n--m\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
	enc := base64.StdEncoding.EncodeToString(payload)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\n--m--\n")
	data := []byte(b.String())
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := mustRead(t, "stor.eml", data)
	runtime.ReadMemStats(&after)
	if m.Attachments[0].Size != int64(len(payload)) || m.Attachments[0].SHA256 != sha(payload) {
		t.Fatalf("bilaga %+v", m.Attachments[0])
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("läsningen allokerade %d byte för en bilaga på %d byte", alloc, len(payload))
	}
}

func TestReadErrors(t *testing.T) {
	_, err := Read("arkiv.pst", []byte("!BDN\x00\x00\x00\x00rest"))
	if !errors.Is(err, ErrPST) || !strings.Contains(err.Error(), "readpst -e") || !strings.Contains(err.Error(), "Purview") || !strings.Contains(err.Error(), "arkiv.pst") {
		t.Errorf("pst: %v", err)
	}
	_, err = Read("bild\x1b[31m\u202e.eml", []byte("\x89PNG\r\n\x1a\n"))
	if !errors.Is(err, ErrNotMail) {
		t.Errorf("png: %v", err)
	}
	if s := err.Error(); strings.ContainsAny(s, "\x1b\u202e") || !strings.Contains(s, `\u001B`) || !strings.Contains(s, "heter .eml") {
		t.Errorf("felet har styrtecken eller saknar ledtråd: %q", s)
	}
	_, err = Read("a.zip", []byte("PK\x03\x04rest"))
	if !errors.Is(err, ErrNotMail) || !strings.Contains(err.Error(), "ReadSource") {
		t.Errorf("zip: %v", err)
	}
	// an Office compound file without message streams
	doc := writeCFB(cfbStream("WordDocument", []byte("doc")))
	if _, err = Read("gammal.doc", doc.data); !errors.Is(err, ErrNotMail) || !strings.Contains(err.Error(), "inte ett Outlook-meddelande") {
		t.Errorf("doc: %v", err)
	}
	// by content: MIME named .msg, msg named .eml
	m := mustRead(t, "fel.msg", []byte(stdHdr+"\nhej"))
	if m.Format != "eml" || !hasNote(m, "heter .msg") {
		t.Errorf("%s %q", m.Format, m.Notes)
	}
	s, _ := typicalMSG(1)
	m = mustRead(t, "fel.eml", s.build())
	if m.Format != "msg" || !hasNote(m, "heter .eml") {
		t.Errorf("%s %q", m.Format, m.Notes)
	}
}
