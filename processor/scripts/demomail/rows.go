package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/scripts/demodata"
)

// employee is the demo log's mailbox.
const employee = demodata.Employee

// rows are the demo log's rows (demodata): row k is Nr k of the released log.
var rows = demodata.Rows

// names are the display names of the fictitious people and functions; other addresses
// get their local part capitalised.
var names = map[string]string{
	employee:                        "Erik Exempel",
	"anna.andersson@region.example": "Anna Andersson",
	"bo.berg@region.example":        "Bo Berg",
	"lisa.privat@mail.example":      "Lisa Privat",
	"vard.remiss@region.example":    "Remissenheten Region Exempel",
	"mamma.exempel@mail.example":    "Mamma",
}

func person(addr string) mailfile.Address {
	addr = strings.TrimSpace(addr)
	if n, ok := names[addr]; ok {
		return mailfile.Address{Name: n, Email: addr}
	}
	local, _, _ := strings.Cut(addr, "@")
	var words []string
	for _, w := range strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		r, n := utf8.DecodeRuneInString(w)
		words = append(words, strings.ToUpper(string(r))+w[n:])
	}
	return mailfile.Address{Name: strings.Join(words, " "), Email: addr}
}

// attachment is a file attached to a demo mail.
type attachment struct {
	name, mimeType string
	data           []byte
}

func (a attachment) ext() string { return path.Ext(a.name) }

// demoMail is one e-mail to write, for row nr.
type demoMail struct {
	nr       int
	row      demodata.Row
	format   string // "eml" or "msg"
	sent     time.Time
	received time.Time
	body     string // plain text (\n line ends), or HTML when html
	html     bool
	charset  string // of the body: "utf-8" or "windows-1252"
	attach   []attachment
	want     []string // text the body read back must contain
	kind     string   // what it is, for the report line
	size     int      // bytes written
}

func newMail(nr int) *demoMail {
	r := rows[nr-1]
	m := &demoMail{nr: nr, row: r, format: "eml", received: r.Received(), charset: "utf-8"}
	// Sent 1–3 minutes before the mail system logged it; the seconds vary by row.
	m.sent = m.received.Add(-time.Duration(60+(nr*47)%120) * time.Second)
	switch nr {
	case 1:
		m.body = "Hej Erik,\n\n" +
			"här kommer protokollet från ledningsgruppens möte den 1 oktober. " +
			"Säg till om något behöver rättas före justeringen på fredag.\n\n" +
			"Hälsningar\nAnna Andersson\nEnhetschef, Region Exempel\n"
		m.attach = []attachment{{"protokoll.pdf", "application/pdf", protocolPDF()}}
		m.want = []string{"protokollet från ledningsgruppens möte", "Hälsningar"}
		m.kind = "textbrev i UTF-8 med bilagan protokoll.pdf"
	case 3:
		m.html, m.charset = true, "windows-1252"
		m.body = "<html><head>\n" +
			"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\n" +
			"<style>p.MsoNormal{margin:0cm;font-family:Calibri,sans-serif}</style>\n" +
			"</head><body lang=\"SV\">\n" +
			"<p class=\"MsoNormal\">Hej Erik!</p>\n" +
			"<p class=\"MsoNormal\">Vill ni komma på middag på lördag kl. 19? " +
			"Barnvakten Gunilla Hemlig kommer redan 18.30, så vi vuxna kan äta i lugn och ro.</p>\n" +
			"<p class=\"MsoNormal\">Det blir älggryta &amp; äppelkaka &ndash; säg till om någon inte tål nötter.</p>\n" +
			"<p class=\"MsoNormal\">Kram<br>Lisa</p>\n" +
			"</body></html>\n"
		m.want = []string{"Barnvakten Gunilla Hemlig", "älggryta & äppelkaka – säg", "Kram\nLisa"}
		m.kind = "bara HTML, windows-1252, privat innehåll"
	case 4:
		m.format = "msg"
		m.body = "Hej,\n\n" +
			"vi remitterar patienten Anna Patientsson, 19121212-1212, till ortopeden för bedömning " +
			"av knäled efter fall. Remissen bifogas.\n\n" +
			"Med vänlig hälsning\nRemissenheten Region Exempel\n"
		m.attach = []attachment{{"remiss.txt", "text/plain", []byte(crlf(
			"REMISS (påhittad, för demo)\n\n" +
				"Patient: Anna Patientsson\nPersonnummer: 19121212-1212\n" +
				"Till: Ortopedmottagningen\nFrågeställning: knäledsskada efter fall, bedömning av behov av operation\n"))}}
		m.want = []string{"Anna Patientsson, 19121212-1212", "Med vänlig hälsning"}
		m.kind = "Outlook-fil med patientuppgifter och bilagan remiss.txt"
	default:
		m.body = fmt.Sprintf("Hej,\n\nangående %s.\n\nDetta är ett påhittat meddelande till demoärendet.\n\nHälsningar\n%s\n",
			r.Subject, person(r.From).Name)
		m.want = []string{"påhittat meddelande till demoärendet"}
		m.kind = "kort textbrev"
	}
	return m
}

func (m *demoMail) from() mailfile.Address { return person(m.row.From) }

func (m *demoMail) to() []mailfile.Address {
	var out []mailfile.Address
	for _, a := range strings.Split(m.row.To, ";") {
		out = append(out, person(a))
	}
	return out
}

func (m *demoMail) messageID() string { return fmt.Sprintf("<demo-%03d@region.example>", m.nr) }

func (m *demoMail) build() ([]byte, error) {
	if m.format == "msg" {
		return buildMsg(m)
	}
	return buildEML(m), nil
}

// fileName is the name Purview gives an exported message: here the Nr (four digits) and
// the subject, without the characters Windows does not allow in a file name, at most 60
// characters of it.
func (m *demoMail) fileName() string {
	var b strings.Builder
	n := 0
	for _, r := range m.row.Subject {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			continue
		}
		if n == 60 {
			break
		}
		b.WriteRune(r)
		n++
	}
	return fmt.Sprintf("%04d %s.%s", m.nr, strings.TrimRight(b.String(), " ."), m.format)
}

func (m *demoMail) describe() string {
	return fmt.Sprintf("påhittat e-postmeddelande för rad %d i e-postloggen: %s", m.nr, m.kind)
}

func displayTo(as []mailfile.Address) string {
	var s []string
	for _, a := range as {
		s = append(s, a.Name)
	}
	return strings.Join(s, "; ")
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// reportName is the report Purview writes beside the exported items.
const reportName = "Items.csv"

// itemsCSV is a small Purview-like export report: where each item came from and its file,
// no content.
func itemsCSV(mails []*demoMail) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{"Item Identity", "Location", "Item class", "Sent (UTC)", "Size", "Export status", "File name"})
	for _, m := range mails {
		w.Write([]string{fmt.Sprintf("00000000-0000-4000-9000-%012d", m.nr), employee, "IPM.Note",
			m.sent.UTC().Format("2006-01-02T15:04:05Z"), fmt.Sprint(m.size), "Exported", m.fileName()})
	}
	w.Flush()
	return b.Bytes()
}
