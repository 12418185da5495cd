package gate

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"hash/maphash"
	"io"
	"strings"
	"sync"

	"utlamnande/processor/internal/export"
)

// Limits of what one staged file is unpacked to for the content checks: a member or a
// decoded piece larger than maxPiece is read only that far, all pieces together stop at
// maxExpanded, and a zip in a zip in a zip is as deep as it goes.
// The hook must stay within about 100 MiB whatever is staged: a file that unpacks to more
// than maxExpanded is not searched to its end, and is refused for it (incomplete).
const (
	maxPiece    = 16 << 20
	maxExpanded = 48 << 20
	maxDepth    = 3
)

// piece is one thing a staged file holds: the file itself, a member of a zip (an xlsx, a
// docx, a .zip), the content of a gzip file, a run of base64 decoded, or its text decoded
// from another way of writing it (textDecodings: HTML entities, JSON escapes,
// quoted-printable, RFC 2047 words, UTF-16, Latin-1).
type piece struct {
	name string // the file's path, then " › member", " › base64", " › utf-16" ... for what is inside
	data []byte
	// refused: an xlsx package past the limits of reading one (export.CheckXLSX), which is
	// not unpacked, by expand or by anyone it is given to.
	refused bool
}

// base64Alphabet marks the bytes of the base64 alphabet (without the padding "=").
var base64Alphabet = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		t[c] = true
	}
	return t
}()

// isBase64Word reports whether w is a word of base64: the alphabet, and padding at its end
// (^[A-Za-z0-9+/]+={0,2}$).
func isBase64Word(w []byte) bool {
	n := len(w)
	for k := 0; k < 2 && n > 0 && w[n-1] == '='; k++ {
		n--
	}
	if n == 0 {
		return false
	}
	for _, c := range w[:n] {
		if !base64Alphabet[c] {
			return false
		}
	}
	return true
}

// minBase64 is the shortest run of base64 decoded (shorter runs are words, hashes, ids).
const minBase64 = 64

// base64Runs returns the runs of base64 in text: consecutive lines that are each one word
// of base64 (as wrapped by mail programs and base64(1)), and single words of base64 among
// other text, of minBase64 characters or more.
func base64Runs(text []byte) [][]byte {
	var runs [][]byte
	var cur []byte
	flush := func() {
		if len(cur) >= minBase64 {
			runs = append(runs, cur)
		}
		cur = nil
	}
	for rest := text; rest != nil; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 && isBase64Word(line) {
			cur = append(cur, line...)
			if line[len(line)-1] == '=' {
				flush()
			}
			continue
		}
		flush()
		// A word of minBase64 characters has minBase64-2 of the alphabet in a row: most
		// lines have no such run, and no word to look at.
		if hasAlphabetRun(line, minBase64-2) {
			for _, w := range bytes.Fields(line) {
				if len(w) >= minBase64 && isBase64Word(w) {
					runs = append(runs, w)
				}
			}
		}
		if len(runs) >= 64 {
			break
		}
	}
	flush()
	return runs
}

// hasAlphabetRun reports whether line has n bytes of the base64 alphabet in a row.
func hasAlphabetRun(line []byte, n int) bool {
	k := 0
	for _, c := range line {
		if !base64Alphabet[c] {
			k = 0
		} else if k++; k >= n {
			return true
		}
	}
	return false
}

// expand calls fn with every piece of a staged file, the file first, until fn returns
// false. What cannot be unpacked is passed on as it is. A piece that is neither a zip nor
// a gzip file gives its runs of base64, then its text as each textDecoding that changes it
// reads it; each of these is walked in turn (base64 of HTML-escaped text, a zip member in
// UTF-16), down to maxDepth and within the budget.
//
// complete is false when the budget ran out (or an xlsx package is past the limits that
// reading one has, export.CheckXLSX, and was not unpacked): what the file holds was not all
// looked at.
func expand(name string, data []byte, fn func(piece) bool) (complete bool) {
	budget := maxExpanded
	complete = true
	// The text decodings of a piece that has several ways of writing in it give the same
	// text in either order (quoted-printable of JSON, JSON of quoted-printable): each text
	// is walked once.
	seed := maphash.MakeSeed()
	decodedSeen := map[uint64]bool{}
	var walk func(p piece, depth int) bool
	walk = func(p piece, depth int) bool {
		var z *zip.Reader
		if bytes.HasPrefix(p.data, []byte("PK\x03\x04")) {
			var err error
			if z, err = zip.NewReader(bytes.NewReader(p.data), int64(len(p.data))); err == nil && isXLSX(z) && checkXLSX(p.data, p.name) != nil {
				p.refused, z = true, nil // a bomb, or damaged: not unpacked
				complete = false
			}
		}
		if !fn(p) {
			return false
		}
		if budget <= 0 {
			complete = false
			return true
		}
		if depth >= maxDepth {
			return true
		}
		switch {
		case bytes.HasPrefix(p.data, []byte("PK\x03\x04")):
			if z == nil {
				return true
			}
			xlsx := isXLSX(z)
			for _, f := range z.File {
				if budget <= 0 {
					complete = false
					break
				}
				if xlsx && isXMLPart(f.Name) {
					// A spreadsheet's XML parts are read as the package (workbook.PartTexts,
					// export.ScreenExport); what it embeds is unpacked here.
					continue
				}
				rc, err := f.Open()
				if err != nil {
					continue
				}
				member, n := readLimited(rc, f.UncompressedSize64, min(maxPiece, budget))
				rc.Close()
				if n > len(member) {
					complete = false // larger than a piece may be
				}
				budget -= len(member)
				if !walk(piece{name: p.name + " › " + f.Name, data: member}, depth+1) {
					return false
				}
			}
		case bytes.HasPrefix(p.data, []byte{0x1f, 0x8b}):
			zr, err := gzip.NewReader(bytes.NewReader(p.data))
			if err != nil {
				return true
			}
			content, n := readLimited(zr, 0, min(maxPiece, budget))
			if n > len(content) {
				complete = false
			}
			budget -= len(content)
			return walk(piece{name: p.name + " › gzip", data: content}, depth+1)
		default:
			for _, clean := range base64Runs(p.data) {
				decoded, err := base64.StdEncoding.DecodeString(string(clean))
				if err != nil {
					if decoded, err = base64.RawStdEncoding.DecodeString(string(bytes.TrimRight(clean, "="))); err != nil {
						continue
					}
				}
				budget -= len(decoded)
				if !walk(piece{name: p.name + " › base64", data: decoded}, depth+1) {
					return false
				}
			}
			text := -1 // whether p reads as text (textLike), once asked
			for _, d := range textDecodings {
				if budget <= 0 {
					break
				}
				if d.text {
					if text < 0 {
						text = 0
						if textLike(p.data) {
							text = 1
						}
					}
					if text == 0 {
						continue
					}
				}
				decoded := d.decode(p.data, min(maxPiece, budget))
				if decoded == nil {
					continue
				}
				h := maphash.Bytes(seed, decoded)
				if decodedSeen[h] {
					continue
				}
				decodedSeen[h] = true
				budget -= len(decoded)
				if !walk(piece{name: p.name + " › " + d.name, data: decoded}, depth+1) {
					return false
				}
			}
		}
		return true
	}
	walk(piece{name: name, data: data}, 0)
	return complete
}

// isXMLPart reports whether a package member is XML (a part, or its relationships).
func isXMLPart(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") || strings.HasSuffix(n, ".vml")
}

// checked remembers export.CheckXLSX's answer for a package's bytes during one run: the hook
// asks for the same staged file from several checks.
var checked sync.Map // maphash of the bytes → error (or nil)

var checkedSeed = maphash.MakeSeed()

func checkXLSX(data []byte, name string) error {
	key := maphash.Bytes(checkedSeed, data)
	if v, ok := checked.Load(key); ok {
		err, _ := v.(error)
		return err
	}
	err := export.CheckXLSX(data, name)
	checked.Store(key, err)
	return err
}

// isXLSX reports whether the zip is a spreadsheet package (has xl/ parts).
func isXLSX(z *zip.Reader) bool {
	for _, f := range z.File {
		if len(f.Name) > 3 && f.Name[:3] == "xl/" {
			return true
		}
	}
	return false
}

// readLimited reads r up to limit bytes, into a buffer sized by what the header declares
// (declared, 0 for unknown) rather than grown by doubling. n is limit+1 when there was more.
func readLimited(r io.Reader, declared uint64, limit int) (data []byte, n int) {
	size := limit
	if declared > 0 && declared < uint64(limit) {
		size = int(declared)
	}
	if declared == 0 {
		size = min(limit, 64<<10)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	m, _ := io.Copy(buf, io.LimitReader(r, int64(limit)))
	n = int(m)
	if n == limit {
		var one [1]byte
		if k, _ := r.Read(one[:]); k > 0 {
			n++
		}
	}
	return buf.Bytes(), n
}
