package review

import (
	"html/template"
	"io"

	"utlamnande/processor/internal/finding"
)

// HTML writes the report as one self-contained HTML page: inline CSS, no scripts, no
// external resources, readable offline. Every text from the case is escaped (raw text is
// hostile input); a masked span is shown in a <mark>, with its provision beside it.
func (rep *Report) HTML(w io.Writer) error {
	return page.Execute(w, rep)
}

var page = template.Must(template.Must(newTemplate("granskning")).Parse(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Granskningsrapport {{.Case}}</title>
<style>
` + pageStyle + `</style>
</head>
<body>
<h1>Granskningsrapport för ärende {{.Case}}</h1>
<p class="liten">Undantagslogg och underlag för granskarens godkännande av steget {{if .Decision.Step}}{{.Decision.Step}}{{else}}(inget beslutssteg){{end}}.
Rapporten innehåller omaskad text ur råexporten: den ligger i ärendets arbetsyta, checkas aldrig in och raderas vid gallring. Skicka den inte vidare.</p>

<table class="fakta">
<tr><th>Ärende</th><td>{{.Case}}</td></tr>
<tr><th>Ärendetyp</th><td>{{if .TypeTitle}}{{.TypeTitle}} ({{.Type}}){{else}}{{.Type}}{{end}}</td></tr>
<tr><th>Medarbetare</th><td>{{if .Employee.Name}}{{.Employee.Name}}{{end}}{{if and .Employee.Name .Employee.Address}}, {{end}}{{if .Employee.Address}}{{.Employee.Address}}{{end}}{{if not (or .Employee.Name .Employee.Address)}}–{{end}}</td></tr>
<tr><th>Granskningsbok</th><td><code>{{.Workbook}}</code></td></tr>
<tr><th>Råexport</th><td><code>{{.Raw}}</code></td></tr>
<tr><th>Rader</th><td>{{.Rows}}</td></tr>
<tr><th>Maskade celler</th><td>{{len .Masked}} ({{.Masks}} {{if eq .Masks 1}}maskning{{else}}maskningar{{end}})</td></tr>
<tr><th>P-markerade rader</th><td>{{len .Private}}</td></tr>
<tr><th>Rapporten skapad</th><td>{{.Date}}{{if .Version}} av processor {{.Version}}{{end}}</td></tr>
</table>

{{if eq .Status "kan godkännas"}}<p class="status ok">{{if .Errors}}Inga fel utom godkännandet självt (se Fel){{else}}Inga fel{{end}}. Granska maskningarna nedan; godkänn beslutet om du instämmer.</p>
{{else if eq .Status "redan godkänd"}}<p class="status info">Beslutet är redan godkänt för exakt dessa filer ({{.Approval.Existing.Date}}, {{.Approval.Existing.Signer}}).</p>
{{else if eq .Status "beslut saknas"}}<p class="status nej">Steget {{.Decision.Step}} är inte registrerat ännu: det finns inget beslut att godkänna.</p>
{{else}}<p class="status nej">Godkänn inte: ärendet har {{.Blocking}} fel som ett godkännande inte rättar (se Fel nedan). Registratorn rättar först; skapa sedan en ny rapport.</p>
{{end}}
<h2>Beslutet{{if .Decision.Step}} (steget {{.Decision.Step}}){{end}}</h2>
{{if .Decision.Recorded}}<p>{{if .Decision.Title}}{{.Decision.Title}}. {{end}}Registrerat {{.Decision.Date}} av {{.Decision.Signer}}.</p>
{{else}}<p>Inte registrerat.</p>
{{end}}{{if .Provisions}}<table>
<tr><th>Bestämmelse</th><th>Rubrik</th><th>Skaderekvisit</th><th>Gäller hos</th><th>Antal i beslutet</th><th>Antal i granskningsboken</th></tr>
{{range .Provisions}}<tr{{if ne .Decided .Masked}} class="fel"{{end}}><td>{{.Ref}}</td><td>{{if .Title}}{{.Title}}{{else}}<span class="fel">finns inte i bestämmelsekatalogen</span>{{end}}</td><td>{{.HarmTest}}</td><td>{{.AppliesAt}}</td><td>{{.Decided}}</td><td>{{.Masked}}</td></tr>
{{end}}</table>
{{template "provisionhints" .Provisions}}{{else}}<p>Inga bestämmelser: inget är maskat och beslutet anger inga.</p>
{{end}}
<h2>Godkännandet binder</h2>
<table class="fakta">
<tr><th>granskningsbok_sha256</th><td class="sha">{{.Approval.WorkbookSHA256}}</td></tr>
<tr><th>råexport_sha256</th><td class="sha">{{.Approval.RawSHA256}}</td></tr>
</table>
<p>Godkänn med <code>{{.Approval.Command}}</code> (din signatur i stället för SIGNATUR). Kommandot skriver in under steget {{.Approval.Step}}{{if .Date}} (med dagens datum){{end}}:</p>
<pre>{{.Approval.Line}}</pre>
<p class="liten">Ändras granskningsboken eller råexporten efter godkännandet gäller det inte längre (regeln godkännande-inaktuellt): då krävs en ny granskning.</p>
{{with .Approval.Existing}}<p>Ett godkännande finns redan: {{.Date}} av {{.Signer}}, granskningsbok_sha256 <span class="sha">{{.WorkbookSHA256}}</span>, råexport_sha256 <span class="sha">{{.RawSHA256}}</span>.
{{if .Current}}Det gäller exakt dessa filer.{{else}}<span class="fel">Det gäller inte dessa filer.</span>{{end}}</p>
{{end}}
<h2>Maskade celler ({{len .Masked}})</h2>
{{if .Masked}}<p class="liten">Råexportens text; det som maskas är <mark>markerat</mark>, med bestämmelsen bredvid.</p>
<table>
<tr><th>Cell</th><th>Nr</th><th>Kolumn</th><th>Råexportens text med maskerade delar</th><th>I granskningsboken</th></tr>
{{range .Masked}}<tr><td><code>{{.Cell}}</code></td><td>{{.Nr}}</td><td>{{.Column}}</td>
<td class="text">{{template "parts" .Parts}}{{if not .Derived}}
<span class="fel">Maskningen kan inte härledas ur råexporten (se Fel).{{if .Raw}} Råexporten: {{.Raw}}{{else}} Raden finns inte i råexporten.{{end}}</span>{{end}}</td>
<td class="text">{{.Workbook}}</td></tr>
{{end}}</table>
{{else}}<p>Inga celler är maskade.</p>
{{end}}
<h2>P-markerade rader ({{len .Private}})</h2>
{{if .Private}}<p class="liten">E-mail av privat karaktär: raden lämnas ut med P, ämnesraden oförändrad.</p>
<table>
<tr><th>Nr</th><th>Cell</th><th>Ämne</th></tr>
{{range .Private}}<tr><td>{{.Nr}}</td><td><code>{{.Cell}}</code></td><td class="text">{{.Subject}}</td></tr>
{{end}}</table>
{{else}}<p>Inga rader är markerade P.</p>
{{end}}
<h2>Tips om känsliga uppgifter som inte är maskade ({{len .Hints}})</h2>
{{if .Hints}}<table>
<tr><th>Cell</th><th>Tips</th><th>Cellens text</th></tr>
{{range .Hints}}<tr{{if ne .Severity "varning"}} class="fel"{{end}}><td><code>{{.Cell}}</code></td><td>{{.Message}}</td><td class="text">{{.Text}}</td></tr>
{{end}}</table>
{{else}}<p>Inga.</p>
{{end}}
<h2>Kvitteringar ({{len .Acks}})</h2>
{{if .Acks}}<p class="liten">Tips som registratorn har kvitterat i request.md (kvitteringar) i stället för att maska.</p>
<table>
<tr><th>Cell</th><th>Skäl</th><th>Cellens text</th></tr>
{{range .Acks}}<tr><td><code>{{.Cell}}</code></td><td>{{.Reason}}</td><td class="text">{{if .Text}}{{.Text}}{{else}}<span class="fel">cellen finns inte</span>{{end}}</td></tr>
{{end}}</table>
{{else}}<p>Inga.</p>
{{end}}
{{template "end" .}}`))

// newTemplate is a report page's template with the helpers and shared pieces both pages use:
// "parts" (a masked text, each mask's hidden text in a <mark> with its provision beside it)
// and "findings" (a list of findings, from the findings func: class and list).
func newTemplate(name string) (*template.Template, error) {
	return template.New(name).Funcs(template.FuncMap{
		"pos": func(f finding.Finding) string { return f.Pos() },
		"findings": func(class string, list []finding.Finding) findingList {
			return findingList{Class: class, List: list}
		},
	}).Parse(sharedTemplates)
}

type findingList struct {
	Class string
	List  []finding.Finding
}

const sharedTemplates = `{{define "parts"}}{{range .}}{{if .Masked}}{{if .Text}}<mark>{{.Text}}</mark>{{else}}<mark class="okand">?</mark>{{end}}<span class="ref" title="{{.Title}}">{{.Provision}}{{if .Title}} – {{.Title}}{{else}} – finns inte i katalogen{{end}}</span>{{else}}{{.Text}}{{end}}{{end}}{{end}}` +
	// The hints under a provisions table: where each provision used applies, from the catalog's gäller_hos.
	`{{define "provisionhints"}}{{range .}}{{if .Hint}}<p class="liten varning">Tips: {{.Hint}}.</p>
{{end}}{{end}}{{end}}` +
	`{{define "findings"}}{{$c := .Class}}{{range .List}}<li class="{{$c}}"><code>{{pos .}}</code> {{.Rule}}: {{.Message}}{{if .Hint}} <small>(tips: {{.Hint}})</small>{{end}}</li>
{{end}}{{end}}` +
	// The end of both pages: the errors and the warnings.
	`{{define "end"}}<h2>Fel ({{len .Errors}})</h2>
{{if .Errors}}<ul>
{{template "findings" (findings "fel" .Errors)}}</ul>
{{else}}<p>Inga.</p>
{{end}}{{if .Warnings}}
<h2>Varningar ({{len .Warnings}})</h2>
<ul>
{{template "findings" (findings "varning" .Warnings)}}</ul>
{{end}}
</body>
</html>
{{end}}`

// pageStyle is both pages' CSS.
const pageStyle = `body { font-family: system-ui, "Segoe UI", sans-serif; margin: 2em; color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { text-align: left; vertical-align: top; padding: .3em .5em; border-bottom: 1px solid #ccc; }
th { background: #eef1f6; }
table.fakta th { width: 14em; background: none; }
td.text, pre { white-space: pre-wrap; overflow-wrap: anywhere; }
code, pre, .sha { font-family: ui-monospace, Consolas, monospace; overflow-wrap: anywhere; }
pre { background: #f4f4f4; padding: .6em; border: 1px solid #ccc; }
mark { background: #ffd54d; color: #000; padding: 0 .1em; border: 1px solid #b58a00; }
mark.okand { background: #f6c0c0; border-color: #a00; }
.ref { font-size: .85em; color: #333; background: #e8e8e8; padding: 0 .3em; margin-left: .2em; white-space: nowrap; }
.status { padding: .6em .8em; border: 2px solid; font-weight: bold; }
.status.ok { border-color: #060; color: #060; }
.status.nej { border-color: #a00; color: #a00; }
.status.info { border-color: #555; color: #333; }
.fel { color: #a00; }
.varning { color: #7a5200; }
small, .liten { color: #555; font-size: .9em; }
@media print { body { margin: 1cm; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`
