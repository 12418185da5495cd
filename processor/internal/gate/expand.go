package gate

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"hash/maphash"
	"io"
)

// Limits of what one staged file is unpacked to for the content checks: a member or a
// decoded piece larger than maxPiece is read only that far, all pieces together stop at
// maxExpanded, and a zip in a zip in a zip is as deep as it goes.
const (
	maxPiece    = 64 << 20
	maxExpanded = 256 << 20
	maxDepth    = 3
)

// piece is one thing a staged file holds: the file itself, a member of a zip (an xlsx, a
// docx, a .zip), the content of a gzip file, a run of base64 decoded, or its text decoded
// from another way of writing it (textDecodings: HTML entities, JSON escapes,
// quoted-printable, RFC 2047 words, UTF-16, Latin-1).
type piece struct {
	name string // the file's path, then " › member", " › base64", " › utf-16" ... for what is inside
	data []byte
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
func expand(name string, data []byte, fn func(piece) bool) {
	budget := maxExpanded
	// The text decodings of a piece that has several ways of writing in it give the same
	// text in either order (quoted-printable of JSON, JSON of quoted-printable): each text
	// is walked once.
	seed := maphash.MakeSeed()
	decodedSeen := map[uint64]bool{}
	var walk func(p piece, depth int) bool
	walk = func(p piece, depth int) bool {
		if !fn(p) {
			return false
		}
		if depth >= maxDepth || budget <= 0 {
			return true
		}
		switch {
		case bytes.HasPrefix(p.data, []byte("PK\x03\x04")):
			z, err := zip.NewReader(bytes.NewReader(p.data), int64(len(p.data)))
			if err != nil {
				return true
			}
			for _, f := range z.File {
				rc, err := f.Open()
				if err != nil {
					continue
				}
				member, _ := io.ReadAll(io.LimitReader(rc, int64(min(maxPiece, budget))))
				rc.Close()
				budget -= len(member)
				if !walk(piece{p.name + " › " + f.Name, member}, depth+1) {
					return false
				}
			}
		case bytes.HasPrefix(p.data, []byte{0x1f, 0x8b}):
			zr, err := gzip.NewReader(bytes.NewReader(p.data))
			if err != nil {
				return true
			}
			content, _ := io.ReadAll(io.LimitReader(zr, int64(min(maxPiece, budget))))
			budget -= len(content)
			return walk(piece{p.name + " › gzip", content}, depth+1)
		default:
			for _, clean := range base64Runs(p.data) {
				decoded, err := base64.StdEncoding.DecodeString(string(clean))
				if err != nil {
					if decoded, err = base64.RawStdEncoding.DecodeString(string(bytes.TrimRight(clean, "="))); err != nil {
						continue
					}
				}
				budget -= len(decoded)
				if !walk(piece{p.name + " › base64", decoded}, depth+1) {
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
				if !walk(piece{p.name + " › " + d.name, decoded}, depth+1) {
					return false
				}
			}
		}
		return true
	}
	walk(piece{name, data}, 0)
}
