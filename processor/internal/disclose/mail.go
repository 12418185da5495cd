package disclose

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/mailtext"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/pdfdoc"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/render"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// prepareMail works out the disclosure of an e-post case: the released e-mails' approved
// texts (masked) with the cover letter, and the texts to release beside the PDF in
// utlamnande/e-post/ (only those of released e-mails; a withheld e-mail's text never enters
// git).
func prepareMail(r *repo.Repo, dir string, checked validate.Checked, opts Options) (*plan, finding.List, error) {
	c, rec, mev := checked.Case, checked.Record, checked.Mail
	t := rec.Type
	decision, ok := rec.Recorded(t.Disclosure.Decision)
	if !ok {
		return nil, nil, fmt.Errorf("%w: steget %s är inte registrerat", ErrNotReady, t.Disclosure.Decision)
	}
	if !rec.Approved(decision.Step.Name) {
		return nil, nil, fmt.Errorf("%w: steget %s är inte godkänt av en granskare", ErrNotReady, t.Disclosure.Decision)
	}
	if mev == nil || mev.Texts == nil {
		where := t.Mail.Folder + "/"
		if mev != nil && mev.Facts.WorkbookPath != "" {
			where = mev.Facts.WorkbookPath
		}
		return nil, nil, fmt.Errorf("%w: granskningstexterna (%s) saknas", ErrNotReady, where)
	}
	letter, err := os.ReadFile(filepath.Join(r.Root, repo.TemplatesDir, t.Name, t.Disclosure.Letter))
	if err != nil {
		return nil, nil, fmt.Errorf("brevmallen för %s kan inte läsas: %w", t.Name, err)
	}
	p := &plan{id: c.ID, when: decisionDate(rec, decision)}
	p.mailModel = MailModel(r, c, rec, mev, p.when, string(letter), opts.Version)
	if mev.Source != nil && mev.Matched != nil {
		var spans []string
		for _, s := range mev.Spans {
			spans = append(spans, s.Text)
		}
		p.spans = [][]string{spans}
	}
	// The approved texts of the released e-mails go beside the PDF, normalised as the
	// approval bound them, unless they are there already.
	releaseDir := filepath.Join(dir, Folder, t.Mail.Folder)
	if mev.Facts.WorkbookPath != r.Rel(releaseDir) {
		p.release = map[string][]byte{}
		for _, d := range mev.Decisions {
			if tx := mev.Texts[d.Nr]; d.Released() && tx != nil {
				p.release[filepath.Join(releaseDir, mailtext.FileName(d.Nr))] = []byte(tx.Text)
			}
		}
	}
	p.inputs = map[string]string{
		"beslut":    p.mailModel.Hash(),
		"brevmall":  sum(letter),
		"typsnitt":  pdfdoc.DefaultFont().Hash(),
		"processor": sum([]byte(opts.Version)),
	}
	p.inputHash = combined(p.inputs)
	p.inputs["e-post"] = mev.Facts.WorkbookSHA256
	if mev.Facts.RawSHA256 != "" {
		p.inputs["e-postexport"] = mev.Facts.RawSHA256
	}
	p.finish(r, dir, t)
	return p, nil, nil
}

// MailModel builds the disclosure model of an e-post case from its record and the e-mails'
// evidence: the released e-mails' texts as they were approved (masks as their provisions),
// the withheld ones with their reasons, and the exemption log.
func MailModel(r *repo.Repo, c *casefile.Case, rec *workflow.Record, mev *mailcase.Evidence, when time.Time, letter, version string) *render.MailDisclosure {
	t := rec.Type
	m := t.Mail
	d := &render.MailDisclosure{
		CaseID: c.ID, Title: t.Disclosure.Title, Date: when.Format("2006-01-02"), Authority: authority(r),
		Court: r.Settings.Court, Fields: letterFields(rec), Letter: letter, Producer: "processor " + version,
	}
	d.Official = official(r, rec, letter)
	if v := rec.Value(m.LogCase); v != nil {
		d.LogCase = v.Text
	}
	d.Requested, _ = mailcase.Requested(rec, m)
	nrs := make([]int, 0, len(mev.Decisions))
	for nr := range mev.Decisions {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	for _, nr := range nrs {
		dec := mev.Decisions[nr]
		if !dec.Released() {
			w := render.WithheldMail{Nr: nr}
			if reason, ok := m.Reason(dec.Reason); ok {
				w.Reason = reason.Title
			}
			if dec.Provision != (provision.Ref{}) {
				w.Ref = dec.Provision.String()
			}
			d.Withheld = append(d.Withheld, w)
			continue
		}
		tx := mev.Texts[nr]
		if tx == nil {
			continue
		}
		mail := render.Mail{Nr: nr}
		lines := strings.Split(strings.TrimSuffix(tx.Text, "\n"), "\n")
		inList := false
		for _, l := range lines {
			if inList {
				// The attachment's SHA-256 is for the reviewer: to the public it would let a
				// withheld file be confirmed by guessing.
				l = shaSuffix.ReplaceAllString(l, ")")
			}
			cell := lineCell(l)
			mail.Lines = append(mail.Lines, cell)
			if l == mailtext.AttachmentsHeading {
				inList = true
				continue
			}
			if !inList {
				continue
			}
			num, rest, ok := strings.Cut(l, ". ")
			n, err := strconv.Atoi(num)
			if !ok || err != nil {
				continue
			}
			al := render.AttachmentLine{Nr: n, Name: lineCell(rest), Decision: attachmentDecision(m, dec, n)}
			mail.Attachments = append(mail.Attachments, al)
		}
		d.Mails = append(d.Mails, mail)
	}
	for _, p := range r.Catalog.List { // catalog order
		if n := mev.Facts.Provisions[p.Ref]; n > 0 {
			d.Provisions = append(d.Provisions, render.ProvisionLine{Ref: p.Ref.String(), Title: p.Title, Count: n})
		}
	}
	return d
}

// shaSuffix is the end of an attachment's line in a review text: ", SHA-256 <hex>)".
var shaSuffix = regexp.MustCompile(`, SHA-256 [0-9a-f]{64}\)$`)

// lineCell splits a line of a masked text into text and masks, as the PDF draws it (the
// e-mail's own bracket text with its own brackets).
func lineCell(line string) render.Cell {
	segs, _ := mask.Split(line)
	cell := make(render.Cell, 0, len(segs))
	for _, s := range segs {
		if s.Mask {
			cell = append(cell, render.Segment{Ref: s.Ref.String()})
		} else {
			cell = append(cell, render.Segment{Text: mask.Unescape(s.Text)})
		}
	}
	return cell
}

// attachmentDecision is an attachment's decision as the PDF says it.
func attachmentDecision(m *workflow.MailSpec, d workflow.MailDecision, nr int) string {
	a, ok := d.Attachment(nr)
	switch {
	case !ok:
		return "inget beslut"
	case a.Decision == workflow.DecRelease:
		return "lämnas ut (bifogas som fil)"
	}
	reason := a.Reason
	if r, ok := m.Reason(a.Reason); ok {
		reason = r.Title
	}
	if a.Provision != (provision.Ref{}) {
		return "lämnas inte ut: " + reason + ", " + a.Provision.String()
	}
	return "lämnas inte ut: " + reason
}
