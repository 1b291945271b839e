"""The steering vocabulary and rules are data a legal officer edits: mistakes fail at start-up, with the line."""

import pytest

from knowledge import KnowledgeError, load_knowledge
from knowledge.datafile import read_text
from knowledge.steering import load_harm, load_steering


def _steering_text() -> str:
    return read_text("steering.toml")[1]


def test_the_shipped_files_load_and_every_door_can_be_chosen_in_the_question() -> None:
    rules = load_knowledge().steering
    doors = {r.door for r in rules.rules}
    assert doors == set(rules.precedence)  # every door but petition has a rule
    assert rules.precedence[0] == "criminal_report"
    assert any("petition" in c.doors for c in rules.choices)
    assert load_knowledge().harm.groups


def test_a_term_with_a_regex_symbol_is_refused_with_its_line() -> None:
    broken = _steering_text().replace('"欠薪", "讨薪",', '"欠薪", "讨(薪",', 1)
    with pytest.raises(KnowledgeError) as err:
        load_steering(broken)
    assert err.value.line and "特殊符号" in err.value.message


def test_a_rule_naming_an_unknown_meaning_is_refused() -> None:
    broken = _steering_text().replace('when = ["what.wage", "what.unpaid"]', 'when = ["what.wages", "what.unpaid"]', 1)
    with pytest.raises(KnowledgeError, match=r"what\.wages"):
        load_steering(broken)


def test_a_door_left_out_of_the_order_of_the_law_is_refused() -> None:
    broken = _steering_text().replace('  "civil_litigation",\n]', "]", 1)
    with pytest.raises(KnowledgeError, match="precedence"):
        load_steering(broken)


def test_a_repeated_term_and_an_empty_part_are_refused() -> None:
    with pytest.raises(KnowledgeError, match="重复"):
        load_steering(_steering_text().replace('"欠薪", "讨薪",', '"欠薪", "欠薪",', 1))
    with pytest.raises(KnowledgeError, match="空的部分"):
        load_steering(_steering_text().replace('"把我们…都开了"', '"把我们…"', 1))


def test_a_harm_kind_that_does_not_exist_is_refused() -> None:
    text = read_text("harm.toml")[1].replace('kind = "missing_child"', 'kind = "lost_child"', 1)
    with pytest.raises(KnowledgeError, match="lost_child"):
        load_harm(text)


def test_self_harm_can_never_be_set_aside_as_history() -> None:
    text = read_text("harm.toml")[1].replace('kinds = ["violence",', 'kinds = ["self_harm", "violence",', 1)
    with pytest.raises(KnowledgeError, match="self_harm"):
        load_harm(text)
