package date

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2026-11-20", true},
		{"2024-02-29", true},
		{"2026-02-29", false},
		{"2026-13-01", false},
		{"2026-1-1", false},
		{"20/11/2026", false},
		{"2026-11-20 10:00", false},
		{"2026-11-20T00:00:00Z", false},
		{"", false},
	} {
		d, err := Parse(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("Parse(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
		}
		if tc.ok && d.String() != tc.in {
			t.Errorf("Parse(%q).String() = %q", tc.in, d.String())
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct{ from, want string }{
		{"2026-11-20", "2027-02-20"},
		{"2026-11-30", "2027-02-28"},
		{"2027-11-30", "2028-02-29"},
		{"2026-10-31", "2027-01-31"},
		{"2026-12-31", "2027-03-31"},
	} {
		d, _ := Parse(tc.from)
		if got := d.AddMonths(3).String(); got != tc.want {
			t.Errorf("%s + 3 months = %s, want %s", tc.from, got, tc.want)
		}
	}
}
