package finding

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{File: "a/request.md", Line: 3, Col: 7, Rule: "r", Message: "fel  här\n", Hint: "gör så"},
			"a/request.md:3:7: r: fel här (tips: gör så)"},
		{Finding{File: "a.tsv", Line: 3, Rule: "r", Severity: Warning, Message: "m"}, "a.tsv:3: r: varning: m"},
		{Finding{File: "e-postlogg.xlsx", Cell: "Logg!F17", Rule: "r", Message: "m"}, "e-postlogg.xlsx:Logg!F17: r: m"},
		{Finding{File: "cases/x", Rule: "r", Message: "m"}, "cases/x: r: m"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestSortedOrdersCellsNaturallyAndDeduplicates(t *testing.T) {
	l := List{
		{File: "b", Line: 1, Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!F10", Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!F9", Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!AA9", Rule: "r", Message: "m"},
		{File: "a", Line: 2, Col: 1, Rule: "r", Message: "m"},
		{File: "b", Line: 1, Rule: "r", Message: "m"},
	}
	var got []string
	for _, f := range l.Sorted() {
		got = append(got, f.Pos())
	}
	want := "a:Logg!F9 a:Logg!AA9 a:Logg!F10 a:2:1 b:1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if l.HasErrors() != true || (List{{Severity: Warning}}).HasErrors() {
		t.Error("HasErrors")
	}
}
