package date

import "testing"

// The calendar's cases from the issue and the law, with the real Swedish calendar.
func TestWorkdays(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-12-23", "2026-12-28", 1}, // 24 (julafton), 25, 26 (Saturday), 27 (Sunday) are not working days
		{"2026-12-23", "2026-12-23", 0}, // the same day
		{"2026-11-20", "2026-11-23", 1}, // Friday to Monday
		{"2026-06-18", "2026-06-22", 1}, // midsommarafton 19 June, midsommardagen 20 June
		{"2026-12-30", "2027-01-07", 3}, // nyårsafton, nyårsdagen, trettondagsafton is a working day, trettondedag jul is not
		{"2026-12-28", "2026-12-23", 0}, // not after
	} {
		from, _ := Parse(tc.from)
		to, _ := Parse(tc.to)
		if got := to.WorkdaysSince(from); got != tc.want {
			t.Errorf("%s to %s: %d working days, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestPeriodEnd(t *testing.T) {
	for _, tc := range []struct {
		from string
		days int
		want string
	}{
		{"2026-11-08", 21, "2026-11-30"}, // three weeks end on Sunday 29 November: Monday
		{"2026-11-10", 21, "2026-12-01"}, // a Tuesday stays
		{"2026-12-03", 21, "2026-12-28"}, // 24 December (julafton) + 21: on 24 → 28 (25–27 not working days)
		{"2026-06-01", 18, "2026-06-22"}, // midsommarafton 19 June: Monday 22
	} {
		from, _ := Parse(tc.from)
		if got := from.PeriodEnd(tc.days).String(); got != tc.want {
			t.Errorf("%s + %d days: %s, want %s", tc.from, tc.days, got, tc.want)
		}
	}
	// Months (lag 1930:173): the same date number, or the month's last day.
	d, _ := Parse("2025-11-30")
	if got := d.AddMonths(3).String(); got != "2026-02-28" {
		t.Errorf("2025-11-30 + 3 months = %s, want 2026-02-28", got)
	}
}
