"""What a plain message wants: to ask, to complain, to check a case, a specific need, or nothing.

Explainable, in two layers. First the specific needs that the law answers directly, each read
as a *combination* of meanings whose everyday words live in knowledge/data/colloquial.toml
([slots]), after dialect and known typos are made plain:

- review    discontent + a petition outcome (处理意见、答复、结果…) → 复查 (条例第三十五条);
            discontent + a 复查 that has concluded, or a wish for 复核 → 复核 (第三十六条).
            Never when the decision is a court's, an arbitrator's, an administrative penalty or
            a private party's answer (other_decision): those go to steering (诉访分离).
- not_accepted  a refusal to register or accept a petition: by a petition bureau (第四十三条,
            which="bureau") or by another organ (第四十四条); not a court's or the police's refusal
            to 立案 (steering).
- leader    a leader + meeting in person, asked or wished for (领导接访, 第十八条); not an
            account of a meeting, not a report against the leader.
- confidential  a report + the fear that the accused learns who made it, asked or worried
            about (第三十条); an account of retaliation that already happened is a grievance.
- status    progress + my matter («办得怎么样了», «有消息没»), or a 受理编号.

Then the broad classes: a question about the regulation is `ask`; an account of a grievance
(even one ending in 「怎么办」) is `complain`, so that it gets steering and an offer to file;
greetings, thanks and noise are `other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from knowledge import Colloquial, KnowledgeError
from knowledge.colloquial import COLLOQUIAL_FILE, load_colloquial

from .colloquial import Rewriter
from .normalize import has_meaning

TICKET = re.compile(r"XF-?\s*(\d{8})-?\s*(\d{4})", re.IGNORECASE)


class Intent(StrEnum):
    ASK = "ask"
    COMPLAIN = "complain"
    STATUS = "status"
    OTHER = "other"
    REVIEW = "review"  # wants 复查 or 复核 of a petition outcome (`IntentGuess.which`)
    NOT_ACCEPTED = "not_accepted"  # a petition was not registered or not accepted
    LEADER = "leader"  # wants to tell a leader in person (领导接访)
    CONFIDENTIAL = "confidential"  # fears the accused learns who reported them

    @property
    def specific(self) -> bool:
        """A need read from the citizen's own words; no steering or retrieval guess overrides it."""
        return self not in (Intent.ASK, Intent.COMPLAIN, Intent.OTHER)

    @property
    def public(self) -> str:
        """In the four words of the /api/v1/triage contract: the specific needs are questions
        the law answers (a 复查/复核 request is not a new complaint)."""
        return self.value if self in (Intent.ASK, Intent.COMPLAIN, Intent.STATUS, Intent.OTHER) else "ask"


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
    r"[?？]|吗$|吗[。.!！]?$|呢$|么[。.!！]?$|没[。.!！]?$|不[。.!！]?$|怎么|怎样|如何|什么|多久|多长|几天|几个|多少|"
    r"能不能|能否|可不可以|可以.{0,12}吗|是否|哪|谁|为什么|有没有|会不会|要不要|是不是|行不行|还是|"
    r"([\u4e00-\u9fff])不\1"  # 收不收、管不管
)
# a wish or a worry: what turns «领导接待了我» (an account) into «想找领导» (a need)
_WISH = re.compile(r"想|要|希望|打算|准备|能不能|能否|可不可以|可以|怎么|如何|怎样|吗|哪|什么时候|约|申请|求")
_WORRY = re.compile(
    r"会不会|会被|会让|会把|怕|担心|害怕|万一|要是|如果|吗|能不能|是否|保密|不想|不要|别|不会|谁来保护|怎么办"
)
# questions about the rules on time, not about one's own case
_RULE_QUESTION = re.compile(r"多久|多长时间|期限|规定|正常吗|合法|超期|超过|找谁|怎么办|能不能|可以|多少天|几天")
# a first-person account of something that happened, or an explicit wish to complain
_FILE_WISH = re.compile(r"(我|我们|本人)?(要|想|需要|希望)(投诉|反映|举报|信访|上访|告|登记|提交)|帮我(反映|投诉|登记)")
_GRIEVANCE = re.compile(
    r"被|拖欠|欠(我|薪|款|钱|工资)|不给|不发|不还|不赔|不退|不管|不作为|乱(收费|搭|建|停|倒|排|扔)|违规|违法|违建|"
    r"污染|噪音|噪声|扰民|臭|漏水|停水|停电|坏了|不亮|破损|塌|堵|占用|拆迁|征收|补偿|赔偿|欺负|打了|骂|殴打|诈骗|"
    r"贪污|受贿|腐败|克扣|辞退|开除|解雇|纠纷|霸占|强拆|损失|受伤|投诉|举报|反映|要求|请求|希望|恳请|麻烦.{0,4}(处理|解决)|"
    r"不服|罚了|罚款|冤枉|欺负|骗|被偷|被盗|不管|没人管|不作为"
)
_FIRST_PERSON = re.compile(r"我|我们|我家|本人|俺|咱")
_ACCOUNT = 40  # characters: a first-person message this long tells a story, whatever it asks at the end
# 「举报了会不会被打击报复」「要是他报复我，谁来保护我」: a worry about what may happen to the one who
# complains is a question the regulation answers (第十八条), not an account of retaliation
_RETALIATION_WORRY = re.compile(
    r"(会不会|会被|要是|如果|万一|怕|担心|害怕|生怕).{0,12}(打击报复|报复|穿小鞋|找.{0,2}麻烦|收拾我|连累)"
)

# how far apart two parts of one meaning may stand: «对复查的意见我还是不服» has 6 between
_NEAR = 12

SLOTS = (
    "discontent",
    "petition_outcome",
    "review_done",
    "recheck_done",
    "want_review",
    "want_recheck",
    "escalate",
    "other_decision",
    "refused",
    "refused_elsewhere",
    "bureau",
    "leader",
    "meet",
    "report",
    "exposure",
    "mine",
    "progress",
)


@dataclass(frozen=True, slots=True)
class IntentGuess:
    intent: Intent
    cues: tuple[str, ...]
    ticket: str | None = None
    # REVIEW: "review" (复查) or "recheck" (复核); NOT_ACCEPTED: "bureau" when a petition bureau refused
    which: str | None = None

    @property
    def need(self) -> str | None:
        """The FAQ `need` that answers this guess (knowledge.faq.NEEDS), or None for the broad intents."""
        if not self.intent.specific:
            return None
        if self.intent is Intent.REVIEW:
            return self.which or "review"
        if self.intent is Intent.NOT_ACCEPTED and self.which == "bureau":
            return "not_registered"
        return self.intent.value


class _Needs:
    """The slot word lists as regular expressions, and the combinations that make a need."""

    def __init__(self, colloquial: Colloquial) -> None:
        missing = [name for name in SLOTS if name not in colloquial.slots]
        if missing:
            raise KnowledgeError(f"knowledge/data/{COLLOQUIAL_FILE}", None, f"[slots] 缺少 {', '.join(missing)}")
        self.rewrite = Rewriter(colloquial)
        self._slots = {
            name: re.compile("|".join(map(re.escape, sorted(colloquial.slot(name), key=len, reverse=True))))
            for name in SLOTS
        }

    def find(self, slot: str, text: str) -> list[re.Match[str]]:
        return list(self._slots[slot].finditer(text))

    def near(self, first: str, second: str, text: str) -> tuple[str, str] | None:
        """Words of the two slots standing within _NEAR characters of each other, in any order."""
        for a in self.find(first, text):
            for b in self.find(second, text):
                gap = b.start() - a.end() if b.start() >= a.end() else a.start() - b.end()
                if -1 < gap <= _NEAR:
                    return a.group(0), b.group(0)
        return None

    def stage(self, text: str) -> str | None:
        """Which step of 复查 → 复核 a text is about: "recheck" once a 复查 has concluded or 复核 is
        named, "review" when only 复查 is; None when neither."""
        if "复核" in text or self.find("review_done", text) or self.find("recheck_done", text):
            return "recheck"
        return "review" if "复查" in text else None

    def read(self, text: str) -> IntentGuess | None:
        return (
            self._review(text)
            or self._refused(text)
            or self._confidential(text)
            or self._leader(text)
            or (self._status(text))
        )

    def _review(self, text: str) -> IntentGuess | None:
        if self.find("other_decision", text):
            return None
        done = self.near("recheck_done", "discontent", text)
        if done:
            return None  # after 复核 nothing is left to request: a question the law answers (第三十六条)
        for slots, which in (
            (("review_done", "discontent"), "recheck"),
            (("want_recheck",), "recheck"),
            (("want_review",), "review"),
            (("petition_outcome", "discontent"), "review"),
            (("escalate", "discontent"), "review"),
            (("escalate", "petition_outcome"), "review"),
        ):
            if len(slots) == 2:
                cues = self.near(slots[0], slots[1], text)
            else:
                found = self.find(slots[0], text)
                cues = (found[0].group(0),) if found else None
            if cues:
                if slots == ("want_review",) and self.find("review_done", text):
                    continue  # «复查后还能找上一级吗» is about 复核
                return IntentGuess(Intent.REVIEW, tuple(cues), which=which)
        return None

    def _refused(self, text: str) -> IntentGuess | None:
        # «受不受理» asks whether it will be accepted; it is not a refusal
        found = [m for m in self.find("refused", text) if not _a_not_a(text, m.start())]
        if not found or self.find("refused_elsewhere", text):
            return None
        bureau = self.find("bureau", text)
        cues = (*(m.group(0) for m in bureau[:1]), found[0].group(0))
        return IntentGuess(Intent.NOT_ACCEPTED, cues, which="bureau" if bureau else None)

    def _confidential(self, text: str) -> IntentGuess | None:
        cues = self.near("report", "exposure", text)
        if not cues or not _WORRY.search(text):
            return None
        return IntentGuess(Intent.CONFIDENTIAL, cues)

    def _leader(self, text: str) -> IntentGuess | None:
        if self.find("report", text) or not (_WISH.search(text) or _QUESTION.search(text)):
            return None
        meet = self.find("meet", text)
        direct = [m.group(0) for m in meet if self._slots["leader"].search(m.group(0))]
        cues = (direct[0],) if direct else self.near("leader", "meet", text)
        return IntentGuess(Intent.LEADER, tuple(cues)) if cues else None

    def _status(self, text: str) -> IntentGuess | None:
        progress = self.find("progress", text)
        if not progress or _RULE_QUESTION.search(text):
            return None
        mine = self.find("mine", text)
        if not mine and len(text) > 16:
            return None
        return IntentGuess(Intent.STATUS, tuple(m.group(0) for m in (*mine[:1], progress[0])))


def _a_not_a(text: str, start: int) -> bool:
    """True when the 不 at `start` sits in an A不A question («受不受理», «管不管», «受理不受理»)."""
    if text[start : start + 1] != "不":
        return False
    return any(
        0 < size <= start and text[start - size : start] == text[start + 1 : start + 1 + size] for size in (1, 2)
    )


@cache
def _needs() -> _Needs:
    return _Needs(load_colloquial())


def plain(text: str) -> str:
    """Dialect and known typos made plain (俺→我, 晓得→知道, 复合→复核)."""
    return _needs().rewrite(text)


def ticket_in(text: str) -> str | None:
    """The 受理编号 in a message, normalised to XF-YYYYMMDD-NNNN, if there is one."""
    m = TICKET.search(text)
    return f"XF-{m.group(1)}-{m.group(2)}" if m else None


def read_need(text: str) -> IntentGuess | None:
    """The specific need of a normalised message (review, not accepted, leader, confidential,
    status), or None."""
    return _needs().read(plain(text.strip()))


_CLAUSE = re.compile(r"[^。！？!?；;，,\n]+[。！？!?；;，,\n]*")


def asked_part(text: str) -> str:
    """The clauses of a message that ask something: a long account that ends «…到底有没有期限，
    过了期限怎么办» is asking about time limits, whatever the story before it. The whole text
    when no clause asks."""
    clauses = [c for c in _CLAUSE.findall(text) if _QUESTION.search(c.rstrip("。！!；;，,\n "))]
    return "".join(clauses) or text


def review_stage(text: str) -> str | None:
    """ "review" (复查, 第三十五条) or "recheck" (复核, 第三十六条) when the text is about one of them."""
    return _needs().stage(plain(text))


def guess_intent(text: str, *, qa_confidence: float = 0.0) -> IntentGuess:
    """Classify a normalised message. `qa_confidence` is the retriever's confidence for it."""
    stripped = text.strip()
    if not stripped or not has_meaning(stripped) or _SMALL_TALK.match(stripped):
        return IntentGuess(Intent.OTHER, ())
    ticket = ticket_in(stripped)
    if ticket:
        return IntentGuess(Intent.STATUS, ("受理编号",), ticket)
    stripped = plain(stripped)
    need = _needs().read(stripped)
    if need is not None:
        return need
    if _STATUS_WORDS.search(stripped):
        return IntentGuess(Intent.STATUS, ("查进度",))
    question = [m.group(0) for m in _QUESTION.finditer(stripped)]
    worry = _RETALIATION_WORRY.search(stripped)
    # (only about a report or complaint the message names: 「名字别写了，怕被穿小鞋」 at the intake's
    # name step is a wish to stay anonymous, which the dialogue reads itself)
    if (
        worry
        and len(stripped) < _ACCOUNT
        and _needs().find("report", stripped)
        and (question or _WORRY.search(stripped))
    ):
        return IntentGuess(Intent.ASK, (worry.group(0),))
    grievance = [m.group(0) for m in _GRIEVANCE.finditer(stripped)]
    wish = _FILE_WISH.search(stripped)
    if wish:
        return IntentGuess(Intent.COMPLAIN, (wish.group(0),))
    first_person = bool(_FIRST_PERSON.search(stripped))
    # a long first-person account is a grievance even when it ends with a question
    narrative = len(stripped) >= _ACCOUNT and first_person and grievance
    if narrative or (grievance and not question) or (grievance and first_person and qa_confidence < 0.6):
        return IntentGuess(Intent.COMPLAIN, tuple(dict.fromkeys(grievance))[:5])
    if question or qa_confidence >= 0.35:
        return IntentGuess(Intent.ASK, tuple(dict.fromkeys(question))[:5])
    if grievance:
        return IntentGuess(Intent.COMPLAIN, tuple(dict.fromkeys(grievance))[:5])
    return IntentGuess(Intent.OTHER, ())
