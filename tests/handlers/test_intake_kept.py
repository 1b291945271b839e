"""What a citizen types is kept whole: an address with every character, a story told before
agreeing to file, long text, a draft set aside with 「不弄了」 — and picked up again later."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.models import Case
from tests.auxil.dialogue import Citizen

ADDRESS = "A市A3区为民路街道红旗小区6栋"


async def the_case(store) -> Case:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(Case))


async def to_summary(citizen: Citizen) -> None:
    for answer in ("尽快修好路灯", "晚上出行不安全", "没有照片", "就我自己"):
        if "请核对" in citizen.text:
            break
        await citizen.send(answer)
    assert "请核对" in citizen.text


@pytest.mark.parametrize("lead", ["我们小区在", "家住在", "住址", ""])
async def test_an_address_in_the_opening_message_is_stored_whole(assistant, store, lead: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(f"我叫王明，电话13612340001，{lead}{ADDRESS}，小区路灯坏了两个月没人修，晚上一片黑")
    await citizen.send("帮我登记")
    assert "地址" in citizen.text and "住址" not in citizen.text  # known: not asked again
    await to_summary(citizen)
    assert f"地址：{ADDRESS}\n" in citizen.text
    await citizen.send("确认提交")
    assert (await the_case(store)).address == ADDRESS


@pytest.mark.parametrize("typed", ["我们小区在", "在", "是", "我的住址是", ""])
async def test_an_address_typed_at_its_question_or_as_a_correction_is_stored_whole(
    assistant, store, typed: str
) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in ("王明", "13612340001", typed + ADDRESS, "小区路灯坏了两个月没人修，晚上一片黑"):
        await citizen.send(answer)
    await to_summary(citizen)
    assert f"地址：{ADDRESS}\n" in citizen.text
    await citizen.send(f"地址不对，{typed or '是'}为民路街道幸福小区3栋")
    assert "地址：为民路街道幸福小区3栋\n" in citizen.text
    await citizen.send("确认提交")
    assert (await the_case(store)).address == "为民路街道幸福小区3栋"
