"""Free text outside any dialogue step: read the intent and hand over to the right feature."""

from __future__ import annotations

from nlp import Intent, has_meaning

from . import intake, qa, status, steering, story
from .context import Context
from .start import menu
from .types import Button, rows

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
SMALL_TALK = (
    "您好 🙂 我是信访助手：可以解答《信访工作条例》的问题、帮您判断该找哪里办、登记您要反映的问题、"
    "查询办理进度。请直接打字告诉我，或点下面的按钮。"
)
OFFER_TO_FILE = "听起来您遇到了需要反映的问题。要我帮您登记下来、交给负责的部门吗？您刚才说的内容会直接用上。"
STORY_ADDED = "已把这些补充到您刚才说的情况里。说完了的话，要我帮您登记下来、交给负责的部门吗？"
FILE_BUTTON = Button("帮我登记", "intake:start")
ASK_BUTTON = Button("先咨询政策", "qa:prompt")
# ─────────────────────────────────────────────────────────────────────────────


async def free_text(ctx: Context) -> None:
    """(Danger to a person was already cared for by the assistant, before any handler.)"""
    if intake.after_the_dialogue(ctx):
        return
    reading = ctx.reading
    guess = reading.intent
    if not reading.urgency.urgent and await qa.answer_need(ctx, guess):
        return
    if guess.intent is Intent.OTHER:
        if reading.urgency.urgent:
            return  # the care reply already answered it
        if story.kept(ctx) and story.tells_something(ctx.text):
            # more of the story just told (「上周还有个老人在那摔倒了」): added to it, not 「没看懂」
            story.keep(ctx, ctx.text)
            ctx.say(STORY_ADDED, rows(FILE_BUTTON, ASK_BUTTON))
            return
        if not ctx.text:
            ctx.say(qa.NOT_UNDERSTOOD, menu())
        else:
            ctx.say(SMALL_TALK if len(ctx.text) <= 12 else qa.NOT_UNDERSTOOD, menu())
        return
    if guess.intent is Intent.STATUS:
        await status.progress(ctx, guess.ticket)
        return
    if guess.intent is Intent.COMPLAIN or reading.urgency.urgent:
        if not reading.urgency.urgent and story.kept(ctx) and not story.tells_something(ctx.text):
            # 「帮我登记」 after telling the story (with a question or a card in between): file that story
            intake.start_filing(ctx)
            return
        if not await steering.steer(ctx, reading.verdict):
            await offer_to_file(ctx)
        return
    retrieval = reading.retrieval
    if retrieval is not None and has_meaning(ctx.text):
        if not retrieval.confident and story.tells_something(ctx.text) and not reading.routing.needs_triage:
            # 「小区路灯坏了两个月了，怎么办」: not sure of the answer, but a problem was told — kept for
            # the 「我要反映问题」 offered with the answer
            story.keep(ctx, ctx.text)
        qa.reply_with(ctx, retrieval)
    else:
        await qa.answer_question(ctx, ctx.text)


async def offer_to_file(ctx: Context, told: str | None = None) -> None:
    """Keep what they said as the draft's facts and offer to file it."""
    story.keep(ctx, told or ctx.text)
    ctx.state.data.pop("steer", None)
    ctx.say(OFFER_TO_FILE, rows(FILE_BUTTON, ASK_BUTTON))
