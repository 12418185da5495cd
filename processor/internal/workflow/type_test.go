package workflow

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"utlamnande/processor/internal/date"
)

// The project's own types must load without findings and declare what the routine says.
func TestShippedTypes(t *testing.T) {
	types, fs, err := LoadTypes("../../../templates", "templates")
	if err != nil || len(fs) != 0 {
		t.Fatalf("LoadTypes: %v %v", err, fs)
	}
	log := types["e-postlogg"]
	if log == nil || len(log.Steps) != 21 {
		t.Fatalf("e-postlogg: want the routine's 12 steps and the 9 of a written decision and its appeal, got %v", log.StepNames())
	}
	// The written decision and its appeal apply only when asked for (routine step 10).
	requested, _ := log.Step("skriftligt_beslut_begärt")
	decided, _ := log.Step("beslut_fattat")
	forwarded, _ := log.Step("överklagande_överlämnat")
	if requested == nil || !requested.Optional || decided == nil || decided.Role != "beslutsfattare" || decided.AppliesIf == nil ||
		forwarded == nil || forwarded.AppliesIf == nil || forwarded.AppliesIf.Equals != "ja" {
		t.Errorf("written decision steps: %+v %+v %+v", requested, decided, forwarded)
	}
	if p := log.Periods["överklagandetid"]; p.N != 3 || p.Unit != "veckor" || !p.LastDayMoves || log.Periods["överlämnandetid"].LastDayMoves {
		t.Errorf("appeal periods: %+v %+v", p, log.Periods["överlämnandetid"])
	}
	if len(log.Decisions) != 2 || log.Decisions[0].FileName("2026-0001") != "2026-0001-beslut.pdf" {
		t.Errorf("decision documents: %+v", log.Decisions)
	}
	informed, _ := log.Step("medarbetare_informerad")
	if informed.SkipIf == nil || informed.SkipIf.Path != "inkom_via" || informed.SkipIf.Equals != "medarbetare" {
		t.Errorf("step 3 must be skippable only when the request came via the employee: %+v", informed.SkipIf)
	}
	review, _ := log.Step("sekretessprövad")
	if !review.Approval {
		t.Error("the secrecy review must need a second person's approval")
	}
	if log.Periods["gallringstid"] != (Period{N: 3, Unit: "månader"}) {
		t.Errorf("retention: %v", log.Periods["gallringstid"])
	}
	mail := types["e-post"]
	if mail == nil {
		t.Fatal("e-post type missing")
	}
	var routine []string
	for _, s := range mail.Steps {
		if s.Routine != "" {
			routine = append(routine, s.Routine)
		}
	}
	if got := strings.Join(routine, ","); got != "1,2,3,4a,4b,5,6,6a,6b,6c,6d,6e,6f,6g,6h,6i" {
		t.Errorf("e-post routine steps %s, want 1–6 with 4a/4b, then 6a–6i (the written decision and its appeal)", got)
	}
	if mail.Mail == nil || mail.Mail.Folder != "e-post" || len(mail.Mail.Reasons) < 5 {
		t.Errorf("e-post: the e-mails' spec %+v", mail.Mail)
	}
	imp, _ := mail.Step("e-post_mottagna")
	decide, _ := mail.Step("allmän_handling_prövad")
	if imp == nil || decide == nil || imp.Index > decide.Index {
		t.Error("the e-mails are imported before each is assessed")
	}
	for _, f := range []string{"steg.medarbetare_informerad.fullmakt_datum", "steg.allmän_handling_prövad.medarbetarens_granskning"} {
		if fl, ok := mail.FieldAt(f); !ok || fl.RequiredIf == nil {
			t.Errorf("power-of-attorney branch: %s must be conditionally required", f)
		}
	}
	for _, typ := range types {
		for path, f := range typ.byPath {
			if strings.HasPrefix(path, "frågeställare") && (f.Required || f.RequiredIf != nil) {
				t.Errorf("%s requires %s: the requester may stay anonymous", typ.Name, path)
			}
		}
	}
}

func TestTypeFileFindings(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // "line:col rule"
	}{
		{"anonymity", `namn: T
fält:
  frågeställare:
    typ: grupp
    fält:
      namn: {typ: text, krävs: ja}
steg:
  - {namn: a, rubrik: A}
`, []string{"6:7 anonymitet"}},
		{"anonymity conditional", `namn: T
fält:
  frågeställare: {typ: text, krävs_om: {fält: x, lika_med: ja}}
  x: {typ: ja_nej}
steg:
  - {namn: a, rubrik: A}
`, []string{"3:3 anonymitet"}},
		{"unknown kind and bad condition path", `namn: T
fält:
  x: {typ: flyttal}
steg:
  - namn: a
    rubrik: A
    hoppas_över_om: {fält: y, lika_med: ja}
`, []string{"3:12 ärendetypsfil", "7:21 ärendetypsfil"}},
		{"unknown period and not a date", `namn: T
steg:
  - namn: a
    rubrik: A
    fält:
      slut: {typ: datum, beräknas: {från: steg.a.datum, tid: evighet}}
      n: {typ: text, inte_före: steg.a.datum}
`, []string{"6:7 ärendetypsfil", "7:7 ärendetypsfil"}},
		{"duplicate step, missing title, built-in field", `namn: T
steg:
  - {namn: a, rubrik: A}
  - {namn: a, rubrik: B}
  - namn: b
    fält:
      av: {typ: text}
`, []string{"4:5 ärendetypsfil", "5:5 ärendetypsfil", "7:7 ärendetypsfil"}},
		{"no steps, bad period, choice without values", `namn: T
gallringstid: tre månader
fält:
  v: {typ: val}
`, []string{"1:1 ärendetypsfil", "2:15 ärendetypsfil", "4:3 ärendetypsfil"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := ParseType("t", "templates/t/arendetyp.yaml", []byte(tc.yaml))
			var got []string
			for _, f := range fs.Sorted() {
				got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Rule))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %v, want %v\n%v", got, tc.want, fs)
			}
		})
	}
}

func TestPeriod(t *testing.T) {
	d := date.New(2026, 11, 30)
	for _, tc := range []struct{ in, want string }{
		{"7 dagar", "2026-12-07"}, {"1 dag", "2026-12-01"}, {"2 veckor", "2026-12-14"},
		{"3 månader", "2027-02-28"}, {"1 månad", "2026-12-30"},
	} {
		p, ok := ParsePeriod(tc.in)
		if !ok || p.After(d).String() != tc.want {
			t.Errorf("%s after %s = %s (%v), want %s", tc.in, d, p.After(d), ok, tc.want)
		}
	}
	for _, bad := range []string{"", "0 dagar", "tre månader", "3", "3 år"} {
		if _, ok := ParsePeriod(bad); ok {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

// The skeletons ship with placeholders only where processor new fills them in.
func TestSkeletonsUsePlaceholders(t *testing.T) {
	for _, typ := range []string{"e-postlogg", "e-post"} {
		data, err := os.ReadFile("../../../templates/" + typ + "/request.md")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "ärende: ÅÅÅÅ-NNNN\n") || !strings.Contains(string(data), "typ: "+typ+"\n") {
			t.Errorf("%s skeleton lacks ärende placeholder or its typ", typ)
		}
	}
}
