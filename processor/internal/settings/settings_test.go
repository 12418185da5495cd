package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestShippedSettings(t *testing.T) {
	s, fs, err := Load("../../..")
	if err != nil || len(fs) != 0 {
		t.Fatalf("Load: %v %v", err, fs)
	}
	if s.Court != "Kammarrätten i Stockholm" || s.WorkArea != DefaultWorkArea {
		t.Errorf("court %q working area %q", s.Court, s.WorkArea)
	}
	p, ok := s.Person("jur1")
	if !ok || !p.Has(RoleReviewer) || p.Has(RoleRegistrator) {
		t.Errorf("jur1: %+v", p)
	}
}

func TestSettingsFindings(t *testing.T) {
	const base = `myndighet:
  namn: Region Exempel
  postadress: Box 1
  e-post: region@region.example
kammarrätt: Kammarrätten i Göteborg
personer:
  - {signatur: reg1, namn: A, titel: T, e-post: a@region.example, roller: [registrator, granskare], godkänd: {datum: 2026-11-02, av: jur1}}
  - {signatur: jur1, namn: B, titel: T, e-post: b@region.example, roller: [granskare], godkänd: {datum: 2026-11-02, av: reg1}}
`
	for _, tc := range []struct {
		name, in string
		want     []string // "line:col"
	}{
		{"clean", base, nil},
		{"duplicate signature and e-mail", base + "  - {signatur: reg1, namn: C, titel: T, e-post: A@region.example, roller: [registrator], godkänd: {datum: 2026-11-02, av: jur1}}\n",
			[]string{"9:5", "9:5"}},
		{"bad role, bad e-mail, bad signature", base + "  - {signatur: r 2, namn: C, titel: T, e-post: c-at-region, roller: [admin], godkänd: {datum: 2026-11-02, av: jur1}}\n",
			[]string{"9:16", "9:48", "9:69"}},
		{"missing fields", base + "  - {signatur: reg3}\n", []string{"9:5", "9:5", "9:5", "9:5", "9:5"}},
		{"a person approved by no one, by themselves, by a registrator, by someone unknown", base +
			"  - {signatur: reg3, namn: C, titel: T, e-post: c@region.example, roller: [registrator]}\n" +
			"  - {signatur: reg4, namn: D, titel: T, e-post: d@region.example, roller: [registrator], godkänd: {datum: 2026-11-02, av: reg4}}\n" +
			"  - {signatur: reg5, namn: E, titel: T, e-post: e@region.example, roller: [registrator], godkänd: {datum: 2026-11-02, av: reg3}}\n" +
			"  - {signatur: reg6, namn: F, titel: T, e-post: f@region.example, roller: [registrator], godkänd: {datum: 2026-11-02, av: xyz}}\n",
			[]string{"9:5", "10:99", "11:99", "12:99"}},
		{"a decision maker without delegation", base + "  - {signatur: chef1, namn: C, titel: T, e-post: c@region.example, roller: [beslutsfattare], godkänd: {datum: 2026-11-02, av: jur1}}\n",
			[]string{"9:5"}},
		{"a decision maker with delegation", base + "  - {signatur: chef1, namn: C, titel: T, e-post: c@region.example, roller: [beslutsfattare], delegation: \"Delegationsordning punkt 1.4\", godkänd: {datum: 2026-11-02, av: jur1}}\n",
			nil},
		{"unknown key", strings.Replace(base, "kammarrätt:", "domstol: x\nkammarrätt:", 1), []string{"5:1"}},
		{"relative working area outside the case", base + "arbetsyta: ../delad\n", []string{"9:12"}},
		{"working area named as the release folder", base + "arbetsyta: utlamnande\n", []string{"9:12"}},
		{"the old key råexport", base + "råexport: raw\n", []string{"9:11"}},
		{"empty", "", []string{"1:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := Parse(FileName, []byte(tc.in))
			var got []string
			for _, f := range fs.Sorted() {
				got = append(got, fmt.Sprintf("%d:%d", f.Line, f.Col))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v\n%v", got, tc.want, fs)
			}
		})
	}
}

func TestWorkAreaFor(t *testing.T) {
	s := &Settings{WorkArea: DefaultWorkArea}
	if got := s.WorkAreaFor(filepath.FromSlash("cases/2026-0001"), "2026-0001"); got != filepath.FromSlash("cases/2026-0001/arbetsyta") || !s.WorkAreaInCase() {
		t.Errorf("relative: %s", got)
	}
	abs := filepath.Join(os.TempDir(), "arbetsytor")
	s.WorkArea = abs
	if got := s.WorkAreaFor("cases/2026-0001", "2026-0001"); got != filepath.Join(abs, "2026-0001") || s.WorkAreaInCase() {
		t.Errorf("absolute: %s", got)
	}
}

// validSignature accepts what the regular expression ^[\p{L}0-9][\p{L}0-9._-]{0,19}$ did.
func TestValidSignatureMatchesTheRule(t *testing.T) {
	re := regexp.MustCompile(`^[\p{L}0-9][\p{L}0-9._-]{0,19}$`)
	for _, s := range []string{"reg1", "jur1", "Åsa", "å.ö-1_x", "", ".reg", "-a", "a b", "a/b", "abcdefghijklmnopqrst", "abcdefghijklmnopqrstu",
		"ååååååååååååååååååååå", "éa", "a\xff", "\xff", "١٢", "a\u0301", "Z9._-"} {
		if got, want := validSignature(s), re.MatchString(s); got != want {
			t.Errorf("validSignature(%q) = %v, the rule says %v", s, got, want)
		}
	}
}
