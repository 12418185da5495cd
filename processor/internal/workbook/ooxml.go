package workbook

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
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

// decodePart unmarshals one small XML part, of at most MaxPart bytes.
func decodePart(z *zip.Reader, name string, v any) error {
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > MaxPart {
			return errTooBig
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, MaxPart)).Decode(v)
	}
	return io.ErrUnexpectedEOF
}

// maxSheets is the most sheets a workbook may have.
const maxSheets = 1000

// pkgParts are the small parts of a package the hygiene checks read: no worksheet data.
type pkgParts struct {
	Sheets      []pkgSheet
	Names       []pkgName
	Date1904    bool
	HiddenView  bool                // the workbook's window is hidden (workbookView visibility)
	Comments    map[string][]string // sheet name → cells with a comment
	BadComments map[string][]string // sheet name → comment parts that cannot be read
	Creator     string
	Modifier    string
	Company     string
	Custom      int
	Texts       []docText // other properties with text: description, keywords, category, manager
}

// docText is a document property with text.
type docText struct{ what, val string }

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
		Views []struct {
			Visibility string `xml:"visibility,attr"`
		} `xml:"bookViews>workbookView"`
	}
	if err := decodePart(z, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	rels, err := readRels(z, "xl/_rels/workbook.xml.rels", "xl")
	if err != nil {
		return nil, err
	}
	p := &pkgParts{Date1904: wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true", Comments: map[string][]string{}, BadComments: map[string][]string{}}
	for _, v := range wb.Views {
		if v.Visibility == "hidden" || v.Visibility == "veryHidden" {
			p.HiddenView = true
		}
	}
	if len(wb.Sheets) > maxSheets {
		return nil, xmlError(fmt.Sprintf("arbetsboken har fler än %d blad", maxSheets))
	}
	for _, s := range wb.Sheets {
		seen := map[string]bool{}
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
			if err := decodePart(z, r.target, &c); err != nil {
				if zipFile(z, r.target) != nil {
					p.BadComments[s.Name] = append(p.BadComments[s.Name], r.target)
				}
				continue
			}
			for _, x := range append(c.List, c.Refs...) {
				if x.Ref != "" && !seen[x.Ref] {
					seen[x.Ref] = true
					p.Comments[s.Name] = append(p.Comments[s.Name], x.Ref)
				}
			}
		}
	}
	for _, n := range wb.Names {
		p.Names = append(p.Names, pkgName{Name: n.Name, RefersTo: n.Text})
	}
	var core struct {
		Creator     string `xml:"creator"`
		Modifier    string `xml:"lastModifiedBy"`
		Description string `xml:"description"`
		Keywords    string `xml:"keywords"`
		Category    string `xml:"category"`
		Status      string `xml:"contentStatus"`
	}
	if decodePart(z, "docProps/core.xml", &core) == nil {
		p.Creator, p.Modifier = strings.TrimSpace(core.Creator), strings.TrimSpace(core.Modifier)
		p.Texts = append(p.Texts, docText{"kommentarer", core.Description}, docText{"taggar", core.Keywords},
			docText{"kategori", core.Category}, docText{"status", core.Status})
	}
	var app struct {
		Company string `xml:"Company"`
		Manager string `xml:"Manager"`
	}
	if decodePart(z, "docProps/app.xml", &app) == nil {
		p.Company = strings.TrimSpace(app.Company)
		p.Texts = append(p.Texts, docText{"chef", app.Manager})
	}
	p.Texts = slices.DeleteFunc(p.Texts, func(t docText) bool { return strings.TrimSpace(t.val) == "" })
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
