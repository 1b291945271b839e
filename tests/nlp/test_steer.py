"""诉访分离 steering: the dev bar, our own colloquial accounts, and the rules that matter."""

import pytest

from nlp.evaluate import evaluate_steering, read_jsonl
from tests.auxil.paths import LOCAL_DATA, dev_file


def test_dev_set_bar(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_steering(engine.steerer, read_jsonl(dev_file("steer_dev.jsonl"), ("text", "channels")))
    assert report.accuracy >= 0.95, report.render()
    assert report.steered_away_rate <= 0.02, report.render()


def test_longer_colloquial_accounts(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_steering(engine.steerer, read_jsonl(LOCAL_DATA / "steer_colloquial.jsonl", ("text", "channels")))
    assert report.accuracy >= 0.9, report.render()
    assert report.steered_away == 0, report.render()


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("被辞退不给补偿", "labor_arbitration"),
        ("罚单不服", "admin_remedy"),
        ("判了不执行", "court_procedure"),
        ("被骗了好几万", "criminal_report"),
        ("村支书贪污", "discipline_report"),
        ("邻居借钱不还", "civil_litigation"),
        ("合同写了仲裁条款，对方不付款", "commercial_arbitration"),
        ("村里把我的承包地收回去了", "rural_land_arbitration"),
        ("路灯坏了", "petition"),
        ("楼下噪音太大", "petition"),
        ("垃圾好几天没人收", "petition"),
    ],
)
def test_each_channel_in_the_citizens_words(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel


def test_negation_keeps_a_petition_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("我不是要打官司，只是想反映小区门口乱停车")
    assert verdict.channel == "petition"
    assert engine.steer("我们没有签什么仲裁协议，只想反映物业服务差").channel == "petition"
    assert engine.steer("公司没有拖欠工资，就是班车取消了不方便").channel == "petition"


def test_a_question_about_a_channel_is_not_a_negation(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("老板欠我工资，能不能申请劳动仲裁？").channel == "labor_arbitration"


def test_unpaid_wages_are_both_arbitration_and_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("公司拖欠我三个月工资不发")
    assert verdict.channel == "labor_arbitration"
    assert "petition" in verdict.also
    assert verdict.cues and verdict.cues[0].label == "拖欠工资"


def test_land_requisition_is_not_a_land_contract_dispute(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("我家的承包地被征用了，征地补偿款只发了一半").channel != "rural_land_arbitration"


def test_when_unsure_it_stays_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    for text in ("我有个问题想反映一下", "法院旁边的路灯坏了", "😀", ""):
        assert engine.steer(text).channel == "petition"
