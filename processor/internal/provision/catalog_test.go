package provision

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

const fourColumnCatalog = "# kommentar\n" +
	"hänvisning\trubrik\tskaderekvisit\tgäller_hos\n" +
	"21 kap. 1 §\tHälsa, sexualliv\tkvalificerat rakt\talla myndigheter\n" +
	"25 kap. 1 §\tHälso- och sjukvård\tomvänt\thälso- och sjukvård (myndighetens egen)\n" +
	"26 kap. 1 §\tSocialtjänst\tomvänt\t  socialtjänst  \n" +
	"39 kap. 2 §\tPersonaladministration\trakt\t\n"

func TestParseCatalogAppliesAt(t *testing.T) {
	c, fs := ParseCatalog("k.tsv", strings.NewReader(fourColumnCatalog))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	want := map[string]string{
		"21 kap. 1 § OSL": "alla myndigheter",
		"25 kap. 1 § OSL": "hälso- och sjukvård (myndighetens egen)",
		"26 kap. 1 § OSL": "socialtjänst",
		"39 kap. 2 § OSL": "",
	}
	if len(c.List) != len(want) {
		t.Fatalf("kept %d provisions, want %d", len(c.List), len(want))
	}
	for _, p := range c.List {
		if got, ok := want[p.Ref.String()]; !ok || got != p.AppliesAt {
			t.Errorf("%s: gäller_hos %q, want %q", p.Ref, p.AppliesAt, got)
		}
	}
	ref, _ := Parse("[OSL 26:1]")
	if p, ok := c.Lookup(ref); !ok || p.AppliesAt != "socialtjänst" || p.HarmTest != "omvänt" {
		t.Errorf("Lookup(26:1) = %+v %v", p, ok)
	}
}

func TestParseCatalogThreeColumns(t *testing.T) {
	// An authority's older catalog, written before the fourth column: still valid.
	c, fs := ParseCatalog("k.tsv", strings.NewReader(testCatalog))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(c.List) != 4 {
		t.Fatalf("kept %d provisions, want 4", len(c.List))
	}
	for _, p := range c.List {
		if p.AppliesAt != "" || p.Hint() != "" {
			t.Errorf("%s: gäller_hos %q, hint %q in a three-column catalog", p.Ref, p.AppliesAt, p.Hint())
		}
	}
}

func TestParseCatalogColumnFindings(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		lines    []int // lines of the findings
		msg      string
		kept     int
	}{
		{"fyra kolumner, rad med tre",
			"hänvisning\trubrik\tskaderekvisit\tgäller_hos\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\n26 kap. 1 §\tSocialtjänst\tomvänt\tsocialtjänst\n",
			[]int{2}, "raden har 3 kolumner, ska ha 4 som rubrikraden (rad 1)", 1},
		{"tre kolumner, rad med fyra",
			"# k\nhänvisning\trubrik\tskaderekvisit\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\thälso- och sjukvård\n",
			[]int{3}, "raden har 4 kolumner, ska ha 3 som rubrikraden (rad 2)", 0},
		{"rad med fem kolumner",
			"hänvisning\trubrik\tskaderekvisit\tgäller_hos\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\thälso- och sjukvård\textra\n",
			[]int{2}, "raden har 5 kolumner, högst 4 är tillåtna", 0},
		{"rubrikrad med fem kolumner",
			"hänvisning\trubrik\tskaderekvisit\tgäller_hos\tannat\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\thälso- och sjukvård\n",
			[]int{1}, "rubrikraden har 5 kolumner, högst 4 är tillåtna", 1},
		{"fel namn på fjärde kolumnen",
			"hänvisning\trubrik\tskaderekvisit\tgäller\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\thälso- och sjukvård\n",
			[]int{1}, `fjärde kolumnen heter "gäller", ska heta gäller_hos`, 1},
		{"okänd rubrikrad",
			"ref\ttitle\tharm_test\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\n26 kap. 1 §\tSocialtjänst\tomvänt\tsocialtjänst\n",
			[]int{1}, "första raden ska vara kolumnrubrikerna", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fs := ParseCatalog("k.tsv", strings.NewReader(tc.in))
			if len(fs) != len(tc.lines) {
				t.Fatalf("findings %v, want at lines %v", fs, tc.lines)
			}
			for i, f := range fs {
				if f.Line != tc.lines[i] || f.Rule != RuleCatalog || f.Hint == "" {
					t.Errorf("finding %+v, want line %d with rule and hint", f, tc.lines[i])
				}
			}
			if fs[0].Message != tc.msg {
				t.Errorf("message %q, want %q", fs[0].Message, tc.msg)
			}
			if len(c.List) != tc.kept {
				t.Errorf("kept %d provisions, want %d", len(c.List), tc.kept)
			}
		})
	}
}

func TestHint(t *testing.T) {
	r, _ := Parse("25 kap. 1 § OSL")
	for _, tc := range []struct{ at, want string }{
		{"hälso- och sjukvård (myndighetens egen)", "25 kap. 1 § OSL gäller inom hälso- och sjukvård (myndighetens egen): kontrollera att uppgiften finns i sådan verksamhet hos myndigheten"},
		{"  socialtjänst ", "25 kap. 1 § OSL gäller inom socialtjänst: kontrollera att uppgiften finns i sådan verksamhet hos myndigheten"},
		{"", ""},
		{"   ", ""},
		{"alla myndigheter", ""},
		{"Alla myndigheter", ""},
		{"alla myndigheter (även privata vårdgivare)", ""},
	} {
		if got := (Provision{Ref: r, AppliesAt: tc.at}).Hint(); got != tc.want {
			t.Errorf("Hint(%q) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

// TestTemplateCatalog reads the catalog the project ships: every row has gäller_hos (or
// leaves it empty on purpose), and the provisions that apply at all authorities give no hint.
func TestTemplateCatalog(t *testing.T) {
	f, err := os.Open("../../../templates/osl-bestammelser.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, fs := ParseCatalog("osl-bestammelser.tsv", f)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	for ref, want := range map[string]string{
		"25 kap. 1 § OSL": "hälso- och sjukvård och annan medicinsk verksamhet (myndighetens egen)",
		"26 kap. 1 § OSL": "socialtjänst",
		"39 kap. 2 § OSL": "personaladministrativ verksamhet",
		"21 kap. 1 § OSL": AllAuthorities,
		"21 kap. 3 § OSL": AllAuthorities,
	} {
		r, _ := Parse(ref)
		p, ok := c.Lookup(r)
		if !ok || p.AppliesAt != want {
			t.Errorf("%s: gäller_hos %q (%v), want %q", ref, p.AppliesAt, ok, want)
		}
		if (want == AllAuthorities) != (p.Hint() == "") {
			t.Errorf("%s: hint %q", ref, p.Hint())
		}
	}
	empty := 0
	for _, p := range c.List {
		if p.AppliesAt == "" {
			empty++
		}
	}
	if empty > 1 {
		t.Errorf("%d provisions have no gäller_hos", empty)
	}
}

// checkCatalogText is FuzzParse's check of the catalog parser: the fuzzed text as a row's
// columns (gäller_hos among them) and as the header's fourth column.
func checkCatalogText(t *testing.T, s string) {
	for _, in := range []string{
		"hänvisning\trubrik\tskaderekvisit\tgäller_hos\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\t" + s + "\n",
		"hänvisning\trubrik\tskaderekvisit\tgäller_hos\n" + s + "\tRubrik\trakt\t" + s + "\n",
		"hänvisning\trubrik\tskaderekvisit\t" + s + "\n25 kap. 1 §\tHälso- och sjukvård\tomvänt\tsocialtjänst\n",
		"hänvisning\trubrik\tskaderekvisit\n" + s + "\n",
	} {
		c, fs := ParseCatalog("k.tsv", strings.NewReader(in))
		for _, f := range fs {
			if f.Message == "" || f.Line < 1 {
				t.Fatalf("%q: finding without message or line: %+v", in, f)
			}
		}
		for _, p := range c.List {
			if strings.ContainsAny(p.AppliesAt, "\t\n") || p.AppliesAt != strings.TrimSpace(p.AppliesAt) {
				t.Fatalf("%q: gäller_hos %q", in, p.AppliesAt)
			}
			if got, ok := c.Lookup(p.Ref); !ok || got != p {
				t.Fatalf("%q: %s does not look up to itself", in, p.Ref)
			}
			h := p.Hint()
			if (h == "") != (p.AppliesAt == "" || strings.HasPrefix(strings.ToLower(p.AppliesAt), AllAuthorities)) {
				t.Fatalf("%q: gäller_hos %q, hint %q", in, p.AppliesAt, h)
			}
			if h != "" && (!strings.HasPrefix(h, p.Ref.String()+" gäller inom ") || !strings.Contains(h, p.AppliesAt) || utf8.ValidString(p.AppliesAt) != utf8.ValidString(h)) {
				t.Fatalf("%q: hint %q", in, h)
			}
		}
	}
}
