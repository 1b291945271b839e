"""What a plain message wants: to ask, to complain, to check a case, or something else.

Cue-based and explainable. A question about the regulation is `ask`; an account of a grievance
(even one ending in 「怎么办」) is `complain`, so that it gets steering and an offer to file;
a 受理编号 or 「查进度」 is `status`; greetings, thanks and noise are `other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .normalize import has_meaning

TICKET = re.compile(r"XF-?\s*(\d{8})-?\s*(\d{4})", re.IGNORECASE)


class Intent(StrEnum):
    ASK = "ask"
    COMPLAIN = "complain"
    STATUS = "status"
    OTHER = "other"


_SMALL_TALK = re.compile(
    r"^(你好|您好|哈喽|嗨|hi|hello|hey|在吗|在不在|有人吗|谢谢|多谢|感谢|谢了|好的|好|嗯+|哦+|ok|okay|"
    r"再见|拜拜|bye|早上好|晚上好|下午好|辛苦了|收到|明白了?|知道了|你是谁|你叫什么(名字)?|你是机器人吗?|"
    r"你是真人吗?|你能做什么|你会什么)[!！。.~～,，?？\s]*$",
    re.IGNORECASE,
)
_STATUS_WORDS = re.compile(
    r"(查|看看|问问|了解).{0,6}(进度|进展|办到哪|结果|状态)|受理编号|我的(案件|投诉|事项|信访件)"
)
_QUESTION = re.compile(
    r"[?？]|吗$|吗[。.!！]?$|呢$|怎么|怎样|如何|什么|多久|多长|几天|几个|多少|能不能|能否|可不可以|可以.{0,12}吗|"
    r"是否|哪些|哪里|哪个|哪儿|谁|为什么|为啥|有没有|会不会|要不要|是不是|咋|啥"
)
# a first-person account of something that happened, or an explicit wish to complain
_FILE_WISH = re.compile(r"(我|我们|本人)?(要|想|需要|希望)(投诉|反映|举报|信访|上访|告|登记|提交)|帮我(反映|投诉|登记)")
_GRIEVANCE = re.compile(
    r"被|拖欠|欠(我|薪|款|钱|工资)|不给|不发|不还|不赔|不退|不管|不作为|乱(收费|搭|建|停|倒|排|扔)|违规|违法|违建|"
    r"污染|噪音|噪声|扰民|臭|漏水|停水|停电|坏了|不亮|破损|塌|堵|占用|拆迁|征收|补偿|赔偿|欺负|打了|骂|殴打|诈骗|"
    r"贪污|受贿|腐败|克扣|辞退|开除|解雇|纠纷|霸占|强拆|损失|受伤|投诉|举报|反映|要求|请求|希望|恳请|麻烦.{0,4}(处理|解决)|"
    r"不服|罚了|罚款|冤枉|欺负|骗|被偷|被盗|不管|没人管|不作为"
)
_FIRST_PERSON = re.compile(r"我|我们|我家|本人|俺|咱")


@dataclass(frozen=True, slots=True)
class IntentGuess:
    intent: Intent
    cues: tuple[str, ...]
    ticket: str | None = None


def ticket_in(text: str) -> str | None:
    """The 受理编号 in a message, normalised to XF-YYYYMMDD-NNNN, if there is one."""
    m = TICKET.search(text)
    return f"XF-{m.group(1)}-{m.group(2)}" if m else None


def guess_intent(text: str, *, qa_confidence: float = 0.0) -> IntentGuess:
    """Classify a normalised message. `qa_confidence` is the retriever's confidence for it."""
    stripped = text.strip()
    if not stripped or not has_meaning(stripped) or _SMALL_TALK.match(stripped):
        return IntentGuess(Intent.OTHER, ())
    ticket = ticket_in(stripped)
    if ticket or _STATUS_WORDS.search(stripped):
        return IntentGuess(Intent.STATUS, ("受理编号",) if ticket else ("查进度",), ticket)
    question = [m.group(0) for m in _QUESTION.finditer(stripped)]
    grievance = [m.group(0) for m in _GRIEVANCE.finditer(stripped)]
    wish = _FILE_WISH.search(stripped)
    if wish:
        return IntentGuess(Intent.COMPLAIN, (wish.group(0),))
    first_person = bool(_FIRST_PERSON.search(stripped))
    # a long first-person account is a grievance even when it ends with a question
    narrative = len(stripped) >= 40 and first_person and grievance
    if narrative or (grievance and not question) or (grievance and first_person and qa_confidence < 0.6):
        return IntentGuess(Intent.COMPLAIN, tuple(dict.fromkeys(grievance))[:5])
    if question or qa_confidence >= 0.35:
        return IntentGuess(Intent.ASK, tuple(dict.fromkeys(question))[:5])
    if grievance:
        return IntentGuess(Intent.COMPLAIN, tuple(dict.fromkeys(grievance))[:5])
    return IntentGuess(Intent.OTHER, ())
