package sensitive

import (
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "kind:text|kind:text"
	}{
		// Skatteverket's test numbers (valid Luhn).
		{"Ang. 811228-9874 remiss", "personnummer:811228-9874"},
		{"pnr 198112289874", "personnummer:198112289874"},
		{"8112289874", "personnummer:8112289874"},
		{"811228+9874 (över 100 år)", "personnummer:811228+9874"},
		{"samordning 701063-2391", "samordningsnummer:701063-2391"},
		{"fel kontrollsiffra 811228-9875", ""},
		{"ingen dag 811232-9874", ""},
		{"fakturanr 1234567890123", ""},
		{"ring 070-123 45 67 i dag", "telefonnummer:070-123 45 67"},
		{"mobil 0701234567", "telefonnummer:0701234567"},
		{"växel 08-123 456 78", "telefonnummer:08-123 456 78"},
		{"+46 70 123 45 67", "telefonnummer:+46 70 123 45 67"},
		{"Möte 2026-11-20 kl 10", ""},
		{"Ärende 2026-0042", ""},
		{"Budget 2027 och 2028", ""},
		{"", ""},
	} {
		var got []string
		for _, m := range Find(tc.in) {
			got = append(got, m.Kind+":"+m.Text)
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("Find(%q) = %v, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add("811228-9874 070-123 45 67")
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range Find(s) {
			if !strings.Contains(s, m.Text) {
				t.Fatalf("match %q not in %q", m.Text, s)
			}
		}
	})
}
