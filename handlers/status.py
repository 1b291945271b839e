"""/status <受理编号> and /mycases: a citizen sees their own cases — and only those."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backend.errors import NotFound
from backend.models import Case, CaseStatus
from backend.repo import cases
from backend.repo.events import EVENT_LABELS
from knowledge.periods import working_days_until
from nlp import ticket_in
from nlp.extract import find_phone
from nlp.intent import TICKET

from .context import Context
from .intake import format_date
from .router import Router
from .types import Button, rows

router = Router("status")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
ASK_TICKET = "请发送受理编号，例如：/status XF-20261125-0001。不记得的话，发送 /mycases 查看您反映过的事项。"
NOT_FOUND = (
    "未找到编号为 {ticket} 的事项。请核对编号；发送 /mycases 可查看您在这里反映的全部事项。"
    "在别的手机、别的聊天或网页上登记的，请把受理编号和登记时留的电话一起发给我，比如「查一下 {ticket}，电话 139……」。"
)
# a wrong phone and an unknown number get this same answer: a lookup tells a guesser nothing
NOT_FOUND_BY_PHONE = "没有找到：请核对受理编号和登记时留的电话号码。"
LOOKUP_TOO_MANY = "查询太频繁了，请一小时后再试；着急的话可以拨打 {hotline}。"
LOOKUP = "受理编号：{ticket}\n当前状态：{status}\n责任部门：{department}\n{deadline}{opinion}最近进展：\n{timeline}"
NO_CASES = "您还没有在这里反映过问题。需要的话点「我要反映问题」。"
NO_CASES_ELSEWHERE = (
    "在别处（信访部门、来信、来访、网上信访）反映的事项，可以按受理机关公布的查询方式查询办理进展和结果"
    "（《信访工作条例》第十八条、第二十一条）；有受理编号的，发送 /status 加编号。"
)
MY_CASES = "您反映过的事项（最近 {count} 件），点编号查看详情："
STATUS = (
    "受理编号：{ticket}\n事项：{summary}\n当前状态：{status}\n责任部门：{department}\n登记时间：{received}\n"
    "{deadline}{opinion}\n最近进展：\n{timeline}"
)
DEADLINE_ACCEPT = "告知是否受理的期限：{due}（{left}）\n"
DEADLINE_CONCLUDE = "办结期限：{due}（{left}）{extended}\n"
DEADLINE_REVIEW = "如对处理意见不服，可在 {due} 前申请复查（条例第三十五条）\n"
DEADLINE_RECHECK = "如对复查意见不服，可在 {due} 前申请复核（条例第三十六条）\n"
EXTENDED = "，已延期 {days} 日"
OPINION = "处理意见：{opinion}\n"
DEPARTMENT_PENDING = "正在确定责任部门"
# ─────────────────────────────────────────────────────────────────────────────

LOOKUPS_PER_HOUR = 5  # by 受理编号 + phone, per citizen: enough for typos, too few to guess phones
# events whose note is what the citizen was told (a reply, an opinion, a reason)
TOLD_NOTES = frozenset({"replied", "concluded", "reviewed", "re_examined", "rejected", "extended"})

# events a citizen is shown on /status (internal ones — PII views, similar-case links — are not)
PUBLIC_EVENTS = frozenset(
    {
        "filed",
        "routed",
        "triage",
        "repeat",
        "accepted",
        "rejected",
        "assigned",
        "started",
        "replied",
        "extended",
        "concluded",
        "review_requested",
        "reviewed",
        "re_examination_requested",
        "re_examined",
        "closed",
        "attachment",
    }
)


def days_left(today: date, due: date) -> str:
    if due < today:
        return f"已超期 {(today - due).days} 日"
    if due == today:
        return "今天到期"
    working = working_days_until(today, due)
    return f"还剩 {(due - today).days} 日，其中工作日 {working} 日"


def describe(case: Case, today: date, timezone, *, public: bool = False) -> str:  # type: ignore[no-untyped-def]
    """The case as its citizen sees it; `public`: as anyone who knows its number and phone sees it —
    status, department, deadline and public replies, nothing of what the citizen wrote."""
    status = CaseStatus(case.status)
    deadline = ""
    if status is CaseStatus.REGISTERED:
        deadline = DEADLINE_ACCEPT.format(due=format_date(case.accept_due), left=days_left(today, case.accept_due))
    elif case.conclude_due and status in (CaseStatus.ACCEPTED, CaseStatus.ROUTED, CaseStatus.IN_PROGRESS):
        extended = EXTENDED.format(days=case.extension_days) if case.extension_days else ""
        deadline = DEADLINE_CONCLUDE.format(
            due=format_date(case.conclude_due), left=days_left(today, case.conclude_due), extended=extended
        )
    elif status is CaseStatus.CONCLUDED and case.review_request_due:
        template = DEADLINE_RECHECK if case.review_stage == 1 else DEADLINE_REVIEW
        deadline = template.format(due=format_date(case.review_request_due))
    events = [e for e in case.events if e.kind in PUBLIC_EVENTS][-5:]
    timeline = "\n".join(
        f"• {e.at.astimezone(timezone):%m-%d %H:%M} {EVENT_LABELS.get(e.kind, e.kind)}"
        + (f"：{e.note[:80]}" if e.note and e.kind in TOLD_NOTES else "")
        for e in events
    )
    department = case.department.name if case.department else DEPARTMENT_PENDING
    if public:
        return LOOKUP.format(
            ticket=case.ticket,
            status=status.label,
            department=department,
            deadline=deadline,
            opinion=OPINION.format(opinion=case.opinion) if case.opinion else "",
            timeline=timeline or "• 暂无",
        )
    return STATUS.format(
        ticket=case.ticket,
        summary=case.summary[:60],
        status=status.label,
        department=department,
        received=f"{case.received_at.astimezone(timezone):%Y-%m-%d %H:%M}",
        deadline=deadline,
        opinion=OPINION.format(opinion=case.opinion) if case.opinion else "",
        timeline=timeline or "• 暂无",
    )


async def show(ctx: Context, raw: str) -> None:
    """A case by its number: the citizen's own, or — with the phone on it — one filed elsewhere."""
    ticket = ticket_in(raw) if raw else None
    if not ticket:
        ctx.say(ASK_TICKET if not raw else NOT_FOUND.format(ticket=raw[:30]))
        return
    try:
        case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, ticket)
    except NotFound:
        phone = find_phone(TICKET.sub(" ", raw))
        if phone:
            await look_up(ctx, ticket, phone)
        else:
            ctx.say(NOT_FOUND.format(ticket=ticket))
        return
    ctx.say(describe(case, ctx.services.today(), ctx.services.timezone))


async def look_up(ctx: Context, ticket: str, phone: str) -> None:
    """受理编号 + phone from any device or chat (as POST /api/v1/status): the same answer for a
    wrong phone as for an unknown number, and only a few tries an hour (kept with the dialogue)."""
    now = ctx.services.now()
    recent = [at for at in ctx.state.data.get("lookups", []) if _within_hour(now, at)]
    if len(recent) >= LOOKUPS_PER_HOUR:
        ctx.say(LOOKUP_TOO_MANY.format(hotline=ctx.services.hotline))
        return
    ctx.state.data["lookups"] = [*recent, now.isoformat()]
    try:
        case = await cases.for_lookup(ctx.uow.session, ticket, phone)
    except NotFound:
        ctx.say(NOT_FOUND_BY_PHONE)
        return
    ctx.say(describe(case, ctx.services.today(), ctx.services.timezone, public=True))


def _within_hour(now: datetime, at: object) -> bool:
    try:
        return isinstance(at, str) and now - datetime.fromisoformat(at) < timedelta(hours=1)
    except ValueError:
        return False


@router.command("status")
async def status(ctx: Context, argument: str) -> None:
    await show(ctx, argument)


@router.command("mycases")
async def my_cases(ctx: Context, _argument: str) -> None:
    await list_mine(ctx)


async def progress(ctx: Context, ticket: str | None) -> None:
    """«我反映的事情办得怎么样了» in any wording: the case named (with the phone on it, when it was
    filed elsewhere: 「查一下XF…，电话139…」), the only case, or the list."""
    if ticket:
        await show(ctx, ctx.text if ticket_in(ctx.text) == ticket else ticket)
        return
    mine = await cases.citizens_cases(ctx.uow.session, ctx.reader_id)
    if len(mine) == 1:
        await show(ctx, mine[0].ticket)
    elif not mine:
        ctx.say(f"{NO_CASES}\n{NO_CASES_ELSEWHERE}", rows(Button("我要反映问题", "intake:start")))
    else:
        await list_mine(ctx)


async def list_mine(ctx: Context) -> None:
    mine = await cases.citizens_cases(ctx.uow.session, ctx.reader_id)
    if not mine:
        ctx.say(NO_CASES, rows(Button("我要反映问题", "intake:start")))
        return
    buttons = [Button(f"{c.ticket} {CaseStatus(c.status).label}", f"status:{c.ticket}") for c in mine]
    lines = [f"• {c.ticket} {CaseStatus(c.status).label}：{c.summary[:24]}" for c in mine]
    ctx.say(MY_CASES.format(count=len(mine)) + "\n" + "\n".join(lines), rows(*buttons, per_row=1))


@router.button("status")
async def status_button(ctx: Context, payload: str) -> None:
    if payload == "mine":
        await list_mine(ctx)
    else:
        await show(ctx, payload)
