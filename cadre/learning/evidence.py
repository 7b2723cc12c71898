"""Evidence files: which kinds are taken, and checking that a file is what its name says.

A file is taken when its name ends in one of the allowed endings and its first bytes are those of
that kind (a PDF starts %PDF-, a Word document is a zip holding word/document.xml, and so on):
a renamed program or web page is refused, whatever it is called. Nothing is stored until it passes."""

import re
import zipfile
from dataclasses import dataclass

from cadre.core.errors import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHECK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str


KINDS = {
    "pdf": Kind("PDF", "application/pdf"),
    "doc": Kind("Word document", "application/msword"),
    "docx": Kind("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "png": Kind("image", "image/png"),
    "jpg": Kind("image", "image/jpeg"),
    "jpeg": Kind("image", "image/jpeg"),
    "gif": Kind("image", "image/gif"),
    "webp": Kind("image", "image/webp"),
    "txt": Kind("text file", "text/plain; charset=utf-8"),
}
ACCEPT = ",".join(f".{ending}" for ending in KINDS)
ALLOWED_TEXT = "a PDF, a Word document (.doc or .docx), an image (.png, .jpg, .gif or .webp) or a text file (.txt)"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    ending: str
    content_type: str


def _ending(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def safe_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 200 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "evidence"
    if len(name) > 200:
        ending = _ending(name)
        name = name[: 199 - len(ending)] + "." + ending if ending else name[:200]
    return name


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _matches(ending: str, upload) -> bool:
    head = _head(upload)
    if ending == "pdf":
        return head.startswith(b"%PDF-")
    if ending == "doc":
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if ending == "docx":
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                return "word/document.xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    if ending == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ending in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ending == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if ending == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ending == "txt":
        upload.seek(0)
        sample = upload.read(MAX_TEXT_CHECK)
        upload.seek(0)
        if b"\x00" in sample:
            return False
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            # A cut in the middle of a character at the end of the sample is not a fault.
            return error.start >= len(sample) - 3 and len(sample) == MAX_TEXT_CHECK
        return True
    return False


def check_file(upload, *, field: str = "evidence_file") -> tuple[CheckedFile | None, list[Problem]]:
    """Check an uploaded file. Returns what to store it as, or the problems with it."""
    name = safe_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        return None, [Problem("The file could not be read. Choose it again.", field=field)]
    if size == 0:
        return None, [Problem("The selected file is empty.", field=field)]
    if size > MAX_BYTES:
        return None, [Problem("The selected file must be smaller than 5 MB.", field=field)]
    ending = _ending(name)
    if ending not in KINDS:
        return None, [Problem(f"The selected file must be {ALLOWED_TEXT}.", field=field)]
    if not _matches(ending, upload):
        kind = KINDS[ending].label
        article = "an" if kind[0] in "aeiouAEIOU" else "a"
        return None, [
            Problem(
                f"The selected file is called .{ending} but is not {article} {kind}. Choose {ALLOWED_TEXT}.",
                field=field,
            )
        ]
    return CheckedFile(name=name, ending=ending, content_type=KINDS[ending].content_type), []
