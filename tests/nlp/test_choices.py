"""Reading typed answers to buttons: labels, numbers, everyday phrases, negation, and restraint."""

from __future__ import annotations

import pytest

from knowledge import load_knowledge
from nlp.choices import ChoiceReader, reader_for

GROUP = ("只有我自己", "还有其他人")
SUMMARY = ("确认提交", "修改", "取消")
RATING = ("满意", "基本满意", "不满意", "申请复查")
OFFER_TO_FILE = ("帮我登记", "先咨询政策")
STEER_CARD = ("我明白了", "仍要反映给信访部门", "咨询其他问题")


@pytest.fixture(scope="module")
def reader() -> ChoiceReader:
    return reader_for(load_knowledge().choices)


def chosen(reader: ChoiceReader, text: str, labels: tuple[str, ...], *, strict: bool = True) -> str | None:
    index = reader.pick(text, [reader.option(label) for label in labels], strict=strict)
    return labels[index] if index is not None else None


@pytest.mark.parametrize("typed", ["就我自己", "只有我", "一个人", "1", "只有我自己", "就我们家", "第一个"])
def test_only_me_in_many_words(reader: ChoiceReader, typed: str) -> None:
    assert chosen(reader, typed, GROUP) == "只有我自己"


@pytest.mark.parametrize("typed", ["还有其他人", "还有好几户邻居", "2", "不止我一个", "大家都是"])
def test_others_in_many_words(reader: ChoiceReader, typed: str) -> None:
    assert chosen(reader, typed, GROUP) == "还有其他人"


@pytest.mark.parametrize("typed", ["确认提交", "没问题，提交吧", "对的", "可以", "好的", "确认无误"])
def test_typed_confirmation(reader: ChoiceReader, typed: str) -> None:
    assert chosen(reader, typed, SUMMARY) == "确认提交"


def test_a_correction_is_not_a_press_of_edit(reader: ChoiceReader) -> None:
    # the phrase 写错 is there, but most of the message is the new value
    assert chosen(reader, "电话写错了，应该是13912345678", SUMMARY) is None
    assert chosen(reader, "不对", SUMMARY) == "修改"


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("还行吧，基本满意", "基本满意"),
        ("不太满意", "不满意"),
        ("不是很满意", "不满意"),
        ("非常满意，谢谢你们", "满意"),
        ("马马虎虎", "基本满意"),
        ("我要申请复查", "申请复查"),
    ],
)
def test_ratings_and_their_negation(reader: ChoiceReader, typed: str, rating: str) -> None:
    assert chosen(reader, typed, RATING) == rating


def test_a_bare_yes_goes_to_the_one_button_that_takes_it(reader: ChoiceReader) -> None:
    assert chosen(reader, "好的", OFFER_TO_FILE) == "帮我登记"
    # two buttons would take 「好的」 here: no guess
    assert chosen(reader, "好的", STEER_CARD) is None
    assert chosen(reader, "我还是想向信访部门反映", STEER_CARD) == "仍要反映给信访部门"


def test_one_character_phrases_only_where_a_clause_begins(reader: ChoiceReader) -> None:
    # 「是」 inside 「还是」 is not a yes
    assert "yes" not in reader.read("还是算了吧", ("yes",)).meanings
    assert "yes" in reader.read("是，没错", ("yes",)).meanings


def test_numbers_out_of_range_and_not_numbers(reader: ChoiceReader) -> None:
    assert chosen(reader, "3", GROUP) is None
    assert chosen(reader, "13812345678", GROUP) is None
    assert reader.number("第二个") == 2 and reader.number("②") == 2 and reader.number("B") == 2
    assert reader.number("二十多户") is None


def test_free_text_is_not_taken_for_a_choice(reader: ChoiceReader) -> None:
    assert chosen(reader, "张三", ("不愿留名",)) is None
    assert chosen(reader, "没有任何理由拖着不修，已经半年了", ("上面已说清楚",)) is None
    assert chosen(reader, "", GROUP) is None and chosen(reader, "😀😀", GROUP) is None


def test_anonymity_in_any_order_of_words(reader: ChoiceReader) -> None:
    for typed in ("我不想留名字", "不愿留名", "名字就不透露了吧", "匿名"):
        assert chosen(reader, typed, ("不愿留名",)) == "不愿留名", typed


def test_a_loose_reading_for_questions_with_only_buttons(reader: ChoiceReader) -> None:
    assert chosen(reader, "整个小区的人都被吵得不行", GROUP) is None
    assert chosen(reader, "整个小区的人都被吵得不行", GROUP, strict=False) == "还有其他人"
    # two meanings that point at different buttons: no guess even when loose
    assert chosen(reader, "满意，但是我要申请复查", RATING, strict=False) is None


def test_what_a_label_means_is_read_from_its_words(reader: ChoiceReader) -> None:
    assert reader.meanings_of("没有了，下一步") == {"skip"}
    assert reader.meanings_of("仍要反映给信访部门") == {"file"}
    assert reader.meanings_of("查询办理进度") == frozenset()
