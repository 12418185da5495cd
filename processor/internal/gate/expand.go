package gate

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"regexp"
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
// docx, a .zip), the content of a gzip file, or a run of base64 decoded.
type piece struct {
	name string // the file's path, then " › member" or " › base64" for what is inside
	data []byte
}

// base64Word is a word of base64: the alphabet, and padding at its end.
var base64Word = regexp.MustCompile(`^[A-Za-z0-9+/]+={0,2}$`)

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
	for _, line := range bytes.Split(text, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && base64Word.Match(line) {
			cur = append(cur, line...)
			if bytes.HasSuffix(line, []byte("=")) {
				flush()
			}
			continue
		}
		flush()
		for _, w := range bytes.Fields(line) {
			if len(w) >= minBase64 && base64Word.Match(w) {
				runs = append(runs, w)
			}
		}
		if len(runs) >= 64 {
			break
		}
	}
	flush()
	return runs
}

// expand calls fn with every piece of a staged file, the file first, until fn returns
// false. What cannot be unpacked is passed on as it is.
func expand(name string, data []byte, fn func(piece) bool) {
	budget := maxExpanded
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
		}
		return true
	}
	walk(piece{name, data}, 0)
}
