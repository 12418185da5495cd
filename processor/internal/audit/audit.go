// Package audit reads a case's audit trail from git history: for each step the commit that
// recorded it, its git author and date beside the signer written in the file; each
// approval and who committed it; the corrections with their reasons; and every version of
// the disclosure PDF with its SHA-256 and the commit that released it.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/history"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/workflow"
)

// Commit is a commit as the trail shows it.
type Commit struct {
	Hash        string    `json:"commit"`
	AuthorName  string    `json:"författare"`
	AuthorEmail string    `json:"e-post"`
	When        time.Time `json:"tid"`
	Subject     string    `json:"rubrik"`
	// Person is the signature of the person in the settings whose e-mail is the author's,
	// or "" when none is.
	Person string `json:"person,omitempty"`
}

// Step is one recorded step.
type Step struct {
	Name     string    `json:"steg"`
	Title    string    `json:"rubrik,omitempty"`
	Routine  string    `json:"rutinsteg,omitempty"`
	Date     string    `json:"datum"`
	Signer   string    `json:"signatur"`
	Recorded *Commit   `json:"incheckat"`
	Approval *Approval `json:"godkännande,omitempty"`
	// Removed: the step was recorded but is not in the case now (taken away by a correction).
	Removed bool `json:"borttaget,omitempty"`
	// Changed lists the later commits that changed the step (each with a correction).
	Changed []*Commit `json:"ändrat,omitempty"`
	// Fields are the step's other recorded values (e.g. the disposal decision and the files
	// deleted at gallring), as the case says now.
	Fields []Field `json:"uppgifter,omitempty"`
}

// Field is one recorded value of a step: its key, heading and value (a list: its items).
type Field struct {
	Key    string   `json:"nyckel"`
	Title  string   `json:"rubrik,omitempty"`
	Values []string `json:"värden"`
}

// Approval is a reviewer's approval of a step.
type Approval struct {
	Date      string  `json:"datum"`
	Signer    string  `json:"signatur"`
	Committed *Commit `json:"incheckat"`
	// Workbook and Raw are the SHA-256 of the approved workbook and raw export.
	Workbook string `json:"granskningsbok_sha256,omitempty"`
	Raw      string `json:"råexport_sha256,omitempty"`
}

// Correction is a correction record.
type Correction struct {
	Step      string  `json:"steg"`
	Date      string  `json:"datum"`
	Signer    string  `json:"signatur"`
	Reason    string  `json:"skäl"`
	Committed *Commit `json:"incheckat"`
}

// PDF is one committed version of the disclosure PDF.
type PDF struct {
	File      string  `json:"fil"`
	SHA256    string  `json:"sha256"`
	Processor string  `json:"processor,omitempty"` // from the manifest committed with it
	Committed *Commit `json:"incheckat"`
	Released  bool    `json:"utlämnad"` // the version in the case when the release step was committed
	blob      string
}

// Trail is a case's audit trail.
type Trail struct {
	Case      string `json:"ärende"`
	Type      string `json:"typ"`
	TypeTitle string `json:"ärendetyp,omitempty"`
	// Mail: the type reviews e-mails (e-post), so an approval's Workbook is the review
	// texts' and decisions' SHA-256 (e-post_sha256).
	Mail   bool   `json:"e-post,omitempty"`
	Folder string `json:"mapp"`
	Head   string `json:"läst_från"`
	// Commits are the commits that changed the case folder, newest first: the same as
	// git log --format=%H -- <mapp> lists.
	Commits     []string      `json:"commits"`
	Steps       []*Step       `json:"steg"`
	Corrections []*Correction `json:"rättelser"`
	PDFs        []*PDF        `json:"pdf"`
	// Decision is the step the type names as the disclosure's decision, and Released its
	// release step, for the reader.
	Decision string `json:"beslut,omitempty"`
	Released string `json:"utlämnandesteg,omitempty"`
	// Provisions of the decision, as recorded: reference → number of masks.
	Provisions map[string]int `json:"bestämmelser,omitempty"`
}

// Env is what reading a trail needs besides history.
type Env struct {
	Settings *settings.Settings
	Types    map[string]*workflow.Type
	Catalog  *provision.Catalog
}

// version is one version of the case file, decoded.
type version struct {
	commit *history.Commit
	c      *casefile.Case
	rec    *workflow.Record
	steps  map[string]string // step → canonical content without approval
	approv map[string]string // step → canonical approval
	files  map[string]string // path → blob hash
}

// Read reads the trail of the case folder (slash path, e.g. "cases/2026-0001") from rev.
func Read(h *history.Repo, rev, folder string, env Env) (*Trail, error) {
	head, err := h.Resolve(rev)
	if err != nil {
		return nil, err
	}
	commits, err := h.FolderCommits(head, folder)
	if err != nil {
		return nil, err
	}
	if len(commits) == 0 {
		return nil, fmt.Errorf("%s finns inte i historiken från %s", folder, rev)
	}
	tr := &Trail{Folder: folder, Head: head}
	for _, c := range commits {
		tr.Commits = append(tr.Commits, c.Hash)
	}
	file := folder + "/" + casefile.FileName
	cache := map[string]*version{}
	load := func(hash string, c *history.Commit) (*version, error) {
		if v, ok := cache[hash]; ok {
			return v, nil
		}
		v := &version{commit: c}
		cache[hash] = v
		data, ok, err := h.File(hash, file)
		if err != nil {
			return nil, err
		}
		if v.files, err = h.Files(hash, folder); err != nil {
			return nil, err
		}
		if !ok {
			return v, nil
		}
		v.c, _ = casefile.Parse(folder, file, data)
		v.steps, v.approv = map[string]string{}, map[string]string{}
		for _, p := range v.c.Steps {
			v.steps[p.Key], v.approv[p.Key] = workflow.StepCanon(p.Value)
		}
		if t, ok := env.Types[v.c.Type]; ok && v.c.Root != nil {
			v.rec, _ = workflow.Check(v.c, t, workflow.Env{Settings: env.Settings, Catalog: env.Catalog})
		}
		return v, nil
	}

	steps := map[string]*Step{}
	seenCorr := 0
	pdfSeen := map[string]bool{}
	var released *Commit
	var releasedFiles map[string]string
	// Oldest first, so each step is credited to the commit that first recorded it.
	for i := len(commits) - 1; i >= 0; i-- {
		c := &commits[i]
		cur, err := load(c.Hash, c)
		if err != nil {
			return nil, err
		}
		var parents []*version
		for _, p := range c.Parents {
			pv, err := load(p, nil)
			if err != nil {
				return nil, err
			}
			parents = append(parents, pv)
		}
		// What this commit did to each step is what it has that none of its parents had.
		inParent := func(f func(*version) bool) bool { return slices.ContainsFunc(parents, f) }
		commit := toCommit(c, env.Settings)
		if cur.c == nil {
			continue
		}
		if tr.Case == "" || cur.c.ID != "" {
			tr.Case, tr.Type = cur.c.ID, cur.c.Type
		}
		for _, p := range cur.c.Steps {
			name := p.Key
			body, approval := cur.steps[name], cur.approv[name]
			s := steps[name]
			switch {
			case s == nil || !inParent(func(v *version) bool { _, ok := v.steps[name]; return ok }):
				s = &Step{Name: name, Recorded: commit} // recorded here (again, after a removal)
				steps[name] = s
			case !inParent(func(v *version) bool { return v.steps[name] == body }):
				s.Changed = append(s.Changed, commit)
			}
			switch {
			case approval == "":
				s.Approval = nil
			case !inParent(func(v *version) bool { return v.approv[name] == approval }):
				s.Approval = &Approval{Committed: commit}
			}
		}
		for name, s := range steps {
			if _, ok := cur.steps[name]; !ok && inParent(func(v *version) bool { _, ok := v.steps[name]; return ok }) {
				s.Removed = true
			}
		}
		if cur.rec != nil {
			if v := cur.rec.Value(workflow.CorrectionsKey); v != nil {
				for j := seenCorr; j < len(v.Corrections); j++ {
					k := v.Corrections[j]
					tr.Corrections = append(tr.Corrections, &Correction{Step: k.Step, Date: k.Date.String(), Signer: k.Signer, Reason: k.Reason, Committed: commit})
				}
				seenCorr = max(seenCorr, len(v.Corrections))
			}
			t := cur.rec.Type
			if t.Locks != nil && released == nil {
				if _, ok := cur.rec.Recorded(t.Locks.Released); ok {
					released, releasedFiles = commit, cur.files
				}
			}
		}
		// PDF versions: each new blob of the disclosure PDF.
		for path, blob := range cur.files {
			if !isPDF(folder, path) || pdfSeen[blob] {
				continue
			}
			pdfSeen[blob] = true
			data, ok, err := h.File(c.Hash, path)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			sum := sha256.Sum256(data)
			pdf := &PDF{File: path, SHA256: hex.EncodeToString(sum[:]), Committed: commit, blob: blob}
			if m, ok, _ := h.File(c.Hash, folder+"/"+disclose.Folder+"/"+disclose.ManifestFile); ok {
				pdf.Processor = manifestVersion(m)
			}
			tr.PDFs = append(tr.PDFs, pdf)
		}
	}

	// The final version: what the case says now, for dates, signers and titles.
	last, err := load(commits[0].Hash, &commits[0])
	if err != nil {
		return nil, err
	}
	var t *workflow.Type
	if last.c != nil {
		t = env.Types[last.c.Type]
	}
	if t != nil {
		tr.TypeTitle = t.Title
		tr.Mail = t.Mail != nil
		if t.Disclosure != nil {
			tr.Decision = t.Disclosure.Decision
		}
		if t.Locks != nil {
			tr.Released = t.Locks.Released
		}
	}
	order := func(name string) int {
		if t != nil {
			if s, ok := t.Step(name); ok {
				return s.Index
			}
		}
		return 1 << 20
	}
	for _, s := range steps {
		if t != nil {
			if st, ok := t.Step(s.Name); ok {
				s.Title, s.Routine = st.Title, st.Routine
			}
		}
		if last.rec != nil {
			if rs, ok := last.rec.Recorded(s.Name); ok {
				s.Date, s.Signer = rs.Date.String(), rs.Signer
			}
			if v := last.rec.Value("steg." + s.Name + ".godkänd"); v != nil && v.Approval != nil && s.Approval != nil {
				s.Approval.Date, s.Approval.Signer = v.Approval.Date.String(), v.Approval.Signer
				s.Approval.Workbook, s.Approval.Raw = v.Approval.Workbook, v.Approval.Raw
			}
			s.Fields = stepFields(last.rec, s.Name)
			if tr.Decision == s.Name {
				if v := last.rec.Value("steg." + s.Name + ".bestämmelser"); v != nil && len(v.Provisions) > 0 {
					tr.Provisions = map[string]int{}
					for _, p := range v.Provisions {
						tr.Provisions[p.Ref.String()] = p.Count
					}
				}
			}
		}
		tr.Steps = append(tr.Steps, s)
	}
	slices.SortStableFunc(tr.Steps, func(a, b *Step) int { return order(a.Name) - order(b.Name) })
	if released != nil {
		// The released PDF is the version in the case when the release step was committed.
		for _, p := range tr.PDFs {
			if releasedFiles[p.File] == p.blob {
				p.Released = true
			}
		}
	}
	return tr, nil
}

// stepFields returns the values recorded in step other than its date, signer, approval and
// provisions (which the trail shows in their own places).
func stepFields(rec *workflow.Record, step string) []Field {
	prefix := "steg." + step + "."
	var out []Field
	for _, p := range rec.Order {
		key, ok := strings.CutPrefix(p, prefix)
		if !ok || strings.Contains(key, ".") || key == "datum" || key == "av" || key == workflow.ApprovalKey {
			continue
		}
		v := rec.Values[p]
		if v == nil || v.Field == nil || len(v.Provisions) > 0 || v.Field.Kind == workflow.KindProvisions {
			continue
		}
		f := Field{Key: key, Title: v.Field.Title}
		switch {
		case len(v.List) > 0:
			f.Values = v.List
		case v.Text != "":
			f.Values = []string{v.Text}
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// StepCommit returns the commit, reachable from rev, that recorded step in the case folder.
func StepCommit(h *history.Repo, rev, folder, step string, env Env) (*Commit, bool, error) {
	tr, err := Read(h, rev, folder, env)
	if err != nil {
		return nil, false, err
	}
	for _, s := range tr.Steps {
		if s.Name == step && !s.Removed {
			return s.Recorded, true, nil
		}
	}
	return nil, false, nil
}

func toCommit(c *history.Commit, s *settings.Settings) *Commit {
	out := &Commit{Hash: c.Hash, AuthorName: c.AuthorName, AuthorEmail: c.AuthorEmail, When: c.AuthorWhen.In(date.Stockholm), Subject: c.Subject}
	if s != nil {
		if p, ok := s.PersonByEmail(c.AuthorEmail); ok {
			out.Person = p.Signature
		}
	}
	return out
}

func isPDF(folder, path string) bool {
	dir := folder + "/" + disclose.Folder + "/"
	return len(path) > len(dir) && path[:len(dir)] == dir && len(path) > 4 && path[len(path)-4:] == ".pdf"
}

// manifestVersion reads the processor version a manifest records.
func manifestVersion(data []byte) string {
	var m disclose.Manifest
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	return m.Processor
}

// Remarks are what an auditor should look at: steps committed by someone other than their
// signer, approvals not committed by the approving reviewer or committed by the one who
// committed the decision, steps changed after they were committed, PDFs never released.
func (t *Trail) Remarks() []string {
	var out []string
	for _, s := range t.Steps {
		if s.Recorded != nil && s.Signer != "" && s.Recorded.Person != s.Signer {
			who := s.Recorded.AuthorEmail
			if s.Recorded.Person != "" {
				who = s.Recorded.Person
			}
			out = append(out, fmt.Sprintf("steget %s är signerat av %s men incheckat av %s", s.Name, s.Signer, who))
		}
		if a := s.Approval; a != nil && a.Committed != nil {
			if a.Committed.Person != a.Signer {
				out = append(out, fmt.Sprintf("godkännandet av %s är signerat av %s men incheckat av %s", s.Name, a.Signer, a.Committed.AuthorEmail))
			}
			if s.Recorded != nil && a.Committed.Hash == s.Recorded.Hash {
				out = append(out, fmt.Sprintf("steget %s och dess godkännande checkades in i samma commit", s.Name))
			} else if s.Recorded != nil && a.Committed.AuthorEmail == s.Recorded.AuthorEmail {
				out = append(out, fmt.Sprintf("steget %s godkändes av samma git-författare som checkade in det (%s)", s.Name, a.Committed.AuthorEmail))
			}
		}
		for _, c := range s.Changed {
			out = append(out, fmt.Sprintf("steget %s ändrades efter att det checkats in (commit %s)", s.Name, c.Hash[:min(10, len(c.Hash))]))
		}
		if s.Removed {
			out = append(out, fmt.Sprintf("steget %s checkades in men är borttaget", s.Name))
		}
	}
	return out
}
