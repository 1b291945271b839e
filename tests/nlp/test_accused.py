"""Who a message accuses, and whether it is a report (检举控告): pure, over the taxonomy and
knowledge/data/accusations.toml."""

from __future__ import annotations

import pytest

from knowledge import load_knowledge
from knowledge.accusations import load_accusations
from knowledge.errors import KnowledgeError
from nlp.accused import AccusedFinder


@pytest.fixture(scope="module")
def finder() -> AccusedFinder:
    knowledge = load_knowledge()
    return AccusedFinder(knowledge.taxonomy, knowledge.accusations)


@pytest.mark.parametrize(
    ("text", "department", "official"),
    [
        ("我举报住建局的一个科员，他收了开发商的好处费", "zhujianju", "科员"),
        ("派出所的民警拿了对方的红包，处理纠纷明显偏向对方", "gonganju", "民警"),
        ("我们村的村主任把修路的补助款截留了一半", "jiedao", "村主任"),
        ("区教育局副局长利用职务安排亲戚的公司中标，这是以权谋私", "jiaoyuju", "副局长"),
        ("镇政府的工作人员办低保要我们先表示一下，不给就不办", "jiedao", "工作人员"),
    ],
)
def test_misconduct_of_an_official_is_a_report_against_their_department(  # type: ignore[no-untyped-def]
    finder, text, department, official
) -> None:
    accusation = finder.find(text)
    assert accusation is not None and accusation.is_report, accusation
    assert (accusation.department_id, accusation.official) == (department, official)


@pytest.mark.parametrize(
    ("text", "department"),
    [
        # the unit named around the person, in everyday words, is the one accused
        ("街道办王主任收好处，才给人家批", "jiedao"),
        ("街道的王主任收了开发商的钱", "jiedao"),
        ("社区的李书记因为我举报他就打击报复我", "jiedao"),
        ("社区王书记打击报复我，停了我的低保", "jiedao"),
        ("村委会的会计贪污了补偿款", "jiedao"),
        ("镇上的干部打击报复我", "jiedao"),
        ("城管中队的队长收了好处费才让摆摊", "chengguanju"),
        # retaliation for having complained, however it is put
        ("自从我上访以后，街道的人就处处刁难我", "jiedao"),
        ("我投诉过城管以后，城管队长就老找我麻烦，故意刁难", "chengguanju"),
    ],
)
def test_everyday_names_of_the_unit_and_retaliation(finder, text, department) -> None:  # type: ignore[no-untyped-def]
    accusation = finder.find(text)
    assert accusation is not None and accusation.is_report, accusation
    assert accusation.department_id == department


def test_reporting_an_official_outright_is_a_report(finder) -> None:  # type: ignore[no-untyped-def]
    accusation = finder.find("我要实名举报城管局的队长，具体情况想当面说")
    assert accusation is not None and accusation.reported and accusation.is_report
    assert accusation.department_id == "chengguanju"


def test_how_staff_behave_is_sealed_from_their_department_but_not_a_report(finder) -> None:  # type: ignore[no-untyped-def]
    accusation = finder.find("城管执法队员态度恶劣，还动手推搡摊主")
    assert accusation is not None and not accusation.is_report
    assert accusation.department_id == "chengguanju" and accusation.conduct


@pytest.mark.parametrize(
    "text",
    [
        "小区门口的路灯坏了三个月，晚上老人出门很危险",
        "物业的工作人员收了钱也不给修电梯",  # a property company's staff are nobody's officials
        "我找住建局反映过，开发商收了首付却迟迟不交房",  # the money went to the developer
        "我向住建局举报了开发商违建，一直没人来查",  # reporting *to* a department accuses nobody there
        "人社局的工作人员告诉我社保要补缴三个月",  # an official named, nothing laid at their door
        "举报隔壁饭店油烟扰民，每天晚上都排烟",
        "我向街道反映过路灯的事，一直没人修",
        "社区医院的医生收红包",  # a doctor is nobody's official here
        "业主委员会收了物业的好处费",  # an owners' committee is no public body
    ],
)
def test_no_official_accused(finder, text) -> None:  # type: ignore[no-untyped-def]
    accusation = finder.find(text)
    assert accusation is None or not accusation.is_report, accusation


def test_a_negated_act_is_no_accusation(finder) -> None:  # type: ignore[no-untyped-def]
    accusation = finder.find("住建局的科员没有收好处费，就是办事太慢")
    assert accusation is None or not accusation.misconduct


def test_the_data_file_names_real_departments() -> None:
    taxonomy = load_knowledge().taxonomy
    text = 'discipline_department = "nonexistent"\nlocal_body = "jiedao"\n'
    with pytest.raises(KnowledgeError, match="discipline_department"):
        load_accusations(taxonomy, text)
