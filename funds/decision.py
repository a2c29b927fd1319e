"""Does the owners' decision stand? A pure function of the roll (no database).

Rule sets (DESIGN.md §2; thresholds are inclusive, "以上"):

- **Civil Code art. 278** (default): owners holding ≥ 2/3 of the area *and* ≥ 2/3 of the
  headcount take part, and ≥ 3/4 of the participating area *and* of the participating
  headcount agree (to raise funds).
- **Legacy 2/3 rule** (物权法 art. 76): ≥ 2/3 of all area *and* of all headcount agree.

Using the fund (``decide_use``) is a second, separate result. Under art. 278 the same
participation (≥ 2/3 of area and headcount) is needed, but then *more than half*
(过半数, strictly greater: exactly half fails) of the participating area and of the
participating owners must agree. Under the legacy rule, art. 76 put raising and using the
fund in the same item, so using needs the same 2/3 of all owners and area.

Definitions, written down once:

- The denominators are the whole roll: every unit's area, every distinct owner.
- *Taking part* means having voted agree, refuse or abstain. Pending and unreachable do
  not take part.
- **Area** counts per unit: each unit's area goes with that unit's own status.
- **Headcount** counts per owner (``owner_key``): an owner of several units is one head.
  When their units differ, the owner takes part only if *every* unit of theirs took part,
  and agrees only if every unit agrees. (One person casts one vote; until all their units
  say the same "agree", we do not count them as agreeing — the cautious reading.)
- All arithmetic is exact (``Fraction``; areas are ``Decimal`` to the fen); no floats.

The margin says what is still needed *if the owners not yet heard from take part and
agree* (refusals stay as they are): the smallest number of further agreeing owners and m²
that would satisfy the conditions, and a concrete set of pending or unreachable units that
would close it. That set is chosen greedily, largest area first (ties: lower floor, then
unit label) and re-checked after each addition; it is a good door-to-door list, not always
the smallest possible one. If even every such unit agreeing would not pass, the result
says so (refusals then have to be revisited).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from math import ceil

from django.utils.translation import gettext_lazy as _

from funds.models.campaigns import RuleSet
from funds.models.consents import ConsentStatus

PARTICIPATED = frozenset({ConsentStatus.AGREE, ConsentStatus.REFUSE, ConsentStatus.ABSTAIN})
NOT_YET = frozenset({ConsentStatus.PENDING, ConsentStatus.UNREACHABLE})
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)
FEN = Decimal("0.01")


@dataclass(frozen=True)
class RollEntry:
    """One unit as the calculator sees it."""

    label: str
    floor: int
    area: Decimal
    owner_key: str
    status: str
    pk: int | None = None


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    value: Fraction  # numerator (area in m² or heads)
    base: Fraction  # what it is compared with
    threshold: Fraction
    passed: bool
    is_area: bool
    strict: bool = False  # "more than" (过半数) rather than "at least" (以上)

    @property
    def comparator(self) -> str:
        return ">" if self.strict else "≥"

    @property
    def value_number(self) -> Decimal | int:
        return _number(self.value, self.is_area)

    @property
    def base_number(self) -> Decimal | int:
        return _number(self.base, self.is_area)

    @property
    def share(self) -> Fraction | None:
        return self.value / self.base if self.base else None

    @property
    def percent(self) -> Decimal | None:
        """The share in per cent to two places, rounded so it never contradicts the verdict.

        Rounded down, so a failing share never shows as the threshold (2/3 − ε is 66.66%, not
        66.67%); a share that meets the threshold shows at least the threshold as displayed
        (exactly 2/3 is 66.67%; just above half is 50.01%, not 50.00%).
        """
        share = self.share
        if share is None:
            return None
        shown = _percent(share, up=False)
        if self.passed:
            floor = self.threshold_percent + (FEN if self.strict else 0)
            shown = max(shown, floor)
        return shown

    @property
    def threshold_percent(self) -> Decimal:
        """The threshold in per cent: rounded up for "at least" (2/3 is 66.67%), down for "more
        than" (so "> 50.00%" is exactly what is required)."""
        return _percent(self.threshold, up=not self.strict)


def _percent(share: Fraction, up: bool) -> Decimal:
    """A (non-negative) share in per cent to two places, rounded exactly: down, or up."""
    hundredths = share * 10000
    whole = -(-hundredths.numerator // hundredths.denominator) if up else hundredths.numerator // hundredths.denominator
    return Decimal(whole).scaleb(-2)


def _number(value: Fraction, is_area: bool) -> Decimal | int:
    """For display: m² to the fen, heads as whole numbers (both are exact here)."""
    if is_area:
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(FEN)
    return int(value)


@dataclass(frozen=True)
class Tally:
    total_area: Fraction
    total_heads: int
    part_area: Fraction
    part_heads: int
    agree_area: Fraction
    agree_heads: int


@dataclass(frozen=True)
class Decision:
    rule_set: str
    tally: Tally
    conditions: list[Condition]
    passed: bool
    need_heads: int
    need_area: Decimal  # m², rounded up to 0.01
    closable: bool
    closing_units: list[RollEntry] = field(default_factory=list)  # in floor order
    unit_counts: dict[str, int] = field(default_factory=dict)
    use: "UseDecision | None" = None  # using the fund, when computed with it (decide_campaign)

    @property
    def closing_floors(self) -> list[tuple[int, list[RollEntry]]]:
        floors: dict[int, list[RollEntry]] = {}
        for entry in self.closing_units:
            floors.setdefault(entry.floor, []).append(entry)
        return sorted(floors.items())


def _at_least(value, base, threshold: Fraction) -> bool:
    """value ≥ threshold × base, inclusive; nothing to compare with never passes."""
    return base > 0 and Fraction(value) >= threshold * Fraction(base)


def _more_than(value, base, threshold: Fraction) -> bool:
    """value > threshold × base, strictly; nothing to compare with never passes."""
    return base > 0 and Fraction(value) > threshold * Fraction(base)


def tally(entries: Iterable[RollEntry]) -> Tally:
    total_area = part_area = agree_area = Fraction(0)
    owners: dict[str, list[str]] = {}
    for e in entries:
        area = Fraction(e.area)
        total_area += area
        if e.status in PARTICIPATED:
            part_area += area
        if e.status == ConsentStatus.AGREE:
            agree_area += area
        owners.setdefault(e.owner_key, []).append(e.status)
    part_heads = sum(1 for statuses in owners.values() if all(s in PARTICIPATED for s in statuses))
    agree_heads = sum(1 for statuses in owners.values() if all(s == ConsentStatus.AGREE for s in statuses))
    return Tally(total_area, len(owners), part_area, part_heads, agree_area, agree_heads)


def _conditions(rule_set: str, t: Tally) -> list[Condition]:
    if rule_set == RuleSet.LEGACY_2_3:
        specs = [
            ("agree_area", _("Agreeing area ≥ 2/3 of all area"), t.agree_area, t.total_area, TWO_THIRDS, True),
            ("agree_heads", _("Agreeing owners ≥ 2/3 of all owners"), t.agree_heads, t.total_heads, TWO_THIRDS, False),
        ]
    else:
        specs = [
            ("part_area", _("Participating area ≥ 2/3 of all area"), t.part_area, t.total_area, TWO_THIRDS, True),
            (
                "part_heads",
                _("Participating owners ≥ 2/3 of all owners"),
                t.part_heads,
                t.total_heads,
                TWO_THIRDS,
                False,
            ),
            (
                "agree_area",
                _("Agreeing area ≥ 3/4 of participating area"),
                t.agree_area,
                t.part_area,
                THREE_QUARTERS,
                True,
            ),
            (
                "agree_heads",
                _("Agreeing owners ≥ 3/4 of participating owners"),
                t.agree_heads,
                t.part_heads,
                THREE_QUARTERS,
                False,
            ),
        ]
    return [
        Condition(key, label, Fraction(value), Fraction(base), threshold, _at_least(value, base, threshold), is_area)
        for key, label, value, base, threshold, is_area in specs
    ]


def needed(rule_set: str, t: Tally) -> tuple[Fraction, Fraction]:
    """(owners, m²) still needed if that many more owners / that much more area take part and agree.

    Legacy: agree + x ≥ 2/3 total. Art. 278: part + x ≥ 2/3 total, and
    agree + x ≥ 3/4 (part + x) ⇔ x ≥ 3·part − 4·agree.
    """

    def one(total, part, agree):
        if rule_set == RuleSet.LEGACY_2_3:
            return max(Fraction(0), TWO_THIRDS * total - agree)
        return max(Fraction(0), TWO_THIRDS * total - part, 3 * Fraction(part) - 4 * Fraction(agree))

    return one(t.total_heads, t.part_heads, t.agree_heads), one(t.total_area, t.part_area, t.agree_area)


def _fraction_to_area(value: Fraction) -> Decimal:
    """Round an area up to the fen (a margin is never understated)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(FEN, rounding=ROUND_CEILING)


def decide(entries: Iterable[RollEntry], rule_set: str = RuleSet.CIVIL_CODE_278) -> Decision:
    entries = list(entries)
    t = tally(entries)
    conditions = _conditions(rule_set, t)
    passed = bool(conditions) and all(c.passed for c in conditions)
    need_heads, need_area = needed(rule_set, t)
    counts = dict.fromkeys(ConsentStatus.values, 0)
    for e in entries:
        counts[e.status] = counts.get(e.status, 0) + 1

    closing: list[RollEntry] = []
    closable = passed
    if not passed:
        candidates = sorted((e for e in entries if e.status in NOT_YET), key=lambda e: (-e.area, e.floor, e.label))
        flipped: set[int] = set()
        current = list(entries)
        index_of = {id(e): i for i, e in enumerate(entries)}
        for candidate in candidates:
            i = index_of[id(candidate)]
            current[i] = RollEntry(
                candidate.label, candidate.floor, candidate.area, candidate.owner_key, ConsentStatus.AGREE, candidate.pk
            )
            flipped.add(i)
            if all(c.passed for c in _conditions(rule_set, tally(current))):
                closable = True
                break
        if closable:
            closing = sorted((entries[i] for i in flipped), key=lambda e: (e.floor, e.label))
    return Decision(
        rule_set=rule_set,
        tally=t,
        conditions=conditions,
        passed=passed,
        need_heads=ceil(need_heads),
        need_area=_fraction_to_area(need_area),
        closable=closable,
        closing_units=closing,
        unit_counts=counts,
    )


@dataclass(frozen=True)
class UseDecision:
    """Whether the owners' votes also carry the use of the fund (no margin, no door list)."""

    rule_set: str
    conditions: list[Condition]
    passed: bool


def _use_conditions(rule_set: str, t: Tally) -> list[Condition]:
    if rule_set == RuleSet.LEGACY_2_3:
        return _conditions(rule_set, t)
    participation = [c for c in _conditions(rule_set, t) if c.key in ("part_area", "part_heads")]
    specs = [
        ("use_area", _("Agreeing area > 1/2 of participating area"), t.agree_area, t.part_area, True),
        ("use_heads", _("Agreeing owners > 1/2 of participating owners"), t.agree_heads, t.part_heads, False),
    ]
    return participation + [
        Condition(key, label, Fraction(value), Fraction(base), HALF, _more_than(value, base, HALF), is_area, True)
        for key, label, value, base, is_area in specs
    ]


def decide_use(entries: Iterable[RollEntry], rule_set: str = RuleSet.CIVIL_CODE_278) -> UseDecision:
    """Would the fund's use stand on these votes? Art. 278: 2/3 take part, more than half of them agree."""
    conditions = _use_conditions(rule_set, tally(entries))
    return UseDecision(rule_set, conditions, bool(conditions) and all(c.passed for c in conditions))


def decide_campaign(campaign) -> Decision:
    """The decision for a campaign's roll, with the use of the fund beside it, in one query."""
    rows = campaign.units.values_list("pk", "label", "floor", "area_m2", "owner_key", "consent_status")
    entries = [RollEntry(label, floor, area, key, status, pk) for pk, label, floor, area, key, status in rows]
    return replace(decide(entries, campaign.rule_set), use=decide_use(entries, campaign.rule_set))
