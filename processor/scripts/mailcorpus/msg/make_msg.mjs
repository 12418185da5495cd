// Writes Outlook .msg files with @tutao/oxmsg (npm, MIT; a TypeScript port of
// the C# MsgKit library, compound file written by SheetJS cfb).
//
// usage: node make_msg.mjs SPEC.json OUTDIR
//
// SPEC.json is a list of messages made by generate.py.  To make the output
// reproducible the library's two sources of change are pinned for each
// message: the clock (`new Date()` with no argument, used for
// PR_CREATION_TIME / PR_LAST_MODIFICATION_TIME) returns spec.now, and the
// random numbers behind its UUIDs (PR_ENTRYID, PR_RECORD_KEY,
// PR_INSTANCE_KEY) come from a fixed counter sequence.

import crypto from "crypto"
import fs from "fs"
import path from "path"

let counter = 0
crypto.randomFillSync = (buf) => {
    for (let i = 0; i < buf.length; i++) buf[i] = (counter++ * 37 + 11) & 0xff
    return buf
}

let fixedNow = 0
const RealDate = Date
globalThis.Date = class extends RealDate {
    constructor(...args) {
        if (args.length === 0) super(fixedNow)
        else super(...args)
    }
    static now() {
        return fixedNow
    }
}

const { Email, Attachment } = await import("@tutao/oxmsg")

const [specFile, outDir] = process.argv.slice(2)
const spec = JSON.parse(fs.readFileSync(specFile, "utf8"))

for (const m of spec) {
    counter = 0
    fixedNow = RealDate.parse(m.now)
    const e = new Email(false, false)
    e.sender(m.from.email, m.from.name)
    for (const r of m.to || []) e.to(r.email, r.name)
    for (const r of m.cc || []) e.cc(r.email, r.name)
    for (const r of m.bcc || []) e.bcc(r.email, r.name)
    e.subject(m.subject)
    e.bodyText(m.body || "")
    if (m.html) e.bodyHtml(m.html)
    e.sentOn(new Date(m.sent))
    if (m.message_id) e.internetMessageId = m.message_id
    if (m.in_reply_to) e.inReplyToId = m.in_reply_to
    if (m.headers) e.headers(m.headers)
    for (const a of m.attachments || []) {
        e.attach(new Attachment(new Uint8Array(Buffer.from(a.b64, "base64")), a.name, a.cid || ""))
    }
    fs.writeFileSync(path.join(outDir, m.file), e.msg())
}
