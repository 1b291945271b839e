"""What a citizen told before agreeing to file: kept in the dialogue state as the draft's facts to be.

A story may come in several messages, with a question or a card in between, and the agreement to
file may be typed (「帮我登记」), pressed, or a /complain: every part told is kept, in order, and
nothing that only asks to file (「我要反映」「帮我登记」) ever replaces it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .context import Context

SEED_KEY, SEED_AT_KEY = "seed", "seed_at"
FRESH_FOR = timedelta(hours=2)  # an older story is not the one a new complaint is about
MIN_STORY_CHARS = 8  # what a message must hold beyond announcing a complaint to tell something
# 「我想反映个问题」「问一下反映物业收费的事」「那你帮我登记吧」 announce a complaint; they tell nothing
ANNOUNCEMENT = re.compile(
    r"(?:你好|您好|同志|请问)?[，,！!]?(?:那|那就|好的?|可以)?[，,]?(?:你|您)?(?:帮我|给我|麻烦)?(?:我|俺|我们)?"
    r"(?:想|要|需要|来)?(?:问一下|问问|咨询一下|咨询)?"
    r"(?:反映|投诉|举报|检举|控告|上访|信访|登记|告状)(?:一下|个|一个|下)?(?:问题|事情|情况|事)?(?:吧|啊|呀)?"
)


def tells_something(text: str) -> bool:
    """More than a wish to complain: something happened, somewhere, to someone."""
    return sum(1 for ch in ANNOUNCEMENT.sub("", text) if ch.isalnum()) >= MIN_STORY_CHARS


def kept(ctx: Context) -> str | None:
    """The story told so far, when it is recent enough to be the one being filed."""
    seed = ctx.state.data.get(SEED_KEY)
    if not isinstance(seed, str) or not seed:
        return None
    at = ctx.state.data.get(SEED_AT_KEY)
    if isinstance(at, str):
        try:
            if ctx.services.now() - datetime.fromisoformat(at) > FRESH_FOR:
                return None
        except (TypeError, ValueError):
            pass
    return seed


def keep(ctx: Context, text: str) -> None:
    """Add what was just told to the story (a wish to file adds nothing; a retelling replaces)."""
    told = kept(ctx)
    if told and not tells_something(told):
        told = None  # 「我想投诉」 said first: the story that follows is the whole of it
    if told and not tells_something(text):
        return
    if told and text not in told:
        text = text if text.startswith(told) else f"{told}\n{text}"  # 「story。answer」 retells it
    elif told:
        text = told
    ctx.state.data[SEED_KEY] = text
    ctx.state.data[SEED_AT_KEY] = ctx.services.now().isoformat()


def take(ctx: Context) -> str | None:
    """The story, handed to a new draft (and no longer kept apart from it)."""
    told = kept(ctx)
    ctx.state.data.pop(SEED_KEY, None)
    ctx.state.data.pop(SEED_AT_KEY, None)
    return told
