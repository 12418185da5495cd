package mailfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"
)

// Address is one mailbox: a display name (may be empty) and an e-mail
// address (may be empty when the source has no SMTP address, see Notes).
type Address struct{ Name, Email string }

// Attachment is a file (or attached message) carried by a message. Its
// content is never kept: only its size and SHA-256 are.
type Attachment struct {
	Name, ContentType string
	Size              int64
	SHA256            string // hex of the decoded content
	Inline            bool   // Content-Disposition inline / related part (e.g. images in HTML)
}

// Part is a text the message carries besides Body, as plain text.
// ContentType is the type it came from; "text/html; dold" marks HTML text
// that a reader of the HTML would not see (see the package doc), and
// "text/rtf; dold" the same for RTF hidden text (\v).
type Part struct{ ContentType, Text string }

// Message is one e-mail as read from an .eml or .msg file.
type Message struct {
	File        string    // the name it was read as (path inside a folder/zip, slash-separated)
	Format      string    // "eml" or "msg"
	SHA256      string    // of the file's bytes
	From        []Address //
	To, Cc, Bcc []Address
	Date        time.Time // as sent (Date header / PR_CLIENT_SUBMIT_TIME), with its zone
	Subject     string
	MessageID   string // as in the header, with its angle brackets
	Body        string // the body as plain text: text/plain, else text/html converted
	BodyType    string // "text/plain" or "text/html" ("" when the message has no body text)
	Other       []Part // other text the message carries that Body does not show
	Attachments []Attachment
	Notes       []string // decisions the reader made, in Swedish, for the reviewer
}

// Skipped is a file of a source that is not a message and was not read,
// with the reason in Swedish.
type Skipped struct{ File, Reason string }

// Limits bound what one read may cost. The zero value of a field means
// its default (see DefaultLimits).
type Limits struct {
	MaxFileSize    int64 // bytes of one message file
	MaxDecodedSize int64 // decoded bytes of all parts of one message (text, attachments, RTF)
	MaxTextSize    int64 // bytes of text kept in memory for one message (Body, Other)
	MaxParts       int   // MIME parts, or .msg recipients+attachments+storages, of one message
	MaxDepth       int   // multipart nesting / embedded message depth
	MaxHeaderBytes int   // bytes of one header block
	MaxCFBEntries  int   // directory entries of one compound file
	MaxSourceFiles int   // files in one folder or zip (nested zips included)
	// MaxZipRatio bounds the bytes read out of a zip: at most
	// MaxZipRatio times the zip's own size plus MaxFileSize.
	MaxZipRatio int64
	MaxZipDepth int // zips inside zips
}

// DefaultLimits are the limits Read and ReadSource use.
var DefaultLimits = Limits{
	MaxFileSize:    100 << 20,
	MaxDecodedSize: 256 << 20,
	MaxTextSize:    32 << 20,
	MaxParts:       1000,
	MaxDepth:       20,
	MaxHeaderBytes: 1 << 20,
	MaxCFBEntries:  100000,
	MaxSourceFiles: 200000,
	MaxZipRatio:    20,
	MaxZipDepth:    2,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileSize > 0 {
		d.MaxFileSize = l.MaxFileSize
	}
	if l.MaxDecodedSize > 0 {
		d.MaxDecodedSize = l.MaxDecodedSize
	}
	if l.MaxTextSize > 0 {
		d.MaxTextSize = l.MaxTextSize
	}
	if l.MaxParts > 0 {
		d.MaxParts = l.MaxParts
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxHeaderBytes > 0 {
		d.MaxHeaderBytes = l.MaxHeaderBytes
	}
	if l.MaxCFBEntries > 0 {
		d.MaxCFBEntries = l.MaxCFBEntries
	}
	if l.MaxSourceFiles > 0 {
		d.MaxSourceFiles = l.MaxSourceFiles
	}
	if l.MaxZipRatio > 0 {
		d.MaxZipRatio = l.MaxZipRatio
	}
	if l.MaxZipDepth > 0 {
		d.MaxZipDepth = l.MaxZipDepth
	}
	return d
}

// Error is what the package returns for a file it cannot read. Its text is
// Swedish: file, where in the file (a part, header or stream), the
// problem, and a hint. It never contains control characters.
type Error struct {
	File    string // the file, as named by the caller
	Where   string // e.g. "del 1.2", "rubriken From", "strömmen __substg1.0_0037001F"; may be empty
	Problem string
	Hint    string
	Err     error // underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(Clean(e.File))
	if e.Where != "" {
		b.WriteString(" (")
		b.WriteString(Clean(e.Where))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(Clean(e.Problem))
	if e.Hint != "" {
		b.WriteString(". ")
		b.WriteString(capitalize(Clean(e.Hint)))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrPST is wrapped by the error for an Outlook data file (.pst/.ost).
var ErrPST = errors.New("outlook-datafil (.pst/.ost)")

// ErrLimit is wrapped by every error about a limit being exceeded.
var ErrLimit = errors.New("gräns överskriden")

// ErrNotMail is wrapped by the error for a file that is not an e-mail.
var ErrNotMail = errors.New("inte ett e-postmeddelande")

// Clean returns s with control and format characters (C0, DEL, C1,
// bidirectional overrides and the like) shown as \u escapes, so that a
// message can be printed safely.
func Clean(s string) string {
	ok := true
	for _, r := range s {
		if isUnsafeRune(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUnsafeRune(r rune) bool {
	if r == unicode.ReplacementChar {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029
}

// cleanText removes from a text for display (Body, Other, Subject, names)
// the control characters other than tab and newline, and format
// characters that reorder text (bidi overrides). It reports whether it
// removed anything. Line endings must already be \n.
func cleanText(s string) (string, bool) {
	bad := false
	for _, r := range s {
		if r != '\n' && r != '\t' && isStrippedRune(r) {
			bad = true
			break
		}
	}
	if !bad {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r != '\n' && r != '\t' && isStrippedRune(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

func isStrippedRune(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0xFEFF:
		return true
	}
	return false
}

// cleanLine is cleanText for one-line values (headers, names): a newline
// (from an encoded word) becomes a space.
func cleanLine(s string) (string, bool) {
	s2, bad := cleanText(s)
	if strings.Contains(s2, "\n") {
		s2 = strings.ReplaceAll(s2, "\n", " ")
	}
	return strings.TrimSpace(s2), bad
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// Read reads one message file. The format is decided by content (an
// extension that disagrees gives a Note); name is used for File and in
// errors.
func Read(name string, data []byte) (*Message, error) {
	return ReadWithLimits(name, data, DefaultLimits)
}

// ReadWithLimits is Read with other limits.
func ReadWithLimits(name string, data []byte, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxFileSize {
		return nil, &Error{File: name, Problem: fmt.Sprintf("filen är %s, större än gränsen %s", humanSize(int64(len(data))), humanSize(lim.MaxFileSize)),
			Hint: "dela upp exporten eller granska filen för hand", Err: ErrLimit}
	}
	kind := sniff(data)
	ext := strings.ToLower(path.Ext(name))
	var m *Message
	var err error
	switch kind {
	case kindPST:
		return nil, pstError(name)
	case kindMSG:
		m, err = readMSG(name, data, lim)
	case kindCFB:
		if _, cerr := checkCFB(data, lim.MaxCFBEntries); cerr != nil {
			return nil, &Error{File: name, Where: "den sammansatta filen (CFB)", Problem: "filen är en skadad sammansatt Microsoft-fil (som .msg): " + cerr.Error(),
				Hint: "exportera meddelandet på nytt ur Purview", Err: cerr}
		}
		return nil, &Error{File: name, Problem: "filen är en sammansatt Microsoft-fil (OLE) men inte ett Outlook-meddelande (t.ex. ett Word- eller Excel-dokument av äldre typ)",
			Hint: "exportera meddelandet på nytt som .msg eller .eml", Err: ErrNotMail}
	case kindZIP:
		return nil, &Error{File: name, Problem: "filen är ett zip-arkiv, inte ett enskilt meddelande",
			Hint: "läs arkivet som källa (ReadSource), så läses meddelandena i det", Err: ErrNotMail}
	case kindEML:
		m, err = readEML(name, data, lim)
	default:
		hint := "exportera meddelandena som enskilda .eml- eller .msg-filer"
		if ext == ".eml" || ext == ".msg" {
			hint = "filen heter " + ext + " men innehållet är inte e-post; kontrollera att exporten inte är skadad och exportera den på nytt"
		}
		return nil, &Error{File: name, Problem: "filen känns inte igen som e-post (varken MIME/.eml eller Outlook/.msg)", Hint: hint, Err: ErrNotMail}
	}
	if err != nil {
		return nil, err
	}
	m.File = name
	sum := sha256.Sum256(data)
	m.SHA256 = hex.EncodeToString(sum[:])
	if kind == kindEML && ext == ".msg" {
		m.Notes = append(m.Notes, "Filen heter .msg men är ett MIME-meddelande (.eml) och lästes som ett sådant.")
	}
	if kind == kindMSG && ext == ".eml" {
		m.Notes = append(m.Notes, "Filen heter .eml men är ett Outlook-meddelande (.msg) och lästes som ett sådant.")
	}
	finish(m)
	return m, nil
}

// finish applies the rules common to both formats.
func finish(m *Message) {
	var bad bool
	m.Body = normalizeNewlines(m.Body)
	m.Body, bad = cleanText(m.Body)
	if bad {
		m.Notes = append(m.Notes, "Brödtexten innehöll styrtecken som togs bort.")
	}
	for i := range m.Other {
		m.Other[i].Text, _ = cleanText(normalizeNewlines(m.Other[i].Text))
	}
	m.Subject, bad = cleanLine(m.Subject)
	if bad {
		m.Notes = append(m.Notes, "Ämnesraden innehöll styrtecken som togs bort.")
	}
	for _, l := range []*[]Address{&m.From, &m.To, &m.Cc, &m.Bcc} {
		for i := range *l {
			a := &(*l)[i]
			a.Name, _ = cleanLine(a.Name)
			a.Email, _ = cleanLine(a.Email)
		}
	}
	for i := range m.Attachments {
		m.Attachments[i].Name, _ = cleanLine(m.Attachments[i].Name)
	}
	if m.Body == "" && m.BodyType == "" {
		m.Notes = append(m.Notes, "Meddelandet har ingen brödtext.")
	}
	m.Notes = dedupe(m.Notes)
	for i := range m.Notes {
		m.Notes[i] = Clean(m.Notes[i])
	}
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func pstError(name string) error {
	return &Error{File: name,
		Problem: "filen är en Outlook-datafil (.pst/.ost) med många meddelanden i ett eget format, som inte läses här",
		Hint: "exportera i Microsoft Purview (eDiscovery) med alternativet att exportera meddelanden som enskilda filer (.msg eller .eml), " +
			"eller packa upp filen med readpst -e från Debians paket pst-utils (readpst -e -o utkatalog fil.pst) och läs utkatalogen",
		Err: ErrPST}
}

type fileKind int

const (
	kindUnknown fileKind = iota
	kindEML
	kindMSG
	kindCFB
	kindPST
	kindZIP
)

var cfbSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func sniff(data []byte) fileKind {
	switch {
	case bytes.HasPrefix(data, []byte("!BDN")):
		return kindPST
	case bytes.HasPrefix(data, cfbSignature):
		if isMSG(data) {
			return kindMSG
		}
		return kindCFB
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return kindZIP
	case looksLikeEML(data):
		return kindEML
	}
	return kindUnknown
}

// knownHeaders are fields of which at least one must be in the first header
// block for a file to be taken as MIME e-mail.
var knownHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "date": true, "subject": true, "message-id": true,
	"mime-version": true, "received": true, "return-path": true, "content-type": true,
	"delivered-to": true, "sender": true, "reply-to": true, "x-mailer": true, "thread-topic": true,
}

// looksLikeEML reports whether data starts with an RFC 5322 header block
// (optionally after a BOM or an mbox "From " line) that has at least one
// field name of a mail header.
func looksLikeEML(data []byte) bool {
	d := skipPreamble(data)
	if len(d) > 64<<10 {
		d = d[:64<<10]
	}
	known := false
	lines, bad := 0, 0
	for len(d) > 0 {
		i := bytes.IndexByte(d, '\n')
		var line []byte
		if i < 0 {
			line, d = d, nil
		} else {
			line, d = d[:i], d[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lines == 0 {
				return false
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		valid := c > 0
		var key []byte
		if valid {
			key = bytes.TrimRight(line[:c], " \t")
			for _, b := range key {
				if b < 33 || b > 126 {
					valid = false
					break
				}
			}
		}
		if !valid {
			if lines == 0 {
				return false
			}
			bad++
			continue
		}
		lines++
		if knownHeaders[strings.ToLower(string(key))] {
			known = true
		}
	}
	return known && bad <= lines
}

// skipPreamble skips a UTF-8 BOM, leading blank lines and an mbox "From " line.
func skipPreamble(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	for len(data) > 0 && (data[0] == '\r' || data[0] == '\n') {
		data = data[1:]
	}
	if bytes.HasPrefix(data, []byte("From ")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	return data
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d byte", n)
}

// budget counts decoded bytes and parts against the limits of one message.
type budget struct {
	lim     Limits
	file    string
	decoded int64
	text    int64
	parts   int
}

func (b *budget) addDecoded(n int64, where string) error {
	b.decoded += n
	if b.decoded > b.lim.MaxDecodedSize {
		return &Error{File: b.file, Where: where, Problem: fmt.Sprintf("meddelandets avkodade innehåll är större än gränsen %s", humanSize(b.lim.MaxDecodedSize)),
			Hint: "filen kan vara skadad eller konstruerad för att överbelasta; granska den för hand", Err: ErrLimit}
	}
	return nil
}

func (b *budget) addText(n int64, where string) error {
	b.text += n
	if b.text > b.lim.MaxTextSize {
		return &Error{File: b.file, Where: where, Problem: fmt.Sprintf("meddelandets text är större än gränsen %s", humanSize(b.lim.MaxTextSize)),
			Hint: "granska filen för hand; så stor brödtext är inte rimlig för e-post", Err: ErrLimit}
	}
	return nil
}

func (b *budget) addPart(where string) error {
	b.parts++
	if b.parts > b.lim.MaxParts {
		return b.partsError(where)
	}
	return nil
}

func (b *budget) partsError(where string) error {
	return &Error{File: b.file, Where: where, Problem: fmt.Sprintf("meddelandet har fler än %d delar", b.lim.MaxParts),
		Hint: "filen kan vara skadad eller konstruerad för att överbelasta; granska den för hand", Err: ErrLimit}
}

func (b *budget) depthError(where string) error {
	return &Error{File: b.file, Where: where, Problem: fmt.Sprintf("delarna är nästlade djupare än %d nivåer", b.lim.MaxDepth),
		Hint: "filen kan vara skadad eller konstruerad för att överbelasta; granska den för hand", Err: ErrLimit}
}
