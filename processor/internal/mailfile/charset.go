package mailfile

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// The charset rule, used wherever a text's bytes must become Unicode:
//
//   - a known charset label is used, except as below;
//   - no label (or one the library does not know): UTF-8 if the bytes are
//     valid UTF-8, else windows-1252 (Note);
//   - us-ascii but 8-bit bytes present: the same fallback (Note);
//   - iso-8859-1 is read as windows-1252, its superset in practice (a Note
//     only when bytes 0x80–0x9F occur, where the two differ);
//   - utf-8 but invalid: windows-1252 when there is not one valid multi-byte
//     sequence (latin-1 text mislabelled), else UTF-8 with U+FFFD for the
//     bad bytes (Note either way).

var asciiNames = map[string]bool{
	"us-ascii": true, "ascii": true, "ansi_x3.4-1968": true, "iso646-us": true, "us": true, "iso-ir-6": true, "cp367": true, "ibm367": true, "csascii": true, "646": true,
}

var latin1Names = map[string]bool{
	"iso-8859-1": true, "iso8859-1": true, "iso_8859-1": true, "latin1": true, "latin-1": true, "l1": true, "iso-ir-100": true, "cp819": true, "ibm819": true,
	"csisolatin1": true, "iso_8859-1:1987": true, "8859-1": true, "iso88591": true,
}

var cp1252Names = map[string]bool{
	"windows-1252": true, "cp1252": true, "x-cp1252": true, "win-1252": true, "windows1252": true, "ms-ansi": true,
}

func normalizeLabel(label string) string {
	l := strings.ToLower(strings.TrimSpace(label))
	l = strings.Trim(l, "\"'")
	// RFC 2231 language suffix "utf-8*sv" in encoded words
	if i := strings.IndexByte(l, '*'); i >= 0 {
		l = l[:i]
	}
	return l
}

// decodeCharset turns raw bytes in the labelled charset into a string,
// following the charset rule above. what names the text for Notes, e.g.
// "brödtexten (del 1)" or "rubriken Subject".
func decodeCharset(raw []byte, label, what string) (string, []string) {
	l := normalizeLabel(label)
	switch {
	case l == "":
		if isASCII(raw) {
			return string(raw), nil
		}
		s, used := fallbackDecode(raw)
		return s, []string{fmt.Sprintf("%s saknar angiven teckenuppsättning (charset) men har 8-bitarstecken; den lästes som %s.", capitalize(what), used)}
	case asciiNames[l]:
		if isASCII(raw) {
			return string(raw), nil
		}
		s, used := fallbackDecode(raw)
		return s, []string{fmt.Sprintf("%s är märkt us-ascii men har 8-bitarstecken; den lästes som %s.", capitalize(what), used)}
	case l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8" || l == "x-utf_8j":
		raw = bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
		if utf8.Valid(raw) {
			return string(raw), nil
		}
		if !hasUTF8Sequence(raw) {
			return decodeCP1252(raw), []string{fmt.Sprintf("%s är märkt UTF-8 men är inte giltig UTF-8 och har inga UTF-8-tecken; den lästes som windows-1252.", capitalize(what))}
		}
		return strings.ToValidUTF8(string(raw), "\uFFFD"), []string{fmt.Sprintf("%s är märkt UTF-8 men har ogiltiga byte; de visas som \uFFFD.", capitalize(what))}
	case latin1Names[l]:
		s := decodeCP1252(raw)
		if hasC1(raw) {
			return s, []string{fmt.Sprintf("%s är märkt %s men har tecken i området 0x80–0x9F; de lästes enligt windows-1252 (t.ex. € och typografiska citattecken).", capitalize(what), l)}
		}
		return s, nil
	case cp1252Names[l]:
		return decodeCP1252(raw), nil
	}
	if isASCII(raw) && !isWideLabel(l) {
		return string(raw), nil
	}
	r, err := charset.Reader(l, bytes.NewReader(raw))
	if err == nil {
		out, err := io.ReadAll(r)
		if err == nil {
			return string(out), nil
		}
	}
	s, used := fallbackDecode(raw)
	return s, []string{fmt.Sprintf("%s har den okända teckenuppsättningen %q; den lästes som %s.", capitalize(what), Clean(label), used)}
}

func isWideLabel(l string) bool {
	return strings.HasPrefix(l, "utf-16") || strings.HasPrefix(l, "utf-32") || strings.HasPrefix(l, "ucs-") || l == "unicode" || strings.HasPrefix(l, "utf-7") || strings.Contains(l, "2022")
}

// fallbackDecode is the rule for text of unknown charset: UTF-8 if valid,
// else windows-1252. It returns the name of the charset used.
func fallbackDecode(raw []byte) (string, string) {
	raw2 := bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(raw2) {
		return string(raw2), "UTF-8"
	}
	return decodeCP1252(raw), "windows-1252"
}

func decodeCP1252(raw []byte) string {
	if isASCII(raw) {
		return string(raw)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return string(out)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func hasC1(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 && c <= 0x9F {
			return true
		}
	}
	return false
}

// hasUTF8Sequence reports whether b has at least one valid multi-byte
// UTF-8 sequence.
func hasUTF8Sequence(b []byte) bool {
	for len(b) > 0 {
		if b[0] < 0x80 {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError && n > 1 {
			return true
		}
		b = b[1:]
	}
	return false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// codePageEncoding maps a Windows code page number (PR_INTERNET_CPID,
// PR_MESSAGE_CODEPAGE, RTF \ansicpg) to an encoding. nil means unknown;
// 65001 returns unicode.UTF8.
func codePageEncoding(cp int) encoding.Encoding {
	switch cp {
	case 65001:
		return unicode.UTF8
	case 1200:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case 1201:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252, 0:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 874:
		return charmap.Windows874
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 865:
		return charmap.CodePage865
	case 866:
		return charmap.CodePage866
	case 10000:
		return charmap.Macintosh
	case 20127:
		return charmap.Windows1252 // us-ascii: read 8-bit bytes as windows-1252
	case 20866:
		return charmap.KOI8R
	case 21866:
		return charmap.KOI8U
	case 28591:
		return charmap.Windows1252
	case 28592:
		return charmap.ISO8859_2
	case 28593:
		return charmap.ISO8859_3
	case 28594:
		return charmap.ISO8859_4
	case 28595:
		return charmap.ISO8859_5
	case 28596:
		return charmap.ISO8859_6
	case 28597:
		return charmap.ISO8859_7
	case 28598:
		return charmap.ISO8859_8
	case 28599:
		return charmap.ISO8859_9
	case 28603:
		return charmap.ISO8859_13
	case 28605:
		return charmap.ISO8859_15
	case 932:
		return japanese.ShiftJIS
	case 50220, 50221, 50222:
		return japanese.ISO2022JP
	case 51932, 20932:
		return japanese.EUCJP
	case 936:
		return simplifiedchinese.GBK
	case 54936:
		return simplifiedchinese.GB18030
	case 52936:
		return simplifiedchinese.HZGB2312
	case 949, 51949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	}
	return nil
}

// decodeCodePage decodes 8-bit text in a Windows code page. cp 0 means
// "not given": the fallback rule applies. what names the text for Notes.
func decodeCodePage(raw []byte, cp int, what string) (string, []string) {
	if cp == 0 {
		if isASCII(raw) {
			return string(raw), nil
		}
		s, used := fallbackDecode(raw)
		return s, []string{fmt.Sprintf("%s har ingen angiven teckentabell (code page); den lästes som %s.", capitalize(what), used)}
	}
	enc := codePageEncoding(cp)
	if enc == nil {
		s, used := fallbackDecode(raw)
		return s, []string{fmt.Sprintf("%s har den okända teckentabellen %d; den lästes som %s.", capitalize(what), cp, used)}
	}
	if enc == unicode.UTF8 {
		return decodeCharset(raw, "utf-8", what)
	}
	if isASCII(raw) && cp != 1200 && cp != 1201 && cp != 50220 && cp != 50221 && cp != 50222 && cp != 52936 {
		return string(raw), nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		s, used := fallbackDecode(raw)
		return s, []string{fmt.Sprintf("%s kunde inte läsas med teckentabell %d; den lästes som %s.", capitalize(what), cp, used)}
	}
	return string(out), nil
}
