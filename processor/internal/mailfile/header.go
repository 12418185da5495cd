package mailfile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/textproto"
)

// rawField returns the unfolded value of the first field key, as bytes
// turned into a string by the charset rule (8-bit header bytes: UTF-8 if
// valid, else windows-1252 with a Note). ok is false when the field is
// absent.
func rawField(h *textproto.Header, key string) (string, bool, []string) {
	fs := h.FieldsByKey(key)
	if !fs.Next() {
		return "", false, nil
	}
	raw, err := fs.Raw()
	if err != nil {
		return fs.Value(), true, nil
	}
	v, notes := fieldValue(raw, key)
	return v, true, notes
}

// rawFields is rawField for every field key, in order.
func rawFields(h *textproto.Header, key string) ([]string, []string) {
	var out, notes []string
	fs := h.FieldsByKey(key)
	for fs.Next() {
		raw, err := fs.Raw()
		if err != nil {
			out = append(out, fs.Value())
			continue
		}
		v, n := fieldValue(raw, key)
		out = append(out, v)
		notes = append(notes, n...)
	}
	return out, notes
}

// fieldValue unfolds a raw "Key: value CRLF" field per RFC 5322 (the CRLF
// of each fold is removed, the whitespace after it kept) and trims it.
func fieldValue(raw []byte, key string) (string, []string) {
	if i := bytes.IndexByte(raw, ':'); i >= 0 {
		raw = raw[i+1:]
	}
	var b []byte
	if bytes.ContainsAny(raw, "\r\n") {
		b = make([]byte, 0, len(raw))
		for _, c := range raw {
			if c != '\r' && c != '\n' {
				b = append(b, c)
			}
		}
	} else {
		b = raw
	}
	b = bytes.Trim(b, " \t")
	if isASCII(b) || utf8.Valid(b) {
		return string(b), nil
	}
	return decodeCP1252(b), []string{fmt.Sprintf("Rubriken %s har okodade 8-bitarstecken som inte är UTF-8; de lästes som windows-1252.", key)}
}

// decodeWords decodes RFC 2047 encoded words anywhere in s. Adjacent
// encoded words (only whitespace between) are joined without the
// whitespace, and their bytes decoded together, so that a character split
// across two words survives. Unknown charsets follow the charset rule.
func decodeWords(s, what string) (string, []string) {
	if !strings.Contains(s, "=?") {
		return s, nil
	}
	var out strings.Builder
	var notes []string
	var pend []byte
	var pendCS string
	havePend := false
	flush := func() {
		if havePend {
			t, n := decodeCharset(pend, pendCS, what)
			out.WriteString(t)
			notes = append(notes, n...)
			pend, havePend = nil, false
		}
	}
	i := 0
	lastWasWord := false
	for i < len(s) {
		j := strings.Index(s[i:], "=?")
		if j < 0 {
			break
		}
		j += i
		cs, data, end, ok := parseEncodedWord(s, j)
		if !ok {
			flush()
			out.WriteString(s[i : j+2])
			i = j + 2
			lastWasWord = false
			continue
		}
		between := s[i:j]
		if !(lastWasWord && strings.Trim(between, " \t") == "") {
			flush()
			out.WriteString(between)
		}
		if havePend && !strings.EqualFold(normalizeLabel(pendCS), normalizeLabel(cs)) {
			flush()
		}
		pend = append(pend, data...)
		pendCS = cs
		havePend = true
		i = end
		lastWasWord = true
	}
	flush()
	out.WriteString(s[i:])
	return out.String(), notes
}

// maxWordLen bounds the text of one encoded word (RFC 2047 says 75 for
// the whole word; longer ones occur and are accepted up to this).
const maxWordLen = 4096

// parseEncodedWord parses "=?charset?e?text?=" at s[i:].
func parseEncodedWord(s string, i int) (charset string, data []byte, end int, ok bool) {
	rest := s[i+2:]
	q1 := strings.IndexByte(rest, '?')
	if q1 <= 0 || q1 > 75 || len(rest) < q1+3 || rest[q1+2] != '?' {
		return "", nil, 0, false
	}
	charset = rest[:q1]
	if strings.ContainsAny(charset, " \t()<>@,;:\"/[]") {
		return "", nil, 0, false
	}
	enc := rest[q1+1]
	text := rest[q1+3:]
	// the text ends at "?=" and has no white space; look no further than
	// maxWordLen, so that many "=?" without an end cost linear time
	e := -1
	for k := 0; k+1 < len(text) && k < maxWordLen; k++ {
		if text[k] == ' ' || text[k] == '\t' {
			break
		}
		if text[k] == '?' && text[k+1] == '=' {
			e = k
			break
		}
	}
	if e < 0 {
		return "", nil, 0, false
	}
	text = text[:e]
	end = i + 2 + q1 + 3 + e + 2
	switch enc {
	case 'b', 'B':
		d, err := decodeBase64Lenient(text)
		if err != nil {
			return "", nil, 0, false
		}
		return charset, d, end, true
	case 'q', 'Q':
		return charset, decodeQWord(text), end, true
	}
	return "", nil, 0, false
}

func decodeBase64Lenient(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	return base64.RawStdEncoding.DecodeString(s)
}

func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// ---- addresses ----

type addrTok struct {
	kind byte // 'a' atom, 'q' quoted, 'c' comment, '<' angle, 's' special, ' ' space
	text string
}

func tokenizeAddresses(s string) []addrTok {
	var toks []addrTok
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			toks = append(toks, addrTok{' ', " "})
			i = j
		case c == '"':
			var b strings.Builder
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, addrTok{'q', b.String()})
			i = j + 1
		case c == '(':
			depth := 0
			var b strings.Builder
			j := i
			for j < len(s) {
				if s[j] == '\\' && j+1 < len(s) {
					b.WriteByte(s[j+1])
					j += 2
					continue
				}
				if s[j] == '(' {
					depth++
					if depth > 1 {
						b.WriteByte('(')
					}
				} else if s[j] == ')' {
					depth--
					if depth == 0 {
						j++
						break
					}
					b.WriteByte(')')
				} else {
					b.WriteByte(s[j])
				}
				j++
			}
			toks = append(toks, addrTok{'c', b.String()})
			i = j
		case c == '<':
			j := i + 1
			inq := false
			for j < len(s) && (inq || s[j] != '>') {
				if s[j] == '"' {
					inq = !inq
				} else if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				j++
			}
			toks = append(toks, addrTok{'<', s[i+1 : min(j, len(s))]})
			i = j + 1
		case c == ',' || c == ';' || c == ':':
			toks = append(toks, addrTok{'s', string(c)})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\"(<,;:", rune(s[j])) {
				j++
			}
			toks = append(toks, addrTok{'a', s[i:j]})
			i = j
		}
	}
	return toks
}

// parseAddressList parses an RFC 5322 address list leniently: groups
// (their members are listed, the group name is not), quoted names,
// comments (ignored, also in "addr (Name)"), bare addresses; encoded
// words in names are decoded, also inside quotes.
func parseAddressList(s, field string) ([]Address, []string) {
	var out []Address
	var notes []string
	var phrase []addrTok
	angle := ""
	haveAngle := false
	lenient := false
	finish := func() {
		defer func() { phrase, angle, haveAngle = nil, "", false }()
		if haveAngle {
			email := strings.TrimSpace(angle)
			if k := strings.LastIndexByte(email, ':'); k >= 0 && strings.HasPrefix(email, "@") {
				email = email[k+1:] // obsolete route
			}
			email = stripAddrSpace(email)
			name, n := phraseText(phrase, field)
			notes = append(notes, n...)
			if email == "" && name == "" {
				return
			}
			out = append(out, Address{Name: name, Email: email})
			return
		}
		var spec strings.Builder
		for _, t := range phrase {
			switch t.kind {
			case 'a':
				spec.WriteString(t.text)
			case 'q':
				spec.WriteString(strconv.Quote(t.text))
			}
		}
		a := spec.String()
		if a == "" {
			return
		}
		if strings.Contains(a, "@") {
			// a comment after a bare address ("a@b (Name)") is a comment,
			// not a name (RFC 5322 3.4), as Python's email reads it
			out = append(out, Address{Email: a})
			return
		}
		name, n := phraseText(phrase, field)
		notes = append(notes, n...)
		out = append(out, Address{Name: name})
		lenient = true
	}
	inGroup := false
	for _, t := range tokenizeAddresses(s) {
		switch {
		case t.kind == 's' && t.text == ",":
			finish()
		case t.kind == 's' && t.text == ":" && !inGroup && !haveAngle:
			phrase = nil // group name
			inGroup = true
		case t.kind == 's' && t.text == ";":
			finish()
			inGroup = false
		case t.kind == 's':
			phrase = append(phrase, addrTok{'a', t.text})
		case t.kind == '<':
			if haveAngle {
				lenient = true
			}
			angle = t.text
			haveAngle = true
		default:
			phrase = append(phrase, t)
		}
	}
	finish()
	if lenient {
		notes = append(notes, fmt.Sprintf("Rubriken %s följer inte RFC 5322 helt; den tolkades förlåtande (namn utan adress eller flera <adresser> i en post).", field))
	}
	return out, notes
}

func stripAddrSpace(s string) string {
	if !strings.ContainsAny(s, " \t") {
		return s
	}
	var b strings.Builder
	inq := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			inq = !inq
		}
		if !inq && (c == ' ' || c == '\t') {
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// phraseText renders a display-name phrase: words joined by single spaces
// where the source had whitespace, comments dropped, encoded words decoded.
func phraseText(phrase []addrTok, field string) (string, []string) {
	var b strings.Builder
	space := false
	for _, t := range phrase {
		switch t.kind {
		case ' ':
			space = true
		case 'a', 'q':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(t.text)
		case 'c':
			space = true
		}
	}
	name, notes := decodeWords(strings.TrimSpace(b.String()), "namnet i rubriken "+field)
	return strings.TrimSpace(name), notes
}

// ---- dates ----

var monthNames = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	"maj": 5, "okt": 10, "mrz": 3, "mär": 3, "dez": 12, "mai": 5,
}

var zoneNames = map[string]int{
	"ut": 0, "utc": 0, "gmt": 0, "z": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"cet": 3600, "cest": 7200, "met": 3600, "mest": 7200, "eet": 7200, "eest": 3 * 3600, "bst": 3600, "wet": 0, "west": 3600,
}

// parseDate parses an RFC 5322 date (also the obsolete forms: two-digit
// years, zone names, missing seconds, comments) and a few common
// deviations (ISO 8601). The zone is kept as given; a missing or "-0000"
// zone gives UTC and a Note.
func parseDate(s string) (time.Time, []string, bool) {
	orig := s
	s = stripComments(s)
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil, false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil, true
		}
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
	// drop day of week
	if len(f) > 0 && len(f[0]) >= 3 && isLetters(f[0]) {
		if _, ok := monthNames[strings.ToLower(f[0][:3])]; !ok || len(f[0]) > 3 && !isMonthWord(f[0]) {
			f = f[1:]
		}
	}
	if len(f) < 4 {
		return time.Time{}, nil, false
	}
	var day, year int
	var mon time.Month
	var err error
	// "2 Jan 2006" or "Jan 2 2006"
	if m, ok := monthOf(f[0]); ok {
		mon = m
		day, err = strconv.Atoi(f[1])
	} else {
		day, err = strconv.Atoi(f[0])
		var ok bool
		mon, ok = monthOf(f[1])
		if !ok {
			return time.Time{}, nil, false
		}
	}
	if err != nil || day < 1 || day > 31 {
		return time.Time{}, nil, false
	}
	rest := f[2:]
	// year may come after the time (asctime: "Jan 2 15:04:05 2006")
	ti := -1
	yi := -1
	for i, x := range rest {
		if strings.Contains(x, ":") && ti < 0 {
			ti = i
		} else if yi < 0 && isDigits(x) && len(x) >= 2 && len(x) <= 4 {
			yi = i
		}
	}
	if ti < 0 || yi < 0 {
		return time.Time{}, nil, false
	}
	year, _ = strconv.Atoi(rest[yi])
	switch len(rest[yi]) {
	case 2:
		if year < 50 {
			year += 2000
		} else {
			year += 1900
		}
	case 3:
		year += 1900
	}
	hms := strings.Split(rest[ti], ":")
	if len(hms) < 2 || len(hms) > 3 {
		return time.Time{}, nil, false
	}
	var hh, mm, ss int
	hh, err = strconv.Atoi(hms[0])
	if err != nil || hh > 23 {
		return time.Time{}, nil, false
	}
	mm, err = strconv.Atoi(hms[1])
	if err != nil || mm > 59 {
		return time.Time{}, nil, false
	}
	if len(hms) == 3 {
		sec := hms[2]
		if k := strings.IndexByte(sec, '.'); k >= 0 {
			sec = sec[:k]
		}
		ss, err = strconv.Atoi(sec)
		if err != nil || ss > 60 {
			return time.Time{}, nil, false
		}
		if ss == 60 {
			ss = 59
		}
	}
	var notes []string
	zone := ""
	for i, x := range rest {
		if i != ti && i != yi {
			zone = x
			break
		}
	}
	offset := 0
	loc := time.UTC
	switch {
	case zone == "":
		notes = append(notes, fmt.Sprintf("Datumet %q saknar tidszon; det tolkades som UTC.", Clean(orig)))
	case zone == "-0000":
		notes = append(notes, fmt.Sprintf("Datumet %q har tidszonen -0000 (okänd lokal tid); det tolkades som UTC.", Clean(orig)))
	case (zone[0] == '+' || zone[0] == '-') && len(zone) == 5 && isDigits(zone[1:]):
		h, _ := strconv.Atoi(zone[1:3])
		m, _ := strconv.Atoi(zone[3:5])
		offset = h*3600 + m*60
		if zone[0] == '-' {
			offset = -offset
		}
		loc = time.FixedZone("", offset)
	case (zone[0] == '+' || zone[0] == '-') && len(zone) == 6 && zone[3] == ':':
		h, _ := strconv.Atoi(zone[1:3])
		m, _ := strconv.Atoi(zone[4:6])
		offset = h*3600 + m*60
		if zone[0] == '-' {
			offset = -offset
		}
		loc = time.FixedZone("", offset)
	default:
		if o, ok := zoneNames[strings.ToLower(zone)]; ok {
			loc = time.FixedZone("", o)
			if o == 0 {
				loc = time.FixedZone("", 0)
			}
		} else {
			notes = append(notes, fmt.Sprintf("Datumet %q har den okända tidszonen %q; det tolkades som UTC.", Clean(orig), Clean(zone)))
		}
	}
	t := time.Date(year, mon, day, hh, mm, ss, 0, loc)
	if t.Day() != day {
		return time.Time{}, nil, false
	}
	return t, notes, true
}

func monthOf(s string) (time.Month, bool) {
	if len(s) < 3 {
		return 0, false
	}
	m, ok := monthNames[strings.ToLower(s[:3])]
	if !ok {
		// try rune-wise for "mär"
		r := []rune(strings.ToLower(s))
		if len(r) >= 3 {
			m, ok = monthNames[string(r[:3])]
		}
	}
	return m, ok
}

var fullMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func isMonthWord(s string) bool {
	l := strings.ToLower(s)
	for _, m := range fullMonths {
		if l == m {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
				b.WriteByte(' ')
			}
		default:
			if depth == 0 {
				b.WriteByte(s[i])
			}
		}
	}
	return b.String()
}

// ---- Content-Type / Content-Disposition parameters ----

type mediaType struct {
	value  string            // "text/plain", "attachment", lower case
	params map[string]string // decoded
	notes  []string
}

// parseParams parses "value; a=b; c*=utf-8”x; d*0=...; d*1=..." leniently:
// RFC 2045 tokens and quoted strings, RFC 2231 continuations and charsets
// (any charset, via the charset rule — the standard library accepts only
// UTF-8 and US-ASCII), and RFC 2047 encoded words inside values (common from
// Outlook, though not standard). A later duplicate does not override.
func parseParams(s, what string) mediaType {
	mt := mediaType{params: map[string]string{}}
	i := strings.IndexByte(s, ';')
	if i < 0 {
		mt.value = strings.ToLower(strings.TrimSpace(stripComments(s)))
		return mt
	}
	mt.value = strings.ToLower(strings.TrimSpace(stripComments(s[:i])))
	s = s[i+1:]
	type seg struct {
		n       int
		encoded bool
		val     string
	}
	ext := map[string][]seg{}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " \t;")
		if s == "" {
			break
		}
		semi := strings.IndexByte(s, ';')
		cur := s
		if semi >= 0 {
			cur = s[:semi]
		}
		eq := strings.IndexByte(cur, '=')
		if eq < 0 {
			// attribute without value
			if semi < 0 {
				break
			}
			s = s[semi+1:]
			continue
		}
		name := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val string
		if strings.HasPrefix(s, "\"") {
			var b strings.Builder
			j := 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			val = b.String()
			if j < len(s) {
				j++
			}
			s = s[j:]
			if k := strings.IndexByte(s, ';'); k >= 0 {
				s = s[k:]
			} else {
				s = ""
			}
		} else {
			k := strings.IndexByte(s, ';')
			if k < 0 {
				val, s = s, ""
			} else {
				val, s = s[:k], s[k:]
			}
			val = strings.TrimSpace(val)
		}
		if star := strings.IndexByte(name, '*'); star >= 0 {
			base := name[:star]
			rest := name[star+1:]
			encoded := strings.HasSuffix(rest, "*") || rest == ""
			rest = strings.TrimSuffix(rest, "*")
			n := 0
			if rest != "" {
				var err error
				n, err = strconv.Atoi(rest)
				if err != nil || n < 0 || n > 999 {
					continue
				}
			}
			ext[base] = append(ext[base], seg{n, encoded, val})
			continue
		}
		if _, dup := mt.params[name]; !dup {
			mt.params[name] = val
		}
	}
	for base, segs := range ext {
		// order by index; ignore duplicates
		sort.SliceStable(segs, func(i, j int) bool { return segs[i].n < segs[j].n })
		var raw []byte
		cs := ""
		gap := false
		next := 0
		for k, sg := range segs {
			if k > 0 && sg.n == segs[k-1].n {
				continue // duplicate index: the first wins
			}
			n := sg.n
			if n != next {
				gap = true
			}
			next = n + 1
			v := sg.val
			if sg.encoded {
				if n == 0 {
					parts := strings.SplitN(v, "'", 3)
					if len(parts) == 3 {
						cs = parts[0]
						v = parts[2]
					}
				}
				raw = append(raw, percentDecode(v)...)
			} else {
				raw = append(raw, v...)
			}
		}
		label := cs
		if label == "" {
			label = "utf-8"
		}
		val, notes := decodeCharset(raw, label, what+" (parametern "+base+")")
		mt.notes = append(mt.notes, notes...)
		l := normalizeLabel(cs)
		if l != "" && l != "utf-8" && l != "us-ascii" && len(notes) == 0 {
			mt.notes = append(mt.notes, fmt.Sprintf("%s har parametern %s kodad enligt RFC 2231 med teckenuppsättningen %s; den avkodades till %q.", capitalize(what), base, Clean(cs), Clean(val)))
		}
		if gap {
			mt.notes = append(mt.notes, fmt.Sprintf("%s har parametern %s i RFC 2231-delar där någon del saknas; de delar som finns sattes ihop.", capitalize(what), base))
		}
		mt.params[base] = val // the extended form wins over a plain one
	}
	for k, v := range mt.params {
		if strings.Contains(v, "=?") {
			d, n := decodeWords(v, what+" (parametern "+k+")")
			mt.params[k] = d
			mt.notes = append(mt.notes, n...)
		}
	}
	return mt
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}
