package mask

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold is the one normalisation of the leak check: masked spans and the text searched for
// them are both folded, and a span is found where its folded text is in the folded text.
// Two texts that a reader takes for the same words fold to the same string:
//
//   - Compatibility forms are their plain letters (Unicode NFKD): full-width "Ｋａｌｌｅ",
//     ligatures "ﬁ", mathematical letters, superscripts, the no-break hyphen.
//   - Case is ignored: every letter is lower case (unicode.ToLower, rune by rune; Å Ä Ö
//     become å ä ö).
//   - Accents are ignored, except that å, ä and ö stay letters of their own: é is e, ü is
//     u, "e" followed by a combining acute is e, but å is not a and ö is not o. A
//     precomposed letter and its decomposed form (a + U+030A) fold the same. A name typed
//     once with its accent and once without is the same name; Swedish å ä ö tell words
//     apart (Åsa, Asa).
//   - Invisible characters are removed: format characters (zero-width space, joiner and
//     non-joiner, word joiner, soft hyphen, byte order mark, bidi marks and isolates, tag
//     characters), the other default-ignorable code points (variation selectors, the
//     combining grapheme joiner, Hangul fillers) and control characters other than
//     whitespace and NUL. They draw nothing, so "Kal\u200ble" reads as Kalle.
//   - NUL is a break: texts joined with NUL are never read as one (workbook.PartTexts
//     joins the elements of a workbook's XML so). It stays, as one NUL with the spaces
//     around it dropped, and no span is found across it.
//   - All whitespace (space, no-break and other Unicode spaces, tab, line and paragraph
//     breaks, U+2800 braille blank) is one space; runs become one space and the ends are
//     trimmed. So a name wrapped between its words, by a line break in the cell or by the
//     PDF's line wrapping, is found.
//   - Dashes are whitespace too: hyphen-minus, hyphen, en and em dash, minus sign and the
//     other characters of Unicode's Dash property. "Kalle-Anka", "Kalle – Anka" and
//     "Kalle Anka" fold the same, and so do "19121212-1212" and "19121212 1212": a
//     double name and a number are written either way. Other punctuation is kept: a
//     full stop, @, _ or / is part of an address or a reference ("kalle.anka@x.se" is
//     not "Kalle Anka"), and a separator is never removed, only made a space, so words
//     are never run together ("Kalle Anka" is not "KalleAnka").
//   - Look-alike letters from Cyrillic, Greek and a few other scripts are the Latin
//     letter they look like (confusables below: Cyrillic а е о р с у х і ј ѕ ԁ ԛ ԝ and
//     capitals, Greek ο α ε ι κ ν ρ τ υ χ and capitals, ...), and curly quotes are
//     straight ones. The table is small and explicit; it is not Unicode's full
//     confusables list, and Latin letters are never mapped to each other (l, I and 1
//     stay apart).
//
// Invalid UTF-8 bytes become U+FFFD, so the result is always valid UTF-8, and
// Fold(Fold(s)) == Fold(s). Folding is local: for texts without NUL, Fold(a+" "+b) ==
// Fold(Fold(a)+" "+Fold(b)), so texts may be folded one by one and joined with a space.
func Fold(s string) string {
	// Most cells are short ASCII text, already folded or with only a few capitals.
	i := foldedPrefix(s)
	if i == len(s) {
		return s
	}
	return string(foldFrom(make([]byte, 0, len(s)), s, i))
}

// foldAppend appends Fold(s) to dst.
func foldAppend(dst []byte, s string) []byte {
	return foldFrom(dst, s, foldedPrefix(s))
}

// foldFrom appends Fold(s) to dst, where s[:i] is folded ASCII (see foldedPrefix).
func foldFrom(dst []byte, s string, i int) []byte {
	tables.once.Do(tables.build)
	f := folder{out: dst, start: len(dst), base: -1}
	// The folded ASCII it begins with is copied as it is.
	if i > 0 {
		f.out = append(f.out, s[:i]...)
		f.base = rune(s[i-1])
		if s[i-1] == ' ' { // not yet: it may be the end
			f.out = f.out[:len(f.out)-1]
			f.pending, f.base = sepSpace, -1
		}
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf && asciiClass[c] == classKeep {
			// A run of folded ASCII (words, single spaces) is copied as it is. A combining
			// mark after it comes as a segment of its own, which goes with its last letter.
			j := i + 1
			for j < len(s) {
				if k := asciiRun[s[j]]; k == 0 || k == 2 && s[j-1] == ' ' {
					break
				}
				j++
			}
			if f.pending != sepNone {
				f.out = append(f.out, sepByte[f.pending])
				f.pending = sepNone
			}
			if s[j-1] == ' ' {
				f.out = append(f.out, s[i:j-1]...)
				f.pending, f.base = sepSpace, -1
			} else {
				f.out = append(f.out, s[i:j]...)
				f.base = rune(s[j-1])
			}
			i = j
			continue
		}
		if c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			// Other ASCII without a combining mark after it: f.ascii, by hand.
			if m := asciiMap[c]; m > ' ' && m != mapBreak {
				if f.pending != sepNone {
					f.out = append(f.out, sepByte[f.pending])
					f.pending = sepNone
				}
				f.out = append(f.out, m)
				f.base = rune(m)
			} else if m != 0 {
				f.space(m)
			}
			i++
			continue
		}
		// A normalisation segment s[i:k]: a character and the combining marks after it.
		j := i + 1
		r := rune(c)
		if c >= utf8.RuneSelf {
			var w int
			if r, w = utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && w == 1 {
				f.rune(utf8.RuneError)
				i++
				continue
			}
			j = i + w
		}
		k := j
		for k < len(s) && s[k] >= utf8.RuneSelf {
			w, before := boundaryBefore(s[k:])
			if before {
				break
			}
			k += w
		}
		switch {
		case k > j: // marks: decompose the whole segment
			f.runes(norm.NFKD.String(s[i:k]))
		case c < utf8.RuneSelf:
			f.ascii(c)
		case r < tableSize:
			if d := tables.decomp[r]; d != "" {
				f.runes(d)
			} else {
				f.rune(r)
			}
		case norm.NFKD.PropertiesString(s[i:j]).Decomposition() != nil || (0xAC00 <= r && r <= 0xD7A3): // Hangul syllables decompose algorithmically
			f.runes(norm.NFKD.String(s[i:j]))
		default:
			f.rune(r)
		}
		i = k
	}
	return f.out
}

// foldedPrefix returns the length of the ASCII that s begins with and that Fold leaves as
// it is: no capitals, nothing invisible, no space first nor two together.
func foldedPrefix(s string) int {
	prev := byte(' ')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if prev == ' ' {
				return i
			}
		} else if c >= utf8.RuneSelf || asciiClass[c] != classKeep {
			return i
		}
		prev = c
	}
	if prev == ' ' && len(s) > 0 {
		return len(s) - 1 // the last space goes
	}
	return len(s)
}

// boundaryBefore returns the length of the character s begins with (not ASCII) and
// whether a normalisation segment may begin with it (it is no combining mark).
func boundaryBefore(s string) (int, bool) {
	r, w := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && w == 1:
		return w, true
	case r < tableSize:
		return w, tables.starts[r]
	}
	return w, norm.NFKD.PropertiesString(s).BoundaryBefore()
}

// Character classes of the fold.
const (
	classKeep   = iota // written (after mapping)
	classSpace         // whitespace or a dash: one space between words
	classIgnore        // removed: invisible
	classMark          // a combining mark: kept only as the ring or diaeresis of å ä ö
	classUpper         // an ASCII capital
	classBreak         // NUL: a break between texts that are not read as one
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == '-':
			t[c] = classSpace
		case c == 0:
			t[c] = classBreak
		case c < ' ' || c == 0x7f:
			t[c] = classIgnore
		case 'A' <= c && c <= 'Z':
			t[c] = classUpper
		}
	}
	return t
}()

// asciiMap is what an ASCII character is written as: itself or its small letter, ' ' for
// a space and mapBreak for a break (see folder.space), 0 for nothing.
var asciiMap = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch asciiClass[c] {
		case classKeep:
			t[c] = byte(c)
		case classUpper:
			t[c] = byte(c) + 'a' - 'A'
		case classSpace:
			t[c] = ' '
		case classBreak:
			t[c] = mapBreak
		}
	}
	return t
}()

const mapBreak = 0x80

// asciiRun tells the bytes of a run of folded ASCII: 1 a character kept as it is, 2 a
// space (one), 0 neither.
var asciiRun = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		if asciiClass[c] == classKeep {
			t[c] = 1
		}
	}
	t[' '] = 2
	return t
}()

// folder writes folded text.
type folder struct {
	out     []byte
	start   int   // where the folded text begins in out
	pending uint8 // the separator due before the next character written
	base    rune  // the last character written (after mapping), -1 at the start and after a space
}

func (f *folder) ascii(c byte) {
	switch m := asciiMap[c]; m {
	case 0:
	case ' ', mapBreak:
		f.space(m)
	default:
		if f.pending != sepNone {
			f.out = append(f.out, sepByte[f.pending])
			f.pending = sepNone
		}
		f.out = append(f.out, m)
		f.base = rune(m)
	}
}

// space notes a space (' ') or a break (mapBreak) before the next character; a break
// swallows the spaces around it.
func (f *folder) space(m byte) {
	if len(f.out) > f.start && f.pending != sepBreak {
		f.pending = sepSpace
		if m == mapBreak {
			f.pending = sepBreak
		}
	}
	f.base = -1
}

// Separators between words.
const (
	sepNone  = iota
	sepSpace // one space
	sepBreak // a break: NUL
)

var sepByte = [...]byte{sepSpace: ' ', sepBreak: 0}

func (f *folder) runes(s string) {
	for _, r := range s { // invalid bytes come as U+FFFD
		f.rune(r)
	}
}

// Combining marks that stay: the ring of å and the diaeresis of ä and ö.
const (
	ring      = '\u030A'
	diaeresis = '\u0308'
)

// rune writes one character of an NFKD-decomposed text.
func (f *folder) rune(r rune) {
	if r < utf8.RuneSelf {
		f.ascii(byte(r))
		return
	}
	var class uint8
	if r < tableSize {
		class, r = tables.class[r], tables.mapped[r]
	} else {
		class, r = classify(r)
	}
	switch class {
	case classSpace:
		f.space(' ')
		return
	case classIgnore:
		return
	case classMark:
		// Only directly after the letter it belongs to, with which it is composed (å ä ö
		// are written precomposed); every other mark is dropped.
		n := len(f.out)
		if f.pending != sepNone || (f.base != 'a' && f.base != 'o') || n == f.start || f.out[n-1] != byte(f.base) {
			return
		}
		switch {
		case r == ring && f.base == 'a':
			f.out = append(f.out[:n-1], "å"...)
		case r == diaeresis && f.base == 'a':
			f.out = append(f.out[:n-1], "ä"...)
		case r == diaeresis && f.base == 'o':
			f.out = append(f.out[:n-1], "ö"...)
		}
		return
	}
	if f.pending != sepNone {
		f.out = append(f.out, sepByte[f.pending])
		f.pending = sepNone
	}
	f.out = utf8.AppendRune(f.out, r)
	f.base = r
}

// classify returns the class of a non-ASCII character of decomposed text and, for a
// character that is kept, what it is written as.
func classify(r rune) (uint8, rune) {
	switch {
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r):
		return classIgnore, r
	case unicode.IsSpace(r) || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) || r == '\u2800' ||
		unicode.Is(unicode.Dash, r):
		return classSpace, r
	case unicode.IsControl(r):
		return classIgnore, r
	case unicode.In(r, unicode.Mn, unicode.Me):
		return classMark, r
	}
	return classKeep, lookalike(unicode.ToLower(lookalike(r)))
}

// lookalike maps a letter of another script that looks like a Latin letter to that letter.
func lookalike(r rune) rune {
	if l, ok := confusables[r]; ok {
		return l
	}
	return r
}

// confusables are the look-alikes: the common Cyrillic and Greek letters (small and
// capital) that are drawn like a Latin letter in ordinary fonts, a few Latin-script and
// Armenian ones, and typographic quotes. They are looked up after NFKD (a character that
// decomposes, such as the lunate sigma or the double prime, is what it decomposes to).
// Capitals are mapped before lower-casing, since some look like a Latin capital only
// (Cyrillic Н, Greek Η and Ν), and small letters after it too (Greek ν looks like v).
var confusables = map[rune]rune{
	// Cyrillic small
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
	'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ү': 'y', 'ѵ': 'v',
	// Cyrillic capital
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C',
	'Т': 'T', 'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԛ': 'Q', 'Ԝ': 'W', 'Һ': 'H',
	'Ӏ': 'l', 'Ү': 'Y', 'Ѵ': 'V', 'Ԁ': 'D',
	// Greek small
	'ο': 'o', 'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'υ': 'u',
	'χ': 'x', 'γ': 'y', 'η': 'n', 'ω': 'w', 'ϳ': 'j',
	// Greek capital
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N',
	'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'Ϳ': 'J',
	// Latin-script and Armenian look-alikes
	'ı': 'i', 'ȷ': 'j', 'ɑ': 'a', 'ɡ': 'g', 'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n',
	// quotes and primes
	'‘': '\'', '’': '\'', '‛': '\'', 'ʼ': '\'', '′': '\'', '“': '"', '”': '"', '„': '"', '‟': '"',
}

// tableSize bounds the characters whose folding is looked up rather than worked out:
// Latin, Greek, Cyrillic, Armenian (U+0000–U+07FF).
const tableSize = 0x800

// tables are built on first use (most commands never fold).
var tables foldTables

type foldTables struct {
	once   sync.Once
	class  [tableSize]uint8
	mapped [tableSize]rune
	decomp [tableSize]string // NFKD of the character, when it is not the character itself
	starts [tableSize]bool   // a normalisation segment may begin with the character
}

func (t *foldTables) build() {
	for r := rune(utf8.RuneSelf); r < tableSize; r++ {
		t.class[r], t.mapped[r] = classify(r)
		if d := norm.NFKD.String(string(r)); d != string(r) {
			t.decomp[r] = d
		}
		t.starts[r] = norm.NFKD.PropertiesString(string(r)).BoundaryBefore()
	}
}
