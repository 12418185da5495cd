package workflow

import (
	"fmt"
	"slices"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/yamldoc"
)

// Rule names of the checks that compare the front matter with the case's files.
const (
	RuleWorkbook  = "granskningsbok"
	RuleProof     = "maskbevis"
	RuleExemption = "undantagslogg"
	RuleRaw       = "råexport"
	// RuleApprovalStale: the workbook or raw export is not the version the reviewer approved.
	RuleApprovalStale = "godkännande-inaktuellt"
)

// Facts are what the case's files say, for the rules that compare the front matter with
// them. The engine does not read files: package validate gathers the facts.
type Facts struct {
	Workbook    bool                  // the review workbook exists
	Read        bool                  // and could be read: the counts below are known
	Rows        int                   // its data rows
	Private     int                   // rows marked P
	Provisions  map[provision.Ref]int // masks per provision (section level, as the catalog)
	ProofErrors int                   // errors found by the masking proof and hygiene checks
	RawSHA256   string                // SHA-256 of the raw export when it is present here, else ""
	// WorkbookSHA256 is the SHA-256 of the workbook's bytes, when it was read.
	WorkbookSHA256 string
	// WorkAreaAbsent: the case's working area is not on this machine (a clone without it, CI),
	// so the rules about the workbook while it is worked on cannot be checked here.
	WorkAreaAbsent bool
	// Released: the workbook is the released copy in utlamnande/ (the PDF's step is recorded).
	Released bool
	// WorkbookPath is where the workbook was looked for, relative to the root.
	WorkbookPath string
}

// CheckFacts applies the type's workbook and stämmer_med rules to a checked case, whose
// files gave facts f.
func CheckFacts(c *casefile.Case, rec *Record, f *Facts) finding.List {
	k := &checker{d: &yamldoc.Decoder{File: c.File}, c: c, rec: rec}
	k.checkFacts(f)
	return k.d.Findings
}

func (k *checker) checkFacts(f *Facts) {
	t := k.rec.Type
	fromStep, untilStep, material := "", "", MaterialName(t)
	switch {
	case t.Workbook != nil:
		fromStep, untilStep = t.Workbook.From, t.Workbook.Until
	case t.Mail != nil:
		fromStep, untilStep = t.Mail.From, t.Mail.Until
	}
	if fromStep != "" {
		from, started := k.rec.Recorded(fromStep)
		_, purged := k.rec.Recorded(untilStep)
		switch {
		case !started || purged || f.Workbook:
		case f.Released:
			k.d.Errorf(from.KeyN, RuleWorkbook, "processor build "+k.c.ID+" lägger det godkända ("+material+") i utlämnandet; checka in det med pdf:en",
				"steget %s är registrerat men det utlämnade (%s) saknas", t.Disclosure.Created, f.WorkbookPath)
		case !f.WorkAreaAbsent && t.Mail != nil:
			k.d.Errorf(from.KeyN, RuleWorkbook, "importera e-postmeddelandena med processor import "+k.c.ID+" (den skriver granskningstexterna i arbetsytan) och maska där",
				"steget %s är registrerat men granskningstexterna finns inte i arbetsytan (%s)", fromStep, f.WorkbookPath)
		case !f.WorkAreaAbsent:
			k.d.Errorf(from.KeyN, RuleWorkbook, "importera råexporten med processor import "+k.c.ID+" (den skriver granskningsboken i arbetsytan), markera och maska där",
				"steget %s är registrerat men %s finns inte i arbetsytan (%s)", fromStep, material, f.WorkbookPath)
		}
	}
	k.approvalCurrent(f)
	for _, rs := range k.rec.Steps {
		if rs.Step.Proof && f.Workbook && f.ProofErrors > 0 {
			k.d.Errorf(rs.KeyN, RuleProof, "rätta maskningen i "+material+" först (se fynden för filerna)",
				"steget %s är registrerat men maskningen i %s har %d fel", rs.Step.Name, material, f.ProofErrors)
		}
	}
	for _, p := range k.rec.Order {
		v := k.rec.Values[p]
		if v.Field.Matches == "" || v.Empty() && v.Field.Kind != KindProvisions {
			continue
		}
		file := material
		switch v.Field.Matches {
		case FactRows, FactPrivate:
			if !f.Read || v.Text == "" {
				continue
			}
			want, what := f.Rows, "rader"
			if v.Field.Matches == FactPrivate {
				want, what = f.Private, "rader markerade P"
			}
			if v.Int != want {
				k.d.Errorf(v.Node, RuleWorkbook, fmt.Sprintf("skriv %d, eller rätta %s", want, file),
					"%s är %d men %s har %d %s", pathText(p), v.Int, file, want, what)
			}
		case FactRawSHA256:
			if f.RawSHA256 != "" && v.Text != "" && v.Text != f.RawSHA256 {
				hint := "råexporten får inte ändras efter importen; ta fram den ursprungliga filen eller beställ en ny export och importera om"
				if k.untouchedSince(p, f) {
					hint = "inget är maskerat ännu: importera den igen med processor import " + k.c.ID +
						" (granskningsboken skrivs om och steget uppdateras); var det fel fil, lägg tillbaka den ursprungliga"
				}
				k.d.Errorf(v.Node, RuleRaw, hint,
					"råexporten har ändrats efter importen: här står SHA-256 %s… men filen har %s…", v.Text[:12], f.RawSHA256[:12])
			}
		case FactProvisions, FactMailProvisions:
			if f.Read {
				k.exemptionLog(v, f, file)
			}
		}
	}
}

// CuredByApproval reports whether a finding of rule is resolved by a (new) approval of the
// version as it is (what processor godkänn writes): the approval missing, unbound or stale.
func CuredByApproval(rule string) bool {
	return rule == RuleApproval || rule == RuleApprovalBound || rule == RuleApprovalStale
}

// untouchedSince reports whether nothing has been done since the step holding the field at
// path p: no later step recorded, and the workbook (read) has no mask and no P. Then a
// changed raw export is a new (or a completed) export to import again, not tampering;
// intake decides the same before it re-imports.
func (k *checker) untouchedSince(p string, f *Facts) bool {
	if !f.Read || f.Private > 0 {
		return false
	}
	for _, n := range f.Provisions {
		if n > 0 {
			return false
		}
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(p, "steg."), ".")
	s, ok := k.rec.Type.Step(name)
	if !ok {
		return false
	}
	for _, rs := range k.rec.Steps {
		if rs.Step.Index > s.Index {
			return false
		}
	}
	return true
}

// approvalCurrent checks that the files are the versions the reviewer approved: any change to
// the masked workbook or the raw export after the approval needs a new approval.
func (k *checker) approvalCurrent(f *Facts) {
	t := k.rec.Type
	for _, rs := range k.rec.Steps {
		if !rs.Step.Proof || !rs.Step.Approval {
			continue
		}
		v := k.rec.Values[rs.Step.approvalPath]
		if v == nil || v.Approval == nil {
			continue
		}
		a := v.Approval
		again := "granskaren prövar den nya versionen (processor granska " + k.c.ID + ") och godkänner den med processor godkänn --av SIGNATUR " + k.c.ID +
			"; eller återställ den godkända versionen"
		if f.WorkbookSHA256 != "" && a.Workbook != "" && !strings.EqualFold(a.Workbook, f.WorkbookSHA256) {
			k.d.Errorf(a.WorkbookN, RuleApprovalStale, again,
				"%s har ändrats efter godkännandet av steget %s: godkänd version %s…, nu %s…", MaterialName(t), rs.Step.Name, short(a.Workbook), short(f.WorkbookSHA256))
		}
		if f.RawSHA256 != "" && a.Raw != "" && !strings.EqualFold(a.Raw, f.RawSHA256) {
			k.d.Errorf(a.RawN, RuleApprovalStale, again,
				"råexporten är inte den som maskningen prövades mot när steget %s godkändes: godkänd %s…, nu %s…", rs.Step.Name, short(a.Raw), short(f.RawSHA256))
		}
	}
}

// exemptionLog compares the decision's provisions and counts with the masks in the workbook.
func (k *checker) exemptionLog(v *Value, f *Facts, file string) {
	decided := map[provision.Ref]int{}
	for _, u := range v.Provisions {
		base := u.Ref.Base()
		decided[base] += u.Count
		if got := f.Provisions[base]; got != decided[base] && got > 0 {
			k.d.Errorf(u.Node, RuleExemption, fmt.Sprintf("skriv %d, det antal maskningar som %s har med bestämmelsen", got, file),
				"%s anges med %d maskningar men %s har %d", u.Ref, decided[base], file, got)
		} else if got == 0 {
			k.d.Errorf(u.Node, RuleExemption, "ta bort bestämmelsen ur beslutet, eller maska med den i "+file,
				"%s anges i beslutet men används inte i %s", u.Ref, file)
		}
	}
	var missing []string
	for ref, n := range f.Provisions {
		if _, ok := decided[ref]; !ok {
			missing = append(missing, fmt.Sprintf("\"%s\": %d", ref, n))
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		k.d.Errorf(v.Node, RuleExemption, "lägg till i bestämmelser: "+strings.Join(missing, ", "),
			"%s maskar med bestämmelser som inte står i beslutet", file)
	}
}
