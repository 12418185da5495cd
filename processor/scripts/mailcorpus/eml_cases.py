"""The .eml cases of the corpus.

Each case is a dict with
  name      file name (without directory)
  writer    which tool wrote the bytes (goes into SOURCES.md)
  about     what the case covers
  build     function returning the message bytes
  override  optional {field: value} applied to Python's parse, with
  note      the reason (and what Python itself decoded)

All people, addresses, numbers and organisations are fictitious; the
personal-data-looking strings ("Anna Andersson", "19121212-1212",
"070-1740605") are canaries for the masking code.
"""

import base64
import datetime
import email.policy
import email.utils
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import blobs

CET = datetime.timezone(datetime.timedelta(hours=1))
CEST = datetime.timezone(datetime.timedelta(hours=2))
UTC = datetime.timezone.utc


def date(y, mo, d, h, mi, tz=CET):
    return email.utils.format_datetime(datetime.datetime(y, mo, d, h, mi, 0, tzinfo=tz))


# --- fictitious people ------------------------------------------------------

KARIN = ("Karin Lindqvist", "karin.lindqvist@region.example")
ANNA = ("Anna Andersson", "anna.andersson@mail.example")
BJORN = ("Björn Åkesson", "bjorn.akesson@region.example")
REG = ("Registrator", "registrator@region.example")
ORJAN = ("Örjan Ström", "orjan.strom@mail.example")
MARTA = ("Märta Sjöström", "marta.sjostrom@region.example")
GORAN = ("Göran Åberg", "goran.aberg@region.example")
ASA = ("Åsa Öhman", "asa.ohman@mail.example")
PER = ("Per Öberg", "per.oberg@region.example")
LENA = ("Lena Ek", "lena.ek@region.example")


def fmt(person):
    return email.utils.formataddr(person)


# --- attachment payloads ----------------------------------------------------

PDF_ARSRAPPORT = blobs.pdf(
    "Årsrapport 2023",
    ["Nämnden för äldreomsorg", "Handläggare: Anna Andersson", "Personnummer 19121212-1212"],
)
PDF_PROTOKOLL = blobs.pdf("Protokoll 2024-03-12", ["§ 12 Upphandling av städtjänster", "Justerat."])
PDF_FAKTURA = blobs.pdf("Faktura 2024-0042", ["Belopp: 1 250 €", "Förfallodag 2024-04-30"])
DOCX_YTTRANDE = blobs.docx(
    ["Yttrande över remiss", "Anna Andersson, 19121212-1212, har ansökt om bistånd.", "Beslut: bifall."]
)
DOCX_MOTE = blobs.docx(["Mötesanteckningar maj", "Närvarande: Per Öberg, Lena Ek."])
PNG_LOGO = blobs.png(16, 16, seed=1)
PNG_FOTO = blobs.png(24, 16, seed=2)
PNG_KARTA = blobs.png(12, 12, seed=3)
TXT_ANTECKNING = "Anteckning från telefonsamtal med Anna Andersson, 070-1740605.\nÅtergår i vecka 12.\n".encode(
    "utf-8"
)


# --- helpers for hand-built raw messages --------------------------------------

_Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def qword(text, charset, letter="Q"):
    """One RFC 2047 'Q' encoded word, written by hand."""
    out = []
    for b in text.encode(charset):
        if b == 0x20:
            out.append("_")
        elif b in _Q_SAFE:
            out.append(chr(b))
        else:
            out.append("=%02X" % b)
    return "=?%s?%s?%s?=" % (charset, letter, "".join(out))


def bword(text, charset, letter="B"):
    """One RFC 2047 'B' encoded word, written by hand."""
    return "=?%s?%s?%s?=" % (charset, letter, base64.b64encode(text.encode(charset)).decode("ascii"))


def raw_message(headers, body, linesep=b"\n"):
    """Join header lines (str, ASCII) and a body (bytes) into a message."""
    head = linesep.join(h.encode("ascii") for h in headers)
    if linesep != b"\n":
        body = body.replace(b"\r\n", b"\n").replace(b"\n", linesep)
    return head + linesep + linesep + body


def finish(msg, tag, policy=None):
    """Give every multipart a fixed boundary and serialise."""
    for i, part in enumerate(msg.walk()):
        if part.is_multipart() and part.get_content_maintype() == "multipart" and part.get_boundary() is None:
            part.set_boundary("=_%s_%02d_utlamnande" % (tag, i))
    if policy is not None:
        return msg.as_bytes(policy=policy)
    return msg.as_bytes()


def new_email(subject, sender, to, when, mid, cc=None):
    msg = EmailMessage()
    msg["From"] = fmt(sender)
    msg["To"] = ", ".join(fmt(p) for p in to)
    if cc:
        msg["Cc"] = ", ".join(fmt(p) for p in cc)
    msg["Subject"] = subject
    msg["Date"] = when
    msg["Message-ID"] = mid
    return msg


PY_EM = "python3 email.message.EmailMessage (policy=email.policy.default)"
PY_LEGACY = "python3 legacy email.mime classes (policy=compat32)"
PY_RAW = "hand-built raw bytes (python3 generator, encoded words/parameters written by hand)"


# --- the cases --------------------------------------------------------------


def c01():
    msg = new_email(
        "Begäran om allmän handling – e-post från januari",
        ORJAN,
        [REG],
        date(2024, 2, 5, 9, 12),
        "<20240205091200.4711@mail.example>",
    )
    msg.set_content(
        "Hej,\n\n"
        "Jag begär att få ta del av e-postkorrespondensen mellan förvaltningen och\n"
        "Anna Andersson (19121212-1212) under januari 2024.\n\n"
        "Med vänliga hälsningar\n"
        "Örjan Ström\n"
        "Storgatan 1, 123 45 Småstad\n"
    )
    return finish(msg, "c01")


def c02():
    headers = [
        "From: %s <%s>" % (qword(BJORN[0], "utf-8"), BJORN[1]),
        "To: %s <%s>" % (qword("Länsstyrelsens registratur", "UTF-8"), REG[1]),
        "Subject: %s" % qword("Begäran om allmän handling – dnr 2024-0117", "utf-8"),
        "Date: Thu, 14 Mar 2024 10:15:00 +0100 (CET)",
        "Message-ID: <q-utf8-0117@region.example>",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    body = "Hej!\n\nBifogar begäran i dnr 2024-0117 enligt vårt samtal.\n\nBjörn\n".encode("utf-8")
    return raw_message(headers, body)


def c03():
    headers = [
        "From: %s <%s>" % (bword(MARTA[0], "UTF-8"), MARTA[1]),
        "To: %s <%s>" % (bword(ANNA[0], "UTF-8"), ANNA[1]),
        "Cc: %s <%s>, %s <%s>" % (bword(PER[0], "UTF-8"), PER[1], bword("Lön & Förmåner", "UTF-8"), "lon@region.example"),
        "Subject: %s" % bword("Svar på din fråga om löneutbetalningen", "UTF-8"),
        "Date: Tue, 09 Jan 2024 16:45:00 +0100",
        "Message-ID: <b-utf8-lon-42@region.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    body = (
        "Hej Anna,\n\nLönen för december betalas ut den 25:e. Ditt personnummer\n"
        "19121212-1212 är nu rättat i systemet.\n\nMärta\nLöneenheten\n"
    ).encode("utf-8")
    return raw_message(headers, body)


def c04():
    subj = qword("Möte i Småland", "iso-8859-1", "q") + " " + qword(" och på Öland", "iso-8859-1", "q")
    headers = [
        "From: %s <%s>" % (qword(GORAN[0], "ISO-8859-1"), GORAN[1]),
        "To: %s <%s>" % (qword(ASA[0], "iso-8859-1"), ASA[1]),
        "Subject: %s" % subj,
        "Date: Wed, 21 Feb 2024 08:30:00 +0100",
        "Message-ID: <q-latin1-moete@region.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=iso-8859-1",
        "Content-Transfer-Encoding: quoted-printable",
    ]
    body = (
        b"Hej =C5sa!\n\nVi ses p=E5 m=F6tet i V=E4xj=F6 n=E4sta vecka. Ta med "
        b"underlaget om\n=F6versv=E4mningarna p=E5 =D6land.\n\nH=E4lsningar\nG=F6ran\n"
    )
    return raw_message(headers, body)


def c05():
    headers = [
        "From: %s <%s>" % (bword(LENA[0] + " på Miljöförvaltningen", "ISO-8859-1"), LENA[1]),
        "To: %s <%s>" % (bword(ASA[0], "ISO-8859-1"), ASA[1]),
        "Subject: Sv: %s (dnr 2024/17)" % bword("Klagomål på buller från fläktar", "ISO-8859-1"),
        "Date: Fri, 23 Feb 2024 13:05:00 +0100",
        "Message-ID: <b-latin1-buller-17@region.example>",
        "In-Reply-To: <buller-17@mail.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=ISO-8859-1",
        "Content-Transfer-Encoding: 8bit",
    ]
    body = (
        "Hej Åsa,\n\nTack för ditt klagomål. Vi gör en mätning hos dig på\n"
        "Ängsvägen 3 under vecka 10.\n\nLena Ek\nMiljöinspektör\n"
    ).encode("iso-8859-1")
    return raw_message(headers, body)


def c06():
    msg = new_email(
        "Kallelse till sammanträde med nämnden för äldreomsorg och funktionshinderfrågor – "
        "ärenden om upphandling, ombyggnad av särskilt boende på Ängsgården samt årsredovisning 2023",
        KARIN,
        [PER, LENA],
        date(2024, 6, 11, 14, 0, CEST),
        "<kallelse-2024-06-11@region.example>",
    )
    msg.set_content(
        "Välkomna till nämndens sammanträde den 18 juni kl. 13.00 i Stora salen.\n\n"
        "Handlingarna finns i mötesportalen.\n"
    )
    return finish(msg, "c06")


def c07():
    headers = [
        "From: %s" % fmt(("Ekonomi", "ekonomi@region.example")),
        "To: %s" % fmt(("Leverantör AB", "faktura@leverantor.example")),
        "Subject: Faktura 2024-0042",
        "Date: Mon, 04 Mar 2024 11:20:00 +0100",
        "Message-ID: <cp1252-8bit-0042@region.example>",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="windows-1252"',
        "Content-Transfer-Encoding: 8bit",
    ]
    body = (
        "Hej,\n\nFakturan på 1 250 € är betald – se ”Bilaga 2” i vårt ärende.\n"
        "Kontaktperson: Anna Andersson … tel. 070-1740605.\n\nEkonomienheten\n"
    ).encode("cp1252")
    return raw_message(headers, body)


def c08():
    msg = new_email("Påminnelse – obetald avgift", ("Ekonomi", "ekonomi@region.example"), [ANNA],
                    date(2024, 3, 6, 9, 0), "<cp1252-qp-avgift@region.example>")
    msg.set_content(
        "Hej Anna Andersson,\n\nVi har inte fått betalt för avgiften på 450 € – vänligen betala\n"
        "senast ”den 30 mars”. Ange referens 19121212-1212.\n\nMed vänlig hälsning\nEkonomienheten\n",
        charset="windows-1252",
        cte="quoted-printable",
    )
    return finish(msg, "c08")


def c09():
    msg = MIMEText(
        "Hej!\n\nHär kommer svaret på er förfrågan om öppettider på Åsbergets fritidsgård:\n"
        "måndag–fredag stängt under sommaren, lördagar öppet 10–14.\n\nFörvaltningen\n".replace("–", "-"),
        "plain",
        "iso-8859-1",
    )
    msg["From"] = fmt(("Fritidsförvaltningen", "fritid@region.example"))
    msg["To"] = fmt(ORJAN)
    msg["Subject"] = "Öppettider"
    msg["Date"] = date(2024, 5, 2, 15, 30, CEST)
    msg["Message-ID"] = "<legacy-latin1-oppet@region.example>"
    return msg.as_bytes()


def c10():
    msg = new_email("Underlag till budget 2025", KARIN, [PER], date(2024, 9, 3, 8, 15, CEST),
                    "<base64-budget-2025@region.example>")
    msg.set_content(
        "Hej Per,\n\nHär är mina kommentarer till budgetunderlaget:\n"
        "– lokalkostnaderna för Ängsgården ökar med 4 %\n"
        "– bemanningen i hemtjänsten är oförändrad\n\nKarin\n",
        cte="base64",
    )
    return finish(msg, "c10")


def c11():
    headers = [
        "From: %s" % fmt(("Gamla systemet", "noreply-gammalt@region.example")),
        "To: %s" % fmt(KARIN),
        "Subject: Flyttat mote",
        "Date: Thu, 07 Mar 2024 07:55:00 +0100",
        "Message-ID: <usascii-8bit-flytt@region.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 8bit",
    ]
    body = "Mötet med Anna Andersson flyttas – nu på fredag kl. 9. Kostnad för lokalen: 120 €.\n".encode("cp1252")
    return raw_message(headers, body)


C11_BODY = "Mötet med Anna Andersson flyttas – nu på fredag kl. 9. Kostnad för lokalen: 120 €.\n"


def c12():
    headers = [
        "From: %s" % fmt(("Skrivare vaning 3", "scanner3@region.example")),
        "To: %s" % fmt(LENA),
        "Subject: Skannat dokument",
        "Date: Fri, 08 Mar 2024 12:01:00 +0100",
        "MIME-Version: 1.0",
        "Content-Type: text/plain",
    ]
    body = "Skannat från enhet på våning 3. Ärende: Åtgärdsföreläggande, avgift 2 000 €.\n".encode("cp1252")
    return raw_message(headers, body)


C12_BODY = "Skannat från enhet på våning 3. Ärende: Åtgärdsföreläggande, avgift 2 000 €.\n"

HTML_ONLY = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>Nyhetsbrev</title></head>
<body>
<h1>Nyhetsbrev fr&aring;n f&ouml;rvaltningen</h1>
<p>Hej&nbsp;alla! H&auml;r &auml;r m&aring;nadens nyheter &ndash; &quot;kort&quot; &amp; koncist.</p>
<ul>
  <li>Ny taxa: 120&nbsp;&euro; per timme</li>
  <li>Sommarst&auml;ngt v. 28&ndash;31</li>
  <li>Kontakt: Anna Andersson, 070&#8209;1740605</li>
</ul>
<ol><li>F&ouml;rsta punkten</li><li>Andra punkten</li></ol>
<table border="1">
  <tr><th>Enhet</th><th>Telefon</th></tr>
  <tr><td>Registratur</td><td>010-123&nbsp;00&nbsp;00</td></tr>
  <tr><td>&Auml;ldreomsorg</td><td>010-123&nbsp;00&nbsp;01</td></tr>
</table>
<p>L&auml;s mer p&aring; <a href="https://www.region.example/nyheter?ar=2024&amp;man=3">v&aring;r webbplats</a>.</p>
</body>
</html>
"""


def c13():
    msg = new_email("Nyhetsbrev mars", ("Kommunikation", "kommunikation@region.example"), [KARIN],
                    date(2024, 3, 1, 8, 0), "<html-only-nyhetsbrev-3@region.example>")
    msg.set_content(HTML_ONLY, subtype="html")
    return finish(msg, "c13")


def c14():
    msg = new_email("Protokoll från arbetsplatsträffen", LENA, [KARIN, PER], date(2024, 3, 12, 16, 20),
                    "<alt-apt-0312@region.example>")
    msg.set_content("Hej!\n\nProtokollet från APT finns nu i Teams.\n\n/Lena\n")
    msg.add_alternative(
        "<html><body><p>Hej!</p><p>Protokollet fr&aring;n <b>APT</b> finns nu i Teams.</p>"
        "<p>/Lena</p></body></html>\n",
        subtype="html",
    )
    return finish(msg, "c14")


def c15():
    msg = new_email("Sv: Ansökan om bistånd", KARIN, [LENA], date(2024, 3, 13, 10, 2),
                    "<hidden-html-bistand@region.example>")
    msg.set_content("Hej Lena,\n\nSe bifogat.\n\nKarin\n")
    msg.add_alternative(
        "<html><body><p>Hej Lena,</p><p>Se bifogat.</p>"
        "<p>Jag bifogar även Anna Anderssons personnummer 19121212-1212 och hennes "
        "nya adress Ängsvägen 3, 123 45 Småstad.</p>"
        "<p>Karin</p></body></html>\n",
        subtype="html",
    )
    return finish(msg, "c15")


def c16():
    msg = new_email("Inbjudan till informationsmöte", ("Kommunikation", "kommunikation@region.example"),
                    [ANNA], date(2024, 4, 2, 9, 30, CEST), "<display-none-inbjudan@region.example>")
    msg.set_content("Välkommen till informationsmöte den 15 april kl. 18 i Folkets hus.\n")
    msg.add_alternative(
        "<html><head><style>.dold{display:none}</style></head><body>"
        '<span style="display:none !important; mso-hide:all; font-size:0">'
        "Förhandsrad: gäller Anna Andersson 19121212-1212</span>"
        "<p>Välkommen till informationsmöte den 15 april kl. 18 i Folkets hus.</p>"
        '<div class="dold">Intern notering: ring 070-1740605 före mötet.</div>'
        "<!-- kommentar: ärendet rör skyddad identitet -->"
        '<p style="color:#ffffff">vit text på vit bakgrund</p>'
        "</body></html>\n",
        subtype="html",
    )
    return finish(msg, "c16")


def c17():
    outer = MIMEMultipart("related", boundary="=_c17_related_utlamnande")
    outer["From"] = fmt(("Kommunikation", "kommunikation@region.example"))
    outer["To"] = fmt(KARIN)
    outer["Subject"] = "Ny logotyp"
    outer["Date"] = date(2024, 3, 18, 13, 45)
    outer["Message-ID"] = "<related-logo@region.example>"
    html = MIMEText(
        '<html><body><p>Så här ser den nya logotypen ut:</p><p><img src="cid:logo.2024@region.example" '
        'alt="Logotyp"></p></body></html>\n',
        "html",
        "utf-8",
    )
    outer.attach(html)
    img = MIMEImage(PNG_LOGO, "png")
    img["Content-ID"] = "<logo.2024@region.example>"
    img.add_header("Content-Disposition", "inline", filename="logo.png")
    outer.attach(img)
    return outer.as_bytes()


def c18():
    msg = new_email("Handlingar i ärende 2024-0117", KARIN, [ORJAN], date(2024, 3, 20, 15, 10),
                    "<attachments-0117@region.example>")
    msg.set_content("Hej Örjan,\n\nHär kommer de begärda handlingarna.\n\nKarin Lindqvist\nRegistrator\n")
    msg.add_attachment(PDF_ARSRAPPORT, maintype="application", subtype="pdf", filename="Arsrapport-2023.pdf")
    msg.add_attachment(
        DOCX_YTTRANDE,
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="Yttrande.docx",
    )
    msg.add_attachment(TXT_ANTECKNING, maintype="text", subtype="plain", filename="anteckning.txt")
    msg.add_attachment(PNG_FOTO, maintype="image", subtype="png", filename="foto.png")
    return finish(msg, "c18")


def c19():
    name1 = "Årsredovisning 2023 för nämnden.pdf"
    pct = "".join(chr(b) if (b < 128 and chr(b).isalnum()) or chr(b) in "-." else "%%%02X" % b for b in name1.encode("iso-8859-1"))
    name2 = "Mötesanteckningar från arbetsplatsträffen i maj – slutversion.txt"
    pct2 = "".join(chr(b) if (b < 128 and chr(b).isalnum()) or chr(b) in "-." else "%%%02X" % b for b in name2.encode("utf-8"))
    half = len(pct2) // 2
    while pct2[half - 1] == "%" or pct2[half - 2] == "%":  # never split a %XX
        half += 1
    headers = [
        "From: %s" % fmt(("Registrator", "registrator@region.example")),
        "To: %s" % fmt(ORJAN),
        "Subject: Handlingar med svenska filnamn",
        "Date: Thu, 21 Mar 2024 09:00:00 +0100",
        "Message-ID: <rfc2231-latin1@region.example>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="=_c19_mixed"',
    ]
    text = "Hej,\n\nSe bifogade filer.\n".encode("utf-8")
    body = (
        b"This is a multi-part message in MIME format.\n\n--=_c19_mixed\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + text + b"\n"
        b"--=_c19_mixed\nContent-Type: application/pdf\n"
        b"Content-Disposition: attachment;\n filename*=iso-8859-1''" + pct.encode("ascii") + b"\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(PDF_PROTOKOLL) + b"\n"
        b"--=_c19_mixed\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Disposition: attachment;\n filename*0*=utf-8''" + pct2[:half].encode("ascii") + b";\n"
        b" filename*1*=" + pct2[half:].encode("ascii") + b"\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(TXT_ANTECKNING) + b"\n"
        b"--=_c19_mixed--\n"
    )
    return raw_message(headers, body)


def c20():
    docx_name = "Yttrande över remiss – Ängsgården.docx"
    pdf_name = "Mötesanteckning.pdf"
    headers = [
        "From: %s <%s>" % (qword(PER[0], "utf-8"), PER[1]),
        "To: %s" % fmt(KARIN),
        "Subject: Yttrande och anteckning",
        "Date: Fri, 22 Mar 2024 10:30:00 +0100",
        "Message-ID: <rfc2047-names@region.example>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="----=_NextPart_000_0012_01DA7C3B.5E6F7A80"',
    ]
    b = b"------=_NextPart_000_0012_01DA7C3B.5E6F7A80"
    body = (
        b"This is a multipart message in MIME format.\n\n" + b + b"\n"
        b'Content-Type: text/plain;\n\tcharset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
        b"Hej Karin, h=C3=A4r =C3=A4r yttrandet.\n\n" + b + b"\n"
        b"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\n"
        b'\tname="' + bword(docx_name, "utf-8").encode("ascii") + b'"\n'
        b"Content-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment;\n"
        b'\tfilename="' + bword(docx_name, "utf-8").encode("ascii") + b'"\n\n'
        + base64.encodebytes(DOCX_MOTE) + b"\n" + b + b"\n"
        b"Content-Type: application/octet-stream;\n"
        b'\tname="' + qword(pdf_name, "iso-8859-1").encode("ascii") + b'"\n'
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(PDF_FAKTURA) + b"\n" + b + b"--\n"
    )
    return raw_message(headers, body)


def c21():
    inner = new_email("Klagomål på snöröjningen", ANNA, [("Gatukontoret", "gata@region.example")],
                      date(2024, 1, 15, 7, 40), "<snorojning-original@mail.example>")
    inner.set_content(
        "Hej!\n\nGatan utanför Ängsvägen 3 har inte plogats på en vecka.\n\n"
        "Anna Andersson\n19121212-1212\n070-1740605\n"
    )
    finish(inner, "c21i")
    outer = new_email("VB: Klagomål på snöröjningen", ("Gatukontoret", "gata@region.example"), [KARIN],
                      date(2024, 1, 15, 9, 5), "<vb-snorojning@region.example>")
    outer.set_content("Karin,\n\nVidarebefordrar för diarieföring.\n\n/Gatukontoret\n")
    outer.add_attachment(inner, filename="Klagomål på snöröjningen.eml")
    return finish(outer, "c21")


MANY_TO = [
    ("Andersson, Anna", "anna.andersson@mail.example"),
    ("Berg, Bo", "bo.berg@region.example"),
    ("Carlsson, Cecilia", "cecilia.carlsson@region.example"),
    ("Dahl, David", "david.dahl@region.example"),
    ("Ek, Lena", "lena.ek@region.example"),
    ("Fors, Fredrik", "fredrik.fors@region.example"),
    ("Gustafsson, Greta", "greta.gustafsson@region.example"),
    ("Holm, Hans", "hans.holm@region.example"),
    ("Isaksson, Ingrid", "ingrid.isaksson@region.example"),
    ("Jönsson, Johan", "johan.jonsson@region.example"),
    ("Karlsson, Kerstin", "kerstin.karlsson@region.example"),
    ("Lund, Lars", "lars.lund@region.example"),
    ("Månsson, Maria", "maria.mansson@region.example"),
    ("Nilsson, Nils", "nils.nilsson@region.example"),
    ("Olsson, Olga", "olga.olsson@region.example"),
    ("Persson, Pia", "pia.persson@region.example"),
    ("", "kvalitet@region.example"),
    ("Rydberg, Rolf", "rolf.rydberg@region.example"),
    ("Sandberg, Sara", "sara.sandberg@region.example"),
    ("Törnqvist, Tove", "tove.tornqvist@region.example"),
    ("Ullman, Ulf", "ulf.ullman@region.example"),
    ("Vik, Vera", "vera.vik@region.example"),
    ("Wallin, Wilhelm", "wilhelm.wallin@region.example"),
    ("Åström, Åke", "ake.astrom@region.example"),
    ("Öhman, Östen", "osten.ohman@region.example"),
]
MANY_CC = [
    ("Nämndsekreterare", "namndsekreterare@region.example"),
    ("Äldreomsorgen", "aldreomsorg@region.example"),
    ("", "arkiv@region.example"),
    ("Björn Åkesson", "bjorn.akesson@region.example"),
    ("Märta Sjöström", "marta.sjostrom@region.example"),
    ("Göran Åberg", "goran.aberg@region.example"),
    ("Facket (Vision)", "vision@mail.example"),
    ("Kommunal avd. 5", "kommunal5@mail.example"),
    ("Revisorerna", "revision@region.example"),
    ("Per Öberg", "per.oberg@region.example"),
    ("IT-support", "it@region.example"),
    ("Kommunikation", "kommunikation@region.example"),
]


def c22():
    msg = new_email("Information till all personal om omorganisationen", KARIN, MANY_TO,
                    date(2024, 8, 20, 7, 30, CEST), "<many-recipients-omorg@region.example>", cc=MANY_CC)
    msg.set_content("Hej alla,\n\nFrån den 1 oktober slås enheterna ihop. Mer information kommer.\n\nKarin\n")
    return finish(msg, "c22")


def c23():
    msg = new_email("Automatisk avisering: ärende 2024-0311 har registrerats",
                    ("Diariet (automatiskt)", "noreply@region.example"), [KARIN],
                    date(2024, 10, 7, 8, 0, UTC), "<arende-2024-0311.avisering@diarie.region.example>")
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Mailer"] = "Diariesystem 9.4"
    msg.set_content("Ärende 2024-0311 har registrerats.\nHandläggare: Karin Lindqvist\nSekretess: nej\n")
    return finish(msg, "c23")


PURVIEW_HTML = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
    'xmlns="http://www.w3.org/TR/REC-html40">\n'
    '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n'
    '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
    "<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:Aptos;}\n"
    "p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:12.0pt;\n\t"
    "font-family:\"Aptos\",sans-serif;}\n--></style>\n</head>\n"
    '<body lang="SV" link="#467886" vlink="#96607D" style="word-wrap:break-word">\n'
    '<div class="WordSection1">\n'
    '<p class="MsoNormal">Hej G&ouml;ran,<o:p></o:p></p>\n'
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
    '<p class="MsoNormal">Jag har pratat med Anna Andersson om bygglovet p&aring; '
    "&Auml;ngsv&auml;gen 3. Hon &aring;terkommer med ritningar.<o:p></o:p></p>\n"
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
    '<p class="MsoNormal">H&auml;lsningar<o:p></o:p></p>\n'
    '<p class="MsoNormal">Lena Ek<o:p></o:p></p>\n'
    "</div>\n</body>\n</html>\n"
)


def _qp_latin1(text):
    import quopri

    return quopri.encodestring(text.encode("iso-8859-1"))


def c24():
    boundary = "_000_DB9PR05MB81234A1B2C3D4E5F6A7B8C9D0E1FDB9PR05MB8123eurp_"
    headers = [
        "Received: from DB9PR05MB8123.eurprd05.prod.mail.example (2603:10a6:10:2c1::9)",
        " by AM0PR05MB6789.eurprd05.prod.mail.example with HTTPS; Tue, 16 Apr 2024",
        " 07:12:44 +0000",
        "From: Lena Ek <lena.ek@region.example>",
        "To: =?iso-8859-1?Q?G=F6ran_=C5berg?= <goran.aberg@region.example>",
        "Subject: Bygglov =?iso-8859-1?Q?=C4ngsv=E4gen?= 3",
        "Thread-Topic: Bygglov =?iso-8859-1?Q?=C4ngsv=E4gen?= 3",
        "Thread-Index: AdqPy3J0bWFpbHRlc3QxMjM0NTY3ODkwYWJj",
        "Date: Tue, 16 Apr 2024 07:12:43 +0000",
        "Message-ID: <DB9PR05MB81234A1B2C3D4E5F6A7B8C9D0E1F@DB9PR05MB8123.eurprd05.prod.mail.example>",
        "Accept-Language: sv-SE, en-US",
        "Content-Language: sv-SE",
        "X-MS-Has-Attach:",
        "X-MS-TNEF-Correlator:",
        "X-MS-Exchange-Organization-SCL: -1",
        "X-MS-Exchange-Organization-AuthSource: DB9PR05MB8123.eurprd05.prod.mail.example",
        "X-MS-Exchange-Organization-AuthAs: Internal",
        "X-MS-Exchange-Organization-AuthMechanism: 04",
        "X-MS-Exchange-Organization-Network-Message-Id: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "X-MS-Exchange-Organization-MessageDirectionality: Originating",
        "X-MS-Exchange-Transport-EndToEndLatency: 00:00:01.2345678",
        "X-MS-Exchange-Processed-By-BccFoldering: 15.20.7472.000",
        "x-ms-publictraffictype: Email",
        "x-ms-traffictypediagnostic: DB9PR05MB8123:EE_|AM0PR05MB6789:EE_",
        "X-MS-Exchange-CrossTenant-Id: 11111111-2222-3333-4444-555555555555",
        "Content-Type: multipart/alternative;",
        '\tboundary="%s"' % boundary,
        "MIME-Version: 1.0",
    ]
    plain = (
        "Hej Göran,\r\n\r\nJag har pratat med Anna Andersson om bygglovet på Ängsvägen 3. "
        "Hon återkommer med ritningar.\r\n\r\nHälsningar\r\nLena Ek\r\n"
    )
    b = b"--" + boundary.encode()
    body = (
        b + b"\n"
        b'Content-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable\n\n'
        + _qp_latin1(plain.replace("\r\n", "\n"))
        + b"\n" + b + b"\n"
        b'Content-Type: text/html; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable\n\n'
        + _qp_latin1(PURVIEW_HTML)
        + b"\n" + b + b"--\n"
    )
    return raw_message(headers, body, linesep=b"\r\n")


def c25():
    msg = new_email("Schema för vecka 14", LENA, [KARIN], date(2024, 3, 27, 17, 0),
                    "<crlf-schema-14@region.example>")
    msg.set_content("Hej!\n\nHär är schemat för vecka 14. Anna Andersson jobbar kväll på tisdag.\n\nLena\n")
    msg.add_attachment(PDF_PROTOKOLL, maintype="application", subtype="pdf", filename="schema-v14.pdf")
    return finish(msg, "c25", policy=email.policy.SMTP)


def c26():
    words = ("Lorem ipsum dolor sit amet – protokollet från nämnden, där Anna Andersson "
             "(19121212-1212) nämns i § 7; ").split(" ")
    line = []
    n = 0
    while len(" ".join(line)) < 20000:
        line.append(words[n % len(words)])
        n += 1
    long_line = " ".join(line).strip()
    headers = [
        "From: %s" % fmt(("Systemexport", "export@region.example")),
        "To: %s" % fmt(KARIN),
        "Subject: %s" % qword("Export med mycket lång rad", "utf-8"),
        "Date: Tue, 02 Apr 2024 11:11:00 +0200",
        "Message-ID: <long-line-export@region.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    body = ("Början.\n" + long_line + "\nSlut.\n").encode("utf-8")
    return raw_message(headers, body)


def c27():
    outer = MIMEMultipart("mixed", boundary="===============c27legacy==")
    outer["From"] = fmt(BJORN)
    outer["To"] = ", ".join(fmt(p) for p in (KARIN, LENA))
    outer["Subject"] = "Protokoll och karta (legacy email.mime)"
    outer["Date"] = date(2024, 4, 4, 8, 45, CEST)
    outer["Message-ID"] = "<legacy-mime-mixed@region.example>"
    outer.preamble = "This is a multi-part message in MIME format."
    outer.attach(MIMEText("Hej,\n\nBifogar protokoll och karta över Ängsgården.\n\nBjörn\n", "plain", "utf-8"))
    pdf = MIMEApplication(PDF_PROTOKOLL, "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="protokoll.pdf")
    outer.attach(pdf)
    img = MIMEImage(PNG_KARTA, "png")
    img.add_header("Content-Disposition", "attachment", filename="karta.png")
    outer.attach(img)
    return outer.as_bytes()


def c28():
    msg = EmailMessage()
    msg["From"] = fmt(KARIN)
    msg["To"] = "undisclosed-recipients:;"
    msg["Bcc"] = ", ".join(fmt(p) for p in (ANNA, ORJAN, ("", "journalist@mail.example")))
    msg["Reply-To"] = fmt(REG)
    msg["Subject"] = "Sv: Begäran om allmän handling"
    msg["Date"] = date(2024, 3, 22, 14, 14)
    msg["Message-ID"] = "<bcc-undisclosed@region.example>"
    msg["In-Reply-To"] = "<20240205091200.4711@mail.example>"
    msg["References"] = "<20240205091200.4711@mail.example>"
    msg.set_content("Hej,\n\nHandlingarna skickas till samtliga som begärt dem.\n\nKarin\n")
    return finish(msg, "c28")


def c29():
    headers = [
        "From: %s <formular@region.example>" % qword("Webbformulär", "utf-8"),
        "To: %s" % fmt(REG),
        "Subject: %s" % qword("Synpunkt via webben – äldreomsorg", "utf-8"),
        "Date: Sat, 06 Apr 2024 22:03:00 +0200",
        "Message-ID: <qp-soft-breaks@region.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
    ]
    body = (
        b"Namn: Anna Andersson=0APersonnummer: 19121212-1212=0A=0AJag vill l=C3=A4mna en synpunkt p=\n"
        b"=C3=A5 =C3=A4ldreomsorgen. Min mamma har inte f=C3=A5tt sin medicin i tid, o=\n"
        b"ch personalen p=C3=A5 =C3=84ngsg=C3=A5rden svarar inte i telefon. Det h=C3=\n"
        b"=A4r =C3=A4r tredje g=C3=A5ngen i =C3=A5r.=20\n"
        b"Ring mig p=C3=A5 070-1740605.\n"
    )
    return raw_message(headers, body)


C29_BODY = (
    "Namn: Anna Andersson\nPersonnummer: 19121212-1212\n\nJag vill lämna en synpunkt på äldreomsorgen. "
    "Min mamma har inte fått sin medicin i tid, och personalen på Ängsgården svarar inte i telefon. "
    "Det här är tredje gången i år. \nRing mig på 070-1740605.\n"
)


def c30():
    msg = new_email("Inbjudan med bild och program", ("Kommunikation", "kommunikation@region.example"),
                    [KARIN, LENA], date(2024, 5, 14, 10, 0, CEST), "<mixed-alt-related@region.example>")
    msg.set_content("Välkommen på personalfest!\n\nSe programmet i bilagan.\n")
    msg.add_alternative(
        '<html><body><p>V&auml;lkommen p&aring; <b>personalfest</b>!</p>'
        '<p><img src="cid:fest.bild@region.example" alt="Festbild"></p>'
        "<p>Se programmet i bilagan.</p></body></html>\n",
        subtype="html",
    )
    msg.get_payload()[1].add_related(PNG_LOGO, "image", "png", cid="<fest.bild@region.example>",
                                     disposition="inline", filename="festbild.png")
    msg.add_attachment(PDF_PROTOKOLL, maintype="application", subtype="pdf", filename="program.pdf")
    return finish(msg, "c30")


def c31():
    headers = [
        "From: %s <%s>" % (qword(PER[0], "utf-8"), PER[1]),
        "To: %s" % fmt(KARIN),
        "Subject: %s" % qword("Bild från besiktningen", "utf-8"),
        "Date: Mon, 15 Apr 2024 12:34:00 +0200",
        "Message-ID: <inline-parts-besiktning@mail.example>",
        "MIME-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))",
        'Content-Type: multipart/mixed; boundary="Apple-Mail=_C31-0000-1111-2222"',
    ]
    b = b"--Apple-Mail=_C31-0000-1111-2222"
    body = (
        b"\n" + b + b"\n"
        b"Content-Transfer-Encoding: 7bit\nContent-Type: text/plain;\n\tcharset=us-ascii\n\n"
        b"Hej Karin, har ar bilden:\n\n" + b + b"\n"
        b"Content-Disposition: inline;\n\tfilename=besiktning.png\n"
        b"Content-Type: image/png;\n\tx-unix-mode=0644;\n\tname=\"besiktning.png\"\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(PNG_FOTO) + b"\n" + b + b"\n"
        b"Content-Transfer-Encoding: quoted-printable\nContent-Type: text/plain;\n\tcharset=utf-8\n\n"
        b"Sprickan syns tydligt i h=C3=B6rnet.\n\n/Per\n" + b + b"--\n"
    )
    return raw_message(headers, body)


CASES = [
    dict(name="01_plain_utf8.eml", writer=PY_EM, build=c01,
         about="plain text/plain UTF-8 8bit body; subject and From name encoded by Python; +0100; canaries"),
    dict(name="02_rfc2047_q_utf8.eml", writer=PY_RAW, build=c02,
         about="Subject, From and To names as RFC 2047 Q encoded words in UTF-8; Date with '(CET)' comment"),
    dict(name="03_rfc2047_b_utf8.eml", writer=PY_RAW, build=c03,
         about="Subject and names as RFC 2047 B encoded words in UTF-8; Cc with two encoded names; canaries"),
    dict(name="04_rfc2047_q_latin1.eml", writer=PY_RAW, build=c04,
         about="lower-case q encoded words in ISO-8859-1, two adjacent words (the white space between "
               "them must vanish); ISO-8859-1 quoted-printable body"),
    dict(name="05_rfc2047_b_latin1.eml", writer=PY_RAW, build=c05,
         about="B encoded words in ISO-8859-1 mixed with plain text ('Sv: … (dnr 2024/17)'); "
               "ISO-8859-1 8bit body; In-Reply-To"),
    dict(name="06_folded_long_subject.eml", writer=PY_EM, build=c06,
         about="a 170-character Swedish subject that Python folds over several lines of encoded words; +0200",
         note="Python 3.11's folder dropped the space between 'på' and 'Ängsgården' at a fold (two encoded "
              "words separated only by folding white space, which RFC 2047 says to ignore), so the bytes "
              "say 'påÄngsgården' and so does the JSON; a reader that keeps that white space is wrong."),
    dict(name="07_windows1252_8bit.eml", writer=PY_RAW, build=c07,
         about="windows-1252 8bit body with €, ”, – and …"),
    dict(name="08_windows1252_qp.eml", writer=PY_EM, build=c08,
         about="windows-1252 quoted-printable body (set_content charset=windows-1252) with €, ”, –; canaries"),
    dict(name="09_latin1_legacy_mimetext.eml", writer=PY_LEGACY, build=c09,
         about="legacy MIMEText with charset iso-8859-1 (Python picks quoted-printable); +0200"),
    dict(name="10_base64_utf8.eml", writer=PY_EM, build=c10,
         about="UTF-8 text/plain body in base64"),
    dict(name="11_usascii_label_8bit.eml", writer=PY_RAW, build=c11,
         about="8-bit windows-1252 octets in a part labelled charset=us-ascii",
         override={"body": C11_BODY},
         note="Python decodes the octets as us-ascii with errors='replace' and shows U+FFFD for ö, –, å "
              "and €; the JSON holds what a correct reader should show, the windows-1252 decoding."),
    dict(name="12_no_charset.eml", writer=PY_RAW, build=c12,
         about="text/plain with no charset parameter and no Content-Transfer-Encoding, windows-1252 octets; "
               "no Message-ID header",
         override={"body": C12_BODY},
         note="Python assumes us-ascii and shows U+FFFD for each 8-bit octet; the JSON holds the "
              "windows-1252 decoding (message_id is null: there is no Message-ID header)."),
    dict(name="13_html_only.eml", writer=PY_EM, build=c13,
         about="text/html only (no plain part) with entities (&auml; &nbsp; &euro; &ndash; &#8209;), "
               "ul/ol lists, a table and a link"),
    dict(name="14_alternative.eml", writer=PY_EM, build=c14,
         about="multipart/alternative with text/plain and text/html saying the same"),
    dict(name="15_hidden_html_part.eml", writer=PY_EM, build=c15,
         about="multipart/alternative whose HTML part holds a paragraph with personal data that the plain "
               "part lacks (a 'hidden HTML part')"),
    dict(name="16_html_display_none.eml", writer=PY_EM, build=c16,
         about="HTML with a display:none preheader span, a div hidden through a CSS class, an HTML comment "
               "and white-on-white text, none of it in the plain part"),
    dict(name="17_related_inline_image.eml", writer=PY_LEGACY, build=c17,
         about="multipart/related: HTML root referring to cid:logo.2024@region.example and an inline PNG "
               "with that Content-ID (no plain part)"),
    dict(name="18_attachments.eml", writer=PY_EM, build=c18,
         about="plain body plus four attachments: PDF, DOCX (zip), UTF-8 .txt and PNG"),
    dict(name="19_attachment_rfc2231.eml", writer=PY_RAW, build=c19,
         about="attachment names in RFC 2231 form: filename*=iso-8859-1''%C5rsredovisning… and a UTF-8 "
               "name split in two continuations (filename*0*/filename*1*)"),
    dict(name="20_attachment_rfc2047_name.eml", writer=PY_RAW, build=c20,
         about="Outlook-style parts: a DOCX whose name/filename are RFC 2047 B encoded words (UTF-8) and an "
               "application/octet-stream PDF with only Content-Type name= in ISO-8859-1 Q (no "
               "Content-Disposition); tab-folded parameters; From name Q encoded"),
    dict(name="21_forwarded_rfc822.eml", writer=PY_EM, build=c21,
         about="forwarded message as a message/rfc822 attachment (the inner message carries the canaries); "
               "the attachment is not expanded in the JSON"),
    dict(name="22_many_recipients.eml", writer=PY_EM, build=c22,
         about="25 To and 12 Cc addresses, names with commas (quoted), parentheses, å/ä/ö and some "
               "without a name; +0200"),
    dict(name="23_date_utc.eml", writer=PY_EM, build=c23,
         about="automatic notice dated +0000 (UTC), Auto-Submitted and X-Mailer headers"),
    dict(name="24_purview_export.eml", writer=PY_RAW, build=c24,
         about="shaped like an Exchange Online/Purview export: CRLF line endings, Received, Thread-Topic, "
               "Thread-Index, X-MS-Exchange-* headers, Outlook boundary, iso-8859-1 quoted-printable "
               "plain and Word-generated HTML; Date +0000"),
    dict(name="25_crlf.eml", writer=PY_EM + ", serialised with policy=email.policy.SMTP", build=c25,
         about="CRLF line endings throughout (policy.SMTP), plain body and a PDF attachment"),
    dict(name="26_long_line.eml", writer=PY_RAW, build=c26,
         about="8bit UTF-8 body with one line of about 20 000 characters (far over the 998 limit); +0200"),
    dict(name="27_legacy_mime_mixed.eml", writer=PY_LEGACY, build=c27,
         about="legacy MIMEMultipart with MIMEText (UTF-8, which the legacy classes put in base64), "
               "MIMEApplication PDF and MIMEImage PNG; preamble; +0200"),
    dict(name="28_bcc_undisclosed.eml", writer=PY_EM, build=c28,
         about="To: undisclosed-recipients:; (an empty group), three Bcc addresses, Reply-To, In-Reply-To, "
               "References, 'Sv:' subject"),
    dict(name="29_qp_soft_breaks.eml", writer=PY_RAW, build=c29,
         about="UTF-8 quoted-printable with soft line breaks that split multi-byte characters (=C3=\\n=A5), "
               "encoded line breaks (=0A) and a trailing =20; canaries"),
    dict(name="30_mixed_alternative_related.eml", writer=PY_EM, build=c30,
         about="multipart/mixed(alternative(plain, related(html, inline PNG)), PDF) as built by "
               "add_alternative/add_related/add_attachment; +0200"),
    dict(name="31_apple_inline_parts.eml", writer=PY_RAW, build=c31,
         about="Apple Mail style: text/plain, an inline PNG (no Content-ID), then a second text/plain part "
               "(body continues after the image); MIME-Version with a comment",
         note="Python takes the first text/plain part as the body; the inline PNG and the second text part "
              "are listed as attachments (the second one with name null). A reader that joins inline text "
              "parts into the body would differ here; that is a policy choice, not an error."),
]
