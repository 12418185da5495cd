#!/usr/bin/env python3
"""Generates the mail test corpus of processor/internal/mailfile.

    python3 processor/scripts/mailcorpus/generate.py [--no-msg]

Writes
  processor/internal/mailfile/testdata/corpus/NAME.eml|.msg  messages written
      by tools other than our Go code (Python's email package; @tutao/oxmsg)
  processor/internal/mailfile/testdata/corpus/NAME.*.json    an independent
      parse of each (Python's email; for .msg after Email::Outlook::Message)
  processor/internal/mailfile/testdata/corpus/SOURCES.md     who wrote what
  processor/internal/mailfile/testdata/hostile/*             hostile samples

Needs python3 (stdlib only); for the .msg files also node + npm (the npm
registry, for @tutao/oxmsg 0.2.3 pinned in msg/package-lock.json) and perl
with Debian's libemail-outlook-message-perl.  The npm packages are installed
outside the repository, in $MAILCORPUS_NODE_DIR (default
~/.cache/utlamnande-mailcorpus-node).  With --no-msg the existing .msg files
and their JSON are left as they are.
"""

import base64
import copy
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, HERE)

import eml_cases  # noqa: E402
import extract  # noqa: E402
import hostile  # noqa: E402
import msg_cases  # noqa: E402

REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
TESTDATA = os.path.join(REPO, "processor", "internal", "mailfile", "testdata")
CORPUS = os.path.join(TESTDATA, "corpus")
HOSTILE = os.path.join(TESTDATA, "hostile")
MAX_FILE = 200 * 1024
MAX_CORPUS = 3 * 1024 * 1024


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj):
    text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    write(path, text.encode("utf-8"))


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.CalledProcessError):
        return "?"


# --- .eml -------------------------------------------------------------------


def make_eml():
    rows = []
    for case in eml_cases.CASES:
        raw = case["build"]()
        write(os.path.join(CORPUS, case["name"]), raw)
        parsed = extract.parse(raw)
        python_view = copy.deepcopy(parsed)
        for field, value in case.get("override", {}).items():
            parsed[field] = value
        changed = sorted(k for k in parsed if parsed[k] != python_view[k])
        if case.get("override") and not changed:
            raise SystemExit("%s: override changes nothing" % case["name"])
        write_json(os.path.join(CORPUS, case["name"] + ".json"), parsed)
        rows.append(dict(case, changed=changed, size=len(raw)))
    return rows


# --- .msg -------------------------------------------------------------------


def node_dir():
    d = os.environ.get("MAILCORPUS_NODE_DIR") or os.path.expanduser("~/.cache/utlamnande-mailcorpus-node")
    os.makedirs(d, exist_ok=True)
    lock_src = os.path.join(HERE, "msg", "package-lock.json")
    lock_dst = os.path.join(d, "package-lock.json")
    fresh = os.path.exists(os.path.join(d, "node_modules", "@tutao", "oxmsg", "package.json")) and os.path.exists(
        lock_dst
    ) and open(lock_src, "rb").read() == open(lock_dst, "rb").read()
    for name in ("package.json", "package-lock.json", "make_msg.mjs"):
        shutil.copyfile(os.path.join(HERE, "msg", name), os.path.join(d, name))
    if not fresh:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=d, check=True)
    return d


def compare_msg(case, parsed):
    """Differences between what was given to oxmsg and what came back."""
    s = case["spec"]
    diffs = []

    def emails(lst):
        return [r["email"] for r in lst]

    if parsed["subject"] != s["subject"]:
        diffs.append("subject %r != %r" % (parsed["subject"], s["subject"]))
    for field in ("to", "cc", "bcc"):
        want = [{"name": r["name"], "email": r["email"]} for r in s.get(field, [])]
        if parsed[field] != want:
            diffs.append("%s differs" % field)
    if emails(parsed["from"]) != [s["from"]["email"]]:
        diffs.append("from differs")
    sent = datetime.datetime.fromisoformat(s["sent"])
    got = datetime.datetime.fromisoformat(parsed["date"])
    if sent != got:
        diffs.append("date %s != %s" % (got, sent))
    if (parsed["body"] or "") != s["body"].replace("\r\n", "\n"):
        diffs.append("body differs")
    if (parsed["html"] or None) != s.get("html"):
        diffs.append("html differs")
    want_att = [(a["name"], hashlib.sha256(a["data"]).hexdigest()) for a in s.get("attachments", [])]
    got_att = [(a["name"], a["sha256"]) for a in parsed["attachments"]]
    if want_att != got_att:
        diffs.append("attachments differ: %r" % got_att)
    return diffs


def make_msg():
    nd = node_dir()
    spec = []
    for case in msg_cases.CASES:
        s = copy.deepcopy(case["spec"])
        s["file"] = case["name"]
        for a in s.get("attachments", []):
            a["b64"] = base64.b64encode(a.pop("data")).decode("ascii")
        spec.append(s)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = os.path.join(tmp, "spec.json")
        with open(spec_path, "w", encoding="utf-8") as f:
            json.dump(spec, f, ensure_ascii=False)
        subprocess.run(["node", os.path.join(nd, "make_msg.mjs"), spec_path, CORPUS], cwd=nd, check=True)
        for case in msg_cases.CASES:
            path = os.path.join(CORPUS, case["name"])
            eml = os.path.join(tmp, case["name"] + ".eml")
            subprocess.run(
                ["perl", os.path.join(HERE, "msg", "msg2eml.pl"), path, eml],
                check=True,
                stderr=subprocess.DEVNULL,
                env=dict(os.environ, TZ="UTC"),
            )
            parsed = extract.parse(open(eml, "rb").read())
            python_view = copy.deepcopy(parsed)
            for field, value in case.get("override", {}).items():
                parsed[field] = value
            changed = sorted(k for k in parsed if parsed[k] != python_view[k])
            diffs = compare_msg(case, parsed)
            if diffs:
                raise SystemExit("%s: the JSON does not match what oxmsg was given: %s" % (case["name"], diffs))
            write_json(path + ".json", parsed)
            rows.append(dict(case, changed=changed, size=os.path.getsize(path)))
    return rows


# --- hostile ----------------------------------------------------------------


def make_hostile():
    rows = []
    for name, build, about in hostile.SAMPLES:
        data = build()
        write(os.path.join(HOSTILE, name), data)
        rows.append(dict(name=name, about=about, size=len(data)))
    return rows


# --- SOURCES.md ---------------------------------------------------------------


def sources(eml_rows, msg_rows, hostile_rows, versions):
    out = []
    w = out.append
    w("# Sources of the mail test corpus\n")
    w("Every file here is fictitious test data (people, addresses, numbers and organisations are made up; "
      "`Anna Andersson`, `19121212-1212` and `070-1740605` are canaries for the masking code). "
      "None of it was written by this project's Go code, and no file was copied from another project.\n")
    w("All files, and the JSON next to each message, are written by "
      "`processor/scripts/mailcorpus/generate.py`. Rerun it from the repository root:\n")
    w("```\npython3 processor/scripts/mailcorpus/generate.py          # everything\n"
      "python3 processor/scripts/mailcorpus/generate.py --no-msg # leave .msg files and their JSON alone\n```\n")
    w("It needs python3 (standard library only); for the .msg files also node and npm (it runs `npm ci` for "
      "`@tutao/oxmsg@0.2.3`, pinned in `msg/package-lock.json`, into `$MAILCORPUS_NODE_DIR`, default "
      "`~/.cache/utlamnande-mailcorpus-node`, outside the repository) and perl with Debian's "
      "`libemail-outlook-message-perl` (`apt-get install -y libemail-outlook-message-perl`). "
      "Dates, boundaries, Message-IDs, the clock and the random numbers the .msg writer asks for are fixed, "
      "so a rerun gives the same bytes with the same tool versions (checked: two runs, identical files).\n")
    w("Versions used for the files as committed:\n")
    for k, v in versions:
        w("- %s: %s" % (k, v))
    w("")
    w("## The JSON\n")
    w("`NAME.eml.json` / `NAME.msg.json` has the keys `from`, `to`, `cc`, `bcc`, `date`, `subject`, "
      "`message_id`, `body`, `html`, `attachments`. It is Python's view of the message "
      "(`email.message_from_bytes(raw, policy=email.policy.default)`, see `extract.py`), with the few "
      "corrections listed per file below where Python is not what a correct reader should show.\n")
    w("- `from`/`to`/`cc`/`bcc`: every address of that header, groups flattened (an empty group such as "
      "`undisclosed-recipients:;` gives no address), each `{\"name\": display name or \"\", \"email\": addr-spec}`; "
      "`[]` when absent.")
    w("- `date`: the Date header in RFC 3339 with the header's own offset (`+00:00` for +0000). "
      "For .msg files the date is the UTC instant Outlook stores (PR_CLIENT_SUBMIT_TIME), so the offset is "
      "`+00:00` unless the message carries transport headers with a Date (m06): compare instants.")
    w("- `subject`: decoded (RFC 2047) and unfolded; `null` when absent.")
    w("- `message_id`: the Message-ID value with its angle brackets; `null` when absent.")
    w("- `body`: `msg.get_body(preferencelist=(\"plain\",))` decoded to text; `html`: the same with "
      "`(\"html\",)`, the raw HTML source (entities not resolved); `null` when there is no such part. "
      "CRLF is turned into LF in both; compare after doing the same.")
    w("- `attachments`: every leaf MIME part other than those two body parts, in document order, inline "
      "images included, not descending into a forwarded message/rfc822 (that is one attachment). `name` is "
      "`part.get_filename()` (RFC 2231 and RFC 2047 decoded) or `null`; `content_type` is the part's "
      "type without parameters; `size` and `sha256` are of the transfer-decoded octets (for message/rfc822 "
      "the embedded message's octets as they stand in the file).\n")
    w("## .eml files\n")
    w("Written by Python %s's `email` package, in three ways named per file: `EmailMessage` with "
      "`email.policy.default`; the legacy `email.mime` classes; or raw bytes assembled by the generator where "
      "the point is a quirk Python would not produce (encoded words and RFC 2231 parameters are then written "
      "by the generator's own helpers `qword`/`bword`). The JSON is Python's parse of the written bytes.\n"
      % versions[0][1].split()[0])
    w("| file | written by | covers | JSON |")
    w("| --- | --- | --- | --- |")
    for r in eml_rows:
        j = "Python's parse"
        if r.get("note") and r["changed"]:
            j += "; corrected: %s. %s" % (", ".join(r["changed"]), r["note"])
        elif r.get("note"):
            j += ", unchanged. Note: %s" % r["note"]
        w("| `%s` | %s | %s | %s |" % (r["name"], r["writer"], r["about"], j))
    w("")
    w("## .msg files\n")
    w("Outlook item files (MS-CFB compound files holding MS-OXMSG property streams) written by "
      "[`@tutao/oxmsg`](https://github.com/tutao/oxmsg) 0.2.3 from the npm registry, a TypeScript port of "
      "the C# library MsgKit by tutao GmbH; it writes the compound file with a bundled copy of SheetJS "
      "`cfb` 1.2.1 (Apache-2.0). The npm metadata says MIT, while the LICENSE.txt in the package is the GNU "
      "GPL v3; only its output is kept here, not its code. The driver `msg/make_msg.mjs` pins the library's "
      "clock and random numbers per message (see the file). SheetJS cfb adds its maker's mark, a 4-byte "
      "stream `\\u0001Sh33tJ5`, in the root storage.\n")
    w("The JSON: each .msg is converted to RFC 5322 by Email::Outlook::Message %s (the library of Debian's "
      "`msgconvert`, package libemail-outlook-message-perl) through `msg/msg2eml.pl`, and that is parsed by "
      "Python's email as above. The generator then checks the JSON against what oxmsg was given (subject, "
      "addresses, instant, plain and HTML body, attachment names and SHA-256) and stops on any difference. "
      "What msgconvert loses or changes, and how it is handled:\n" % versions[3][1])
    w("- Bcc: msgconvert drops it (PR_DISPLAY_BCC is not in its property map); msg2eml.pl adds the tag to "
      "the map and writes a Bcc header from the library's own recipient data (m02).")
    w("- Non-ASCII header values come out of msgconvert as raw Latin-1 or UTF-8 octets (and once a "
      "character is above U+00FF the whole output, 8-bit body included, is UTF-8 encoded again); msg2eml.pl "
      "re-sets such values with Email::MIME's `header_str_set` (RFC 2047).")
    w("- To/Cc: msgconvert joins `Name <address>` without quoting, so a name with a comma "
      "(`Andersson, Anna`) splits and the rest of the list is lost; msg2eml.pl rebuilds To, Cc and Bcc from "
      "the same data (PR_DISPLAY_TO/CC/BCC names matched against the recipient storages, as the library "
      "does) with Email::Address::XS, which quotes (m05).")
    w("- The Date is the stored UTC instant (offset +0000) unless transport headers hold a Date; the sender's "
      "offset is not kept in a .msg without them.")
    w("- Not carried over at all (so not in the JSON, and not checked): Reply-To, importance/priority, "
      "PR_SENDER vs. PR_SENT_REPRESENTING, named properties, PR_RTF_COMPRESSED, attachment rendering "
      "position and the hidden flag of inline attachments (msgconvert lists the cid image as an ordinary "
      "attachment; our JSON rules list inline images as attachments anyway).\n")
    w("| file | covers | JSON |")
    w("| --- | --- | --- |")
    for r in msg_rows:
        j = "msgconvert library + Python's parse, checked against the oxmsg input"
        if r.get("note") and r["changed"]:
            j += "; corrected: %s. %s" % (", ".join(r["changed"]), r["note"])
        elif r.get("note"):
            j += ". Note: %s" % r["note"]
        w("| `%s` | %s | %s |" % (r["name"], r["about"], j))
    w("")
    w("## ../hostile/\n")
    w("No JSON. Written by `hostile.py`; the compound files and the PST header by hand with `struct.pack` "
      "following [MS-CFB] and [MS-PST] (broken on purpose). A reader must refuse these within bounded time "
      "and memory, or (the PST) say what the file is.\n")
    w("| file | bytes | what |")
    w("| --- | --- | --- |")
    for r in hostile_rows:
        w("| `%s` | %d | %s |" % (r["name"], r["size"], r["about"]))
    w("")
    w("Checked with other readers while making them: Debian's `gsf list` (libgsf 1.14.50) reads every "
      "corpus .msg without a warning; for `cyclic_fat_chain.msg` and `cyclic_dir_chain.msg` it warns that "
      "the allocation table has no terminator, while python3-olefile 0.46 opens both without complaint and "
      "returns the looping subject stream as 4096 bytes of repeated sectors. `pffinfo` (pff-tools "
      "20180714) accepts `tiny.pst` as a 64-bit PST.\n")
    w("## Not covered\n")
    w("- No .msg file from a real Outlook or from a public test corpus: data files taken from other "
      "repositories are not to be committed in this one, so all .msg files come from oxmsg, which writes what MsgKit "
      "writes (PR_BODY_W, PR_HTML as binary UTF-8 with PR_INTERNET_CPID 65001, attachments by value). "
      "Not represented: RTF-only bodies, ANSI (8-bit, `001E`) string properties, embedded .msg attachments "
      "(`__substg1.0_3701000D` storages), named-property streams with entries, signed/encrypted items.")
    w("- The forwarded message/rfc822 attachment is not expanded in the JSON.")
    w("- `24_purview_export.eml` and `m06` are shaped after the header set Exchange Online puts on mail "
      "(modelled, not copied: host names are under mail.example, ids are made up); no real Purview export "
      "was available.")
    w("- .eml JSON comes from one parser (Python). Where Python and RFC 2047/2231 could disagree the cases "
      "were chosen or noted so that they do not (see 06); `31` is a policy question rather than a fact.")
    return "\n".join(out) + "\n"


def main():
    do_msg = "--no-msg" not in sys.argv[1:]
    os.makedirs(CORPUS, exist_ok=True)
    os.makedirs(HOSTILE, exist_ok=True)
    for d, exts in ((CORPUS, (".eml", ".eml.json") + ((".msg", ".msg.json") if do_msg else ())), (HOSTILE, ("",))):
        for f in os.listdir(d):
            if f.endswith(exts) and f != "SOURCES.md":
                os.remove(os.path.join(d, f))

    eml_rows = make_eml()
    if do_msg:
        msg_rows = make_msg()
    else:
        msg_rows = [dict(c, changed=sorted(c.get("override", {})), size=0) for c in msg_cases.CASES]
    hostile_rows = make_hostile()

    import email

    versions = [
        ("python3", sys.version.split()[0] + " (email package of the standard library)"),
        ("node", tool_version(["node", "--version"])),
        ("@tutao/oxmsg", "0.2.3 (bundling SheetJS cfb 1.2.1)"),
        ("Email::Outlook::Message", tool_version(["perl", "-MEmail::Outlook::Message", "-e",
                                                 "print $Email::Outlook::Message::VERSION"])),
        ("Email::MIME", tool_version(["perl", "-MEmail::MIME", "-e", "print $Email::MIME::VERSION"])),
    ]
    del email
    write(os.path.join(CORPUS, "SOURCES.md"), sources(eml_rows, msg_rows, hostile_rows, versions).encode("utf-8"))

    total = 0
    for f in sorted(os.listdir(CORPUS)):
        size = os.path.getsize(os.path.join(CORPUS, f))
        total += size
        if size > MAX_FILE:
            raise SystemExit("%s is %d bytes, over %d" % (f, size, MAX_FILE))
    if total > MAX_CORPUS:
        raise SystemExit("corpus is %d bytes, over %d" % (total, MAX_CORPUS))
    print("corpus: %d .eml, %d .msg, %d bytes; hostile: %d files" % (
        len(eml_rows), len(msg_rows), total, len(hostile_rows)))


if __name__ == "__main__":
    main()
