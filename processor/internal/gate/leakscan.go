package gate

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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

// scanned are the kinds of staged file whose text is searched for masked spans: tables,
// text and the workbook formats (an xlsx is searched part by part).
var scanned = []string{".csv", ".tsv", ".txt", ".md", ".json", ".html", ".htm", ".xml", ".yaml", ".yml", ".xlsx", ".xlsm", ".eml"}

// scanWorkAreas is the hook's content check of what a commit adds, beyond names and
// places: a staged file that is byte for byte a file of a working area on this machine (a
// copy under another name or folder), or whose text holds a span that a case's workbook
// masks (an edited copy, a pasted subject). It runs in the hook only (base is the work
// tree; CI has no working areas) and only when the change stages a file other than a
// request.md, so that the ordinary step commit costs nothing more. The case's own
// release (utlamnande/, checked by the case's validation and the PDF self-check) and the
// program's fictitious test data are not searched for spans.
func scanWorkAreas(base string, wr *repo.Repo, b *gitcli.Batch, changes []fileChange) finding.List {
	type candidate struct {
		fc   fileChange
		data []byte
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
		cands = append(cands, candidate{fc, data})
		sizes[int64(len(data))] = true
	}
	if len(cands) == 0 {
		return nil
	}
	areas := workAreas(wr, base)
	if len(areas) == 0 {
		return nil
	}
	var out finding.List

	// Copies: a working-area file of the same size whose git blob id is the staged one.
	blobs := map[string]string{} // blob id → the working-area file (relative to base)
	long := len(cands[0].fc.oid) == 64
	for _, id := range slices.Sorted(maps.Keys(areas)) {
		_ = filepath.WalkDir(areas[id], func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil || !sizes[info.Size()] {
				return nil
			}
			if oid, err := blobID(p, info.Size(), long); err == nil {
				rel, _ := filepath.Rel(base, p)
				blobs[oid] = id + "\x00" + filepath.ToSlash(rel)
			}
			return nil
		})
	}
	for _, c := range cands {
		src, ok := blobs[c.fc.oid]
		if !ok {
			continue
		}
		id, rel, _ := strings.Cut(src, "\x00")
		if cid, rest, in := inCase(c.fc.path); in && cid == id && strings.HasPrefix(rest, disclose.Folder+"/") && path.Base(rel) == path.Base(rest) {
			continue // the approved workbook released beside the PDF: the file rules judge it
		}
		out.Add(c.fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen är en kopia av %s i ärendets arbetsyta och får aldrig checkas in", rel),
			"ta bort den ur det som checkas in: git rm --cached \""+c.fc.path+"\"; det som får checkas in skapas av processorn (processor build)")
	}
	if len(out) > 0 {
		return out
	}

	// Masked text: the spans every case with a working area masks.
	var search []candidate
	for _, c := range cands {
		lower := strings.ToLower(c.fc.path)
		if strings.HasPrefix(lower, "processor/") && strings.Contains(lower, "/testdata/") {
			continue
		}
		if _, rest, in := inCase(c.fc.path); in && strings.HasPrefix(rest, disclose.Folder+"/") {
			continue
		}
		if slices.Contains(scanned, strings.ToLower(path.Ext(lower))) {
			search = append(search, c)
		}
	}
	if len(search) == 0 {
		return nil
	}
	// Each case's proof is independent: they run side by side, one per core.
	ids := slices.Sorted(maps.Keys(areas))
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
	idx := mask.NewSpanIndex(spans)
	if idx == nil {
		return nil
	}
	for _, c := range search {
		var hits []mask.SpanAt
		if strings.HasSuffix(strings.ToLower(c.fc.path), ".xlsx") || strings.HasSuffix(strings.ToLower(c.fc.path), ".xlsm") {
			_ = workbook.PartTexts(c.data, func(_, text string) bool {
				hits = idx.Find(text)
				return len(hits) == 0
			})
		} else {
			hits = idx.Find(string(c.data))
		}
		if len(hits) == 0 {
			continue
		}
		id, cell, _ := strings.Cut(hits[0].Cell, " ")
		out.Add(c.fc.path, 0, 0, RuleWorkArea, fmt.Sprintf("filen innehåller text som är maskad i ärende %s (%s) och får inte checkas in", id, cell),
			"omaskad text hör hemma i ärendets arbetsyta; ta bort den ur det som checkas in: git rm --cached \""+c.fc.path+"\"")
	}
	return out
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

// blobID is git's object id of the file's content as a blob (SHA-1, or SHA-256 in a
// repository of that object format).
func blobID(p string, size int64, long bool) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var h hash.Hash = sha1.New()
	if long {
		h = sha256.New()
	}
	io.WriteString(h, "blob "+strconv.FormatInt(size, 10)+"\x00")
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
