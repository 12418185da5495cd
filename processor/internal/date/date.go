// Package date handles calendar dates (no time of day) as written in case files: 2026-11-20.
package date

import (
	"fmt"
	"time"
	_ "time/tzdata" // the Stockholm zone must resolve on machines without tzdata (Windows, slim images)
)

// Date is a calendar date. The zero Date is "no date".
type Date struct {
	t time.Time // midnight UTC
}

// Layout is the only accepted written form (ISO 8601 calendar date).
const Layout = "2006-01-02"

// Parse reads "ÅÅÅÅ-MM-DD" strictly: ten characters, a real calendar day.
func Parse(s string) (Date, error) {
	if len(s) != len(Layout) || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("inte på formen ÅÅÅÅ-MM-DD")
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("inte på formen ÅÅÅÅ-MM-DD")
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("ingen riktig dag: månaden %02d finns inte", m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return Date{}, fmt.Errorf("ingen riktig dag: %s har inte %d dagar", monthNames[m-1], d)
	}
	return Date{t}, nil
}

var monthNames = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// Of returns the calendar date of t in its own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return New(y, m, d)
}

// New returns the date y-m-d (normalised like time.Date).
func New(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// Stockholm is the authority's time zone; "today" is today in Sweden.
var Stockholm = mustZone("Europe/Stockholm")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // embedded tzdata: cannot happen
	}
	return loc
}

// Today is the current date in Stockholm.
func Today() Date { return Of(time.Now().In(Stockholm)) }

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// String writes "ÅÅÅÅ-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(Layout)
}

// Year returns the year.
func (d Date) Year() int { return d.t.Year() }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// Noon returns noon of d, Swedish time: a document's date as a moment (noon is the same day
// in every zone nearby), e.g. a PDF's creation date.
func (d Date) Noon() time.Time {
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 12, 0, 0, 0, Stockholm)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d plus n months. A day that does not exist in the target month becomes
// that month's last day (2026-11-30 + 3 months = 2027-02-28), as when a period is counted in
// months under lagen (1930:173) om beräkning av lagstadgad tid.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return New(first.Year(), first.Month(), min(day, last))
}
