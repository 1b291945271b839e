"""Taking a complaint (条例第十九条) — the dialogue as a package:

- `draft`: the complaint being written, a typed dataclass stored as a dict in the dialogue state;
- `questions`: each step's question, its buttons, checking and storing answers, the summary;
- `flow`: the router — commands, buttons (pressed or typed), answers, corrections at the summary;
- `submit`: filing the confirmed draft, once;
- `text`: everything the citizen reads.
"""

from .draft import Draft
from .flow import after_the_dialogue, begin, router, start_filing
from .questions import load, save
from .submit import filed_message, format_date

__all__ = [
    "Draft",
    "after_the_dialogue",
    "begin",
    "filed_message",
    "format_date",
    "load",
    "router",
    "save",
    "start_filing",
]
