"""One message, read once: what the citizen wants, which door, the answer, the department,
whether someone is in danger, and the date they mention.

`Engine.read(text)` builds a `Reading`; the dialogue keeps it on the update's context, so no
handler steers, retrieves or routes the same text twice. Retrieval and routing are computed when
first asked for (once), so a caller that needs neither — `/api/v1/triage` needs no answer — pays
for neither; what they say does not depend on when they are computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    date: MentionedDate | None  # None when no date is stated (or no `today` was given)
    _route: Callable[[], RoutingDecision] = field(repr=False, compare=False)
    _answer: Callable[[], Retrieval] | None = field(repr=False, compare=False)  # None: not a question

    @property
    def routing(self) -> RoutingDecision:
        return self._route()

    @property
    def retrieval(self) -> Retrieval | None:
        """None when nothing in the text could be a question."""
        return self._answer() if self._answer is not None else None
