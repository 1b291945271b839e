"""Free text outside any dialogue step: read the intent and hand over to the right feature."""

from __future__ import annotations

from nlp import Intent

from . import qa
from .context import Context
from .start import menu

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
SMALL_TALK = (
    "您好 🙂 我是信访助手：可以解答《信访工作条例》的问题、帮您判断该找哪里办、登记您要反映的问题、"
    "查询办理进度。请直接打字告诉我，或点下面的按钮。"
)
# ─────────────────────────────────────────────────────────────────────────────


async def free_text(ctx: Context) -> None:
    guess = ctx.engine.intent(ctx.text)
    if guess.intent is Intent.OTHER:
        if not ctx.text:
            ctx.say(qa.NOT_UNDERSTOOD, menu())
        else:
            ctx.say(SMALL_TALK if len(ctx.text) <= 12 else qa.NOT_UNDERSTOOD, menu())
        return
    await qa.answer_question(ctx, ctx.text)
