package textdist

import "testing"

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		s    string
		c    []string
		want string
		ok   bool
	}{
		{"motagen", []string{"mottagen", "avslutad"}, "mottagen", true},
		{"epostlogg", []string{"e-post", "e-postlogg"}, "e-postlogg", true},
		{"Reg1", []string{"reg1", "reg2"}, "reg1", true},
		{"xyz", []string{"mottagen"}, "mottagen", false},
		{"a", nil, "", false},
	} {
		got, ok := Nearest(tc.s, tc.c)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Nearest(%q) = %q %v, want %q %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
	if Distance("gallrad", "gallras") != 1 || Distance("åäö", "aao") != 3 || Distance("", "abc") != 3 {
		t.Error("Distance")
	}
}
