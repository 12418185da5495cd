package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"strings"
)

// Parts of the package excelize does not expose: read straight from the zip.

// sheetPart finds the worksheet part of a sheet by name, through xl/workbook.xml and its
// relationships.
func sheetPart(z *zip.Reader, sheet string) string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(z, "xl/workbook.xml", &wb) != nil || decodePart(z, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return ""
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/")
				}
				return path.Join("xl", r.Target)
			}
		}
	}
	return ""
}

// decodePart unmarshals one XML part, read up to MaxXMLInMemory bytes.
func decodePart(z *zip.Reader, name string, v any) error {
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, MaxXMLInMemory)).Decode(v)
	}
	return io.ErrUnexpectedEOF
}

// pkgParts are the small parts of a package the hygiene checks read: no worksheet data.
type pkgParts struct {
	Sheets   []pkgSheet
	Names    []pkgName
	Date1904 bool
	Comments map[string][]string // sheet name → cells with a comment
	HiddenXf map[int]bool        // cell style indexes whose number format hides the value
	Creator  string
	Modifier string
	Company  string
	Custom   int
}

type pkgSheet struct {
	Name  string
	State string // "", "visible", "hidden", "veryHidden"
	Part  string
}

type pkgName struct {
	Name     string
	RefersTo string
}

// readParts reads the workbook, its relationships, comments, styles and document
// properties straight from the zip.
func readParts(z *zip.Reader) (*pkgParts, error) {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
		Names []struct {
			Name string `xml:"name,attr"`
			Text string `xml:",chardata"`
		} `xml:"definedNames>definedName"`
	}
	if err := decodePart(z, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	rels, err := readRels(z, "xl/_rels/workbook.xml.rels", "xl")
	if err != nil {
		return nil, err
	}
	p := &pkgParts{Date1904: wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true", Comments: map[string][]string{}, HiddenXf: map[int]bool{}}
	for _, s := range wb.Sheets {
		sh := pkgSheet{Name: s.Name, State: s.State, Part: rels[s.RID].target}
		p.Sheets = append(p.Sheets, sh)
		if sh.Part == "" {
			continue
		}
		srels, _ := readRels(z, path.Join(path.Dir(sh.Part), "_rels", path.Base(sh.Part)+".rels"), path.Dir(sh.Part))
		for _, r := range srels {
			if !strings.HasSuffix(r.typ, "/comments") && !strings.HasSuffix(r.typ, "/threadedComment") {
				continue
			}
			var c struct {
				Refs []struct {
					Ref string `xml:"ref,attr"`
				} `xml:",any"`
				List []struct {
					Ref string `xml:"ref,attr"`
				} `xml:"commentList>comment"`
			}
			if decodePart(z, r.target, &c) == nil {
				for _, x := range append(c.List, c.Refs...) {
					if x.Ref != "" && !slices.Contains(p.Comments[s.Name], x.Ref) {
						p.Comments[s.Name] = append(p.Comments[s.Name], x.Ref)
					}
				}
			}
		}
	}
	for _, n := range wb.Names {
		p.Names = append(p.Names, pkgName{Name: n.Name, RefersTo: n.Text})
	}
	var st struct {
		Fmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if decodePart(z, "xl/styles.xml", &st) == nil {
		hidden := map[int]bool{}
		for _, f := range st.Fmts {
			code := strings.ReplaceAll(f.Code, " ", "")
			if strings.Trim(code, ";") == "" && strings.Contains(code, ";;") {
				hidden[f.ID] = true
			}
		}
		for i, x := range st.Xfs {
			if hidden[x.NumFmt] {
				p.HiddenXf[i] = true
			}
		}
	}
	var core struct {
		Creator  string `xml:"creator"`
		Modifier string `xml:"lastModifiedBy"`
	}
	if decodePart(z, "docProps/core.xml", &core) == nil {
		p.Creator, p.Modifier = strings.TrimSpace(core.Creator), strings.TrimSpace(core.Modifier)
	}
	var app struct {
		Company string `xml:"Company"`
	}
	if decodePart(z, "docProps/app.xml", &app) == nil {
		p.Company = strings.TrimSpace(app.Company)
	}
	var custom struct {
		Props []struct {
			Name string `xml:"name,attr"`
		} `xml:"property"`
	}
	if decodePart(z, "docProps/custom.xml", &custom) == nil {
		p.Custom = len(custom.Props)
	}
	return p, nil
}

type rel struct{ target, typ string }

// readRels reads a relationships part; targets are resolved against base.
func readRels(z *zip.Reader, name, base string) (map[string]rel, error) {
	var rs struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(z, name, &rs); err != nil {
		return nil, err
	}
	out := map[string]rel{}
	for _, r := range rs.Rels {
		t := r.Target
		switch {
		case r.Mode == "External":
		case strings.HasPrefix(t, "/"):
			t = strings.TrimPrefix(t, "/")
		default:
			t = path.Clean(path.Join(base, t))
		}
		out[r.ID] = rel{target: t, typ: r.Type}
	}
	return out, nil
}

// maxPartText bounds how much of one package part PartTexts reads (a part that inflates
// beyond it is cut there).
const maxPartText = 64 << 20

// PartTexts calls fn with the name and the XML-unescaped character data of every XML part
// of the xlsx package data (cells, shared strings, comments, properties, drawings …), for
// the search of text that must not be anywhere in the file. It stops at fn's first false.
func PartTexts(data []byte, fn func(name, text string) bool) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") && !strings.HasSuffix(f.Name, ".vml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		var b strings.Builder
		inRun := 0
		d := xml.NewDecoder(io.LimitReader(rc, maxPartText))
		for {
			tok, err := d.RawToken()
			if err != nil {
				break // the end, or a part that is not well-formed: what was read is searched
			}
			switch t := tok.(type) {
			case xml.EndElement:
				if t.Name.Local == "r" && inRun > 0 {
					inRun--
				}
			case xml.CharData:
				if inRun > 0 || len(bytes.TrimSpace(t)) > 0 {
					b.Write(t)
				}
			case xml.StartElement:
				// Elements are kept apart (one cell's end and the next one's start are no
				// text), except within and between a rich text's runs (r), which are one text.
				switch {
				case t.Name.Local == "r":
					inRun++
				case inRun == 0:
					b.WriteByte(0)
				}
				// Attribute values carry text too (names, data validation lists, titles).
				for _, a := range t.Attr {
					b.WriteString(a.Value)
					b.WriteByte(0)
				}
			}
		}
		rc.Close()
		if !fn(f.Name, b.String()) {
			return nil
		}
	}
	return nil
}
