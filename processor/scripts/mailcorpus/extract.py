"""Independent parse of an RFC 5322/MIME message into the corpus JSON form.

Uses only Python's `email` package with policy=email.policy.default.  The
rules (also stated in SOURCES.md):

* from/to/cc/bcc: every address of every such header, groups flattened,
  as {"name": display name or "", "email": addr-spec}; [] when absent.
* date: the Date header as RFC 3339 with its own offset; null when absent.
* subject: decoded and unfolded Subject; null when absent.
* message_id: the Message-ID header value with its angle brackets, stripped
  of surrounding white space; null when absent.
* body: msg.get_body(preferencelist=("plain",)) decoded to text; html:
  msg.get_body(preferencelist=("html",)) decoded to text (raw HTML, not
  rendered).  null when there is no such part.  CRLF is turned into LF.
* attachments: every leaf part other than those two body parts, in document
  order, not descending into message/rfc822 (a forwarded message is one
  attachment).  name = part.get_filename() (RFC 2231 and RFC 2047 decoded by
  Python) or null; content_type = part.get_content_type(); size/sha256 of the
  transfer-decoded octets (for message/rfc822: the octets of the embedded
  message as they stand in the file).
"""

import hashlib
import re


def _addresses(msg, name):
    out = []
    for header in msg.get_all(name) or []:
        for a in header.addresses:
            out.append({"name": a.display_name or "", "email": a.addr_spec})
    return out


def _leaves(part, parent=None):
    if part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _leaves(sub, part)
    else:
        yield part, parent


def _embedded_octets(raw, index, parent):
    """Octets of the index-th message/rfc822 part's body as they stand in raw.

    Python re-serialises embedded messages, so the body is located in the raw
    bytes instead: it starts after the part's header block and ends before the
    line break that precedes the enclosing multipart's next delimiter."""
    hits = list(re.finditer(rb"(?im)^content-type:[ \t]*message/rfc822", raw))
    m = hits[index]
    start = re.compile(rb"\r?\n\r?\n").search(raw, m.end()).end()
    delim = re.compile(rb"\r?\n--" + re.escape(parent.get_boundary().encode("ascii")))
    return raw[start : delim.search(raw, start).start()]


def _text(part):
    return part.get_content().replace("\r\n", "\n")


def parse(raw):
    import email
    import email.policy

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    date = None
    if msg["Date"] is not None and msg["Date"].datetime is not None:
        date = msg["Date"].datetime.isoformat()
    subject = str(msg["Subject"]) if msg["Subject"] is not None else None
    message_id = str(msg["Message-ID"]).strip() if msg["Message-ID"] is not None else None

    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))

    attachments = []
    embedded = 0
    for part, parent in _leaves(msg):
        if part is plain or part is html:
            continue
        if part.get_content_type() == "message/rfc822":
            data = _embedded_octets(raw, embedded, parent)
            embedded += 1
        else:
            data = part.get_payload(decode=True) or b""
        attachments.append(
            {
                "name": part.get_filename(),
                "content_type": part.get_content_type(),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )

    return {
        "from": _addresses(msg, "From"),
        "to": _addresses(msg, "To"),
        "cc": _addresses(msg, "Cc"),
        "bcc": _addresses(msg, "Bcc"),
        "date": date,
        "subject": subject,
        "message_id": message_id,
        "body": _text(plain) if plain is not None else None,
        "html": _text(html) if html is not None else None,
        "attachments": attachments,
    }
