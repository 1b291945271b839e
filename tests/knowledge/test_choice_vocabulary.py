"""The typed-answer vocabulary loads, and an officer's mistake in it is reported with its line."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeError, load_knowledge
from knowledge.choices import FIELDS, parse_choices
from knowledge.datafile import load_toml

TAIL = """
[fields]
name = ["名字"]
phone = ["电话"]
address = ["地址"]
facts = ["事实"]
request = ["请求"]
reason = ["理由"]
attachments = ["附件"]
group = ["人数"]

[corrections]
phrases = ["写错"]

[fillers]
words = ["吧"]
"""


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_choices(load_toml("choices.toml", text))


def test_the_shipped_vocabulary_covers_every_button_meaning_the_dialogue_uses() -> None:
    vocabulary = load_knowledge().choices
    for meaning in ("yes", "no", "skip", "decline", "as_above", "anonymous", "only_me", "others", "submit", "edit"):
        assert vocabulary.meanings[meaning].phrases, meaning
    for meaning in ("cancel", "continue", "restart", "resume", "restore", "file", "satisfied", "unsatisfied"):
        assert vocabulary.meanings[meaning].phrases, meaning
    assert vocabulary.meanings["satisfied"].negated == "unsatisfied"
    assert set(vocabulary.fields) == set(FIELDS)


def test_a_gap_at_the_edge_of_a_phrase_is_reported_with_its_line() -> None:
    text = '[meanings.yes]\nlabel = "是"\nphrases = ["…好的"]\n' + TAIL
    with pytest.raises(KnowledgeError) as error:
        parse(text)
    assert error.value.line == 1 and "…" in str(error.value)


def test_a_negation_pointing_nowhere_is_reported() -> None:
    text = '[meanings.satisfied]\nlabel = "满意"\nphrases = ["满意"]\nnegated = "grumpy"\n' + TAIL
    with pytest.raises(KnowledgeError, match="grumpy"):
        parse(text)


def test_a_missing_field_name_list_is_reported() -> None:
    text = '[meanings.yes]\nlabel = "是"\nphrases = ["是"]\n' + TAIL.replace('group = ["人数"]\n', "")
    with pytest.raises(KnowledgeError, match="group"):
        parse(text)


def test_meaning_names_are_plain_identifiers() -> None:
    with pytest.raises(KnowledgeError, match="小写"):
        parse('[meanings.Yes]\nlabel = "是"\nphrases = ["是"]\n' + TAIL)
