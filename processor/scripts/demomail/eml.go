package main

// MIME messages (.eml) as Exchange Online exports them: CRLF line ends, RFC 2047
// encoded words for non-ASCII header text, quoted-printable text parts, base64
// attachments.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"utlamnande/processor/internal/mailfile"
)

const dateLayout = "Mon, 2 Jan 2006 15:04:05 -0700"

func buildEML(m *demoMail) []byte {
	var b bytes.Buffer
	b.WriteString(m.header())
	bodyCT := "text/plain; charset=\"utf-8\""
	if m.html {
		bodyCT = "text/html; charset=\"" + m.charset + "\""
	}
	if len(m.attach) == 0 {
		header(&b, "Content-Type", bodyCT)
		header(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		b.WriteString(qp(m.encodedBody()))
		return b.Bytes()
	}
	boundary := fmt.Sprintf("_000_demo%03dregionexample_", m.nr)
	header(&b, "Content-Type", "multipart/mixed;\r\n\tboundary=\""+boundary+"\"")
	b.WriteString("\r\n")
	fmt.Fprintf(&b, "--%s\r\n", boundary)
	header(&b, "Content-Type", bodyCT)
	header(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	b.WriteString(qp(m.encodedBody()))
	b.WriteString("\r\n")
	for _, a := range m.attach {
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		header(&b, "Content-Type", a.mimeType+"; name=\""+a.name+"\"")
		header(&b, "Content-Description", a.name)
		header(&b, "Content-Disposition", fmt.Sprintf("attachment; filename=\"%s\"; size=%d", a.name, len(a.data)))
		header(&b, "Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		b.WriteString(b64(a.data))
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

// header writes the message's header fields up to (not including) the Content-Type.
func (m *demoMail) header() string {
	var b bytes.Buffer
	relay := "mail.region.example"
	if !strings.HasSuffix(m.row.From, "@region.example") {
		relay = "mx." + m.row.From[strings.LastIndex(m.row.From, "@")+1:]
	}
	header(&b, "Received", fmt.Sprintf("from %s (192.0.2.10) by\r\n EXCH01.region.example (10.1.2.3) with Microsoft SMTP Server id\r\n 15.20.8000.0; %s",
		relay, m.received.UTC().Format(dateLayout)))
	header(&b, "From", m.addressField(m.from()))
	header(&b, "To", m.addressField(m.to()...))
	header(&b, "Subject", m.encodeText(m.row.Subject))
	header(&b, "Thread-Topic", m.encodeText(m.row.Subject))
	header(&b, "Date", m.sent.Format(dateLayout))
	header(&b, "Message-ID", m.messageID())
	header(&b, "Content-Language", "sv-SE")
	if len(m.attach) > 0 {
		header(&b, "X-MS-Has-Attach", "yes")
	} else {
		header(&b, "X-MS-Has-Attach", "")
	}
	header(&b, "MIME-Version", "1.0")
	return b.String()
}

// transportHeader is the header an Outlook file keeps of a received message
// (PR_TRANSPORT_MESSAGE_HEADERS): it gives the sender's time zone.
func (m *demoMail) transportHeader() string {
	s := m.header()
	if len(m.attach) > 0 {
		s += fmt.Sprintf("Content-Type: multipart/mixed;\r\n\tboundary=\"_000_demo%03dregionexample_\"\r\n", m.nr)
	} else {
		s += "Content-Type: text/plain; charset=\"utf-8\"\r\n"
	}
	return s + "\r\n"
}

// header writes one field, folded at spaces to lines of at most 78 characters where it
// can be (a value that already has line breaks is written as is).
func header(b *bytes.Buffer, name, value string) {
	if value == "" {
		fmt.Fprintf(b, "%s: \r\n", name)
		return
	}
	if strings.Contains(value, "\r\n") {
		fmt.Fprintf(b, "%s: %s\r\n", name, value)
		return
	}
	line := name + ":"
	for _, w := range strings.Split(value, " ") {
		if len(line)+1+len(w) > 78 && len(line) > len(name)+1 {
			b.WriteString(line + "\r\n")
			line = ""
		}
		line += " " + w
	}
	b.WriteString(line + "\r\n")
}

// encodeText encodes header text as RFC 2047 words when it is not ASCII: in the body's
// charset, as Outlook does.
func (m *demoMail) encodeText(s string) string {
	if m.charset == "windows-1252" {
		if enc, err := charmap.Windows1252.NewEncoder().String(s); err == nil {
			return mime.QEncoding.Encode("windows-1252", enc)
		}
	}
	return mime.QEncoding.Encode("utf-8", s)
}

func (m *demoMail) addressField(as ...mailfile.Address) string {
	var s []string
	for _, a := range as {
		name := a.Name
		if name == mime.QEncoding.Encode("utf-8", name) {
			name = `"` + name + `"`
		} else {
			name = m.encodeText(name)
		}
		s = append(s, fmt.Sprintf("%s <%s>", name, a.Email))
	}
	return strings.Join(s, ", ")
}

// encodedBody is the body in its charset with CRLF line ends.
func (m *demoMail) encodedBody() []byte {
	s := crlf(m.body)
	if m.charset == "windows-1252" {
		enc, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			panic(fmt.Sprintf("Nr %d: brödtexten går inte att skriva i windows-1252: %v", m.nr, err))
		}
		return []byte(enc)
	}
	return []byte(s)
}

func qp(data []byte) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write(data)
	w.Close()
	s := b.String()
	if !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	return s
}

func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}
