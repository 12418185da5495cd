package testrepo

import (
	"os"
	"os/exec"
	"testing"
)

// PDFTool runs an independent PDF reader (pdftotext, pdffonts, qpdf …) on the file pdf,
// which replaces the argument "PDF" in args, and returns its output; it skips when the tool
// is not installed, unless REQUIRE_PDF_TOOLS is set (CI installs them and sets it, so there
// they never skip).
func PDFTool(t *testing.T, tool string, args []string, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("REQUIRE_PDF_TOOLS") != "" {
			t.Fatalf("%s is required (REQUIRE_PDF_TOOLS) but not installed", tool)
		}
		t.Logf("%s not installed: skipped", tool)
		return ""
	}
	args = append([]string(nil), args...)
	for i, a := range args {
		if a == "PDF" {
			args[i] = pdf
		}
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil && tool != "qpdf" { // qpdf --qdf exits 3 on warnings
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}
