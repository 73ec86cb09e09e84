"""The registries through which a feature adds to the pages every user shares, from its own
pages.py: menu entries (`nav_item`), home-page cards (`@home_card`), links in the header
(`header_link`), and the links and sections of a person's page (`seeker_link`,
`@seeker_section`). The layout and the home page read them and know no feature."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from exchange.accounts.roles import ADMIN, FINANCE_APPROVER, RECEIVING_STAFF, SENDING_STAFF

CLERKS = {"sending": SENDING_STAFF, "receiving": RECEIVING_STAFF}


@dataclass(frozen=True)
class Where:
    """Who is looking, and from where: what every registered entry decides on."""
    actor: Any
    pairing: Any            # the pairing the user works on (None: their region is in none)
    side: str | None        # "sending" | "receiving" of that pairing

    @property
    def role(self) -> str:
        return self.actor.role

    def office(self, side: str | None = None) -> bool:
        """The county office of that side (of either side when none is named): its staff, and its
        admins and finance approvers, who read what the staff do."""
        if side is None:
            return self.office("sending") or self.office("receiving")
        return self.side == side and self.role in (CLERKS[side], ADMIN, FINANCE_APPROVER)

    def clerk(self, side: str | None = None) -> bool:
        """The clerk of that side (or of the user's own side): the one who does its round-trip work."""
        side = side or self.side
        return side is not None and self.side == side and self.role == CLERKS.get(side)

    @property
    def payer(self) -> bool:
        return self.pairing is not None and self.actor.region in self.pairing.payer_regions


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    order: int
    shown: Callable[[Where], bool]
    auditors: bool = False


NAV: list[NavItem] = []


def nav_item(endpoint: str, label, *, order: int, shown: Callable[[Where], bool] = lambda where: True,
             auditors: bool = False) -> None:
    """A menu entry, for whom `shown` says; entries are ordered by `order`. An auditor sees only
    the entries marked `auditors`."""
    NAV[:] = sorted([i for i in NAV if i.endpoint != endpoint] + [NavItem(endpoint, label, order, shown, auditors)],
                    key=lambda i: (i.order, i.endpoint))


def navigation(where: Where) -> list[NavItem]:
    return [item for item in NAV if item.shown(where) and (item.auditors or not where.actor.audit_only)]


HEADER: list[NavItem] = []
BADGES: dict[str, Callable] = {}


def header_link(endpoint: str, label, *, order: int, badge: Callable | None = None) -> None:
    """A link in the header of every page for a logged-in user; `badge(ctx, actor)` gives a count."""
    HEADER[:] = sorted([i for i in HEADER if i.endpoint != endpoint] + [NavItem(endpoint, label, order, lambda w: True)],
                       key=lambda i: i.order)
    if badge is not None:
        BADGES[endpoint] = badge


def header_links(ctx, actor) -> list[dict]:
    if actor.audit_only:
        return []
    return [{"endpoint": item.endpoint, "label": item.label,
             "badge": BADGES[item.endpoint](ctx, actor) if item.endpoint in BADGES else None} for item in HEADER]


@dataclass(frozen=True)
class Card:
    label: Any
    value: int
    url: str
    sub: Any = None


CardSource = Callable[[Any, Where], "list[Card] | Card | None"]
CARDS: list[tuple[int, CardSource]] = []


def home_card(order: int):
    """@home_card(order): func(ctx, where) → the card(s) this feature shows on the home page."""
    def register(func: CardSource) -> CardSource:
        CARDS.append((order, func))
        CARDS.sort(key=lambda c: c[0])
        return func
    return register


def home_cards(ctx, where: Where) -> list[Card]:
    cards: list[Card] = []
    for _order, source in CARDS:
        found = source(ctx, where)
        cards.extend(found if isinstance(found, list) else [found] if found else [])
    return cards


HOME_SECTIONS: list[tuple[int, Callable]] = []


def home_section(order: int):
    """@home_section(order): func(ctx, where) → a Section of the home page above the cards, or None."""
    def register(func):
        HOME_SECTIONS.append((order, func))
        HOME_SECTIONS.sort(key=lambda s: s[0])
        return func
    return register


def home_sections(ctx, where: Where) -> list["Section"]:
    return [section for _order, source in HOME_SECTIONS if (section := source(ctx, where)) is not None]


@dataclass(frozen=True)
class SeekerLink:
    endpoint: str
    label: Any
    order: int
    shown: Callable[[Where, dict], bool]
    args: dict


SEEKER_LINKS: list[SeekerLink] = []


def seeker_link(endpoint: str, label, *, order: int, shown: Callable[[Where, dict], bool] = lambda where, person: True,
                **args) -> None:
    """A link on a person's page (url_for(endpoint, seeker_id=…, **args)), for whom `shown` says."""
    SEEKER_LINKS[:] = sorted([link for link in SEEKER_LINKS if (link.endpoint, link.args) != (endpoint, args)]
                             + [SeekerLink(endpoint, label, order, shown, args)], key=lambda link: link.order)


def seeker_links(where: Where, person: dict) -> list[SeekerLink]:
    return [link for link in SEEKER_LINKS if link.shown(where, person)]


@dataclass(frozen=True)
class Section:
    template: str
    values: dict


SectionSource = Callable[[Any, Where, dict], "Section | None"]
SECTIONS: list[tuple[int, SectionSource]] = []


def seeker_section(order: int):
    """@seeker_section(order): func(ctx, where, person) → a Section of a person's page (a template
    and its values) or None."""
    def register(func: SectionSource) -> SectionSource:
        SECTIONS.append((order, func))
        SECTIONS.sort(key=lambda s: s[0])
        return func
    return register


def seeker_sections(ctx, where: Where, person: dict) -> list[Section]:
    return [section for _order, source in SECTIONS if (section := source(ctx, where, person)) is not None]
