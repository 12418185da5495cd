package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The status page lists the overdue cases first, the longest wait first, with the days waited.
func TestStatusPageListsOverdueFirst(t *testing.T) {
	root := t.TempDir()
	cases := []CaseState{
		{Case: "2026-0001", Type: "e-postlogg"},
		{Case: "2026-0002", Type: "e-postlogg", Overdue: 4},
		{Case: "2026-0003", Type: "e-post", Overdue: 12},
	}
	if err := WriteStatus(root, cases, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, StatusFile))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	i1, i2, i3 := strings.Index(page, "2026-0001"), strings.Index(page, "2026-0002"), strings.Index(page, "2026-0003")
	if !(i3 < i2 && i2 < i1) {
		t.Errorf("want 2026-0003 (12 days), 2026-0002 (4), then 2026-0001; positions %d %d %d", i3, i2, i1)
	}
	if !strings.Contains(page, "försenat: 12 arbetsdagar") {
		t.Error("the days waited are not shown")
	}
	if cases[0].Case != "2026-0001" {
		t.Error("WriteStatus reordered the caller's slice")
	}
}
