package workbook

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// Parts of the package excelize does not expose: read straight from the zip.

// zeroWidthColumns returns the 1-based columns of sheet whose width is under half a
// character: invisible in Excel without being marked hidden (excelize reads width 0 as
// "not set").
func zeroWidthColumns(file, sheet string) []int {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil
	}
	defer z.Close()
	part := sheetPart(&z.Reader, sheet)
	if part == "" {
		return nil
	}
	var ws struct {
		Cols []struct {
			Min   int      `xml:"min,attr"`
			Max   int      `xml:"max,attr"`
			Width *float64 `xml:"width,attr"`
		} `xml:"cols>col"`
	}
	if err := decodePart(&z.Reader, part, &ws); err != nil {
		return nil
	}
	var out []int
	for _, c := range ws.Cols {
		if c.Width != nil && *c.Width < 0.5 && c.Max-c.Min < 1000 {
			for i := c.Min; i <= c.Max; i++ {
				out = append(out, i)
			}
		}
	}
	return out
}

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
