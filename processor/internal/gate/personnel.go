package gate

import (
	"fmt"
	"slices"
	"strings"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/settings"
)

// RulePersonnel is the rule of who may act: a person added to the settings, or one whose
// e-mail, roles, delegation or signing key change, acts only once another reviewer has approved the
// entry as it now is, in a commit of their own.
const RulePersonnel = "personer-godkända"

// personContent is what of a person's entry decides what they may do.
func personContent(p settings.Person) string {
	roles := slices.Clone(p.Roles)
	slices.Sort(roles)
	return strings.ToLower(p.Email) + "\x00" + strings.Join(roles, ",") + "\x00" + p.SigningKey + "\x00" + strings.TrimSpace(p.Delegation)
}

func approvalText(p settings.Person) string {
	if p.Approved == nil {
		return ""
	}
	return p.Approved.Date + " " + p.Approved.By
}

func findPerson(s *settings.Settings, sig string) (settings.Person, bool) {
	for _, p := range s.People {
		if p.Signature == sig {
			return p, true
		}
	}
	return settings.Person{}, false
}

// personnel checks a change of the settings' people from parent to now: an entry that is
// new or whose content changed carries no approval yet (the approval comes after, in a
// commit of its own); an approval added to an unchanged entry is committed by the
// approving reviewer (a reviewer in the parent's settings), who is neither the person nor
// the one who proposed the entry.
func (ch *Change) personnel(b *gitcli.Batch, parent, now *settings.Settings) (finding.List, error) {
	var fs finding.List
	file := settings.FileName
	for _, p := range now.People {
		old, existed := findPerson(parent, p.Signature)
		changed := !existed || personContent(old) != personContent(p)
		if changed && p.Approved != nil {
			what := "ny"
			if existed {
				what = "ändrad (e-post, roller eller signeringsnyckel)"
			}
			fs.Add(file, p.Line, 0, RulePersonnel, fmt.Sprintf("personen %q är %s och godkänns i samma commit", p.Signature, what),
				"ta bort godkänd: för personen och checka in ändringen; en annan granskare godkänner den sedan i en egen commit")
			continue
		}
		if changed || p.Approved == nil || approvalText(old) == approvalText(p) {
			continue
		}
		// An approval added (or renewed) for an entry as it already was.
		author, err := ch.author()
		if err != nil {
			return nil, err
		}
		who := fmt.Sprintf("%s <%s>", author.Name, author.Email)
		approver, ok := parent.PersonByEmail(author.Email)
		switch {
		case !ok:
			fs.Add(file, p.Line, 0, RulePersonnel, fmt.Sprintf("godkännandet av personen %q checkas in av %s, som inte är en godkänd person i inställningarna före ändringen", p.Signature, who),
				"granskaren checkar in sitt godkännande själv, med sin adress")
			continue
		case approver.Signature != p.Approved.By:
			fs.Add(file, p.Line, 0, RulePersonnel, fmt.Sprintf("godkännandet av personen %q är signerat av %s men checkas in av %s", p.Signature, p.Approved.By, approver.Signature),
				"granskaren checkar in sitt eget godkännande")
			continue
		case !approver.Has(settings.RoleReviewer):
			fs.Add(file, p.Line, 0, RulePersonnel, fmt.Sprintf("personen %q godkänns av %s, som inte är granskare", p.Signature, approver.Signature),
				"bara en granskare godkänner personer")
			continue
		}
		proposer, commit, err := ch.proposer(b, p)
		if err != nil {
			return nil, err
		}
		if proposer.Email != "" && strings.EqualFold(proposer.Email, author.Email) {
			fs.Add(file, p.Line, 0, RulePersonnel, fmt.Sprintf("%s godkänner personen %q, som hen själv lade till eller ändrade (commit %s)", approver.Signature, p.Signature, short(commit)),
				"en annan granskare än den som ändrade personen godkänner ändringen")
		}
	}
	return fs, nil
}

// proposer finds who committed person p's entry as it now is: the oldest commit, among the
// recent ones on the first-parent line of the parent that changed the settings, from which
// on the entry has had its present content.
func (ch *Change) proposer(b *gitcli.Batch, p settings.Person) (gitcli.Ident, string, error) {
	if ch.Before == "" {
		return gitcli.Ident{}, "", nil
	}
	out, err := ch.Git.Output("log", "--first-parent", "-n", "200", "--format=%H%x00%an%x00%ae", ch.Before, "--", settings.FileName)
	if err != nil {
		return gitcli.Ident{}, "", err
	}
	want := personContent(p)
	var who gitcli.Ident
	var at string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 3 {
			continue
		}
		data, ok, err := b.Get(f[0] + ":" + settings.FileName)
		if err != nil {
			return gitcli.Ident{}, "", err
		}
		if !ok {
			break
		}
		s, _ := settings.Parse(settings.FileName, data)
		q, found := findPerson(s, p.Signature)
		if !found || personContent(q) != want {
			break
		}
		who, at = gitcli.Ident{Name: f[1], Email: f[2]}, f[0]
	}
	return who, at, nil
}
