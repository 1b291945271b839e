"""After 办结: the citizen rates the result with one tap, or asks for 复查 (条例第三十五条)."""

from __future__ import annotations

from backend import workflow
from backend.errors import Conflict, NotFound
from backend.models import CaseStatus
from backend.repo import cases, events

from .context import Context
from .router import Router

router = Router("feedback")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
THANKS = "谢谢您的评价（{value}）！{more}"
UNHAPPY = "很抱歉没能让您满意。如对处理意见不服，可以在 {due} 前申请复查（条例第三十五条）。"
ALREADY_RATED = "您已经评价过了（{value}），谢谢！"
NOT_YOURS = "没有找到这件事项，或它还没有办结。"
REVIEW_DONE = "已登记您的复查请求，复查机关将在 30 日内提出复查意见并书面答复您。发送 /status {ticket} 可查询进度。"
REVIEW_REFUSED = "无法申请复查：{why}"
# ─────────────────────────────────────────────────────────────────────────────

RATINGS = ("满意", "基本满意", "不满意")


@router.button("sat")
async def rate(ctx: Context, payload: str) -> None:
    ticket, _, value = payload.partition(":")
    try:
        case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, ticket)
    except NotFound:
        ctx.say(NOT_YOURS)
        return
    if value not in RATINGS or case.status not in (CaseStatus.CONCLUDED, CaseStatus.CLOSED):
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
    ctx.say(THANKS.format(value=value, more=more))


@router.button("rev")
async def ask_review(ctx: Context, ticket: str) -> None:
    try:
        case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, ticket)
    except NotFound:
        ctx.say(NOT_YOURS)
        return
    try:
        await workflow.request_review(ctx.uow.session, case, "citizen", ctx.services.today(), notify=False)
    except Conflict as exc:
        ctx.say(REVIEW_REFUSED.format(why=exc))
        return
    ctx.say(REVIEW_DONE.format(ticket=case.ticket))
