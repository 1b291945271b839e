"""Filing a complaint: repeat check, 受理编号, deadlines, routing, similar cases, audit events.

The dialogue (or any other intake) hands over a `CaseDraft` with the routing decision and the
words of the complaint already computed by nlp/; everything here happens in the caller's
transaction, so a failure files nothing and the draft stays where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.periods import period_end
from nlp.dedup import REPEAT_JACCARD, bands, jaccard, simhash

from .models import Attachment, Case, CaseEvent, CaseStatus
from .repo import cases as case_repo
from .repo.tickets import next_ticket

ACCEPT_NOTICE_DAYS = 15  # 条例第二十二条、第二十三条: told within 15 日 whether it is accepted
CONCLUDE_DAYS = 60  # 条例第三十四条
MAX_EXTENSION_DAYS = 30  # 条例第三十四条
REVIEW_REQUEST_DAYS = 30  # 条例第三十五条、第三十六条
REVIEW_ANSWER_DAYS = 30


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


async def file_case(
    session: AsyncSession, draft: CaseDraft, routing: Routing, words: list[str], now: datetime, today: date
) -> FilingResult:
    """One small read, then one short burst of writes (Core statements: this is the hot path).

    The read is the citizen's open cases (the repeat check); the writes take the 受理编号 and
    insert the case and its audit events. Linking 相似件 from other citizens is left to
    `backend.similar.link_pending`, run by a background worker: the citizen need not wait for it.
    """
    fingerprint = simhash(words)
    word_set = frozenset(words)
    b = bands(fingerprint)
    own = await case_repo.open_cases_for_repeat(session, draft.citizen_id)
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
        "kind": draft.kind,
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
        "accused_department_id": draft.accused_department_id,
        "received_at": draft.received_at or now,
        "accept_due": accept_due,
        "source": draft.source,
        "letter_date": draft.letter_date,
        "first_handler": draft.first_handler,
        "assignee": draft.first_handler,  # responsible until someone is assigned
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
    if routing.needs_triage:
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
