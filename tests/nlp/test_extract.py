"""Fields from what citizens type: whole stories, answers that answer two questions, corrections."""

from __future__ import annotations

import pytest

from knowledge import load_knowledge
from nlp.extract import (
    Correction,
    answer_for,
    extract_fields,
    find_phone,
    group_size_in,
    looks_like_name,
    read_correction,
    split_reason,
)


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("我的手机：138.1234.5678，白天打", "13812345678"),
        ("家里座机 (0731) 8456 7890", "0731-84567890"),
        ("我的手机号码是一三八 七三一六 二二四五", "13873162245"),
        ("010-6234 5678", "010-62345678"),
    ],
)
def test_phone_numbers_however_they_are_written(typed: str, phone: str) -> None:
    assert find_phone(typed) == phone


def test_no_phone_in_other_numbers() -> None:
    assert find_phone("2026年11月25日，23户，门牌1203号") is None


def test_a_whole_story_in_one_message() -> None:
    story = "你好，我叫郑国强，手机 139 8765 4321，住在A市A5区人民路街道幸福里小区3栋。楼下烧烤店开到凌晨，希望有关部门管一管"
    found = extract_fields(story)
    assert (found.name, found.phone) == ("郑国强", "13987654321")
    assert found.address == "A市A5区人民路街道幸福里小区3栋"
    assert found.request == "希望有关部门管一管"


@pytest.mark.parametrize(
    ("field", "typed", "answer"),
    [
        ("name", "张三，13812345678", "张三"),
        ("name", "我姓黄，黄建军", "黄建军"),
        ("name", "您好，我姓李，叫我李大爷就行", "李大爷"),
        ("address", "A市A3区幸福小区，电话13812345678", "A市A3区幸福小区"),
        ("address", "我住在A市A3区建设路12号", "A市A3区建设路12号"),
        ("request", "我的诉求是尽快修好", "尽快修好"),
    ],
)
def test_the_part_of_an_answer_that_answers_the_question(field: str, typed: str, answer: str) -> None:
    assert answer_for(field, typed) == answer


def test_names_look_like_names() -> None:
    for name in ("张三", "李大爷", "阿依古丽·买买提", "Li Lei", "欧阳娜娜"):
        assert looks_like_name(name), name
    for not_a_name in ("我投诉的事会不会让他知道", "13812345678", "名字就不透露了", ""):
        assert not looks_like_name(not_a_name), not_a_name


@pytest.mark.parametrize(
    ("typed", "size"),
    [
        ("我们楼有十几户", 10),
        ("还有三户邻居", 3),
        ("23", 23),
        ("大概50来人", 50),
        ("全村一百多户", 100),
        ("几十户", 20),
        ("好多户都受影响，大概四五十户", 40),
        ("三四个人", 3),
        ("两三百户", 200),
    ],
)
def test_how_many_people(typed: str, size: int) -> None:
    assert group_size_in(typed) == size


def test_no_count_where_none_is_said() -> None:
    assert group_size_in("不清楚") is None and group_size_in("还有其他人") is None


def test_a_request_that_gives_its_reason() -> None:
    assert split_reason("希望尽快修好路灯，因为老人晚上出门很危险") == ("希望尽快修好路灯", "因为老人晚上出门很危险")
    assert split_reason("尽快修好") == ("尽快修好", None)


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("电话写错了，应该是139 1234 5678", "phone", "13912345678"),
        ("手机号换了，新号0731-8456 7890", "phone", "0731-84567890"),
        ("地址改成A市A5区人民路88号", "address", "A市A5区人民路88号"),
        ("地址不对，我住在A市A3区幸福路3号", "address", "A市A3区幸福路3号"),
        ("名字不是张三，是张珊", "name", "张珊"),
        ("请求改一下：尽快修好并赔偿", "request", "尽快修好并赔偿"),
        ("名字写错了", "name", None),
        ("电话不是13812345678，是13912345678", "phone", "13912345678"),
        ("名字错了，是张珊不是张三", "name", "张珊"),
        ("名字写错了，是刘秀英，英雄的英", "name", "刘秀英"),
        ("姓名改成刘秀英（草字头的英）", "name", "刘秀英"),
    ],
)
def test_corrections_at_the_summary(typed: str, field: str, value: str | None) -> None:
    correction = read_correction(typed, load_knowledge().choices)
    assert correction is not None and (correction.field, correction.value) == (field, value)


def test_no_correction_in_a_confirmation_or_a_wish() -> None:
    vocabulary = load_knowledge().choices
    assert read_correction("没问题", vocabulary) is None
    assert read_correction("希望你们尽快处理一下这个事情", vocabulary) is None
    unsure = read_correction("有地方写错了", vocabulary)
    assert unsure is not None and unsure.field is None  # a correction, of a field still to ask


def test_a_topic_is_not_an_address() -> None:
    story = "尊敬的领导：您好！我是一名退休教师，现就我所居住社区的道路安全问题向您反映。"
    assert extract_fields(story).address is None
    assert extract_fields("我住在A市A3区育英社区5栋，路口没有红绿灯").address == "A市A3区育英社区5栋"


ADDRESS = "A市A3区建设路街道红旗小区6栋"


@pytest.mark.parametrize(
    "lead",
    [
        "住在",
        "家住",
        "家住在",
        "我家住在",
        "住址",
        "家住址",
        "住址是",
        "地址：",
        "我的地址是",
        "住的地方是",
        "我们小区在",
        "",
    ],
)
def test_an_address_in_a_story_keeps_every_character(lead: str) -> None:
    # neither a character of the address lost (「们小区在A市…」「市A3区…」) nor one of the lead kept (「在A市…」「址A市…」)
    for before in ("", "我叫王明，电话13612340001，"):
        assert extract_fields(f"{before}{lead}{ADDRESS}，路灯坏了两个月没人修").address == ADDRESS, (before, lead)


@pytest.mark.parametrize(
    "typed", ["我们小区在", "我在", "在", "是", "我的住址是", "家住在", "住址", "地址", "我们家在", ""]
)
def test_an_address_typed_as_the_answer_keeps_every_character(typed: str) -> None:
    assert answer_for("address", typed + ADDRESS) == ADDRESS


def test_an_address_that_begins_like_a_lead_is_kept_whole() -> None:
    assert answer_for("address", "为民路18号红旗小区") == "为民路18号红旗小区"
    assert answer_for("address", "在水一方小区3栋") != ""


def test_no_address_where_a_place_is_only_mentioned() -> None:
    for story in ("我在医院住了三天", "我们在这里住了十年", "我家在村里，路不通", "我在工地上干活摔伤了"):
        assert extract_fields(story).address is None, story


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("地址不对，我们小区在为民路街道3栋", "为民路街道3栋"),
        ("地址不对，在为民路街道3栋", "为民路街道3栋"),
        ("地址改成为民路18号", "为民路18号"),
        ("地址写错了，我家住在为民路18号", "为民路18号"),
    ],
)
def test_a_corrected_address_keeps_its_first_character(typed: str, value: str) -> None:
    assert read_correction(typed, load_knowledge().choices) == Correction("address", value)
