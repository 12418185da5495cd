package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as a Markdown table a row per month and case type, then the
// provisions cited.
func (rep *Report) Markdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Statistik över begäranden om allmänna handlingar\n\n")
	switch {
	case rep.From != "" && rep.To != "":
		fmt.Fprintf(&b, "Begäranden mottagna från och med %s till och med %s. ", rep.From, rep.To)
	case rep.From != "":
		fmt.Fprintf(&b, "Begäranden mottagna från och med %s. ", rep.From)
	case rep.To != "":
		fmt.Fprintf(&b, "Begäranden mottagna till och med %s. ", rep.To)
	}
	fmt.Fprintf(&b, "Räknat ur ärendefilerna: %d ärenden. Handläggningstid i svenska arbetsdagar från mottagen till utlämnad.\n\n", rep.Cases)
	b.WriteString("| månad | typ | begäranden | utlämnade | pågående | median (arbetsdagar) | längst | över målet | med maskning | P-rader | ej utlämnade e-post |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %s | %d | %d | %d | %d | %d |\n", r.Month, r.Type, r.Requests, r.Released, r.Open,
			strings.TrimSuffix(fmt.Sprintf("%.1f", r.MedianDays), ".0"), r.WorstDays, r.Late, r.Masked, r.Private, r.Withheld)
	}
	b.WriteString("\n## Tillämpade bestämmelser\n\n| månad | typ | bestämmelse | maskningar | ärenden |\n|---|---|---|---|---|\n")
	for _, r := range rep.Rows {
		for _, p := range r.Provisions {
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", r.Month, r.Type, p.Ref, p.Masks, p.Cases)
		}
	}
	if len(rep.Unread) > 0 {
		fmt.Fprintf(&b, "\nEj med (saknar typ eller mottagen): %s.\n", strings.Join(rep.Unread, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
