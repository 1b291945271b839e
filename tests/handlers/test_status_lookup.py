"""A case looked up by 受理编号 + phone from another device or chat: its status and public replies,
nothing else; a wrong phone answered exactly like an unknown number; only a few tries an hour."""

from __future__ import annotations

import re

from tests.auxil.dialogue import Citizen

PHONE = "13612340001"


async def filed_elsewhere(assistant) -> str:  # type: ignore[no-untyped-def]
    owner = Citizen(assistant, user_id="owner")
    await owner.send("/complain")
    for answer in ("王明", PHONE, "A市A3区建设路街道红旗小区6栋", "路灯坏了两个月没人修，晚上很黑", "修好路灯"):
        await owner.send(answer)
    for answer in ("不安全", "没有", "就我自己", "确认提交"):
        await owner.send(answer)
    found = re.search(r"XF-\d{8}-\d{4}", owner.text)
    assert found, owner.text
    return found.group(0)


async def test_number_and_phone_from_another_chat_show_the_status_and_nothing_else(assistant) -> None:  # type: ignore[no-untyped-def]
    ticket = await filed_elsewhere(assistant)
    other = Citizen(assistant, user_id="someone", channel="web")
    await other.send(f"查一下{ticket.replace('-', '')}，电话{PHONE}")
    assert ticket in other.text and "当前状态：登记" in other.text and "责任部门" in other.text
    for private in ("王明", "建设路", "路灯坏了", "修好路灯", "事项："):
        assert private not in other.text, private
    await other.send(f"/status {ticket} {PHONE}")
    assert "当前状态：登记" in other.text


async def test_a_wrong_phone_gets_the_answer_an_unknown_number_gets(assistant) -> None:  # type: ignore[no-untyped-def]
    ticket = await filed_elsewhere(assistant)
    other = Citizen(assistant, user_id="guesser")
    await other.send(f"查一下{ticket}，电话13612340002")
    wrong_phone = other.text
    await other.send("查一下XF-20200101-0001，电话13612340002")
    assert other.text == wrong_phone and "当前状态" not in wrong_phone
    await other.send(f"/status {ticket}")  # no phone: told how to look up a case filed elsewhere
    assert "电话" in other.text and "当前状态" not in other.text


async def test_lookups_by_phone_are_limited(assistant) -> None:  # type: ignore[no-untyped-def]
    from handlers.status import LOOKUPS_PER_HOUR

    ticket = await filed_elsewhere(assistant)
    other = Citizen(assistant, user_id="guesser")
    for n in range(LOOKUPS_PER_HOUR):
        await other.send(f"查一下{ticket}，电话1391234{n:04d}")
    await other.send(f"查一下{ticket}，电话{PHONE}")  # even the right phone, once over the limit
    assert "太频繁" in other.text and "当前状态" not in other.text
