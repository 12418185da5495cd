package export

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/workbook"
)

// slashOrder is how a column writes dates with slashes: 10/5/2026.
type slashOrder int

const (
	slashUnknown    slashOrder = iota
	slashMonthFirst            // en-US: M/D/YYYY
	slashDayFirst              // en-GB, sv with slashes: D/M/YYYY
	slashMixed                 // both seen: cannot tell
)

var slashRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AaPp][Mm])?)?$`)

// inferSlashOrder looks at a whole column: a first number over 12 means day first, a second
// over 12 means month first; AM/PM means en-US (month first).
func inferSlashOrder(rows [][]string, col int) slashOrder {
	if col < 0 {
		return slashUnknown
	}
	dayFirst, monthFirst := false, false
	for _, row := range rows {
		if col >= len(row) {
			continue
		}
		m := slashRe.FindStringSubmatch(strings.TrimSpace(row[col]))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		switch {
		case a > 12:
			dayFirst = true
		case b > 12 || m[8] != "":
			monthFirst = true
		}
	}
	switch {
	case dayFirst && monthFirst:
		return slashMixed
	case dayFirst:
		return slashDayFirst
	case monthFirst:
		return slashMonthFirst
	}
	return slashUnknown
}

var isoLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseTime reads a timestamp from an export and returns Swedish wall-clock time. A time
// with a zone is converted; one without is UTC when utc is set (the heading is documented
// as UTC), otherwise Swedish time. Numbers are Excel serial dates.
func parseTime(s string, utc bool, order slashOrder, date1904 bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("tomt")
	}
	loc := Stockholm
	if utc {
		loc = time.UTC
	}
	if v, ok := workbook.ParseNumber(s); ok {
		t, ok := workbook.Serial(v, date1904, loc)
		if !ok {
			return time.Time{}, fmt.Errorf("talet ligger utanför Excels datum")
		}
		return t.In(Stockholm), nil
	}
	for _, layout := range isoLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Year() < 1900 {
				return time.Time{}, fmt.Errorf("året %d är före 1900", t.Year())
			}
			return t.In(Stockholm), nil
		}
	}
	m := slashRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("okänt format")
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	month, day := a, b
	switch order {
	case slashDayFirst:
		month, day = b, a
	case slashMixed:
		return time.Time{}, fmt.Errorf("kolumnen blandar dag/månad och månad/dag")
	case slashUnknown:
		if m[8] == "" && a != b {
			return time.Time{}, fmt.Errorf("tvetydigt: %d/%d kan vara både dag/månad och månad/dag", a, b)
		}
	}
	hour, minute, sec, nsec := 0, 0, 0, 0
	if m[4] != "" {
		hour, _ = strconv.Atoi(m[4])
		minute, _ = strconv.Atoi(m[5])
		sec, _ = strconv.Atoi(m[6]) // "" gives 0
		if m[7] != "" {
			frac := (m[7] + "000000000")[:9]
			nsec, _ = strconv.Atoi(frac)
		}
		switch strings.ToUpper(m[8]) {
		case "PM":
			if hour < 12 {
				hour += 12
			}
		case "AM":
			if hour == 12 {
				hour = 0
			}
		}
	}
	t := time.Date(y, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Month() != time.Month(month) || t.Day() != day || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("ingen riktig tidpunkt")
	}
	return t.In(Stockholm), nil
}
