"""A small router per feature (commands, button prefixes, dialogue states), composed in order.

Modelled on aiogram's routers: each feature module makes one `Router`, registers its
callbacks with decorators, and `handlers/assistant.py` includes the routers in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .choices import StandingOffer
    from .context import Context

CommandCallback = Callable[["Context", str], Awaitable[None]]  # (ctx, argument text)
ButtonCallback = Callable[["Context", str], Awaitable[None]]  # (ctx, payload after "prefix:")
StateCallback = Callable[["Context"], Awaitable[None]]
# buttons a citizen may be answering by typing although the dialogue did not just show them —
# e.g. the satisfaction prompt the back office sent after 办结 (see handlers/choices.py)
OfferLookup = Callable[["Context"], Awaitable["StandingOffer | None"]]


@dataclass(frozen=True)
class OfferSource:
    """A standing offer and when it is worth looking up (the look-up costs a query; the gate is free)."""

    lookup: OfferLookup
    meanings: tuple[str, ...] = ()  # consulted when the text holds one of these meanings …
    short: int = 0  # … or is at most this many characters (a quiz option typed out, 「2」)


@dataclass
class Router:
    name: str
    commands: dict[str, CommandCallback] = field(default_factory=dict)
    buttons: dict[str, ButtonCallback] = field(default_factory=dict)
    states: dict[str, StateCallback] = field(default_factory=dict)
    deep_links: dict[str, ButtonCallback] = field(default_factory=dict)
    offers: list[OfferSource] = field(default_factory=list)
    reads_choices: set[str] = field(default_factory=set)  # states whose callback reads typed choices itself

    def command(self, *names: str) -> Callable[[CommandCallback], CommandCallback]:
        def register(callback: CommandCallback) -> CommandCallback:
            for name in names:
                self.commands[name] = callback
            return callback

        return register

    def button(self, prefix: str) -> Callable[[ButtonCallback], ButtonCallback]:
        def register(callback: ButtonCallback) -> ButtonCallback:
            self.buttons[prefix] = callback
            return callback

        return register

    def deep_link(self, prefix: str) -> Callable[[ButtonCallback], ButtonCallback]:
        """Claims `/start <prefix><rest>` deep links; the callback gets `<rest>`."""

        def register(callback: ButtonCallback) -> ButtonCallback:
            self.deep_links[prefix] = callback
            return callback

        return register

    def standing_offer(self, *meanings: str, short: int = 0) -> Callable[[OfferLookup], OfferLookup]:
        """Registers buttons sent outside the dialogue that typed text in the idle state may answer;
        looked up only for a text that holds one of `meanings` or is at most `short` characters."""

        def register(lookup: OfferLookup) -> OfferLookup:
            self.offers.append(OfferSource(lookup, meanings, short))
            return lookup

        return register

    def state(self, *names: str, reads_choices: bool = False) -> Callable[[StateCallback], StateCallback]:
        """Handles free text (and attachments) while the dialogue is in one of these states.

        reads_choices: the callback reads typed answers to its buttons itself (handlers/choices.py),
        e.g. to try 「电话写错了……」 as a correction before 「写错」 as the 「修改」 button.
        """

        def register(callback: StateCallback) -> StateCallback:
            for name in names:
                self.states[name] = callback
                if reads_choices:
                    self.reads_choices.add(name)
            return callback

        return register


@dataclass
class RouterSet:
    """Routers composed in order; the first that knows a command, prefix or state wins."""

    routers: list[Router] = field(default_factory=list)

    def include(self, *routers: Router) -> None:
        for router in routers:
            for other in self.routers:
                clash = (router.commands.keys() & other.commands.keys()) | (
                    router.buttons.keys() & other.buttons.keys()
                )
                if clash:
                    raise ValueError(f"router {router.name} clashes with {other.name} on {sorted(clash)}")
            self.routers.append(router)

    def command(self, name: str) -> CommandCallback | None:
        return next((r.commands[name] for r in self.routers if name in r.commands), None)

    def button(self, prefix: str) -> ButtonCallback | None:
        return next((r.buttons[prefix] for r in self.routers if prefix in r.buttons), None)

    def state(self, name: str) -> StateCallback | None:
        return next((r.states[name] for r in self.routers if name in r.states), None)

    def reads_choices(self, state: str) -> bool:
        return any(state in r.reads_choices for r in self.routers if state in r.states)

    def deep_link(self, payload: str) -> tuple[ButtonCallback, str] | None:
        for router in self.routers:
            for prefix, callback in router.deep_links.items():
                if payload.startswith(prefix):
                    return callback, payload[len(prefix) :]
        return None

    @property
    def standing_offers(self) -> list[OfferSource]:
        return [source for r in self.routers for source in r.offers]

    @property
    def command_names(self) -> list[str]:
        return [name for r in self.routers for name in r.commands]
