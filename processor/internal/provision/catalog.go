package provision

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/textdist"
)

// Rule names for catalog and reference findings.
const (
	RuleCatalog = "bestämmelsekatalog"
	RuleRef     = "bestämmelse"
)

// Provision is one catalog entry: a section of OSL that may be cited beside a mask.
type Provision struct {
	Ref       Ref
	Title     string // rubrik, e.g. "Hälso- och sjukvård"
	HarmTest  string // skaderekvisit: rakt, omvänt, kvalificerat rakt, absolut, ...
	AppliesAt string // gäller_hos: var bestämmelsen gäller, t.ex. "socialtjänst" eller "alla myndigheter"; tom i en katalog med tre kolumner
	Line      int    // line in the catalog file
}

// AllAuthorities is how the catalog's gäller_hos column says that a provision applies at
// every authority, whatever its activity (21 kap. 1 § OSL, for example).
const AllAuthorities = "alla myndigheter"

// Hint is the reviewer's reminder, in Swedish, of where the provision applies: "25 kap. 1 §
// OSL gäller inom hälso- och sjukvård (myndighetens egen): kontrollera att uppgiften finns i
// sådan verksamhet hos myndigheten". It is empty when the catalog does not say where the
// provision applies, or says that it applies at all authorities.
func (p Provision) Hint() string {
	at := strings.TrimSpace(p.AppliesAt)
	if at == "" || strings.HasPrefix(strings.ToLower(at), AllAuthorities) {
		return ""
	}
	return fmt.Sprintf("%s gäller inom %s: kontrollera att uppgiften finns i sådan verksamhet hos myndigheten", p.Ref.Base(), at)
}

// Catalog is the authority's list of provisions, in file order.
type Catalog struct {
	File  string
	List  []Provision
	index map[Ref]int
}

// CatalogHeader is the required first line of the catalog file (tab-separated). A fourth
// column, CatalogAppliesAt, is optional: catalogs written with three columns stay valid.
var CatalogHeader = []string{"hänvisning", "rubrik", "skaderekvisit"}

// CatalogAppliesAt is the name of the optional fourth column: where the provision applies.
const CatalogAppliesAt = "gäller_hos"

// LoadCatalog reads the catalog file at path; name is the path shown in findings.
func LoadCatalog(path, name string) (*Catalog, finding.List, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa bestämmelsekatalogen: %w", err)
	}
	c, fs := ParseCatalog(name, bytes.NewReader(data))
	return c, fs, nil
}

// ParseCatalog reads a tab-separated catalog: a header line, then one provision per line
// ("25 kap. 1 §<TAB>Hälso- och sjukvård<TAB>omvänt", optionally "<TAB>hälso- och sjukvård
// (myndighetens egen)" when the header has the fourth column gäller_hos). Every row has as
// many columns as the header. Empty lines and lines starting with # are skipped. Bad lines
// are findings; the good ones are kept.
func ParseCatalog(file string, r io.Reader) (*Catalog, finding.List) {
	c := &Catalog{File: file, index: map[Ref]int{}}
	var fs finding.List
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line, header := 0, false
	// width is the number of columns every row must have: the header's, 3 or 4; 0 when the
	// header is unusable, and a row may then have either.
	width, headerLine := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if !header {
			header, headerLine = true, line
			width = parseHeader(file, line, cols, &fs)
			continue
		}
		if len(cols) > len(CatalogHeader)+1 {
			fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("raden har %d kolumner, högst %d är tillåtna", len(cols), len(CatalogHeader)+1),
				"kolumnerna hänvisning, rubrik, skaderekvisit och (frivilligt) "+CatalogAppliesAt+" åtskiljs av tabbtecken; ett tabbtecken i en text delar den i två kolumner")
			continue
		}
		if width != 0 && len(cols) != width || width == 0 && len(cols) < len(CatalogHeader) {
			want := width
			if want == 0 {
				want = len(CatalogHeader)
			}
			hint := "kolumnerna hänvisning, rubrik och skaderekvisit åtskiljs av tabbtecken"
			if want > len(CatalogHeader) {
				hint = "kolumnerna hänvisning, rubrik, skaderekvisit och " + CatalogAppliesAt + " åtskiljs av tabbtecken; lämna " + CatalogAppliesAt + " tom efter sista tabbtecknet om den inte är känd"
			} else if len(cols) > want {
				hint = "lägg till kolumnen " + CatalogAppliesAt + " i rubrikraden om raderna ska ange var bestämmelsen gäller"
			}
			msg := fmt.Sprintf("raden har %d kolumner, ska ha %d", len(cols), want)
			if width != 0 {
				msg = fmt.Sprintf("raden har %d kolumner, ska ha %d som rubrikraden (rad %d)", len(cols), want, headerLine)
			}
			fs.Add(file, line, 1, RuleCatalog, msg, hint)
			continue
		}
		ref, err := Parse(cols[0] + " OSL")
		if err != nil {
			fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("hänvisningen %q kan inte läsas", cols[0]), "skriv som 25 kap. 1 §")
			continue
		}
		if ref.Stycke != 0 || ref.Punkt != 0 {
			fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("%q anger stycke eller punkt", cols[0]),
				"katalogen listar hela paragrafer; stycke och punkt anges vid maskningen")
			continue
		}
		if strings.TrimSpace(cols[1]) == "" {
			fs.Add(file, line, len(cols[0])+2, RuleCatalog, fmt.Sprintf("%s saknar rubrik", ref.SectionString()),
				"rubriken visas i utlämnandet bredvid bestämmelsen")
		}
		if prev, dup := c.index[ref]; dup {
			fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("%s finns redan på rad %d", ref.SectionString(), c.List[prev].Line), "ta bort den ena raden")
			continue
		}
		c.index[ref] = len(c.List)
		p := Provision{Ref: ref, Title: strings.TrimSpace(cols[1]), HarmTest: strings.TrimSpace(cols[2]), Line: line}
		if len(cols) > len(CatalogHeader) {
			p.AppliesAt = strings.TrimSpace(cols[len(CatalogHeader)])
		}
		c.List = append(c.List, p)
	}
	if err := sc.Err(); err != nil {
		fs.Add(file, line+1, 1, RuleCatalog, "filen kan inte läsas till slut: "+err.Error(), "")
	}
	if !header {
		fs.Add(file, 1, 1, RuleCatalog, "katalogen är tom", "lägg till rubrikraden och minst en bestämmelse")
	}
	return c, fs
}

// parseHeader checks the header line's columns and returns the number of columns every
// row must have: 3, or 4 with gäller_hos; 0 when the header cannot say.
func parseHeader(file string, line int, cols []string, fs *finding.List) int {
	all := strings.Join(append(append([]string{}, CatalogHeader...), CatalogAppliesAt), " TAB ")
	if len(cols) < len(CatalogHeader) || cols[0] != CatalogHeader[0] || cols[1] != CatalogHeader[1] || cols[2] != CatalogHeader[2] {
		fs.Add(file, line, 1, RuleCatalog, "första raden ska vara kolumnrubrikerna",
			"skriv "+strings.Join(CatalogHeader, " TAB ")+" åtskilda av tabbtecken, eller "+all+" om raderna anger var bestämmelsen gäller")
		return 0
	}
	switch {
	case len(cols) == len(CatalogHeader):
		return len(cols)
	case len(cols) > len(CatalogHeader)+1:
		fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("rubrikraden har %d kolumner, högst %d är tillåtna", len(cols), len(CatalogHeader)+1),
			"skriv "+all+" åtskilda av tabbtecken")
		return 0
	case cols[len(CatalogHeader)] != CatalogAppliesAt:
		fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("fjärde kolumnen heter %q, ska heta %s", cols[len(CatalogHeader)], CatalogAppliesAt),
			"den frivilliga fjärde kolumnen anger var bestämmelsen gäller: skriv "+all+" åtskilda av tabbtecken")
	}
	return len(cols)
}

// Lookup finds the catalog entry for ref's section (stycke and punkt are ignored).
func (c *Catalog) Lookup(ref Ref) (Provision, bool) {
	i, ok := c.index[ref.Base()]
	if !ok {
		return Provision{}, false
	}
	return c.List[i], true
}

// Nearest returns the catalog entry most like ref: in the same chapter the section that
// differs by the fewest typed characters (11 is more likely a slip for 1 than for 7), then
// the numerically closest; in other chapters the closest by spelling.
func (c *Catalog) Nearest(ref Ref) (Provision, bool) {
	best, found := Provision{}, false
	dist := func(p Provision) int {
		if p.Ref.Chapter == ref.Chapter {
			typed := textdist.Distance(strconv.Itoa(p.Ref.Section)+p.Ref.Letter, strconv.Itoa(ref.Section)+ref.Letter)
			d := p.Ref.Section - ref.Section
			return typed*1000 + max(d, -d)*2 + b2i(p.Ref.Letter != ref.Letter)
		}
		return 1000000 + textdist.Distance(p.Ref.SectionString(), ref.Base().SectionString())
	}
	for _, p := range c.List {
		if !found || dist(p) < dist(best) {
			best, found = p, true
		}
	}
	return best, found
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Resolve parses s and checks that the provision is in the catalog. The error is a
// *ParseError whose hint names the nearest catalog entry when the provision is unknown.
func (c *Catalog) Resolve(s string) (Ref, Provision, error) {
	ref, err := Parse(s)
	if err != nil {
		return Ref{}, Provision{}, err
	}
	p, ok := c.Lookup(ref)
	if !ok {
		hint := "lägg till bestämmelsen i " + c.File + " om myndigheten ska kunna använda den"
		if near, ok := c.Nearest(ref); ok {
			hint = fmt.Sprintf("menade du %s (%s)? annars: %s", near.Ref, near.Title, hint)
		}
		return ref, Provision{}, &ParseError{Input: s, Msg: fmt.Sprintf("%s finns inte i bestämmelsekatalogen", ref), Hint: hint}
	}
	return ref, p, nil
}
