"""Picking the 条例第十九条 fields out of free text, so a citizen is not asked twice.

Conservative: a field is only taken when the text says it plainly (「我叫张三」, a valid phone
number, 「住在XX区XX路」, 「希望/要求……」). Validation of what the citizen types at each step
lives here too, so the dialogue and the API agree on what a valid phone number is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d(?:[-\s]?\d{4}){2})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[-\s]?(\d{7,8})(?!\d)")
_NAME = re.compile(
    r"(?:我叫|我是|本人|我的名字是|姓名[:：]?)\s*([\u4e00-\u9fa5·]{2,4})(?=[，,。.\s]|$|电话|手机|住|家住|联系)"
)
_ADDRESS = re.compile(
    r"(?:住在|家住|住址[:：]?|地址[:：]?|我住|位于)\s*([\u4e00-\u9fa5A-Za-z0-9\-#号栋单元室楼层（）()]{4,60}?)(?=[，,。.；;!！\s]|$)"
)
_REQUEST = re.compile(r"(?:希望|要求|请求|恳请|请|麻烦)([^。！!？?\n]{4,200})")
_NOT_A_NAME = frozenset({"市民", "业主", "村民", "居民", "群众", "老百姓", "家长", "学生", "老师", "患者", "工人"})


@dataclass(frozen=True, slots=True)
class Extracted:
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    request: str | None = None


def normalise_phone(text: str) -> str | None:
    """A mainland mobile (11 digits) or landline (区号-号码) in canonical form, else None."""
    compact = re.sub(r"[\s\-()（）]", "", text.strip())
    compact = re.sub(r"^(?:\+?86)(?=1[3-9]\d{9}$)", "", compact)
    if re.fullmatch(r"1[3-9]\d{9}", compact):
        return compact
    # area codes: 010 and 02X have three digits, every other one four
    m = re.fullmatch(r"(0[12]\d)(\d{8})|(0[3-9]\d{2})(\d{7,8})", compact)
    if m:
        area, number = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{area}-{number}"
    return None


def find_phone(text: str) -> str | None:
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(text):
            phone = normalise_phone(m.group(0))
            if phone:
                return phone
    return None


def extract_fields(text: str) -> Extracted:
    name = None
    m = _NAME.search(text)
    if m and m.group(1) not in _NOT_A_NAME:
        name = m.group(1)
    address = None
    m = _ADDRESS.search(text)
    if m and re.search(r"[区县市镇乡村路街道巷号小区栋]", m.group(1)):
        address = m.group(1)
    request = None
    m = _REQUEST.search(text)
    if m:
        request = m.group(0).strip("，,。 ")
    return Extracted(name=name, phone=find_phone(text), address=address, request=request)


def valid_name(text: str) -> bool:
    text = text.strip()
    return 1 <= len(text) <= 30 and bool(re.search(r"[\u4e00-\u9fa5A-Za-z]", text)) and not re.search(r"\d{5,}", text)
