"""The remedy model: each door's remedies, periods and bases, and their last days worked by hand.

Every row of the table is one remedy counted from one start date, with the calendar case it
exercises and the statute it rests on. Counting: the start day is not counted (民法典第二百零一条,
民事诉讼法第八十五条), months and years end on the corresponding day or the month's last day
(第二百零二条), a last day on a 法定休假日 moves to the next working day (第二百零三条) — but a
调休 working weekend is a working day. 2026: 春节 2-15…2-23 with 2-14 and 2-28 worked, 清明
4-04…4-06, 劳动节 5-01…5-05, 国庆 10-01…10-07 with 9-20 and 10-10 worked, 1-04 (Sun) worked.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge import KnowledgeError, load_knowledge
from knowledge.datafile import read_text
from knowledge.laws import load_laws
from knowledge.remedies import REMEDY_IDS, load_remedies
from nlp.remedies import assess

REMEDIES = load_knowledge().remedies

# remedy, door, start event, start day, words the rule needs, last day, calendar case, statute
TABLE = [
    # 行政复议法第二十条: 60 日 from knowing the act
    (
        "admin_review",
        "admin_remedy",
        "admin_act_known",
        date(2026, 8, 2),
        "",
        date(2026, 10, 8),
        "国庆",
        "行政复议法第二十条",
    ),
    (
        "admin_review",
        "admin_remedy",
        "admin_act_known",
        date(2026, 9, 22),
        "",
        date(2026, 11, 23),
        "周六→周一",
        "行政复议法第二十条",
    ),
    (
        "admin_review",
        "admin_remedy",
        "admin_act_known",
        date(2025, 12, 19),
        "",
        date(2026, 2, 24),
        "春节",
        "行政复议法第二十条",
    ),
    (
        "admin_review",
        "admin_remedy",
        "admin_act_known",
        date(2024, 1, 10),
        "",
        date(2024, 3, 11),
        "跨闰日、周日",
        "行政复议法第二十条",
    ),
    # 行政诉讼法第四十六条: 6 个月; 第四十五条: 15 日 from the 复议决定书
    (
        "admin_litigation",
        "admin_remedy",
        "admin_act_known",
        date(2025, 8, 31),
        "",
        date(2026, 2, 28),
        "月末无对应日、调休上班的周六",
        "行政诉讼法第四十六条",
    ),
    (
        "admin_litigation",
        "admin_remedy",
        "admin_act_known",
        date(2026, 3, 12),
        "",
        date(2026, 9, 14),
        "周六→周一",
        "行政诉讼法第四十六条",
    ),
    (
        "admin_litigation",
        "admin_remedy",
        "review_decision_received",
        date(2026, 11, 10),
        "",
        date(2026, 11, 25),
        "平日",
        "行政诉讼法第四十五条",
    ),
    # 劳动争议调解仲裁法第二十七条: 1 年; in-employment wages from the end of employment
    (
        "labor_arbitration",
        "labor_arbitration",
        "rights_infringed",
        date(2025, 2, 28),
        "",
        date(2026, 2, 28),
        "调休上班的周六",
        "劳动争议调解仲裁法第二十七条第一款",
    ),
    (
        "labor_arbitration",
        "labor_arbitration",
        "rights_infringed",
        date(2025, 11, 29),
        "",
        date(2026, 11, 30),
        "周日→周一",
        "劳动争议调解仲裁法第二十七条第一款",
    ),
    (
        "labor_arbitration",
        "labor_arbitration",
        "employment_ended",
        date(2025, 10, 3),
        "拖欠工资",
        date(2026, 10, 8),
        "国庆",
        "劳动争议调解仲裁法第二十七条第四款",
    ),
    # 民法典第一百八十八条: 3 年 (第一百九十八条: arbitration, unless a law says otherwise)
    (
        "civil_litigation",
        "civil_litigation",
        "harm_known",
        date(2024, 2, 29),
        "",
        date(2027, 3, 1),
        "闰日→2月末日、周日",
        "民法典第一百八十八条",
    ),
    (
        "civil_litigation",
        "civil_litigation",
        "harm_known",
        date(2023, 6, 30),
        "",
        date(2026, 6, 30),
        "平日",
        "民法典第一百八十八条",
    ),
    (
        "commercial_arbitration",
        "commercial_arbitration",
        "harm_known",
        date(2023, 2, 17),
        "",
        date(2026, 2, 24),
        "春节",
        "民法典第一百九十八条",
    ),
    (
        "commercial_arbitration",
        "commercial_arbitration",
        "harm_known",
        date(2023, 1, 31),
        "",
        date(2026, 2, 2),
        "周六→周一",
        "民法典第一百九十八条",
    ),
    # 农村土地承包经营纠纷调解仲裁法第十八条: 2 年
    (
        "rural_land_arbitration",
        "rural_land_arbitration",
        "land_rights_infringed",
        date(2024, 2, 29),
        "",
        date(2026, 2, 28),
        "闰日、调休上班的周六",
        "调解仲裁法第十八条",
    ),
    (
        "rural_land_arbitration",
        "rural_land_arbitration",
        "land_rights_infringed",
        date(2024, 10, 5),
        "",
        date(2026, 10, 8),
        "国庆",
        "调解仲裁法第十八条",
    ),
    # 民事诉讼法第一百七十一条: 15 日 (判决), 10 日 (裁定)
    (
        "appeal",
        "court_procedure",
        "judgment_served",
        date(2026, 2, 13),
        "",
        date(2026, 2, 28),
        "调休上班的周六",
        "民事诉讼法第一百七十一条",
    ),
    (
        "appeal",
        "court_procedure",
        "judgment_served",
        date(2026, 9, 20),
        "",
        date(2026, 10, 8),
        "国庆",
        "民事诉讼法第一百七十一条",
    ),
    (
        "appeal",
        "court_procedure",
        "ruling_served",
        date(2025, 12, 25),
        "",
        date(2026, 1, 4),
        "调休上班的周日",
        "民事诉讼法第一百七十一条第二款",
    ),
    (
        "appeal",
        "court_procedure",
        "judgment_served",
        date(2026, 2, 1),
        "",
        date(2026, 2, 24),
        "春节",
        "民事诉讼法第一百七十一条",
    ),
    # 民事诉讼法第二百一十六条: 6 个月 from taking effect
    (
        "retrial",
        "court_procedure",
        "judgment_effective",
        date(2025, 8, 31),
        "不服",
        date(2026, 2, 28),
        "月末、调休上班的周六",
        "民事诉讼法第二百一十六条",
    ),
    (
        "retrial",
        "court_procedure",
        "judgment_effective",
        date(2025, 11, 30),
        "不服",
        date(2026, 6, 1),
        "周六→周一",
        "民事诉讼法第二百一十六条",
    ),
    (
        "retrial",
        "court_procedure",
        "judgment_effective",
        date(2026, 7, 20),
        "再审",
        date(2027, 1, 20),
        "平日（暂定）",
        "民事诉讼法第二百一十六条",
    ),
    # 民事诉讼法第二百五十条: 2 年 from the last day to perform (or taking effect)
    (
        "enforcement",
        "court_procedure",
        "performance_due",
        date(2024, 2, 29),
        "不还",
        date(2026, 2, 28),
        "闰日、调休上班的周六",
        "民事诉讼法第二百五十条",
    ),
    (
        "enforcement",
        "court_procedure",
        "judgment_effective",
        date(2024, 10, 1),
        "没给",
        date(2026, 10, 8),
        "国庆",
        "民事诉讼法第二百五十条",
    ),
    # 国家赔偿法第三十九条: 2 年, custody not counted
    (
        "state_compensation",
        "state_compensation",
        "wrong_known",
        date(2024, 10, 2),
        "",
        date(2026, 10, 8),
        "国庆",
        "国家赔偿法第三十九条",
    ),
    (
        "state_compensation",
        "state_compensation",
        "custody_released",
        date(2024, 2, 29),
        "",
        date(2026, 2, 28),
        "闰日、调休上班的周六",
        "国家赔偿法第三十九条",
    ),
    # 信访工作条例第三十五条、第三十六条: 30 日 from the written answer
    (
        "petition_review",
        "petition",
        "petition_answer_received",
        date(2026, 1, 20),
        "处理意见",
        date(2026, 2, 24),
        "春节",
        "条例第三十五条",
    ),
    (
        "petition_review",
        "petition",
        "petition_answer_received",
        date(2026, 9, 10),
        "处理意见",
        date(2026, 10, 10),
        "调休上班的周六",
        "条例第三十五条",
    ),
    (
        "petition_review",
        "petition",
        "petition_answer_received",
        date(2026, 3, 20),
        "处理意见",
        date(2026, 4, 20),
        "周日→周一",
        "条例第三十五条",
    ),
    (
        "petition_recheck",
        "petition",
        "review_answer_received",
        date(2026, 5, 8),
        "复查意见",
        date(2026, 6, 8),
        "周日→周一",
        "条例第三十六条",
    ),
    (
        "petition_recheck",
        "petition",
        "review_answer_received",
        date(2026, 9, 5),
        "复查意见",
        date(2026, 10, 8),
        "国庆",
        "条例第三十六条",
    ),
]


@pytest.mark.parametrize(
    ("remedy", "door", "event", "start", "words", "due", "case", "statute"),
    TABLE,
    ids=[f"{row[0]}-{row[3]}-{row[6]}" for row in TABLE],
)
def test_last_days_as_the_statute_counts_them(remedy, door, event, start, words, due, case, statute) -> None:  # type: ignore[no-untyped-def]
    today = start
    got = {d.remedy: d for d in assess(words, [door], today, REMEDIES, {event: start}).deadlines}
    assert remedy in got, f"{remedy} not listed ({statute})"
    assert got[remedy].due == due, f"{case}: {statute}"
    assert not got[remedy].expired
    expired = {
        d.remedy: d
        for d in assess(words, [door], date.fromordinal(due.toordinal() + 1), REMEDIES, {event: start}).deadlines
    }
    assert expired[remedy].expired  # the day after the last day it has passed


def test_every_remedy_rests_on_a_quoted_article_of_a_shipped_law() -> None:
    laws = load_laws()
    assert {r.remedy for r in REMEDIES.rules} == set(REMEDY_IDS)
    for rule in REMEDIES.rules:
        article = laws[rule.basis.citation.law].articles[rule.basis.citation.article]
        assert rule.basis.quote.replace(" ", "") in article.text.replace(" ", "")
        assert rule.if_passed and rule.start


def test_the_doors_offer_their_remedies() -> None:
    assert REMEDIES.remedy_ids("admin_remedy") == ("admin_review", "admin_litigation")
    assert REMEDIES.remedy_ids("court_procedure") == ("appeal", "retrial", "enforcement")
    assert REMEDIES.remedy_ids("petition") == ("petition_review", "petition_recheck")
    assert REMEDIES.remedy_ids("rural_land_arbitration") == ("rural_land_arbitration", "civil_litigation")
    assert REMEDIES.remedy_ids("criminal_report") == () and REMEDIES.remedy_ids("discipline_report") == ()


def test_wages_owed_while_employed_do_not_run_out() -> None:
    # 劳动争议调解仲裁法第二十七条第四款: no 1-year limit while employed; 1 year from its end
    still = assess(
        "公司拖欠我工资", ["labor_arbitration"], date(2026, 11, 25), REMEDIES, {"rights_infringed": date(2025, 1, 5)}
    )
    assert not still.deadlines and still.pending and "不受 1 年" in still.pending[0].text
    left = assess(
        "公司拖欠我工资", ["labor_arbitration"], date(2026, 11, 25), REMEDIES, {"employment_ended": date(2026, 4, 30)}
    )
    assert [(d.remedy, d.due) for d in left.deadlines] == [("labor_arbitration", date(2027, 4, 30))]


def test_civil_claims_end_twenty_years_after_the_harm_at_the_latest() -> None:
    # 民法典第一百八十八条第二款: 3 years from knowing, but never beyond 20 years from the harm
    given = {"harm_occurred": date(2003, 5, 10), "harm_known": date(2024, 6, 1)}
    civil = assess("", ["civil_litigation"], date(2026, 11, 25), REMEDIES, given).deadlines[0]
    assert civil.capped and civil.due == date(2023, 5, 10) and civil.expired
    assert civil.basis.quote == "自权利受到损害之日起超过二十年的，人民法院不予保护"


def test_custody_is_not_counted_for_state_compensation() -> None:
    # 国家赔偿法第三十九条: learned of the wrong while held → the period runs from release
    given = {"wrong_known": date(2025, 3, 1), "custody_released": date(2025, 9, 9)}
    (state,) = assess("", ["state_compensation"], date(2026, 10, 10), REMEDIES, given).deadlines
    assert state.start.day == date(2025, 9, 9) and state.due == date(2027, 9, 9)


def test_a_misquoted_basis_or_unknown_event_is_refused_with_its_line() -> None:
    _, text = read_text("remedies.toml")
    laws = load_laws()
    with pytest.raises(KnowledgeError) as err:
        load_remedies(laws, text.replace("申请执行的期间为二年", "申请执行的期间为三年"))
    assert err.value.line and "原文" in err.value.message
    with pytest.raises(KnowledgeError, match="未知的起算事件"):
        load_remedies(laws, text.replace('from = ["judgment_served"]', 'from = ["served_somehow"]', 1))
    with pytest.raises(KnowledgeError, match="只能填一个"):
        load_remedies(laws, text.replace("days = 60\n", "days = 60\nmonths = 2\n", 1))
