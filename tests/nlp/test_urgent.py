"""Urgent matters: 30 urgent and 30 ordinary sentences (tests/nlp/data/urgent.txt)."""

from nlp.urgent import detect_urgency
from tests.auxil.paths import LOCAL_DATA


def _sets() -> tuple[list[str], list[str]]:
    urgent, ordinary, current = [], [], None
    for line in (LOCAL_DATA / "urgent.txt").read_text("utf-8").splitlines():
        if line.startswith("# 30 urgent"):
            current = urgent
        elif line.startswith("# 30 non-urgent"):
            current = ordinary
        elif line.strip() and current is not None:
            current.append(line.strip())
    return urgent, ordinary


def test_recall_is_complete_and_false_alarms_are_rare() -> None:
    urgent, ordinary = _sets()
    assert len(urgent) == 30 and len(ordinary) == 30
    missed = [s for s in urgent if not detect_urgency(s).urgent]
    false_alarms = [s for s in ordinary if detect_urgency(s).urgent]
    assert missed == []
    assert len(false_alarms) <= 3, false_alarms


def test_kinds() -> None:
    assert detect_urgency("我不想活了").kinds == ("self_harm",)
    assert "violence" in detect_urgency("逼急了我就跟他同归于尽").kinds
    assert detect_urgency("全村两百多人约好了下周一起去省政府上访").kinds == ("gathering",)
