// Package mailcase is what the files of an e-post case say: the released log the request
// refers to, the e-mails exported into the working area (export/) and matched to the
// requested log rows, the review texts the import wrote (e-post/NNNN.txt) and the masking
// proof that compares each masked text with its e-mail, beside the decisions in the front
// matter. It is to the e-post case what validate's evidence is to the log's workbook.
package mailcase

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/internal/mailtext"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/yamldoc"
)

// Rule names of the e-mails' checks.
const (
	RuleLogCase  = "e-postlogg-ärende" // the released log the request refers to
	RuleMatch    = "e-post-matchning"  // each requested row has its e-mail, each e-mail a requested row
	RuleText     = "granskningstext"   // the review texts: there, readable, one per requested e-mail
	RuleSource   = "e-post-export"     // the exported e-mails in the working area
	RuleDecision = workflow.RuleMailDecision
)

// ExportFolder is the working area's folder the e-mails are exported into.
const ExportFolder = "export"

// ReleaseFolder is the case's folder of released files (as for the log).
const ReleaseFolder = "utlamnande"

// LogRow is one row of the released log, as far as matching needs it.
type LogRow struct {
	Nr      int
	When    time.Time // zero when the cell is masked or not a date
	From    string    // the literal text of the Från cell (masks left out)
	To      string
	Subject []string // the literal pieces of the Ämne cell, in order
	Masked  bool     // some cell of the row is masked: matching uses what is left
	Cell    string   // the row's Nr cell, for messages ("Logg!A8")
}

// Log is the released log of another case.
type Log struct {
	CaseID string
	File   string // the released workbook's path, relative to the root
	Rows   map[int]LogRow
}

// ReadLog reads the released log of case id: the case must exist, have a review workbook,
// have recorded its release, and have the released workbook in utlamnande/. The error says
// which of these is not so, in Swedish.
func ReadLog(r *repo.Repo, id string) (*Log, error) {
	if !casefile.IDPattern.MatchString(id) {
		return nil, fmt.Errorf("%q är inget ärendenummer (ÅÅÅÅ-NNNN)", id)
	}
	dir := filepath.Join(r.Root, repo.CasesDir, id)
	c, _, err := casefile.Load(dir, r.Rel(filepath.Join(dir, casefile.FileName)))
	if err != nil || c.Root == nil {
		return nil, fmt.Errorf("ärendet %s finns inte i %s/", id, repo.CasesDir)
	}
	t := r.Types[c.Type]
	if t == nil || t.Workbook == nil {
		return nil, fmt.Errorf("ärendet %s är inget ärende om en e-postlogg (typ %s)", id, c.Type)
	}
	rec, _ := workflow.Check(c, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: date.Today()})
	released := ""
	if t.Locks != nil {
		released = t.Locks.Released
	}
	if _, ok := rec.Recorded(released); released == "" || !ok {
		return nil, fmt.Errorf("e-postloggen i ärende %s är inte utlämnad (steget %s är inte registrerat)", id, orDefault(released, "utlämnad"))
	}
	path := filepath.Join(dir, ReleaseFolder, t.Workbook.File)
	rev, _, err := workbook.ReadReview(path, r.Rel(path), t.Workbook)
	if err != nil {
		return nil, fmt.Errorf("den utlämnade e-postloggen %s kan inte läsas: %v", r.Rel(path), err)
	}
	log := &Log{CaseID: id, File: r.Rel(path), Rows: map[int]LogRow{}}
	col := func(name string) int {
		for i, c := range t.Workbook.Columns {
			if c.Name == name {
				return i + 1
			}
		}
		return -1
	}
	dateCol := -1
	for i, c := range t.Workbook.Columns {
		if c.Kind == workflow.ColDate {
			dateCol = i + 1
			break
		}
	}
	fromCol, toCol, subjCol := col("Från"), col("Till"), col("Ämne")
	for _, row := range rev.Rows {
		nr, err := strconv.Atoi(strings.TrimSpace(row.Cells[0]))
		if err != nil || nr < 1 {
			continue
		}
		lr := LogRow{Nr: nr, Cell: rev.CellRef(0, row.Line)}
		literal := func(i int) string {
			if i < 0 || i >= len(row.Cells) {
				return ""
			}
			segs, _ := mask.Split(row.Cells[i])
			if mask.HasMask(segs) {
				lr.Masked = true
			}
			return strings.Join(mask.Literal(segs), " ")
		}
		if dateCol > 0 {
			if tm, ok := rev.TimeOf(row.Cells[dateCol], date.Stockholm); ok {
				lr.When = tm
			}
		}
		lr.From, lr.To = literal(fromCol), literal(toCol)
		if subjCol > 0 && subjCol < len(row.Cells) {
			segs, _ := mask.Split(row.Cells[subjCol])
			lr.Masked = lr.Masked || mask.HasMask(segs)
			for _, l := range mask.Literal(segs) {
				if s := strings.TrimSpace(mask.Unescape(l)); s != "" {
					lr.Subject = append(lr.Subject, s)
				}
			}
		}
		log.Rows[nr] = lr
	}
	return log, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// LogOf reads the released log that case rec refers to (e-post.logg_ärende) and checks that
// it has every requested row; the findings are at file's lines. It is nil, with no finding,
// when the case names no log (a required field, reported as such).
func LogOf(r *repo.Repo, rec *workflow.Record, m *workflow.MailSpec, file string) (*Log, finding.List) {
	v := rec.Value(m.LogCase)
	if v == nil || v.Text == "" {
		return nil, nil
	}
	var fs finding.List
	log, err := ReadLog(r, v.Text)
	if err != nil {
		fs.Add(file, v.Node.Line, v.Node.Column, RuleLogCase, err.Error(),
			"e-postlogg_ärende anger ärendet där e-postloggen lämnades ut (steget utlämnad registrerat, granskningsboken i utlamnande/)")
		return nil, fs
	}
	requested, line := Requested(rec, m)
	for _, nr := range requested {
		if _, ok := log.Rows[nr]; !ok {
			fs.Add(file, line, 0, RuleLogCase, fmt.Sprintf("e-postloggen i ärende %s har ingen rad %d (den har %d rader)", log.CaseID, nr, len(log.Rows)),
				"begärda_e-post anger Nr i den utlämnade e-postloggen ("+log.File+")")
		}
	}
	return log, fs
}

// Source is the e-mails exported into a case's working area.
type Source struct {
	Path     string // the export folder (absolute)
	Messages []*mailfile.Message
	Skipped  []mailfile.Skipped
	SHA256   string // over every message file: "<sha256>  <file>\n" lines in order
}

// ReadSource reads the e-mails in the export folder of a working area. The error holds
// every message that could not be read (mailfile.SourceError), in Swedish.
func ReadSource(work string) (*Source, error) {
	dir := filepath.Join(work, ExportFolder)
	msgs, skipped, err := mailfile.ReadSource(dir)
	if err != nil && msgs == nil {
		return nil, err
	}
	s := &Source{Path: dir, Messages: msgs, Skipped: skipped}
	h := sha256.New()
	for _, m := range msgs {
		fmt.Fprintf(h, "%s  %s\n", m.SHA256, m.File)
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, err
}

// Tolerance is how far an e-mail's Date may be from its log row's time: the log has the
// time the mail system received it, the e-mail the time its sender's program sent it.
const Tolerance = 10 * time.Minute

// Match pairs each requested log row with the e-mail exported for it: the same sender and
// recipients (as far as the log row is not masked), a time within Tolerance, and the
// subject's literal pieces in order. Each e-mail serves one row; a row with no e-mail, or
// more than one that fits equally well, and an e-mail that fits no requested row, are
// findings at file (request.md) line.
func Match(log *Log, requested []int, msgs []*mailfile.Message, file string, line int) (map[int]*mailfile.Message, finding.List) {
	var fs finding.List
	byNr := map[int]*mailfile.Message{}
	used := map[*mailfile.Message]bool{}
	for _, nr := range requested {
		row, ok := log.Rows[nr]
		if !ok {
			continue // reported by the caller: no such row
		}
		best, bestScore, ties := (*mailfile.Message)(nil), 0, 0
		for _, m := range msgs {
			if used[m] {
				continue
			}
			s := score(row, m)
			switch {
			case s > bestScore:
				best, bestScore, ties = m, s, 1
			case s == bestScore && s > 0:
				ties++
			}
		}
		switch {
		case best == nil:
			fs.Add(file, line, 0, RuleMatch, fmt.Sprintf("inget exporterat e-postmeddelande matchar rad %d i e-postloggen (%s: %s, från %s till %s)", nr, row.Cell, mailtext.When(row.When), row.From, row.To),
				"exportera meddelandet ur Purview (samma avsändare, mottagare och tid) och lägg det i arbetsytans export/, eller kontrollera att nr "+strconv.Itoa(nr)+" är rätt rad")
		case ties > 1:
			fs.Add(file, line, 0, RuleMatch, fmt.Sprintf("%d exporterade e-postmeddelanden matchar rad %d i e-postloggen lika bra", ties, nr),
				"ta bort dubbletterna ur arbetsytans export/ så att ett meddelande per begärd rad finns kvar")
		default:
			byNr[nr], used[best] = best, true
		}
	}
	for _, m := range msgs {
		if !used[m] {
			fs.Add(file, line, 0, RuleMatch, fmt.Sprintf("e-postmeddelandet %s (%s, %q) matchar ingen begärd rad i e-postloggen", m.File, mailtext.When(m.Date), finding.Printable(m.Subject)),
				"ta bort det ur arbetsytans export/ (det är inte begärt), eller lägg till dess Nr i begärda_e-post")
		}
	}
	return byNr, fs
}

// score tells how well e-mail m fits log row: 0 for not at all.
func score(row LogRow, m *mailfile.Message) int {
	s := 1
	if !row.When.IsZero() {
		if m.Date.IsZero() {
			return 0
		}
		d := m.Date.Sub(row.When)
		if d < 0 {
			d = -d
		}
		if d > Tolerance {
			return 0
		}
		s += int((Tolerance - d) / time.Minute) // closer is better
	}
	if row.From != "" {
		if !containsAny(row.From, m.From) {
			return 0
		}
		s += 20
	}
	if row.To != "" {
		all := append(append(append([]mailfile.Address{}, m.To...), m.Cc...), m.Bcc...)
		n := 0
		for _, a := range all {
			if a.Email != "" && strings.Contains(strings.ToLower(row.To), strings.ToLower(a.Email)) {
				n++
			}
		}
		if n == 0 {
			return 0
		}
		s += 10 * n
	}
	subject := strings.ToLower(strings.Join(strings.Fields(m.Subject), " "))
	at := 0
	for _, piece := range row.Subject {
		p := strings.ToLower(strings.Join(strings.Fields(piece), " "))
		i := strings.Index(subject[at:], p)
		if i < 0 {
			return 0
		}
		at += i + len(p)
		s += 5
	}
	return s
}

func containsAny(cell string, as []mailfile.Address) bool {
	cell = strings.ToLower(cell)
	for _, a := range as {
		if a.Email != "" && strings.Contains(cell, strings.ToLower(a.Email)) {
			return true
		}
	}
	return false
}

// Text is one review text as read from its file.
type Text struct {
	Nr    int
	Path  string // absolute
	Name  string // relative to the root, for findings
	Data  []byte // as read (hashed)
	Text  string // normalised (mailtext.Normalise)
	Valid bool   // UTF-8
}

// ReadTexts reads the review texts NNNN.txt in folder (absolute); other files there are
// findings.
func ReadTexts(r *repo.Repo, folder string) (map[int]*Text, finding.List, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, nil, err
	}
	var fs finding.List
	out := map[int]*Text{}
	for _, e := range entries {
		p := filepath.Join(folder, e.Name())
		name := r.Rel(p)
		if e.IsDir() {
			fs.Add(name, 0, 0, RuleText, "en mapp hör inte hemma bland granskningstexterna", "granskningstexterna heter NNNN.txt efter raden i e-postloggen; flytta mappen")
			continue
		}
		nr, ok := mailtext.NrOf(e.Name())
		if !ok {
			if strings.HasPrefix(e.Name(), "~$") || strings.HasPrefix(e.Name(), ".~lock.") || strings.HasSuffix(e.Name(), "~") || strings.HasSuffix(e.Name(), ".swp") || strings.HasPrefix(e.Name(), ".") {
				continue // an editor's working file
			}
			fs.Add(name, 0, 0, RuleText, "filen är ingen granskningstext", "granskningstexterna heter NNNN.txt efter raden i e-postloggen (processor import skriver dem); ta bort eller flytta filen")
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		t := &Text{Nr: nr, Path: p, Name: name, Data: data, Valid: utf8.Valid(data)}
		if !t.Valid {
			fs.Add(name, 0, 0, RuleText, "texten är inte sparad som UTF-8 (den har tecken som inte kan läsas)",
				"spara filen som UTF-8 (i Anteckningar: Spara som, Kodning: UTF-8); å, ä och ö ska synas som vanligt")
		} else {
			t.Text = mailtext.Normalise(string(data))
		}
		out[nr] = t
	}
	return out, fs, nil
}

// MaterialSHA256 is what an approval of an e-post case binds instead of a workbook: the
// SHA-256 over the normalised texts of the released e-mails (in Nr order, as "<sha256>
// NNNN.txt" lines) and the decisions as they read (yamldoc.Canon). The texts of withheld
// e-mails are not in it: they are never released, and what binds them is their decision.
func MaterialSHA256(texts map[int]*Text, decisions []workflow.MailDecision, decisionsNode string) string {
	h := sha256.New()
	nrs := make([]int, 0, len(texts))
	released := map[int]bool{}
	for _, d := range decisions {
		if d.Released() {
			released[d.Nr] = true
		}
	}
	for nr := range texts {
		if released[nr] {
			nrs = append(nrs, nr)
		}
	}
	sort.Ints(nrs)
	for _, nr := range nrs {
		sum := sha256.Sum256([]byte(texts[nr].Text))
		fmt.Fprintf(h, "%s  %s\n", hex.EncodeToString(sum[:]), mailtext.FileName(nr))
	}
	fmt.Fprintf(h, "e-postbeslut\n%s", decisionsNode)
	return hex.EncodeToString(h.Sum(nil))
}

// Evidence is what an e-post case's files say.
type Evidence struct {
	Facts    workflow.Facts
	Findings finding.List
	Log      *Log
	Source   *Source                   // nil when the export is not here
	Matched  map[int]*mailfile.Message // requested Nr → its e-mail, with the export
	Texts    map[int]*Text             // the review texts read (the working area's, or the released ones)
	Proofs   map[int]mask.TextResult   // per Nr, with the export
	// Decisions are the front matter's, by Nr.
	Decisions map[int]workflow.MailDecision
	// Spans are what must never reach a disclosure: every masked span, with its text and
	// line, and the whole text of every withheld e-mail and the name of every withheld
	// (with the export).
	Spans []mask.SpanAt
	// Interrupted: the context ended before the files were read.
	Interrupted bool
}

// Gather reads the files of e-post case c (type t, checked front matter rec).
func Gather(ctx context.Context, r *repo.Repo, c *casefile.Case, t *workflow.Type, rec *workflow.Record) *Evidence {
	if ctx == nil {
		ctx = context.Background()
	}
	m := t.Mail
	ev := &Evidence{Decisions: map[int]workflow.MailDecision{}}
	file := c.File
	var decisions []workflow.MailDecision
	decisionsCanon := ""
	if v := rec.Value(m.Decisions); v != nil {
		decisions = v.Mails
		decisionsCanon = yamldoc.Canon(v.Node)
	}
	for _, d := range decisions {
		ev.Decisions[d.Nr] = d
	}
	requested, reqLine := Requested(rec, m)

	// The released log, in git: it exists, is released, and has the requested rows.
	log, lfs := LogOf(r, rec, m, file)
	ev.Log = log
	ev.Findings = append(ev.Findings, lfs...)

	// The review texts: in the working area while they are masked, the released ones in
	// utlamnande/ from the step that records the PDF.
	work := r.WorkArea(c.Dir, c.ID)
	if _, err := os.Stat(work); work == "" || err != nil {
		ev.Facts.WorkAreaAbsent = true
	}
	folder, released := TextsFolder(r, c.Dir, c.ID, t, rec)
	inRelease := folder == filepath.Join(c.Dir, ReleaseFolder, m.Folder)
	ev.Facts.Released, ev.Facts.WorkbookPath = released, r.Rel(folder)
	if folder != "" {
		if texts, fs, err := ReadTexts(r, folder); err == nil {
			ev.Texts = texts
			ev.Findings = append(ev.Findings, fs...)
			ev.Facts.Workbook, ev.Facts.Read = true, true
		}
	}
	if ctx.Err() != nil {
		ev.Interrupted = true
		ev.Findings.Add(file, 0, 0, RuleSource, "kontrollen avbröts innan e-postmeddelandena var lästa och jämförda; inget är kontrollerat", "kör kontrollen igen")
		return ev
	}
	for nr, tx := range ev.Texts {
		if len(requested) > 0 && !slices.Contains(requested, nr) {
			ev.Findings.Add(tx.Name, 0, 0, RuleText, fmt.Sprintf("e-postmeddelande nr %d är inte begärt", nr), "ta bort texten, eller lägg till "+strconv.Itoa(nr)+" i begärda_e-post")
		}
		if inRelease && !ev.Decisions[nr].Released() {
			ev.Findings.Add(tx.Name, 0, 0, RuleText, fmt.Sprintf("e-postmeddelande nr %d lämnas inte ut men dess text ligger i utlämnandet", nr),
				"bara texterna för de meddelanden som lämnas ut checkas in; ta bort filen: git rm --cached \""+tx.Name+"\"")
		}
	}
	if ev.Texts != nil {
		for _, nr := range requested {
			d, decided := ev.Decisions[nr]
			if _, ok := ev.Texts[nr]; !ok && (!inRelease || decided && d.Released()) {
				ev.Findings.Add(file, reqLine, 0, RuleText, fmt.Sprintf("granskningstexten för e-postmeddelande nr %d (%s) saknas i %s", nr, mailtext.FileName(nr), r.Rel(folder)),
					"importera e-postmeddelandena med processor import "+c.ID+"; en text som har tagits bort skrivs inte om förrän den importeras igen")
			}
		}
	}

	// The export, when it is here: read, matched, each text proved against its e-mail.
	if !ev.Facts.WorkAreaAbsent {
		if _, err := os.Stat(filepath.Join(work, ExportFolder)); err == nil {
			src, err := ReadSource(work)
			switch {
			case src == nil:
				ev.Findings.Add(r.Rel(filepath.Join(work, ExportFolder)), 0, 0, RuleSource, finding.Printable(err.Error()), "lägg Purviews export (.eml- eller .msg-filer, en mapp eller en zip) i arbetsytans export/")
			default:
				if err != nil {
					ev.Findings.Add(r.Rel(src.Path), 0, 0, RuleSource, finding.Printable(err.Error()), "ta bort eller ersätt filerna som inte kan läsas; en .pst exporteras som enskilda meddelanden i Purview eller packas upp med readpst -e")
				}
				ev.Source = src
				ev.Facts.RawSHA256 = src.SHA256
				if ev.Log != nil {
					matched, fs := Match(ev.Log, requested, src.Messages, file, reqLine)
					ev.Matched = matched
					ev.Findings = append(ev.Findings, fs...)
				}
			}
		}
	}
	ev.prove(r)
	// The decisions and the texts must agree once the secrecy review is recorded (before,
	// the masking is under way).
	proved := false
	for _, rs := range rec.Steps {
		proved = proved || rs.Step.Proof
	}
	if proved {
		ev.check(file, decisions)
	}
	if ev.Texts != nil { // what an approval binds, when the texts are here to hash
		ev.Facts.WorkbookSHA256 = MaterialSHA256(ev.Texts, decisions, decisionsCanon)
	}
	ev.Facts.Provisions = ev.provisions(decisions)
	return ev
}

// prove compares each review text with the text of its e-mail.
func (ev *Evidence) prove(r *repo.Repo) {
	ev.Proofs = map[int]mask.TextResult{}
	for nr, tx := range ev.Texts {
		if !tx.Valid {
			ev.Facts.ProofErrors++
			continue
		}
		orig := ""
		if msg := ev.Matched[nr]; msg != nil {
			orig = mailtext.Render(msg)
		}
		if orig == "" {
			// Without the export: what the text alone can show (its references, counted).
			res := mask.ProveText(tx.Text, tx.Text, r.Catalog)
			ev.Proofs[nr] = res
			ev.report(tx, res)
			continue
		}
		res := mask.ProveText(orig, tx.Text, r.Catalog)
		ev.Proofs[nr] = res
		ev.report(tx, res)
		lines := strings.Split(orig, "\n")
		for _, sp := range res.Spans {
			ev.Spans = append(ev.Spans, mask.SpanAt{Text: sp, Cell: fmt.Sprintf("%s:%d", tx.Name, lineOf(lines, sp))})
		}
	}
	// What is withheld must not reach the disclosure either: the body of a withheld e-mail
	// (its headers are in the released log already), line by line, but for lines that a
	// released e-mail has too (a signature, a greeting). A withheld attachment is listed by
	// its name (a name that is secret is masked in the text, and is a span above).
	shared := map[string]bool{} // the lines of the released e-mails, trimmed
	for nr, msg := range ev.Matched {
		if ev.Decisions[nr].Released() {
			for _, l := range strings.Split(mailtext.Render(msg), "\n") {
				shared[strings.TrimSpace(l)] = true
			}
		}
	}
	for nr, msg := range ev.Matched {
		d, ok := ev.Decisions[nr]
		if !ok {
			continue
		}
		name := mailtext.FileName(nr)
		if !d.Released() {
			_, body, _ := strings.Cut(mailtext.Render(msg), "\n\n")
			for _, l := range strings.Split(body, "\n") {
				l = strings.TrimSpace(l)
				if len([]rune(l)) >= 8 && !shared[l] {
					ev.Spans = append(ev.Spans, mask.SpanAt{Text: l, Cell: name + " (lämnas inte ut)"})
				}
			}
		}
	}
	ev.leaks()
	sort.Slice(ev.Spans, func(i, j int) bool {
		if ev.Spans[i].Cell != ev.Spans[j].Cell {
			return ev.Spans[i].Cell < ev.Spans[j].Cell
		}
		return ev.Spans[i].Text < ev.Spans[j].Text
	})
}

func lineOf(lines []string, span string) int {
	first := span
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	for i, l := range lines {
		if strings.Contains(l, first) {
			return i + 1
		}
	}
	return 0
}

func (ev *Evidence) report(tx *Text, res mask.TextResult) {
	for _, p := range res.Problems {
		ev.Findings = append(ev.Findings, finding.Finding{File: tx.Name, Line: p.Line, Col: p.Col, Rule: p.Rule, Severity: finding.Error, Message: p.Msg, Hint: p.Hint})
		ev.Facts.ProofErrors++
	}
}

// check compares the decisions with the texts: a released e-mail's text has masks exactly
// when the decision says so, and each attachment of a released e-mail has a decision.
func (ev *Evidence) check(file string, decisions []workflow.MailDecision) {
	for _, d := range decisions {
		res, proved := ev.Proofs[d.Nr]
		if !proved || !d.Released() {
			continue
		}
		line := 0
		if d.Node != nil {
			line = d.Node.Line
		}
		switch {
		case d.Decision == workflow.DecRelease && res.Masks > 0:
			ev.Findings.Add(file, line, 0, RuleDecision, fmt.Sprintf("e-postmeddelande nr %d lämnas ut utan maskning enligt beslutet, men dess text har %d maskningar", d.Nr, res.Masks),
				"skriv beslut: "+workflow.DecMasked+", eller ta bort maskningarna")
		case d.Decision == workflow.DecMasked && res.Masks == 0:
			ev.Findings.Add(file, line, 0, RuleDecision, fmt.Sprintf("e-postmeddelande nr %d lämnas ut maskat enligt beslutet, men dess text har inga maskningar", d.Nr),
				"skriv beslut: "+workflow.DecRelease+", eller maska texten "+mailtext.FileName(d.Nr))
		}
		n := 0
		if msg := ev.Matched[d.Nr]; msg != nil {
			n = len(msg.Attachments)
		} else if tx := ev.Texts[d.Nr]; tx != nil {
			n = countAttachments(tx.Text)
		}
		for i := 1; i <= n; i++ {
			if _, ok := d.Attachment(i); !ok {
				ev.Findings.Add(file, line, 0, RuleDecision, fmt.Sprintf("bilaga %d till e-postmeddelande nr %d saknar beslut", i, d.Nr),
					fmt.Sprintf("skriv t.ex. bilagor: [{nr: %d, beslut: lämnas_ut}] (lämnas ut som fil), eller lämnas_inte_ut med skäl", i))
			}
		}
		for _, a := range d.Attachments {
			if a.Nr > n { // n is known: every proved text has its e-mail or its own list
				ev.Findings.Add(file, line, 0, RuleDecision, fmt.Sprintf("e-postmeddelande nr %d har ingen bilaga %d", d.Nr, a.Nr), "ta bort beslutet om bilagan")
			}
		}
	}
}

// countAttachments counts the lines of a review text's list of attachments.
func countAttachments(text string) int {
	_, list, ok := strings.Cut(text, "\n"+mailtext.AttachmentsHeading+"\n")
	if !ok {
		return 0
	}
	n := 0
	for _, l := range strings.Split(list, "\n") {
		if i := strings.Index(l, ". "); i > 0 {
			if k, err := strconv.Atoi(l[:i]); err == nil && k == n+1 {
				n++
			}
		}
	}
	return n
}

// provisions counts the provisions the decision's exemption log must list: the masks in the
// released e-mails' texts and every e-mail or attachment withheld for secrecy.
func (ev *Evidence) provisions(decisions []workflow.MailDecision) map[provision.Ref]int {
	out := map[provision.Ref]int{}
	for _, d := range decisions {
		if d.Decision == workflow.DecWithhold {
			if d.Provision != (provision.Ref{}) {
				out[d.Provision.Base()]++
			}
			continue
		}
		if res, ok := ev.Proofs[d.Nr]; ok {
			for ref, n := range res.Provisions {
				out[ref] += n
			}
		}
		for _, a := range d.Attachments {
			if a.Decision == workflow.DecWithhold && a.Provision != (provision.Ref{}) {
				out[a.Provision.Base()]++
			}
		}
	}
	return out
}

// Requested returns the requested log rows (Nr, in order, each once: Record.Requested) and the line they are written on.
func Requested(rec *workflow.Record, m *workflow.MailSpec) ([]int, int) {
	line := 0
	if v := rec.Value(m.Requested); v != nil && v.Node != nil {
		line = v.Node.Line
	}
	return rec.Requested, line
}

// TextsFolder is where the review texts are: the working area's while they are masked; from
// the step that records the PDF, the released ones in utlamnande/ (or the working area's, if
// the release has not been written yet).
func TextsFolder(r *repo.Repo, dir, id string, t *workflow.Type, rec *workflow.Record) (string, bool) {
	work := r.WorkArea(dir, id)
	if work != "" {
		work = filepath.Join(work, t.Mail.Folder)
	}
	if t.Disclosure != nil && rec != nil {
		if _, ok := rec.Recorded(t.Disclosure.Created); ok {
			out := filepath.Join(dir, ReleaseFolder, t.Mail.Folder)
			if _, err := os.Stat(out); err != nil && work != "" {
				if _, err := os.Stat(work); err == nil {
					return work, true
				}
			}
			return out, true
		}
	}
	return work, false
}

// leaks reports masked text that stands unmasked in a released text: in another e-mail, or
// elsewhere in the same one (a name masked in the subject, left in the body; split by a line
// break; in another case or spelling: mask.Fold). The masked text itself is never shown.
func (ev *Evidence) leaks() {
	var spans []mask.SpanAt
	for _, s := range ev.Spans {
		if !strings.HasSuffix(s.Cell, "(lämnas inte ut)") {
			spans = append(spans, s)
		}
	}
	idx := mask.NewSpanIndex(spans)
	if idx == nil {
		return
	}
	nrs := make([]int, 0, len(ev.Texts))
	for nr := range ev.Texts {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	for _, nr := range nrs {
		tx, res := ev.Texts[nr], ev.Proofs[nr]
		if !ev.Decisions[nr].Released() || res.Segments == nil {
			continue
		}
		// The text as released: what stays, with a line break where a mask stands (the text
		// on either side of a mask is not one text).
		var b strings.Builder
		for _, seg := range res.Segments {
			if seg.Mask {
				b.WriteString("\n")
			} else {
				b.WriteString(seg.Text)
			}
		}
		for _, hit := range idx.Find(b.String()) {
			ev.Findings = append(ev.Findings, finding.Finding{File: tx.Name, Rule: mask.RuleLeak, Severity: finding.Error,
				Message: "texten har omaskad text som är maskad i " + hit.Cell,
				Hint:    "maska samma uppgift överallt (också i rubrikraderna, i bilagornas namn och där en radbrytning delar den)"})
			ev.Facts.ProofErrors++
			break
		}
	}
}
