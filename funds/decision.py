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

The **margin** (``Decision.margin``) is the door-to-door list: the fewest owners who, by
agreeing, would make the decision pass. Winning an owner over means all their units agree.
It counts both kinds of visit and tells them apart: *reach* an owner not yet heard from
(pending), or *persuade* one who refused or abstained; owners marked unreachable (abroad,
no contact) are proposed only when no set of the same size without them would do. Among
the smallest sets it takes the fewest unreachable owners, then the fewest conversions,
then the largest areas. Every owner won over only helps every condition (agreeing adds at
least as much as taking part takes away: 4·agree − 3·part never falls), so for each split
between the kinds the largest owners of each kind are taken, and the smallest size is
solved for directly (no size tried and rejected). Owners who refused on one unit and
have not answered on another ("mixed") add to participation and to agreement in different
proportions: up to ``MIXED_EXACT`` of them the search is exact (through the Pareto frontier
of their subsets, worked out once); beyond that, the largest first. Why this is exact, and its cost: ``find_margin``.

``need_heads`` / ``need_area`` keep their older, narrower meaning: how many further owners
and m² would have to *take part and agree* if refusals stay as they are.

Beside the result the page shows the rule's arithmetic (``Condition.required_number``: the
smallest count or area that meets each threshold), under the campaign's rule set and under
the other one (``Decision.other_rule``).
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import ceil, floor

from django.utils.translation import gettext_lazy as _

from funds.models.campaigns import RuleSet
from funds.models.consents import ConsentStatus

PARTICIPATED = frozenset({ConsentStatus.AGREE, ConsentStatus.REFUSE, ConsentStatus.ABSTAIN})
NOT_YET = frozenset({ConsentStatus.PENDING, ConsentStatus.UNREACHABLE})
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)
FEN = Decimal("0.01")
CONVERTIBLE = frozenset({ConsentStatus.REFUSE, ConsentStatus.ABSTAIN})
# Up to this many "mixed" owners (a refusal on one unit, no answer on another) the margin
# tries every combination of them; beyond it, the largest first.
MIXED_EXACT = 12


@dataclass(frozen=True)
class RollEntry:
    """One unit as the calculator sees it."""

    label: str
    floor: int
    area: Decimal
    owner_key: str
    status: str
    pk: int | None = None

    @property
    def status_label(self) -> str:
        return ConsentStatus(self.status).label


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
    def threshold_label(self) -> str:
        return f"{self.threshold.numerator}/{self.threshold.denominator}"

    @property
    def required(self) -> Fraction:
        """threshold × base: what the value is compared with."""
        return self.threshold * self.base

    @property
    def required_number(self) -> Decimal | int | None:
        """The smallest value that meets the condition: whole owners, or m² to the fen.

        "At least" rounds threshold × base up; "more than" takes the next whole owner or fen
        above it. None when there is nothing to compare with (the condition cannot be met).
        """
        if self.base <= 0:
            return None
        step = Fraction(1, 100) if self.is_area else Fraction(1)
        units = self.required / step
        whole = floor(units) + 1 if self.strict else ceil(units)
        return _number(whole * step, self.is_area)

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
    margin: "Margin | None" = None  # the fewest owners whose agreement would pass it
    other_rule: "UseDecision | None" = None  # the same roll under the other rule set (decide_campaign)

    @property
    def arithmetic(self) -> list["UseDecision"]:
        """The conditions under the campaign's rule set, then under the other one (when computed)."""
        checks = [UseDecision(self.rule_set, self.conditions, self.passed)]
        return checks + ([self.other_rule] if self.other_rule else [])

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


def owner_head(statuses: Iterable[str]) -> tuple[int, int, int]:
    """One owner's (head, taking part, agreeing) from the statuses of all their units.

    (0, 0, 0) for no units; otherwise one head, taking part only if every unit took part,
    agreeing only if every unit agrees. The stored totals (``funds.services.tallies``) add
    and take away these, an owner at a time.
    """
    statuses = list(statuses)
    if not statuses:
        return 0, 0, 0
    return 1, int(all(s in PARTICIPATED for s in statuses)), int(all(s == ConsentStatus.AGREE for s in statuses))


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
    heads = [owner_head(statuses) for statuses in owners.values()]
    part_heads = sum(part for _head, part, _agree in heads)
    agree_heads = sum(agree for _head, _part, agree in heads)
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


def passes(rule_set: str, t: Tally) -> bool:
    """Does the decision (to raise the funds) stand on these totals?"""
    conditions = _conditions(rule_set, t)
    return bool(conditions) and all(c.passed for c in conditions)


def use_passes(rule_set: str, t: Tally) -> bool:
    """Does the use of the fund stand on these totals?"""
    conditions = _use_conditions(rule_set, t)
    return bool(conditions) and all(c.passed for c in conditions)


def decide(entries: Iterable[RollEntry], rule_set: str = RuleSet.CIVIL_CODE_278) -> Decision:
    entries = list(entries)
    t = tally(entries)
    counts = dict.fromkeys(ConsentStatus.values, 0)
    for e in entries:
        counts[e.status] = counts.get(e.status, 0) + 1
    margin = None if passes(rule_set, t) else find_margin(entries, rule_set)
    return decide_totals(t, rule_set, counts, margin)


def decide_totals(t: Tally, rule_set: str, unit_counts: dict[str, int], margin: "Margin | None") -> Decision:
    """The decision on totals already counted (the stored ones, or ``tally`` of a roll).

    ``margin`` is the door-to-door list found on the roll itself (``find_margin``), None
    when the decision passes or can no longer pass.
    """
    conditions = _conditions(rule_set, t)
    passed = bool(conditions) and all(c.passed for c in conditions)
    need_heads, need_area = needed(rule_set, t)
    counts = dict.fromkeys(ConsentStatus.values, 0) | unit_counts
    return Decision(
        rule_set=rule_set,
        tally=t,
        conditions=conditions,
        passed=passed,
        need_heads=ceil(need_heads),
        need_area=_fraction_to_area(need_area),
        closable=passed or margin is not None,
        closing_units=sorted(margin.units, key=lambda e: (e.floor, e.label)) if margin else [],
        unit_counts=counts,
        margin=margin,
    )


@dataclass(frozen=True)
class UseDecision:
    """A rule set's conditions and verdict without a margin: using the fund, or the same roll
    under the other rule set (for the arithmetic shown beside the result)."""

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


def roll_of(campaign) -> list[RollEntry]:
    """A campaign's roll as the calculator sees it, in one query."""
    rows = campaign.units.values_list("pk", "label", "floor", "area_m2", "owner_key", "consent_status")
    return [RollEntry(label, floor, area, key, status, pk) for pk, label, floor, area, key, status in rows]


def with_use_and_other_rule(decision: Decision) -> Decision:
    """The decision with the use of the fund and the other rule set's arithmetic beside it."""
    rule_set, t = decision.rule_set, decision.tally
    other = RuleSet.LEGACY_2_3 if rule_set == RuleSet.CIVIL_CODE_278 else RuleSet.CIVIL_CODE_278
    conditions = _conditions(other, t)
    return replace(
        decision,
        use=UseDecision(rule_set, _use_conditions(rule_set, t), use_passes(rule_set, t)),
        other_rule=UseDecision(other, conditions, bool(conditions) and all(c.passed for c in conditions)),
    )


def decide_campaign(campaign) -> Decision:
    """The decision recomputed from a campaign's whole roll (one query), with the use of the
    fund beside it. Pages read the stored totals instead (``funds.totals.campaign_decision``);
    this is the reference they are checked against."""
    return with_use_and_other_rule(decide(roll_of(campaign), campaign.rule_set))


# --- The margin: the fewest owners to win over -------------------------------------------


class Visit:
    """What winning an owner over takes (the kinds a margin tells apart)."""

    REACH = "reach"  # not heard from yet: pending units only
    PERSUADE = "persuade"  # refused or abstained on at least one unit
    UNREACHABLE = "unreachable"  # marked unreachable (abroad, no contact), nothing refused


@dataclass(frozen=True)
class Candidate:
    """An owner not (yet) agreeing on every unit, and what their agreement would add."""

    key: str
    kind: str
    units: tuple[RollEntry, ...]  # their units that do not agree yet
    new_part_fen: int  # area (fen) that would newly take part
    agree_fen: int  # area (fen) that would newly agree
    joins: bool  # the owner would newly take part (counted in the headcount)

    @property
    def order(self):
        """Largest first; ties: lowest floor, then label (a stable door-to-door order)."""
        first = min(self.units, key=lambda e: (e.floor, e.label))
        return (-self.agree_fen, first.floor, first.label)


@dataclass(frozen=True)
class Margin:
    """The fewest owners whose agreement would make the decision pass, by kind of visit."""

    reach: tuple[Candidate, ...]
    persuade: tuple[Candidate, ...]
    unreachable: tuple[Candidate, ...]

    @property
    def owners(self) -> int:
        return len(self.reach) + len(self.persuade) + len(self.unreachable)

    @property
    def units(self) -> list[RollEntry]:
        return [e for group in (self.reach, self.persuade, self.unreachable) for c in group for e in c.units]

    @staticmethod
    def _floor_order(candidates) -> list[RollEntry]:
        return sorted((e for c in candidates for e in c.units), key=lambda e: (e.floor, e.label))

    @property
    def reach_units(self) -> list[RollEntry]:
        return self._floor_order(self.reach)

    @property
    def persuade_units(self) -> list[RollEntry]:
        return self._floor_order(self.persuade)

    @property
    def unreachable_units(self) -> list[RollEntry]:
        return self._floor_order(self.unreachable)


@lru_cache(maxsize=4096)
def _fen(area) -> int:
    """An area in whole fen (m² × 100); rolls repeat a few areas, so it is remembered."""
    return int(Decimal(area).quantize(FEN) * 100)


def candidates_of(entries: list[RollEntry]) -> list[Candidate]:
    """Every owner not agreeing on all their units, with what their agreement would add."""
    owners: dict[str, list[RollEntry]] = {}
    for e in entries:
        owners.setdefault(e.owner_key, []).append(e)
    result = []
    for key, units in owners.items():
        open_units = tuple(e for e in units if e.status != ConsentStatus.AGREE)
        if not open_units:
            continue
        statuses = {e.status for e in open_units}
        if statuses & CONVERTIBLE:
            kind = Visit.PERSUADE
        elif ConsentStatus.UNREACHABLE in statuses:
            kind = Visit.UNREACHABLE
        else:
            kind = Visit.REACH
        new_part = sum(_fen(e.area) for e in open_units if e.status in NOT_YET)
        result.append(
            Candidate(key, kind, open_units, new_part, sum(_fen(e.area) for e in open_units), joins=new_part > 0)
        )
    return sorted(result, key=lambda c: c.order)


class _Totals:
    """The tally in whole fen and heads, for fast exact checks (no Fractions in the search)."""

    def __init__(self, entries: list[RollEntry]):
        self.total_fen = self.part_fen = self.agree_fen = 0
        owners: dict[str, list[str]] = {}
        for e in entries:
            fen = _fen(e.area)
            self.total_fen += fen
            if e.status in PARTICIPATED:
                self.part_fen += fen
            if e.status == ConsentStatus.AGREE:
                self.agree_fen += fen
            owners.setdefault(e.owner_key, []).append(e.status)
        self.total_heads = len(owners)  # heads as ``owner_head`` counts them
        self.part_heads = sum(PARTICIPATED.issuperset(statuses) for statuses in owners.values())
        self.agree_heads = sum(all(s == ConsentStatus.AGREE for s in statuses) for statuses in owners.values())
        self.checks = 0  # sets of owners checked against the rule (the search's work)

    def passes(self, rule_set: str, part_fen: int, agree_fen: int, part_heads: int, agree_heads: int) -> bool:
        """The conditions of ``_conditions``, inclusive, on the totals plus what was added."""
        part_fen += self.part_fen
        agree_fen += self.agree_fen
        part_heads += self.part_heads
        agree_heads += self.agree_heads
        if self.total_fen <= 0:
            return False
        if rule_set == RuleSet.LEGACY_2_3:
            return 3 * agree_fen >= 2 * self.total_fen and 3 * agree_heads >= 2 * self.total_heads
        return (
            3 * part_fen >= 2 * self.total_fen
            and 3 * part_heads >= 2 * self.total_heads
            and part_fen > 0
            and 4 * agree_fen >= 3 * part_fen
            and part_heads > 0
            and 4 * agree_heads >= 3 * part_heads
        )


def _prefix(values: list[int]) -> list[int]:
    sums = [0]
    for v in values:
        sums.append(sums[-1] + v)
    return sums


def _frontier(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (P, D) points no other point matches or beats on both: P descending, D ascending."""
    kept: list[tuple[int, int]] = []
    for p, d in sorted(set(points), key=lambda point: (-point[0], -point[1])):
        if not kept or d > kept[-1][1]:
            kept.append((p, d))
    return kept


def _mixed_frontiers(mixed: list[Candidate], rule_set: str) -> list[list[tuple[int, int]]]:
    """For each size m, the Pareto frontier of (new participating fen, 4·agree − 3·part fen)
    over the m-owner subsets the search may choose (every subset up to ``MIXED_EXACT`` mixed
    owners, else only the m largest). Worked out once per search: at most 2^12 subsets.
    The legacy rule reads agreement only: there the frontier is the one largest agreeing area."""
    if len(mixed) > MIXED_EXACT:
        prefix_part, prefix_agree = _prefix([c.new_part_fen for c in mixed]), _prefix([c.agree_fen for c in mixed])
        return [[(prefix_part[m], 4 * prefix_agree[m] - 3 * prefix_part[m])] for m in range(len(mixed) + 1)]
    by_size: list[list[tuple[int, int]]] = [[] for _ in range(len(mixed) + 1)]
    by_size[0].append((0, 0))
    sums = [(0, 0, 0)]  # (size, part, agree) of every subset, built one owner at a time
    for c in mixed:
        sums += [(m + 1, p + c.new_part_fen, a + c.agree_fen) for m, p, a in sums]
    for m, p, a in sums[1:]:
        by_size[m].append((p, 4 * a - 3 * p))
    if rule_set == RuleSet.LEGACY_2_3:
        return [[max(points, key=lambda point: point[1] + 3 * point[0])] for points in by_size]
    return [_frontier(points) for points in by_size]


def search_margin(entries: list[RollEntry], rule_set: str) -> tuple[Margin | None, int]:
    """The margin (see ``find_margin``) and the work it took: how many splits were weighed
    (the tests bound it; no clock)."""
    totals = _Totals(entries)
    by_kind = {kind: [] for kind in (Visit.REACH, Visit.UNREACHABLE, Visit.PERSUADE)}
    mixed = []
    for c in candidates_of(entries):
        if c.kind == Visit.PERSUADE and c.joins:
            mixed.append(c)
        else:
            by_kind[c.kind].append(c)
    reach, unreachable, persuade = by_kind[Visit.REACH], by_kind[Visit.UNREACHABLE], by_kind[Visit.PERSUADE]
    if not entries or totals.total_fen <= 0:  # nothing to compare with never passes
        return None, totals.checks
    # Within reach, unreachable and (pure) persuade the largest owners are always the best
    # choice (the proof is on ``find_margin``): prefix sums give each split's totals at once.
    reach_sum = _prefix([c.agree_fen for c in reach])
    unreachable_sum = _prefix([c.agree_fen for c in unreachable])
    persuade_sum = _prefix([c.agree_fen for c in persuade])
    # j owners reached (of either kind) add at most the j largest of both together.
    joined_best = _prefix(sorted((c.agree_fen for c in reach + unreachable), reverse=True))
    frontiers = _mixed_frontiers(mixed, rule_set)
    needs = _Needs(totals, rule_set, persuade_sum)

    def fewest_joined(s: int, m: int, p: int, d: int) -> int | None:
        """The fewest owners to reach (of either kind) beside s pure and m mixed conversions
        (the mixed ones adding (p, d)): every condition is non-decreasing in them."""
        area, heads = needs.joined(s, m, p, d)
        j = bisect_left(joined_best, area)
        if j >= len(joined_best):
            return None
        return max(j, heads, 0) if max(heads, 0) < len(joined_best) else None

    # The smallest size: for each kind of conversion, the fewest owners reached with it.
    # Converting more never needs more owners reached: with every pure conversion the least
    # (``floors``) bounds the sizes still to come, so the walk over s stops early.
    last = len(persuade_sum) - 1
    floors = {(m, p, d): fewest_joined(last, m, p, d) for m, points in enumerate(frontiers) for p, d in points}
    size: int | None = None
    for m, points in enumerate(frontiers):
        for p, d in points:
            floor_j = floors[m, p, d]
            if floor_j is None:
                continue
            for s in range(len(persuade_sum)):
                if size is not None and s + m + floor_j >= size:
                    break
                totals.checks += 1
                j = fewest_joined(s, m, p, d)
                if j is not None and (size is None or j + s + m < size):
                    size = j + s + m
    if size is None:
        return None, totals.checks

    def fewest_unreachable(j: int, area: int) -> int | None:
        """The fewest unreachable owners among j reached so that they add ``area``: the
        reached area (largest of each kind) is concave in that number, so bisect its rise."""
        low, high = max(0, j - len(reach)), min(len(unreachable), j)
        if low > high:
            return None

        def joined(u: int) -> int:
            return reach_sum[j - u] + unreachable_sum[u]

        top_low, top_high = low, high  # the first u past which taking one more loses area
        while top_low < top_high:
            middle = (top_low + top_high) // 2
            if unreachable[middle].agree_fen >= reach[j - middle - 1].agree_fen:
                top_low = middle + 1
            else:
                top_high = middle
        if joined(top_low) < area:
            return None
        while low < top_low:
            middle = (low + top_low) // 2
            if joined(middle) >= area:
                top_low = middle
            else:
                low = middle + 1
        return low

    # At that size: the fewest unreachable owners, then the fewest conversions, then the
    # fewest mixed ones (the exhaustive search's order).
    chosen_split = None
    for m, points in enumerate(frontiers):
        for p, d in points:
            floor_j = floors[m, p, d]
            if floor_j is None:
                continue
            for s in range(min(len(persuade_sum), size - m - floor_j + 1)):
                totals.checks += 1
                j = size - s - m
                area, heads = needs.joined(s, m, p, d)
                if j < heads:
                    continue
                u = fewest_unreachable(j, area)
                if u is not None and (chosen_split is None or (u, s + m, m) < chosen_split):
                    chosen_split = (u, s + m, m)
    assert chosen_split is not None  # the size was found on one of these splits
    unreachables, converts, m = chosen_split
    reaches, pure = size - unreachables - converts, converts - m
    joined_fen = reach_sum[reaches] + unreachable_sum[unreachables]
    # The first m mixed owners in the reference order (largest first) that pass.
    choices = combinations(mixed, m) if len(mixed) <= MIXED_EXACT else [tuple(mixed[:m])]
    head_counts = (reaches + unreachables + m, size)
    for chosen in choices:
        totals.checks += 1
        part_fen = joined_fen + sum(c.new_part_fen for c in chosen)
        agree_fen = joined_fen + persuade_sum[pure] + sum(c.agree_fen for c in chosen)
        if totals.passes(rule_set, part_fen, agree_fen, *head_counts):
            margin = Margin(tuple(reach[:reaches]), tuple(persuade[:pure]) + chosen, tuple(unreachable[:unreachables]))
            return margin, totals.checks
    raise AssertionError("a frontier point passed, so one of its subsets does")


class _Needs:
    """The rule solved for the owners reached (of either kind): given s pure conversions
    and m mixed ones adding (p, d) (``_mixed_frontiers``), the least area J the reached owners
    must add and the fewest of them the headcount needs. Exact integer forms of ``_Totals.passes``:

    - art. 278: J + p ≥ ⌈2T/3⌉ − part₀ (and > −part₀); J + 4·S + d ≥ 3·part₀ − 4·agree₀;
      j + m ≥ ⌈2H/3⌉ − partₕ (and > −partₕ); j + m + 4·s ≥ 3·partₕ − 4·agreeₕ.
    - legacy 2/3: J + S + (d + 3p)/4 ≥ ⌈2T/3⌉ − agree₀; j + s + m ≥ ⌈2H/3⌉ − agreeₕ.
    """

    def __init__(self, totals: "_Totals", rule_set: str, persuade_sum: list[int]):
        self.legacy = rule_set == RuleSet.LEGACY_2_3
        self.persuade_sum = persuade_sum
        area_two_thirds = (2 * totals.total_fen + 2) // 3
        heads_two_thirds = (2 * totals.total_heads + 2) // 3
        if self.legacy:
            self.area = area_two_thirds - totals.agree_fen
            self.heads = heads_two_thirds - totals.agree_heads
        else:
            self.part_area = max(area_two_thirds, 1) - totals.part_fen
            self.agree_area = 3 * totals.part_fen - 4 * totals.agree_fen
            self.part_heads = max(heads_two_thirds, 1) - totals.part_heads
            self.agree_heads = 3 * totals.part_heads - 4 * totals.agree_heads

    def joined(self, s: int, m: int, p: int, d: int) -> tuple[int, int]:
        if self.legacy:
            return self.area - self.persuade_sum[s] - (d + 3 * p) // 4, self.heads - s - m
        return (
            max(self.part_area - p, self.agree_area - 4 * self.persuade_sum[s] - d),
            max(self.part_heads - m, self.agree_heads - m - 4 * s),
        )


def find_margin(entries: list[RollEntry], rule_set: str) -> Margin | None:
    """The fewest owners to win over (see the module docstring); None for an empty roll.

    **What winning an owner over adds.** The owner's units all agree. Per class (``Candidate``):

    - *reach* / *unreachable* (no unit refused or abstained): their open area ``a`` newly
      takes part *and* agrees (adds ``a`` to J, below); +1 participating head, +1 agreeing head.
    - *persuade*, pure (every open unit refused or abstained): ``a`` newly agrees only (adds
      ``a`` to S); already a participating head, so +1 agreeing head.
    - *mixed* (refused or abstained on a unit, pending or unreachable on another): ``p`` (the
      pending/unreachable area) newly takes part, ``a > p`` newly agrees; +1 participating
      and +1 agreeing head. Write P, A for the chosen mixed owners' sums and D = 4A − 3P
      (= P + 4·refused area ≥ 0).

    For a size k split as (u unreachable, c converted of whom m mixed, k − u − c reached),
    the heads added are fixed by the counts alone: k agreeing, k − (c − m) participating.

    **The rule, per rule set (``_conditions``), on roll totals part₀, agree₀, total T:**

    - *Civil Code art. 278*: 3·(part₀ + J + P) ≥ 2·T; 4·(agree₀ + J + S + A) ≥ 3·(part₀ + J + P),
      i.e. J + 4·S + D ≥ 3·part₀ − 4·agree₀ (participating area > 0 is implied by the first
      once T > 0); heads likewise, and they are fixed by the split. Every condition is
      non-decreasing in J, S, P and D.
    - *Legacy 2/3*: 3·(agree₀ + J + S + A) ≥ 2·T, heads ≥ 2/3: non-decreasing in J, S and A
      (A = (D + 3P)/4, so also in P and D).

    **Dominance.** Within reach (likewise unreachable, pure persuade) every owner adds only
    their own area to J (to S), heads alike; exchanging a chosen owner for an unchosen
    larger one raises J (S) and changes nothing else, so under both rule sets a passing set
    stays passing: for each split only the largest of each of these classes need checking
    (prefix sums, one check per split). Under the legacy rule the mixed class obeys the
    same argument (only A counts). Under art. 278 it does not: a mixed owner with more area
    may bring less new participation (100 m² refused and 1 m² pending against 10 m² refused
    and 60 m² pending: when participation is short, only the smaller one helps).

    **The bounded exact fallback for mixed owners** (both rule sets, so the proposed owners
    are the ones the exhaustive search proposed): with at most ``MIXED_EXACT`` of them,
    every subset's (P, D) is listed once (≤ 2¹² = 4,096), and per size m only its Pareto
    frontier kept. The rule being monotone in (P, D), some m-subset passes a split if and
    only if a frontier point does; only then are the m-subsets walked in the exhaustive
    search's order (largest first) to take the first that passes, which ends the size's
    search. Beyond ``MIXED_EXACT`` the m largest are taken, as before.

    **Order and cost.** Reached and unreachable owners count alike in the rule (only the
    order tells them apart), so for s pure conversions and a frontier point (m, P, D) the
    fewest owners to reach is one bisection of the prefix sums of both kinds together (the
    j largest of either add the most area; ``_Needs`` solves the rule for them), and the
    smallest size is the least s + m + j: no size is tried and rejected. At that size, for
    each (s, point), the fewest unreachable among the j reached is a bisection too (the
    area of the j − u largest reached and the u largest unreachable is concave in u); the
    least (unreachable, conversions, mixed) is the exhaustive search's order, so its
    result, and the m-subsets are walked once, for that split only. Work: Σₘ |frontierₘ| ×
    (pure persuade owners + 1) splits weighed, two bisections each, cut short once more
    conversions cannot make a smaller set; ``search_margin`` counts them.
    """
    return search_margin(entries, rule_set)[0]
