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
	Ref      Ref
	Title    string // rubrik, e.g. "Hälso- och sjukvård"
	HarmTest string // skaderekvisit: rakt, omvänt, kvalificerat rakt, absolut, ...
	Line     int    // line in the catalog file
}

// Catalog is the authority's list of provisions, in file order.
type Catalog struct {
	File  string
	List  []Provision
	index map[Ref]int
}

// CatalogHeader is the required first line of the catalog file (tab-separated).
var CatalogHeader = []string{"hänvisning", "rubrik", "skaderekvisit"}

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
// ("25 kap. 1 §<TAB>Hälso- och sjukvård<TAB>omvänt"). Empty lines and lines starting with #
// are skipped. Bad lines are findings; the good ones are kept.
func ParseCatalog(file string, r io.Reader) (*Catalog, finding.List) {
	c := &Catalog{File: file, index: map[Ref]int{}}
	var fs finding.List
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line, header := 0, false
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
			header = true
			if len(cols) < 3 || cols[0] != CatalogHeader[0] || cols[1] != CatalogHeader[1] || cols[2] != CatalogHeader[2] {
				fs.Add(file, line, 1, RuleCatalog, "första raden ska vara kolumnrubrikerna",
					"skriv "+strings.Join(CatalogHeader, " TAB ")+" åtskilda av tabbtecken")
			}
			continue
		}
		if len(cols) != 3 {
			fs.Add(file, line, 1, RuleCatalog, fmt.Sprintf("raden har %d kolumner, ska ha 3", len(cols)),
				"kolumnerna hänvisning, rubrik och skaderekvisit åtskiljs av tabbtecken")
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
		c.List = append(c.List, Provision{Ref: ref, Title: strings.TrimSpace(cols[1]), HarmTest: strings.TrimSpace(cols[2]), Line: line})
	}
	if err := sc.Err(); err != nil {
		fs.Add(file, line+1, 1, RuleCatalog, "filen kan inte läsas till slut: "+err.Error(), "")
	}
	if !header {
		fs.Add(file, 1, 1, RuleCatalog, "katalogen är tom", "lägg till rubrikraden och minst en bestämmelse")
	}
	return c, fs
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
