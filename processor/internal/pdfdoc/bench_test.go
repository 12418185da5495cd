package pdfdoc

import (
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rng is a small deterministic xorshift generator for test data.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return x
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

var (
	benchWords = strings.Fields("ärende begäran utlämnande e-post logg handläggare " +
		"myndighet beslut sekretess prövning överklagande registrator diarium bilaga " +
		"kallelse möte protokoll yttrande remiss svar påminnelse fråga angående " +
		"förfrågan underlag granskning återkoppling sammanträde nämnd förvaltning " +
		"kommun region avtal upphandling faktura löneunderlag semester ansökan " +
		"bygglov tillsyn miljö skola omsorg vård patient journal")
	benchNames = strings.Fields("anna.lindqvist erik.johansson maria.ström lars.öberg " +
		"karin.åkesson johan.nilsson sofia.bäckström per.holm eva.sjögren nils.ekström " +
		"registrator diariet servicecenter noreply")
	benchDomains = strings.Fields("kommun.se region.se myndighet.se exempel.se skola.kommun.se")
	benchStatus  = []string{"Levererat", "Läst", "Vidarebefordrat", "Avvisat", "Köat"}
)

const benchCols = 7

var benchHeader = [benchCols]string{"Nr", "Datum", "Från", "Till", "Ämne", "Storlek", "Status"}

// benchRows generates n e-mail log rows of 7 cells, deterministic.
func benchRows(n int) [][benchCols]string {
	r := rng(0x9E3779B97F4A7C15)
	rows := make([][benchCols]string, n)
	t0 := time.Date(2026, 1, 1, 7, 0, 0, 0, time.UTC)
	var sb strings.Builder
	for i := range rows {
		row := &rows[i]
		row[0] = strconv.Itoa(i + 1)
		row[1] = t0.Add(time.Duration(i) * 97 * time.Second).Format("2006-01-02 15:04:05")
		row[2] = benchNames[r.intn(len(benchNames))] + "@" + benchDomains[r.intn(len(benchDomains))]
		row[3] = benchNames[r.intn(len(benchNames))] + "@" + benchDomains[r.intn(len(benchDomains))]
		sb.Reset()
		if r.intn(4) == 0 {
			sb.WriteString("SV: ")
		}
		for w, k := 0, 2+r.intn(7); w < k; w++ {
			if w > 0 {
				sb.WriteByte(' ')
			}
			if r.intn(12) == 0 {
				sb.WriteString("[25 kap. 1 § OSL]")
				continue
			}
			sb.WriteString(benchWords[r.intn(len(benchWords))])
		}
		if r.intn(5) == 0 {
			sb.WriteString(" – dnr " + strconv.Itoa(2020+r.intn(7)) + "-" + strconv.Itoa(1000+r.intn(9000)))
		}
		row[4] = sb.String()
		row[5] = strconv.Itoa(1+r.intn(900)) + "\u00a0" + strconv.Itoa(100+r.intn(900)) + " B"
		row[6] = benchStatus[r.intn(len(benchStatus))]
	}
	return rows
}

// renderRows lays out rows as a table on A4 landscape pages, 28 rows per page plus a
// header row and a footer: about 205 Text calls per page.
func renderRows(rows [][benchCols]string) *Doc {
	d := New(Info{
		Title:    "Utlämnande av e-postlogg – ärende 2026-0042",
		Subject:  "Begäran om allmän handling",
		Author:   "Registrator",
		Producer: "utlamnande pdfdoc",
		Creator:  "utlamnande",
		Date:     time.Date(2026, 3, 5, 14, 30, 0, 0, time.FixedZone("CET", 3600)),
		Lang:     "sv-SE",
	})
	font := DefaultFont()
	const (
		pageW, pageH = 841.89, 595.28
		margin       = 28.0
		rowH         = 18.5
		rowsPerPage  = 28
		size         = 8.0
	)
	colX := [benchCols + 1]float64{margin, margin + 40, margin + 130, margin + 270, margin + 410, margin + 700, margin + 740, pageW - margin}
	head := TextStyle{Size: size, Bold: true, Color: RGB{1, 1, 1}}
	body := TextStyle{Size: size, Color: RGB{0.1, 0.1, 0.1}}
	mask := TextStyle{Size: size, Italic: true, Color: RGB{0.6, 0, 0}}
	foot := TextStyle{Size: 7, Color: RGB{0.4, 0.4, 0.4}}
	pages := (len(rows) + rowsPerPage - 1) / rowsPerPage
	for pg := 0; pg < pages; pg++ {
		p := d.AddPage(pageW, pageH)
		y := pageH - margin - rowH
		p.Rect(margin, y, pageW-2*margin, rowH, RGB{0.2, 0.3, 0.5})
		for c, h := range benchHeader {
			p.Text(colX[c]+3, y+6, h, head)
		}
		for i := pg * rowsPerPage; i < len(rows) && i < (pg+1)*rowsPerPage; i++ {
			y -= rowH
			if i%2 == 1 {
				p.Rect(margin, y, pageW-2*margin, rowH, RGB{0.94, 0.95, 0.97})
			}
			for c, s := range rows[i] {
				st := body
				if c == 4 && strings.HasPrefix(s, "[") {
					st = mask
				}
				if font.Width(s, size) > colX[c+1]-colX[c]-6 {
					st.Size = size * 0.8
				}
				p.Text(colX[c]+3, y+6, s, st)
			}
		}
		p.Line(margin, y-2, pageW-margin, y-2, 0.5, RGB{0.2, 0.3, 0.5})
		p.Text(margin, 14, "Utlämnande av e-postlogg – ärende 2026-0042", foot)
		p.Text(pageW-margin-60, 14, "Sida "+strconv.Itoa(pg+1)+" av "+strconv.Itoa(pages), foot)
	}
	return d
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var (
	benchOnce sync.Once
	benchData [][benchCols]string
)

// heapSampler records the peak of live heap objects while running.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(s.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) finish() uint64 {
	close(s.stop)
	<-s.done
	return s.peak.Load()
}

// BenchmarkWrite100kRows builds and writes a 100,000-row e-mail log: 3,572 A4 landscape
// pages, about 732,000 Text calls. The rows exist before the timer starts (as they would
// in the program); the timed part is layout, Text calls and WriteTo.
func BenchmarkWrite100kRows(b *testing.B) {
	benchOnce.Do(func() { benchData = benchRows(100_000) })
	rows := benchData
	runtime.GC()
	base := startHeapSampler()
	time.Sleep(5 * time.Millisecond)
	baseline := base.finish()
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	var peak uint64
	var calls int
	for i := 0; i < b.N; i++ {
		s := startHeapSampler()
		d := renderRows(rows)
		var w countWriter
		if _, err := d.WriteTo(&w); err != nil {
			b.Fatal(err)
		}
		size = w.n
		calls = d.strs.n
		peak = max(peak, s.finish())
		if i == 0 {
			b.ReportMetric(float64(d.PageCount()), "pages")
		}
	}
	b.ReportMetric(float64(calls), "texts")
	b.ReportMetric(float64(size)/(1<<20), "pdf-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(peak-min(peak, baseline))/(1<<20), "peak-heap-over-rows-MiB")
}

// BenchmarkText measures one Text call with a typical cell.
func BenchmarkText(b *testing.B) {
	d := New(Info{})
	p := d.AddPage(841.89, 595.28)
	st := TextStyle{Size: 8}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%200 == 0 {
			p = d.AddPage(841.89, 595.28)
		}
		if i%stringLogBlock == 0 {
			d.strs = stringLog{} // keep the call log from growing with b.N
		}
		p.Text(31, float64(i%200)*2.5+20, "SV: begäran om utlämnande [25 kap. 1 § OSL]", st)
	}
	var w countWriter
	d.WriteTo(&w)
}

// BenchmarkWidth measures Font.Width on a typical cell.
func BenchmarkWidth(b *testing.B) {
	f := DefaultFont()
	var sum float64
	for i := 0; i < b.N; i++ {
		sum += f.Width("SV: begäran om utlämnande [25 kap. 1 § OSL]", 8)
	}
	_ = sum
}

var _ = io.Discard
