// Package gate applies the rules of git as the system of record to one change of the case
// repository: the commit being made (the index, for the pre-commit hook) or a commit in
// history (for verify in CI). Every case the change touches is validated as it is in the
// change; its steps may only move forward (transition.go); no raw export or unknown file
// is committed (files.go); its disclosure PDF matches its inputs; and an approval is
// committed by the reviewer, who did not commit the decision (four eyes).
//
// The content is read through the git command line (package gitcli), never from the work
// tree: a hook must check what is staged, which can differ from the files on disk.
package gate

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/decision"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Rule names of the git rules.
const (
	RuleStepChanged  = "steg-ändrat"
	RuleStepInserted = "steg-infogat"
	RuleCorrection   = "rättelse"
	RuleReleased     = "utlämnat-låst"
	RuleClosed       = "avslutat-låst"
	RuleRaw          = "råexport-incheckad"
	RuleWorkArea     = "arbetsyta-incheckad"
	RuleReleaseEarly = "utlämnande-för-tidigt"
	RuleUnknownFile  = "okänd-fil"
	RuleFourEyes     = "fyra-ögon"
	// RuleAuthor: who commits a new step is a registered person, the decision its signer.
	RuleAuthor      = "författare"
	RuleCaseRemoved = "ärende-borttaget"
)

// Rules documents the git rules, in the order the README lists them.
var Rules = []validate.Rule{
	{Name: RuleStepChanged, Text: "Ett incheckat steg (och dess godkännande) ändras eller tas bort bara med en rättelse i samma commit; ett rättat steg godkänns på nytt."},
	{Name: RuleStepInserted, Text: "Nya steg läggs till efter de incheckade, i rutinens ordning (ett glömt steg läggs till med en rättelse)."},
	{Name: RuleCorrection, Text: "Rättelser läggs bara till, sist i listan, med steg, datum, signatur och skäl, och checkas in med ändringen de gäller."},
	{Name: RuleReleased, Text: "När ärendet är utlämnat ändras varken pdf:en, manifestet, granskningsboken, ärendets uppgifter eller stegen fram till utlämnandet."},
	{Name: RuleClosed, Text: "Ett avslutat ärende tar bara emot gallringssteget (processor gallra raderar arbetsytan och registrerar vad som raderades); ett gallrat ärende ändras inte alls."},
	{Name: RuleWorkArea, Text: "Inget ur arbetsytan checkas in: inget i ärendets arbetsyta/ (eller gamla raw/), ingen fil som är en kopia av en fil i en arbetsyta på datorn, och ingen fil (kalkylblad, text, Markdown, JSON, HTML; när något annat än request.md checkas in) som innehåller text som är maskad i en granskningsbok på datorn."},
	{Name: RuleRaw, Text: "Ingen råexport checkas in: ingen tabell med en råexports rubriker någonstans i katalogen, vad filen än heter, också packad (zip, gzip) eller som base64 (utom påhittade testexporter listade i processor/fiktiva-exporter.txt)."},
	{Name: RuleUnknownFile, Text: "En ärendemapp innehåller bara request.md och utlamnande/ med pdf, manifest och den godkända granskningsboken (granskningsboken under arbetet ligger i arbetsytan; inga låsfiler, kopior eller exporter)."},
	{Name: RuleReleaseEarly, Text: "Utlämnandet (pdf, manifest och den godkända granskningsboken i utlamnande/) checkas in först tillsammans med steget pdf_skapad, efter godkännandet, och granskningsboken är byte för byte den godkända."},
	{Name: disclose.RuleStale, Text: "En incheckad utlämnande-pdf stämmer med sina indata och sitt manifest; den finns från steget pdf_skapad; ändrade indata checkas in med ombyggd pdf. I verify byggs pdf:en om och jämförs byte för byte."},
	{Name: RuleAuthor, Text: "Ett nytt steg checkas in av en person i installningar.yaml (git-författarens e-post), och ett beslut som kräver godkännande av den som signerat det."},
	{Name: RulePersonnel, Text: "En ny person, eller en ändrad e-post, roll eller signeringsnyckel, gäller först när en annan granskare har godkänt den (godkänd: på personen) i en egen commit; den som lade till eller ändrade personen godkänner inte själv."},
	{Name: RuleFourEyes, Text: "Ett godkännande checkas in av granskaren själv (git-författarens e-post i installningar.yaml; signerat med granskarens signeringsnyckel när inställningarna anger en), i en egen commit, och inte av den som checkade in beslutet."},
	{Name: RuleCaseRemoved, Text: "Ett ärende tas aldrig bort ur katalogen och byter inte mapp; gallring registreras som ett steg."},
	{Name: RuleWeakened, Text: "En commit bedöms med förälderns inställningar, ärendetyper och bestämmelsekatalog (en ändring av dem gäller från nästa commit), och en ärendetyp som ärenden har får inte sina låsningar, godkännanden, maskbevis eller steg försvagade."},
}

// Change is one change to check: the commit being made or one in history.
type Change struct {
	Git    gitcli.Git
	After  string   // the commit checked, or "" for the index (the commit being made)
	Before string   // its first parent, or "" for a first commit
	Merged []string // its other parents (a merge), or MERGE_HEAD in a hook
	// Changes, when not nil, are the change's paths, already read (the hook reads them
	// while it asks git where it is).
	Changes []gitcli.Change
	// Author is who makes the change; when it is empty, AuthorLookup tells, and is asked
	// only when the change adds an approval (git var costs a process).
	Author       gitcli.Ident
	AuthorLookup func() (gitcli.Ident, error)
	Today        date.Date
	// WorkBase is the work tree whose case folders hold the working areas (raw export and
	// the workbook while it is masked), for the masking proof; "" when there is none (CI).
	WorkBase string
	Version  string
	// TmpDir is where the checks write the staged files of the cases they read (a workbook
	// staged by mistake may be unmasked): a folder in the repository's git folder, never
	// the system's temporary folder; "" means the system's (tests).
	TmpDir string
	// History: After is a commit in history (verify), so its PDFs may be from another
	// version of the processor.
	History bool
	Rebuild bool // rebuild each checked PDF and compare it byte for byte
	// StepAuthor finds the commit, reachable from Before, that recorded step in the case
	// folder (slash path), and its author. found is false when no commit did.
	// r is the repository as in the change (its settings and types).
	StepAuthor func(r *repo.Repo, folder, step string) (author gitcli.Ident, commit string, found bool, err error)
}

// Report is what checking a change found.
type Report struct {
	Findings   finding.List // sorted
	Cases      []string     // the case folders checked
	RawSkipped []string     // cases whose workbook could not be compared with the raw export
	Rebuilt    int          // PDFs rebuilt and found byte-identical
}

// caseRef finds a front matter's reference to another case (e-postlogg_ärende: 2026-0001).
var caseRef = regexp.MustCompile(`(?m)^[\p{L}_-]*ärende:\s*["']?(\d{4}-\d{4})`)

// Check checks a change.
func Check(ch Change) (*Report, error) {
	base := ch.Before
	if base == "" {
		base = gitcli.EmptyTree
	}
	// The batch process starts while git diff runs.
	batch, err := ch.Git.CatFile()
	if err != nil {
		return nil, err
	}
	defer batch.Close()
	changes := ch.Changes
	switch {
	case changes != nil:
	case ch.After == "":
		changes, err = ch.Git.StagedChanges(base)
	default:
		changes, err = ch.Git.CommitChanges(base, ch.After)
	}
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	if len(changes) == 0 {
		return rep, nil
	}

	byCase := map[string][]fileChange{}
	everyCase := false
	var outside, all []fileChange
	for _, c := range changes {
		for _, fc := range split(c) {
			all = append(all, fc)
			if id, rest, ok := inCase(fc.path); ok {
				fc.rest = rest
				byCase[id] = append(byCase[id], fc)
				continue
			}
			if fc.path == settings.FileName || strings.HasPrefix(fc.path, repo.TemplatesDir+"/") {
				everyCase = true
			}
			if !fc.deleted {
				outside = append(outside, fc)
			}
		}
	}

	if ch.TmpDir != "" {
		if err := os.MkdirAll(ch.TmpDir, 0o700); err != nil {
			return nil, err
		}
	}
	tmp, err := os.MkdirTemp(ch.TmpDir, "utlamnande-kontroll-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	want := []string{settings.FileName, repo.TemplatesDir}
	if everyCase {
		want = append(want, repo.CasesDir)
	} else {
		for id := range byCase {
			want = append(want, repo.CasesDir+"/"+id)
		}
	}
	entries, err := ch.files(batch, changes, want...)
	if err != nil {
		return nil, err
	}
	// The staged settings name the working-area folder, whose files are never written out.
	var staged *settings.Settings
	for _, e := range entries {
		if e.Path == settings.FileName {
			if data, ok, err := batch.Get(e.OID); err == nil && ok {
				staged, _ = settings.Parse(settings.FileName, data)
			}
		}
	}
	hasSettings := false
	caseFiles := map[string][]gitcli.Entry{} // case id → its files in the change's new state
	for _, e := range entries {
		id, rest, inFolder := inCase(e.Path)
		if inFolder && isWorkArea(staged, rest) {
			continue // never written anywhere, not even to a temporary folder
		}
		switch {
		case inFolder:
			caseFiles[id] = append(caseFiles[id], e)
			if _, seen := byCase[id]; !seen && everyCase {
				byCase[id] = nil
			}
		case e.Path == settings.FileName:
			hasSettings = true
		}
		if err := materialize(batch, e, tmp); err != nil {
			return nil, err
		}
	}
	if !hasSettings {
		return nil, fmt.Errorf("%s finns inte i det som checkas in: ärendekatalogens rot ska ha den", settings.FileName)
	}
	// A case that refers to another (an e-post case to its released log) is checked
	// against that case as it is in the change: its files are written out too, read only.
	if !everyCase {
		var refs []string
		for id := range byCase {
			data, err := os.ReadFile(filepath.Join(tmp, repo.CasesDir, id, casefile.FileName))
			if err != nil {
				continue
			}
			for _, m := range caseRef.FindAllSubmatch(data, -1) {
				if ref := string(m[1]); byCase[ref] == nil && caseFiles[ref] == nil && !slices.Contains(refs, ref) {
					refs = append(refs, ref)
				}
			}
		}
		for _, ref := range refs {
			more, err := ch.files(batch, changes, repo.CasesDir+"/"+ref)
			if err != nil {
				return nil, err
			}
			for _, e := range more {
				if _, rest, _ := inCase(e.Path); isWorkArea(staged, rest) {
					continue
				}
				if err := materialize(batch, e, tmp); err != nil {
					return nil, err
				}
			}
		}
	}
	r, err := repo.Open(tmp)
	if err != nil {
		return nil, err
	}
	r.WorkBase = ch.WorkBase
	r.NoWorkArea = ch.History // history is judged by what was committed
	if everyCase {
		rep.Findings = append(rep.Findings, r.Findings...)
	}

	for _, fc := range outside {
		rep.Findings = append(rep.Findings, ch.rawOutside(r, batch, fc, tmp)...)
	}
	ids := make([]string, 0, len(byCase))
	for id := range byCase {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// The rules that judge the change are its parent's (parent.go); they differ from the
	// change's own only when it changes the settings or the templates.
	rules := r
	if everyCase && ch.Before != "" {
		pdir, err := os.MkdirTemp(ch.TmpDir, "utlamnande-regler-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(pdir)
		pr, ok, err := parentRules(batch, ch.Before, pdir, r)
		if err != nil {
			return nil, err
		}
		if ok {
			rules = pr
		}
	}
	inUse := map[string]int{}
	for _, id := range ids {
		fs, err := ch.checkCase(r, rules, batch, id, byCase[id], caseFiles[id], rep, inUse)
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, fs...)
	}
	if rules != r {
		rep.Findings = append(rep.Findings, weakened(rules.Types, r.Types, inUse)...)
		pfs, err := ch.personnel(batch, rules.Settings, r.Settings)
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, pfs...)
	}
	if ch.WorkBase != "" && !ch.History && slices.ContainsFunc(all, func(fc fileChange) bool {
		return !fc.deleted && path.Base(fc.path) != casefile.FileName
	}) {
		// The working areas are in the work tree (or where its settings say).
		if wr, err := repo.Open(ch.WorkBase); err == nil {
			rep.Findings = append(rep.Findings, scanWorkAreas(ch.WorkBase, wr, batch, all)...)
		}
	}
	rep.Findings = rep.Findings.Sorted()
	return rep, nil
}

// files lists the files of the change's new state under paths, through the batch process.
// The index is HEAD with the staged changes applied: reading it so costs no git process
// (git ls-files would read the whole index, tens of milliseconds in a large repository).
func (ch Change) files(b *gitcli.Batch, changes []gitcli.Change, paths ...string) ([]gitcli.Entry, error) {
	if ch.After != "" {
		return b.Files(ch.After, paths...)
	}
	var base []gitcli.Entry
	if ch.Before != "" {
		var err error
		if base, err = b.Files(ch.Before, paths...); err != nil {
			return nil, err
		}
	}
	under := func(p string) bool {
		for _, w := range paths {
			if p == w || strings.HasPrefix(p, w+"/") {
				return true
			}
		}
		return false
	}
	byPath := make(map[string]gitcli.Entry, len(base))
	for _, e := range base {
		byPath[e.Path] = e
	}
	for _, c := range changes {
		if c.Status == 'D' || c.Status == 'R' {
			old := c.Path
			if c.Status == 'R' {
				old = c.OldPath
			}
			delete(byPath, old)
		}
		if c.Status != 'D' && under(c.Path) {
			byPath[c.Path] = gitcli.Entry{Mode: c.NewMode, OID: c.NewOID, Path: c.Path}
		}
	}
	out := make([]gitcli.Entry, 0, len(byPath))
	for _, e := range byPath {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b gitcli.Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// fileChange is one path a change adds, modifies or deletes.
type fileChange struct {
	path    string
	rest    string // path inside the case folder
	deleted bool
	oid     string // the new content (not for deletions)
}

// split turns a git change into the paths it touches: a rename deletes one path and adds
// another (possibly in another case folder).
func split(c gitcli.Change) []fileChange {
	switch c.Status {
	case 'D':
		return []fileChange{{path: c.Path, deleted: true}}
	case 'R':
		return []fileChange{{path: c.OldPath, deleted: true}, {path: c.Path, oid: c.NewOID}}
	}
	return []fileChange{{path: c.Path, oid: c.NewOID}}
}

// inCase splits "cases/<id>/<rest>".
func inCase(p string) (id, rest string, ok bool) {
	after, ok := strings.CutPrefix(p, repo.CasesDir+"/")
	if !ok {
		return "", "", false
	}
	id, rest, ok = strings.Cut(after, "/")
	return id, rest, ok && id != ""
}

// isWorkArea reports whether a path inside a case folder is in its working area (the
// default folder name, the one the settings name, or the raw/ of earlier versions).
// s may be nil (the settings are not read yet).
func isWorkArea(s *settings.Settings, rest string) bool {
	first, _, _ := strings.Cut(rest, "/")
	if strings.EqualFold(first, settings.DefaultWorkArea) || strings.EqualFold(first, settings.LegacyRawDir) {
		return true
	}
	return s != nil && s.WorkAreaInCase() && strings.EqualFold(first, s.WorkArea)
}

// materialize writes one file of the change to the temporary folder.
func materialize(b *gitcli.Batch, e gitcli.Entry, dir string) error {
	if e.Mode != "100644" && e.Mode != "100755" {
		return nil // symbolic links and submodules are not case content
	}
	if strings.HasPrefix(e.Path, "/") || slices.Contains(strings.Split(e.Path, "/"), "..") {
		return fmt.Errorf("ogiltig sökväg i git: %q", e.Path)
	}
	data, ok, err := b.Get(e.OID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("git saknar innehållet i %s (%s)", e.Path, e.OID)
	}
	p := filepath.Join(dir, filepath.FromSlash(e.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// checkCase applies every rule to one case folder the change touches. r is the change's
// new state; rules is the same with the parent's settings, types and catalogue (r itself
// when they are not changed). It counts the case's type in inUse.
// files are the case folder's files in the change's new state.
func (ch Change) checkCase(r, rules *repo.Repo, b *gitcli.Batch, id string, changes []fileChange, files []gitcli.Entry, rep *Report, inUse map[string]int) (finding.List, error) {
	var fs finding.List
	folder := repo.CasesDir + "/" + id
	file := folder + "/" + casefile.FileName
	dir := filepath.Join(r.Root, repo.CasesDir, id)
	var beforeData []byte
	beforeOK := false
	if ch.Before != "" {
		var err error
		if beforeData, beforeOK, err = b.Get(ch.Before + ":" + file); err != nil {
			return nil, err
		}
	}
	afterOK := slices.ContainsFunc(files, func(e gitcli.Entry) bool { return e.Path == file })
	if !afterOK {
		if beforeOK {
			fs.Add(file, 0, 0, RuleCaseRemoved, fmt.Sprintf("ärendet %s tas bort ur katalogen (request.md saknas)", id),
				"ärenden tas aldrig bort; gallring registreras som ett steg. Har mappen bytt namn? Byt tillbaka")
			return fs, nil
		}
		if len(files) == 0 {
			return fs, nil // the folder is gone and was never a case
		}
	}
	rep.Cases = append(rep.Cases, folder)
	checked := validate.Case(r, dir, validate.Options{Today: ch.Today})
	fs = append(fs, checked.Findings...)
	if checked.Evidence != nil && checked.Evidence.RawSkipped {
		rep.RawSkipped = append(rep.RawSkipped, id)
	}
	if checked.Case != nil && checked.Case.Type != "" {
		inUse[checked.Case.Type]++
	}
	if afterOK && changes != nil {
		afs, err := ch.requestContent(r, b, file, files, checked)
		if err != nil {
			return nil, err
		}
		fs = append(fs, afs...)
	}
	after := state{c: checked.Case, rec: checked.Record}
	if rules != r && changes != nil {
		// The case changes in a commit that changes the rules: the parent's rules apply
		// too, and they judge how the case moves.
		pc := validate.Case(rules, dir, validate.Options{Today: ch.Today})
		fs = merge(fs, pc.Findings)
		if pc.Record != nil {
			after = state{c: pc.Case, rec: pc.Record}
		}
	}
	decode := func(data []byte) state {
		bc, _ := casefile.Parse(dir, file, data)
		if bc.Root == nil || after.rec == nil || bc.Type != after.c.Type {
			return state{}
		}
		brec, _ := workflow.Check(bc, after.rec.Type, workflow.Env{Settings: rules.Settings, Catalog: rules.Catalog, Today: ch.Today})
		return state{c: bc, rec: brec}
	}
	var before state
	if beforeOK {
		before = decode(beforeData)
	}
	fs = append(fs, fileRules(rules, id, changes, before, after)...)

	// A case that came whole from a merged branch was checked in that branch's own commits,
	// its approvals by who committed them there. How it moves from every other parent it
	// differs from is checked here too: a merge may not drop what a parent had committed.
	fromBranch, err := ch.fromMergedBranch(b, folder, files)
	if err != nil {
		return nil, err
	}
	if !fromBranch && after.rec != nil {
		afs, err := ch.stepAuthor(rules, file, before, after)
		if err != nil {
			return nil, err
		}
		fs = append(fs, afs...)
	}
	if before.rec != nil {
		tfs, approvals := transition(before, after, fromBranch)
		fs = merge(fs, tfs)
		if !fromBranch {
			afs, err := ch.fourEyes(rules, folder, file, approvals)
			if err != nil {
				return nil, err
			}
			fs = append(fs, afs...)
		}
	} else if after.rec != nil && !fromBranch && !beforeOK {
		// A new case: an approval in its very first commit is the decision's own commit.
		_, approvals := transition(state{c: &casefile.Case{File: file}, rec: &workflow.Record{Type: after.rec.Type}}, after, false)
		afs, err := ch.fourEyes(rules, folder, file, approvals)
		if err != nil {
			return nil, err
		}
		fs = append(fs, afs...)
	}
	var afterData []byte
	for _, parent := range ch.Merged {
		data, ok, err := b.Get(parent + ":" + file)
		if err != nil {
			return nil, err
		}
		if !ok || slices.Equal(data, beforeData) {
			continue
		}
		if afterData == nil {
			if i := slices.IndexFunc(files, func(e gitcli.Entry) bool { return e.Path == file }); i >= 0 {
				if afterData, _, err = b.Get(files[i].OID); err != nil {
					return nil, err
				}
			}
		}
		if other := decode(data); other.rec != nil && !slices.Equal(data, afterData) {
			tfs, _ := transition(other, after, true)
			fs = merge(fs, tfs)
		}
	}

	// The written decisions: each there with its step and, until it was sent, what the case
	// gives (rendered again byte for byte).
	if t := typeOf(after); t != nil && len(t.Decisions) > 0 {
		fs = append(fs, decision.Current(r, dir, decision.CheckOptions{
			Options: decision.Options{Today: ch.Today, Version: ch.Version}, History: ch.History,
			Settled: func(doc *workflow.DecisionDoc) bool { return before.recorded(doc.Frozen) }})...)
	}

	// The disclosure: current with its inputs until it is released (then it is frozen, and
	// the release commit itself was checked).
	if t := typeOf(after); t != nil && t.Disclosure != nil && !before.recorded(lockOf(t).Released) {
		required := after.recorded(t.Disclosure.Created)
		if required || hasFiles(files, folder+"/"+disclose.Folder) {
			dfs, rebuilt := disclose.Current(r, dir, required, disclose.CheckOptions{
				Options: disclose.Options{Today: ch.Today, Version: ch.Version}, History: ch.History, Rebuild: ch.Rebuild})
			fs = append(fs, dfs...)
			if rebuilt {
				rep.Rebuilt++
			}
		}
	}
	return fs, nil
}

func typeOf(s state) *workflow.Type {
	if s.rec == nil {
		return nil
	}
	return s.rec.Type
}

func lockOf(t *workflow.Type) *workflow.LockSpec {
	if t.Locks == nil {
		return &workflow.LockSpec{}
	}
	return t.Locks
}

func hasFiles(files []gitcli.Entry, folder string) bool {
	return slices.ContainsFunc(files, func(e gitcli.Entry) bool { return strings.HasPrefix(e.Path, folder+"/") })
}

// fromMergedBranch reports whether the case folder is exactly as in one of the merged
// parents.
func (ch Change) fromMergedBranch(b *gitcli.Batch, folder string, files []gitcli.Entry) (bool, error) {
	if len(ch.Merged) == 0 {
		return false, nil
	}
	var mine []string
	for _, e := range files {
		mine = append(mine, e.Path+" "+e.OID)
	}
	slices.Sort(mine)
	for _, parent := range ch.Merged {
		theirs, err := b.Files(parent, folder)
		if err != nil {
			return false, err
		}
		var list []string
		for _, e := range theirs {
			if id, rest, ok := inCase(e.Path); ok && id != "" && !isWorkArea(nil, rest) {
				list = append(list, e.Path+" "+e.OID)
			}
		}
		slices.Sort(list)
		if slices.Equal(list, mine) {
			return true, nil
		}
	}
	return false, nil
}

// requestContent searches the staged request.md for what must not be in git: a raw export
// written into it as base64, and (when the case's working area is on this machine) text
// that the case's workbook masks, e.g. a subject pasted into the notes, also when it is
// written encoded (base64, HTML entities, JSON escapes ...: expand).
func (ch Change) requestContent(r *repo.Repo, b *gitcli.Batch, file string, files []gitcli.Entry, checked validate.Checked) (finding.List, error) {
	i := slices.IndexFunc(files, func(e gitcli.Entry) bool { return e.Path == file })
	if i < 0 {
		return nil, nil
	}
	data, ok, err := b.Get(files[i].OID)
	if err != nil || !ok {
		return nil, err
	}
	fs := rawPieces(r, file, data, "", false)
	var spans []mask.SpanAt
	where := "som är maskad i granskningsboken"
	if ev := checked.Evidence; ev != nil && ev.Proof != nil {
		spans = ev.Proof.SpanCells
	}
	if mev := checked.Mail; mev != nil {
		spans, where = mev.Spans, "som är maskad i e-postmeddelandena, eller inte lämnas ut,"
	}
	if len(spans) > 0 {
		var pieces []piece // the notes as they are, and encoded (base64, HTML entities ...: expand)
		expand(file, data, func(p piece) bool {
			pieces = append(pieces, p)
			return true
		})
		var incomplete bool // a request.md is text: nothing in it goes unread
		if hit, in := findIn(mask.NewSpanIndex(spans), file, pieces, &incomplete); hit != nil {
			fs.Add(file, 0, 0, RuleWorkArea, fmt.Sprintf("request.md innehåller%s text %s (%s)", in, where, hit.Cell),
				"det maskerade hör hemma i arbetsytan, inte i ärendets anteckningar: skriv om texten utan uppgiften (t.ex. \"se "+hit.Cell+"\")")
		}
	}
	return fs, nil
}

// author returns who makes the change (asking git only when needed).
func (ch *Change) author() (gitcli.Ident, error) {
	if ch.Author.Email == "" && ch.AuthorLookup != nil {
		var err error
		if ch.Author, err = ch.AuthorLookup(); err != nil {
			return gitcli.Ident{}, fmt.Errorf("git vet inte vem som checkar in: %w (ställ in git config user.name och user.email)", err)
		}
	}
	return ch.Author, nil
}

// stepAuthor checks who commits the steps the change records: a person in the (parent's)
// settings, and for a step that needs an approval (the decision) the person who signed it,
// so that the four-eyes rule compares real people, not an address typed for the occasion.
func (ch Change) stepAuthor(r *repo.Repo, file string, before, after state) (finding.List, error) {
	var fs finding.List
	for _, p := range after.c.Steps {
		if before.c != nil && before.step(p.Key) != nil {
			continue
		}
		s, ok := after.rec.Type.Step(p.Key)
		if !ok {
			continue
		}
		author, err := ch.author()
		if err != nil {
			return nil, err
		}
		who := fmt.Sprintf("%s <%s>", author.Name, author.Email)
		person, known := r.Settings.PersonByEmail(author.Email)
		rs, _ := after.rec.Recorded(p.Key)
		switch {
		case !known:
			fs.Add(file, p.KeyN.Line, p.KeyN.Column, RuleAuthor, fmt.Sprintf("steget %s checkas in av %s, som inte finns bland personerna i %s", p.Key, who, settings.FileName),
				"checka in med din egen adress: git config user.email ska vara din e-post i "+settings.FileName)
		case s.Approval && rs != nil && rs.Signer != "" && rs.Signer != person.Signature:
			fs.Add(file, p.KeyN.Line, p.KeyN.Column, RuleAuthor, fmt.Sprintf("steget %s är signerat av %s men checkas in av %s (%s)", p.Key, rs.Signer, person.Signature, who),
				"ett beslut som kräver godkännande checkas in av den som fattat det, så att granskaren kan vara en annan person")
		case s.Role == settings.RoleDecisionMaker && rs != nil && rs.Signer != "" && rs.Signer != person.Signature:
			fs.Add(file, p.KeyN.Line, p.KeyN.Column, RuleAuthor, fmt.Sprintf("steget %s är signerat av %s men checkas in av %s (%s)", p.Key, rs.Signer, person.Signature, who),
				"ett beslut enligt delegationen checkas in av den som har fattat det (roll "+settings.RoleDecisionMaker+"), med sin egen git-identitet")
		}
	}
	return fs, nil
}

// fourEyes checks who commits each approval the change adds: the reviewer who signs it,
// in a commit of their own, who did not commit the decision.
func (ch Change) fourEyes(r *repo.Repo, folder, file string, approvals []approvalAdded) (finding.List, error) {
	var fs finding.List
	if len(approvals) > 0 {
		if _, err := ch.author(); err != nil {
			return nil, err
		}
	}
	for _, a := range approvals {
		line, col := 0, 0
		if a.Node != nil {
			line, col = a.Node.Line, a.Node.Column
		}
		who := fmt.Sprintf("%s <%s>", ch.Author.Name, ch.Author.Email)
		p, ok := r.Settings.PersonByEmail(ch.Author.Email)
		switch {
		case !ok:
			fs.Add(file, line, col, RuleFourEyes, fmt.Sprintf("godkännandet av steget %s checkas in av %s, som inte finns bland personerna i %s", a.Step, who, settings.FileName),
				"granskaren checkar in sitt godkännande själv, med git config user.email satt till sin adress i "+settings.FileName)
			continue
		case a.Signer != "" && p.Signature != a.Signer:
			fs.Add(file, line, col, RuleFourEyes, fmt.Sprintf("godkännandet av steget %s är signerat av %s men checkas in av %s (%s)", a.Step, a.Signer, p.Signature, who),
				"granskaren checkar in sitt eget godkännande")
			continue
		}
		if a.NewStep {
			fs.Add(file, line, col, RuleFourEyes, fmt.Sprintf("steget %s och dess godkännande checkas in i samma commit", a.Step),
				"den som fattar beslutet checkar in steget; granskaren godkänner det sedan i en egen commit")
			continue
		}
		if err := ch.requireSignature(r, p, a, file, line, col, &fs); err != nil {
			return nil, err
		}
		if ch.StepAuthor == nil {
			continue
		}
		author, commit, found, err := ch.StepAuthor(r, folder, a.Step)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		if q, ok := r.Settings.PersonByEmail(author.Email); strings.EqualFold(author.Email, ch.Author.Email) || ok && q.Signature == p.Signature {
			fs.Add(file, line, col, RuleFourEyes, fmt.Sprintf("%s godkänner steget %s, som hen själv checkade in (commit %s)", p.Signature, a.Step, short(commit)),
				"en annan granskare än den som checkade in beslutet ska godkänna det")
		}
	}
	return fs, nil
}

func short(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}
