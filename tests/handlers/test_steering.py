"""Steering in the dialogue: the channel card, its deadline, the record, and filing anyway."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from backend.models import Case, CaseEvent, Guidance, UrgentAlert
from tests.auxil.clock import Clock, with_clock
from tests.auxil.dialogue import Citizen


async def test_a_fine_gets_the_review_card_with_its_last_day(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 8, 20, 2, tzinfo=UTC))))
    # received 08-02: 60 days end on 10-01, inside 国庆 (10-01 … 10-07) → 10-08
    await citizen.send("我8月2日收到市场监管局的罚款决定书，罚了我两万，我不服")
    text = citizen.text
    assert "行政复议或行政诉讼" in text and "60 日" in text
    assert "2026年10月8日" in text
    assert "12348" in text and "《行政复议法》第二十条" in text
    assert citizen.buttons[:2] == ["我明白了", "仍要反映给信访部门"]
    async with store.unit() as uow:
        row = await uow.session.scalar(select(Guidance))
    assert row.channel == "admin_remedy" and row.deadline.isoformat() == "2026-10-08"
    await citizen.press("我明白了")
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Guidance))).outcome == "understood"


async def test_a_passed_deadline_is_said_honestly(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("今年3月5日收到的一审判决书，我不服判决")
    # 上诉 15 日 from 03-05 ended 03-20 (民事诉讼法第一百七十一条); 再审 6 个月 from the day the
    # unappealed judgment took effect, 03-21 → 09-21 (第二百一十六条): both passed, said plainly
    assert "对一审判决上诉：按您说的「今年3月5日」算，已届满（2026年3月20日）" in citizen.text
    assert "申请再审" in citizen.text and "已届满（2026年9月21日）" in citizen.text
    assert "第二百二十条" in citizen.text  # 检察监督 only after 再审


async def test_filing_anyway_keeps_the_story_and_the_record(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("我要举报我们村的村支书贪污扶贫款，还给他亲戚吃低保")
    assert "纪检监察" in citizen.text and "12388" in citizen.text
    await citizen.press("仍要反映给信访部门")
    assert "怎么称呼" in citizen.text
    for answer in ("李明", "13812345678", "A市A7县某某村"):
        await citizen.send(answer)
    # the story became the facts; the request came with it? if not, answer it
    if "怎么解决" in citizen.text:
        await citizen.send("请求查处")
    if "理由" in citizen.text:
        await citizen.press("上面已说清楚")
    await citizen.press("没有了，下一步")
    await citizen.press("只有我自己")
    await citizen.press("确认提交")
    assert "受理编号" in citizen.text
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case))
        kinds = [e.kind for e in await uow.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))]
        guidance = await uow.session.scalar(select(Guidance))
    assert case.kind == "report" and case.steer_channel == "discipline_report"
    assert case.accused_department_id == "jiedao"
    assert "told" in kinds
    assert guidance.outcome == "filed_anyway" and guidance.case_id == case.id


async def test_unpaid_wages_mention_both_doors(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("公司拖欠我三个月工资不发")
    assert "劳动人事争议仲裁" in citizen.text and "人社部门" in citizen.text and "投诉" in citizen.text


async def test_an_ordinary_grievance_is_offered_filing_not_sent_away(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("我们小区门口的路灯坏了两个月了，晚上很黑")
    assert "帮我登记" in citizen.buttons
    async with store.unit() as uow:
        assert await uow.session.scalar(select(Guidance)) is None


async def test_urgent_words_get_care_first_and_alert_staff(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("工资拿不到，房子也被拆了，我真的不想活了")
    first = citizen.last[0].text
    assert "110" in first and "120" in first and "12356" in first
    async with store.unit() as uow:
        alert = await uow.session.scalar(select(UrgentAlert))
    assert alert is not None and "self_harm" in alert.kinds
    await citizen.press("我要反映问题")
    for answer in ("王五", "13912345678", "A市A3区人民路"):
        await citizen.send(answer)
    while "请核对" not in citizen.text:
        if "没有了，下一步" in citizen.buttons:
            await citizen.press("没有了，下一步")
        elif "只有我自己" in citizen.buttons:
            await citizen.press("只有我自己")
        elif "上面已说清楚" in citizen.buttons:
            await citizen.press("上面已说清楚")
        else:
            await citizen.send("请尽快帮我解决生活困难")
    await citizen.press("确认提交")
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Case))).urgent is True


# ── the one clarifying question ─────────────────────────────────────────────

UNSURE = "我想告他，他一直躲着不见我"


async def test_unsure_asks_one_question_and_a_button_settles_the_door(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    assert "政府部门" in citizen.text and "法院" in citizen.text
    assert "和单位或个人的纠纷" in citizen.buttons and "都不是，请政府帮忙" in citizen.buttons
    async with store.unit() as uow:
        assert await uow.session.scalar(select(Guidance)) is None  # nothing decided yet
    await citizen.press("和单位或个人的纠纷")
    assert "民事诉讼" in citizen.text and "12348" in citizen.text
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Guidance))).channel == "civil_litigation"


async def test_a_typed_answer_settles_the_door_too(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    await citizen.send("他是我以前的房东，押金一直不退")
    assert "民事诉讼" in citizen.text


async def test_a_number_picks_the_nth_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    court = citizen.buttons.index("案子已经在法院") + 1
    await citizen.send(str(court))
    assert "上诉" in citizen.text and "申请执行" in citizen.text


async def test_none_of_these_means_a_petition_and_filing_keeps_the_story(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    await citizen.send("都不是，就是想请政府帮忙协调")
    assert "帮我登记" in citizen.buttons
    await citizen.press("帮我登记")
    assert "怎么称呼" in citizen.text


async def test_an_answer_not_understood_gets_a_hint_then_never_the_same_question_again(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    await citizen.send("嗯")
    assert "序号" in citizen.text and "1." in citizen.text
    await citizen.send("啊？")
    assert "帮我登记" in citizen.buttons  # the safe reading: an ordinary petition
    assert "这是针对" not in citizen.text


async def test_a_stale_choice_button_is_answered_plainly(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("steer", button="steer:pick:0")
    assert "失效" in citizen.text


# ── mixed matters and reading once ──────────────────────────────────────────


async def test_a_mixed_matter_names_every_door_the_police_first(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("包工头欠了我两个月工钱，我去要的时候他还叫人把我打了一顿")
    text = citizen.text
    assert "110" in text  # harm first
    assert text.index("向公安机关报案") < text.index("劳动人事争议仲裁")


async def test_a_message_is_steered_and_retrieved_once(assistant, engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = {"steer": 0, "ask": 0}
    steer, ask = engine.steerer.steer, engine.retriever.search

    def counted_steer(text):  # type: ignore[no-untyped-def]
        calls["steer"] += 1
        return steer(text)

    def counted_ask(text, *args):  # type: ignore[no-untyped-def]
        calls["ask"] += 1
        return ask(text, *args)

    monkeypatch.setattr(engine.steerer, "steer", counted_steer)
    monkeypatch.setattr(engine.retriever, "search", counted_ask)
    citizen = Citizen(assistant)
    await citizen.send("我在工地干了半年，老板一直拖着工资不发")
    assert "劳动人事争议仲裁" in citizen.text
    assert calls["steer"] == 1 and calls["ask"] <= 1
    calls.update(steer=0, ask=0)
    await citizen.send("信访事项多久办结？")
    assert "第三十四条" in citizen.text
    assert calls["steer"] == 1 and calls["ask"] == 1


# ── harm first, in every state ──────────────────────────────────────────────


async def test_violence_said_plainly_gets_110_and_an_alert(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("老公喝了酒就打我，这次把我鼻梁骨都打断了")
    first = citizen.last[0].text
    assert "110" in first and "12338" in first
    assert "没看懂" not in citizen.text
    async with store.unit() as uow:
        alert = await uow.session.scalar(select(UrgentAlert))
    assert alert is not None and "violence" in alert.kinds


async def test_harm_mid_intake_is_cared_for_first_and_the_case_is_urgent(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("赵六")
    assert "电话" in citizen.text
    await citizen.send("他又来砸门了，说今天非弄死我不可，我躲在卫生间里")
    assert "110" in citizen.last[0].text
    assert "电话" in citizen.last[-1].text  # the intake goes on afterwards
    async with store.unit() as uow:
        assert await uow.session.scalar(select(UrgentAlert)) is not None
    for answer in ("13912345678", "A市A3区人民路8号", "前夫天天上门威胁我，还砸坏了我家的门", "请派人保护我"):
        await citizen.send(answer)
    while "请核对" not in citizen.text:
        for label in ("上面已说清楚", "没有了，下一步", "只有我自己"):
            if label in citizen.buttons:
                await citizen.press(label)
                break
        else:
            raise AssertionError(citizen.text)
    await citizen.press("确认提交")
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Case))).urgent is True


async def test_a_missing_child_mid_clarification_gets_110_first(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    await citizen.send("我女儿放学到现在还没回家，电话也打不通")
    assert "110" in citizen.last[0].text and "24 小时" in citizen.last[0].text


async def test_a_question_instead_of_an_answer_is_answered_and_the_question_dropped(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(UNSURE)
    await citizen.send("信访事项多久办结？")
    assert "第三十四条" in citizen.text
    await citizen.send("好的")
    assert "序号" not in citizen.text and "这是针对" not in citizen.text


async def test_a_review_first_case_says_so_with_its_basis_and_offers_no_direct_suit(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("交警当场开了罚单罚我200元，2026年10月10日的事，我不服")
    text = citizen.text
    assert "须先申请行政复议" in text and "《行政复议法》第二十三条第一款第一项" in text
    assert "申请行政复议" in text and "2026年12月9日" in text  # 60 日 (第二十条)
    assert "直接向法院提起行政诉讼" not in text and "2027年4月12日" not in text  # the 6 months of 第四十六条


async def test_after_an_acquittal_the_card_offers_state_compensation_not_the_courts(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("法院判我无罪，判决书2026年10月送达的，之前被逮捕关了一年，我要国家赔偿")
    text = citizen.text
    assert "申请国家赔偿" in text and "《国家赔偿法》第三十九条" in text
    assert "赔偿义务机关是作出逮捕决定的机关" in text and "《国家赔偿法》第二十一条第三款" in text
    assert "对一审判决上诉" not in text and "申请再审：" not in text and "申请强制执行" not in text
    assert "法院程序（上诉、再审、申请执行）" not in text
