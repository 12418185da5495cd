// Command demoexport writes the demo case's raw export: a fictitious Microsoft 365 message
// trace (Get-MessageTraceV2 | Export-Csv) for Erik Exempel's mailbox, October 2026. The
// output is the same bytes every time, so the SHA-256 recorded in the demo case holds.
// Raw exports are never committed: make demo runs this to create one.
//
// Usage: go run ./processor/scripts/demoexport FILE
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const employee = "erik.exempel@region.example"

type mail struct {
	day, hour, min int
	from, to       string
	subject        string
}

// The mailbox: received (to Erik) and sent (from Erik). Fictitious people and addresses.
var mails = []mail{
	{1, 7, 58, "anna.andersson@region.example", employee, "Protokoll ledningsgrupp 1 oktober"},
	{1, 9, 12, employee, "inkop@leverantor.example", "Re: Offert städtjänster hus 4"},
	{1, 17, 3, "lisa.privat@mail.example", employee, "Middag på lördag?"},
	{2, 8, 30, "vard.remiss@region.example", employee, "Ang. patient Anna Patientsson, remiss till ortopeden"},
	{2, 10, 44, "faktura@leverantor.example", employee, "[EXTERN] Faktura 2026-1187"},
	{3, 13, 5, employee, "hr@region.example", "Sjukskrivning Kalle Kollega vecka 41"},
	{5, 8, 2, "journal@region.example", employee, "Begärd journalkopia 19811228-9874"},
	{5, 11, 20, employee, "anna.andersson@region.example; bo.berg@region.example", "Budget 2027, underlag till nämnden"},
	{6, 9, 0, "säkerhet@region.example", employee, "Skyddad adress: Berit Skyddad har flyttat till Storgatan 1, Exempelstad"},
	{6, 14, 31, "nyhetsbrev@forening.example", employee, "Nyhetsbrev oktober"},
	{7, 7, 45, employee, "it-support@region.example", "Behörighet till journalsystemet för ny medarbetare, lösenordsåterställning och VPN-konto som ska vara klart före måndag den 12 oktober, gärna med bekräftelse till mig och till enhetschefen"},
	{7, 16, 10, "mamma.exempel@mail.example", employee, "Kalas för Nils på söndag"},
	{8, 10, 0, "patientnamnden@region.example", employee, "Ärende hos patientnämnden, Per Klagande"},
	{9, 8, 15, employee, "bo.berg@region.example", "Re: Semesterplanering"},
	{12, 9, 40, "upphandling@region.example", employee, "Anbudsöppning ramavtal IT-konsulter"},
	{12, 15, 2, employee, "press@tidning.example", "Svar på frågor om väntetider"},
	{13, 11, 11, "anna.andersson@region.example", employee, "Ring mig på 070-123 45 67 när du kan"},
	{14, 8, 59, employee, "ledningsgrupp@region.example", "Dagordning ledningsgrupp 15 oktober"},
	{15, 13, 30, "visselblasning@region.example", employee, "Rapport från visselblåsare om avdelning 7"},
	{16, 10, 5, employee, "lisa.privat@mail.example", "Sv: Middag på lördag?"},
	{19, 9, 20, "kommunikation@region.example", employee, "Pressmeddelande: ny vårdcentral i Exempelstad"},
	{20, 14, 0, employee, "facket@fack.example", "Förhandling om omorganisation, underlag"},
	{21, 8, 5, "vard.remiss@region.example", employee, "Ang. patient Olle Patientsson, återbesök"},
	{22, 12, 12, employee, "anna.andersson@region.example", "Tack för i dag"},
	{23, 9, 33, "it-sakerhet@region.example", employee, "Sårbarhet i brandväggen hus 2, IP 10.0.0.1"},
	{26, 8, 0, "anna.andersson@region.example", employee, "Protokoll ledningsgrupp 26 oktober"},
	{27, 10, 30, employee, "inkop@leverantor.example", "Beställning kontorsmaterial"},
	{28, 15, 45, "halsa@region.example", employee, "Rehabplan för medarbetare, Kalle Kollega"},
	{29, 9, 9, employee, "bo.berg@region.example", "Möte om budget 2027"},
	{30, 16, 59, "nyhetsbrev@forening.example", employee, "Höstens program"},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "användning: demoexport FIL")
		os.Exit(2)
	}
	path := os.Args[1]
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var b strings.Builder
	b.WriteString("\ufeff") // PowerShell 7's Export-Csv writes UTF-8 with BOM
	w := csv.NewWriter(&b)
	w.Write([]string{"Received", "SenderAddress", "RecipientAddress", "Subject", "Status", "ToIP", "FromIP", "Size", "MessageId", "MessageTraceId"})
	for i, m := range mails {
		// Get-MessageTraceV2 reports UTC.
		at := time.Date(2026, 10, m.day, m.hour, m.min, 0, 0, time.FixedZone("CEST", 2*3600))
		if m.day >= 25 {
			at = time.Date(2026, 10, m.day, m.hour, m.min, 0, 0, time.FixedZone("CET", 3600))
		}
		w.Write([]string{at.UTC().Format("2006-01-02T15:04:05.0000000Z"), m.from, m.to, m.subject, "Delivered",
			"10.1.2.3", "192.0.2.10", fmt.Sprint(12000 + 731*i), fmt.Sprintf("<demo-%03d@region.example>", i+1),
			fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)})
	}
	w.Flush()
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("skrev %s (%d e-mail, påhittade)\n", path, len(mails))
}
