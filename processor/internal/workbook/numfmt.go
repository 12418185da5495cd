package workbook

// Number formats that hide a cell's value. A format has up to four sections separated by
// semicolons: positive numbers; negative; zero; text. The rule here: a format hides a value
// when the section that applies to it has no placeholder for the value – no @ in the text
// section, no digit (0 # ?), date or time code, or General in a number section. So ;;; hides
// everything, ;;;@ every number, 0;-0;0; every text, "" and "   " and ;;;"x" what they apply
// to (a section of literal text shows the text, not the value). With fewer than four
// sections a text is shown as it is. An @ in a number section shows the number as it is.
// A colour in a section ([White], [Color2]) is the colour the value is shown in.

import (
	"strconv"
	"strings"
)

// fmtSection is what one section of a number format shows.
type fmtSection struct {
	value bool   // a placeholder for a number (digit, date, time, General)
	text  bool   // a placeholder for a text (@)
	cond  bool   // a condition such as [>100]
	color xcolor // the colour it sets (set false: none)
}

// fmtSections splits a format code into its sections (at most four) and reads them.
func fmtSections(code string) []fmtSection {
	var out []fmtSection
	var cur fmtSection
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case ';':
			out = append(out, cur)
			cur = fmtSection{}
			if len(out) == 4 {
				return out
			}
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '\\', '_', '*':
			i++ // the next character is literal, a space's width, or the fill character
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			bracket(code[i+1:i+1+j], &cur)
			i += j + 1
		case '@':
			cur.text = true
		case '0', '#', '?':
			cur.value = true
		default:
			if strings.HasPrefix(strings.ToLower(code[i:]), "general") {
				cur.value, cur.text = true, true // General shows numbers, and text in the text section
				i += len("general") - 1
				break
			}
			switch c | 0x20 {
			case 'y', 'm', 'd', 'h', 's', 'e', 'g', 'b':
				cur.value = true // dates and times
			case 'a':
				if strings.HasPrefix(strings.ToUpper(code[i:]), "AM/PM") || strings.HasPrefix(strings.ToUpper(code[i:]), "A/P") {
					cur.value = true
				}
			}
		}
	}
	return append(out, cur)
}

// bracket reads the content of a [...] in a format section.
func bracket(b string, sec *fmtSection) {
	l := strings.ToLower(b)
	switch {
	case l == "":
	case l[0] == '<' || l[0] == '>' || l[0] == '=':
		sec.cond = true
	case l[0] == 'h' || l[0] == 'm' || l[0] == 's': // elapsed time [h], [mm], [ss]
		if strings.Trim(l, string(l[0])) == "" {
			sec.value = true
			return
		}
		fallthrough
	default:
		names := map[string]string{"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00",
			"blue": "0000FF", "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}
		if h, ok := names[l]; ok {
			sec.color = xcolor{set: true, rgb: h, theme: -1, indexed: -1}
		} else if n, err := strconv.Atoi(strings.TrimPrefix(l, "color")); err == nil && strings.HasPrefix(l, "color") && n >= 1 && n <= 56 {
			sec.color = xcolor{set: true, theme: -1, indexed: n + 7}
		}
	}
}

// fmtShows returns whether a value is shown by a format code ("" for General), and the
// colour it is shown in (set false: the font's). text tells a text from a number, v is the
// number.
func fmtShows(code string, text bool, v float64) (shows bool, color xcolor) {
	if code == "" {
		return true, xcolor{}
	}
	secs := fmtSections(code)
	if text {
		switch {
		case len(secs) >= 4:
			return secs[3].text, secs[3].color
		case len(secs) == 1:
			return true, secs[0].color // a one-section format's colour is taken for text too (to be safe)
		}
		return true, xcolor{}
	}
	number := secs[:min(len(secs), 3)]
	for _, s := range number {
		if s.cond { // conditional sections: any that hides, hides
			for _, s := range number {
				if !s.value && !s.text {
					return false, s.color
				}
			}
			for _, s := range number {
				if s.color.set {
					return true, s.color
				}
			}
			return true, xcolor{}
		}
	}
	s := number[0]
	switch {
	case v < 0 && len(number) >= 2:
		s = number[1]
	case v == 0 && len(number) >= 3:
		s = number[2]
	}
	return s.value || s.text, s.color // @ shows a number as it is
}
