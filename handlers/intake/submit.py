"""Filing the confirmed draft. Idempotent: the confirm button carries the draft's nonce, and a
second press (or a re-delivered update, or 「确认提交」 typed twice) reports the case already filed."""

from __future__ import annotations

from datetime import date

from backend.filing import CaseDraft, FilingResult, Routing, expected_conclusion, file_case
from backend.models import CaseStatus
from backend.repo import guidance
from backend.repo.events import record_told
from nlp.normalize import chinese_punctuation
from nlp.route import accused_department

from ..context import Context
from . import text as t
from .draft import ANONYMOUS_NAME
from .questions import load

FILED_KEY = "filed"
FILED_MEMORY = 20


async def submit(ctx: Context, nonce: str) -> None:
    filed = ctx.state.data.get(FILED_KEY, {})
    if nonce in filed:
        ctx.say(t.ALREADY_FILED.format(ticket=filed[nonce]))
        return
    draft = load(ctx)
    if draft is None or draft.nonce != nonce or ctx.state.name != "intake:confirm" or draft.missing():
        ctx.say(t.GONE)
        return
    assert draft.facts is not None and draft.request is not None
    engine = ctx.engine
    title = draft.summary or draft.facts[:60]
    body = "\n".join(x for x in (draft.facts, draft.request, draft.reason or "") if x)
    decision = engine.route(body, title=title)
    words = engine.segmenter.words(f"{draft.facts} {draft.request}")
    case_draft = CaseDraft(
        citizen_id=ctx.citizen_id,
        channel=ctx.incoming.channel,
        chat_id=ctx.incoming.chat_id,
        name=draft.display_name if not draft.anonymous else ANONYMOUS_NAME,
        phone=draft.phone,
        address=draft.address or "（未留）",
        facts=chinese_punctuation(draft.facts),
        request=chinese_punctuation(draft.request),
        reason=chinese_punctuation(draft.reason or ""),
        summary=chinese_punctuation(title),
        group_size=draft.group_size or 1,
        representatives=draft.representatives or [],
        attachment_ids=draft.attachments,
        kind=draft.kind,
        steer_channel=draft.steer_channel,
        urgent=draft.urgent,
        accused_department_id=accused_department(engine.knowledge.taxonomy, body),
    )
    routing = Routing(
        decision.category, decision.department_id, decision.confidence, list(decision.keywords), decision.needs_triage
    )
    result = await file_case(
        ctx.uow.session, case_draft, routing, words, ctx.services.now(), ctx.services.today(), nlp=engine
    )
    if draft.steer_channel:
        # the citizen was shown another door and chose to file anyway: both are on record
        await record_told(ctx.uow.session, result.case.id, draft.steer_channel)
        if draft.guidance_id:
            await guidance.set_outcome(
                ctx.uow.session, draft.guidance_id, ctx.citizen_id, "filed_anyway", result.case.id
            )
    filed[nonce] = result.case.ticket
    ctx.reset()
    ctx.state.data[FILED_KEY] = dict(list(filed.items())[-FILED_MEMORY:])  # a second press files nothing
    department = result.case.department_name or (decision.department.name if decision.department else "")
    ctx.say(filed_message(result, department, ctx.services.today()))


def filed_message(result: FilingResult, department_name: str, today: date) -> str:
    case = result.case
    if result.repeat:
        return t.REPEAT.format(ticket=case.ticket, status=CaseStatus(case.status).label)
    if case.kind == "report":
        routing = t.SEALED.format(department=department_name or "纪检监察机关")
    elif case.needs_triage or not case.department_id:
        routing = t.TRIAGED
    else:
        keywords = "、".join(f"「{k}」" for k in case.routing_keywords[:4]) or "相关情况"
        routing = t.ROUTED.format(department=department_name, keywords=keywords)
    return t.FILED.format(
        ticket=case.ticket,
        routing=routing,
        accept_due=format_date(case.accept_due),
        conclude_by=format_date(expected_conclusion(today)),
    )


def format_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
