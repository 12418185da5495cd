package mailfile

import (
	"io"
)

// Transfer-encoding decoders. They work on the input slice (the file is in
// memory anyway) and write to w in chunks, so an attachment is hashed as it
// is decoded and never held whole. Both are lenient in the way mail readers
// are: base64 skips characters outside its alphabet, quoted-printable keeps
// a "=" that does not start a valid escape.

const chunk = 32 << 10

var b64val = func() [256]byte {
	var t [256]byte
	for i := range t {
		t[i] = 0xFF
	}
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(a); i++ {
		t[a[i]] = byte(i)
	}
	// URL-safe alphabet, seen in the wild
	t['-'] = 62
	t['_'] = 63
	return t
}()

// decodeBase64To decodes base64 from src to w. It reports the bytes
// written and whether src had anything odd (characters outside the
// alphabet other than whitespace, or a dangling final character).
func decodeBase64To(w io.Writer, src []byte) (int64, bool, error) {
	size := min(chunk, len(src)*3/4+4)
	out := make([]byte, size+4)
	o := 0
	var n int64
	var q [4]byte
	qi := 0
	odd := false
	flush := func() error {
		if o > 0 {
			k, err := w.Write(out[:o])
			n += int64(k)
			o = 0
			return err
		}
		return nil
	}
	for _, c := range src {
		v := b64val[c]
		if v == 0xFF {
			switch c {
			case ' ', '\t', '\r', '\n', '\f', '\v':
			case '=':
				// padding ends a quantum
				if qi >= 2 {
					out[o] = q[0]<<2 | q[1]>>4
					o++
					if qi == 3 {
						out[o] = q[1]<<4 | q[2]>>2
						o++
					}
				} else if qi == 1 {
					odd = true
				}
				qi = 0
			default:
				odd = true
			}
			continue
		}
		q[qi] = v
		qi++
		if qi == 4 {
			out[o] = q[0]<<2 | q[1]>>4
			out[o+1] = q[1]<<4 | q[2]>>2
			out[o+2] = q[2]<<6 | q[3]
			o += 3
			qi = 0
			if o >= size {
				if err := flush(); err != nil {
					return n, odd, err
				}
			}
		}
	}
	switch qi {
	case 1:
		odd = true
	case 2:
		out[o] = q[0]<<2 | q[1]>>4
		o++
	case 3:
		out[o] = q[0]<<2 | q[1]>>4
		out[o+1] = q[1]<<4 | q[2]>>2
		o += 2
	}
	err := flush()
	return n, odd, err
}

// decodeQPTo decodes quoted-printable from src to w. Line endings are kept
// as they are in src; whitespace at the end of a line is dropped (RFC 2045
// 6.7 (3)); "=" at the end of a line is a soft break.
func decodeQPTo(w io.Writer, src []byte) (int64, bool, error) {
	size := min(chunk, len(src)+2)
	out := make([]byte, size+8)
	o := 0
	var n int64
	odd := false
	flush := func() error {
		if o > 0 {
			k, err := w.Write(out[:o])
			n += int64(k)
			o = 0
			return err
		}
		return nil
	}
	for len(src) > 0 {
		// one line
		e := 0
		for e < len(src) && src[e] != '\n' {
			e++
		}
		line := src[:e]
		var eol []byte
		if e < len(src) {
			eol = src[e : e+1]
			src = src[e+1:]
		} else {
			src = nil
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
			if eol != nil {
				eol = []byte("\r\n")
			}
		}
		// drop trailing whitespace
		t := len(line)
		for t > 0 && (line[t-1] == ' ' || line[t-1] == '\t') {
			t--
		}
		line = line[:t]
		soft := false
		if len(line) > 0 && line[len(line)-1] == '=' {
			soft = true
			line = line[:len(line)-1]
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c == '=' {
				if hexDigitPair(line, i) {
					c = unhex(line[i+1])<<4 | unhex(line[i+2])
					i += 2
				} else {
					odd = true
				}
			}
			out[o] = c
			o++
			if o >= size {
				if err := flush(); err != nil {
					return n, odd, err
				}
			}
		}
		if !soft && eol != nil {
			for _, c := range eol {
				out[o] = c
				o++
			}
		}
		if o >= size {
			if err := flush(); err != nil {
				return n, odd, err
			}
		}
	}
	err := flush()
	return n, odd, err
}

// hexDigitPair reports whether line[i+1:i+3] is two hex digits.
func hexDigitPair(line []byte, i int) bool {
	return i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2])
}
