"""Registering a letter (来信), a visit (来访) or a call (来电) by staff: the same checks, routing,
steering advice and deadlines as a complaint filed in the chat, through the same filing code.

Whoever registers it is its first handler (首接首办) and stays responsible until the case is
assigned to someone. The 15 日 for telling the petitioner whether it is accepted run from the
day the office received it, which for a letter may be before the day it is registered.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nlp import Engine
from nlp.extract import normalise_phone, valid_name
from nlp.remedies import deadlines_json
from nlp.route import accused_department

from . import attachments as attachment_store
from .auth import Viewer
from .errors import FieldErrors, Invalid
from .filing import MAX_FACTS_CHARS, CaseDraft, FilingResult, Routing, file_case
from .models import Case
from .repo import citizens
from .repo.events import record_told

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
SOURCES = {"letter": "来信", "visit": "来访", "phone": "来电"}
ANONYMOUS = "（不愿留名）"
NOT_GIVEN = "（未留）"
ERRORS = {
    "source": "请选择来源：来信、来访或来电",
    "name": "姓名应为 1–30 个字，不含长串数字",
    "phone": "电话应为 11 位手机号或带区号的座机（如 0731-84567890）",
    "address": "住址请写到区或镇街道（至少 4 个字，含中文）",
    "facts": "事实请写清时间、地点、经过（至少 10 个字）",
    "facts_long": f"事实最多 {MAX_FACTS_CHARS} 字，请精简；详细材料可以作为附件上传",
    "request": "请写明信访人的请求（至少 2 个字）",
    "group_size": "涉及人数应为 1 到 100000 之间的整数",
    "representatives": "代表不超过 5 人（条例第二十条），姓名用逗号隔开",
    "received_on": "收到日期应为不晚于今天、一年以内的日期（YYYY-MM-DD）",
    "letter_date": "来信日期应为不晚于收到日期的日期（YYYY-MM-DD）",
    "kind": "类型应为投诉请求、检举控告或建议意见",
    "attachments": '附件应为 [{"file_name", "content"（base64）}]',
}
# ─────────────────────────────────────────────────────────────────────────────

KINDS = ("complaint", "report", "suggestion")
MAX_REPRESENTATIVES = 5  # 条例第二十条
MAX_FILES = attachment_store.MAX_FILES_PER_CASE
OFFLINE = "offline"  # the citizens' channel for people who wrote, came or called: nothing is sent to it


@dataclass
class Registration:
    """A checked registration form."""

    source: str
    facts: str
    request: str
    name: str = ANONYMOUS
    phone: str | None = None
    address: str = NOT_GIVEN
    reason: str = ""
    summary: str = ""
    group_size: int = 1
    representatives: list[str] = field(default_factory=list)
    received_on: date | None = None
    letter_date: date | None = None
    kind: str | None = None  # None: decided by the steering (检举控告 → report)
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Registered:
    result: FilingResult
    category: str | None
    department: str | None
    channel: str  # the legal channel the matter belongs to (petition: an ordinary 信访 matter)
    advice: dict[str, Any] | None  # where the law sends it, when it is not a petition matter
    urgent: bool
    first_handler: str | None  # who registered the case (an earlier one's, when this joined it)


def _text(body: Mapping[str, Any], key: str, limit: int | None = 4000) -> str:
    value = body.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value.strip() else None
    except ValueError:
        return None


def parse(body: Mapping[str, Any], today: date, files: list[tuple[str, bytes]] | None = None) -> Registration:
    """Check a form (JSON body or HTML form fields); FieldErrors lists every mistake at once."""
    errors: dict[str, str] = {}
    source = _text(body, "source")
    if source not in SOURCES:
        errors["source"] = ERRORS["source"]
    name = _text(body, "name", 64)
    if name and not valid_name(name):
        errors["name"] = ERRORS["name"]
    raw_phone = _text(body, "phone", 32)
    phone = normalise_phone(raw_phone) if raw_phone else None
    if raw_phone and not phone:
        errors["phone"] = ERRORS["phone"]
    address = _text(body, "address", 256)
    if address and (len(address) < 4 or not re.search(r"[\u4e00-\u9fa5]", address)):
        errors["address"] = ERRORS["address"]
    facts, request = _text(body, "facts", None), _text(body, "request")
    if len(facts) < 10:
        errors["facts"] = ERRORS["facts"]
    elif len(facts) > MAX_FACTS_CHARS:
        errors["facts"] = ERRORS["facts_long"]  # asked to shorten: a cut would lose what staff typed
    if len(request) < 2:
        errors["request"] = ERRORS["request"]
    group_size = 1
    raw_size = body.get("group_size")
    if raw_size not in (None, ""):
        try:
            group_size = int(str(raw_size).strip())
        except ValueError:
            group_size = 0
        if not 1 <= group_size <= 100_000:
            errors["group_size"] = ERRORS["group_size"]
    raw_reps = body.get("representatives") or []
    representatives = (
        [str(n).strip() for n in raw_reps if str(n).strip()]
        if isinstance(raw_reps, list)
        else [n.strip() for n in re.split(r"[，,、;；\s]+", str(raw_reps)) if n.strip()]
    )
    if len(representatives) > MAX_REPRESENTATIVES or not all(valid_name(n) for n in representatives):
        errors["representatives"] = ERRORS["representatives"]
    received_on = _day(body.get("received_on")) if body.get("received_on") else today
    if received_on is None or received_on > today or received_on < today - timedelta(days=366):
        errors["received_on"] = ERRORS["received_on"]
    letter_date = _day(body.get("letter_date"))
    if body.get("letter_date") and (letter_date is None or (received_on and letter_date > received_on)):
        errors["letter_date"] = ERRORS["letter_date"]
    kind = _text(body, "kind") or None
    if kind and kind not in KINDS:
        errors["kind"] = ERRORS["kind"]
    all_files = list(files or [])
    try:
        all_files += _decoded(body.get("attachments"))
    except ValueError:
        errors["attachments"] = ERRORS["attachments"]
    if errors:
        raise FieldErrors(errors)
    return Registration(
        source=source,
        facts=facts,
        request=request,
        name=name or ANONYMOUS,
        phone=phone,
        address=address or NOT_GIVEN,
        reason=_text(body, "reason"),
        summary=_text(body, "summary", 60) or facts.split("\n", 1)[0][:60],
        group_size=group_size,
        representatives=representatives if group_size > 1 else [],
        received_on=received_on,
        letter_date=letter_date if source == "letter" else None,
        kind=kind,
        files=all_files[:MAX_FILES],
    )


def _decoded(raw: Any) -> list[tuple[str, bytes]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValueError("attachments")
    out = []
    for item in raw[:MAX_FILES]:
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise ValueError("attachments")
        try:
            out.append((str(item.get("file_name") or "扫描件"), base64.b64decode(item["content"], validate=True)))
        except (binascii.Error, ValueError):
            raise ValueError("attachments") from None
    return out


def steering_advice(engine: Engine, text: str, today: date) -> tuple[str, dict[str, Any] | None]:
    """The legal channel of the matter and, when the law sends it elsewhere (诉访分离), what staff
    should tell the petitioner: who, where, what to bring, and the last day when a date is stated."""
    verdict = engine.steer(text)
    if not verdict.steered_away:
        return verdict.channel, None
    channel = engine.knowledge.channels[verdict.channel]
    limit = channel.limit
    deadlines = deadlines_json(engine.remedies(text, (verdict.channel,), today).deadlines)
    first = deadlines[0] if deadlines else None
    citation = limit.basis.citation
    return verdict.channel, {
        "channel": channel.id,
        "name": channel.name,
        "plain": channel.plain,
        "who": channel.who,
        "where": channel.where,
        "bring": list(channel.bring),
        "limit": limit.text,
        "basis": {"source": citation.law, "article": citation.article},
        "deadline": first["due"] if first else None,
        "expired": bool(first and first["expired"]),
        "deadlines": deadlines,
        "cues": [h.label for h in verdict.cues],
    }


async def register(
    session: AsyncSession,
    engine: Engine,
    form: Registration,
    viewer: Viewer,
    now: datetime,
    today: date,
    tz: ZoneInfo,
    max_attachment_bytes: int,
) -> Registered:
    """File the registration as a case, in the caller's transaction."""
    external = f"phone:{form.phone}" if form.phone else f"anon:{secrets.token_hex(8)}"
    citizen_id = await citizens.upsert(session, OFFLINE, external, "")
    attachment_ids = []
    kind = "document" if form.source == "letter" else "photo"
    for file_name, data in form.files:
        try:
            saved = await attachment_store.store(session, citizen_id, kind, file_name, data, max_attachment_bytes)
        except Invalid as exc:
            raise FieldErrors({"attachments": f"{file_name}：{exc}"}) from None
        attachment_ids.append(saved.id)
    body = "\n".join(x for x in (form.facts, form.request, form.reason) if x)
    decision = engine.route(body, title=form.summary)
    channel, advice = steering_advice(engine, body, today)
    urgent = engine.urgency(body).urgent
    received_at = now
    if form.received_on and form.received_on != today:
        received_at = datetime.combine(form.received_on, time(9), tz)  # the day is known, the hour is not
    draft = CaseDraft(
        citizen_id=citizen_id,
        channel=form.source,
        chat_id="",
        name=form.name,
        phone=form.phone,
        address=form.address,
        facts=form.facts,
        request=form.request,
        reason=form.reason,
        summary=form.summary,
        group_size=form.group_size,
        representatives=form.representatives,
        attachment_ids=attachment_ids,
        kind=form.kind or ("report" if channel == "discipline_report" else "complaint"),
        steer_channel=channel if advice else None,
        urgent=urgent,
        accused_department_id=accused_department(engine.knowledge.taxonomy, body),
        source=form.source,
        first_handler=viewer.username,
        received_at=received_at,
        received_on=form.received_on,
        letter_date=form.letter_date,
    )
    routing = Routing(
        decision.category, decision.department_id, decision.confidence, list(decision.keywords), decision.needs_triage
    )
    words = engine.segmenter.words(f"{form.facts} {form.request}")
    result = await file_case(session, draft, routing, words, now, today, nlp=engine)
    first_handler: str | None = viewer.username
    if result.repeat:
        first_handler = await session.scalar(select(Case.first_handler).where(Case.id == result.case.id))
    elif advice:
        await record_told(session, result.case.id, channel)
    return Registered(result, decision.category, result.case.department_id, channel, advice, urgent, first_handler)
