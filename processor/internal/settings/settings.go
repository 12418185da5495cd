// Package settings reads the repository's settings file (installningar.yaml at the root):
// the authority, the court that hears appeals, where the cases' working areas (unmasked
// material, never in git) live, and the people who sign steps.
package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/yamldoc"
)

// FileName is the settings file at the repository root; its presence marks the root.
const FileName = "installningar.yaml"

// Rule is the rule name of settings findings.
const Rule = "inställningar"

// Roles a person can have.
const (
	RoleRegistrator = "registrator" // handläggare at the registry: records steps
	RoleReviewer    = "granskare"   // approves secrecy decisions (four eyes)
	// RoleDecisionMaker (beslutsfattare) may take the authority's written decision on a
	// refusal, and dismiss a late appeal, under the authority's delegation (6 kap. 3 § OSL):
	// a refusal by someone without delegation cannot be appealed (JO 3869-2013).
	RoleDecisionMaker = "beslutsfattare"
)

// Roles lists the roles a person can have.
var Roles = []string{RoleRegistrator, RoleReviewer, RoleDecisionMaker}

// Courts: the administrative courts of appeal (kammarrätter) that hear appeals against
// refusals to release public documents (6 kap. 8 § OSL).
var Courts = []string{"Kammarrätten i Stockholm", "Kammarrätten i Göteborg", "Kammarrätten i Sundsvall", "Kammarrätten i Jönköping"}

// Authority is the authority that holds the documents.
type Authority struct {
	Name    string // namn
	Address string // postadress
	Email   string // e-post: the authority mailbox (myndighetsbrevlådan)
	Phone   string // telefon, optional
}

// Person is someone who signs steps.
type Person struct {
	Signature string   // signatur: short, as written in "av:"
	Name      string   // namn
	Title     string   // titel
	Email     string   // e-post: the address of their git commits
	Phone     string   // telefon, optional: shown in the letters the person signs
	Roles     []string // roller
	// Delegation (delegation): the point of the authority's delegation order under which a
	// beslutsfattare decides, e.g. "Delegationsordning för regionstyrelsen, punkt 1.4".
	// Required for the role; it is stated in every decision the person signs.
	Delegation string
	// SigningKey (signeringsnyckel), optional: the SSH public key the person signs their
	// commits with, as "<type> <base64>" (the comment dropped). An approval by a person
	// with a key must be signed with it. A key that does not parse is kept as written (and
	// reported), so that no signature can satisfy it.
	SigningKey string
	// Approved (godkänd): who of the other reviewers approved this person's entry as it is
	// (their e-mail, roles and key), and when. A person acts (signs, commits steps,
	// approves) only once approved: who may act is itself under four eyes. The git rules
	// check that the approval was committed by that reviewer, in a commit of their own.
	Approved  *PersonApproval
	ApprovedN *yaml.Node // the godkänd: value in the file, for findings
	Line      int
}

// PersonApproval is a reviewer's approval of a person's entry in the settings.
type PersonApproval struct {
	Date string // datum, ÅÅÅÅ-MM-DD
	By   string // av: the approving reviewer's signature
}

// Has reports whether p has role.
func (p Person) Has(role string) bool { return slices.Contains(p.Roles, role) }

// Settings is the parsed settings file.
type Settings struct {
	File      string // path shown in findings
	Authority Authority
	Court     string // kammarrätt
	// WorkArea (arbetsyta): the folder of each case's working area, relative to the case
	// folder (ignored by git) or absolute (a secure share: <arbetsyta>/<id>/).
	WorkArea string
	People   []Person
}

// DefaultWorkArea is where a case's working area lives unless the settings say otherwise:
// a folder in the case folder that .gitignore keeps out of git.
const DefaultWorkArea = "arbetsyta"

// LegacyRawDir is the raw-export folder of earlier versions (cases/<id>/raw/). It is still
// ignored by git and refused by the hook; validation asks for its content to be moved.
const LegacyRawDir = "raw"

// Person returns the person with signature sig.
func (s *Settings) Person(sig string) (Person, bool) {
	for _, p := range s.People {
		if p.Signature == sig && s.Approved(p) {
			return p, true
		}
	}
	return Person{}, false
}

// Pending returns the person of signature or e-mail who is in the settings but not
// approved (and so may not act), for messages that say why.
func (s *Settings) Pending(sigOrEmail string) (Person, bool) {
	for _, p := range s.People {
		if (p.Signature == sigOrEmail || p.Email != "" && strings.EqualFold(p.Email, strings.TrimSpace(sigOrEmail))) && !s.Approved(p) {
			return p, true
		}
	}
	return Person{}, false
}

// Approved reports whether p's entry is approved by another person of the settings who is
// a reviewer. Two reviewers may approve each other; a person never approves themselves.
func (s *Settings) Approved(p Person) bool {
	if p.Approved == nil || p.Approved.By == "" || p.Approved.By == p.Signature {
		return false
	}
	for _, q := range s.People {
		if q.Signature == p.Approved.By {
			return q.Has(RoleReviewer)
		}
	}
	return false
}

// PersonByEmail returns the person whose e-mail (their git commits' address) is email,
// compared without regard to case.
func (s *Settings) PersonByEmail(email string) (Person, bool) {
	for _, p := range s.People {
		if p.Email != "" && strings.EqualFold(p.Email, strings.TrimSpace(email)) && s.Approved(p) {
			return p, true
		}
	}
	return Person{}, false
}

// nodeAt returns the item of the sequence n that starts on line (n itself if none).
func nodeAt(n *yaml.Node, line int) *yaml.Node {
	for _, c := range n.Content {
		if c.Line == line {
			return c
		}
	}
	return n
}

// Signatures lists every person's signature, in file order.
func (s *Settings) Signatures() []string {
	out := make([]string, len(s.People))
	for i, p := range s.People {
		out[i] = p.Signature
	}
	return out
}

// WorkAreaFor returns the working area of case id in caseDir: the case's own arbetsyta/
// folder by default, or <arbetsyta>/<id> when the settings name an absolute folder.
func (s *Settings) WorkAreaFor(caseDir, id string) string {
	if filepath.IsAbs(s.WorkArea) {
		return filepath.Join(s.WorkArea, id)
	}
	return filepath.Join(caseDir, filepath.FromSlash(s.WorkArea))
}

// WorkAreaInCase reports whether working areas are folders inside the case folders (the
// default) rather than on a share of their own.
func (s *Settings) WorkAreaInCase() bool { return !filepath.IsAbs(s.WorkArea) }

// Load reads FileName in root. The error is for a missing or unreadable file; problems in
// its content are findings.
func Load(root string) (*Settings, finding.List, error) {
	data, err := os.ReadFile(filepath.Join(root, FileName))
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa inställningarna: %w", err)
	}
	s, fs := Parse(FileName, data)
	return s, fs, nil
}

// validSignature reports whether s is a signature: a letter or digit, then up to 19
// letters, digits, dots, underscores or dashes. (Written out rather than as the regular
// expression ^[\p{L}0-9][\p{L}0-9._-]{0,19}$, which took 2 ms to compile at every start of
// the program, the git hook included.)
func validSignature(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case r == utf8.RuneError && len(s) > i && s[i] >= utf8.RuneSelf:
			return false
		case unicode.IsLetter(r) || '0' <= r && r <= '9':
		case i > 0 && (r == '.' || r == '_' || r == '-'):
		default:
			return false
		}
		n++
	}
	return n >= 1 && n <= 20
}

// ValidEmail is the check applied to e-mail addresses in settings and case files: one @,
// something before it, a dot in the domain with something on both sides, no spaces.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.ContainsAny(s, " \t\r\n") || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1
}

// Parse reads settings from data; file names it in findings.
func Parse(file string, data []byte) (*Settings, finding.List) {
	d := &yamldoc.Decoder{File: file}
	s := &Settings{File: file, WorkArea: DefaultWorkArea}
	root, top, ok := d.ParseMapping(data, 1, "inställningarna", Rule, "inställningsfilen är tom", "se README.md, avsnittet Inställningar")
	if !ok {
		return s, d.Findings
	}
	if n := yamldoc.Lookup(top, "råexport"); n != nil {
		d.Errorf(n, Rule, "byt namnet råexport: mot arbetsyta: (standard: arbetsyta, en mapp i varje ärendemapp som git aldrig checkar in, eller en absolut sökväg till en säker lagringsyta)",
			"inställningen råexport heter nu arbetsyta: den anger var hela ärendets arbetsyta ligger (råexport, granskningsbok under arbetet, förhandsvisningar)")
	}
	d.Known(top, "inställningarna", []string{"myndighet", "kammarrätt", "arbetsyta", "råexport", "personer"})
	required := func(n *yaml.Node, at *yaml.Node, what, hint string) string {
		v, _ := d.String(n, what)
		if v == "" {
			d.Errorf(at, Rule, hint, "%s saknas", what)
		}
		return v
	}
	if m := yamldoc.Lookup(top, "myndighet"); m == nil {
		d.Errorf(root, Rule, "lägg till myndighet: med namn, postadress och e-post", "myndighet saknas")
	} else if pairs, ok := d.Mapping(m, "myndighet"); ok {
		d.Known(pairs, "myndighet", []string{"namn", "postadress", "e-post", "telefon"})
		s.Authority.Name = required(yamldoc.Lookup(pairs, "namn"), m, "myndighetens namn", "namnet står i utlämnandets brevhuvud")
		s.Authority.Address = required(yamldoc.Lookup(pairs, "postadress"), m, "myndighetens postadress", "dit skickas överklaganden")
		s.Authority.Email = required(yamldoc.Lookup(pairs, "e-post"), m, "myndighetens e-post", "myndighetsbrevlådan, dit begäran skickas")
		s.Authority.Phone, _ = d.String(yamldoc.Lookup(pairs, "telefon"), "telefon")
		if s.Authority.Email != "" && !ValidEmail(s.Authority.Email) {
			d.Errorf(yamldoc.Lookup(pairs, "e-post"), Rule, "t.ex. registrator@region.example", "%q är ingen e-postadress", s.Authority.Email)
		}
	}
	if n := yamldoc.Lookup(top, "kammarrätt"); n == nil {
		d.Errorf(root, Rule, "t.ex. kammarrätt: Kammarrätten i Stockholm", "kammarrätt saknas")
	} else {
		s.Court, _ = d.String(n, "kammarrätt")
		if !slices.Contains(Courts, s.Court) {
			d.Errorf(n, Rule, "en av: "+strings.Join(Courts, ", "), "%q är ingen kammarrätt", s.Court)
		}
	}
	if n := yamldoc.Lookup(top, "arbetsyta"); n != nil {
		if v, _ := d.String(n, "arbetsyta"); v != "" {
			s.WorkArea = v
			switch {
			case !filepath.IsAbs(v) && (strings.Contains(v, "..") || strings.ContainsAny(v, `\/`)):
				d.Errorf(n, Rule, "ange ett mappnamn i ärendemappen (standard: arbetsyta) eller en absolut sökväg till en säker lagringsyta", "arbetsyta %q pekar ut ur ärendemappen", v)
			case !filepath.IsAbs(v) && (v == "utlamnande" || v == LegacyRawDir || strings.HasPrefix(v, ".")):
				d.Errorf(n, Rule, "välj ett annat namn, t.ex. arbetsyta", "arbetsyta %q kan inte användas: namnet har redan en annan betydelse i ärendemappen", v)
			}
		}
	}
	s.People = parsePeople(d, yamldoc.Lookup(top, "personer"), root)
	return s, d.Findings
}

func parsePeople(d *yamldoc.Decoder, n, root *yaml.Node) []Person {
	if yamldoc.IsEmpty(n) {
		d.Errorf(root, Rule, "lägg till personer: med signatur, namn, titel, e-post och roller", "inga personer finns som kan signera steg")
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, yamldoc.RuleKind, "varje person inleds med - på egen rad", "personer ska vara en lista")
		return nil
	}
	var people []Person
	bySig, byMail, byKey := map[string]int{}, map[string]int{}, map[string]int{}
	reviewers := 0
	for _, pn := range n.Content {
		pairs, ok := d.Mapping(pn, "en person")
		if !ok {
			continue
		}
		d.Known(pairs, "en person", []string{"signatur", "namn", "titel", "e-post", "telefon", "roller", "delegation", "signeringsnyckel", "godkänd"})
		p := Person{Line: pn.Line}
		field := func(key, hint string) string {
			v, _ := d.String(yamldoc.Lookup(pairs, key), key)
			if v == "" {
				d.Errorf(pn, Rule, hint, "personen på rad %d saknar %s", pn.Line, key)
			}
			return v
		}
		p.Signature = field("signatur", "en kort signatur som skrivs i av:, t.ex. reg1")
		p.Name = field("namn", "för- och efternamn; varje dokumenterad åtgärd anger vem som gjort den")
		p.Title = field("titel", "t.ex. Registrator eller Regionjurist")
		p.Email = field("e-post", "adressen personen gör git-incheckningar med")
		p.Roles, _ = d.Strings(yamldoc.Lookup(pairs, "roller"), "roller")
		p.Phone, _ = d.String(yamldoc.Lookup(pairs, "telefon"), "telefon")
		p.Delegation, _ = d.String(yamldoc.Lookup(pairs, "delegation"), "delegation")
		if p.Has(RoleDecisionMaker) && strings.TrimSpace(p.Delegation) == "" {
			d.Errorf(pn, Rule, "skriv delegation: och punkten i myndighetens delegationsordning som ger personen rätt att fatta beslutet, t.ex. \"Delegationsordning för regionstyrelsen, punkt 1.4\"; beslutet anger den (6 kap. 3 § OSL)",
				"personen %q är beslutsfattare men saknar delegation", p.Signature)
		}
		if sn := yamldoc.Lookup(pairs, "signatur"); p.Signature != "" && !validSignature(p.Signature) {
			d.Errorf(sn, Rule, "bokstäver, siffror, punkt, bindestreck eller understreck, högst 20 tecken, utan mellanslag",
				"signaturen %q går inte att använda", p.Signature)
		}
		if en := yamldoc.Lookup(pairs, "e-post"); p.Email != "" && !ValidEmail(p.Email) {
			d.Errorf(en, Rule, "t.ex. rita.registrator@region.example", "%q är ingen e-postadress", p.Email)
		}
		if kn := yamldoc.Lookup(pairs, "signeringsnyckel"); kn != nil {
			v, scalar := d.String(kn, "signeringsnyckel")
			k, err := gitcli.ParseSSHKey(v)
			switch {
			case !scalar:
				p.SigningKey = "-" // reported by String; no signature satisfies it
			case err != nil:
				p.SigningKey = strings.TrimSpace(v)
				if p.SigningKey == "" {
					p.SigningKey = "-" // present but empty: still no signature satisfies it
				}
				d.Errorf(kn, Rule, "klistra in hela raden ur den publika nyckelfilen (t.ex. ~/.ssh/id_ed25519.pub), som börjar med ssh-ed25519, ssh-rsa eller ecdsa-sha2-",
					"signeringsnyckeln för %q går inte att använda: %v", p.Signature, err)
			default:
				p.SigningKey = k.String()
				if prev, dup := byKey[p.SigningKey]; dup {
					d.Errorf(kn, Rule, "varje person signerar med sin egen nyckel", "signeringsnyckeln används redan av personen på rad %d", prev)
				}
				byKey[p.SigningKey] = pn.Line
			}
		}
		if an := yamldoc.Lookup(pairs, "godkänd"); an != nil {
			p.ApprovedN = an
			if ap, ok := d.Mapping(an, "godkänd"); ok {
				d.Known(ap, "godkänd", []string{"datum", "av"})
				date, _ := d.String(yamldoc.Lookup(ap, "datum"), "datum")
				by, _ := d.String(yamldoc.Lookup(ap, "av"), "av")
				p.Approved = &PersonApproval{Date: date, By: by}
				if by == "" || date == "" {
					d.Errorf(an, Rule, "godkänd: {datum: ÅÅÅÅ-MM-DD, av: granskarens signatur}", "godkännandet av personen %q saknar datum eller av", p.Signature)
				}
				if by == p.Signature && by != "" {
					d.Errorf(an, Rule, "en annan granskare godkänner personen", "personen %q har godkänt sig själv", p.Signature)
				}
			}
		}
		if len(p.Roles) == 0 {
			d.Errorf(pn, Rule, "roller: [registrator] eller [registrator, granskare]", "personen %q har inga roller", p.Signature)
		}
		for _, r := range p.Roles {
			if !slices.Contains(Roles, r) {
				d.Errorf(yamldoc.Lookup(pairs, "roller"), Rule, "roller kan vara "+strings.Join(Roles, ", "), "okänd roll %q", r)
			}
		}
		if prev, dup := bySig[p.Signature]; dup && p.Signature != "" {
			d.Errorf(pn, Rule, "varje signatur ska peka ut en enda person", "signaturen %q används redan på rad %d", p.Signature, prev)
		}
		if prev, dup := byMail[strings.ToLower(p.Email)]; dup && p.Email != "" {
			d.Errorf(pn, Rule, "git-författaren måste gå att knyta till en enda person", "e-postadressen %q används redan på rad %d", p.Email, prev)
		}
		bySig[p.Signature], byMail[strings.ToLower(p.Email)] = pn.Line, pn.Line
		if p.Has(RoleReviewer) {
			reviewers++
		}
		people = append(people, p)
	}
	if reviewers == 0 && len(people) > 0 {
		d.Errorf(n, Rule, "ge minst en person rollen granskare (t.ex. regionjuristen)", "ingen person är granskare, så ingen sekretessprövning kan godkännas")
	}
	// Who approves whom: another person, who is a reviewer.
	for _, p := range people {
		if p.Approved == nil {
			d.Warnf(nodeAt(n, p.Line), Rule, "en annan granskare lägger till godkänd: {datum: ÅÅÅÅ-MM-DD, av: signatur} och checkar in det själv, i en egen commit",
				"personen %q är inte godkänd och kan inte signera, checka in steg eller godkänna", p.Signature)
			continue
		}
		if p.Approved.By == "" || p.Approved.By == p.Signature {
			continue // reported above
		}
		i := slices.IndexFunc(people, func(q Person) bool { return q.Signature == p.Approved.By })
		switch {
		case i < 0:
			d.Errorf(p.ApprovedN, Rule, "godkänd av ska vara signaturen för en granskare i listan", "personen %q är godkänd av %q, som inte finns bland personerna", p.Signature, p.Approved.By)
		case !people[i].Has(RoleReviewer):
			d.Errorf(p.ApprovedN, Rule, "bara en granskare godkänner personer", "personen %q är godkänd av %q, som inte är granskare", p.Signature, p.Approved.By)
		}
	}
	return people
}
