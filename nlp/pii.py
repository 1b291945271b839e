"""PII masking for logs and for anything shown where the full value is not needed.

Phones (mainland mobiles and landlines), 18-digit ID numbers, and the house-number part of
addresses. Used by the logging filter installed at start-up, so no log line carries them.
"""

from __future__ import annotations

import logging
import re

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
# 「XX路12号3栋2单元501室」: keep the street, hide the numbers after it
_ADDRESS_NUMBERS = re.compile(
    r"(?<=[路街道巷弄村组区镇乡])\s*\d+\s*(?:号|弄|栋|幢|单元|室|楼|组)(?:\s*\d+\s*(?:号|栋|幢|单元|室|楼|层))*"
)


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile; 010-****5678 for a landline."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}" if digits.startswith("0") else f"****{digits[-4:]}"
    return "****"


def mask_pii(text: str) -> str:
    """Mask every phone number, ID number and house number in free text."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)[:3]}{'*' * 13}{m.group(3)[-2:]}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    return _ADDRESS_NUMBERS.sub("**号", text)


class PiiFilter(logging.Filter):
    """Masks PII in every record's message and arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still better logged than dropped
            return True
        masked = mask_pii(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


def install_log_masking() -> None:
    """Attach the filter to every handler of the root logger (filters on loggers do not propagate)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, PiiFilter) for f in handler.filters):
            handler.addFilter(PiiFilter())


_SELF_NAMED = re.compile(
    r"(我叫|我是|本人|我的名字是|名叫|姓名[:：]?)\s*([\u4e00-\u9fa5·]{2,4})(?=[，,。.\s、]|$|电话|手机|住|家住|联系|是)"
)


def redact_identity(text: str, known: tuple[str | None, ...] = ()) -> str:
    """For readers who must not learn who complained (条例第三十条): PII masked, the complainant's
    known name/address replaced, and self-introductions (「我叫王小明」) blanked."""
    for value in known:
        if value and len(value) >= 2:
            text = text.replace(value, "某某")
    text = _SELF_NAMED.sub(lambda m: f"{m.group(1)}某某", text)
    return mask_pii(text)
