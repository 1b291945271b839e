"""From a citizen's words to remedies with last days: which date is which, relative dates, doors."""

from __future__ import annotations

import json
from datetime import date

import pytest

from knowledge import load_knowledge
from nlp.dates import dated_events
from nlp.remedies import assess
from tests.auxil.paths import LOCAL_DATA

REMEDIES = load_knowledge().remedies
EVENTS = REMEDIES.events.values()
TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "event", "day"),
    [
        ("我3月5日收到了区城管局的处罚决定书", "admin_act_known", date(2026, 3, 5)),
        ("2月1日开的罚单，可处罚决定书我3月5日才收到", "admin_act_known", date(2026, 3, 5)),  # receipt counts
        ("我是今年4月30日离职的，工资还欠着", "employment_ended", date(2026, 4, 30)),
        ("二审判决书是2026年7月20日送达的", "judgment_effective", date(2026, 7, 20)),
        ("一审判决书11月16日送到我手上", "judgment_served", date(2026, 11, 16)),
        ("关了一年多，去年9月9日才把我放出来", "custody_released", date(2025, 9, 9)),
        ("上个月5号收到信访处理意见书", "petition_answer_received", date(2026, 10, 5)),
        ("前天收到复查意见", "review_answer_received", date(2026, 11, 23)),
        ("元旦那天楼上漏水把我家泡了", "harm_occurred", date(2026, 1, 1)),
        ("今年国庆节前一天我收到了处理意见书", "petition_answer_received", date(2026, 9, 30)),
    ],
)
def test_each_date_is_tied_to_its_event(text: str, event: str, day: date) -> None:
    dated = dated_events(text, TODAY, EVENTS)
    assert dated.events[event].date.day == day


def test_a_date_speaks_for_the_clauses_after_it() -> None:
    dated = dated_events("2026年2月3日派出所说我打架，决定行政拘留我10天，2月13日才放出来", TODAY, EVENTS)
    assert dated.events["admin_act_known"].date.day == date(2026, 2, 3)
    assert dated.events["custody_released"].date.day == date(2026, 2, 13)


def test_year_context_carries_to_a_later_date_without_a_year() -> None:
    dated = dated_events("去年3月再审改判无罪，3月10日放出来的", TODAY, EVENTS)
    assert dated.events["custody_released"].date.day == date(2025, 3, 10)


def test_last_year_end_is_read_as_its_earliest_day_and_flagged() -> None:
    found = dated_events("去年年底被公司辞退了", TODAY, EVENTS).events["employment_ended"].date
    assert found.day == date(2025, 12, 1) and found.approximate


def test_a_fine_gets_both_periods_and_they_may_have_passed() -> None:
    # 行政复议法第二十条 60 日: 03-05 → 05-04 in 劳动节 → 05-06; 行政诉讼法第四十六条 6 个月: 09-05 Sat → 09-07
    result = assess("2026年3月5日收到罚款决定书，我不服", ["admin_remedy"], TODAY, REMEDIES)
    assert [(d.remedy, d.due, d.expired) for d in result.deadlines] == [
        ("admin_review", date(2026, 5, 6), True),
        ("admin_litigation", date(2026, 9, 7), True),
    ]


def test_a_retrial_after_the_second_instance_is_not_told_the_appeal_period() -> None:
    result = assess("二审判决书是2026年7月20日送达的，我想申请再审", ["court_procedure"], TODAY, REMEDIES)
    assert [(d.remedy, d.due) for d in result.deadlines] == [("retrial", date(2027, 1, 20))]
    assert result.deadlines[0].provisional  # 2027's holiday calendar is not published yet


def test_a_decisive_event_lists_its_door_even_when_another_was_chosen() -> None:
    result = assess("2026年11月2日收到信访处理意见书，我对处理结果不满意", ["civil_litigation"], TODAY, REMEDIES)
    assert ("petition_review", date(2026, 12, 2)) in [(d.remedy, d.due) for d in result.deadlines]


def test_no_date_no_deadline_and_the_question_names_the_event() -> None:
    result = assess("我收到了市场监管局的罚款决定书，我不服", ["admin_remedy"], TODAY, REMEDIES)
    assert result.deadlines == ()
    assert result.question("admin_remedy").id == "admin_act_known"
    approximate = assess("今年3月收到罚款决定书，我不服", ["admin_remedy"], TODAY, REMEDIES)
    assert approximate.deadlines and approximate.question("admin_remedy").id == "admin_act_known"
    exact = assess("今年3月5日收到罚款决定书，我不服", ["admin_remedy"], TODAY, REMEDIES)
    assert exact.question("admin_remedy") is None


def test_ordinary_matters_and_reports_get_no_deadline() -> None:
    assert not assess("我们小区门口的路灯坏了两个月了", ["petition"], TODAY, REMEDIES).deadlines
    assert not assess("3月5日我被人骗了两万块", ["criminal_report"], TODAY, REMEDIES).deadlines
    assert not assess("30号楼漏水没人管", ["petition"], TODAY, REMEDIES).dated.all_dates


def test_our_worked_accounts_all_hit(engine) -> None:  # type: ignore[no-untyped-def]
    """tests/nlp/data/dated_accounts.jsonl: accounts written for this test, last days by hand."""
    from bench.deadlines import judge

    lines = (LOCAL_DATA / "dated_accounts.jsonl").read_text("utf-8").splitlines()
    for item in map(json.loads, filter(None, lines)):
        results, extra = judge(engine, item)
        assert all(r == "hit" for _, r in results) and not extra, (item["text"], results, extra)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("交警当场开了罚单罚我200元，2026年10月10日的事，我不服", "第一款第一项"),
        ("2026年10月8日区住建局对我的政府信息公开申请决定不予公开，我不服", "第一款第四项"),
        ("2026年10月9日县政府作出林权确权决定，把我家的山林划给了别人", "第一款第二项"),
        ("我申请环保局查处隔壁工厂排污，环保局一直不履行法定职责，我不服", "第一款第三项"),
    ],
)
def test_where_review_comes_first_no_direct_suit_is_offered(text: str, item: str) -> None:
    """行政复议法第二十三条: these cases go to 行政复议 first; the court only after its decision."""
    result = assess(text, ["admin_remedy"], TODAY, REMEDIES)
    dated = "2026年" in text
    assert [r.basis.part for r in result.review_first] == [item]
    assert [d.remedy for d in result.deadlines] == (["admin_review"] if dated else [])
    assert not any(rule.direct for rule, _event in result.missing)
    # the suit that remains is the one after the review decision (行政诉讼法第四十五条)
    assert [rule.basis.citation.article for rule, _ in result.missing if rule.remedy == "admin_litigation"] == [45]


def test_an_ordinary_decision_keeps_both_review_and_the_direct_suit() -> None:
    result = assess("2026年10月10日收到市场监管局的罚款决定书，我不服", ["admin_remedy"], TODAY, REMEDIES)
    assert result.review_first == ()
    assert [d.remedy for d in result.deadlines] == ["admin_review", "admin_litigation"]


@pytest.mark.parametrize(
    "text",
    [
        "2026年5月6日我收到无罪判决书，之前被羁押了两年",
        "法院判我无罪，判决书2026年10月送达的，我要国家赔偿",
        "二审判决书是2026年7月20日送达的，二审改判无罪，我被关了两年",
    ],
)
def test_after_an_acquittal_only_state_compensation_is_offered(text: str) -> None:
    """宣告无罪 ends the matter: no 上诉, 再审 or 执行 (court remedies) — 国家赔偿法第三十九条, 2 years."""
    result = assess(text, ["state_compensation", "court_procedure"], TODAY, REMEDIES)
    assert "court_procedure" not in result.doors and result.closed_doors == {"court_procedure"}
    assert [(d.remedy, d.basis.citation.article) for d in result.deadlines] == [("state_compensation", 39)]
    assert not [rule for rule, _ in result.missing if rule.door == "court_procedure"]


def test_custody_is_not_counted_and_the_liable_organ_follows_what_happened() -> None:
    # 国家赔偿法第三十九条: learned of the wrong while held → the 2 years run from release, 03-10
    held = assess("去年3月再审改判无罪，3月10日放出来的，我要求国家赔偿", ["state_compensation"], TODAY, REMEDIES)
    assert [(d.remedy, d.event, d.due) for d in held.deadlines] == [
        ("state_compensation", "custody_released", date(2027, 3, 10))
    ]
    # 第二十一条: 再审改判无罪 → the court of the original judgment; 逮捕 then 不起诉 → who ordered the arrest
    assert held.liable is not None and held.liable.case == "再审改判无罪" and "原生效判决" in held.liable.who
    arrested = assess("我被逮捕关了一年，2026年3月检察院决定不起诉，我要赔偿", ["state_compensation"], TODAY, REMEDIES)
    assert arrested.liable is not None and "作出逮捕决定的机关" in arrested.liable.who
    assert arrested.liable.basis.part == "第三款"


def test_a_case_only_asked_to_be_dropped_or_not_dropped_closes_nothing() -> None:
    for text in (
        "2026年11月20日收到一审判决书，我要求撤案，想申请国家赔偿",
        "公安局没有撤案，2026年11月20日收到一审判决书",
    ):
        result = assess(text, ["state_compensation", "court_procedure"], TODAY, REMEDIES)
        assert result.closed == () and "appeal" in [d.remedy for d in result.deadlines], text


def test_wages_owed_run_from_the_day_the_job_ends_and_are_named_so() -> None:
    """劳动争议调解仲裁法第二十七条: 1 year from knowing the right was infringed; but wages owed during
    the job may be claimed while it lasts, and within 1 year from the day it ends."""
    left = assess("我是2026年4月30日离职的，工资还欠着", ["labor_arbitration"], TODAY, REMEDIES)
    (wage,) = left.deadlines
    assert (wage.event, wage.due) == ("employment_ended", date(2027, 4, 30))
    assert "离职" in wage.rule.name and "在职期间" not in wage.rule.name
    # said they left, but not when: that date is asked — not told 「您还在这家单位工作的…」
    undated = assess("公司拖欠我三个月工资，我已经离职了", ["labor_arbitration"], TODAY, REMEDIES)
    assert undated.pending == () and undated.question("labor_arbitration").id == "employment_ended"
    # still there: no period runs yet
    working = assess("我还在公司上班，公司拖欠我3个月工资", ["labor_arbitration"], TODAY, REMEDIES)
    assert [p.rule.remedy for p in working.pending] == ["labor_arbitration"] and working.deadlines == ()
    # anything else (a dismissal): 1 year from the day the right was infringed
    fired = assess("2026年3月5日公司把我辞退了，不给补偿金", ["labor_arbitration"], TODAY, REMEDIES)
    assert [(d.rule.start, d.due) for d in fired.deadlines] == [("知道或者应当知道权利被侵害之日", date(2027, 3, 5))]
