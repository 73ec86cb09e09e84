"""Telling a file's type from its content, never from its name."""
from __future__ import annotations

import io
import zipfile


def sniff(data: bytes) -> str | None:
    """'xlsx', 'xls', 'pdf', 'png', 'jpeg', 'json', 'text', or None for other binary content."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return "xlsx" if "xl/workbook.xml" in names else None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    sample = data[:65536]
    if b"\x00" in sample:
        return None
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "text"


FITS, TOO_LARGE, DAMAGED = "fits", "too_large", "damaged"


def unpacked_size(data: bytes, limit: int) -> str:
    """Whether a zip (an xlsx) unpacks to at most `limit` bytes: FITS, TOO_LARGE or DAMAGED. First
    the sizes its directory declares, then the bytes each member really yields, read a piece at a
    time and given up on past the limit, so that a small file unpacking to gigabytes never reaches
    a spreadsheet reader; a member yielding other than it declares (a lying directory) is DAMAGED."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return FITS   # not a zip at all: the spreadsheet reader says what is wrong with it
    with archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > limit:
            return TOO_LARGE
        total = 0
        for member in members:
            try:
                with archive.open(member) as stream:
                    while piece := stream.read(1 << 20):
                        total += len(piece)
                        if total > limit:
                            return TOO_LARGE
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError, ValueError):
                return DAMAGED
    return FITS


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Excel on a Chinese Windows saves."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")
