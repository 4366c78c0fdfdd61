"""Checking one uploaded file before it is kept: its type is read from its content, never taken from its name or
from the browser's Content-Type, and the name must then agree with what the content is."""

import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from npc_tracker.errors import InvalidInput

# filetype reads no further than this; the rest of a large upload stays on disk.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]  # the first one is used when the file is stored
    content_type: str
    label: Promise


# Keyed by the extension filetype reports for the content, or the one the checks below find for ZIPs and compound
# files.
# WPS Office writes Word's and Excel's binary formats under its own names (.wps, .et): the content is the same kind, so
# it is served as that kind, under the name it was uploaded with.
ACCEPTED: dict[str, FileKind] = {
    "pdf": FileKind(("pdf",), "application/pdf", gettext_lazy("PDF")),
    "ofd": FileKind(("ofd",), "application/ofd", gettext_lazy("OFD")),
    "docx": FileKind(("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     gettext_lazy("Word (.docx)")),
    "doc": FileKind(("doc", "wps"), "application/msword", gettext_lazy("Word (.doc, .wps)")),
    "xlsx": FileKind(("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     gettext_lazy("Excel (.xlsx)")),
    "xls": FileKind(("xls", "et"), "application/vnd.ms-excel", gettext_lazy("Excel (.xls, .et)")),
    "png": FileKind(("png",), "image/png", gettext_lazy("PNG image")),
    "jpg": FileKind(("jpg", "jpeg"), "image/jpeg", gettext_lazy("JPEG image")),
    "gif": FileKind(("gif",), "image/gif", gettext_lazy("GIF image")),
    "webp": FileKind(("webp",), "image/webp", gettext_lazy("WebP image")),
}
# A file input's `accept`: the picker offers the names the check takes.
ACCEPT = ",".join(f".{extension}" for kind in ACCEPTED.values() for extension in kind.extensions)
ZIP_BASED = {"zip", "docx", "xlsx"}

# OLE2 compound files ([MS-CFB]) hold .doc, .xls, .wps and .et alike; the stream at the top of the file that holds
# the document says which it is ("Book" is Excel 5's). Streams further down belong to embedded objects and do not
# count: a presentation with a Word table in it is not a Word document.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_DOCUMENT_STREAMS = {"WordDocument": "doc", "Workbook": "xls", "Book": "xls"}
# Far more directory than the few top-level entries Word and Excel write first, and a bound on the work however large
# the file is or however its sector chain loops.
OLE2_DIRECTORY_SECTORS = 32
OLE2_HEADER_FAT_SECTORS = 109  # the allocation table's first sectors are listed in the header; the rest in a chain
OLE2_STREAM, OLE2_ROOT = 2, 5  # directory entry types
OLE2_NONE = 0xFFFFFFFF  # no entry, no sector: above every real one


def max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)


def file_name(file) -> str:
    """The name as the uploader knows it: without any folder a client or a caller may have put in front."""
    return os.path.basename(file.name or "")


def check_upload(file) -> FileKind:
    """The kind of an acceptable file; InvalidInput (field "file") for an empty, too large or unaccepted one."""
    name = file_name(file)
    limit = max_bytes()
    if not file.size:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, field="file")
    if file.size > limit:
        raise InvalidInput(_("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
                           % {"name": name, "size": filesizeformat(file.size), "limit": filesizeformat(limit)},
                           field="file")
    kind = ACCEPTED.get(_detected_extension(file))
    if kind is None:
        raise InvalidInput(_("“%(name)s” is not an accepted file type: upload PDF, OFD, Word (.docx, .doc, .wps), "
                             "Excel (.xlsx, .xls, .et) or an image.") % {"name": name}, field="file")
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if extension not in kind.extensions:
        raise InvalidInput(_("“%(name)s” contains a %(kind)s file, which does not match its name: rename it to end "
                             "in .%(extension)s, or upload the file you meant.")
                           % {"name": name, "kind": kind.label, "extension": kind.extensions[0]}, field="file")
    return kind


def _detected_extension(file) -> str | None:
    head = _read(file, 0, HEAD_BYTES)
    # filetype judges a compound file by the bytes after its header, which depend on how the producer laid the file
    # out (it takes some Word files for workbooks): the directory says for sure.
    if head.startswith(OLE2_MAGIC):
        return _compound_document(file)
    guess = filetype.guess_extension(head)
    return _zip_package(file) if guess in ZIP_BASED else guess


def _zip_package(file) -> str:
    """filetype only looks at the first few entries of a ZIP, and not every producer puts the document part there;
    the archive's central directory says for sure whether it is an Office or OFD document or just a ZIP. Only the
    names are read: no member is decompressed."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return "zip"
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    if "OFD.xml" in names:  # GB/T 33190: the package's entry point, at its root
        return "ofd"
    return "zip"


def _compound_document(file) -> str | None:
    """The kind ("doc" or "xls") of a compound file whose top holds Word's or Excel's document stream, not both."""
    entries = _compound_directory(file)
    if not entries or entries[0][66] != OLE2_ROOT:
        return None
    kinds, seen, pending = set(), set(), [_u32(entries[0], 76)]
    while pending:  # the root's children: its child and, as a tree, that child's siblings
        index = pending.pop()
        if index >= len(entries) or index in seen:  # also OLE2_NONE
            continue
        seen.add(index)
        entry = entries[index]
        pending += [_u32(entry, 68), _u32(entry, 72)]
        name_bytes = int.from_bytes(entry[64:66], "little") - 2  # without the terminating NUL
        name = entry[:name_bytes].decode("utf-16-le", "replace") if 0 < name_bytes <= 62 else ""
        if entry[66] == OLE2_STREAM and name in OLE2_DOCUMENT_STREAMS:
            kinds.add(OLE2_DOCUMENT_STREAMS[name])
    return kinds.pop() if len(kinds) == 1 else None


def _compound_directory(file) -> list[bytes]:
    """The directory entries (128 bytes each) of a compound file, as far as OLE2_DIRECTORY_SECTORS of its chain go,
    read sector by sector through the allocation table."""
    header = _read(file, 0, 512)
    shift = int.from_bytes(header[30:32], "little")
    if len(header) < 512 or shift not in (9, 12):  # 512- or 4096-byte sectors: the spec's only two
        return []
    size = 1 << shift
    sectors = file.size // size - 1  # whole sectors after the header, which takes the first sector's room
    entries, sector = [], _u32(header, 48)
    for _step in range(OLE2_DIRECTORY_SECTORS):
        if sector >= sectors:  # also the end-of-chain and other markers, all above any real sector
            break
        data = _read(file, (sector + 1) * size, size)
        entries += [data[at:at + 128] for at in range(0, len(data) - 127, 128)]
        sector = _next_sector(file, header, size, sectors, sector)
    return entries


def _next_sector(file, header: bytes, size: int, sectors: int, sector: int) -> int:
    """The sector after `sector` in its chain: its allocation table entry, in a table sector found in the header or,
    past the first OLE2_HEADER_FAT_SECTORS, in the chain of DIFAT sectors (each listing size/4 - 1 more and then the
    next one)."""
    per_sector = size // 4
    index = sector // per_sector
    if index < OLE2_HEADER_FAT_SECTORS:
        table = _u32(header, 76 + 4 * index)
    else:
        hops, at = divmod(index - OLE2_HEADER_FAT_SECTORS, per_sector - 1)
        difat = _u32(header, 68)
        # Few hops: each DIFAT sector maps per_sector × (per_sector - 1) sectors, of a file the size limit caps.
        for _hop in range(hops):
            if difat >= sectors:
                return OLE2_NONE
            difat = _u32(_read(file, (difat + 2) * size - 4, 4), 0)
        if difat >= sectors:
            return OLE2_NONE
        table = _u32(_read(file, (difat + 1) * size + 4 * at, 4), 0)
    if table >= sectors:
        return OLE2_NONE
    return _u32(_read(file, (table + 1) * size + 4 * (sector % per_sector), 4), 0)


def _read(file, offset: int, length: int) -> bytes:
    file.seek(offset)
    data = file.read(length)
    file.seek(0)
    return data


def _u32(data: bytes, offset: int) -> int:
    """A little-endian sector or entry number; OLE2_NONE where `data` is too short to hold one."""
    return int.from_bytes(data[offset:offset + 4], "little") if len(data) >= offset + 4 else OLE2_NONE
