"""Citizens' wording made plain before it is read: dialect, known typos, misheard terms, numerals."""

import pytest

from knowledge import load_knowledge
from nlp.colloquial import Rewriter, digits, sound


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("俺的事咋办", "我的事怎么办"),
        ("他晓不晓得是我", "他知不知道是我"),
        ("要拖到啥子时候", "要拖到什么时候"),
        ("复合意见", "复核意见"),  # 复合 is a word, so only the listed typo table catches it
        ("没有方言的一句话", "没有方言的一句话"),
    ],
)
def test_dialect_and_listed_typos_become_plain(said: str, plain: str) -> None:
    assert Rewriter(load_knowledge().colloquial)(said) == plain


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("网上交材料有用伐?", "网上交材料有用吗?"),  # Wu: a particle only at the end of a sentence
        ("改革的步伐", "改革的步伐"),
        ("我唔识写字,点样反映", "我不会写字,怎么反映"),  # Cantonese
        ("佢哋唔受理", "他们不受理"),
    ],
)
def test_regional_speech_becomes_plain(said: str, plain: str) -> None:
    assert Rewriter(load_knowledge().colloquial)(said) == plain


def test_a_replacement_is_never_rewritten_again() -> None:
    # 「咋整」 → 「怎么办」 in one pass; the 「办」 it produces is not touched by later rules
    assert Rewriter(load_knowledge().colloquial)("咋整") == "怎么办"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("付查怎么申请", "复查怎么申请"),
        ("我想去信仿", "我想去信访"),
        ("投述有用吗", "投诉有用吗"),
        ("浮核以后", "复核以后"),
    ],
)
def test_misheard_domain_terms_are_found_by_their_sound(engine, typed: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.retriever.plain(typed) == meant


@pytest.mark.parametrize(
    "text",
    ["交付查验", "诉讼时效是几年", "今天天气怎么样", "红烧肉怎么做才不腻", "我家上方漏水", "出了事他们都躲着不见人"],
)
def test_real_words_are_left_alone(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.retriever.plain(text) == text


def test_sound_is_toneless_and_accent_tolerant() -> None:
    assert sound("复查") == sound("付查")
    assert sound("投诉") == sound("投述")  # s / sh, as southern speakers type it
    assert sound("abc") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("六十天", "60天"),
        ("代表五人", "代表5人"),
        ("两个月", "2个月"),
        ("十五个工作日", "15个工作日"),
        ("一五一十", "一五一十"),
    ],
)
def test_numerals_before_a_unit_become_digits(text: str, expected: str) -> None:
    assert digits(text) == expected
