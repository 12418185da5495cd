package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	pdfvalidate "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
	"github.com/richardlehane/mscfb"

	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
)

func init() { model.ConfigPath = "disable" } // pdfcpu must not touch a per-user config folder

// TestReadSource writes Nr 1, 3 and 4 and reads the folder as the import does.
func TestReadSource(t *testing.T) {
	dir := t.TempDir()
	if _, err := writeAll(dir, []int{4, 1, 3}); err != nil {
		t.Fatal(err)
	}
	msgs, skipped, err := mailfile.ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || skipped[0].File != "Items.csv" {
		t.Errorf("skipped = %+v, want only Items.csv", skipped)
	}
	for _, s := range skipped {
		t.Logf("hoppades över: %s: %s", s.File, s.Reason)
	}
	want := []struct {
		file, format, from, subject, date, body, attach string
	}{
		{"0001 Protokoll ledningsgrupp 1 oktober.eml", "eml", "anna.andersson@region.example", "Protokoll ledningsgrupp 1 oktober",
			"2026-10-01 07:56:13 +0200", "här kommer protokollet", "protokoll.pdf"},
		{"0003 Middag på lördag.eml", "eml", "lisa.privat@mail.example", "Middag på lördag?",
			"2026-10-01 17:01:39 +0200", "Barnvakten Gunilla Hemlig", ""},
		{"0004 Ang. patient Anna Patientsson, remiss till ortopeden.msg", "msg", "vard.remiss@region.example", "Ang. patient Anna Patientsson, remiss till ortopeden",
			"2026-10-02 08:27:52 +0200", "Anna Patientsson, 19121212-1212", "remiss.txt"},
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d", len(msgs), len(want))
	}
	for i, w := range want {
		m := msgs[i]
		t.Logf("%s: format %s, från %v, till %v, datum %s, ämne %q, brödtext %s, bilagor %+v, anteckningar %q\n%s",
			m.File, m.Format, m.From, m.To, m.Date.Format("2006-01-02 15:04:05 -0700"), m.Subject, m.BodyType, m.Attachments, m.Notes, m.Body)
		if m.File != w.file || m.Format != w.format || m.Subject != w.subject || len(m.From) != 1 || m.From[0].Email != w.from {
			t.Errorf("message %d = %s %s %q %v, want %s %s %q %s", i, m.File, m.Format, m.Subject, m.From, w.file, w.format, w.subject, w.from)
		}
		if got := m.Date.Format("2006-01-02 15:04:05 -0700"); got != w.date {
			t.Errorf("%s: date %s, want %s", m.File, got, w.date)
		}
		if len(m.To) != 1 || m.To[0].Email != employee {
			t.Errorf("%s: to %v", m.File, m.To)
		}
		if !strings.Contains(m.Body, w.body) {
			t.Errorf("%s: body lacks %q: %q", m.File, w.body, m.Body)
		}
		var names []string
		for _, a := range m.Attachments {
			names = append(names, a.Name)
		}
		if strings.Join(names, ",") != w.attach {
			t.Errorf("%s: attachments %v, want %s", m.File, names, w.attach)
		}
		if len(m.Notes) > 0 {
			t.Errorf("%s: notes %q", m.File, m.Notes)
		}
	}
	if msgs[1].BodyType != "text/html" || !strings.Contains(msgs[1].Body, "älggryta & äppelkaka – säg") {
		t.Errorf("Nr 3 body %s %q", msgs[1].BodyType, msgs[1].Body)
	}
}

// TestMatchesReleasedLog: the processor's matching pairs each written e-mail with its row
// of the released log of demo case 2026-0001 and finds nothing to report.
func TestMatchesReleasedLog(t *testing.T) {
	r, err := repo.Open(testrepo.Root())
	if err != nil {
		t.Fatal(err)
	}
	log, err := mailcase.ReadLog(r, "2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	nrs := []int{1, 2, 3, 4, 11, 26}
	if _, err := writeAll(dir, nrs); err != nil {
		t.Fatal(err)
	}
	msgs, _, err := mailfile.ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	byNr, fs := mailcase.Match(log, nrs, msgs, "request.md", 1)
	if len(fs) > 0 {
		t.Errorf("findings: %v", fs)
	}
	for _, nr := range nrs {
		m := byNr[nr]
		if m == nil {
			t.Errorf("Nr %d: no e-mail matched", nr)
			continue
		}
		if !strings.HasPrefix(m.File, strconv.Itoa(10000 + nr)[1:]+" ") {
			t.Errorf("Nr %d matched %s", nr, m.File)
		}
	}
}

// TestMsgRoundTrip: every stream of the .msg reads back through mscfb with the bytes that
// were written, and the message through mailfile; also with an attachment of 4096 bytes or
// more (regular sectors, not the mini stream) and one just under the cutoff.
func TestMsgRoundTrip(t *testing.T) {
	for _, size := range []int{0, miniCutoff - 1, miniCutoff, 3*sectorSize + 17, 70000} {
		m := newMail(4)
		if size > 0 {
			data := make([]byte, size)
			for i := range data {
				data[i] = byte(i*7 + i/251)
			}
			m.attach = append(m.attach, attachment{"stor.bin", "application/octet-stream", data})
		}
		data, err := m.build()
		if err != nil {
			t.Fatal(err)
		}
		if err := selfCheck(m, data); err != nil {
			t.Errorf("size %d: %v", size, err)
		}
		// the streams as written
		want := map[string][]byte{}
		var walk func(prefix string, ns []*node)
		walk = func(prefix string, ns []*node) {
			for _, n := range ns {
				if n.storage {
					walk(prefix+n.name+"/", n.kids)
				} else {
					want[prefix+n.name] = n.data
				}
			}
		}
		walk("", outlook(m).nodes())
		r, err := mscfb.New(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]byte{}
		for f, err := r.Next(); err == nil; f, err = r.Next() {
			if f.FileInfo().IsDir() {
				continue
			}
			b, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			got[strings.Join(append(slices.Clone(f.Path), f.Name), "/")] = b
		}
		if len(got) != len(want) {
			t.Errorf("size %d: %d streams read, %d written", size, len(got), len(want))
		}
		for k, w := range want {
			if g, ok := got[k]; !ok || !bytes.Equal(g, w) {
				t.Errorf("size %d: stream %s: read %d bytes (present %v), wrote %d", size, k, len(g), ok, len(w))
			}
		}
	}
}

// TestDeterministic: two runs write the same bytes.
func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	all := make([]int, len(rows))
	for i := range all {
		all[i] = i + 1
	}
	if _, err := writeAll(a, all); err != nil { // every row passes its self-check
		t.Fatal(err)
	}
	if _, err := writeAll(b, all); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(a)
	if len(files) != len(rows)+1 {
		t.Errorf("%d files, want %d", len(files), len(rows)+1)
	}
	for _, f := range files {
		x, _ := os.ReadFile(filepath.Join(a, f.Name()))
		y, err := os.ReadFile(filepath.Join(b, f.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs", f.Name())
		}
	}
	msgs, skipped, err := mailfile.ReadSource(a)
	if err != nil || len(msgs) != len(rows) || len(skipped) != 1 {
		t.Errorf("ReadSource: %d messages, %d skipped, %v", len(msgs), len(skipped), err)
	}
}

// TestPDFValid: protokoll.pdf passes pdfcpu's strict validation.
func TestPDFValid(t *testing.T) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	conf.Cmd = model.VALIDATE
	ctx, err := pdfcpu.Read(bytes.NewReader(protocolPDF()), conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := pdfvalidate.XRefTable(ctx); err != nil {
		t.Fatal(err)
	}
	if ctx.PageCount != 1 {
		t.Errorf("%d pages", ctx.PageCount)
	}
}

// TestPython cross-checks the .eml files with Python's email package, when python3 is
// there.
func TestPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 saknas")
	}
	dir := t.TempDir()
	if _, err := writeAll(dir, []int{1, 3, 9, 11, 26}); err != nil {
		t.Fatal(err)
	}
	const script = `
import email, email.policy, json, sys, os, hashlib
out = []
for name in sorted(os.listdir(sys.argv[1])):
    if not name.endswith('.eml'):
        continue
    # as text: the bytes parser does not take RFC 6532 UTF-8 headers (Nr 9's sender)
    with open(os.path.join(sys.argv[1], name), 'rb') as f:
        m = email.message_from_string(f.read().decode('utf-8'), policy=email.policy.default)
    body = m.get_body(preferencelist=('plain', 'html'))
    atts = [[a.get_filename(), hashlib.sha256(a.get_content()).hexdigest()] for a in m.iter_attachments()]
    out.append({'file': name, 'subject': str(m['subject']), 'from': m['from'].addresses[0].addr_spec,
        'to': [a.addr_spec for a in m['to'].addresses], 'date': m['date'].datetime.isoformat(),
        'body': body.get_content(), 'atts': atts, 'defects': [str(d) for d in m.defects] + [str(d) for p in m.walk() for d in p.defects]})
json.dump(out, sys.stdout)
`
	b, err := exec.Command(py, "-c", script, dir).Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		File, Subject, From, Date, Body string
		To                              []string
		Atts                            [][]string
		Defects                         []string
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("python read %d files", len(got))
	}
	for _, g := range got {
		nr, _ := strconv.Atoi(g.File[:4])
		m := newMail(nr)
		if g.Subject != m.row.Subject || g.From != m.row.From || g.Date != m.sent.Format(time.RFC3339) {
			t.Errorf("%s: python read %q %q %s, want %q %q %s", g.File, g.Subject, g.From, g.Date, m.row.Subject, m.row.From, m.sent.Format(time.RFC3339))
		}
		if strings.Join(g.To, "; ") != m.row.To {
			t.Errorf("%s: to %v", g.File, g.To)
		}
		if strings.ReplaceAll(g.Body, "\r\n", "\n") != m.body {
			t.Errorf("%s: body %q, want %q", g.File, g.Body, m.body)
		}
		if len(g.Atts) != len(m.attach) {
			t.Errorf("%s: attachments %v", g.File, g.Atts)
		}
		for i, a := range m.attach {
			sum := sha256.Sum256(a.data)
			if i < len(g.Atts) && (g.Atts[i][0] != a.name || g.Atts[i][1] != hex.EncodeToString(sum[:])) {
				t.Errorf("%s: attachment %v", g.File, g.Atts[i])
			}
		}
		if len(g.Defects) > 0 {
			t.Errorf("%s: python defects %v", g.File, g.Defects)
		}
	}
}
