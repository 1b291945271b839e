import re

import pytest

from knowledge import REGULATION, KnowledgeError, load_knowledge
from knowledge.faq import load_faq
from knowledge.laws import load_laws


@pytest.fixture(scope="module")
def faq():  # type: ignore[no-untyped-def]
    return load_knowledge().faq


def test_at_least_eighty_entries_each_with_several_phrasings(faq) -> None:  # type: ignore[no-untyped-def]
    assert len(faq) >= 80
    assert all(len(e.questions) >= 2 for e in faq)
    assert len({e.id for e in faq}) == len(faq)


def test_every_cited_article_exists_and_every_quote_is_verbatim(faq) -> None:  # type: ignore[no-untyped-def]
    laws = load_laws()
    for entry in faq:
        for citation in entry.citations:
            assert citation.article in laws[citation.law].articles, (entry.id, citation)
        primary = laws[entry.law].articles[entry.citations[0].article].text
        assert re.sub(r"\s", "", entry.quote) in re.sub(r"\s", "", primary), entry.id


def test_chapters_three_to_five_are_covered(faq) -> None:  # type: ignore[no-untyped-def]
    """Every article of chapters 3–5 (17–47) is the basis of at least one answer."""
    cited = {c.article for e in faq for c in e.citations if c.law == REGULATION}
    assert set(range(17, 48)) <= cited, sorted(set(range(17, 48)) - cited)


def test_the_citizens_journey_is_answered(faq) -> None:  # type: ignore[no-untyped-def]
    topics = {e.id for e in faq}
    for needed in (
        "how-to-file",
        "what-to-write",
        "time-limit",
        "review",
        "re-examination",
        "forbidden-acts",
        "retaliation",
        "report-confidential",
        "anonymous",
        "representatives",
    ):
        assert needed in topics


def test_answers_are_short_and_plain(faq) -> None:  # type: ignore[no-untyped-def]
    for entry in faq:
        assert len(entry.answer) <= 400, entry.id
        assert len(entry.topic) <= 12, entry.id


BAD_ENTRY = """
[[entry]]
id = "ok"
topic = "好"
questions = ["一", "二"]
answer = "答"
articles = [34]
quote = "应当自受理之日起60日内办结"

[[entry]]
id = "bad"
topic = "坏"
questions = ["一", "二"]
answer = "答"
articles = [99]
quote = "不存在"
"""


def test_a_bad_article_number_fails_with_file_and_line() -> None:
    with pytest.raises(KnowledgeError) as err:
        load_faq(load_laws(), BAD_ENTRY)
    assert err.value.source == "knowledge/data/faq.toml"
    assert err.value.line == 15
    assert "第99条" in str(err.value)


def test_a_quote_not_in_the_article_fails_with_its_line() -> None:
    text = BAD_ENTRY.replace("articles = [99]", "articles = [35]")
    with pytest.raises(KnowledgeError) as err:
        load_faq(load_laws(), text)
    assert err.value.line == 16 and "原文" in err.value.message


def test_broken_toml_fails_with_its_line() -> None:
    with pytest.raises(KnowledgeError) as err:
        load_faq(load_laws(), '[[entry]]\nid = "x"\nquestions = ["a"\n')
    assert err.value.line is not None and err.value.line >= 3


def test_duplicate_ids_are_refused() -> None:
    text = (
        BAD_ENTRY.replace('id = "bad"', 'id = "ok"')
        .replace("articles = [99]", "articles = [34]")
        .replace('quote = "不存在"', 'quote = "应当自受理之日起60日内办结"')
    )
    with pytest.raises(KnowledgeError, match="重复"):
        load_faq(load_laws(), text)


def _two_good_entries() -> str:
    return (
        BAD_ENTRY.replace('id = "bad"', 'id = "also-ok"')
        .replace("articles = [99]", "articles = [34]")
        .replace('quote = "不存在"', 'quote = "应当自受理之日起60日内办结"')
    )


def test_each_specific_need_has_exactly_one_answer(faq) -> None:  # type: ignore[no-untyped-def]
    from knowledge.faq import NEEDS

    assert sorted(e.need for e in faq if e.need) == sorted(NEEDS)


def test_an_unknown_need_is_refused_with_its_line() -> None:
    text = _two_good_entries().replace(
        'quote = "应当自受理之日起60日内办结"\n', 'quote = "应当自受理之日起60日内办结"\nneed = "lunch"\n', 1
    )
    with pytest.raises(KnowledgeError, match="need 只能是") as err:
        load_faq(load_laws(), text)
    assert err.value.line == 9


def test_a_need_answered_twice_is_refused() -> None:
    text = _two_good_entries().replace(
        'quote = "应当自受理之日起60日内办结"\n', 'quote = "应当自受理之日起60日内办结"\nneed = "status"\n'
    )
    with pytest.raises(KnowledgeError, match="每种需要只对应一条"):
        load_faq(load_laws(), text)


def test_colloquial_data_loads_and_bad_pairs_fail_with_their_line() -> None:
    from knowledge.colloquial import load_colloquial, parse_colloquial
    from knowledge.datafile import load_toml

    colloquial = load_colloquial()
    assert ("啥", "什么") in colloquial.dialect and colloquial.slot("discontent")
    # longest first, so that 「啥子」 is replaced before 「啥」
    said = [s for s, _ in colloquial.dialect]
    assert said.index("啥子") < said.index("啥")
    with pytest.raises(KnowledgeError, match="没有意义") as err:
        parse_colloquial(load_toml("colloquial.toml", '[dialect]\n"俺" = "俺"\n[slots]\nx = ["a"]\n'))
    assert err.value.line == 2
    with pytest.raises(KnowledgeError, match="slots"):
        parse_colloquial(load_toml("colloquial.toml", '[dialect]\n"俺" = "我"\n'))


def test_the_learned_weights_are_numbers_with_their_line() -> None:
    from knowledge import KnowledgeError
    from knowledge.qa_model import load_qa_model

    assert load_qa_model().rank and "bias" in load_qa_model().confidence
    with pytest.raises(KnowledgeError, match=r"qa_model.toml:3"):
        load_qa_model('[rank]\nscore = 1.0\nvotes = "many"\n[confidence]\nbias = 0.0\n')
    with pytest.raises(KnowledgeError, match=r"\[confidence\]"):
        load_qa_model("[rank]\nscore = 1.0\n")


def test_the_word_model_is_read_with_its_lines() -> None:
    from knowledge import KnowledgeError
    from knowledge.qa_model import load_lexical

    shipped = load_lexical()
    assert shipped.bias.keys() <= set(range(1, 51)) and shipped.weights.keys() <= shipped.idf.keys()
    good = '[bias]\n"1" = 0.5\n"2" = -0.5\n[grams]\n"信访" = { idf = 2.0, "1" = 0.7 }\n'
    assert load_lexical(good).weights == {"信访": ((1, 0.7),)}
    with pytest.raises(KnowledgeError, match=r"qa_lexical.toml:5.*条文 3"):
        load_lexical(good.replace('"1" = 0.7', '"3" = 0.7'))
    with pytest.raises(KnowledgeError, match=r"qa_lexical.toml:5"):
        load_lexical(good.replace("idf = 2.0, ", ""))
    with pytest.raises(KnowledgeError, match=r"\[grams\]"):
        load_lexical('[bias]\n"1" = 0.5\n')
