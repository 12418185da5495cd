package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/textdist"
	"utlamnande/processor/internal/yamldoc"
)

// Rule names of the checks the engine makes on a case.
const (
	RuleMissing     = "fält-saknas"
	RuleValue       = "fält-värde"
	RuleDateFormat  = "datum-format"
	RuleFuture      = "datum-framtid"
	RuleDateOrder   = "datum-ordning"
	RuleUnknownStep = "steg-okänt"
	RuleStepOrder   = "steg-ordning"
	RuleSkipped     = "steg-överhoppat"
	// RuleNotApplicable: a step recorded although its gäller_om does not hold.
	RuleNotApplicable = "steg-gäller-inte"
	RuleSigner        = "signatur"
	RuleApproval      = "godkännande"
	// RuleApprovalBound: an approval names the workbook and raw export it approved.
	RuleApprovalBound = "godkännande-bundet"
)

// Env is what checking a case needs besides the case and its type.
type Env struct {
	Settings *settings.Settings
	Catalog  *provision.Catalog
	Today    date.Date
}

// Value is one decoded value of a case.
type Value struct {
	Field       *Field
	KeyN        *yaml.Node // the key in request.md
	Node        *yaml.Node // the value in request.md (its position)
	Text        string
	Date        date.Date
	Int         int
	List        []string
	Provisions  []ProvisionUse
	Approval    *Approval
	Acks        []Ack
	Mails       []MailDecision // e-postbeslut
	Corrections []Correction
	Group       bool // a grupp that was written (its sub-fields have their own values)
}

// Correction records that a step committed earlier was changed or removed, by whom, when
// and why (rättelser). Whether each change has its correction is checked against history
// by package gate; here only its form is checked.
type Correction struct {
	Step   string
	Date   date.Date
	Signer string
	Reason string
	Node   *yaml.Node
}

// Ack acknowledges a hint at a workbook cell ("Logg!F17") with a reason.
type Ack struct {
	Cell   string
	Reason string
	Node   *yaml.Node
}

// Empty reports whether the value says nothing.
func (v *Value) Empty() bool {
	if v == nil {
		return true
	}
	return v.Text == "" && v.Date.IsZero() && len(v.List) == 0 && len(v.Provisions) == 0 && v.Approval == nil && !v.Group && len(v.Acks) == 0 && len(v.Corrections) == 0
}

// ProvisionUse is one line of a decision's exemption log: a provision and how many masks cite it.
type ProvisionUse struct {
	Ref       provision.Ref
	Provision provision.Provision
	Count     int
	Node      *yaml.Node
}

// Approval is a reviewer's approval of a step (four eyes). For a decision proven against a
// review workbook it binds the exact content approved: the SHA-256 of the masked workbook
// and of the raw export it was proven against.
type Approval struct {
	Date      date.Date
	Signer    string
	Workbook  string // granskningsbok_sha256
	Raw       string // råexport_sha256
	Node      *yaml.Node
	DateN     *yaml.Node
	AvN       *yaml.Node
	WorkbookN *yaml.Node
	RawN      *yaml.Node
}

// Keys of an approval's bound hashes.
const (
	ApprovalWorkbookKey = "granskningsbok_sha256"
	// ApprovalMailKey binds, for a type with e-post, the SHA-256 of the review texts and
	// the decisions (mailcase.MaterialSHA256) instead of a workbook.
	ApprovalMailKey = "e-post_sha256"
	ApprovalRawKey  = "råexport_sha256"
)

// RecordedStep is a step written in the case.
type RecordedStep struct {
	Step      *Step
	KeyN      *yaml.Node
	FileIndex int
	Date      date.Date
	Signer    string
}

// Record is a case decoded against its type.
type Record struct {
	Type   *Type
	Values map[string]*Value
	Order  []string        // paths of Values in file order: rules walk this, never the map
	Steps  []*RecordedStep // in declared order
	// Requested are the requested log rows (e-post.begärda), read once: each Nr once, in
	// the order written; what is not a row number is a finding.
	Requested []int
}

// Value returns the value at path, or nil.
func (r *Record) Value(path string) *Value { return r.Values[path] }

// Recorded returns the recorded step called name.
func (r *Record) Recorded(name string) (*RecordedStep, bool) {
	for _, s := range r.Steps {
		if s.Step.Name == name {
			return s, true
		}
	}
	return nil, false
}

// Last returns the last recorded step in declared order, or nil.
func (r *Record) Last() *RecordedStep {
	if len(r.Steps) == 0 {
		return nil
	}
	return r.Steps[len(r.Steps)-1]
}

// Next returns the next step to record, or nil when every step is done.
func (r *Record) Next() *Step {
	from := 0
	if last := r.Last(); last != nil {
		from = last.Step.Index + 1
	}
	for _, s := range r.Type.Steps[from:] {
		if !r.MayLeaveOut(s) {
			return s
		}
	}
	return nil
}

// MayLeaveOut reports whether step s may be left out of the case: it is optional (valfri),
// its hoppas_över_om holds, or its gäller_om does not.
func (r *Record) MayLeaveOut(s *Step) bool {
	return s.Optional || s.SkipIf != nil && r.holds(s.SkipIf) || !r.Applies(s)
}

// Applies reports whether step s belongs to the case: it has no gäller_om, or it holds.
func (r *Record) Applies(s *Step) bool { return s.AppliesIf == nil || r.holds(s.AppliesIf) }

// DateAt returns the date at path: written, or computed by the field's beräknas.
func (r *Record) DateAt(path string) (date.Date, bool) {
	if v := r.Values[path]; v != nil && !v.Date.IsZero() {
		return v.Date, true
	}
	f, ok := r.Type.byPath[path]
	if !ok || f.Computed == nil || f.Computed.From == "" {
		return date.Date{}, false
	}
	from, ok := r.DateAt(f.Computed.From)
	if !ok {
		return date.Date{}, false
	}
	return r.Type.Periods[f.Computed.Period].After(from), true
}

func (r *Record) holds(c *Condition) bool {
	v := r.Values[c.Path]
	if c.Present {
		return !v.Empty()
	}
	if c.Absent {
		return v.Empty()
	}
	return v != nil && v.Text == c.Equals
}

// checker carries one check's state.
type checker struct {
	d   *yamldoc.Decoder
	env Env
	rec *Record
	c   *casefile.Case
}

// Check decodes case c against type t and applies every rule the type declares, plus the
// engine's own: step order, skipped steps, dates, signers and approvals.
func Check(c *casefile.Case, t *Type, env Env) (*Record, finding.List) {
	k := &checker{d: &yamldoc.Decoder{File: c.File}, env: env, c: c, rec: &Record{Type: t, Values: make(map[string]*Value, len(t.byPath))}}
	k.decodeFields(c.Fields, t.Fields, "front matter", t.topKeys)
	k.decodeSteps()
	k.required(t.Fields, c.Root)
	for _, rs := range k.rec.Steps {
		k.required(rs.Step.Fields, rs.KeyN)
	}
	k.order()
	k.dates()
	k.promptness()
	k.signers()
	k.bindings()
	k.checkMailDecisions()
	return k.rec, k.d.Findings
}

// decodeFields decodes pairs by spec; known lists the keys allowed there (for hints).
func (k *checker) decodeFields(pairs []yamldoc.Pair, spec []*Field, where string, known []string) {
	k.d.Known(pairs, where, known)
	for _, p := range pairs {
		for _, f := range spec {
			if f.Key == p.Key {
				k.decode(f, p.KeyN, p.Value)
			}
		}
	}
}

// isSHA256 reports whether s is 64 hexadecimal digits.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (k *checker) decode(f *Field, key, n *yaml.Node) {
	d := k.d
	v := &Value{Field: f, KeyN: key, Node: n}
	what := f.Key
	switch f.Kind {
	case KindGroup:
		pairs, ok := d.Mapping(n, what)
		if !ok {
			return
		}
		v.Group = len(pairs) > 0
		k.decodeFields(pairs, f.Fields, what, f.keys)
	case KindDate:
		if s, ok := d.String(n, what); ok && s != "" {
			dt, err := date.Parse(s)
			if err != nil {
				d.Errorf(n, RuleDateFormat, "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20", "%s %q är %v", what, s, err)
				v.Text = s // given, though unreadable: not "missing"
			} else {
				v.Date = dt
			}
		}
	case KindInt:
		if i, ok := d.Int(n, what); ok {
			v.Int, v.Text = i, strconv.Itoa(i)
		}
	case KindList:
		v.List, _ = d.Strings(n, what)
		for i, s := range v.List {
			if len(f.Values) > 0 && !slices.Contains(f.Values, s) {
				at := n
				if n.Kind == yaml.SequenceNode && i < len(n.Content) {
					at = n.Content[i]
				}
				k.badChoice(at, what, s, f.Values)
			}
		}
	case KindProvisions:
		v.Provisions = k.provisions(n, what)
	case KindApproval:
		v.Approval = k.approval(n, what)
	case KindAcks:
		v.Acks = k.acks(n, what)
	case KindMailDecisions:
		v.Mails = k.mailDecisions(n, what)
	case KindCorrections:
		v.Corrections = k.corrections(n, what)
	default:
		s, ok := d.String(n, what)
		if !ok || s == "" {
			break
		}
		v.Text = s
		switch f.Kind {
		case KindChoice, KindYesNo:
			if !slices.Contains(f.Values, s) {
				k.badChoice(n, what, s, f.Values)
			}
		case KindSHA256:
			if !isSHA256(s) {
				d.Errorf(n, RuleValue, "SHA-256 skrivs som 64 hexadecimala tecken (0–9, a–f)", "%s %q är ingen SHA-256-summa", what, s)
			}
			v.Text = strings.ToLower(s)
		case KindEmail:
			if !settings.ValidEmail(s) {
				d.Errorf(n, RuleValue, "t.ex. namn@example.se", "%s %q är ingen e-postadress", what, s)
			}
		case KindCaseID:
			if !casefile.IDPattern.MatchString(s) {
				d.Errorf(n, RuleValue, "ärendenummer skrivs ÅÅÅÅ-NNNN, t.ex. 2026-0042", "%s %q är inget ärendenummer", what, s)
			}
		}
	}
	if _, dup := k.rec.Values[f.Path]; !dup {
		k.rec.Order = append(k.rec.Order, f.Path)
	}
	k.rec.Values[f.Path] = v
}

func (k *checker) badChoice(n *yaml.Node, what, s string, allowed []string) {
	hint := "tillåtna värden: " + strings.Join(allowed, ", ")
	if near, ok := textdist.Nearest(s, allowed); ok {
		hint = fmt.Sprintf("menade du %q? %s", near, hint)
	}
	k.d.Errorf(n, RuleValue, hint, "%s kan inte vara %q", what, s)
}

// provisions reads a decision's exemption log: provision reference → number of masks.
func (k *checker) provisions(n *yaml.Node, what string) []ProvisionUse {
	pairs, ok := k.d.Mapping(n, what)
	if !ok {
		return nil
	}
	var out []ProvisionUse
	seen := map[provision.Ref]int{}
	for _, p := range pairs {
		ref, prov, err := k.env.Catalog.Resolve(p.Key)
		if err != nil {
			pe := err.(*provision.ParseError)
			k.d.Errorf(p.KeyN, provision.RuleRef, pe.Hint, "%s", pe.Msg)
			continue
		}
		if prev, dup := seen[ref]; dup {
			k.d.Errorf(p.KeyN, provision.RuleRef, "ange varje bestämmelse en gång med det sammanlagda antalet maskningar",
				"%s står redan på rad %d", ref, prev)
			continue
		}
		seen[ref] = p.KeyN.Line
		count, ok := k.d.Int(p.Value, "antalet maskningar")
		if ok && count == 0 {
			k.d.Errorf(p.Value, RuleValue, "ta bort bestämmelser som inte har använts", "%s anges med 0 maskningar", ref)
		}
		if !ok && yamldoc.IsNull(p.Value) {
			k.d.Errorf(p.KeyN, RuleMissing, "skriv antalet maskningar efter kolonet, t.ex. \"25 kap. 1 § OSL\": 2", "antalet maskningar saknas för %s", ref)
		}
		out = append(out, ProvisionUse{Ref: ref, Provision: prov, Count: count, Node: p.KeyN})
	}
	return out
}

func (k *checker) approval(n *yaml.Node, what string) *Approval {
	pairs, ok := k.d.Mapping(n, what)
	if !ok || len(pairs) == 0 {
		return nil
	}
	materialKey := ApprovalMaterialKey(k.rec.Type)
	k.d.Known(pairs, what, []string{"datum", "av", materialKey, ApprovalRawKey, "anteckning"})
	a := &Approval{Node: n, DateN: yamldoc.Lookup(pairs, "datum"), AvN: yamldoc.Lookup(pairs, "av"),
		WorkbookN: yamldoc.Lookup(pairs, materialKey), RawN: yamldoc.Lookup(pairs, ApprovalRawKey)}
	for _, h := range []struct {
		n   *yaml.Node
		dst *string
		key string
	}{{a.WorkbookN, &a.Workbook, materialKey}, {a.RawN, &a.Raw, ApprovalRawKey}} {
		if h.n == nil {
			continue
		}
		v, _ := k.d.String(h.n, h.key)
		if v != "" && !isSHA256(v) {
			k.d.Errorf(h.n, RuleValue, "64 tecken 0-9 och a-f; låt processor godkänn räkna fram det", "%s %q är ingen SHA-256-summa", h.key, v)
			continue
		}
		*h.dst = v
	}
	if a.DateN == nil {
		k.d.Errorf(n, RuleApproval, "skriv godkänd: {datum: ÅÅÅÅ-MM-DD, av: signatur}", "godkännandet saknar datum")
	} else if s, _ := k.d.String(a.DateN, "datum"); s != "" {
		if dt, err := date.Parse(s); err != nil {
			k.d.Errorf(a.DateN, RuleDateFormat, "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20", "datum %q är %v", s, err)
		} else {
			a.Date = dt
		}
	}
	if a.AvN == nil {
		k.d.Errorf(n, RuleApproval, "skriv godkänd: {datum: ÅÅÅÅ-MM-DD, av: signatur}", "godkännandet saknar signatur (av)")
	} else {
		a.Signer, _ = k.d.String(a.AvN, "av")
	}
	return a
}

// corrections reads a list of {steg, datum, av, skäl}.
func (k *checker) corrections(n *yaml.Node, what string) []Correction {
	if yamldoc.IsNull(n) {
		return nil
	}
	const example = "- {steg: privat_granskad, datum: ÅÅÅÅ-MM-DD, av: signatur, skäl: \"vad som var fel\"}"
	if n.Kind != yaml.SequenceNode {
		k.d.Errorf(n, yamldoc.RuleKind, "skriv en lista: "+example, "%s ska vara en lista", what)
		return nil
	}
	var out []Correction
	for _, item := range n.Content {
		pairs, ok := k.d.Mapping(item, "en rättelse")
		if !ok {
			continue
		}
		k.d.Known(pairs, "en rättelse", []string{"steg", "datum", "av", "skäl"})
		c := Correction{Node: item}
		stepN, dateN, avN := yamldoc.Lookup(pairs, "steg"), yamldoc.Lookup(pairs, "datum"), yamldoc.Lookup(pairs, "av")
		c.Step, _ = k.d.String(stepN, "steg")
		c.Signer, _ = k.d.String(avN, "av")
		c.Reason, _ = k.d.String(yamldoc.Lookup(pairs, "skäl"), "skäl")
		var missing []string
		for _, m := range []struct{ key, val string }{{"steg", c.Step}, {"datum", ""}, {"av", c.Signer}, {"skäl", strings.TrimSpace(c.Reason)}} {
			if m.key == "datum" {
				if dateN == nil || yamldoc.IsNull(dateN) {
					missing = append(missing, m.key)
				}
				continue
			}
			if m.val == "" {
				missing = append(missing, m.key)
			}
		}
		if len(missing) > 0 {
			k.d.Errorf(item, RuleMissing, "en rättelse anger steget, datum, vem och varför: "+example,
				"rättelsen saknar %s", strings.Join(missing, ", "))
		}
		if dateN != nil {
			if s, _ := k.d.String(dateN, "datum"); s != "" {
				if dt, err := date.Parse(s); err != nil {
					k.d.Errorf(dateN, RuleDateFormat, "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20", "datum %q är %v", s, err)
				} else {
					c.Date = dt
					if !k.env.Today.IsZero() && dt.After(k.env.Today) {
						k.d.Errorf(dateN, RuleFuture, "en rättelse dateras den dag den görs", "rättelsen är daterad %s, efter i dag (%s)", dt, k.env.Today)
					}
				}
			}
		}
		if c.Step != "" {
			if _, ok := k.rec.Type.Step(c.Step); !ok {
				hint := "steg: " + strings.Join(k.rec.Type.StepNames(), ", ")
				if near, ok := textdist.Nearest(c.Step, k.rec.Type.StepNames()); ok {
					hint = fmt.Sprintf("menade du %q? %s", near, hint)
				}
				k.d.Errorf(stepN, RuleUnknownStep, hint, "rättelsen gäller steget %q, som inte finns i ärendetypen", c.Step)
			}
		}
		if c.Signer != "" {
			if _, ok := k.env.Settings.Person(c.Signer); !ok {
				hint := "personer som kan signera finns i " + settings.FileName
				if near, ok := textdist.Nearest(c.Signer, k.env.Settings.Signatures()); ok {
					hint = fmt.Sprintf("menade du %q? %s", near, hint)
				}
				k.d.Errorf(avN, RuleSigner, hint, "rättelsen är signerad av %q, som inte finns i %s", c.Signer, settings.FileName)
			}
		}
		out = append(out, c)
	}
	return out
}

// acks reads a list of {cell: Logg!F17, skäl: ...}.
func (k *checker) acks(n *yaml.Node, what string) []Ack {
	if yamldoc.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		k.d.Errorf(n, yamldoc.RuleKind, "skriv en lista: - {cell: Logg!F17, skäl: ...}", "%s ska vara en lista", what)
		return nil
	}
	var out []Ack
	for _, item := range n.Content {
		pairs, ok := k.d.Mapping(item, "en kvittering")
		if !ok {
			continue
		}
		k.d.Known(pairs, "en kvittering", []string{"cell", "skäl"})
		a := Ack{Node: item}
		a.Cell, _ = k.d.String(yamldoc.Lookup(pairs, "cell"), "cell")
		a.Reason, _ = k.d.String(yamldoc.Lookup(pairs, "skäl"), "skäl")
		if a.Cell == "" || a.Reason == "" {
			k.d.Errorf(item, RuleMissing, "en kvittering anger cellen och skälet, t.ex. {cell: Logg!F17, skäl: \"numret är myndighetens växel\"}",
				"kvitteringen saknar cell eller skäl")
			continue
		}
		out = append(out, a)
	}
	return out
}

func (k *checker) decodeSteps() {
	t := k.rec.Type
	for i, p := range k.c.Steps {
		s, ok := t.Step(p.Key)
		if !ok {
			hint := "stegen i " + t.Name + ": " + strings.Join(t.StepNames(), ", ")
			if near, ok := textdist.Nearest(p.Key, t.StepNames()); ok {
				hint = fmt.Sprintf("menade du %q? %s", near, hint)
			}
			k.d.Errorf(p.KeyN, RuleUnknownStep, hint, "ärendetypen %s har inget steg %q", t.Name, p.Key)
			continue
		}
		pairs, ok := k.d.Mapping(p.Value, s.where)
		if !ok {
			continue
		}
		k.decodeFields(pairs, s.Fields, s.where, s.keys)
		rs := &RecordedStep{Step: s, KeyN: p.KeyN, FileIndex: i}
		if v := k.rec.Values[s.datePath]; v != nil {
			rs.Date = v.Date
		}
		if v := k.rec.Values[s.signerPath]; v != nil {
			rs.Signer = v.Text
		}
		k.rec.Steps = append(k.rec.Steps, rs)
	}
	slices.SortStableFunc(k.rec.Steps, func(a, b *RecordedStep) int { return a.Step.Index - b.Step.Index })
}

// required reports required fields that are missing, at the node they belong under.
func (k *checker) required(spec []*Field, at *yaml.Node) {
	for _, f := range spec {
		v := k.rec.Values[f.Path]
		if f.Kind == KindGroup && v != nil && !yamldoc.IsNull(v.Node) {
			k.required(f.Fields, v.Node) // a group written: its own required fields
		}
		need := f.Required || (f.RequiredIf != nil && k.rec.holds(f.RequiredIf))
		if !need || !missing(f, v) {
			continue
		}
		name, where := f.Path, "front matter"
		if rest, ok := strings.CutPrefix(f.Path, "steg."); ok {
			step, field, _ := strings.Cut(rest, ".")
			name, where = field, "steget "+step
		}
		rule := RuleMissing
		switch f.Kind {
		case KindApproval:
			rule = RuleApproval
		case KindSigner:
			rule = RuleSigner
		}
		pos := at
		switch {
		case v != nil && !yamldoc.IsNull(v.Node):
			pos = v.Node // written but empty: point at the value
		case v != nil && v.KeyN != nil:
			pos = v.KeyN // "key:" with nothing after it
		}
		if f.Kind == KindApproval && k.lastStep(f.Path) {
			// Four eyes: the reviewer approves in a commit of her own, after the decision is
			// committed. Until then the case waits; nothing after the step may be recorded.
			k.d.Warnf(pos, rule, "en granskare som inte själv har gjort steget läser granskningsrapporten (processor granska "+k.c.ID+
				"), godkänner med processor godkänn --av SIGNATUR "+k.c.ID+" (som binder den granskade versionen) och checkar in det i en egen commit",
				"%s väntar på godkännande (fyra ögon)", where)
			continue
		}
		k.d.Errorf(pos, rule, k.missingHint(f, name), "%s saknas i %s", name, where)
	}
}

// lastStep reports whether path is a field of the last recorded step.
func (k *checker) lastStep(path string) bool {
	last := k.rec.Last()
	return last != nil && strings.HasPrefix(path, "steg."+last.Step.Name+".")
}

// Approved reports whether the recorded step name has the approval it needs.
func (r *Record) Approved(name string) bool {
	rs, ok := r.Recorded(name)
	if !ok {
		return false
	}
	if !rs.Step.Approval {
		return true
	}
	v := r.Values[rs.Step.approvalPath]
	return v != nil && v.Approval != nil && v.Approval.Signer != "" && !v.Approval.Date.IsZero()
}

// missing reports whether a required field counts as not filled in: absent, null, or an
// empty text or list. A mapping written empty is an answer (bestämmelser: {} means nothing
// was masked), and a value of the wrong form is reported as such, not as missing.
func missing(f *Field, v *Value) bool {
	if v == nil || yamldoc.IsNull(v.Node) {
		return true
	}
	switch f.Kind {
	case KindGroup, KindProvisions:
		return false
	case KindApproval:
		return v.Approval == nil
	}
	return v.Node.Kind == yaml.ScalarNode && strings.TrimSpace(v.Node.Value) == "" ||
		v.Node.Kind == yaml.SequenceNode && len(v.Node.Content) == 0
}

func (k *checker) missingHint(f *Field, name string) string {
	var parts []string
	if f.Title != "" {
		parts = append(parts, f.Title)
	}
	if f.RequiredIf != nil {
		c := f.RequiredIf
		if c.Present {
			parts = append(parts, fmt.Sprintf("krävs när %s är ifyllt", pathText(c.Path)))
		} else {
			parts = append(parts, fmt.Sprintf("krävs när %s är %s", pathText(c.Path), c.Equals))
		}
	}
	switch f.Kind {
	case KindDate:
		parts = append(parts, "skriv "+f.Key+": ÅÅÅÅ-MM-DD")
	case KindText, KindEmail, KindCaseID, KindInt, KindSHA256:
		parts = append(parts, "skriv "+name+" (en tom text räknas som saknad)")
	case KindList:
		parts = append(parts, "skriv "+f.Key+": [a, b]")
	case KindSigner:
		parts = append(parts, "skriv av: och din signatur från "+settings.FileName)
	case KindApproval:
		parts = append(parts, "en granskare som inte själv har gjort steget skriver godkänd: {datum: ÅÅÅÅ-MM-DD, av: signatur} (fyra ögon)")
	case KindChoice, KindYesNo:
		parts = append(parts, "ett av: "+strings.Join(f.Values, ", "))
	case KindProvisions:
		parts = append(parts, "skriv bestämmelse: antal, t.ex. \"25 kap. 1 § OSL\": 2, eller {} om inget maskats")
	}
	return strings.Join(parts, "; ")
}

// order checks that steps are written in declared order and that none is skipped unless
// the type allows it.
func (k *checker) order() {
	steps := k.rec.Steps
	// Written order in the file.
	byFile := slices.Clone(steps)
	slices.SortFunc(byFile, func(a, b *RecordedStep) int { return a.FileIndex - b.FileIndex })
	var latest *RecordedStep
	for _, rs := range byFile {
		if latest != nil && rs.Step.Index < latest.Step.Index {
			k.d.Errorf(rs.KeyN, RuleStepOrder, "skriv stegen i rutinens ordning: "+strings.Join(k.rec.Type.StepNames(), ", "),
				"steget %s står efter %s men kommer före det i rutinen", rs.Step.Name, latest.Step.Name)
			continue
		}
		latest = rs
	}
	if len(steps) == 0 {
		return
	}
	// Skipped steps: every declared step before the last recorded one must be recorded,
	// unless its hoppas_över_om holds.
	recorded := map[string]bool{}
	for _, rs := range steps {
		recorded[rs.Step.Name] = true
	}
	last := steps[len(steps)-1].Step.Index
	for _, rs := range steps {
		if s := rs.Step; !k.rec.Applies(s) {
			k.d.Errorf(rs.KeyN, RuleNotApplicable, "ta bort steget, eller rätta det som avgör om det gäller",
				"steget %s gäller bara när %s är %s", s.Name, pathText(s.AppliesIf.Path), condText(s.AppliesIf))
		}
	}
	for _, s := range k.rec.Type.Steps[:last] {
		if recorded[s.Name] || k.rec.MayLeaveOut(s) {
			continue
		}
		// Report at the first recorded step after the missing one.
		var after *RecordedStep
		for _, rs := range steps {
			if rs.Step.Index > s.Index {
				after = rs
				break
			}
		}
		hint := "registrera steget " + s.Name + " (" + s.Title + ") först"
		if s.SkipIf != nil {
			hint += fmt.Sprintf("; det får bara hoppas över när %s är %s", pathText(s.SkipIf.Path), condText(s.SkipIf))
		}
		if s.AppliesIf != nil {
			hint += fmt.Sprintf("; det gäller när %s är %s", pathText(s.AppliesIf.Path), condText(s.AppliesIf))
		}
		k.d.Errorf(after.KeyN, RuleSkipped, hint, "steget %s saknas före %s", stepLabel(s), after.Step.Name)
	}
}

func condText(c *Condition) string {
	if c.Present {
		return "ifyllt"
	}
	if c.Absent {
		return "inte ifyllt"
	}
	return c.Equals
}

func stepLabel(s *Step) string {
	if s.Routine != "" {
		return fmt.Sprintf("%s (rutinsteg %s)", s.Name, s.Routine)
	}
	return s.Name
}

// dates checks step dates against today and each other, and the type's date constraints.
func (k *checker) dates() {
	var prev *RecordedStep
	for _, rs := range k.rec.Steps {
		if rs.Date.IsZero() {
			continue
		}
		n := k.rec.Values[rs.Step.datePath].Node
		if rs.Date.After(k.env.Today) {
			k.d.Errorf(n, RuleFuture, "ett steg registreras när det är gjort; skriv dagens eller ett tidigare datum",
				"datumet %s för steget %s ligger i framtiden (i dag är det %s)", rs.Date, rs.Step.Name, k.env.Today)
		}
		if prev != nil && rs.Date.Before(prev.Date) {
			k.d.Errorf(n, RuleDateOrder, "ett steg kan inte vara gjort före steget som kommer före det i rutinen",
				"steget %s (%s) är daterat före steget %s (%s)", rs.Step.Name, rs.Date, prev.Step.Name, prev.Date)
		}
		prev = rs
		if v := k.rec.Values[rs.Step.approvalPath]; v != nil && v.Approval != nil && !v.Approval.Date.IsZero() {
			a := v.Approval
			if a.Date.After(k.env.Today) {
				k.d.Errorf(a.DateN, RuleFuture, "skriv dagens eller ett tidigare datum", "godkännandets datum %s ligger i framtiden (i dag är det %s)", a.Date, k.env.Today)
			}
			if a.Date.Before(rs.Date) {
				k.d.Errorf(a.DateN, RuleApproval, "ett beslut godkänns när det är fattat", "godkännandet (%s) är daterat före steget %s (%s)", a.Date, rs.Step.Name, rs.Date)
			}
		}
	}
	for _, p := range k.rec.Order {
		v := k.rec.Values[p]
		f := v.Field
		if v.Date.IsZero() {
			continue
		}
		rule := f.Rule
		if rule == "" {
			rule = RuleDateOrder
		}
		if f.NotBefore != "" {
			if other, ok := k.rec.DateAt(f.NotBefore); ok && v.Date.Before(other) {
				k.d.Errorf(v.Node, rule, "datumet kan inte ligga före "+pathText(f.NotBefore),
					"%s %s är före %s %s", pathText(f.Path), v.Date, pathText(f.NotBefore), other)
			}
		}
		if c := f.Computed; c != nil {
			if from, ok := k.rec.DateAt(c.From); ok {
				want := k.rec.Type.Periods[c.Period].After(from)
				if want != v.Date {
					k.d.Errorf(v.Node, rule, fmt.Sprintf("skriv %s, eller ta bort raden: datumet räknas fram", want),
						"%s %s stämmer inte med %s %s + %s (%s) = %s", pathText(f.Path), v.Date, pathText(c.From), from, c.Period, k.rec.Type.Periods[c.Period], want)
				}
			}
		}
		if c := f.Latest; c != nil {
			if from, ok := k.rec.DateAt(c.From); ok {
				limit := k.rec.Type.Periods[c.Period].After(from)
				if v.Date.After(limit) {
					k.d.Warnf(v.Node, rule, fmt.Sprintf("ärendetypens %s är %s; skriv skälet i anteckning", c.Period, k.rec.Type.Periods[c.Period]),
						"%s %s ligger mer än %s efter %s %s (senast %s)", pathText(f.Path), v.Date, k.rec.Type.Periods[c.Period], pathText(c.From), from, limit)
				}
			}
		}
	}
	k.tested()
}

// tested checks each ja_nej computed from two dates ({datum, senast}): ja exactly when the
// date is not later than the last day. A timeliness review (rättidsprövning, FL 45 §) that
// says an appeal is in time when it is not, or the other way round, is an error.
func (k *checker) tested() {
	for _, p := range k.rec.Order {
		v := k.rec.Values[p]
		c := v.Field.Computed
		if c == nil || c.Date == "" || v.Text == "" {
			continue
		}
		at, ok1 := k.rec.DateAt(c.Date)
		limit, ok2 := k.rec.DateAt(c.Limit)
		if !ok1 || !ok2 {
			continue
		}
		want := "ja"
		if at.After(limit) {
			want = "nej"
		}
		if v.Text != want {
			rule := v.Field.Rule
			if rule == "" {
				rule = RuleDateOrder
			}
			k.d.Errorf(v.Node, rule, fmt.Sprintf("skriv %s: %s %s är %s sista dagen %s", want, pathText(c.Date), at, map[bool]string{true: "efter", false: "inte efter"}[want == "nej"], limit),
				"%s är %s men ska vara %s", pathText(v.Field.Path), v.Text, want)
		}
	}
}

// pathText writes a field path for people: "steg.avslutad.datum" → "avslutad: datum".
func pathText(p string) string {
	if rest, ok := strings.CutPrefix(p, "steg."); ok {
		if s, f, ok := strings.Cut(rest, "."); ok {
			return s + ": " + f
		}
	}
	return p
}

// signers checks that every signature names a person in the settings with the right role,
// and that approvals are by a reviewer other than the signer.
func (k *checker) signers() {
	st := k.env.Settings
	check := func(n *yaml.Node, sig, role, what string) (settings.Person, bool) {
		p, ok := st.Person(sig)
		if !ok {
			hint := "personer som kan signera finns i " + settings.FileName
			if near, ok := textdist.Nearest(sig, st.Signatures()); ok {
				hint = fmt.Sprintf("menade du %q? %s", near, hint)
			}
			k.d.Errorf(n, RuleSigner, hint, "%s är signerat av %q, som inte finns i %s", what, sig, settings.FileName)
			return p, false
		}
		if role != "" && !p.Has(role) {
			k.d.Errorf(n, RuleSigner, "ändra rollerna i "+settings.FileName+" eller låt någon med rollen signera",
				"%s kräver rollen %s, men %s (%s) har den inte", what, role, p.Name, sig)
		}
		return p, true
	}
	for _, p := range k.rec.Order {
		v := k.rec.Values[p]
		if v.Field.Kind != KindSigner || v.Text == "" {
			continue
		}
		what, role := pathText(p), ""
		if step, field, ok := strings.Cut(strings.TrimPrefix(p, "steg."), "."); ok && field == "av" {
			s, _ := k.rec.Type.Step(step)
			what, role = "steget "+step, s.Role
		}
		check(v.Node, v.Text, role, what)
	}
	for _, rs := range k.rec.Steps {
		v := k.rec.Values[rs.Step.approvalPath]
		if v == nil || v.Approval == nil || v.Approval.Signer == "" {
			continue
		}
		a := v.Approval
		p, ok := st.Person(a.Signer)
		switch {
		case !ok:
			check(a.AvN, a.Signer, "", "godkännandet av "+rs.Step.Name)
		case !p.Has(settings.RoleReviewer):
			k.d.Errorf(a.AvN, RuleApproval, "godkännandet ska göras av en person med rollen granskare i "+settings.FileName,
				"%s (%s) är inte granskare och kan inte godkänna steget %s", p.Name, a.Signer, rs.Step.Name)
		case a.Signer == rs.Signer:
			k.d.Errorf(a.AvN, RuleApproval, "fyra ögon: en annan granskare än den som gjort steget ska godkänna",
				"steget %s är godkänt av samma person som gjort det (%s)", rs.Step.Name, a.Signer)
		}
	}
}

// bindings checks that the approval of a decision proven against the review workbook names
// the versions it approved (an approval binds content, not a moment), and that the raw
// export it names is the one whose import is recorded. Whether the files still are those
// versions is checked with the facts (CheckFacts).
func (k *checker) bindings() {
	t := k.rec.Type
	if t.Workbook == nil && t.Mail == nil {
		return
	}
	material := MaterialName(t)
	imported := ""
	for _, p := range k.rec.Order {
		if v := k.rec.Values[p]; v.Field.Matches == FactRawSHA256 && v.Text != "" {
			imported = v.Text
		}
	}
	for _, rs := range k.rec.Steps {
		if !rs.Step.Proof || !rs.Step.Approval {
			continue
		}
		v := k.rec.Values[rs.Step.approvalPath]
		if v == nil || v.Approval == nil || v.Approval.Signer == "" {
			continue
		}
		a := v.Approval
		switch {
		case a.WorkbookN == nil || a.RawN == nil:
			k.d.Errorf(a.Node, RuleApprovalBound, "granskaren godkänner med processor godkänn --av SIGNATUR "+k.c.ID+", som skriver in "+ApprovalMaterialKey(t)+" och "+ApprovalRawKey+" för det hen har granskat",
				"godkännandet av steget %s anger inte vilken version av %s och av råexporten det gäller", rs.Step.Name, material)
		case imported != "" && a.Raw != "" && !strings.EqualFold(a.Raw, imported):
			k.d.Errorf(a.RawN, RuleApprovalBound, "granskaren prövar maskningen mot den importerade råexporten och godkänner på nytt (processor godkänn)",
				"godkännandet gäller en annan råexport (SHA-256 %s…) än den som importerades (%s…)", short(a.Raw), short(imported))
		}
	}
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// ApprovalKey is the key of a step's approval.
const ApprovalKey = "godkänd"

// StepCanon returns a step's content without its approval, and its approval, each in a
// canonical form: what they say, not how they are written (quotes, flow or block style,
// key order, comments).
func StepCanon(n *yaml.Node) (body, approval string) {
	if n == nil || n.Kind != yaml.MappingNode {
		return yamldoc.Canon(n), ""
	}
	rest := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == ApprovalKey {
			approval = yamldoc.Canon(n.Content[i+1])
			continue
		}
		rest.Content = append(rest.Content, n.Content[i], n.Content[i+1])
	}
	return yamldoc.Canon(rest), approval
}

// ApprovalMaterialKey is the approval's key for the SHA-256 of what was masked: the review
// workbook's, or for a type with e-post the review texts' and decisions'.
func ApprovalMaterialKey(t *Type) string {
	if t != nil && t.Mail != nil {
		return ApprovalMailKey
	}
	return ApprovalWorkbookKey
}

// MaterialName names what a type's masking is done in, for messages: the review workbook's
// file, or the folder of review texts.
func MaterialName(t *Type) string {
	switch {
	case t == nil:
		return ""
	case t.Workbook != nil:
		return t.Workbook.File
	case t.Mail != nil:
		return "granskningstexterna i " + t.Mail.Folder + "/"
	}
	return ""
}
