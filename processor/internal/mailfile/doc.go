// Package mailfile reads e-mails exported by Microsoft Purview eDiscovery:
// single .eml (MIME) and .msg (Outlook compound file) files, a folder of
// them, or a .zip of them.
//
// # Entry points
//
// Read takes one file's bytes and decides the format by content, not by
// extension (an extension that disagrees gives a Note). ReadSource takes a
// folder (read recursively) or a .zip (zips inside are read too, to
// MaxZipDepth) and returns the messages sorted by File, the files it
// skipped with the reason, and — together in a *SourceError — the errors
// of files that should have been messages but could not be read (one bad
// file does not stop the others). A non-nil error from ReadSource means
// the result is incomplete; the messages returned are still correct.
// ReadWithLimits and ReadSourceWithLimits are the same with other Limits
// than DefaultLimits.
//
// What is skipped, never silently: report files of the export (.csv,
// .xml, .log, .tsv: Items.csv, Summary.csv, Manifest.xml, …), macOS
// metadata (__MACOSX/, ._*), system files (.DS_Store, Thumbs.db,
// desktop.ini), compound files that are not messages, and any other file
// that is neither MIME nor .msg by content. A .pst/.ost is an error (ErrPST)
// that says how to get single messages: export as individual messages in
// Purview, or convert with readpst -e from Debian's pst-utils. A file named
// .eml/.msg whose content is not e-mail is an error, not a skip.
//
// Errors (type *Error) are Swedish, name the file and where in it (part,
// header, stream), and give a hint; they wrap ErrLimit, ErrPST or
// ErrNotMail where that applies. Error texts, Notes and Skipped reasons
// never contain control characters (see Clean). Notes are Swedish
// sentences for the reviewer about each decision the reader made.
//
// # MIME (.eml)
//
// Headers are read with github.com/emersion/go-message/textproto after
// lines that are not header fields are dropped (Note). Values are unfolded
// as RFC 5322 says (the CRLF is removed, the whitespace kept). RFC 2047
// encoded words are decoded anywhere in Subject, display names and
// parameter values (also inside quotes, as Outlook writes them); adjacent
// encoded words are joined and their bytes decoded together, so a
// character split across two words survives. Address lists are parsed
// leniently (groups, bare addresses; comments are ignored, also in
// "addr (Name)", as RFC 5322 says).
// Dates are RFC 5322 with the obsolete forms; the zone is kept as written;
// a missing date falls back to the oldest Received header (Note).
//
// Content-Type and Content-Disposition parameters are parsed here, because
// the standard library drops RFC 2231 values in charsets other than UTF-8:
// continuations (name*0, name*1*), charset'lang'%XX (any charset, Note when
// not UTF-8), and RFC 2047 inside values. Multipart bodies are split in
// memory at their boundary (RFC 2046); a missing close delimiter gives a
// Note. Transfer encodings base64 and quoted-printable are decoded
// leniently (Note when something was odd); unknown ones are read as is
// (Note).
//
// The Body is the first text/plain or text/html part that is not an
// attachment (no filename/name, disposition not "attachment"; a part
// without Content-Type is text/plain); in
// multipart/alternative the text/plain alternative is chosen, else the
// HTML one; in multipart/related the root (start parameter, else the
// first part). Further body texts in a multipart/mixed (text after an
// attachment) are appended to Body after a blank line, with a Note. When
// the plain alternative is chosen and the HTML alternative has words the
// plain text lacks, the HTML text goes to Other as "text/html" with a Note
// (a hidden HTML part). Every other part is an attachment; an attached
// message (message/rfc822) is listed as one, named by its filename or its
// subject + ".eml" (its SHA-256 is of its octets as they stand). Other
// nameless attachments keep an empty Name. Inline is set for
// Content-Disposition inline and for the non-root parts of
// multipart/related. Attachments are decoded straight into SHA-256 and
// never held whole. S/MIME, multipart/encrypted and winmail.dat (TNEF)
// parts are listed and get a Note that their content is not read.
//
// # Charsets
//
// Charsets are decoded with github.com/emersion/go-message/charset, with
// these decisions where the label is missing or wrong (each with a Note):
// no charset and 8-bit bytes, or us-ascii with 8-bit bytes, or an unknown
// charset: UTF-8 if the bytes are valid UTF-8, else windows-1252.
// iso-8859-1 is read as windows-1252 (Note only when bytes 0x80–0x9F,
// where they differ, occur). Invalid UTF-8 labelled UTF-8 is read as
// windows-1252 when it has no valid multi-byte sequence at all, else as
// UTF-8 with U+FFFD. 8-bit bytes in headers: UTF-8 if valid (RFC 6532),
// else windows-1252. An HTML part without charset uses its <meta charset>.
// Body and Other use \n line endings; control characters other than tab
// and newline, and bidirectional overrides, are removed (Note).
// format=flowed text is unwrapped.
//
// # Outlook (.msg)
//
// The compound file is first checked (cfb.go): every sector chain that
// will be followed is walked once with a visited bit per sector, so a
// cyclic or cross-linked chain, a chain shorter or longer than its size,
// or a size larger than the file is an error before
// github.com/richardlehane/mscfb reads anything; reads through mscfb are
// chunked and bounded. Properties come from the __substg1.0_IIIITTTT
// streams (variable size) and __properties_version1.0 (fixed size; header
// 32 bytes for the message, 24 for an embedded message, 8 for recipients
// and attachments). Strings are PT_UNICODE (UTF-16LE) or PT_STRING8 in
// PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID, else the charset rule.
//
// From follows MS-OXCMAIL: PR_SENT_REPRESENTING_* (the From: of the mail)
// if present, else PR_SENDER_* (0x0C1A name, 0x0C1F address); the address
// is the SMTP one (0x5D02/0x5D01 first); an Exchange X500 address is not an
// e-mail address, so the address then comes from the transport headers
// (0x007D), or stays empty with a Note. When sender and represented
// mailbox differ, a Note names both. Recipients come from
// __recip_version1.0_#N (0x3001 name, 0x39FE then 0x3003 address, 0x0C15
// type 1 To, 2 Cc, 3 Bcc); without recipient storages, from the transport
// headers, else PR_DISPLAY_TO/CC/BCC names (Note). Date is
// PR_CLIENT_SUBMIT_TIME, shown in the zone of the transport header's Date
// when there is one, else UTC (Note); else PR_MESSAGE_DELIVERY_TIME
// (Note). Body: PR_BODY; else the HTML (PR_HTML 0x1013, binary in
// PR_INTERNET_CPID); else the HTML encapsulated in PR_RTF_COMPRESSED
// (decompressed per MS-OXRTFCP, de-encapsulated per MS-OXRTFEX); else the
// text of the RTF (Note) — never silently empty. The HTML or RTF is
// compared with PR_BODY as for MIME alternatives. Attachments come from
// __attach_version1.0_#N (0x3707, 0x3704, 0x3001 name; 0x370E type; 0x3701
// data hashed while read; no 0x370E: application/octet-stream); Inline when
// PR_ATTACHMENT_HIDDEN, the ATT_MHTML_REF flag of PR_ATTACH_FLAGS, or a
// Content-ID (0x3712) that the HTML refers to (cid:). An embedded message
// (0x3701 as a storage, method 5) or OLE object is listed with the total
// size of its streams and a SHA-256 over them (each stream in sorted path
// order: path, NUL, 8-byte size, bytes) — not a file hash, so a Note says
// so. Notes about an embedded message name it. Reference attachments have
// no content (Note). A message class other than IPM.Note (meeting, contact,
// task; S/MIME) gets a Note. RTF: \'hh is decoded in the \ansicpg code page
// (font charsets, \fcharset, are not applied); \uN with \ucN; fonttbl,
// colortbl, stylesheet, info, pict, field instructions and other non-text
// destinations are skipped.
//
// # HTML to text
//
// HTML is parsed with golang.org/x/net/html (scripting off, so <noscript>
// content counts as text) and walked without recursion. Block elements
// (p, div, h1–h6, li, tr, table, blockquote, pre, hr, …) start a new line;
// <br> is a line break; whitespace collapses as a browser does, except in
// <pre>/<textarea>; &nbsp; is a space that does not collapse; entities are
// decoded; zero-width characters and soft hyphens are dropped. Lists:
// "- " (ordered: "1. "), two spaces of indent per nesting level. Tables:
// one row per line, cells separated by " | " (empty cells add no
// separator; a block inside a cell still breaks the line). Links keep
// their text, followed by " (URL)" when the URL differs from the text
// (ignoring scheme, www., mailto: and a trailing slash; not for #, cid:,
// data:, javascript:). Images show "[bild: alt]" when they have alt text.
// At most two blank lines in a row; trailing spaces are trimmed. The
// parser refuses more than 512 open elements; such HTML is read with the
// tokenizer instead (tags of block elements break lines), and a Note says
// that the hidden-content rule could not be applied.
//
// The hidden-content rule. Not text at all, dropped without a Note: <head>
// (with <title>, <style>, <meta>), <script>, <style>, <template>,
// comments (also Outlook's conditional comments), <input>, <iframe>.
// Hidden from the reader but carried by the mail, so NOT dropped: an
// element with the hidden attribute, or whose inline style (or a simple
// .class / #id rule of the document's <style>, outside @media) has
// display:none, visibility:hidden|collapse, font-size 0 (any unit),
// mso-hide:all, opacity 0, or a zero height/width with overflow:hidden.
// Its whole subtree's text goes to Other as Part{ContentType:
// "text/html; dold"} (one block per hidden element) with a Note naming the
// rules that hid it; it is not in Body. Colour (white on white) is not
// judged: such text stays in Body. A descendant that re-shows itself
// (visibility:visible inside visibility:hidden) is still counted hidden.
// For RTF, text marked \v goes to Other as "text/rtf; dold" the same way.
//
// Word comparisons (alternatives, HTML/RTF against PR_BODY) use the
// visible text without link targets and alt texts, split into lower-case
// runs of letters and digits.
//
// # Limits
//
// Every read is bounded whatever the input (Limits, DefaultLimits): file
// size 100 MiB; decoded content 256 MiB per message; text kept in memory
// 32 MiB per message; 1,000 parts (MIME parts, or .msg recipients +
// attachments); nesting depth 20 (multipart, embedded messages); 1 MiB per
// header block; 100,000 compound-file directory entries; 200,000 files per
// source; a zip on disk, with the zips inside it, may unpack to at most
// 20 times its size plus 100 MiB in all (zip bombs), and zips nest at most
// 2 deep (a nested zip is read into memory, at most 400 MiB; a zip on disk
// is read in place, never loaded). A declared size is never used to
// allocate: zip entries are read through a limit, .msg streams must fit in
// the file, RTF output is capped by the text limit, not by its header.
// Exceeding a limit is an *Error wrapping ErrLimit.
package mailfile
