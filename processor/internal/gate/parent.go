package gate

import (
	"fmt"
	"maps"
	"path"
	"slices"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/workflow"
)

// RuleWeakened is the rule of a change to the rules themselves that loosens what applies to
// cases that already exist.
const RuleWeakened = "regler-försvagade"

// The rules come from the parent. A commit is judged by the settings, case types and
// catalogue of its first parent: a change to them takes effect from the next commit, so
// that no commit can loosen, in the same commit, what applies to a case it changes. A case
// the commit changes is checked with the parent's rules and with its own (a tightening
// applies at once). A change that weakens the locks, approvals or steps of a type that
// cases already have is refused outright.

// parentRules returns the repository of the change as judged by the parent's rules: the
// change's case files (r's root) with the parent's settings, types and catalogue, read
// from rev into dir. ok is false when the parent has no settings (a first commit).
func parentRules(b *gitcli.Batch, rev, dir string, r *repo.Repo) (*repo.Repo, bool, error) {
	entries, err := b.Files(rev, settings.FileName, repo.TemplatesDir)
	if err != nil {
		return nil, false, err
	}
	if !slices.ContainsFunc(entries, func(e gitcli.Entry) bool { return e.Path == settings.FileName }) {
		return nil, false, nil
	}
	for _, e := range entries {
		if err := materialize(b, e, dir); err != nil {
			return nil, false, err
		}
	}
	pr, err := repo.Open(dir)
	if err != nil {
		return nil, false, err
	}
	rules := *r
	rules.Settings, rules.Catalog, rules.Types = pr.Settings, pr.Catalog, pr.Types
	return &rules, true, nil
}

// weakened reports the changes from the parent's types to the change's that loosen what
// applies to a type that cases have (inUse): the type removed, a lock moved or removed, a
// step removed, an approval or masking proof no longer required, the disclosure's decision
// or PDF step moved.
func weakened(before, after map[string]*workflow.Type, inUse map[string]int) finding.List {
	var fs finding.List
	for _, name := range slices.Sorted(maps.Keys(before)) {
		n := inUse[name]
		if n == 0 {
			continue
		}
		old, now := before[name], after[name]
		file := path.Join(repo.TemplatesDir, name, workflow.TypeFile)
		cases := fmt.Sprintf("%d %s av typen", n, plural(n, "ärende", "ärenden"))
		hint := "en ärendetyp som ärenden redan har skärps bara, den lättas aldrig upp; behövs en annan rutin, skapa en ny ärendetyp för nya ärenden"
		if now == nil {
			fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("ärendetypen %s tas bort, men katalogen har %s", name, cases), hint)
			continue
		}
		ol, nl := lockOf(old), lockOf(now)
		for _, l := range []struct{ what, was, is string }{
			{"utlämnad", ol.Released, nl.Released}, {"avslutad", ol.Closed, nl.Closed}, {"gallrad", ol.Purged, nl.Purged},
		} {
			if l.was != l.is {
				fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("låsningen %s ändras från %q till %q, men katalogen har %s", l.what, l.was, l.is, cases), hint)
			}
		}
		if od, nd := old.Disclosure, now.Disclosure; od != nil && (nd == nil || nd.Decision != od.Decision || nd.Created != od.Created) {
			fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("utlämnandets beslutssteg eller pdf-steg ändras, men katalogen har %s", cases), hint)
		}
		for _, s := range old.Steps {
			ns, ok := now.Step(s.Name)
			switch {
			case !ok:
				fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("steget %s tas bort, men katalogen har %s", s.Name, cases), hint)
			case s.Approval && !ns.Approval:
				fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("steget %s kräver inte längre godkännande, men katalogen har %s", s.Name, cases), hint)
			case s.Proof && !ns.Proof:
				fs.Add(file, 0, 0, RuleWeakened, fmt.Sprintf("steget %s kräver inte längre maskbevis, men katalogen har %s", s.Name, cases), hint)
			}
		}
	}
	return fs
}

// merge appends to fs the findings of more that fs does not have yet.
func merge(fs, more finding.List) finding.List {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.String()] = true
	}
	for _, f := range more {
		if !seen[f.String()] {
			seen[f.String()] = true
			fs = append(fs, f)
		}
	}
	return fs
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
