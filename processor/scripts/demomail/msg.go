package main

// An Outlook message file (MS-OXMSG) in a compound file: the message's properties
// in __properties_version1.0 (fixed-size values) and __substg1.0_TTTTTTTT streams
// (strings, binaries), one storage per recipient and per attachment, and the
// (here empty) named property mapping __nameid_version1.0.

import (
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf16"
)

// Property types (MS-OXCDATA 2.11.1).
const (
	ptLong    = 0x0003
	ptBoolean = 0x000B
	ptSysTime = 0x0040
	ptUnicode = 0x001F
	ptBinary  = 0x0102
)

// msgCLSID is the CLSID Outlook gives a message file's root storage
// ({00020D0B-0000-0000-C000-000000000046}, in its on-disk byte order).
var msgCLSID = [16]byte{0x0B, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}

// prop is one MAPI property: tag = id<<16 | type.
type prop struct {
	tag   uint32
	data  []byte // variable size (the stream's content)
	fixed uint64 // fixed size
}

func (p prop) typ() uint16 { return uint16(p.tag) }

func unicodeProp(tag uint32, s string) prop {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return prop{tag: tag, data: b}
}

func binaryProp(tag uint32, b []byte) prop { return prop{tag: tag, data: b} }

func longProp(tag uint32, v int32) prop { return prop{tag: tag, fixed: uint64(uint32(v))} }

func boolProp(tag uint32, v bool) prop {
	if v {
		return prop{tag: tag, fixed: 1}
	}
	return prop{tag: tag}
}

// timeProp is a PtypTime: a FILETIME, 100 ns units since 1601-01-01 UTC.
func timeProp(tag uint32, t time.Time) prop {
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	return prop{tag: tag, fixed: uint64(t.Unix()+epochDiff)*10000000 + uint64(t.Nanosecond()/100)}
}

func fixedSize(typ uint16) bool { return typ == ptLong || typ == ptBoolean || typ == ptSysTime }

// propertyNodes returns the streams of one property set: a __substg1.0_ stream per
// variable-size property and __properties_version1.0 with header before the entries.
func propertyNodes(props []prop, header []byte) []*node {
	var nodes []*node
	ps := append([]byte(nil), header...)
	for _, p := range props {
		var e [16]byte
		binary.LittleEndian.PutUint32(e[0:], p.tag)
		binary.LittleEndian.PutUint32(e[4:], 0x6) // PROPATTR_READABLE | PROPATTR_WRITABLE
		if fixedSize(p.typ()) {
			binary.LittleEndian.PutUint64(e[8:], p.fixed)
		} else {
			size := uint32(len(p.data))
			if p.typ() == ptUnicode {
				size += 2 // MS-OXMSG 2.4.2.2: the size counts the terminating null, the stream does not hold it
			}
			binary.LittleEndian.PutUint32(e[8:], size)
			nodes = append(nodes, stream(fmt.Sprintf("__substg1.0_%08X", p.tag), p.data))
		}
		ps = append(ps, e[:]...)
	}
	return append(nodes, stream("__properties_version1.0", ps))
}

// outlookMsg is a top-level message with its recipients' and attachments' properties.
type outlookMsg struct {
	props   []prop
	recips  [][]prop
	attachs [][]prop
}

func (m *outlookMsg) build() ([]byte, error) { return writeCFB(msgCLSID, m.nodes()...) }

// nodes are the message's streams and storages.
func (m *outlookMsg) nodes() []*node {
	// Top-level header (32 bytes): 8 reserved, next recipient ID, next attachment ID,
	// recipient count, attachment count, 8 reserved.
	hdr := make([]byte, 32)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(len(m.recips)))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(len(m.attachs)))
	binary.LittleEndian.PutUint32(hdr[16:], uint32(len(m.recips)))
	binary.LittleEndian.PutUint32(hdr[20:], uint32(len(m.attachs)))
	nodes := propertyNodes(m.props, hdr)
	// No named properties: the three mapping streams are empty.
	nodes = append(nodes, storage("__nameid_version1.0",
		stream("__substg1.0_00020102", nil), stream("__substg1.0_00030102", nil), stream("__substg1.0_00040102", nil)))
	for i, r := range m.recips {
		nodes = append(nodes, storage(fmt.Sprintf("__recip_version1.0_#%08X", i), propertyNodes(r, make([]byte, 8))...))
	}
	for i, a := range m.attachs {
		nodes = append(nodes, storage(fmt.Sprintf("__attach_version1.0_#%08X", i), propertyNodes(a, make([]byte, 8))...))
	}
	return nodes
}

// buildMsg writes m as an Outlook .msg, as Purview exports a received message.
func buildMsg(m *demoMail) ([]byte, error) { return outlook(m).build() }

func outlook(m *demoMail) *outlookMsg {
	from, to := m.from(), m.to()
	props := []prop{
		unicodeProp(0x001A001F, "IPM.Note"),
		unicodeProp(0x0037001F, m.row.Subject),       // PR_SUBJECT
		unicodeProp(0x0E1D001F, m.row.Subject),       // PR_NORMALIZED_SUBJECT (no prefix)
		unicodeProp(0x0070001F, m.row.Subject),       // PR_CONVERSATION_TOPIC
		unicodeProp(0x0C1A001F, from.Name),           // PR_SENDER_NAME
		unicodeProp(0x0C1E001F, "SMTP"),              // PR_SENDER_ADDRTYPE
		unicodeProp(0x0C1F001F, from.Email),          // PR_SENDER_EMAIL_ADDRESS
		unicodeProp(0x5D01001F, from.Email),          // PR_SENDER_SMTP_ADDRESS
		unicodeProp(0x0042001F, from.Name),           // PR_SENT_REPRESENTING_NAME
		unicodeProp(0x0064001F, "SMTP"),              // PR_SENT_REPRESENTING_ADDRTYPE
		unicodeProp(0x0065001F, from.Email),          // PR_SENT_REPRESENTING_EMAIL_ADDRESS
		unicodeProp(0x5D02001F, from.Email),          // PR_SENT_REPRESENTING_SMTP_ADDRESS
		unicodeProp(0x0E04001F, displayTo(to)),       // PR_DISPLAY_TO
		timeProp(0x00390040, m.sent),                 // PR_CLIENT_SUBMIT_TIME
		timeProp(0x0E060040, m.received),             // PR_MESSAGE_DELIVERY_TIME
		longProp(0x0E070003, 0x01|0x10),              // PR_MESSAGE_FLAGS: read, has attachment
		boolProp(0x0E1B000B, len(m.attach) > 0),      // PR_HASATTACH
		unicodeProp(0x1035001F, m.messageID()),       // PR_INTERNET_MESSAGE_ID
		unicodeProp(0x007D001F, m.transportHeader()), // PR_TRANSPORT_MESSAGE_HEADERS: the Date zone
		unicodeProp(0x1000001F, crlf(m.body)),        // PR_BODY
		longProp(0x3FDE0003, 65001),                  // PR_INTERNET_CPID: UTF-8
	}
	var recips [][]prop
	for _, a := range to {
		recips = append(recips, []prop{
			unicodeProp(0x3001001F, a.Name),  // PR_DISPLAY_NAME
			unicodeProp(0x3002001F, "SMTP"),  // PR_ADDRTYPE
			unicodeProp(0x3003001F, a.Email), // PR_EMAIL_ADDRESS
			unicodeProp(0x39FE001F, a.Email), // PR_SMTP_ADDRESS
			unicodeProp(0x3A20001F, a.Name),  // PR_TRANSMITABLE_DISPLAY_NAME
			longProp(0x0C150003, 1),          // PR_RECIPIENT_TYPE: To
		})
	}
	var attachs [][]prop
	for _, a := range m.attach {
		attachs = append(attachs, []prop{
			unicodeProp(0x3001001F, a.name),          // PR_DISPLAY_NAME
			unicodeProp(0x3704001F, a.name),          // PR_ATTACH_FILENAME
			unicodeProp(0x3707001F, a.name),          // PR_ATTACH_LONG_FILENAME
			unicodeProp(0x3703001F, a.ext()),         // PR_ATTACH_EXTENSION
			unicodeProp(0x370E001F, a.mimeType),      // PR_ATTACH_MIME_TAG
			longProp(0x37050003, 1),                  // PR_ATTACH_METHOD: by value
			longProp(0x0E200003, int32(len(a.data))), // PR_ATTACH_SIZE
			binaryProp(0x37010102, a.data),           // PR_ATTACH_DATA_BIN
		})
	}
	return &outlookMsg{props: props, recips: recips, attachs: attachs}
}
