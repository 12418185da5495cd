package mailfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// Property IDs (MS-OXPROPS) used here.
const (
	prMessageClass         = 0x001A
	prSubject              = 0x0037
	prClientSubmitTime     = 0x0039
	prSubjectPrefix        = 0x003D
	prSentRepresentingName = 0x0042
	prSentRepresentingAddr = 0x0065
	prSentRepresentingType = 0x0064
	prTransportHeaders     = 0x007D
	prRecipientType        = 0x0C15
	prSenderName           = 0x0C1A
	prSenderAddrType       = 0x0C1E
	prSenderEmail          = 0x0C1F
	prDisplayBcc           = 0x0E02
	prDisplayCc            = 0x0E03
	prDisplayTo            = 0x0E04
	prMessageDeliveryTime  = 0x0E06
	prNormalizedSubject    = 0x0E1D
	prBody                 = 0x1000
	prRTFCompressed        = 0x1009
	prHTML                 = 0x1013
	prInternetMessageID    = 0x1035
	prDisplayName          = 0x3001
	prAddrType             = 0x3002
	prEmailAddress         = 0x3003
	prAttachDataBin        = 0x3701
	prAttachExtension      = 0x3703
	prAttachFilename       = 0x3704
	prAttachMethod         = 0x3705
	prAttachLongFilename   = 0x3707
	prAttachPathname       = 0x3708
	prAttachLongPathname   = 0x370D
	prAttachMimeTag        = 0x370E
	prAttachContentID      = 0x3712
	prAttachFlags          = 0x3714
	prSMTPAddress          = 0x39FE
	prTransmitDisplayName  = 0x3A20
	prInternetCPID         = 0x3FDE
	prMessageCodepage      = 0x3FFD
	prSenderSMTPAddress    = 0x5D01
	prSentRepresentingSMTP = 0x5D02
	prAttachmentHidden     = 0x7FFE
	ptString8              = 0x001E
	ptUnicode              = 0x001F
	ptBinary               = 0x0102
	ptObject               = 0x000D
	ptInt32                = 0x0003
	ptBoolean              = 0x000B
	ptSysTime              = 0x0040
)

type msgNode struct {
	path    string
	streams map[string]*mscfb.File // upper-case name
	subs    map[string]*msgNode    // upper-case name
}

type msgReader struct {
	name string
	lim  Limits
	b    *budget
	m    *Message
	read int64 // bytes read out of the compound file
}

func readMSG(name string, data []byte, lim Limits) (*Message, error) {
	if _, err := checkCFB(data, lim.MaxCFBEntries); err != nil {
		return nil, &Error{File: name, Where: "den sammansatta filen (CFB)", Problem: "Outlook-filen (.msg) är skadad: " + err.Error(),
			Hint: "exportera meddelandet på nytt ur Purview; öppnas det inte i Outlook heller är filen förstörd", Err: err}
	}
	r, err := safeCFB(data)
	if err != nil {
		return nil, &Error{File: name, Where: "den sammansatta filen (CFB)", Problem: "Outlook-filen (.msg) kunde inte läsas: " + err.Error(),
			Hint: "exportera meddelandet på nytt ur Purview", Err: err}
	}
	root := &msgNode{streams: map[string]*mscfb.File{}, subs: map[string]*msgNode{}}
	nodes := map[string]*msgNode{"": root}
	get := func(p []string) *msgNode {
		key := strings.ToUpper(strings.Join(p, "/"))
		if n, ok := nodes[key]; ok {
			return n
		}
		n := root
		for i, s := range p {
			k := strings.ToUpper(strings.Join(p[:i+1], "/"))
			c, ok := nodes[k]
			if !ok {
				c = &msgNode{path: strings.Join(p[:i+1], "/"), streams: map[string]*mscfb.File{}, subs: map[string]*msgNode{}}
				nodes[k] = c
				n.subs[strings.ToUpper(s)] = c
			}
			n = c
		}
		return n
	}
	for i, f := range r.File {
		if i == 0 {
			continue
		}
		parent := get(f.Path)
		if f.FileInfo().IsDir() {
			get(append(append([]string(nil), f.Path...), f.Name))
			continue
		}
		if _, dup := parent.streams[strings.ToUpper(f.Name)]; !dup {
			parent.streams[strings.ToUpper(f.Name)] = f
		}
	}
	if len(root.streams) == 0 {
		return nil, &Error{File: name, Problem: "den sammansatta filen har inga strömmar på översta nivån och är inte ett Outlook-meddelande", Hint: "exportera meddelandet på nytt", Err: ErrNotMail}
	}
	mr := &msgReader{name: name, lim: lim, b: &budget{lim: lim, file: name}, m: &Message{Format: "msg"}}
	if err := mr.message(root, 32, 0, mr.m); err != nil {
		return nil, err
	}
	return mr.m, nil
}

func (mr *msgReader) note(s string) { mr.m.Notes = append(mr.m.Notes, s) }

func (mr *msgReader) notes(s []string) { mr.m.Notes = append(mr.m.Notes, s...) }

// props is the property set of one storage.
type props struct {
	mr    *msgReader
	node  *msgNode
	fixed map[uint32][8]byte
	cp    int // code page for PT_STRING8
	cache map[string][]byte
}

func (mr *msgReader) readStream(f *mscfb.File, limit int64, where string) ([]byte, error) {
	if f.Size > limit {
		return nil, &Error{File: mr.name, Where: where, Problem: fmt.Sprintf("strömmen är %s, större än gränsen %s", humanSize(f.Size), humanSize(limit)),
			Hint: "filen kan vara skadad eller konstruerad för att överbelasta; granska den för hand", Err: ErrLimit}
	}
	if err := mr.b.addDecoded(f.Size, where); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(int(f.Size))
	if _, err := readAllCFB(f, &buf, limit); err != nil {
		return nil, &Error{File: mr.name, Where: where, Problem: "strömmen kunde inte läsas: " + err.Error(), Hint: "exportera meddelandet på nytt", Err: err}
	}
	return buf.Bytes(), nil
}

func (mr *msgReader) props(n *msgNode, headerSize int, where string) (*props, error) {
	p := &props{mr: mr, node: n, fixed: map[uint32][8]byte{}, cache: map[string][]byte{}}
	f := n.streams["__PROPERTIES_VERSION1.0"]
	if f == nil {
		return p, nil
	}
	data, err := mr.readStream(f, 16<<20, where+", strömmen __properties_version1.0")
	if err != nil {
		return nil, err
	}
	if len(data) < headerSize {
		mr.note(fmt.Sprintf("Egenskapsströmmen i %s är kortare än sitt huvud; den hoppades över.", where))
		return p, nil
	}
	for off := headerSize; off+16 <= len(data); off += 16 {
		tag := binary.LittleEndian.Uint32(data[off:])
		var v [8]byte
		copy(v[:], data[off+8:off+16])
		if _, dup := p.fixed[tag]; !dup {
			p.fixed[tag] = v
		}
	}
	return p, nil
}

func streamName(id, typ uint16) string {
	return fmt.Sprintf("__SUBSTG1.0_%04X%04X", id, typ)
}

func (p *props) stream(id, typ uint16) *mscfb.File {
	return p.node.streams[streamName(id, typ)]
}

func (p *props) bytes(id, typ uint16, limit int64) ([]byte, bool, error) {
	f := p.stream(id, typ)
	if f == nil {
		return nil, false, nil
	}
	key := streamName(id, typ)
	if b, ok := p.cache[key]; ok {
		return b, true, nil
	}
	where := p.where(key)
	b, err := p.mr.readStream(f, limit, where)
	if err != nil {
		return nil, false, err
	}
	p.cache[key] = b
	return b, true, nil
}

func (p *props) where(stream string) string {
	if p.node.path == "" {
		return "strömmen " + strings.Replace(stream, "__SUBSTG1.0_", "__substg1.0_", 1)
	}
	return "strömmen " + p.node.path + "/" + strings.Replace(stream, "__SUBSTG1.0_", "__substg1.0_", 1)
}

// str reads a string property: PT_UNICODE (UTF-16LE) first, else
// PT_STRING8 in the message code page.
func (p *props) str(id uint16, what string) (string, bool, error) {
	limit := p.mr.lim.MaxTextSize
	if b, ok, err := p.bytes(id, ptUnicode, limit); err != nil || ok {
		if err != nil {
			return "", false, err
		}
		return decodeUTF16LE(b), true, nil
	}
	b, ok, err := p.bytes(id, ptString8, limit)
	if err != nil || !ok {
		return "", false, err
	}
	b = bytes.TrimRight(b, "\x00")
	s, notes := decodeCodePage(b, p.cp, what)
	p.mr.notes(notes)
	return s, true, nil
}

// strOr is str that ignores absence.
func (p *props) strOr(id uint16, what string) (string, error) {
	s, _, err := p.str(id, what)
	return strings.TrimSpace(s), err
}

func decodeUTF16LE(b []byte) string {
	if len(b)%2 == 1 {
		b = b[:len(b)-1]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	return string(utf16.Decode(u))
}

func (p *props) i32(id uint16) (int, bool) {
	v, ok := p.fixed[uint32(id)<<16|ptInt32]
	if !ok {
		return 0, false
	}
	return int(int32(binary.LittleEndian.Uint32(v[:]))), true
}

func (p *props) boolean(id uint16) bool {
	v, ok := p.fixed[uint32(id)<<16|ptBoolean]
	return ok && (v[0] != 0 || v[1] != 0)
}

func (p *props) time(id uint16) (time.Time, bool) {
	v, ok := p.fixed[uint32(id)<<16|ptSysTime]
	if !ok {
		return time.Time{}, false
	}
	return filetime(binary.LittleEndian.Uint64(v[:]))
}

// filetime converts a FILETIME (100 ns since 1601 UTC); zero and
// implausible values (before 1980 or after 2200) are rejected.
func filetime(ft uint64) (time.Time, bool) {
	if ft == 0 {
		return time.Time{}, false
	}
	secs := int64(ft/10000000) - 11644473600
	nsec := int64(ft%10000000) * 100
	t := time.Unix(secs, nsec).UTC()
	if t.Year() < 1980 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// message reads one message storage (the root, or an embedded message)
// into m.
func (mr *msgReader) message(n *msgNode, headerSize, depth int, m *Message) error {
	where := "meddelandet"
	if n.path != "" {
		where = "det inbäddade meddelandet " + n.path
	}
	if depth > mr.lim.MaxDepth {
		return mr.b.depthError(where)
	}
	p, err := mr.props(n, headerSize, where)
	if err != nil {
		return err
	}
	cp, ok := p.i32(prMessageCodepage)
	if !ok {
		cp, _ = p.i32(prInternetCPID)
	}
	p.cp = cp

	class, err := p.strOr(prMessageClass, "meddelandeklassen")
	if err != nil {
		return err
	}
	if depth == 0 {
		lc := strings.ToLower(class)
		switch {
		case lc == "" || lc == "ipm.note" || strings.HasPrefix(lc, "ipm.note.") && !strings.Contains(lc, "smime") && !strings.HasPrefix(lc, "ipm.note.rules"):
		case strings.Contains(lc, "smime"):
			mr.note(fmt.Sprintf("Meddelandet har klassen %s (S/MIME-signerat eller krypterat); innehållet kan ligga i en bilaga (smime.p7m) som inte avkodas här.", Clean(class)))
		default:
			mr.note(fmt.Sprintf("Meddelandet har klassen %s och är inte ett vanligt e-postmeddelande (t.ex. möte, kontakt eller uppgift).", Clean(class)))
		}
	}

	// transport headers, when the message was received
	var th *headerInfo
	if s, ok, err := p.str(prTransportHeaders, "transporthuvudet"); err != nil {
		return err
	} else if ok && strings.TrimSpace(s) != "" {
		th = parseTransportHeaders(s)
	}

	// subject
	subj, ok, err := p.str(prSubject, "ämnesraden")
	if err != nil {
		return err
	}
	if !ok {
		prefix, _ := p.strOr(prSubjectPrefix, "ämnesradens prefix")
		norm, _, _ := p.str(prNormalizedSubject, "ämnesraden")
		subj = prefix + norm
		if subj == "" && th != nil {
			subj = th.subject
		}
	}
	m.Subject = subj

	if id, err := p.strOr(prInternetMessageID, "Message-ID"); err != nil {
		return err
	} else if id != "" {
		m.MessageID = id
	} else if th != nil {
		m.MessageID = th.messageID
	}

	// date
	if t, ok := p.time(prClientSubmitTime); ok {
		m.Date = t
		if th != nil && !th.date.IsZero() {
			m.Date = t.In(th.date.Location())
		} else if depth == 0 {
			mr.note("Outlook-filen anger sändningstiden i UTC utan avsändarens tidszon; den visas i UTC.")
		}
	} else if th != nil && !th.date.IsZero() {
		m.Date = th.date
	} else if t, ok := p.time(prMessageDeliveryTime); ok {
		m.Date = t
		mr.note("Sändningstid (PR_CLIENT_SUBMIT_TIME) saknas; mottagningstiden (PR_MESSAGE_DELIVERY_TIME) används, i UTC.")
	} else if depth == 0 {
		mr.note("Meddelandet saknar sändningstid; det kan vara ett utkast som aldrig skickats.")
	}

	// sender
	if err := mr.sender(p, th, m); err != nil {
		return err
	}
	// recipients
	if err := mr.recipients(n, p, th, m, depth); err != nil {
		return err
	}
	// body
	if err := mr.body(p, m, depth); err != nil {
		return err
	}
	// attachments
	return mr.attachments(n, p, m, depth)
}

type headerInfo struct {
	from, to, cc, bcc []Address
	date              time.Time
	subject           string
	messageID         string
}

func parseTransportHeaders(s string) *headerInfo {
	s = strings.TrimLeft(s, "\r\n")
	hdr, _ := splitHeader([]byte(s))
	h, _, err := parseHeaderBlock(hdr)
	if err != nil {
		return nil
	}
	hi := &headerInfo{}
	list := func(k string) []Address {
		vals, _ := rawFields(&h, k)
		var out []Address
		for _, v := range vals {
			a, _ := parseAddressList(v, k)
			out = append(out, a...)
		}
		return out
	}
	hi.from, hi.to, hi.cc, hi.bcc = list("From"), list("To"), list("Cc"), list("Bcc")
	if v, ok, _ := rawField(&h, "Date"); ok {
		if t, _, ok := parseDate(v); ok {
			hi.date = t
		}
	}
	if v, ok, _ := rawField(&h, "Subject"); ok {
		hi.subject, _ = decodeWords(v, "")
	}
	if v, ok, _ := rawField(&h, "Message-Id"); ok {
		hi.messageID = messageID(v)
	}
	return hi
}

// smtpAddress returns addr if it is an SMTP address (by its type, or by
// its form when the type is missing); an Exchange (X500) address is not.
func smtpAddress(addr, typ string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return ""
	}
	t := strings.ToUpper(strings.TrimSpace(typ))
	if t == "SMTP" || (t == "" && strings.Contains(addr, "@") && !strings.HasPrefix(addr, "/")) {
		return strings.TrimPrefix(strings.TrimPrefix(addr, "SMTP:"), "smtp:")
	}
	return ""
}

func (mr *msgReader) sender(p *props, th *headerInfo, m *Message) error {
	get := func(id uint16) string {
		s, _ := p.strOr(id, "avsändaren")
		return s
	}
	sName, sAddr, sType, sSMTP := get(prSenderName), get(prSenderEmail), get(prSenderAddrType), get(prSenderSMTPAddress)
	rName, rAddr, rType, rSMTP := get(prSentRepresentingName), get(prSentRepresentingAddr), get(prSentRepresentingType), get(prSentRepresentingSMTP)
	pick := func(name, addr, typ, smtp string) Address {
		a := Address{Name: name}
		if e := smtpAddress(smtp, "SMTP"); e != "" {
			a.Email = e
		} else if e := smtpAddress(addr, typ); e != "" {
			a.Email = e
		}
		return a
	}
	sender := pick(sName, sAddr, sType, sSMTP)
	repr := pick(rName, rAddr, rType, rSMTP)
	from := sender
	switch {
	case repr.Email != "":
		from = repr
		if from.Name == "" && strings.EqualFold(sender.Email, repr.Email) {
			from.Name = sender.Name
		}
		if sender.Email != "" && !strings.EqualFold(sender.Email, repr.Email) {
			mr.note(fmt.Sprintf("Meddelandet skickades av %s för %s räkning; From anger den senare (som i meddelandets From-rubrik).", addrString(sender), addrString(repr)))
		}
	case sender.Email == "" && sender.Name == "":
		from = repr
	case from.Name == "":
		from.Name = repr.Name
	}
	if from.Email == "" {
		if th != nil && len(th.from) > 0 && th.from[0].Email != "" {
			from.Email = th.from[0].Email
			if from.Name == "" {
				from.Name = th.from[0].Name
			}
			if sAddr != "" || rAddr != "" {
				mr.note("Avsändarens adress i Outlook-filen är en Exchange-adress (X500), inte en e-postadress; adressen togs från transporthuvudet.")
			}
		} else if sAddr != "" || rAddr != "" {
			mr.note(fmt.Sprintf("Avsändarens adress är en Exchange-adress (X500), inte en e-postadress, och någon SMTP-adress finns inte i filen (%s).", Clean(firstNonEmpty(rAddr, sAddr))))
		}
	}
	if from.Name != "" || from.Email != "" {
		m.From = []Address{from}
	} else if th != nil && len(th.from) > 0 {
		m.From = th.from
	} else {
		mr.note("Meddelandet saknar avsändare.")
	}
	return nil
}

func addrString(a Address) string {
	if a.Name != "" && a.Email != "" {
		return a.Name + " <" + a.Email + ">"
	}
	return a.Name + a.Email
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// numbered returns the substorages with the prefix, in the order of their
// hex suffix.
func numbered(n *msgNode, prefix string) []*msgNode {
	type ent struct {
		k int64
		n *msgNode
	}
	var es []ent
	for name, c := range n.subs {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		k, err := strconv.ParseInt(strings.TrimPrefix(name, prefix), 16, 64)
		if err != nil {
			k = 1 << 40
		}
		es = append(es, ent{k, c})
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].k != es[j].k {
			return es[i].k < es[j].k
		}
		return es[i].n.path < es[j].n.path
	})
	out := make([]*msgNode, len(es))
	for i, e := range es {
		out[i] = e.n
	}
	return out
}

func (mr *msgReader) recipients(n *msgNode, mp *props, th *headerInfo, m *Message, depth int) error {
	recips := numbered(n, "__RECIP_VERSION1.0_#")
	unresolved := 0
	for _, rn := range recips {
		where := "mottagaren " + rn.path
		if err := mr.b.addPart(where); err != nil {
			return err
		}
		p, err := mr.props(rn, 8, where)
		if err != nil {
			return err
		}
		p.cp = mp.cp
		name, err := p.strOr(prDisplayName, "mottagarens namn")
		if err != nil {
			return err
		}
		if name == "" {
			name, _ = p.strOr(prTransmitDisplayName, "mottagarens namn")
		}
		smtp, _ := p.strOr(prSMTPAddress, "mottagarens adress")
		addr, _ := p.strOr(prEmailAddress, "mottagarens adress")
		typ, _ := p.strOr(prAddrType, "mottagarens adresstyp")
		a := Address{Name: name}
		if e := smtpAddress(smtp, "SMTP"); e != "" {
			a.Email = e
		} else if e := smtpAddress(addr, typ); e != "" {
			a.Email = e
		} else if th != nil {
			for _, h := range append(append(append([]Address(nil), th.to...), th.cc...), th.bcc...) {
				if h.Email != "" && strings.EqualFold(h.Name, name) {
					a.Email = h.Email
					break
				}
			}
		}
		if a.Email == "" && (addr != "" || name != "") {
			unresolved++
		}
		t, ok := p.i32(prRecipientType)
		if !ok {
			t = 1
		}
		switch t & 0x0FFFFFFF {
		case 2:
			m.Cc = append(m.Cc, a)
		case 3:
			m.Bcc = append(m.Bcc, a)
		case 1:
			m.To = append(m.To, a)
		default:
			m.To = append(m.To, a)
			mr.note(fmt.Sprintf("Mottagaren %s har den okända mottagartypen %d; den listas under To.", Clean(addrString(a)), t))
		}
	}
	if unresolved > 0 && depth == 0 {
		mr.note(fmt.Sprintf("%d mottagare har ingen e-postadress i filen (bara en Exchange-adress eller bara ett namn); de listas med namn.", unresolved))
	}
	if len(recips) == 0 {
		if th != nil && len(th.to)+len(th.cc)+len(th.bcc) > 0 {
			m.To, m.Cc, m.Bcc = th.to, th.cc, th.bcc
			mr.note("Outlook-filen saknar mottagarlista; mottagarna togs från transporthuvudet.")
			return nil
		}
		for _, x := range []struct {
			id   uint16
			list *[]Address
		}{{prDisplayTo, &m.To}, {prDisplayCc, &m.Cc}, {prDisplayBcc, &m.Bcc}} {
			s, _ := mp.strOr(x.id, "mottagarnas namn")
			for _, nm := range strings.Split(s, ";") {
				if nm = strings.TrimSpace(nm); nm != "" {
					*x.list = append(*x.list, Address{Name: nm})
				}
			}
		}
		if len(m.To)+len(m.Cc)+len(m.Bcc) > 0 {
			mr.note("Outlook-filen saknar mottagarlista; bara mottagarnas namn (PR_DISPLAY_TO/CC/BCC) finns, utan adresser.")
		}
	}
	return nil
}

func (mr *msgReader) body(p *props, m *Message, depth int) error {
	plain, hasPlain, err := p.str(prBody, "brödtexten")
	if err != nil {
		return err
	}
	if hasPlain {
		if err := mr.b.addText(int64(len(plain)), "brödtexten"); err != nil {
			return err
		}
	}
	// HTML: binary in the internet code page, sometimes a string
	var htmlText string
	hasHTML := false
	if b, ok, err := p.bytes(prHTML, ptBinary, mr.lim.MaxTextSize); err != nil {
		return err
	} else if ok {
		cp, ok := p.i32(prInternetCPID)
		if !ok {
			cp = p.cp
		}
		if cp == 0 {
			if meta := htmlMetaCharset(b); meta != "" {
				s, n := decodeCharset(b, meta, "HTML-texten")
				htmlText = s
				mr.notes(n)
			} else {
				s, n := decodeCodePage(b, 0, "HTML-texten")
				htmlText = s
				mr.notes(n)
			}
		} else {
			s, n := decodeCodePage(bytes.TrimRight(b, "\x00"), cp, "HTML-texten")
			htmlText = s
			mr.notes(n)
		}
		hasHTML = true
	} else if s, ok, err := p.str(prHTML, "HTML-texten"); err != nil {
		return err
	} else if ok {
		htmlText, hasHTML = s, true
	}
	// RTF
	var rtf *rtfResult
	if b, ok, err := p.bytes(prRTFCompressed, ptBinary, mr.lim.MaxFileSize); err != nil {
		return err
	} else if ok {
		left := mr.lim.MaxTextSize - mr.b.text
		raw, truncated, err := decompressRTF(b, max(left, 0))
		if err != nil {
			mr.note("RTF-texten (PR_RTF_COMPRESSED) kunde inte dekomprimeras: " + err.Error() + ".")
		} else {
			if truncated {
				mr.note("RTF-texten (PR_RTF_COMPRESSED) tog slut i förtid; det som fanns lästes.")
			}
			if err := mr.b.addDecoded(int64(len(raw)), "RTF-texten"); err != nil {
				return err
			}
			r := rtfToText(raw, int(max(left, 0)))
			if r.truncated {
				mr.note("RTF-texten var större än textgränsen och kortades av.")
			}
			rtf = &r
			if r.fromHTML && !hasHTML {
				htmlText, hasHTML = r.html, true
			}
		}
	}
	if hasHTML {
		if err := mr.b.addText(int64(len(htmlText)), "HTML-texten"); err != nil {
			return err
		}
	}
	var hres htmlResult
	if hasHTML {
		hres = htmlToText(normalizeNewlines(htmlText))
		if hres.degraded {
			mr.note("HTML-koden är för djupt nästlad för att tolkas fullt ut; texten togs ut förenklat och regeln för dold text kunde inte tillämpas.")
		}
		if hres.hidden != "" {
			m.Other = append(m.Other, Part{ContentType: "text/html; dold", Text: hres.hidden})
			mr.note(fmt.Sprintf("HTML-texten har innehåll som inte visas för läsaren (%s); den texten finns under Other som \"text/html; dold\".", strings.Join(hres.hiddenWhy, ", ")))
		}
	}
	switch {
	case hasPlain && strings.TrimSpace(plain) != "":
		m.Body, m.BodyType = plain, "text/plain"
		if hasHTML {
			if miss := missingWords(hres.compare, plain); len(miss) > 0 {
				m.Other = append(m.Other, Part{ContentType: "text/html", Text: hres.text})
				mr.note(fmt.Sprintf("HTML-texten har ord som saknas i textversionen (%s); HTML-texten finns under Other (dold HTML-del).", wordSample(miss)))
			}
		} else if rtf != nil && !rtf.fromHTML {
			if miss := missingWords(rtf.text, plain); len(miss) > 0 {
				m.Other = append(m.Other, Part{ContentType: "text/rtf", Text: strings.TrimSpace(rtf.text)})
				mr.note(fmt.Sprintf("RTF-texten har ord som saknas i textversionen (%s); RTF-texten finns under Other.", wordSample(miss)))
			}
		}
	case hasHTML:
		m.Body, m.BodyType = hres.text, "text/html"
		if rtf != nil && rtf.fromHTML && !hasPlain {
			mr.note("Brödtexten fanns bara som RTF med inbäddad HTML; HTML-koden togs ut ur RTF-texten och gjordes om till text.")
		}
	case rtf != nil:
		m.Body, m.BodyType = strings.TrimSpace(normalizeNewlines(rtf.text)), "text/plain"
		mr.note("Brödtexten fanns bara som RTF; texten togs ut ur RTF-koden (formateringen förlorades).")
	case hasPlain:
		m.Body, m.BodyType = plain, "text/plain"
	}
	if rtf != nil && strings.TrimSpace(rtf.hidden) != "" {
		m.Other = append(m.Other, Part{ContentType: "text/rtf; dold", Text: strings.TrimSpace(rtf.hidden)})
		mr.note("RTF-texten har dold text (\\v); den finns under Other som \"text/rtf; dold\".")
	}
	return nil
}

func (mr *msgReader) attachments(n *msgNode, mp *props, m *Message, depth int) error {
	htmlLower := ""
	if b, ok := mp.cache[streamName(prHTML, ptBinary)]; ok {
		htmlLower = strings.ToLower(string(b))
	}
	for _, an := range numbered(n, "__ATTACH_VERSION1.0_#") {
		where := "bilagan " + an.path
		if err := mr.b.addPart(where); err != nil {
			return err
		}
		p, err := mr.props(an, 8, where)
		if err != nil {
			return err
		}
		p.cp = mp.cp
		name, _ := p.strOr(prAttachLongFilename, "bilagans namn")
		if name == "" {
			name, _ = p.strOr(prAttachFilename, "bilagans namn")
		}
		if name == "" {
			name, _ = p.strOr(prDisplayName, "bilagans namn")
		}
		ctype, _ := p.strOr(prAttachMimeTag, "bilagans typ")
		ctype = strings.ToLower(ctype)
		method, ok := p.i32(prAttachMethod)
		if !ok {
			method = 1
		}
		cid, _ := p.strOr(prAttachContentID, "bilagans Content-ID")
		flags, _ := p.i32(prAttachFlags)
		inline := p.boolean(prAttachmentHidden) || flags&4 != 0 ||
			(cid != "" && htmlLower != "" && strings.Contains(htmlLower, "cid:"+strings.ToLower(strings.Trim(cid, "<>"))))
		a := Attachment{Name: name, ContentType: ctype, Inline: inline}
		if f := p.stream(prAttachDataBin, ptBinary); f != nil {
			if a.ContentType == "" {
				a.ContentType = "application/octet-stream"
			}
			if err := mr.b.addDecoded(f.Size, where); err != nil {
				return err
			}
			h := sha256.New()
			nb, err := readAllCFB(f, h, mr.lim.MaxFileSize)
			if err != nil {
				return &Error{File: mr.name, Where: where, Problem: "bilagans data kunde inte läsas: " + err.Error(), Hint: "exportera meddelandet på nytt", Err: err}
			}
			a.Size, a.SHA256 = nb, hex.EncodeToString(h.Sum(nil))
		} else if obj := an.subs[strings.ToUpper(streamName(prAttachDataBin, ptObject))]; obj != nil {
			size, sum, err := mr.hashStorage(obj, where)
			if err != nil {
				return err
			}
			a.Size, a.SHA256 = size, sum
			if method == 5 {
				var inner Message
				sub := &msgReader{name: mr.name, lim: mr.lim, b: mr.b, m: &inner}
				if err := sub.message(obj, 24, depth+1, &inner); err != nil {
					return err
				}
				for _, n := range inner.Notes {
					mr.note(fmt.Sprintf("I det inbäddade meddelandet %q: %s", Clean(inner.Subject), n))
				}
				if a.Name == "" {
					a.Name = strings.TrimSpace(inner.Subject)
					if a.Name == "" {
						a.Name = "bifogat-meddelande"
					}
					a.Name += ".msg"
				}
				if a.ContentType == "" {
					a.ContentType = "application/vnd.ms-outlook"
				}
				mr.note(fmt.Sprintf("Bilagan %q är ett inbäddat Outlook-meddelande (ämne %q); dess storlek och SHA-256 avser dess strömmar, inte en fil.", Clean(a.Name), Clean(inner.Subject)))
			} else {
				if a.ContentType == "" {
					a.ContentType = "application/x-oleobject"
				}
				mr.note(fmt.Sprintf("Bilagan %q är ett inbäddat OLE-objekt; dess storlek och SHA-256 avser dess strömmar, inte en fil.", Clean(a.Name)))
			}
		} else {
			path, _ := p.strOr(prAttachLongPathname, "bilagans sökväg")
			if path == "" {
				path, _ = p.strOr(prAttachPathname, "bilagans sökväg")
			}
			if method == 2 || method == 3 || method == 4 || method == 7 || path != "" {
				mr.note(fmt.Sprintf("Bilagan %q är en länk (%s) och har inget innehåll i filen.", Clean(a.Name), Clean(path)))
			} else {
				mr.note(fmt.Sprintf("Bilagan %q saknar innehåll i filen.", Clean(a.Name)))
			}
		}
		m.Attachments = append(m.Attachments, a)
	}
	return nil
}

// hashStorage hashes a storage's streams: for each stream, in sorted path
// order, its path, a NUL, its size (8 bytes LE) and its bytes. It returns
// the total stream size and the hash.
func (mr *msgReader) hashStorage(n *msgNode, where string) (int64, string, error) {
	h := sha256.New()
	var total int64
	var walk func(n *msgNode, prefix string, depth int) error
	walk = func(n *msgNode, prefix string, depth int) error {
		if depth > mr.lim.MaxDepth*3 {
			return mr.b.depthError(where)
		}
		names := make([]string, 0, len(n.streams))
		for k := range n.streams {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			f := n.streams[k]
			if err := mr.b.addDecoded(f.Size, where); err != nil {
				return err
			}
			io.WriteString(h, prefix+k)
			h.Write([]byte{0})
			var sz [8]byte
			binary.LittleEndian.PutUint64(sz[:], uint64(f.Size))
			h.Write(sz[:])
			nb, err := readAllCFB(f, h, mr.lim.MaxFileSize)
			if err != nil {
				return &Error{File: mr.name, Where: where, Problem: "strömmen " + Clean(k) + " kunde inte läsas: " + err.Error(), Hint: "exportera meddelandet på nytt", Err: err}
			}
			total += nb
		}
		subs := make([]string, 0, len(n.subs))
		for k := range n.subs {
			subs = append(subs, k)
		}
		sort.Strings(subs)
		for _, k := range subs {
			if err := walk(n.subs[k], prefix+k+"/", depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(n, "", 0); err != nil {
		return 0, "", err
	}
	return total, hex.EncodeToString(h.Sum(nil)), nil
}
