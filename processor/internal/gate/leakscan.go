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
// whole (the file rules still apply to it).
const maxScanned = 64 << 20

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
	type candidate struct {
		fc     fileChange
		pieces []piece
	}
	areas := workAreas(wr, base)
	if len(areas) == 0 {
		return nil // nothing to compare with: the staged files are not even unpacked
	}
	var cands []candidate
	sizes := map[int64]bool{}
	for _, fc := range changes {
		if fc.deleted || path.Base(fc.path) == casefile.FileName {
			continue
		}
		if _, rest, ok := inCase(fc.path); ok && isWorkArea(wr.Settings, rest) {
			continue // refused by name already
		}
		data, ok, err := b.Get(fc.oid)
		if err != nil || !ok || len(data) > maxScanned {
			continue
		}
		c := candidate{fc: fc}
		expand(fc.path, data, func(p piece) bool {
			c.pieces = append(c.pieces, p)
			sizes[int64(len(p.data))] = true
			return true
		})
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil
	}
	var out finding.List

	// Copies: a working-area file of the same size as a piece, with the same content.
	byID := map[string]string{} // SHA-256 of the content → the working-area file (relative to base)
	ids := slices.Sorted(maps.Keys(areas))
	for _, id := range ids {
		_ = filepath.WalkDir(areas[id], func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil || !sizes[info.Size()] {
				return nil
			}
			if sum, err := fileSHA256(p); err == nil {
				rel, _ := filepath.Rel(base, p)
				byID[sum] = id + "\x00" + filepath.ToSlash(rel)
			}
			return nil
		})
	}
	for _, c := range cands {
		for _, p := range c.pieces {
			sum := sha256.Sum256(p.data)
			src, ok := byID[hex.EncodeToString(sum[:])]
			if !ok {
				continue
			}
			id, rel, _ := strings.Cut(src, "\x00")
			if cid, rest, in := inCase(c.fc.path); in && cid == id && p.name == c.fc.path && strings.HasPrefix(rest, disclose.Folder+"/") && path.Base(rel) == path.Base(rest) {
				continue // the approved workbook released beside the PDF: the file rules judge it
			}
			what := "filen är en kopia av " + rel + " i ärendets arbetsyta och"
			if p.name != c.fc.path {
				what = "filen innehåller (" + strings.TrimPrefix(p.name, c.fc.path+" › ") + ") en kopia av " + rel + " i ärendets arbetsyta och"
			}
			out.Add(c.fc.path, 0, 0, RuleWorkArea, what+" får aldrig checkas in",
				"ta bort den ur det som checkas in: git rm --cached \""+c.fc.path+"\"; det som får checkas in skapas av processorn (processor build)")
			break
		}
	}
	if len(out) > 0 {
		return out
	}

	// Masked text: the spans every case with a working area masks.
	var search []candidate
	for _, c := range cands {
		if _, rest, in := inCase(c.fc.path); in && strings.HasPrefix(rest, disclose.Folder+"/") {
			continue
		}
		search = append(search, c)
	}
	if len(search) == 0 {
		return nil
	}
	idx := mask.NewSpanIndex(caseSpans(wr, ids))
	if idx == nil {
		return nil
	}
	for _, c := range search {
		if hit, where := findIn(idx, c.fc.path, c.pieces); hit != nil {
			id, cell, _ := strings.Cut(hit.Cell, " ")
			out.Add(c.fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen innehåller%s text som är maskad i ärende %s (%s) och får inte checkas in", where, id, cell),
				"omaskad text hör hemma i ärendets arbetsyta; ta bort den ur det som checkas in: git rm --cached \""+c.fc.path+"\"")
		}
	}
	return out
}

// findIn searches the pieces of a staged file for a span of idx: a zip (an xlsx, a docx)
// by the text of its XML parts, anything else as text. where names the piece when it is
// not the file itself.
func findIn(idx *mask.SpanIndex, name string, pieces []piece) (*mask.SpanAt, string) {
	for _, p := range pieces {
		var hits []mask.SpanAt
		if bytes.HasPrefix(p.data, []byte("PK\x03\x04")) {
			_ = workbook.PartTexts(p.data, func(_, text string) bool {
				hits = idx.Find(text)
				return len(hits) == 0
			})
		} else {
			hits = idx.Find(string(p.data))
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
