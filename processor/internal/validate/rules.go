package validate

import (
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/yamldoc"
)

// Rule documents one rule: its name as printed in findings and what it checks, in Swedish.
type Rule struct {
	Name string
	Text string
}

// RuleTable writes rules as the README's Markdown table (between its marker comments).
func RuleTable(rules []Rule) string {
	var b strings.Builder
	b.WriteString("\n| regel | kontrollerar |\n|---|---|\n")
	for _, r := range rules {
		b.WriteString("| `" + r.Name + "` | " + r.Text + " |\n")
	}
	return b.String()
}

// ReadmeTable returns the README's text between <!-- name:start --> and <!-- name:slut -->.
func ReadmeTable(readme, name string) (string, bool) {
	_, rest, ok := strings.Cut(readme, "<!-- "+name+":start -->")
	table, _, ok2 := strings.Cut(rest, "<!-- "+name+":slut -->")
	return table, ok && ok2
}

// WithReadmeTable returns readme with the text between <!-- name:start --> and
// <!-- name:slut --> replaced by table (for the tests' -update).
func WithReadmeTable(readme, name, table string) string {
	head, rest, _ := strings.Cut(readme, "<!-- "+name+":start -->")
	_, tail, _ := strings.Cut(rest, "<!-- "+name+":slut -->")
	return head + "<!-- " + name + ":start -->" + table + "<!-- " + name + ":slut -->" + tail
}

// Rules lists every rule, in the order the README presents them. `processor regler` prints
// it, and a test checks that the README and every finding name only rules listed here.
var Rules = []Rule{
	{casefile.RuleFrontMatter, "request.md börjar med front matter mellan två rader ---."},
	{yamldoc.RuleSyntax, "Front matter och inställningsfiler är giltig YAML."},
	{yamldoc.RuleTab, "Indrag görs med mellanslag, inte tabbtecken."},
	{yamldoc.RuleDuplicate, "En nyckel står bara en gång i samma mappning."},
	{yamldoc.RuleUnknown, "Bara nycklar som ärendetypen (eller filens format) anger får förekomma; tips om närmaste giltiga nyckel."},
	{yamldoc.RuleAlias, "Ankare och alias (&, *) används inte (skydd mot aliasbomber)."},
	{yamldoc.RuleSize, "Front matter är högst 1 MiB och 20 000 värden."},
	{yamldoc.RuleKind, "Värdet har rätt form: text, lista eller mappning."},
	{yamldoc.RuleNFD, "Varning: å, ä, ö skrivna i uppdelad form (bokstav + kombinerande tecken) läses som vanliga å, ä, ö."},
	{casefile.RuleCaseID, "ärende finns, skrivs ÅÅÅÅ-NNNN och är samma som ärendemappens namn."},
	{RuleUnique, "Ett ärendenummer används av ett enda ärende."},
	{RuleCaseDir, "Varje mapp i cases/ innehåller en läsbar request.md."},
	{casefile.RuleCaseType, "typ finns och är en ärendetyp i templates/."},
	{workflow.RuleMissing, "Fält som ärendetypen kräver (även villkorade krav, krävs_om) är ifyllda, för ärendet och för varje registrerat steg."},
	{workflow.RuleValue, "Värdet är tillåtet: ett av de angivna valen, en e-postadress, en SHA-256-summa, ett ärendenummer, ett heltal större än 0 för maskningar."},
	{workflow.RuleUnknownStep, "Stegnamnet finns i ärendetypen."},
	{workflow.RuleStepOrder, "Stegen står i rutinens ordning."},
	{workflow.RuleSkipped, "Inget steg hoppas över, utom när ärendetypen tillåter det: hoppas_över_om (t.ex. att medarbetaren inte behöver informeras när begäran kom via medarbetaren), valfri (t.ex. en begäran om skriftligt beslut) eller gäller_om som inte är uppfyllt."},
	{workflow.RuleNotApplicable, "Ett steg med gäller_om registreras bara när villkoret är uppfyllt, t.ex. att ett överklagande lämnas över till domstolen bara när rättidsprövningen fann det i tid (i_tid: ja) och avvisas bara när det kom in för sent."},
	{workflow.RuleDateFormat, "Datum skrivs ÅÅÅÅ-MM-DD (ISO 8601) och är verkliga kalenderdagar."},
	{workflow.RuleFuture, "Ett steg och ett godkännande är inte daterade i framtiden."},
	{workflow.RuleDateOrder, "Ett steg är inte daterat före steget före det; ett datum ligger inte före det datum ärendetypen anger (inte_före)."},
	{"bevakningsdatum", "Bevakningsdatumet ligger inte före beställningen av loggen."},
	{workflow.RulePromptness, "Handläggningstiden räknas i svenska arbetsdagar (helgdagar, midsommarafton, julafton och nyårsafton räknas inte) mellan de steg ärendetypen anger under handläggningstid: varning när målet passeras, och från dröjsmålsgränsen fel tills ärendet anger när frågeställaren underrättades om dröjsmålet och varför (2 kap. 15 och 16 §§ TF; JO 4209-09, JO 6813-20)."},
	{"överklagandetid", "Ett ärende med ett skriftligt beslut avslutas inte före överklagandetidens slut: tre veckor från att beslutet skickades (FL 44 §), en sista dag på en lördag, söndag eller helgdag flyttad till nästa vardag (lag (1930:173) om beräkning av lagstadgad tid)."},
	{"rättidsprövning", "Rättidsprövningen (FL 45 §) stämmer med datumen: sista dagen är tre veckor från att frågeställaren fick del av beslutet (flyttad från en lördag, söndag eller helgdag till nästa vardag), och i_tid är ja exakt när överklagandet kom in senast den dagen."},
	{"överlämnande", "Ett överklagande som kom in i tid lämnas över till kammarrätten inom en vecka (FL 46 §); annars en varning."},
	{"gallringsdatum", "Gallringsdatumet är avslutsdatum plus gallringstiden (tre månader); ett ifyllt datum måste stämma, och gallring får inte registreras före det."},
	{workflow.RuleSigner, "Varje steg är signerat (av) av en person i installningar.yaml, med den roll steget kräver."},
	{workflow.RuleApproval, "Ett steg som kräver godkännande (sekretessprövningen) är godkänt av en granskare som inte själv gjort steget, inte före steget (fyra ögon)."},
	{workflow.RuleApprovalBound, "Granskarens godkännande av en sekretessprövning anger SHA-256 för den granskningsbok och den råexport som godkändes (processor godkänn räknar fram dem), och råexporten är den som importerades."},
	{workflow.RuleApprovalStale, "Granskningsboken och råexporten är de versioner som godkändes: ändras något efter godkännandet måste den nya versionen godkännas."},
	{provision.RuleRef, "Varje bestämmelse i beslutet går att läsa och finns i bestämmelsekatalogen; tips om närmaste bestämmelse."},
	{provision.RuleCatalog, "Bestämmelsekatalogen har rubrikrad, tre kolumner per rad och inga dubbletter."},
	{workflow.RuleAnonymity, "Ingen ärendetyp kräver uppgifter om frågeställaren: hen får vara anonym (2 kap. 18 § TF)."},
	{workflow.RuleTypeFile, "Ärendetypsfilen är fullständig: namn, steg med rubrik, kända fälttyper, villkor och beräkningar som pekar på fält och tider som finns."},
	{workflow.RuleWorkbook, "Granskningsboken finns från steget export_mottagen tills ärendet gallrats (i arbetsytan medan den maskas, i utlamnande/ från steget pdf_skapad), och antal rader och antal P-markerade stämmer med front matter."},
	{RuleLegacyRaw, "Varning: ärendemappen har kvar mappen raw/ från en tidigare version; råexporten ska ligga i arbetsytans export/."},
	{workflow.RuleRaw, "Råexportens SHA-256 stämmer med den som registrerades vid importen (den har inte ändrats)."},
	{workflow.RuleProof, "Sekretessprövningen registreras först när maskbeviset i granskningsboken är utan fel."},
	{workflow.RuleExemption, "Beslutets bestämmelser och antal maskningar stämmer med maskningarna i granskningsboken, eller i e-postmeddelandenas granskningstexter och de meddelanden och bilagor som inte lämnas ut på grund av sekretess (undantagsloggen)."},
	{workflow.RuleMailDecision, "Varje begärt e-postmeddelande och varje bilaga har ett beslut (lämnas_ut, lämnas_ut_maskad eller lämnas_inte_ut med ett skäl ur ärendetypen, och bestämmelse vid sekretess), bara begärda meddelanden har beslut, antalen i stegen är räknade ur besluten, och när något inte lämnas ut har frågeställaren informerats om rätten till ett skriftligt beslut."},
	{mask.RuleChanged, "Varje cell i granskningsboken är lika med råexportens cell, eller lika med den med en eller flera icke-tomma delar ersatta av bestämmelser."},
	{mask.RuleEmptyMask, "En maskning ersätter text; den läggs inte bara till."},
	{mask.RuleRawRef, "En hänvisning som redan står i råexporten (importen skriver den med breda hakparenteser ［ ］) är loggens text, ingen maskning, och skrivs inte om."},
	{mask.RuleRows, "Inga rader tillagda, borttagna, kopierade eller omflyttade: Nr går 1, 2, 3 … som i råexporten."},
	{mask.RuleLeak, "Samma uppgift är maskad överallt: text som är maskad i en cell finns inte omaskad i en annan cell, på ett annat ställe i samma cell eller någon annanstans i granskningsbokens fil (andra blad, kommentarer, strängtabellen)."},
	{mask.RuleMark, "Markering är tom eller P (e-postmeddelandet är uteslutande privat och lämnas inte ut; raden finns kvar i loggen och maskas som andra rader)."},
	{workbook.RuleStructure, "Granskningsboken går att läsa (inte skadad, inte lösenordsskyddad, inom gränserna för storlek, antal delade strängar, nästling och cellängd), har bladet och rubrikraden som importen skrev, Nr som det heltal importen skrev och inget utanför tabellen."},
	{workbook.RuleHidden, "Inget dolt innehåll och inget annat än det importen skrev: inga formler, inga andra blad än Logg och en oförändrad Instruktion, inga dolda blad, rader eller kolumner, inga kommentarer eller anteckningar, inga talformat, teckenfärger, teckenstorlekar eller villkorsstyrda format som döljer text, inga datavalideringar med egen text, länkar, sidhuvuden med text, bilder, former, diagram, inbäddade objekt, länkar till andra arbetsböcker eller egna definierade namn."},
	{workbook.RuleMetadata, "Varning: dokumentegenskaper med personnamn eller text (skapare, senast sparad av, företag, beskrivning, nyckelord, anpassade egenskaper, anpassad XML)."},
	{RuleSensitive, "Varning (eller fel om ärendetypen säger blockera): omaskad text som ser ut som ett personnummer, samordningsnummer eller telefonnummer; kan kvitteras med skäl i kvitteringar."},
	{mailcase.RuleLogCase, "Ett ärende om e-postmeddelanden hänvisar till ett ärende i katalogen där e-postloggen är utlämnad (steget utlämnad registrerat, granskningsboken i utlamnande/), och varje begärt Nr är en rad i den loggen."},
	{mailcase.RuleMatch, "Varje begärd rad har sitt exporterade e-postmeddelande (samma avsändare, en av mottagarna, tid inom 10 minuter, ämnesradens omaskade text), och varje exporterat meddelande hör till en begärd rad."},
	{mailcase.RuleText, "Granskningstexterna (e-post/NNNN.txt) finns för varje begärt meddelande, är sparade som UTF-8, och i utlämnandet ligger bara texterna för de meddelanden som lämnas ut."},
	{mailcase.RuleSource, "E-postexporten i arbetsytans export/ kan läsas: varje .eml och .msg, inom gränserna (en .pst exporteras som enskilda meddelanden)."},
	{export.Rule, "Råexporten går att läsa: kodning, CSV-citattecken, rubriker som ärendetypen känner igen, datum som går att tolka, minst ett e-mail."},
	{settings.Rule, "Inställningsfilen har myndighet, en av de fyra kammarrätterna, personer med signatur, namn, titel, e-post och roller, och minst en granskare."},
}
