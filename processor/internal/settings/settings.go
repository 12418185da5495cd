// Package settings reads the repository's settings file (installningar.yaml at the root):
// the authority, the court that hears appeals, where raw exports live, and the people who
// sign steps.
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
)

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
	Roles     []string // roller
	Line      int
}

// Has reports whether p has role.
func (p Person) Has(role string) bool { return slices.Contains(p.Roles, role) }

// Settings is the parsed settings file.
type Settings struct {
	File      string // path shown in findings
	Authority Authority
	Court     string // kammarrätt
	RawDir    string // råexport: folder of raw exports, relative to each case folder or absolute
	People    []Person
}

// DefaultRawDir is where a case's raw export lives unless the settings say otherwise.
const DefaultRawDir = "raw"

// Person returns the person with signature sig.
func (s *Settings) Person(sig string) (Person, bool) {
	for _, p := range s.People {
		if p.Signature == sig {
			return p, true
		}
	}
	return Person{}, false
}

// PersonByEmail returns the person whose e-mail (their git commits' address) is email,
// compared without regard to case.
func (s *Settings) PersonByEmail(email string) (Person, bool) {
	for _, p := range s.People {
		if p.Email != "" && strings.EqualFold(p.Email, strings.TrimSpace(email)) {
			return p, true
		}
	}
	return Person{}, false
}

// Signatures lists every person's signature, in file order.
func (s *Settings) Signatures() []string {
	out := make([]string, len(s.People))
	for i, p := range s.People {
		out[i] = p.Signature
	}
	return out
}

// RawDirFor returns the folder holding the raw export of case id in caseDir: the case's own
// raw/ folder by default, or <råexport>/<id> when the settings name an absolute folder.
func (s *Settings) RawDirFor(caseDir, id string) string {
	if filepath.IsAbs(s.RawDir) {
		return filepath.Join(s.RawDir, id)
	}
	return filepath.Join(caseDir, filepath.FromSlash(s.RawDir))
}

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
	s := &Settings{File: file, RawDir: DefaultRawDir}
	root, top, ok := d.ParseMapping(data, 1, "inställningarna", Rule, "inställningsfilen är tom", "se README.md, avsnittet Inställningar")
	if !ok {
		return s, d.Findings
	}
	d.Known(top, "inställningarna", []string{"myndighet", "kammarrätt", "råexport", "personer"})
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
	if n := yamldoc.Lookup(top, "råexport"); n != nil {
		if v, _ := d.String(n, "råexport"); v != "" {
			s.RawDir = v
			if !filepath.IsAbs(v) && (strings.Contains(v, "..") || strings.ContainsAny(v, `\`)) {
				d.Errorf(n, Rule, "ange en mapp i ärendemappen (t.ex. raw) eller en absolut sökväg", "råexport %q pekar ut ur ärendemappen", v)
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
	bySig, byMail := map[string]int{}, map[string]int{}
	reviewers := 0
	for _, pn := range n.Content {
		pairs, ok := d.Mapping(pn, "en person")
		if !ok {
			continue
		}
		d.Known(pairs, "en person", []string{"signatur", "namn", "titel", "e-post", "roller"})
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
		if sn := yamldoc.Lookup(pairs, "signatur"); p.Signature != "" && !validSignature(p.Signature) {
			d.Errorf(sn, Rule, "bokstäver, siffror, punkt, bindestreck eller understreck, högst 20 tecken, utan mellanslag",
				"signaturen %q går inte att använda", p.Signature)
		}
		if en := yamldoc.Lookup(pairs, "e-post"); p.Email != "" && !ValidEmail(p.Email) {
			d.Errorf(en, Rule, "t.ex. rita.registrator@region.example", "%q är ingen e-postadress", p.Email)
		}
		if len(p.Roles) == 0 {
			d.Errorf(pn, Rule, "roller: [registrator] eller [registrator, granskare]", "personen %q har inga roller", p.Signature)
		}
		for _, r := range p.Roles {
			if r != RoleRegistrator && r != RoleReviewer {
				d.Errorf(yamldoc.Lookup(pairs, "roller"), Rule, "roller kan vara registrator och granskare", "okänd roll %q", r)
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
	return people
}
