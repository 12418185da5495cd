package mask

import (
	"slices"
	"strings"
	"testing"
)

func TestSpanIndexFind(t *testing.T) {
	idx := NewSpanIndex([]SpanAt{
		{Text: "Kalle Anka", Cell: "Logg!F2"},
		{Text: "Anka", Cell: "Logg!F3"},
		{Text: " 19121212-1212 ", Cell: "Logg!F4"}, // trimmed
		{Text: "IT", Cell: "Logg!F5"},              // too short to look for
		{Text: "Kalle Anka", Cell: "Logg!F9"},      // the first cell is kept
	})
	cases := []struct {
		text string
		want []string
	}{
		{"inget här", nil},
		{"Möte med Kalle Anka i dag", []string{"Logg!F2"}}, // the longer span, not the shorter inside it
		{"Anka och 19121212-1212", []string{"Logg!F3", "Logg!F4"}},
		{"IT-support", nil},
		{"a\x00b\x00Kalle Anka\x01c", []string{"Logg!F2"}}, // the text's own NUL and SOH bytes
		{"\x001\x01 Anka", []string{"Logg!F3"}},            // a fake marker does not count as a hit
		{"Anka Anka Anka", []string{"Logg!F3"}},            // each span once
	}
	for _, tc := range cases {
		var got []string
		for _, h := range idx.Find(tc.text) {
			got = append(got, h.Cell)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Find(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if !idx.Any([]string{"x", "y Anka"}) || idx.Any([]string{"x", "y"}) {
		t.Error("Any disagrees with Find")
	}
	if NewSpanIndex([]SpanAt{{Text: "ab"}}) != nil {
		t.Error("an index of only short spans should be nil")
	}
	var none *SpanIndex
	if none.Find("Kalle Anka") != nil {
		t.Error("a nil index finds nothing")
	}
}

// Whatever the text, Find reports only spans that are in it, and finds a span that is.
func FuzzSpanIndex(f *testing.F) {
	f.Add("Kalle Anka", "Möte med Kalle Anka")
	f.Add("\x00\x01", "a\x00b\x01")
	f.Add("19121212-1212", "\x000\x01 19121212-1212")
	f.Fuzz(func(t *testing.T, span, text string) {
		idx := NewSpanIndex([]SpanAt{{Text: span, Cell: "Logg!F2"}, {Text: "Kalle Anka", Cell: "Logg!F3"}})
		for _, h := range idx.Find(text) {
			if !strings.Contains(text, h.Text) {
				t.Errorf("Find(%q) reported %q, which is not in it", text, h.Text)
			}
		}
		if strings.Contains(text, "Kalle Anka") && len(idx.Find(text)) == 0 {
			t.Errorf("Find(%q) found nothing", text)
		}
	})
}
