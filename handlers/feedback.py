"""After 办结: the citizen rates the result, or asks for 复查 (条例第三十五条) — by pressing the
buttons sent with the conclusion, or by typing (「还行吧，基本满意」): the buttons of the latest
unrated conclusion are a standing offer the typed text is read against (handlers/choices.py)."""

from __future__ import annotations

from datetime import timedelta

from backend.errors import NotFound
from backend.models import CaseStatus
from backend.repo import cases, events
from knowledge import payloads

from .choices import StandingOffer
from .context import Context
from .router import Router
from .types import Button

router = Router("feedback")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
THANKS = "谢谢您对 {ticket} 的评价（{value}）！{more}"
UNHAPPY = "很抱歉没能让您满意。如对处理意见不服，可以在 {due} 前申请复查（条例第三十五条）。"
ALREADY_RATED = "您已经评价过了（{value}），谢谢！"
NOT_YOURS = "没有找到这件事项，或它还没有办结。"
# ─────────────────────────────────────────────────────────────────────────────

RATING_WINDOW = timedelta(days=60)  # typed ratings are read against conclusions this recent


@router.standing_offer("satisfied", "basically_satisfied", "unsatisfied", "review")
async def unrated_conclusion(ctx: Context) -> StandingOffer | None:
    """The satisfaction prompt of the citizen's latest unrated conclusion, for typed answers."""
    ticket = await cases.awaiting_rating(ctx.uow.session, ctx.reader_id, ctx.services.today() - RATING_WINDOW)
    if ticket is None:
        return None
    rows = payloads.satisfaction_buttons(ticket)
    return StandingOffer(tuple(Button(b["label"], b["data"]) for row in rows for b in row))


@router.button(payloads.SATISFACTION.prefix)
async def rate(ctx: Context, payload: str) -> None:
    ticket, value = payloads.SATISFACTION.parse(payload)
    try:
        case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, ticket)
    except NotFound:
        ctx.say(NOT_YOURS)
        return
    if value not in payloads.RATINGS or case.status not in (CaseStatus.CONCLUDED, CaseStatus.CLOSED):
        ctx.say(NOT_YOURS)
        return
    if case.satisfaction:
        ctx.say(ALREADY_RATED.format(value=case.satisfaction))
        return
    case.satisfaction = value
    await events.record(ctx.uow.session, case, "citizen", "satisfaction", value)
    more = ""
    if value == "不满意" and case.review_request_due:
        more = UNHAPPY.format(due=f"{case.review_request_due.month}月{case.review_request_due.day}日")
    ctx.say(THANKS.format(ticket=case.ticket, value=value, more=more))


@router.button(payloads.REVIEW.prefix)
async def ask_review(ctx: Context, payload: str) -> None:
    """「申请复查」 pressed in a message from before the review flow existed: open that flow."""
    from . import review

    (ticket,) = payloads.REVIEW.parse(payload)
    await review.review_button(ctx, payloads.split(payloads.REVIEW_FLOW.build("pick", ticket))[1])
