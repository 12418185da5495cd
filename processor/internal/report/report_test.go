package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
)

// holidays2026 are Sweden's non-working weekdays in 2026 and early 2027, written out by hand
// (not from rickar/cal) so the count below is independent of the product's calendar.
var holidays2026 = map[string]bool{"2026-01-01": true, "2026-01-06": true, "2026-04-03": true, "2026-04-06": true, "2026-05-01": true,
	"2026-05-14": true, "2026-06-19": true, "2026-12-24": true, "2026-12-25": true, "2026-12-31": true, "2027-01-01": true, "2027-01-06": true}

func workdaysBetween(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !holidays2026[d.Format("2006-01-02")] {
			n++
		}
	}
	return n
}

type want struct{ requests, released, masks, worst int }

// makeCases writes n log cases with random dates in 2026 and returns the repository and the
// expected figures per month, counted independently of the product.
func makeCases(t testing.TB, n int, seed uint64) (*repo.Repo, map[string]*want) {
	root := t.TempDir()
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	exp := map[string]*want{}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("2026-%04d", i)
		recv := time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		s := "---\närende: " + id + "\ntyp: e-postlogg\ninkom_via: medarbetare\nmedarbetare: {namn: A, brevlåda: a@region.example}\nomfattning: {mappar: [Inkorg]}\n"
		s += "dröjsmål: {underrättad: " + recv.Format("2006-01-02") + ", skäl: Omfattande.}\nsteg:\n"
		s += "  mottagen: {datum: " + recv.Format("2006-01-02") + ", av: reg1}\n"
		m := recv.Format("2006-01")
		w := exp[m]
		if w == nil {
			w = &want{}
			exp[m] = w
		}
		w.requests++
		masks := rng.IntN(3)
		if masks > 0 {
			s += fmt.Sprintf("  sekretessprövad: {datum: %s, av: reg1, jurist_konsulterad: nej, bestämmelser: {\"25 kap. 1 § OSL\": %d}}\n", recv.Format("2006-01-02"), masks)
			w.masks += masks
		}
		if rng.IntN(4) > 0 {
			rel := recv.AddDate(0, 0, rng.IntN(20))
			s += "  utlämnad: {datum: " + rel.Format("2006-01-02") + ", av: reg1, sätt: e-post, information_om_skriftligt_beslut: ja}\n"
			w.released++
			w.worst = max(w.worst, workdaysBetween(recv, rel))
		}
		s += "---\n"
		dir := filepath.Join(root, "cases", id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "request.md"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return r, exp
}

// The report's figures equal an independent count of the generated cases.
func TestReportEqualsAnIndependentCount(t *testing.T) {
	r, exp := makeCases(t, 300, 7)
	dirs, err := r.CaseDirs()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(context.Background(), r, dirs, Options{Today: date.New(2027, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases != 300 || len(rep.Unread) != 0 {
		t.Fatalf("cases %d, unread %v", rep.Cases, rep.Unread)
	}
	if len(rep.Rows) != len(exp) {
		t.Errorf("%d rows, want %d months", len(rep.Rows), len(exp))
	}
	for _, row := range rep.Rows {
		w := exp[row.Month]
		if w == nil {
			t.Errorf("unexpected month %s", row.Month)
			continue
		}
		masks := 0
		for _, p := range row.Provisions {
			masks += p.Masks
		}
		if row.Requests != w.requests || row.Released != w.released || masks != w.masks || row.WorstDays != w.worst {
			t.Errorf("%s: got requests %d released %d masks %d worst %d, want %+v", row.Month, row.Requests, row.Released, masks, row.WorstDays, *w)
		}
	}
	// --från/--till bound the date received.
	bounded, err := Build(context.Background(), r, dirs, Options{From: date.New(2026, 3, 1), To: date.New(2026, 3, 31), Today: date.New(2027, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(bounded.Rows) != 1 || bounded.Rows[0].Month != "2026-03" || bounded.Cases != exp["2026-03"].requests {
		t.Errorf("bounded to March: %+v", bounded.Rows)
	}
}

// BenchmarkReport10000 is the figure: the report over 10,000 cases (target ≤ 1 s).
func BenchmarkReport10000(b *testing.B) {
	r, _ := makeCases(b, 10000, 1)
	dirs, _ := r.CaseDirs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(context.Background(), r, dirs, Options{Today: date.New(2027, 2, 1)}); err != nil {
			b.Fatal(err)
		}
	}
}
