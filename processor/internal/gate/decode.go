package gate

import (
	"bytes"
	"errors"
	"html"
	"io"
	"mime"
	"regexp"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textDecoding is one way of writing text that hides its letters from a search of the
// bytes as UTF-8: "&Aring;sa", "\u00c5sa", "=C3=85sa", "=?utf-8?q?=C3=85sa?=", Åsa in
// UTF-16 or in Latin-1. decode returns the text of data decoded so, at most limit bytes,
// or nil when data is not written so or decoding it changes nothing. Each one first looks
// for what its writing must have (an '&', a backslash, a '=', NUL bytes, bytes that are
// not UTF-8), so that ordinary text costs little more than a look.
type textDecoding struct {
	name   string // as the piece is named: "fil › html-kodad text"
	decode func(data []byte, limit int) []byte
	text   bool // only for a piece that reads as text (textLike), not for binary data
}

// textDecodings, from the outside in: the charset, the transfer encodings of mail, the
// escapes of markup and source (an e-mail's HTML part in quoted-printable is
// "fil › quoted-printable › html-kodad text").
var textDecodings = []textDecoding{
	{"utf-16", fromUTF16, false},
	{"latin-1", fromLatin1, true},
	{"quoted-printable", fromQuotedPrintable, true},
	{"mime-kodad rubrik", decodeWords, true},
	{"html-kodad text", unescapeHTML, true},
	{"json-kodad text", unescapeJSON, true},
}

// textLike reports whether data reads as text in a one-byte encoding: no NUL byte, and
// control characters other than tab, line and page breaks at most one byte in a hundred
// (packed or binary data has one in ten or so).
func textLike(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	ctl := 0
	for _, c := range data {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f {
			ctl++
		}
	}
	return ctl <= len(data)/100
}

// transformed is data through the decoder t, at most limit bytes of it.
func transformed(data []byte, t transform.Transformer, limit int) []byte {
	out, _ := io.ReadAll(io.LimitReader(transform.NewReader(bytes.NewReader(data), t), int64(limit)))
	return out
}

// fromUTF16 decodes UTF-16 text: with a byte order mark, or without one when many of its
// pairs of bytes have a NUL in the same place (the high byte of a Latin letter: NULs at
// the odd positions are little-endian, at the even ones big-endian).
func fromUTF16(data []byte, limit int) []byte {
	if len(data) < 8 {
		return nil
	}
	var order unicode.Endianness
	switch {
	case data[0] == 0xff && data[1] == 0xfe:
		order = unicode.LittleEndian
	case data[0] == 0xfe && data[1] == 0xff:
		order = unicode.BigEndian
	case bytes.IndexByte(data, 0) < 0:
		return nil
	default:
		le, be := 0, 0 // pairs with a NUL only in the second, only in the first byte
		for i := 0; i+1 < len(data); i += 2 {
			switch a, b := data[i], data[i+1]; {
			case a != 0 && b == 0:
				le++
			case a == 0 && b != 0:
				be++
			}
		}
		pairs := len(data) / 2
		switch {
		case le >= pairs/8 && le >= 4*be:
			order = unicode.LittleEndian
		case be >= pairs/8 && be >= 4*le:
			order = unicode.BigEndian
		default:
			return nil
		}
	}
	return transformed(data, unicode.UTF16(order, unicode.UseBOM).NewDecoder(), limit)
}

// fromLatin1 decodes text that is not UTF-8 as Windows-1252 (Latin-1 with the printable
// characters Windows puts in 0x80–0x9f): what Windows programs and older mail write.
func fromLatin1(data []byte, limit int) []byte {
	if utf8.Valid(data) {
		return nil
	}
	return transformed(data, charmap.Windows1252.NewDecoder(), limit)
}

// unescapeHTML decodes HTML and XML character references and named entities ("&#229;",
// "&#xE5;", "&aring;", "&amp;": the HTML5 set, as html.UnescapeString reads them).
func unescapeHTML(data []byte, limit int) []byte {
	i := bytes.IndexByte(data, '&')
	for i >= 0 && i+1 < len(data) && !isRefStart(data[i+1]) {
		j := bytes.IndexByte(data[i+1:], '&')
		if j < 0 {
			return nil
		}
		i += 1 + j
	}
	if i < 0 || i+1 >= len(data) {
		return nil
	}
	s := html.UnescapeString(string(data))
	if s == string(data) {
		return nil
	}
	return []byte(s[:min(len(s), limit)])
}

// isRefStart: a byte that may follow the '&' of a reference.
func isRefStart(c byte) bool {
	return c == '#' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// unescapeJSON decodes the backslash escapes of JSON and JavaScript strings: \uXXXX
// (surrogate pairs too), \u{X...}, \xHH, \n \r \t \b \f, and \" \' \/ \\. A run of \xHH
// that is UTF-8 ("\xc3\xa5", as C and Python write bytes) is that UTF-8, else each is the
// character U+00HH (as JavaScript reads "\xe5"). Other backslashes stay as they are. The
// text is decoded when it has escapes that can hide a word (escapeSigns).
func unescapeJSON(data []byte, limit int) []byte {
	i := bytes.IndexByte(data, '\\')
	if i < 0 || !escapeSigns(data[i:]) {
		return nil
	}
	out := make([]byte, 0, min(len(data), limit))
	changed := false
	for i >= 0 && len(out) < limit {
		out = append(out, data[:i]...)
		data = data[i:]
		n, ok := 1, false // bytes of data read, whether they were an escape
		if len(data) > 1 {
			ok = true
			switch e := data[1]; e {
			case 'n':
				out, n = append(out, '\n'), 2
			case 'r':
				out, n = append(out, '\r'), 2
			case 't':
				out, n = append(out, '\t'), 2
			case 'b':
				out, n = append(out, '\b'), 2
			case 'f':
				out, n = append(out, '\f'), 2
			case '"', '\'', '/', '\\':
				out, n = append(out, e), 2
			case 'u':
				var r rune
				if r, n = jsonRune(data); n > 0 {
					out = utf8.AppendRune(out, r)
				} else {
					n, ok = 1, false
				}
			case 'x':
				var run []byte
				for len(data) >= n+3 && data[n-1] == '\\' && data[n] == 'x' && isHex(data[n+1]) && isHex(data[n+2]) {
					run = append(run, unhex(data[n+1])<<4|unhex(data[n+2]))
					n += 4 // past the next backslash, if there is one
				}
				if len(run) == 0 {
					n, ok = 1, false
					break
				}
				n-- // n was one past the backslash a next \xHH would begin with
				if utf8.Valid(run) {
					out = append(out, run...)
				} else {
					for _, c := range run {
						out = utf8.AppendRune(out, rune(c))
					}
				}
			default:
				ok = false
			}
		}
		if !ok {
			out = append(out, '\\')
		}
		changed = changed || ok
		data = data[n:]
		i = bytes.IndexByte(data, '\\')
	}
	if !changed {
		return nil
	}
	if len(out) < limit {
		out = append(out, data[:min(len(data), limit-len(out))]...)
	}
	return out[:min(len(out), limit)]
}

// escapeSigns reports whether data (from its first backslash) has an escape that hides
// letters (\u00e5, \u{e5}, \xe5) or a line break or tab escaped between a word and the
// next (Anna\nAndersson): a "\n" at the end of a string in source code is none.
func escapeSigns(data []byte) bool {
	for i := 0; i >= 0 && i+2 < len(data); {
		switch e, c := data[i+1], data[i+2]; e {
		case 'u':
			if _, n := jsonRune(data[i:]); n > 0 {
				return true
			}
		case 'x':
			if i+3 < len(data) && isHex(c) && isHex(data[i+3]) {
				return true
			}
		case 'n', 'r', 't', '/':
			if 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c >= 0x80 {
				return true
			}
		}
		j := bytes.IndexByte(data[i+2:], '\\')
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// jsonRune reads the \u escape at the start of s ("\u00e5", "\ud83d\ude00", "\u{1F600}"):
// the character and the bytes it takes, 0 bytes when s does not begin with one. A lone
// half of a surrogate pair is U+FFFD.
func jsonRune(s []byte) (rune, int) {
	if len(s) >= 4 && s[2] == '{' {
		var r rune
		for i := 3; i < len(s) && i < 10; i++ {
			switch {
			case s[i] == '}' && i > 3:
				if r > utf8.MaxRune {
					return utf8.RuneError, i + 1
				}
				return r, i + 1
			case isHex(s[i]):
				r = r<<4 | rune(unhex(s[i]))
			default:
				return 0, 0
			}
		}
		return 0, 0
	}
	r, ok := hex4(s[2:])
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if r2, ok := hex4(s[8:]); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					return d, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}

// hex4 reads four hexadecimal digits.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// fromQuotedPrintable decodes quoted-printable (RFC 2045, the body of an e-mail: "=C3=85"
// is a byte, "=" at the end of a line a soft line break), leniently as mail programs read
// it: lower-case hex too, and a "=" that begins neither is a "=". (mime/quotedprintable
// stops at the first line it cannot read; a text here is read to its end.) A "=" at the
// end of a line after another one ("=====" under a heading), or ending a line that is one
// word of base64 ("...Zm8="), is no soft line break: quoted-printable writes a "=" as =3D.
func fromQuotedPrintable(data []byte, limit int) []byte {
	i := bytes.IndexByte(data, '=')
	if i < 0 || !qpSigns(data, i) {
		return nil
	}
	out := make([]byte, 0, min(len(data), limit))
	changed := false
	last := byte(0) // the byte of the input before data
	for i >= 0 && len(out) < limit {
		out = append(out, data[:i]...)
		if i > 0 {
			last = data[i-1]
		}
		rest := data[i:] // begins with '='
		n := 1
		switch {
		case len(rest) >= 3 && isHex(rest[1]) && isHex(rest[2]):
			out, n = append(out, unhex(rest[1])<<4|unhex(rest[2])), 3
			changed = true
		default:
			j := 1
			for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
				j++
			}
			switch {
			case j < len(rest) && rest[j] == '\n':
				n = j + 1
			case j+1 < len(rest) && rest[j] == '\r' && rest[j+1] == '\n':
				n = j + 2
			}
			if n > 1 && (last == '=' || padding(out)) {
				n = 1 // "==" at the end of a line: a rule under a heading, base64 padding
			}
			if n == 1 {
				out = append(out, '=')
			} else {
				changed = true
			}
		}
		data, last = rest[n:], rest[n-1]
		i = bytes.IndexByte(data, '=')
	}
	if !changed {
		return nil
	}
	if len(out) < limit {
		out = append(out, data[:min(len(data), limit-len(out))]...)
	}
	return out[:min(len(out), limit)]
}

// qpSigns reports whether data (its first "=" at i) is quoted-printable by what only
// quoted-printable writes: it names itself (Content-Transfer-Encoding: quoted-printable),
// or it has a letter of UTF-8 as escapes (=C3=A5), a Latin-1 letter as an escape before
// a small letter (=C5sa, g=E5r), or a soft line break after a line as long as quoted-
// printable writes them (at most 76 characters; 60 or more). "a=78" in code, "x=10" in a
// URL and a "=" at the end of a short line are none.
func qpSigns(data []byte, i int) bool {
	if bytes.Contains(data, []byte("uoted-printable")) || bytes.Contains(data, []byte("uoted-Printable")) || bytes.Contains(data, []byte("UOTED-PRINTABLE")) {
		return true
	}
	for i >= 0 {
		r := data[i:]
		switch {
		case len(r) >= 4 && isHex(r[1]) && isHex(r[2]):
			b := unhex(r[1])<<4 | unhex(r[2])
			if b >= 0xc2 && b <= 0xf4 && len(r) >= 6 && r[3] == '=' && isHex(r[4]) && isHex(r[5]) && unhex(r[4])>>2 == 2 {
				return true // a lead byte, then a continuation byte (10xxxxxx)
			}
			if b >= 0xc0 && 'a' <= r[3] && r[3] <= 'z' {
				return true
			}
		case len(r) >= 2 && (r[1] == '\n' || r[1] == '\r' || r[1] == ' ' || r[1] == '\t'):
			start := bytes.LastIndexByte(data[:i], '\n') + 1
			if i+1-start >= 60 && (i == 0 || data[i-1] != '=') && !padding(data[start:i]) {
				j := 1
				for j < len(r) && (r[j] == ' ' || r[j] == '\t') {
					j++
				}
				if j < len(r) && (r[j] == '\n' || r[j] == '\r') {
					return true
				}
			}
		}
		j := bytes.IndexByte(r[1:], '=')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// padding reports whether the "=" at the end of out (the text decoded so far, before a
// soft line break) is base64 padding: the line it ends is one word of base64 of whole
// groups of four. (The line as decoded: a quoted-printable line with an escape in it has
// a byte outside the alphabet or a "=" inside it.)
func padding(out []byte) bool {
	line := out[bytes.LastIndexByte(out, '\n')+1:]
	line = bytes.TrimLeft(line, " \t")
	return (len(line)+1)%4 == 0 && isBase64Word(append(line[:len(line):len(line)], '='))
}

// encodedWord is an encoded word of RFC 2047 ("=?iso-8859-1?q?=C5sa?=", "=?utf-8?b?w4VzYQ==?="),
// as mail headers write text that is not ASCII.
var encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`)

// wordDecoder reads encoded words in the charsets mime knows (UTF-8, ISO-8859-1,
// US-ASCII) and in those of the WHATWG list (Windows-1252, ISO-8859-15, ...).
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(input), nil
}}

// maxWord is the longest encoded word decoded (RFC 2047 allows 75 characters; longer ones
// are written by some programs, a megabyte of one is not).
const maxWord = 64 << 10

var errLongWord = errors.New("encoded word longer than maxWord")

// decodeWords decodes the encoded words of RFC 2047 in text (mail headers), and drops the
// white space between two adjacent ones, as a mail program shows the header. A word that
// cannot be decoded (an unknown charset) stays as it is.
func decodeWords(data []byte, limit int) []byte {
	if !bytes.Contains(data, []byte("=?")) {
		return nil
	}
	var out []byte
	changed := false
	prevEnd := -1 // the end of the last word decoded, when it is the last word
	pos := 0
	for pos < len(data) && len(out) < limit {
		loc := encodedWord.FindIndex(data[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		text, err := "", errLongWord
		if end-start <= maxWord {
			text, err = wordDecoder.Decode(string(data[start:end]))
		}
		if err != nil {
			out = append(out, data[pos:end]...)
			prevEnd = -1
		} else {
			if gap := data[pos:start]; prevEnd != pos || len(bytes.TrimSpace(gap)) > 0 {
				out = append(out, gap...)
			}
			out = append(out, text...)
			prevEnd = end
			changed = true
		}
		pos = end
	}
	if !changed {
		return nil
	}
	if len(out) < limit {
		out = append(out, data[pos:min(len(data), pos+limit-len(out))]...)
	}
	return out[:min(len(out), limit)]
}
