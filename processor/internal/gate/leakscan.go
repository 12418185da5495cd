package gate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
)

// maxScanned bounds the staged files read for the content scan: a larger file is not read
// (git streams it past) and is refused, since it cannot be searched.
const maxScanned = 32 << 20

// scanWorkAreas is the hook's content check of what a commit adds, beyond names and
// places: a staged file, or anything packed or encoded in it (a zip member, a gzip file, a
// run of base64, its text decoded from HTML entities, JSON escapes, quoted-printable, RFC
// 2047 words, UTF-16 or Latin-1: see expand), that is byte for byte a file of a working
// area on this machine (a copy under another name or folder, a zipped export), or whose
// text holds a span that a case's workbook masks (an edited copy, a pasted subject) – the
// cases' own secrets as the patterns, as a secret scanner uses its rules. It runs in the
// hook only (base is the work tree; CI has no working areas), only when the change stages
// a file other than a request.md, so that the ordinary step commit costs nothing more (a
// request.md is searched for its own case's spans by the case's check), and unpacks
// nothing on a machine without a working area. The case's own release (utlamnande/,
// checked by the case's validation and the PDF self-check) is not searched.
func scanWorkAreas(base string, wr *repo.Repo, b *gitcli.Batch, changes []fileChange) finding.List {
	areas := workAreas(wr, base)
	if len(areas) == 0 {
		return nil // nothing to compare with: the staged files are not even unpacked
	}
	ids := slices.Sorted(maps.Keys(areas))
	// The working areas' files by size (stat only); a file is hashed when a piece of its
	// size turns up, once.
	bySize := map[int64][]string{} // size → working-area files (absolute)
	for _, id := range ids {
		_ = filepath.WalkDir(areas[id], func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if info, err := d.Info(); err == nil {
				bySize[info.Size()] = append(bySize[info.Size()], p)
			}
			return nil
		})
	}
	hashed := map[string]string{} // working-area file → its SHA-256
	copyOf := func(data []byte) (string, bool) {
		files := bySize[int64(len(data))]
		if len(files) == 0 {
			return "", false
		}
		sum := sha256.Sum256(data)
		want := hex.EncodeToString(sum[:])
		for _, f := range files {
			h, ok := hashed[f]
			if !ok {
				h, _ = fileSHA256(f)
				hashed[f] = h
			}
			if h == want {
				return f, true
			}
		}
		return "", false
	}
	idOf := func(file string) string {
		for _, id := range ids {
			if rel, err := filepath.Rel(areas[id], file); err == nil && !strings.HasPrefix(rel, "..") {
				return id
			}
		}
		return ""
	}
	var idx *mask.SpanIndex
	indexed := false
	var out finding.List
	// One staged file at a time: only its pieces are held (within expand's budget).
	for _, fc := range changes {
		if fc.deleted || path.Base(fc.path) == casefile.FileName {
			continue
		}
		cid, rest, inCaseFolder := inCase(fc.path)
		if inCaseFolder && isWorkArea(wr.Settings, rest) {
			continue // refused by name already
		}
		data, size, ok, err := b.GetLimited(fc.oid, maxScanned)
		if err != nil || !ok {
			continue
		}
		if data == nil {
			out.Add(fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen är %d MiB och för stor för att kontrolleras mot arbetsytorna (gränsen är %d MiB)", size>>20, maxScanned>>20),
				"så stora filer hör inte hemma i ärendekatalogen; ta bort den ur det som checkas in: git rm --cached \""+fc.path+"\"")
			continue
		}
		var pieces []piece
		incomplete := false
		complete := expand(fc.path, data, func(p piece) bool {
			pieces = append(pieces, p)
			return true
		})
		released := inCaseFolder && strings.HasPrefix(rest, disclose.Folder+"/")
		copied := false
		for _, p := range pieces {
			src, ok := copyOf(p.data)
			if !ok {
				continue
			}
			id := idOf(src)
			relSrc, _ := filepath.Rel(base, src)
			relSrc = filepath.ToSlash(relSrc)
			if inCaseFolder && cid == id && p.name == fc.path && released && path.Base(relSrc) == path.Base(rest) {
				continue // the approved workbook released beside the PDF: the file rules judge it
			}
			what := "filen är en kopia av " + relSrc + " i ärendets arbetsyta och"
			if p.name != fc.path {
				what = "filen innehåller (" + strings.TrimPrefix(p.name, fc.path+" › ") + ") en kopia av " + relSrc + " i ärendets arbetsyta och"
			}
			out.Add(fc.path, 0, 0, RuleWorkArea, what+" får aldrig checkas in",
				"ta bort den ur det som checkas in: git rm --cached \""+fc.path+"\"; det som får checkas in skapas av processorn (processor build)")
			copied = true
			break
		}
		if copied || released {
			continue // the case's own release is checked by its validation and the PDF self-check
		}
		// Masked text: the spans every case with a working area masks.
		if !indexed {
			idx, indexed = mask.NewSpanIndex(caseSpans(wr, ids)), true
		}
		if idx != nil {
			if hit, where := findIn(idx, fc.path, pieces, &incomplete); hit != nil {
				id, cell, _ := strings.Cut(hit.Cell, " ")
				out.Add(fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen innehåller%s text som är maskad i ärende %s (%s) och får inte checkas in", where, id, cell),
					"omaskad text hör hemma i ärendets arbetsyta; ta bort den ur det som checkas in: git rm --cached \""+fc.path+"\"")
				continue
			}
		}
		if !complete || incomplete {
			out.Add(fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen packas upp till mer än kroken söker igenom (%d MiB, eller en arbetsbok över gränserna) och kan inte kontrolleras mot arbetsytorna", maxExpanded>>20),
				"en fil som inte kan sökas igenom kan innehålla omaskad text och checkas inte in; ta bort den ur det som checkas in: git rm --cached \""+fc.path+"\"")
		}
	}
	return out
}

// findIn searches the pieces of a staged file for a span of idx: a zip (an xlsx, a docx)
// by the text of its XML parts, anything else as text. where names the piece when it is
// not the file itself.
func findIn(idx *mask.SpanIndex, name string, pieces []piece, incomplete *bool) (*mask.SpanAt, string) {
	for _, p := range pieces {
		var hits []mask.SpanAt
		if p.refused {
			continue // not unpacked (the file is refused as incomplete)
		}
		if bytes.HasPrefix(p.data, []byte("PK\x03\x04")) {
			if err := workbook.PartTexts(p.data, func(_, text string) bool {
				hits = idx.Find(text)
				return len(hits) == 0
			}); err != nil && len(hits) == 0 {
				*incomplete = true // a part it could not read whole was not searched to its end
			}
		} else if len(p.data) > 0 {
			hits = idx.Find(unsafe.String(&p.data[0], len(p.data))) // read only, not kept
		}
		if len(hits) > 0 {
			where := ""
			if p.name != name {
				where = " (i " + strings.TrimPrefix(p.name, name+" › ") + ")"
			}
			return &hits[0], where
		}
	}
	return nil, ""
}

// caseSpans proves the cases with a working area (ids) side by side, one per core, and
// returns the raw text of every span their workbooks mask, with "<id> <cell>" as its cell.
func caseSpans(wr *repo.Repo, ids []string) []mask.SpanAt {
	perCase := make([][]mask.SpanAt, len(ids))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			checked := validate.Case(wr, filepath.Join(wr.Root, repo.CasesDir, id), validate.Options{})
			if ev := checked.Evidence; ev != nil && ev.Proof != nil {
				for _, s := range ev.Proof.SpanCells {
					perCase[i] = append(perCase[i], mask.SpanAt{Text: s.Text, Cell: id + " " + s.Cell})
				}
			}
			// An e-post case: what its texts mask, and the body of each withheld e-mail.
			if mev := checked.Mail; mev != nil {
				for _, s := range mev.Spans {
					perCase[i] = append(perCase[i], mask.SpanAt{Text: s.Text, Cell: id + " " + s.Cell})
				}
			}
		}()
	}
	wg.Wait()
	var spans []mask.SpanAt
	for _, s := range perCase {
		spans = append(spans, s...)
	}
	return spans
}

// workAreas returns the working areas on this machine, by case id.
func workAreas(wr *repo.Repo, base string) map[string]string {
	entries, err := os.ReadDir(filepath.Join(base, repo.CasesDir))
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() || !casefile.IDPattern.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(wr.Root, repo.CasesDir, e.Name())
		if wa := wr.WorkArea(dir, e.Name()); wa != "" {
			if info, err := os.Stat(wa); err == nil && info.IsDir() {
				out[e.Name()] = wa
			}
		}
	}
	return out
}

// fileSHA256 is the SHA-256 of a file's content.
func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
