"""Small, deterministic attachment payloads for the mail corpus.

Everything here is built from the Python standard library only, with fixed
inputs, so every run yields the same bytes.  The content is fictitious.
"""

import struct
import zipfile
import zlib
import io


def pdf(title, lines):
    """A minimal but valid one-page PDF 1.4 with Helvetica text.

    `title` and `lines` may hold Latin-1 characters; they are written in
    WinAnsiEncoding (octal escapes for non-ASCII).  Returns bytes.
    """

    def esc(s):
        out = []
        for ch in s:
            code = ord(ch)
            if ch in "()\\":
                out.append("\\" + ch)
            elif 32 <= code < 127:
                out.append(ch)
            else:
                b = ch.encode("cp1252")
                out.append("".join("\\%03o" % x for x in b))
        return "".join(out)

    text_ops = ["BT", "/F1 14 Tf", "72 770 Td", "(%s) Tj" % esc(title), "/F1 11 Tf"]
    for line in lines:
        text_ops.append("0 -18 Td")
        text_ops.append("(%s) Tj" % esc(line))
    text_ops.append("ET")
    stream = ("\n".join(text_ops) + "\n").encode("latin-1")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + esc(title).encode("latin-1") + b") "
        b"/Producer (utlamnande mailcorpus generator) "
        b"/CreationDate (D:20240301120000+01'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return bytes(out)


def png(width=16, height=16, seed=0):
    """A small RGB PNG with a deterministic gradient pattern."""

    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw += bytes(
                (
                    (x * 16 + seed * 40) & 0xFF,
                    (y * 16 + seed * 70) & 0xFF,
                    ((x ^ y) * 12 + seed * 90) & 0xFF,
                )
            )

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


_DOCX_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>
"""

_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>
"""


def docx(paragraphs):
    """A minimal WordprocessingML package (stored, not deflated, fixed
    timestamps) holding the given paragraphs."""

    def xml_escape(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    body = "".join(
        "<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % xml_escape(p)
        for p in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>%s</w:body></w:document>\n" % body
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in (
            ("[Content_Types].xml", _DOCX_CT),
            ("_rels/.rels", _DOCX_RELS),
            ("word/document.xml", document),
        ):
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 12, 0, 0))
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()
