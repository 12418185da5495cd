// Package provision reads references to secrecy provisions in the Public Access to
// Information and Secrecy Act (offentlighets- och sekretesslagen, OSL) as registrators type
// them beside a mask, normalises them to one canonical form ("25 kap. 1 § OSL"), and checks
// them against the authority's provision catalog.
package provision

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Ref is a reference to (a part of) a section of OSL.
type Ref struct {
	Chapter int    // kapitel
	Section int    // paragraf
	Letter  string // "b" in "3 b §", or ""
	Stycke  int    // stycke (paragraph of the section), 0 when not given
	Punkt   int    // punkt (numbered item), 0 when not given
}

// Base returns the section itself, without stycke and punkt: the unit the catalog lists.
func (r Ref) Base() Ref { return Ref{Chapter: r.Chapter, Section: r.Section, Letter: r.Letter} }

// Section returns "25 kap. 1 §", "17 kap. 3 b §" (no stycke, punkt or law name).
func (r Ref) SectionString() string {
	s := fmt.Sprintf("%d kap. %d", r.Chapter, r.Section)
	if r.Letter != "" {
		s += " " + r.Letter
	}
	return s + " §"
}

// String is the canonical form: "25 kap. 1 § OSL", "39 kap. 3 § tredje stycket OSL",
// "18 kap. 8 § p. 3 OSL".
func (r Ref) String() string {
	s := r.SectionString()
	if r.Stycke > 0 {
		if r.Stycke <= len(ordinals) {
			s += " " + ordinals[r.Stycke-1] + " stycket"
		} else {
			s += fmt.Sprintf(" %d st.", r.Stycke)
		}
	}
	if r.Punkt > 0 {
		s += fmt.Sprintf(" p. %d", r.Punkt)
	}
	return s + " OSL"
}

var ordinals = []string{"första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde"}

// ParseError says, in Swedish, why a reference could not be read, with a hint.
type ParseError struct {
	Input string
	Msg   string
	Hint  string
}

func (e *ParseError) Error() string { return e.Msg }

// Parts of a reference after the law name is removed. Case-insensitive; spaces optional
// where unambiguous; "." after "kap" and the "§" may be missing.
const (
	chapterSection = `(\d{1,2})\s*kap(?:\.|itlet)?\s*(\d{1,3})\s*(?:([a-o])\b)?\s*(?:§\s*)?`
	shortSection   = `(\d{1,2})\s*:\s*(\d{1,3})\s*(?:([a-o])\b)?\s*`
	styckePart     = `(?:(första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde)\s*st(?:ycket|\.)?|(\d{1,2})\s*st(?:ycket|\.)?)?\s*`
	punktPart      = `(?:(?:p\.?|punkt)\s*(\d{1,2})|(\d{1,2})\s*p\.)?`
)

var (
	longRe   = regexp.MustCompile(`^` + chapterSection + styckePart + punktPart + `$`)
	shortRe  = regexp.MustCompile(`^` + shortSection + styckePart + punktPart + `$`)
	otherLaw = regexp.MustCompile(`\b(tf|tryckfrihetsförordningen|sekrl|sekretesslagen|gdpr|dataskyddsförordningen|fl|förvaltningslagen|pul)\b`)
)

// Parse reads a reference such as "[25 kap. 1 § OSL]", "25 kap 1 § OSL", "[OSL 25:1]",
// "[OSL 17:3 b]" or "[39 kap. 3 § tredje stycket OSL]". One pair of square brackets is
// optional. It checks only the form; Catalog.Resolve also checks that the provision exists.
func Parse(input string) (Ref, error) {
	s := normalise(input)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	fail := func(msg, hint string) (Ref, error) {
		return Ref{}, &ParseError{Input: input, Msg: msg, Hint: hint}
	}
	if s == "" {
		return fail("tom hänvisning", "skriv bestämmelsen inom hakparenteser, t.ex. [25 kap. 1 § OSL]")
	}
	lower := strings.ToLower(s)
	lower = strings.ReplaceAll(lower, "(2009:400)", "")
	lower = strings.TrimSpace(strings.ReplaceAll(lower, "offentlighets- och sekretesslagen", "osl"))
	var body string
	var re *regexp.Regexp
	switch {
	case strings.HasPrefix(lower, "osl"):
		body = strings.TrimSpace(lower[3:])
		re = shortRe
		if !strings.Contains(body, ":") {
			re = longRe
		}
	case strings.HasSuffix(lower, "osl"):
		body = strings.TrimSpace(lower[:len(lower)-3])
		re = longRe
	default:
		if m := otherLaw.FindString(lower); m != "" {
			return fail(fmt.Sprintf("%q hänvisar inte till offentlighets- och sekretesslagen (%s)", input, m),
				"maskning ska ange en sekretessbestämmelse i OSL (2009:400), t.ex. [25 kap. 1 § OSL]")
		}
		return fail(fmt.Sprintf("%q saknar lagens namn", input),
			"skriv OSL efter paragrafen, t.ex. [25 kap. 1 § OSL], eller kortformen [OSL 25:1]")
	}
	m := re.FindStringSubmatch(body)
	if m == nil {
		return fail(fmt.Sprintf("%q är ingen hänvisning som kan läsas", input),
			"skriv som [25 kap. 1 § OSL], [17 kap. 3 b § OSL], [39 kap. 3 § tredje stycket OSL] eller [OSL 25:1]")
	}
	r := Ref{Letter: m[3]}
	r.Chapter, _ = strconv.Atoi(m[1])
	r.Section, _ = strconv.Atoi(m[2])
	switch {
	case m[4] != "":
		for i, o := range ordinals {
			if o == m[4] {
				r.Stycke = i + 1
			}
		}
	case m[5] != "":
		r.Stycke, _ = strconv.Atoi(m[5])
	}
	switch {
	case m[6] != "":
		r.Punkt, _ = strconv.Atoi(m[6])
	case m[7] != "":
		r.Punkt, _ = strconv.Atoi(m[7])
	}
	if r.Chapter == 0 || r.Section == 0 || (m[5] != "" && r.Stycke == 0) || (m[6]+m[7] != "" && r.Punkt == 0) {
		return fail(fmt.Sprintf("%q innehåller nummer 0", input), "kapitel, paragraf, stycke och punkt räknas från 1")
	}
	return r, nil
}

// normalise turns every kind of space (no-break spaces from Word and Excel, tabs) into one
// ordinary space and trims.
func normalise(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
