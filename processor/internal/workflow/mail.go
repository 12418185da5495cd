package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/yamldoc"
)

// MailSpec declares a case type's e-mails (e-post:): the requested e-mails of a released log
// are imported from the working area's export folder into one review text each
// (<Folder>/NNNN.txt, NNNN the log's Nr), masked there, and decided one by one in the front
// matter (KindMailDecisions). The approved texts of the released e-mails enter git with the
// PDF; the texts of withheld e-mails never do.
type MailSpec struct {
	Folder    string // mapp: the review texts' folder in the working area and in utlamnande/
	From      string // krävs_från: the import step; from it the texts must exist
	Until     string // krävs_till: the step after which they are gone (purged)
	LogCase   string // logg_ärende: path of the field naming the case whose log was released
	Requested string // begärda: path of the list of requested log rows (Nr)
	Employee  string // medarbetarens_adress: path of the employee's address
	Decisions string // beslut: path of the decisions field (KindMailDecisions)
	DecideBy  string // beslutas_senast: the step from which every requested e-mail has a decision
	// Information (upplysning) is the path of the field that must say ja when anything is
	// withheld: the requester is told of the right to a written decision (6 kap. 3 § OSL; a
	// refusal because an e-mail is not a public document is a refusal too).
	Information string
	Reasons     []Reason // skäl: why an e-mail or an attachment may be withheld
	node        *yaml.Node
}

// Reason is one ground for withholding an e-mail or an attachment.
type Reason struct {
	Key       string // privat, utkast, ej_upprättad, annan_egenskap, sekretess
	Title     string // rubrik: for the letter, e.g. "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"
	NotPublic bool   // allmän_handling: nej: not a public document (counted in ej_allmän_handling)
	Provision bool   // bestämmelse: ja: secret in full, the decision names the provision
	node      *yaml.Node
}

// Reason returns the type's reason key.
func (m *MailSpec) Reason(key string) (*Reason, bool) {
	for i := range m.Reasons {
		if m.Reasons[i].Key == key {
			return &m.Reasons[i], true
		}
	}
	return nil, false
}

func (m *MailSpec) reasonKeys() []string {
	out := make([]string, len(m.Reasons))
	for i, r := range m.Reasons {
		out[i] = r.Key
	}
	return out
}

// Decisions on an e-mail or an attachment.
const (
	DecRelease  = "lämnas_ut"        // released as it is
	DecMasked   = "lämnas_ut_maskad" // released with masks (the review text has them)
	DecWithhold = "lämnas_inte_ut"   // withheld, with a reason (skäl)
)

// KindMailDecisions is a list of decisions, one per requested e-mail:
// {nr, beslut, skäl, bestämmelse, bilagor: [{nr, beslut, skäl, bestämmelse}]}.
const KindMailDecisions = "e-postbeslut"

// Facts of the e-mail decisions a count field can be compared with (stämmer_med).
const (
	FactMailsDecided   = "e-postbeslut.prövade"            // e-mails with a decision
	FactMailsNotPublic = "e-postbeslut.ej_allmän_handling" // withheld as not public documents
	// FactMailProvisions is FactProvisions for e-post: the masks in the review texts and the
	// e-mails and attachments withheld for secrecy, per provision.
	FactMailProvisions = "e-post.bestämmelser"
)

// MailDecision is the decision on one e-mail.
type MailDecision struct {
	Nr          int
	Decision    string
	Reason      string
	Provision   provision.Ref // for a reason that needs one
	Attachments []AttachmentDecision
	Node        *yaml.Node
	NrN         *yaml.Node
}

// AttachmentDecision is the decision on one attachment (Nr as the review text lists it).
type AttachmentDecision struct {
	Nr        int
	Decision  string
	Reason    string
	Provision provision.Ref
	Node      *yaml.Node
}

// Released reports whether the e-mail is released (with or without masks).
func (m MailDecision) Released() bool { return m.Decision == DecRelease || m.Decision == DecMasked }

// Attachment returns the decision on attachment nr.
func (m MailDecision) Attachment(nr int) (AttachmentDecision, bool) {
	for _, a := range m.Attachments {
		if a.Nr == nr {
			return a, true
		}
	}
	return AttachmentDecision{}, false
}

func parseMail(d *yamldoc.Decoder, n *yaml.Node) *MailSpec {
	pairs, ok := d.Mapping(n, "e-post")
	if !ok {
		return nil
	}
	d.Known(pairs, "e-post", []string{"mapp", "krävs_från", "krävs_till", "logg_ärende", "begärda", "medarbetarens_adress", "beslut", "beslutas_senast", "upplysning", "skäl"})
	m := &MailSpec{node: n}
	for _, f := range []struct {
		key string
		dst *string
	}{{"mapp", &m.Folder}, {"krävs_från", &m.From}, {"krävs_till", &m.Until}, {"logg_ärende", &m.LogCase}, {"begärda", &m.Requested},
		{"medarbetarens_adress", &m.Employee}, {"beslut", &m.Decisions}, {"beslutas_senast", &m.DecideBy}, {"upplysning", &m.Information}} {
		*f.dst, _ = d.String(yamldoc.Lookup(pairs, f.key), f.key)
	}
	if m.Folder == "" || strings.ContainsAny(m.Folder, `/\.`) {
		d.Errorf(n, RuleTypeFile, "t.ex. mapp: e-post", "e-post behöver mapp, ett mappnamn utan / och punkt")
	}
	if rp, ok := d.Mapping(yamldoc.Lookup(pairs, "skäl"), "skäl"); ok {
		for _, p := range rp {
			rpairs, ok := d.Mapping(p.Value, "skälet "+p.Key)
			if !ok {
				continue
			}
			d.Known(rpairs, "skälet "+p.Key, []string{"rubrik", "allmän_handling", "bestämmelse"})
			r := Reason{Key: p.Key, node: p.KeyN}
			r.Title, _ = d.String(yamldoc.Lookup(rpairs, "rubrik"), "rubrik")
			if s, _ := d.String(yamldoc.Lookup(rpairs, "allmän_handling"), "allmän_handling"); s == "nej" {
				r.NotPublic = true
			}
			if s, _ := d.String(yamldoc.Lookup(rpairs, "bestämmelse"), "bestämmelse"); s == "ja" {
				r.Provision = true
			}
			if r.Title == "" {
				d.Errorf(p.KeyN, RuleTypeFile, "t.ex. privat: {rubrik: \"Uteslutande privat; inte allmän handling (2 kap. 8 § TF)\", allmän_handling: nej}",
					"skälet %s saknar rubrik (texten i brevet)", p.Key)
			}
			m.Reasons = append(m.Reasons, r)
		}
	}
	if len(m.Reasons) == 0 {
		d.Errorf(n, RuleTypeFile, "skäl: {privat: {rubrik: ..., allmän_handling: nej}, sekretess: {rubrik: ..., bestämmelse: ja}}",
			"e-post behöver skäl för att inte lämna ut")
	}
	return m
}

func (t *Type) checkMail(d *yamldoc.Decoder, checkPath func(n *yaml.Node, path, what string)) {
	m := t.Mail
	if m == nil {
		return
	}
	for _, step := range []string{m.From, m.Until, m.DecideBy} {
		if _, ok := t.Step(step); step != "" && !ok {
			d.Errorf(m.node, RuleTypeFile, "krävs_från, krävs_till och beslutas_senast anger steg i ärendetypen", "e-post hänvisar till steget %q som inte finns", step)
		}
	}
	checkPath(m.node, m.LogCase, "logg_ärende")
	checkPath(m.node, m.Requested, "begärda")
	checkPath(m.node, m.Employee, "medarbetarens_adress")
	checkPath(m.node, m.Decisions, "beslut")
	checkPath(m.node, m.Information, "upplysning")
	if f, ok := t.byPath[m.Decisions]; ok && f.Kind != KindMailDecisions {
		d.Errorf(m.node, RuleTypeFile, "fältet ska ha typ: "+KindMailDecisions, "e-post.beslut pekar på %s, som inte är av typen %s", m.Decisions, KindMailDecisions)
	}
	if t.Workbook != nil {
		d.Errorf(m.node, RuleTypeFile, "en ärendetyp har antingen granskningsbok eller e-post", "ärendetypen har både granskningsbok och e-post")
	}
}

// mailDecisions reads the decisions on the requested e-mails.
func (k *checker) mailDecisions(n *yaml.Node, what string) []MailDecision {
	if yamldoc.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		k.d.Errorf(n, yamldoc.RuleKind, "skriv en lista: - {nr: 7, beslut: lämnas_ut}", "%s ska vara en lista", what)
		return nil
	}
	m := k.rec.Type.Mail
	var out []MailDecision
	seen := map[int]int{}
	for _, item := range n.Content {
		pairs, ok := k.d.Mapping(item, "ett beslut")
		if !ok {
			continue
		}
		k.d.Known(pairs, "ett beslut", []string{"nr", "beslut", "skäl", "bestämmelse", "bilagor"})
		md := MailDecision{Node: item, NrN: yamldoc.Lookup(pairs, "nr")}
		var ok2 bool
		md.Nr, md.Decision, md.Reason, md.Provision, ok2 = k.oneDecision(item, pairs, m, "e-postmeddelandet", true)
		if !ok2 {
			continue
		}
		if prev, dup := seen[md.Nr]; dup {
			k.d.Errorf(md.NrN, RuleValue, "ett beslut per e-postmeddelande", "e-postmeddelande nr %d har redan ett beslut (rad %d)", md.Nr, prev)
			continue
		}
		seen[md.Nr] = item.Line
		if an := yamldoc.Lookup(pairs, "bilagor"); an != nil && !yamldoc.IsNull(an) {
			if an.Kind != yaml.SequenceNode {
				k.d.Errorf(an, yamldoc.RuleKind, "skriv en lista: - {nr: 1, beslut: lämnas_ut}", "bilagor ska vara en lista")
			} else {
				aseen := map[int]bool{}
				for _, ai := range an.Content {
					apairs, ok := k.d.Mapping(ai, "ett beslut om en bilaga")
					if !ok {
						continue
					}
					k.d.Known(apairs, "ett beslut om en bilaga", []string{"nr", "beslut", "skäl", "bestämmelse"})
					ad := AttachmentDecision{Node: ai}
					if ad.Nr, ad.Decision, ad.Reason, ad.Provision, ok = k.oneDecision(ai, apairs, m, "bilagan", false); !ok {
						continue
					}
					if aseen[ad.Nr] {
						k.d.Errorf(ai, RuleValue, "ett beslut per bilaga", "bilaga %d till e-postmeddelande nr %d har redan ett beslut", ad.Nr, md.Nr)
						continue
					}
					aseen[ad.Nr] = true
					md.Attachments = append(md.Attachments, ad)
				}
			}
		}
		if md.Decision == DecWithhold && len(md.Attachments) > 0 {
			for _, a := range md.Attachments {
				if a.Decision != DecWithhold {
					k.d.Errorf(a.Node, RuleValue, "ett e-postmeddelande som inte lämnas ut lämnas ut utan sina bilagor; ta bort bilagornas beslut eller pröva meddelandet igen",
						"bilaga %d lämnas ut men e-postmeddelande nr %d gör det inte", a.Nr, md.Nr)
				}
			}
		}
		out = append(out, md)
	}
	return out
}

// oneDecision reads nr, beslut, skäl and bestämmelse of a decision on an e-mail (masked: the
// masked decision is allowed) or an attachment.
func (k *checker) oneDecision(item *yaml.Node, pairs []yamldoc.Pair, m *MailSpec, what string, masked bool) (nr int, dec, reason string, ref provision.Ref, ok bool) {
	nrN := yamldoc.Lookup(pairs, "nr")
	nr, ok = k.d.Int(nrN, "nr")
	if !ok || nr < 1 {
		if ok || nrN == nil {
			k.d.Errorf(item, RuleMissing, "varje beslut anger nr: Nr i den utlämnade e-postloggen för ett e-postmeddelande, bilagans nummer i granskningstexten för en bilaga",
				"beslutet om %s saknar nr (ett heltal från 1)", what)
		}
		return 0, "", "", ref, false
	}
	allowed := []string{DecRelease, DecMasked, DecWithhold}
	if !masked {
		allowed = []string{DecRelease, DecWithhold}
	}
	decN := yamldoc.Lookup(pairs, "beslut")
	dec, _ = k.d.String(decN, "beslut")
	switch {
	case dec == "":
		k.d.Errorf(item, RuleMissing, "beslut: "+strings.Join(allowed, ", "), "beslutet om %s nr %d saknar beslut", what, nr)
		return 0, "", "", ref, false
	case !slices.Contains(allowed, dec):
		k.badChoice(decN, "beslut", dec, allowed)
		return 0, "", "", ref, false
	}
	reasonN := yamldoc.Lookup(pairs, "skäl")
	reason, _ = k.d.String(reasonN, "skäl")
	refN := yamldoc.Lookup(pairs, "bestämmelse")
	refText, _ := k.d.String(refN, "bestämmelse")
	if dec != DecWithhold {
		if reason != "" || refText != "" {
			k.d.Errorf(item, RuleValue, "skäl och bestämmelse anges bara när något inte lämnas ut; en maskning anger sin bestämmelse i texten",
				"%s nr %d lämnas ut men har skäl eller bestämmelse", what, nr)
		}
		return nr, dec, "", ref, true
	}
	if m == nil {
		return nr, dec, reason, ref, true
	}
	r, known := m.Reason(reason)
	switch {
	case reason == "":
		k.d.Errorf(item, RuleMissing, "skäl: "+strings.Join(m.reasonKeys(), ", "), "%s nr %d lämnas inte ut men saknar skäl", what, nr)
		return 0, "", "", ref, false
	case !known:
		k.badChoice(reasonN, "skäl", reason, m.reasonKeys())
		return 0, "", "", ref, false
	}
	switch {
	case r.Provision && refText == "":
		k.d.Errorf(item, RuleMissing, "ange bestämmelsen, t.ex. bestämmelse: 25 kap. 1 § OSL (2 kap. 20 § TF: det som inte lämnas ut på grund av sekretess anger bestämmelsen)",
			"%s nr %d lämnas inte ut på grund av %s men anger ingen bestämmelse", what, nr, reason)
		return 0, "", "", ref, false
	case !r.Provision && refText != "":
		k.d.Errorf(refN, RuleValue, "en bestämmelse anges bara för sekretess", "%s nr %d: skälet %s tar ingen bestämmelse", what, nr, reason)
	case r.Provision:
		parsed, _, err := k.env.Catalog.Resolve("[" + refText + "]")
		if err != nil {
			pe, _ := err.(*provision.ParseError)
			msg, hint := err.Error(), ""
			if pe != nil {
				msg, hint = pe.Msg, pe.Hint
			}
			k.d.Errorf(refN, provision.RuleRef, hint, "%s nr %d: %s", what, nr, msg)
			return 0, "", "", ref, false
		}
		ref = parsed
	}
	return nr, dec, reason, ref, true
}

// checkMailDecisions compares the decisions with the request: each decided e-mail is a
// requested one, and from the step DecideBy every requested e-mail has a decision. The
// counts of the fields compared with the decisions (stämmer_med) must agree.
func (k *checker) checkMailDecisions() {
	m := k.rec.Type.Mail
	if m == nil {
		return
	}
	dv := k.rec.Values[m.Decisions]
	var decided []MailDecision
	if dv != nil {
		decided = dv.Mails
	}
	requested := map[int]bool{}
	var order []int
	if rv := k.rec.Values[m.Requested]; rv != nil {
		for i, s := range rv.List {
			at := rv.Node
			if rv.Node != nil && rv.Node.Kind == yaml.SequenceNode && i < len(rv.Node.Content) {
				at = rv.Node.Content[i]
			}
			nr, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || nr < 1 {
				k.d.Errorf(at, RuleValue, "begärda e-postmeddelanden anges med sitt Nr i den utlämnade e-postloggen, t.ex. [7, 12]", "%q är inget radnummer", s)
				continue
			}
			if requested[nr] {
				k.d.Errorf(at, RuleValue, "ta bort dubbletten", "nr %d står två gånger", nr)
				continue
			}
			requested[nr] = true
			order = append(order, nr)
		}
	}
	k.rec.Requested = order
	has := map[int]bool{}
	for _, md := range decided {
		has[md.Nr] = true
		if len(requested) > 0 && !requested[md.Nr] {
			k.d.Errorf(md.NrN, RuleMailDecision, "ta bort beslutet, eller lägg till "+strconv.Itoa(md.Nr)+" i "+pathText(m.Requested),
				"e-postmeddelande nr %d är inte begärt", md.Nr)
		}
	}
	if rs, ok := k.rec.Recorded(m.DecideBy); ok && m.DecideBy != "" {
		var missing []string
		for _, nr := range order {
			if !has[nr] {
				missing = append(missing, strconv.Itoa(nr))
			}
		}
		if len(missing) > 0 {
			at := rs.KeyN
			if dv != nil && dv.KeyN != nil {
				at = dv.KeyN
			}
			k.d.Errorf(at, RuleMailDecision, "skriv ett beslut för varje begärt e-postmeddelande i "+pathText(m.Decisions)+", t.ex. - {nr: "+missing[0]+", beslut: lämnas_ut}",
				"steget %s är registrerat men e-postmeddelande nr %s saknar beslut", m.DecideBy, strings.Join(missing, ", "))
		}
	}
	if m.Information != "" {
		withheld := false
		for _, md := range decided {
			withheld = withheld || md.Decision == DecWithhold
			for _, a := range md.Attachments {
				withheld = withheld || a.Decision == DecWithhold
			}
		}
		step, _, _ := strings.Cut(strings.TrimPrefix(m.Information, "steg."), ".")
		if rs, ok := k.rec.Recorded(step); ok && withheld {
			if v := k.rec.Values[m.Information]; v == nil || v.Text != "ja" {
				key := m.Information[strings.LastIndexByte(m.Information, '.')+1:]
				k.d.Errorf(rs.KeyN, RuleMailDecision, "skriv "+key+": ja när frågeställaren har fått veta att hen kan begära ett skriftligt beslut som kan överklagas (6 kap. 3 § OSL)",
					"något lämnas inte ut men steget %s anger inte att frågeställaren har informerats om rätten till ett skriftligt beslut", step)
			}
		}
	}
	for _, p := range k.rec.Order {
		v := k.rec.Values[p]
		if v.Text == "" || (v.Field.Matches != FactMailsDecided && v.Field.Matches != FactMailsNotPublic) {
			continue
		}
		want, what := len(decided), "e-postmeddelanden med beslut"
		if v.Field.Matches == FactMailsNotPublic {
			want, what = 0, "e-postmeddelanden som inte lämnas ut för att de inte är allmänna handlingar"
			for _, md := range decided {
				if r, ok := m.Reason(md.Reason); ok && md.Decision == DecWithhold && r.NotPublic {
					want++
				}
			}
		}
		if v.Int != want {
			k.d.Errorf(v.Node, RuleMailDecision, fmt.Sprintf("skriv %d (räknat ur %s)", want, pathText(m.Decisions)),
				"%s är %d men besluten har %d %s", pathText(p), v.Int, want, what)
		}
	}
}

// RuleMailDecision is the rule of the decisions on requested e-mails.
const RuleMailDecision = "e-postbeslut"
