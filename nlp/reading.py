"""One message, read once: what the citizen wants, which door, the answer, the department,
whether someone is in danger, and the date they mention.

`Engine.read(text)` builds a `Reading`; the dialogue keeps it on the update's context, so no
handler steers, retrieves or routes the same text twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dates import MentionedDate
from .intent import IntentGuess
from .retrieve import Retrieval
from .route import RoutingDecision
from .steer import Verdict
from .urgent import Urgency


@dataclass(frozen=True, slots=True)
class Reading:
    text: str  # normalised
    intent: IntentGuess
    verdict: Verdict
    urgency: Urgency
    routing: RoutingDecision
    retrieval: Retrieval | None  # None when nothing in the text could be a question
    date: MentionedDate | None  # None when no date is stated (or no `today` was given)
