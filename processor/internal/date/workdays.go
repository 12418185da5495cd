package date

import (
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/se"
)

// The Swedish calendar of working days: Monday to Friday except the public holidays and
// midsommarafton, julafton and nyårsafton (rickar/cal's se package, which has all of them).
// Promptness under 2 kap. 15–16 §§ TF is counted in these days.
var (
	calOnce  sync.Once
	calendar *cal.BusinessCalendar
)

func swedish() *cal.BusinessCalendar {
	calOnce.Do(func() {
		calendar = cal.NewBusinessCalendar()
		calendar.AddHoliday(se.Holidays...)
	})
	return calendar
}

// years caches each year's working days (a year is computed once: rickar/cal works out
// every holiday's date on each call, and a report counts days for thousands of cases).
var years sync.Map // int → *[367]bool, indexed by day of the year

// IsWorkday reports whether d is a Swedish working day.
func (d Date) IsWorkday() bool {
	y := d.t.Year()
	v, ok := years.Load(y)
	if !ok {
		var days [367]bool
		c := swedish()
		for t := time.Date(y, 1, 1, 12, 0, 0, 0, Stockholm); t.Year() == y; t = t.AddDate(0, 0, 1) {
			days[t.YearDay()] = c.IsWorkday(t)
		}
		v, _ = years.LoadOrStore(y, &days)
	}
	return v.(*[367]bool)[d.t.YearDay()]
}

// WorkdaysSince counts the working days after from up to and including d: how many
// working days a request received on from has waited on d (0 on the same day; a request
// received 2026-12-23 and answered 2026-12-28 has waited 1, since 24–27 December are not
// working days). It is 0 when d is not after from.
func (d Date) WorkdaysSince(from Date) int {
	n := 0
	for day := from.AddDays(1); !day.After(d); day = day.AddDays(1) {
		if day.IsWorkday() {
			n++
		}
	}
	return n
}

// NextWorkdayFrom returns d, or the first working day after it when d is not one: the last
// day of a period that falls on a Saturday, Sunday, public holiday, midsommarafton, julafton
// or nyårsafton moves to the next weekday (lagen (1930:173) om beräkning av lagstadgad tid,
// 2 §; for an appeal's three weeks under FL 44 §).
func (d Date) NextWorkdayFrom() Date {
	for !d.IsWorkday() {
		d = d.AddDays(1)
	}
	return d
}

// PeriodEnd is the last day of a period of n days from d (an appeal's three weeks: n = 21
// from the day the decision was received), moved to the next working day by the rule above.
func (d Date) PeriodEnd(n int) Date { return d.AddDays(n).NextWorkdayFrom() }
