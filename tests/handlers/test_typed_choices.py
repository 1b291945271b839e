"""The typed-choice mechanism as any feature gets it: show buttons, and typing them works."""

from __future__ import annotations

import pytest

from bot.app import build_services
from handlers import Assistant, Button
from handlers.choices import hint, read
from handlers.context import Context
from handlers.router import Router
from handlers.types import rows
from tests.auxil.dialogue import Citizen

poll = Router("poll")


@poll.command("poll")
async def ask_poll(ctx: Context, _args: str) -> None:
    ctx.go("poll:open")
    ctx.say(
        "小区改造方案，您同意吗？",
        rows(
            Button("同意", "poll:yes", ("yes",)), Button("不同意", "poll:no", ("no",)), Button("再想想", "poll:later")
        ),
    )


@poll.button("poll")
async def voted(ctx: Context, payload: str) -> None:
    ctx.reset()
    ctx.say(f"记下了：{payload}")


@poll.state("poll:open")
async def unclear(ctx: Context) -> None:
    chosen = read(ctx)  # only buttons answer this question: a looser reading before the hint
    if chosen is not None:
        await voted(ctx, chosen.data.partition(":")[2])
    else:
        hint(ctx)


@pytest.fixture
def polling(config, engine, store) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant(store, build_services(config, engine), poll)


@pytest.mark.parametrize(
    ("typed", "vote"),
    [
        ("行", "yes"),
        ("可以的", "yes"),
        ("同意", "yes"),
        ("不同意", "no"),
        ("不用了", "no"),
        ("2", "no"),
        ("第三个", "later"),
    ],
)
async def test_typing_a_button_is_pressing_it(polling, typed: str, vote: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(polling)
    await citizen.send("/poll")
    await citizen.send(typed)
    assert citizen.text == f"记下了：{vote}"


async def test_an_unclear_answer_gets_a_short_hint_then_a_way_out(polling) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(polling)
    await citizen.send("/poll")
    question = citizen.text
    await citizen.send("这个嘛让我琢磨琢磨方案细节")
    first = citizen.text
    assert question not in first and "「同意」" in first and "1、2、3" in first
    await citizen.send("方案到底是谁定的")
    second = citizen.text
    assert second != first and question not in second and "/cancel" in second
    assert citizen.buttons == ["同意", "不同意", "再想想"]  # the buttons stay offered


async def test_a_state_that_only_takes_buttons_reads_loosely(polling) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(polling)
    await citizen.send("/poll")
    await citizen.send("我跟老伴商量了半天，最后还是同意的")  # too much else for a strict reading
    assert citizen.text == "记下了：yes"


async def test_an_offer_lasts_only_until_the_next_message_without_buttons(polling) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(polling)
    await citizen.send("/poll")
    await citizen.send("同意")
    await citizen.send("同意")  # nothing is offered any more: ordinary text, not a second vote
    assert "记下了" not in citizen.text


async def test_typed_choices_survive_a_restart(config, engine, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(Assistant(store, build_services(config, engine), poll))
    await citizen.send("/poll")
    citizen.assistant = Assistant(store, build_services(config, engine), poll)  # another process
    await citizen.send("不同意")
    assert citizen.text == "记下了：no"
