"""Questions about the regulation: answer with the article, or say honestly that we are not sure."""

from __future__ import annotations

from knowledge import Citation
from knowledge.numerals import article_label
from nlp import Retrieval, has_meaning
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
NOT_UNDERSTOOD = "抱歉，我没看懂这条消息 🙂 您可以直接用文字提问，比如「信访事项多久办结？」"
UNKNOWN_TOPIC = "这个话题找不到了，可能条目已更新。请直接输入您的问题。"
ASK_STAFF = Button("我要反映问题", "intake:start")
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
    return Button(citation_text(citation), f"qa:a{citation.article}")


def format_answer(answer: Answer) -> str:
    """The plain answer, the key sentence of the article, and — last — the basis."""
    if answer.entry is not None:
        body = f"{answer.entry.answer}\n\n{QUOTE.format(quote=answer.entry.quote)}"
    else:
        assert answer.article is not None
        text = answer.article.text
        if len(text) > ARTICLE_CHARS:
            text = text[:ARTICLE_CHARS].rstrip("，。；：、") + "……"
        body = ARTICLE_ANSWER.format(law=answer.article.law, label=answer.article.label, text=text)
    return f"{body}\n{BASIS.format(citation=citations_text(answer.citations))}"


def reply_with(ctx: Context, result: Retrieval) -> None:
    """Answer, or — below the confidence threshold — offer the two closest topics and a person."""
    best = result.best
    if best is None:
        ctx.say(NOT_SURE.format(hotline=ctx.services.hotline), rows(ASK_STAFF))
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
    if key.startswith("a") and key[1:].isdigit() and int(key[1:]) in knowledge.regulation.articles:
        article = knowledge.regulation.articles[int(key[1:])]
        ctx.say(format_answer(Answer(1.0, (Citation(article.law, article.number),), None, article)))
        return
    ctx.say(UNKNOWN_TOPIC)
