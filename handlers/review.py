"""复查 and 复核 after 办结 (条例第三十五条、第三十六条): by button or by typing, within the period.

`request(ctx, which)` is the entry point (which = "review", "recheck", or None: decided from the
citizen's cases). A concluded case not yet reviewed can be taken to 复查; one whose 复查意见 came
can be taken to 复核 — each within 30 日 of the written answer. The request becomes a case event
staff see, with the review body's own 30-日 deadline (backend/workflow.request_review). A citizen
whose answer came on paper, outside this system, is told the period and its last day.
"""

from __future__ import annotations

from backend import workflow
from backend.errors import Conflict, NotFound
from backend.models import Case, CaseStatus
from backend.repo import cases
from knowledge import payloads
from nlp import ticket_in

from .context import Context
from .intake import format_date
from .router import Router
from .types import Button, rows

router = Router("review")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
WORD = {"review": "复查", "recheck": "复核"}
ARTICLE = {"review": "条例第三十五条", "recheck": "条例第三十六条"}
TO_WHOM = {"review": "原办理机关的上一级机关", "recheck": "复查机关的上一级机关"}
CONFIRM = (
    "您的事项 {ticket}（{summary}）已于 {answered} 作出{answer}：{opinion}。\n"
    "对{answer}不服的，可以在收到书面答复之日起 30 日内（{due} 前）请求{word}（{article}），"
    "由{to_whom}办理，收到请求之日起 30 日内提出{word}意见。\n"
    "要申请{word}吗？可以直接点「确认申请{word}」，也可以先打字写下您不服的理由，我会一并交给{word}机关。"
)
PICK = "您有几件事项可以申请{word}，请点选是哪一件（也可以直接发受理编号）："
DONE = (
    "已登记您的{word}请求（{ticket}）。{word}机关应当在 {due} 前提出{word}意见{written}（{article}）。"
    "发送 /status {ticket} 可以随时查询进度。"
)
WRITTEN = "并书面答复您"
EXPIRED = "事项 {ticket} 请求{word}的期限已于 {due} 届满（收到书面答复之日起 30 日，{article}）。{if_passed}"
ALREADY = "事项 {ticket} 正在{word}中，{word}机关应当在 {due} 前提出意见。发送 /status {ticket} 可查询进度。"
FINAL = (
    "事项 {ticket} 已经复核，复核意见为最终意见；以同一事实和理由再提出的，各级机关不再受理（条例第三十六条）。"
    "如有新的事实和理由，可以重新反映；涉及诉讼、仲裁、行政复议的，请走相应的法定途径。"
)
NOT_YET = "事项 {ticket} 还没有办结，暂时不能申请{word}。办结后会书面答复您，收到答复后 30 日内可以申请。"
NEED_REVIEW_FIRST = "事项 {ticket} 还没有复查过，请先申请复查（条例第三十五条）；对复查意见不服的，再请求复核。"
NO_CASES = (
    "在这里没有找到您可以申请{word}的事项。\n"
    "• 复查：对书面的信访处理意见不服的，自收到之日起 30 日内，向原办理机关的上一级机关请求复查（条例第三十五条）；\n"
    "• 复核：对复查意见不服的，自收到之日起 30 日内，向复查机关的上一级机关请求复核（条例第三十六条）。\n"
    "请带上处理意见书（或复查意见书），以书面形式提出。{dated}"
)
DATED = "\n按您说的日期：\n{lines}"
CANCELLED = "好的，先不申请。收到书面答复 30 日内都可以再来申请，发送 /mycases 查看您的事项。"
BUTTON_CONFIRM, BUTTON_CANCEL = "确认申请{word}", "先不申请"
# ─────────────────────────────────────────────────────────────────────────────

STATE = "review_confirm"
_YES = ("确认", "是的", "是", "对", "好", "好的", "申请", "要", "同意", "可以", "嗯")
_NO = ("不", "不要", "不用", "算了", "取消", "先不", "不申请", "否", "暂时不")
_ORDINAL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_CODE = {"review": "r", "recheck": "c"}
_WHICH = {v: k for k, v in _CODE.items()}


def _stage_of(case: Case) -> str | None:
    """What the citizen may ask for now: 复查 after the first answer, 复核 after the 复查意见."""
    if case.status != CaseStatus.CONCLUDED:
        return None
    return {0: "review", 1: "recheck"}.get(case.review_stage)


def _explain_blocked(ctx: Context, case: Case, which: str) -> None:
    status = CaseStatus(case.status)
    word = WORD[which]
    if status in (CaseStatus.REVIEW, CaseStatus.RE_EXAMINATION) and case.review_due:
        now = "复核" if status is CaseStatus.RE_EXAMINATION else "复查"
        ctx.say(ALREADY.format(ticket=case.ticket, word=now, due=format_date(case.review_due)))
    elif status is CaseStatus.CLOSED and case.review_stage == 2:
        ctx.say(FINAL.format(ticket=case.ticket))
    elif which == "recheck" and status is CaseStatus.CONCLUDED and case.review_stage == 0:
        ctx.say(NEED_REVIEW_FIRST.format(ticket=case.ticket))
    else:
        ctx.say(NOT_YET.format(ticket=case.ticket, word=word))


async def request(ctx: Context, which: str | None) -> None:
    """The citizen asks for 复查 ("review") or 复核 ("recheck"); None: whichever their case is due."""
    ticket = ticket_in(ctx.text) if ctx.text else None
    mine = list(await cases.citizens_cases(ctx.uow.session, ctx.reader_id))
    if ticket:
        mine = [c for c in mine if c.ticket == ticket] or mine
    eligible = [c for c in mine if _stage_of(c) and (which is None or _stage_of(c) == which)]
    if not eligible:
        if mine and (ticket or len(mine) == 1):
            _explain_blocked(ctx, mine[0], which or "review")
            return
        busy = [c for c in mine if c.status in (CaseStatus.REVIEW, CaseStatus.RE_EXAMINATION)]
        if busy:
            _explain_blocked(ctx, busy[0], which or "review")
            return
        _no_cases(ctx, which or "review")
        return
    if len(eligible) == 1:
        await _offer(ctx, eligible[0])
        return
    word = WORD[which] if which else "复查或复核"
    shown = eligible[:8]
    ctx.state.name = STATE
    ctx.state.data[STATE] = {"choices": [c.ticket for c in shown]}
    lines = "\n".join(f"{i}. {c.ticket} {c.summary[:20]}" for i, c in enumerate(shown, start=1))
    buttons = [Button(f"{c.ticket} {c.summary[:12]}", payloads.REVIEW_FLOW.build("pick", c.ticket)) for c in shown]
    ctx.say(PICK.format(word=word) + "\n" + lines, rows(*buttons, per_row=1))


def _no_cases(ctx: Context, which: str) -> None:
    """No case here to take further: the periods in words, and the last day if a date was said."""
    from .cards import deadline_lines

    dated = ""
    if ctx.text:
        assessment = ctx.engine.remedies(ctx.text, ("petition",), ctx.services.today())
        if assessment.deadlines:
            dated = DATED.format(lines=deadline_lines(assessment, "petition", ctx.services.today()).rstrip("\n"))
    ctx.say(NO_CASES.format(word=WORD[which], dated=dated), rows(Button("查看我的事项", "status:mine")))


async def _offer(ctx: Context, case: Case) -> None:
    which = _stage_of(case)
    assert which is not None
    word, today = WORD[which], ctx.services.today()
    due = case.review_request_due
    if due and today > due:
        rule = ctx.engine.knowledge.remedies.rules_of("petition_review" if which == "review" else "petition_recheck")
        ctx.say(
            EXPIRED.format(
                ticket=case.ticket, word=word, due=format_date(due), article=ARTICLE[which], if_passed=rule[0].if_passed
            )
        )
        return
    answered = case.answer_received_on or case.concluded_on
    ctx.state.name = STATE
    ctx.state.data[STATE] = {"ticket": case.ticket, "which": which}
    ctx.say(
        CONFIRM.format(
            ticket=case.ticket,
            summary=case.summary[:30],
            answered=format_date(answered) if answered else "此前",
            answer="处理意见" if which == "review" else "复查意见",
            opinion=case.opinion or "（见书面答复）",
            word=word,
            article=ARTICLE[which],
            to_whom=TO_WHOM[which],
            due=format_date(due) if due else "收到答复 30 日",
        ),
        rows(
            Button(BUTTON_CONFIRM.format(word=word), payloads.REVIEW_FLOW.build("go", f"{_CODE[which]}:{case.ticket}")),
            Button(BUTTON_CANCEL, payloads.REVIEW_FLOW.build("no")),
        ),
    )


async def _submit(ctx: Context, ticket: str, which: str, reason: str = "") -> None:
    ctx.state.data.pop(STATE, None)
    if ctx.state.name == STATE:
        ctx.state.name = "idle"
    try:
        case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, ticket)
    except NotFound:
        ctx.say("没有找到这件事项。发送 /mycases 查看您的事项。")
        return
    if _stage_of(case) != which:
        _explain_blocked(ctx, case, which)
        return
    try:
        await workflow.request_review(
            ctx.uow.session,
            case,
            "citizen",
            ctx.services.today(),
            re_examination=which == "recheck",
            notify=False,
            note=reason,
        )
    except Conflict as exc:
        ctx.say(f"无法申请{WORD[which]}：{exc}")
        return
    assert case.review_due is not None
    ctx.say(
        DONE.format(
            word=WORD[which],
            ticket=case.ticket,
            due=format_date(case.review_due),
            written=WRITTEN if which == "review" else "",
            article=ARTICLE[which],
        )
    )


@router.button(payloads.REVIEW_FLOW.prefix)
async def review_button(ctx: Context, payload: str) -> None:
    action, rest = payloads.REVIEW_FLOW.parse(payload)
    if action == "go":
        code, _, ticket = rest.partition(":")
        if code in _WHICH and ticket:
            held = ctx.state.data.get(STATE) or {}
            reason = held.get("reason", "") if held.get("ticket") == ticket else ""
            await _submit(ctx, ticket, _WHICH[code], reason)
            return
    elif action == "pick" and rest:
        try:
            case = await cases.citizens_case(ctx.uow.session, ctx.reader_id, rest)
        except NotFound:
            ctx.say("没有找到这件事项。发送 /mycases 查看您的事项。")
            return
        if _stage_of(case):
            await _offer(ctx, case)
        else:
            _explain_blocked(ctx, case, "review")
        return
    elif action == "no":
        ctx.state.data.pop(STATE, None)
        if ctx.state.name == STATE:
            ctx.state.name = "idle"
        ctx.say(CANCELLED)
        return
    ctx.say("这个按钮已经失效了。需要申请复查、复核的，请直接告诉我。")


@router.state(STATE)
async def typed_answer(ctx: Context) -> None:
    """Typed 「确认」/「算了」, or the reasons — which are kept with the request."""
    from . import chat

    held = ctx.state.data.get(STATE)
    text = ctx.text.strip(" 。.!！~～")
    if not held:
        ctx.state.name = "idle"
        await chat.free_text(ctx)
        return
    if "choices" in held:  # which case: its number in the list, or its 受理编号
        number = _ORDINAL.get(text.strip("第个件号"), 0) or (int(text) if text.isdigit() else 0)
        ticket = ticket_in(text) or (held["choices"][number - 1] if 0 < number <= len(held["choices"]) else None)
        if ticket in held["choices"]:
            await review_button(ctx, f"pick:{ticket}")
            return
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        await chat.free_text(ctx)
        return
    if text in _NO or text.startswith(("不用", "算了", "取消", "先不")):
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        ctx.say(CANCELLED)
        return
    if text in _YES or text.startswith(("确认", "我要申请", "申请复查", "申请复核")):
        await _submit(ctx, held["ticket"], held["which"], held.get("reason", ""))
        return
    if ctx.text.startswith("/") or text.endswith(("?", "？", "吗")) or len(text) < 4:
        # a question or something else: leave the offer and read it as a new message
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        await chat.free_text(ctx)
        return
    await _submit(ctx, held["ticket"], held["which"], ctx.text)
