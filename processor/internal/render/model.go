// Package render lays out a disclosure: the cover letter (a Markdown template per case type)
// and the complete e-mail log with its masks, as pages of positioned text and boxes (a
// display list), and writes those pages as a PDF. The layout is derived only from the
// Disclosure model, so the same model gives the same pages and the same bytes.
package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
)

// Disclosure is everything a disclosure shows. Masked text is not in it: a masked span is a
// Segment with only its provision reference.
type Disclosure struct {
	CaseID    string
	Title     string // e.g. "Utlämnande av e-postlogg"
	Date      string // the letter's date, ÅÅÅÅ-MM-DD (the decision's date)
	Authority Authority
	Court     string // kammarrätt for appeals
	// Fields are the case's values the type names for the letter (utlämnande.fält), e.g.
	// "medarbetare" → "Erik Exempel". Empty values are left out: an anonymous requester has
	// no "frågeställare".
	Fields  map[string]string
	Columns []Column
	Rows    []Row
	// Provisions is the exemption log: each provision used, its title and its masks.
	Provisions []ProvisionLine
	Private    int    // rows marked P
	Letter     string // the cover letter template (Markdown with {{fields}})
	Producer   string // "processor 0.5.0"
	// Official is the official who made the assessment (the signer of the type's decision
	// step), named in the letter with title and contact; nil when the template does not
	// use {{.Handläggare}} (so an older letter's model, and hash, are as they were).
	Official *Official `json:",omitempty"`
}

// Authority is the releasing authority.
type Authority struct {
	Name    string
	Address string
	Email   string
	Phone   string
}

// Column is a log column: its heading and its share of the table's width.
type Column struct {
	Name   string
	Weight float64
}

// Row is one e-mail: one cell per column.
type Row struct {
	Cells []Cell
}

// Cell is text and masks in order.
type Cell []Segment

// Segment is literal text, or a mask showing its provision (Ref non-empty, Text empty).
type Segment struct {
	Text string `json:",omitempty"`
	Ref  string `json:",omitempty"`
}

// ProvisionLine is one line of the exemption log.
type ProvisionLine struct {
	Ref   string // canonical: "25 kap. 1 § OSL"
	Title string // from the catalog
	Count int
}

// Masks counts the masks in the log.
func (d *Disclosure) Masks() int {
	n := 0
	for _, p := range d.Provisions {
		n += p.Count
	}
	return n
}

// Hash is the SHA-256 of the model: the "decision part" of the inputs. Two models with the
// same hash give byte-identical PDFs (with the same font and version). Everything but the
// rows is hashed as JSON; the rows, most of the model, as length-prefixed strings, which is
// unambiguous and several times faster than JSON for 100,000 rows.
func (d *Disclosure) Hash() string {
	head := *d
	head.Rows = nil
	h := headHash("", head)
	buf := make([]byte, 0, 4096)
	for _, row := range d.Rows {
		buf = binary.AppendUvarint(buf, uint64(len(row.Cells)))
		for _, cell := range row.Cells {
			buf = appendCell(buf, cell)
		}
		if len(buf) > 3072 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// headHash starts a model's hash with a prefix and the model's head (all but its bulk) as
// JSON, which writes maps in key order.
func headHash(prefix string, head any) hash.Hash {
	data, err := json.Marshal(head)
	if err != nil {
		panic(err) // the models hold only strings, numbers, maps of strings and slices
	}
	h := sha256.New()
	h.Write([]byte(prefix))
	h.Write(data)
	return h
}

// appendCell appends a cell as length-prefixed strings (for the hashes).
func appendCell(buf []byte, cell Cell) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(cell)))
	for _, seg := range cell {
		buf = appendString(buf, seg.Text)
		buf = appendString(buf, seg.Ref)
	}
	return buf
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}
