package review

import (
	"html/template"
	"io"

	"utlamnande/processor/internal/mailtext"
)

// HTML writes the report as one self-contained HTML page, as Report.HTML does: inline CSS,
// no scripts, no external resources; every text from the case and its e-mails is escaped.
func (rep *MailReport) HTML(w io.Writer) error {
	return mailPage.Execute(w, rep)
}

var mailPage = template.Must(template.Must(newTemplate("granskning-e-post")).Funcs(template.FuncMap{
	"bytes": func(n int64) string { return mailtext.Thousands(n) },
}).Parse(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Granskningsrapport {{.Case}}</title>
<style>
` + pageStyle + `section.epost { border: 1px solid #999; padding: 0 1em .8em; margin: 1.2em 0; }
section.epost.undantas { border: 3px solid #a00; background: #fff6f6; }
h3 { font-size: 1.05em; margin: .8em 0 .4em; }
.beslut { padding: 0 .4em; border: 1px solid; white-space: nowrap; }
.beslut.ut { color: #060; }
.beslut.nej { color: #a00; font-weight: bold; }
.beslut.saknas { color: #7a5200; font-weight: bold; }
.anteckning { border-left: 4px solid #b58a00; background: #fff8e0; padding: .3em .8em; margin: .5em 0; }
</style>
</head>
<body>
<h1>Granskningsrapport för ärende {{.Case}}</h1>
<p class="liten">Undantagslogg och underlag för granskarens godkännande av steget {{if .Decision.Step}}{{.Decision.Step}}{{else}}(inget beslutssteg){{end}}.
Rapporten innehåller omaskad text ur e-postmeddelandena, även ur dem som inte lämnas ut: den ligger i ärendets arbetsyta, checkas aldrig in och raderas vid gallring. Skicka den inte vidare.</p>

<table class="fakta">
<tr><th>Ärende</th><td>{{.Case}}</td></tr>
<tr><th>Ärendetyp</th><td>{{if .TypeTitle}}{{.TypeTitle}} ({{.Type}}){{else}}{{.Type}}{{end}}</td></tr>
<tr><th>Medarbetare</th><td>{{if .Employee.Name}}{{.Employee.Name}}{{end}}{{if and .Employee.Name .Employee.Address}}, {{end}}{{if .Employee.Address}}{{.Employee.Address}}{{end}}{{if not (or .Employee.Name .Employee.Address)}}–{{end}}</td></tr>
<tr><th>E-postloggen</th><td>{{if .LogCase}}ärende {{.LogCase}}{{else}}–{{end}}{{if .LogFile}} (<code>{{.LogFile}}</code>){{end}}</td></tr>
<tr><th>Granskningstexter</th><td><code>{{.Texts}}</code></td></tr>
<tr><th>Exporten</th><td><code>{{.Export}}</code></td></tr>
<tr><th>E-postmeddelanden</th><td>{{.Mails}} ({{.Withheld}} lämnas inte ut)</td></tr>
<tr><th>Maskningar</th><td>{{.Masks}}</td></tr>
<tr><th>Bilagor som inte lämnas ut</th><td>{{.WithheldAttachments}}</td></tr>
<tr><th>Anteckningar från inläsningen</th><td>{{.Notes}}</td></tr>
<tr><th>Rapporten skapad</th><td>{{.Date}}{{if .Version}} av processor {{.Version}}{{end}}</td></tr>
</table>

{{if eq .Status "kan godkännas"}}<p class="status ok">{{if .Errors}}Inga fel utom godkännandet självt (se Fel){{else}}Inga fel{{end}}. Granska besluten och maskningarna nedan; godkänn beslutet om du instämmer.</p>
{{else if eq .Status "redan godkänd"}}<p class="status info">Beslutet är redan godkänt för exakt dessa filer ({{.Approval.Existing.Date}}, {{.Approval.Existing.Signer}}).</p>
{{else if eq .Status "beslut saknas"}}<p class="status nej">Steget {{.Decision.Step}} är inte registrerat ännu: det finns inget beslut att godkänna.</p>
{{else}}<p class="status nej">Godkänn inte: ärendet har {{.Blocking}} fel som ett godkännande inte rättar (se Fel nedan). Registratorn rättar först; skapa sedan en ny rapport.</p>
{{end}}
<h2>Beslutet{{if .Decision.Step}} (steget {{.Decision.Step}}){{end}}</h2>
{{if .Decision.Recorded}}<p>{{if .Decision.Title}}{{.Decision.Title}}. {{end}}Registrerat {{.Decision.Date}} av {{.Decision.Signer}}.</p>
{{else}}<p>Inte registrerat.</p>
{{end}}{{if .Provisions}}<table>
<tr><th>Bestämmelse</th><th>Rubrik</th><th>Skaderekvisit</th><th>Gäller hos</th><th>Antal i beslutet</th><th>Antal i texterna och besluten</th></tr>
{{range .Provisions}}<tr{{if ne .Decided .Masked}} class="fel"{{end}}><td>{{.Ref}}</td><td>{{if .Title}}{{.Title}}{{else}}<span class="fel">finns inte i bestämmelsekatalogen</span>{{end}}</td><td>{{.HarmTest}}</td><td>{{.AppliesAt}}</td><td>{{.Decided}}</td><td>{{.Masked}}</td></tr>
{{end}}</table>
{{template "provisionhints" .Provisions}}<p class="liten">Antal i texterna och besluten: maskningarna i texterna till de meddelanden som lämnas ut, och varje meddelande eller bilaga som inte lämnas ut på grund av sekretess.</p>
{{else}}<p>Inga bestämmelser: inget är maskat eller undantaget för sekretess och beslutet anger inga.</p>
{{end}}
<h2>Godkännandet binder</h2>
<table class="fakta">
<tr><th>e-post_sha256</th><td class="sha">{{.Approval.MailSHA256}}</td></tr>
<tr><th>råexport_sha256</th><td class="sha">{{.Approval.RawSHA256}}</td></tr>
</table>
<p class="liten">e-post_sha256 omfattar granskningstexterna till de meddelanden som lämnas ut och besluten i e-postbeslut; råexport_sha256 de exporterade e-postmeddelandena.</p>
<p>Godkänn med <code>{{.Approval.Command}}</code> (din signatur i stället för SIGNATUR). Kommandot skriver in under steget {{.Approval.Step}}{{if .Date}} (med dagens datum){{end}}:</p>
<pre>{{.Approval.Line}}</pre>
<p class="liten">Ändras en granskningstext, ett beslut eller exporten efter godkännandet gäller det inte längre (regeln godkännande-inaktuellt): då krävs en ny granskning.</p>
{{with .Approval.Existing}}<p>Ett godkännande finns redan: {{.Date}} av {{.Signer}}, e-post_sha256 <span class="sha">{{.MailSHA256}}</span>, råexport_sha256 <span class="sha">{{.RawSHA256}}</span>.
{{if .Current}}Det gäller exakt dessa filer.{{else}}<span class="fel">Det gäller inte dessa filer.</span>{{end}}</p>
{{end}}
<h2>E-postmeddelandena ({{.Mails}})</h2>
<p class="liten">Varje begärt meddelande i nummerordning (Nr i e-postloggen), med beslutet. I texten är det som maskas <mark>markerat</mark>, med bestämmelsen bredvid. Texterna till meddelanden som inte lämnas ut visas också, för granskningen.</p>
{{range .Messages}}<section class="epost{{if .Withheld}} undantas{{end}}">
<h3>Nr {{.Nr}}{{with .Headers}}{{range .}}{{if eq .Label "Ämne"}}: {{.Value}}{{end}}{{end}}{{end}} – <span class="beslut {{if .Withheld}}nej{{else if eq .Decision.Label "beslut saknas"}}saknas{{else}}ut{{end}}">{{.Decision.Label}}</span></h3>
{{if .Withheld}}<p class="status nej">Lämnas inte ut{{with .Decision}}{{if .ReasonTitle}}: {{.ReasonTitle}}{{else if .Reason}}: {{.Reason}}{{end}}{{if .Provision}} ({{.Provision}}{{if .ProvisionTitle}} – {{.ProvisionTitle}}{{end}}){{end}}{{end}}. Texten nedan visas bara för granskningen; den lämnas inte ut och checkas inte in.</p>
{{end}}<table class="fakta">
<tr><th>Beslut</th><td>{{template "verdict" .Decision}}</td></tr>
{{if not .Requested}}<tr><th>Begärt</th><td class="fel">Nej: nr {{.Nr}} står inte i begärda_e-post.</td></tr>
{{end}}<tr><th>Granskningstext</th><td><code>{{.TextFile}}</code>{{if eq .TextFrom "e-postmeddelandet"}} <span class="liten">(finns inte här; texten nedan är e-postmeddelandets, omaskad)</span>{{else if not .TextFrom}} <span class="fel">(finns inte)</span>{{end}}</td></tr>
<tr><th>I e-postloggen</th><td>{{if .LogRow}}<code>{{.LogRow}}</code>{{else}}–{{end}}</td></tr>
<tr><th>I exporten</th><td>{{if .File}}<code>{{.File}}</code> <span class="liten">(SHA-256 <span class="sha">{{.FileSHA256}}</span>)</span>{{else}}<span class="fel">inget e-postmeddelande i exporten matchar raden</span>{{end}}</td></tr>
{{range .Headers}}<tr><th>{{.Label}}</th><td class="text">{{.Value}}</td></tr>
{{end}}</table>
{{if .Notes}}<div class="anteckning"><strong>Anteckningar från inläsningen av meddelandet ({{len .Notes}}):</strong>
<ul>
{{range .Notes}}<li>{{.}}</li>
{{end}}</ul></div>
{{end}}{{if .Hidden}}<p class="varning"><strong>Dold text:</strong> meddelandet har text som e-postprogrammet inte visar för läsaren ({{range $i, $h := .Hidden}}{{if $i}}, {{end}}{{$h}}{{end}}). Den står i granskningstexten under rubriken ”Annan text i meddelandet” och prövas som resten av texten.</p>
{{end}}{{if .Masks}}<table>
<tr><th>Rad:kolumn</th><th>Maskningen</th><th>Bestämmelse</th><th>Döljer</th></tr>
{{range .Masks}}<tr><td><code>{{.Line}}:{{.Col}}</code></td><td><code>{{.Written}}</code></td><td>{{.Provision}}{{if .Title}} – {{.Title}}{{else}} – <span class="fel">finns inte i katalogen</span>{{end}}</td><td class="text">{{if .Text}}<mark>{{.Text}}</mark>{{else}}<mark class="okand">?</mark> <span class="fel">kan inte härledas ur e-postmeddelandet</span>{{end}}</td></tr>
{{end}}</table>
{{else if .Parts}}<p class="liten">Inga maskningar i texten.</p>
{{end}}{{if .Problems}}<ul>
{{range .Problems}}<li class="fel"><code>{{if .Line}}{{.Line}}:{{.Col}}{{else}}–{{end}}</code> {{.Rule}}: {{.Message}}{{if .Hint}} <small>(tips: {{.Hint}})</small>{{end}}</li>
{{end}}</ul>
{{end}}{{if .Parts}}<pre>{{template "parts" .Parts}}</pre>
{{if and (not .Derived) .Masks}}<p class="fel">Maskningarna kan inte härledas ur e-postmeddelandet (se problemen ovan).</p>
{{end}}{{end}}{{if .Attachments}}<table>
<tr><th>Bilaga</th><th>Namn</th><th>Typ</th><th>Storlek</th><th>SHA-256</th><th>Beslut</th></tr>
{{range .Attachments}}<tr><td>{{.Nr}}</td><td class="text">{{if .Missing}}<span class="fel">meddelandet har ingen bilaga {{.Nr}}</span>{{else}}{{.Name}}{{if .Inline}} <small>(i brödtexten)</small>{{end}}{{end}}</td><td>{{.ContentType}}</td><td>{{if not .Missing}}{{bytes .Size}} byte{{end}}</td><td class="sha">{{.SHA256}}</td><td>{{template "verdict" .Decision}}</td></tr>
{{end}}</table>
{{else}}<p class="liten">Inga bilagor.</p>
{{end}}</section>
{{else}}<p>Inga e-postmeddelanden.</p>
{{end}}{{if .Skipped}}
<h2>Filer i exporten som inte lästes ({{len .Skipped}})</h2>
<ul>
{{range .Skipped}}<li class="varning"><code>{{.File}}</code>: {{.Reason}}</li>
{{end}}</ul>
{{end}}
{{template "end" .}}{{define "verdict"}}{{if eq .Decision "lämnas_inte_ut"}}<span class="fel">{{.Label}}</span>{{else if eq .Label "beslut saknas"}}<span class="varning">{{.Label}}</span>{{else}}{{.Label}}{{end}}{{if .Reason}}, skäl {{.Reason}}{{if .ReasonTitle}}: {{.ReasonTitle}}{{end}}{{end}}{{if .Provision}}, {{.Provision}}{{if .ProvisionTitle}} – {{.ProvisionTitle}}{{else}} – <span class="fel">finns inte i katalogen</span>{{end}}{{end}}{{end}}`))
