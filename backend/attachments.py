"""Attachments: what a citizen may upload with a complaint, checked by size and by content."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from .errors import Invalid
from .models import Attachment

MAX_FILES_PER_CASE = 5

# accepted kinds, recognised by their first bytes (a renamed .exe is not a photo)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "照片"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "照片"),
    (b"GIF87a", "image/gif", "图片"),
    (b"GIF89a", "image/gif", "图片"),
    (b"%PDF-", "application/pdf", "PDF 文件"),
    (b"PK\x03\x04", "application/zip-office", "Office 文档"),  # docx / xlsx (zip containers)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msoffice", "Office 文档"),  # doc / xls
)
_OFFICE_EXTENSIONS = (".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".wps")


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"*:<>?|;\\/]')
DEFAULT_NAME = "附件"


def safe_file_name(name: str | None) -> str:
    """A name that is only a name: no directories (「../../etc/passwd」 → 「passwd」), no control
    characters, quotes or separators, no leading dots, at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_IN_NAME.sub("_", name).strip(" ._")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 119 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else name[:120]
    return name or DEFAULT_NAME


@dataclass(frozen=True, slots=True)
class CheckedFile:
    mime_type: str
    description: str


def check_file(file_name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Accept photos (JPEG/PNG/GIF/WebP), PDF and Office documents up to `max_bytes`; else Invalid."""
    if not data:
        raise Invalid("文件是空的")
    if len(data) > max_bytes:
        raise Invalid(f"文件太大（{len(data) / 1024 / 1024:.1f} MB），单个文件不能超过 {max_bytes // 1024 // 1024} MB")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return CheckedFile("image/webp", "照片")
    for signature, mime, description in _SIGNATURES:
        if data.startswith(signature):
            if mime.startswith("application/zip") or mime == "application/msoffice":
                if not file_name.lower().endswith(_OFFICE_EXTENSIONS):
                    break  # a zip that is not an Office document
                return CheckedFile("application/octet-stream", description)
            return CheckedFile(mime, description)
    raise Invalid("只能上传照片（JPG、PNG）、PDF 或 Word/Excel 文档")


async def store(
    session: AsyncSession, citizen_id: int, kind: str, file_name: str, data: bytes, max_bytes: int
) -> Attachment:
    checked = check_file(file_name, data, max_bytes)
    attachment = Attachment(
        citizen_id=citizen_id,
        kind=kind,
        file_name=safe_file_name(file_name),
        mime_type=checked.mime_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    session.add(attachment)
    await session.flush()
    return attachment
