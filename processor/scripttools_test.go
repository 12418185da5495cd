package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/testrepo"
)

// scriptCmds are the scripts' own commands: what a registrator does in Excel (setcell), and
// the canary scan of the scenario (scanblobs, scanfiles).
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"setcell":   cmdSetCell,
	"addline":   cmdAddLine,
	"replace":   cmdReplace,
	"addperson": cmdAddPerson,
	"pack":      cmdPack,
	"scanblobs": cmdScanBlobs,
	"scanfiles": cmdScanFiles,
	"democase":  cmdDemoCase,
}

// democase ID copies the shipped demo case ID (its request.md and its released record in
// utlamnande/, as in git) into the script's repository: a released e-mail log to request
// e-mails from.
func cmdDemoCase(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: democase ID")
	}
	src := filepath.Join(testrepo.Root(), "cases", args[0])
	dst := ts.MkAbs(filepath.Join("cases", args[0]))
	for _, f := range []string{"request.md", "utlamnande"} {
		ts.Check(testrepo.CopyTree(filepath.Join(src, f), filepath.Join(dst, f)))
	}
}

// setcell FILE SHEET!CELL TEXT writes TEXT into a cell of an xlsx file, as Excel would save it.
func cmdSetCell(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: setcell FILE SHEET!CELL TEXT")
	}
	sheet, cell, ok := strings.Cut(args[1], "!")
	if !ok {
		ts.Fatalf("setcell: %s is not SHEET!CELL", args[1])
	}
	f, err := excelize.OpenFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(f.SetCellDefault(sheet, cell, args[2])) // an inline string: a shared one would leave the old text in the file
	ts.Check(f.Save())
	ts.Check(f.Close())
}

// addline FILE LINE... adds lines to request.md's front matter as a registrator adds a step
// in a text editor: indented lines at the end of the steg: block, others at the end of the
// front matter (before its closing ---).
func cmdAddLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: addline FILE LINE...")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	lines := strings.Split(string(data), "\n")
	end := slices.Index(lines[1:], "---") + 1
	if lines[0] != "---" || end < 1 {
		ts.Fatalf("addline: %s has no front matter", args[0])
	}
	at := end
	if strings.HasPrefix(args[1], "  ") {
		steps := slices.Index(lines[:end], "steg:")
		if steps < 0 {
			ts.Fatalf("addline: %s has no steg:", args[0])
		}
		at = steps + 1
		for at < end && (strings.HasPrefix(lines[at], " ") || lines[at] == "") {
			at++
		}
	}
	lines = slices.Insert(lines, at, args[1:]...)
	ts.Check(os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
}

// addperson FILE LINE adds a person (one line of YAML, a list item) at the end of the
// settings' personer: list.
func cmdAddPerson(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: addperson FILE LINE")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	at := slices.Index(lines, "personer:")
	if at < 0 {
		ts.Fatalf("addperson: %s has no personer:", args[0])
	}
	at++
	for at < len(lines) && (strings.HasPrefix(lines[at], " ") || lines[at] == "") {
		at++
	}
	lines = slices.Insert(lines, at, args[1])
	ts.Check(os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
}

// pack zip|gzip|base64 OUT IN... writes OUT: a zip of the files IN (by their names), the
// gzip of IN, or IN in base64 wrapped at 76 characters (as an e-mail client writes it).
func cmdPack(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: pack zip|gzip|base64 OUT IN...")
	}
	var b bytes.Buffer
	switch args[0] {
	case "zip":
		zw := zip.NewWriter(&b)
		for _, in := range args[2:] {
			data, err := os.ReadFile(ts.MkAbs(in))
			ts.Check(err)
			w, err := zw.Create(filepath.Base(in))
			ts.Check(err)
			_, err = w.Write(data)
			ts.Check(err)
		}
		ts.Check(zw.Close())
	case "gzip":
		data, err := os.ReadFile(ts.MkAbs(args[2]))
		ts.Check(err)
		zw := gzip.NewWriter(&b)
		_, err = zw.Write(data)
		ts.Check(err)
		ts.Check(zw.Close())
	case "base64":
		data, err := os.ReadFile(ts.MkAbs(args[2]))
		ts.Check(err)
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\n")
	default:
		ts.Fatalf("pack: unknown kind %q", args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b.Bytes(), 0o644))
}

// replace FILE OLD NEW replaces the one occurrence of OLD in FILE by NEW.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	if n := strings.Count(string(data), args[1]); n != 1 {
		ts.Fatalf("replace: %q occurs %d times in %s, want once", args[1], n, args[0])
	}
	ts.Check(os.WriteFile(path, []byte(strings.Replace(string(data), args[1], args[2], 1)), 0o644))
}

// scanblobs CANARY... reads every object of every commit on every ref (git rev-list --all
// --objects, git cat-file) and looks for each canary in the blob, in every member of a zip
// (xlsx) blob, and in the text pdftotext extracts from a PDF blob. With !, no canary may be
// anywhere; without, each must be found somewhere.
func cmdScanBlobs(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: scanblobs CANARY...")
	}
	list := exec.Command("git", "rev-list", "--all", "--objects")
	list.Dir = ts.MkAbs(".")
	out, err := list.Output()
	ts.Check(err)
	var ids []string
	paths := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, path, _ := strings.Cut(line, " "); id != "" {
			ids = append(ids, id)
			paths[id] = path
		}
	}
	cat := exec.Command("git", "cat-file", "--batch")
	cat.Dir = list.Dir
	cat.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	data, err := cat.Output()
	ts.Check(err)
	found := map[string][]string{}
	rd := bufio.NewReader(bytes.NewReader(data))
	blobs := 0
	for {
		header, err := rd.ReadString('\n')
		if err == io.EOF {
			break
		}
		ts.Check(err)
		f := strings.Fields(header)
		if len(f) != 3 {
			ts.Fatalf("scanblobs: git cat-file said %q", header)
		}
		size, err := strconv.Atoi(f[2])
		ts.Check(err)
		body := make([]byte, size+1)
		_, err = io.ReadFull(rd, body)
		ts.Check(err)
		if f[1] == "blob" {
			blobs++
		}
		for _, c := range args {
			if containsAnywhere(ts, body[:size], c) {
				found[c] = append(found[c], f[1]+" "+f[0]+" "+paths[f[0]])
			}
		}
	}
	report(ts, neg, found, args, fmt.Sprintf("%d objects (%d blobs)", len(ids), blobs))
}

// scanfiles DIR CANARY... is scanblobs over the files under DIR (the positive control: the
// scan finds the canaries in the working area's xlsx and CSV).
func cmdScanFiles(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: scanfiles DIR CANARY...")
	}
	found := map[string][]string{}
	n := 0
	ts.Check(filepath.WalkDir(ts.MkAbs(args[0]), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, c := range args[1:] {
			if containsAnywhere(ts, body, c) {
				found[c] = append(found[c], p)
			}
		}
		return nil
	}))
	report(ts, neg, found, args[1:], fmt.Sprintf("%d files", n))
}

func report(ts *testscript.TestScript, neg bool, found map[string][]string, canaries []string, what string) {
	for _, c := range canaries {
		switch {
		case neg && len(found[c]) > 0:
			ts.Fatalf("%s found in %s", c, strings.Join(found[c], ", "))
		case !neg && len(found[c]) == 0:
			ts.Fatalf("%s not found in %s", c, what)
		}
	}
	ts.Logf("scanned %s", what)
}

// containsAnywhere looks for s in b as bytes, in each member of b if it is a zip, in each
// zlib stream of b if it is a PDF, and in the text pdftotext extracts (when installed).
func containsAnywhere(ts *testscript.TestScript, b []byte, s string) bool {
	if bytes.Contains(b, []byte(s)) {
		return true
	}
	if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				ts.Fatalf("a zip blob cannot be read: %v", err)
			}
			member, err := io.ReadAll(rc)
			rc.Close()
			ts.Check(err)
			if containsAnywhere(ts, member, s) {
				return true
			}
		}
	}
	if !bytes.HasPrefix(b, []byte("%PDF")) {
		return false
	}
	for rest := b; ; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream"):]
		start, ok := bytes.CutPrefix(rest, []byte("\r\n"))
		if !ok {
			if start, ok = bytes.CutPrefix(rest, []byte("\n")); !ok {
				continue // "endstream", or "stream" in text
			}
		}
		if zr, err := zlib.NewReader(bytes.NewReader(start)); err == nil {
			inflated, _ := io.ReadAll(zr)
			if bytes.Contains(inflated, []byte(s)) {
				return true
			}
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = bytes.NewReader(b)
		text, err := cmd.Output()
		ts.Check(err)
		return bytes.Contains(text, []byte(s))
	}
	return false
}
