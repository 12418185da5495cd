package mask

import (
	"strings"
	"testing"
	"time"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in       string
		segs     string // literal as «text», masks as [canonical]
		problems int
	}{
		{"Ang. patient [25 kap. 1 § OSL], remiss", "«Ang. patient »[25 kap. 1 § OSL]«, remiss»", 0},
		{"[OSL 25:1]", "[25 kap. 1 § OSL]", 0},
		{"[EXTERN] Faktura", "«[EXTERN] Faktura»", 0},
		{"[Ärende 2] om [OSL 39:3 tredje stycket]", "«[Ärende 2] om »[39 kap. 3 § tredje stycket OSL]", 0},
		{"Möte [25 kap 1§] i dag", "«Möte [25 kap 1§] i dag»", 1},
		{"[25 kap. 1 § OSL][21 kap. 3 § OSL]", "[25 kap. 1 § OSL][21 kap. 3 § OSL]", 0},
		{"öppen [ utan slut", "«öppen [ utan slut»", 0},
		{"", "", 0},
	} {
		segs, problems := Split(tc.in)
		var b strings.Builder
		for _, s := range segs {
			if s.Mask {
				b.WriteString("[" + s.Ref.String() + "]")
			} else {
				b.WriteString("«" + s.Text + "»")
			}
		}
		if b.String() != tc.segs || len(problems) != tc.problems {
			t.Errorf("Split(%q) = %s with %d problems, want %s with %d", tc.in, b.String(), len(problems), tc.segs, tc.problems)
		}
	}
}

func TestDerive(t *testing.T) {
	for _, tc := range []struct {
		raw, masked string
		ok          bool
		spans       string
		hidesNone   bool
	}{
		{"Ang. patient Anna A, remiss", "Ang. patient [25 kap. 1 § OSL], remiss", true, "Anna A", false},
		{"Anna A", "[25 kap. 1 § OSL]", true, "Anna A", false},
		{"Ang. patient Anna A och Bo B", "Ang. patient [OSL 25:1] och [OSL 25:1]", true, "Anna A|Bo B", false},
		{"aXbXc", "a[OSL 25:1]b[OSL 25:1]c", true, "X|X", false},
		{"Åsa Öberg sjuk", "[OSL 39:2] sjuk", true, "Åsa Öberg", false},
		{"Nyhetsbrev", "Nyhetsbrev[25 kap. 1 § OSL]", false, "", true},
		{"Ang. patient Anna", "Ang patient [OSL 25:1]", false, "", false},
		{"Ang. patient Anna", "Ang. patient [OSL 25:1] extra", false, "", false},
		{"AB", "[OSL 25:1][OSL 25:1]", true, "A|B", false},
		{"A", "[OSL 25:1][OSL 25:1]", false, "", true},
	} {
		segs, _ := Split(tc.masked)
		spans, ok := Derive(tc.raw, segs)
		if ok != tc.ok || strings.Join(spans, "|") != tc.spans {
			t.Errorf("Derive(%q, %q) = %q %v, want %q %v", tc.raw, tc.masked, spans, ok, tc.spans, tc.ok)
		}
		if got := HidesNothing(tc.raw, segs); got != tc.hidesNone {
			t.Errorf("HidesNothing(%q, %q) = %v", tc.raw, tc.masked, got)
		}
	}
}

// FuzzDerive: masking any non-empty part of any text with a reference always derives back,
// and the spans put back give the raw text.
func FuzzDerive(f *testing.F) {
	f.Add("Ang. patient Anna Andersson, remiss", 13, 27)
	f.Add("[EXTERN] Möte om [budget]", 0, 3)
	f.Fuzz(func(t *testing.T, raw string, from, to int) {
		if from < 0 || to > len(raw) || from >= to || strings.ContainsAny(raw, "[]") {
			return
		}
		if !isBoundary(raw, from) || !isBoundary(raw, to) {
			return
		}
		masked := raw[:from] + "[25 kap. 1 § OSL]" + raw[to:]
		segs, _ := Split(masked)
		spans, ok := Derive(raw, segs)
		if !ok || len(spans) != 1 {
			t.Fatalf("Derive(%q, %q) = %v %v", raw, masked, spans, ok)
		}
		var rebuilt strings.Builder
		i := 0
		for _, s := range segs {
			if s.Mask {
				rebuilt.WriteString(spans[i])
				i++
			} else {
				rebuilt.WriteString(s.Text)
			}
		}
		if rebuilt.String() != raw {
			t.Fatalf("spans do not rebuild the raw text: %q vs %q", rebuilt.String(), raw)
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("Ang. patient [25 kap. 1 § OSL], [EXTERN] [25 kap 1§]")
	f.Fuzz(func(t *testing.T, s string) {
		segs, problems := Split(s)
		var b strings.Builder
		for _, seg := range segs {
			b.WriteString(seg.Text)
		}
		if b.String() != s {
			t.Fatalf("segments do not rebuild the cell: %q vs %q", b.String(), s)
		}
		for _, p := range problems {
			if p.Err == nil || p.Err.Msg == "" || !strings.Contains(s, p.Text) {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

// In the hour that occurs twice when the clocks go back, a workbook's wall clock matches
// the raw export's instant in either occurrence.
func TestSameTimeAcrossTheRepeatedHour(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	cet := time.Date(2026, 10, 25, 1, 2, 0, 0, time.UTC).In(loc) // 02:02 CET, the second 02:02
	fromWorkbook := time.Date(2026, 10, 25, 2, 2, 0, 0, loc)     // time.Date picks the first (CEST)
	if fromWorkbook.Equal(cet) {
		t.Skip("the zone database no longer repeats the hour")
	}
	if !sameTime(fromWorkbook, cet) {
		t.Error("the same wall clock in the repeated hour is reported as a change")
	}
	if sameTime(fromWorkbook, cet.Add(time.Minute)) {
		t.Error("a minute's difference is not seen")
	}
}
