"""The .msg cases of the corpus, written by @tutao/oxmsg (see msg/make_msg.mjs).

Each case has a `spec` (what make_msg.mjs gets, attachments as bytes) and
`about`.  All content is fictitious.
"""

import eml_cases as E

PURVIEW_HEADERS = "\r\n".join(
    [
        "Received: from AM0PR05MB6789.eurprd05.prod.mail.example (2603:10a6:208:11b::20)",
        " by DB9PR05MB8123.eurprd05.prod.mail.example with HTTPS; Tue, 11 Jun 2024",
        " 06:58:02 +0000",
        "From: Karin Lindqvist <karin.lindqvist@region.example>",
        "To: =?iso-8859-1?Q?Per_=D6berg?= <per.oberg@region.example>",
        "Subject: =?iso-8859-1?Q?Sv:_Upphandling_av_st=E4dtj=E4nster?=",
        "Thread-Topic: =?iso-8859-1?Q?Upphandling_av_st=E4dtj=E4nster?=",
        "Thread-Index: AdqbzAbCdEfGhIjKlMnOpQrStUvWxYz0123456",
        "Date: Tue, 11 Jun 2024 08:58:01 +0200",
        "Message-ID: <AM0PR05MB6789C1D2E3F4A5B6C7D8E9F0A1B2@AM0PR05MB6789.eurprd05.prod.mail.example>",
        "In-Reply-To: <DB9PR05MB8123AA11BB22CC33DD44@DB9PR05MB8123.eurprd05.prod.mail.example>",
        "Accept-Language: sv-SE, en-US",
        "Content-Language: sv-SE",
        "X-MS-Has-Attach:",
        "X-MS-TNEF-Correlator:",
        "X-MS-Exchange-Organization-SCL: -1",
        "X-MS-Exchange-Organization-AuthAs: Internal",
        "X-MS-Exchange-Organization-AuthMechanism: 04",
        "X-MS-Exchange-Organization-Network-Message-Id: 9a8b7c6d-5e4f-3a2b-1c0d-ffeeddccbbaa",
        "X-MS-Exchange-Organization-MessageDirectionality: Originating",
        "Content-Type: multipart/alternative;",
        '\tboundary="_000_AM0PR05MB6789C1D2E3F4A5B6C7D8E9F0A1B2AM0PR05MB6789eurp_"',
        "MIME-Version: 1.0",
        "",
        "",
    ]
)


def person(p):
    return {"name": p[0], "email": p[1]}


CASES = [
    dict(
        name="m01_plain.msg",
        about="plain text only (PR_BODY_W), one To, UTF-16 strings with å/ä/ö; canaries",
        spec=dict(
            now="2024-02-05T13:05:00Z",
            sent="2024-02-05T14:03:00+01:00",
            **{"from": person(E.KARIN)},
            to=[person(E.ANNA)],
            subject="Fråga om semesterlistan",
            body="Hej Anna!\r\n\r\nKan du fylla i semesterlistan före fredag? Ditt personnummer "
                 "19121212-1212 står fel i listan.\r\n\r\nKarin\r\n",
            message_id="<m01-semester@region.example>",
        ),
    ),
    dict(
        name="m02_html_cc_bcc.msg",
        about="plain and HTML body (PR_HTML), two Cc and one Bcc recipient",
        spec=dict(
            now="2024-03-12T15:00:00Z",
            sent="2024-03-12T15:58:00+01:00",
            **{"from": person(E.LENA)},
            to=[person(E.KARIN)],
            cc=[person(E.PER), person(E.BJORN)],
            bcc=[person(("Arkivet", "arkiv@region.example"))],
            subject="Protokoll från nämnden",
            body="Hej!\r\n\r\nProtokollet är justerat.\r\n\r\nLena\r\n",
            html="<html><body><p>Hej!</p><p>Protokollet är <b>justerat</b>.</p><p>Lena</p></body></html>",
            message_id="<m02-protokoll@region.example>",
        ),
    ),
    dict(
        name="m03_attachments.msg",
        about="four attachments: PDF with a Swedish name, DOCX, UTF-8 .txt, PNG",
        spec=dict(
            now="2024-03-20T14:00:00Z",
            sent="2024-03-20T15:10:00+01:00",
            **{"from": person(E.KARIN)},
            to=[person(E.ORJAN)],
            subject="Handlingar i ärende 2024-0117",
            body="Hej Örjan,\r\n\r\nHär kommer de begärda handlingarna.\r\n\r\nKarin\r\n",
            message_id="<m03-handlingar@region.example>",
            attachments=[
                dict(name="Årsrapport 2023.pdf", data=E.PDF_ARSRAPPORT),
                dict(name="Yttrande över remiss.docx", data=E.DOCX_YTTRANDE),
                dict(name="anteckning.txt", data=E.TXT_ANTECKNING),
                dict(name="foto.png", data=E.PNG_FOTO),
            ],
        ),
    ),
    dict(
        name="m04_inline_image.msg",
        about="HTML body with an inline PNG referred to by cid (PR_ATTACH_CONTENT_ID, hidden attachment)",
        spec=dict(
            now="2024-03-18T12:00:00Z",
            sent="2024-03-18T13:45:00+01:00",
            **{"from": person(("Kommunikation", "kommunikation@region.example"))},
            to=[person(E.KARIN)],
            subject="Ny logotyp",
            body="Så här ser den nya logotypen ut.\r\n",
            html='<html><body><p>Så här ser den nya logotypen ut:</p>'
                 '<p><img src="cid:logo.2024@region.example" alt="Logotyp"></p></body></html>',
            message_id="<m04-logotyp@region.example>",
            attachments=[dict(name="logo.png", data=E.PNG_LOGO, cid="logo.2024@region.example")],
        ),
    ),
    dict(
        name="m05_many_recipients.msg",
        about="25 To and 12 Cc recipients (those of eml 22: names with commas and parentheses; the two "
              "without a name get the address as display name, as Outlook does)",
        spec=dict(
            now="2024-08-20T05:00:00Z",
            sent="2024-08-20T07:30:00+02:00",
            **{"from": person(E.KARIN)},
            to=[person(p) if p[0] else person((p[1], p[1])) for p in E.MANY_TO],
            cc=[person(p) if p[0] else person((p[1], p[1])) for p in E.MANY_CC],
            subject="Information till all personal om omorganisationen",
            body="Hej alla,\r\n\r\nFrån den 1 oktober slås enheterna ihop.\r\n\r\nKarin\r\n",
            message_id="<m05-omorg@region.example>",
        ),
    ),
    dict(
        name="m06_exchange_headers.msg",
        about="Exchange/Purview-like message: PR_TRANSPORT_MESSAGE_HEADERS with Received, Thread-Index, "
              "X-MS-Exchange-* and a Date in +0200; In-Reply-To; plain and HTML",
        spec=dict(
            now="2024-06-11T07:00:00Z",
            sent="2024-06-11T08:58:01+02:00",
            **{"from": person(E.KARIN)},
            to=[person(E.PER)],
            subject="Sv: Upphandling av städtjänster",
            body="Hej Per,\r\n\r\nAnbuden öppnas den 20 juni. Anna Andersson från "
                 "ekonomi deltar.\r\n\r\nKarin\r\n",
            html="<html><body><p>Hej Per,</p><p>Anbuden öppnas den 20 juni. Anna Andersson från "
                 "ekonomi deltar.</p><p>Karin</p></body></html>",
            message_id="<AM0PR05MB6789C1D2E3F4A5B6C7D8E9F0A1B2@AM0PR05MB6789.eurprd05.prod.mail.example>",
            in_reply_to="<DB9PR05MB8123AA11BB22CC33DD44@DB9PR05MB8123.eurprd05.prod.mail.example>",
            headers=PURVIEW_HEADERS,
        ),
    ),
    dict(
        name="m07_unicode_subject.msg",
        about="subject and body with characters outside Latin-1 (€, –, ”) and outside the BMP "
              "(📎, a UTF-16 surrogate pair); attachment name with –",
        spec=dict(
            now="2024-04-02T08:00:00Z",
            sent="2024-04-02T10:00:00+02:00",
            **{"from": person(E.MARTA)},
            to=[person(E.ASA)],
            subject="Bilaga 📎 – ”Faktura” på 1 250 €",
            body="Hej Åsa,\r\n\r\nFakturan på 1 250 € bifogas 📎 – betala senast ”30 april”.\r\n\r\nMärta\r\n",
            message_id="<m07-faktura@region.example>",
            attachments=[dict(name="Faktura – april.pdf", data=E.PDF_FAKTURA)],
        ),
    ),
]
