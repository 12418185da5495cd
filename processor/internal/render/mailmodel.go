package render

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// MailDisclosure is everything a disclosure of e-mails shows. Masked text is not in it.
type MailDisclosure struct {
	CaseID, Title, Date string // Title e.g. "Utlämnande av e-postmeddelanden"; Date ÅÅÅÅ-MM-DD
	Authority           Authority
	Court               string            // kammarrätt
	Fields              map[string]string // case values for the letter (as Disclosure.Fields)
	LogCase             string            // the case whose e-mail log was released (e.g. "2026-0001")
	Requested           []int             // the requested log rows (Nr), in order
	Mails               []Mail            // the released e-mails, in Nr order
	Withheld            []WithheldMail    // the requested e-mails not released
	// Provisions is every provision used: the masks in the texts plus the e-mails and
	// attachments withheld for secrecy, each counted once under its provision.
	Provisions []ProvisionLine
	Letter     string // the cover letter template (Markdown with {{fields}})
	Producer   string
	Official   *Official `json:",omitempty"` // as in Disclosure
}

// Mail is one released e-mail.
type Mail struct {
	Nr          int
	Lines       []Cell // the approved (masked) review text, one Cell per line; empty Cell = blank line
	Attachments []AttachmentLine
}

// AttachmentLine is the decision on one attachment of a released e-mail.
type AttachmentLine struct {
	Nr       int
	Name     Cell   // may contain masks
	Decision string // Swedish, e.g. "lämnas ut (bifogas som fil)", "lämnas inte ut: sekretess, 25 kap. 1 § OSL"
}

// WithheldMail is a requested e-mail that is not released.
type WithheldMail struct {
	Nr     int
	Reason string // Swedish title of the reason from the case type
	Ref    string // the provision for a secrecy reason, "" otherwise
}

// Masks counts the masks in the released texts and attachment names.
func (d *MailDisclosure) Masks() int {
	n := 0
	for _, ml := range d.Mails {
		for _, c := range ml.Lines {
			n += cellMasks(c)
		}
		for _, a := range ml.Attachments {
			n += cellMasks(a.Name)
		}
	}
	return n
}

func cellMasks(c Cell) int {
	n := 0
	for _, s := range c {
		if s.Ref != "" {
			n++
		}
	}
	return n
}

// Released reports whether the decision on an attachment releases it whole: it begins
// "lämnas ut" and says nothing of masks. Anything else counts as (partly) withheld, so
// the letter rather tells of the right to a written decision once too often than once too
// seldom.
func (a AttachmentLine) Released() bool {
	d := strings.ToLower(strings.TrimSpace(a.Decision))
	return strings.HasPrefix(d, "lämnas ut") && !strings.Contains(d, "mask")
}

// Hash is the SHA-256 of the model, like Disclosure.Hash: everything but the e-mails as
// JSON, the e-mails as length-prefixed strings (exact for any bytes, and fast).
func (d *MailDisclosure) Hash() string {
	head := *d
	head.Mails = nil
	h := headHash("MailDisclosure\n", head)
	buf := make([]byte, 0, 4096)
	buf = binary.AppendUvarint(buf, uint64(len(d.Mails)))
	for _, ml := range d.Mails {
		buf = binary.AppendVarint(buf, int64(ml.Nr))
		buf = binary.AppendUvarint(buf, uint64(len(ml.Lines)))
		for _, c := range ml.Lines {
			buf = appendCell(buf, c)
			if len(buf) > 3072 {
				h.Write(buf)
				buf = buf[:0]
			}
		}
		buf = binary.AppendUvarint(buf, uint64(len(ml.Attachments)))
		for _, a := range ml.Attachments {
			buf = binary.AppendVarint(buf, int64(a.Nr))
			buf = appendCell(buf, a.Name)
			buf = appendString(buf, a.Decision)
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// check finds a model that would misstate the decision: every requested e-mail is either
// released or withheld (once), the released ones are in Nr order, and every provision shown
// (in a mask or for a withheld e-mail) is in Provisions, which counts at least those.
func (d *MailDisclosure) check() error {
	requested := map[int]bool{}
	for _, nr := range d.Requested {
		if requested[nr] {
			return fmt.Errorf("e-postmeddelande nr %d är begärt två gånger", nr)
		}
		requested[nr] = true
	}
	decided := map[int]bool{}
	decide := func(nr int) error {
		if !requested[nr] {
			return fmt.Errorf("e-postmeddelande nr %d är inte begärt", nr)
		}
		if decided[nr] {
			return fmt.Errorf("e-postmeddelande nr %d har två beslut", nr)
		}
		decided[nr] = true
		return nil
	}
	for i, ml := range d.Mails {
		if i > 0 && ml.Nr <= d.Mails[i-1].Nr {
			return fmt.Errorf("e-postmeddelandena är inte i nummerordning (nr %d efter nr %d)", ml.Nr, d.Mails[i-1].Nr)
		}
		if err := decide(ml.Nr); err != nil {
			return err
		}
	}
	for _, w := range d.Withheld {
		if err := decide(w.Nr); err != nil {
			return err
		}
	}
	for _, nr := range d.Requested {
		if !decided[nr] {
			return fmt.Errorf("e-postmeddelande nr %d saknar beslut", nr)
		}
	}
	counts := d.provisionCounts()
	listed := map[string]int{}
	for _, p := range d.Provisions {
		listed[p.Ref] = p.Count
	}
	for _, ref := range slices.Sorted(maps.Keys(counts)) {
		c := counts[ref]
		n, ok := listed[ref]
		if !ok {
			return fmt.Errorf("bestämmelsen %s används men saknas i sammanställningen", ref)
		}
		if n < c.masks+c.mails {
			return fmt.Errorf("sammanställningen anger %d för %s men den används %d gånger", n, ref, c.masks+c.mails)
		}
	}
	return nil
}

// provisionUse is how often a provision is used in the model: masks, withheld e-mails.
type provisionUse struct{ masks, mails int }

func (d *MailDisclosure) provisionCounts() map[string]provisionUse {
	counts := map[string]provisionUse{}
	count := func(c Cell) {
		for _, s := range c {
			if s.Ref != "" {
				u := counts[s.Ref]
				u.masks++
				counts[s.Ref] = u
			}
		}
	}
	for _, ml := range d.Mails {
		for _, c := range ml.Lines {
			count(c)
		}
		for _, a := range ml.Attachments {
			count(a.Name)
		}
	}
	for _, w := range d.Withheld {
		if w.Ref != "" {
			u := counts[w.Ref]
			u.mails++
			counts[w.Ref] = u
		}
	}
	return counts
}
