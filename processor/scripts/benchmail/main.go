// Command benchmail makes the repository bench-mail.sh measures: a released e-postlogg case
// of N rows and an e-post case requesting all of them, with one exported e-mail (.eml) per
// row; and it masks the review texts the import writes, as a registrator would in a text
// editor, and writes the decisions. For benchmarks; fictitious data, deterministic.
//
// Usage:
//
//	go run ./processor/scripts/benchmail make ROOT N
//	go run ./processor/scripts/benchmail mask ROOT
//	go run ./processor/scripts/benchmail addline FILE LINE...
//
// make writes, in ROOT (with the project's installningar.yaml and templates/):
//
//   - cases/2026-0001: the log, from package casegen (as bench-build.sh): N rows, every 7th
//     subject masked (a patient's name), every 11th row private (P), approved, with its raw
//     export. bench-mail.sh builds it and records pdf_skapad and utlämnad, which makes it
//     the released log an e-post case refers to.
//   - cases/2026-0002: the e-post case, request.md up to medarbetare_informerad, and in its
//     working area export/ one .eml per log row, with the row's sender, recipients, time
//     (a few seconds to a minute before the log's time, as a sender's clock is) and subject
//     (the raw export's: the masked ones carry the patient's name). Bodies are 20–60 lines of
//     Swedish text, CRLF; a quarter each 8bit UTF-8, quoted-printable UTF-8, base64 UTF-8 and
//     quoted-printable ISO-8859-1; every 5th multipart/alternative with an HTML part; every 6th
//     with an attachment (a PDF-like file in base64 or a text file in quoted-printable);
//     subjects with å, ä, ö RFC 2047-encoded; some with a Cc. The files are named as
//     Purview names them (subject and a number), not in log order.
//
// mask reads the review texts in cases/2026-0002/arbetsyta/e-post and masks, in about 16 %
// of them: the patient's name (subject and body, also where a line break splits it) with
// [25 kap. 1 § OSL] in the rows the log masks, and a home telephone number with [21 kap. 3 § OSL] in every 50th row. It writes
// e-postbeslut (private rows lämnas_inte_ut, skäl privat; masked ones lämnas_ut_maskad; an
// attachment of a masked e-mail withheld for secrecy, others released) and the steps
// allmän_handling_prövad and sekretessprövad with the counts.
//
// addline adds lines to the end of a request.md's front matter (the steg: block when the
// lines are indented), as the script tests' addline does.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/workflow"
)

const (
	logID  = "2026-0001"
	mailID = "2026-0002"
	ref    = "[25 kap. 1 § OSL]"
	refTel = "[21 kap. 3 § OSL]"
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "make":
		if len(os.Args) != 4 {
			usage()
		}
		n, e := strconv.Atoi(os.Args[3])
		if e != nil || n < 4 || n > 9999 {
			fmt.Fprintln(os.Stderr, "ANTAL ska vara ett heltal 4–9999")
			os.Exit(2)
		}
		err = makeRepo(os.Args[2], n)
	case "mask":
		err = maskTexts(os.Args[2])
	case "addline":
		err = addLines(os.Args[2], os.Args[3:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmail:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "användning: benchmail make ROT ANTAL | mask ROT | addline FIL RAD...")
	os.Exit(2)
}

// row is one row of the log's raw export.
type row struct {
	nr       int
	at       time.Time
	from, to string
	subject  string
}

func makeRepo(root string, n int) error {
	types, _, err := workflow.LoadTypes(filepath.Join(root, "templates"), "templates")
	if err != nil {
		return err
	}
	c := casegen.Case{ID: logID, Rows: n}
	if _, err := c.Write(filepath.Join(root, "cases"), types["e-postlogg"].Workbook); err != nil {
		return err
	}
	_, raw, _, _ := c.Generate()
	recs, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		return err
	}
	var rows []row
	for i, r := range recs[1:] {
		at, err := time.Parse(time.RFC3339, r[0])
		if err != nil {
			return err
		}
		rows = append(rows, row{nr: i + 1, at: at, from: r[1], to: r[2], subject: r[3]})
	}

	dir := filepath.Join(root, "cases", mailID)
	export := filepath.Join(dir, casegen.WorkArea, "export")
	if err := os.MkdirAll(export, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "request.md"), []byte(strings.ReplaceAll(request, "@N@", list(n))), 0o644); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	var size int64
	kinds := map[string]int{}
	order := rng.Perm(n) // Purview's numbering is not the log's
	for i, r := range rows {
		data, kind := message(rng, r)
		for _, k := range kind {
			kinds[k]++
		}
		name := fmt.Sprintf("%s_%05d.eml", fileSafe(r.subject), order[i]+1)
		if err := os.WriteFile(filepath.Join(export, name), data, 0o644); err != nil {
			return err
		}
		size += int64(len(data))
	}
	var ks []string
	for k, v := range kinds {
		ks = append(ks, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(ks)
	fmt.Printf("%d e-postmeddelanden, %d KiB (%s)\n", n, size/1024, strings.Join(ks, ", "))
	return nil
}

func list(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') || strings.ContainsRune("åäöÅÄÖ", r) {
			return r
		}
		return '_'
	}, s)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40])
	}
	return s
}

var names = map[string]string{
	"anna.andersson@region.example":   "Anna Andersson",
	"erik.exempel@region.example":     "Erik Exempel",
	"bo.berg@region.example":          "Bo Berg",
	"cecilia.carlsson@region.example": "Cecilia Carlsson",
}

var ccs = []string{"Örjan Öberg <orjan.oberg@region.example>", "Dalia Dahl <dalia.dahl@region.example>", "kansliet@region.example"}

var sentences = []string{
	"Tack för senast, det var ett bra möte med många goda synpunkter.",
	"Jag bifogar underlaget inför torsdagens genomgång, se särskilt avsnitt tre.",
	"Kan du titta på siffrorna för kvartal två innan vi skickar vidare till nämnden?",
	"Bemanningen på avdelningen är fortsatt ansträngd under sommarmånaderna.",
	"Vi behöver boka ett nytt möte, förslagsvis nästa vecka på tisdag eller onsdag.",
	"Leverantören har återkommit med en reviderad offert som ligger inom budget.",
	"Protokollet från förra sammanträdet är justerat och finns i teamets mapp.",
	"Enligt rutinen ska ärendet registreras samma dag som det kommer in.",
	"Jag har pratat med ekonomiavdelningen och de återkommer under fredagen.",
	"Lokalfrågan är inte löst ännu; fastighetsförvaltningen utreder alternativen.",
	"Observera att sista dag för synpunkter är den 15:e, därefter går förslaget vidare.",
	"Vi har fått frågor från allmänheten om väntetiderna till specialistmottagningen.",
	"Utbildningen i det nya journalsystemet genomförs i två omgångar under hösten.",
	"Det finns fortfarande några oklarheter kring ansvarsfördelningen mellan enheterna.",
	"Jag föreslår att vi tar upp punkten på nästa ledningsgrupp i stället.",
	"Budgetramen för 2027 är preliminär och kan komma att justeras i november.",
	"Se gärna över texten och hör av dig om något behöver förtydligas.",
	"Sammanställningen visar en ökning med ungefär tolv procent jämfört med i fjol.",
	"Vi väntar på besked från upphandlingsenheten innan vi kan gå vidare.",
	"Alla medarbetare ska ha genomfört den obligatoriska utbildningen senast i december.",
	"Mötet flyttas till sal 4 på grund av ombyggnaden i entréplanet.",
	"Kostnaden för extrapersonal har ökat under perioden, se bilaga för detaljer.",
	"Det är viktigt att vi följer upp avvikelserna och dokumenterar åtgärderna.",
	"Regionstyrelsen behandlar ärendet på sitt sammanträde i slutet av månaden.",
	"Jag är på konferens hela nästa vecka men nås på mobilen vid behov.",
	"Rapporten är nästan klar, det återstår bara korrekturläsning och diagram.",
	"Hälsningar från hela gruppen, vi ses på planeringsdagen!",
	"Vi har tagit emot fem ansökningar till tjänsten och intervjuar tre av dem.",
	"Arbetsmiljöronden visade inga allvarliga brister men några förbättringsområden.",
	"Frågan om parkeringsplatser vid hus 4 har lyfts av flera medarbetare.",
}

// privateSentences are the private e-mails' (the log's P rows): words no work e-mail has, as
// a private e-mail's text is its own. (Their lines are what the build searches the PDF
// for: a withheld e-mail's text must not be in it.)
var privateSentences = []string{
	"Kommer ni på middagen hos oss på lördag kväll?",
	"Barnvakten kan stanna till tio, sedan måste hon hem.",
	"Glöm inte att köpa mjölk och bröd på hemvägen.",
	"Mamma fyller sjuttio i maj och vill fira med hela släkten.",
	"Bilen ska till verkstaden på torsdag morgon, kan du skjutsa mig?",
	"Semesterstugan i Dalarna är ledig andra veckan i juli.",
	"Tandläkartiden är flyttad till kvart över tre.",
	"Hunden har ätit upp en av dina tofflor igen.",
}

// message returns the .eml of r and what kinds of encoding it has.
func message(rng *rand.Rand, r row) ([]byte, []string) {
	i := r.nr - 1
	var kinds []string
	// The sender's clock: a few seconds to a minute before the mail system received it.
	sent := r.at.Add(-time.Duration(5+rng.IntN(55)) * time.Second)
	zone := time.FixedZone("", 3600)
	if sent.Month() >= 4 && sent.Month() <= 10 {
		zone = time.FixedZone("", 7200)
	}
	if i%9 == 4 {
		zone = time.UTC // a system that writes UTC
	}
	from := mailbox(r.from)
	var tos []string
	for _, a := range strings.Split(r.to, ";") {
		tos = append(tos, mailbox(strings.TrimSpace(a)))
	}
	var h bytes.Buffer
	hdr := func(k, v string) { h.WriteString(k + ": " + v + "\r\n") }
	hdr("Received", fmt.Sprintf("from mail.region.example ([10.1.2.3]) by exch01.region.example with Microsoft SMTP Server id 15.2.1544.4;\r\n %s", r.at.In(zone).Format(time.RFC1123Z)))
	hdr("From", from)
	hdr("To", strings.Join(tos, ",\r\n "))
	if i%8 == 5 {
		hdr("Cc", encodeAddr(ccs[i%len(ccs)]))
	}
	hdr("Subject", encodeHeader(r.subject))
	hdr("Date", sent.In(zone).Format(time.RFC1123Z))
	hdr("Message-ID", fmt.Sprintf("<bench-%d.%d@region.example>", r.nr, sent.Unix()))
	hdr("MIME-Version", "1.0")
	hdr("X-MS-Has-Attach", map[bool]string{true: "yes", false: ""}[i%6 == 2])
	hdr("Thread-Topic", encodeHeader(r.subject))

	body := bodyText(rng, r)
	cs, cte := "utf-8", "8bit"
	switch i % 4 {
	case 1:
		cte = "quoted-printable"
	case 2:
		cte = "base64"
	case 3:
		cs, cte = "iso-8859-1", "quoted-printable"
	}
	kinds = append(kinds, cte+" "+cs)
	textPart := part("text/plain; charset=\""+cs+"\"", cte, encodeText(body, cs, cte), "")
	content := textPart
	if i%5 == 0 {
		kinds = append(kinds, "html")
		b := boundary("alt", r.nr)
		content = multipart("alternative", b, textPart, part("text/html; charset=\"utf-8\"", "quoted-printable", encodeText(html(body), "utf-8", "quoted-printable"), ""))
	}
	if i%6 == 2 {
		var att string
		if i%12 == 2 {
			kinds = append(kinds, "bilaga pdf")
			blob := make([]byte, 4096+rng.IntN(40000))
			for k := range blob {
				blob[k] = byte(rng.UintN(256))
			}
			copy(blob, "%PDF-1.7\n")
			name := fmt.Sprintf("underlag-%d.pdf", r.nr)
			att = part("application/pdf; name=\""+name+"\"", "base64", wrap(base64.StdEncoding.EncodeToString(blob)), "attachment; filename=\""+name+"\"")
		} else {
			kinds = append(kinds, "bilaga txt")
			name := fmt.Sprintf("anteckning-%d.txt", r.nr)
			att = part("text/plain; charset=\"utf-8\"; name=\""+name+"\"", "quoted-printable", encodeText(bodyText(rng, r), "utf-8", "quoted-printable"), "attachment; filename=\""+name+"\"")
		}
		content = multipart("mixed", boundary("mix", r.nr), content, att)
	}
	h.WriteString(content)
	return h.Bytes(), kinds
}

// mailbox is an address of the log as a mail program writes it: with its name.
func mailbox(email string) string {
	if n, ok := names[email]; ok {
		return encodeAddr(n + " <" + email + ">")
	}
	return email
}

func encodeAddr(a string) string {
	name, rest, ok := strings.Cut(a, " <")
	if !ok {
		return a
	}
	return encodeHeader(name) + " <" + rest
}

func encodeHeader(s string) string {
	for _, r := range s {
		if r >= 0x80 {
			enc := mime.QEncoding
			if len(s)%2 == 0 {
				enc = mime.BEncoding
			}
			return strings.ReplaceAll(enc.Encode("utf-8", s), "?= =?", "?=\r\n =?")
		}
	}
	if len(s) > 70 { // fold a long plain header
		if k := strings.LastIndex(s[:70], " "); k > 0 {
			return s[:k] + "\r\n" + s[k:]
		}
	}
	return s
}

func bodyText(rng *rand.Rand, r row) []string {
	i := r.nr - 1
	first := strings.Fields(names[r.to])
	greet := "Hej,"
	if len(first) > 0 && !strings.Contains(r.to, ";") {
		greet = "Hej " + first[0] + ","
	}
	lines := []string{greet, ""}
	n := 20 + rng.IntN(41)
	patient := ""
	if i%7 == 3 {
		patient = fmt.Sprintf("Patient Nummer%d", r.nr)
	}
	pool := sentences
	if i%11 == 5 && i%7 != 3 { // a private row of the log
		pool = privateSentences
	}
	for len(lines) < n-5 {
		k := 1 + rng.IntN(3)
		var p []string
		for range k {
			p = append(p, pool[rng.IntN(len(pool))])
		}
		if patient != "" && rng.IntN(4) == 0 {
			p = append(p, "Det gäller "+patient+", som har väntat sedan i våras.")
		}
		lines = append(lines, wrapWords(strings.Join(p, " "), 72)...)
		lines = append(lines, "")
	}
	if patient != "" {
		lines = append(lines, "Remissen för "+patient+" skickas till ortopeden i dag.", "")
	}
	sender := names[r.from]
	if sender == "" {
		sender = r.from
	}
	lines = append(lines, "Med vänliga hälsningar", sender, "Region Exempel, Avdelningen för verksamhetsstöd", "Tel. 010-123 45 "+fmt.Sprintf("%02d", i%100))
	if i%50 == 9 {
		lines = append(lines, "Hemtelefon (vid akuta ärenden): 08-765 43 21")
	}
	return lines
}

func wrapWords(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			out = append(out, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(out, line)
}

func html(lines []string) []string {
	out := []string{"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>", "<body><div class=\"WordSection1\">"}
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, "<p class=\"MsoNormal\">"+strings.Join(para, "<br>\r\n")+"</p>")
			para = nil
		}
	}
	for _, l := range lines {
		if l == "" {
			flush()
			continue
		}
		para = append(para, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(l))
	}
	flush()
	return append(out, "</div></body></html>")
}

func encodeText(lines []string, cs, cte string) string {
	text := strings.Join(lines, "\r\n") + "\r\n"
	data := []byte(text)
	if cs == "iso-8859-1" {
		data = data[:0:0]
		for _, r := range text {
			if r < 256 {
				data = append(data, byte(r))
			} else {
				data = append(data, '?')
			}
		}
	}
	switch cte {
	case "base64":
		return wrap(base64.StdEncoding.EncodeToString(data))
	case "quoted-printable":
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		w.Write(data)
		w.Close()
		return b.String()
	}
	return string(data)
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s + "\r\n"
}

func part(ctype, cte, body, disposition string) string {
	s := "Content-Type: " + ctype + "\r\nContent-Transfer-Encoding: " + cte + "\r\n"
	if disposition != "" {
		s += "Content-Disposition: " + disposition + "\r\n"
	}
	return s + "\r\n" + body
}

func boundary(kind string, nr int) string {
	return fmt.Sprintf("_%03d_%s_bench%06d_", nr%1000, kind, nr)
}

func multipart(sub, b string, parts ...string) string {
	s := "Content-Type: multipart/" + sub + "; boundary=\"" + b + "\"\r\n\r\n"
	for _, p := range parts {
		s += "--" + b + "\r\n" + p
		if !strings.HasSuffix(p, "\r\n") {
			s += "\r\n"
		}
	}
	return s + "--" + b + "--\r\n"
}

const request = `---
ärende: ` + mailID + `
typ: e-post
e-postlogg_ärende: ` + logID + `
frågeställare: {namn: "", kontakt: journalist@tidning.example}
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
begärda_e-post: [@N@]
steg:
  mottagen: {datum: 2026-11-20, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-20, av: reg1, komplettering: nej}
  medarbetare_informerad: {datum: 2026-11-20, av: reg1, fullmakt: ja, fullmakt_datum: 2026-11-20}
---
Fiktivt ärende (processor/scripts/benchmail): alla e-postmeddelanden i e-postloggen ` + logID + `.
`

// maskTexts masks the review texts and writes the decisions and the steps.
func maskTexts(root string) error {
	dir := filepath.Join(root, "cases", mailID)
	folder := filepath.Join(dir, casegen.WorkArea, "e-post")
	entries, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	var decisions []string
	texts, maskedTexts, private, withheldAtt := 0, 0, 0, 0
	for _, e := range entries {
		nr, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".txt"))
		if err != nil {
			continue
		}
		texts++
		i := nr - 1
		path := filepath.Join(folder, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		atts := 0
		if _, l, ok := strings.Cut(text, "\nBilagor:\n"); ok {
			for _, line := range strings.Split(l, "\n") {
				if strings.HasPrefix(line, strconv.Itoa(atts+1)+". ") {
					atts++
				}
			}
		}
		if i%11 == 5 && i%7 != 3 { // the log's P rows: private, not public records
			private++
			decisions = append(decisions, fmt.Sprintf("  - {nr: %d, beslut: lämnas_inte_ut, skäl: privat}", nr))
			continue
		}
		masks := 0
		if i%7 == 3 {
			// Also where the body's line breaks split the name: the build's self-check reads
			// a line break as a space and refuses a PDF with the name in it.
			name := regexp.MustCompile(fmt.Sprintf(`Patient\s+Nummer%d\b`, nr))
			k := len(name.FindAllStringIndex(text, -1))
			text = name.ReplaceAllLiteralString(text, ref)
			counts["25 kap. 1 § OSL"] += k
			masks += k
		}
		if i%50 == 9 {
			k := strings.Count(text, "08-765 43 21")
			text = strings.ReplaceAll(text, "08-765 43 21", refTel)
			counts["21 kap. 3 § OSL"] += k
			masks += k
		}
		d := fmt.Sprintf("  - {nr: %d, beslut: lämnas_ut", nr)
		if masks > 0 {
			maskedTexts++
			d = fmt.Sprintf("  - {nr: %d, beslut: lämnas_ut_maskad", nr)
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				return err
			}
		}
		if atts > 0 {
			var as []string
			for a := 1; a <= atts; a++ {
				if i%7 == 3 {
					as = append(as, fmt.Sprintf("{nr: %d, beslut: lämnas_inte_ut, skäl: sekretess, bestämmelse: 25 kap. 1 § OSL}", a))
					counts["25 kap. 1 § OSL"]++
					withheldAtt++
				} else {
					as = append(as, fmt.Sprintf("{nr: %d, beslut: lämnas_ut}", a))
				}
			}
			d += ", bilagor: [" + strings.Join(as, ", ") + "]"
		}
		decisions = append(decisions, d+"}")
	}
	req := filepath.Join(dir, "request.md")
	data, err := os.ReadFile(req)
	if err != nil {
		return err
	}
	s := string(data)
	at := strings.Index(s, "\nsteg:\n")
	if at < 0 {
		return fmt.Errorf("%s har inget steg:-block", req)
	}
	s = s[:at+1] + "e-postbeslut:\n" + strings.Join(decisions, "\n") + "\n" + s[at+1:]
	if err := os.WriteFile(req, []byte(s), 0o644); err != nil {
		return err
	}
	var provs []string
	for k, v := range counts {
		provs = append(provs, fmt.Sprintf("%q: %d", k, v))
	}
	sort.Strings(provs)
	if err := addLines(req, []string{
		fmt.Sprintf("  allmän_handling_prövad: {datum: 2026-11-20, av: reg1, granskade: %d, ej_allmän_handling: %d}", texts, private),
		"  sekretessprövad:", "    datum: 2026-11-21", "    av: reg1", "    jurist_konsulterad: nej",
		"    bestämmelser: {" + strings.Join(provs, ", ") + "}",
	}); err != nil {
		return err
	}
	fmt.Printf("%d granskningstexter: %d maskade (%.1f %%), %d privata (lämnas inte ut), %d bilagor undanhållna; bestämmelser {%s}\n",
		texts, maskedTexts, 100*float64(maskedTexts)/float64(max(texts, 1)), private, withheldAtt, strings.Join(provs, ", "))
	return nil
}

// addLines adds lines at the end of the front matter of request.md path.
func addLines(path string, lines []string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(data)
	if !strings.HasPrefix(s, "---\n") {
		return fmt.Errorf("%s har ingen front matter", path)
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		return fmt.Errorf("%s: front matter slutar inte", path)
	}
	end += 5 // after the newline before ---
	return os.WriteFile(path, []byte(s[:end]+strings.Join(lines, "\n")+"\n"+s[end:]), 0o644)
}
