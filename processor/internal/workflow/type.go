// Package workflow is the generic case engine. A case type (templates/<typ>/arendetyp.yaml)
// declares its fields, its steps in order, the fields each step requires, when a step may
// be skipped, which steps need a second person's approval, and its periods (follow-up,
// retention). The engine checks a case's front matter against its type. No case type is
// known to Go code: everything specific lives in the type files.
package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/yamldoc"
)

// TypeFile is the file in each templates/<typ>/ folder that declares the case type.
const TypeFile = "arendetyp.yaml"

// Field kinds a type may declare.
const (
	KindText       = "text"
	KindDate       = "datum"
	KindChoice     = "val"          // one of värden
	KindYesNo      = "ja_nej"       // ja or nej
	KindInt        = "heltal"       // 0 or more
	KindSHA256     = "sha256"       // 64 hex digits
	KindEmail      = "epost"        // an e-mail address
	KindList       = "lista"        // list of texts, optionally from värden
	KindGroup      = "grupp"        // a mapping of sub-fields
	KindProvisions = "bestämmelser" // provision reference → number of masks
	KindSigner     = "signatur"     // a person in the settings
	KindApproval   = "godkännande"  // {datum, av}: a reviewer's approval
	KindCaseID     = "ärende"       // a case id ÅÅÅÅ-NNNN (another case)
	KindAcks       = "kvitteringar" // acknowledged hints: a list of {cell, skäl}
	// KindMailDecisions (e-postbeslut, mail.go): a decision per requested e-mail.
	// KindCorrections is the built-in rättelser: a list of {steg, datum, av, skäl}, each the
	// record of a correction of a step committed earlier. Every type has it (CorrectionsKey).
	KindCorrections = "rättelser"
)

// CorrectionsKey is the front matter key of the corrections every case may have.
const CorrectionsKey = "rättelser"

var kinds = []string{KindText, KindDate, KindChoice, KindYesNo, KindInt, KindSHA256, KindEmail, KindList, KindGroup, KindProvisions, KindSigner, KindCaseID, KindAcks, KindMailDecisions}

// Rule names for problems in type files.
const (
	RuleTypeFile  = "ärendetypsfil"
	RuleAnonymity = "anonymitet"
)

// Type is one case type.
type Type struct {
	Name        string // folder name, written as typ: in request.md
	Title       string // namn, e.g. "Begäran om e-maillogg"
	Description string
	File        string // path of the type file shown in findings
	Periods     map[string]Period
	Fields      []*Field // case-level fields besides ärende, typ, steg, exempel
	Steps       []*Step
	Workbook    *WorkbookSpec   // granskningsbok, or nil when the type has none
	Mail        *MailSpec       // e-post, or nil when the type has no e-mails to review
	Disclosure  *DisclosureSpec // utlämnande, or nil when the type has no PDF
	Locks       *LockSpec       // låsning, or nil: what the git rules freeze, from which step
	Measures    []*Measure      // handläggningstid: handling times in working days
	Decisions   []*DecisionDoc  // beslutshandlingar: written decisions rendered as PDFs
	byPath      map[string]*Field
	topKeys     []string // keys allowed at the top of a front matter, for hints
}

// Step is one declared step.
type Step struct {
	Name    string // key under steg:, e.g. logg_beställd
	Title   string // rubrik
	Routine string // rutinsteg: the step's number in the authority's routine, e.g. "4a"
	Fields  []*Field
	SkipIf  *Condition // hoppas_över_om: the step may be left out when this holds
	// AppliesIf (gäller_om): the step belongs to the case only when this holds; otherwise it
	// is left out, and recording it is an error (e.g. forwarding an appeal found too late).
	AppliesIf *Condition
	Optional  bool   // valfri: the step may always be left out (e.g. a request for a written decision)
	Approval  bool   // kräver_godkännande: a reviewer other than the signer must approve
	Proof     bool   // kräver_maskbevis: the review workbook's masking proof must be clean
	Role      string // roll: the role the signer must have ("" = anyone in the settings)
	Index     int
	node      *yaml.Node
	// Derived once in index, used for every case checked.
	where                              string   // "steget <namn>", for messages
	keys                               []string // the keys allowed in the step
	datePath, signerPath, approvalPath string
}

// Field is one declared field.
type Field struct {
	Key        string
	Path       string // full path: "inkom_via", "medarbetare.namn", "steg.bevakning.bevakas_till"
	Title      string
	Kind       string
	Required   bool
	RequiredIf *Condition
	Values     []string // allowed values for val and lista
	Fields     []*Field // grupp
	NotBefore  string   // inte_före: path of a date this date may not precede
	Computed   *Derived // beräknas: the date follows from another date and a period
	Latest     *Derived // senast: a warning when the date is later than this
	Rule       string   // regel: rule name for this field's date constraints
	Matches    string   // stämmer_med: a fact of the case's files the value must equal
	node       *yaml.Node
	keys       []string // a grupp's sub-field keys
}

// Derived is a date computed as another date plus a named period ({från, tid}), or, for a
// ja_nej field, whether a date is not later than another ({datum, senast}: an appeal's
// timeliness, FL 45 §).
type Derived struct {
	From   string // path of a date
	Period string // name of a period in the type: bevakningstid, gallringstid
	Date   string // path of the date tested
	Limit  string // path of the last day allowed
}

// Condition is a test on one value of the case.
type Condition struct {
	Path    string
	Equals  string // lika_med
	Present bool   // finns: ja, the value is given and not empty
	Absent  bool   // finns: nej, the value is not given or empty
	node    *yaml.Node
}

// Period is a length of time: "7 dagar", "2 veckor", "3 månader".
type Period struct {
	N    int
	Unit string // dagar, veckor, månader
	// LastDayMoves: a time limit for the party (överklagandetid). When its last day is a
	// Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton, the time runs
	// to the next working day (lag (1930:173) om beräkning av lagstadgad tid).
	LastDayMoves bool
}

func (p Period) String() string { return fmt.Sprintf("%d %s", p.N, p.Unit) }

// After returns d plus the period.
func (p Period) After(d date.Date) date.Date {
	var end date.Date
	switch p.Unit {
	case "månader", "månad":
		end = d.AddMonths(p.N)
	case "veckor", "vecka":
		end = d.AddDays(7 * p.N)
	default:
		end = d.AddDays(p.N)
	}
	if p.LastDayMoves {
		end = end.NextWorkdayFrom()
	}
	return end
}

// Periods a type may declare. bevakningstid and gallringstid are the authority's own;
// överklagandetid is the party's time to appeal (three weeks, FL 44 §), whose last day moves
// to the next working day; överlämnandetid is the authority's time to forward an appeal to
// the court (one week, FL 46 §), which does not move.
var periodKeys = []string{"bevakningstid", "gallringstid", "överklagandetid", "överlämnandetid"}

// movingPeriods are the periods whose last day moves off a non-working day.
var movingPeriods = []string{"överklagandetid"}

var periodRe = regexp.MustCompile(`^(\d{1,4})\s+(dag|dagar|vecka|veckor|månad|månader)$`)

// ParsePeriod reads "7 dagar", "2 veckor", "3 månader".
func ParsePeriod(s string) (Period, bool) {
	m := periodRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Period{}, false
	}
	n, _ := strconv.Atoi(m[1])
	return Period{N: n, Unit: m[2]}, n > 0
}

// Step returns the declared step called name.
func (t *Type) Step(name string) (*Step, bool) {
	for _, s := range t.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// StepNames lists the steps in declared order.
func (t *Type) StepNames() []string {
	out := make([]string, len(t.Steps))
	for i, s := range t.Steps {
		out[i] = s.Name
	}
	return out
}

// FieldAt returns the field declared at path.
func (t *Type) FieldAt(path string) (*Field, bool) {
	f, ok := t.byPath[path]
	return f, ok
}

// LoadTypes reads every templates/<typ>/arendetyp.yaml under dir. rel is dir's path as shown
// in findings. A folder without a type file is not a case type (e.g. shared data).
func LoadTypes(dir, rel string) (map[string]*Type, finding.List, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa mallmappen: %w", err)
	}
	types := map[string]*Type{}
	var fs finding.List
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name(), TypeFile))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("kan inte läsa ärendetypen %s: %w", e.Name(), err)
		}
		t, tf := ParseType(e.Name(), rel+"/"+e.Name()+"/"+TypeFile, data)
		fs = append(fs, tf...)
		types[t.Name] = t
	}
	return types, fs, nil
}

var nameRe = regexp.MustCompile(`^[\p{Ll}0-9][\p{Ll}0-9_-]*$`)

// ParseType reads a type file. name is the type's folder name.
func ParseType(name, file string, data []byte) (*Type, finding.List) {
	d := &yamldoc.Decoder{File: file}
	t := &Type{Name: name, File: file, Periods: map[string]Period{}, byPath: map[string]*Field{}}
	root, top, ok := d.ParseMapping(data, 1, "ärendetypen", RuleTypeFile, "ärendetypsfilen är tom", "se README.md, avsnittet Ärendetyper")
	if !ok {
		return t, d.Findings
	}
	d.Known(top, "ärendetypen", []string{"namn", "beskrivning", "rutin", "bevakningstid", "gallringstid", "överklagandetid", "överlämnandetid", "granskningsbok", "e-post", "utlämnande", "låsning", "handläggningstid", "beslutshandlingar", "fält", "steg"})
	t.Title, _ = d.String(yamldoc.Lookup(top, "namn"), "namn")
	if t.Title == "" {
		d.Errorf(root, RuleTypeFile, "t.ex. namn: Begäran om e-maillogg", "ärendetypen saknar namn")
	}
	t.Description, _ = d.String(yamldoc.Lookup(top, "beskrivning"), "beskrivning")
	for _, key := range periodKeys {
		n := yamldoc.Lookup(top, key)
		if n == nil {
			continue
		}
		s, _ := d.String(n, key)
		p, ok := ParsePeriod(s)
		if !ok {
			d.Errorf(n, RuleTypeFile, "skriv t.ex. 7 dagar, 2 veckor eller 3 månader", "%s %q kan inte läsas", key, s)
			continue
		}
		p.LastDayMoves = slices.Contains(movingPeriods, key)
		t.Periods[key] = p
	}
	t.Fields = parseFields(d, yamldoc.Lookup(top, "fält"), "", "fält")
	for _, f := range t.Fields {
		if slices.Contains([]string{"ärende", "typ", "steg", "exempel", CorrectionsKey}, f.Key) {
			d.Errorf(f.node, RuleTypeFile, "ärende, typ, steg, exempel och rättelser finns i alla ärenden", "fältet %q är inbyggt och ska inte deklareras", f.Key)
		}
	}
	// Corrections are the git rules' business (package gate), so every type has them.
	t.Fields = append(t.Fields, &Field{Key: CorrectionsKey, Path: CorrectionsKey, Kind: KindCorrections,
		Title: "Rättelser av registrerade steg", node: root})
	stepsNode := yamldoc.Lookup(top, "steg")
	if yamldoc.IsEmpty(stepsNode) || stepsNode.Kind != yaml.SequenceNode {
		at := root
		if stepsNode != nil {
			at = stepsNode
		}
		d.Errorf(at, RuleTypeFile, "steg är en lista där varje steg inleds med - namn: ...", "ärendetypen saknar steg")
	} else {
		for _, sn := range stepsNode.Content {
			if s := parseStep(d, sn); s != nil {
				if _, dup := t.Step(s.Name); dup {
					d.Errorf(sn, RuleTypeFile, "varje steg har ett eget namn", "steget %q finns redan", s.Name)
					continue
				}
				s.Index = len(t.Steps)
				t.Steps = append(t.Steps, s)
			}
		}
	}
	if n := yamldoc.Lookup(top, "granskningsbok"); n != nil {
		t.Workbook = parseWorkbook(d, n)
	}
	if n := yamldoc.Lookup(top, "e-post"); n != nil {
		t.Mail = parseMail(d, n)
	}
	if n := yamldoc.Lookup(top, "utlämnande"); n != nil {
		t.Disclosure = parseDisclosure(d, n)
	}
	if n := yamldoc.Lookup(top, "låsning"); n != nil {
		t.Locks = parseLocks(d, n)
	}
	t.Measures = parseMeasures(d, yamldoc.Lookup(top, "handläggningstid"))
	t.Decisions = parseDecisions(d, yamldoc.Lookup(top, "beslutshandlingar"))
	t.index(d)
	t.checkReferences(d)
	t.checkMeasures(d)
	return t, d.Findings
}

func parseStep(d *yamldoc.Decoder, n *yaml.Node) *Step {
	pairs, ok := d.Mapping(n, "ett steg")
	if !ok {
		return nil
	}
	d.Known(pairs, "ett steg", []string{"namn", "rubrik", "rutinsteg", "fält", "hoppas_över_om", "gäller_om", "valfri", "kräver_godkännande", "kräver_maskbevis", "roll"})
	s := &Step{node: n}
	s.Name, _ = d.String(yamldoc.Lookup(pairs, "namn"), "namn")
	if !nameRe.MatchString(s.Name) {
		d.Errorf(n, RuleTypeFile, "gemener, siffror, _ och -, t.ex. logg_beställd", "stegnamnet %q går inte att använda", s.Name)
		return nil
	}
	s.Title, _ = d.String(yamldoc.Lookup(pairs, "rubrik"), "rubrik")
	if s.Title == "" {
		d.Errorf(n, RuleTypeFile, "rubriken visas för registratorn och i revisionsloggen", "steget %q saknar rubrik", s.Name)
	}
	s.Routine, _ = d.String(yamldoc.Lookup(pairs, "rutinsteg"), "rutinsteg")
	s.Role, _ = d.String(yamldoc.Lookup(pairs, "roll"), "roll")
	if s.Role != "" && !slices.Contains(settings.Roles, s.Role) {
		d.Errorf(yamldoc.Lookup(pairs, "roll"), RuleTypeFile, strings.Join(settings.Roles, ", "), "okänd roll %q", s.Role)
	}
	s.Approval = yesNo(d, yamldoc.Lookup(pairs, "kräver_godkännande"), "kräver_godkännande")
	s.Proof = yesNo(d, yamldoc.Lookup(pairs, "kräver_maskbevis"), "kräver_maskbevis")
	if c := yamldoc.Lookup(pairs, "hoppas_över_om"); c != nil {
		s.SkipIf = parseCondition(d, c, "hoppas_över_om")
	}
	if c := yamldoc.Lookup(pairs, "gäller_om"); c != nil {
		s.AppliesIf = parseCondition(d, c, "gäller_om")
	}
	s.Optional = yesNo(d, yamldoc.Lookup(pairs, "valfri"), "valfri")
	prefix := "steg." + s.Name + "."
	declared := parseFields(d, yamldoc.Lookup(pairs, "fält"), prefix, "steget "+s.Name)
	// Built-in fields of every step: when (datum), by whom (av), free notes, and the approval.
	builtin := []*Field{
		{Key: "datum", Path: prefix + "datum", Kind: KindDate, Required: true, node: n},
		{Key: "av", Path: prefix + "av", Kind: KindSigner, Required: true, node: n},
		{Key: "anteckning", Path: prefix + "anteckning", Kind: KindText, node: n},
	}
	if s.Approval {
		builtin = append(builtin, &Field{Key: "godkänd", Path: prefix + "godkänd", Kind: KindApproval, Required: true, node: n})
	}
	for _, f := range declared {
		if i := slices.IndexFunc(builtin, func(b *Field) bool { return b.Key == f.Key }); i >= 0 {
			// A step may add constraints to its datum (inte_före, regel), nothing else.
			if f.Key != "datum" || f.Kind != KindDate {
				d.Errorf(f.node, RuleTypeFile, "datum, av, anteckning och godkänd finns i alla steg; datum kan få inte_före och regel",
					"fältet %q är inbyggt i varje steg", f.Key)
				continue
			}
			builtin[i].NotBefore, builtin[i].Rule, builtin[i].Latest = f.NotBefore, f.Rule, f.Latest
			continue
		}
		builtin = append(builtin, f)
	}
	s.Fields = builtin
	return s
}

func parseFields(d *yamldoc.Decoder, n *yaml.Node, prefix, where string) []*Field {
	pairs, ok := d.Mapping(n, where)
	if !ok {
		return nil
	}
	var out []*Field
	for _, p := range pairs {
		if !nameRe.MatchString(p.Key) {
			d.Errorf(p.KeyN, RuleTypeFile, "gemener, siffror, _ och -", "fältnamnet %q går inte att använda", p.Key)
			continue
		}
		f := &Field{Key: p.Key, Path: prefix + p.Key, node: p.KeyN}
		fp, ok := d.Mapping(p.Value, "fältet "+p.Key)
		if !ok {
			continue
		}
		d.Known(fp, "fältet "+p.Key, []string{"typ", "rubrik", "krävs", "krävs_om", "värden", "fält", "inte_före", "beräknas", "senast", "regel", "stämmer_med"})
		f.Kind, _ = d.String(yamldoc.Lookup(fp, "typ"), "typ")
		if f.Kind == "" {
			f.Kind = KindText
		}
		if !slices.Contains(kinds, f.Kind) {
			d.Errorf(yamldoc.Lookup(fp, "typ"), RuleTypeFile, "typer: "+strings.Join(kinds, ", "), "okänd fälttyp %q", f.Kind)
		}
		f.Title, _ = d.String(yamldoc.Lookup(fp, "rubrik"), "rubrik")
		f.Required = yesNo(d, yamldoc.Lookup(fp, "krävs"), "krävs")
		if c := yamldoc.Lookup(fp, "krävs_om"); c != nil {
			f.RequiredIf = parseCondition(d, c, "krävs_om")
		}
		f.Values, _ = d.Strings(yamldoc.Lookup(fp, "värden"), "värden")
		if f.Kind == KindChoice && len(f.Values) == 0 {
			d.Errorf(p.KeyN, RuleTypeFile, "lägg till värden: [a, b]", "fältet %q är ett val men saknar värden", p.Key)
		}
		if f.Kind == KindYesNo {
			f.Values = []string{"ja", "nej"}
		}
		if f.Kind == KindGroup {
			f.Fields = parseFields(d, yamldoc.Lookup(fp, "fält"), f.Path+".", "fältet "+p.Key)
		}
		f.NotBefore, _ = d.String(yamldoc.Lookup(fp, "inte_före"), "inte_före")
		f.Computed = parseDerived(d, yamldoc.Lookup(fp, "beräknas"))
		f.Latest = parseDerived(d, yamldoc.Lookup(fp, "senast"))
		f.Rule, _ = d.String(yamldoc.Lookup(fp, "regel"), "regel")
		f.Matches, _ = d.String(yamldoc.Lookup(fp, "stämmer_med"), "stämmer_med")
		if want, ok := factKinds[f.Matches]; f.Matches != "" && (!ok || want != f.Kind) {
			d.Errorf(yamldoc.Lookup(fp, "stämmer_med"), RuleTypeFile, "möjliga: granskningsbok.rader (heltal), granskningsbok.privata (heltal), granskningsbok.bestämmelser (bestämmelser), råexport.sha256 (sha256)",
				"stämmer_med %q passar inte ett fält av typen %s", f.Matches, f.Kind)
		}
		tested := f.Computed != nil && f.Computed.Date != ""
		switch {
		case tested && f.Kind != KindYesNo:
			d.Errorf(p.KeyN, RuleTypeFile, "beräknas med datum och senast ger ja eller nej", "fältet %q är inte ett ja_nej", p.Key)
		case !tested && (f.NotBefore != "" || f.Computed != nil || f.Latest != nil) && f.Kind != KindDate:
			d.Errorf(p.KeyN, RuleTypeFile, "inte_före, beräknas och senast gäller datumfält", "fältet %q är inte ett datum", p.Key)
		case f.Latest != nil && f.Latest.Date != "":
			d.Errorf(p.KeyN, RuleTypeFile, "senast skrivs {från: …, tid: …}", "senast för fältet %q behöver från och tid", p.Key)
		}
		out = append(out, f)
	}
	return out
}

func parseDerived(d *yamldoc.Decoder, n *yaml.Node) *Derived {
	if n == nil {
		return nil
	}
	pairs, ok := d.Mapping(n, "beräkningen")
	if !ok {
		return nil
	}
	d.Known(pairs, "beräkningen", []string{"från", "tid", "datum", "senast"})
	r := &Derived{}
	r.From, _ = d.String(yamldoc.Lookup(pairs, "från"), "från")
	r.Period, _ = d.String(yamldoc.Lookup(pairs, "tid"), "tid")
	r.Date, _ = d.String(yamldoc.Lookup(pairs, "datum"), "datum")
	r.Limit, _ = d.String(yamldoc.Lookup(pairs, "senast"), "senast")
	dated, tested := r.From != "" || r.Period != "", r.Date != "" || r.Limit != ""
	if dated == tested || dated && (r.From == "" || r.Period == "") || tested && (r.Date == "" || r.Limit == "") {
		d.Errorf(n, RuleTypeFile, "t.ex. {från: steg.avslutad.datum, tid: gallringstid} för ett datum, eller {datum: steg.x.datum, senast: steg.y.sista_dag} för ett ja_nej",
			"beräkningen behöver antingen från och tid, eller datum och senast")
		return nil
	}
	return r
}

func parseCondition(d *yamldoc.Decoder, n *yaml.Node, what string) *Condition {
	pairs, ok := d.Mapping(n, what)
	if !ok {
		return nil
	}
	d.Known(pairs, what, []string{"fält", "lika_med", "finns"})
	c := &Condition{node: n}
	c.Path, _ = d.String(yamldoc.Lookup(pairs, "fält"), "fält")
	c.Equals, _ = d.String(yamldoc.Lookup(pairs, "lika_med"), "lika_med")
	finns := yamldoc.Lookup(pairs, "finns")
	c.Present = yesNo(d, finns, "finns")
	c.Absent = finns != nil && !c.Present
	if c.Path == "" || (c.Equals == "") == (finns == nil) {
		d.Errorf(n, RuleTypeFile, "t.ex. {fält: inkom_via, lika_med: medarbetare} eller {fält: steg.x.y, finns: ja} (eller finns: nej)",
			"villkoret %s behöver fält och antingen lika_med eller finns", what)
		return nil
	}
	return c
}

func yesNo(d *yamldoc.Decoder, n *yaml.Node, what string) bool {
	s, _ := d.String(n, what)
	switch s {
	case "", "nej":
		return false
	case "ja":
		return true
	}
	d.Errorf(n, yamldoc.RuleKind, "skriv ja eller nej", "%s ska vara ja eller nej, inte %q", what, s)
	return false
}

// index derives what checking a case needs again and again: paths, key lists, labels.
func (t *Type) index(d *yamldoc.Decoder) {
	var add func(fs []*Field)
	add = func(fs []*Field) {
		for _, f := range fs {
			t.byPath[f.Path] = f
			f.keys = fieldKeys(f.Fields)
			add(f.Fields)
		}
	}
	add(t.Fields)
	t.topKeys = append([]string{"ärende", "typ", "exempel", "steg"}, fieldKeys(t.Fields)...)
	for _, s := range t.Steps {
		add(s.Fields)
		s.where, s.keys = "steget "+s.Name, fieldKeys(s.Fields)
		prefix := "steg." + s.Name + "."
		s.datePath, s.signerPath, s.approvalPath = prefix+"datum", prefix+"av", prefix+"godkänd"
	}
}

func fieldKeys(fs []*Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key
	}
	return out
}

// checkReferences checks that every path, period and rule a type refers to exists, and that
// the requester's identity is never required (TF 2 kap. 18 §).
func (t *Type) checkReferences(d *yamldoc.Decoder) {
	checkPath := func(n *yaml.Node, path, what string) {
		if path == "" {
			return
		}
		if _, ok := t.byPath[path]; !ok {
			d.Errorf(n, RuleTypeFile, "fält anges som inkom_via, medarbetare.namn eller steg.<steg>.<fält>", "%s pekar på fältet %q som inte finns", what, path)
		}
	}
	checkCond := func(c *Condition, what string) {
		if c != nil {
			checkPath(c.node, c.Path, what)
		}
	}
	checkDerived := func(n *yaml.Node, r *Derived, what string) {
		if r == nil {
			return
		}
		if r.Date != "" {
			checkPath(n, r.Date, what)
			checkPath(n, r.Limit, what)
			return
		}
		checkPath(n, r.From, what)
		if _, ok := t.Periods[r.Period]; !ok {
			d.Errorf(n, RuleTypeFile, "tider: "+strings.Join(periodKeys, ", "), "%s använder tiden %q som ärendetypen inte anger", what, r.Period)
		}
	}
	for _, f := range t.byPath {
		checkCond(f.RequiredIf, "krävs_om")
		checkPath(f.node, f.NotBefore, "inte_före")
		checkDerived(f.node, f.Computed, "beräknas")
		checkDerived(f.node, f.Latest, "senast")
		if strings.HasPrefix(f.Path, "frågeställare.") || f.Path == "frågeställare" {
			if f.Required || f.RequiredIf != nil {
				d.Errorf(f.node, RuleAnonymity, "ta bort krävs: frågeställaren har rätt att vara anonym; myndigheten får inte efterforska vem hen är (2 kap. 18 § TF)",
					"uppgiften %q om frågeställaren får inte vara obligatorisk", f.Path)
			}
		}
	}
	for _, s := range t.Steps {
		checkCond(s.SkipIf, "hoppas_över_om")
		checkCond(s.AppliesIf, "gäller_om")
		if s.Proof && t.Workbook == nil && t.Mail == nil {
			d.Errorf(s.node, RuleTypeFile, "lägg till granskningsbok: eller e-post: i ärendetypen", "steget %s kräver maskbevis men ärendetypen har ingen granskningsbok och inga e-postmeddelanden", s.Name)
		}
	}
	if ds := t.Disclosure; ds != nil {
		if _, ok := t.Step(ds.Decision); ds.Decision != "" && !ok {
			d.Errorf(ds.node, RuleTypeFile, "beslut anger ett steg i ärendetypen", "utlämnandet hänvisar till steget %q som inte finns", ds.Decision)
		}
		if t.Workbook == nil && t.Mail == nil {
			d.Errorf(ds.node, RuleTypeFile, "lägg till granskningsbok: eller e-post:", "utlämnandet behöver en granskningsbok eller e-postmeddelanden")
		}
		for _, f := range ds.Fields {
			checkPath(f.node, f.Path, "utlämnande.fält."+f.Name)
		}
		if _, ok := t.Step(ds.Created); ds.Created != "" && !ok {
			d.Errorf(ds.node, RuleTypeFile, "skapad anger ett steg i ärendetypen", "utlämnandet hänvisar till steget %q som inte finns", ds.Created)
		}
	}
	if l := t.Locks; l != nil {
		for _, step := range []string{l.Released, l.Closed, l.Purged} {
			if _, ok := t.Step(step); step != "" && !ok {
				d.Errorf(l.node, RuleTypeFile, "låsning anger steg i ärendetypen", "låsningen hänvisar till steget %q som inte finns", step)
			}
		}
	}
	t.checkMail(d, checkPath)
	t.checkDecisions(d, checkPath)
	if w := t.Workbook; w != nil {
		for _, step := range []string{w.From, w.Until} {
			if _, ok := t.Step(step); step != "" && !ok {
				d.Errorf(w.node, RuleTypeFile, "krävs_från och krävs_till anger steg i ärendetypen", "granskningsboken hänvisar till steget %q som inte finns", step)
			}
		}
		checkPath(w.node, w.Employee, "medarbetarens_adress")
		checkPath(w.node, w.RawFile, "råexport_fil")
		if w.Column(ColFolder) >= 0 && w.Employee == "" {
			d.Errorf(w.node, RuleTypeFile, "t.ex. medarbetarens_adress: medarbetare.brevlåda", "en mapp-kolumn behöver medarbetarens_adress för att skilja Inkorg från Skickat")
		}
	}
}

// Facts a field can be compared with (stämmer_med), and the field kind each needs.
var factKinds = map[string]string{
	FactRows:       KindInt,
	FactPrivate:    KindInt,
	FactProvisions: KindProvisions,
	FactRawSHA256:  KindSHA256,
	// e-post: counts of the decisions (mail.go); the provisions are FactProvisions.
	FactMailsDecided:   KindInt,
	FactMailsNotPublic: KindInt,
	FactMailProvisions: KindProvisions,
}

// Names of facts.
const (
	FactRows       = "granskningsbok.rader"
	FactPrivate    = "granskningsbok.privata"
	FactProvisions = "granskningsbok.bestämmelser"
	FactRawSHA256  = "råexport.sha256"
)
