// Package report computes the authority's statistics of its requests from the case files
// (never stored by hand): per month of receipt and case type, the number of requests and
// releases, handling times in Swedish working days (median and worst), the provisions cited
// and how often, and what was not released. It reads the front matter only: no working
// area, no unmasked material.
package report

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Options choose the cases: received from From up to and including To (zero: no bound).
type Options struct {
	From, To date.Date
	Today    date.Date // for the cases still open
}

// Report is the statistics, a row per month and case type, in order.
type Report struct {
	From  string `json:"från,omitempty"`
	To    string `json:"till,omitempty"`
	Rows  []Row  `json:"rader"`
	Cases int    `json:"ärenden"`
	// Unread are the cases whose front matter could not be read (no type, no mottagen):
	// counted here, not in any row, so the total is honest.
	Unread []string `json:"ej_lästa,omitempty"`
}

// Row is one month and case type.
type Row struct {
	Month    string `json:"månad"` // ÅÅÅÅ-MM of mottagen
	Type     string `json:"typ"`
	Requests int    `json:"begäranden"`
	Released int    `json:"utlämnade"`
	Open     int    `json:"pågående"`
	// Handling time from the type's first handläggningstid (mottagen → utlämnad), in
	// working days, over the released cases.
	MedianDays float64 `json:"median_arbetsdagar"`
	WorstDays  int     `json:"längsta_arbetsdagar"`
	Late       int     `json:"över_målet"` // released after the target
	// Provisions cited in the released or decided cases: reference → masks and cases.
	Provisions []ProvisionCount `json:"bestämmelser"`
	Masked     int              `json:"med_maskning"`        // cases with at least one mask
	Private    int              `json:"privata_p"`           // log rows marked P (not public documents)
	Withheld   int              `json:"ej_utlämnade_e-post"` // e-mails not released, any reason
	days       []int
}

// ProvisionCount is how often a provision was cited.
type ProvisionCount struct {
	Ref   string `json:"bestämmelse"`
	Masks int    `json:"maskningar"`
	Cases int    `json:"ärenden"`
}

// Build reads the cases in dirs and computes the report. ctx stops it between cases.
func Build(ctx context.Context, r *repo.Repo, dirs []string, opts Options) (*Report, error) {
	facts := make([]caseFacts, len(dirs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				facts[i] = read(r, dirs[i], opts.Today)
			}
		}()
	}
	var err error
feed:
	for i := range dirs {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	if !opts.From.IsZero() {
		rep.From = opts.From.String()
	}
	if !opts.To.IsZero() {
		rep.To = opts.To.String()
	}
	rows := map[[2]string]*Row{}
	provs := map[[2]string]map[string]*ProvisionCount{}
	for _, f := range facts {
		if f.typ == "" || f.received.IsZero() {
			rep.Unread = append(rep.Unread, f.id)
			continue
		}
		if !opts.From.IsZero() && f.received.Before(opts.From) || !opts.To.IsZero() && f.received.After(opts.To) {
			continue
		}
		rep.Cases++
		key := [2]string{f.received.String()[:7], f.typ}
		row := rows[key]
		if row == nil {
			row = &Row{Month: key[0], Type: key[1]}
			rows[key] = row
			provs[key] = map[string]*ProvisionCount{}
		}
		row.Requests++
		if f.released {
			row.Released++
			if f.measured {
				row.days = append(row.days, f.days)
				if f.late {
					row.Late++
				}
			}
		} else {
			row.Open++
		}
		if len(f.provisions) > 0 {
			row.Masked++
		}
		for ref, n := range f.provisions {
			pc := provs[key][ref]
			if pc == nil {
				pc = &ProvisionCount{Ref: ref}
				provs[key][ref] = pc
			}
			pc.Masks += n
			pc.Cases++
		}
		row.Private += f.private
		row.Withheld += f.withheld
	}
	for key, row := range rows {
		row.MedianDays, row.WorstDays = medianMax(row.days)
		for _, pc := range provs[key] {
			row.Provisions = append(row.Provisions, *pc)
		}
		slices.SortFunc(row.Provisions, func(a, b ProvisionCount) int {
			if a.Masks != b.Masks {
				return b.Masks - a.Masks
			}
			if a.Ref < b.Ref {
				return -1
			}
			return 1
		})
		rep.Rows = append(rep.Rows, *row)
	}
	sort.Slice(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.Type < b.Type
	})
	slices.Sort(rep.Unread)
	return rep, nil
}

// caseFacts is what one case gives the report.
type caseFacts struct {
	id, typ    string
	received   date.Date
	released   bool
	measured   bool // the handling time could be counted
	days       int
	late       bool
	provisions map[string]int
	private    int
	withheld   int
}

func read(r *repo.Repo, dir string, today date.Date) caseFacts {
	c := validate.Case(r, dir, validate.Options{Today: today, FrontMatterOnly: true})
	f := caseFacts{id: filepath.Base(dir)}
	rec := c.Record
	if rec == nil {
		return f
	}
	f.typ = rec.Type.Name
	if first := firstStep(rec); first != nil {
		f.received = first.Date
	}
	if l := rec.Type.Locks; l != nil {
		_, f.released = rec.Recorded(l.Released)
	}
	if len(rec.Type.Measures) > 0 {
		for _, w := range rec.Waits(today) {
			if w.Measure == rec.Type.Measures[0] && !w.Open {
				f.measured, f.days, f.late = true, w.Days, w.Overdue()
			}
		}
	}
	for _, p := range rec.Order {
		v := rec.Values[p]
		switch {
		case v.Field.Kind == workflow.KindProvisions:
			for _, u := range v.Provisions {
				if f.provisions == nil {
					f.provisions = map[string]int{}
				}
				f.provisions[u.Ref.String()] += u.Count
			}
		case v.Field.Matches == workflow.FactPrivate:
			f.private += v.Int
		case v.Field.Kind == workflow.KindMailDecisions:
			for _, m := range v.Mails {
				if m.Decision == workflow.DecWithhold {
					f.withheld++
				}
			}
		}
	}
	return f
}

// firstStep is the case's first declared step when it is recorded (mottagen).
func firstStep(rec *workflow.Record) *workflow.RecordedStep {
	if len(rec.Type.Steps) == 0 {
		return nil
	}
	rs, _ := rec.Recorded(rec.Type.Steps[0].Name)
	return rs
}

// medianMax returns the median and the largest of days (0, 0 when empty).
func medianMax(days []int) (float64, int) {
	if len(days) == 0 {
		return 0, 0
	}
	s := slices.Clone(days)
	slices.Sort(s)
	n := len(s)
	med := float64(s[n/2])
	if n%2 == 0 {
		med = float64(s[n/2-1]+s[n/2]) / 2
	}
	return med, s[n-1]
}
