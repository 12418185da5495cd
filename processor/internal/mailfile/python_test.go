package mailfile

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The tests here compare the reader with an independent one: Python's
// email package. Python writes messages (with its own generator, so the
// bytes come from another program) and parses them again; the Go reader
// must agree on every header and body character.

// pyExtract is Python's view of a message, in the corpus JSON format.
const pyExtract = `
import sys, json, hashlib, email
from email import policy

def addrs(msg, h):
    out = []
    for v in msg.get_all(h, []) or []:
        for a in v.addresses:
            out.append({"name": a.display_name, "email": a.addr_spec})
    return out

def leaves(part, out):
    ct = part.get_content_type()
    if part.is_multipart() and ct != "message/rfc822":
        for p in part.iter_parts():
            leaves(p, out)
    else:
        out.append(part)

def view(raw):
    msg = email.message_from_bytes(raw, policy=policy.default)
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    atts = []
    parts = []
    leaves(msg, parts)
    for p in parts:
        if p is plain or p is html:
            continue
        ct = p.get_content_type()
        if ct == "message/rfc822":
            atts.append({"name": p.get_filename(), "content_type": ct, "size": None, "sha256": None})
            continue
        data = p.get_payload(decode=True) or b""
        atts.append({"name": p.get_filename(), "content_type": ct, "size": len(data),
                     "sha256": hashlib.sha256(data).hexdigest()})
    d = msg["date"]
    date = None
    if d is not None and d.datetime is not None:
        dt = d.datetime
        date = dt.isoformat() if dt.tzinfo else dt.isoformat() + "+00:00"
    def text(p):
        if p is None:
            return None
        return p.get_content().replace("\r\n", "\n")
    return {
        "from": addrs(msg, "from"), "to": addrs(msg, "to"), "cc": addrs(msg, "cc"), "bcc": addrs(msg, "bcc"),
        "date": date,
        "subject": None if msg["subject"] is None else str(msg["subject"]),
        "message_id": None if msg["message-id"] is None else str(msg["message-id"]).strip(),
        "body": text(plain), "html": text(html), "attachments": atts,
    }

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(view(raw), f, ensure_ascii=True)
`

// pyGenerate writes random but valid messages with Python's generator.
const pyGenerate = `
import sys, os, random, datetime, html
from email.message import EmailMessage
from email import policy
from email.headerregistry import Address
from email.utils import format_datetime

out = sys.argv[1]
n = int(sys.argv[2])
rnd = random.Random(20240205)
WORDS = ["förvaltning", "ärende", "åtgärd", "beslut", "Öppet", "möte", "registrator", "diarienummer",
         "sekretess", "utlämnande", "handling", "kommun", "region", "överklagande", "Ängelholm", "Västerås",
         "Örebro", "Luleå", "Malmö", "Göteborg", "naïve", "café", "Zürich", "€", "–", "“citat”", "日本語",
         "😀", "Ελλάδα", "Łódź", "Ærø", "fjärrvärme", "bostadsanpassning", "yttrande", "and", "the", "2024/17",
         "19121212-1212", "(dnr", "5)", "Sv:", "Fwd:", "a,b", "x;y", "<tag>", "&amp;", "100%"]
LATIN = [w for w in WORDS if all(ord(c) < 256 for c in w)]
NAMES = ["Åsa Öberg", "Örjan Ström", "Anna Andersson", "Lars-Erik Nilsson", "Märta Ekström", "Jean-Luc Picard",
         "Zoë Ängström", "李小龍", "Ελένη Παπαδοπούλου", "O'Brien, Seán", "Dr. Eva (HR)", "", "Registrator",
         "Karl \"Kalle\" Anka"]
ZONES = [60, 120, -300, 0, 330, -600]

def rwords(k, pool=WORDS):
    return " ".join(rnd.choice(pool) for _ in range(k))

def addr(i):
    name = rnd.choice(NAMES)
    user = "user%d.%s" % (i, rnd.choice(["a", "b", "c"]))
    return Address(display_name=name, username=user, domain=rnd.choice(["region.example", "mail.example", "kommun.example"]))

def para(pool):
    lines = []
    for _ in range(rnd.randint(1, 4)):
        lines.append(rwords(rnd.randint(1, 14), pool))
    return "\n".join(lines)

for i in range(n):
    m = EmailMessage()
    m["From"] = addr(i)
    m["To"] = [addr(i * 10 + k) for k in range(rnd.randint(1, 4))]
    if rnd.random() < 0.5:
        m["Cc"] = [addr(i * 10 + 5 + k) for k in range(rnd.randint(1, 3))]
    if rnd.random() < 0.2:
        m["Bcc"] = [addr(i * 10 + 8)]
    m["Subject"] = rwords(rnd.randint(1, 25))
    tz = datetime.timezone(datetime.timedelta(minutes=rnd.choice(ZONES)))
    dt = datetime.datetime(2020 + rnd.randint(0, 6), rnd.randint(1, 12), rnd.randint(1, 28),
                           rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59), tzinfo=tz)
    m["Date"] = format_datetime(dt)
    m["Message-ID"] = "<gen%d.%d@test.example>" % (i, rnd.randint(0, 10**9))
    shape = rnd.choice(["plain", "plain", "alt", "mixed", "altmixed", "html", "related"])
    charset = rnd.choice(["utf-8", "utf-8", "iso-8859-1", "windows-1252"])
    pool = WORDS if charset == "utf-8" else LATIN
    text = "\n\n".join(para(pool) for _ in range(rnd.randint(1, 4))) + "\n"
    cte = rnd.choice(["quoted-printable", "base64", "8bit"])
    if charset != "utf-8" and cte == "8bit":
        cte = "quoted-printable"
    hbody = "<html><body>" + "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>\n" for p in text.split("\n\n")) + "</body></html>\n"
    if shape in ("plain", "mixed"):
        m.set_content(text, charset=charset, cte=cte)
    elif shape in ("alt", "altmixed"):
        m.set_content(text, charset=charset, cte=cte)
        m.add_alternative(hbody, subtype="html")
    elif shape == "html":
        m.set_content(hbody, subtype="html", charset=charset, cte=cte)
    elif shape == "related":
        m.set_content(text)
        m.add_alternative(hbody.replace("</body>", "<img src=\"cid:img%d@test.example\"></body>" % i), subtype="html")
        m.get_payload()[1].add_related(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(10, 3000))),
                                       "image", "png", cid="<img%d@test.example>" % i)
    if shape in ("mixed", "altmixed", "related"):
        for k in range(rnd.randint(1, 3)):
            data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 6000)))
            fname = rwords(rnd.randint(1, 4), pool).replace("/", "-") + rnd.choice([".pdf", ".docx", ".png", ".txt"])
            m.add_attachment(data, maintype="application", subtype="octet-stream", filename=fname)
        if rnd.random() < 0.3:
            inner = EmailMessage()
            inner["From"] = addr(i + 999)
            inner["Subject"] = rwords(3)
            inner.set_content(para(WORDS))
            m.add_attachment(inner)
    pol = policy.SMTP if rnd.random() < 0.5 else policy.default
    with open(os.path.join(out, "gen%03d.eml" % i), "wb") as f:
        f.write(m.as_bytes(policy=pol))
`

func havePython(t testing.TB) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 saknas; jämförelsen med Pythons email-paket hoppas över")
	}
	if err := exec.Command(py, "-c", "import email.policy").Run(); err != nil {
		t.Skip("python3 saknar email-paketet")
	}
	return py
}

func runPython(t testing.TB, py, script string, args ...string) {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "script.py")
	if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, append([]string{f}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
}

// TestAgainstPython generates messages with Python's email package and
// compares every field with Python's own parse.
func TestAgainstPython(t *testing.T) {
	py := havePython(t)
	dir := t.TempDir()
	n := "120"
	if testing.Short() {
		n = "30"
	}
	runPython(t, py, pyGenerate, dir, n)
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("Python skrev inga meddelanden")
	}
	runPython(t, py, pyExtract, files...)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			js, err := os.ReadFile(f + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var exp expected
			if err := json.Unmarshal(js, &exp); err != nil {
				t.Fatal(err)
			}
			m := mustRead(t, filepath.Base(f), data)
			compareExpected(t, m, &exp, pythonPhraseQuirk)
			// every character of subject and names, not just words
			if exp.Subject != nil && m.Subject != *exp.Subject {
				t.Errorf("Subject %q != %q", m.Subject, *exp.Subject)
			}
			if t.Failed() {
				t.Logf("meddelandet:\n%s", truncate(string(data), 4000))
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// TestAgainstPythonRaw covers hand-written MIME that Python's generator
// would not write, where Python's parse is still right.
func TestAgainstPythonRaw(t *testing.T) {
	py := havePython(t)
	dir := t.TempDir()
	cases := map[string]string{
		"rfc2231-latin1.eml": "From: =?iso-8859-1?q?=C5sa_=D6berg?= <asa@example.se>\r\nTo: =?utf-8?q?Str=C3=B6m=2C_=C3=96rjan?= <orjan@example.se>, plain@example.se\r\n" +
			"Subject: =?utf-8?B?w4RyZW5kZSAyMDI0LzE3?= =?utf-8?Q?_g=C3=A4ller_=C3=B6verklagande?=\r\nDate: Tue, 2 Dec 2025 16:29:17 +0100 (CET)\r\n" +
			"Message-ID: <a1@example.se>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n" +
			"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nH=E4r =E4r texten, soft=\r\nbreak.\r\n--b1\r\n" +
			"Content-Type: application/pdf; name*=iso-8859-1''%C5rsrapport%202024.pdf\r\nContent-Disposition: attachment;\r\n filename*0*=iso-8859-1''%C5rs;\r\n filename*1*=rapport%202024.pdf\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCg==\r\n--b1--\r\nepilogue\r\n",
		"group-comments.eml": "From: (kommentar) Kalle <kalle@example.se>\nTo: Projektgrupp: a@example.se, \"B, Bertil\" <b@example.se>;, c@example.se (Cecilia)\n" +
			"Cc: undisclosed-recipients:;\nSubject: Folded\n subject\twith tab\nDate: 2 Dec 25 16:29 +0530\nContent-Type: text/plain; charset=\"utf-8\"; format=fixed\n" +
			"Content-Transfer-Encoding: 8bit\n\nåäö ÅÄÖ\nrad två\n",
		"nested.eml": "From: a@example.se\nTo: b@example.se\nSubject: =?UTF-8?Q?N=C3=A4stlat?=\nDate: Mon, 1 Jan 2024 00:00:00 -0800\nMIME-Version: 1.0\n" +
			"Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n--alt\nContent-Type: text/plain; charset=utf-8\n\nText ö\n" +
			"--alt\nContent-Type: multipart/related; boundary=rel\n\n--rel\nContent-Type: text/html; charset=utf-8\n\n<p>Text ö</p><img src=cid:x>\n--rel\nContent-Type: image/gif\nContent-ID: <x>\n" +
			"Content-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n--rel--\n--alt--\n--outer\nContent-Type: message/rfc822\n\nFrom: c@example.se\nSubject: Inre\n\nInre text\n" +
			"--outer\nContent-Type: text/csv; name=\"=?utf-8?B?w7ZyZWJyby5jc3Y=?=\"\nContent-Disposition: attachment\n\na;b\n--outer--\n",
	}
	var files []string
	for name, body := range cases {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	sort.Strings(files)
	runPython(t, py, pyExtract, files...)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, _ := os.ReadFile(f)
			js, err := os.ReadFile(f + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var exp expected
			if err := json.Unmarshal(js, &exp); err != nil {
				t.Fatal(err)
			}
			m := mustRead(t, filepath.Base(f), data)
			compareExpected(t, m, &exp, pythonPhraseQuirk)
			if t.Failed() {
				t.Logf("python: %s\nnotes: %q", js, m.Notes)
			}
		})
	}
}

func joinNotes(m *Message) string { return strings.Join(m.Notes, " | ") }
