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
