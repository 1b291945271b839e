"""Questions about the regulation: answer with the article, or say honestly that we are not sure."""

from __future__ import annotations

from backend.repo import reception
from knowledge import REGULATION, Citation, FaqEntry
from knowledge.numerals import article_label
from nlp import Intent, IntentGuess, Retrieval, has_meaning
from nlp.retrieve import Answer

from .context import Context
from .router import Router
from .types import Button, rows

router = Router("qa")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
PROMPT = "请直接输入您的问题，比如「对处理结果不满意怎么办？」"
BASIS = "依据：{citation}"
QUOTE = "条文原文：「{quote}」"
ARTICLE_ANSWER = "《{law}》{label}是这样规定的：\n{text}"
NOT_SURE = (
    "这个问题我不太确定，不想乱答误导您。\n"
    "您是想问下面哪一个？点一下就能看到答复。\n"
    "也可以拨打政务服务热线 {hotline} 找工作人员，或点「我要反映问题」把情况写下来，由工作人员回复您。"
)
NOT_COVERED = (
    "《信访工作条例》里没有讲到这个问题，我就不乱答了，免得误导您。\n"
    "其他政务服务和生活上的事，可以拨打政务服务热线 {hotline} 咨询；打官司、劳动仲裁、离婚、继承、赔偿这类"
    "法律问题，可以拨打 12348 公共法律服务热线（经济困难的还可以申请免费法律援助）。\n"
    "如果是想反映问题、提意见，点「我要反映问题」就能登记。"
)
NOT_UNDERSTOOD = "抱歉，我没看懂这条消息 🙂 您可以直接用文字提问，比如「信访事项多久办结？」"
UNKNOWN_TOPIC = "这个话题找不到了，可能条目已更新。请直接输入您的问题。"
ASK_STAFF = Button("我要反映问题", "intake:start")
RECEPTION_DAYS = "最近的领导接访日（信访部门公布的安排）：\n{days}\n请带上身份证件和相关材料，按时到接访地点。"
RECEPTION_DAY = "• {month}月{day}日（{weekday}） {leader}，地点：{place}{topics}"
RECEPTION_TOPICS = "，接访事项：{topics}"
NO_RECEPTION_DAYS = (
    "目前还没有公布新的领导接访日。想当面向领导反映的，可以先在这里点「我要反映问题」把事情登记下来，"
    "并写明希望当面反映，信访部门会按接访安排联系您；也可以拨打 {hotline} 询问最近的接访安排。"
)
LEADER_OFFER = "如果愿意，也可以先把事情在这里登记下来，工作人员会转给负责的部门办理。"
WEEKDAYS = "一二三四五六日"
CONFIDENTIAL_OFFER = "需要举报的，可以点「我要反映问题」在这里提交。"
# ─────────────────────────────────────────────────────────────────────────────

ARTICLE_CHARS = 300


def citation_text(citation: Citation) -> str:
    return f"《{citation.law}》{article_label(citation.article)}"


def citations_text(citations: tuple[Citation, ...] | list[Citation]) -> str:
    """《信访工作条例》第十九条、第三十条 — one title per law, articles in the given order."""
    by_law: dict[str, list[str]] = {}
    for citation in citations:
        by_law.setdefault(citation.law, []).append(article_label(citation.article))
    return "；".join(f"《{law}》" + "、".join(labels) for law, labels in by_law.items())


def topic_button(answer: Answer) -> Button:
    if answer.entry is not None:
        return Button(answer.entry.topic, f"qa:{answer.entry.id}")
    citation = answer.citations[0]
    return Button(citation_text(citation), f"qa:{law_key(citation)}")


def law_key(citation: Citation) -> str:
    """The payload of an article button: «a34» for the regulation, «a27@劳动争议调解仲裁法» otherwise."""
    return f"a{citation.article}" if citation.law == REGULATION else f"a{citation.article}@{citation.law}"


def format_answer(answer: Answer) -> str:
    """The plain answer, the key sentence of the article, and — last — the basis."""
    if answer.entry is not None:
        body = f"{answer.entry.answer}\n\n{QUOTE.format(quote=answer.entry.quote)}"
    else:
        assert answer.article is not None
        # the paragraph that answers, when the article has several (the full text is one tap away)
        text = answer.passage or answer.article.text
        if len(text) > ARTICLE_CHARS:
            text = text[:ARTICLE_CHARS].rstrip("，。；：、") + "……"
        body = ARTICLE_ANSWER.format(law=answer.article.law, label=answer.article.label, text=text)
    return f"{body}\n{BASIS.format(citation=citations_text(answer.citations))}"


def reply_with(ctx: Context, result: Retrieval) -> None:
    """Answer; below the confidence threshold offer the two closest topics and a person; for a
    question the regulation does not speak to, say so and where to ask instead."""
    best = result.best
    if best is None or result.outside:
        # nothing in the regulation comes near: say so and where to ask, not its nearest topics
        ctx.say(NOT_COVERED.format(hotline=ctx.services.hotline), rows(ASK_STAFF))
        return
    if not result.confident:
        options = [topic_button(a) for a in result.answers[:2]]
        ctx.say(NOT_SURE.format(hotline=ctx.services.hotline), rows(*options, ASK_STAFF))
        return
    related = [topic_button(a) for a in result.answers[1:3] if a.entry is not None]
    # one message, ending with its basis; the related topics ride along as its buttons
    ctx.say(format_answer(best), rows(*related))


async def answer_question(ctx: Context, question: str) -> None:
    if not has_meaning(question):
        ctx.say(NOT_UNDERSTOOD)
        return
    reply_with(ctx, ctx.engine.ask(question))


@router.command("ask")
async def ask(ctx: Context, question: str) -> None:
    if not question:
        ctx.go("idle")
        ctx.say(PROMPT)
        return
    await answer_question(ctx, question)


@router.button("qa")
async def topic(ctx: Context, key: str) -> None:
    if key == "prompt":
        ctx.say(PROMPT)
        return
    knowledge = ctx.engine.knowledge
    entry = next((e for e in knowledge.faq if e.id == key), None)
    if entry is not None:
        ctx.say(format_answer(Answer(1.0, entry.citations, entry, knowledge.article(entry.citations[0]))))
        return
    number, _, law_name = key[1:].partition("@")
    law = knowledge.laws.get(law_name or REGULATION)
    if key.startswith("a") and number.isdigit() and law is not None and int(number) in law.articles:
        article = law.articles[int(number)]
        ctx.say(format_answer(Answer(1.0, (Citation(article.law, article.number),), None, article)))
        return
    ctx.say(UNKNOWN_TOPIC)


# ── the specific needs (nlp/intent.py) that the law answers directly ──────────


def need_entry(ctx: Context, need: str) -> FaqEntry | None:
    """The FAQ entry written for a need (its `need` field in faq.toml)."""
    return next((e for e in ctx.engine.knowledge.faq if e.need == need), None)


def answer_entry(ctx: Context, entry: FaqEntry, extra: str = "", buttons: tuple[Button, ...] = ()) -> None:
    answer = Answer(1.0, entry.citations, entry, ctx.engine.knowledge.article(entry.citations[0]))
    text = format_answer(answer)
    ctx.say(f"{text}\n\n{extra}" if extra else text, rows(*buttons))


async def answer_need(ctx: Context, guess: IntentGuess) -> bool:
    """Answer a specific need read from free text; False when the guess is not one of ours.

    Status is the status feature's (handlers/status.py); a 复查/复核 request goes to the review
    flow when it is installed (handlers/review.py), else it is answered from the law."""
    if guess.intent is Intent.REVIEW:
        await review_request(ctx, guess.which)
    elif guess.intent is Intent.LEADER:
        await leader_reception(ctx)
    elif guess.intent in (Intent.NOT_ACCEPTED, Intent.CONFIDENTIAL):
        entry = need_entry(ctx, guess.need or "")
        if entry is None:
            return False
        extra = CONFIDENTIAL_OFFER if guess.intent is Intent.CONFIDENTIAL else ""
        answer_entry(ctx, entry, extra, (ASK_STAFF,))
    else:
        return False
    return True


async def review_request(ctx: Context, which: str | None) -> None:
    """A request for 复查 (which="review") or 复核 ("recheck"); None when it is not clear which."""
    from . import review  # the review flow imports the intake package, which imports this module

    await review.request(ctx, which)


async def leader_reception(ctx: Context) -> None:
    """领导接访: the days scheduled (the data of GET /api/v1/reception-days), or that none is and how
    to ask for one; then what the regulation promises (第十八条)."""
    days = await reception.upcoming(ctx.uow.session, ctx.services.today(), limit=5)
    if days:
        lines = "\n".join(
            RECEPTION_DAY.format(
                month=d.day.month,
                day=d.day.day,
                weekday=f"周{WEEKDAYS[d.day.weekday()]}",
                leader=d.leader,
                place=d.place,
                topics=RECEPTION_TOPICS.format(topics=d.topics) if d.topics else "",
            )
            for d in days
        )
        schedule = RECEPTION_DAYS.format(days=lines)
    else:
        schedule = NO_RECEPTION_DAYS.format(hotline=ctx.services.hotline)
    entry = need_entry(ctx, "leader")
    if entry is None:
        ctx.say(schedule, rows(ASK_STAFF))
        return
    # one message: the days first (what was asked), then what the regulation promises
    answer = format_answer(Answer(1.0, entry.citations, entry, ctx.engine.knowledge.article(entry.citations[0])))
    offer = f"\n\n{LEADER_OFFER}" if days else ""
    ctx.say(f"{schedule}\n\n{answer}{offer}", rows(ASK_STAFF))
