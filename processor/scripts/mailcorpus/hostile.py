"""Hostile samples: files a reader must refuse or survive, with no JSON.

The compound files here are made by hand (a few struct.pack calls following
[MS-CFB]); they are broken on purpose and were never meant to be valid.
"""

import base64
import struct

ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def nested_multipart(depth=200):
    inner = b"Content-Type: text/plain; charset=utf-8\n\nInnersta delen.\n"
    for level in range(depth, 0, -1):
        b = b"nest%03d" % level
        inner = (
            b'Content-Type: multipart/mixed; boundary="' + b + b'"\n\n'
            b"--" + b + b"\n" + inner + b"\n--" + b + b"--\n"
        )
    head = (
        b"From: Angripare <angripare@mail.example>\n"
        b"To: Registrator <registrator@region.example>\n"
        b"Subject: 200 levels of multipart\n"
        b"Date: Mon, 01 Apr 2024 12:00:00 +0200\n"
        b"Message-ID: <hostile-nested-200@mail.example>\n"
        b"MIME-Version: 1.0\n"
    )
    return head + inner


def declared_1gb_truncated():
    chunk = base64.encodebytes(bytes(range(256)) * 12)  # 3 KiB of data, 76-column lines
    return (
        b"From: Angripare <angripare@mail.example>\n"
        b"To: Registrator <registrator@region.example>\n"
        b"Subject: Declares a 1 GB attachment, body truncated\n"
        b"Date: Mon, 01 Apr 2024 12:00:00 +0200\n"
        b"Message-ID: <hostile-1gb@mail.example>\n"
        b"MIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="big"\n'
        b"\n"
        b"--big\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"\n"
        b"Se bilaga.\n"
        b"--big\n"
        b'Content-Type: application/octet-stream; name="stor.bin"\n'
        b'Content-Disposition: attachment; filename="stor.bin"; size=1073741824\n'
        b"Content-Length: 1073741824\n"
        b"Content-Transfer-Encoding: base64\n"
        b"\n" + chunk + b"QUFB"  # cut in the middle of a line, no closing delimiter
    )


def header_1mb():
    return (
        b"From: Angripare <angripare@mail.example>\n"
        b"To: Registrator <registrator@region.example>\n"
        b"X-Filler: " + b"A" * (1024 * 1024) + b"\n"
        b"Subject: One header line of 1 MiB\n"
        b"Date: Mon, 01 Apr 2024 12:00:00 +0200\n"
        b"Message-ID: <hostile-1mb-header@mail.example>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"\n"
        b"Kort text.\n"
    )


def _dir_entry(name, kind, child=NOSTREAM, left=NOSTREAM, right=NOSTREAM, start=ENDOFCHAIN, size=0):
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # colour black
        + struct.pack("<III", left, right, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification time
        + struct.pack("<IQ", start, size)
    )


def _cfb(fat, directory, data_sectors):
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<I", 0)  # DIFAT[0] = sector 0 holds the FAT
        + struct.pack("<I", FREESECT) * 108
    )
    assert len(header) == 512
    fat_sector = b"".join(struct.pack("<I", x) for x in fat).ljust(512, b"\xff")
    dir_sector = b"".join(directory).ljust(512, b"\0")
    return header + fat_sector + dir_sector + b"".join(s.ljust(512, b"\0") for s in data_sectors)


def cyclic_fat_chain():
    """A .msg-shaped compound file whose subject stream chain loops 2 -> 3 -> 2.

    The stream declares 4096 bytes (8 sectors, no more than the file holds, so
    a size check alone does not catch it) but its FAT chain never reaches
    ENDOFCHAIN: a reader that follows it without noting visited sectors
    either loops or returns sectors 2 and 3 over and over."""
    directory = [
        _dir_entry("Root Entry", 5, child=1),
        _dir_entry("__substg1.0_0037001F", 2, start=2, size=4096),
    ]
    fat = [FATSECT, ENDOFCHAIN, 3, 2] + [FREESECT] * 6
    text = "Ämne som aldrig tar slut ".encode("utf-16-le")
    return _cfb(fat, directory, [text * 10, text * 10] + [b""] * 6)


def cyclic_dir_chain():
    """A compound file whose directory sector chain points at itself (1 -> 1)."""
    directory = [
        _dir_entry("Root Entry", 5, child=1),
        _dir_entry("__properties_version1.0", 2, start=ENDOFCHAIN, size=0),
    ]
    fat = [FATSECT, 1]
    return _cfb(fat, directory, [])


def tiny_pst():
    """The first 564 bytes of a Unicode PST header ([MS-PST] 2.2.2.6): magic
    '!BDN', client magic 'SM', wVer 23 (Unicode), both header CRCs right,
    everything else zero and nothing behind it.  libpff's pffinfo 20180714
    (Debian pff-tools) accepts both checksums and reports "Personal Storage
    Tables (PST), 64-bit, encryption none"."""
    body = bytearray(564)
    body[0:4] = b"!BDN"
    body[8:10] = b"SM"
    struct.pack_into("<HHBB", body, 10, 23, 19, 0x01, 0x01)
    # dwCRCPartial: CRC over the 471 bytes from offset 8 ([MS-PST] 5.3, the
    # CRC-32 polynomial with initial value 0 and no final inversion)
    import zlib

    def crc(data):
        return zlib.crc32(bytes(data), 0xFFFFFFFF) ^ 0xFFFFFFFF

    struct.pack_into("<I", body, 4, crc(body[8 : 8 + 471]))
    # dwCRCFull (Unicode header, offset 524): over the 516 bytes from offset 8
    struct.pack_into("<I", body, 524, crc(body[8 : 8 + 516]))
    return bytes(body)


SAMPLES = [
    ("nested_multipart_200.eml", nested_multipart,
     "200 nested multipart/mixed levels, a text/plain part at the bottom"),
    ("declared_1gb_truncated.eml", declared_1gb_truncated,
     "attachment declaring 1 GiB (Content-Disposition size=1073741824 and Content-Length) whose base64 "
     "body stops after 3 KiB, mid-line, with no closing boundary"),
    ("header_1mb.eml", header_1mb, "an unfolded X-Filler header line of 1 MiB before the ordinary headers"),
    ("cyclic_fat_chain.msg", cyclic_fat_chain,
     "hand-made compound file: the subject stream's FAT chain loops (sector 2 -> 3 -> 2) while its size "
     "claims 8 sectors (4096 bytes, within the file's length)"),
    ("cyclic_dir_chain.msg", cyclic_dir_chain,
     "hand-made compound file: the directory sector's FAT entry points at itself"),
    ("tiny.pst", tiny_pst, "564-byte Unicode PST header ('!BDN', 'SM', wVer 23, both CRCs right) with nothing after it; "
     "pffinfo (Debian pff-tools) calls it a 64-bit PST"),
]
