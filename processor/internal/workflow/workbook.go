package workflow

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/yamldoc"
)

// Column kinds of a review workbook.
const (
	ColDate    = "datum"  // a date and time; UTC headings are converted to Swedish time
	ColText    = "text"   // text as exported
	ColAddress = "adress" // one or more e-mail addresses; M365 delivery status (addr##status) is dropped
	ColFolder  = "mapp"   // Inkorg/Skickat; derived from the sender when the export has no folder
)

var colKinds = []string{ColDate, ColText, ColAddress, ColFolder}

// WorkbookSpec declares a case type's review workbook (granskningsbok): the file, its data
// sheet and columns, which headings of raw exports feed each column, and when the workbook
// must exist. The columns Nr (first) and Markering (last) are always there.
type WorkbookSpec struct {
	File     string // fil, e.g. e-postlogg.xlsx
	Sheet    string // blad, e.g. Logg
	Columns  []WorkbookColumn
	From     string // krävs_från: the step from which the workbook must exist
	Until    string // krävs_till: the step after which it is gone (purged)
	Employee string // medarbetarens_adress: path of the employee's address, to tell Inkorg from Skickat
	RawFile  string // råexport_fil: path of the field naming the raw export file
	Block    bool   // känsliga_uppgifter: blockera (true) or varna (false)
	node     *yaml.Node
}

// WorkbookColumn is one data column between Nr and Markering.
type WorkbookColumn struct {
	Name     string   // namn: the column heading in the review workbook
	Kind     string   // typ
	Headings []string // rubriker: headings in raw exports that feed this column
	UTC      []string // utc: those of Headings whose times are UTC
	Width    float64  // bredd: column width in the workbook
	Optional bool     // valfri: the export may lack it (a mapp column is then derived)
}

// Fixed columns of every review workbook.
const (
	ColumnNr    = "Nr"
	ColumnMark  = "Markering"
	MarkPrivate = "P"
)

// Headers returns the workbook's column headings in order: Nr, the declared columns, Markering.
func (w *WorkbookSpec) Headers() []string {
	out := []string{ColumnNr}
	for _, c := range w.Columns {
		out = append(out, c.Name)
	}
	return append(out, ColumnMark)
}

func parseWorkbook(d *yamldoc.Decoder, n *yaml.Node) *WorkbookSpec {
	pairs, ok := d.Mapping(n, "granskningsbok")
	if !ok {
		return nil
	}
	d.Known(pairs, "granskningsbok", []string{"fil", "blad", "kolumner", "krävs_från", "krävs_till", "medarbetarens_adress", "råexport_fil", "känsliga_uppgifter"})
	w := &WorkbookSpec{node: n}
	w.File, _ = d.String(yamldoc.Lookup(pairs, "fil"), "fil")
	w.Sheet, _ = d.String(yamldoc.Lookup(pairs, "blad"), "blad")
	w.From, _ = d.String(yamldoc.Lookup(pairs, "krävs_från"), "krävs_från")
	w.Until, _ = d.String(yamldoc.Lookup(pairs, "krävs_till"), "krävs_till")
	w.Employee, _ = d.String(yamldoc.Lookup(pairs, "medarbetarens_adress"), "medarbetarens_adress")
	w.RawFile, _ = d.String(yamldoc.Lookup(pairs, "råexport_fil"), "råexport_fil")
	switch s, _ := d.String(yamldoc.Lookup(pairs, "känsliga_uppgifter"), "känsliga_uppgifter"); s {
	case "", "varna":
	case "blockera":
		w.Block = true
	default:
		d.Errorf(yamldoc.Lookup(pairs, "känsliga_uppgifter"), RuleTypeFile, "varna eller blockera", "känsliga_uppgifter kan inte vara %q", s)
	}
	if w.File == "" || !strings.HasSuffix(strings.ToLower(w.File), ".xlsx") || strings.ContainsAny(w.File, `/\`) {
		d.Errorf(n, RuleTypeFile, "t.ex. fil: e-postlogg.xlsx (ASCII, i ärendemappen)", "granskningsboken behöver ett filnamn som slutar på .xlsx")
	}
	if w.Sheet == "" {
		d.Errorf(n, RuleTypeFile, "t.ex. blad: Logg", "granskningsboken behöver ett bladnamn")
	}
	cols := yamldoc.Lookup(pairs, "kolumner")
	if cols == nil || cols.Kind != yaml.SequenceNode || len(cols.Content) == 0 {
		d.Errorf(n, RuleTypeFile, "kolumner är en lista: - {namn: Datum, typ: datum, rubriker: [...]}", "granskningsboken saknar kolumner")
		return w
	}
	for _, cn := range cols.Content {
		cp, ok := d.Mapping(cn, "en kolumn")
		if !ok {
			continue
		}
		d.Known(cp, "en kolumn", []string{"namn", "typ", "rubriker", "utc", "bredd", "valfri"})
		c := WorkbookColumn{Width: 20}
		c.Name, _ = d.String(yamldoc.Lookup(cp, "namn"), "namn")
		c.Kind, _ = d.String(yamldoc.Lookup(cp, "typ"), "typ")
		c.Headings, _ = d.Strings(yamldoc.Lookup(cp, "rubriker"), "rubriker")
		c.UTC, _ = d.Strings(yamldoc.Lookup(cp, "utc"), "utc")
		c.Optional = yesNo(d, yamldoc.Lookup(cp, "valfri"), "valfri")
		if wn := yamldoc.Lookup(cp, "bredd"); wn != nil {
			if v, ok := d.Int(wn, "bredd"); ok && v > 0 && v <= 255 {
				c.Width = float64(v)
			}
		}
		switch {
		case c.Name == "" || c.Name == ColumnNr || c.Name == ColumnMark:
			d.Errorf(cn, RuleTypeFile, "Nr och Markering finns alltid; ge övriga kolumner egna namn", "kolumnen behöver ett eget namn")
		case !slices.Contains(colKinds, c.Kind):
			d.Errorf(cn, RuleTypeFile, "kolumntyper: "+strings.Join(colKinds, ", "), "kolumnen %s har okänd typ %q", c.Name, c.Kind)
		case len(c.Headings) == 0:
			d.Errorf(cn, RuleTypeFile, "rubriker: rubrikerna i M365-exporter som ger kolumnen", "kolumnen %s saknar rubriker", c.Name)
		}
		for _, u := range c.UTC {
			if !slices.Contains(c.Headings, u) {
				d.Errorf(cn, RuleTypeFile, "utc listar några av kolumnens rubriker", "utc-rubriken %q finns inte bland kolumnens rubriker", u)
			}
		}
		w.Columns = append(w.Columns, c)
	}
	return w
}

// Column returns the index in Headers() of the first column of kind, or -1.
func (w *WorkbookSpec) Column(kind string) int {
	for i, c := range w.Columns {
		if c.Kind == kind {
			return i + 1
		}
	}
	return -1
}

// DisclosureSpec declares a case type's disclosure (utlämnande): the PDF's title, the
// cover letter template (Markdown, in the type's folder) and the decision step whose
// (approval) date dates the letter and which must be recorded before a PDF is built.
type DisclosureSpec struct {
	Title    string // titel
	Letter   string // brev: file name in templates/<typ>/
	Decision string // beslut: step name
	Created  string // skapad: the step from which the PDF must exist and match its inputs
	// Fields maps the letter's field names to paths in the case (fält).
	Fields []LetterField
	node   *yaml.Node
}

// LetterField is one case value the letter uses.
type LetterField struct {
	Name string
	Path string
	node *yaml.Node
}

func parseDisclosure(d *yamldoc.Decoder, n *yaml.Node) *DisclosureSpec {
	pairs, ok := d.Mapping(n, "utlämnande")
	if !ok {
		return nil
	}
	d.Known(pairs, "utlämnande", []string{"titel", "brev", "beslut", "skapad", "fält"})
	s := &DisclosureSpec{node: n}
	s.Title, _ = d.String(yamldoc.Lookup(pairs, "titel"), "titel")
	s.Letter, _ = d.String(yamldoc.Lookup(pairs, "brev"), "brev")
	s.Decision, _ = d.String(yamldoc.Lookup(pairs, "beslut"), "beslut")
	s.Created, _ = d.String(yamldoc.Lookup(pairs, "skapad"), "skapad")
	if fp, ok := d.Mapping(yamldoc.Lookup(pairs, "fält"), "fält"); ok {
		for _, p := range fp {
			path, _ := d.String(p.Value, p.Key)
			s.Fields = append(s.Fields, LetterField{Name: p.Key, Path: path, node: p.Value})
		}
	}
	if s.Title == "" || s.Letter == "" || s.Decision == "" || strings.ContainsAny(s.Letter, `/\`) {
		d.Errorf(n, RuleTypeFile, "t.ex. utlämnande: {titel: Utlämnande av e-postlogg, brev: brev.md, beslut: sekretessprövad}",
			"utlämnande behöver titel, brev (ett filnamn i ärendetypens mapp) och beslut (ett steg)")
	}
	return s
}

// LockSpec says what the git rules (package gate) freeze in a case, from which step.
type LockSpec struct {
	Released string // utlämnad: from this step the released files and every step up to it are frozen
	Closed   string // avslutad: from this step the case only takes its retention step
	Purged   string // gallrad: the retention step, when the workbook is removed
	node     *yaml.Node
}

func parseLocks(d *yamldoc.Decoder, n *yaml.Node) *LockSpec {
	pairs, ok := d.Mapping(n, "låsning")
	if !ok {
		return nil
	}
	d.Known(pairs, "låsning", []string{"utlämnad", "avslutad", "gallrad"})
	l := &LockSpec{node: n}
	l.Released, _ = d.String(yamldoc.Lookup(pairs, "utlämnad"), "utlämnad")
	l.Closed, _ = d.String(yamldoc.Lookup(pairs, "avslutad"), "avslutad")
	l.Purged, _ = d.String(yamldoc.Lookup(pairs, "gallrad"), "gallrad")
	return l
}
