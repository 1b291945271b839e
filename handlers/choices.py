"""Every question that offers buttons also understands typing — one mechanism for all features.

After each update the buttons of the last message shown are remembered in the dialogue state
(the "offer"). When the citizen then types instead of pressing, `typed_press` reads the text
against that offer — the button's label, its number (「2」「第二个」), or the everyday phrases of
its meanings (knowledge/data/choices.toml: 「就我自己」 → only_me) — and the Assistant handles it
exactly as the press. A feature gets this for free by showing buttons; it states what a button
means with `Button(..., meanings=("submit",))` when the label alone does not say it.

Buttons sent from outside the dialogue (the satisfaction prompt after 办结, a quiz) are
"standing offers" a feature registers with `@router.standing_offer`; they are read only in the
idle state and only when nothing the dialogue showed matches.

A question whose only answers are its buttons calls `read(ctx, strict=False)` for a looser
reading, and `hint(ctx)` when nothing fits: a short line naming the choices, never the whole
question again, and a way out (a person, /cancel) the second time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nlp.choices import ChoiceReader, Option, reader_for

from .context import Context
from .router import OfferSource
from .types import Button

OFFER_KEY = "offer"
MISSES_KEY = "missed"
MAX_TYPED_CHARS = 60  # longer text is a story or a question, not an answer to buttons
_ASKING = re.compile(r"[?？]|[吗呢么][。.!！~～]*$|怎么|如何|多久|什么|哪|谁|为什么|能不能|可以.{0,6}吗")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
HINT = "请回复{choices}（也可以回复数字 {numbers}）。"
HINT_AGAIN = "抱歉，我还是没能看明白 🙂 请直接点下面的按钮，或回复{choices}；也可以发送 /cancel 取消，或拨打 {hotline} 找工作人员。"
OR = "或"
# ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class StandingOffer:
    buttons: tuple[Button, ...]
    numbers: bool = False  # may a bare 「2」 select? (only for a prompt the citizen just received)


def reader(ctx: Context) -> ChoiceReader:
    return reader_for(ctx.engine.knowledge.choices)


def remember(ctx: Context) -> None:
    """Keep the buttons of the last message with buttons this turn; none shown: nothing offered."""
    shown = next((r for r in reversed(ctx.replies) if r.buttons), None)
    if shown is None:
        ctx.state.data.pop(OFFER_KEY, None)
        return
    offer = [[b.label, b.data, list(b.meanings)] for b in shown.button_list]
    if ctx.state.data.get(OFFER_KEY) != offer:
        ctx.state.data[OFFER_KEY] = offer
    missed = ctx.state.data.get(MISSES_KEY)
    if missed and missed.get("state") != ctx.state.name:
        ctx.state.data.pop(MISSES_KEY, None)


def offered(ctx: Context) -> list[Button]:
    """The buttons the citizen was last shown by the dialogue."""
    raw = ctx.state.data.get(OFFER_KEY) or []
    buttons: list[Button] = []
    for item in raw:
        try:
            label, data, meanings = item
            buttons.append(Button(str(label), str(data), tuple(str(m) for m in meanings)))
        except (TypeError, ValueError):
            continue  # a malformed entry (an older format): not offered
    return buttons


def _options(ctx: Context, buttons: Sequence[Button]) -> list[Option]:
    r = reader(ctx)
    return [r.option(b.label, b.meanings) for b in buttons]


def pick(ctx: Context, buttons: Sequence[Button], *, strict: bool = True, numbers: bool = True) -> Button | None:
    """The button the typed text chooses among `buttons`, or None."""
    text = ctx.text
    if not buttons or not text or len(text) > MAX_TYPED_CHARS:
        return None
    r = reader(ctx)
    if not numbers and r.number(text) is not None:
        return None
    index = r.pick(text, _options(ctx, buttons), strict=strict)
    return buttons[index] if index is not None else None


async def typed_press(ctx: Context, standing: Sequence[OfferSource] = ()) -> str | None:
    """The payload of the button this typed text means, or None (then it is ordinary text)."""
    if ctx.incoming.button is not None or ctx.incoming.attachments or not ctx.text or ctx.text.startswith("/"):
        return None
    chosen = pick(ctx, offered(ctx))
    if chosen is not None:
        return chosen.data
    if ctx.state.name != "idle" or len(ctx.text) > MAX_TYPED_CHARS or not standing:
        return None
    said = reader(ctx).read(ctx.text, {m for source in standing for m in source.meanings}).meanings
    short = len(ctx.text) if not _ASKING.search(ctx.text) else MAX_TYPED_CHARS + 1
    for source in standing:
        if not (said.intersection(source.meanings) or short <= source.short):
            continue  # the text could not be an answer to it: spare the look-up
        offer = await source.lookup(ctx)
        if offer is not None:
            chosen = pick(ctx, offer.buttons, numbers=offer.numbers)
            if chosen is not None:
                return chosen.data
    return None


def read(ctx: Context, *, strict: bool = False) -> Button | None:
    """For a question with only buttons as answers: a looser reading of the typed text."""
    return pick(ctx, offered(ctx), strict=strict)


def hint(ctx: Context, buttons: Sequence[Button] | None = None, misses: int | None = None) -> None:
    """Nothing typed matched: name the choices in one short line (a way out the second time).

    misses: how many answers at this step have missed, when the caller counted already.
    """
    buttons = list(buttons if buttons is not None else offered(ctx))
    count = misses if misses is not None else count_miss(ctx)
    names = OR.join(f"「{b.label}」" for b in buttons)
    numbers = "、".join(str(i) for i in range(1, len(buttons) + 1))
    rows = tuple((b,) for b in buttons) if len(buttons) > 3 else (tuple(buttons),)
    if count == 1:
        ctx.say(HINT.format(choices=names, numbers=numbers), rows)
    else:
        ctx.say(HINT_AGAIN.format(choices=names, hotline=ctx.services.hotline), rows)


def count_miss(ctx: Context) -> int:
    """One more answer at this step we could not take; how many so far (the way out comes at 2)."""
    missed: dict[str, Any] = ctx.state.data.get(MISSES_KEY) or {}
    count = missed.get("count", 0) + 1 if missed.get("state") == ctx.state.name else 1
    ctx.state.data[MISSES_KEY] = {"state": ctx.state.name, "count": count}
    return count


def clear_misses(ctx: Context) -> None:
    ctx.state.data.pop(MISSES_KEY, None)
