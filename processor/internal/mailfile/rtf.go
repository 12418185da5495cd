package mailfile

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Compressed RTF (MS-OXRTFCP) and RTF text extraction (with the HTML
// de-encapsulation of MS-OXRTFEX for \fromhtml1).

const rtfPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

const (
	rtfCompressed   = 0x75465A4C // "LZFu"
	rtfUncompressed = 0x414C454D // "MELA"
)

// decompressRTF decompresses PR_RTF_COMPRESSED. The output is at most
// maxOut bytes, whatever the header declares. truncated reports input that
// ended before the end marker.
func decompressRTF(data []byte, maxOut int64) (out []byte, truncated bool, err error) {
	if len(data) < 16 {
		return nil, false, cfbErr("RTF-huvudet är för kort (%d byte)", len(data))
	}
	compSize := int64(binary.LittleEndian.Uint32(data[0:]))
	rawSize := int64(binary.LittleEndian.Uint32(data[4:]))
	typ := binary.LittleEndian.Uint32(data[8:])
	in := data[16:]
	if compSize >= 12 && compSize-12 < int64(len(in)) {
		in = in[:compSize-12]
	}
	switch typ {
	case rtfUncompressed:
		n := min(int64(len(in)), rawSize)
		if n > maxOut {
			return nil, false, errRTFLimit
		}
		return append([]byte(nil), in[:n]...), n < rawSize, nil
	case rtfCompressed:
	default:
		return nil, false, cfbErr("okänd RTF-komprimering 0x%08X", typ)
	}
	var dict [4096]byte
	copy(dict[:], rtfPrebuf)
	wpos := len(rtfPrebuf)
	capHint := min(rawSize, maxOut, int64(len(in))*8+64)
	out = make([]byte, 0, max(capHint, 0))
	i := 0
	for i < len(in) {
		ctrl := in[i]
		i++
		for bit := 0; bit < 8; bit++ {
			if ctrl&(1<<bit) == 0 {
				if i >= len(in) {
					return out, true, nil
				}
				c := in[i]
				i++
				if int64(len(out)) >= maxOut {
					return nil, false, errRTFLimit
				}
				out = append(out, c)
				dict[wpos] = c
				wpos = (wpos + 1) & 0xFFF
				continue
			}
			if i+1 >= len(in) {
				return out, true, nil
			}
			ref := int(in[i])<<8 | int(in[i+1])
			i += 2
			off := ref >> 4
			n := ref&0xF + 2
			if off == wpos {
				return out, false, nil
			}
			if int64(len(out)+n) > maxOut {
				return nil, false, errRTFLimit
			}
			for k := 0; k < n; k++ {
				c := dict[(off+k)&0xFFF]
				out = append(out, c)
				dict[wpos] = c
				wpos = (wpos + 1) & 0xFFF
			}
		}
	}
	return out, true, nil
}

var errRTFLimit = cfbErr("den dekomprimerade RTF-texten är större än gränsen")

type rtfResult struct {
	text      string // plain text (for non-HTML RTF)
	hidden    string // text marked hidden (\v)
	html      string // the encapsulated HTML (\fromhtml1)
	fromHTML  bool
	truncated bool // output stopped at maxOut
}

type rtfState struct {
	skip    bool // inside a destination that is not text
	uc      int
	hidden  bool
	htmlrtf bool
	htmltag bool
	starred bool // "\*" seen at the start of this group
	first   bool // no control word yet in this group
}

// rtfSkipDest are destinations whose content is not text.
var rtfSkipDest = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true, "object": true, "objdata": true,
	"header": true, "footer": true, "headerl": true, "headerr": true, "headerf": true, "footerl": true, "footerr": true, "footerf": true,
	"listtable": true, "listoverridetable": true, "rsidtbl": true, "generator": true, "xmlnstbl": true, "themedata": true,
	"colorschememapping": true, "datastore": true, "latentstyles": true, "pgdsctbl": true, "filetbl": true, "revtbl": true,
	"fldinst": true, "bkmkstart": true, "bkmkend": true, "nonshppict": true, "shppict": true, "mmathpr": true,
	"wgrffmtfilter": true, "fchars": true, "lchars": true, "xe": true, "tc": true, "listtext": true, "pntext": true, "pntxta": true, "pntxtb": true,
	"template": true, "userprops": true, "docvar": true, "blipuid": true, "sp": true, "sn": true, "sv": true, "shpinst": true,
	"author": true, "operator": true, "title": true, "subject": true, "keywords": true, "comment": true, "doccomm": true, "company": true,
	"passwordhash": true, "protusertbl": true, "ftnsep": true, "ftnsepc": true, "aftnsep": true, "aftnsepc": true, "falt": true, "panose": true,
	"mhtmltag": true,
}

// rtfToText extracts text from RTF: paragraphs and line breaks become
// newlines, \uN and \'hh are decoded (the latter in \ansicpg), non-text
// destinations are skipped, text marked \v goes to hidden. For
// \fromhtml1 the HTML is rebuilt per MS-OXRTFEX instead.
func rtfToText(rtf []byte, maxOut int) rtfResult {
	var res rtfResult
	var text, hidden, htmlb strings.Builder
	var enc encoding.Encoding = codePageEncoding(1252)
	var pend []byte // 8-bit bytes waiting to be decoded
	st := rtfState{uc: 1, first: true}
	var stack []rtfState
	skipChars := 0
	outLen := 0
	target := func() *strings.Builder {
		if res.fromHTML {
			if st.htmltag || !st.htmlrtf {
				return &htmlb
			}
			return nil
		}
		if st.hidden {
			return &hidden
		}
		return &text
	}
	flushPend := func(w *strings.Builder) {
		if len(pend) == 0 {
			return
		}
		if w != nil {
			s, err := enc.NewDecoder().Bytes(pend)
			if err != nil || !utf8.Valid(s) {
				s = []byte(decodeCP1252(pend))
			}
			w.Write(s)
			outLen += len(s)
		}
		pend = pend[:0]
	}
	curTarget := target()
	write := func(s string) {
		if st.skip || outLen > maxOut {
			return
		}
		w := target()
		if w != curTarget {
			flushPend(curTarget)
			curTarget = w
		}
		flushPend(w)
		if w != nil {
			w.WriteString(s)
			outLen += len(s)
		}
	}
	writeByte := func(c byte) {
		if st.skip || outLen > maxOut {
			return
		}
		w := target()
		if w != curTarget {
			flushPend(curTarget)
			curTarget = w
		}
		if w == nil {
			return
		}
		if c < 0x80 {
			flushPend(w)
			w.WriteByte(c)
			outLen++
			return
		}
		pend = append(pend, c)
	}
	i := 0
	for i < len(rtf) {
		c := rtf[i]
		switch c {
		case '{':
			flushPend(curTarget)
			if len(stack) < 10000 {
				stack = append(stack, st)
			}
			st.starred = false
			st.first = true
			i++
			continue
		case '}':
			flushPend(curTarget)
			if len(stack) > 0 {
				st = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
			i++
			continue
		case '\r', '\n':
			i++
			continue
		case '\\':
		default:
			i++
			if skipChars > 0 {
				skipChars--
				continue
			}
			st.first = false
			writeByte(c)
			continue
		}
		// control
		if i+1 >= len(rtf) {
			break
		}
		n := rtf[i+1]
		if isLetterByte(n) {
			j := i + 1
			for j < len(rtf) && isLetterByte(rtf[j]) && j-i < 40 {
				j++
			}
			word := string(rtf[i+1 : j])
			param := 0
			hasParam := false
			k := j
			if k < len(rtf) && (rtf[k] == '-' || rtf[k] >= '0' && rtf[k] <= '9') {
				k2 := k + 1
				for k2 < len(rtf) && rtf[k2] >= '0' && rtf[k2] <= '9' && k2-k < 11 {
					k2++
				}
				if p, err := strconv.Atoi(string(rtf[k:k2])); err == nil {
					param, hasParam = p, true
				}
				k = k2
			}
			if k < len(rtf) && rtf[k] == ' ' {
				k++
			}
			i = k
			wasFirst := st.first
			st.first = false
			if skipChars > 0 && word != "bin" {
				skipChars--
				continue
			}
			if wasFirst && (rtfSkipDest[word] || (st.starred && !(word == "htmltag" && res.fromHTML))) {
				st.skip = true
			}
			switch word {
			case "fromhtml":
				res.fromHTML = true
			case "htmltag":
				if res.fromHTML && !st.skip {
					st.htmltag = true
				}
			case "htmlrtf":
				st.htmlrtf = !hasParam || param != 0
			case "ansicpg":
				if e := codePageEncoding(param); e != nil && e != unicode.UTF8 {
					enc = e
				}
			case "uc":
				if param >= 0 && param < 10 {
					st.uc = param
				}
			case "u":
				r := param
				if r < 0 {
					r += 65536
				}
				write(string(rune(r)))
				skipChars = st.uc
			case "par", "line", "sect", "page", "row":
				if res.fromHTML {
					if st.htmltag || !st.htmlrtf {
						write("\r\n")
					}
				} else {
					write("\n")
				}
			case "tab":
				write("\t")
			case "cell":
				if !res.fromHTML {
					write(" | ")
				}
			case "emdash":
				write("—")
			case "endash":
				write("–")
			case "bullet":
				write("•")
			case "lquote":
				write("‘")
			case "rquote":
				write("’")
			case "ldblquote":
				write("“")
			case "rdblquote":
				write("”")
			case "emspace", "enspace", "qmspace":
				write(" ")
			case "v":
				st.hidden = !hasParam || param != 0
			case "bin":
				if hasParam && param > 0 {
					i = min(len(rtf), i+param)
				}
			}
			continue
		}
		// control symbol
		i += 2
		switch n {
		case '*':
			st.starred = true
			continue
		case '\'':
			if i+1 < len(rtf) && isHex(rtf[i]) && isHex(rtf[i+1]) {
				b := unhex(rtf[i])<<4 | unhex(rtf[i+1])
				i += 2
				st.first = false
				if skipChars > 0 {
					skipChars--
					continue
				}
				writeByte(b)
			}
			continue
		}
		st.first = false
		if skipChars > 0 {
			skipChars--
			continue
		}
		switch n {
		case '\\', '{', '}':
			writeByte(n)
		case '~':
			write("\u00A0")
		case '_':
			write("-")
		case '\r', '\n':
			if res.fromHTML {
				if st.htmltag || !st.htmlrtf {
					write("\r\n")
				}
			} else {
				write("\n")
			}
		}
	}
	flushPend(curTarget)
	res.text = text.String()
	res.hidden = hidden.String()
	res.html = htmlb.String()
	res.truncated = outLen > maxOut
	return res
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
