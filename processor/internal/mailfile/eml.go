package mailfile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-message/textproto"
)

type emlReader struct {
	name string
	lim  Limits
	b    *budget
	m    *Message
}

// bodyText is a text part that may become (part of) the Body.
type bodyText struct {
	ctype   string // "text/plain" or "text/html"
	text    string // as plain text
	compare string // for html: the visible text without link targets/alt texts, for word comparison
	where   string
}

func readEML(name string, data []byte, lim Limits) (*Message, error) {
	r := &emlReader{name: name, lim: lim, b: &budget{lim: lim, file: name}, m: &Message{Format: "eml"}}
	d := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	for len(d) > 0 && (d[0] == '\r' || d[0] == '\n') {
		d = d[1:]
	}
	if bytes.HasPrefix(d, []byte("From ")) {
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			d = d[i+1:]
			r.note("Filen började med en mbox-rad (\"From …\") som hoppades över.")
		}
	}
	h, body, err := r.readHeader(d, "meddelandets huvud")
	if err != nil {
		return nil, err
	}
	r.headers(&h)
	texts, err := r.collect(&h, body, 0, "", false)
	if err != nil {
		return nil, err
	}
	r.setBody(texts)
	return r.m, nil
}

func (r *emlReader) note(s string) { r.m.Notes = append(r.m.Notes, s) }

func (r *emlReader) notes(s []string) { r.m.Notes = append(r.m.Notes, s...) }

// splitHeader splits data at the first empty line. A header block without
// an empty line after it is all header.
func splitHeader(data []byte) (hdr, body []byte) {
	if len(data) > 0 && data[0] == '\n' {
		return nil, data[1:]
	}
	if bytes.HasPrefix(data, []byte("\r\n")) {
		return nil, data[2:]
	}
	i := bytes.Index(data, []byte("\n\n"))
	j := bytes.Index(data, []byte("\n\r\n"))
	switch {
	case i < 0 && j < 0:
		return data, nil
	case j < 0 || (i >= 0 && i < j):
		return data[:i+1], data[i+2:]
	default:
		return data[:j+1], data[j+3:]
	}
}

// readHeader reads a header block with go-message's textproto, after
// dropping lines that are not header fields (with a Note), so that one
// malformed line does not lose the fields after it.
func (r *emlReader) readHeader(data []byte, where string) (textproto.Header, []byte, error) {
	hdr, body := splitHeader(data)
	if len(hdr) > r.lim.MaxHeaderBytes {
		return textproto.Header{}, nil, &Error{File: r.name, Where: where, Problem: fmt.Sprintf("huvudet är större än gränsen %s", humanSize(int64(r.lim.MaxHeaderBytes))),
			Hint: "filen kan vara skadad eller konstruerad för att överbelasta; granska den för hand", Err: ErrLimit}
	}
	h, dropped, err := parseHeaderBlock(hdr)
	if err != nil {
		return textproto.Header{}, nil, &Error{File: r.name, Where: where, Problem: "huvudet kunde inte läsas", Hint: "filen är troligen skadad; exportera den på nytt", Err: err}
	}
	if dropped > 0 {
		r.note(fmt.Sprintf("%s hade %d rad(er) som inte är rubrikfält; de hoppades över.", capitalize(where), dropped))
	}
	return h, body, nil
}

func parseHeaderBlock(hdr []byte) (textproto.Header, int, error) {
	var clean bytes.Buffer
	clean.Grow(len(hdr) + 2)
	dropped := 0
	lastOK := false
	for len(hdr) > 0 {
		i := bytes.IndexByte(hdr, '\n')
		var line []byte
		if i < 0 {
			line, hdr = hdr, nil
		} else {
			line, hdr = hdr[:i], hdr[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lastOK {
				clean.Write(line)
				clean.WriteString("\r\n")
			} else {
				dropped++
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		ok := c > 0
		if ok {
			for _, b := range bytes.TrimRight(line[:c], " \t") {
				if b < 33 || b > 126 {
					ok = false
					break
				}
			}
		}
		if !ok {
			dropped++
			lastOK = false
			continue
		}
		clean.Write(line)
		clean.WriteString("\r\n")
		lastOK = true
	}
	clean.WriteString("\r\n")
	h, err := textproto.ReadHeader(bufio.NewReaderSize(&clean, 4096))
	return h, dropped, err
}

// headers fills the envelope fields of the message.
func (r *emlReader) headers(h *textproto.Header) {
	m := r.m
	addrs := func(key string) []Address {
		vals, notes := rawFields(h, key)
		r.notes(notes)
		var out []Address
		for _, v := range vals {
			a, n := parseAddressList(v, key)
			r.notes(n)
			out = append(out, a...)
		}
		return out
	}
	m.From = addrs("From")
	if len(m.From) == 0 {
		if s := addrs("Sender"); len(s) > 0 {
			m.From = s
			r.note("Rubriken From saknas; avsändaren togs från rubriken Sender.")
		} else {
			r.note("Meddelandet saknar avsändare (rubriken From).")
		}
	}
	m.To = addrs("To")
	m.Cc = addrs("Cc")
	m.Bcc = addrs("Bcc")
	if v, ok, n := rawField(h, "Subject"); ok {
		r.notes(n)
		s, n := decodeWords(v, "rubriken Subject")
		r.notes(n)
		m.Subject = s
	}
	if v, ok, _ := rawField(h, "Message-Id"); ok {
		m.MessageID = messageID(v)
	}
	if v, ok, _ := rawField(h, "Date"); ok {
		t, n, ok := parseDate(v)
		if ok {
			m.Date = t
			r.notes(n)
		} else {
			r.note(fmt.Sprintf("Rubriken Date (%q) kunde inte tolkas.", Clean(v)))
		}
	}
	if m.Date.IsZero() {
		// the earliest Received (the last one in the header) is closest to sending
		recv, _ := rawFields(h, "Received")
		for i := len(recv) - 1; i >= 0; i-- {
			k := strings.LastIndexByte(recv[i], ';')
			if k < 0 {
				continue
			}
			if t, _, ok := parseDate(recv[i][k+1:]); ok {
				m.Date = t
				r.note("Sändningstiden togs från den äldsta Received-rubriken eftersom Date saknas eller inte kunde tolkas.")
				break
			}
		}
		if m.Date.IsZero() {
			r.note("Meddelandet saknar sändningstid (rubriken Date).")
		}
	}
}

// messageID returns the first <…> of a Message-ID value, or the trimmed
// value when it has none.
func messageID(v string) string {
	v = strings.TrimSpace(stripComments(v))
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j >= 0 {
			return v[i : i+j+1]
		}
	}
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

func partWhere(path string) string {
	if path == "" {
		return "meddelandets innehåll"
	}
	return "del " + path
}

func childPath(path string, i int) string {
	if path == "" {
		return strconv.Itoa(i)
	}
	return path + "." + strconv.Itoa(i)
}

// collect walks one entity. It appends attachments (and Other, Notes) to
// the message and returns the texts that may form the Body, in order.
func (r *emlReader) collect(h *textproto.Header, body []byte, depth int, path string, inline bool) ([]bodyText, error) {
	where := partWhere(path)
	if depth > r.lim.MaxDepth {
		return nil, r.b.depthError(where)
	}
	if err := r.b.addPart(where); err != nil {
		return nil, err
	}
	ctRaw, hasCT, n := rawField(h, "Content-Type")
	r.notes(n)
	ct := parseParams(ctRaw, where)
	r.notes(ct.notes)
	if !hasCT || ct.value == "" {
		ct.value = "text/plain"
	} else if !strings.Contains(ct.value, "/") {
		r.note(fmt.Sprintf("%s har en ogiltig Content-Type (%q); den lästes som text/plain.", capitalize(where), Clean(ctRaw)))
		ct.value = "text/plain"
	}
	dispRaw, _, _ := rawField(h, "Content-Disposition")
	disp := parseParams(dispRaw, where)
	r.notes(disp.notes)
	cteRaw, _, _ := rawField(h, "Content-Transfer-Encoding")
	cte := strings.ToLower(strings.TrimSpace(stripComments(cteRaw)))

	if strings.HasPrefix(ct.value, "multipart/") {
		boundary := ct.params["boundary"]
		if boundary == "" {
			r.note(fmt.Sprintf("%s är %s men saknar boundary; innehållet lästes som text.", capitalize(where), ct.value))
			ct.value = "text/plain"
		} else {
			return r.multipart(ct, boundary, body, depth, path)
		}
	}

	name := disp.params["filename"]
	if name == "" {
		name = ct.params["name"]
	}
	isText := ct.value == "text/plain" || ct.value == "text/html"
	if isText && disp.value != "attachment" && name == "" {
		return r.textPart(ct, cte, body, where, path)
	}
	if ct.value == "message/rfc822" && name == "" {
		name = innerSubject(body, cte)
	}
	inline = inline || disp.value == "inline"
	return nil, r.attachment(name, ct.value, cte, body, inline, where)
}

func (r *emlReader) multipart(ct mediaType, boundary string, body []byte, depth int, path string) ([]bodyText, error) {
	where := partWhere(path)
	parts, closed := splitMultipart(body, boundary, r.lim.MaxParts-r.b.parts+1)
	if len(parts) > r.lim.MaxParts-r.b.parts {
		return nil, r.b.partsError(partWhere(childPath(path, len(parts))))
	}
	if !closed {
		r.note(fmt.Sprintf("%s (%s) saknar avslutande gräns (boundary); delarna lästes till filens slut.", capitalize(where), ct.value))
	}
	if len(parts) == 0 {
		r.note(fmt.Sprintf("%s (%s) har inga delar.", capitalize(where), ct.value))
		return nil, nil
	}
	type child struct {
		h    textproto.Header
		body []byte
		path string
	}
	children := make([]child, 0, len(parts))
	for i, p := range parts {
		cp := childPath(path, i+1)
		h, b, err := r.readHeader(p, "huvudet i "+partWhere(cp))
		if err != nil {
			return nil, err
		}
		children = append(children, child{h, b, cp})
	}
	switch ct.value {
	case "multipart/alternative":
		var results [][]bodyText
		for _, c := range children {
			t, err := r.collect(&c.h, c.body, depth+1, c.path, false)
			if err != nil {
				return nil, err
			}
			results = append(results, t)
		}
		return r.chooseAlternative(results, where), nil
	case "multipart/related":
		root := 0
		if start := strings.Trim(ct.params["start"], "<> "); start != "" {
			for i, c := range children {
				if id, ok, _ := rawField(&c.h, "Content-Id"); ok && strings.Trim(id, "<> ") == start {
					root = i
				}
			}
		}
		var out []bodyText
		for i, c := range children {
			t, err := r.collect(&c.h, c.body, depth+1, c.path, i != root)
			if err != nil {
				return nil, err
			}
			if i == root {
				out = append(out, t...)
			} else if len(t) > 0 {
				// a text part that is not the root: keep it as body text too
				out = append(out, t...)
			}
		}
		return out, nil
	default:
		if ct.value == "multipart/encrypted" {
			r.note("Meddelandet är krypterat (multipart/encrypted); innehållet kan inte läsas här.")
		}
		var out []bodyText
		for _, c := range children {
			t, err := r.collect(&c.h, c.body, depth+1, c.path, false)
			if err != nil {
				return nil, err
			}
			out = append(out, t...)
		}
		return out, nil
	}
}

// chooseAlternative picks the Body among alternatives: the first one with
// text/plain, else the first with text/html. When the plain text is
// chosen, an HTML alternative whose words are not all in the plain text is
// kept in Other with a Note.
func (r *emlReader) chooseAlternative(results [][]bodyText, where string) []bodyText {
	plain, html := -1, -1
	for i, t := range results {
		for _, x := range t {
			if x.ctype == "text/plain" && plain < 0 {
				plain = i
			}
			if x.ctype == "text/html" && html < 0 {
				html = i
			}
		}
	}
	if plain < 0 && html < 0 {
		return nil
	}
	if plain < 0 {
		return results[html]
	}
	if html >= 0 && html != plain {
		var plainText, htmlText, htmlCompare strings.Builder
		for _, x := range results[plain] {
			plainText.WriteString(x.text + "\n")
		}
		for _, x := range results[html] {
			if x.ctype == "text/html" {
				htmlText.WriteString(x.text + "\n")
				htmlCompare.WriteString(x.compare + "\n")
			}
		}
		if missing := missingWords(htmlCompare.String(), plainText.String()); len(missing) > 0 {
			r.m.Other = append(r.m.Other, Part{ContentType: "text/html", Text: strings.TrimSpace(htmlText.String())})
			r.note(fmt.Sprintf("%s: HTML-alternativet har ord som saknas i textalternativet (%s); HTML-texten finns under Other (dold HTML-del).", capitalize(where), wordSample(missing)))
		}
	}
	return results[plain]
}

func (r *emlReader) setBody(texts []bodyText) {
	if len(texts) == 0 {
		return
	}
	m := r.m
	m.BodyType = texts[0].ctype
	var b strings.Builder
	for i, t := range texts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.TrimRight(t.text, "\n"))
	}
	m.Body = b.String()
	if len(texts) > 1 {
		var w []string
		for _, t := range texts {
			w = append(w, t.where)
		}
		r.note(fmt.Sprintf("Meddelandet har flera textdelar (%s); de visas efter varandra i brödtexten.", strings.Join(w, ", ")))
	}
}

// decodeBody decodes a transfer encoding into w.
func (r *emlReader) decodeBody(w io.Writer, cte string, body []byte, where string) (int64, error) {
	var n int64
	var odd bool
	var err error
	switch cte {
	case "base64":
		n, odd, err = decodeBase64To(w, body)
		if odd {
			r.note(fmt.Sprintf("%s har base64 med tecken utanför alfabetet eller en ofullständig sista grupp; de hoppades över.", capitalize(where)))
		}
	case "quoted-printable":
		n, odd, err = decodeQPTo(w, body)
		if odd {
			r.note(fmt.Sprintf("%s har quoted-printable med ogiltiga =-sekvenser; de behölls som de står.", capitalize(where)))
		}
	default:
		switch cte {
		case "", "7bit", "8bit", "binary":
		default:
			r.note(fmt.Sprintf("%s har den okända överföringskodningen %q; innehållet lästes okodat.", capitalize(where), Clean(cte)))
		}
		var k int
		k, err = w.Write(body)
		n = int64(k)
	}
	if err != nil {
		return n, err
	}
	return n, r.b.addDecoded(n, where)
}

// limitWriter fails a write that would pass a limit.
type limitWriter struct {
	buf   bytes.Buffer
	limit int64
	err   error
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if int64(l.buf.Len()+len(p)) > l.limit {
		return 0, l.err
	}
	return l.buf.Write(p)
}

func (r *emlReader) textPart(ct mediaType, cte string, body []byte, where, path string) ([]bodyText, error) {
	lw := &limitWriter{limit: r.lim.MaxTextSize - r.b.text, err: &Error{File: r.name, Where: where,
		Problem: fmt.Sprintf("meddelandets text är större än gränsen %s", humanSize(r.lim.MaxTextSize)), Hint: "granska filen för hand", Err: ErrLimit}}
	if _, err := r.decodeBody(lw, cte, body, where); err != nil {
		return nil, err
	}
	raw := lw.buf.Bytes()
	if err := r.b.addText(int64(len(raw)), where); err != nil {
		return nil, err
	}
	label, hasLabel := ct.params["charset"]
	what := "texten i " + where
	if path == "" {
		what = "brödtexten"
	}
	if ct.value == "text/html" && !hasLabel {
		if meta := htmlMetaCharset(raw); meta != "" {
			label, hasLabel = meta, true
			r.note(fmt.Sprintf("%s anger ingen teckenuppsättning i Content-Type; den i HTML-koden (%s) användes.", capitalize(what), Clean(meta)))
		}
	}
	text, notes := decodeCharset(raw, label, what)
	r.notes(notes)
	text = normalizeNewlines(text)
	if ct.value == "text/plain" {
		if ct.params["format"] == "flowed" {
			text = unflow(text, strings.EqualFold(ct.params["delsp"], "yes"))
		}
		return []bodyText{{ctype: "text/plain", text: text, compare: text, where: where}}, nil
	}
	res := htmlToText(text)
	if res.degraded {
		r.note(fmt.Sprintf("HTML-koden i %s är för djupt nästlad för att tolkas fullt ut; texten togs ut förenklat och regeln för dold text kunde inte tillämpas.", where))
	}
	if res.hidden != "" {
		r.m.Other = append(r.m.Other, Part{ContentType: "text/html; dold", Text: res.hidden})
		r.note(fmt.Sprintf("HTML-texten i %s har innehåll som inte visas för läsaren (%s); den texten finns under Other som \"text/html; dold\".", where, strings.Join(res.hiddenWhy, ", ")))
	}
	return []bodyText{{ctype: "text/html", text: res.text, compare: res.compare, where: where}}, nil
}

// unflow undoes format=flowed (RFC 3676): soft line breaks (a line ending
// in a space) are joined.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		if l != "-- " && strings.HasPrefix(l, " ") {
			l = l[1:] // space-stuffing
		}
		if l != "-- " && strings.HasSuffix(l, " ") && i < len(lines)-1 {
			if delsp {
				l = l[:len(l)-1]
			}
			b.WriteString(l)
			continue
		}
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

type countWriter struct {
	h hash.Hash
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.h.Write(p)
	c.n += int64(len(p))
	return len(p), nil
}

func (r *emlReader) attachment(name, ctype, cte string, body []byte, inline bool, where string) error {
	cw := &countWriter{h: sha256.New()}
	if _, err := r.decodeBody(cw, cte, body, where); err != nil {
		return err
	}
	a := Attachment{Name: name, ContentType: ctype, Size: cw.n, SHA256: hex.EncodeToString(cw.h.Sum(nil)), Inline: inline}
	r.m.Attachments = append(r.m.Attachments, a)
	switch ctype {
	case "application/pkcs7-mime", "application/x-pkcs7-mime":
		r.note("Meddelandet har en S/MIME-del (" + where + "), troligen krypterad; dess innehåll kan inte läsas här.")
	case "application/ms-tnef", "application/vnd.ms-tnef":
		r.note("Meddelandet har en winmail.dat (TNEF, " + where + ") från Outlook; dess innehåll avkodas inte här och kan innehålla text och bilagor.")
	}
	return nil
}

// innerSubject names an attached message by its subject.
func innerSubject(body []byte, cte string) string {
	var raw []byte
	switch cte {
	case "base64", "quoted-printable":
		var buf bytes.Buffer
		lw := &limitWriter{limit: 256 << 10, err: io.ErrShortWrite}
		if cte == "base64" {
			decodeBase64To(lw, body[:min(len(body), 300<<10)])
		} else {
			decodeQPTo(lw, body[:min(len(body), 256<<10)])
		}
		buf = lw.buf
		raw = buf.Bytes()
	default:
		raw = body
	}
	hdr, _ := splitHeader(raw)
	if len(hdr) > 1<<20 {
		return "bifogat-meddelande.eml"
	}
	h, _, err := parseHeaderBlock(hdr)
	if err != nil {
		return "bifogat-meddelande.eml"
	}
	v, ok, _ := rawField(&h, "Subject")
	if !ok || strings.TrimSpace(v) == "" {
		return "bifogat-meddelande.eml"
	}
	s, _ := decodeWords(v, "")
	s, _ = cleanLine(s)
	return s + ".eml"
}

// splitMultipart splits a multipart body at its boundary (RFC 2046 5.1.1):
// a delimiter is "--boundary" at the start of a line followed only by
// optional whitespace; the line break before it belongs to it. The
// preamble and epilogue are dropped. closed reports whether the close
// delimiter was found. It stops after limit parts.
func splitMultipart(body []byte, boundary string, limit int) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's content
	pos := 0
	for pos < len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		i += pos
		if i > 0 && body[i-1] != '\n' {
			pos = i + len(delim)
			continue
		}
		rest := body[i+len(delim):]
		isClose := bytes.HasPrefix(rest, []byte("--"))
		if isClose {
			rest = rest[2:]
		}
		// the rest of the line must be whitespace
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		lineEnd := -1
		switch {
		case j == len(rest):
			lineEnd = len(rest)
		case rest[j] == '\n':
			lineEnd = j + 1
		case rest[j] == '\r' && j+1 < len(rest) && rest[j+1] == '\n':
			lineEnd = j + 2
		case rest[j] == '\r':
			lineEnd = j + 1
		}
		if lineEnd < 0 {
			pos = i + len(delim)
			continue
		}
		if start >= 0 {
			end := i
			if end > start && body[end-1] == '\n' {
				end--
				if end > start && body[end-1] == '\r' {
					end--
				}
			}
			parts = append(parts, body[start:max(end, start)])
			if len(parts) >= limit {
				return parts, false
			}
		}
		next := i + len(delim) + (len(body[i+len(delim):]) - len(rest)) + lineEnd
		if isClose {
			return parts, true
		}
		start = next
		pos = next
	}
	if start >= 0 {
		parts = append(parts, body[start:])
	}
	return parts, false
}
