"""Q&A retrieval: the bars of issue 2 on the dev set, and behaviour on our own colloquial and
off-topic sets (tests/nlp/data), written by meaning, not copied from any FAQ phrasing."""

import json

import pytest

from nlp.evaluate import evaluate_qa, read_jsonl
from tests.auxil.paths import LOCAL_DATA, dev_file


def test_dev_set_bar(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_qa(engine.retriever, read_jsonl(dev_file("qa_dev.jsonl"), ("q", "articles")))
    assert report.total == 40
    assert report.top1_accuracy >= 0.95, report.render()
    assert report.top3_accuracy == 1.0, report.render()


def test_colloquial_questions(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_qa(engine.retriever, read_jsonl(LOCAL_DATA / "qa_colloquial.jsonl", ("q", "articles")))
    assert report.top1_accuracy >= 0.85, report.render()
    assert report.top3_accuracy >= 0.95, report.render()


def test_off_topic_questions_are_not_answered_with_confidence(engine) -> None:  # type: ignore[no-untyped-def]
    questions = [q for q in (LOCAL_DATA / "qa_out_of_domain.txt").read_text("utf-8").splitlines() if q]
    confident = [q for q in questions if engine.ask(q).confident]
    assert not confident, confident


def test_the_time_limit_question_of_the_issue(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.ask("信访事项多久办结？")
    assert result.confident
    assert result.citations()[0].article == 34
    assert "60" in result.best.entry.answer and "30" in result.best.entry.answer


@pytest.mark.parametrize(
    ("colloquial", "article"),
    [("我去反映问题以后被穿小鞋怎么办", 18), ("部门一直踢皮球拖着不办", 40), ("上访能带刀吗", 26)],
)
def test_synonyms_bridge_colloquial_and_statutory_words(engine, colloquial: str, article: int) -> None:  # type: ignore[no-untyped-def]
    assert engine.ask(colloquial).citations()[0].article == article


@pytest.mark.parametrize(
    "text", ["", "😀😀", "！？。，", "x" * 10000, "<script>alert(1)</script>", "'; DROP TABLE cases;--"]
)
def test_any_input_returns_without_error(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    result = engine.ask(text)
    assert 0.0 <= result.confidence <= 1.0


def test_citations_are_distinct_and_best_first(engine) -> None:  # type: ignore[no-untyped-def]
    citations = engine.ask("对处理结果不满意怎么办").citations()
    assert citations[0].article == 35
    assert len(citations) == len(set(citations))


def test_dev_set_is_not_copied_into_the_faq(engine) -> None:  # type: ignore[no-untyped-def]
    """Honesty check: no FAQ phrasing is a dev question verbatim (we tune to meaning)."""
    phrasings = {q.rstrip("？?") for e in engine.knowledge.faq for q in e.questions}
    with dev_file("qa_dev.jsonl").open(encoding="utf-8") as f:
        dev = {json.loads(line)["q"].rstrip("？?") for line in f if line.strip()}
    assert not phrasings & dev
