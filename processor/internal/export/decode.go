package export

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeText turns a CSV file's bytes into UTF-8: UTF-8 with or without BOM, UTF-16LE or BE
// with BOM (Exchange and PowerShell write UTF-16LE), and otherwise Windows-1252 (what
// Swedish Excel's "CSV (semikolonavgränsad)" writes). It names the encoding it used.
func decodeText(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:]), "UTF-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16Decode(b[2:], false), "UTF-16LE"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16Decode(b[2:], true), "UTF-16BE"
	case utf8.Valid(b):
		return string(b), "UTF-8"
	}
	return decode1252(b), "Windows-1252"
}

func utf16Decode(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// cp1252 maps bytes 0x80–0x9F; the rest of Windows-1252 is Latin-1.
var cp1252 = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

func decode1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// sniffSeparator picks the field separator from the header line: the most frequent of
// ; , and TAB outside quotes. The header is the first line that is not blank and not
// PowerShell 5's "#TYPE" line. Excel's "sep=;" first line decides it outright; it is then
// removed, and skipped tells how many lines were removed (for line numbers).
func sniffSeparator(text string) (sep rune, rest string, skipped int) {
	first, after, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, "\r")
	if strings.HasPrefix(strings.ToLower(first), "sep=") && len(first) == 5 {
		return rune(first[4]), after, 1
	}
	header := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#TYPE") {
			header = line
			break
		}
	}
	counts := map[rune]int{}
	quoted := false
	for _, r := range header {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best, text, 0
}
