import pytest

from knowledge.numerals import article_label, cn_to_int, int_to_cn


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("三十四", 34),
        ("一百", 100),
        ("一百零八", 108),
        ("一百一十", 110),
        ("一百八十八", 188),
        ("二百零三", 203),
        ("一千零一", 1001),
        ("三百零六", 306),
    ],
)
def test_known_numerals(text: str, number: int) -> None:
    assert cn_to_int(text) == number
    assert int_to_cn(number) == text


def test_round_trip_is_exact_over_the_whole_range() -> None:
    for number in range(0, 20001):
        assert cn_to_int(int_to_cn(number)) == number


@pytest.mark.parametrize("bad", ["", "abc", "三四", "十x"])
def test_malformed_numerals_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_article_label() -> None:
    assert article_label(34) == "第三十四条"
    assert article_label(201) == "第二百零一条"
