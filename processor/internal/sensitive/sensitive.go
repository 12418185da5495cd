// Package sensitive finds text that looks like personal identity numbers (personnummer,
// samordningsnummer) or Swedish phone numbers, so that a registrator can check whether it
// should have been masked. A match is a hint, not a verdict.
package sensitive

import (
	"regexp"
	"strconv"
	"time"
)

// Kinds of match.
const (
	KindPersonnummer = "personnummer"
	KindSamordning   = "samordningsnummer"
	KindPhone        = "telefonnummer"
)

// Match is one hit in a text.
type Match struct {
	Kind string
	Text string
}

var (
	// 10 or 12 digits, ÅÅMMDD-NNNN, ÅÅMMDD+NNNN (over 100 years), ÅÅÅÅMMDDNNNN, not inside a longer number.
	pnrRe = regexp.MustCompile(`(?:^|[^\d])((?:19|20)?\d{6}[-+ ]?\d{4})(?:[^\d]|$)`)
	// 07X-XXX XX XX, 08-123 456 78, +46 70 123 45 67, 0046..., 010-123 45 67
	phoneRe = regexp.MustCompile(`(?:^|[^\d+])((?:\+46|0046)[ -]?(?:\(0\))?[ -]?[1-9]\d{0,2}|0[1-9]\d{0,2})[ -]?(\d(?:[ -]?\d){4,7})(?:[^\d]|$)`)
)

// Find returns the matches in text, personal numbers first.
func Find(text string) []Match {
	// Both kinds have at least eight digits: most subjects have fewer, and the regular
	// expressions are the cost here.
	n := 0
	for i := 0; i < len(text) && n < 8; i++ {
		if text[i] >= '0' && text[i] <= '9' {
			n++
		}
	}
	if n < 8 {
		return nil
	}
	var out []Match
	for _, m := range pnrRe.FindAllStringSubmatch(text, -1) {
		if kind, ok := personalNumber(m[1]); ok {
			out = append(out, Match{Kind: kind, Text: m[1]})
		}
	}
	for _, m := range phoneRe.FindAllStringSubmatchIndex(text, -1) {
		s := text[m[2]:m[5]]
		if len(digits(s)) >= 8 && len(digits(s)) <= 13 && !overlaps(out, s) {
			out = append(out, Match{Kind: KindPhone, Text: s})
		}
	}
	return out
}

func overlaps(ms []Match, s string) bool {
	d := digits(s)
	for _, m := range ms {
		if md := digits(m.Text); len(md) >= len(d) && (md[len(md)-len(d):] == d || md[:len(d)] == d) {
			return true
		}
	}
	return false
}

func digits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// personalNumber checks a candidate: a real birth date (day + 60 for a samordningsnummer)
// and the Luhn check digit over the last ten digits.
func personalNumber(s string) (string, bool) {
	d := digits(s)
	if len(d) == 12 {
		d = d[2:]
	}
	if len(d) != 10 || !luhn(d) {
		return "", false
	}
	yy, _ := strconv.Atoi(d[0:2])
	mm, _ := strconv.Atoi(d[2:4])
	dd, _ := strconv.Atoi(d[4:6])
	kind := KindPersonnummer
	if dd > 60 {
		dd -= 60
		kind = KindSamordning
	}
	// Any century: the check is whether the day exists (29 February in a leap year: use 2000).
	year := 2000 + yy
	if yy == 0 || year%4 != 0 {
		year = 1999
		if mm == 2 && dd == 29 && yy%4 == 0 {
			year = 1996
		}
	}
	t := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm < 1 || mm > 12 || dd < 1 || t.Day() != dd || t.Month() != time.Month(mm) {
		return "", false
	}
	return kind, true
}

// luhn checks the Luhn (mod 10) digit of a 10-digit personnummer.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[i] - '0')
		if i%2 == 0 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}
