from datetime import date

import pytest

from knowledge import KnowledgeError
from knowledge.laws import load_laws, parse_law, regulation


def test_regulation_has_all_fifty_articles_in_six_chapters() -> None:
    reg = regulation()
    assert sorted(reg.articles) == list(range(1, 51))
    assert reg.version_date == date(2022, 2, 25)
    assert reg.chapters == {
        1: "总则",
        2: "信访工作体制",
        3: "信访事项的提出和受理",
        4: "信访事项的办理",
        5: "监督和追责",
        6: "附则",
    }
    assert [a.number for a in reg.chapter_articles(3)] == list(range(17, 27))
    assert [a.number for a in reg.chapter_articles(4)] == list(range(27, 38))
    assert [a.number for a in reg.chapter_articles(5)] == list(range(38, 48))


def test_article_text_keeps_its_paragraphs() -> None:
    art = regulation().article(34)
    assert art.label == "第三十四条"
    assert "60日内办结" in art.text and "不得超过30日" in art.text
    art20 = regulation().article(20)
    assert len(art20.paragraphs) == 4
    assert "代表人数不得超过5人" in art20.paragraphs[2]


def test_steering_laws_are_shipped_with_their_version_dates() -> None:
    laws = load_laws()
    assert laws["行政复议法"].version_date == date(2023, 9, 1)
    assert "六十日内" in laws["行政复议法"].article(20).text
    assert "六个月内" in laws["行政诉讼法"].article(46).text
    assert "一年" in laws["劳动争议调解仲裁法"].article(27).text
    assert "二年" in laws["农村土地承包经营纠纷调解仲裁法"].article(18).text
    assert "三年" in laws["民法典"].article(188).text
    assert "十五日内" in laws["民事诉讼法"].article(171).text
    assert "信访条例" not in laws  # the 2005 regulation is history, never cited


def test_gap_in_article_numbers_is_reported_with_the_line() -> None:
    text = "# 测试法\n<!-- INFO END -->\n## 第一章 总则\n第一条 甲。\n第三条 丙。\n"
    with pytest.raises(KnowledgeError) as err:
        parse_law(text, "测试法", date(2020, 1, 1), "laws/测试法.md")
    assert err.value.source == "laws/测试法.md"
    assert err.value.line == 5
