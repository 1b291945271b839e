"""Filing a complaint: repeat check, 受理编号, deadlines, routing, similar cases, audit events.

The dialogue (or any other intake) hands over a `CaseDraft` with the routing decision and the
words of the complaint already computed by nlp/; everything here happens in the caller's
transaction, so a failure files nothing and the draft stays where it was.

Every intake — the chat's 我要反映问题, filing after steering, staff registering a letter, visit
or call — comes through `file_case`, and so through `seal`: a message that reports misconduct of
an official (检举控告) becomes a report, whatever the intake called it; it goes to the 纪检监察
body (never to the department it accuses), and the department it accuses is recorded so that
nobody there ever sees who made it (条例第三十条).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.periods import period_end
from nlp import Engine
from nlp.dedup import REPEAT_JACCARD, bands, jaccard, simhash
from nlp.pii import redact_identity

from .models import Attachment, Case, CaseEvent, CaseStatus
from .repo import cases as case_repo
from .repo.tickets import next_ticket

ACCEPT_NOTICE_DAYS = 15  # 条例第二十二条、第二十三条: told within 15 日 whether it is accepted
CONCLUDE_DAYS = 60  # 条例第三十四条
MAX_EXTENSION_DAYS = 30  # 条例第三十四条
REVIEW_REQUEST_DAYS = 30  # 条例第三十五条、第三十六条
REVIEW_ANSWER_DAYS = 30
# the one limit on a complaint's facts (事实), for every intake — the chat (its message limit too: one
# message can hold all of it), the web chat's box, staff registration; longer text is never cut silently
MAX_FACTS_CHARS = 4000
DISCIPLINE = "discipline_report"  # the steering channel of 检举控告

# ── 审计记录中的说明 ───────────────────────────────────────────────────────────
SEALED_NOTE = "检举控告：转纪检监察机关办理，举报人身份依条例第三十条保密，不透露、不转给被检举的人员或单位"
SEALED_TRIAGE_NOTE = "检举控告所反映的正是纪检监察机关：由信访部门按管理权限转上一级纪检监察机关，举报人身份保密"
# ─────────────────────────────────────────────────────────────────────────────


@dataclass
class Routing:
    category: str | None
    department_id: str | None
    confidence: float
    keywords: list[str]
    needs_triage: bool


@dataclass
class CaseDraft:
    citizen_id: int
    channel: str
    chat_id: str
    name: str
    address: str
    facts: str
    request: str
    reason: str = ""
    phone: str | None = None
    summary: str = ""
    group_size: int = 1
    representatives: list[str] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)
    kind: str = "complaint"  # complaint / report (检举控告) / suggestion
    steer_channel: str | None = None
    urgent: bool = False
    accused_department_id: str | None = None
    # registered by staff from a letter, visit or call (首接首办: who registers it handles it first)
    source: str = "chat"  # chat / letter / visit / phone / demo
    first_handler: str | None = None  # the registering staff member's username
    received_at: datetime | None = None  # when it reached the office, if not now
    received_on: date | None = None  # that day (China time): the 15 日 are counted from it
    letter_date: date | None = None


@dataclass(frozen=True, slots=True)
class FiledCase:
    """What the citizen is told about the case their complaint became (or joined)."""

    id: int
    ticket: str
    status: str
    accept_due: date
    department_id: str | None
    needs_triage: bool
    routing_keywords: list[str]
    kind: str = "complaint"
    department_name: str = ""  # of department_id, when the filing decided it (a report's 纪检监察 body)


@dataclass(frozen=True, slots=True)
class Seal:
    """What 条例第三十条 makes of a draft: a report or not, whom it accuses, where it must go."""

    report: bool
    accused_department_id: str | None
    why: tuple[str, ...] = ()  # the words that decided it (for the audit trail)


def seal(nlp: Engine, draft: CaseDraft) -> Seal:
    """Decide from the text itself whether the draft is a report (检举控告) and whom it accuses.

    A report: the intake already said so (the citizen was steered to the discipline door and
    filed anyway, or staff marked it), the steering verdict is 检举控告, or the text lays an act
    of misconduct at an official's door (nlp/accused.py). Only ever upgrades: a report stays one.
    """
    text = "\n".join(x for x in (draft.summary, draft.facts, draft.request, draft.reason) if x)
    accusation = nlp.accusation(text)
    verdict = nlp.steer(text)
    why: list[str] = []
    if draft.kind == "report":
        why.append("登记为检举控告")
    if verdict.channel == DISCIPLINE:
        why += [h.label for h in verdict.cues]
    if accusation is not None and accusation.is_report:
        why += [
            *(f"{accusation.official or ''}{w}" for w in accusation.misconduct),
            *(["举报"] if accusation.reported else []),
        ]
    accused = (accusation.department_id if accusation else None) or draft.accused_department_id
    return Seal(bool(why), accused, tuple(dict.fromkeys(why)))


@dataclass
class FilingResult:
    case: FiledCase
    repeat: bool  # True: the draft was the same matter as `case`, and was added to it
    similarity: float = 0.0


# built once: executing a prepared statement with parameters skips re-building it per filing
_INSERT_CASE = insert(Case).returning(Case.id)
_INSERT_EVENT = insert(CaseEvent)


@lru_cache(maxsize=20_000)
def words_of(case_id: int, search_text: str) -> frozenset[str]:
    """A case's word set; its words never change after filing, so parsing them once is enough."""
    return frozenset(search_text.split())


def expected_conclusion(received: date) -> date:
    """The latest date a case filed on `received` should be concluded, if accepted at the last moment."""
    return period_end(period_end(received, days=ACCEPT_NOTICE_DAYS), days=CONCLUDE_DAYS)


def _sealed_routing(nlp: Engine, sealed: Seal) -> tuple[Routing, str, str]:
    """A report goes to the 纪检监察 body — unless it is the one accused: then to 待分办, for the
    信访部门 to send to the level above. Returns the routing, its department's name and the note."""
    rules = nlp.knowledge.accusations
    discipline = nlp.knowledge.taxonomy.departments[rules.discipline_department]
    if sealed.accused_department_id == discipline.id:
        return Routing(None, None, 1.0, [], True), "", SEALED_TRIAGE_NOTE
    return Routing(discipline.category, discipline.id, 1.0, [], False), discipline.name, SEALED_NOTE


async def file_case(
    session: AsyncSession,
    draft: CaseDraft,
    routing: Routing,
    words: list[str],
    now: datetime,
    today: date,
    *,
    nlp: Engine,
) -> FilingResult:
    """One small read, then one short burst of writes (Core statements: this is the hot path).

    The read is the citizen's open cases (the repeat check); the writes take the 受理编号 and
    insert the case and its audit events. Linking 相似件 from other citizens is left to
    `backend.similar.link_pending`, run by a background worker: the citizen need not wait for it.
    """
    sealed = seal(nlp, draft)
    department_name, sealed_note = "", ""
    keyword_routing = routing
    if sealed.report:
        routing, department_name, sealed_note = _sealed_routing(nlp, sealed)
    if sealed.report or sealed.accused_department_id:
        # who made it is no search word: nobody finds a sealed case by the name or number of its maker
        known = (draft.name, draft.address, draft.phone)
        words = nlp.segmenter.words(" ".join(redact_identity(t, known) for t in (draft.facts, draft.request)))
    fingerprint = simhash(words)
    word_set = frozenset(words)
    b = bands(fingerprint)
    own = [
        c
        # a report (or a complaint about a department) joins only an open case sealed the same way,
        # never an ordinary one whose readers may include the accused
        for c in await case_repo.open_cases_for_repeat(session, draft.citizen_id)
        if (c.kind == "report") == sealed.report and c.accused_department_id == sealed.accused_department_id
    ]
    # 重复信访: the same citizen telling the same open matter again joins the existing case
    repeat = max(((jaccard(word_set, words_of(c.id, c.search_text)), c) for c in own), default=None, key=lambda p: p[0])
    if repeat is not None and repeat[0] >= REPEAT_JACCARD:
        score, existing = repeat
        await session.execute(
            insert(CaseEvent).values(
                case_id=existing.id,
                actor=_filer(draft),
                kind="repeat",
                note=draft.facts[:500],
                at=now,
                data={"similarity": round(score, 3), "request": draft.request},
            )
        )
        await session.execute(update(Case).where(Case.id == existing.id).values(updated_at=now))
        await _attach(session, existing.id, draft.citizen_id, draft.attachment_ids)
        filed = FiledCase(
            existing.id,
            existing.ticket,
            existing.status,
            existing.accept_due,
            existing.department_id,
            existing.needs_triage,
            list(existing.routing_keywords or []),
            existing.kind,
        )
        return FilingResult(filed, True, score)

    ticket = await next_ticket(session, today)
    department_id = None if routing.needs_triage else routing.department_id
    accept_due = period_end(draft.received_on or today, days=ACCEPT_NOTICE_DAYS)
    row = {
        "ticket": ticket,
        "citizen_id": draft.citizen_id,
        "channel": draft.channel,
        "chat_id": draft.chat_id,
        "kind": "report" if sealed.report else draft.kind,
        "status": CaseStatus.REGISTERED.value,
        "summary": (draft.summary or draft.facts)[:120],
        "name": draft.name,
        "phone": draft.phone,
        "phone_tail": phone_tail(draft.phone),
        "address": draft.address,
        "facts": draft.facts,
        "request": draft.request,
        "reason": draft.reason,
        "group_size": draft.group_size,
        "representatives": draft.representatives,
        "category": routing.category,
        "department_id": department_id,
        "routing_confidence": routing.confidence,
        "routing_keywords": routing.keywords,
        "needs_triage": routing.needs_triage,
        "steer_channel": draft.steer_channel,
        "urgent": draft.urgent,
        "accused_department_id": sealed.accused_department_id,
        "received_at": draft.received_at or now,
        "accept_due": accept_due,
        "source": draft.source,
        "letter_date": draft.letter_date,
        "first_handler": draft.first_handler,
        # responsible until someone is assigned — but a report is the 纪检监察 body's to assign
        "assignee": None if sealed.report else draft.first_handler,
        "assisting": [],
        "reopen_count": 0,
        "extension_days": 0,
        "simhash": fingerprint,
        "simhash_band0": b[0],
        "simhash_band1": b[1],
        "simhash_band2": b[2],
        "simhash_band3": b[3],
        "search_text": " ".join(sorted(word_set)),
        "similar_checked": False,
        "due_on": accept_due,
        "review_stage": 0,
        "created_at": now,
        "updated_at": now,
    }
    case_id = (await session.execute(_INSERT_CASE, row)).scalar_one()
    routing_data = {
        "category": routing.category,
        "department": routing.department_id,
        "confidence": routing.confidence,
        "keywords": routing.keywords,
    }
    trail = [
        {
            "kind": "filed",
            "actor": _filer(draft),
            "note": "",
            "data": {"channel": draft.channel, "source": draft.source},
        }
    ]
    if sealed.report:
        data = {**routing_data, "accused": sealed.accused_department_id, "cues": list(sealed.why)}
        data["keyword_department"] = keyword_routing.department_id
        trail.append(
            {
                "kind": "triage" if routing.needs_triage else "routed",
                "actor": "system",
                "note": sealed_note,
                "data": data,
            }
        )
    elif routing.needs_triage:
        trail.append(
            {"kind": "triage", "actor": "system", "note": "自动分派把握不足，转人工分派", "data": routing_data}
        )
    else:
        trail.append({"kind": "routed", "actor": "system", "note": "按关键词自动分派", "data": routing_data})
    if draft.urgent:
        trail.append({"kind": "urgent", "actor": "system", "note": "含紧急情形，请优先处理", "data": {}})
    await session.execute(_INSERT_EVENT, [{"case_id": case_id, "at": now, **event} for event in trail])
    await _attach(session, case_id, draft.citizen_id, draft.attachment_ids)
    filed = FiledCase(
        case_id,
        ticket,
        CaseStatus.REGISTERED.value,
        accept_due,
        department_id,
        routing.needs_triage,
        list(routing.keywords),
        row["kind"],
        department_name,
    )
    return FilingResult(filed, False)


def _filer(draft: CaseDraft) -> str:
    return f"staff:{draft.first_handler}" if draft.first_handler else "citizen"


def phone_tail(phone: str | None) -> str | None:
    """The last four digits of a phone number (what staff search by), or None."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    return digits[-4:] if len(digits) >= 4 else None


async def _attach(session: AsyncSession, case_id: int, citizen_id: int, attachment_ids: list[int]) -> None:
    if attachment_ids:
        await session.execute(
            update(Attachment)
            .where(Attachment.id.in_(attachment_ids), Attachment.citizen_id == citizen_id, Attachment.case_id.is_(None))
            .values(case_id=case_id)
        )
