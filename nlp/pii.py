"""PII masking for logs and for anything shown where the full value is not needed.

Phones (mainland mobiles and landlines), ID numbers (18 and 15 digits, or whatever follows
「身份证」), bank card and account numbers, and the house-number part of addresses. Used by the
logging filter installed at start-up, so no log line carries them; `mask_numbers` is what every
staff view applies; `redact_identity` is what a reader who must not learn who complained sees.
"""

from __future__ import annotations

import logging
import re

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\s?(\d{8})\s?(\d{3}[\dXx])(?![0-9A-Za-z])")
_OLD_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")  # first-generation IDs
# 16–19 digits, maybe in groups of four: a bank card (an ID number is masked before this runs)
_BANK_CARD = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ -]?\d){11,15}(?![0-9A-Za-z])")
# whatever follows a word naming the number is that number, even cut short (「身份证430104…」)
_NAMED_NUMBER = re.compile(
    r"(身份证号码|身份证号|身份证|证件号码|证件号|银行卡号|银行卡|银行账号|银行帐号|卡号|账号|帐号|账户|帐户)"
    r"(?:是|为|：|:)?\s*([0-9Xx][0-9Xx \-*]{3,30}[0-9Xx*])"
)
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


def _masked_run(value: str, keep_head: int, keep_tail: int) -> str:
    digits = re.sub(r"[^0-9Xx]", "", value)
    if len(digits) < 12:  # a number cut short: too little is left to show any of it
        return "*" * len(digits)
    return f"{digits[:keep_head]}{'*' * (len(digits) - keep_head - keep_tail)}{digits[-keep_tail:]}"


def mask_numbers(text: str) -> str:
    """ID numbers and bank card/account numbers masked: 430**************34, 6222********1234.
    Every staff view applies this, whoever the reader."""
    text = _NAMED_NUMBER.sub(lambda m: f"{m.group(1)}{_masked_run(m.group(2), 3, 2)}", text)
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)[:3]}{'*' * 13}{m.group(3)[-2:]}", text)
    text = _OLD_ID_NUMBER.sub(lambda m: _masked_run(m.group(0), 3, 2), text)
    return _BANK_CARD.sub(lambda m: _masked_run(m.group(0), 4, 4), text)


def mask_pii(text: str) -> str:
    """Mask every phone number, ID and card number and house number in free text."""
    text = mask_numbers(text)
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
    r"(我叫|我是|本人|我的名字是|名叫|姓名[:：]?|(?:实名)?(?:举报人|检举人|控告人|反映人|信访人|联系人)[:：是]?)"
    r"\s*([\u4e00-\u9fa5·]{2,4})(?=[，,。.\s、；;]|$|电话|手机|住|家住|联系|是|身份证|微信|QQ|qq)"
)
# contact handles: 微信 / QQ / 支付宝 ids and e-mail addresses
_HANDLE = re.compile(
    r"(微信号?|vx|VX|wx|WX|QQ号?|qq号?|扣扣|支付宝(?:账号|帐号)?)\s*(?:号码|号)?(?:是|为|：|:)?\s*"
    r"([A-Za-z0-9][-_A-Za-z0-9.@]{4,39})"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def redact_identity(text: str, known: tuple[str | None, ...] = ()) -> str:
    """For readers who must not learn who complained (条例第三十条): PII masked, the complainant's
    known name/address replaced, self-introductions (「我叫王小明」「举报人：王小明」) blanked,
    contact handles (微信, QQ, e-mail) and named ID/account numbers removed."""
    for value in known:
        if value and len(value) >= 2:
            text = text.replace(value, "某某")
    text = _SELF_NAMED.sub(lambda m: f"{m.group(1)}某某", text)
    text = _HANDLE.sub(lambda m: f"{m.group(1)}（已隐去）", text)
    text = _EMAIL.sub("（邮箱已隐去）", text)
    text = _NAMED_NUMBER.sub(lambda m: f"{m.group(1)}（已隐去）", text)
    text = _MOBILE.sub("（电话已隐去）", text)
    text = _LANDLINE.sub("（电话已隐去）", text)
    return mask_pii(text)
