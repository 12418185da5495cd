// Package mailtext writes the review text of an e-mail: what the import puts in the case's
// working area (e-post/NNNN.txt) for the registrator to mask in any text editor, and what
// the masking proof compares a masked text with. The text is the released headers (Från,
// Till, Kopia, Hemlig kopia, Datum, Ämne), a blank line, the body as plain text, the other
// text the message carries that its body does not show (a differing HTML alternative, HTML
// hidden from its reader), and the attachments listed by number, name, type, size and
// SHA-256. Bracket groups already in the e-mail that would read as references are written
// with full-width brackets (mask.Escape): the e-mail's own text is never a mask.
package mailtext

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/internal/mask"
)

// Header labels, in order. A label line is "<label>: <value>".
const (
	LabelFrom    = "Från"
	LabelTo      = "Till"
	LabelCc      = "Kopia"
	LabelBcc     = "Hemlig kopia"
	LabelDate    = "Datum"
	LabelSubject = "Ämne"
	// AttachmentsHeading begins the list of attachments.
	AttachmentsHeading = "Bilagor:"
	// OtherHeading begins each other text (its content type follows in parentheses).
	OtherHeading = "Annan text i meddelandet, som e-postprogrammet inte visar i brödtexten"
)

// FileName is the review text's name for the e-mail on row nr of the released log.
func FileName(nr int) string { return fmt.Sprintf("%04d.txt", nr) }

// NrOf reads the row number back from a review text's name; ok is false for another name.
func NrOf(name string) (int, bool) {
	base, ok := strings.CutSuffix(name, ".txt")
	if !ok || len(base) != 4 {
		return 0, false
	}
	n, err := strconv.Atoi(base)
	return n, err == nil && n > 0
}

// Render returns the review text of m: the original the masked text is proved against.
func Render(m *mailfile.Message) string {
	var b strings.Builder
	header := func(label, value string) {
		b.WriteString(label + ": " + oneLine(value) + "\n")
	}
	header(LabelFrom, Addresses(m.From))
	header(LabelTo, Addresses(m.To))
	if len(m.Cc) > 0 {
		header(LabelCc, Addresses(m.Cc))
	}
	if len(m.Bcc) > 0 {
		header(LabelBcc, Addresses(m.Bcc))
	}
	header(LabelDate, When(m.Date))
	header(LabelSubject, m.Subject)
	b.WriteString("\n")
	if body := text(m.Body); body != "" {
		b.WriteString(body + "\n")
	}
	for _, o := range m.Other {
		t := text(o.Text)
		if t == "" {
			continue
		}
		b.WriteString("\n" + OtherHeading + " (" + o.ContentType + "):\n" + t + "\n")
	}
	if len(m.Attachments) > 0 {
		b.WriteString("\n" + AttachmentsHeading + "\n")
		for i, a := range m.Attachments {
			b.WriteString(AttachmentLine(i+1, a) + "\n")
		}
	}
	return mask.Escape(b.String())
}

// AttachmentLine is an attachment's line in the list: "1. remiss.pdf (application/pdf,
// 12 345 byte, SHA-256 …)".
func AttachmentLine(nr int, a mailfile.Attachment) string {
	name := oneLine(a.Name)
	if name == "" {
		name = "(namnlös)"
	}
	kind := a.ContentType
	if kind == "" {
		kind = "okänd typ"
	}
	inline := ""
	if a.Inline {
		inline = ", i brödtexten"
	}
	return fmt.Sprintf("%d. %s (%s, %s byte%s, SHA-256 %s)", nr, name, kind, Thousands(a.Size), inline, a.SHA256)
}

// Addresses formats a list of mailboxes: "Anna Andersson <anna@region.example>; bo@region.example".
func Addresses(as []mailfile.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		name, email := strings.TrimSpace(a.Name), strings.TrimSpace(a.Email)
		switch {
		case name != "" && email != "" && !strings.EqualFold(name, email):
			parts = append(parts, name+" <"+email+">")
		case email != "":
			parts = append(parts, email)
		case name != "":
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "; ")
}

// When is a time as the log shows it: Swedish time, to the minute.
func When(t time.Time) string {
	if t.IsZero() {
		return "okänt"
	}
	return t.In(date.Stockholm).Format("2006-01-02 15:04")
}

// Thousands writes n with a space between groups of three digits, as Swedish does.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// oneLine puts a header value on one line (folded headers, line breaks in names).
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

// text is a body as a review text holds it: line breaks as \n, no trailing white space on a
// line, no blank lines at the start or the end, no control characters but tab.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(strings.Map(func(r rune) rune {
			if r != '\t' && unicode.IsControl(r) {
				return ' '
			}
			return r
		}, l), unicode.IsSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// Normalise is what a text editor may have done to a review text without anyone meaning to
// change it, undone: a byte order mark, CRLF or CR line breaks, white space at the end of a
// line, and blank lines at the end. The proof compares normalised texts.
func Normalise(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}
