package workbook

// The package as a whole: its size (checkPackage), the XML of every part (scanParts, so that
// a part PartTexts would read only in part is refused), and the parts that carry content
// outside the cells (inspectParts): drawings, VML, charts, images, embedded objects, tables,
// revision history and whatever else the import does not write.

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// partKinds tells which parts are worksheets and which is the shared string table, for
// their limits.
type partKinds struct {
	sheets map[string]bool
	sst    string
}

// kindsOf reads the workbook's relationships for partKinds; parts under xl/worksheets/ are
// worksheets too.
func kindsOf(z *zip.Reader) partKinds {
	k := partKinds{sheets: map[string]bool{}, sst: sharedStringsPart(z)}
	if rels, err := readRels(z, "xl/_rels/workbook.xml.rels", "xl"); err == nil {
		for _, r := range rels {
			for _, t := range []string{"/worksheet", "/chartsheet", "/dialogsheet", "/xlMacrosheet", "/xlIntlMacrosheet"} {
				if strings.HasSuffix(r.typ, t) {
					k.sheets[r.target] = true
				}
			}
		}
	}
	return k
}

// limit returns the most part may unpack to.
func (k partKinds) limit(part string) int64 {
	switch {
	case k.sheets[part] || strings.HasPrefix(part, "xl/worksheets/") && !strings.Contains(part, "/_rels/"):
		return MaxSheetPart
	case part == k.sst:
		return MaxSharedStringsPart
	}
	return MaxPart
}

// isXMLName tells whether a part's name says it is XML.
func isXMLName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") || strings.HasSuffix(n, ".vml")
}

// sniffXML tells from a part's first bytes whether it is XML, and whether in UTF-16.
func sniffXML(head []byte) (isXML, utf16 bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\xfe\xff")), bytes.HasPrefix(head, []byte("\xff\xfe")),
		bytes.HasPrefix(head, []byte("<\x00")), bytes.HasPrefix(head, []byte("\x00<")):
		return true, true
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '<', false
}

// openPart opens a part and reads its first bytes, to tell whether it is XML; r reads the
// whole part (the first bytes included).
func openPart(f *zip.File) (r io.Reader, rc io.ReadCloser, isXML, utf16 bool, err error) {
	rc, err = f.Open()
	if err != nil {
		return nil, nil, false, false, err
	}
	head := make([]byte, 64)
	n, err := io.ReadFull(rc, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		rc.Close()
		return nil, nil, false, false, err
	}
	head = head[:n]
	isXML, utf16 = sniffXML(head)
	return io.MultiReader(bytes.NewReader(head), rc), rc, isXML || isXMLName(f.Name), utf16, nil
}

// checkPackage refuses a package with too many parts, or parts that say they unpack to more
// than their limits (the zip reader then holds each part to what it says).
func checkPackage(z *zip.Reader, name string) error {
	if len(z.File) > MaxParts {
		return &Error{name, fmt.Sprintf("arbetsboken har %d delar, fler än %d (en zip-bomb?)", len(z.File), MaxParts), hintBomb}
	}
	k := kindsOf(z)
	var total uint64
	seen := make(map[string]bool, len(z.File))
	for _, f := range z.File {
		if low := strings.ToLower(f.Name); seen[low] {
			return &Error{name, fmt.Sprintf("delen %s finns två gånger i arbetsboken", f.Name), hintDamaged}
		} else {
			seen[low] = true
		}
		total += f.UncompressedSize64
		limit := k.limit(f.Name)
		if !isXMLName(f.Name) {
			limit = MaxUnzipped
		}
		if f.UncompressedSize64 > uint64(limit) {
			return &Error{name, fmt.Sprintf("delen %s packas upp till mer än %d MiB (en zip-bomb?)", f.Name, limit>>20), hintBomb}
		}
		if total > MaxUnzipped {
			return &Error{name, fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb?)", MaxUnzipped>>20), hintBomb}
		}
	}
	return nil
}

// scanParts reads every XML part but those in skip to its end with the fast scanner, within
// the limits (size, nesting, tag length) and checks that it is UTF-8: what is accepted here,
// PartTexts reads whole.
func scanParts(z *zip.Reader, name string, skip map[string]bool) error {
	k := kindsOf(z)
	for _, f := range z.File {
		if skip[f.Name] || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if err := scanPart(f, k.limit(f.Name)); err != nil {
			return partReadError(name, f.Name, k.limit(f.Name), err)
		}
	}
	return nil
}

// partReadError says why a part cannot be read, as an *Error.
func partReadError(name, part string, limit int64, err error) error {
	var xe xmlError
	switch {
	case errors.Is(err, errTooBig):
		return &Error{name, fmt.Sprintf("delen %s packas upp till mer än %d MiB (en zip-bomb?)", part, limit>>20), hintBomb}
	case errors.As(err, &xe):
		return &Error{name, fmt.Sprintf("delen %s kan inte läsas: %s", part, xe), hintDamaged}
	}
	return &Error{name, fmt.Sprintf("delen %s kan inte läsas: delen är skadad (%s)", part, partError(err)), hintDamaged}
}

var errUTF16 = xmlError("XML i UTF-16 stöds inte")

func scanPart(f *zip.File, limit int64) error {
	if f.UncompressedSize64 > uint64(limit) {
		return errTooBig
	}
	r, rc, isXML, utf16, err := openPart(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	if !isXML {
		return drain(r, 0, MaxUnzipped)
	}
	if utf16 {
		return errUTF16
	}
	s := newScan(r, 32<<10, limit)
	if err := s.prolog(); err != nil {
		return err
	}
	for {
		if _, err := s.next(nil, 0); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
	}
	return drain(r, s.n, limit)
}

// ---- What the parts hold ----

// partFinding is content of the package outside the cells.
type partFinding struct {
	part      string
	cell      string // Blad!A1
	rule      string
	warn      bool
	msg, hint string
}

// maxPartFindings is the most parts reported one by one.
const maxPartFindings = 100

const (
	hintObjects = "ta bort objekten (Start > Sök och markera > Markeringsfönstret visar alla objekt på bladet; markera dem och tryck Delete); det som står i och bakom dem följer annars med filen"
	hintPart    = "ta bort det i Excel, eller importera på nytt och maska där; granskningsboken får bara ha bladen, cellerna och formaten som importen skrev"
)

// relsOf returns the relationships of part (none when it has no relationships part).
func relsOf(z *zip.Reader, part string) map[string]rel {
	rels, _ := readRels(z, path.Join(path.Dir(part), "_rels", path.Base(part)+".rels"), path.Dir(part))
	return rels
}

// inspectParts reports what the package holds outside the cells. sheets maps each sheet's
// part to its name; commented the sheets whose comments are reported cell by cell; main is
// the data sheet, where package-wide findings point.
func inspectParts(z *zip.Reader, p *pkgParts, main string) []partFinding {
	sheetOf := map[string]string{} // worksheet part → sheet name
	for _, s := range p.Sheets {
		if s.Part != "" {
			sheetOf[s.Part] = s.Name
		}
	}
	workbook := "xl/workbook.xml"
	if rels, err := readRels(z, "_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				workbook = r.target
			}
		}
	}
	allowed := map[string]bool{"[Content_Types].xml": true, "docProps/core.xml": true, "docProps/app.xml": true,
		"docProps/custom.xml": true, "docMetadata/LabelInfo.xml": true, workbook: true}
	wbRels := relsOf(z, workbook)
	for _, r := range wbRels {
		for _, t := range []string{"/styles", "/theme", "/sharedStrings", "/calcChain", "/sheetMetadata"} {
			if strings.HasSuffix(r.typ, t) {
				allowed[r.target] = true
			}
		}
	}
	// What each sheet refers to: comments (reported cell by cell), their VML, a drawing.
	owner := map[string]string{}    // part → the sheet that refers to it
	commentVML := map[string]bool{} // VML parts of sheets with comments
	for part, sheet := range sheetOf {
		rels := relsOf(z, part)
		hasComments := len(p.Comments[sheet]) > 0
		for _, r := range rels {
			if r.target == "" || strings.Contains(r.target, "://") {
				continue
			}
			owner[r.target] = sheet
			switch {
			case strings.HasSuffix(r.typ, "/comments"), strings.HasSuffix(r.typ, "/threadedComment"), strings.HasSuffix(r.typ, "/printerSettings"):
				allowed[r.target] = true
			case strings.HasSuffix(r.typ, "/vmlDrawing") && hasComments:
				commentVML[r.target] = true
			}
		}
	}
	var out []partFinding
	at := func(part string) string {
		if s, ok := owner[part]; ok {
			return s + "!A1"
		}
		return main + "!A1"
	}
	flagged := map[string]bool{}
	var customXML, thumb string
	for _, f := range z.File {
		n := f.Name
		low := strings.ToLower(n)
		switch {
		case allowed[n] || strings.HasSuffix(n, "/") || strings.HasSuffix(low, ".rels"):
		case sheetOf[n] != "":
			// a sheet: reported by name
		case strings.HasPrefix(low, "xl/printersettings/"), strings.HasPrefix(low, "xl/theme/"), strings.HasPrefix(low, "xl/externallinks/"):
			// printer settings; themes; external links (reported as such)
		case strings.HasPrefix(low, "customxml/"):
			if customXML == "" {
				customXML = n
			}
		case strings.HasPrefix(low, "docprops/thumbnail"):
			thumb = n
		case strings.HasPrefix(low, "xl/persons/"):
			out = append(out, partFinding{cell: main + "!A1", rule: RuleMetadata, warn: true,
				msg:  fmt.Sprintf("arbetsboken har en lista över personer som har kommenterat (%s)", n),
				hint: "ta bort kommentarerna och personuppgifterna: Arkiv > Info > Kontrollera dokument > Granska dokument > Ta bort alla"})
		case strings.HasPrefix(low, "xl/drawings/") && strings.HasSuffix(low, ".vml"):
			if pf, ok := inspectVML(z, f, at(n), commentVML[n]); ok {
				out = append(out, pf)
				flagged[n] = true
			}
		case strings.HasPrefix(low, "xl/drawings/") && strings.HasSuffix(low, ".xml"):
			out = append(out, inspectDrawing(z, f, owner[n], main))
			flagged[n] = true
		default:
			out = append(out, partFinding{part: n, cell: at(n), rule: RuleHidden,
				msg: fmt.Sprintf("arbetsboken har %s (%s), som inte syns i cellerna", partWhat(low), n), hint: partHint(low)})
			flagged[n] = true
		}
	}
	if thumb != "" {
		out = append(out, partFinding{cell: main + "!A1", rule: RuleHidden,
			msg:  fmt.Sprintf("arbetsboken har en miniatyrbild av bladet (%s), som kan visa text som inte är maskad", thumb),
			hint: "spara utan miniatyrbild: Arkiv > Info > Egenskaper > Avancerade egenskaper > Sammanfattning, avmarkera Spara miniatyrbilder"})
	}
	if customXML != "" {
		out = append(out, partFinding{cell: main + "!A1", rule: RuleMetadata, warn: true,
			msg:  fmt.Sprintf("arbetsboken har anpassade XML-data (%s), till exempel egenskaper från SharePoint", customXML),
			hint: "kontrollera att de inte innehåller något som ska maskas; Granska dokument tar bort dem"})
	}
	// Parts that a reported part refers to (a drawing's images and charts) are not reported
	// again: only the parts no other reported part leads to, and, of parts that lead to each
	// other in a circle, the first.
	if len(flagged) > maxPartFindings {
		extra := len(out) - maxPartFindings
		out = append(out[:maxPartFindings], partFinding{cell: main + "!A1", rule: RuleHidden,
			msg: fmt.Sprintf("… och %d delar till av samma slag", extra), hint: hintPart})
		return out
	}
	cache := map[string]map[string]rel{}
	relsOf := func(part string) map[string]rel {
		if r, ok := cache[part]; ok {
			return r
		}
		cache[part] = relsOf(z, part)
		return cache[part]
	}
	reach := func(part string) map[string]bool {
		seen := map[string]bool{}
		queue := []string{part}
		for len(queue) > 0 && len(seen) < 1000 {
			cur := queue[0]
			queue = queue[1:]
			for _, r := range relsOf(cur) {
				if r.target != "" && !seen[r.target] {
					seen[r.target] = true
					queue = append(queue, r.target)
				}
			}
		}
		return seen
	}
	reached := map[string]map[string]bool{}
	for part := range flagged {
		reached[part] = reach(part)
	}
	explained := map[string]bool{}
	for part := range flagged {
		for other := range flagged {
			if other != part && reached[other][part] {
				explained[part] = true
			}
		}
	}
	kept := map[string]bool{}
	for _, pf := range out {
		if pf.part == "" || !flagged[pf.part] || explained[pf.part] {
			continue
		}
		kept[pf.part] = true
	}
	for _, pf := range out { // circles: the first part of each stays
		if pf.part == "" || !flagged[pf.part] || kept[pf.part] {
			continue
		}
		covered := false
		for k := range kept {
			if reached[k][pf.part] {
				covered = true
			}
		}
		if !covered {
			kept[pf.part] = true
		}
	}
	return slices.DeleteFunc(out, func(pf partFinding) bool {
		return pf.part != "" && flagged[pf.part] && !kept[pf.part]
	})
}

// partWhat names what a part holds, in Swedish.
func partWhat(low string) string {
	switch {
	case strings.HasPrefix(low, "xl/charts/"):
		return "ett diagram"
	case strings.HasPrefix(low, "xl/media/"):
		return "en bild eller ett medieobjekt"
	case strings.HasPrefix(low, "xl/embeddings/"):
		return "ett inbäddat objekt"
	case strings.HasPrefix(low, "xl/activex/"), strings.HasPrefix(low, "xl/ctrlprops/"):
		return "en formulärkontroll"
	case strings.HasPrefix(low, "xl/diagrams/"):
		return "ett SmartArt-diagram"
	case strings.HasPrefix(low, "xl/tables/"):
		return "en tabell (Formatera som tabell)"
	case strings.HasPrefix(low, "xl/pivot"):
		return "en pivottabell med en kopia av data"
	case strings.HasPrefix(low, "xl/querytables/"), low == "xl/connections.xml", strings.HasPrefix(low, "xl/model/"):
		return "en dataanslutning"
	case strings.HasPrefix(low, "xl/slicer"), strings.HasPrefix(low, "xl/timeline"):
		return "ett utsnitt eller en tidslinje"
	case strings.HasSuffix(low, "vbaproject.bin"), strings.HasSuffix(low, "vbadata.xml"):
		return "makron (VBA)"
	case strings.HasPrefix(low, "xl/revisions/"), low == "xl/usernames.xml":
		return "ändringshistorik (delad arbetsbok) med tidigare värden"
	case strings.HasPrefix(low, "xl/richdata/"):
		return "bilder eller data i celler"
	case strings.HasPrefix(low, "xl/comments"):
		return "kommentarer"
	case strings.HasPrefix(low, "xl/threadedcomments/"):
		return "trådade kommentarer"
	}
	return "en del som importen inte skriver"
}

func partHint(low string) string {
	switch {
	case strings.HasPrefix(low, "xl/tables/"):
		return "gör om tabellen till ett vanligt område: Tabelldesign > Konvertera till område"
	case strings.HasPrefix(low, "xl/revisions/"), low == "xl/usernames.xml":
		return "sluta dela arbetsboken (Granska > Dela arbetsbok) och spara; historiken innehåller tidigare värden"
	case strings.HasPrefix(low, "xl/pivot"):
		return "ta bort pivottabellen; den har en kopia av data"
	case strings.HasSuffix(low, "vbaproject.bin"):
		return "spara som Excel-arbetsbok (.xlsx), utan makron"
	}
	return hintPart
}

// inspectDrawing describes a drawing part: its pictures, shapes, text boxes, charts and
// their alternative texts, at the cell of its first anchor.
func inspectDrawing(z *zip.Reader, f *zip.File, sheet, main string) partFinding {
	pf := partFinding{part: f.Name, rule: RuleHidden, hint: hintObjects}
	where := sheet
	if where == "" {
		where = main
	}
	pf.cell = where + "!A1"
	root, err := readTree(f, MaxPart)
	if err != nil || root == nil {
		pf.msg = fmt.Sprintf("bladet %s har en ritning med objekt (%s)", where, f.Name)
		return pf
	}
	counts := map[string]int{}
	alt := false
	anchored := false
	root.walk(func(n *xnode) bool {
		switch n.name {
		case "from":
			if !anchored {
				col, _ := strconv.Atoi(strings.TrimSpace(childText(n, "col")))
				row, _ := strconv.Atoi(strings.TrimSpace(childText(n, "row")))
				if col >= 0 && row >= 0 && col < maxSheetCols && row < maxSheetRows {
					pf.cell = where + "!" + colLetters(col+1) + strconv.Itoa(row+1)
					anchored = true
				}
			}
		case "pic":
			counts["bild"]++
		case "sp":
			if strings.TrimSpace(n.child("txBody").textOrEmpty()) != "" || textBox(n) {
				counts["textruta"]++
			} else {
				counts["form"]++
			}
		case "cxnSp":
			counts["linje"]++
		case "graphicFrame":
			if len(n.all("chart")) > 0 {
				counts["diagram"]++
			} else {
				counts["objekt"]++
			}
		case "contentPart":
			counts["handskrift"]++
		case "cNvPr":
			for _, a := range []string{"descr", "title"} {
				if v, ok := n.attr(a); ok && strings.TrimSpace(v) != "" {
					alt = true
				}
			}
		}
		return true
	})
	var parts []string
	for _, k := range []struct{ key, one, many string }{
		{"bild", "en bild", "bilder"}, {"textruta", "en textruta", "textrutor"}, {"form", "en form", "former"},
		{"linje", "en linje", "linjer"}, {"diagram", "ett diagram", "diagram"}, {"objekt", "ett objekt", "objekt"},
		{"handskrift", "handskrift", "handskrift"},
	} {
		switch n := counts[k.key]; {
		case n == 1:
			parts = append(parts, k.one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, k.many))
		}
	}
	what := "objekt"
	if len(parts) > 0 {
		what = strings.Join(parts, ", ")
	}
	if alt {
		what += " med alternativtext"
	}
	pf.msg = fmt.Sprintf("bladet %s har %s ovanpå cellerna (%s)", where, what, f.Name)
	return pf
}

func (n *xnode) textOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.textAll()
}

func childText(n *xnode, name string) string {
	if c := n.child(name); c != nil {
		return string(c.text)
	}
	return ""
}

func textBox(sp *xnode) bool {
	for _, c := range sp.all("cNvSpPr") {
		if v, ok := c.attr("txBox"); ok && xsdBool(v) {
			return true
		}
	}
	return false
}

// inspectVML describes a VML part unless it holds only the notes of a sheet's comments
// (which are reported cell by cell); ok is false then.
func inspectVML(z *zip.Reader, f *zip.File, cell string, comments bool) (pf partFinding, ok bool) {
	pf = partFinding{part: f.Name, cell: cell, rule: RuleHidden, hint: hintObjects}
	root, err := readTree(f, MaxPart)
	if err != nil {
		// Excel's VML is not always well-formed XML: report it rather than guess.
		pf.msg = fmt.Sprintf("arbetsboken har en VML-ritning (former eller kontroller) som inte kan läsas (%s)", f.Name)
		return pf, true
	}
	if root == nil {
		return pf, false
	}
	var kinds []string
	add := func(k string) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	images, notes := false, 0
	root.walk(func(n *xnode) bool {
		switch n.name {
		case "ClientData":
			if t, _ := n.attr("ObjectType"); t == "Note" {
				notes++
			} else {
				add("formulärkontroller (" + t + ")")
			}
		case "imagedata":
			images = true
		case "fill":
			if _, ok := n.attr("relid"); ok {
				images = true
			}
		case "shape":
			if n.child("ClientData") == nil {
				add("former")
			}
		case "rect", "roundrect", "oval", "line", "polyline", "arc", "curve", "image":
			add("former")
		}
		return true
	})
	if len(kinds) == 0 && !images && (comments || notes == 0) {
		return pf, false
	}
	var what []string
	if notes > 0 && !comments {
		what = append(what, "anteckningar utan kommentarer")
	}
	what = append(what, kinds...)
	if images {
		what = append(what, "bilder")
	}
	pf.msg = fmt.Sprintf("arbetsboken har en VML-ritning med %s (%s)", strings.Join(what, ", "), f.Name)
	return pf, true
}
