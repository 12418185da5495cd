// Package demodata is the demo's fictitious mailbox: the rows of the e-mail log of demo
// case 2026-0001, which demoexport writes as an M365 export and demomail as the e-mails
// themselves (row k is Nr k of the released log).
package demodata

import "time"

// Employee is the mailbox the demo log is of.
const Employee = "erik.exempel@region.example"

// Row is one e-mail of the log: the day of October 2026 and the time (Swedish time) it was
// received, the sender, the recipients ("a; b") and the subject.
type Row struct {
	Day, Hour, Min int
	From, To       string
	Subject        string
}

// Received is when the mail system received the e-mail, in the zone of that day (summer
// time ends on 25 October 2026).
func (r Row) Received() time.Time {
	if r.Day >= 25 {
		return time.Date(2026, 10, r.Day, r.Hour, r.Min, 0, 0, time.FixedZone("CET", 3600))
	}
	return time.Date(2026, 10, r.Day, r.Hour, r.Min, 0, 0, time.FixedZone("CEST", 2*3600))
}

// The mailbox: received (to Erik) and sent (from Erik). Fictitious people and addresses.
var Rows = []Row{
	{1, 7, 58, "anna.andersson@region.example", Employee, "Protokoll ledningsgrupp 1 oktober"},
	{1, 9, 12, Employee, "inkop@leverantor.example", "Re: Offert städtjänster hus 4"},
	{1, 17, 3, "lisa.privat@mail.example", Employee, "Middag på lördag?"},
	{2, 8, 30, "vard.remiss@region.example", Employee, "Ang. patient Anna Patientsson, remiss till ortopeden"},
	{2, 10, 44, "faktura@leverantor.example", Employee, "[EXTERN] Faktura 2026-1187"},
	{3, 13, 5, Employee, "hr@region.example", "Sjukskrivning Kalle Kollega vecka 41"},
	{5, 8, 2, "journal@region.example", Employee, "Begärd journalkopia 19811228-9874"},
	{5, 11, 20, Employee, "anna.andersson@region.example; bo.berg@region.example", "Budget 2027, underlag till nämnden"},
	{6, 9, 0, "säkerhet@region.example", Employee, "Skyddad adress: Berit Skyddad har flyttat till Storgatan 1, Exempelstad"},
	{6, 14, 31, "nyhetsbrev@forening.example", Employee, "Nyhetsbrev oktober"},
	{7, 7, 45, Employee, "it-support@region.example", "Behörighet till journalsystemet för ny medarbetare, lösenordsåterställning och VPN-konto som ska vara klart före måndag den 12 oktober, gärna med bekräftelse till mig och till enhetschefen"},
	{7, 16, 10, "mamma.exempel@mail.example", Employee, "Kalas för Nils på söndag"},
	{8, 10, 0, "patientnamnden@region.example", Employee, "Ärende hos patientnämnden, Per Klagande"},
	{9, 8, 15, Employee, "bo.berg@region.example", "Re: Semesterplanering"},
	{12, 9, 40, "upphandling@region.example", Employee, "Anbudsöppning ramavtal IT-konsulter"},
	{12, 15, 2, Employee, "press@tidning.example", "Svar på frågor om väntetider"},
	{13, 11, 11, "anna.andersson@region.example", Employee, "Ring mig på 070-123 45 67 när du kan"},
	{14, 8, 59, Employee, "ledningsgrupp@region.example", "Dagordning ledningsgrupp 15 oktober"},
	{15, 13, 30, "visselblasning@region.example", Employee, "Rapport från visselblåsare om avdelning 7"},
	{16, 10, 5, Employee, "lisa.privat@mail.example", "Sv: Middag på lördag?"},
	{19, 9, 20, "kommunikation@region.example", Employee, "Pressmeddelande: ny vårdcentral i Exempelstad"},
	{20, 14, 0, Employee, "facket@fack.example", "Förhandling om omorganisation, underlag"},
	{21, 8, 5, "vard.remiss@region.example", Employee, "Ang. patient Olle Patientsson, återbesök"},
	{22, 12, 12, Employee, "anna.andersson@region.example", "Tack för i dag"},
	{23, 9, 33, "it-sakerhet@region.example", Employee, "Sårbarhet i brandväggen hus 2, IP 10.0.0.1"},
	{26, 8, 0, "anna.andersson@region.example", Employee, "Protokoll ledningsgrupp 26 oktober"},
	{27, 10, 30, Employee, "inkop@leverantor.example", "Beställning kontorsmaterial"},
	{28, 15, 45, "halsa@region.example", Employee, "Rehabplan för medarbetare, Kalle Kollega"},
	{29, 9, 9, Employee, "bo.berg@region.example", "Möte om budget 2027"},
	{30, 16, 59, "nyhetsbrev@forening.example", Employee, "Höstens program"},
}
