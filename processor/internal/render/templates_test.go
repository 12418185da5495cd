package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"utlamnande/processor/internal/testrepo"
)

// Texts to the public: every paragraph of every letter and decision template is traceable
// to a provision or to the routine, by a comment {{/* … */}} in the paragraph that names it
// (a section sign, a routine step, a JO decision or case, or a law by its SFS number). A
// paragraph without one fails the test. Headings are not sentences and need none. The case
// skeleton (request.md) is the registrator's form, not a text to the public: its keys are
// declared, with their routine steps, in arendetyp.yaml.
var (
	commentRe = regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`)
	actionRe  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	sourceRe  = regexp.MustCompile(`§|[Rr]utinsteg \d|JO \d+-\d+|HFD \d{4}|RÅ \d{4}|\(\d{4}:\d+\)`)
	letterRe  = regexp.MustCompile(`\pL`)
)

// unsourced returns the paragraphs of a template that have text but no comment naming a
// source.
func unsourced(src string) []string {
	var comments []string
	marked := commentRe.ReplaceAllStringFunc(src, func(c string) string {
		comments = append(comments, c)
		return "\x00" + string(rune('A'+len(comments)-1)) + "\x00"
	})
	var out []string
	for _, para := range regexp.MustCompile(`\n[ \t]*\n`).Split(marked, -1) {
		text := actionRe.ReplaceAllString(para, "")
		text = regexp.MustCompile("\x00.\x00").ReplaceAllString(text, "")
		trimmed := strings.TrimSpace(text)
		if !letterRe.MatchString(trimmed) || strings.HasPrefix(trimmed, "#") {
			continue
		}
		sourced := false
		for _, m := range regexp.MustCompile("\x00(.)\x00").FindAllStringSubmatch(para, -1) {
			if sourceRe.MatchString(comments[[]rune(m[1])[0]-'A']) {
				sourced = true
			}
		}
		if !sourced {
			out = append(out, trimmed)
		}
	}
	return out
}

func TestTemplatesNameTheirSources(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testrepo.Root(), "templates", "*", "*.md"))
	n := 0
	for _, p := range paths {
		if filepath.Base(p) == "request.md" {
			continue
		}
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, para := range unsourced(string(data)) {
			t.Errorf("%s: a paragraph names no provision or routine step (add {{/* … */}} with one):\n%s", p, para)
		}
	}
	if n < 6 {
		t.Errorf("want the letters and decisions of both types, found %d templates", n)
	}
}

// The check itself: a paragraph without a comment, or with one that names nothing, fails.
func TestUnsourced(t *testing.T) {
	src := "# Rubrik\n\n{{/* 2 kap. 18 § TF */ -}}\nDu behöver inte uppge vem du är.\n\nMed vänlig hälsning\n\n{{/* en kommentar */}}\nText {{.Fält}}.\n\n{{.Myndighet.Namn}}\n"
	got := unsourced(src)
	if len(got) != 2 || got[0] != "Med vänlig hälsning" || !strings.HasPrefix(got[1], "Text") {
		t.Errorf("unsourced: %q", got)
	}
}
