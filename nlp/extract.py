"""Picking the 条例第十九条 fields out of what a citizen types, so nothing is asked twice.

Two uses. A whole story in one message (「我叫王芳，电话138 1234 5678，住在……，希望……」):
`extract_fields` takes a field only when the text states it plainly. An answer to one question
that also answers another (「张三，13812345678」 to 「怎么称呼」): `answer_for` returns what answers
the question asked, with the parts that answer other fields (and lead-ins like 「我叫」「地址是」)
taken out. Validation lives here too, so the dialogue and the API agree on what a valid phone
number is. `read_correction` reads 「电话写错了，应该是139……」 at the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.choices import ChoiceVocabulary
from knowledge.numerals import cn_to_int

_SEPARATORS = r"[\s\-‐—–.()（）]*"
# a mobile with any separators between its digits (「138 1234 5678」「+86 138-1234-5678」)
_MOBILE = re.compile(rf"(?<![\d])(?:(?:\+|00)?86{_SEPARATORS})?1[3-9](?:{_SEPARATORS}\d){{9}}(?![\d])")
# a landline with its area code (「0731-84567890」「(010) 6234 5678」)
_LANDLINE = re.compile(rf"(?<![\d])[(（]?0\d{{2,3}}[)）]?{_SEPARATORS}\d{{3,4}}{_SEPARATORS}\d{{3,4}}(?![\d])")
_PHONE_LEAD = re.compile(
    r"(?:我的)?(?:联系)?(?:电话|手机|手机号|手机号码|号码|联系方式|座机)(?:号码)?(?:是|为|[:：])?\s*$"
)

_CJK = r"\u4e00-\u9fa5"
_NAME_LEAD = r"(?:我叫|我是|本人|我的名字是|我的名字叫|名字是|名字叫|姓名是|姓名[:：]|名字[:：]|叫我|称呼我|免贵姓.叫)"
_NAME = re.compile(
    rf"{_NAME_LEAD}\s*([{_CJK}·]{{2,4}}?)(?=[，,。.\s；;！!]|$|电话|手机|住|家住|联系|今年|就行|就好|就可以|吧|[0-9])"
)
_NOT_A_NAME = frozenset(
    {
        "市民",
        "业主",
        "村民",
        "居民",
        "群众",
        "老百姓",
        "家长",
        "学生",
        "老师",
        "患者",
        "工人",
        "农民",
        "农民工",
        "退休职工",
        "职工",
        "租户",
        "房东",
        "司机",
        "个体户",
        "老人",
        "残疾人",
        "退伍军人",
        "这里的",
        "本地人",
        "外地人",
    }
)
_NAME_STRIP = re.compile(
    r"^(?:您好|你好)?[，, ]*(?:我叫|我是|本人|我的名字是|我的名字叫|名字是|名字叫|姓名是?|叫我|称呼我|我姓|免贵姓|就叫我)[:：\s]*"
)
_NAME_TAIL = re.compile(r"(?:就行了?|就好|就可以了?|吧|啊|呀)?[。.!！~～]*$")

# the words that introduce an address, longest first: a shorter lead that is the start of a longer
# one (「家住」 of 「家住在」, 「住」 of 「住址」) would leave the rest of the lead in the address
_ADDRESS_LEAD = (
    r"(?:(?:我的|我们的|我家的?|我们|我|俺)?(?:家庭住址|家住址|住址|地址)(?:是|在|为|[:：])?|(?:我们|我|俺)?家?住的?(?:地方|是|在)+"
    r"|(?:我们|我|俺)?家(?:住在|住|在)|(?:我们|我|俺)住|(?:我们|我|俺)?(?:的|家)?(?:小区|村|单位|公司|厂)(?:在|位于)"
    r"|位于|地点在|地点是|地点[:：]"
    r"|住(?=[A-Za-z\u4e00-\u9fa5]{0,6}?[市区县镇乡村]))"  # a bare 「住」 only before a place name (not 「住院」)
)
_ADDRESS = re.compile(
    rf"{_ADDRESS_LEAD}\s*([{_CJK}A-Za-z0-9\-#号栋单元室楼层（）()]{{3,60}}?)(?=[，,。.；;!！\s]|$|电话|手机)"
)
_ADDRESS_WORD = re.compile(r"[区县市镇乡村路街道巷号小区栋弄里苑园庄屯组楼单元室社区胡同大院厂院]")
# an address said without a lead, as a clause of its own (「我是王强，139…，A市A2区银盆岭街道4栋，楼上…」):
# a district or county, then at least one smaller place — the way Chinese addresses are written
_PLACE = rf"[{_CJK}A-Za-z0-9]"
_BARE_ADDRESS = re.compile(
    rf"(?:^|(?<=[，,。.；;!！\s]))(?:(?:我们|我|俺)?(?:是|在)|(?:事情|事发)?(?:发生)?在|地点)?((?:{_PLACE}{{1,8}}?(?:省|自治区|市|自治州|州|盟))*{_PLACE}{{1,8}}?(?:区|县|旗)"
    rf"(?:{_PLACE}{{1,12}}?(?:街道|镇|乡|村|路|街|巷|社区|小区|苑|园|栋|号|组|弄|里))+[{_CJK}A-Za-z0-9\-#号栋单元室楼层]{{0,12}}?)"
    r"(?=[，,。.；;!！\s]|$|电话|手机)"
)
# what is left before an address typed as an answer: 「我住在」「地址：」「在」「是」 — never a character of the
# address itself (「我们小区在A市…」 must not become 「们小区在A市…」)
_ADDRESS_STRIP = re.compile(rf"^{_ADDRESS_LEAD}\s*|^(?:我们|我|俺)?(?:是|在|[:：])\s*")

_REQUEST = re.compile(
    r"(?:^|(?<=[，,。.！!？?；;\s]))(?:我|我们|俺|本人|特此)?(?:强烈|真心|迫切)?"
    r"((?:希望|要求|请求|恳请|恳求|盼望|请你们|请有关部门|请政府|麻烦你们|想让|想请)[^。！!？?\n]{4,200})"
)
_REASON = re.compile(r"(?:因为|由于|理由是|原因是|依据是|根据)")
_NOT_BUT = re.compile(r"不是.+?[，,]?(?:而)?是(.+)$")
_IS_NOT = re.compile(r"(?:应该)?是(.+?)[，,]?(?:而)?不是")  # 「是张珊，不是张三」
# a one-character marker (「是」「为」「叫」「在」) only where a clause begins: inside a value it is the value's own
# character (「地址不对，我们小区在为民路…」 is not 「民路…」)
_NEW_VALUE = re.compile(
    r"(?:应该是|应该为|应为|改成|改为|换成|写成|更正为|更正成|变成|(?:^|(?<=[，,\s])|(?<=应该)|(?<=其实)|(?<=实际))(?:是|为|叫|在)|[:：])\s*(.+)$"
)
_FIELD_LEAD = re.compile(r"^(?:我的)?(?:诉求|请求|要求|理由|原因)(?:是|为|[:：])\s*")

_COUNT = re.compile(
    r"(\d{1,6}|[一二两三四五六七八九十百千几]{1,4})\s*(?:多|来|余)?\s*(?:个|名|位)?\s*(户|家|人|口人|村民|业主|工人|员工|职工|学生|家长|老人|住户|居民)"
)
_FUZZY_COUNTS = {"几": 3, "十几": 10, "几十": 20, "几百": 100, "好几": 3, "百": 100, "上百": 100}


@dataclass(frozen=True, slots=True)
class Extracted:
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    request: str | None = None
    # where in the text the name, phone and address were said (to take them out of an answer)
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Correction:
    """「电话写错了，应该是139……」: which field, and the new value when it was given."""

    field: str | None
    value: str | None


# ── phone numbers ────────────────────────────────────────────────────────────


def normalise_phone(text: str) -> str | None:
    """A mainland mobile (11 digits) or landline (区号-号码) in canonical form, else None."""
    compact = re.sub(r"[\s\-‐—–.()（）]", "", _digits(text.strip()))
    compact = re.sub(r"^(?:\+|00)?86(?=1[3-9]\d{9}$)", "", compact)
    if re.fullmatch(r"1[3-9]\d{9}", compact):
        return compact
    # area codes: 010 and 02X have three digits, every other one four
    m = re.fullmatch(r"(0[12]\d)(\d{8})|(0[3-9]\d{2})(\d{7,8})", compact)
    if m:
        area, number = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{area}-{number}"
    return None


_CN_DIGITS = str.maketrans("零〇一二两三四五六七八九幺洞", "00122345678910")
# a number read out digit by digit, maybe mixed with written digits: 7 or more digits in a row
_CN_DIGIT_RUN = re.compile(r"[0-9零〇一二两三四五六七八九幺洞](?:[\s\-]*[0-9零〇一二两三四五六七八九幺洞]){6,}")


def _digits(text: str) -> str:
    """「一三八七三……」 read out digit by digit → 「138……」 (same length, so positions hold)."""
    return _CN_DIGIT_RUN.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def _phone_match(text: str) -> tuple[str, int, int] | None:
    text = _digits(text)
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(text):
            phone = normalise_phone(m.group(0))
            if phone:
                return phone, m.start(), m.end()
    return None


def find_phone(text: str) -> str | None:
    found = _phone_match(text)
    return found[0] if found else None


def all_phones(text: str) -> list[str]:
    """Every phone number in the text, in order."""
    text = _digits(text)
    found = [(m.start(), normalise_phone(m.group(0))) for p in (_MOBILE, _LANDLINE) for m in p.finditer(text)]
    return list(dict.fromkeys(phone for _, phone in sorted(found) if phone))


_LOCAL_NUMBER = re.compile(r"(?<!\d)([2-9]\d{2,3}[\s\-]?\d{4})(?!\d)")


def local_number(text: str) -> str | None:
    """A landline without its area code (「84567890」), taken only where a phone number was asked for."""
    numbers = [re.sub(r"\D", "", m.group(1)) for m in _LOCAL_NUMBER.finditer(_digits(text))]
    numbers = [n for n in numbers if len(n) in (7, 8)]
    return numbers[0] if len(numbers) == 1 else None


# ── names, addresses, requests ───────────────────────────────────────────────


def valid_name(text: str) -> bool:
    text = text.strip()
    return 1 <= len(text) <= 30 and bool(re.search(r"[\u4e00-\u9fa5A-Za-z]", text)) and not re.search(r"\d{5,}", text)


_CJK_NAME = re.compile(
    r"[\u4e00-\u9fa5]{1,4}|[\u4e00-\u9fa5]{1,3}(?:先生|女士|小姐|大爷|大妈|大娘|阿姨|师傅|老师|同志|奶奶|爷爷|伯|叔|婶)"
    r"|[\u4e00-\u9fa5]{1,8}·[\u4e00-\u9fa5·]{1,12}"
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'\-]{0,29}")
# characters a sentence has and a name (almost) never does: 「我投诉的事会不会……」 is not a name
_NOT_IN_NAMES = frozenset("我你您他她们吗呢吧啊的了么什怎谁哪")


def looks_like_name(text: str) -> bool:
    """A person's name or how they want to be called (「张三」「李大爷」「阿依古丽·买买提」「Li Lei」)."""
    text = re.sub(r"[（(][^）)]{0,10}[）)]$", "", text.strip())  # 「张三（女）」
    if _LATIN_NAME.fullmatch(text):
        return True
    text = re.sub(r"\s+", "", text)
    return bool(_CJK_NAME.fullmatch(text)) and not _NOT_IN_NAMES.intersection(text)


def _name_in(text: str) -> re.Match[str] | None:
    for m in _NAME.finditer(text):
        if m.group(1) not in _NOT_A_NAME and not m.group(1).endswith(("的", "了")):
            return m
    return None


# what a place is not: 「我所居住社区的道路安全问题向您反映」 names a topic, not where someone lives
_NOT_AN_ADDRESS = re.compile(
    r"^院|了|的人|的时候|那边|这边|这里|那里|附近的|好多年|多年|以前|的$|问题|反映|投诉|情况|事情|向您|向你们"
)


def looks_like_address(text: str) -> bool:
    """「A市 嗯 A6区 那个 金星北路 枫林湾小区」: names places, not a topic."""
    return bool(_ADDRESS_WORD.search(text)) and not _NOT_AN_ADDRESS.search(text)


def _address_in(text: str) -> re.Match[str] | None:
    for m in _ADDRESS.finditer(text):
        place = m.group(1)
        if len(place) >= 4 and _ADDRESS_WORD.search(place) and not _NOT_AN_ADDRESS.search(place):
            return m
    for m in _BARE_ADDRESS.finditer(text):
        if not _NOT_AN_ADDRESS.search(m.group(1)):
            return m
    return None


def extract_fields(text: str) -> Extracted:
    """Fields the text states plainly (「我叫…」「住在…」, a valid phone number, 「希望…」)."""
    spans: list[tuple[int, int]] = []
    name = address = None
    m = _name_in(text)
    if m:
        name = m.group(1)
        spans.append(m.span())
    phone = _phone_match(text)
    if phone:
        spans.append(phone[1:])
    m = _address_in(text)
    if m:
        address = m.group(1)
        spans.append(m.span())
    request = None
    m = _REQUEST.search(text)
    if m:
        request = m.group(1).strip("，,。 ")
    return Extracted(
        name=name, phone=phone[0] if phone else None, address=address, request=request, spans=tuple(sorted(spans))
    )


def _without(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    kept, last = [], 0
    for start, end in spans:
        kept.append(text[last:start])
        kept.append("，")
        last = max(last, end)
    kept.append(text[last:])
    return "".join(kept)


def _tidy(text: str) -> str:
    text = re.sub(r"[，,。.;；、\s]*[，,;；、][，,;；、\s]*", "，", text)
    return text.strip("，,。.;；、:： \n")


def answer_for(field: str, text: str) -> str:
    """What answers `field` in an answer that may also state other fields (and lead-ins)."""
    found = extract_fields(text)
    own = {
        "name": [s for s in found.spans if _name_in(text[s[0] : s[1]])],
        "address": [s for s in found.spans if _address_in(text[s[0] : s[1]])],
    }.get(field, [])
    others = tuple(s for s in found.spans if s not in own)
    if field == "address" and found.address and not _tidy(_without(text, found.spans)):
        return found.address
    rest = _without(text, others)
    # 「电话是」 left behind a phone number that answered another field
    rest = _tidy(re.sub(r"(?:我的)?(?:联系)?(?:电话|手机号?|号码|联系方式)(?:是|为|[:：])?\s*(?=，|$)", "", rest))
    if field == "name":
        return _name_among(rest) or found.name or ""
    if field == "address":
        return _tidy(_ADDRESS_STRIP.sub("", rest, count=1))
    if field in ("request", "reason"):
        return _tidy(_FIELD_LEAD.sub("", rest))
    return rest


_NAME_PIECES = re.compile(r"[，,。.！!？?；;～~、\s]+")
_FULL_NAME_LEAD = re.compile(r"^(?:全名|真名|大名|真实姓名|全名是|真名是|大名是|姓名是?|名字是|名字叫|我叫|叫)[:：]?")
_NICKNAME_LEAD = re.compile(r"^(?:叫我|称呼我|喊我|就叫我)")


_SURNAME_GIVEN = re.compile(
    r"姓([\u4e00-\u9fa5]{1,2})[，,、\s]*(?:名字?叫?|叫)([\u4e00-\u9fa5]{1,2})(?![\u4e00-\u9fa5])"
)


def _name_among(text: str) -> str:
    """「我姓黄，黄建军」「叫我小周就行～全名周雨萱」: of the pieces, the full name."""
    text = re.sub(r"[（(][^）)]{0,10}[）)]", "", text)  # 「王建国（男）」
    m = _SURNAME_GIVEN.search(text)
    if m and not m.group(2).startswith(m.group(1)):
        return m.group(1) + m.group(2)  # 「姓王，名小明」
    best, best_rank = "", -1
    for piece in _NAME_PIECES.split(strip_symbols(text)):
        rank = 1 if _NICKNAME_LEAD.match(piece) else 3 if _FULL_NAME_LEAD.match(piece) else 2
        name = _NAME_TAIL.sub("", _FULL_NAME_LEAD.sub("", _NAME_STRIP.sub("", piece))).strip()
        if not name:
            continue
        if not looks_like_name(name):
            rank = 0
        elif len(name) == 1:
            rank = min(rank, 1)  # a surname alone (「我姓刘」) only when nothing fuller is said
        if rank > best_rank or (rank == best_rank and len(name) > len(best)):
            best, best_rank = name, rank
    return best


_SYMBOLS = re.compile(r"[^\w\s，,。.！!？?；;：:、（）()\-#·～~“”\"'《》【】/]")


def strip_symbols(text: str) -> str:
    """Emoji and pictographs out (「万科城7栋🏠」 → 「万科城7栋」): they are no part of a field."""
    return _SYMBOLS.sub("", text).strip()


def split_reason(text: str) -> tuple[str, str | None]:
    """「希望修好路灯，因为老人晚上出门危险」 → (the request, the reason) when both are there."""
    m = _REASON.search(text)
    if not m or m.start() < 2:
        return text, None
    before, after = _tidy(text[: m.start()]), _tidy(text[m.start() :])
    if len(before) < 2 or len(after) < 4:
        return text, None
    return before, after


# ── how many people ──────────────────────────────────────────────────────────


_ROUGHLY = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])([十百千]?)")  # 「四五十」「三四」「两三百」
_UNIT = {"": 1, "十": 10, "百": 100, "千": 1000}


def _count_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    rough = _ROUGHLY.fullmatch(token)
    if rough and cn_to_int(rough.group(2)) == cn_to_int(rough.group(1)) + 1:  # a range: its lower end
        return cn_to_int(rough.group(1)) * _UNIT[rough.group(3)]
    for fuzzy, value in _FUZZY_COUNTS.items():
        if token == fuzzy:
            return value
    token = token.replace("几", "")
    try:
        return cn_to_int(token) if token else None
    except ValueError:
        return None


def group_size_in(text: str) -> int | None:
    """「我们楼二十多户」 → 20; 「三个人」 → 3; None when no count of people is said."""
    best = None
    for m in _COUNT.finditer(text):
        value = _count_value(m.group(1))
        if value and 1 <= value <= 100_000:
            best = max(best or 0, value)
    if best is None:
        m = re.fullmatch(
            r"\s*(?:大概|大约|约|一共|共|总共)?\s*(\d{1,6}|[一二两三四五六七八九十百几]{1,4})\s*(?:多|来|个|左右)*\s*",
            text,
        )
        if m:
            best = _count_value(m.group(1))
    return best


# ── corrections at the summary ───────────────────────────────────────────────


def read_correction(text: str, vocabulary: ChoiceVocabulary) -> Correction | None:
    """「电话写错了，应该是139……」「地址改成……」「名字写错了」; None when the text corrects nothing."""
    marked = any(marker in text for marker in vocabulary.corrections)
    field, at, length = None, len(text), 0
    for key, aliases in vocabulary.fields.items():
        for alias in aliases:
            i = text.find(alias)
            if i >= 0 and (i < at or (i == at and len(alias) > length)):
                field, at, length = key, i, len(alias)
    phones = all_phones(text)
    if phones and field in (None, "phone"):
        # 「不是138……，是139……」「把138……改成139……」: the new number is said last
        return Correction("phone", phones[-1])
    if field is None:
        return Correction(None, None) if marked else None
    tail = text[at + length :]
    m = _NOT_BUT.search(tail) or _IS_NOT.search(tail) or _NEW_VALUE.search(tail)
    value = _tidy(m.group(1)).strip("「」\"'“”") if m else ""
    if not value:  # 「地址不对，我住在……」: the new value said the way it would be said in a story
        found = extract_fields(tail)
        value = {"name": found.name, "address": found.address}.get(field) or ""
    if not value:
        return Correction(field, None) if marked or len(text) <= 8 else None
    if field == "name":
        # 「是刘秀英，英雄的英」「刘秀英（草字头的英）」: the name, not how it is spelt out
        head = re.split(r"[，,、\s（(]", value, maxsplit=1)[0]
        if head != value and looks_like_name(head):
            value = head
    return Correction(field, value)
