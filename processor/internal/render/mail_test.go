package render

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/pdfdoc"
)

// mailLetterPath is the cover letter template of the e-post case type.
const mailLetterPath = "../../../templates/e-post/brev.md"

func mailLetter(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile(mailLetterPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// maskedCell turns a line with masks written ⟦provision|hidden text⟧ into a Cell, as the
// approved review text gives it: the hidden text is dropped and returned, to be looked for.
func maskedCell(s string) (Cell, []string) {
	var c Cell
	var hidden []string
	for {
		i := strings.Index(s, "⟦")
		if i < 0 {
			break
		}
		j := strings.Index(s, "⟧")
		if i > 0 {
			c = append(c, Segment{Text: s[:i]})
		}
		ref, secret, _ := strings.Cut(s[i+len("⟦"):j], "|")
		c = append(c, Segment{Ref: ref})
		hidden = append(hidden, secret)
		s = s[j+len("⟧"):]
	}
	if s != "" || len(c) == 0 {
		c = append(c, Segment{Text: s})
	}
	if len(c) == 1 && c[0].Text == "" {
		c = Cell{}
	}
	return c, hidden
}

const (
	refHealth = "25 kap. 1 § OSL"
	refPerson = "21 kap. 1 § OSL"
)

var bodyPhrases = []string{
	"Tack för ditt svar om budgeten för nästa år, jag återkommer när vi har gått igenom siffrorna.",
	"Mötet i förmiddags flyttas till torsdag klockan 14.00 i rum Älven på plan 3.",
	"Patienten ⟦25 kap. 1 § OSL|Sven Svensson⟧ har fått remiss till ortopeden och väntar på tid.",
	"> Skrev du inte att protokollet skulle vara klart i fredags? Jag har inte sett något än.",
	"Se https://intranat.region.example/styrdokument/riktlinjer-for-arkivering-och-gallring-av-e-post-2026.pdf för detaljer.",
	"Kontakta ⟦21 kap. 1 § OSL|Lisa Lund, 070-123 45 67⟧ om du har frågor om schemat för sommaren.",
	"Åtgärdsplanen ska vara klar före årsskiftet; övriga frågor tar vi på ledningsgruppens möte i början av nästa månad, då även ekonomichefen och HR-chefen deltar och redovisar läget för bemanningen inom hela förvaltningen.",
	"    - punkt i en indragen lista med två ord till",
}

// testMails builds a disclosure of n released e-mails (Nr 1, 3, 5, …) of about lines body
// lines each, and two withheld (Nr 2 private, Nr 4 secret). With long, the first e-mail
// also has a 20,000-character line of words and one without a space. It returns the texts
// hidden under the masks.
func testMails(n, lines int, long bool) (*MailDisclosure, []string) {
	d := &MailDisclosure{
		CaseID: "2026-0042", Title: "Utlämnande av e-postmeddelanden", Date: "2026-11-20",
		Authority: Authority{Name: "Region Exempel", Address: "Box 1, 123 45 Exempelstad", Email: "registrator@region.example"},
		Court:     "Kammarrätten i Stockholm",
		Fields:    map[string]string{"medarbetare": "Erik Exempel", "brevlåda": "erik.exempel@region.example", "loggärende": "2026-0001"},
		LogCase:   "2026-0001", Letter: "", Producer: "processor test",
		Official:  &Official{Name: "Rita Registrator", Title: "Registrator, Centrala diariet", Email: "rita.registrator@region.example", Phone: "010-000 00 01"},
	}
	var hidden []string
	uses := map[string]int{}
	add := func(s string) Cell {
		c, h := maskedCell(s)
		hidden = append(hidden, h...)
		for _, seg := range c {
			if seg.Ref != "" {
				uses[seg.Ref]++
			}
		}
		return c
	}
	for i := range n {
		nr := 2*i + 1
		if i >= 2 {
			nr = i + 3 // 1, 3, 5, 6, 7, …
		}
		cc := "Kopia: Bo Berg <bo.berg@region.example>"
		if i%2 == 1 {
			cc = "Kopia: ⟦21 kap. 1 § OSL|Kurt Kurator <kurt.kurator@region.example>⟧"
		}
		text := []string{
			"Från: Anna Andersson <anna.andersson@region.example>",
			"Till: Erik Exempel <erik.exempel@region.example>",
			cc,
			fmt.Sprintf("Datum: 2026-10-%02d 08:12", 1+i%28),
			fmt.Sprintf("Ämne: Ang. patient ⟦25 kap. 1 § OSL|Sven Svensson⟧, meddelande %d", nr),
			"",
			"Hej Erik,",
			"",
		}
		for l := range lines {
			if l%9 == 8 {
				text = append(text, "")
				continue
			}
			text = append(text, bodyPhrases[(i+l)%len(bodyPhrases)])
		}
		if long && i == 0 {
			words := strings.Repeat("utlämnandeärende ", 20_000/17)
			text = append(text, "", words[:20_000], "", "https://example.org/"+strings.Repeat("abcdefghijklmnopqrstuvwxyzåäö0123456789", 20_000/39))
		}
		text = append(text, "", "Med vänlig hälsning", "Anna", "", "Bilagor:",
			"1. remiss.pdf (application/pdf, 12 345 byte, SHA-256 3f2a9c)",
			"2. journal ⟦25 kap. 1 § OSL|Sven Svensson⟧.pdf (application/pdf, 48 211 byte, SHA-256 9b1d00)")
		ml := Mail{Nr: nr}
		for _, s := range text {
			ml.Lines = append(ml.Lines, add(s))
		}
		ml.Attachments = []AttachmentLine{
			{Nr: 1, Name: add("remiss.pdf"), Decision: "lämnas ut (bifogas som fil)"},
			{Nr: 2, Name: add("journal ⟦25 kap. 1 § OSL|Sven Svensson⟧.pdf"), Decision: "lämnas inte ut: sekretess, 25 kap. 1 § OSL"},
		}
		uses[refHealth]++ // the attachment withheld
		d.Mails = append(d.Mails, ml)
	}
	d.Withheld = []WithheldMail{
		{Nr: 4, Reason: "Omfattas i sin helhet av sekretess", Ref: refHealth},
		{Nr: 2, Reason: "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"},
	}
	uses[refHealth]++
	for _, w := range d.Withheld {
		d.Requested = append(d.Requested, w.Nr)
	}
	for _, ml := range d.Mails {
		d.Requested = append(d.Requested, ml.Nr)
	}
	slices.Sort(d.Requested)
	titles := map[string]string{refHealth: "Hälso- och sjukvård", refPerson: "Skydd för enskildas personliga förhållanden"}
	for _, ref := range []string{refPerson, refHealth} {
		if uses[ref] > 0 {
			d.Provisions = append(d.Provisions, ProvisionLine{ref, titles[ref], uses[ref]})
		}
	}
	return d, hidden
}

func layoutMailDoc(t testing.TB, d *MailDisclosure, m Metrics) *Document {
	t.Helper()
	if d.Letter == "" {
		d.Letter = mailLetter(t)
	}
	doc, err := LayoutMail(d, m)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pageTexts is the text items of a page, joined by newlines.
func pageTexts(p Page) string {
	var b strings.Builder
	for _, it := range p.Items {
		if it.Kind == ItemText {
			b.WriteString(it.Text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Every item stays within the margins, with fixed metrics and with the embedded font, even
// a 20,000-character line with or without spaces.
func TestMailLayoutWithinMargins(t *testing.T) {
	for name, m := range map[string]Metrics{"fixed": fixed{}, "font": pdfdoc.DefaultFont()} {
		d, _ := testMails(3, 40, true)
		doc := layoutMailDoc(t, d, m)
		const eps = 0.01
		for pi, p := range doc.Pages {
			if p.Width != a4Short || p.Height != a4Long {
				t.Fatalf("%s: page %d is not A4 portrait", name, pi+1)
			}
			for _, it := range p.Items {
				right := it.X + it.W
				if it.Kind == ItemText {
					right = it.X + m.Width(it.Text, it.Size)
				}
				if it.X < mailMargin-eps || right > a4Short-mailMargin+eps {
					t.Errorf("%s: page %d: item outside the margins (%.1f–%.1f): %+v", name, pi+1, it.X, right, it)
				}
				if it.Y < 15 || it.Y > a4Long-30 || (it.Y > 20 && it.Y < mailBottom-eps) {
					t.Errorf("%s: page %d: item outside the page's lines: %+v", name, pi+1, it)
				}
			}
		}
		// The long lines are there whole, broken over lines and pages.
		var all strings.Builder
		for _, p := range doc.Pages[doc.LetterPages:] {
			for _, it := range p.Items {
				if it.Kind == ItemText && it.Size == mailStyle.size && it.Color == Black {
					all.WriteString(strings.ReplaceAll(it.Text, " ", ""))
				}
			}
		}
		long := d.Mails[0].Lines
		for _, c := range long {
			if len(c) == 1 && len(c[0].Text) > 10_000 {
				if !strings.Contains(all.String(), strings.ReplaceAll(c[0].Text, " ", "")) {
					t.Errorf("%s: a %d-byte line is not laid out whole", name, len(c[0].Text))
				}
			}
		}
		if doc.MailPages < 6 {
			t.Errorf("%s: %d e-mail pages; the long lines should take several", name, doc.MailPages)
		}
	}
}

// Words are wrapped, not cut: a line of short words breaks between them.
func TestMailBodyWraps(t *testing.T) {
	d, _ := testMails(1, 0, false)
	line := strings.TrimSpace(strings.Repeat("ord ", 400))
	d.Mails[0].Lines = append(d.Mails[0].Lines, Cell{{Text: line}}, Cell{}, Cell{{Text: "slut"}})
	doc := layoutMailDoc(t, d, fixed{})
	n := 0
	var ys []float64
	for _, it := range doc.Pages[doc.LetterPages].Items {
		if it.Kind == ItemText && strings.HasPrefix(it.Text, "ord ord") {
			n += strings.Count(it.Text, "ord")
			if strings.Contains(it.Text, "ordo") || strings.HasSuffix(it.Text, " ") {
				t.Errorf("bad break: %q", it.Text)
			}
			ys = append(ys, it.Y)
		}
		if it.Text == "slut" && len(ys) > 0 && math.Abs(ys[len(ys)-1]-it.Y-2*mailStyle.leading) > 0.01 {
			t.Errorf("the blank line before \"slut\" is lost: %.1f → %.1f", ys[len(ys)-1], it.Y)
		}
	}
	if n != 400 || len(ys) < 5 {
		t.Errorf("%d words on %d lines", n, len(ys))
	}
}

// A mask is a dark box with the provision in white inside it, its width depends only on
// the provision, and no hidden text is anywhere in the layout.
func TestMailMasksAsBoxes(t *testing.T) {
	d, hidden := testMails(4, 30, false)
	m := pdfdoc.DefaultFont()
	doc := layoutMailDoc(t, d, m)
	widths := map[string]float64{}
	masks := 0
	for pi, p := range doc.Pages {
		for i, it := range p.Items {
			if it.Kind == ItemText {
				for _, h := range hidden {
					if strings.Contains(it.Text, h) {
						t.Fatalf("page %d: hidden text %q in %q", pi+1, h, it.Text)
					}
				}
			}
			if it.Kind != ItemText || it.Color != White {
				continue
			}
			masks++
			if i == 0 || p.Items[i-1].Kind != ItemRect || p.Items[i-1].Color != MaskFill {
				t.Fatalf("page %d: mask text %q without its box", pi+1, it.Text)
			}
			box := p.Items[i-1]
			if it.X < box.X || it.X+m.Width(it.Text, it.Size) > box.X+box.W+0.01 || it.Y < box.Y || it.Y+it.Size*0.75 > box.Y+box.H {
				t.Errorf("page %d: %q not inside its box %+v", pi+1, it.Text, box)
			}
			if w, ok := widths[it.Text]; ok && w != box.W {
				t.Errorf("boxes for %s differ: %.2f and %.2f", it.Text, w, box.W)
			}
			widths[it.Text] = box.W
		}
	}
	if masks != d.Masks() || masks == 0 {
		t.Errorf("%d mask boxes, the model has %d masks", masks, d.Masks())
	}
	if len(widths) != 2 {
		t.Errorf("want boxes for two provisions: %v", widths)
	}
}

// The header lines' labels are bold, their values and the body are not.
func TestMailHeadersBold(t *testing.T) {
	d, _ := testMails(2, 10, false)
	doc := layoutMailDoc(t, d, fixed{})
	page := doc.Pages[doc.LetterPages]
	bold := map[string]bool{}
	for _, it := range page.Items {
		if it.Kind == ItemText {
			bold[it.Text] = it.Bold
		}
	}
	for _, label := range []string{"Från:", "Till:", "Kopia:", "Datum:", "Ämne:"} {
		if b, ok := bold[label]; !ok || !b {
			t.Errorf("label %q: present %v, bold %v", label, ok, b)
		}
	}
	for _, value := range []string{"Anna Andersson <anna.andersson@region.example>", "Bo Berg <bo.berg@region.example>", "Hej Erik,", "Ang. patient"} {
		if b, ok := bold[value]; !ok || b {
			t.Errorf("value %q: present %v, bold %v", value, ok, b)
		}
	}
	heading := fmt.Sprintf("E-postmeddelande nr %d (rad %d i e-postloggen, ärende 2026-0001)", d.Mails[0].Nr, d.Mails[0].Nr)
	if !bold[heading] {
		t.Errorf("heading %q missing or not bold:\n%s", heading, pageTexts(page))
	}
	if !bold["Beslut om bilagor"] || !bold["Beslut"] || bold["lämnas ut (bifogas som fil)"] {
		t.Error("the attachments' decisions: heading bold, decisions not")
	}
	// The value column starts at the same x on every header line, right of the labels.
	xs := map[float64]bool{}
	for _, it := range page.Items {
		if it.Kind == ItemText && (strings.HasPrefix(it.Text, "Anna ") || strings.HasPrefix(it.Text, "Erik ") || strings.HasPrefix(it.Text, "2026-10-")) {
			xs[it.X] = true
		}
	}
	if len(xs) != 1 {
		t.Errorf("header values at several x: %v", xs)
	}
}

func TestSplitLabel(t *testing.T) {
	for _, tc := range []struct {
		in    Cell
		label string
		value string
	}{
		{Cell{{Text: "Från: Anna <a@b>"}}, "Från:", "Anna <a@b>"},
		{Cell{{Text: "Ämne: Ang. "}, {Ref: refHealth}}, "Ämne:", "Ang. [25 kap. 1 § OSL]"},
		{Cell{{Text: "Kopia: "}, {Ref: refPerson}}, "Kopia:", "[21 kap. 1 § OSL]"},
		{Cell{{Ref: refPerson}, {Text: ": x"}}, "", "[21 kap. 1 § OSL]: x"},
		{Cell{{Text: "Kopia:"}}, "Kopia:", ""},
		{Cell{{Text: "utan etikett"}}, "", "utan etikett"},
		{Cell{{Text: ": tom etikett"}}, "", ": tom etikett"},
	} {
		label, value := splitLabel(tc.in)
		var b strings.Builder
		for _, s := range value {
			if s.Ref != "" {
				b.WriteString("[" + s.Ref + "]")
			}
			b.WriteString(s.Text)
		}
		if label != tc.label || b.String() != tc.value {
			t.Errorf("%v: %q %q, want %q %q", tc.in, label, b.String(), tc.label, tc.value)
		}
	}
}

// Each e-mail starts a page; every page has its footer "Sida x av y"; withheld e-mails are
// listed last, in Nr order.
func TestMailPagesAndFooters(t *testing.T) {
	d, _ := testMails(5, 80, false)
	doc := layoutMailDoc(t, d, fixed{})
	total := len(doc.Pages)
	if doc.LetterPages+doc.MailPages != total || doc.LetterPages < 1 {
		t.Fatalf("pages: letter %d, e-mails %d, total %d", doc.LetterPages, doc.MailPages, total)
	}
	starts := 0
	for i, p := range doc.Pages {
		texts := pageTexts(p)
		if !strings.Contains(texts, fmt.Sprintf("\nÄrende 2026-0042 · Sida %d av %d\n", i+1, total)) {
			t.Errorf("page %d lacks its footer", i+1)
		}
		if i < doc.LetterPages {
			continue
		}
		if strings.Contains(texts, "(rad ") {
			starts++
		} else if !strings.Contains(texts, ", forts.\n") && !strings.Contains(texts, "E-postmeddelanden som inte lämnas ut\n") {
			t.Errorf("page %d neither starts nor continues anything:\n%s", i+1, texts)
		}
	}
	if starts != len(d.Mails) {
		t.Errorf("%d e-mails start a page, want %d", starts, len(d.Mails))
	}
	last := pageTexts(doc.Pages[total-1])
	i2, i4 := strings.Index(last, "\n2\nUteslutande privat"), strings.Index(last, "\n4\nOmfattas i sin helhet av sekretess\n25 kap. 1 § OSL\n")
	if !strings.HasPrefix(strings.SplitN(last, "\n", 2)[1], "E-postmeddelanden som inte lämnas ut\n") || i2 < 0 || i4 < i2 {
		t.Errorf("last page:\n%s", last)
	}
}

// Same model, same bytes; the hash follows the model.
func TestMailDeterministic(t *testing.T) {
	render := func() ([]byte, string) {
		d, _ := testMails(6, 40, true)
		d.Letter = mailLetter(t)
		d.Fields["frågeställare"] = "Åsa Öberg"
		pdf, _, _, err := MailPDF(d, pdfdoc.DefaultFont(), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return pdf, d.Hash()
	}
	a, ha := render()
	b, hb := render()
	if !bytes.Equal(a, b) || ha != hb {
		t.Fatal("two renders of the same model differ")
	}
	d, _ := testMails(6, 40, true)
	d.Letter = mailLetter(t)
	d.Fields["frågeställare"] = "Åsa Öberg"
	if d.Hash() != ha {
		t.Fatal("hash differs for the same model")
	}
	d.Mails[2].Lines[6] = Cell{{Text: "Hej Erik!"}}
	if d.Hash() == ha {
		t.Error("hash ignores a changed line")
	}
	d.Mails[2].Lines[6] = Cell{{Text: "Hej Erik,"}}
	d.Mails[1].Attachments[0].Decision = "lämnas inte ut"
	if d.Hash() == ha {
		t.Error("hash ignores a changed decision")
	}
	d.Mails[1].Attachments[0].Decision = "lämnas ut (bifogas som fil)"
	if d.Hash() != ha {
		t.Error("hash not restored")
	}
	// Text and mask at a boundary are not the same as text alone.
	x := &MailDisclosure{Mails: []Mail{{Nr: 1, Lines: []Cell{{{Text: "a"}, {Ref: "b"}}}}}}
	y := &MailDisclosure{Mails: []Mail{{Nr: 1, Lines: []Cell{{{Text: "ab"}}}}}}
	if x.Hash() == y.Hash() {
		t.Error("hash is ambiguous")
	}
}

func TestMailLetterData(t *testing.T) {
	d, _ := testMails(3, 5, false)
	ld := d.letterData()
	if ld.Begärda != 5 || ld.BegärdaNr != "1, 2, 3, 4 och 5" || ld.Utlämnade != 3 || ld.UtlämnadeNr != "1, 3 och 5" || ld.LoggÄrende != "2026-0001" {
		t.Errorf("counts: %+v", ld)
	}
	if len(ld.EjUtlämnade) != 2 || ld.EjUtlämnade[0].Nr != 2 || ld.EjUtlämnade[1].Hänvisning != refHealth || ld.EjAllmänHandling != 1 {
		t.Errorf("withheld: %+v", ld.EjUtlämnade)
	}
	if ld.Bilagor != 6 || ld.EjUtlämnadeBilagor != 3 || !ld.Maskat || ld.Maskningar != d.Masks() || !ld.Nekat {
		t.Errorf("attachments, masks: %+v", ld)
	}
	for _, p := range ld.Bestämmelser {
		if p.Hänvisning == refHealth && (p.Meddelanden != 1 || p.Bilagor != 3 || p.Maskningar+p.Meddelanden+p.Bilagor != p.Antal) {
			t.Errorf("%+v", p)
		}
	}
	if swedishList(nil) != "" || swedishList([]int{7}) != "7" || swedishList([]int{7, 9}) != "7 och 9" {
		t.Error("swedishList")
	}

	// Nekat: anything masked or withheld, and nothing else.
	clean := func() *MailDisclosure {
		return &MailDisclosure{CaseID: "2026-0043", Requested: []int{7}, LogCase: "2026-0001",
			Mails: []Mail{{Nr: 7, Lines: []Cell{{{Text: "Ämne: budget"}}},
				Attachments: []AttachmentLine{{Nr: 1, Name: Cell{{Text: "a.pdf"}}, Decision: "lämnas ut (bifogas som fil)"}}}}}
	}
	if c := clean(); c.letterData().Nekat {
		t.Error("Nekat with nothing withheld")
	}
	c := clean()
	c.Mails[0].Attachments[0].Decision = "lämnas inte ut: sekretess, 25 kap. 1 § OSL"
	c.Provisions = []ProvisionLine{{refHealth, "Hälso- och sjukvård", 1}}
	if ld := c.letterData(); !ld.Nekat || ld.Maskat || ld.EjUtlämnadeBilagor != 1 || ld.Bestämmelser[0].Bilagor != 1 {
		t.Errorf("an attachment withheld: %+v", ld)
	}
	c = clean()
	c.Mails[0].Attachments[0].Decision = "lämnas ut maskad"
	if !c.letterData().Nekat {
		t.Error("a masked attachment is not Nekat")
	}
	c = clean()
	c.Requested = []int{7, 8}
	c.Withheld = []WithheldMail{{Nr: 8, Reason: "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"}}
	if ld := c.letterData(); !ld.Nekat || ld.EjAllmänHandling != 1 {
		t.Errorf("an e-mail not a public document: %+v", ld)
	}
	c = clean()
	c.Mails[0].Lines = []Cell{{{Text: "Ämne: "}, {Ref: refHealth}}}
	c.Provisions = []ProvisionLine{{refHealth, "Hälso- och sjukvård", 1}}
	if ld := c.letterData(); !ld.Nekat || !ld.Maskat || ld.Maskningar != 1 {
		t.Errorf("a mask: %+v", ld)
	}
}

// letterText lays out the letter of d and returns its text with spaces normalised.
func letterText(t *testing.T, d *MailDisclosure) string {
	t.Helper()
	doc := layoutMailDoc(t, d, fixed{})
	var b strings.Builder
	for _, p := range doc.Pages[:doc.LetterPages] {
		var prev *Item
		for i := range p.Items {
			it := &p.Items[i]
			if it.Kind != ItemText {
				continue
			}
			// Runs on a line are joined as they stand: with a space where there is a gap.
			if prev != nil && (prev.Y != it.Y || it.X > prev.X+fixed{}.Width(prev.Text, prev.Size)+0.5) {
				b.WriteByte(' ')
			}
			b.WriteString(it.Text)
			prev = it
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// The template of the e-post type says what was requested and released, what is withheld
// and why, each provision with its count, and the right to a written decision, which only
// when anything is masked or withheld.
func TestMailLetterTemplate(t *testing.T) {
	if err := CheckMailLetter(mailLetter(t)); err != nil {
		t.Fatal(err)
	}
	d, _ := testMails(3, 5, false)
	text := letterText(t, d)
	for _, s := range []string{
		"Du har begärt att få ta del av 5 e-postmeddelanden ur den e-postlogg för Erik Exempel som lämnades ut i ärende 2026-0001: raderna med nr 1, 2, 3, 4 och 5 i loggen.",
		"Här lämnar vi ut 3 av dem: nr 1, 3 och 5.",
		"3 bilagor lämnas inte ut, helt eller delvis.",
		"E-postmeddelanden som inte lämnas ut",
		"• Nr 2: Uteslutande privat; inte allmän handling (2 kap. 8 § TF)",
		"• Nr 4: Omfattas i sin helhet av sekretess (25 kap. 1 § OSL)",
		"har maskerats",
		fmt.Sprintf("• 25 kap. 1 § OSL, Hälso- och sjukvård: %d maskningar; 1 e-postmeddelande och 3 bilagor lämnas inte ut", d.letterData().Bestämmelser[1].Maskningar),
		fmt.Sprintf("• 21 kap. 1 § OSL, Skydd för enskildas personliga förhållanden: %d maskningar", d.letterData().Bestämmelser[0].Maskningar),
		"begära att frågan prövas av myndigheten",
		"Det är bara myndighetens eget beslut som kan överklagas (6 kap. 3 § andra stycket OSL).",
		"överklaga det till Kammarrätten i Stockholm.",
		"(2 kap. 19 § TF)",
		// The official who made the assessment, and how to reach her (6 kap. 3 § OSL).
		"Har du frågor om utlämnandet kan du kontakta Rita Registrator, Registrator, Centrala diariet, rita.registrator@region.example, telefon 010-000 00 01.",
		"Med vänlig hälsning Rita Registrator Registrator, Centrala diariet, Region Exempel",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("letter lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "Till:") {
		t.Error("an anonymous requester gets a Till: line")
	}
	if regexp.MustCompile(`(?i)e-?mail`).MatchString(text) {
		t.Errorf("the letter says e-mail:\n%s", text)
	}

	// All released, nothing masked: no appeal information.
	one := &MailDisclosure{CaseID: "2026-0043", Date: "2026-11-21", Court: "Kammarrätten i Göteborg", LogCase: "2026-0001",
		Requested: []int{7}, Fields: map[string]string{"frågeställare": "Åsa Öberg"},
		Mails: []Mail{{Nr: 7, Lines: []Cell{{{Text: "Ämne: budget"}}, {}, {{Text: "Hej"}}}}}}
	text = letterText(t, one)
	for _, s := range []string{"Till: Åsa Öberg", "ett e-postmeddelande ur den e-postlogg som lämnades ut i ärende 2026-0001: raden med nr 7 i loggen.",
		"Här lämnar vi ut e-postmeddelandet.", "Inga uppgifter i e-postmeddelandena har maskerats."} {
		if !strings.Contains(text, s) {
			t.Errorf("letter lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "skriftligt beslut") || strings.Contains(text, "Kammarrätten") || strings.Contains(text, "inte lämnas ut") {
		t.Errorf("nothing withheld, yet:\n%s", text)
	}

	// Only an attachment withheld for secrecy: no masks, yet a refusal.
	one.Mails[0].Attachments = []AttachmentLine{{Nr: 1, Name: Cell{{Text: "journal.pdf"}}, Decision: "lämnas inte ut: sekretess, 25 kap. 1 § OSL"}}
	one.Provisions = []ProvisionLine{{refHealth, "Hälso- och sjukvård", 1}}
	text = letterText(t, one)
	for _, s := range []string{"Här lämnar vi ut e-postmeddelandet. E-postmeddelandet börjar på en ny sida", "En bilaga lämnas inte ut, helt eller delvis.",
		"Inga uppgifter i de e-postmeddelanden som lämnas ut har maskerats.", "• 25 kap. 1 § OSL, Hälso- och sjukvård: 1 bilaga lämnas inte ut",
		"begära att frågan prövas av myndigheten", "överklaga det till Kammarrätten i Göteborg."} {
		if !strings.Contains(text, s) {
			t.Errorf("letter lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "2 kap. 19 § TF") || strings.Contains(text, "E-postmeddelanden som inte lämnas ut") {
		t.Errorf("no e-mail withheld, yet:\n%s", text)
	}

	// Nothing released, one private: the refusal is appealable too (2 kap. 19 § TF).
	none := &MailDisclosure{CaseID: "2026-0044", Court: "Kammarrätten i Jönköping", LogCase: "2026-0001", Requested: []int{9},
		Withheld: []WithheldMail{{Nr: 9, Reason: "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"}}}
	text = letterText(t, none)
	for _, s := range []string{"Inget av de begärda e-postmeddelandena lämnas ut.", "• Nr 9: Uteslutande privat", "Kammarrätten i Jönköping", "2 kap. 19 § TF"} {
		if !strings.Contains(text, s) {
			t.Errorf("letter lacks %q:\n%s", s, text)
		}
	}
}

func TestMailLetterTemplateErrors(t *testing.T) {
	for _, src := range []string{"{{.LoggÄrende", "{{.Rader}}", "{{range .EjUtlämnade}}{{.Okänt}}{{end}}", "<div>html</div>\n"} {
		if err := CheckMailLetter(src); err == nil {
			t.Errorf("template %q accepted", src)
		}
	}
	if err := CheckMailLetter("{{.LoggÄrende}} {{.Begärda}} {{.Utlämnade}} {{range .EjUtlämnade}}{{.Nr}} {{.Skäl}} {{.Hänvisning}}{{end}} {{.Maskat}} {{.Maskningar}} {{range .Bestämmelser}}{{.Hänvisning}}{{end}} {{.Nekat}} {{.Kammarrätt}} {{.Myndighet.Namn}} {{.Fält.x}} {{.Ärende}} {{.Datum}}"); err != nil {
		t.Error(err)
	}
}

// A model that misstates the decision is refused.
func TestMailModelChecked(t *testing.T) {
	for name, change := range map[string]func(d *MailDisclosure){
		"undecided":         func(d *MailDisclosure) { d.Requested = append(d.Requested, 99) },
		"not requested":     func(d *MailDisclosure) { d.Requested = d.Requested[1:] },
		"twice":             func(d *MailDisclosure) { d.Withheld = append(d.Withheld, WithheldMail{Nr: 1, Reason: "x"}) },
		"order":             func(d *MailDisclosure) { d.Mails[0], d.Mails[1] = d.Mails[1], d.Mails[0] },
		"provision missing": func(d *MailDisclosure) { d.Provisions = d.Provisions[1:] },
		"count too low":     func(d *MailDisclosure) { d.Provisions[1].Count = 1 },
	} {
		d, _ := testMails(3, 5, false)
		d.Letter = "x"
		change(d)
		if _, err := LayoutMail(d, fixed{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMailLayoutGolden(t *testing.T) {
	d, _ := testMails(2, 12, false)
	checkGolden(t, "testdata/mail.golden", layoutMailDoc(t, d, fixed{}).TextDump())
}

// --- the PDF, checked with qpdf and pdftotext ---

func mailTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not on PATH", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func TestMailPDFTools(t *testing.T) {
	d, hidden := testMails(4, 40, true)
	d.Letter = mailLetter(t)
	pdf, written, pages, err := MailPDF(d, pdfdoc.DefaultFont(), time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "utlamnande.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range written {
		for _, h := range hidden {
			if strings.Contains(s, h) {
				t.Fatalf("hidden text %q written", h)
			}
		}
	}
	t.Run("qpdf", func(t *testing.T) {
		out := mailTool(t, "qpdf", "--check", path)
		if strings.Contains(strings.ToLower(out), "warning") || !strings.Contains(out, "No syntax or stream encoding errors found") {
			t.Errorf("qpdf --check:\n%s", out)
		}
	})
	t.Run("pdftotext", func(t *testing.T) {
		text := mailTool(t, "pdftotext", "-enc", "UTF-8", path, "-")
		if n := strings.Count(text, "\f"); n != pages {
			t.Errorf("%d pages in pdftotext, MailPDF says %d", n, pages)
		}
		words := map[string]bool{}
		for _, w := range strings.Fields(text) {
			words[w] = true
		}
		// The e-mails' text without the page furniture, for words broken over lines.
		var flat strings.Builder
		for _, l := range strings.Split(text, "\n") {
			if !strings.Contains(l, " · ") && !strings.HasSuffix(l, ", forts.") {
				flat.WriteString(strings.Join(strings.Fields(l), ""))
			}
		}
		missing := 0
		for _, ml := range d.Mails {
			for _, c := range ml.Lines {
				for _, s := range c {
					for _, w := range strings.Fields(s.Text) {
						if !words[w] && !strings.Contains(flat.String(), w) {
							missing++
							if missing < 10 {
								t.Errorf("e-mail %d: %q not in the PDF's text", ml.Nr, w)
							}
						}
					}
				}
			}
		}
		norm := strings.Join(strings.Fields(text), " ")
		for _, s := range []string{
			"E-postmeddelande nr 1 (rad 1 i e-postloggen, ärende 2026-0001)",
			"Här lämnar vi ut 4 av dem: nr 1, 3, 5 och 6.",
			"begära att frågan prövas av myndigheten",
			"överklaga det till Kammarrätten i Stockholm.",
			"(2 kap. 19 § TF)",
			"E-postmeddelanden som inte lämnas ut",
			"Omfattas i sin helhet av sekretess",
			"Beslut om bilagor",
			"lämnas inte ut: sekretess, 25 kap. 1 § OSL",
			fmt.Sprintf("Ärende 2026-0042 · Sida %d av %d", pages, pages),
		} {
			if !strings.Contains(norm, s) {
				t.Errorf("pdftotext lacks %q", s)
			}
		}
		for _, h := range hidden {
			if strings.Contains(norm, h) {
				t.Errorf("hidden text %q in the PDF", h)
			}
		}
		if regexp.MustCompile(`(?i)\be-?mail`).MatchString(norm) {
			t.Error("the PDF says e-mail")
		}
	})
}

// BenchmarkMailPDF renders 1,000 e-mails of about 40 lines each, with the letter.
func BenchmarkMailPDF(b *testing.B) {
	d, _ := testMails(1000, 25, false) // 25 body lines + 8 header and greeting + 7 closing and attachments = 40
	d.Letter = mailLetter(b)
	font := pdfdoc.DefaultFont()
	date := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	var size, pages int
	for range b.N {
		pdf, _, n, err := MailPDF(d, font, date)
		if err != nil {
			b.Fatal(err)
		}
		size, pages = len(pdf), n
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20)/float64(b.N), "alloc-MiB/op")
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MiB")
	b.ReportMetric(float64(size)/(1<<20), "pdf-MiB")
	b.ReportMetric(float64(pages), "pages")
}

// Spaces around a mask are as the text has them: "Patienten [mask] har", but
// "anna.[mask]@region" has none.
func TestWrapSpacesAroundMasks(t *testing.T) {
	m := fixed{}
	sp := m.Width(" ", logSize)
	for _, tc := range []struct {
		cell       Cell
		gapBefore  bool
		gapAfter   bool
		textBefore string
	}{
		{Cell{{Text: "Patienten "}, {Ref: refHealth}, {Text: " har fått"}}, true, true, "Patienten "},
		{Cell{{Text: "anna."}, {Ref: refPerson}, {Text: "@region.example"}}, false, false, "anna."},
		{Cell{{Text: "journal "}, {Ref: refHealth}, {Text: ".pdf"}}, true, false, "journal "},
		{Cell{{Text: "Ang."}, {Ref: refHealth}, {Text: " \tx"}}, false, true, "Ang."},
	} {
		l := wrap(tc.cell, 500, m)
		if len(l) != 1 || len(l[0]) != 3 {
			t.Fatalf("%v: %+v", tc.cell, l)
		}
		before, mask, after := l[0][0], l[0][1], l[0][2]
		textW := m.Width(strings.TrimRight(tc.textBefore, " "), logSize)
		wantMask := textW
		if tc.gapBefore {
			wantMask += sp
		}
		wantAfter := mask.x + mask.w
		if tc.gapAfter {
			wantAfter += sp
		}
		if before.text != strings.TrimRight(tc.textBefore, " ") || mask.x != wantMask || after.x != wantAfter {
			t.Errorf("%v: %q at %.2f, mask at %.2f (want %.2f), %q at %.2f (want %.2f)", tc.cell, before.text, before.x, mask.x, wantMask, after.text, after.x, wantAfter)
		}
	}
}
