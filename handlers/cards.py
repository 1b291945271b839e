"""The channel card's content, and the one question about the date a period turns on.

A card says who, where, what to bring, what it costs — and, per remedy the door offers, its last
day counted from the date the citizen stated (「已届满」 and what remains possible when it has
passed; 「暂定」 when the holiday calendar of that year is not published yet). When the date the
period turns on is missing or only approximate, one question asks for it, typed or picked.
The basis line names the articles that send the matter this way (per door, not one for all).
"""

from __future__ import annotations

from datetime import date, timedelta

from knowledge.channels import Channel
from knowledge.remedies import Event, Rule
from nlp import Assessment, Deadline, Verdict
from nlp.dates import mentioned_date
from nlp.remedies import Pending

from .context import Context
from .intake import format_date
from .router import Router
from .types import Button, rows

router = Router("cards")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
CARD_INTRO = (
    "您说的情况（{cues}），按法律规定应当通过【{name}】解决——这条路有明确的期限和法律效力，走对了门才不会耽误您的权利："
)
CARD_INTRO_NO_PERIOD = (
    "您说的情况（{cues}），应当走【{name}】这条路，由有权机关依法处理——走对了门，问题才能真正得到查处："
)
CARD_INTRO_OPTIONAL = "您说的情况（{cues}），可以通过【{name}】解决（{optional}）。这条路有明确的期限和法律效力："
CARD = (
    "• 这是什么：{plain}\n"
    "• 找谁：{who}\n"
    "• 怎么办：{where}\n"
    "• 带什么：{bring}\n"
    "• 期限：{limit}\n"
    "{deadlines}"
    "• 费用：{cost}\n"
    "• 请不起律师：可以拨打 12348 公共法律服务热线，经济困难的可以申请免费法律援助（《法律援助法》第二条、第三十一条）。"
)
REMEDY_OPEN = (
    "  – {name}：按您说的「{said}」{approx}算，最后一天是 {last}（还有 {left} 天）{provisional}。（{basis}）\n"
)
REMEDY_TODAY = "  – {name}：按您说的「{said}」{approx}算，今天就是最后一天 {last}，请今天就办！（{basis}）\n"
REMEDY_PASSED = "  – {name}：按您说的「{said}」{approx}算，已届满（{last}）。还能怎么办：{if_passed}\n"
REMEDY_PENDING = "  – {name}：{text}（{basis}）\n"
REMEDY_RULE = "  – {name}：{period}，从{start}起算（{basis}）\n"
REVIEW_FIRST = (
    "  – 须先申请行政复议：您说的属于「{case}」，法律规定应当先申请行政复议；对复议决定不服的，"
    "才可以向法院起诉，不能直接起诉。（{basis}）\n"
)
CLOSED = "  – {text}\n"
LIABLE = "  – 向谁申请：您说的是「{case}」，赔偿义务机关是{who}。（{basis}）\n"
CAPPED = "（最长保护期先到）"
APPROX = "（按最早可能的日期）"
DERIVED = "（上诉期满视为生效，以法院生效证明为准）"
PROVISIONAL = "，暂定：{year}年的节假日安排尚未公布，按已知的法定节日推算"
ALSO = "\n{also}"
MIXED = "另外，您说的情况也可以走【{name}】：{plain}"
BASIS_LINE = "\n依据：{basis}。您仍然可以选择向信访部门反映，我们会按程序登记。"
ASK_DATE = "{ask}\n期限从这一天算起：日期不同，最后一天就不同。请直接打字告诉我（比如「3月5日」「上个月5号」），或点下面的选项。"
ASK_WHICH = "{ask}\n您提到了几个日期，期限从这一天算起，请点选是哪一天，或直接打字告诉我。"
DATE_RESULT = "按【{event}】是 {day} 计算：\n{lines}"
DATE_NONE = "按这个日期，{name}没有需要计算的期限。"
DATE_FORGOT = (
    "没关系。可以看看送达回证、快递单、短信或文书上的日期；期限从那天起算，拿不准就尽早办理，也可以拨打 12348 咨询。"
)
DATE_FUTURE = "这个日期还没到。请告诉我已经发生的那一天，比如「3月5日」。"
BUTTON_TODAY, BUTTON_YESTERDAY, BUTTON_DAY_BEFORE, BUTTON_FORGOT = "今天", "昨天", "前天", "记不清了"
# ─────────────────────────────────────────────────────────────────────────────

STATE = "remedy_date"
_FORGOT_WORDS = ("记不清", "不记得", "忘了", "想不起", "不知道", "不清楚", "记不得")


def _basis(rule: Rule) -> str:
    return rule.basis.label


def remedy_line(deadline: Deadline, today: date) -> str:
    approx = DERIVED if deadline.start.derived else APPROX if deadline.approximate else ""
    approx += CAPPED if deadline.capped else ""
    values = {
        "name": deadline.rule.name,
        "said": deadline.start.said,
        "approx": approx,
        "last": format_date(deadline.due),
        "basis": deadline.basis.label,
    }
    if deadline.expired:
        return REMEDY_PASSED.format(if_passed=deadline.rule.if_passed, **values)
    if deadline.due == today:
        return REMEDY_TODAY.format(**values)
    provisional = PROVISIONAL.format(year=deadline.due.year) if deadline.provisional else ""
    return REMEDY_OPEN.format(left=deadline.days_left(today), provisional=provisional, **values)


def pending_line(pending: Pending) -> str:
    return REMEDY_PENDING.format(name=pending.rule.name, text=pending.text, basis=_basis(pending.rule))


def rule_line(rule: Rule) -> str:
    return REMEDY_RULE.format(name=rule.name, period=rule.period.words, start=rule.start, basis=_basis(rule))


def deadline_lines(assessment: Assessment, door: str, today: date) -> str:
    """Every remedy of the door: its last day where a date was stated, else its period in words;
    first what the law says of the case itself — 行政复议 before any court (复议前置), a matter
    already ended in the citizen's favour, the organ that answers for it (赔偿义务机关)."""
    lines = [REVIEW_FIRST.format(case=r.case, basis=r.basis.label) for r in assessment.review_first if r.door == door]
    lines += [CLOSED.format(text=c.text) for c in assessment.closed if c.door == door]
    liable = assessment.liable
    if liable is not None and liable.door == door:
        lines.append(LIABLE.format(case=liable.case, who=liable.who, basis=liable.basis.label))
    lines += [remedy_line(d, today) for d in assessment.deadlines if d.rule.door == door]
    lines += [pending_line(p) for p in assessment.pending if p.rule.door == door]
    dated = {d.remedy for d in assessment.deadlines} | {p.rule.remedy for p in assessment.pending}
    lines += [rule_line(rule) for rule, _event in assessment.missing if rule.door == door and rule.remedy not in dated]
    return "".join(lines)


def deadline_line(assessment: Assessment, door: str, today: date) -> tuple[str, date | None]:
    """The card's deadline lines, and the last day that matters most (the soonest still open)."""
    mine = [d for d in assessment.deadlines if d.rule.door == door]
    open_days = sorted(d.due for d in mine if not d.expired)
    last = open_days[0] if open_days else (max(d.due for d in mine) if mine else None)
    return deadline_lines(assessment, door, today), last


def basis_line(channel: Channel) -> str:
    """「《信访工作条例》第二十二条第二款、第三十条」: one title per law, in the file's order."""
    by_law: dict[str, list[str]] = {}
    for b in channel.door_basis or (channel.limit.basis,):
        by_law.setdefault(b.citation.law, []).append(b.label.split("》", 1)[1])
    return "、".join(f"《{law}》" + "、".join(parts) for law, parts in by_law.items())


def reasons(verdict: Verdict) -> str:
    """What the decision rests on, in the citizen's own words: 「拖欠工资：「工资」、「老板」」."""
    said, seen = [], set()
    for hit in verdict.cues[:3]:
        words = [w for w in hit.matched.split("、") if w]
        if not words or set(words) <= seen:
            continue  # a second reason resting on the same words says nothing new
        seen.update(words)
        said.append(f"{hit.label}：" + "、".join(f"「{w}」" for w in words[:4]))
    return "；".join(said[:2]) or "您的描述"


def channel_card(
    channel: Channel,
    verdict: Verdict,
    assessment: Assessment,
    today: date,
    channels: dict[str, Channel],
    *,
    has_periods: bool = True,
) -> tuple[str, date | None]:
    cues = reasons(verdict)
    deadlines, last = deadline_line(assessment, channel.id, today)
    if channel.optional:
        intro = CARD_INTRO_OPTIONAL.format(cues=cues, name=channel.name, optional=channel.optional)
    elif not has_periods:
        intro = CARD_INTRO_NO_PERIOD.format(cues=cues, name=channel.name)
    else:
        intro = CARD_INTRO.format(cues=cues, name=channel.name)
    body = (
        intro
        + "\n"
        + CARD.format(
            plain=channel.plain,
            who=channel.who,
            where=channel.where,
            bring="；".join(channel.bring),
            limit=channel.limit.text,
            deadlines=deadlines,
            cost=channel.cost,
        )
    )
    if channel.also_text and any(h.also for h in verdict.cues):
        body += ALSO.format(also=channel.also_text)
    for other in verdict.also:
        # a door closed for this matter (上诉、再审 after 宣告无罪) is not offered beside it
        if other != "petition" and other in channels and other not in assessment.closed_doors:
            body += "\n" + MIXED.format(name=channels[other].name, plain=channels[other].plain)
            more = deadline_lines(assessment, other, today)
            if more:
                body += "\n" + more.rstrip("\n")
    return body + BASIS_LINE.format(basis=basis_line(channel)), last


def for_verdict(ctx: Context, verdict: Verdict, text: str | None = None) -> tuple[str, date | None]:
    """The card for the verdict's door, with the remedies' last days from what the citizen said
    (`text`: the whole story, when the door was settled by a later answer)."""
    text = text or ctx.text
    channels = ctx.engine.knowledge.channels
    today = ctx.services.today()
    assessment = ctx.engine.remedies(text, (verdict.channel, *verdict.also), today)
    ctx.state.data[STATE] = {"door": verdict.channel, "doors": list(assessment.doors), "text": text}
    has_periods = bool(ctx.engine.knowledge.remedies.of_door(verdict.channel))
    return channel_card(channels[verdict.channel], verdict, assessment, today, channels, has_periods=has_periods)


def ask_date_if_needed(ctx: Context) -> bool:
    """After the card: ask once for the date the period turns on, when it is missing or approximate."""
    held = ctx.state.data.get(STATE)
    if not held:
        return False
    today = ctx.services.today()
    assessment = ctx.engine.remedies(held["text"], held["doors"], today)
    event = assessment.question(held["door"])
    if event is None:
        ctx.state.data.pop(STATE, None)
        return False
    held["event"] = event.id
    ctx.state.name = STATE
    untied = sorted({d.day for d in assessment.dated.all_dates})
    if 2 <= len(untied) <= 4:
        choices = [Button(format_date(day), f"rdate:{day.isoformat()}") for day in untied]
        ctx.say(ASK_WHICH.format(ask=event.ask), rows(*choices, Button(BUTTON_FORGOT, "rdate:forgot"), per_row=2))
        return True
    ctx.say(
        ASK_DATE.format(ask=event.ask),
        rows(
            Button(BUTTON_TODAY, f"rdate:{today.isoformat()}"),
            Button(BUTTON_YESTERDAY, f"rdate:{(today - timedelta(days=1)).isoformat()}"),
            Button(BUTTON_DAY_BEFORE, f"rdate:{(today - timedelta(days=2)).isoformat()}"),
            Button(BUTTON_FORGOT, "rdate:forgot"),
            per_row=4,
        ),
    )
    return True


def _answer(ctx: Context, day: date) -> None:
    held = ctx.state.data.pop(STATE)
    ctx.state.name = "idle"
    today = ctx.services.today()
    if day > today:
        ctx.state.data[STATE] = held
        ctx.state.name = STATE
        ctx.say(DATE_FUTURE)
        return
    remedies = ctx.engine.knowledge.remedies
    event: Event = remedies.events[held["event"]]
    assessment = ctx.engine.remedies(held["text"], held["doors"], today, {event.id: day})
    lines = deadline_lines(assessment, held["door"], today)
    if not any(d.rule.door == held["door"] for d in assessment.deadlines):
        name = ctx.engine.knowledge.channels[held["door"]].name
        ctx.say(DATE_NONE.format(name=name) + ("\n" + lines if lines else ""))
        return
    ctx.say(DATE_RESULT.format(event=event.name, day=format_date(day), lines=lines.rstrip("\n")))


@router.state(STATE)
async def date_answer(ctx: Context) -> None:
    """A typed answer to the date question; anything else is a new message, read as such."""
    from . import chat

    if STATE not in ctx.state.data:
        ctx.state.name = "idle"
        await chat.free_text(ctx)
        return
    if any(w in ctx.text for w in _FORGOT_WORDS):
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        ctx.say(DATE_FORGOT)
        return
    found = mentioned_date(ctx.text, ctx.services.today()) if len(ctx.text) <= 40 else None
    if found is None:
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        await chat.free_text(ctx)
        return
    _answer(ctx, found.day)


@router.button("rdate")
async def date_button(ctx: Context, payload: str) -> None:
    if STATE not in ctx.state.data or "event" not in ctx.state.data[STATE]:
        ctx.say("这个问题已经过去了。需要的话，请把情况和日期重新告诉我。")
        return
    if payload == "forgot":
        ctx.state.data.pop(STATE, None)
        ctx.state.name = "idle"
        ctx.say(DATE_FORGOT)
        return
    try:
        day = date.fromisoformat(payload)
    except ValueError:
        ctx.say("这个按钮已经失效了，请直接打字告诉我日期。")
        return
    _answer(ctx, day)
