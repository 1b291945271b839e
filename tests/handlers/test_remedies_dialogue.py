"""The date a period turns on, asked once; and 复查/复核 after 办结, by button or by typing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from backend import workflow
from backend.auth import Viewer
from backend.models import Case, CaseEvent, CaseStatus, OutboxMessage
from handlers import review
from handlers.router import Router
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.clock import Clock, with_clock
from tests.auxil.dialogue import Citizen

DISPATCHER = Viewer(1, "disp", "调度员", "dispatcher", None)


async def test_a_missing_date_is_asked_once_and_the_answer_gives_every_last_day(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 8, 20, 2, tzinfo=UTC))))
    await citizen.send("我收到了市场监管局的罚款决定书，罚了我两万，我不服")
    card, question = citizen.last[0].text, citizen.last[-1].text
    assert "行政复议" in card and "60 日" in card and "6 个月" in card
    assert "哪一天收到" in question and "期限从这一天算起" in question
    assert citizen.buttons[-4:] == ["今天", "昨天", "前天", "记不清了"]
    await citizen.send("8月2日")
    # 60 日 from 08-02 ends 10-01 in 国庆 → 10-08 (行政复议法第二十条); 6 个月 → 2027-02-02 (行政诉讼法第四十六条)
    assert "2026年8月2日" in citizen.text
    assert "申请行政复议" in citizen.text and "2026年10月8日" in citizen.text
    assert "直接向法院提起行政诉讼" in citizen.text and "2027年2月2日" in citizen.text and "暂定" in citizen.text
    await citizen.send("8月3日")  # asked once: a later date is just a new message, not a second answer
    assert "2026年10月8日" not in citizen.text


async def test_the_date_can_be_picked_and_a_passed_period_says_what_remains(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("二审判决书送到了，我认为判错了，想申请再审")
    assert "判决（裁定）是哪一天生效的" in citizen.last[-1].text
    await citizen.press("前天")  # 二审 judgment effective 11-23: 6 个月 → 2027-05-23 (Sun) → 05-24
    assert "申请再审" in citizen.text and "2027年5月24日" in citizen.text
    citizen = Citizen(citizen.assistant, user_id="1003")
    await citizen.send("一审判决书送达以后我没有上诉，可我不服判决")
    await citizen.send("今年3月5日")
    # 上诉 15 日 ended 03-20 (民事诉讼法第一百七十一条): passed, and what remains is said
    assert "已届满（2026年3月20日）" in citizen.text and "再审" in citizen.text


async def test_forgetting_the_date_is_answered_and_other_words_are_read_as_new(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 8, 20, 2, tzinfo=UTC))))
    await citizen.send("我收到了交警的罚款决定书，我不服")
    await citizen.send("记不清了")
    assert "送达回证" in citizen.text and "12348" in citizen.text
    await citizen.send("我收到了交警的罚款决定书，我不服")
    await citizen.send("信访事项多久办结？")
    assert "第三十四条" in citizen.text or "60" in citizen.text  # a question, answered as one


async def test_an_approximate_date_is_computed_early_and_confirmed(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("今年3月收到的一审判决书，我不服判决，想上诉")
    assert "按最早可能的日期" in citizen.text  # 「3月」: counted from 03-01, the earliest it can mean
    assert "一审判决书是哪一天送到" in citizen.last[-1].text
    await citizen.press("记不清了")
    assert "送达回证" in citizen.text


async def _concluded_case(store, today: date) -> str:  # type: ignore[no-untyped-def]
    citizen_id = await a_citizen(store, "telegram", "1001")  # the dialogue's citizen
    ticket = (await a_case(store, citizen_id, today=date(2026, 9, 1))).case.ticket
    for action, day, params in (
        ("accept", date(2026, 9, 10), {}),
        ("conclude", today, {"opinion": "不予支持", "text": "经核查，噪音符合标准", "basis": "《噪声污染防治法》"}),
    ):
        async with store.unit() as uow:
            case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
            await workflow.act(uow.session, case, DISPATCHER, action, params, day)
    return ticket


async def test_review_then_recheck_by_button_and_typing_become_events_with_deadlines(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await _concluded_case(store, date(2026, 11, 20))
    async with store.unit() as uow:
        told = (await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()[-1]
    assert any(b["data"] == f"review:pick:{ticket}" for row in told.buttons for b in row)
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.press(f"review:pick:{ticket}")  # the 「申请复查」 button under the conclusion
    assert "2026年12月21日 前" in citizen.text and "条例第三十五条" in citizen.text
    await citizen.send("处理意见说噪音达标，可他们是白天测的，晚上才吵")  # typed reasons go with the request
    assert "已登记您的复查请求" in citizen.text and "2026年12月25日" in citizen.text  # 11-25 + 30 日
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        event = (
            await uow.session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "review_requested")
            )
        ).one()
    assert case.status == CaseStatus.REVIEW and case.review_due == date(2026, 12, 25) == case.due_on
    assert event.actor == "citizen" and "晚上才吵" in event.note and event.data["due"] == "2026-12-25"

    async with store.unit() as uow:  # the review body answers; the citizen may now ask for 复核
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        await workflow.act(
            uow.session,
            case,
            DISPATCHER,
            "conclude",
            {"opinion": "不予支持", "text": "维持", "basis": "同上"},
            date(2026, 12, 10),
        )
    with_clock(assistant, Clock(datetime(2026, 12, 14, 2, tzinfo=UTC)))
    await citizen.press(f"review:pick:{ticket}")
    assert "复查意见" in citizen.text and "请求复核" in citizen.text and "条例第三十六条" in citizen.text
    await citizen.send("确认")
    assert "已登记您的复核请求" in citizen.text and "2027年1月13日" in citizen.text  # 12-14 + 30 日
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
    assert case.status == CaseStatus.RE_EXAMINATION and case.review_stage == 1
    await citizen.press(f"review:pick:{ticket}")
    assert "正在复核中" in citizen.text


async def test_a_review_asked_too_late_is_refused_with_the_date(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await _concluded_case(store, date(2026, 9, 30))  # 30 日 → 10-30
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.press(f"review:pick:{ticket}")
    assert "已于 2026年10月30日 届满" in citizen.text
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Case).where(Case.ticket == ticket))).status == CaseStatus.CONCLUDED


async def test_request_decides_from_the_citizens_cases_and_explains_without_one(assistant, store) -> None:  # type: ignore[no-untyped-def]
    probe = Router("probe")

    @probe.command("probe_review")
    async def _probe(ctx, _argument: str) -> None:  # type: ignore[no-untyped-def]
        ctx.text = "我11月2日收到了信访处理意见书，对结果不满意"
        await review.request(ctx, None)

    assistant.routers.include(probe)
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))), user_id="2002")
    await citizen.send("/probe_review")
    # nothing filed here: the periods in words, and the last day from the date said (11-02 + 30 日)
    assert "条例第三十五条" in citizen.text and "2026年12月2日" in citizen.text
    ticket = await _concluded_case(store, date(2026, 11, 20))
    citizen = Citizen(assistant)  # user 1001, whose case was concluded
    await citizen.send("/probe_review")
    assert ticket in citizen.text and "确认申请复查" in citizen.buttons
    await citizen.press("先不申请")
    assert "先不申请" in citizen.text


async def test_with_several_cases_the_citizen_picks_one_by_typing_its_number(assistant, store) -> None:  # type: ignore[no-untyped-def]
    probe = Router("probe2")

    @probe.command("probe_pick")
    async def _probe(ctx, _argument: str) -> None:  # type: ignore[no-untyped-def]
        await review.request(ctx, "review")

    assistant.routers.include(probe)
    first = await _concluded_case(store, date(2026, 11, 20))
    second = await _concluded_case(store, date(2026, 11, 23))
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("/probe_pick")
    assert first in citizen.text and second in citizen.text
    listed = next(line for line in citizen.text.splitlines() if line.startswith("2. "))
    await citizen.send("2")
    chosen = first if first in listed else second
    assert chosen in citizen.text and "确认申请复查" in citizen.buttons
    await citizen.send("好的")
    assert "已登记您的复查请求" in citizen.text and chosen in citizen.text
    await citizen.send(f"/status {chosen}")
    assert "复查中" in citizen.text


async def test_wages_owed_after_leaving_ask_the_day_the_job_ended(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(with_clock(assistant, Clock(datetime(2026, 11, 25, 2, tzinfo=UTC))))
    await citizen.send("公司拖欠我三个月工资，我已经离职了")
    card, question = citizen.last[0].text, citizen.last[-1].text
    # 劳动争议调解仲裁法第二十七条: wages owed during the job — 1 year from the day it ended
    assert "从离职之日起算" in card and "在职期间被拖欠的劳动报酬" not in card
    assert "还在这家单位工作的" not in card  # the citizen said they left
    assert "哪一天离职" in question
    await citizen.send("今年4月30日")
    assert "2027年4月30日" in citizen.text
