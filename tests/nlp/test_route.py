"""Keyword routing on curated examples, its explanation, and the 待分办 threshold."""

import pytest

from nlp.evaluate import evaluate_routing, read_labelled_csv
from tests.auxil.paths import dev_file

CASES = [
    ("小区开发商延期交房，房产证一直办不下来", "城乡建设", "zhujianju"),
    ("小区电梯坏了一个月没人修，存在安全隐患", "商贸旅游", "shichangjianguanju"),
    ("街道两边占道经营摆摊，城管不管", "城乡建设", "chengguanju"),
    ("我们村附近的化工厂晚上偷排废水，河里的鱼都死了", "环境保护", "shengtaihuanjingju"),
    ("楼下餐馆油烟太大，熏得家里没法开窗", "环境保护", "shengtaihuanjingju"),
    ("出租车司机拒载还绕路多收钱", "交通运输", "jiaotongyunshuju"),
    ("学校周末强制学生补课还收费", "教育文体", "jiaoyuju"),
    ("公司拖欠我们农民工三个月工资不发", "劳动和社会保障", "renshiju"),
    ("异地就医的医保报销比例太低，手续太麻烦", "劳动和社会保障", "yibaoju"),
    ("在商场买到过期食品，商家拒绝退款", "商贸旅游", "shichangjianguanju"),
    ("跟团旅游被导游强制购物", "商贸旅游", "wenlvju"),
    ("医院乱收费，医生态度恶劣", "卫生计生", "weijianwei"),
]


@pytest.mark.parametrize(("text", "category", "department"), CASES)
def test_curated_examples(engine, text: str, category: str, department: str) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route(text)
    assert decision.category == category, decision.scores
    assert decision.department_id == department
    assert decision.keywords, "the explanation names the words that decided it"


def test_the_keywords_explain_in_the_citizens_words(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("楼下餐馆油烟太大，熏得家里没法开窗")
    assert "油烟" in decision.keywords


def test_nothing_to_go_on_goes_to_manual_triage(engine) -> None:  # type: ignore[no-untyped-def]
    for text in ("你好", "😀😀", "x" * 50):
        decision = engine.route(text)
        assert decision.needs_triage and decision.confidence == 0.0


def test_an_ambiguous_message_goes_to_manual_triage(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("关于一些问题的反映，希望有关部门重视")
    assert decision.needs_triage


def test_unroutable_categories_are_never_picked(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("举报村干部贪污受贿，纪委请查一查")
    assert decision.category not in ("纪检监察", "公安")


def test_title_line_weighs_more(engine) -> None:  # type: ignore[no-untyped-def]
    with_title = engine.route("学校补课收费\n另外小区门口的路灯也坏了")
    assert with_title.category == "教育文体"


def test_eval_report_on_the_dev_file(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_routing(engine.router, read_labelled_csv(dev_file("routing_dev.csv")))
    text = report.render()
    assert "macro-F1" in text and "混淆矩阵" in text and "带错的关键词" in text
    assert len(report.classes.gold) == 2358
