package watch

import (
	"bytes"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"
	"time"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
)

// StatusFile is the status page, in the repository's root. Git ignores it (.gitignore).
const StatusFile = "status.html"

var page = template.Must(template.New("status").Funcs(template.FuncMap{
	"count": func(fs finding.List) string {
		e, w := 0, 0
		for _, f := range fs {
			if f.Severity == finding.Warning {
				w++
			} else {
				e++
			}
		}
		switch {
		case e == 0 && w == 0:
			return "inga fel"
		case e == 0:
			return fmt.Sprintf("%d varning(ar)", w)
		}
		return fmt.Sprintf("%d fel, %d varning(ar)", e, w)
	},
	"bad":  func(fs finding.List) bool { return fs.HasErrors() },
	"time": func(t time.Time) string { return t.In(date.Stockholm).Format("2006-01-02 15:04:05") },
}).Parse(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>Ärenden – status</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4em .6em; border-bottom: 1px solid #ccc; }
.fel { color: #a00; font-weight: bold; }
.ok { color: #060; }
ul { margin: .2em 0; padding-left: 1.2em; }
small { color: #555; }
</style>
</head>
<body>
<h1>Ärenden i {{.Root}}</h1>
<p><small>Uppdaterad {{time .Updated}} av processor watch. Sidan laddas om var femte sekund. Den checkas aldrig in.</small></p>
<table>
<tr><th>Ärende</th><th>Typ</th><th>Väntat</th><th>Senaste steg</th><th>Nästa steg</th><th>Kontroll</th><th>Utlämnande-pdf</th></tr>
{{range .Cases}}<tr>
<td>{{.Case}}</td><td>{{.Type}}</td><td>{{if .Overdue}}<span class="fel">försenat: {{.Overdue}} arbetsdagar</span>{{else}}–{{end}}</td><td>{{if .Last}}{{.Last}}{{else}}–{{end}}</td><td>{{.Next}}</td>
<td>{{if bad .Findings}}<span class="fel">{{count .Findings}}</span>{{else}}<span class="ok">{{count .Findings}}</span>{{end}}
{{if .Findings}}<ul>{{range .Findings}}<li>{{.String}}</li>{{end}}</ul>{{end}}</td>
<td>{{if .PDF}}<a href="{{.PDF}}">{{.PDF}}</a>{{else}}–{{end}}</td>
</tr>
{{else}}<tr><td colspan="7">Inga ärenden.</td></tr>
{{end}}</table>
</body>
</html>
`))

// WriteStatus writes the status page of the repository at root, whole or not at all.
func WriteStatus(root string, cases []CaseState, now time.Time) error {
	// Overdue cases first, the longest wait first; the rest in the order given.
	cases = slices.Clone(cases)
	slices.SortStableFunc(cases, func(a, b CaseState) int { return b.Overdue - a.Overdue })
	var b bytes.Buffer
	data := struct {
		Root    string
		Updated time.Time
		Cases   []CaseState
	}{filepath.Base(root), now, cases}
	if err := page.Execute(&b, data); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(root, StatusFile), b.Bytes(), 0o644)
}
