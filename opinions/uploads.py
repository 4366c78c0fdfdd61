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


# Keyed by the extension filetype reports for the content.
ACCEPTED: dict[str, FileKind] = {
    "pdf": FileKind(("pdf",), "application/pdf", gettext_lazy("PDF")),
    "docx": FileKind(("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     gettext_lazy("Word (.docx)")),
    "xlsx": FileKind(("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     gettext_lazy("Excel (.xlsx)")),
    "png": FileKind(("png",), "image/png", gettext_lazy("PNG image")),
    "jpg": FileKind(("jpg", "jpeg"), "image/jpeg", gettext_lazy("JPEG image")),
    "gif": FileKind(("gif",), "image/gif", gettext_lazy("GIF image")),
    "webp": FileKind(("webp",), "image/webp", gettext_lazy("WebP image")),
}
ZIP_BASED = {"zip", "docx", "xlsx"}


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
        raise InvalidInput(_("“%(name)s” is not an accepted file type: upload PDF, Word (.docx), Excel (.xlsx) "
                             "or an image.") % {"name": name}, field="file")
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if extension not in kind.extensions:
        raise InvalidInput(_("“%(name)s” contains a %(kind)s file, which does not match its name: rename it to end "
                             "in .%(extension)s, or upload the file you meant.")
                           % {"name": name, "kind": kind.label, "extension": kind.extensions[0]}, field="file")
    return kind


def _detected_extension(file) -> str | None:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    guess = filetype.guess_extension(head)
    return _office_package(file) if guess in ZIP_BASED else guess


def _office_package(file) -> str:
    """filetype only looks at the first few entries of a ZIP, and not every producer puts the document part there;
    the archive's central directory says for sure whether it is an Office document or just a ZIP."""
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
    return "zip"
